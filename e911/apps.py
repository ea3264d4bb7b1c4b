from django.apps import AppConfig


class E911Config(AppConfig):
    name = "e911"
    verbose_name = "911"

    def ready(self) -> None:
        # Registers the dashboard panel.
        from . import panels  # noqa: F401
