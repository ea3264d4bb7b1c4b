"""Raw SOAP for sandbox tests: hand-written envelopes in, parsed Result dicts out."""

from __future__ import annotations

import requests
from lxml import etree

TNS = "http://tempuri.org/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


def envelope(operation: str, inner: str, *, login: str, secret: str, version: str = SOAP11) -> str:
    """Default-namespace request, login/secret first (the WSDL's order)."""
    return (
        f'<soap:Envelope xmlns:soap="{version}"><soap:Body><{operation} xmlns="{TNS}">'
        f"<login>{login}</login><secret>{secret}</secret>{inner}</{operation}></soap:Body></soap:Envelope>"
    )


def post(
    url: str, body: str | bytes, *, operation: str, version: str = SOAP11, timeout: float = 30
) -> requests.Response:
    if version == SOAP12:
        headers = {
            "Content-Type": f'application/soap+xml; charset=utf-8; action="http://tempuri.org/{operation}"'
        }
    else:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f"http://tempuri.org/{operation}",
        }
    data = body.encode() if isinstance(body, str) else body
    return requests.post(url, data=data, headers=headers, timeout=timeout)


def to_python(element):
    """An element as a dict of children (lists for repeated names), or its text."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        if element.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true":
            return None
        return element.text or ""
    result: dict = {}
    for child in children:
        name = etree.QName(child).localname
        value = to_python(child)
        if name in result:
            if not isinstance(result[name], list) or not getattr(result[name], "_repeated", False):
                result[name] = _Repeated([result[name]])
            result[name].append(value)
        else:
            result[name] = value
    return result


class _Repeated(list):
    _repeated = True


def items(result: dict, wrapper: str, item: str) -> list:
    """The records inside an array element: [] for `<DIDs/>`, always a list."""
    container = result.get(wrapper)
    if not container:
        return []
    value = container[item]
    return list(value) if isinstance(value, _Repeated) else [value]


def result_of(response: requests.Response, operation: str) -> dict:
    assert response.status_code == 200, response.text[:500]
    root = etree.fromstring(response.content)
    found = root.find(f".//{{{TNS}}}{operation}Result")
    assert found is not None, response.text[:500]
    return to_python(found)


class Soap:
    """Calls the sandbox with raw envelopes as the configured account."""

    def __init__(self, handle):
        self.handle = handle

    def call(self, operation: str, inner: str = "", *, version: str = SOAP11) -> dict:
        body = envelope(
            operation, inner, login=self.handle.login, secret=self.handle.secret, version=version
        )
        return result_of(
            post(self.handle.url, body, operation=operation, version=version), operation
        )

    def dids(self, operation: str, inner: str = "") -> list[dict]:
        return items(self.call(operation, inner), "DIDs", "DID")


def did_params(*params: dict) -> str:
    inner = "".join(
        "<DIDParam>" + "".join(f"<{k}>{v}</{k}>" for k, v in param.items()) + "</DIDParam>"
        for param in params
    )
    return f"<didParams>{inner}</didParams>"
