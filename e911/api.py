"""911 over JSON for one number: its location, validate (first), provision, remove, and the
alert addresses. The same forms check input as the number page's 911 panel, and the same
e911 services call VI and record history."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from e911 import selectors, services
from e911.addresses import TidyAddress
from e911.forms import AddressForm, AlertForm
from portal.api.base import ApiView, form_or_400, number_from_path, validated
from portal.api.errors import Problem
from portal.api.fields import E164_PATTERN
from portal.api.routing import api_path
from portal.models import Source

OPERATE_E911 = "portal.operate_e911"

TN_PARAMETER = OpenApiParameter(
    "tn",
    str,
    OpenApiParameter.PATH,
    description="The number, E.164 (+14352154006).",
    pattern=E164_PATTERN,
)


class AddressSerializer(serializers.Serializer):
    address1 = serializers.CharField(max_length=200)
    address2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=30)
    zip_code = serializers.CharField(max_length=10)
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class CheckedAddressSerializer(serializers.Serializer):
    address1 = serializers.CharField()
    address2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    zip_code = serializers.CharField()
    plus_four = serializers.CharField()
    caller_name = serializers.CharField()


class VerdictSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="VI's 911 provider can place this address.")
    address = CheckedAddressSerializer()
    suggestion = CheckedAddressSerializer(
        allow_null=True, help_text="The USPS form of the address, when it differs."
    )
    suggestion_valid = serializers.BooleanField(allow_null=True)


class LocationSerializer(serializers.Serializer):
    location_id = serializers.CharField()
    caller_name = serializers.CharField()
    address1 = serializers.CharField()
    address2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    zip_code = serializers.CharField()
    plus_four = serializers.CharField()
    status_code = serializers.CharField(help_text="VI's 911 status code.")
    status_description = serializers.CharField()
    activated_at = serializers.DateTimeField(allow_null=True)


class NumberLocation(serializers.Serializer):
    location = LocationSerializer(allow_null=True, help_text="null: no 911 location.")


def _tn(tn_text: str, *, for_write: bool = False) -> str:
    return number_from_path(tn_text, for_write=for_write).tn


def _location_body(tn: str) -> dict:
    location = selectors.location_for_tn(tn=tn)
    if location is not None and location.gone_at is not None:
        location = None
    return {"location": LocationSerializer(location).data if location else None}


def _checked_address(data: dict[str, Any]) -> TidyAddress:
    """The address through the page's form (its errors a 400), in its checked form."""
    form = AddressForm(data={key: value for key, value in data.items()})
    form_or_400(form)
    assert form.tidy is not None  # a valid form holds the checked address
    return form.tidy


class Location911(ApiView):
    write_permission = OPERATE_E911

    @extend_schema(
        parameters=[TN_PARAMETER],
        responses=NumberLocation,
        summary="The number's 911 location",
        operation_id="e911_get",
    )
    def get(self, request, tn: str):
        return Response(_location_body(_tn(tn)))

    @extend_schema(
        parameters=[TN_PARAMETER], request=AddressSerializer, responses=NumberLocation, operation_id="e911_provision",
        summary="Provision (or replace) the 911 address; VI validates it first and an invalid one is never sent",
    )  # fmt: skip
    def put(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        tidy = _checked_address(validated(AddressSerializer, request.data))
        try:
            services.location_provision(
                tn=tn, address=tidy.address, actor=request.user, source=Source.STAFF
            )
        except services.AddressInvalid as invalid:
            raise Problem(
                status_code=422,
                kind="address-invalid",
                title="Address cannot be placed",
                detail=invalid.message,
            ) from None
        return Response(_location_body(tn))

    @extend_schema(
        parameters=[TN_PARAMETER],
        responses=NumberLocation,
        summary="Remove the 911 location",
        operation_id="e911_remove",
    )
    def delete(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        services.location_remove(tn=tn, actor=request.user, source=Source.STAFF)
        return Response(_location_body(tn))


class Validate911(ApiView):
    write_permission = OPERATE_E911  # as on the page: validate911 is the first step of a change

    @extend_schema(
        parameters=[TN_PARAMETER], request=AddressSerializer, responses=VerdictSerializer, operation_id="e911_validate",
        summary="Ask VI whether an address can be placed (nothing is provisioned)",
    )  # fmt: skip
    def post(self, request, tn: str):
        _tn(tn, for_write=True)
        tidy = _checked_address(validated(AddressSerializer, request.data))
        verdict = services.address_check(tidy=tidy, actor=request.user, source=Source.STAFF)
        return Response(VerdictSerializer(verdict).data)


class AlertRequest(serializers.Serializer):
    email = serializers.CharField(max_length=150)


AlertList = inline_serializer(
    "AlertList", {"emails": serializers.ListField(child=serializers.CharField())}
)


def _alerts_body(tn: str) -> dict:
    return {"emails": [recipient.email for recipient in selectors.alert_recipients(tn=tn)]}


class Alerts911(ApiView):
    write_permission = OPERATE_E911

    @extend_schema(
        parameters=[TN_PARAMETER],
        responses=AlertList,
        summary="Who is e-mailed when 911 is dialled",
        operation_id="e911_alerts_list",
    )
    def get(self, request, tn: str):
        return Response(_alerts_body(_tn(tn)))

    @extend_schema(
        parameters=[TN_PARAMETER],
        request=AlertRequest,
        responses=AlertList,
        summary="Add an alert address",
        operation_id="e911_alerts_add",
    )
    def post(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        form = form_or_400(
            AlertForm(data={"email": validated(AlertRequest, request.data)["email"]})
        )
        services.alert_add(
            tn=tn, email=form.cleaned_data["address"], actor=request.user, source=Source.STAFF
        )
        return Response(_alerts_body(tn))

    @extend_schema(
        parameters=[TN_PARAMETER, OpenApiParameter("email", str, OpenApiParameter.QUERY, required=True)],
        responses=AlertList, summary="Remove an alert address", operation_id="e911_alerts_remove",
    )  # fmt: skip
    def delete(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        email = validated(AlertRequest, request.query_params)["email"]
        services.alert_remove(tn=tn, email=email, actor=request.user, source=Source.STAFF)
        return Response(_alerts_body(tn))


urlpatterns = [
    api_path("numbers/<str:tn>/911/", Location911, "e911"),
    api_path("numbers/<str:tn>/911/validate/", Validate911, "e911-validate"),
    api_path("numbers/<str:tn>/911/alerts/", Alerts911, "e911-alerts"),
]
