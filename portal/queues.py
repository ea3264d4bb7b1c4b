"""Which queue each kind of background work goes to, so a person never waits behind a bulk job.

Three queues, each served by its own worker (README, "Scaling out"):

- interactive: work someone is watching and that is short — a portability check of a few
  numbers; any task not named below.
- bulk: long jobs — 911 bulk check and apply (in chunks: each chunk queues the next, so two
  bulk jobs interleave and none holds a worker for minutes), larger portability checks, API
  jobs that buy, release or configure numbers in batches, the 911 re-validation.
- events: the events outbox's dispatches, many during a bulk job (served by the interactive
  worker too, by default: see TASK_QUEUES). Webhook deliveries go to bulk.
- sync: the VI syncs (scheduled or "Sync now"); a sync of 100,000 numbers takes minutes, so it
  must neither wait behind a bulk job nor make a small check wait behind it.

`settings.CELERY_TASK_ROUTES` names this router; `TASK_QUEUES` is the table it reads.
"""

from __future__ import annotations

INTERACTIVE = "interactive"
BULK = "bulk"
SYNC = "sync"
EVENTS = "events"
ALL = (INTERACTIVE, BULK, SYNC, EVENTS)

# A portability check of at most this many numbers is "a person waits for it".
SMALL_PORTABILITY_CHECK = 25

TASK_QUEUES = {
    "portal.tasks.run_sync": SYNC,
    "e911.tasks.check_bulk_job": BULK,
    "e911.tasks.apply_bulk_job": BULK,
    "porting.tasks.check_portability": BULK,  # unless small: see route_task
    "portal.api.tasks.run_api_job": BULK,  # buys, releases, configures numbers in batches
    "compliance.tasks.revalidate_911_addresses": BULK,  # a paced batch of validate911 calls
    "compliance.tasks.take_daily_snapshot": SYNC,  # scheduled, reads the mirror: beside the syncs
    "customers.tasks.apply_reference_job": BULK,  # a file of customer references, in chunks
    # Dispatches come with every burst of events (a bulk job makes many): on a queue of their
    # own, which the interactive worker also serves — a worker takes turns between its queues,
    # so a small check waits for at most one short dispatch, not for all of them.
    "portal.events.tasks.dispatch_events": EVENTS,
    # A POST to someone else's server may hang until its timeout: never in front of a person's
    # check; bulk jobs take turns in chunks, so deliveries interleave with them.
    "portal.events.tasks.deliver_webhook": BULK,
}

# Plain words for "what is this queued item waiting for", per queue.
WAITS_FOR = {
    INTERACTIVE: "a free worker for short jobs",
    BULK: "the bulk worker",
    SYNC: "the sync worker",
    EVENTS: "the worker for short jobs",
}


def route_task(name, args, kwargs, options, task=None, **_extra):
    """Celery router: every task the portal sends gets its queue here (unknown ones: interactive)."""
    if name == "porting.tasks.check_portability" and _is_small((kwargs or {}).get("size")):
        return {"queue": INTERACTIVE}
    return {"queue": TASK_QUEUES.get(name, INTERACTIVE)}


def _is_small(size) -> bool:
    """A count of numbers at most SMALL_PORTABILITY_CHECK; anything else (absent, not a
    whole number) is treated as large: the bulk queue is the safe side."""
    return type(size) is int and 0 <= size <= SMALL_PORTABILITY_CHECK


def waiting_for(task_name: str, **kwargs) -> str:
    """What a queued item of this task waits for, in plain words (for its page)."""
    queue = route_task(task_name, (), kwargs, {})["queue"]
    return f"Queued: waiting for {WAITS_FOR.get(queue, 'a worker')} to pick it up."
