from django.apps import AppConfig


class SyncTestAppConfig(AppConfig):
    name = "tests.portal.sync_testapp"
    label = "sync_testapp"
    default_auto_field = "django.db.models.BigAutoField"
