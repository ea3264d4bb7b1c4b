from django.urls import path, register_converter

# Registers the prepaid-balance dashboard panel. Imported here, not in AppConfig.ready():
# portal/urls.py imports the portal's own placeholder panels first, and ours must replace it.
from dids.views import (
    buy,
    detail,
    endpoint_groups,
    listing,
    panels,  # noqa: F401
    release,
)


class TenDigitConverter:
    """A number in a URL is VI's 10 digits; anything else is not a number page."""

    regex = r"[0-9]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(TenDigitConverter, "tn")

app_name = "dids"

urlpatterns = [
    path("", listing.did_list, name="list"),
    path("export.csv", listing.did_export, name="export"),
    path("bulk/configure/", listing.bulk_configure, name="bulk_configure"),
    path("bulk/did-group/", listing.bulk_did_group, name="bulk_did_group"),
    path("release/", release.release_confirm, name="release"),
    path("release/submit/", release.release_submit, name="release_submit"),
    path("buy/", buy.buy, name="buy"),
    path("buy/rate-centers/", buy.rate_centers, name="buy_rate_centers"),
    path("buy/npas/", buy.npas, name="buy_npas"),
    path("buy/reserve/", buy.reserve, name="reserve"),
    path("buy/assign/", buy.assign, name="assign"),
    path("inventory/", buy.inventory, name="inventory"),
    path("inventory/add/", buy.inventory_add, name="inventory_add"),
    path("endpoint-groups/", endpoint_groups.endpoint_group_list, name="endpoint_groups"),
    path(
        "endpoint-groups/<int:vi_id>/", endpoint_groups.endpoint_group_detail, name="endpoint_group"
    ),
    path(
        "endpoint-groups/<int:vi_id>/state/",
        endpoint_groups.endpoint_group_state,
        name="endpoint_group_state",
    ),
    path("international/", endpoint_groups.intl_list, name="intl"),
    path("international/release/", endpoint_groups.intl_release, name="intl_release"),
    path("account/", endpoint_groups.account, name="account"),
    path("<tn:tn>/", detail.did_detail, name="detail"),
    path("<tn:tn>/refresh/", detail.did_refresh, name="refresh"),
    path("<tn:tn>/buy-back/", detail.did_buy_back, name="buy_back"),
    path("<tn:tn>/buy-back/submit/", detail.did_buy_back_submit, name="buy_back_submit"),
    path("<tn:tn>/panels/<slug:panel>/", detail.did_panel, name="panel"),
    path("<tn:tn>/panels/<slug:panel>/submit/", detail.did_panel_submit, name="panel_submit"),
]
