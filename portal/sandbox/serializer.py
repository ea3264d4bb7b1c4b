"""Schema-driven writer of Result elements, as strings, in chunks.

Built for size: auditDIDs for 100,000 numbers is ~50 MB of XML, so each complexType is
compiled once into a flat field plan and records are written by string building, never
through a per-element object model. Lists may be any iterable (generators stream).

XmlSerializer conventions VI shows on the wire: fields in schema order; a None string is
omitted; "" is an empty element; required value types are always written (0, false); nillable
None is `xsi:nil="true"`; arrays and single complex fields are always written (empty array as
an empty element, a None object with its defaults) — except the elements we added to VI's 2014
types (`Field.extension`): those are written only when the operation fills them (not None), so
an answer to a 2014 operation stays one that zeep built from VI's 2014 WSDL reads strictly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from .schema import Field, Schema

CHUNK_SIZE = 64 * 1024
DEFAULT_DATETIME = "0001-01-01T00:00:00"
_DEFAULTS = {
    "int": "0",
    "long": "0",
    "short": "0",
    "boolean": "false",
    "decimal": "0",
    "double": "0",
    "dateTime": DEFAULT_DATETIME,
}

SIMPLE, ARRAY, COMPLEX, REPEATED, OPTIONAL_ARRAY = 0, 1, 2, 3, 4


def escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def format_scalar(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, datetime):
        # Not strftime: it drops the zero padding of years before 1000 on glibc, and VI's
        # "no value" date is 0001-01-01T00:00:00.
        text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value:%H:%M:%S}"
        if value.microsecond:
            text += f".{value.microsecond // 1000:03d}"
        if value.tzinfo is not None:
            text += "Z"
        return text
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T00:00:00"
    if isinstance(value, Decimal):
        return format(value, "f")
    return escape(str(value))


class Serializer:
    def __init__(self, schema: Schema):
        self.schema = schema
        self._plans: dict[str, list[tuple]] = {}

    # -- plans -----------------------------------------------------------------------------
    def _plan(self, type_name: str) -> list[tuple] | None:
        plan = self._plans.get(type_name)
        if plan is not None:
            return plan
        fields = self.schema.types.get(type_name)
        if fields is None:
            return None
        plan = [self._step(field) for field in fields]
        self._plans[type_name] = plan
        return plan

    def _step(self, field: Field) -> tuple:
        name = field.name
        open_tag, close_tag, empty_tag = f"<{name}>", f"</{name}>", f"<{name}/>"
        if field.is_simple:
            if field.nillable:
                missing = f'<{name} xsi:nil="true"/>'
            elif field.required:
                missing = f"{open_tag}{_DEFAULTS.get(field.type, '')}{close_tag}"
            else:
                missing = ""
            return (SIMPLE, name, open_tag, close_tag, empty_tag, missing)
        item = self.schema.array_item(field.type)
        if item is not None:
            return (
                OPTIONAL_ARRAY if field.extension else ARRAY,
                name,
                open_tag,
                close_tag,
                empty_tag,
                item,
            )
        if field.repeated:
            return (REPEATED, name, open_tag, close_tag, empty_tag, field.type)
        return (COMPLEX, name, open_tag, close_tag, empty_tag, field.type)

    # -- writing ---------------------------------------------------------------------------
    def write(self, out: list, type_name: str, record, plan: list | None = None) -> None:
        """Append the children of a `type_name` value to `out` (a list of str pieces)."""
        plan = plan if plan is not None else self._plan(type_name)
        if plan is None:
            self._write_generic(out, record or {})
            return
        record = record or {}
        get = record.get
        for kind, name, open_tag, close_tag, empty_tag, extra in plan:
            value = get(name)
            if kind == SIMPLE:
                if value is None:
                    if extra:
                        out.append(extra)
                elif value == "":
                    out.append(empty_tag)
                elif value is True:
                    out.append(f"{open_tag}true{close_tag}")
                elif value is False:
                    out.append(f"{open_tag}false{close_tag}")
                elif type(value) is str:
                    out.append(f"{open_tag}{escape(value)}{close_tag}")
                else:
                    out.append(f"{open_tag}{format_scalar(value)}{close_tag}")
            elif kind == ARRAY:
                self._write_array(out, open_tag, close_tag, empty_tag, extra, value)
            elif kind == OPTIONAL_ARRAY:
                if value is not None:
                    self._write_array(out, open_tag, close_tag, empty_tag, extra, value)
            elif kind == REPEATED:
                for item in value or ():
                    out.append(open_tag)
                    self.write(out, extra, item)
                    out.append(close_tag)
            else:
                out.append(open_tag)
                self.write(out, extra, value)
                out.append(close_tag)

    def _write_array(self, out, open_tag, close_tag, empty_tag, item: Field, values) -> None:
        if not values:
            out.append(empty_tag)
            return
        out.append(open_tag)
        self._write_items(out, item, values)
        out.append(close_tag)

    def _write_items(self, out: list, item: Field, values) -> None:
        item_open, item_close = f"<{item.name}>", f"</{item.name}>"
        if item.is_simple:
            for value in values:
                if value is None:
                    out.append(f'<{item.name} xsi:nil="true"/>')
                else:
                    out.append(f"{item_open}{format_scalar(value)}{item_close}")
            return
        write = self.write
        for value in values:
            out.append(item_open)
            write(out, item.type, value)
            out.append(item_close)

    def _write_generic(self, out: list, record: dict) -> None:
        """For an operation our WSDL does not (yet) describe: dict order, singular item names."""
        for name, value in record.items():
            if value is None:
                continue
            if isinstance(value, dict):
                out.append(f"<{name}>")
                self._write_generic(out, value)
                out.append(f"</{name}>")
            elif isinstance(value, (list, tuple)) or (
                isinstance(value, Iterable) and not isinstance(value, (str, bytes))
            ):
                values = list(value)
                if not values:
                    out.append(f"<{name}/>")
                    continue
                item_name = (
                    "string"
                    if isinstance(values[0], str)
                    else (name[:-1] if name.endswith("s") else name)
                )
                out.append(f"<{name}>")
                for item in values:
                    if isinstance(item, dict):
                        out.append(f"<{item_name}>")
                        self._write_generic(out, item)
                        out.append(f"</{item_name}>")
                    else:
                        out.append(f"<{item_name}>{format_scalar(item)}</{item_name}>")
                out.append(f"</{name}>")
            elif value == "":
                out.append(f"<{name}/>")
            else:
                out.append(f"<{name}>{format_scalar(value)}</{name}>")

    def result_type(self, operation: str) -> tuple[str, str]:
        return self.schema.results.get(operation, (f"{operation}Result", f"{operation}Result"))

    def body_pieces(self, operation: str, result: dict) -> Iterator[str]:
        """The Response element's text, in pieces; the Result's own arrays are streamed.

        Arrays directly under the Result may be generators of any length: they are written a
        batch of records at a time so memory stays flat and bytes reach the socket early.
        """
        result_name, result_type = self.result_type(operation)
        yield f'<{operation}Response xmlns="http://tempuri.org/"><{result_name}>'
        plan = self._plan(result_type)
        if plan is None:
            out: list[str] = []
            self._write_generic(out, result)
            yield "".join(out)
        else:
            for step in plan:
                kind, name, open_tag, close_tag, empty_tag, extra = step
                value = result.get(name)
                if (
                    kind in (ARRAY, OPTIONAL_ARRAY)
                    and value is not None
                    and not isinstance(value, (list, tuple))
                ):
                    yield from self._stream_array(open_tag, close_tag, empty_tag, extra, value)
                    continue
                out = []
                self._write_step(out, step, value)
                yield "".join(out)
        yield f"</{result_name}></{operation}Response>"

    def _stream_array(self, open_tag, close_tag, empty_tag, item: Field, values) -> Iterator[str]:
        iterator = iter(values)
        batch: list[str] = []
        wrote_any = False
        for value in iterator:
            if not wrote_any:
                batch.append(open_tag)
                wrote_any = True
            self._write_items(batch, item, (value,))
            if len(batch) >= 2000:
                yield "".join(batch)
                batch = []
        if not wrote_any:
            yield empty_tag
            return
        batch.append(close_tag)
        yield "".join(batch)

    def _write_step(self, out: list, step: tuple, value) -> None:
        self.write(out, "", {step[1]: value}, plan=[step])


def chunks(pieces: Iterable[str], size: int = CHUNK_SIZE) -> Iterator[bytes]:
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")
