"""Operation handlers and the parsed request they receive.

A handler is `handler(sandbox, request) -> dict`: the Result's fields by VI's names (arrays as
lists, or any iterable for large streamed answers, of dicts). The serializer orders and types
them from the WSDL schema, so handlers never think about XML.

    @operation("GetCNAMDisplay")
    def get_cnam_display(sandbox, request):
        tn = request.text("tn")
        ...
        return {"responseCode": 100, "responseMessage": "Success", "DisplayName": name}

`empty=` gives the Result for the "empty" fault kind (VI's dummy record); by default a 100
with no records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

Handler = Callable[[Any, "Request"], dict]


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    handler: Handler
    empty: Callable[[], dict] | None
    authenticated: bool


_OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *, empty: Callable[[], dict] | None = None, authenticated: bool = True):
    """Register the decorated function as the handler of VI operation `name` (exact casing)."""

    def register(handler: Handler) -> Handler:
        _OPERATIONS[name] = Operation(
            name=name, handler=handler, empty=empty, authenticated=authenticated
        )
        return handler

    return register


def find(name: str) -> Operation | None:
    return _OPERATIONS.get(name)


def names() -> list[str]:
    return sorted(_OPERATIONS)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class Request:
    """The children of one request element, matched by local name the way ASP.NET does.

    Any order, any prefix or none, `xsi:nil="true"` reads as None. Names match exactly first,
    then case-insensitively (VI's docs disagree with its WSDL on `network`/`Network`).
    """

    __slots__ = ("name", "_children", "_element")

    def __init__(self, element):
        self._element = element
        self.name = _local(element.tag)
        children: dict[str, list] = {}
        for child in element:
            local = _local(child.tag)
            if local:
                children.setdefault(local, []).append(child)
        self._children = children

    def __repr__(self) -> str:
        return f"<Request {self.name} {sorted(self._children)}>"

    def _all(self, name: str) -> list:
        found = self._children.get(name)
        if found is None:
            lowered = name.lower()
            for key, value in self._children.items():
                if key.lower() == lowered:
                    return value
            return []
        return found

    def _first(self, *names: str):
        for name in names:
            found = self._all(name)
            if found:
                return found[0]
        return None

    def has(self, *names: str) -> bool:
        return self._first(*names) is not None

    def text(self, *names: str) -> str | None:
        """The text of the first child among `names` (synonyms); None if absent or nil."""
        element = self._first(*names)
        if element is None or element.get(XSI_NIL) in ("true", "1"):
            return None
        return (element.text or "").strip()

    def int(self, *names: str, default: int | None = None) -> int | None:
        value = self.text(*names)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except ValueError:
            return default

    def bool(self, *names: str, default: bool | None = None) -> bool | None:
        value = self.text(*names)
        if value in (None, ""):
            return default
        lowered = value.lower()
        if lowered in ("1", "true", "yes", "y"):
            return True
        if lowered in ("0", "false", "no", "n"):
            return False
        return default

    def items(self, wrapper: str, item: str) -> list[Request]:
        """Each `item` element inside `wrapper` as its own Request (e.g. didParams/DIDParam)."""
        container = self._first(wrapper)
        if container is None:
            return []
        return [Request(child) for child in container if _local(child.tag).lower() == item.lower()]

    def strings(self, wrapper: str) -> list[str]:
        """The texts of the children of `wrapper` (an ArrayOfString), nil items skipped."""
        container = self._first(wrapper)
        if container is None:
            return []
        return [
            (child.text or "").strip()
            for child in container
            if _local(child.tag) and child.get(XSI_NIL) not in ("true", "1")
        ]


def parse_fragment(xml: bytes | str) -> Request:
    """A Request from a bare element (handy in tests and tools)."""
    return Request(etree.fromstring(xml.encode() if isinstance(xml, str) else xml))
