"""Short dates for lists and badges, written the way each interface language writes them.

"Dec 5, 14:30" in English is "12月5日 14:30" in Chinese and "5 грудня, 14:30" in Ukrainian: the
order, the month form and the joiner all change, so the patterns are translatable strings made of
Django's date format characters, not one pattern for every language.
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


def join_time(day: str, value: datetime) -> str:
    # Translators: how a short day and a time of day join, e.g. "Dec 5, 14:30".
    joined = pgettext("day and time", "{date}, {time}")
    return joined.format(date=day, time=f"{value:%H:%M}")


def short_datetime_format() -> Callable[[datetime], str]:
    """A formatter for a page of rows, in the active language and time zone.

    Each day is formatted once per page and the time appended: Django's formatter, called per
    row, was a tenth of the inbox's CPU time.
    """
    pattern = day_pattern()
    days: dict[date, str] = {}

    def short(value: datetime) -> str:
        local = localtime(value)
        day = days.get(local.date())
        if day is None:
            day = days[local.date()] = dateformat.format(local, pattern)
        return join_time(day, local)

    return short


def _local(value: date) -> date:
    """A moment in the active time zone; a calendar day as it is."""
    return localtime(value) if isinstance(value, datetime) else value


def short_day(value: date) -> str:
    """ "Dec 5" / "12月5日" / "5 грудня", in the active time zone."""
    return dateformat.format(_local(value), day_pattern())


def short_datetime(value: datetime) -> str:
    """ "Dec 5, 14:30" / "12月5日 14:30", in the active time zone."""
    local = localtime(value)
    return join_time(dateformat.format(local, day_pattern()), local)


def weekday_day(value: date) -> str:
    """ "Sat 5 Dec" / "12月5日 星期六", in the active time zone."""
    return dateformat.format(_local(value), weekday_pattern())


def weekday_datetime(value: datetime) -> str:
    """ "Sat 5 Dec, 14:30", in the active time zone."""
    local = localtime(value)
    return join_time(dateformat.format(local, weekday_pattern()), local)
