"""Customer-facing wording: when the answer comes, in the customer's zone and language, and
placeholders that fill known names only."""

from datetime import UTC, datetime, timedelta

from mannerly.sla.placeholders import fill, unknown_placeholders
from mannerly.sla.wording import answer_by

NOW = datetime(2026, 10, 23, 15, 0, tzinfo=UTC)  # Friday


def test_answer_today_in_the_customers_own_zone():
    due = NOW + timedelta(hours=2)  # 17:00 UTC = 13:00 in New York
    assert answer_by(due, NOW, "America/New_York", "en") == "by 13:00 your time today"


def test_answer_tomorrow_when_the_local_date_changes():
    due = datetime(2026, 10, 23, 17, 30, tzinfo=UTC)  # 01:30 on Saturday in Shanghai
    assert answer_by(due, NOW, "Asia/Shanghai", "zh") == "明天 01:30（您的当地时间）前"


def test_answer_after_a_weekend_names_the_day_in_ukrainian():
    due = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Monday 10:00 in Kyiv (winter time again)
    assert (
        answer_by(due, NOW, "Europe/Kyiv", "uk") == "до 10:00 за вашим часом у понеділок, 26 жовтня"
    )


def test_answer_after_a_weekend_names_the_day_in_russian_with_the_right_preposition():
    due = datetime(2026, 10, 27, 8, 0, tzinfo=UTC)  # Tuesday 11:00 in Moscow
    assert answer_by(due, NOW, "Europe/Moscow", "ru") == (
        "до 11:00 по вашему времени во вторник, 27 октября"
    )


def test_answer_after_a_weekend_in_english_and_chinese():
    due = datetime(2026, 10, 26, 14, 0, tzinfo=UTC)
    assert answer_by(due, NOW, "America/New_York", "en") == (
        "by 10:00 your time on Monday, October 26"  # still EDT until 1 November
    )
    assert (
        answer_by(due, NOW, "Asia/Shanghai", "zh-hans")
        == "10月26日（星期一）22:00（您的当地时间）前"
    )


def test_answer_without_a_promise_or_after_it_passed_stays_honest():
    assert answer_by(None, NOW, "UTC", "en") == "as soon as we can"
    assert answer_by(NOW - timedelta(minutes=1), NOW, "UTC", "ru") == "в ближайшее время"


def test_unknown_language_and_zone_fall_back_to_english_and_utc():
    assert answer_by(NOW + timedelta(hours=1), NOW, "Nowhere/Else", "de") == (
        "by 16:00 your time today"
    )


def test_fill_replaces_known_names_only():
    text = "Hi {customer_name}, ticket #{ticket_id}. {unknown} {{literal}}"
    assert fill(text, {"customer_name": "Anna", "ticket_id": 7}) == (
        "Hi Anna, ticket #7. {unknown} {literal}"
    )


def test_fill_never_walks_into_objects_or_runs_conversions():
    class Secret:
        password = "hunter2"

    values = {"customer_name": Secret()}
    text = "{customer_name.password} {customer_name!r} {customer_name:>20} {0} {customer_name.__class__}"
    out = fill(text, values)
    assert "hunter2" not in out and "Secret" not in out
    assert out == text


def test_fill_leaves_template_tags_and_broken_braces_alone():
    assert fill("{% load x %}{{ name }}", {"name": "A"}) == "{% load x %}{ name }"
    assert fill("oops { unclosed", {"name": "A"}) == "oops { unclosed"


def test_fill_with_a_known_list_ignores_extra_values():
    assert fill("{a}{b}", {"a": 1, "b": 2}, frozenset({"a"})) == "1{b}"


def test_unknown_placeholders_are_reported_for_the_editor():
    assert unknown_placeholders("{customer_name} {agent_phone} {ticket_id}") == {"agent_phone"}
