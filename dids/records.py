"""What the numbers gateway returns: frozen, typed copies of VI's answers.

Each record is built from either a zeep object (`client.call`) or a dict (`client.stream`),
both carrying VI's own element names; nothing above the gateway sees VI's spelling.
"""

import dataclasses
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, wraps
from typing import Any

from portal.voipinnovations.values import Unfit, UnfitRecord, Unparsed, setting_aside

# VI's "no date" sentinels (WIRE-FORMAT.md §1): 1900-01-01 on DIDs, 0001-01-01 elsewhere.
_NO_DATE_YEARS = {1, 1900}

# The portal keeps whole numbers in 64 bits and amounts as 14 digits, 4 after the point:
# anything beyond is no number VI could mean (an id of 10^30, a balance of 10^400).
_INT64 = (-(2**63), 2**63 - 1)
MONEY_LIMIT = Decimal(10) ** 10

_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no", ""}

# Problems found while one record is being built (see `vi_record`); None outside one.
_collecting: ContextVar[list[Unfit] | None] = ContextVar("vi_record_problems", default=None)


def _unfit(name: str, raw: Any, reason: str) -> Any:
    """Report a value that cannot be used: raise, or note it while a record is being built.

    Typed `Any` on purpose: while a record is being built the returned `Unfit` marker stands
    in the field's place (an `int | None` field holds it), which is how the sync engine finds
    the record to set aside; a record's field types describe its usable values only."""
    # A number as VI wrote it (zeep may have parsed it already): "1E+30", not "Decimal('1E+30')".
    shown_raw = (
        raw
        if isinstance(raw, str)
        else str(raw)
        if isinstance(raw, int | float | Decimal)
        else repr(raw)
    )
    problem = Unfit(name, shown_raw, reason)
    collected = _collecting.get()
    if collected is None:
        raise UnfitRecord([problem])
    collected.append(problem)
    return problem


def vi_record(model: str | None = None, *, set_aside: bool = True) -> Callable:
    """Make a record's `from_vi` refuse values it cannot use instead of guessing.

    Put it over a `@classmethod` (so the type checker knows `cls` is the class). Every helper
    below reports a value that did not parse (`<endpointId>abc</endpointId>`,
    `<has911>maybe</has911>`) or is absurd (10^30, NaN). With `model` ("app.Model"), the
    record's fields named like the model's are also checked against its columns (length,
    range, NUL). Then the record either raises UnfitRecord — nothing is stored, the page says
    so — or, with `set_aside` while a sync runs, comes back with an `Unfit` marker in each bad
    field, so the sync engine sets that one record aside and applies the others.
    """

    def decorate(build: Callable | classmethod) -> classmethod:
        if isinstance(build, classmethod):
            build = build.__func__

        @wraps(build)
        def from_vi(cls, source: Any, *args: Any, **kwargs: Any):
            problems: list[Unfit] = []
            token = _collecting.set(problems)
            try:
                record = build(cls, source, *args, **kwargs)
            finally:
                _collecting.reset(token)
            # In a sync the engine checks the record against its columns anyway (portal.sync.fit).
            tolerant = set_aside and setting_aside()
            if model is not None and not tolerant:
                misfits = _column_problems(model, record)
                if misfits:
                    problems.extend(misfits)
                    record = dataclasses.replace(
                        record, **{problem.field: problem for problem in misfits}
                    )
            if problems and not tolerant:
                raise UnfitRecord(problems)
            return record

        return classmethod(from_vi)

    return decorate


def _column_problems(model_label: str, record: Any) -> list[Unfit]:
    from django.apps import apps

    from portal.sync.fit import record_problems

    model = apps.get_model(model_label)
    names = {f.name for f in model._meta.concrete_fields}
    values = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name in names and not isinstance(getattr(record, f.name), Unfit)
    }
    return record_problems(model, values)


def vi_value(source: Any, name: str, default: Any = None) -> Any:
    """One field of a zeep object or a streamed dict, by VI's element name."""
    if source is None:
        return default
    if isinstance(source, dict):
        value = source.get(name, default)
    else:
        value = getattr(source, name, default)
    return default if value is None else value


def vi_list(source: Any, array: str, item: str) -> list[Any]:
    """The items of a VI array element (`<DIDs><DID/>…</DIDs>`); [] when empty or absent."""
    container = vi_value(source, array)
    if container is None:
        return []
    if isinstance(container, list):
        return container
    items = vi_value(container, item)
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def text(source: Any, name: str) -> str:
    value = vi_value(source, name, "")
    return str(value).strip()


def flag(source: Any, name: str) -> bool:
    """A yes/no: a boolean, or VI's words for one; anything else is not taken as "no"."""
    value = vi_value(source, name, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and not isinstance(value, Unparsed):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    elif isinstance(value, int) and value in (0, 1):
        return bool(value)
    return _unfit(name, value, "not yes or no")


def integer(source: Any, name: str) -> int | None:
    value = vi_value(source, name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, Unparsed):
        return _unfit(name, value, "not a whole number")
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        return _unfit(name, value, "not a whole number")
    if isinstance(value, float | Decimal) and number != value:
        return _unfit(name, value, "not a whole number")
    if not _INT64[0] <= number <= _INT64[1]:
        return _unfit(name, value, "out of range")
    return number


def decimal(source: Any, name: str) -> Decimal | None:
    """An amount: finite and within what the portal keeps (see MONEY_LIMIT)."""
    value = vi_value(source, name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, Unparsed):
        return _unfit(name, value, "not a number")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else str(value))
    except (ArithmeticError, ValueError, TypeError):
        return _unfit(name, value, "not a number")
    if not amount.is_finite():
        return _unfit(name, value, "not a finite number")
    try:
        if abs(amount) >= MONEY_LIMIT:
            return _unfit(name, value, "out of range")
    except InvalidOperation:
        return _unfit(name, value, "out of range")
    return amount


def moment(source: Any, name: str) -> datetime | None:
    value = vi_value(source, name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and not isinstance(value, Unparsed):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return _unfit(name, value, "not a date")
    if not isinstance(value, datetime):
        return _unfit(name, value, "not a date")
    if value.year in _NO_DATE_YEARS:
        return None
    return value


def utc_moment(source: Any, name: str) -> datetime | None:
    """A VI dateTime as an aware time: VI mostly sends no zone, and its clock is UTC."""
    value = moment(source, name)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True)
class DIDRecord:
    """A number as VI describes it (DID in auditDIDs, queryDID, AuditDIDGroup, getters)."""

    tn: str
    availability: str = ""
    rewrite: str = ""
    status: str = ""
    status_code: str = ""
    tier: str = ""
    ref_id: str = ""
    failover: str = ""
    forward: str = ""
    cnam_name: str = ""
    state: str = ""
    rate_center: str = ""
    did_group_id: int | None = None
    network: str = ""
    endpoint_id: int | None = None
    expire_date: datetime | None = None
    has411: bool = False
    has911: bool = False
    cnam: bool = False
    cnam_storage_active: bool = False
    cnam_storage_available: bool = False
    t38: bool = False

    @vi_record("dids.DID")
    @classmethod
    def from_vi(cls, did: Any) -> "DIDRecord":
        endpoint_id = integer(did, "endpointId")
        return cls(
            tn=text(did, "tn"),
            availability=text(did, "availability"),
            rewrite=text(did, "rewrite"),
            status=text(did, "status"),
            status_code=text(did, "statusCode"),
            tier=text(did, "tier"),
            ref_id=text(did, "refId"),
            failover=text(did, "failover"),
            forward=text(did, "forward"),
            cnam_name=text(did, "cnamName"),
            state=text(did, "state"),
            rate_center=text(did, "rateCenter"),
            # VI sends an empty string or 0 for "no group"; both mean none.
            did_group_id=integer(did, "didGroupId") or None,
            network=text(did, "Network"),
            # 0 is what VI reports for a number routed nowhere (reserve/assign fixtures).
            endpoint_id=endpoint_id or None,
            expire_date=moment(did, "expireDate"),
            has411=flag(did, "has411"),
            has911=flag(did, "has911"),
            cnam=flag(did, "cnam"),
            cnam_storage_active=flag(did, "cnamStorageActive"),
            cnam_storage_available=flag(did, "cnamStorageAvailability"),
            t38=flag(did, "t38"),
        )

    @staticmethod
    def sync_values(did: Any) -> dict[str, Any] | None:
        """`from_vi(did)`'s fields as a dict (its field names), taken in one pass — or None.

        For a sync's 100,000 streamed records, where `from_vi` and its helpers (one call per
        field, each asking what kind of source and value it has) cost more than reading the
        XML. Only plainly usable values are taken: exactly a str (stripped, as `text`
        does), None, an int, True or False, a datetime, and each within its DID column
        (length, NUL, range: what `portal.sync.fit` asks). Anything else — a value of
        another type, an `Unparsed` marker, text for a number, an over-long name — gives
        None, and the caller takes the careful path (`from_vi`), which decides as before.
        The result equals `from_vi`'s whenever it is not None
        (tests/dids/test_records_fast.py compares both on hostile values).
        """
        if type(did) is not dict:
            return None
        return _did_fast()(did)


@dataclass(frozen=True)
class DIDLocator:
    """A number available to buy (getDIDs / getDIDsExtended)."""

    tn: str
    rate_center: str = ""
    state: str = ""
    tier: str = ""
    lata: int | None = None
    outbound_cnam: bool = False
    t38: bool = False
    sms: bool = False

    @vi_record(set_aside=False)
    @classmethod
    def from_vi(cls, locator: Any) -> "DIDLocator":
        return cls(
            tn=text(locator, "tn"),
            rate_center=text(locator, "rateCenter"),
            state=text(locator, "state"),
            tier=text(locator, "tier"),
            lata=integer(locator, "lataId"),
            outbound_cnam=flag(locator, "outboundCNAM"),
            t38=flag(locator, "t38"),
            sms=flag(locator, "sms"),
        )


@dataclass(frozen=True)
class DIDCount:
    """How many numbers are available in one rate center and tier (getDIDCount)."""

    count: int
    rate_center: str = ""
    state: str = ""
    tier: str = ""
    lata: int | None = None
    cnam: bool = False
    t38: bool = False
    sms: bool = False

    @vi_record(set_aside=False)
    @classmethod
    def from_vi(cls, row: Any) -> "DIDCount":
        return cls(
            # VI types didCount as a string.
            count=integer(row, "didCount") or 0,
            rate_center=text(row, "rateCenter"),
            state=text(row, "state"),
            tier=text(row, "tier"),
            lata=integer(row, "lataId"),
            cnam=flag(row, "cnam"),
            t38=flag(row, "t38"),
            sms=flag(row, "sms"),
        )


@dataclass(frozen=True)
class NumberOutcome:
    """What VI said about one number in a bulk call (or a single-number write)."""

    tn: str
    code: str
    ok: bool
    message: str
    # VI's own status text ("Assigned to endpoint '8674' …"); may be empty.
    status: str = ""
    record: DIDRecord | None = None


@dataclass(frozen=True)
class DIDGroupRecord:
    vi_id: int
    name: str = ""

    @vi_record("dids.DIDGroup")
    @classmethod
    def from_vi(cls, group: Any) -> "DIDGroupRecord":
        # vi_id 0: VI listed no id; the gateway drops such a row (see `listed`).
        return cls(vi_id=integer(group, "ID") or 0, name=text(group, "Name"))


def listed(records: Any) -> list[Any]:
    """The records that carry an id: a usable one, or an unusable one to be set aside."""
    return [record for record in records if isinstance(record.vi_id, Unfit) or record.vi_id]


@dataclass(frozen=True)
class EndpointGroupRecord:
    vi_id: int
    name: str = ""
    client: str = ""
    port: str = ""
    prepend: str = ""
    rate_deck: str = ""
    strip_plus: bool = False
    strip_country_code: bool = False
    international: bool = False
    month_to_date_usage: Decimal | None = None
    ip_addresses: tuple[str, ...] = ()
    active: bool = True

    @vi_record("dids.EndpointGroup")
    @classmethod
    def from_vi(cls, row: Any) -> "EndpointGroupRecord":
        addresses = vi_list(row, "ipAddresses", "string")
        return cls(
            vi_id=integer(row, "id") or 0,
            name=text(row, "name"),
            client=text(row, "client"),
            port=text(row, "port"),
            prepend=text(row, "prepend"),
            rate_deck=text(row, "rateDeck"),
            strip_plus=flag(row, "stripPlus"),
            strip_country_code=flag(row, "stripCountryCode"),
            international=flag(row, "international"),
            month_to_date_usage=decimal(row, "monthToDateUsage"),
            ip_addresses=tuple(
                str(address).strip() for address in addresses if str(address).strip()
            ),
            active=flag(row, "active"),
        )


def _ids(rows: list[Any], name: str) -> tuple[int, ...]:
    """The ids of a record's sub-list; an unusable one makes the whole list unusable (its
    `Unfit` marker stands in the list's place, as `_unfit` explains)."""
    values: list[Any] = [integer(row, name) for row in rows]
    unusable: Any = next((value for value in values if isinstance(value, Unfit)), None)
    if unusable is not None:
        return unusable
    return tuple(sorted({value for value in values if value}))


def _names(values: list[Any]) -> tuple[str, ...]:
    return tuple(str(value).strip() for value in values if value is not None and str(value).strip())


@dataclass(frozen=True)
class ClientRecord:
    vi_id: str
    name: str = ""
    month_to_date_usage: Decimal | None = None
    endpoint_group_ids: tuple[int, ...] = ()
    did_group_ids: tuple[int, ...] = ()
    e911_groups: tuple[str, ...] = ()
    billing_customers: tuple[str, ...] = ()
    failover_count: int = 0
    forward_count: int = 0
    conference_line_count: int = 0
    fax_to_email_count: int = 0

    @vi_record("dids.Client")
    @classmethod
    def from_vi(cls, row: Any) -> "ClientRecord":
        client_id = integer(row, "id")
        # The feature lists are counted, not kept: the settings are the numbers' own (and the
        # conference lines carry PINs, a secret that must never reach the mirror).
        return cls(
            vi_id=client_id
            if isinstance(client_id, Unfit)
            else str(client_id)
            if client_id
            else "",
            name=text(row, "name"),
            month_to_date_usage=decimal(row, "monthToDateUsage"),
            endpoint_group_ids=_ids(vi_list(row, "EndpointGroups", "EndpointGroup"), "id"),
            did_group_ids=_ids(vi_list(row, "DIDGroups", "DIDGroup"), "ID"),
            e911_groups=_names(vi_list(row, "E911Groups", "string")),
            billing_customers=_names(vi_list(row, "HostedBillingCustomers", "string")),
            failover_count=len(vi_list(row, "DIDFailovers", "DIDFailover")),
            forward_count=len(vi_list(row, "DIDForwards", "DIDForward")),
            conference_line_count=len(vi_list(row, "ConferenceLines", "ConferenceLine")),
            fax_to_email_count=len(vi_list(row, "FaxToEmails", "FaxToEmail")),
        )


@dataclass(frozen=True)
class IntlDIDRecord:
    tn: str
    country: str = ""
    city: str = ""
    tier: str = ""
    status: str = ""

    @vi_record("dids.IntlDID")
    @classmethod
    def from_vi(cls, did: Any) -> "IntlDIDRecord":
        return cls(
            tn=text(did, "tn"),
            country=text(did, "country"),
            city=text(did, "city"),
            tier=text(did, "tier"),
            status=text(did, "status"),
        )


@dataclass(frozen=True)
class Country:
    name: str
    abbreviation: str
    cities: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class ConferenceLineState:
    """Whether a number's conference line is on. The PIN is deliberately not carried."""

    tn: str
    enabled: bool


@dataclass(frozen=True)
class FeatureSetting:
    """One number's value for a feature audit row: forward, failover, fax-to-email."""

    tn: str
    value: str


@dataclass(frozen=True)
class EmailToFaxSetting:
    tn: str
    emails: tuple[str, ...] = ()
    caller_id: str = ""


@dataclass(frozen=True)
class FaxToEmailSetting:
    tn: str
    email: str = ""
    failure_notifications: bool = False


@dataclass(frozen=True)
class Script:
    """A programmable-telco script (GetScripts) and the numbers it runs."""

    script_id: str
    name: str = ""
    url: str = ""
    tns: tuple[str, ...] = ()


# --- the sync's fast path (DIDRecord.sync_values, LocationRecord.sync_values) -----------------


def fast_reader(
    model_label: str,
    texts: tuple[tuple[str, str], ...],
    integers: tuple[tuple[str, str], ...] = (),
    flags: tuple[tuple[str, str], ...] = (),
    moments: tuple[tuple[str, str], ...] = (),
    utc_moments: tuple[tuple[str, str], ...] = (),
) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """A reader of one record's values from a streamed dict in a single pass, giving a
    `Fitted` dict (already checked against the model's columns) or None to take the
    careful path.

    Each pair is (record field, VI element name). `texts`, `integers`, `flags`, `moments`
    and `utc_moments` are read as `text`, `integer(...) or None`, `flag`, `moment` and
    `utc_moment` would read a plainly usable value, and checked against the model's column
    of the same name as `portal.sync.fit.record_problems` would (a field without a column
    is not checked)."""
    from django.apps import apps

    from portal.sync.fit import _field_named, _integer_range, fitted

    model: Any = apps.get_model(model_label)
    new = fitted(model)
    unlimited = 2**62

    def text_limit(name: str) -> int:
        column = _field_named(model, name)
        if column is None:
            return unlimited
        assert column.get_internal_type() in ("CharField", "TextField"), name
        return column.max_length if column.max_length is not None else unlimited

    def integer_range(name: str) -> tuple[int, int]:
        column = _field_named(model, name)
        if column is None:
            return _INT64
        assert column.get_internal_type() in ("IntegerField", "BigIntegerField"), name
        low, high = _integer_range(column.get_internal_type())
        return max(low, _INT64[0]), min(high, _INT64[1])

    text_plan = tuple((name, vi_name, text_limit(name)) for name, vi_name in texts)
    integer_plan = tuple((name, vi_name, *integer_range(name)) for name, vi_name in integers)
    no_date = _NO_DATE_YEARS

    def read(row: dict[str, Any]) -> dict[str, Any] | None:
        get = row.get
        values = new()
        value: Any
        for name, vi_name, limit in text_plan:
            value = get(vi_name)
            if value is None:
                values[name] = ""
            elif type(value) is str:
                value = value.strip()
                if len(value) > limit or "\x00" in value:
                    return None
                values[name] = value
            else:
                return None
        for name, vi_name, low, high in integer_plan:
            value = get(vi_name)
            if value is None or value == "":
                values[name] = None
                continue
            if type(value) is str:
                # Plain ASCII digits only: int() also reads "+5", "1_000" and other scripts'
                # digits, which `integer` takes too; such values go the careful way.
                # At most 18 digits: int() refuses very long ones, and these fit in 64 bits.
                if not (len(value) <= 18 and value.isascii() and value.isdigit()):
                    return None
                value = int(value)
            elif type(value) is not int:
                return None
            if not low <= value <= high:
                return None
            values[name] = value or None  # VI's 0: none (see DIDRecord.from_vi)
        for name, vi_name in flags:
            value = get(vi_name)
            if value is None:
                values[name] = False
            elif value is True or value is False:
                values[name] = value
            else:
                return None
        for name, vi_name in moments:
            value = get(vi_name)
            if value is None:
                values[name] = None
            elif type(value) is datetime:
                values[name] = None if value.year in no_date else value
            else:
                return None
        for name, vi_name in utc_moments:
            value = get(vi_name)
            if value is None:
                values[name] = None
            elif type(value) is datetime:
                if value.year in no_date:
                    values[name] = None
                else:
                    values[name] = value.replace(tzinfo=UTC) if value.tzinfo is None else value
            else:
                return None
        return values

    return read


@cache
def _did_fast() -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    return fast_reader(
        "dids.DID",
        texts=(
            ("tn", "tn"), ("availability", "availability"), ("rewrite", "rewrite"),
            ("status", "status"), ("status_code", "statusCode"), ("tier", "tier"),
            ("ref_id", "refId"), ("failover", "failover"), ("forward", "forward"),
            ("cnam_name", "cnamName"), ("state", "state"), ("rate_center", "rateCenter"),
            ("network", "Network"),
        ),
        integers=(("did_group_id", "didGroupId"), ("endpoint_id", "endpointId")),
        flags=(
            ("has411", "has411"), ("has911", "has911"), ("cnam", "cnam"),
            ("cnam_storage_active", "cnamStorageActive"),
            ("cnam_storage_available", "cnamStorageAvailability"), ("t38", "t38"),
        ),
        moments=(("expire_date", "expireDate"),),
    )  # fmt: skip
