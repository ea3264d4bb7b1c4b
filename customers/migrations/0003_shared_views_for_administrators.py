"""Administrators manage shared saved views (the other roles save private ones)."""

from django.db import migrations

PERMISSION = "manage_shared_views"


def grant(apps, schema_editor):
    from importlib import import_module

    import_module("portal.migrations.0003_roles").create_app_permissions(apps, ["customers"])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="customers", codename=PERMISSION)
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="customers", codename=PERMISSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_saved_views"),
        ("portal", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
