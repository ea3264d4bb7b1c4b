"""What the numbers gateway returns: frozen, typed copies of VI's answers.

Each record is built from either a zeep object (`client.call`) or a dict (`client.stream`),
both carrying VI's own element names; nothing above the gateway sees VI's spelling.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# VI's "no date" sentinels (WIRE-FORMAT.md §1): 1900-01-01 on DIDs, 0001-01-01 elsewhere.
_NO_DATE_YEARS = {1, 1900}


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
    value = vi_value(source, name, False)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def integer(source: Any, name: str) -> int | None:
    value = vi_value(source, name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def decimal(source: Any, name: str) -> Decimal | None:
    value = vi_value(source, name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def moment(source: Any, name: str) -> datetime | None:
    value = vi_value(source, name)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime) or value.year in _NO_DATE_YEARS:
        return None
    return value



def utc_moment(source: Any, name: str) -> datetime | None:
    """A VI dateTime as an aware time: VI mostly sends no zone, and its clock is UTC."""
    value = moment(source, name)
    if value is not None and value.tzinfo is None:
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


@dataclass(frozen=True)
class ClientRecord:
    vi_id: str
    name: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IntlDIDRecord:
    tn: str
    country: str = ""
    city: str = ""
    tier: str = ""
    status: str = ""

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
