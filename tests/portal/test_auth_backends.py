"""One query for a person's roles and permissions (portal/auth_backends.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.auth_backends import role_names

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request sees it: no permission caches yet."""
    return type(user).objects.get(pk=user.pk)


def test_roles_and_permissions_come_from_one_query(operator):
    operator = _fresh(operator)
    with CaptureQueriesContext(connection) as captured:
        assert operator.has_perm("portal.view_portal")
        assert operator.has_perm("portal.operate_numbers")
        assert not operator.has_perm("portal.manage_users")
        names = role_names(operator)
    assert names == ["Operator"]
    assert len(captured) == 1


def test_the_same_permissions_as_django_model_backend(viewer, operator, administrator):
    from django.contrib.auth.backends import ModelBackend

    for user in (viewer, operator, administrator):
        ours = _fresh(user).get_all_permissions()
        theirs = ModelBackend().get_all_permissions(_fresh(user))
        assert ours == theirs
        assert ours  # every role holds at least the right to see the portal


def test_a_persons_own_permission_and_a_role_with_none(django_user_model, roles):
    user = django_user_model.objects.create(username="own")
    user.user_permissions.add(Permission.objects.get(codename="view_portal"))
    empty = Group.objects.create(name="Nothing yet")
    user.groups.add(empty)
    user = _fresh(user)
    assert user.has_perm("portal.view_portal")
    assert role_names(user) == ["Nothing yet"]


def test_inactive_and_superuser_keep_django_semantics(django_user_model, roles):
    inactive = django_user_model.objects.create(username="gone", is_active=False)
    inactive.groups.add(Group.objects.get(name="Administrator"))
    assert not _fresh(inactive).has_perm("portal.view_portal")
    boss = django_user_model.objects.create(username="boss", is_superuser=True)
    assert _fresh(boss).has_perm("portal.manage_users")
    assert role_names(_fresh(boss)) == []


def test_role_names_without_a_permission_check_still_reads_them(operator):
    assert role_names(_fresh(operator)) == ["Operator"]


def test_a_session_signed_in_under_django_model_backend_stays_signed_in(operator, client):
    # Sessions from before RoleBackend name ModelBackend as the backend that signed them in.
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/numbers/")
    assert page.status_code == 200
    assert b"Operator" in page.content


def test_a_refused_permission_costs_no_second_read_through_model_backend(viewer):
    viewer = _fresh(viewer)
    with CaptureQueriesContext(connection) as captured:
        assert viewer.has_perm("portal.view_portal")
        assert not viewer.has_perm("portal.operate_numbers")
    assert len(captured) == 1
