"""How each app's api.py declares its routes: `api_path("numbers/<tn>/", NumberDetail)`.

API views authenticate with a token, not the session, so the portal's login middleware must
let them through to DRF (which answers 401/403 as problem+json, never a login redirect).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


def api_path(route: str, view_class, name: str):
    return path(route, login_not_required(view_class.as_view()), name=name)
