"""Numbers, endpoint groups, DID groups and account features: the state behind the DID ops.

Every rule that decides an outcome lives here and returns VI's per-number code and status
text (WIRE-FORMAT.md §5b); the handlers in `numbers.py` / `features.py` / `account.py` only
translate between SOAP and these methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypedDict

OURS = "ours"
OTHER = "other"  # another company at VI

RESERVATION = timedelta(minutes=30)
# A released number "ages" before it returns to inventory; a second release meanwhile is 106241.
AGING = timedelta(days=1)
NO_DATE = datetime(1900, 1, 1)  # VI's expireDate sentinel
ALLOWED_TIERS = frozenset({"1", "2", "3", "4", "5"})
PRICES = {"TF": Decimal("2.00"), "local": Decimal("1.00")}
EMPTY_ACCOUNT_BALANCE = Decimal("0.00")


@dataclass(slots=True)
class Number:
    tn: str
    state: str  # "TF" for toll-free
    rate_center: str
    lata: int
    tier: str
    network: str = "Onvoy"
    t38: bool = True
    cnam_storage: bool = True  # outbound CNAM can be stored (cnamStorageAvailability)
    sms: bool = True
    extended: bool = False  # lives in the extended inventory (getDIDsExtended)
    holder: str | None = None  # None: in inventory; OURS; OTHER
    reserved_by: str | None = None
    reserved_until: datetime | None = None
    aging_until: datetime | None = None
    endpoint_group: int = 0
    ref_id: str = ""
    cnam: bool = False  # inbound CNAM dip
    cnam_name: str | None = None  # outbound display name (cnamStorageActive when set)
    forward: str | None = None
    failover: str | None = None
    did_group_id: int | None = None
    conference_pin: str | None = None
    fax_email: str | None = None
    fax_notifications: bool = False
    email_to_fax: list[str] = field(default_factory=list)
    script_id: str | None = None
    has411: bool = False
    personal_inventory: bool = False

    @property
    def toll_free(self) -> bool:
        return self.state == "TF"

    @property
    def npa(self) -> str:
        return self.tn[:3]

    def clear_features(self) -> None:
        self.endpoint_group = 0
        self.ref_id = ""
        self.cnam = False
        self.cnam_name = None
        self.forward = None
        self.failover = None
        self.did_group_id = None
        self.conference_pin = None
        self.fax_email = None
        self.fax_notifications = False
        self.email_to_fax = []
        self.script_id = None
        self.personal_inventory = False


@dataclass(slots=True)
class EndpointGroup:
    id: int
    name: str
    owner: str = OURS
    active: bool = True
    client_id: int = 1
    ips: list[str] = field(default_factory=list)
    port: int = 5060
    strip_plus: bool = True
    strip_country_code: bool = True
    international: bool = False
    prepend: str = ""
    rate_deck: str = "Standard"


@dataclass(slots=True)
class DidGroup:
    id: int
    name: str
    # The client the group belongs to in VI's Back Office (AuditClients lists it under it).
    client_id: int = 1


@dataclass(slots=True)
class Client:
    """A reseller's customer set up in VI's Back Office: it owns endpoint groups and DID groups."""

    id: int
    name: str
    # AuditClients' E911Groups and HostedBillingCustomers: plain names VI lists per client.
    e911_groups: list[str] = field(default_factory=list)
    billing_customers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Script:
    id: str
    name: str


@dataclass(slots=True)
class IntlNumber:
    tn: str
    country: str
    city: str
    city_id: int
    tier: str = "1"
    holder: str | None = None
    endpoint_group: int = 0


class City(TypedDict):
    name: str
    id: int


class Country(TypedDict):
    """A country getCountries lists, with the cities international numbers are offered in."""

    name: str
    abbrev: str
    cities: list[City]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One per-number result: VI's statusCode and status text, plus the number if known."""

    tn: str
    code: str
    status: str
    number: Number | None = None
    ref_id: str = ""

    @property
    def ok(self) -> bool:
        return self.code == "100"


class Store:
    def __init__(self):
        self.numbers: dict[str, Number] = {}
        self.endpoint_groups: dict[int, EndpointGroup] = {}
        self.did_groups: dict[int, DidGroup] = {}
        self.clients: dict[int, Client] = {}
        self.scripts: dict[str, Script] = {}
        self.intl_numbers: dict[str, IntlNumber] = {}
        self.countries: list[Country] = []
        self.balance: Decimal = EMPTY_ACCOUNT_BALANCE
        self.toll_free_origination = True
        self.next_did_group_id = 1

    # -- views -----------------------------------------------------------------------------
    def get(self, tn: str | None) -> Number | None:
        if not tn:
            return None
        number = self.numbers.get(tn)  # the common case: already 10 digits
        return number if number is not None else self.numbers.get(normalize_tn(tn))

    def owned(self, tn: str | None) -> Number | None:
        number = self.get(tn)
        return number if number is not None and number.holder == OURS else None

    def owned_numbers(self) -> list[Number]:
        return sorted((n for n in self.numbers.values() if n.holder == OURS), key=lambda n: n.tn)

    def settle(self, number: Number, now: datetime) -> Number:
        """Apply the clock: lapsed reservations and finished aging return to inventory."""
        if number.reserved_until is not None and number.reserved_until <= now:
            number.reserved_by = None
            number.reserved_until = None
        if number.aging_until is not None and number.aging_until <= now:
            number.aging_until = None
        return number

    def is_available(self, number: Number, now: datetime) -> bool:
        self.settle(number, now)
        return number.holder is None and number.reserved_by is None and number.aging_until is None

    def available(self, now: datetime, *, extended: bool = False) -> list[Number]:
        return [
            n for n in self.numbers.values() if n.extended == extended and self.is_available(n, now)
        ]

    def endpoint_group_usable(self, group_id: int | None) -> bool:
        group = self.endpoint_groups.get(group_id) if group_id is not None else None
        return group is not None and group.owner == OURS and group.active

    def endpoint_group_owned(self, group_id: int | None) -> EndpointGroup | None:
        group = self.endpoint_groups.get(group_id) if group_id is not None else None
        return group if group is not None and group.owner == OURS else None

    def price(self, number: Number) -> Decimal:
        return PRICES["TF"] if number.toll_free else PRICES["local"]

    # -- reserve / assign / config / release -------------------------------------------------
    def reserve(self, tn: str, *, ref_id: str, now: datetime) -> Outcome:
        number = self.get(tn)
        if number is None or number.extended:
            return Outcome(tn, "103420", "Could not find number", ref_id=ref_id)
        self.settle(number, now)
        if number.holder == OURS:
            return Outcome(tn, "103225", "Number already assigned to you", number, ref_id)
        if number.holder == OTHER:
            return Outcome(
                tn, "103235", "Number is currently assigned to another company", number, ref_id
            )
        if number.reserved_by == OURS:
            return Outcome(tn, "103220", "Number already reserved for you", number, ref_id)
        if number.reserved_by == OTHER:
            return Outcome(
                tn, "103230", "Number is currently reserved for another company", number, ref_id
            )
        if number.aging_until is not None:
            return Outcome(tn, "103420", "Could not find number", ref_id=ref_id)
        if number.toll_free and not self.toll_free_origination:
            return Outcome(
                tn, "103250", "You do not purchase 800 Origination Services", number, ref_id
            )
        if number.tier not in ALLOWED_TIERS:
            return Outcome(tn, "103259", "Tier not available to your account", number, ref_id)
        number.reserved_by = OURS
        number.reserved_until = now + RESERVATION
        number.ref_id = ref_id
        return Outcome(
            tn, "100", f"Reserved for 30 minutes -- Will be Tier {number.tier}", number, ref_id
        )

    def assign(
        self,
        tn: str,
        *,
        endpoint_group: int | None,
        cnam: bool | None,
        ref_id: str,
        now: datetime,
        extended: bool = False,
        to_inventory: bool = False,
    ) -> Outcome:
        """assignDID (or, with to_inventory, InventoryDIDs: held but routed nowhere)."""
        number = self.get(tn)
        if number is None or number.extended != extended:
            return Outcome(tn, "104420", "Could not find number", ref_id=ref_id)
        self.settle(number, now)
        if number.holder == OURS:
            return Outcome(tn, "104225", "Number is already assigned to you", number, ref_id)
        if number.holder == OTHER:
            return Outcome(
                tn, "104235", "Number is already assigned to another company", number, ref_id
            )
        if number.reserved_by == OTHER:
            return Outcome(
                tn, "104230", "Number is already reserved for another company", number, ref_id
            )
        if number.aging_until is not None:
            return Outcome(tn, "104420", "Could not find number", ref_id=ref_id)
        if not to_inventory and not self.endpoint_group_usable(endpoint_group):
            return Outcome(
                tn,
                "104258",
                "Bad Endpoint Group. This remote is not allowed to service this endpoint group",
                number,
                ref_id,
            )
        if number.toll_free and not self.toll_free_origination:
            return Outcome(
                tn, "104250", "You do not purchase 800 Origination services", number, ref_id
            )
        if number.tier not in ALLOWED_TIERS:
            return Outcome(tn, "104259", "Tier not available to your account", number, ref_id)
        price = self.price(number)
        if self.balance < price:
            return Outcome(
                tn,
                "104221",
                "Unknown error assigning number (insufficient prepaid balance)",
                number,
                ref_id,
            )
        self.balance -= price
        number.holder = OURS
        number.reserved_by = None
        number.reserved_until = None
        # Not None here unless to_inventory: endpoint_group_usable refused None above.
        number.endpoint_group = 0 if to_inventory or endpoint_group is None else endpoint_group
        number.ref_id = ref_id or number.ref_id
        number.cnam = bool(cnam)
        number.personal_inventory = to_inventory
        if to_inventory:
            return Outcome(
                tn,
                "100",
                f"Added to personal inventory -- Tier {number.tier}",
                number,
                number.ref_id,
            )
        return Outcome(
            tn,
            "100",
            f"Assigned to endpoint '{endpoint_group}' rewritten as '{number.tn}' Tier {number.tier}",
            number,
            number.ref_id,
        )

    def configure(
        self,
        tn: str,
        *,
        endpoint_group: int | None,
        cnam: bool | None,
        ref_id: str | None,
        now: datetime,
    ) -> Outcome:
        number = self.get(tn)
        if number is None:
            return Outcome(tn, "105420", "Could not find number", ref_id=ref_id or "")
        self.settle(number, now)
        if number.holder == OTHER:
            return Outcome(
                tn, "105235", "Number is already assigned to another company", number, ref_id or ""
            )
        if number.reserved_by == OTHER:
            return Outcome(
                tn, "105230", "Number is already reserved for another company", number, ref_id or ""
            )
        if number.reserved_by == OURS:
            return Outcome(tn, "105225", "Number is reserved for you", number, ref_id or "")
        if number.holder != OURS:
            return Outcome(
                tn, "105221", "Number is not currently assigned to you", number, ref_id or ""
            )
        target = number.endpoint_group if endpoint_group is None else endpoint_group
        if not self.endpoint_group_usable(target):
            return Outcome(
                tn,
                "105258",
                "Bad Endpoint Group. This remote is not allowed to service this endpoint group",
                number,
                ref_id or "",
            )
        number.endpoint_group = target
        if cnam is not None:
            number.cnam = cnam
        if ref_id is not None:
            number.ref_id = ref_id
        number.personal_inventory = False
        return Outcome(
            tn,
            "100",
            f"Reconfigured to endpoint '{target}' rewritten as '{number.tn}' Tier {number.tier}",
            number,
            number.ref_id,
        )

    def release(self, tn: str, *, now: datetime) -> Outcome:
        number = self.get(tn)
        if number is None:
            return Outcome(tn, "106420", "Could not find number")
        self.settle(number, now)
        if number.holder == OTHER:
            return Outcome(tn, "106235", "Number is currently assigned to another company", number)
        if number.reserved_by == OTHER:
            return Outcome(tn, "106230", "Number is currently reserved for another company", number)
        if number.aging_until is not None:
            return Outcome(
                tn, "106241", "Number previously released, but not currently available", number
            )
        if number.reserved_by == OURS:
            number.reserved_by = None
            number.reserved_until = None
            number.ref_id = ""
            return Outcome(tn, "100", "Reservation released", number)
        if number.holder != OURS:
            return Outcome(tn, "106231", "Number currently available", number)
        self.drop(number, now=now)
        return Outcome(tn, "100", "Released", number)

    def drop(self, number: Number, *, now: datetime) -> None:
        """Take a held number off the account into aging (release, or someone else at VI)."""
        number.holder = None
        number.clear_features()
        number.aging_until = now + AGING

    # -- search -----------------------------------------------------------------------------
    def search(self, criteria: dict, *, now: datetime, extended: bool = False) -> list[Number]:
        """Available numbers matching getDIDs criteria (only the given ones count)."""
        state = (criteria.get("state") or "").upper()
        rate_center = (criteria.get("rateCenter") or "").upper()
        lata = criteria.get("lata") or ""
        npa = criteria.get("npa") or ""
        nxx = criteria.get("nxx") or ""
        tier = criteria.get("tier") or ""
        network = (criteria.get("network") or "").lower()
        wants_t38, wants_cnam, wants_sms = (
            criteria.get("t38"),
            criteria.get("cnam"),
            criteria.get("sms"),
        )
        found = []
        for number in self.available(now, extended=extended):
            if state and number.state != state:
                continue
            if rate_center and number.rate_center.upper() != rate_center:
                continue
            if lata and str(number.lata) != lata:
                continue
            if npa and number.tn[:3] != npa:
                continue
            if nxx and (number.tn[:6] != nxx if len(nxx) == 6 else number.tn[3:6] != nxx):
                continue
            if tier and number.tier != tier:
                continue
            if network and number.network.lower() != network:
                continue
            if wants_t38 and not number.t38:
                continue
            if wants_cnam and not number.cnam_storage:
                continue
            if wants_sms and not number.sms:
                continue
            found.append(number)
        found.sort(key=lambda n: n.tn)
        return found

    # -- summary / views --------------------------------------------------------------------
    def summary(self, sandbox) -> dict:
        now = sandbox.now()
        counts = {
            "owned": 0,
            "available": 0,
            "available_toll_free": 0,
            "extended_available": 0,
            "reserved": 0,
            "other_company": 0,
            "aging": 0,
        }
        for number in self.numbers.values():
            self.settle(number, now)
            if number.holder == OURS:
                counts["owned"] += 1
            elif number.holder == OTHER:
                counts["other_company"] += 1
            elif number.reserved_by is not None:
                counts["reserved"] += 1
            elif number.aging_until is not None:
                counts["aging"] += 1
            elif number.extended:
                counts["extended_available"] += 1
            else:
                counts["available"] += 1
                counts["available_toll_free"] += number.toll_free
        return {
            **counts,
            "endpoint_groups": len(self.endpoint_groups),
            "did_groups": len(self.did_groups),
            "intl_owned": sum(1 for n in self.intl_numbers.values() if n.holder == OURS),
            "balance": str(self.balance),
        }


def normalize_tn(tn: str | None) -> str:
    """VI wants 10-digit NANP; strip a +1/1 prefix and punctuation the way Kazoo does."""
    digits = "".join(ch for ch in (tn or "") if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits
