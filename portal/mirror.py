"""The base of every mirror row: a local copy of something VI owns.

A mirror model lists the fields VI owns in `vi_fields`; everything else on the model is
local (notes, tags, the portal's own bookkeeping) and a sync never touches it. The
content hash covers the VI-owned fields only, so the sync engine can tell an unchanged
row from a changed one by comparing one short string per row.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from portal.actor import Actor


class MirrorModel(models.Model):
    """Abstract base for rows mirrored from VI.

    Subclasses set:
      * `natural_key_field`: the field VI identifies the row by (a TN, a port id, ...);
        it must be unique on the model.
      * `vi_fields`: the fields an audit fills in (the natural key included or not,
        it makes no difference to the hash).
    """

    natural_key_field: ClassVar[str] = ""
    vi_fields: ClassVar[tuple[str, ...]] = ()

    content_hash = models.CharField(max_length=32, blank=True, editable=False)
    first_seen_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when a complete, successful audit no longer lists the row; cleared if it returns.
    gone_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set by services on every staff/admin write: a sync whose audit was requested before
    # this moment carries older data for the row and leaves it alone.
    locally_changed_at = models.DateTimeField(null=True, blank=True)
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_gone(self) -> bool:
        return self.gone_at is not None

    @property
    def natural_key_value(self) -> str:
        return str(getattr(self, self.natural_key_field))

    def vi_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.vi_fields}

    def refresh_content_hash(self) -> str:
        """Recompute the hash from the instance; services call it before saving a VI field."""
        self.content_hash = content_hash_of(type(self), self.vi_values())
        return self.content_hash

    def mark_locally_changed(self, *, actor: Actor, at: datetime.datetime | None = None) -> None:
        """What a service does to a row it has just changed at VI on someone's behalf."""
        self.locally_changed_at = at or timezone.now()
        self.last_changed_by = actor
        self.refresh_content_hash()


def field_values(model: type[MirrorModel], record: Mapping[str, Any]) -> dict[str, Any]:
    """The VI-owned field values in `record`, converted as the model field would store them.

    Keys in `record` the model does not own are ignored; a VI field missing from the
    record is empty (None, or "" / the default where the column is NOT NULL). `to_python` makes "1.50", Decimal("1.5") and 1.5 agree on a
    DecimalField, so a hash from an audit equals the hash from the stored row.
    """
    return {
        name: stored_value(_vi_field(model, name), record.get(name)) for name in model.vi_fields
    }


def _vi_field(model: type[MirrorModel], name: str) -> models.Field:
    """A VI-owned field: a column of the model's own, never a relation's reverse side."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.vi_fields names {name!r}"
    return field


def stored_value(field: models.Field, value: Any) -> Any:
    """`value` as `field` stores it; VI's nil becomes the field's empty value where NULL is not allowed."""
    if value is None:
        return None if field.null else field.get_default()
    return field.to_python(value)


def content_hash_of(model: type[MirrorModel], values: Mapping[str, Any]) -> str:
    """A stable 128-bit hash of the VI-owned values (already converted by `field_values`).

    The md5 of a JSON array holding each VI field's canonical text (`hash_text`). The same
    string is built in SQL by the set-based sync on PostgreSQL (`portal.sync.columns`), so a
    row hashed by a service, by the portable sync or by the set-based one hashes alike.
    """
    texts = [hash_text(_vi_field(model, name), values.get(name)) for name in model.vi_fields]
    canonical = json.dumps(texts, ensure_ascii=False)  # ", " separators: json_build_array's
    return hashlib.md5(canonical.encode(), usedforsecurity=False).hexdigest()


def hash_text(field: models.Field, value: Any) -> str | None:
    """`value` as the text PostgreSQL gives for the stored column (`portal.sync.columns.hash_text_sql`).

    Decimals at the column's scale ("1.5000"), times in UTC to the microsecond, booleans
    as "true"/"false", JSON as jsonb prints it: whatever form a value arrives in, the text
    is that of what the column stores.
    """
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return "true" if value else "false"
    if kind == "DateTimeField":
        value = field.to_python(value)
        if timezone.is_naive(value):  # stored as the default time zone's wall clock, as Django does
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return (
            value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
        )
    if kind == "DateField":
        return field.to_python(value).isoformat()
    if kind == "DecimalField":
        number = field.to_python(value)
        places = cast(models.DecimalField, field).decimal_places
        return format(number.quantize(Decimal(1).scaleb(-places)), "f")
    if kind == "JSONField":
        return jsonb_text(value)
    return str(value)


def jsonb_text(value: Any) -> str:
    """JSON as PostgreSQL's `jsonb::text` prints it: keys by length then bytes, ", " and ": "."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = {str(key): item for key, item in value.items()}
        keys = sorted(items, key=lambda key: (len(key.encode()), key.encode()))
        return (
            "{"
            + ", ".join(
                f"{json.dumps(key, ensure_ascii=False)}: {jsonb_text(items[key])}" for key in keys
            )
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
