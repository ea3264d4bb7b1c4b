"""Does a value from VI fit the mirror column it is meant for?

One value that does not fit (a caller-ID name longer than its column, an endpoint id of
10^30, a NUL, a balance of NaN) used to fail a whole sync's transaction. The sync engine
asks `record_problems` about each record before staging it, and sets aside the records
that have problems (`portal.sync.setaside`); the record builders ask the same question
for a single record read from VI (a page's "Refresh from VI").

The checks are compiled once per model into one small function per field: a sync checks
100,000 records of ~25 fields, so this must cost well under a microsecond a value.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models

from portal.voipinnovations.values import Unfit, Unparsed

# (value) -> reason it does not fit, or None
Check = Callable[[Any], str | None]

_INT64 = (-(2**63), 2**63 - 1)
_INT32 = (-(2**31), 2**31 - 1)


def record_problems(model: type[models.Model], values: Mapping[str, Any]) -> list[Unfit]:
    """Every value of `values` (model field names) that `model` cannot store."""
    checks = _checks(model)
    problems = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, Unfit):
            problems.append(Unfit(name, value.raw, value.reason))  # named as the mirror names it
            continue
        if isinstance(value, Unparsed):
            problems.append(Unfit(name, str(value), "not a value of the expected type"))
            continue
        check = checks.get(name)
        if check is None:
            continue
        reason = check(value)
        if reason:
            problems.append(Unfit(name, value if isinstance(value, str) else repr(value), reason))
    return problems


class Fitted(dict):
    """A record's values that the code building them already checked against `model`'s
    columns, as `record_problems` would (a sync's fast readers, `dids.records.fast_reader`):
    `SetAside.check` takes it as fitting without asking again. Code that adds or changes a
    value checks that value itself (`quick_fit` on its names), or hands on a plain dict."""

    __slots__ = ()
    model: type[models.Model]


@cache
def fitted(model: type[models.Model]) -> type[Fitted]:
    """The `Fitted` dict type for `model`'s records (a class, so one is made as fast as a dict)."""
    return type(f"Fitted{model.__name__}", (Fitted,), {"__slots__": (), "model": model})


def quick_fit(
    model: type[models.Model], names: tuple[str, ...]
) -> Callable[[Mapping[str, Any]], bool]:
    """A fast yes for a record whose `names` all plainly fit `model` (a sync's every record).

    True only where `record_problems` would find nothing: each value is None, or exactly a
    str within the column's length and without NUL, an int in range, a bool, a datetime —
    the types the record builders give good values. Anything else (text for a number, an
    Unfit or Unparsed marker, a decimal, JSON) answers False: ask `record_problems`.
    """
    return _quick_fit(model, names)


@cache
def _quick_fit(
    model: type[models.Model], names: tuple[str, ...]
) -> Callable[[Mapping[str, Any]], bool]:
    texts: list[tuple[str, int]] = []  # (name, max length)
    typed: list[tuple[str, type]] = []  # (name, exact type)
    integers: list[tuple[str, tuple[int, int]]] = []  # (name, range)
    for name in names:
        field = _field_named(model, name)
        kind = field.get_internal_type() if field is not None else None
        if kind in ("CharField", "SlugField", "EmailField", "URLField", "TextField"):
            assert field is not None
            texts.append((name, field.max_length if field.max_length is not None else 2**62))
        elif kind == "BooleanField":
            typed.append((name, bool))
        elif kind in ("DateTimeField",):
            typed.append((name, datetime.datetime))
        elif kind in ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                      "PositiveBigIntegerField", "PositiveSmallIntegerField", "AutoField",
                      "BigAutoField", "ForeignKey"):  # fmt: skip
            low_high = _INT64 if kind == "ForeignKey" else _integer_range(kind)
            integers.append((name, low_high))
        else:
            return _never  # a kind without a fast answer: every record gets the full check

    def fits(values: Mapping[str, Any]) -> bool:
        get = values.get
        value: Any
        for name, limit in texts:
            value = get(name)
            if value is None:
                continue
            if type(value) is not str or len(value) > limit or "\x00" in value:
                return False
        for name, exact in typed:
            value = get(name)
            if value is not None and type(value) is not exact:
                return False
        for name, (low, high) in integers:
            value = get(name)
            if value is None:
                continue
            if type(value) is not int or not low <= value <= high:
                return False
        return True

    return fits


def _never(values: Mapping[str, Any]) -> bool:
    return False


def _field_named(model: type[models.Model], name: str) -> models.Field | None:
    for field in model._meta.concrete_fields:
        if field.name == name or field.attname == name:
            return field
    return None


@cache
def _checks(model: type[models.Model]) -> dict[str, Check]:
    checks = {}
    for field in model._meta.concrete_fields:
        check = field_check(field)
        if check is not None:
            checks[field.name] = check
            if field.attname != field.name:
                checks[field.attname] = check
    return checks


def field_check(field: models.Field) -> Check | None:
    kind = field.get_internal_type()
    if kind in ("CharField", "SlugField", "EmailField", "URLField", "TextField"):
        return _text_check(field.max_length)
    check = _typed_check(field, kind)
    if check is None:
        return None
    return _accepting_text(field, check)


def _accepting_text(field: models.Field, check: Check) -> Check:
    """Text that the field itself reads as its type ("2.25" for a decimal) is checked as that."""

    def accept(value: Any) -> str | None:
        if isinstance(value, str) and not isinstance(value, Unparsed):
            if "\x00" in value:
                return "holds a NUL character"
            try:
                value = field.to_python(value)
            except (ValidationError, ValueError, TypeError, ArithmeticError):
                return "not a value of the expected type"
            if value is None:
                return None
        return check(value)

    return accept


def _typed_check(field: models.Field, kind: str) -> Check | None:
    if kind in ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                "PositiveBigIntegerField", "PositiveSmallIntegerField", "AutoField", "BigAutoField"):  # fmt: skip
        low, high = _integer_range(kind)
        return _integer_check(low, high)
    if kind == "ForeignKey":
        return _integer_check(*_INT64)
    if kind == "BooleanField":
        return _boolean_check
    if kind == "DecimalField":
        assert isinstance(field, models.DecimalField)
        return _decimal_check(field.max_digits, field.decimal_places)
    if kind == "FloatField":
        return _float_check
    if kind in ("DateTimeField", "DateField"):
        return _moment_check
    if kind == "JSONField":
        return _json_check
    return None


def _integer_range(kind: str) -> tuple[int, int]:
    try:
        low, high = connection.ops.integer_field_range(kind)
    except (KeyError, AttributeError):
        low, high = None, None
    # SQLite reports no limits; its integers are 64-bit all the same.
    return (_INT64[0] if low is None else low, _INT64[1] if high is None else high)


def _text_check(max_length: int | None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "not text"
        if max_length is not None and len(value) > max_length:
            return f"longer than the {max_length} characters the portal keeps"
        if "\x00" in value:
            return "holds a NUL character"
        return None

    return check


def _integer_check(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "not a whole number"
        if value < low or value > high:
            return "out of range"
        return None

    return check


def _boolean_check(value: Any) -> str | None:
    return None if isinstance(value, bool) else "not yes or no"


def _decimal_check(max_digits: int, decimal_places: int) -> Check:
    limit = decimal.Decimal(10) ** (max_digits - decimal_places)

    def check(value: Any) -> str | None:
        if isinstance(value, float):
            if not math.isfinite(value):
                return "not a finite number"
            value = decimal.Decimal(repr(value))
        if not isinstance(value, decimal.Decimal | int) or isinstance(value, bool):
            return "not a number"
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            return "not a finite number"
        try:
            rounded = decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-decimal_places))
        except decimal.InvalidOperation:
            return "out of range"
        if abs(rounded) >= limit:
            return "out of range"
        return None

    return check


def _float_check(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return "not a number"
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return "out of range"
    return None if math.isfinite(number) else "not a finite number"


def _moment_check(value: Any) -> str | None:
    return None if isinstance(value, datetime.date) else "not a date"


def _json_check(value: Any) -> str | None:
    """JSON the database can hold: no NUL in any string (jsonb refuses \\u0000), no NaN."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > 100_000:
            return "too large"
        if isinstance(item, Unfit | Unparsed):
            return "holds a value of the wrong type"
        if isinstance(item, str):
            if "\x00" in item:
                return "holds a NUL character"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "not a finite number"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None
