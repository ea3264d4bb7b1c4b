"""Saved views of the numbers list: private for anyone, shared managed by Administrators;
opened from the list and the dashboard."""

from importlib import import_module

import pytest
from django.apps import apps

from customers.models import SavedView

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_views_permission(roles):
    """A flushing test elsewhere recreates the roles from portal's migration alone: grant
    this app's permission again, exactly as its migration does."""
    import_module("customers.migrations.0003_shared_views_for_administrators").grant(apps, None)


def test_a_viewer_saves_private_filters_and_opens_them_from_the_list_and_dashboard(
    viewer_client, viewer, operator_client
):
    response = viewer_client.post(
        "/customers/views/save/",
        {"name": "Utah SMS", "query": "state=UT&features=sms&cursor=abc&n=3&bogus=1"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.name, view.owner, view.shared) == ("Utah SMS", viewer, False)
    assert view.query == "state=UT&features=sms"  # filters only: no page position, nothing unknown
    assert response["Location"] == "/numbers/?state=UT&features=sms"

    listing = viewer_client.get("/numbers/").content.decode()
    assert 'href="/numbers/?state=UT&amp;features=sms">Utah SMS</a>' in listing
    dashboard = viewer_client.get("/").content.decode()
    assert "Utah SMS" in dashboard
    # Private: another person does not see it.
    assert "Utah SMS" not in operator_client.get("/numbers/").content.decode()


def test_only_administrators_save_and_delete_shared_views(
    operator_client, administrator_client, viewer_client
):
    assert (
        operator_client.post(
            "/customers/views/save/", {"name": "All Texas", "query": "state=TX", "shared": "on"}
        ).status_code
        == 302
    )
    assert not SavedView.objects.exists()

    administrator_client.post(
        "/customers/views/save/", {"name": "All Texas", "query": "state=TX", "shared": "on"}
    )
    shared = SavedView.objects.get(shared=True)
    assert "All Texas" in viewer_client.get("/numbers/").content.decode()
    assert "All Texas" in operator_client.get("/").content.decode()

    operator_client.post(f"/customers/views/{shared.pk}/delete/")
    assert SavedView.objects.filter(pk=shared.pk).exists()
    administrator_client.post(f"/customers/views/{shared.pk}/delete/")
    assert not SavedView.objects.filter(pk=shared.pk).exists()


def test_a_person_deletes_their_own_private_view_but_not_anothers(viewer_client, operator_client):
    viewer_client.post("/customers/views/save/", {"name": "Mine", "query": "state=NY"})
    view = SavedView.objects.get()
    operator_client.post(f"/customers/views/{view.pk}/delete/")
    assert SavedView.objects.filter(pk=view.pk).exists()
    viewer_client.post(f"/customers/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["", "   ", "a\x00b", "x" * 81, "tab\there"],
)
def test_bad_names_are_refused_plainly(viewer_client, name):
    response = viewer_client.post(
        "/customers/views/save/", {"name": name, "query": "state=UT"}, follow=True
    )
    assert response.status_code in (200, 400)  # a NUL anywhere is refused before the view (400)
    assert not SavedView.objects.exists()


def test_html_in_a_name_is_shown_as_text(viewer_client):
    viewer_client.post(
        "/customers/views/save/", {"name": "<script>alert(1)</script>", "query": "q=<b>"}
    )
    page = viewer_client.get("/numbers/").content.decode()
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page
    )


def test_a_huge_query_is_refused_and_a_get_is_not_a_save(viewer_client):
    viewer_client.post("/customers/views/save/", {"name": "Huge", "query": "q=" + "1" * 5000})
    assert not SavedView.objects.exists()
    assert viewer_client.get("/customers/views/save/").status_code in (302, 405)
    assert not SavedView.objects.exists()
