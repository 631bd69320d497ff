"""Short dates read as each interface language writes them, in the viewer's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone, translation

from mannerly.tickets import dates

MOMENT = datetime(2026, 12, 5, 12, 30, tzinfo=UTC)  # 14:30 in Kyiv, a Saturday

EXPECTED = {
    "en": ("Dec 5, 14:30", "Dec 5", "Sat 5 Dec"),
    "zh-hans": ("12月5日 14:30", "12月5日", "12月5日 星期六"),
    "uk": ("5 грудня, 14:30", "5 грудня", "Сб, 5 грудня"),
    "ru": ("5 декабря, 14:30", "5 декабря", "Сб, 5 декабря"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_short_dates_follow_the_language(language):
    short_datetime, short_day, weekday_day = EXPECTED[language]
    with translation.override(language), timezone.override("Europe/Kyiv"):
        assert dates.short_datetime(MOMENT) == short_datetime
        assert dates.short_day(MOMENT) == short_day
        assert dates.weekday_day(date(2026, 12, 5)) == weekday_day


@pytest.mark.parametrize("language", EXPECTED)
def test_the_page_formatter_writes_what_the_filter_writes(language):
    moments = [
        datetime(2026, month, month * 2, month * 2 - 1, 4 * month, tzinfo=UTC)
        for month in range(1, 13)
    ] * 2  # the second round comes from the per-page memo
    with translation.override(language), timezone.override("Asia/Shanghai"):
        short = dates.short_datetime_format()
        assert [short(m) for m in moments] == [dates.short_datetime(m) for m in moments]


def test_the_time_zone_can_move_the_day():
    late = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    with translation.override("en"), timezone.override("Asia/Shanghai"):
        assert dates.short_datetime(late) == "Dec 6, 06:30"


def test_no_date_shows_nothing():
    assert dates.short_datetime(None) == dates.short_day(None) == dates.weekday_day(None) == ""
