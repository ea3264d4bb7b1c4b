"""911 states in staff's words. VI's own sentences ("Location is currently provisioned for
URI", "Unable to geocoded address") are kept in the mirror for support, not shown as text."""

from portal.voipinnovations import codes

STATUS_WORDS = {
    "PROVISIONED": "911 calls from this number reach this address.",
    "GEOCODED": "Address verified and stored at VI, but not provisioned: 911 calls do not reach it yet.",
    "VERIFIED": "Address verified, not provisioned yet.",
    "UNVERIFIED": "Address not verified yet: 911 calls may not reach it.",
    "INVALID": "VI's 911 provider cannot place this address: 911 calls do not reach it. Check the address.",
    "ARCHIVED": "Archived at VI: no longer used for 911 calls.",
}


def status_words(status_code: str | None) -> str:
    """A 911 location's status as a sentence for staff; an unknown status says so plainly."""
    key = (status_code or "").strip().upper()
    if not key:
        return "No 911 location: an emergency call from this number reaches no address."
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    described = codes.describe(key)
    return (
        described.message
        if described.meaning != "Unknown code"
        else f"VI reports a 911 status the portal does not know ({key})."
    )
