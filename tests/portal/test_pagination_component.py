"""The one pagination component: page X of Y and counts, for Django pages and for the
numbers list's keyset pages, with a crafted ?n= unable to mislead or break it."""

from dataclasses import dataclass

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    page_size: int = 50


def _render(query: str, **context) -> str:
    request = RequestFactory().get(f"/numbers/{query}")
    return " ".join(
        render_to_string("components/pagination.html", context, request=request).split()
    )


def test_a_django_page_says_where_you_are_and_how_many():
    page = Paginator(list(range(120)), 50).get_page(2)
    html = _render("?page=2", page=page)
    assert (
        "51–100 of 120" in html and "Page 2 of 3" in html and "Previous" in html and "Next" in html
    )


def test_a_single_page_still_says_how_many():
    html = _render("", page=Paginator(list(range(7)), 50).get_page(1))
    assert "1–7 of 7" in html and "Page 1" not in html


def test_a_keyset_page_says_page_x_of_y_and_the_rows_shown():
    page = KeysetPage(rows=list(range(50)), next_cursor="abc", previous_cursor="xyz")
    html = _render(
        "?cursor=xyz&n=3&q=435",
        page=page,
        count=260,
        capped=False,
        target="#did-results",
        swap="outerHTML",
    )
    assert "101–150 of 260" in html and "Page 3 of 6" in html
    assert "cursor=abc" in html and "n=4" in html and "q=435" in html  # the filters are kept
    assert "First page" in html and 'hx-swap="outerHTML"' in html


def test_a_capped_count_does_not_claim_a_last_page():
    page = KeysetPage(rows=list(range(50)), next_cursor="abc", previous_cursor="")
    html = _render("", page=page, count=10000, capped=True)
    assert "1–50 of more than 10000" in html and "Page 1" in html and "of 200" not in html


@pytest.mark.parametrize("n", ["abc", "-5", "99999999999999999999", "<script>", "%00", ""])
def test_a_crafted_page_number_is_clamped(n):
    page = KeysetPage(rows=list(range(10)), next_cursor=None, previous_cursor="xyz")
    html = _render(f"?cursor=xyz&n={n}", page=page, count=60, capped=False)
    assert "<script>" not in html
    assert "Page 2 of 2" in html or "Page 1000000" in html


def test_the_first_page_is_page_one_whatever_n_says():
    page = KeysetPage(rows=list(range(50)), next_cursor="abc", previous_cursor="")
    assert "Page 1 of 2" in _render("?n=7", page=page, count=60, capped=False)
