"""Business time in real zones: weekends, holidays, lunch breaks and the 2026 clock changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mannerly.sla.calendars import CalendarError, WorkingTime

KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600


def office(zone: str, opens=time(9), closes=time(18), days=range(5), **kwargs) -> WorkingTime:
    return WorkingTime.build(zone, [(d, opens, closes) for d in days], **kwargs)


def local(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_deadline_inside_one_working_day():
    hours = office("Europe/Kyiv")
    assert hours.add(local(KYIV, 2026, 3, 3, 10, 0), 2 * HOUR) == local(KYIV, 2026, 3, 3, 12, 0)


def test_ticket_after_closing_starts_counting_next_morning():
    hours = office("Europe/Kyiv")
    assert hours.add(local(KYIV, 2026, 3, 3, 20, 0), HOUR) == local(KYIV, 2026, 3, 4, 10, 0)


def test_kyiv_weekend_over_spring_forward_2026():
    # Friday 27 March 17:00 EET (+02) + 2 working hours: one on Friday, one on Monday 30 March,
    # which is already summer time (+03) after Sunday 29 March.
    hours = office("Europe/Kyiv")
    due = hours.add(local(KYIV, 2026, 3, 27, 17, 0), 2 * HOUR)
    assert due == local(KYIV, 2026, 3, 30, 10, 0)
    assert due == utc(2026, 3, 30, 7, 0)


def test_kyiv_weekend_over_fall_back_2026():
    hours = office("Europe/Kyiv")
    due = hours.add(local(KYIV, 2026, 10, 23, 17, 0), 2 * HOUR)
    assert due == utc(2026, 10, 26, 8, 0)  # Monday 10:00 EET (+02); Friday was +03


def test_kyiv_around_the_clock_day_of_spring_forward_has_23_hours():
    # A closed day elsewhere forces the day-by-day walk instead of plain elapsed time.
    hours = WorkingTime.build("Europe/Kyiv", always_open=True, holidays=[date(2026, 1, 1)])
    start = local(KYIV, 2026, 3, 29, 0, 0)
    end = local(KYIV, 2026, 3, 30, 0, 0)
    assert hours.seconds_between(start, end) == 23 * HOUR
    assert hours.add(start, 24 * HOUR) == local(KYIV, 2026, 3, 30, 1, 0)


def test_new_york_around_the_clock_day_of_fall_back_has_25_hours():
    hours = WorkingTime.build("America/New_York", always_open=True, holidays=[date(2026, 7, 4)])
    start = local(NEW_YORK, 2026, 11, 1, 0, 0)
    assert hours.seconds_between(start, local(NEW_YORK, 2026, 11, 2, 0, 0)) == 25 * HOUR
    assert hours.add(start, 25 * HOUR) == local(NEW_YORK, 2026, 11, 2, 0, 0)


def test_new_york_weekend_over_spring_forward_2026():
    hours = office("America/New_York", closes=time(17))
    due = hours.add(local(NEW_YORK, 2026, 3, 6, 16, 0), 2 * HOUR)
    assert due == utc(2026, 3, 9, 14, 0)  # Monday 10:00 EDT (-04); Friday was EST (-05)


def test_new_york_weekend_over_fall_back_2026():
    hours = office("America/New_York", closes=time(17))
    due = hours.add(local(NEW_YORK, 2026, 10, 30, 16, 0), 2 * HOUR)
    assert due == utc(2026, 11, 2, 15, 0)  # Monday 10:00 EST (-05)


def test_shanghai_lunch_break_and_national_day_week():
    # 1–7 October 2026 are holidays (Thursday to Wednesday, with the weekend inside).
    hours = WorkingTime.build(
        "Asia/Shanghai",
        [(d, time(9), time(12)) for d in range(5)] + [(d, time(13), time(18)) for d in range(5)],
        holidays=[date(2026, 10, day) for day in range(1, 8)],
    )
    due = hours.add(local(SHANGHAI, 2026, 9, 30, 17, 0), 4.5 * HOUR)
    # 1 h on 30 September, then 3 h on Thursday 8 October morning, 30 min after lunch.
    assert due == local(SHANGHAI, 2026, 10, 8, 13, 30)
    assert due == utc(2026, 10, 8, 5, 30)


def test_deadline_spanning_a_holiday_and_a_weekend():
    # Christmas Day 2026 is a Friday: Thursday 17:00 + 3 h = 1 h Thursday, 2 h Monday morning.
    hours = office("Europe/Kyiv", holidays=[date(2026, 12, 25)])
    due = hours.add(local(KYIV, 2026, 12, 24, 17, 0), 3 * HOUR)
    assert due == local(KYIV, 2026, 12, 28, 11, 0)
    assert hours.seconds_between(local(KYIV, 2026, 12, 24, 17, 0), due) == 3 * HOUR


def test_yearly_holiday_closes_the_same_date_every_year():
    hours = office("UTC", yearly_holidays=[date(2020, 1, 1)])
    # 31 December 2026 is a Thursday; 1 January 2027 a Friday, closed by the yearly holiday.
    due = hours.add(utc(2026, 12, 31, 17, 0), 2 * HOUR)
    assert due == utc(2027, 1, 4, 10, 0)


def test_utc_calendar_saturday_ticket_waits_for_monday():
    hours = office("UTC", opens=time(8), closes=time(16))
    assert hours.add(utc(2026, 6, 6, 11, 0), HOUR) == utc(2026, 6, 8, 9, 0)


def test_deadline_that_uses_up_the_day_lands_on_closing_time():
    hours = office("UTC")
    assert hours.add(utc(2026, 6, 1, 9, 0), 9 * HOUR) == utc(2026, 6, 1, 18, 0)


def test_closing_at_midnight_means_end_of_day():
    hours = office("UTC", opens=time(18), closes=time(0), days=[0])
    assert hours.add(utc(2026, 6, 1, 17, 0), 6 * HOUR) == utc(2026, 6, 2, 0, 0)
    assert hours.seconds_between(utc(2026, 6, 1), utc(2026, 6, 2)) == 6 * HOUR


def test_overlapping_opening_hours_count_once():
    hours = WorkingTime.build("UTC", [(0, time(9), time(12)), (0, time(11), time(14))])
    assert hours.seconds_between(utc(2026, 6, 1), utc(2026, 6, 2)) == 5 * HOUR


def test_around_the_clock_counts_plain_elapsed_time():
    hours = WorkingTime.around_the_clock()
    start = utc(2026, 3, 8, 6, 30)
    assert hours.add(start, 90 * 60) == start + timedelta(minutes=90)


def test_calendar_that_never_opens_is_an_error_not_a_hang():
    hours = WorkingTime.build("UTC", [])
    with pytest.raises(CalendarError):
        hours.add(utc(2026, 6, 1), HOUR)


def test_unknown_zone_falls_back_to_utc():
    hours = office("Mars/Olympus_Mons")
    assert hours.add(utc(2026, 6, 1, 9), HOUR) == utc(2026, 6, 1, 10)


instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(
    start=instants,
    seconds=st.integers(min_value=0, max_value=14 * 9 * HOUR),
    zone=st.sampled_from(["Europe/Kyiv", "America/New_York", "Asia/Shanghai", "UTC"]),
)
def test_adding_working_time_then_measuring_it_gives_it_back(start, seconds, zone):
    hours = office(zone, holidays=[date(2026, 3, 9), date(2026, 10, 26), date(2026, 12, 25)])
    due = hours.add(start, seconds)
    assert due >= start
    assert hours.seconds_between(start, due) == pytest.approx(seconds, abs=1e-6)
    assert hours.add(start, seconds + 60) > due
