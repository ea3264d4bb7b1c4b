from django.apps import AppConfig


class PortingConfig(AppConfig):
    name = "porting"
    verbose_name = "Porting"

    def ready(self) -> None:
        # Registers the dashboard panel.
        from . import panels  # noqa: F401
