"""The three roles as groups, holding the permissions in docs/contracts.md.

Permissions are normally created after `migrate` finishes (post_migrate), which is too late
for a data migration on a fresh database; so they are created here first, for every app
whose permissions a role holds.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWER = ["view_portal"]
OPERATOR = VIEWER + [
    "operate_numbers",
    "operate_e911",
    "operate_messaging",
    "check_portability",
    "run_sync",
]
ADMINISTRATOR = OPERATOR + [
    "release_numbers",
    "manage_endpoint_groups",
    "delete_messaging",
    "confirm_sync",
    "edit_sync_schedules",
    "manage_users",
]

# Django's own permissions the Administrator uses in the admin site: editing the beat
# schedules behind "edit sync schedules", and users and groups behind "manage users".
SCHEDULE_MODELS = ["periodictask", "crontabschedule", "intervalschedule", "solarschedule", "clockedschedule"]
ADMINISTRATOR_ADMIN_PERMISSIONS = [
    ("django_celery_beat", f"{action}_{model}")
    for model in SCHEDULE_MODELS
    for action in ("view", "add", "change", "delete")
] + [("auth", f"{action}_{model}") for model in ("user", "group") for action in ("view", "add", "change", "delete")]

ROLES = {"Viewer": VIEWER, "Operator": OPERATOR, "Administrator": ADMINISTRATOR}


def create_app_permissions(apps, labels):
    for label in labels:
        app_config = apps.get_app_config(label)
        # Historical app configs have no models module, which create_permissions reads
        # as "nothing to do"; any true value lets it run against the historical models.
        # (Restored after: tests re-run this with the real app registry.)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def create_roles(apps, schema_editor):
    create_app_permissions(apps, ["portal", "auth", "django_celery_beat"])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    portal_permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(content_type__app_label="portal")
    }
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(portal_permissions[codename] for codename in codenames))

    administrator = Group.objects.get(name="Administrator")
    for app_label, codename in ADMINISTRATOR_ADMIN_PERMISSIONS:
        administrator.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_access_policy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The last migration that adds a schedule model; later ones only alter fields.
        ("django_celery_beat", "0011_auto_20190508_0153"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
