"""Make zeep say when a typed value from VI does not parse, instead of guessing.

Out of the box zeep turns `<endpointId>abc</endpointId>` into None (it logs the error and
moves on) and `<has911>maybe</has911>` into False (anything but "true"/"1" is false), so a
wrong value reached the mirror as a change. With `install()`:

* a typed element whose text does not parse comes back as `values.Unparsed` — the raw
  text — which every record builder refuses (`dids.records`);
* xsd:boolean takes only what XML Schema allows: true, false, 1, 0;
* an empty or whitespace-only element is still None (VI sends many optional fields empty);
* a decimal that does not parse no longer escapes as InvalidOperation (an ArithmeticError,
  which zeep did not catch, failing the whole answer).

zeep builds its built-in types once per process, so this patches their classes; it is
idempotent and only changes what a failed conversion returns.
"""

from __future__ import annotations

import logging

from zeep.xsd.types import builtins
from zeep.xsd.types.simple import AnySimpleType

from .values import Unparsed

logger = logging.getLogger(__name__)

_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _parse_xmlelement(
    self, xmlelement, schema=None, allow_none=True, context=None, schema_type=None
):
    text = xmlelement.text
    if text is None:
        return None
    if not isinstance(self, builtins.String) and not text.strip():
        return None
    try:
        return self.pythonvalue(text)
    except (TypeError, ValueError, ArithmeticError):
        # No traceback in the log: the raw value may be anything VI sent.
        logger.info(
            "A %s value from VI did not parse", getattr(self, "name", None) or type(self).__name__
        )
        return Unparsed(text)


def _strict_boolean(self, value):
    try:
        return _BOOLEANS[value.strip()]
    except KeyError:
        raise ValueError("not an xsd:boolean") from None


def install() -> None:
    if getattr(AnySimpleType.parse_xmlelement, "__module__", None) == __name__:
        return  # installed already (by this module, perhaps before a reload of it)
    # Patching zeep's classes is what this module is for.
    AnySimpleType.parse_xmlelement = _parse_xmlelement  # type: ignore[method-assign]
    builtins.Boolean.pythonvalue = _strict_boolean  # type: ignore[method-assign]


install()
