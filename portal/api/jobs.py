"""Asynchronous API writes (orders, releases) and the Idempotency-Key that makes a retried POST
find the first attempt instead of buying twice. Only this module writes ApiJob rows; the work
itself is done by the dids services, as the buy and release pages do it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Source
from portal.voipinnovations.errors import ProviderError

from .models import ApiJob

IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)
IDEMPOTENCY_KEY_MAX = 255


class IdempotencyKeyReused(Exception):
    """The same key came back with a different request: refused, nothing is done."""

    def __init__(self, job: ApiJob):
        super().__init__("This Idempotency-Key was used for a different request.")
        self.job = job


def _digest(request: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def job_submit(
    *, kind: str, request: dict[str, Any], user, idempotency_key: str = ""
) -> tuple[ApiJob, bool]:
    """Store and queue a job; returns (job, created). With a key seen in the last 24 hours for
    the same request, the first job comes back and nothing new is queued."""
    digest = _digest(request)
    if idempotency_key:
        earlier = _earlier(kind=kind, user=user, key=idempotency_key, digest=digest)
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            job = ApiJob.objects.create(
                kind=kind,
                created_by=user,
                request=request,
                request_digest=digest,
                idempotency_key=idempotency_key,
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:
        # The same key arrived twice at once: the other request's job is the one.
        earlier = _earlier(kind=kind, user=user, key=idempotency_key, digest=digest)
        if earlier is None:
            raise
        return earlier, False
    return job, True


def _earlier(*, kind: str, user, key: str, digest: str) -> ApiJob | None:
    job = ApiJob.objects.filter(created_by=user, kind=kind, idempotency_key=key).first()
    if job is None:
        return None
    if job.created_at < timezone.now() - IDEMPOTENCY_WINDOW:
        # Forgotten after 24 hours: the key may name a new request now.
        ApiJob.objects.filter(pk=job.pk).update(idempotency_key="")
        return None
    if job.request_digest != digest:
        raise IdempotencyKeyReused(job)
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_api_job  # tasks import this module, not the other way round

    run_api_job.delay(job_id=job_id)


def job_run(*, job_id: int) -> ApiJob:
    """Do a queued job once. A redelivered message finds it claimed and does nothing: these
    jobs buy and release numbers, so they are never run twice, even half."""
    claimed = ApiJob.objects.filter(pk=job_id, status=ApiJob.Status.QUEUED).update(
        status=ApiJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ApiJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    results: list[dict[str, Any]] = []
    status, error = ApiJob.Status.FINISHED, ""
    try:
        RUNNERS[job.kind](job.request, actor=job.created_by, results=results)
    except (ProviderError, Exception) as exc:  # noqa: BLE001 - the job must end, whatever happened
        status = ApiJob.Status.FAILED
        error = (
            getattr(exc, "message", "")
            or "The job stopped on an unexpected error; nothing more was done."
        )
        if isinstance(exc, ProviderError):
            code = getattr(exc, "code", "")
            error = f"{error} (VI code {code})" if code else error
        else:
            import logging

            logging.getLogger(__name__).exception("API job %s failed", job_id)
    ApiJob.objects.filter(pk=job_id).update(
        status=status, results=results, error=error[:2000], finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _outcome_row(outcome, *, step: str) -> dict[str, Any]:
    return {
        "tn": outcome.tn, "ok": bool(outcome.ok), "step": step, "code": str(outcome.code or ""),
        "message": outcome.message, "already_owned": bool(getattr(outcome, "already_owned", False)),
    }  # fmt: skip


def _run_order(request: dict[str, Any], *, actor, results: list) -> None:
    """Reserve, then assign what was reserved: the buy page's two clicks, as one job."""
    from dids import services

    reserved = services.dids_reserve(tns=request["tns"], actor=actor, source=Source.STAFF)
    held = [outcome.tn for outcome in reserved if outcome.ok]
    results.extend(_outcome_row(outcome, step="reserve") for outcome in reserved if not outcome.ok)
    if not held:
        return
    bought = services.dids_assign(
        tns=held, endpoint_id=request["endpoint_id"], cnam=request.get("cnam"), ref_id=request.get("ref_id") or None,
        actor=actor, source=Source.STAFF,
    )  # fmt: skip
    results.extend(_outcome_row(outcome, step="assign") for outcome in bought)


def _run_release(request: dict[str, Any], *, actor, results: list) -> None:
    from dids import services

    results.extend(
        _outcome_row(outcome, step="release")
        for outcome in services.dids_release(tns=request["tns"], actor=actor, source=Source.STAFF)
    )


RUNNERS: dict[str, Callable[..., None]] = {
    ApiJob.Kind.ORDER: _run_order,
    ApiJob.Kind.RELEASE: _run_release,
}


def job_get(*, pk: int, kind: str, user, see_all: bool) -> ApiJob | None:
    jobs = ApiJob.objects.filter(pk=pk, kind=kind)
    if not see_all:
        jobs = jobs.filter(created_by=user)
    return jobs.first()
