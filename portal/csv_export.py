"""Every CSV the portal serves goes through here, so no cell comes out live in a spreadsheet.

Text we export is not all ours: a number's reference and caller-ID name come from VI (anyone
with VI's portal can set them), bulk-upload rows were pasted by staff. Excel, LibreOffice and
Google Sheets run a cell that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`,
`@SUM(…)`), and a leading tab or carriage return lets one slip past a naive check. Such a
cell gets a single quote in front: the spreadsheet shows it as text, and the text is kept.

The rule applies to every cell, phone numbers included: a `+1…` forward target comes out as
`'+1…`. Spotting "harmless" numbers would be a second parser to get wrong; a quote a person
can see is the safer failure (docs/security.md).

Files are UTF-8 (the response says so in its charset) with no byte-order mark, so the bulk
911 upload reads a file we wrote back unchanged.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def inert(value: Any) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_line(values: Iterable[Any]) -> str:
    """One CSV line (with its line ending) of inert cells."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([inert(value) for value in values])
    return buffer.getvalue()


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    for row in rows:
        yield csv_line(row)


def csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download; `lines` are already CSV text (from `csv_line`)."""
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
