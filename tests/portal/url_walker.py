"""Every URL pattern of the project, as a concrete path a test client can request.

Path converters and regex groups are filled with the first plausible sample value that
matches them; a pattern no sample fits makes the walk fail loudly (so a new pattern is
never skipped silently — add a sample here instead).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from portal.permissions import write_permission_of

# Tried in order; the first one a converter (or regex group) accepts is used.
SAMPLE_VALUES = [
    "1",
    "4352154006",
    "x",
    "00000000-0000-0000-0000-000000000001",
    "auth",
    "2026-01-31",
]


@dataclass(frozen=True)
class Endpoint:
    path: str
    name: str | None  # "namespace:name", or None for unnamed patterns
    callback: Callable

    @property
    def write_permission(self) -> str | None:
        return write_permission_of(self.callback)

    def __str__(self) -> str:
        return f"{self.path} ({self.name or 'unnamed'})"


def _sample_for(regex: str, converter=None) -> str:
    for value in SAMPLE_VALUES:
        if not re.fullmatch(regex, value):
            continue
        if converter is not None:
            try:
                converter.to_python(value)
            except ValueError:
                continue
        return value
    raise AssertionError(f"No sample value matches {regex!r}: add one to SAMPLE_VALUES")


def _fill_route(pattern: RoutePattern) -> str:
    route = str(pattern)

    def replace(match: re.Match) -> str:
        name = match.group("name")
        converter = pattern.converters[name]
        return _sample_for(converter.regex, converter)

    return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>", replace, route)


def _fill_regex(pattern: RegexPattern) -> str:
    """Replace each named group by a sample, scanning balanced parentheses."""
    text = pattern.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
    out, index = [], 0
    while index < len(text):
        if text.startswith("(?P<", index):
            depth, end = 0, index
            while True:
                if text[end] == "\\":
                    end += 2
                    continue
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
                if depth == 0:
                    break
            group = text[index:end]
            body = group[group.index(">") + 1 : -1]
            out.append(_sample_for(body))
            index = end
        else:
            out.append(text[index].replace("\\", ""))
            index += 1
    return "".join(out)


def _fill(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(pattern)
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern)
    raise AssertionError(f"Unknown pattern type {type(pattern).__name__}")


def _walk(patterns, prefix: str, namespace: str | None) -> Iterator[Endpoint]:
    for entry in patterns:
        segment = _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace if entry.namespace else None
            full_namespace = ":".join(n for n in (namespace, inner) if n) or None
            yield from _walk(entry.url_patterns, prefix + segment, full_namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Endpoint(path=prefix + segment, name=name, callback=entry.callback)


def all_endpoints() -> list[Endpoint]:
    endpoints = list(_walk(get_resolver().url_patterns, "/", None))
    for endpoint in endpoints:
        # The filled path must lead back to the pattern it came from, or the walk tests
        # something else than it claims to.
        match = resolve(endpoint.path)
        assert (
            match.func == endpoint.callback or match.url_name is None and endpoint.name is None
        ), f"{endpoint} resolves to {match.view_name}, not to its own pattern"
    return endpoints
