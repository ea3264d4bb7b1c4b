"""The ProviderCall log in the admin: visible to staff, never editable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import ProviderCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_provider_calls_are_listed_and_read_only(superuser_client):
    row = ProviderCall.objects.create(
        operation="assignDID", outcome="refused", response_code=902, error=""
    )

    listing = superuser_client.get(reverse("admin:portal_providercall_changelist"))
    detail = superuser_client.get(reverse("admin:portal_providercall_change", args=[row.pk]))
    edit = superuser_client.post(
        reverse("admin:portal_providercall_change", args=[row.pk]), {"operation": "x"}
    )
    delete = superuser_client.post(
        reverse("admin:portal_providercall_delete", args=[row.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200 and b"assignDID" in listing.content
    assert detail.status_code == 200
    assert b'name="operation"' not in detail.content  # shown, not an input
    assert edit.status_code == 403
    assert delete.status_code == 403
    row.refresh_from_db()
    assert row.operation == "assignDID"
    assert superuser_client.get(reverse("admin:portal_providercall_add")).status_code == 403
