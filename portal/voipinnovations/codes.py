"""VI's response codes: what each means and what to tell a person.

VI answers on two levels (WIRE-FORMAT.md §5, §6.1): a top-level `responseCode` (an int: 100,
101, 900–948) for the call as a whole, and per-item codes inside the Result (`DID/statusCode`
and friends: strings such as "100", "104235"; 911 items carry words such as "GEOCODED").
Both live in one table keyed by the code as text, because the two ranges never collide.

Each code has a kind:
  success  the thing asked for was done (or is true);
  empty    nothing to show: "No Records Found", or a dummy record standing for an empty list;
  refusal  VI answered and did not do it; the message says why in plain words.
`retryable` marks refusals that come from a passing condition at VI (an exception, a locked
record, its 911 provider missing); `already_yours` marks refusals where the number is
already in the state the caller wanted for this account (reserved/assigned to you).

Unknown codes are refusals: being wrong that way shows the person VI's code instead of
silently claiming success.
"""

from dataclasses import dataclass
from enum import StrEnum

from .values import shown


class Kind(StrEnum):
    SUCCESS = "success"
    EMPTY = "empty"
    REFUSAL = "refusal"


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str  # VI's own words, for logs and staff who know VI
    message: str  # plain words for the person who clicked
    kind: Kind
    retryable: bool = False
    already_yours: bool = False
    dummy_record: bool = False  # the record only stands for "nothing found"

    @property
    def is_success(self) -> bool:
        return self.kind is Kind.SUCCESS

    @property
    def is_refusal(self) -> bool:
        return self.kind is Kind.REFUSAL


def _code(code, meaning, message, kind=Kind.REFUSAL, **flags) -> Code:
    return Code(code=str(code), meaning=meaning, message=message, kind=Kind(kind), **flags)


_OK, _EMPTY = Kind.SUCCESS, Kind.EMPTY

_TOP_LEVEL = [
    # WIRE-FORMAT.md §5a
    _code(100, "Success", "Done.", _OK),
    _code(101, "No Records Found", "VI has no records for this.", _EMPTY),
    _code(
        900,
        "An exception occurred",
        "VI had an internal error — try again in a few minutes.",
        retryable=True,
    ),
    _code(
        901,
        "Client IP not found",
        "VI does not accept calls from this server's IP address — an administrator must whitelist it at VI.",
    ),
    _code(
        902,
        "Username/password/IP not found",
        "VI refused the portal's API login — an administrator must check the VI API user and secret.",
    ),
    _code(
        903,
        "Could not locate Dash Emergency Provisioning Service",
        "VI's 911 provider is unreachable — try again later.",
        retryable=True,
    ),
    _code(
        904,
        "Dash action resulted in incorrect status",
        "VI's 911 provider gave an unexpected status — check the 911 record and try again.",
        retryable=True,
    ),
    _code(
        905,
        "LockedException occurred while calling Dash service",
        "The 911 record is locked at VI's 911 provider — try again in a few minutes.",
        retryable=True,
    ),
    _code(
        906,
        "NotFoundException occurred while calling Dash service",
        "VI's 911 provider has no record for this number.",
    ),
    _code(
        907,
        "API LockedException; The specified DID record is currently in use",
        "The number is being changed by another request at VI — try again in a minute.",
        retryable=True,
    ),
    _code(
        908,
        "ParseException occurred while calling Dash service for the specified telephone number",
        "VI's 911 provider could not read this number — check it and try again.",
    ),
    _code(
        909,
        "You do not own the specified number",
        "The number does not belong to this account at VI.",
    ),
    _code(910, "Location does not exist", "That 911 location does not exist at VI."),
    _code(
        911,
        "Location already exists and is provisioned",
        "That 911 location already exists and is provisioned.",
        already_yours=True,
    ),
    _code(
        933,
        "Outbound CNAM is not available for the specified DID",
        "Outbound caller name is not available for this number.",
    ),
    _code(
        934,
        "Invalid name. Valid characters are letters, spaces, and numbers",
        "Caller name may only hold letters, numbers and spaces (at most 15).",
    ),
    _code(
        940,
        "Email cannot be greater than 150 characters",
        "The email address is too long (at most 150 characters).",
    ),
    _code(
        941, "911 is not enabled", "911 is not set up for this number — add a 911 address first."
    ),
    _code(
        942,
        "Email already exists for this DID",
        "That email address already gets this number's 911 alerts.",
        already_yours=True,
    ),
    _code(
        943,
        "Can not exceed 10 emails",
        "A number can have at most 10 alert email addresses — remove one first.",
    ),
    _code(944, "Invalid Number", "VI does not recognise this number — check the digits."),
    _code(
        948,
        "You do not own the specified Endpoint Group",
        "The endpoint group does not belong to this account — pick another.",
    ),
]

_PER_NUMBER = [
    # WIRE-FORMAT.md §5b (DID/statusCode); "100" is shared with the top level.
    _code(
        101200,
        "No records found (dummy DID)",
        "There are no numbers on the account.",
        _EMPTY,
        dummy_record=True,
    ),
    _code(102230, "Number reserved for another company", "Number is reserved by another company."),
    _code(102235, "Number assigned to another company", "Number is assigned to another company."),
    _code(
        102420,
        "Could not find number (dummy DID)",
        "VI does not know this number.",
        _EMPTY,
        dummy_record=True,
    ),
    _code(
        103220,
        "Number already reserved for you",
        "Number is already reserved for you.",
        already_yours=True,
    ),
    _code(
        103221,
        "Unknown error reserving number",
        "VI could not reserve the number — try again.",
        retryable=True,
    ),
    _code(
        103225,
        "Number already assigned to you",
        "Number is already assigned to you.",
        already_yours=True,
    ),
    _code(
        103230,
        "Number is currently reserved for another company",
        "Number is reserved by another company — pick another.",
    ),
    _code(
        103235,
        "Number is currently assigned to another company",
        "Number is already assigned to another company — pick another.",
    ),
    _code(
        103250,
        "You do not purchase 800 Origination Services",
        "The account cannot take toll-free numbers (no 800 origination service at VI).",
    ),
    _code(
        103259,
        "Tier not available to your account",
        "This number's tier is not available to the account — pick another.",
    ),
    _code(
        103420,
        "Could not find number",
        "VI could not find this number — it may have been taken; search again.",
    ),
    _code(
        104220,
        "Number is already reserved for you",
        "Number is reserved for you but VI did not assign it — try again.",
        already_yours=True,
    ),
    _code(
        104221,
        "Unknown error assigning number",
        "VI could not assign the number — try again.",
        retryable=True,
    ),
    _code(
        104225,
        "Number is already assigned to you",
        "Number is already assigned to you — change its endpoint group instead.",
        already_yours=True,
    ),
    _code(
        104230,
        "Number is already reserved for another company",
        "Number is reserved by another company — pick another.",
    ),
    _code(
        104235,
        "Number is already assigned to another company",
        "Number is already assigned to another company — pick another.",
    ),
    _code(
        104250,
        "You do not purchase 800 Origination services",
        "The account cannot take toll-free numbers (no 800 origination service at VI).",
    ),
    _code(
        104251,
        "You do not purchase standard origination services",
        "The account has no standard origination service at VI.",
    ),
    _code(
        104258,
        "Bad Endpoint Group. This remote is not allowed to service this endpoint group",
        "The endpoint group is not allowed for this account — pick another.",
    ),
    _code(
        104259,
        "Tier not available to your account",
        "This number's tier is not available to the account — pick another.",
    ),
    _code(
        104420,
        "Could not find number",
        "VI could not find this number — it may have been taken; search again.",
    ),
    _code(
        105221,
        "Number is not currently assigned to you",
        "Number is not assigned to you, so it cannot be changed.",
    ),
    _code(
        105225,
        "Number is reserved for you",
        "Number is only reserved — assign it before changing it.",
    ),
    _code(
        105230,
        "Number is already reserved for another company",
        "Number is reserved by another company.",
    ),
    _code(
        105235,
        "Number is already assigned to another company",
        "Number is assigned to another company.",
    ),
    _code(
        105250,
        "You do not purchase 800 Origination services",
        "The account has no 800 origination service at VI.",
    ),
    _code(
        105251,
        "You do not purchase standard origination services",
        "The account has no standard origination service at VI.",
    ),
    _code(
        105258,
        "Bad Endpoint Group. This remote is not allowed to service this endpoint group",
        "The endpoint group is not allowed for this account — pick another.",
    ),
    _code(105420, "Could not find number", "VI could not find this number."),
    _code(
        106220,
        "Number is still reserved for you",
        "VI did not release the number: it is still reserved for you — try again.",
        retryable=True,
    ),
    _code(
        106225,
        "Number is still assigned to you",
        "VI did not release the number: it is still assigned to you — try again.",
        retryable=True,
    ),
    _code(
        106230,
        "Number is currently reserved for another company",
        "Number is reserved by another company, not this account.",
    ),
    _code(
        106231,
        "Number currently available",
        "Number is not on this account (it is available at VI) — nothing to release.",
    ),
    _code(
        106235,
        "Number is currently assigned to another company",
        "Number is assigned to another company, not this account.",
    ),
    _code(
        106241,
        "Number previously released, but not currently available",
        "Number was already released.",
    ),
    _code(106420, "Could not find number", "VI could not find this number."),
    _code(302490, "No search criteria defined", "Give at least one search criterion."),
    # WIRE-FORMAT.md §5c: 911 inner codes (Status911/code, VILocation/statusCode).
    _code(205100, "Location successfully removed", "911 location removed.", _OK),
    _code(205200, "Zero records deleted/archived", "There was no 911 record to remove."),
    _code(
        206200,
        "A location could not be found (dummy VILocation)",
        "No 911 location on record.",
        _EMPTY,
        dummy_record=True,
    ),
    _code("GEOCODED", "Location is geocoded", "Address verified.", _OK),
    _code(
        "PROVISIONED",
        "Location is currently provisioned for URI",
        "911 active at this address.",
        _OK,
    ),
    _code("VERIFIED", "Location verified", "Address verified.", _OK),
    _code("UNVERIFIED", "Location not verified", "Address not verified yet."),
    _code("INVALID", "Unable to geocode address", "911 could not place this address — check it."),
]

# SMS and 10DLC. VI documents no codes for these operations (WIRE-FORMAT.md §7), so these are
# the ones our sandbox answers (portal/sandbox/domains/messaging.py); replace them with VI's
# own as soon as a real answer shows them. Unknown codes still fall back to "refusal".
_MESSAGING = [
    _code(950, "Invalid sender", "The sending number must be on this account with SMS enabled."),
    _code(
        951,
        "Invalid destination type or destination",
        "That SMS destination is not valid for its type — check it.",
    ),
    _code(952, "Invalid message", "The message is empty or too long."),
    _code(
        953,
        "Invalid MMS file",
        "The attachment was refused — send 1 to 10 JPEG, PNG or GIF images within the size limit.",
    ),
    _code(954, "SMS is not enabled for this number", "Turn SMS on for this number first."),
    _code(
        955,
        "Number is already on this campaign",
        "The number is already on this campaign.",
        already_yours=True,
    ),
    _code(956, "Number is not on a campaign", "The number is not on a campaign."),
    _code(960, "Customer not found", "VI has no such brand — refresh the list."),
    _code(961, "Campaign not found", "VI has no such campaign — refresh the list."),
    _code(962, "Customer has campaigns", "The brand still has campaigns — delete them first."),
    _code(
        963,
        "Invalid customer information",
        "VI refused the brand details — check the fields named.",
    ),
    _code(964, "Campaign is not active", "Numbers can only join an approved (active) campaign."),
    _code(
        965,
        "Invalid campaign information",
        "VI refused the campaign details — check the fields named.",
    ),
    _code(
        966,
        "Campaign cannot be changed in its current status",
        "The campaign cannot be changed while it is in this status.",
    ),
    _code(
        967,
        "Campaign is already registered",
        "That campaign is already registered.",
        already_yours=True,
    ),
    _code(968, "OTP verification not applicable", "This brand does not verify by one-time code."),
]

CODES: dict[str, Code] = {code.code: code for code in [*_TOP_LEVEL, *_PER_NUMBER, *_MESSAGING]}

# Where one operation gives a shared code its own meaning.
_BY_OPERATION: dict[tuple[str, str], Code] = {
    # "A 100,Success indicates a valid address. Whereas a 101, No Records Found indicates a
    # failure" (VI's doc note quoted by the gem, WIRE-FORMAT.md §5a).
    ("validate911", "101"): _code(
        101, "No Records Found (address not valid)", "911 could not verify this address — check it."
    ),
}

SUCCESS = "100"
DUMMY_RECORD_CODES = frozenset(code.code for code in CODES.values() if code.dummy_record)


def _key(code: int | str | None) -> str:
    if code is None:
        return ""
    try:
        key = str(code).strip()
    except ValueError:  # an int too long to print (Python's digit limit): no code we know
        return "(a number too long to show)"
    # A hostile answer's code may be anything: keep what reaches messages short and printable.
    return shown(key, 40) if len(key) > 40 or not key.isprintable() else key


def describe(code: int | str | None, *, operation: str | None = None) -> Code:
    key = _key(code)
    if operation and (operation, key) in _BY_OPERATION:
        return _BY_OPERATION[(operation, key)]
    if key in CODES:
        return CODES[key]
    return Code(
        code=key,
        meaning="Unknown code",
        message=f"VI refused with a code the portal does not know ({key or 'none'}).",
        kind=Kind.REFUSAL,
    )


def is_success(code: int | str | None, *, operation: str | None = None) -> bool:
    return describe(code, operation=operation).is_success


def is_refusal(code: int | str | None, *, operation: str | None = None) -> bool:
    return describe(code, operation=operation).is_refusal


def is_empty(code: int | str | None, *, operation: str | None = None) -> bool:
    return describe(code, operation=operation).kind is Kind.EMPTY


def is_dummy_record(code: int | str | None) -> bool:
    return _key(code) in DUMMY_RECORD_CODES


def user_message(code: int | str | None, *, operation: str | None = None) -> str:
    """The plain-words message with VI's code, as shown next to the thing the user touched."""
    return f"{describe(code, operation=operation).message} (VI code {_key(code)})"
