from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import (
            celery,  # noqa: F401  (registers the app for @shared_task)
            sessions,  # noqa: F401  (marks a session's refresh at sign-in)
        )
