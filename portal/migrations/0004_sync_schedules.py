"""The sync schedules, as django-celery-beat rows administrators can edit in the admin.

Created only where missing (by name), so an edited interval survives a re-run, and
removed on reverse only while they still have the interval this migration gave them.
"""

import json

from django.db import migrations

TASK = "portal.tasks.run_sync"

# kind -> minutes between runs
SCHEDULES = {"dids": 15, "e911": 30, "messaging": 30, "porting": 10}


def name_of(kind: str) -> str:
    return f"Sync {kind} from VI"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for kind, minutes in SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name_of(kind)).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.create(
            name=name_of(kind),
            task=TASK,
            interval=interval,
            kwargs=json.dumps({"kind": kind, "trigger": "schedule"}),
            description=f"Reconcile the {kind} mirror with VI's audit every {minutes} minutes.",
            # A sync that could not start within one interval is superseded by the next.
            expire_seconds=minutes * 60,
        )
    # Beat re-reads its schedule when this marker changes (PeriodicTask.save() does it,
    # but historical models have no such save()).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for kind, minutes in SCHEDULES.items():
        PeriodicTask.objects.filter(
            name=name_of(kind), task=TASK, interval__every=minutes, interval__period="minutes"
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
