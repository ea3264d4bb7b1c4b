"""What the 911 gateway takes and returns: frozen, typed copies of VI's Response911 parts.

Built from zeep objects (`client.call`) or dicts (`client.stream`), both with VI's element
names; nothing above the gateway sees VI's spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from dids.records import fast_reader, text, utc_moment, vi_record


@dataclass(frozen=True)
class Address:
    """A 911 address as VI's insert911/update911/validate911/addLocation take it."""

    address1: str
    city: str
    state: str
    zip_code: str
    address2: str = ""
    plus_four: str = ""
    caller_name: str = ""

    def as_vi(self) -> dict[str, str]:
        return {
            "address1": self.address1,
            "address2": self.address2,
            "city": self.city,
            "state": self.state,
            "zip": self.zip_code,
            "plusFour": self.plus_four,
            "callerName": self.caller_name,
        }

    @property
    def one_line(self) -> str:
        street = ", ".join(part for part in (self.address1, self.address2) if part)
        zip_code = f"{self.zip_code}-{self.plus_four}" if self.plus_four else self.zip_code
        return f"{street}, {self.city}, {self.state} {zip_code}"

    def same_place(self, other: Any) -> bool:
        """True when `other` (an Address or a Location row) is the same address and name.

        Compared without case and extra spaces: VI may return what it stored in its own case.
        """

        def canon(value: str) -> str:
            return " ".join((value or "").upper().split())

        mine = (
            self.address1,
            self.address2,
            self.city,
            self.state,
            self.zip_code,
            self.caller_name,
        )
        theirs = (
            other.address1, other.address2, other.city, other.state, other.zip_code, other.caller_name,
        )  # fmt: skip
        return all(canon(a) == canon(b) for a, b in zip(mine, theirs, strict=True))


@dataclass(frozen=True)
class LocationRecord:
    """A DID911 (audit911, query911), optionally completed by query911's VILocation."""

    tn: str
    location_id: str
    caller_name: str
    address1: str
    address2: str
    city: str
    state: str
    zip_code: str
    latitude: str
    longitude: str
    status_code: str
    status_description: str
    activated_at: datetime | None
    added_at: datetime | None
    plus_four: str = ""

    @vi_record("e911.Location")
    @classmethod
    def from_vi(cls, record: Any) -> LocationRecord:
        return cls(
            tn=text(record, "tn"),
            location_id=text(record, "locationId"),
            caller_name=text(record, "callerName"),
            address1=text(record, "address1"),
            address2=text(record, "address2"),
            city=text(record, "city"),
            state=text(record, "state"),
            zip_code=text(record, "zipCode"),
            latitude=text(record, "latitude"),
            longitude=text(record, "longitude"),
            status_code=text(record, "statusCode"),
            status_description=text(record, "statusDescription"),
            activated_at=utc_moment(record, "activatedTime"),
            added_at=utc_moment(record, "dateAdded"),
        )

    @staticmethod
    def sync_values(record: Any) -> dict[str, Any] | None:
        """`{"tn": …, **from_vi(record).mirror_values()}` taken in one pass — or None, and the
        caller takes the careful path (see `DIDRecord.sync_values`)."""
        if type(record) is not dict:
            return None
        return _location_fast()(record)

    def mirror_values(self) -> dict[str, Any]:
        """The Location fields an audit fills (`Location.vi_fields`)."""
        return {
            "location_id": self.location_id,
            "caller_name": self.caller_name,
            "address1": self.address1,
            "address2": self.address2,
            "city": self.city,
            "state": self.state,
            "zip_code": self.zip_code,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "status_code": self.status_code,
            "status_description": self.status_description,
            "activated_at": self.activated_at,
            "added_at": self.added_at,
        }


@dataclass(frozen=True)
class StoredLocation:
    """A VILocation: one of a number's locations (getLocations, history, addLocation)."""

    location_id: str
    address1: str
    address2: str
    city: str
    state: str
    zip_code: str
    plus_four: str
    caller_name: str
    latitude: str
    longitude: str
    status_code: str
    status_description: str
    order_id: str
    activated_at: datetime | None
    updated_at: datetime | None

    @vi_record(set_aside=False)
    @classmethod
    def from_vi(cls, record: Any) -> StoredLocation:
        return cls(
            location_id=text(record, "locationId"),
            address1=text(record, "address1"),
            address2=text(record, "address2"),
            city=text(record, "city"),
            state=text(record, "state"),
            zip_code=text(record, "zipCode"),
            plus_four=text(record, "plusFour"),
            caller_name=text(record, "callerName"),
            latitude=text(record, "latitude"),
            longitude=text(record, "longitude"),
            status_code=text(record, "statusCode"),
            status_description=text(record, "statusDescription"),
            order_id=text(record, "orderId"),
            activated_at=utc_moment(record, "activatedTime"),
            updated_at=utc_moment(record, "updateTime"),
        )

    @property
    def one_line(self) -> str:
        street = ", ".join(part for part in (self.address1, self.address2) if part)
        zip_code = f"{self.zip_code}-{self.plus_four}" if self.plus_four else self.zip_code
        return f"{street}, {self.city}, {self.state} {zip_code}"


@dataclass(frozen=True)
class StatusAnswer:
    """Status911 of a write: VI's inner code and words ("100", "Location status updated")."""

    code: str
    description: str

    @classmethod
    def from_result(cls, result: Any) -> StatusAnswer:
        from dids.records import vi_list

        statuses = vi_list(result, "Statuses", "Status911")
        if not statuses:
            return cls(code="100", description=text(result, "responseMessage"))
        return cls(code=text(statuses[0], "code"), description=text(statuses[0], "description"))


@cache
def _location_fast() -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    return fast_reader(
        "e911.Location",
        texts=(
            ("tn", "tn"), ("location_id", "locationId"), ("caller_name", "callerName"),
            ("address1", "address1"), ("address2", "address2"), ("city", "city"),
            ("state", "state"), ("zip_code", "zipCode"), ("latitude", "latitude"),
            ("longitude", "longitude"), ("status_code", "statusCode"),
            ("status_description", "statusDescription"),
        ),
        utc_moments=(("activated_at", "activatedTime"), ("added_at", "dateAdded")),
    )  # fmt: skip
