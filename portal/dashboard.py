"""The dashboard's panels: a small registry domain apps add to.

An app registers a panel in its `AppConfig.ready()` (import its module that does this):

    from portal import dashboard

    @dashboard.panel(title="Numbers", order=20)
    def numbers_panel(request):
        return "dids/panels/summary.html", {"counts": selectors.did_counts()}

The callable returns (template name, context); the dashboard renders each panel the user
may see, in `order`, inside a card titled `title` — in a padded card body, unless the
panel registers `padded=False` to lay out the card itself (an edge-to-edge table, a footer). A failing panel is logged and shown as
unavailable instead of taking the whole dashboard down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from portal.permissions import VIEW_PORTAL

logger = logging.getLogger(__name__)

PanelCallable = Callable[[HttpRequest], tuple[str, dict]]


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    order: int
    permission: str
    render: PanelCallable
    # Bootstrap column width out of 12 on wide screens.
    width: int = 4
    padded: bool = True


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    title: str
    width: int
    padded: bool
    html: SafeString | None  # None: the panel failed


_panels: dict[str, Panel] = {}


def panel(
    *,
    title: str,
    order: int = 100,
    permission: str = VIEW_PORTAL,
    width: int = 4,
    padded: bool = True,
    name: str | None = None,
) -> Callable[[PanelCallable], PanelCallable]:
    """Register a dashboard panel. Registering the same name again replaces it."""

    def decorator(render: PanelCallable) -> PanelCallable:
        key = name or f"{render.__module__}.{render.__qualname__}"
        _panels[key] = Panel(
            name=key,
            title=title,
            order=order,
            permission=permission,
            render=render,
            width=width,
            padded=padded,
        )
        return render

    return decorator


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.title))


def render_panels(*, request: HttpRequest) -> list[RenderedPanel]:
    rendered = []
    for item in registered_panels():
        if not request.user.has_perm(item.permission):
            continue
        try:
            template_name, context = item.render(request)
            html = render_to_string(template_name, context, request=request)
        except Exception:
            logger.exception("Dashboard panel %s failed", item.name)
            html = None
        rendered.append(
            RenderedPanel(
                name=item.name, title=item.title, width=item.width, padded=item.padded, html=html
            )
        )
    return rendered
