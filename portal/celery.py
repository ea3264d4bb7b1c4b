"""The Celery app. Imported by PortalConfig.ready() so `portal/__init__.py` stays empty:
the sandbox lives in this package and must not drag Django or Celery in with it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
