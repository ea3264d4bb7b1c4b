"""SMS over JSON: a number's SMS destination and campaign, and the 10DLC brands and campaigns
(read; create with the same field checks and pre-submission lint as the pages — each TCR
submission is charged, so nothing the page would refuse reaches VI)."""

from __future__ import annotations

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from messaging import selectors, services
from messaging.forms import BrandForm, CampaignForm, DestinationForm, NumberCampaignForm
from messaging.models import Brand, Campaign, DestinationType, SMSNumber
from messaging.records import Choice
from portal.api.base import ApiView, form_or_400, not_found, number_from_path, validated
from portal.api.fields import E164_PATTERN, to_e164
from portal.api.routing import api_path
from portal.models import Source
from portal.voipinnovations.errors import ProviderRejected

OPERATE_MESSAGING = "portal.operate_messaging"

TN_PARAMETER = OpenApiParameter(
    "tn",
    str,
    OpenApiParameter.PATH,
    description="The number, E.164 (+14352154006).",
    pattern=E164_PATTERN,
)


def _query_dict(values: dict) -> QueryDict:
    """JSON -> what the page's form reads (lists for multiple choices, "on" for booleans)."""
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            for item in value:
                query.appendlist(key, str(item))
        elif isinstance(value, bool):
            if value:
                query[key] = "on"
        elif value is not None:
            query[key] = str(value)
    return query


def _tn(tn_text: str, *, for_write: bool = False) -> str:
    return number_from_path(tn_text, for_write=for_write).tn


def _refused(outcomes) -> None:
    """A per-number refusal inside VI's answer is VI refusing this request."""
    refused = next((outcome for outcome in outcomes if not outcome.ok), None)
    if refused is not None:
        raise ProviderRejected(refused.code or "", refused.message)


class SMSSerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    enabled = serializers.BooleanField()
    destination_type = serializers.CharField()
    destination = serializers.CharField()
    campaign = serializers.CharField(source="campaign_id", help_text="Blank: on no campaign.")

    def get_number(self, sms: SMSNumber) -> str:
        return to_e164(sms.tn) or ""  # a mirrored number always has its TN


def _sms_body(tn: str) -> dict:
    sms = selectors.sms_number_get(tn=tn)
    if sms is None:
        return {
            "number": to_e164(tn),
            "enabled": False,
            "destination_type": DestinationType.NONE,
            "destination": "",
            "campaign": "",
        }
    return SMSSerializer(sms).data


class DestinationRequest(serializers.Serializer):
    destination_type = serializers.ChoiceField(choices=DestinationType.values)
    destination = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    auth_token = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", write_only=True
    )


class SMSSettings(ApiView):
    write_permission = OPERATE_MESSAGING

    @extend_schema(
        parameters=[TN_PARAMETER],
        responses=SMSSerializer,
        summary="A number's SMS settings",
        operation_id="sms_get",
    )
    def get(self, request, tn: str):
        return Response(_sms_body(_tn(tn)))

    @extend_schema(
        parameters=[TN_PARAMETER], request=DestinationRequest, responses=SMSSerializer, operation_id="sms_set",
        summary="Where the number's messages go (NONE turns SMS off)",
    )  # fmt: skip
    def put(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        form = form_or_400(
            DestinationForm(data=_query_dict(validated(DestinationRequest, request.data)))
        )
        data = form.cleaned_data
        _refused(services.destinations_configure(
            tns=[tn], destination_type=data["destination_type"], destination=data["destination"],
            auth_token=data["auth_token"], actor=request.user, source=Source.STAFF,
        ))  # fmt: skip
        return Response(_sms_body(tn))


class CampaignAssignment(serializers.Serializer):
    campaign = serializers.CharField(
        allow_null=True,
        max_length=32,
        help_text="An approved campaign's id; null takes the number off its campaign.",
    )


class SMSCampaign(ApiView):
    write_permission = OPERATE_MESSAGING

    @extend_schema(
        parameters=[TN_PARAMETER], request=CampaignAssignment, responses=SMSSerializer, operation_id="sms_campaign_set",
        summary="Put the number on an approved campaign, or take it off",
    )  # fmt: skip
    def put(self, request, tn: str):
        tn = _tn(tn, for_write=True)
        campaign = validated(CampaignAssignment, request.data)["campaign"]
        if campaign is None:
            _refused(
                services.campaign_numbers_remove(tns=[tn], actor=request.user, source=Source.STAFF)
            )
        else:
            form = form_or_400(
                NumberCampaignForm(
                    data={"campaign": campaign}, campaigns=selectors.campaigns_assignable()
                )
            )
            _refused(
                services.campaign_numbers_assign(
                    tns=[tn],
                    campaign_id=form.cleaned_data["campaign"],
                    actor=request.user,
                    source=Source.STAFF,
                )
            )
        return Response(_sms_body(tn))


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = [
            "customer_id", "tag", "display_name", "company_name", "entity_type", "vertical", "ein_country", "website",
            "email", "phone", "street", "city", "state", "postal_code", "country", "stock_symbol", "stock_exchange",
            "first_name", "last_name", "status", "verification_status", "created_date",
        ]  # fmt: skip


class CampaignSerializer(serializers.ModelSerializer):
    numbers = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "campaign_id", "customer_id", "display_name", "description", "usecase_id", "sub_usecase_ids", "vertical",
            "message_flow", "help_message", "opt_out_message", "sample_msg1", "sample_msg2", "sub_opt_in", "sub_opt_out",
            "status", "numbers",
        ]  # fmt: skip

    def get_numbers(self, campaign: Campaign) -> list[str]:
        return [to_e164(tn) or "" for tn in campaign.tns or []]


class BrandRequest(serializers.Serializer):
    """The brand page's fields; the page's form checks them as TCR would."""

    display_name = serializers.CharField(max_length=200)
    entity_type = serializers.CharField(max_length=32)
    company_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ein = serializers.CharField(required=False, allow_blank=True, max_length=21)
    ein_country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    vertical = serializers.CharField(required=False, allow_blank=True, max_length=32)
    stock_symbol = serializers.CharField(required=False, allow_blank=True, max_length=10)
    stock_exchange = serializers.CharField(required=False, allow_blank=True, max_length=16)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    email = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=20)
    website = serializers.CharField(required=False, allow_blank=True, max_length=100)
    street = serializers.CharField(required=False, allow_blank=True, max_length=100)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    state = serializers.CharField(required=False, allow_blank=True, max_length=20)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=10)
    country = serializers.CharField(max_length=2)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=100)


class Brands(ApiView):
    write_permission = OPERATE_MESSAGING

    @extend_schema(
        responses=BrandSerializer(many=True), summary="10DLC brands", operation_id="brands_list"
    )
    def get(self, request):
        return Response(BrandSerializer(selectors.brand_list(), many=True).data)

    @extend_schema(
        request=BrandRequest,
        responses={201: BrandSerializer},
        summary="Register a brand (checked as TCR would first)",
        operation_id="brands_create",
    )
    def post(self, request):
        data = validated(BrandRequest, request.data)

        def choices(kind: str) -> list[Choice]:
            return services.enumeration_choices(kind=kind, actor=request.user, source=Source.STAFF)

        form = form_or_400(BrandForm(
            data=_query_dict(data),
            entity_types=choices("ENTITY_TYPE"),
            verticals=choices("VERTICAL"),
            stock_exchanges=choices("STOCK_EXCHANGE"),
        ))  # fmt: skip
        brand = services.brand_create(
            values=form.cleaned_data, actor=request.user, source=Source.STAFF
        )
        return Response(BrandSerializer(brand).data, status=201)


class BrandDetail(ApiView):
    @extend_schema(responses=BrandSerializer, summary="One brand", operation_id="brands_get")
    def get(self, request, customer_id: str):
        brand = selectors.brand_get(customer_id=customer_id[:32])
        if brand is None:
            raise not_found("brand")
        return Response(BrandSerializer(brand).data)


class CampaignRequest(serializers.Serializer):
    """The campaign page's fields; the page's form checks lengths and runs the 10DLC lint."""

    customer_id = serializers.CharField(max_length=32, help_text="A verified brand.")
    display_name = serializers.CharField(max_length=200)
    usecase_id = serializers.CharField(max_length=64)
    sub_usecase_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=20, default=list
    )
    description = serializers.CharField(max_length=4096)
    message_flow = serializers.CharField(max_length=2048)
    sample_msg1 = serializers.CharField(max_length=1024)
    sample_msg2 = serializers.CharField(
        max_length=1024, required=False, allow_blank=True, default=""
    )
    sub_opt_in = serializers.BooleanField(default=True)
    sub_opt_out = serializers.BooleanField(default=True)
    sub_help = serializers.BooleanField(default=True)
    num_pooling = serializers.BooleanField(default=False)
    direct_lending = serializers.BooleanField(default=False)
    embedded_link = serializers.BooleanField(default=False)
    embedded_phone = serializers.BooleanField(default=False)
    aff_marketing = serializers.BooleanField(default=False)
    age_gated = serializers.BooleanField(default=False)


class Campaigns(ApiView):
    write_permission = OPERATE_MESSAGING

    @extend_schema(
        responses=CampaignSerializer(many=True),
        summary="10DLC campaigns",
        operation_id="campaigns_list",
    )
    def get(self, request):
        return Response(CampaignSerializer(selectors.campaign_list(), many=True).data)

    @extend_schema(
        request=CampaignRequest,
        responses={201: CampaignSerializer},
        summary="Submit a campaign (checked and linted first)",
        operation_id="campaigns_create",
    )
    def post(self, request):
        data = validated(CampaignRequest, request.data)
        brands = selectors.brands_verified()
        if data["customer_id"] not in {brand.customer_id for brand in brands}:
            raise serializers.ValidationError(
                {"customer_id": ["Not one of the account's verified brands."]}
            )
        options = services.usecase_options(
            customer_id=data["customer_id"], actor=request.user, source=Source.STAFF
        )
        # No "send anyway" through the API: the lint's refusal stands (user=None hides it).
        form = CampaignForm(data=_query_dict(data), brands=brands, options=options, user=None)
        form_or_400(form)
        clean = form.cleaned_data
        campaign = services.campaign_create(
            customer_id=clean["customer_id"], display_name=clean["display_name"], description=clean["description"],
            usecase_id=clean["usecase_id"], sub_usecase_ids=clean["sub_usecase_ids"], sample_msg1=clean["sample_msg1"],
            sample_msg2=clean["sample_msg2"], message_flow=clean["message_flow"], flags=form.flags(), actor=request.user,
            source=Source.STAFF,
        )  # fmt: skip
        return Response(CampaignSerializer(campaign).data, status=201)


class CampaignDetail(ApiView):
    @extend_schema(
        responses=CampaignSerializer, summary="One campaign", operation_id="campaigns_get"
    )
    def get(self, request, campaign_id: str):
        campaign = selectors.campaign_get(campaign_id=campaign_id[:32])
        if campaign is None:
            raise not_found("campaign")
        return Response(CampaignSerializer(campaign).data)


urlpatterns = [
    api_path("numbers/<str:tn>/sms/", SMSSettings, "sms"),
    api_path("numbers/<str:tn>/sms/campaign/", SMSCampaign, "sms-campaign"),
    api_path("brands/", Brands, "brands"),
    api_path("brands/<str:customer_id>/", BrandDetail, "brand"),
    api_path("campaigns/", Campaigns, "campaigns"),
    api_path("campaigns/<str:campaign_id>/", CampaignDetail, "campaign"),
]

__all__ = ["urlpatterns", "inline_serializer"]
