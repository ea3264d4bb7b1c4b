from datetime import UTC, date, datetime

from portal.sandbox.serializer import format_scalar


def test_vi_no_value_date_keeps_its_four_digit_year():
    # VILocation.activatedTime with no record is 0001-01-01T00:00:00 at VI; zeep cannot read "1-01-01".
    assert format_scalar(datetime(1, 1, 1)) == "0001-01-01T00:00:00"


def test_dates_are_written_in_vi_shapes():
    assert format_scalar(datetime(2014, 3, 24, 15, 14, 40, 743000)) == "2014-03-24T15:14:40.743"
    assert format_scalar(datetime(2014, 3, 24, 19, 14, 39, tzinfo=UTC)) == "2014-03-24T19:14:39Z"
    assert format_scalar(date(1900, 1, 1)) == "1900-01-01T00:00:00"
