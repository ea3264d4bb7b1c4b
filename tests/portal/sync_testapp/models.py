from django.db import models

from portal.mirror import MirrorModel


class Gadget(MirrorModel):
    """Stands in for a DID: a natural key, a few VI-owned fields of awkward types, a local note."""

    natural_key_field = "code"
    vi_fields = ("name", "status", "price", "renews_at", "tags")

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    renews_at = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # Local only: a sync never touches it.
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
