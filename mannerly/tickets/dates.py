"""Short dates for lists and badges, written the way each interface language writes them.

"Dec 5, 14:30" in English is "12月5日 14:30" in Chinese and "5 грудня, 14:30" in Ukrainian: the
order, the month form and the joiner all change, so the patterns are translatable strings made of
Django's date format characters, not one pattern for every language. No date shows as "".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.utils import dateformat
from django.utils.timezone import localtime
from django.utils.translation import pgettext


def day_pattern() -> str:
    # Translators: Django date format characters (see the "date" template filter): a short
    # month and day, e.g. "Dec 5". Ukrainian and Russian want the genitive month: "j E".
    return pgettext("short day", "M j")


def weekday_pattern() -> str:
    # Translators: Django date format characters: weekday, day and month, e.g. "Sat 5 Dec".
    return pgettext("weekday and day", "D j M")


def time_joiner() -> str:
    # Translators: how a short day and a time of day join, e.g. "Dec 5, 14:30".
    return pgettext("day and time", "{date}, {time}")


def datetime_format(pattern: str) -> Callable[[datetime | None], str]:
    """A formatter of moments as ``pattern`` plus the time, for a page of rows, in the active
    language and time zone. Each day is formatted once per formatter: Django's formatter, called
    per row, was a tenth of the inbox's CPU time."""
    joined = time_joiner()
    days: dict[date, str] = {}

    def formatted(value: datetime | None) -> str:
        if not value:
            return ""
        local = localtime(value)
        day = days.get(local.date())
        if day is None:
            day = days[local.date()] = dateformat.format(local, pattern)
        return joined.format(date=day, time=f"{local:%H:%M}")

    return formatted


def short_datetime_format() -> Callable[[datetime | None], str]:
    """ "Dec 5, 14:30" / "12月5日 14:30" for a page of rows."""
    return datetime_format(day_pattern())


def short_datetime(value: datetime | None) -> str:
    """ "Dec 5, 14:30" / "12月5日 14:30", in the active time zone."""
    return short_datetime_format()(value)


def weekday_datetime(value: datetime | None) -> str:
    """ "Sat 5 Dec, 14:30", in the active time zone."""
    return datetime_format(weekday_pattern())(value)


def short_day(value: date | None) -> str:
    """ "Dec 5" / "12月5日" / "5 грудня"; a moment in the active time zone."""
    return _day(value, day_pattern())


def weekday_day(value: date | None) -> str:
    """ "Sat 5 Dec" / "12月5日 星期六"; a moment in the active time zone."""
    return _day(value, weekday_pattern())


def _day(value: date | None, pattern: str) -> str:
    if not value:
        return ""
    local = localtime(value) if isinstance(value, datetime) else value
    return dateformat.format(local, pattern)
