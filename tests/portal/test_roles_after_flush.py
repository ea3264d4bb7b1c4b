"""The role fixtures survive a database flush (what `transaction=True` tests leave)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_roles_fixture_recreates_groups_after_a_flush(request):
    call_command("flush", interactive=False, verbosity=0)
    assert not Group.objects.exists()
    viewer = request.getfixturevalue("viewer")
    assert viewer.has_perm("portal.view_portal")
    administrator = request.getfixturevalue("administrator")
    assert administrator.has_perm("django_celery_beat.change_periodictask")
    assert Permission.objects.filter(codename="manage_users").count() == 1
