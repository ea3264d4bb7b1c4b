"""The only code that speaks SOAP to VoIP Innovations.

    with provider_context(actor=request.user, source=Source.STAFF):
        result = call("assignDID", didParams={"DIDParam": [{"tn": "4352154006", "epg": 8674}]})
    for record in stream("auditDIDs", record_tag="DID"):
        ...

One zeep client per process, built lazily from `settings.VI_WSDL` (a URL or a file) and
cached on the settings that shape it; the service address always comes from
`settings.VI_API_URL`, never from the WSDL. `VI_LOGIN`/`VI_SECRET` go into every call.

zeep builds the envelope and reads the reply, but the HTTP post is ours: it carries the
connect/read timeouts and an overall deadline (deadline.py): an ordinary call's whole
answer within `VI_READ_TIMEOUT`, an audit's within `VI_AUDIT_DEADLINE` with
`VI_AUDIT_READ_TIMEOUT` as its idle timeout; and it is the only place the
envelope — secret included — exists, so nothing here can log it (zeep's own transport
logs whole envelopes at DEBUG; we never route a call through it).

`call` hands back the Result whatever its `responseCode`: refusals are for the gateways to
read with `codes`. What is not an answer from VI — network errors, timeouts, HTTP errors,
SOAP faults, unreadable bodies — raises ProviderUnavailable. Every call and every stream
writes one ProviderCall row (see calllog.py for where it goes and why).
"""

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NoReturn

import requests
import zeep
from django.conf import settings
from django.core.signals import request_finished, request_started
from lxml import etree
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError, XMLParseError, XMLSyntaxError
from zeep.wsdl.bindings.soap import Soap11Binding

from portal.models import ProviderCall, Source

from . import codes, strict_types  # noqa: F401 - a value that does not parse is said so (values.py)
from .calllog import write_provider_call
from .deadline import Deadline, DeadlineAdapter, sending
from .errors import ProviderRejected, ProviderUnavailable
from .redaction import redact_parameters, redact_text, scrub_secrets, sensitive_values
from .streaming import RecordStream, record_shape
from .transactions import refuse_inside_transaction
from .values import shown

logger = logging.getLogger(__name__)

SERVICE_BINDING = "APIServiceSoap"  # the SOAP 1.1 binding, as VI's clients use it
MAX_FAULT_BODY = 64 * 1024
# An ordinary answer is a few kilobytes; one past this is refused unread, so a never-ending
# body cannot fill the worker's memory before its deadline. An audit read whole through
# `call` (AuditDIDGroup of a big group: ~0.5 kB a number) gets more room.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
MAX_AUDIT_ANSWER_BYTES = 256 * 1024 * 1024


# --- who is calling --------------------------------------------------------------------


@dataclass(frozen=True)
class CallerContext:
    actor: Any = None
    source: str = Source.SYSTEM


# A frozen dataclass: the shared default is never mutated, only replaced with set().
_caller: ContextVar[CallerContext] = ContextVar("vi_provider_context", default=CallerContext())  # noqa: B039


@contextmanager
def provider_context(*, actor: Any = None, source: str = Source.SYSTEM) -> Iterator[CallerContext]:
    """Attribute the VI calls made inside the block to `actor` and `source` in ProviderCall."""
    context = CallerContext(actor=actor, source=source)
    token = _caller.set(context)
    try:
        yield context
    finally:
        _caller.reset(token)


def _actor_fields(context: CallerContext) -> dict[str, Any]:
    actor = context.actor
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", True) else None
    return {"actor_id": actor_id, "source": str(context.source)}


# --- the zeep client ---------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """The settings that shape a client, read afresh on every call (tests change them)."""

    wsdl: str
    url: str
    login: str
    secret: str
    connect_timeout: float
    read_timeout: float
    audit_read_timeout: float
    audit_deadline: float
    request_deadline: float

    @classmethod
    def from_settings(cls) -> "Endpoint":
        return cls(
            wsdl=str(settings.VI_WSDL),
            url=settings.VI_API_URL,
            login=settings.VI_LOGIN,
            secret=settings.VI_SECRET,
            connect_timeout=float(settings.VI_CONNECT_TIMEOUT),
            read_timeout=float(settings.VI_READ_TIMEOUT),
            audit_read_timeout=float(settings.VI_AUDIT_READ_TIMEOUT),
            audit_deadline=float(getattr(settings, "VI_AUDIT_DEADLINE", 3600.0)),
            request_deadline=float(getattr(settings, "VI_REQUEST_DEADLINE", 90.0)),
        )

    @staticmethod
    def is_audit(operation: str) -> bool:
        return operation.lower().startswith("audit")

    def timeouts(self, operation: str) -> tuple[float, float]:
        """(connect, each read): for an audit the read is an idle timeout."""
        if self.is_audit(operation):
            return self.connect_timeout, self.audit_read_timeout
        return self.connect_timeout, self.read_timeout

    def answer_deadline(self, operation: str) -> float:
        """How long the whole answer may take once connected (VI_READ_TIMEOUT, VI_AUDIT_DEADLINE)."""
        return self.audit_deadline if self.is_audit(operation) else self.read_timeout

    def deadline(self, operation: str) -> Deadline:
        """The call's overall limit, started now: connecting, then the whole answer — and,
        inside a web request, no later than the request's own time for VI runs out."""
        answer = self.answer_deadline(operation)
        seconds = self.connect_timeout + answer
        started = _web_request_started_at.get()
        if started is not None:
            left = self.request_deadline - (time.monotonic() - started)
            if left <= 0:
                raise ProviderUnavailable(
                    f"VI is answering too slowly: this page stopped asking after {self.request_deadline:g} s"
                )
            seconds, answer = min(seconds, left), min(answer, left)
        limit = Deadline(seconds)
        limit.answer_seconds = answer  # what the "too late" message names
        return limit.start()

    @staticmethod
    def late(limit: Deadline) -> ProviderUnavailable:
        return ProviderUnavailable(f"VI did not finish answering within {limit.answer_seconds:g} s")


# A web request may make several calls (Refresh from VI makes eight): together they get
# VI_REQUEST_DEADLINE, so gunicorn's timeout, set above it, never kills a worker mid-call.
# Celery tasks and commands send no request_started: their calls have only their own limits.
_web_request_started_at: ContextVar[float | None] = ContextVar(
    "vi_web_request_started_at", default=None
)


def _web_request_started(**kwargs: Any) -> None:
    _web_request_started_at.set(time.monotonic())


def _web_request_finished(**kwargs: Any) -> None:
    _web_request_started_at.set(None)


request_started.connect(_web_request_started, dispatch_uid="portal.voipinnovations.request_started")
request_finished.connect(
    _web_request_finished, dispatch_uid="portal.voipinnovations.request_finished"
)


_build_lock = threading.Lock()


def _keep_envelopes_out_of_logs() -> None:
    # zeep.transports prints whole envelopes at DEBUG. We never post through it, but a
    # WSDL load goes through it, and a DEBUG root logger must not open that door later.
    transport_logger = logging.getLogger("zeep.transports")
    if transport_logger.level < logging.INFO:
        transport_logger.setLevel(logging.INFO)


@lru_cache(maxsize=4)
def _zeep_client(
    process_id: int, wsdl: str, connect_timeout: float, read_timeout: float
) -> zeep.Client:
    # `process_id` in the key: a client (and its pooled sockets) built before a fork is
    # never reused by the child.
    _keep_envelopes_out_of_logs()
    session = requests.Session()
    # Every call's socket obeys its overall deadline (deadline.py), not only a per-read timeout.
    session.mount("http://", DeadlineAdapter())
    session.mount("https://", DeadlineAdapter())
    transport = zeep.Transport(
        session=session,
        timeout=(connect_timeout, read_timeout),
        operation_timeout=(connect_timeout, read_timeout),
    )
    return zeep.Client(
        wsdl, transport=transport, settings=zeep.Settings(strict=True, xml_huge_tree=True)
    )


@lru_cache(maxsize=16)
def _service(process_id: int, wsdl: str, connect_timeout: float, read_timeout: float, url: str):
    client = _zeep_client(process_id, wsdl, connect_timeout, read_timeout)
    binding_name = _soap11_binding_name(client)
    return client, client.create_service(binding_name, url)


def _soap11_binding_name(client: zeep.Client) -> str:
    candidates = [
        name for name, binding in client.wsdl.bindings.items() if isinstance(binding, Soap11Binding)
    ]
    named = [name for name in candidates if name.endswith("}" + SERVICE_BINDING)]
    if not (named or candidates):
        raise ValueError("The VI WSDL has no SOAP 1.1 binding")
    return (named or candidates)[0]


def get_service(endpoint: Endpoint | None = None):
    """(zeep client, service proxy) for the current settings, built once per process."""
    endpoint = endpoint or Endpoint.from_settings()
    with _build_lock:
        try:
            return _service(
                os.getpid(),
                endpoint.wsdl,
                endpoint.connect_timeout,
                endpoint.read_timeout,
                endpoint.url,
            )
        except (requests.RequestException, OSError, ZeepError, etree.XMLSyntaxError) as exc:
            failure = ProviderUnavailable(
                f"VI's service description could not be loaded ({type(exc).__name__})"
            )
    raise_clean(failure)


def reset_clients() -> None:
    """Forget built clients (tests that swap WSDLs)."""
    _service.cache_clear()
    _zeep_client.cache_clear()


def raise_clean(error: Exception) -> NoReturn:
    """Raise `error` with no cause or context attached.

    Call it after the `except` block, never inside: Python attaches the exception being
    handled as `__context__` at raise time, and that one (zeep's TransportError carries the
    whole body, a fault its detail) must not ride along into tracebacks, logs and error
    trackers.
    """
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = True
    raise error


# --- building and sending one request --------------------------------------------------


@dataclass
class _Request:
    operation: str
    body: bytes
    headers: dict[str, str]
    binding_operation: Any
    client: zeep.Client
    service: Any


def _build_request(endpoint: Endpoint, operation: str, params: Mapping[str, Any]) -> _Request:
    client, service = get_service(endpoint)
    failure = None
    try:
        binding_operation = service._binding.get(operation)
    except ValueError:
        failure = ValueError(f"VI has no operation {operation!r} in the WSDL in use")
    if failure:
        raise_clean(failure)
    try:
        envelope = client.create_message(
            service, operation, login=endpoint.login, secret=endpoint.secret, **params
        )
    except (TypeError, ZeepError) as exc:
        secrets = {endpoint.secret, *sensitive_values(params)}
        failure = ValueError(
            f"Invalid parameters for {operation}: {redact_text(str(exc), secrets=secrets)}"
        )
    if failure:
        raise_clean(failure)
    return _Request(
        operation=operation,
        body=etree.tostring(envelope, encoding="utf-8", xml_declaration=True),
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f'"{binding_operation.soapaction}"',
        },
        binding_operation=binding_operation,
        client=client,
        service=service,
    )


def _post(endpoint: Endpoint, request: _Request, limit: Deadline) -> requests.Response:
    """Send the request under `limit`; the body is left unread (each path reads it its way)."""
    connect_timeout, read_timeout = endpoint.timeouts(request.operation)
    try:
        with sending(limit):
            return request.client.transport.session.post(
                endpoint.url,
                data=request.body,
                headers=request.headers,
                timeout=(connect_timeout, read_timeout),
                stream=True,
            )
    except requests.RequestException as exc:
        failure = (
            endpoint.late(limit)
            if limit.expired
            else _unavailable_from_requests(exc, endpoint, request.operation)
        )
    raise_clean(failure)


def _read_body(
    endpoint: Endpoint, request: _Request, response: requests.Response, limit: Deadline
) -> bytes:
    """The whole body, at most MAX_ANSWER_BYTES, before the deadline (which cuts the socket)."""
    chunks, size = [], 0
    cap = MAX_AUDIT_ANSWER_BYTES if endpoint.is_audit(request.operation) else MAX_ANSWER_BYTES
    failure = None
    try:
        with closing(response):
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > cap:
                    failure = ProviderUnavailable(
                        f"VI's answer is larger than the {cap // (1024 * 1024)} MB the portal reads"
                    )
                    break
                chunks.append(chunk)
    except requests.RequestException as exc:
        failure = _unavailable_from_requests(exc, endpoint, request.operation)
    except Exception as exc:  # noqa: BLE001 - urllib3 errors on a socket cut by the deadline
        failure = ProviderUnavailable(
            f"VI's answer broke off before the end ({type(exc).__name__})"
        )
    if limit.expired:
        failure = endpoint.late(limit)
    if failure:
        raise_clean(failure)
    body = b"".join(chunks)
    response._content = body  # zeep reads `content`; the socket is done with
    return body


def _unavailable_from_requests(
    exc: Exception, endpoint: Endpoint, operation: str
) -> ProviderUnavailable:
    connect_timeout, read_timeout = endpoint.timeouts(operation)
    if isinstance(exc, requests.ConnectTimeout):
        return ProviderUnavailable(f"VI did not accept a connection within {connect_timeout:g} s")
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        return ProviderUnavailable(f"VI did not answer within {read_timeout:g} s")
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return ProviderUnavailable("VI's answer broke off before the end")
    if isinstance(exc, requests.ConnectionError):
        return ProviderUnavailable("VI could not be reached (connection failed)")
    return ProviderUnavailable(f"VI could not be reached ({type(exc).__name__})")


def _read_reply(
    endpoint: Endpoint, request: _Request, response: requests.Response, body: bytes
) -> Any:
    if response.status_code != 200:
        raise _unavailable_from_error_body(response.status_code, body[:MAX_FAULT_BODY], endpoint)
    secrets = {endpoint.secret}
    failure = None
    try:
        result = request.service._binding.process_reply(
            request.client, request.binding_operation, response
        )
    except Fault as fault:
        reason = redact_text(fault.message or "no reason given", secrets=secrets, limit=200)
        failure = ProviderUnavailable(f"VI answered with a SOAP fault: {reason}")
    except TransportError:
        failure = ProviderUnavailable("VI's answer is not valid XML")
    except (XMLSyntaxError, XMLParseError, etree.XMLSyntaxError):
        failure = ProviderUnavailable("VI's answer does not match its service description")
    except Exception as exc:  # noqa: BLE001 - zeep fails in many ways on odd bodies
        failure = ProviderUnavailable(f"VI's answer could not be read ({type(exc).__name__})")
    if failure:
        raise_clean(failure)
    if result is None or not hasattr(result, "responseCode"):
        raise ProviderUnavailable("VI's answer has no result")
    return result


def _unavailable_from_error_body(
    status: int, body: bytes, endpoint: Endpoint
) -> ProviderUnavailable:
    """A SOAP fault's reason if the error body holds one, else just the HTTP status."""
    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except (etree.XMLSyntaxError, ValueError):
        root = None
    fault = root.find(".//{*}Fault") if root is not None else None
    if fault is None:
        return ProviderUnavailable(f"VI answered HTTP {status}")
    reason = fault.findtext("faultstring") or fault.findtext(".//{*}Text") or "no reason given"
    return ProviderUnavailable(
        f"VI answered with a SOAP fault: {redact_text(reason, secrets={endpoint.secret}, limit=200)}"
    )


# --- the public calls ------------------------------------------------------------------


def call(operation: str, **params: Any) -> Any:
    """Call one VI operation; return its Result (zeep object, VI's field names)."""
    refuse_inside_transaction(operation)
    endpoint = Endpoint.from_settings()
    context = _caller.get()
    started = time.monotonic()
    log = _CallLog(operation=operation, params=params, endpoint=endpoint, context=context)
    try:
        limit = endpoint.deadline(operation)
    except ProviderUnavailable as exc:
        log.write(started, outcome=ProviderCall.Outcome.UNAVAILABLE, error=exc.message)
        raise
    try:
        request = _build_request(endpoint, operation, params)
        response = _post(endpoint, request, limit)
        body = _read_body(endpoint, request, response, limit)
        limit.cancel()
        result = _read_reply(endpoint, request, response, body)
    except ProviderUnavailable as exc:
        limit.cancel()
        log.write(started, outcome=ProviderCall.Outcome.UNAVAILABLE, error=exc.message)
        raise
    except ValueError as exc:  # the request was never sent: a caller's mistake
        limit.cancel()
        log.write(started, outcome=ProviderCall.Outcome.UNAVAILABLE, error=f"Not sent: {exc}")
        raise
    # VI's own words reach pages (a refusal's message): never with the secret or a PIN in them.
    result.responseMessage = scrub_secrets(
        result.responseMessage, {endpoint.secret, *sensitive_values(params)}
    )
    code = result.responseCode
    log.write(
        started,
        outcome=_outcome_of(operation, code),
        response_code=code,
        response_message=result.responseMessage or "",
        item_codes=count_item_codes(result),
    )
    return result


def stream(operation: str, *, record_tag: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Yield the `record_tag` records of a (big) answer as dicts, parsed as they arrive."""
    # Settings and caller are read now, not at the first next(): the generator may be
    # consumed after the caller's `provider_context` has closed.
    refuse_inside_transaction(operation)
    endpoint = Endpoint.from_settings()
    context = _caller.get()
    return _stream(endpoint, context, operation, record_tag, params)


def _stream(
    endpoint: Endpoint,
    context: CallerContext,
    operation: str,
    record_tag: str,
    params: Mapping[str, Any],
) -> Iterator[dict[str, Any]]:
    started = time.monotonic()
    log = _CallLog(operation=operation, params=params, endpoint=endpoint, context=context)
    reader: RecordStream | None = None
    outcome: str = ProviderCall.Outcome.UNAVAILABLE
    error = ""
    # Idle timeout per read (VI_AUDIT_READ_TIMEOUT) and a deadline for the whole answer
    # (VI_AUDIT_DEADLINE), reading included: a drip or a never-ending body ends there.
    limit: Deadline | None = None
    try:
        limit = endpoint.deadline(operation)
        request = _build_request(endpoint, operation, params)
        shape = _shape_for(request, record_tag)
        response = _post(endpoint, request, limit)
        with closing(response):
            if response.status_code != 200:
                body = response.raw.read(MAX_FAULT_BODY, decode_content=True) or b""
                raise _unavailable_from_error_body(response.status_code, body, endpoint)
            response.raw.decode_content = True
            namespace = request.binding_operation.output.body.qname.namespace
            reader = RecordStream(
                response.raw,
                operation=operation,
                record_tag=record_tag,
                shape=shape,
                namespace=namespace,
                secrets={endpoint.secret, *sensitive_values(params)},
            )
            failure = None
            try:
                yield from reader
            except requests.RequestException as exc:
                failure = _unavailable_from_requests(exc, endpoint, operation)
            except ProviderUnavailable as exc:
                failure = exc  # "broke off": say why when the deadline cut it
            except (ProviderRejected, GeneratorExit):
                raise
            except Exception as exc:  # noqa: BLE001 - urllib3 read errors surface here through lxml
                if "timed out" in str(exc).lower():
                    failure = ProviderUnavailable(
                        f"VI did not answer within {endpoint.timeouts(operation)[1]:g} s"
                    )
                else:
                    failure = ProviderUnavailable(
                        f"VI's answer broke off before the end ({type(exc).__name__})"
                    )
            if failure and limit.expired:
                failure = endpoint.late(limit)
            if failure:
                raise_clean(failure)
        outcome = _outcome_of(operation, reader.response_code)
    except ProviderRejected:
        outcome, error = ProviderCall.Outcome.REFUSED, ""
        raise
    except ProviderUnavailable as exc:
        error = exc.message
        raise
    except ValueError as exc:
        error = f"Not sent: {exc}"
        raise
    except GeneratorExit:
        # The consumer stopped early: VI answered, we just did not read it all.
        outcome = _outcome_of(operation, reader.response_code) if reader else outcome
        error = f"Stopped by the caller after {reader.records if reader else 0} records"
        raise
    finally:
        if limit is not None:
            limit.cancel()
        log.write(
            started,
            outcome=outcome,
            response_code=reader.response_code if reader else None,
            response_message=reader.response_message if reader else "",
            item_codes=reader.item_codes if reader else {},
            error=error,
        )


def _shape_for(request: _Request, record_tag: str):
    result_type = request.binding_operation.output.body.type
    try:
        return _cached_shape(id(request.client), request.operation, record_tag, result_type)
    except ValueError as exc:
        failure = ValueError(f"{request.operation}: {exc}")
    raise_clean(failure)


_shapes: dict[tuple[int, str, str], Any] = {}


def _cached_shape(client_id: int, operation: str, record_tag: str, result_type):
    key = (client_id, operation, record_tag)
    if key not in _shapes:
        _shapes[key] = record_shape(result_type, record_tag)
    return _shapes[key]


# --- the call log ------------------------------------------------------------------------


def _outcome_of(operation: str, code: int | str | None) -> str:
    if code is None:
        return ProviderCall.Outcome.UNAVAILABLE
    if codes.is_refusal(code, operation=operation):
        return ProviderCall.Outcome.REFUSED
    return ProviderCall.Outcome.OK


def count_item_codes(result: Any) -> dict[str, int]:
    """Per-item codes inside a Result: every `statusCode`, and `code` of list items."""
    counts: Counter[str] = Counter()

    def walk(value: Any, in_list: bool) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item, True)
            return
        values = getattr(value, "__values__", None)
        if values is None:
            return
        for name, item in values.items():
            if name == "statusCode" or (name == "code" and in_list):
                if isinstance(item, str | int) and not isinstance(item, bool):
                    key = shown(item, 40)
                    if key:
                        counts[key] += 1
            elif isinstance(item, list) or hasattr(item, "__values__"):
                walk(item, False)

    walk(result, False)
    return dict(counts)


@dataclass
class _CallLog:
    operation: str
    params: Mapping[str, Any]
    endpoint: Endpoint
    context: CallerContext

    def write(
        self,
        started: float,
        *,
        outcome: str,
        response_code: int | str | None = None,  # text: a code VI sent that is not a number
        response_message: str = "",
        item_codes: Mapping[str, int] | None = None,
        error: str = "",
    ) -> None:
        duration_ms = int((time.monotonic() - started) * 1000)
        secrets = {self.endpoint.secret, *sensitive_values(self.params)}
        code, odd_code = storable_code(response_code)
        if odd_code:
            # A code the column cannot hold (99999999999999999999, "abc") is kept as text.
            response_message = f"[VI's code: {odd_code}] {response_message or ''}"
        # Every call is in the provider log; the process log gets a line per failure only
        # (a sync makes dozens of calls: `make run` prints one line per sync instead).
        logger.log(
            logging.DEBUG if outcome == "ok" else logging.INFO,
            "VI %s: %s (code %s) in %d ms",
            self.operation,
            outcome,
            odd_code or code or "-",
            duration_ms,
        )
        write_provider_call(
            operation=self.operation,
            parameters=redact_parameters(self.params),
            outcome=outcome,
            response_code=code,
            response_message=_no_nul(
                redact_text(str(response_message or ""), secrets=secrets, limit=500)
            ),
            item_codes=storable_item_codes(item_codes or {}),
            duration_ms=min(duration_ms, 2**31 - 1),
            error=_no_nul(redact_text(error, secrets=secrets, limit=1000)),
            **_actor_fields(self.context),
        )


_CODE_RANGE = (-(2**31), 2**31 - 1)  # ProviderCall.response_code is an IntegerField
MAX_ITEM_CODES = 100


def storable_code(code: Any) -> tuple[int | None, str]:
    """(the code for the column, or None; VI's code as text when the column cannot hold it)."""
    if code is None:
        return None, ""
    if (
        isinstance(code, int)
        and not isinstance(code, bool)
        and _CODE_RANGE[0] <= code <= _CODE_RANGE[1]
    ):
        return code, ""
    return None, shown(code, 40)


def storable_item_codes(counts: Mapping[str, int]) -> dict[str, int]:
    """Per-item codes as JSON the database takes: short printable keys, a bounded number."""
    kept: dict[str, int] = {}
    for key, count in counts.items():
        name = shown(key, 40)
        if name not in kept and len(kept) >= MAX_ITEM_CODES:
            name = "(other)"
        kept[name] = kept.get(name, 0) + int(count)
    return kept


def _no_nul(text: str) -> str:
    return text.replace("\x00", "\\x00")


__all__ = [
    "call",
    "stream",
    "provider_context",
    "ProviderRejected",
    "ProviderUnavailable",
    "get_service",
]
