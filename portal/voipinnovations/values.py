"""Values from VI that the portal cannot take as they are, and what becomes of them.

VI is not trusted to send what its WSDL promises: `<endpointId>abc</endpointId>`,
`<has911>maybe</has911>`, an endpoint id of 10^30, a balance of NaN. Such a value must never
turn into something plausible (null, false) and be stored as a change, and must never stop
everything else either. So:

* The parsers (zeep, as patched in `client.py`, and the streaming parser) hand back an
  `Unparsed` marker — the raw text — where a typed element's text does not parse, instead
  of None. An empty or nil element is still None: VI documents most fields as optional.
* The record builders (`*/records.py`) check every value. Called directly for one value
  (a balance, a count), a problem raises `UnfitRecord`. Inside a record marked
  `set_aside_able` while a sync runs (`set_aside_scope`), the record is built with an
  `Unfit` marker in the bad field instead, so the sync engine can set that one record aside
  (`portal.sync.fit`) and apply every other one. Anywhere else (a page's "Refresh from VI")
  the record raises `UnfitRecord`, which the pages already show as a refusal in plain words.

`UnfitRecord` is a ProviderRejected: VI answered, and the answer cannot be used — the
callers' existing "nothing was changed" handling applies, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import ProviderRejected

# How much of a raw value is kept for messages and the Sync page.
RAW_LIMIT = 200


class Unparsed(str):
    """The raw text of a typed element that did not parse (a str, so it survives caches)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Unparsed({str.__repr__(self)})"


@dataclass(frozen=True)
class Unfit:
    """A field's value that cannot be stored: what VI sent and why it does not fit."""

    field: str
    raw: str
    reason: str

    def __str__(self) -> str:  # never mistaken for a real value in a template
        return f"(unusable value from VI: {shown(self.raw)})"


def shown(raw: object, limit: int = RAW_LIMIT) -> str:
    """A raw value as a person may see it: printable, NUL and controls escaped, cut short."""
    if isinstance(raw, Unfit):
        raw = raw.raw
    try:
        text = raw if isinstance(raw, str) else repr(raw)
    except ValueError:  # an int past Python's digit limit for text
        return "(a number too long to show)"
    escaped = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in text[: limit + 1]
    )
    if len(escaped) > limit:
        escaped = escaped[:limit] + "…"
    return escaped


class UnfitRecord(ProviderRejected):
    """VI answered with a value the portal cannot store; nothing was changed."""

    def __init__(self, problems: list[Unfit]):
        self.problems = list(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(
            "unusable",
            f"VI sent a value the portal cannot store: “{shown(first.raw, 60)}” ({first.reason}){more}. "
            "Nothing was changed.",
        )


_set_aside: ContextVar[bool] = ContextVar("vi_set_aside_scope", default=False)


@contextmanager
def set_aside_scope() -> Iterator[None]:
    """Within the block (a sync run), unfit records are marked for setting aside, not raised."""
    token = _set_aside.set(True)
    try:
        yield
    finally:
        _set_aside.reset(token)


def setting_aside() -> bool:
    return _set_aside.get()


def is_unfit(value: object) -> bool:
    return isinstance(value, Unfit | Unparsed)
