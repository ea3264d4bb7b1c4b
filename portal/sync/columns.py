"""SQL for one mirror column: its staged value, its hash text, its history value.

The set-based sync (`portal.sync.setbased`) builds its statements from these so that SQL
computes exactly what Python computes elsewhere: the content hash of `portal.mirror`
(`hash_text`, `content_hash_of`) and the `{field: [before, after]}` values of
`portal.history.diff` (`jsonable`: decimals and times as text, ISO 8601).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg import sql
from psycopg.types.json import Jsonb

# Field types whose values SQL can hash and render exactly as Python does.
SUPPORTED_TYPES = frozenset(
    {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField",
        "DateTimeField", "DecimalField", "EmailField", "IntegerField", "JSONField",
        "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
        "SlugField", "SmallIntegerField", "TextField", "URLField",
    }
)  # fmt: skip

# Python's datetime.isoformat() of a UTC time: microseconds only when there are some.
_ISO_DATETIME = (
    "to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN mod(extract(microseconds FROM {value})::bigint, 1000000) <> 0"
    " THEN to_char({value} AT TIME ZONE 'UTC', '.US') ELSE '' END || '+00:00'"
)


@dataclass(frozen=True)
class Column:
    """One VI-owned field of a mirror model, as the set-based statements need it."""

    name: str
    field: models.Field

    @property
    def kind(self) -> str:
        return self.field.get_internal_type()

    @property
    def identifier(self) -> str:
        return connection.ops.quote_name(concrete_column(self.field))

    @property
    def db_type(self) -> str:
        db_type = self.field.db_type(connection)
        assert db_type is not None, f"{self.name} has no database type"
        return db_type

    @property
    def stage_type(self) -> str:
        """The staging column's type: the mirror's, but decimals keep the scale VI sent
        (history shows "2.25" as the portable path does; the mirror column rounds it)."""
        return "numeric" if self.kind == "DecimalField" else self.db_type

    def staged(self, alias: str) -> str:
        """The staged value as the column stores it: VI's nil is the field's empty value where NULL is not allowed."""
        value = f"{alias}.{self.identifier}"
        if self.field.null:
            return value
        return f"COALESCE({value}, {literal(self.field.get_default(), self.field)})"

    def hash_text(self, value: str) -> str:
        """`portal.mirror.hash_text` in SQL."""
        if self.kind == "DateTimeField":
            return f"to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        if self.kind == "DateField":
            return f"to_char({value}, 'YYYY-MM-DD')"
        if self.kind == "DecimalField":
            return f"({value})::{self.db_type}::text"
        return f"({value})::text"

    def history_value(self, value: str) -> str:
        """`portal.history.jsonable` in SQL: the value as history's JSON shows it."""
        if self.kind == "DateTimeField":
            return f"to_jsonb({_ISO_DATETIME.format(value=value)})"
        if self.kind == "DateField":
            return f"to_jsonb(to_char({value}, 'YYYY-MM-DD'))"
        if self.kind == "DecimalField":
            return f"to_jsonb(({value})::text)"
        if self.kind == "JSONField":
            return f"({value})::jsonb"
        return f"to_jsonb({value})"

    def copy_adapter(self) -> Callable[[Any], Any] | None:
        """What a staged value goes through before COPY: JSON marked as such, and a time
        without a zone read as the default zone's wall clock, as Django saves one."""
        if self.kind == "JSONField":
            return Jsonb
        if self.kind == "DateTimeField":
            return _aware
        return None


def _aware(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def columns_of(model: type[models.Model], names: tuple[str, ...]) -> list[Column]:
    return [Column(name, concrete_field(model, name)) for name in names]


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` of `model`, known to be one with a column (not a reverse relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a field with a column"
    return field


def concrete_column(field: models.Field) -> str:
    assert field.column is not None, f"{field.name} has no column"
    return field.column


def supported(model: type[models.Model], names: tuple[str, ...]) -> bool:
    return all(column.kind in SUPPORTED_TYPES for column in columns_of(model, names))


def content_hash_sql(columns: list[Column], values: dict[str, str]) -> str:
    """`portal.mirror.content_hash_of` in SQL, over `values` (column name -> SQL expression)."""
    if not columns:
        return "md5('[]')"
    texts = ", ".join(column.hash_text(values[column.name]) for column in columns)
    return f"md5(json_build_array({texts})::text)"


def iso_datetime_sql(value: str) -> str:
    return _ISO_DATETIME.format(value=value)


def literal(value: Any, field: models.Field) -> str:
    """A default value as an SQL literal (defaults are ours: "", False, 0, [] …)."""
    prepared = field.get_db_prep_save(value, connection)
    if field.get_internal_type() == "JSONField" and not isinstance(prepared, Jsonb):
        prepared = Jsonb(value)
    with connection.cursor() as cursor:
        rendered = sql.Literal(prepared).as_string(cursor.cursor.connection)
    # The statements carry parameters: a % in a default must not read as a placeholder.
    return f"{rendered}::{field.db_type(connection)}".replace("%", "%%")
