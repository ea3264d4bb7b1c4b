"""Administrators may send a 10DLC registration despite the pre-submission check; and the
daily compliance snapshot and the 911 re-validation run on a schedule (django-celery-beat
rows, editable in the admin like the sync schedules; created only where missing)."""

import json

from django.db import migrations

SNAPSHOT_TASK = "compliance.tasks.take_daily_snapshot"
REVALIDATE_TASK = "compliance.tasks.revalidate_911_addresses"
# name -> (task, crontab hour, minute, description)
SCHEDULES = {
    "Compliance: daily snapshot": (SNAPSHOT_TASK, "23", "50", "The readiness score of the day, for the trend."),
    "Compliance: re-validate 911 addresses": (
        REVALIDATE_TASK, "2", "30", "validate911 on the provisioned addresses checked longest ago (a batch a night)."),
}


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.utils import timezone

    config = apps.get_app_config("compliance")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="compliance", codename="override_10dlc_lint")
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(permission)

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, (task, hour, minute, description) in SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, kwargs=json.dumps({}), description=description)
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("portal", "0003_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
