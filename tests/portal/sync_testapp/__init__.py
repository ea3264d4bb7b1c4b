"""A tiny mirror model and sync kind that exist only under tests, to drive the engine.

Installed for the test session by `install()` (imported by the sync test modules at
collection time, before pytest-django creates the test database). It has its own
migration (an unmigrated app's table would be created before auth_user exists); outside
tests the app is not installed, so `makemigrations` never sees it.
"""

APP = "tests.portal.sync_testapp"


def install() -> None:
    from django.apps import apps
    from django.conf import settings

    if APP in settings.INSTALLED_APPS:
        return
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, APP]
    # What override_settings(INSTALLED_APPS=...) does, kept for the whole session.
    apps.set_installed_apps(settings.INSTALLED_APPS)
