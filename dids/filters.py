"""The filters of the owned-number list: what a person can narrow the list by.

A plain form reads the query string (so every filtered view is a URL someone can share)
and turns it into the selector's `DIDFilters`; the selector does the querying.
"""

from django import forms

from dids import selectors
from dids.numbers import normalize_tns
from e911 import selectors as e911_selectors
from messaging import selectors as messaging_selectors

FEATURE_CHOICES = [
    ("forward", "Forward"),
    ("failover", "Failover"),
    ("cnam", "Caller-ID name"),
    ("cnam_dip", "CNAM dip"),
    ("fax", "Fax to email"),
    ("conference", "Conference line"),
    ("sms", "SMS"),
    ("script", "Programmable telco"),
    ("t38", "T.38"),
]

# Column -> the selector's sort key, in the order the table shows them.
SORTABLE_COLUMNS = {
    "tn": "Number",
    "state": "State",
    "rate_center": "Rate center",
    "endpoint": "Endpoint group",
    "did_group": "DID group",
    "tier": "Tier",
    "first_seen": "First seen",
    "changed": "Changed here",
}

SHOW_CHOICES = [("active", "On the account"), ("gone", "Gone (released)"), ("all", "All")]
# "yes"/"no" are VI's has911 on the numbers mirror (a provisioned 911 location; kept fresh by
# the e911 services after every portal 911 change). "unprovisioned" asks the e911 mirror for
# the few numbers with a parked or invalid location. "No location at all" is not offered: the
# list selector takes other apps' numbers as a Python list, too big for that set at 100,000.
E911_CHOICES = [
    ("", "Any"),
    ("yes", "911 provisioned"),
    ("no", "No provisioned 911"),
    ("unprovisioned", "911 location parked or invalid"),
]


def _unprovisioned_911_tns() -> frozenset[str]:
    return frozenset(e911_selectors.unprovisioned_location_tns())


class DIDFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)
    state = forms.CharField(label="State", required=False, max_length=8)
    rate_center = forms.CharField(label="Rate center", required=False, max_length=64)
    endpoint_id = forms.IntegerField(label="Endpoint group", required=False, min_value=0)
    client = forms.CharField(label="Client", required=False, max_length=64)
    reference = forms.CharField(label="Reference", required=False, max_length=100)
    did_group_id = forms.IntegerField(label="DID group", required=False, min_value=0)
    tier = forms.CharField(label="Tier", required=False, max_length=16)
    e911 = forms.ChoiceField(label="911", choices=E911_CHOICES, required=False)
    features = forms.MultipleChoiceField(label="Features", choices=FEATURE_CHOICES, required=False)
    # Numbers picked elsewhere ("release these") restrict the list to exactly them.
    tns = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTABLE_COLUMNS]
        + [(f"-{key}", key) for key in SORTABLE_COLUMNS],
        required=False,
    )
    cursor = forms.CharField(required=False, max_length=500)

    def filters(self) -> selectors.DIDFilters:
        """The selector's filters; an invalid field is ignored rather than failing the page."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {name: value for name, value in getattr(self, "cleaned_data", {}).items()}
        )
        features = set(data.get("features") or ())
        tns: frozenset[str] | None = None
        if data.get("tns"):
            try:
                tns = frozenset(normalize_tns(data["tns"]))
            except forms.ValidationError:
                tns = frozenset()
        tn_querysets = []
        if "sms" in features:
            features.discard("sms")
            tn_querysets.append(messaging_selectors.sms_enabled_tns())
        if data.get("e911") == "yes":
            features.add("has911")
        elif data.get("e911") == "no":
            features.add("no911")
        elif data.get("e911") == "unprovisioned":
            unprovisioned = _unprovisioned_911_tns()
            tns = unprovisioned if tns is None else tns & unprovisioned
        show = data.get("show") or "active"
        client_id = (data.get("client") or "").strip()
        return selectors.DIDFilters(
            endpoint_ids=selectors.client_endpoint_ids(vi_id=client_id) if client_id else None,
            ref_id=(data.get("reference") or "").strip(),
            q=(data.get("q") or "").strip(),
            state=(data.get("state") or "").strip().upper(),
            rate_center=(data.get("rate_center") or "").strip(),
            endpoint_id=data.get("endpoint_id"),
            did_group_id=data.get("did_group_id"),
            tier=(data.get("tier") or "").strip(),
            features=frozenset(features & set(selectors.FEATURES)),
            tns=tns,
            tn_querysets=tuple(tn_querysets),
            include_gone=show in {"all", "gone"},
            only_gone=show == "gone",
        )

    def chosen_sort(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or "tn"

    def chosen_cursor(self) -> str:
        return (self.cleaned_data.get("cursor") if self.is_valid() else "") or ""
