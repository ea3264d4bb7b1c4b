"""The number page's summary: badges (911, SMS, 10DLC campaign, caller-ID name, port) and
the value each edit section shows before anyone opens its form.

Read from each app's selectors (never VI), one colour meaning each, as everywhere in the
console: green done, amber waiting or needs a look, red at risk, blue in progress, grey off.
An app that is missing or fails leaves its badge out; the page still shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    tone: str  # success | warning | danger | primary | secondary
    hint: str = ""


def _e911(did) -> Badge:
    from e911 import selectors
    from e911.models import PROVISIONED

    location = selectors.location_for_tn(tn=did.tn)
    if location is None:
        return Badge(
            "e911", "No 911 address", "danger", "Calls to 911 from this number carry no address."
        )
    if location.status_code != PROVISIONED:
        return Badge(
            "e911",
            "911 not provisioned",
            "warning",
            f"VI's 911 status: {location.status_code or 'none'}",
        )
    return Badge("e911", "911 provisioned", "success")


def _sms_and_campaign(did) -> list[Badge]:
    from messaging import selectors
    from messaging.models import CampaignStatus

    sms = selectors.sms_number_get(tn=did.tn)
    if sms is None or not sms.enabled:
        return [Badge("sms", "SMS off", "secondary")]
    badges = [Badge("sms", "SMS on", "success")]
    if not sms.campaign_id:
        badges.append(
            Badge(
                "campaign",
                "No 10DLC campaign",
                "danger",
                "Carriers block texts from a number on no campaign.",
            )
        )
        return badges
    campaign = selectors.campaign_get(campaign_id=sms.campaign_id)
    status = campaign.status if campaign else ""
    tones: dict[str, str] = {CampaignStatus.ACTIVE: "success", CampaignStatus.PENDING: "warning"}
    tone = tones.get(status, "danger")
    label = CampaignStatus(status).label if status in CampaignStatus.values else "unknown"
    badges.append(Badge("campaign", f"Campaign {label.lower()}", tone, sms.campaign_id))
    return badges


def _cnam(did) -> Badge:
    if did.cnam_name:
        return Badge("cnam", f"Caller ID “{did.cnam_name}”", "success")
    return Badge("cnam", "No caller-ID name", "secondary")


def _port(did) -> Badge | None:
    from porting import selectors

    active = [port for port in selectors.number_ports(tn=did.tn) if not port.is_finished]
    if not active:
        return None
    port = active[0]
    words = port.status.capitalize().replace("Foc", "FOC")
    return Badge(
        "port", f"Port {words.lower() if words else 'in progress'}", "primary", f"Port {port.vi_id}"
    )


def number_badges(*, did) -> list[Badge]:
    badges: list[Badge] = []
    for build in (_e911, _sms_and_campaign, _cnam, _port):
        try:
            made = build(did)
        except Exception:  # a badge is a convenience: never take the page down for one
            logger.exception("Number badge %s failed for %s", build.__name__, did.tn)
            continue
        if made is None:
            continue
        badges.extend(made if isinstance(made, list) else [made])
    return badges


def panel_value(*, name: str, did) -> str:
    """What an edit section holds now, in words, shown above its (closed) form."""
    from dids import selectors

    on = {True: "on", False: "off"}
    if name == "configure":
        return f"Routes to {selectors.endpoint_group_label(did.endpoint_id)} · inbound CNAM dip {on[bool(did.cnam)]}"
    if name == "cnam_name":
        return did.cnam_name or "No name set"
    if name == "forward":
        return f"Forwarded to {_tn(did.forward)}" if did.forward else "Not forwarded"
    if name == "failover":
        return f"Fails over to {_tn(did.failover)}" if did.failover else "No failover"
    if name == "did_group":
        return (
            selectors.did_group_label(did.did_group_id)
            if did.did_group_id is not None
            else "In no DID group"
        )
    if name == "conference":
        return "On (PIN set)" if did.conference_line else "Off"
    if name == "fax_to_email":
        return f"Faxes go to {did.fax_to_email}" if did.fax_to_email else "Off"
    if name == "fax_notifications":
        return on[bool(did.fax_failure_notifications)].capitalize()
    if name == "email_to_fax":
        return ", ".join(did.email_to_fax or []) or "No sender addresses"
    if name == "program":
        return f"Script {did.script_id}" if did.script_id else "Not programmed"
    return ""


def _tn(value: str) -> str:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return str(value)
