"""Keep VI secrets out of the database, logs, pages and exception messages.

Two tools: `redact_parameters` makes the JSON-safe copy of a call's parameters that
ProviderCall stores, and `redact_text` cleans any text that may have seen an envelope
(zeep's TransportError carries the whole body, faults may echo the request) before it
becomes an error message or a log line.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape as xml_escape

# Values never kept: the API secret, conference-line PINs, the token VI sends with inbound
# SMS, and MMS file contents (big and private). A name is sensitive when one of its words
# is (`authToken`, `conferencePin`, a misspelt `pins`), or it is exactly `content`.
SENSITIVE_WORDS = frozenset(
    {"secret", "secrets", "password", "passwd", "pin", "pins", "token", "tokens"}
)
SENSITIVE_NAMES = frozenset({"content"})
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
REDACTED = "[redacted]"
MAX_STORED_STRING = 1000
MAX_ERROR_TEXT = 300

_SENSITIVE_ELEMENT = re.compile(
    r"<(?P<prefix>[\w.-]+:)?(?P<name>secret|password|pin|authToken|token|content)(?P<attrs>\s[^>]*)?>"
    r".*?</(?P=prefix)?(?P=name)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_WHITESPACE = re.compile(r"\s+")


def is_sensitive(name: str) -> bool:
    if name.lower() in SENSITIVE_NAMES:
        return True
    return any(word.lower() in SENSITIVE_WORDS for word in _WORDS.findall(name))


def redact_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {str(name): _redact_value(name, value) for name, value in parameters.items()}


def _redact_value(name: str, value: Any) -> Any:
    if is_sensitive(name) and value not in (None, ""):
        return REDACTED
    return _json_safe(value)


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= MAX_STORED_STRING else value[:MAX_STORED_STRING] + "…"
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return redact_parameters(value)
    if hasattr(value, "__values__"):  # a zeep object passed back in as a parameter
        return redact_parameters(dict(value.__values__))
    if isinstance(value, Iterable):
        return [_json_safe(item) for item in value]
    return str(value)


def sensitive_values(parameters: Mapping[str, Any]) -> set[str]:
    """Every sensitive value among (nested) parameters, to scrub from free text."""
    found: set[str] = set()

    def walk(name: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(str(key), item)
        elif hasattr(value, "__values__"):
            walk(name, dict(value.__values__))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(name, item)
        elif is_sensitive(name) and isinstance(value, str | int) and str(value):
            found.add(str(value))

    walk("", parameters)
    return found


def redact_text(text: Any, *, secrets: Iterable[str] = (), limit: int = MAX_ERROR_TEXT) -> str:
    """A short, single-line, secret-free version of `text`."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    cleaned = _SENSITIVE_ELEMENT.sub(
        lambda m: f"<{m['prefix'] or ''}{m['name']}>{REDACTED}</{m['prefix'] or ''}{m['name']}>",
        str(text),
    )
    pattern = secrets_pattern(secrets)
    if pattern is not None:
        cleaned = pattern.sub(REDACTED, cleaned)
    cleaned = _WHITESPACE.sub(" ", cleaned).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def secrets_pattern(secrets: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive pattern for every secret as text may carry it.

    A fault text may echo the secret in another case (a server that upper-cases what it
    quotes, issue 12), XML-escaped (it came back inside an envelope) or percent-encoded (a
    URL in a message). Longest first, so a secret containing another is not half-replaced.
    """
    forms: set[str] = set()
    for secret in secrets:
        secret = str(secret or "")
        if secret:
            forms |= {
                secret,
                xml_escape(secret, {'"': "&quot;", "'": "&apos;"}),
                quote(secret, safe=""),
                quote_plus(secret),
            }
    if not forms:
        return None
    alternatives = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in alternatives), re.IGNORECASE)


def scrub_secrets(text: Any, secrets: Iterable[str]) -> Any:
    """`text` with every secret (any case, escaped or not) replaced, nothing else changed:
    for VI's own words (a refusal's responseMessage) that pages show as they are."""
    pattern = secrets_pattern(secrets)
    if pattern is None or not isinstance(text, str):
        return text
    return pattern.sub(REDACTED, text)
