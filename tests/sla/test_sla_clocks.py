"""Deadlines follow every change to a ticket: pauses, reopening, merging, splitting, reassigning.

The default policy applies (normal priority: first response 2 h, next response 8 h, update every
3 days, resolution 5 days) on the default 24/7 calendar unless a test gives the team office hours.
Monday 1 June 2026 10:00 UTC is the usual start.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from slahelp import fresh, keep_calendar, office_calendar, open_ticket, utc

from mannerly.sla.models import SlaAction, TicketSla
from mannerly.tickets import actions
from mannerly.tickets.models import Message, Ticket, TicketEvent

H = timedelta(hours=1)
DAY = timedelta(days=1)


def dues(ticket):
    ticket = fresh(ticket)
    return (
        ticket.first_response_due,
        ticket.next_response_due,
        ticket.update_due,
        ticket.resolution_due,
    )


def test_new_ticket_is_promised_a_first_response_and_a_resolution(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    assert dues(ticket) == (start + 2 * H, None, None, start + 5 * DAY)


def test_urgent_ticket_is_promised_a_first_response_within_an_hour(clock, anna, team):
    start = clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team, priority=Ticket.Priority.URGENT)
    assert fresh(ticket).first_response_due == start + H


def test_first_reply_stops_the_first_response_clock_and_starts_updates(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    replied = clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "Hi Anna, looking into it.", status=Ticket.Status.OPEN)
    first, nxt, update, resolution = dues(ticket)
    assert first is None and nxt is None
    assert update == replied + 3 * DAY
    assert resolution == utc(2026, 6, 6, 10)


def test_waiting_on_the_customer_pauses_every_clock(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    paused = clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "Which card was charged?", status=Ticket.Status.PENDING)
    assert dues(ticket) == (None, None, None, None)
    state = TicketSla.objects.get(ticket=ticket)
    assert state.pauses == [[paused.isoformat(), None]] and not state.running


def test_customer_reply_resumes_clocks_without_counting_the_wait(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "Which card was charged?")  # pending
    resumed = clock.at(2026, 6, 3, 11)  # two days later
    actions.do_customer_message(ticket, anna, "The Visa ending 4242.")
    first, nxt, update, resolution = dues(ticket)
    assert first is None
    assert nxt == resumed + 8 * H
    # The update and resolution clocks resume where they stopped: the 48 h wait does not count.
    assert update == utc(2026, 6, 1, 11) + 3 * DAY + 48 * H
    assert resolution == utc(2026, 6, 6, 10) + 48 * H


def test_on_hold_before_any_reply_delays_the_first_response_deadline(clock, anna, sofia, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 11)
    actions.do_change_status(ticket, sofia, Ticket.Status.ON_HOLD, reason="Asked the bank.")
    assert dues(ticket) == (None, None, None, None)
    clock.at(2026, 6, 1, 15)
    actions.do_change_status(ticket, sofia, Ticket.Status.OPEN)
    first, _next, _update, resolution = dues(ticket)
    assert first == utc(2026, 6, 1, 16)  # one hour was left when it went on hold
    assert resolution == utc(2026, 6, 6, 14)


def test_solving_stops_the_clocks_and_reopening_resumes_resolution(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 2, 10)
    actions.do_reply(ticket, oleh, "Refunded.", status=Ticket.Status.SOLVED)
    actions.do_change_status(ticket, oleh, Ticket.Status.SOLVED)
    assert dues(ticket) == (None, None, None, None)
    reopened = clock.at(2026, 6, 4, 10)
    actions.do_customer_message(ticket, anna, "The refund never arrived.")
    ticket = fresh(ticket)
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.next_response_due == reopened + 8 * H
    assert ticket.resolution_due == utc(2026, 6, 6, 10) + 2 * DAY  # two solved days excluded


def test_next_response_counts_from_the_oldest_unanswered_message(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "On it.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 11)
    actions.do_customer_message(ticket, anna, "Any news?")
    clock.at(2026, 6, 1, 12)
    actions.do_customer_message(ticket, anna, "Hello?")
    assert fresh(ticket).next_response_due == utc(2026, 6, 1, 19)


def test_each_reply_restarts_the_update_clock(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 11)
    actions.do_reply(ticket, oleh, "On it.", status=Ticket.Status.OPEN)
    second = clock.at(2026, 6, 3, 9)
    actions.do_reply(ticket, oleh, "Still on it: the bank answers tomorrow.", status="open")
    assert fresh(ticket).update_due == second + 3 * DAY


def test_deadline_in_office_hours_of_the_team_calendar(clock, olena, team):
    keep_calendar(team, office_calendar("Kyiv office", "Europe/Kyiv"))
    kyiv = ZoneInfo("Europe/Kyiv")
    clock.at(2026, 3, 27, 17, 0, tz=kyiv)  # Friday, one hour before closing, winter time
    ticket = open_ticket(olena, team, subject="Рахунок", body="Де мій рахунок?")
    # 1 h on Friday, 1 h on Monday 30 March, after the clocks went forward on Sunday.
    assert fresh(ticket).first_response_due == utc(2026, 3, 30, 7, 0)


def test_pause_across_the_new_york_clock_change_in_office_hours(clock, anna, oleh, team):
    keep_calendar(team, office_calendar("New York office", "America/New_York"))
    ny = ZoneInfo("America/New_York")
    clock.at(2026, 3, 6, 9, 0, tz=ny)  # Friday
    ticket = open_ticket(anna, team)
    clock.at(2026, 3, 6, 10, 0, tz=ny)
    actions.do_reply(ticket, oleh, "Could you send the invoice number?")  # pending
    clock.at(2026, 3, 9, 9, 30, tz=ny)  # Monday, daylight saving time
    actions.do_customer_message(ticket, anna, "INV-7731")
    ticket = fresh(ticket)
    assert ticket.next_response_due == utc(2026, 3, 9, 21, 30)  # 8 office hours: 17:30 EDT


def test_moving_to_a_team_with_office_hours_recomputes_in_its_calendar(clock, anna, sofia):
    from mannerly.accounts.models import Team

    shanghai = Team.objects.create(name="Shanghai desk")
    keep_calendar(shanghai, office_calendar("Shanghai office", "Asia/Shanghai"))
    clock.at(2026, 6, 5, 9)  # Friday 17:00 in Shanghai
    ticket = open_ticket(anna)
    assert fresh(ticket).first_response_due == utc(2026, 6, 5, 11)  # 24/7 default
    actions.do_update_ticket(ticket, sofia, team=shanghai)
    # 1 h left on Friday in Shanghai, then Monday 09:00–10:00 local (02:00 UTC).
    assert fresh(ticket).first_response_due == utc(2026, 6, 8, 2)


def test_raising_priority_applies_the_new_target_from_the_same_start(clock, anna, sofia, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_update_ticket(ticket, sofia, priority=Ticket.Priority.URGENT)
    assert fresh(ticket).first_response_due == utc(2026, 6, 1, 11)


def test_reassigning_keeps_every_deadline(clock, anna, oleh, mei, sofia, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    before = dues(ticket)
    clock.at(2026, 6, 1, 10, 40)
    actions.do_assign(ticket, sofia, oleh)
    clock.at(2026, 6, 1, 11, 10)
    actions.do_assign(ticket, sofia, mei, handover_note="Refund request, nothing promised yet.")
    assert dues(ticket) == before


def test_merging_carries_the_older_unanswered_wait_into_the_target(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    older = open_ticket(anna, team, subject="Refund", body="Refund the second charge.")
    clock.at(2026, 6, 1, 10, 30)
    newer = open_ticket(anna, team, subject="Refund?", body="Did you see my mail?")
    clock.at(2026, 6, 1, 10, 45)
    actions.do_reply(newer, oleh, "Looking at it now.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 11)
    actions.do_merge(older, newer, oleh)
    # Anna has waited since 10:00 for an answer to her first mail: 8 h from then.
    assert fresh(newer).next_response_due == utc(2026, 6, 1, 18)
    assert dues(older) == (None, None, None, None)


def test_merging_two_unanswered_tickets_keeps_the_earliest_first_response(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    older = open_ticket(anna, team, subject="Refund", body="Refund the second charge.")
    clock.at(2026, 6, 1, 11)
    newer = open_ticket(anna, team, subject="Refund again", body="Still waiting.")
    clock.at(2026, 6, 1, 11, 30)
    actions.do_merge(newer, older, oleh)
    assert fresh(older).first_response_due == utc(2026, 6, 1, 12)
    assert dues(newer) == (None, None, None, None)


def test_merged_source_past_its_deadline_counts_no_breach_of_its_own(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    older = open_ticket(anna, team, subject="Refund", body="Refund the second charge.")
    target = open_ticket(anna, team, subject="Refund!", body="Hello?")
    clock.at(2026, 6, 1, 13)  # both first responses missed at 12:00
    actions.do_merge(older, target, oleh)
    assert not SlaAction.objects.filter(ticket=older).exists()
    assert fresh(target).first_response_due == utc(2026, 6, 1, 12)


def test_split_message_is_owed_a_first_response_from_when_it_came(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "Refund on its way.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 11)
    second = actions.do_customer_message(ticket, anna, "Also: how do I change my address?")
    assert fresh(ticket).next_response_due == utc(2026, 6, 1, 19)
    clock.at(2026, 6, 1, 11, 30)
    new = actions.do_split(second, oleh, subject="Change of address")
    assert fresh(new).first_response_due == utc(2026, 6, 1, 13)
    assert fresh(new).resolution_due == utc(2026, 6, 6, 11)
    # Nothing unanswered is left on the original ticket.
    assert fresh(ticket).next_response_due is None


def test_split_leaves_the_source_waiting_on_its_other_unanswered_message(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "Refund on its way.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 11)
    actions.do_customer_message(ticket, anna, "Thanks, when exactly?")
    clock.at(2026, 6, 1, 11, 10)
    other = actions.do_customer_message(ticket, anna, "And my address changed.")
    actions.do_split(other, oleh, subject="Change of address")
    assert fresh(ticket).next_response_due == utc(2026, 6, 1, 19)


def test_late_first_reply_records_the_breach_once(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    replied = clock.at(2026, 6, 1, 12, 30)
    actions.do_reply(ticket, oleh, "Sorry for the wait, refunded.", status=Ticket.Status.OPEN)
    clock.at(2026, 6, 1, 13)
    actions.do_change_status(ticket, oleh, Ticket.Status.PENDING)
    breach = SlaAction.objects.get(ticket=ticket, kind=SlaAction.Kind.BREACH)
    assert breach.metric == "first_response" and breach.met_at == replied
    assert breach.deadline == utc(2026, 6, 1, 12)
    events = TicketEvent.objects.filter(ticket=ticket, kind="sla-breach")
    assert [e.data["metric"] for e in events] == ["first_response"]


def test_auto_reply_from_the_customer_moves_no_deadline(clock, anna, oleh, team):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    clock.at(2026, 6, 1, 10, 30)
    actions.do_reply(ticket, oleh, "Refunded.", status=Ticket.Status.OPEN)
    before = dues(ticket)
    clock.at(2026, 6, 1, 11)
    actions.do_customer_message(ticket, anna, "I am out of office.", kind=Message.Kind.AUTO_REPLY)
    assert dues(ticket) == before and before[1] is None


def test_ticket_from_before_service_levels_gets_a_clock_on_its_next_change(clock, anna, sofia):
    clock.at(2026, 6, 1, 10)
    ticket = Ticket.objects.create(subject="Old", customer=anna, last_customer_message_at=None)
    Message.objects.create(ticket=ticket, direction="in", customer=anna, body_text="Hi")
    clock.at(2026, 6, 1, 10, 30)
    actions.do_update_ticket(ticket, sofia, priority=Ticket.Priority.HIGH)
    assert TicketSla.objects.filter(ticket=ticket).exists()
    assert fresh(ticket).first_response_due == utc(2026, 6, 1, 12)


def test_customer_writing_again_after_a_missed_deadline_is_no_reply(clock, anna, team):
    # Mail keeps the offset of its Date header; read back from the database it is in UTC. The
    # first-response clock is the same clock either way, and still running: nothing was met.
    kyiv = ZoneInfo("Europe/Kyiv")
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team, created_at=utc(2026, 6, 1, 10).astimezone(kyiv))
    clock.at(2026, 6, 1, 13)
    actions.do_customer_message(fresh(ticket), anna, "Any news?")
    assert not SlaAction.objects.filter(ticket=ticket, kind=SlaAction.Kind.BREACH).exists()
    assert fresh(ticket).first_response_due == utc(2026, 6, 1, 12)
