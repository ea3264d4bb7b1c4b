"""Where to go after a form: a `next` parameter is honoured only when it is a path on this site.

A `next` taken as given sends a person anywhere (`next=https://evil.example/` after a click
on our own button is a phishing aid) or crashes (`redirect("foo")` tries to reverse "foo"
as a URL name). Every view that reads a next/return parameter goes through `safe_next`.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The same-site path in POST/GET `field`, else `default` (a URL name or path)."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if is_same_site_path(request, candidate):
        return candidate
    return default


def is_same_site_path(request: HttpRequest, url: str) -> bool:
    # A path only ("/porting/changes/"), never a scheme or a host, and nothing a browser would
    # read as one ("//evil.example", "/\\evil.example", control characters).
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url.isprintable()
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
