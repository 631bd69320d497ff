"""The automatic acknowledgement: once, within a minute, in the customer's language and zone,
never to automatic mail or a flagged customer."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from slahelp import keep_calendar, office_calendar, open_ticket

from mannerly.sla.models import AcknowledgementTemplate, AutoAcknowledgement, TicketSla
from mannerly.sla.scanner import scan_due
from mannerly.sla.tracking import recompute
from mannerly.tickets import actions
from mannerly.tickets.models import CustomerFlag, Message, Ticket


def acknowledgements(ticket):
    return list(
        ticket.messages.filter(direction=Message.Direction.OUT, kind=Message.Kind.AUTO_REPLY)
    )


def acknowledge(clock, customer, team=None, **kwargs):
    """Open a ticket at 10:00 UTC on Monday 1 June 2026 and let the worker run 30 s later."""
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(customer, team, **kwargs)
    clock.at(2026, 6, 1, 10, 0, 30)
    scan_due()
    return ticket


def test_new_ticket_is_acknowledged_within_a_minute(clock, anna, team):
    ticket = acknowledge(
        clock, anna, team, message_id="<q1@example.com>", from_email="anna@example.com"
    )
    [ack] = acknowledgements(ticket)
    # The outbox builds automatic mail when it queues it: the message shows what is sent.
    assert ack.to == [{"name": "Anna Smith", "email": "anna@example.com"}]
    assert ack.subject == f"Re: Charged twice [MNL-{ticket.pk}]"
    assert ack.in_reply_to == "<q1@example.com>" and ack.references == ["<q1@example.com>"]
    assert ack.body_text.startswith("Hello Anna Smith,")
    assert f"ticket #{ticket.pk} (\u201cCharged twice\u201d)" in ack.body_text
    # 12:00 UTC is 08:00 in New York (daylight saving time).
    assert "a full answer by 08:00 your time today." in ack.body_text
    assert ack.body_text.rstrip().endswith("Support")
    guard = AutoAcknowledgement.objects.get(ticket=ticket)
    assert guard.message == ack and guard.answer_by == ticket.first_response_due
    assert ticket.events.filter(kind="auto-acknowledged").count() == (
        1 if guard.state == AutoAcknowledgement.State.QUEUED else 0
    )


def test_acknowledgement_does_not_count_as_the_first_response(clock, anna, team):
    ticket = acknowledge(clock, anna, team)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None and ticket.first_response_due is not None


def test_chinese_customer_gets_chinese_in_shanghai_time(clock, wang_fang, team):
    ticket = acknowledge(clock, wang_fang, team, subject="退款", body="请退还重复扣款。")
    [ack] = acknowledgements(ticket)
    assert ack.body_text.startswith("王芳，您好！")
    assert "今天 20:00（您的当地时间）前" in ack.body_text  # 12:00 UTC


def test_russian_customer_gets_russian_in_moscow_time(clock, andrey, team):
    ticket = acknowledge(clock, andrey, team, subject="Возврат", body="Верните деньги.")
    [ack] = acknowledgements(ticket)
    assert ack.body_text.startswith("Здравствуйте, Андрей Иванов!")
    assert "сегодня до 15:00 по вашему времени" in ack.body_text


def test_ukrainian_customer_after_hours_is_promised_monday_in_office_time(clock, olena, team):
    keep_calendar(team, office_calendar("Kyiv office", "Europe/Kyiv"))
    kyiv = ZoneInfo("Europe/Kyiv")
    clock.at(2026, 3, 27, 17, 30, tz=kyiv)  # Friday, half an hour before closing
    ticket = open_ticket(olena, team, subject="Рахунок", body="Де мій рахунок?")
    clock.at(2026, 3, 27, 17, 30, 40, tz=kyiv)
    scan_due()
    [ack] = acknowledgements(ticket)
    assert ack.body_text.startswith("Вітаємо, Олена Коваль!")
    assert "Повну відповідь ми надішлемо до 10:30 за вашим часом у понеділок, 30 березня." in (
        ack.body_text
    )


def test_acknowledgement_is_sent_once_per_ticket(clock, anna, team):
    ticket = acknowledge(clock, anna, team)
    clock.at(2026, 6, 1, 10, 5)
    actions.do_customer_message(ticket, anna, "Forgot to say: it was the Visa card.")
    state = TicketSla.objects.get(ticket=ticket)
    recompute(ticket, state, clock.at(2026, 6, 1, 10, 6), acknowledge=True)  # asked again
    scan_due()
    scan_due()
    assert len(acknowledgements(ticket)) == 1
    assert AutoAcknowledgement.objects.filter(ticket=ticket).count() == 1


def test_no_acknowledgement_to_an_auto_reply(clock, anna, team):
    ticket = acknowledge(clock, anna, team, kind=Message.Kind.AUTO_REPLY)
    assert acknowledgements(ticket) == []
    assert TicketSla.objects.get(ticket=ticket).checkpoints[-1]["metric"] != "ack"


def test_acknowledgement_checks_again_when_the_worker_runs(clock, anna, team):
    """Even a ticket scheduled for acknowledgement is refused if its first message is automatic."""
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    ticket.messages.update(kind=Message.Kind.AUTO_REPLY)  # e.g. reclassified by the mail channel
    clock.at(2026, 6, 1, 10, 0, 30)
    scan_due()
    assert acknowledgements(ticket) == []
    guard = AutoAcknowledgement.objects.get(ticket=ticket)
    assert guard.state == "skipped" and "auto-reply" in guard.reason


def test_no_acknowledgement_to_a_bounce(clock, anna, team):
    ticket = acknowledge(clock, anna, team, kind=Message.Kind.BOUNCE)
    assert acknowledgements(ticket) == []


def test_no_acknowledgement_to_a_flagged_customer(clock, anna, team, sofia):
    actions.do_flag_customer(anna, sofia, CustomerFlag.Kind.ABUSIVE, "Threatens staff.")
    ticket = acknowledge(clock, anna, team)
    assert acknowledgements(ticket) == []
    assert "flagged" in AutoAcknowledgement.objects.get(ticket=ticket).reason


def test_no_acknowledgement_when_an_agent_answered_first(clock, anna, team, oleh):
    clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team)
    actions.do_reply(ticket, oleh, "Hi Anna, refunded already.")
    clock.at(2026, 6, 1, 10, 0, 20)
    scan_due()
    assert acknowledgements(ticket) == []
    assert AutoAcknowledgement.objects.get(ticket=ticket).reason == "already answered"


def test_no_acknowledgement_for_phone_tickets(clock, anna, team):
    ticket = acknowledge(clock, anna, team, channel=Ticket.Channel.PHONE)
    assert acknowledgements(ticket) == []
    assert not AutoAcknowledgement.objects.filter(ticket=ticket).exists()


def test_no_acknowledgement_for_imported_old_mail(clock, anna, team):
    now = clock.at(2026, 6, 1, 10)
    ticket = open_ticket(anna, team, created_at=now - timedelta(days=2))
    scan_due()
    assert acknowledgements(ticket) == []
    assert AutoAcknowledgement.objects.get(ticket=ticket).reason == "first message is too old"


def test_policy_can_switch_acknowledgements_off(clock, anna, team, standard_policy):
    standard_policy.acknowledge = False
    standard_policy.save()
    ticket = acknowledge(clock, anna, team)
    assert acknowledgements(ticket) == []


def test_team_text_wins_over_the_desk_text_and_placeholders_stay_data(clock, anna, team):
    AcknowledgementTemplate.objects.filter(team=None, language="en").update(
        body="Desk text for {customer_name}."
    )
    AcknowledgementTemplate.objects.create(
        team=team,
        language="en",
        body=(
            "Dear {customer_name}: #{ticket_id} by {answer_by}. "
            "{{ settings.SECRET_KEY }} {% debug %} {customer_name.__class__} {team_name}"
        ),
    )
    ticket = acknowledge(clock, anna, team)
    [ack] = acknowledgements(ticket)
    assert ack.body_text == (
        f"Dear Anna Smith: #{ticket.pk} by by 08:00 your time today. "
        "{ settings.SECRET_KEY } {% debug %} {customer_name.__class__} Support"
    )


def test_desk_text_applies_to_teams_without_their_own(clock, anna):
    AcknowledgementTemplate.objects.filter(team=None, language="en").update(
        body="Thanks {customer_name}, we answer {answer_by}. {team_name}"
    )
    ticket = acknowledge(clock, anna)
    [ack] = acknowledgements(ticket)
    assert (
        ack.body_text == "Thanks Anna Smith, we answer by 08:00 your time today. The support team"
    )


def test_editing_a_template_with_an_unknown_placeholder_is_refused(team):
    import pytest
    from django.core.exceptions import ValidationError

    template = AcknowledgementTemplate(team=team, language="uk", body="Привіт, {agent_phone}!")
    with pytest.raises(ValidationError):
        template.full_clean()


def test_a_ticket_that_breaks_the_batch_is_postponed_and_the_others_are_acknowledged(
    clock, anna, olena, team
):
    """The batch is acknowledged at once; when that fails, each ticket goes on its own, so only
    the broken one waits."""
    clock.at(2026, 6, 1, 10)
    broken = open_ticket(anna, team, subject="Broken")
    fine = open_ticket(olena, team, subject="Fine")
    state = TicketSla.objects.get(ticket=broken)
    others = [p for p in state.checkpoints if p["metric"] != "ack"]
    state.checkpoints = [{"metric": "ack", "due": "not a date"}, *others]
    state.save(update_fields=["checkpoints"])
    now = clock.at(2026, 6, 1, 10, 0, 30)
    assert scan_due() == 2
    assert len(acknowledgements(fine)) == 1
    assert AutoAcknowledgement.objects.get(ticket=fine).state == "queued"
    assert acknowledgements(broken) == []
    assert not AutoAcknowledgement.objects.filter(ticket=broken).exists()
    postponed = TicketSla.objects.get(ticket=broken)
    assert postponed.failures == 1 and postponed.next_check_at > now
