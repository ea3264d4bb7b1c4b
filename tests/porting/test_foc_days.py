"""FOC dates are days. VI sends them as a zoneless midnight on its UTC clock; shown in the
portal's time zone that midnight falls on the evening before anywhere west of UTC, so every
FOC date read one day early (and the e2e test failed between 00:00 and 05:00 UTC)."""

import datetime

import pytest
from django.urls import reverse

from porting.models import Port, calendar_day
from porting.selectors import days_until

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_a_foc_date_is_the_day_vi_named_whatever_the_portals_time_zone(
    ports_synced, viewer_client, settings
):
    settings.TIME_ZONE = (
        "Pacific/Honolulu"  # ten hours behind UTC: every UTC midnight is the day before here
    )
    port = Port.objects.exclude(foc_at=None).first()
    vi_day = port.foc_at.astimezone(UTC).strftime("%Y-%m-%d")

    detail = viewer_client.get(reverse("porting:detail", args=[port.vi_id])).content.decode()
    listing = viewer_client.get(reverse("porting:index")).content.decode()

    assert f'data-testid="port-foc">{vi_day}' in detail
    assert f'data-testid="foc">{vi_day}' in listing


def test_days_left_count_from_todays_local_date_to_the_foc_day(settings):
    settings.TIME_ZONE = "America/New_York"
    foc = datetime.datetime(2026, 12, 2, tzinfo=UTC)
    evening_in_new_york = datetime.datetime(
        2026, 11, 30, 2, 0, tzinfo=UTC
    )  # 21:00 on 29 November there

    assert calendar_day(foc) == datetime.date(2026, 12, 2)
    assert days_until(foc, now=evening_in_new_york) == 3
    assert (
        days_until(foc, now=datetime.datetime(2026, 12, 2, 23, 0, tzinfo=UTC)) == 0
    )  # 18:00 on the day
    assert days_until(None) is None
