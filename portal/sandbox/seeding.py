"""Deterministic accounts: "empty", "test" (small, for tests), "demo" (believable), or N numbers.

Everything random comes from `sandbox.rng` (fixed seed), so a seed always gives the same
account. Other domains seed through their Store.seed(sandbox, profile=..., owned_tns=...),
with profile "empty" | "test" | "demo" | "count" (count: put 911 on 90 % of owned_tns).
"""

from __future__ import annotations

from decimal import Decimal

from .domains.dids import (
    OTHER,
    OURS,
    Client,
    Country,
    DidGroup,
    EndpointGroup,
    IntlNumber,
    Number,
    Script,
)

# Real NPAs, their LATA and a few rate centers in each (as VI spells them: upper case, <=10 chars).
GEOGRAPHY = {
    "UT": [
        ("435", 660, ["BEAVER", "CEDAR CITY", "LOGAN", "ST GEORGE", "RICHFIELD", "HEBER CITY"]),
        ("801", 660, ["SALT LAKE", "PROVO", "OGDEN", "BOUNTIFUL"]),
    ],
    "NY": [
        ("212", 132, ["NWYRCYZN01", "NWYRCYZN03"]),
        ("718", 132, ["NWYRCYZN04", "NWYRCYZN05"]),
        ("518", 124, ["ALBANY", "SCHENECTADY"]),
    ],
    "CA": [
        ("415", 722, ["SNFC CNTRL", "SNFC SOUTH"]),
        ("213", 730, ["LSAN DA 01", "LSAN DA 02"]),
        ("619", 732, ["SAN DIEGO", "LA JOLLA"]),
    ],
    "TX": [
        ("512", 558, ["AUSTIN", "ROUND ROCK"]),
        ("214", 552, ["DALLAS", "GARLAND"]),
        ("713", 560, ["HOUSTON", "PASADENA"]),
    ],
    "FL": [("305", 460, ["MIAMI", "HOMESTEAD"]), ("407", 458, ["ORLANDO", "KISSIMMEE"])],
    "IL": [("312", 358, ["CHICAGO"]), ("773", 358, ["CHICAGO", "EVANSTON"])],
    "GA": [("404", 438, ["ATLANTA", "DECATUR"]), ("678", 438, ["MARIETTA", "ATLANTA"])],
    "WA": [("206", 674, ["SEATTLE", "BELLEVUE"]), ("509", 676, ["SPOKANE"])],
    "CO": [("303", 656, ["DENVER", "BOULDER"]), ("720", 656, ["DENVER", "AURORA"])],
    "MA": [("617", 128, ["BOSTON", "CAMBRIDGE"])],
}
TOLL_FREE_NPAS = ("800", "833", "844", "855", "866", "877", "888")
NETWORKS = ("Onvoy", "Level 3", "Bandwidth", "Peerless")
COUNTRIES: list[Country] = [
    {
        "name": "United Kingdom",
        "abbrev": "GB",
        "cities": [{"name": "London", "id": 4401}, {"name": "Manchester", "id": 4402}],
    },
    {
        "name": "Germany",
        "abbrev": "DE",
        "cities": [{"name": "Berlin", "id": 4901}, {"name": "Munich", "id": 4902}],
    },
    {"name": "Mexico", "abbrev": "MX", "cities": [{"name": "Mexico City", "id": 5201}]},
]
INTL_PREFIX = {4401: "44207", 4402: "44161", 4901: "4930", 4902: "4989", 5201: "5255"}

PROFILES = {
    # owned, available local, available toll-free, extended, other company's, groups
    "test": dict(
        owned=50, available=300, toll_free=40, extended=60, other=10, states=("UT", "NY", "TX")
    ),
    "demo": dict(
        owned=3000,
        available=20000,
        toll_free=2000,
        extended=3000,
        other=200,
        states=tuple(GEOGRAPHY),
    ),
}


class _TNs:
    """Unique, plausible TNs: walks NPA-NXX blocks, skipping line numbers at random."""

    def __init__(self, rng, used: set[str]):
        self.rng = rng
        self.used = used

    def local(self, npa: str) -> str:
        while True:
            tn = f"{npa}{self.rng.randrange(200, 1000):03d}{self.rng.randrange(10000):04d}"
            if tn not in self.used and tn[3] not in "01":
                self.used.add(tn)
                return tn

    def toll_free(self) -> str:
        while True:
            tn = f"{self.rng.choice(TOLL_FREE_NPAS)}{self.rng.randrange(200, 1000):03d}{self.rng.randrange(10000):04d}"
            if tn not in self.used:
                self.used.add(tn)
                return tn


def seed_sandbox(sandbox, seed: str | int) -> None:
    seed_text = str(seed).strip().lower()
    if seed_text.isdigit():
        profile, owned_tns = "count", _seed_count(sandbox, int(seed_text))
    elif seed_text in PROFILES:
        profile, owned_tns = (
            seed_text,
            _seed_profile(sandbox, PROFILES[seed_text], demo=seed_text == "demo"),
        )
    elif seed_text in ("", "empty", "none"):
        profile, owned_tns = "empty", []
        _seed_account(sandbox, balance=Decimal("100.00"), groups=1)
    else:
        raise ValueError(f"unknown seed {seed!r}: demo, test, empty or a number")
    sandbox.seed_name = seed_text or "empty"
    for name in ("e911", "porting", "messaging"):
        seed_domain = getattr(getattr(sandbox, name), "seed", None)
        if seed_domain is not None:
            seed_domain(sandbox, profile=profile, owned_tns=list(owned_tns))


def _seed_account(sandbox, *, balance: Decimal, groups: int) -> list[int]:
    """Clients, endpoint groups (one inactive, one another company's), scripts, countries."""
    store = sandbox.dids
    store.balance = balance
    store.clients = {client.id: client for client in _clients()}
    # Which client each active trunk belongs to: the first two alternate as they always have,
    # a third and fourth trunk go to other customers, so a demo shows several clients with
    # numbers spread over their groups and one (Northwind) that has none yet.
    owners = (1, 2, 3, 1)
    ours = []
    for index in range(groups):
        group_id = 8674 + index
        store.endpoint_groups[group_id] = EndpointGroup(
            id=group_id,
            name=f"Trunk {index + 1}",
            client_id=owners[index % len(owners)],
            ips=[f"203.0.113.{10 + index}", f"203.0.113.{110 + index}"],
        )
        ours.append(group_id)
    inactive = 8674 + groups
    store.endpoint_groups[inactive] = EndpointGroup(
        id=inactive, name="Old PBX (inactive)", active=False, client_id=3, ips=["198.51.100.7"]
    )
    store.endpoint_groups[13550] = EndpointGroup(
        id=13550, name="Another company's trunk", owner=OTHER, ips=["192.0.2.55"]
    )
    store.scripts = {"701": Script("701", "IVR main menu"), "702": Script("702", "After hours")}
    store.countries = [{**country, "cities": list(country["cities"])} for country in COUNTRIES]
    for city_id, prefix in INTL_PREFIX.items():
        country = next(c for c in COUNTRIES if any(city["id"] == city_id for city in c["cities"]))
        city = next(city for city in country["cities"] if city["id"] == city_id)
        for line in range(3):
            tn = f"{prefix}{5550100 + line}"
            store.intl_numbers[tn] = IntlNumber(
                tn=tn, country=country["abbrev"], city=city["name"], city_id=city_id
            )
    return ours


def _clients() -> list[Client]:
    return [
        Client(1, "Main Office", e911_groups=["Headquarters"], billing_customers=["HB-1001"]),
        Client(
            2,
            "Branch Customers",
            e911_groups=["Branches east", "Branches west"],
            billing_customers=["HB-1002"],
        ),
        Client(
            3, "Riverside Dental", e911_groups=["Riverside clinic"], billing_customers=["HB-1003"]
        ),
        Client(4, "Northwind Logistics", billing_customers=[]),
    ]


def _local_number(rng, tns: _TNs, state: str, **extra) -> Number:
    npa, lata, rate_centers = rng.choice(GEOGRAPHY[state])
    tier = "777" if rng.random() < 0.02 else rng.choice(("1", "1", "1", "2", "4"))
    return Number(
        tn=tns.local(npa),
        state=state,
        rate_center=rng.choice(rate_centers),
        lata=lata,
        tier=tier,
        network=rng.choice(NETWORKS),
        t38=rng.random() < 0.85,
        cnam_storage=rng.random() < 0.8,
        sms=rng.random() < 0.75,
        **extra,
    )


def _toll_free_number(rng, tns: _TNs) -> Number:
    return Number(
        tn=tns.toll_free(),
        state="TF",
        rate_center="TOLL FREE",
        lata=0,
        tier="1",
        network="Level 3",
        t38=False,
        cnam_storage=False,
        sms=rng.random() < 0.5,
    )


def _seed_profile(sandbox, settings: dict, *, demo: bool) -> list[str]:
    rng, store = sandbox.rng, sandbox.dids
    groups = _seed_account(
        sandbox, balance=Decimal("2500.00") if demo else Decimal("500.00"), groups=4 if demo else 2
    )
    tns = _TNs(rng, set())
    states = settings["states"]
    for index, name in enumerate(("Sales", "Support", "Marketing campaigns")[: 3 if demo else 2]):
        group = DidGroup(store.next_did_group_id, name, client_id=1 + index % 3)
        store.did_groups[group.id] = group
        store.next_did_group_id += 1
    owned = []
    for index in range(settings["owned"]):
        number = (
            _toll_free_number(rng, tns)
            if index % 25 == 24
            else _local_number(rng, tns, states[index % len(states)])
        )
        if number.tier == "777":
            number.tier = "1"
        number.holder = OURS
        number.endpoint_group = groups[index % len(groups)]
        number.cnam = index % 3 == 0
        _sprinkle_features(rng, store, number, index)
        store.numbers[number.tn] = number
        owned.append(number.tn)
    for index in range(settings["available"]):
        number = _local_number(rng, tns, states[index % len(states)])
        store.numbers[number.tn] = number
    for _ in range(settings["toll_free"]):
        number = _toll_free_number(rng, tns)
        store.numbers[number.tn] = number
    for index in range(settings["extended"]):
        number = _local_number(rng, tns, states[index % len(states)], extended=True)
        store.numbers[number.tn] = number
    for index in range(settings["other"]):
        number = _local_number(rng, tns, states[index % len(states)], holder=OTHER)
        store.numbers[number.tn] = number
    # A couple of numbers another company is holding right now (102230 / 103230 / 104230).
    for number in list(store.available(sandbox.now()))[:3]:
        number.reserved_by = OTHER
        number.reserved_until = sandbox.now() + _years(5)
    # Two international numbers on the account.
    for intl in list(store.intl_numbers.values())[:2]:
        intl.holder = OURS
        intl.endpoint_group = groups[0]
    return owned


def _sprinkle_features(rng, store, number: Number, index: int) -> None:
    """Features on some numbers, spread so every kind shows up even in the small seed."""
    if index % 7 == 1 and number.cnam_storage:
        number.cnam_name = rng.choice(("ACME SUPPORT", "ACME SALES", "FRONT DESK", "DR SMITH"))
    if index % 11 == 2:
        number.forward = f"801555{1000 + index:04d}"[:10]
    if index % 13 == 3:
        number.failover = f"435555{2000 + index:04d}"[:10]
    if index % 5 == 4 and store.did_groups:
        number.did_group_id = list(store.did_groups)[index % len(store.did_groups)]
    if index % 17 == 5:
        number.conference_pin = f"{rng.randrange(10**8):08d}"
    if index % 19 == 6:
        number.fax_email = f"fax{index}@example.com"
        number.fax_notifications = index % 2 == 0
        number.email_to_fax = [f"scan{index}@example.com"]
    if index % 23 == 7:
        number.ref_id = f"CUST-{index:05d}"
    if index % 29 == 8:
        number.endpoint_group = 0
        number.personal_inventory = True
    if index % 31 == 9:
        number.script_id = "701"
    number.has411 = index % 41 == 10


def _seed_count(sandbox, count: int) -> list[str]:
    """N owned numbers, quickly (100,000 in a few seconds), plus a modest inventory."""
    rng, store = sandbox.rng, sandbox.dids
    groups = _seed_account(sandbox, balance=Decimal("10000.00"), groups=3)
    group = DidGroup(store.next_did_group_id, "Bulk")
    store.did_groups[group.id] = group
    store.next_did_group_id += 1
    states = tuple(GEOGRAPHY)
    blocks = [(state, npa, lata, rcs) for state in states for npa, lata, rcs in GEOGRAPHY[state]]
    numbers = store.numbers
    owned = []
    # Walk NPA-NXX blocks (a fresh NXX each visit, NPAs in turn), lines rising with random
    # gaps: unique by construction, so no membership checks in the hot loop.
    per_exchange = 2000
    next_nxx = [200] * len(blocks)
    random = rng.random
    index = 0
    visit = 0
    while index < count:
        block = visit % len(blocks)
        visit += 1
        state, npa, lata, rate_centers = blocks[block]
        nxx = next_nxx[block]
        next_nxx[block] += 1
        line = rng.randrange(50)
        for _ in range(min(per_exchange, count - index)):
            line += 1 + (random() < 0.3)
            tn = f"{npa}{nxx:03d}{line:04d}"
            numbers[tn] = Number(
                tn=tn,
                state=state,
                rate_center=rate_centers[index % len(rate_centers)],
                lata=lata,
                tier="1" if random() < 0.7 else "2",
                holder=OURS,
                endpoint_group=groups[index % 3],
                cnam=index % 3 == 0,
                t38=random() < 0.85,
                cnam_storage=random() < 0.8,
            )
            owned.append(tn)
            index += 1
    tns = _TNs(rng, set(numbers))
    for index in range(max(500, min(count // 10, 10000))):
        number = _local_number(rng, tns, states[index % len(states)])
        numbers[number.tn] = number
    for _ in range(100):
        number = _toll_free_number(rng, tns)
        numbers[number.tn] = number
    return owned


def _years(count: int):
    from datetime import timedelta

    return timedelta(days=365 * count)
