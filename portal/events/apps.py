from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "portal.events"
    label = "events"
    verbose_name = "Events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.events import panels  # noqa: F401  (registers the dashboard panel)
