"""What the porting gateway returns: frozen, typed copies of VI's PortResponse pieces.

A port (with its numbers) may be set aside by a sync: while one runs, an unusable value
comes back as an `Unfit` marker and `porting.services` sets that port aside; anywhere
else (a page's refresh) it raises UnfitRecord (see `dids.records.vi_record`).

Built from zeep objects by VI's element names; nothing above the gateway sees VI's spelling.
VI's port dates carry no zone and VI's clock is UTC, so they become UTC-aware here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dids.records import flag, integer, text, utc_moment, vi_list, vi_record


@dataclass(frozen=True)
class PortNumberRecord:
    """One number of a port (VI's PortDID)."""

    tn: str
    tier: str = ""
    rate_center: str = ""
    state: str = ""
    lata: str = ""
    endpoint_group: int | None = None
    cnam: bool = False
    e911: bool = False

    @vi_record("porting.PortNumber")
    @classmethod
    def from_vi(cls, did: Any) -> PortNumberRecord:
        return cls(
            tn=text(did, "tn"),
            tier=text(did, "tier"),
            rate_center=text(did, "rateCenter"),
            state=text(did, "state"),
            lata=text(did, "lata"),
            endpoint_group=integer(did, "endpointGroup"),
            cnam=flag(did, "cnam"),
            e911=flag(did, "e911"),
        )


@dataclass(frozen=True)
class PortRecord:
    """A port order as VI describes it (VI's PortDetail)."""

    vi_id: int
    status: str = ""
    end_user: str = ""
    billing_tn: str = ""
    porting_from: str = ""
    sales_rep: str = ""
    submitted_at: datetime | None = None
    foc_at: datetime | None = None
    requested_foc_at: datetime | None = None
    default_endpoint_group: int | None = None
    numbers: tuple[PortNumberRecord, ...] = ()

    @vi_record("porting.Port")
    @classmethod
    def from_vi(cls, detail: Any) -> PortRecord:
        return cls(
            vi_id=integer(detail, "id") or 0,
            status=text(detail, "status").upper(),
            end_user=" ".join(text(detail, "endUser").split()),  # VI pads names ("Rob  Richey")
            billing_tn=text(detail, "billingTN"),
            porting_from=text(detail, "portingFrom"),
            sales_rep=text(detail, "salesRep"),
            submitted_at=utc_moment(detail, "submittedDate"),
            foc_at=utc_moment(detail, "focDate"),
            requested_foc_at=utc_moment(detail, "requestedFocDate"),
            default_endpoint_group=integer(detail, "defaultEndpointGroup"),
            numbers=tuple(
                PortNumberRecord.from_vi(did)
                for did in vi_list(detail, "dids", "PortDID")
                if did is not None and text(did, "tn")
            ),
        )

    def mirror_values(self) -> dict[str, Any]:
        """The Port model's VI-owned fields."""
        return {
            "status": self.status,
            "end_user": self.end_user,
            "billing_tn": self.billing_tn,
            "porting_from": self.porting_from,
            "sales_rep": self.sales_rep,
            "submitted_at": self.submitted_at,
            "foc_at": self.foc_at,
            "requested_foc_at": self.requested_foc_at,
            "default_endpoint_group": self.default_endpoint_group,
        }


@dataclass(frozen=True)
class PortHistoryRecord:
    """One step of one number's port history (our PortHistoryEntry)."""

    tn: str
    port_vi_id: int
    status: str
    at: datetime | None
    description: str

    @vi_record("porting.PortHistoryEntry", set_aside=False)
    @classmethod
    def from_vi(cls, entry: Any) -> PortHistoryRecord:
        return cls(
            tn=text(entry, "tn"),
            port_vi_id=integer(entry, "portId") or 0,
            status=text(entry, "status").upper(),
            at=utc_moment(entry, "date"),
            description=text(entry, "description"),
        )


@dataclass(frozen=True)
class PortabilityAnswer:
    """VI's verdict on one number: portable True/False, or None when VI refused the number."""

    tn: str
    portable: bool | None
    code: str
    message: str
