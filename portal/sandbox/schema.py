"""The message schema the sandbox answers with, read from our WSDL.

Only what the serializer and the dispatcher need: for every operation its Result element and
type, and for every complexType its fields in sequence order with their XSD type, occurrence
and nillability.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

PACKAGE_ROOT = Path(__file__).resolve().parents[1]

# Our WSDL (all 98 operations). Until it exists the 2014 production copy stands in for the
# 48 operations it defines; the path is one constant on purpose.
WSDL_PATH = PACKAGE_ROOT / "voipinnovations" / "wsdl" / "APIService.wsdl"
FALLBACK_WSDL_PATH = PACKAGE_ROOT.parent.parent / "shared" / "vi-api" / "APIService.wsdl"

TNS = "http://tempuri.org/"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
_NS = {"s": XSD, "w": WSDL_NS}


def wsdl_path() -> Path:
    return WSDL_PATH if WSDL_PATH.exists() else FALLBACK_WSDL_PATH


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str  # local name: "string", "int", "boolean", "dateTime", "decimal" or a complexType
    required: bool
    repeated: bool
    nillable: bool
    # Added by us to a type of VI's 2014 WSDL (an `<!-- Extension: … -->` comment precedes it):
    # written only when an operation fills it, so readers of VI's own file keep reading.
    extension: bool = False

    @property
    def is_simple(self) -> bool:
        return self.type in SIMPLE_TYPES


SIMPLE_TYPES = frozenset(
    {"string", "int", "long", "boolean", "dateTime", "decimal", "double", "short"}
)


@dataclass(frozen=True, slots=True)
class Schema:
    types: dict[str, tuple[Field, ...]]
    # operation -> (result element name, result type name)
    results: dict[str, tuple[str, str]]
    # operation -> request fields
    requests: dict[str, tuple[Field, ...]]
    source: Path

    def array_item(self, type_name: str) -> Field | None:
        """The single repeated child of an ArrayOfX type, else None."""
        fields = self.types.get(type_name, ())
        if len(fields) == 1 and fields[0].repeated:
            return fields[0]
        return None


def _fields(complex_type) -> tuple[Field, ...]:
    fields = []
    for element in complex_type.iterfind("s:sequence/s:element", _NS):
        type_name = (element.get("type") or "s:string").split(":")[-1]
        previous = element.getprevious()
        fields.append(
            Field(
                name=element.get("name"),
                type=type_name,
                required=element.get("minOccurs", "1") != "0",
                repeated=element.get("maxOccurs", "1") not in ("1", "0"),
                nillable=element.get("nillable") == "true",
                extension=previous is not None
                and previous.tag is etree.Comment
                and previous.text.strip().startswith("Extension:"),
            )
        )
    return tuple(fields)


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Schema:
    path = path or wsdl_path()
    tree = etree.parse(str(path))
    types: dict[str, tuple[Field, ...]] = {}
    elements: dict[str, tuple[Field, ...]] = {}
    for schema in tree.iterfind(".//w:types/s:schema", _NS):
        for complex_type in schema.iterfind("s:complexType", _NS):
            types[complex_type.get("name")] = _fields(complex_type)
        for element in schema.iterfind("s:element", _NS):
            inner = element.find("s:complexType", _NS)
            if inner is not None:
                elements[element.get("name")] = _fields(inner)
    results: dict[str, tuple[str, str]] = {}
    requests: dict[str, tuple[Field, ...]] = {}
    for port_type in tree.iterfind("w:portType", _NS):
        for operation in port_type.iterfind("w:operation", _NS):
            name = operation.get("name")
            response_fields = elements.get(f"{name}Response", ())
            if response_fields:
                results[name] = (response_fields[0].name, response_fields[0].type)
            requests[name] = elements.get(name, ())
    return Schema(types=types, results=results, requests=requests, source=path)


def wsdl_text(address: str) -> bytes:
    """Our WSDL with soap:address / soap12:address pointing at `address`."""
    tree = etree.parse(str(wsdl_path()))
    for port in tree.iterfind(".//w:service/w:port", _NS):
        for child in port:
            if isinstance(child.tag, str) and etree.QName(child).localname == "address":
                child.set("location", address)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
