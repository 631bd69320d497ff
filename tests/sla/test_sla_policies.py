"""Which promises a ticket gets: the first matching policy by its order, then its target."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from slahelp import fresh, keep_calendar, office_calendar, open_ticket, utc

from mannerly.cli import main as mannerly
from mannerly.sla.models import BusinessCalendar, SlaPolicy, SlaTarget, TicketSla
from mannerly.tickets import actions
from mannerly.tickets.models import Organization, Tag, Ticket

H = timedelta(hours=1)


def policy(name, position, *, minutes=30, business_hours=True, **conditions):
    tags = conditions.pop("tags", [])
    organizations = conditions.pop("organizations", [])
    made = SlaPolicy.objects.create(name=name, position=position, **conditions)
    made.tags.set(tags)
    made.organizations.set(organizations)
    for priority in Ticket.Priority.values:
        SlaTarget.objects.create(
            policy=made,
            priority=priority,
            first_response_minutes=minutes,
            business_hours=business_hours,
        )
    return made


def test_migrate_creates_the_documented_default_policy_and_calendar(standard_policy):
    targets = {t.priority: t for t in standard_policy.targets.all()}
    urgent, normal = targets[Ticket.Priority.URGENT], targets[Ticket.Priority.NORMAL]
    assert urgent.first_response_minutes == 60 and not urgent.business_hours
    assert normal.first_response_minutes == 120 and normal.update_minutes == 3 * 24 * 60
    assert all(t.first_response_minutes <= 120 for t in targets.values())
    default = BusinessCalendar.objects.get(is_default=True)
    assert default.always_open and default.time_zone == "UTC"


def test_policy_for_a_channel_applies_to_that_channel_only(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    policy("Chat", 1, minutes=5, channels=[Ticket.Channel.CHAT])
    chat = open_ticket(anna, team, channel=Ticket.Channel.CHAT)
    mail = open_ticket(anna, team)
    assert fresh(chat).first_response_due == start + timedelta(minutes=5)
    assert fresh(mail).first_response_due == start + 2 * H
    assert TicketSla.objects.get(ticket=chat).policy.name == "Chat"


def test_policy_for_an_organisation(clock, anna, olena, team):
    start = clock.at(2026, 6, 1, 10)
    acme = Organization.objects.create(name="Acme")
    anna.organization = acme
    anna.save()
    policy("Acme contract", 1, minutes=15, organizations=[acme])
    assert fresh(open_ticket(anna, team)).first_response_due == start + timedelta(minutes=15)
    assert fresh(open_ticket(olena, team)).first_response_due == start + 2 * H


def test_policy_for_a_tag_applies_when_the_tag_is_added(clock, anna, sofia, team):
    start = clock.at(2026, 6, 1, 10)
    outage = Tag.objects.create(name="outage")
    policy("Outage", 1, minutes=20, tags=[outage])
    ticket = open_ticket(anna, team)
    assert fresh(ticket).first_response_due == start + 2 * H
    actions.do_update_ticket(ticket, sofia, tags=[outage])
    assert fresh(ticket).first_response_due == start + timedelta(minutes=20)


def test_policy_for_a_language(clock, anna, wang_fang, team):
    start = clock.at(2026, 6, 1, 10)
    policy("Chinese desk", 1, minutes=45, languages=["zh"])
    zh = open_ticket(wang_fang, team, subject="退款", body="请退款。")
    assert fresh(zh).first_response_due == start + timedelta(minutes=45)
    assert fresh(open_ticket(anna, team)).first_response_due == start + 2 * H


def test_policy_for_a_priority(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    policy("High only", 1, minutes=10, priorities=[Ticket.Priority.HIGH])
    high = open_ticket(anna, team, priority=Ticket.Priority.HIGH)
    assert fresh(high).first_response_due == start + timedelta(minutes=10)


def test_first_matching_policy_wins_by_explicit_order(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    policy("Email late", 20, minutes=50, channels=["email"])
    policy("Email early", 10, minutes=40, channels=["email"])
    assert fresh(open_ticket(anna, team)).first_response_due == start + timedelta(minutes=40)


def test_inactive_policy_is_skipped(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    policy("Paused", 1, minutes=5, active=False)
    assert fresh(open_ticket(anna, team)).first_response_due == start + 2 * H


def test_no_matching_policy_means_no_deadlines(clock, anna, team, standard_policy):
    clock.at(2026, 6, 1, 10)
    standard_policy.active = False
    standard_policy.save()
    ticket = fresh(open_ticket(anna, team))
    assert ticket.first_response_due is None and ticket.resolution_due is None


def test_target_counted_around_the_clock_ignores_office_hours(clock, anna, team):
    keep_calendar(team, office_calendar("London office", "Europe/London"))
    start = clock.at(2026, 6, 6, 10)  # Saturday
    policy("Around the clock", 1, minutes=60, business_hours=False)
    assert fresh(open_ticket(anna, team)).first_response_due == start + H


def test_periodic_update_counts_calendar_days_even_with_office_hours(clock, anna, oleh, team):
    keep_calendar(team, office_calendar("London office", "Europe/London"))
    clock.at(2026, 6, 1, 9)
    ticket = open_ticket(anna, team)
    replied = clock.at(2026, 6, 1, 10)
    actions.do_reply(ticket, oleh, "Working on it.", status=Ticket.Status.OPEN)
    assert fresh(ticket).update_due == replied + timedelta(days=3)


def test_periodic_update_in_business_hours_when_the_target_says_so(
    clock, anna, oleh, team, standard_policy
):
    keep_calendar(team, office_calendar("UTC office", "UTC"))
    standard_policy.targets.filter(priority=Ticket.Priority.NORMAL).update(
        update_business_hours=True, update_minutes=18 * 60
    )
    clock.at(2026, 6, 1, 9)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10)
    actions.do_reply(ticket, oleh, "Working on it.", status=Ticket.Status.OPEN)
    # 18 office hours from Monday 10:00 with 9 h a day: Wednesday 10:00.
    assert fresh(ticket).update_due == utc(2026, 6, 3, 10)


def test_policy_conditions_are_validated():
    with pytest.raises(ValidationError):
        SlaPolicy(name="Bad", channels=["fax"]).clean()
    with pytest.raises(ValidationError):
        SlaPolicy(name="Bad", warn_percent=100).clean()
    SlaPolicy(name="Good", channels=["chat"], priorities=[4], languages=["uk"]).clean()


def test_recompute_command_applies_an_edited_policy_to_open_tickets(
    clock, anna, team, standard_policy, capsys
):
    start = clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    standard_policy.targets.filter(priority=Ticket.Priority.NORMAL).update(
        first_response_minutes=30
    )
    assert fresh(ticket).first_response_due == start + 2 * H
    assert mannerly(["sla", "recompute"]) == 0
    assert fresh(ticket).first_response_due == start + timedelta(minutes=30)
    assert "1 open tickets" in capsys.readouterr().out
