"""911: locations per DID, provisioning, history, alerts — VI's Response911 operations.

VI's 911 provider (Dash) keeps *locations* per DID. One of them at most is PROVISIONED (what a
911 call from the number reaches); the others are GEOCODED (valid, parked) or INVALID (Dash
could not geocode them). Removing or replacing a location archives it: archived locations stay
in the provisioning history but no longer show in getLocations/query911/audit911.

Choices where VI's documents are silent (each is what a caller of this sandbox will see):

* Geocoding is deterministic (`geocode`): an address is valid when address1 starts with a
  house number followed by a street name, the street does not contain "NOWHERE", the city is
  present, the state is a US state/territory abbreviation, the ZIP has 5 digits and its first
  digit belongs to that state's national ZIP area (0 = New England/NJ/PR, 1 = NY/PA/DE, ...,
  9 = West Coast/AK/HI), and plusFour is empty or 4 digits. Latitude/longitude are derived
  from the ZIP so they never change between runs.
* validate911: 100 "Success" for a valid address, 101 "No Records Found" otherwise.
* insert911: 909 when the account does not own the DID; 911 "Location already exists and is
  provisioned" when the DID already has a provisioned location (use update911); an address
  that cannot be geocoded is refused with 904 "Dash action resulted in incorrect status" and
  the DID keeps whatever it had (nothing).
* update911 is an upsert: it replaces the provisioned location (the old one is archived), or
  provisions a first one. An address that cannot be geocoded archives the old location anyway
  and answers 904, leaving the number with NO provisioned location, as VI documents.
* remove911 archives every current location of the DID (provisioned and parked ones), so
  the DID leaves audit911: 100 "1 record was successfully archived for DID …" (VI's text;
  "N records were …" when there were several), 205200 "Zero records deleted/archived".
* query911 and remove911 work on every record of the account, owned or off-net (audit911
  lists off-net records, so the caller must be able to clean them up). query911 shows the
  provisioned location; without one it answers 101 "No Records Found" with empty lists.
* audit911: one DID911 per DID that has a current location (provisioned first, else the
  newest non-archived one, e.g. the INVALID one a failed update911 left), owned or not; 101
  with an empty list when there is none.
* getProvisioningHistory: every location the DID ever had, oldest first, archived ones with
  statusCode ARCHIVED; 101 when the DID never had one.
* Alerts (Add911Alert/Remove911Alert/Query911Alert): 909 for a DID the account does not own,
  941 when it has no provisioned location, 940 for an email over 150 characters, 942 for a
  duplicate (case-insensitive), 943 beyond 10 emails; removing an email that is not there
  answers 101. Query911Alert returns ONE string with the emails comma-separated (no spaces);
  an empty Alerts list when there are none. Removing a DID's 911 (remove911) keeps its alert
  emails: they apply again once a location is provisioned.
* Legacy location calls: addLocation keeps the new location GEOCODED (or INVALID, "sent to
  Dash only") and renames the caller on the DID's other current locations; provisionLocation
  needs a GEOCODED location of that DID (910 unknown location, 911 already provisioned, 904
  for an INVALID one) and parks the previously provisioned one as GEOCODED; removeLocation
  archives it (910 if unknown) and answers Status911 205100.
* A DID's `has911` flag (in the dids store) is true exactly while it has a PROVISIONED
  location; `Store.has_911(tn)` answers that for the dids store.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from ..registry import Request, operation
from .dids import normalize_tn

PROVISIONED = "PROVISIONED"
GEOCODED = "GEOCODED"
INVALID = "INVALID"
ARCHIVED = "ARCHIVED"

STATUS_DESCRIPTIONS = {
    PROVISIONED: "Location is currently provisioned for URI",
    GEOCODED: "Location is geocoded",
    INVALID: "Unable to geocoded address",  # VI's own wording
    ARCHIVED: "Location has been archived",
}

MAX_ALERTS = 10
MAX_ALERT_EMAIL_LENGTH = 150

# First digit of the ZIP code for each state: the USPS national areas.
ZIP_AREA_BY_STATE = {
    **dict.fromkeys(["CT", "MA", "ME", "NH", "NJ", "PR", "RI", "VT", "VI", "AE"], "0"),
    **dict.fromkeys(["DE", "NY", "PA"], "1"),
    **dict.fromkeys(["DC", "MD", "NC", "SC", "VA", "WV"], "2"),
    **dict.fromkeys(["AL", "FL", "GA", "MS", "TN", "AA"], "3"),
    **dict.fromkeys(["IN", "KY", "MI", "OH"], "4"),
    **dict.fromkeys(["IA", "MN", "MT", "ND", "SD", "WI"], "5"),
    **dict.fromkeys(["IL", "KS", "MO", "NE"], "6"),
    **dict.fromkeys(["AR", "LA", "OK", "TX"], "7"),
    **dict.fromkeys(["AZ", "CO", "ID", "NM", "NV", "UT", "WY"], "8"),
    **dict.fromkeys(["AK", "CA", "HI", "OR", "WA", "GU", "AP"], "9"),
}

_HOUSE_NUMBER_AND_STREET = re.compile(r"^\s*\d+[A-Za-z]?(-\d+)?\s+\S")


@dataclass(frozen=True, slots=True)
class Address:
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    plus_four: str = ""
    caller_name: str = ""


def geocode(address: Address) -> tuple[str, str] | None:
    """(latitude, longitude) for an address Dash could locate, else None. Deterministic."""
    state = address.state.strip().upper()
    zip_code = address.zip.strip()
    plus_four = address.plus_four.strip()
    if not _HOUSE_NUMBER_AND_STREET.match(address.address1 or ""):
        return None
    if "NOWHERE" in address.address1.upper():
        return None
    if not address.city.strip():
        return None
    if state not in ZIP_AREA_BY_STATE:
        return None
    if not (len(zip_code) == 5 and zip_code.isdigit() and zip_code[0] == ZIP_AREA_BY_STATE[state]):
        return None
    if plus_four and not (len(plus_four) == 4 and plus_four.isdigit()):
        return None
    digest = hashlib.sha256(f"{zip_code}|{address.address1.upper()}".encode()).digest()
    # A point in the continental band; precise enough to look real, stable across runs.
    latitude = 25 + digest[0] / 255 * 23 + digest[1] / 255 / 100
    longitude = -(70 + digest[2] / 255 * 52 + digest[3] / 255 / 100)
    return f"{latitude:.6f}", f"{longitude:.6f}"


@dataclass(slots=True)
class Location:
    location_id: str
    tn: str
    address: Address
    latitude: str
    longitude: str
    status: str
    order_id: str
    date_added: datetime
    update_time: datetime
    activated_time: datetime | None = None

    def as_vi_location(self) -> dict:
        return {
            "locationId": self.location_id,
            "address1": self.address.address1,
            "address2": self.address.address2,
            "city": self.address.city,
            "state": self.address.state,
            "zipCode": self.address.zip,
            "plusFour": self.address.plus_four,
            "callerName": self.address.caller_name,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "statusCode": self.status,
            "statusDescription": STATUS_DESCRIPTIONS[self.status],
            "orderId": self.order_id,
            # VILocation.activatedTime is not nillable: VI sends DateTime.MinValue instead.
            "activatedTime": self.activated_time or NEVER,
            "updateTime": self.update_time,
        }

    def as_did911(self) -> dict:
        return {
            "locationId": self.location_id,
            "tn": self.tn,
            "callerName": self.address.caller_name,
            "address1": self.address.address1,
            "address2": self.address.address2,
            "city": self.address.city,
            "state": self.address.state,
            "zipCode": self.address.zip,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "statusCode": self.status,
            "statusDescription": STATUS_DESCRIPTIONS[self.status],
            "activatedTime": self.activated_time,
            "dateAdded": self.date_added,
        }


# DateTime.MinValue as VI writes it (a string: strftime does not pad year 1 to four digits).
NEVER = "0001-01-01T00:00:00"


class E911Error(Exception):
    """A refusal with VI's top-level code."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


NOT_OWNED = (909, "You do not own the specified number")
INCORRECT_STATUS = (904, "Dash action resulted in incorrect status")
LOCATION_MISSING = (910, "Location does not exist")
ALREADY_PROVISIONED = (911, "Location already exists and is provisioned")
NOT_ENABLED = (941, "911 is not enabled")
EMAIL_TOO_LONG = (940, "Email cannot be greater than 150 characters")
EMAIL_EXISTS = (942, "Email already exists for this DID")
TOO_MANY_EMAILS = (943, "Can not exceed 10 emails")
NO_RECORDS = (101, "No Records Found")


@dataclass(slots=True)
class Store:
    """Every location ever added for the account, by DID, plus alert emails.

    `_provisioned` indexes the one PROVISIONED location per DID: the dids store asks
    `has_911` for every number of a 100,000-number audit.
    """

    locations: dict[str, list[Location]] = field(default_factory=dict)
    alerts: dict[str, list[str]] = field(default_factory=dict)
    next_location_id: int = 40_000_001
    next_order_id: int = 7_000_001
    _provisioned: dict[str, Location] = field(default_factory=dict)
    # Streets the 911 provider's database no longer places (POST /_sandbox/other
    # {"action": "retire_street", "address1": ...}): validate911 then answers 101 for them, as
    # when VI's provider re-geocodes an area. Provisioned locations keep their status.
    retired_streets: list[str] = field(default_factory=list)

    def other(self, sandbox, payload: dict) -> dict | None:
        if payload.get("action") != "retire_street":
            return None
        street = " ".join(str(payload.get("address1", "")).upper().split())
        if street and street not in self.retired_streets:
            self.retired_streets.append(street)
        return {"retired_streets": list(self.retired_streets)}

    # --- reads -----------------------------------------------------------------------------

    def current(self, tn: str) -> list[Location]:
        return [loc for loc in self.locations.get(tn, ()) if loc.status != ARCHIVED]

    def provisioned(self, tn: str) -> Location | None:
        return self._provisioned.get(tn)

    def has_911(self, tn: str) -> bool:
        return tn in self._provisioned

    def primary(self, tn: str) -> Location | None:
        """The location that speaks for the DID: the provisioned one, else the newest current one."""
        current = self.current(tn)
        if not current:
            return None
        return self.provisioned(tn) or current[-1]

    def audit(self) -> list[Location]:
        primaries = (self.primary(tn) for tn in sorted(self.locations))
        return [location for location in primaries if location is not None]

    def history(self, tn: str) -> list[Location]:
        return list(self.locations.get(tn, ()))

    def find(self, tn: str, location_id: str) -> Location | None:
        for location in self.locations.get(tn, ()):
            if location.location_id == location_id and location.status != ARCHIVED:
                return location
        return None

    # --- writes ----------------------------------------------------------------------------

    def add_location(
        self,
        *,
        tn: str,
        address: Address,
        now: datetime,
        point: tuple[str, str] | None | Literal[False] = False,
    ) -> Location:
        """Store a location as GEOCODED (or INVALID) without provisioning it.

        `point` lets the seeder pass an already geocoded point (False: geocode here).
        """
        if point is False:
            point = geocode(address)
        location = Location(
            location_id=str(self.next_location_id),
            tn=tn,
            address=address,
            latitude=point[0] if point else "",
            longitude=point[1] if point else "",
            status=GEOCODED if point else INVALID,
            order_id=str(self.next_order_id),
            date_added=now,
            update_time=now,
        )
        self.next_location_id += 1
        self.next_order_id += 1
        self.locations.setdefault(tn, []).append(location)
        return location

    def provision(self, *, location: Location, now: datetime) -> None:
        if location.status == PROVISIONED:
            raise E911Error(*ALREADY_PROVISIONED)
        if location.status != GEOCODED:
            raise E911Error(*INCORRECT_STATUS)
        previous = self.provisioned(location.tn)
        if previous is not None:
            previous.status = GEOCODED
            previous.activated_time = None
            previous.update_time = now
        location.status = PROVISIONED
        location.activated_time = now
        location.update_time = now
        self._provisioned[location.tn] = location

    def archive(self, *, location: Location, now: datetime) -> None:
        if self._provisioned.get(location.tn) is location:
            del self._provisioned[location.tn]
        location.status = ARCHIVED
        location.update_time = now

    def rename_caller(self, *, tn: str, caller_name: str, now: datetime) -> None:
        for location in self.current(tn):
            if location.address.caller_name != caller_name:
                location.address = replace(location.address, caller_name=caller_name)
                location.update_time = now

    def insert911(self, *, tn: str, address: Address, now: datetime) -> Location:
        if self.has_911(tn):
            raise E911Error(*ALREADY_PROVISIONED)
        if geocode(address) is None:
            raise E911Error(*INCORRECT_STATUS)
        location = self.add_location(tn=tn, address=address, now=now)
        self.provision(location=location, now=now)
        return location

    def update911(self, *, tn: str, address: Address, now: datetime) -> Location:
        previous = self.provisioned(tn)
        if previous is not None:
            # VI: an invalid update leaves the number with no provisioned location at all.
            self.archive(location=previous, now=now)
        if geocode(address) is None:
            self.add_location(tn=tn, address=address, now=now)
            raise E911Error(*INCORRECT_STATUS)
        location = self.add_location(tn=tn, address=address, now=now)
        self.provision(location=location, now=now)
        return location

    def remove911(self, *, tn: str, now: datetime) -> int:
        """Archive every current location of the DID; how many were archived."""
        current = self.current(tn)
        for location in current:
            self.archive(location=location, now=now)
        return len(current)

    def add_alert(self, *, tn: str, email: str) -> None:
        if not self.has_911(tn):
            raise E911Error(*NOT_ENABLED)
        email = (email or "").strip()
        if len(email) > MAX_ALERT_EMAIL_LENGTH:
            raise E911Error(*EMAIL_TOO_LONG)
        emails = self.alerts.setdefault(tn, [])
        if email.lower() in (existing.lower() for existing in emails):
            raise E911Error(*EMAIL_EXISTS)
        if len(emails) >= MAX_ALERTS:
            raise E911Error(*TOO_MANY_EMAILS)
        emails.append(email)

    def remove_alert(self, *, tn: str, email: str) -> None:
        if not self.has_911(tn):
            raise E911Error(*NOT_ENABLED)
        emails = self.alerts.get(tn, [])
        wanted = (email or "").strip().lower()
        kept = [existing for existing in emails if existing.lower() != wanted]
        if len(kept) == len(emails):
            raise E911Error(*NO_RECORDS)
        self.alerts[tn] = kept

    def query_alerts(self, *, tn: str) -> list[str]:
        if not self.has_911(tn):
            raise E911Error(*NOT_ENABLED)
        return list(self.alerts.get(tn, []))

    # --- sandbox hooks ---------------------------------------------------------------------

    def summary(self, sandbox) -> dict:
        owned = sandbox.dids.owned
        current = [tn for tn in self.locations if self.current(tn)]
        return {
            "dids_with_locations": len(current),
            "provisioned": len(self._provisioned),
            "off_net": sum(1 for tn in current if owned(tn) is None),
            "alert_emails": sum(len(emails) for emails in self.alerts.values()),
        }

    def state_view(self, sandbox, parts: list[str]):
        """GET /_sandbox/state/e911[/<tn>]: everything the store holds for a DID."""
        if not parts:
            return self.summary(sandbox)
        tn = normalize_tn(parts[0])
        return {
            "tn": tn,
            "has911": self.has_911(tn),
            "owned": sandbox.dids.owned(tn) is not None,
            "locations": [_jsonable(location.as_vi_location()) for location in self.history(tn)],
            "alerts": list(self.alerts.get(tn, [])),
        }

    def seed(self, sandbox, *, profile: str, owned_tns: list[str]) -> None:
        seed_store(self, sandbox, profile=profile, owned_tns=owned_tns)


def _jsonable(record: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in record.items()
    }


# --- seeding -------------------------------------------------------------------------------

# Real city / ZIP pairs so seeded records look like an account's; the ZIPs obey `geocode`.
PLACES = {
    "UT": [("Salt Lake City", "84101"), ("Provo", "84601"), ("Ogden", "84401")],
    "NY": [("New York", "10001"), ("Buffalo", "14202"), ("Albany", "12207")],
    "CA": [("Los Angeles", "90012"), ("San Francisco", "94103"), ("San Diego", "92101")],
    "TX": [("Austin", "78701"), ("Dallas", "75201"), ("Houston", "77002")],
    "FL": [("Miami", "33130"), ("Orlando", "32801"), ("Tampa", "33602")],
    "IL": [("Chicago", "60601"), ("Springfield", "62701")],
    "GA": [("Atlanta", "30303"), ("Savannah", "31401")],
    "CO": [("Denver", "80202"), ("Boulder", "80302")],
    "WA": [("Seattle", "98101"), ("Spokane", "99201")],
    "MA": [("Boston", "02108"), ("Worcester", "01608")],
    "PA": [("Philadelphia", "19103"), ("Pittsburgh", "15222")],
    "OH": [("Columbus", "43215"), ("Cleveland", "44113")],
    "AZ": [("Phoenix", "85004"), ("Tucson", "85701")],
    "NC": [("Charlotte", "28202"), ("Raleigh", "27601")],
    "MN": [("Minneapolis", "55401"), ("Saint Paul", "55102")],
}
STREETS = [
    "Main St",
    "State St",
    "Oak Ave",
    "Maple Dr",
    "Center St",
    "Broadway",
    "Park Ave",
    "2nd Ave",
    "Elm St",
    "Washington Blvd",
    "Lake Shore Dr",
    "Pine St",
]
CALLER_NAMES = [
    "Front Desk",
    "Reception",
    "Main Office",
    "Warehouse",
    "Support",
    "Sales",
    "Acme Dental",
    "Hilltop Clinic",
    "Riverside Law",
    "Summit Realty",
]
SEED_911_SHARE = {"demo": 0.9, "test": 0.8}
OFF_NET_COUNT = {"demo": 6, "test": 2}


def _address(rng, state: str) -> Address:
    if state not in PLACES:
        state = rng.choice(sorted(PLACES))
    city, zip_code = rng.choice(PLACES[state])
    suite = rng.random() < 0.3
    return Address(
        address1=f"{rng.randrange(1, 9900)} {rng.choice(STREETS)}",
        address2=f"Suite {rng.randrange(100, 900)}" if suite else "",
        city=city,
        state=state,
        zip=zip_code,
        plus_four=f"{rng.randrange(1, 9999):04d}" if rng.random() < 0.5 else "",
        caller_name=rng.choice(CALLER_NAMES),
    )


ADDRESSES_PER_STATE = 64


def _address_pool(rng) -> dict[str, list[tuple[Address, tuple[str, str] | None]]]:
    """Geocoded addresses per state, made once: seeding 100,000 numbers must stay fast."""
    pool = {}
    for state in sorted(PLACES):
        addresses = [_address(rng, state) for _ in range(ADDRESSES_PER_STATE)]
        pool[state] = [(address, geocode(address)) for address in addresses]
    return pool


def seed_store(store: Store, sandbox, *, profile: str, owned_tns: list[str]) -> None:
    """911 on most owned numbers, some history, a few alerts, and a few off-net records.

    Uses its own RNG so the 911 seed does not shift when other domains change theirs.
    """
    if profile == "empty":
        return
    rng = random.Random(f"e911:{profile}")
    now = sandbox.now().replace(microsecond=0)
    share = SEED_911_SHARE.get(profile, 0.9)
    start = now - timedelta(days=400)
    pool = _address_pool(rng)
    states = sorted(pool)
    numbers = sandbox.dids.numbers
    chance = rng.random

    def address_for(state: str) -> tuple[Address, tuple[str, str] | None]:
        addresses = pool.get(state) or pool[states[int(chance() * len(states))]]
        return addresses[int(chance() * ADDRESSES_PER_STATE)]

    for index, tn in enumerate(owned_tns):
        if chance() >= share:
            continue
        number = numbers.get(tn)
        state = number.state if number is not None else ""
        added = start + timedelta(minutes=index)
        if index % 7 == 0:
            # An older location replaced later: history shows it archived.
            address, point = address_for(state)
            old = store.add_location(tn=tn, address=address, now=added, point=point)
            store.provision(location=old, now=added)
            store.archive(location=old, now=added + timedelta(days=30))
            added += timedelta(days=30)
        address, point = address_for(state)
        location = store.add_location(tn=tn, address=address, now=added, point=point)
        store.provision(location=location, now=added)
        if index % 11 == 0:
            # A parked legacy location (addLocation, never provisioned).
            address, point = address_for(state)
            store.add_location(tn=tn, address=address, now=added + timedelta(days=1), point=point)
        if index % 5 == 0:
            store.alerts[tn] = [f"noc{index}@example.com", "911-alerts@example.com"]
    # Off-net: numbers that left the account but whose 911 records VI still keeps.
    made = 0
    while made < OFF_NET_COUNT.get(profile, 3):
        tn = f"{rng.choice(['385', '801', '435'])}{rng.randrange(200, 999)}{rng.randrange(0, 10000):04d}"
        if tn in store.locations or sandbox.dids.owned(tn) is not None:
            continue
        location = store.add_location(tn=tn, address=_address(rng, "UT"), now=start)
        store.provision(location=location, now=start)
        made += 1


# --- SOAP handlers -------------------------------------------------------------------------

SUCCESS = {"responseCode": 100, "responseMessage": "Success"}
NO_RESULT_911 = {"responseCode": NO_RECORDS[0], "responseMessage": NO_RECORDS[1]}
INVALID_NUMBER = (944, "Invalid Number")


def _refusal(code: int, message: str) -> dict:
    return {"responseCode": code, "responseMessage": message}


def _no_records() -> dict:
    return _refusal(*NO_RECORDS)


def _address_from(request: Request) -> Address:
    return Address(
        address1=request.text("address1") or "",
        address2=request.text("address2") or "",
        city=request.text("city") or "",
        state=(request.text("state") or "").upper(),
        zip=request.text("zip", "zipCode") or "",
        plus_four=request.text("plusFour") or "",
        caller_name=request.text("callerName") or "",
    )


def _tn(request: Request, *names: str) -> str | None:
    """The 10-digit DID of the request, or None when it is not a NANP number."""
    tn = normalize_tn(request.text(*names))
    if len(tn) != 10 or tn[0] in "01" or tn[3] in "01":
        return None
    return tn


def _owned_tn(sandbox, request: Request, *names: str) -> str:
    tn = _tn(request, *names)
    if tn is None:
        raise E911Error(*INVALID_NUMBER)
    if sandbox.dids.owned(tn) is None:
        raise E911Error(*NOT_OWNED)
    return tn


def _status(code: str, description: str) -> dict:
    return {**SUCCESS, "Statuses": [{"code": code, "description": description}]}


def _answer(work) -> dict:
    """Run a handler body; a refusal becomes VI's top-level code and message."""
    try:
        return work()
    except E911Error as error:
        return _refusal(error.code, error.message)


@operation("validate911")
def validate911(sandbox, request: Request) -> dict:
    address = _address_from(request)
    retired = " ".join((address.address1 or "").upper().split()) in getattr(
        sandbox.e911, "retired_streets", ()
    )
    return dict(SUCCESS) if geocode(address) is not None and not retired else _no_records()


@operation("insert911")
def insert911(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "did")
        sandbox.e911.insert911(tn=tn, address=_address_from(request), now=sandbox.now())
        return _status("100", "Location status updated")

    return _answer(work)


@operation("update911")
def update911(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "did")
        sandbox.e911.update911(tn=tn, address=_address_from(request), now=sandbox.now())
        return _status("100", "Location status updated")

    return _answer(work)


@operation("remove911")
def remove911(sandbox, request: Request) -> dict:
    tn = _tn(request, "did")
    if tn is None:
        return _refusal(*INVALID_NUMBER)
    archived = sandbox.e911.remove911(tn=tn, now=sandbox.now())
    if archived == 1:
        return _status("100", f"1 record was successfully archived for DID {tn}")
    if archived:
        return _status("100", f"{archived} records were successfully archived for DID {tn}")
    return _status("205200", "Zero records deleted/archived")


@operation("query911", empty=lambda: {**NO_RESULT_911, "DID911s": [], "VILocations": []})
def query911(sandbox, request: Request) -> dict:
    tn = _tn(request, "did")
    if tn is None:
        return _refusal(*INVALID_NUMBER)
    location = sandbox.e911.provisioned(tn)
    if location is None:
        return {**_no_records(), "DID911s": [], "VILocations": []}
    return {
        **SUCCESS,
        "DID911s": [location.as_did911()],
        "VILocations": [location.as_vi_location()],
    }


@operation("audit911", empty=lambda: {**NO_RESULT_911, "DID911s": []})
def audit911(sandbox, request: Request) -> dict:
    records = sandbox.e911.audit()  # a snapshot taken under the lock; dicts stream afterwards
    if not records:
        return {**_no_records(), "DID911s": []}
    return {**SUCCESS, "DID911s": (location.as_did911() for location in records)}


@operation("getProvisioningHistory", empty=lambda: {**NO_RESULT_911, "VILocations": []})
def get_provisioning_history(sandbox, request: Request) -> dict:
    tn = _tn(request, "did")
    if tn is None:
        return _refusal(*INVALID_NUMBER)
    history = sandbox.e911.history(tn)
    if not history:
        return {**_no_records(), "VILocations": []}
    return {**SUCCESS, "VILocations": [location.as_vi_location() for location in history]}


# --- alerts --------------------------------------------------------------------------------


@operation("Add911Alert")
def add_911_alert(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "tn")
        sandbox.e911.add_alert(tn=tn, email=request.text("email") or "")
        return dict(SUCCESS)

    return _answer(work)


@operation("Remove911Alert")
def remove_911_alert(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "tn")
        sandbox.e911.remove_alert(tn=tn, email=request.text("email") or "")
        return dict(SUCCESS)

    return _answer(work)


@operation("Query911Alert")
def query_911_alert(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "tn")
        emails = sandbox.e911.query_alerts(tn=tn)
        # VI documents ONE string holding a comma-separated list, not one string per email.
        return {**SUCCESS, "Alerts": [",".join(emails)] if emails else []}

    return _answer(work)


# --- legacy location calls -----------------------------------------------------------------


def _missing_location(tn: str) -> dict:
    """getLocations' placeholder when a DID has none (VI's dummy record, code 206200)."""
    return {
        "locationId": "",
        "address1": "",
        "address2": "",
        "city": "",
        "state": "",
        "zipCode": "",
        "plusFour": "",
        "callerName": "",
        "latitude": "",
        "longitude": "",
        "statusCode": "206200",
        "statusDescription": f"A location could not be found for {tn}",
        "orderId": "",
        "activatedTime": NEVER,
        "updateTime": NEVER,
    }


@operation("addLocation")
def add_location(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "did")
        address = _address_from(request)
        now = sandbox.now()
        store = sandbox.e911
        if address.caller_name:
            # VI: the caller name given here overwrites it on the DID's other locations.
            store.rename_caller(tn=tn, caller_name=address.caller_name, now=now)
        location = store.add_location(tn=tn, address=address, now=now)
        return {**SUCCESS, "VILocations": [location.as_vi_location()]}

    return _answer(work)


@operation("getLocations", empty=lambda: {**SUCCESS, "VILocations": [_missing_location("")]})
def get_locations(sandbox, request: Request) -> dict:
    tn = _tn(request, "did")
    if tn is None:
        return _refusal(*INVALID_NUMBER)
    current = sandbox.e911.current(tn)
    if not current:
        return {**SUCCESS, "VILocations": [_missing_location(tn)]}
    return {**SUCCESS, "VILocations": [location.as_vi_location() for location in current]}


@operation("provisionLocation")
def provision_location(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_tn(sandbox, request, "did")
        store = sandbox.e911
        location = store.find(tn, request.text("locationId") or "")
        if location is None:
            raise E911Error(*LOCATION_MISSING)
        store.provision(location=location, now=sandbox.now())
        return _status("100", "Location status updated")

    return _answer(work)


@operation("removeLocation")
def remove_location(sandbox, request: Request) -> dict:
    def work():
        tn = _tn(request, "did")
        if tn is None:
            raise E911Error(*INVALID_NUMBER)
        store = sandbox.e911
        location = store.find(tn, request.text("locationId") or "")
        if location is None:
            raise E911Error(*LOCATION_MISSING)
        store.archive(location=location, now=sandbox.now())
        return _status("205100", "Location successfully removed")

    return _answer(work)
