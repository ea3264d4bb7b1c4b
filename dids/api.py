"""Numbers over JSON: the list (same filters as the list page), one number, its settings, and
VI's inventory. Every write calls the same dids services as the number page's panels, so
it leaves the same history and provider-log rows; numbers are E.164 at this edge only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from dids import forms as did_forms
from dids import selectors, services
from dids.filters import FEATURE_CHOICES, SHOW_CHOICES, SORTABLE_COLUMNS, DIDFilterForm
from portal.actor import Actor
from portal.api import jobs
from portal.api.base import (
    ApiView,
    form_or_400,
    gone_number,
    not_found,
    number_from_path,
    validated,
)
from portal.api.errors import Problem
from portal.api.fields import E164_PATTERN, E164Field, to_e164
from portal.api.models import ApiJob
from portal.api.routing import api_path
from portal.models import Source
from portal.voipinnovations.errors import ProviderRejected

OPERATE_NUMBERS = "portal.operate_numbers"
RELEASE_NUMBERS = "portal.release_numbers"
MANAGE_USERS = "portal.manage_users"

TN_PARAMETER = OpenApiParameter(
    "tn",
    str,
    OpenApiParameter.PATH,
    description="The number, E.164 (+14352154006).",
    pattern=E164_PATTERN,
)


def _number(tn: str) -> str:
    """A row's own number in E.164 (never blank, unlike an optional forward or failover)."""
    number = to_e164(tn)
    assert number is not None
    return number


class NumberSerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    state = serializers.CharField()
    rate_center = serializers.CharField()
    tier = serializers.CharField()
    network = serializers.CharField()
    availability = serializers.CharField()
    endpoint_group = serializers.IntegerField(source="endpoint_id", allow_null=True)
    did_group = serializers.IntegerField(source="did_group_id", allow_null=True)
    reference = serializers.CharField(source="ref_id")
    cnam_dip = serializers.BooleanField(source="cnam")
    caller_id_name = serializers.CharField(source="cnam_name")
    forward = serializers.SerializerMethodField()
    failover = serializers.SerializerMethodField()
    has_911 = serializers.BooleanField(source="has911")
    conference_line = serializers.BooleanField()
    fax_to_email = serializers.CharField()
    script_id = serializers.CharField()
    on_account = serializers.SerializerMethodField()

    def get_number(self, did) -> str:
        return _number(did.tn)

    def get_forward(self, did) -> str | None:
        return to_e164(did.forward)

    def get_failover(self, did) -> str | None:
        return to_e164(did.failover)

    def get_on_account(self, did) -> bool:
        return not did.is_gone


class NumberPageSerializer(serializers.Serializer):
    results = NumberSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class NumberListQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Digits anywhere in the number, or text in the reference / caller-ID name.",
    )
    show = serializers.ChoiceField(choices=[key for key, _ in SHOW_CHOICES], required=False)
    state = serializers.CharField(required=False, max_length=8)
    rate_center = serializers.CharField(required=False, max_length=64)
    endpoint_group = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    did_group = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    tier = serializers.CharField(required=False, max_length=16)
    e911 = serializers.ChoiceField(choices=["yes", "no", "unprovisioned"], required=False)
    features = serializers.MultipleChoiceField(
        choices=[key for key, _ in FEATURE_CHOICES], required=False
    )
    sort = serializers.ChoiceField(
        choices=[*SORTABLE_COLUMNS, *(f"-{key}" for key in SORTABLE_COLUMNS)], required=False
    )
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.MAX_PAGE_SIZE
    )


class NumberList(ApiView):
    @extend_schema(
        parameters=[NumberListQuery],
        responses=NumberPageSerializer,
        summary="Owned numbers, filtered, cursor-paged",
        operation_id="numbers_list",
    )
    def get(self, request):
        query = validated(NumberListQuery, request.query_params)
        # The list page's own filter form turns the query into the selector's filters.
        form_data = {
            "q": query.get("q", ""), "show": query.get("show", ""), "state": query.get("state", ""),
            "rate_center": query.get("rate_center", ""), "endpoint_id": query.get("endpoint_group", ""),
            "did_group_id": query.get("did_group", ""), "tier": query.get("tier", ""),
            "e911": query.get("e911", ""), "sort": query.get("sort", ""), "cursor": query.get("cursor", ""),
        }  # fmt: skip
        form = DIDFilterForm(data=_query_dict(form_data, features=query.get("features")))
        form_or_400(form)
        page = selectors.did_list(
            filters=form.filters(), sort=form.chosen_sort(), cursor=form.chosen_cursor(),
            page_size=query.get("page_size", selectors.DEFAULT_PAGE_SIZE),
        )  # fmt: skip
        return Response(
            {
                "results": NumberSerializer(page.rows, many=True).data,
                "next_cursor": page.next_cursor,
            }
        )


def _query_dict(values: dict, *, features) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if value not in ("", None):
            query[key] = str(value)
    for feature in sorted(features or ()):
        query.appendlist("features", feature)
    return query


class NumberSettings(serializers.Serializer):
    """What PATCH may change; each field present is one service call, in this order."""

    endpoint_group = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    cnam_dip = serializers.BooleanField(required=False)
    caller_id_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Blank removes it."
    )
    forward = E164Field(
        required=False,
        allow_null=True,
        help_text="null stops forwarding (calls go back to the endpoint group).",
    )
    failover = E164Field(required=False, allow_null=True, help_text="null removes it.")
    did_group = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="null removes the number from its DID group.",
    )
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.REFERENCE_MAX_LENGTH,
        help_text="Your own order or contract id (VI's refId); blank clears it.",
    )

    def validate_reference(self, value: str) -> str:
        try:
            return services.reference_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_endpoint_group(self, value: int) -> int:
        if value not in selectors.endpoint_group_names():
            raise serializers.ValidationError("No such endpoint group on the account.")
        return value

    def validate_caller_id_name(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return did_forms.clean_cnam_name(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, data):
        if not data:
            raise serializers.ValidationError("Send at least one setting to change.")
        return data


class NumberDetail(ApiView):
    write_permission = OPERATE_NUMBERS

    @extend_schema(
        parameters=[TN_PARAMETER],
        responses=NumberSerializer,
        summary="One owned number",
        operation_id="numbers_get",
    )
    def get(self, request, tn: str):
        return Response(NumberSerializer(number_from_path(tn)).data)

    @extend_schema(
        parameters=[TN_PARAMETER],
        request=NumberSettings,
        responses=NumberSerializer,
        summary="Change a number's settings at VI",
        operation_id="numbers_update",
    )
    def patch(self, request, tn: str):
        did = number_from_path(tn)
        if did.is_gone:
            raise gone_number()
        changes = validated(NumberSettings, request.data)
        for step in _settings_steps(did, changes, actor=request.user):
            outcome = step()
            outcomes = outcome if isinstance(outcome, list) else [outcome]
            refused = next((item for item in outcomes if hasattr(item, "ok") and not item.ok), None)
            if refused is not None:
                raise ProviderRejected(refused.code, refused.message)
        return Response(NumberSerializer(selectors.did_get(tn=did.tn)).data)


def _settings_steps(did, changes: dict, *, actor: Actor) -> list[Callable[[], Any]]:
    """The service calls the number page's panels make for these changes, in panel order."""
    tn = did.tn
    steps: list[Callable[[], Any]] = []
    if "endpoint_group" in changes or "cnam_dip" in changes:
        endpoint_id = changes.get("endpoint_group", did.endpoint_id)
        if endpoint_id is None:
            raise DjangoValidationError(
                {"endpoint_group": ["Give an endpoint group with the CNAM dip."]}
            )
        steps.append(lambda: services.dids_configure(
            tns=[tn], endpoint_id=endpoint_id, cnam=changes.get("cnam_dip", did.cnam),
            actor=actor, source=Source.STAFF,
        ))  # fmt: skip
    if "caller_id_name" in changes:
        name = changes["caller_id_name"]
        steps.append(
            (lambda: services.cnam_name_update(tn=tn, name=name, actor=actor, source=Source.STAFF))
            if name
            else (lambda: services.cnam_name_remove(tn=tn, actor=actor, source=Source.STAFF))
        )
    if "forward" in changes:
        forward = changes["forward"]
        if forward:
            steps.append(
                lambda: services.forward_set(
                    tn=tn, forward=forward, actor=actor, source=Source.STAFF
                )
            )
        else:
            back_to = changes.get("endpoint_group", did.endpoint_id)
            if back_to is None:
                raise DjangoValidationError(
                    {"forward": ["Give the endpoint group calls go back to."]}
                )
            steps.append(
                lambda: services.forward_remove(
                    tn=tn, endpoint_id=back_to, actor=actor, source=Source.STAFF
                )
            )
    if "failover" in changes:
        failover = changes["failover"] or ""
        steps.append(
            lambda: services.failover_update(
                tn=tn, failover=failover, actor=actor, source=Source.STAFF
            )
        )
    if "did_group" in changes:
        group = changes["did_group"]
        steps.append(
            (
                lambda: services.did_group_set(
                    tn=tn, group_id=group, actor=actor, source=Source.STAFF
                )
            )
            if group
            else (lambda: services.did_group_remove(tn=tn, actor=actor, source=Source.STAFF))
        )
    if "reference" in changes:
        # After any endpoint group change above: VI sets a reference together with the group.
        reference = changes["reference"]
        steps.append(
            lambda: services.references_set(
                references={tn: reference}, actor=actor, source=Source.STAFF
            )
        )
    return steps


class InventoryQuery(serializers.Serializer):
    state = serializers.CharField(required=False, max_length=2)
    rate_center = serializers.CharField(required=False, max_length=64)
    npa = serializers.RegexField(r"^[2-9]\d{2}$", required=False)
    nxx = serializers.RegexField(r"^[2-9]\d{2}$", required=False)
    lata = serializers.RegexField(r"^\d{1,5}$", required=False)
    tier = serializers.RegexField(r"^\d{1,3}$", required=False)
    t38 = serializers.BooleanField(required=False, allow_null=True, default=None)
    cnam = serializers.BooleanField(required=False, allow_null=True, default=None)
    sms = serializers.BooleanField(required=False, allow_null=True, default=None)
    network = serializers.CharField(required=False, max_length=64)
    toll_free = serializers.BooleanField(required=False, default=False)
    extended = serializers.BooleanField(required=False, default=False)


def _inventory_search_form(query: dict) -> did_forms.InventorySearchForm:
    """The buy page's search form, so the API refuses exactly what the page refuses."""
    flags = {None: "", True: "1", False: "0"}
    data = {name: value for name, value in query.items() if isinstance(value, str) and value}
    for flag in ("t38", "cnam", "sms"):
        data[flag] = flags[query.get(flag)]
    for box in ("toll_free", "extended"):
        if query.get(box):
            data[box] = "on"
    form = did_forms.InventorySearchForm(data=data)
    form_or_400(form)
    return form


class AvailableNumberSerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    state = serializers.CharField()
    rate_center = serializers.CharField()
    tier = serializers.CharField()
    lata = serializers.IntegerField(allow_null=True)
    outbound_cnam = serializers.BooleanField()
    t38 = serializers.BooleanField()
    sms = serializers.BooleanField()

    def get_number(self, locator) -> str:
        return _number(locator.tn)


class AvailableCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    state = serializers.CharField()
    rate_center = serializers.CharField()
    tier = serializers.CharField()
    lata = serializers.IntegerField(allow_null=True)


class InventorySearch(ApiView):
    @extend_schema(
        parameters=[InventoryQuery],
        responses=inline_serializer(
            "InventoryResults", {"results": AvailableNumberSerializer(many=True)}
        ),
        summary="Numbers VI has to buy (asks VI)",
        operation_id="inventory_search",
    )
    def get(self, request):
        form = _inventory_search_form(validated(InventoryQuery, request.query_params))
        locators = services.dids_search(
            criteria=services.SearchCriteria(**form.criteria()),
            extended=form.cleaned_data.get("extended", False),
            actor=request.user,
            source=Source.STAFF,
        )
        return Response({"results": AvailableNumberSerializer(locators, many=True).data})


class InventoryCounts(ApiView):
    @extend_schema(
        parameters=[InventoryQuery],
        responses=inline_serializer(
            "InventoryCountResults", {"results": AvailableCountSerializer(many=True)}
        ),
        summary="How many numbers VI has, per rate center and tier (asks VI)",
        operation_id="inventory_counts",
    )
    def get(self, request):
        form = _inventory_search_form(validated(InventoryQuery, request.query_params))
        counts = services.dids_count(
            criteria=services.SearchCriteria(**form.criteria()),
            order_by="rc",
            actor=request.user,
            source=Source.STAFF,
        )
        return Response({"results": AvailableCountSerializer(counts, many=True).data})


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique string (a UUID). The same key with the same body within 24 hours returns the "
    "first job instead of doing the work again; with a different body it is refused (422).",
)  # fmt: skip


class NumbersField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=E164Field(), min_length=1, max_length=MAX_NUMBERS_PER_JOB, **kwargs)

    def to_internal_value(self, data):
        tns = super().to_internal_value(data)
        return list(dict.fromkeys(tns))  # duplicates once, in order


MAX_NUMBERS_PER_JOB = 100


class OrderRequest(serializers.Serializer):
    numbers = NumbersField(help_text="Up to 100 numbers from the inventory search, E.164.")
    endpoint_group = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    cnam_dip = serializers.BooleanField(required=False, default=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")

    def validate_endpoint_group(self, value: int) -> int:
        if value not in selectors.endpoint_group_names():
            raise serializers.ValidationError("No such endpoint group on the account.")
        return value


class ReleaseRequest(serializers.Serializer):
    numbers = NumbersField(help_text="Up to 100 of the account's numbers, E.164.")


class JobResultSerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    ok = serializers.BooleanField()
    step = serializers.ChoiceField(choices=["reserve", "assign", "release"])
    code = serializers.CharField(help_text="VI's code for this number.")
    message = serializers.CharField()
    already_owned = serializers.BooleanField()

    def get_number(self, row) -> str:
        return _number(row["tn"])


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=ApiJob.Status.values)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    numbers = serializers.SerializerMethodField()
    results = JobResultSerializer(many=True)
    error = serializers.CharField()

    def get_numbers(self, job) -> list[str]:
        return [_number(tn) for tn in job.request.get("tns", [])]


def _submit(request, *, kind: str, payload: dict, url_name: str):
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > jobs.IDEMPOTENCY_KEY_MAX or "\x00" in key or not key.isprintable():
        raise DjangoValidationError(
            {"Idempotency-Key": [f"At most {jobs.IDEMPOTENCY_KEY_MAX} printable characters."]}
        )
    try:
        job, created = jobs.job_submit(
            kind=kind, request=payload, user=request.user, idempotency_key=key
        )
    except jobs.IdempotencyKeyReused:
        raise Problem(
            status_code=422, kind="idempotency-key-reused", title="Idempotency-Key reused",
            detail="This Idempotency-Key was already used, within 24 hours, for a different request. Nothing was done.",
        ) from None  # fmt: skip
    response = Response(JobSerializer(job).data, status=202 if created else 200)
    response["Location"] = reverse(url_name, kwargs={"pk": job.pk})
    if not created:
        response["Idempotent-Replayed"] = "true"
    return response


def _job_or_404(request, *, pk: int, kind: str):
    job = jobs.job_get(
        pk=pk, kind=kind, user=request.user, see_all=request.user.has_perm(MANAGE_USERS)
    )
    if job is None:
        raise not_found("job")
    return job


class Orders(ApiView):
    write_permission = OPERATE_NUMBERS

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], request=OrderRequest, responses={202: JobSerializer, 200: JobSerializer},
        summary="Buy numbers: reserve and assign, as a job", operation_id="orders_create",
    )  # fmt: skip
    def post(self, request):
        data = validated(OrderRequest, request.data)
        payload = {
            "tns": data["numbers"],
            "endpoint_id": data["endpoint_group"],
            "cnam": data["cnam_dip"],
            "ref_id": data["reference"],
        }
        return _submit(request, kind=ApiJob.Kind.ORDER, payload=payload, url_name="api:order")


class OrderDetail(ApiView):
    @extend_schema(
        responses=JobSerializer,
        summary="An order job and its result per number",
        operation_id="orders_get",
    )
    def get(self, request, pk: int):
        return Response(JobSerializer(_job_or_404(request, pk=pk, kind=ApiJob.Kind.ORDER)).data)


class Releases(ApiView):
    write_permission = RELEASE_NUMBERS

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], request=ReleaseRequest, responses={202: JobSerializer, 200: JobSerializer},
        summary="Give numbers back to VI, as a job (Administrators)", operation_id="releases_create",
    )  # fmt: skip
    def post(self, request):
        data = validated(ReleaseRequest, request.data)
        return _submit(
            request,
            kind=ApiJob.Kind.RELEASE,
            payload={"tns": data["numbers"]},
            url_name="api:release",
        )


class ReleaseDetail(ApiView):
    @extend_schema(
        responses=JobSerializer,
        summary="A release job and its result per number",
        operation_id="releases_get",
    )
    def get(self, request, pk: int):
        return Response(JobSerializer(_job_or_404(request, pk=pk, kind=ApiJob.Kind.RELEASE)).data)


class ClientSerializer(serializers.Serializer):
    id = serializers.CharField(source="vi_id", help_text="VI's client id.")
    name = serializers.CharField()
    usage_this_month = serializers.DecimalField(
        source="month_to_date_usage", max_digits=14, decimal_places=4, allow_null=True
    )
    endpoint_groups = serializers.ListField(
        source="endpoint_group_ids", child=serializers.IntegerField()
    )
    did_groups = serializers.ListField(source="did_group_ids", child=serializers.IntegerField())
    e911_groups = serializers.ListField(child=serializers.CharField())
    billing_customers = serializers.ListField(child=serializers.CharField())
    failover_count = serializers.IntegerField()
    forward_count = serializers.IntegerField()
    conference_line_count = serializers.IntegerField()
    fax_to_email_count = serializers.IntegerField()


class Clients(ApiView):
    @extend_schema(
        responses=ClientSerializer(many=True),
        summary="The account's clients (read only)",
        operation_id="clients_list",
    )
    def get(self, request):
        return Response(ClientSerializer(selectors.client_list(), many=True).data)


class ClientDetail(ApiView):
    @extend_schema(
        responses=ClientSerializer,
        summary="One client; its numbers: GET /numbers/?endpoint_group=…",
        operation_id="clients_get",
    )
    def get(self, request, vi_id: str):
        client = next((client for client in selectors.client_list() if client.vi_id == vi_id), None)
        if client is None:
            raise not_found("client")
        return Response(ClientSerializer(client).data)


urlpatterns = [
    api_path("numbers/", NumberList, "numbers"),
    api_path("numbers/<str:tn>/", NumberDetail, "number"),
    api_path("inventory/numbers/", InventorySearch, "inventory-numbers"),
    api_path("inventory/counts/", InventoryCounts, "inventory-counts"),
    api_path("orders/", Orders, "orders"),
    api_path("orders/<int:pk>/", OrderDetail, "order"),
    api_path("releases/", Releases, "releases"),
    api_path("releases/<int:pk>/", ReleaseDetail, "release"),
    api_path("clients/", Clients, "clients"),
    api_path("clients/<str:vi_id>/", ClientDetail, "client"),
]
