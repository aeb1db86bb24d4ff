"""Issue 17: now, today and relative dates (+10d, +2w, +1y2d) counting from the other date of a pair."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from offer_tui.model.dates import is_relative, resolve_pair, resolve_user_datetime, shift

NOW = datetime(2026, 3, 4, 5, 6, 7, 891000, tzinfo=timezone.utc)


def test_the_documented_offers_dates_in_short_forms():
    assert resolve_pair("2022-07-27 05:00", "+1y2d") == ("2022-07-27T05:00:00.000+00:00",
                                                        "2023-07-29T05:00:00.000+00:00")
    assert resolve_pair("2023-05-15 14:25:49.622", "+10d") == ("2023-05-15T14:25:49.622+00:00",
                                                               "2023-05-25T14:25:49.622+00:00")


def test_a_relative_start_counts_back_from_the_end_and_keeps_its_offset():
    assert resolve_pair("-2w", "2025-03-20T09:30:00.000+02:00") == ("2025-03-06T09:30:00.000+02:00",
                                                                   "2025-03-20T09:30:00.000+02:00")


def test_now_and_today_and_relative_without_an_anchor():
    assert resolve_user_datetime("now", now=NOW) == "2026-03-04T05:06:07.891+00:00"
    assert resolve_user_datetime("Today", now=NOW) == "2026-03-04T00:00:00.000+00:00"
    assert resolve_pair("now", "+1w", now=NOW) == ("2026-03-04T05:06:07.891+00:00", "2026-03-11T05:06:07.891+00:00")
    assert resolve_pair("+1d", "+2d", now=NOW) == ("2026-03-05T05:06:07.891+00:00", "2026-03-06T05:06:07.891+00:00")


def test_a_year_from_29_february_is_28_february():
    assert resolve_pair("2024-02-29", "+1y")[1] == "2025-02-28T00:00:00.000+00:00"


@pytest.mark.parametrize("text", ["+10d", "+2w", "+1y", "+1y2d", "-3h", "+ 1y 2d", "+1Y"])
def test_relative_forms(text):
    assert is_relative(text)


@pytest.mark.parametrize("text", ["10d", "+d", "+1x", "+1.5d", "++1d", "+１d", ""])
def test_not_relative(text):
    assert not is_relative(text)


def test_unreadable_values_stay_as_typed_for_validation_to_name():
    assert resolve_pair("soon", "+1d", now=NOW) == ("soon", "2026-03-05T05:06:07.891+00:00")
    assert resolve_pair("", "") == (None, None)
    with pytest.raises(ValueError, match="0001-9999"):
        shift(NOW, "+9999y")
