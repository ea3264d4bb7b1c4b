"""Every numbers page renders for a Viewer once the mirror holds the sandbox's numbers."""

import pytest
from django.urls import reverse

from dids import selectors

pytestmark = pytest.mark.django_db


def test_pages_render_for_a_viewer(synced, viewer_client):
    did = selectors.did_list(filters=selectors.DIDFilters()).rows[0]
    group = selectors.endpoint_group_list()[0]
    for url in [
        reverse("dids:list"),
        reverse("dids:detail", args=[did.tn]),
        reverse("dids:panel", args=[did.tn, "program"]),
        reverse("dids:buy"),
        reverse("dids:inventory"),
        reverse("dids:endpoint_groups"),
        reverse("dids:endpoint_group", args=[group.vi_id]),
        reverse("dids:intl"),
        reverse("dids:account"),
        reverse("dashboard"),
    ]:
        response = viewer_client.get(url)
        assert response.status_code == 200, url
