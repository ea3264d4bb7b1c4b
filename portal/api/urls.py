"""/api/: the schema, the docs page, the token pages and version 1 of the API."""

from django.urls import include, path

from dids import api as dids_api
from e911 import api as e911_api
from messaging import api as messaging_api
from portal.api import schema, token_views
from portal.api import sync as sync_api
from portal.events import api as events_api
from porting import api as porting_api

v1 = [
    *dids_api.urlpatterns,
    *e911_api.urlpatterns,
    *events_api.urlpatterns,
    *messaging_api.urlpatterns,
    *porting_api.urlpatterns,
    *sync_api.urlpatterns,
]

urlpatterns = [
    path("schema/", schema.schema_view, name="api-schema"),
    path("docs/", schema.docs_view, name="api-docs"),
    path("tokens/", token_views.token_list, name="api-tokens"),
    path("tokens/new/", token_views.token_create, name="api-token-create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
    path("v1/", include((v1, "api"), namespace="api")),
]
