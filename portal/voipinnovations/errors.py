"""The two ways a VI call can go wrong for a caller.

`ProviderUnavailable`: VI could not be asked or gave no usable answer (network, timeout,
HTTP 5xx, SOAP fault, unreadable body). Nothing is known about what VI did.

`ProviderRejected`: VI answered and refused. Raised by the gateways (and by `stream`, which
has no Result object to hand back) with VI's code and a message a person can act on.

Messages never carry a secret: they are built here from short, redacted pieces, and the
original exception is never chained (tracebacks end up in logs).
"""


class ProviderError(Exception):
    """Base of every error the provider layer raises on purpose."""


class ProviderUnavailable(ProviderError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProviderRejected(ProviderError):
    def __init__(self, code: int | str, message: str) -> None:
        super().__init__(f"{message} (VI code {code})")
        self.code = str(code)
        self.message = message
