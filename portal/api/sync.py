"""Sync runs over JSON: the latest runs, one run, and "Sync now" (the Sync page's button)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from portal.models import SyncRun
from portal.sync import SYNC_KINDS, SyncKindUnavailable
from portal.sync.services import sync_request

from .base import ApiView, not_found, validated
from .errors import Problem
from .routing import api_path

RUN_SYNC = "portal.run_sync"
LIST_LIMIT = 50


class SyncRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncRun
        fields = [
            "id",
            "kind",
            "trigger",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "counts",
            "progress_done",
            "progress_total",
            "error",
        ]


class SyncRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(SYNC_KINDS))


class SyncQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(SYNC_KINDS), required=False)


class SyncRuns(ApiView):
    write_permission = RUN_SYNC

    @extend_schema(
        parameters=[SyncQuery],
        responses=SyncRunSerializer(many=True),
        summary="The latest sync runs",
        operation_id="sync_runs_list",
    )
    def get(self, request):
        kind = validated(SyncQuery, request.query_params).get("kind")
        runs = SyncRun.objects.order_by("-created_at", "-id")
        if kind:
            runs = runs.filter(kind=kind)
        return Response(SyncRunSerializer(runs[:LIST_LIMIT], many=True).data)

    @extend_schema(
        request=SyncRequest,
        responses={202: SyncRunSerializer},
        summary="Sync now",
        operation_id="sync_runs_create",
    )
    def post(self, request):
        kind = validated(SyncRequest, request.data)["kind"]
        try:
            run = sync_request(kind=kind, actor=request.user)
        except SyncKindUnavailable:
            raise Problem(
                status_code=409,
                kind="sync-unavailable",
                title="Sync unavailable",
                detail="That sync is not available.",
            ) from None
        response = Response(SyncRunSerializer(run).data, status=202)
        response["Location"] = f"/api/v1/sync-runs/{run.pk}/"
        return response


class SyncRunDetail(ApiView):
    @extend_schema(
        responses=SyncRunSerializer, summary="One sync run", operation_id="sync_runs_get"
    )
    def get(self, request, pk: int):
        run = SyncRun.objects.filter(pk=pk).first()
        if run is None:
            raise not_found("sync run")
        return Response(SyncRunSerializer(run).data)


urlpatterns = [
    api_path("sync-runs/", SyncRuns, "sync-runs"),
    api_path("sync-runs/<int:pk>/", SyncRunDetail, "sync-run"),
]
