"""The worker's scan: a warning at 75 %, an escalation at the breach, an update reminder with a
draft; each once, never for a paused ticket."""

from zoneinfo import ZoneInfo

from slahelp import fresh, keep_calendar, office_calendar, open_ticket, utc

from mannerly.accounts.models import Team
from mannerly.sla.models import Notification, SlaAction, SlaPolicy, TicketSla
from mannerly.sla.scanner import scan_due
from mannerly.tickets import actions
from mannerly.tickets.models import Handover, Ticket, TicketEvent
from tests.conftest import make_user


def events(ticket, kind):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=kind))


def notified(kind, ticket=None):
    rows = Notification.objects.filter(kind=kind)
    if ticket is not None:
        rows = rows.filter(ticket=ticket)
    return sorted(n.user.username for n in rows)


def assigned_ticket(clock, customer, team, agent, supervisor, **kwargs):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(customer, team, **kwargs)
    actions.do_assign(ticket, supervisor, agent)
    scan_due()  # the acknowledgement
    return fresh(ticket)


def test_nothing_happens_before_three_quarters_of_the_time(clock, anna, team, oleh, mei, sofia):
    ticket = assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 11, 29)
    assert scan_due() == 0
    assert not SlaAction.objects.filter(ticket=ticket).exists()


def test_warning_at_75_percent_goes_to_assignee_and_team_once(clock, anna, team, oleh, mei, sofia):
    ticket = assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 11, 30)
    assert scan_due() == 1
    assert notified(Notification.Kind.WARNING) == ["mei", "oleh", "sofia"]
    warning = events(ticket, "sla-warning")
    assert [e.data["metric"] for e in warning] == ["first_response"]
    assert scan_due() == 0
    clock.at(2026, 6, 1, 11, 45)
    scan_due()
    assert len(events(ticket, "sla-warning")) == 1
    assert Notification.objects.filter(kind=Notification.Kind.WARNING).count() == 3


def test_warning_text_is_in_the_agents_language_and_zone(clock, anna, team, oleh, sofia):
    oleh.time_zone = "Europe/Kyiv"
    oleh.save()
    assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 11, 30)
    scan_due()
    note = Notification.objects.get(user=oleh, kind=Notification.Kind.WARNING)
    assert "15:00 (Europe/Kyiv)" in note.title  # 12:00 UTC
    assert "Charged twice" in note.title


def test_breach_escalates_to_the_supervisor_and_tells_the_assignee(clock, anna, team, oleh, sofia):
    ticket = assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 12)
    scan_due()
    assert notified(Notification.Kind.ESCALATION) == ["sofia"]
    assert notified(Notification.Kind.BREACH) == ["oleh"]
    breach = SlaAction.objects.get(ticket=ticket, kind=SlaAction.Kind.BREACH)
    assert breach.metric == "first_response" and breach.met_at is None
    assert [e.data["action"] for e in events(ticket, "sla-escalated")] == ["notify"]
    assert fresh(ticket).assignee == oleh
    # The warning was never due on its own: the scan that found the breach skipped it.
    assert not SlaAction.objects.filter(ticket=ticket, kind=SlaAction.Kind.WARNING).exists()


def test_breach_reassigns_to_the_supervisor_when_the_policy_says_so(
    clock, anna, team, oleh, sofia, standard_policy
):
    standard_policy.breach_action = SlaPolicy.BreachAction.REASSIGN
    standard_policy.escalate_to = sofia
    standard_policy.save()
    ticket = assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 12, 5)
    scan_due()
    ticket = fresh(ticket)
    assert ticket.assignee == sofia
    handover = Handover.objects.get(ticket=ticket)
    assert handover.from_user == oleh and "missed" in handover.note
    assert [e.data["action"] for e in events(ticket, "sla-escalated")] == ["reassign"]
    # Reassigning does not move the deadline or repeat the breach.
    assert ticket.first_response_due == utc(2026, 6, 1, 12)
    clock.at(2026, 6, 1, 12, 30)
    scan_due()
    assert SlaAction.objects.filter(ticket=ticket, kind=SlaAction.Kind.BREACH).count() == 1


def test_without_team_supervisors_every_supervisor_hears_of_the_breach(
    clock, anna, oleh, admin_user
):
    other = make_user("ines", "Ines Ruiz", "supervisor")
    lone = Team.objects.create(name="Night shift")
    lone.members.add(oleh)
    clock.at(2026, 6, 1, 10)
    open_ticket(anna, lone)
    clock.at(2026, 6, 1, 12)
    scan_due()
    assert notified(Notification.Kind.ESCALATION) == sorted([admin_user.username, other.username])


def test_paused_ticket_gets_no_warning(clock, anna, team, oleh, sofia):
    ticket = assigned_ticket(clock, anna, team, oleh, sofia)
    clock.at(2026, 6, 1, 11)
    actions.do_change_status(ticket, oleh, Ticket.Status.ON_HOLD)
    assert TicketSla.objects.get(ticket=ticket).next_check_at is None
    clock.at(2026, 6, 1, 13)
    assert scan_due() == 0
    assert not SlaAction.objects.filter(ticket=ticket).exists()


def test_warning_follows_office_hours(clock, olena, team, oleh, sofia):
    keep_calendar(team, office_calendar("Kyiv office", "Europe/Kyiv"))
    kyiv = ZoneInfo("Europe/Kyiv")
    clock.at(2026, 3, 27, 17, 0, tz=kyiv)  # Friday
    ticket = open_ticket(olena, team, subject="Рахунок", body="Де мій рахунок?")
    clock.at(2026, 3, 27, 18, 30, tz=kyiv)  # 75 % of 2 h in wall time, but the office is shut
    scan_due()
    assert not SlaAction.objects.filter(ticket=ticket, kind="warning").exists()
    clock.at(2026, 3, 30, 9, 30, tz=kyiv)  # Monday: 1 h Friday + 30 min = 75 %
    scan_due()
    assert SlaAction.objects.filter(ticket=ticket, kind="warning").exists()


def test_update_reminder_carries_a_draft_of_the_work_since_the_last_message(
    clock, olena, team, oleh, mei, sofia
):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(olena, team, subject="Повернення коштів", body="Поверніть гроші.")
    actions.do_assign(ticket, sofia, oleh)
    clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "Олено, перевіряємо платіж.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 2, 9)
    actions.do_add_note(ticket, oleh, "Asked the bank for the trace ID.\nThey answer in 2 days.")
    clock.at(2026, 6, 2, 9, 30)
    actions.do_assign(ticket, sofia, mei, handover_note="Waiting on the bank's trace ID.")
    clock.at(2026, 6, 2, 10)
    actions.do_add_note(ticket, mei, "Bank confirmed the double charge.")
    # An update every 3 days after the reply at 11:00 on 1 June; 75 % is 17:00 on 3 June.
    clock.at(2026, 6, 3, 16, 59)
    scan_due()
    assert not Notification.objects.filter(kind=Notification.Kind.UPDATE_REMINDER).exists()
    clock.at(2026, 6, 3, 17)
    scan_due()
    reminder = Notification.objects.get(kind=Notification.Kind.UPDATE_REMINDER)
    assert reminder.user == mei
    draft = reminder.draft
    assert draft.startswith("Вітаємо, Олена Коваль!")
    assert f"#{ticket.pk}" in draft
    assert "- Asked the bank for the trace ID." in draft
    assert "- Тепер вашим зверненням опікується Mei Lin." in draft
    assert "- Bank confirmed the double charge." in draft
    assert draft.index("trace ID") < draft.index("Mei Lin") < draft.index("double charge")
    assert "перевіряємо платіж" not in draft  # the customer already has our reply
    assert draft.rstrip().endswith("Mei Lin")
    assert len(events(ticket, "sla-update-reminder")) == 1


def test_update_reminder_without_news_says_we_are_still_on_it(clock, anna, team, oleh, sofia):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "Looking into it.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 3, 17)  # 75 % of three days after 11:00 on 1 June is 17:00 on 3 June
    scan_due()
    reminder = Notification.objects.get(kind=Notification.Kind.UPDATE_REMINDER)
    assert "We are still working on it" in reminder.draft
    assert reminder.draft.rstrip().endswith("Oleh Kovalenko")


def test_a_ticket_that_fails_is_postponed_and_the_others_still_run(clock, anna, team, oleh, sofia):
    clock.at(2026, 6, 1, 10)
    broken = open_ticket(anna, team, subject="Broken")
    fine = open_ticket(anna, team, subject="Fine")
    TicketSla.objects.filter(ticket=broken).update(
        checkpoints=[{"metric": "first_response", "cycle": "x", "warn": "x", "due": "not a date"}]
    )
    now = clock.at(2026, 6, 1, 12)
    scan_due()
    state = TicketSla.objects.get(ticket=broken)
    assert state.failures == 1 and state.next_check_at > now
    assert SlaAction.objects.filter(ticket=fine, kind="breach").exists()
    assert scan_due() == 0  # postponed, not retried in a hot loop


def breaches(ticket):
    return sorted(
        SlaAction.objects.filter(ticket=ticket, kind="breach").values_list("metric", flat=True)
    )


def test_missed_next_response_is_escalated(clock, anna, team, oleh, sofia):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "Checking.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 11)
    actions.do_customer_message(ticket, anna, "Any news?")
    clock.at(2026, 6, 1, 18, 59)
    scan_due()
    assert breaches(ticket) == []
    clock.at(2026, 6, 1, 19)
    scan_due()
    assert breaches(ticket) == ["next_response"]
    assert notified(Notification.Kind.ESCALATION, ticket) == ["sofia"]


def test_missed_periodic_update_is_escalated(clock, anna, team, oleh, sofia):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "Checking with the bank.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 4, 10, 30)
    scan_due()
    assert breaches(ticket) == ["update"]


def test_missed_resolution_is_escalated_even_with_regular_updates(clock, anna, team, oleh, sofia):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    for day in (1, 3, 5):
        clock.at(2026, 6, day, 10, 30)
        actions.do_reply(ticket, oleh, f"Update {day}: still with the bank.", status="open")
    clock.at(2026, 6, 6, 10)
    scan_due()
    assert breaches(ticket) == ["resolution"]
    assert [e.data["metric"] for e in events(ticket, "sla-escalated")] == ["resolution"]
