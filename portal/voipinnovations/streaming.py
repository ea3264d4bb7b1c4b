"""Parse big VI answers (audits) record by record, without zeep's object tree.

zeep needs ~30 s and ~900 MB for a 100,000-number auditDIDs; `lxml.etree.iterparse` with
one dict per record built from `child.tag` slices needs ~3 s and almost no memory
(DESIGN.md, figures). The types still come from the WSDL: each record field is converted
the way zeep would convert it (int, bool, Decimal, datetime; None for an empty element,
`xsi:nil` or a missing one; `values.Unparsed` for text that does not parse, as our
`strict_types` makes zeep do), so both paths hand the sync identical values.

Arrays (an `ArrayOfX` wrapper or a repeated element) become plain lists — empty when the
element is empty or absent — where zeep gives a wrapper object (`ipAddresses.string`).

The top-level `responseCode` is checked before the first record leaves: 100 goes on, an
"empty" code (101) ends the stream with nothing, anything else raises ProviderRejected.
Placeholder records VI sends for "nothing found" (codes.DUMMY_RECORD_CODES) are skipped.
A body that ends early or breaks raises ProviderUnavailable: a sync must never take a
short list for the whole account.

A `BodyWatch` made active by `watching()` hashes the raw bytes of the next answer; given the
digest of an answer a sync already applied, an identical answer is not parsed at all
(`portal.sync.unchanged`).
"""

import datetime
import hashlib
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from lxml import etree
from zeep.xsd import ComplexType
from zeep.xsd.types import builtins

from . import codes, strict_types  # noqa: F401 - strict_types: xsd:boolean as XML Schema says
from .errors import ProviderRejected, ProviderUnavailable
from .redaction import redact_text
from .values import Unparsed

SOAP11_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENVELOPE = "http://www.w3.org/2003/05/soap-envelope"

_INTEGER_TYPES = (
    builtins.Integer,
    builtins.Int,
    builtins.Long,
    builtins.Short,
    builtins.Byte,
    builtins.UnsignedInt,
    builtins.UnsignedLong,
    builtins.UnsignedShort,
    builtins.UnsignedByte,
)


_TEXT = None  # converter marker: take `child.text` as is (strings, by far the most fields)


@dataclass
class Shape:
    """How to turn one XML element of a complex type into a dict, field by field.

    Fields are looked up by the child's full tag (`{namespace}name`, from the schema), so a
    record costs one dict lookup per child; strings skip the converter call altogether.
    """

    # full tag -> (field name, converter or _TEXT, repeated directly inside the record?)
    fields: dict[str, tuple[str, Callable[[etree._Element], Any] | None, bool]] = field(
        default_factory=dict
    )
    template: dict[str, Any] = field(default_factory=dict)
    list_names: tuple[str, ...] = ()

    def build(self, element: etree._Element) -> dict[str, Any]:
        record = self.template.copy()
        fields = self.fields
        for child in element:
            found = fields.get(child.tag)  # comments have a function as tag: not found
            if found is None:
                continue
            name, convert, repeated = found
            if convert is None:
                record[name] = child.text
            elif repeated:
                items = record[name]
                if items is None:
                    items = record[name] = []
                items.append(convert(child))
            else:
                record[name] = convert(child)
        for name in self.list_names:
            if record[name] is None:
                record[name] = []
        return record


def record_shape(result_type: ComplexType, record_tag: str) -> Shape:
    """The Shape of the element named `record_tag` somewhere inside `result_type`."""
    record_type = _find_element_type(result_type, record_tag)
    if record_type is None:
        raise ValueError(f"{record_tag!r} is not an element of {result_type.name}")
    if not isinstance(record_type, ComplexType):
        raise ValueError(f"{record_tag!r} is a simple value, not a record")
    return _shape_of(record_type)


def _find_element_type(root: ComplexType, name: str):
    queue, visited = [root], set()
    while queue:
        current = queue.pop(0)
        if id(current) in visited:
            continue
        visited.add(id(current))
        for child_name, element in current.elements:
            if child_name == name:
                return element.type
            if isinstance(element.type, ComplexType):
                queue.append(element.type)
    return None


def _shape_of(complex_type: ComplexType) -> Shape:
    shape = Shape()
    list_names = []
    for name, element in complex_type.elements:
        tag = element.qname.text if element.qname is not None else name
        shape.template[name] = None
        if _is_repeated(element):
            shape.fields[tag] = (name, _converter(element.type), True)
            list_names.append(name)
            continue
        array_item = _array_item(element.type)
        if array_item is not None:
            shape.fields[tag] = (name, _list_converter(_converter(array_item.type)), False)
            list_names.append(name)
        else:
            shape.fields[tag] = (name, _converter(element.type), False)
    shape.list_names = tuple(list_names)
    return shape


def _is_repeated(element) -> bool:
    return element.max_occurs == "unbounded" or (
        isinstance(element.max_occurs, int) and element.max_occurs > 1
    )


def _array_item(element_type):
    """The item element if `element_type` is VI's `ArrayOfX` wrapper (one repeated child)."""
    if not isinstance(element_type, ComplexType):
        return None
    children = list(element_type.elements)
    if len(children) == 1 and _is_repeated(children[0][1]):
        return children[0][1]
    return None


def _list_converter(
    item: Callable[[etree._Element], Any] | None,
) -> Callable[[etree._Element], list]:
    if item is _TEXT:
        return lambda element: [child.text for child in element if isinstance(child.tag, str)]

    def convert(element: etree._Element) -> list:
        return [item(child) for child in element if isinstance(child.tag, str)]

    return convert


def _converter(xsd_type) -> Callable[[etree._Element], Any] | None:
    """The converter for an element of `xsd_type`, or `_TEXT` (None) for its text as is."""
    if isinstance(xsd_type, ComplexType):
        shape = _shape_of(xsd_type)

        def complex_value(element: etree._Element) -> dict[str, Any] | None:
            if _is_nil(element):
                return None
            return shape.build(element)

        return complex_value
    if isinstance(xsd_type, builtins.String):
        return _TEXT
    if isinstance(xsd_type, builtins.Boolean):
        return _boolean(xsd_type)
    if isinstance(xsd_type, _INTEGER_TYPES):
        return _integer(xsd_type)
    if isinstance(xsd_type, builtins.DateTime):
        return _date_time(xsd_type)
    return _zeep_value(xsd_type)


def _is_nil(element: etree._Element) -> bool:
    return element.get("{http://www.w3.org/2001/XMLSchema-instance}nil") in ("true", "1")


def _boolean(xsd_type) -> Callable[[etree._Element], bool | None]:
    slow = _zeep_value(xsd_type)

    def convert(element: etree._Element) -> bool | None:
        text = element.text
        if text == "true":
            return True
        if text == "false":
            return False
        return slow(element)

    return convert


def _integer(xsd_type) -> Callable[[etree._Element], int | None]:
    slow = _zeep_value(xsd_type)

    def convert(element: etree._Element) -> int | None:
        text = element.text
        if text is None:
            return None
        try:
            return int(text)
        except ValueError:
            return slow(element)

    return convert


# The xsd:dateTime VI sends (`2025-11-18T18:12:38`, perhaps with a fraction and a zone), and
# nothing else: `datetime.fromisoformat` reads exactly these as zeep's isodate does, ten
# times faster. Every other spelling (a space, a leap second, 7 fraction digits, an empty
# element) goes to zeep as before.
_PLAIN_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})?"
).fullmatch


def _date_time(xsd_type) -> Callable[[etree._Element], Any]:
    """xsd:dateTime: a repeated time (VI's 1900-01-01 "never") from the cache, a new one by
    `fromisoformat` when spelled plainly, anything else by zeep."""
    slow = _zeep_value(xsd_type)
    plain, parse = _PLAIN_DATE_TIME, datetime.datetime.fromisoformat
    cache: dict[str, datetime.datetime] = {}

    def convert(element: etree._Element) -> Any:
        text = element.text
        if text is None:
            return None
        found = cache.get(text)
        if found is not None:
            return found
        if plain(text):
            try:
                value = parse(text)
            except ValueError:  # 2025-02-30: zeep's answer (Unparsed) is the one to give
                return slow(element)
            # zeep's isodate gives its own UTC and fixed-offset zones; these are equal in
            # every comparison, offset and isoformat, and the records turn both into UTC alike.
            if len(cache) < 4096:
                cache[text] = value
            return value
        return slow(element)

    return convert


def _zeep_value(xsd_type) -> Callable[[etree._Element], Any]:
    """zeep's own conversion (dates, decimals…), remembered: audits repeat the same values."""
    cache: dict[str, Any] = {}

    def convert(element: etree._Element) -> Any:
        text = element.text
        if text is None:
            return None
        try:
            return cache[text]
        except KeyError:
            pass
        if not text.strip():
            value = None  # an empty element: VI's way of saying "none"
        else:
            try:
                value = xsd_type.pythonvalue(text)
            except (TypeError, ValueError, ArithmeticError):
                # Not None (zeep's own default): a value that does not parse must be refused
                # by the record builders, never stored as "none" (see values.py).
                value = Unparsed(text)
        if len(cache) < 4096:
            cache[text] = value
        return value

    return convert


class RecordStream:
    """Iterate the records of one answer read from `source` (a file-like HTTP body)."""

    def __init__(
        self,
        source: BinaryIO,
        *,
        operation: str,
        record_tag: str,
        shape: Shape,
        namespace: str,
        secrets: Iterable[str] = (),
    ) -> None:
        self.source = source
        self.secrets = set(secrets)
        self.operation = operation
        self.shape = shape
        self.response_code: int | str | None = None  # text when VI's code is not a number
        self.response_message: str = ""
        self.item_codes: dict[str, int] = {}
        self.records = 0
        self._tags = {
            "code": f"{{{namespace}}}responseCode",
            "message": f"{{{namespace}}}responseMessage",
            "record": f"{{{namespace}}}{record_tag}",
            "fault11": f"{{{SOAP11_ENVELOPE}}}Fault",
            "fault12": f"{{{SOAP12_ENVELOPE}}}Fault",
        }
        self._checked = False
        self.watch = _claim_watch()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        watch, hasher = self.watch, None
        body: Any = self.source
        if watch is not None:
            hasher = hashlib.blake2b(watch.salt, digest_size=20)
            if watch.expected is not None:
                # Read it all first (to disk past a few MB): an answer identical to the one
                # the last sync applied in full need not be parsed again.
                body = _spooled(self.source, hasher)
                watch.digest = hasher.hexdigest()
                if watch.digest == watch.expected:
                    with body:
                        self._replay(body, watch)
                    return
                body.seek(0)
                hasher = None  # hashed already
        try:
            yield from self._records(_BoundedSource(body, hasher), watch)
        finally:
            if body is not self.source:
                body.close()

    def _records(
        self, source: "_BoundedSource", watch: "BodyWatch | None"
    ) -> Iterator[dict[str, Any]]:
        tags = self._tags
        record_tag, code_tag, message_tag = tags["record"], tags["code"], tags["message"]
        build, item_codes = self.shape.build, self.item_codes
        broken = oversized = False
        try:
            # No entities resolved, no DTD, no network: an answer cannot read our files
            # (XXE) nor blow up in memory (billion laughs). huge_tree: big audits are
            # legitimate; `_BoundedSource` bounds what lies between two records instead.
            parser = etree.iterparse(
                source, events=("end",), tag=list(tags.values()), huge_tree=True,
                resolve_entities=False, load_dtd=False, no_network=True,
            )  # fmt: skip
            for _, element in parser:
                source.since_record = 0
                tag = element.tag
                if tag == record_tag:
                    if not self._checked and not self._check_header():
                        return
                    record = build(element)
                    _release(element)
                    status = record.get("statusCode")
                    if status is not None:
                        item_codes[status] = item_codes.get(status, 0) + 1
                    if status in codes.DUMMY_RECORD_CODES:
                        continue
                    self.records += 1
                    yield record
                elif tag == code_tag:
                    self.response_code = _int_or_none(element.text)
                elif tag == message_tag:
                    self.response_message = element.text or ""
                    if not self._check_header():
                        return
                else:
                    raise ProviderUnavailable(
                        f"VI answered with a SOAP fault: {_fault_text(element, self.secrets)}"
                    )
        except etree.XMLSyntaxError:
            broken = True  # raised below, outside the handler: no parser context attached
        except _RecordTooLarge:
            oversized = True
        if oversized:
            raise ProviderUnavailable(
                f"VI's answer holds more than {MAX_RECORD_BYTES // (1024 * 1024)} MB without a complete record"
            )
        if broken:
            raise ProviderUnavailable("VI's answer broke off or is not valid XML")
        if not self._checked and not self._check_header():
            return
        if watch is not None and source.hasher is not None:
            while source.read(1 << 16):  # what lxml left unread: the digest covers it all
                source.since_record = 0
            watch.digest = source.hasher.hexdigest()

    def _replay(self, body: IO[bytes], watch: "BodyWatch") -> None:
        """An answer byte for byte the same as one a sync applied: only its header is read
        again (and checked, as for any answer); its other figures are the remembered ones."""
        tags = self._tags
        body.seek(0)
        parser = etree.iterparse(
            _BoundedSource(body), events=("end",), tag=list(tags.values()), huge_tree=True,
            resolve_entities=False, load_dtd=False, no_network=True,
        )  # fmt: skip
        try:
            for _, element in parser:
                if element.tag == tags["code"]:
                    self.response_code = _int_or_none(element.text)
                elif element.tag == tags["message"]:
                    self.response_message = element.text or ""
                    break
                elif element.tag == tags["record"]:
                    break
                else:
                    raise ProviderUnavailable(
                        f"VI answered with a SOAP fault: {_fault_text(element, self.secrets)}"
                    )
        except etree.XMLSyntaxError:
            raise ProviderUnavailable("VI's answer broke off or is not valid XML") from None
        if not self._check_header():
            return
        self.item_codes.update(watch.item_codes)
        self.records = watch.records
        watch.unchanged = True

    def _check_header(self) -> bool:
        """True when records may follow; raise if VI refused."""
        self._checked = True
        code = self.response_code
        if code is None:
            raise ProviderUnavailable("VI's answer has no responseCode")
        if codes.is_success(code, operation=self.operation):
            return True
        if codes.is_empty(code, operation=self.operation):
            return False
        raise ProviderRejected(code, codes.describe(code, operation=self.operation).message)


# A record is about a kilobyte; this much without one is no answer (a never-ending
# element), and reading on would only fill memory until the deadline.
MAX_RECORD_BYTES = 16 * 1024 * 1024


class _RecordTooLarge(Exception):
    pass


class _BoundedSource:
    """The HTTP body as lxml reads it, refusing to read far past the last complete element."""

    def __init__(self, source: IO[bytes], hasher: Any = None):
        self.source = source
        self.since_record = 0
        self.hasher = hasher

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 64 * 1024
        chunk = self.source.read(size)
        if self.hasher is not None:
            self.hasher.update(chunk)
        self.since_record += len(chunk)
        if self.since_record > MAX_RECORD_BYTES:
            raise _RecordTooLarge()
        return chunk


# --- an answer the same as last time -------------------------------------------------------

# A spooled answer lives in memory up to this, on disk beyond; no audit is larger than this.
_SPOOL_IN_MEMORY = 4 * 1024 * 1024
MAX_SPOOLED_BYTES = 4 * 1024 * 1024 * 1024


@dataclass
class BodyWatch:
    """Watches the raw bytes of the next answer streamed while it is active (`watching`).

    `salt` is hashed before the body (what else decides the records: other audits' values,
    the code that reads them). With `expected` — the digest of an answer a sync applied in
    full — the body is read whole first; when its digest is the same, no record is parsed:
    the stream yields nothing and sets `unchanged`, and the caller knows it has them all.
    Without, the body is hashed as it is parsed. `digest` is set once the body was read to
    its end; `item_codes` and `records` are the figures of the answer `expected` names.
    """

    salt: bytes
    expected: str | None = None
    item_codes: dict[str, int] = field(default_factory=dict)
    records: int = 0
    digest: str | None = None
    unchanged: bool = False
    claimed: bool = False


_watch: ContextVar[BodyWatch | None] = ContextVar("streaming_body_watch", default=None)


@contextmanager
def watching(watch: BodyWatch) -> Iterator[BodyWatch]:
    """The first answer streamed inside the block is watched by `watch`."""
    token = _watch.set(watch)
    try:
        yield watch
    finally:
        _watch.reset(token)


def _claim_watch() -> BodyWatch | None:
    watch = _watch.get()
    if watch is None or watch.claimed:
        return None
    watch.claimed = True
    return watch


def _spooled(source: BinaryIO, hasher: Any) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    size = 0
    while chunk := source.read(1 << 16):
        hasher.update(chunk)
        spool.write(chunk)
        size += len(chunk)
        if size > MAX_SPOOLED_BYTES:
            spool.close()
            raise ProviderUnavailable("VI's answer is larger than any audit could be")
    return spool


def _release(element: etree._Element) -> None:
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _int_or_none(text: str | None) -> int | str | None:
    """VI's code as an int; text that is not one stays text (an unknown code: a refusal)."""
    if text is None or not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        return Unparsed(text.strip()[:200])


def _fault_text(fault: etree._Element, secrets: Iterable[str]) -> str:
    texts = [
        fault.findtext("faultstring"),
        fault.findtext(f"{{{SOAP12_ENVELOPE}}}Reason/{{{SOAP12_ENVELOPE}}}Text"),
    ]
    return redact_text(next((t for t in texts if t), "no reason given"), secrets=secrets, limit=200)
