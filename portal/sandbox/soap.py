"""SOAP 1.1 / 1.2 envelopes: reading a request, writing a response or a fault."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .registry import Request
from .serializer import escape

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
CONTENT_TYPES = {SOAP11: "text/xml; charset=utf-8", SOAP12: "application/soap+xml; charset=utf-8"}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class SoapError(Exception):
    """The request cannot be understood: answered with a SOAP fault and HTTP 500."""

    def __init__(self, message: str, *, version: str = SOAP11, client: bool = True):
        super().__init__(message)
        self.version = version
        self.client = client


@dataclass(frozen=True, slots=True)
class SoapRequest:
    version: str  # envelope namespace, SOAP11 or SOAP12
    operation: str
    request: Request


def version_from_content_type(content_type: str) -> str:
    return SOAP12 if "application/soap+xml" in (content_type or "").lower() else SOAP11


def parse(body: bytes, content_type: str) -> SoapRequest:
    version = version_from_content_type(content_type)
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapError(
            f"Server was unable to read request. There is an error in XML document: {error}",
            version=version,
        ) from None
    if root.tag == f"{{{SOAP12}}}Envelope":
        version = SOAP12
    elif root.tag == f"{{{SOAP11}}}Envelope":
        version = SOAP11
    else:
        raise SoapError("The root element is not a SOAP Envelope.", version=version)
    body_element = root.find(f"{{{version}}}Body")
    if body_element is None or len(body_element) == 0:
        raise SoapError("The SOAP Body is missing or empty.", version=version)
    element = next((child for child in body_element if isinstance(child.tag, str)), None)
    if element is None:
        raise SoapError("The SOAP Body is missing or empty.", version=version)
    request = Request(element)
    return SoapRequest(version=version, operation=request.name, request=request)


def envelope_head(version: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    )


ENVELOPE_TAIL = "</soap:Body></soap:Envelope>"


def fault(message: str, *, version: str = SOAP11, client: bool = True) -> bytes:
    text = escape(message)
    if version == SOAP12:
        code = "soap:Sender" if client else "soap:Receiver"
        inner = (
            f"<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="en">{text}</soap:Text></soap:Reason><soap:Detail/></soap:Fault>'
        )
    else:
        code = "soap:Client" if client else "soap:Server"
        inner = f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring><detail/></soap:Fault>"
    return (envelope_head(version) + inner + ENVELOPE_TAIL).encode("utf-8")
