"""Porting over JSON: portability checks as jobs (the check page's background job) and the
ports the account has in flight (read only: ports are opened at VI)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from portal.api.base import ApiView, not_found, validated
from portal.api.errors import Problem
from portal.api.fields import E164Field, to_e164
from portal.api.routing import api_path
from portal.models import Source
from porting import selectors, services
from porting.models import Port, PortabilityJob

CHECK_PORTABILITY = "portal.check_portability"


class PortabilityRequest(serializers.Serializer):
    numbers = serializers.ListField(
        child=E164Field(), min_length=1, max_length=services.MAX_NUMBERS_PER_CHECK
    )


class PortabilityRowSerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    verdict = serializers.CharField(help_text="pending, portable, not portable…")
    code = serializers.CharField(help_text="VI's code.")
    message = serializers.CharField()

    def get_number(self, row) -> str | None:
        return to_e164(row.tn)


class PortabilityJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.ChoiceField(choices=PortabilityJob.Status.values)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    error = serializers.CharField()
    results = serializers.SerializerMethodField()

    @extend_schema_field(PortabilityRowSerializer(many=True))
    def get_results(self, job: PortabilityJob) -> list[dict[str, Any]]:
        rows = PortabilityRowSerializer(job.rows.order_by("position"), many=True)
        # many=True makes a ListSerializer, whose data is a list; the stubs see the child class.
        return cast(list[dict[str, Any]], rows.data)


class PortabilityChecks(ApiView):
    write_permission = CHECK_PORTABILITY

    @extend_schema(
        request=PortabilityRequest,
        responses={202: PortabilityJobSerializer},
        summary="Check portability of up to 1,000 numbers, as a job",
        operation_id="portability_create",
    )
    def post(self, request):
        tns = validated(PortabilityRequest, request.data)["numbers"]
        try:
            job = services.portability_job_create(
                text="\n".join(tns), actor=request.user, source=Source.STAFF
            )
        except (services.NothingToCheck, services.TooManyNumbers) as refusal:
            raise Problem(
                status_code=400,
                kind="invalid-request",
                title="Invalid request",
                detail=str(refusal),
            ) from None
        response = Response(PortabilityJobSerializer(job).data, status=202)
        response["Location"] = f"/api/v1/portability-checks/{job.pk}/"
        return response


class PortabilityCheckDetail(ApiView):
    @extend_schema(
        responses=PortabilityJobSerializer,
        summary="A portability check and its answer per number",
        operation_id="portability_get",
    )
    def get(self, request, pk: int):
        job = selectors.portability_job_get(pk=pk)
        if job is None or not (
            job.created_by_id == request.user.pk or request.user.has_perm("portal.manage_users")
        ):
            raise not_found("portability check")
        return Response(PortabilityJobSerializer(job).data)


class PortSerializer(serializers.ModelSerializer):
    numbers = serializers.SerializerMethodField()

    class Meta:
        model = Port
        fields = [
            "vi_id",
            "status",
            "end_user",
            "porting_from",
            "submitted_at",
            "foc_at",
            "requested_foc_at",
            "numbers",
        ]

    def get_numbers(self, port) -> list[str]:
        return [
            (to_e164(number.tn) or number.tn) if len(number.tn) == 10 else number.tn
            for number in selectors.port_numbers(port=port)
        ]


class Ports(ApiView):
    @extend_schema(
        responses=PortSerializer(many=True), summary="Ports in flight", operation_id="ports_list"
    )
    def get(self, request):
        ports = selectors.port_list(
            filters=selectors.PortFilters(), user=request.user, baseline=None
        )
        return Response(PortSerializer(ports, many=True).data)


class PortDetail(ApiView):
    @extend_schema(responses=PortSerializer, summary="One port", operation_id="ports_get")
    def get(self, request, vi_id: int):
        port = selectors.port_get(vi_id=vi_id) if vi_id < 2**31 else None
        if port is None:
            raise not_found("port")
        return Response(PortSerializer(port).data)


urlpatterns = [
    api_path("portability-checks/", PortabilityChecks, "portability-checks"),
    api_path("portability-checks/<int:pk>/", PortabilityCheckDetail, "portability-check"),
    api_path("ports/", Ports, "ports"),
    api_path("ports/<int:vi_id>/", PortDetail, "port"),
]
