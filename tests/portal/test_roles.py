"""Roles hold exactly the permissions of the table in docs/contracts.md, and views that
declare a permission enforce it."""

import pytest
from django.contrib.auth.models import Group

from portal.permissions import write_permission_of, write_view
from tests.portal.url_walker import all_endpoints

VIEWER = {"view_portal"}
OPERATOR = VIEWER | {
    "operate_numbers",
    "operate_e911",
    "operate_messaging",
    "check_portability",
    "run_sync",
}
ADMINISTRATOR = OPERATOR | {
    "release_numbers",
    "manage_endpoint_groups",
    "delete_messaging",
    "confirm_sync",
    "edit_sync_schedules",
    "manage_users",
}


def portal_codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return set(
        group.permissions.filter(content_type__app_label="portal").values_list(
            "codename", flat=True
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group_name", "expected"),
    [("Viewer", VIEWER), ("Operator", OPERATOR), ("Administrator", ADMINISTRATOR)],
)
def test_each_role_holds_exactly_its_portal_permissions(roles, group_name, expected):
    assert portal_codenames(group_name) == expected


@pytest.mark.django_db
def test_only_the_administrator_may_edit_schedules_and_users_in_the_admin(
    viewer, operator, administrator
):
    admin_permissions = [
        "django_celery_beat.change_periodictask",
        "django_celery_beat.add_crontabschedule",
        "auth.change_user",
        "auth.add_user",
        "auth.change_group",
    ]
    assert all(administrator.has_perm(p) for p in admin_permissions)
    assert not any(operator.has_perm(p) for p in admin_permissions)
    assert not any(viewer.has_perm(p) for p in admin_permissions)


@pytest.mark.django_db
def test_administrator_can_open_the_user_and_schedule_admin(administrator_client, operator_client):
    assert administrator_client.get("/admin/auth/user/").status_code == 200
    assert administrator_client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    # An Operator is not staff: the admin sends them to its login page.
    assert operator_client.get("/admin/auth/user/").status_code == 302


def test_write_view_needs_a_full_permission_name():
    with pytest.raises(ValueError):
        write_view("release_numbers")


@pytest.mark.urls("tests.portal.urls_write_probe")
def test_the_url_walker_finds_write_views_and_their_permission():
    writes = {e.name: e.write_permission for e in all_endpoints() if e.write_permission}
    assert writes["release_probe"] == "portal.release_numbers"
    assert "read_probe" not in writes
    assert write_permission_of(all_endpoints()[0].callback) is None


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.urls_write_probe")
def test_write_view_refuses_without_the_permission_and_accepts_post_with_it(
    viewer_client, operator_client, administrator_client
):
    url = "/probe/4352154006/release/"
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url).status_code == 403
    assert operator_client.post(url).status_code == 403  # releasing is the Administrator's
    # A holder's GET (a reload of the address a form left behind) leads back to a page.
    assert administrator_client.get(url).status_code == 302
    response = administrator_client.post(url)
    assert response.status_code == 200
    assert response.content == b"released 4352154006"


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.urls_write_probe")
def test_a_signed_in_user_without_a_role_sees_no_portal_page(client, django_user_model):
    nobody = django_user_model.objects.create_user(username="no.role", password="x-long-password-1")
    client.force_login(nobody)
    assert client.get("/probe/").status_code == 403
    response = client.get("/")
    assert response.status_code == 403
    assert b"no role" in response.content
    # ...but can still change their password and sign out.
    assert client.get("/accounts/password/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_user_admin_lists_and_filters_by_role(administrator_client, viewer, operator):
    page = administrator_client.get("/admin/auth/user/").content.decode()
    assert "vera.viewer" in page and ">Viewer<" in page
    viewer_group = Group.objects.get(name="Viewer")
    filtered = administrator_client.get(
        f"/admin/auth/user/?groups__id__exact={viewer_group.pk}"
    ).content.decode()
    assert "vera.viewer" in filtered
    assert "otto.operator" not in filtered
