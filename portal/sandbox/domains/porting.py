"""Ports: numbers on their way to the account from another carrier, moving over sandbox time.

VI's API only reads ports (they are ordered in the Back Office), so every port here is seeded
or added through the control API; what the API shows is how they move.

Lifecycle (choices where VI's documents are silent; "PENDING SIGNATURE" is VI's own word):

    PENDING SIGNATURE --(control "port_step": the LOA is signed)--> SUBMITTED
    SUBMITTED --(2 days after submittedDate)--> FOC RECEIVED, focDate = the later of the
        requested FOC date and 5 days after submission (same time of day: seeded ports then
        never move within 12 hours of a reset, whatever the wall clock says)
              \\--(same moment, for a port fated to fail)--> REJECTED
    FOC RECEIVED --(1 day before focDate, once, for some ports)--> FOC RECEIVED with a new
        focDate 3 days later ("FOC date changed")
    FOC RECEIVED --(2 days before focDate, for a port the customer cancels)--> CANCELLED
    FOC RECEIVED --(on focDate)--> COMPLETED: its numbers join the account's owned numbers
        in the dids store (endpoint group of each PortDID, inbound CNAM as ported, and 911
        provisioned at the port's service address when the PortDID has e911).

Every move appends one history entry per number of the port (GetPortHistory). A port's fate
(complete, FOC change then complete, reject, cancel) is fixed when it is made, so the same
seed always plays out the same way. Active ports are those not COMPLETED, CANCELLED or
REJECTED (getActivePorts); none gives 101 "No Records Found".

isPortable (deterministic): 944 "Invalid Number" unless the TN has 10 digits with NPA and NXX
starting 2-9. Then it is NOT portable when the number is already on VI's network (known to
the dids store: owned, in inventory or another company's), when its NPA is 900 or 976 or an
N11 code, when its NXX is 555, 950 or 976, or when its NXX ends in 9 (the sandbox's stand-in
for a losing carrier VI has no porting agreement with). Everything else is portable.

Control (POST /_sandbox/other):
  {"action": "port_step", "portId": N}                  apply the port's next move now
  {"action": "port_foc", "portId": N, "focDate": ISO}   set/change its FOC date now
  {"action": "port_add", "tns": [...]?, "fate": "complete|foc_change|reject|cancel"?,
   "signed": true?, "requestedFocDate": ISO?}           a new port, submitted now (or
                                                         PENDING SIGNATURE when signed is false)
State: GET /_sandbox/state/porting[/<portId>].
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..registry import Request, operation
from .dids import OURS, Number, normalize_tn

PENDING_SIGNATURE = "PENDING SIGNATURE"
SUBMITTED = "SUBMITTED"
FOC_RECEIVED = "FOC RECEIVED"
COMPLETED = "COMPLETED"
CANCELLED = "CANCELLED"
REJECTED = "REJECTED"
FINISHED = frozenset({COMPLETED, CANCELLED, REJECTED})

COMPLETE, FOC_CHANGE, REJECT, CANCEL = "complete", "foc_change", "reject", "cancel"
FATES = (COMPLETE, FOC_CHANGE, REJECT, CANCEL)

REVIEW = timedelta(days=2)  # submission -> FOC (or rejection)
MIN_LEAD = timedelta(days=5)  # submission -> earliest FOC date
FOC_SLIP = timedelta(days=3)
REJECTION_REASON = "Rejected by the losing carrier: account number and PIN do not match the CSR"
CANCEL_REASON = "Cancelled at the end user's request"

NON_PORTABLE_NPAS = frozenset({"900", "976"})
NON_PORTABLE_NXXS = frozenset({"555", "950", "976"})


def check_tn(tn: str | None) -> str | None:
    """The 10-digit NANP number, or None when it is not one."""
    digits = normalize_tn(tn)
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return digits


def portable(sandbox, tn: str) -> bool:
    npa, nxx = tn[:3], tn[3:6]
    if sandbox.dids.get(tn) is not None:
        return False  # already on VI's network
    if npa in NON_PORTABLE_NPAS or npa[1:] == "11":
        return False
    if nxx in NON_PORTABLE_NXXS or nxx.endswith("9"):
        return False
    return True


@dataclass(slots=True)
class PortNumber:
    tn: str
    tier: str
    rate_center: str
    state: str
    lata: str
    endpoint_group: int
    cnam: bool
    e911: bool

    def as_port_did(self) -> dict:
        return {
            "tn": self.tn,
            "tier": self.tier,
            "rateCenter": self.rate_center,
            "state": self.state,
            "lata": self.lata,
            "endpointGroup": self.endpoint_group,
            "cnam": self.cnam,
            "e911": self.e911,
        }


@dataclass(slots=True)
class HistoryEntry:
    status: str
    date: datetime
    description: str


@dataclass(slots=True)
class Port:
    id: int
    status: str
    end_user: str
    billing_tn: str
    porting_from: str
    sales_rep: str
    numbers: list[PortNumber]
    default_endpoint_group: int | None
    fate: str = COMPLETE
    submitted: datetime | None = None
    foc: datetime | None = None
    requested_foc: datetime | None = None
    foc_changed: bool = False
    # Where the end user's numbers ring today; 911 is provisioned here on completion.
    service_address: dict = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.status not in FINISHED

    def as_port_detail(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "endUser": self.end_user,
            "billingTN": self.billing_tn,
            "portingFrom": self.porting_from,
            "salesRep": self.sales_rep,
            "submittedDate": self.submitted,
            "focDate": self.foc,
            "requestedFocDate": self.requested_foc,
            "dids": [number.as_port_did() for number in self.numbers],
            "defaultEndpointGroup": self.default_endpoint_group,
        }

    def history_entries(self, tn: str | None = None) -> list[dict]:
        tns = [n.tn for n in self.numbers if tn is None or n.tn == tn]
        return [
            {
                "tn": number,
                "portId": self.id,
                "status": entry.status,
                "date": entry.date,
                "description": entry.description,
            }
            for entry in self.history
            for number in tns
        ]

    def as_json(self) -> dict:
        detail = self.as_port_detail()
        for key in ("submittedDate", "focDate", "requestedFocDate"):
            if detail[key] is not None:
                detail[key] = detail[key].isoformat()
        detail["fate"] = self.fate
        detail["history"] = [
            {"status": e.status, "date": e.date.isoformat(), "description": e.description}
            for e in self.history
        ]
        return detail


class PortError(ValueError):
    pass


class Store:
    def __init__(self):
        self.ports: dict[int, Port] = {}
        self.next_port_id = 36_601

    # -- the clock moves ports --------------------------------------------------------------
    def next_move(self, port: Port) -> datetime | None:
        """When the port moves next on its own, or None (finished, or waiting on a signature)."""
        if port.status == SUBMITTED:
            assert port.submitted is not None  # move() dates the submission as it submits
            return port.submitted + REVIEW
        if port.status == FOC_RECEIVED:
            assert port.foc is not None  # move() and change_foc() set the FOC with the status
            if port.fate == CANCEL:
                return port.foc - timedelta(days=2)
            if port.fate == FOC_CHANGE and not port.foc_changed:
                return port.foc - timedelta(days=1)
            return port.foc
        return None

    def move(self, sandbox, port: Port, at: datetime) -> None:
        """Apply the port's next move, dated `at`."""
        if port.status == PENDING_SIGNATURE:
            port.submitted = at
            self._record(
                port,
                SUBMITTED,
                at,
                "Letter of authorization signed; port submitted to the losing carrier",
            )
        elif port.status == SUBMITTED:
            if port.fate == REJECT:
                self._record(port, REJECTED, at, REJECTION_REASON)
            else:
                assert port.submitted is not None  # move() dates the submission as it submits
                earliest = port.submitted + MIN_LEAD
                port.foc = max(earliest, port.requested_foc or earliest)
                self._record(port, FOC_RECEIVED, at, f"FOC date set to {port.foc:%Y-%m-%d}")
        elif port.status == FOC_RECEIVED:
            if port.fate == CANCEL:
                self._record(port, CANCELLED, at, CANCEL_REASON)
            elif port.fate == FOC_CHANGE and not port.foc_changed:
                assert port.foc is not None  # move() and change_foc() set the FOC with the status
                self.change_foc(port, port.foc + FOC_SLIP, at)
            else:
                self._complete(sandbox, port, at)

    def change_foc(self, port: Port, foc: datetime, at: datetime) -> None:
        previous = port.foc
        port.foc = foc
        port.foc_changed = True
        if port.status == SUBMITTED:
            self._record(port, FOC_RECEIVED, at, f"FOC date set to {foc:%Y-%m-%d}")
        else:
            self._record(
                port,
                FOC_RECEIVED,
                at,
                f"FOC date changed from {previous:%Y-%m-%d} to {foc:%Y-%m-%d}"
                if previous
                else f"FOC date set to {foc:%Y-%m-%d}",
            )

    def _record(self, port: Port, status: str, at: datetime, description: str) -> None:
        port.status = status
        port.history.append(HistoryEntry(status, at, description))

    def _complete(self, sandbox, port: Port, at: datetime) -> None:
        self._record(port, COMPLETED, at, "Port completed; numbers active on VI")
        store = sandbox.dids
        for ported in port.numbers:
            number = store.get(ported.tn)
            if number is not None and number.holder == OURS:
                continue  # already on the account (seeded history): leave it as it is
            if number is None:
                number = Number(
                    tn=ported.tn,
                    state=ported.state,
                    rate_center=ported.rate_center,
                    lata=int(ported.lata) if ported.lata.isdigit() else 0,
                    tier=ported.tier,
                )
                store.numbers[ported.tn] = number
            number.holder = OURS
            number.reserved_by = number.reserved_until = number.aging_until = None
            number.endpoint_group = ported.endpoint_group or (port.default_endpoint_group or 0)
            number.cnam = ported.cnam
            if ported.e911 and port.service_address and sandbox.e911 is not None:
                _provision_911(sandbox, ported.tn, port.service_address, at)

    def catch_up(self, sandbox) -> None:
        """Play every move due by the sandbox clock, in time order across ports."""
        now = sandbox.now()
        while True:
            moves = ((self.next_move(port), port.id) for port in self.ports.values())
            due = [(at, port_id) for at, port_id in moves if at is not None and at <= now]
            if not due:
                return
            at, port_id = min(due)
            self.move(sandbox, self.ports[port_id], at)

    # -- hooks the core calls -----------------------------------------------------------------
    def on_clock(self, sandbox) -> None:
        self.catch_up(sandbox)

    def summary(self, sandbox) -> dict:
        counts: dict[str, int] = {}
        for port in self.ports.values():
            counts[port.status] = counts.get(port.status, 0) + 1
        return {
            "ports": len(self.ports),
            "active": sum(p.active for p in self.ports.values()),
            **counts,
        }

    def state_view(self, sandbox, parts: list[str]):
        self.catch_up(sandbox)
        if not parts:
            return [port.as_json() for port in sorted(self.ports.values(), key=lambda p: p.id)]
        port = self.ports.get(int(parts[0])) if parts[0].isdigit() else None
        return port.as_json() if port is not None else None

    def other(self, sandbox, payload: dict) -> dict | None:
        action = payload.get("action")
        if action not in ("port_step", "port_foc", "port_add"):
            return None
        self.catch_up(sandbox)
        now = sandbox.now()
        if action == "port_add":
            added = self.add_port(
                sandbox,
                tns=payload.get("tns"),
                fate=payload.get("fate", COMPLETE),
                submitted=now if payload.get("signed", True) else None,
                requested_foc=_parse_moment(payload.get("requestedFocDate")),
            )
            return added.as_json()
        port = self.ports.get(int(payload.get("portId", 0)))
        if port is None:
            raise PortError("portId must name a port")
        if not port.active:
            raise PortError(f"port {port.id} is {port.status}; it no longer moves")
        if action == "port_step":
            self.move(sandbox, port, now)
        else:
            foc = _parse_moment(payload.get("focDate"))
            if foc is None:
                raise PortError("focDate must be an ISO date")
            self.change_foc(port, foc, now)
            self.catch_up(sandbox)  # a FOC date in the past completes the port now
        return port.as_json()

    # -- making ports -------------------------------------------------------------------------
    def add_port(
        self,
        sandbox,
        *,
        tns: list[str] | None = None,
        fate: str = COMPLETE,
        submitted: datetime | None,
        requested_foc: datetime | None = None,
        rng: random.Random | None = None,
        end_user: str | None = None,
    ) -> Port:
        if fate not in FATES:
            raise PortError(f"fate must be one of {', '.join(FATES)}")
        rng = rng or random.Random(f"port:{self.next_port_id}")
        if tns:
            checked = [tn for tn in map(check_tn, tns) if tn is not None]
            if len(checked) != len(tns):
                raise PortError("tns must be 10-digit NANP numbers")
        else:
            checked = _foreign_tns(sandbox, rng, count=rng.randint(1, 3))
        groups = [
            g.id for g in sandbox.dids.endpoint_groups.values() if g.owner == OURS and g.active
        ] or [0]
        group = groups[self.next_port_id % len(groups)]
        numbers = [_port_number(rng, tn, group) for tn in checked]
        port = Port(
            id=self.next_port_id,
            status=PENDING_SIGNATURE,
            end_user=end_user or rng.choice(END_USERS),
            billing_tn=checked[0],
            porting_from=rng.choice(CARRIERS),
            sales_rep=rng.choice(SALES_REPS),
            numbers=numbers,
            default_endpoint_group=group,
            fate=fate,
            requested_foc=requested_foc,
            service_address=_service_address(rng, numbers[0].state),
        )
        self.next_port_id += 1
        self.ports[port.id] = port
        port.history.append(
            HistoryEntry(
                PENDING_SIGNATURE,
                submitted or sandbox.now(),
                "Port order created; waiting for the letter of authorization",
            )
        )
        if submitted is not None:
            self.move(sandbox, port, submitted)
        return port

    def seed(self, sandbox, *, profile: str, owned_tns: list[str]) -> None:
        seed_store(self, sandbox, profile=profile, owned_tns=owned_tns)


def _parse_moment(text) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment.replace(tzinfo=None)


def _provision_911(sandbox, tn: str, address: dict, at: datetime) -> None:
    from .e911 import Address, E911Error

    store = sandbox.e911
    if store.has_911(tn):
        return
    try:
        store.insert911(tn=tn, address=Address(**address), now=at)
    except E911Error:
        pass  # an address Dash cannot place: the number arrives without 911, as it would


# --- seeding -------------------------------------------------------------------------------

END_USERS = [
    "Rob Richey",
    "Hilltop Dental Group",
    "Riverside Law LLP",
    "Summit Realty",
    "Blue Sky Pediatrics",
    "Canyon Auto Repair",
    "Maple Street Bakery",
    "Northwind Logistics",
]
CARRIERS = [
    "CenturyLink",
    "AT&T",
    "Verizon",
    "Comcast Business",
    "Frontier",
    "Spectrum",
    "Bandwidth",
]
SALES_REPS = ["Dana Ortiz", "Lee Wong", "Sam Patel"]
PLACES = {
    "UT": ("Salt Lake City", "84101"),
    "NY": ("New York", "10001"),
    "TX": ("Austin", "78701"),
    "CA": ("San Diego", "92101"),
    "FL": ("Miami", "33130"),
    "IL": ("Chicago", "60601"),
    "GA": ("Atlanta", "30303"),
    "WA": ("Seattle", "98101"),
    "CO": ("Denver", "80202"),
    "MA": ("Boston", "02108"),
}


def _geography() -> dict[str, tuple[str, int, list[str]]]:
    from ..seeding import GEOGRAPHY  # the core's real NPAs; imported late to keep imports light

    return {
        npa: (state, lata, centers)
        for state, blocks in GEOGRAPHY.items()
        for npa, lata, centers in blocks
    }


def _foreign_tns(sandbox, rng: random.Random, *, count: int) -> list[str]:
    """Numbers at another carrier: unknown to VI and portable by the rule above."""
    npas = sorted(_geography())
    found: list[str] = []
    while len(found) < count:
        npa = rng.choice(npas)
        tn = f"{npa}{rng.randrange(200, 999)}{rng.randrange(10000):04d}"
        if tn not in found and portable(sandbox, tn):
            found.append(tn)
    return found


def _port_number(rng: random.Random, tn: str, group: int) -> PortNumber:
    state, lata, centers = _geography().get(tn[:3], ("UT", 660, ["SALT LAKE"]))
    return PortNumber(
        tn=tn,
        tier="1",
        rate_center=rng.choice(centers),
        state=state,
        lata=str(lata),
        endpoint_group=group,
        cnam=rng.random() < 0.5,
        e911=rng.random() < 0.7,
    )


def _service_address(rng: random.Random, state: str) -> dict:
    city, zip_code = PLACES.get(state, PLACES["UT"])
    return {
        "address1": f"{rng.randrange(10, 9000)} Commerce Way",
        "city": city,
        "state": state,
        "zip": zip_code,
        "caller_name": "Main Line",
    }


# (days before now it was submitted or None for unsigned, fate) — chosen so that right after
# seeding there is a port at every stage, and nothing moves for at least 12 sandbox hours.
SEED_PLAN = {
    "test": [
        (None, COMPLETE),  # PENDING SIGNATURE
        (1.0, COMPLETE),  # SUBMITTED, FOC due in 1 day
        (1.25, REJECT),  # SUBMITTED, rejected in 0.75 day
        (3.0, COMPLETE),  # FOC RECEIVED, completes in 2 days
        (3.0, FOC_CHANGE),  # FOC RECEIVED, FOC date changes in 1 day, completes 3 days later
        (2.5, CANCEL),  # FOC RECEIVED, cancelled in 0.5 day
        (30.0, COMPLETE),  # COMPLETED (its numbers are already owned)
        (40.0, REJECT),  # REJECTED
        (50.0, CANCEL),  # CANCELLED
    ],
}
SEED_PLAN["demo"] = SEED_PLAN["test"] + [
    (0.5, COMPLETE),
    (2.25, FOC_CHANGE),
    (4.25, COMPLETE),
    (60.0, FOC_CHANGE),
    (90.0, COMPLETE),
    (None, REJECT),
    (20.0, REJECT),
]
SEED_PLAN["count"] = SEED_PLAN["test"]


def seed_store(store: Store, sandbox, *, profile: str, owned_tns: list[str]) -> None:
    plan = SEED_PLAN.get(profile)
    if not plan:
        return
    rng = random.Random(f"porting:{profile}")
    now = sandbox.now().replace(microsecond=0)
    owned = iter(owned_tns[5::7])  # completed ports brought numbers that are owned today
    for days_ago, fate in plan:
        submitted = None if days_ago is None else now - timedelta(days=days_ago)
        tns = None
        if fate in (COMPLETE, FOC_CHANGE) and days_ago is not None and days_ago >= 10:
            tns = [tn for tn in (next(owned, None), next(owned, None)) if tn]
        port = store.add_port(sandbox, tns=tns or None, fate=fate, submitted=submitted, rng=rng)
        if port.status == PENDING_SIGNATURE:
            continue
        # Play the port forward to today so its history is complete; completed seeded ports
        # only touch numbers that are owned already.
        while (at := store.next_move(port)) is not None and at <= now:
            store.move(sandbox, port, at)


# --- SOAP handlers -------------------------------------------------------------------------

SUCCESS = {"responseCode": 100, "responseMessage": "Success"}
NO_RECORDS = {"responseCode": 101, "responseMessage": "No Records Found"}
INVALID_NUMBER = {"responseCode": 944, "responseMessage": "Invalid Number", "IsPortable": False}


@operation("isPortable")
def is_portable(sandbox, request: Request) -> dict:
    tn = check_tn(request.text("tn", "did"))
    if tn is None:
        return dict(INVALID_NUMBER)
    return {**SUCCESS, "PortDetails": None, "IsPortable": portable(sandbox, tn)}


@operation("getPortDetails")
def get_port_details(sandbox, request: Request) -> dict:
    store = sandbox.porting
    store.catch_up(sandbox)
    port = store.ports.get(request.int("portId", "portID", default=0))
    if port is None:
        return {**NO_RECORDS, "IsPortable": False}
    return {**SUCCESS, "PortDetails": port.as_port_detail(), "IsPortable": False}


@operation("getActivePorts", empty=lambda: {**NO_RECORDS, "IsPortable": False, "ActivePorts": []})
def get_active_ports(sandbox, request: Request) -> dict:
    store = sandbox.porting
    store.catch_up(sandbox)
    active = [
        port.as_port_detail()
        for port in sorted(store.ports.values(), key=lambda p: p.id)
        if port.active
    ]
    if not active:
        return {**NO_RECORDS, "IsPortable": False, "ActivePorts": []}
    return {**SUCCESS, "IsPortable": False, "ActivePorts": active}


@operation("GetPortHistory", empty=lambda: {**NO_RECORDS, "IsPortable": False, "PortHistory": []})
def get_port_history(sandbox, request: Request) -> dict:
    tn = check_tn(request.text("tn", "did"))
    if tn is None:
        return dict(INVALID_NUMBER)
    store = sandbox.porting
    store.catch_up(sandbox)
    ports = [
        port
        for port in sorted(store.ports.values(), key=lambda p: p.id)
        if any(number.tn == tn for number in port.numbers)
    ]
    if not ports:
        return {**NO_RECORDS, "IsPortable": portable(sandbox, tn), "PortHistory": []}
    entries = sorted(
        (entry for port in ports for entry in port.history_entries(tn)),
        key=lambda entry: (entry["date"], entry["portId"]),
    )
    return {
        **SUCCESS,
        "PortDetails": ports[-1].as_port_detail(),
        "IsPortable": portable(sandbox, tn),
        "PortHistory": entries,
    }
