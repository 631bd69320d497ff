"""The send gate on the reply view: errors block a reply unless the agent says why; it holds
without JavaScript because the server lints what is posted."""

from django.urls import reverse

from mannerly.tickets.models import Message, TicketEvent
from tests.coaching.conftest import UK_GOOD_REPLY

NO_GREETING = "Гроші повернемо до п'ятниці.\n\nOleh Kovalenko"


def reply(client, ticket, body, **extra):
    data = {"body": body, "status": "pending", **extra}
    return client.post(reverse("tickets:reply", args=[ticket.pk]), data)


def sent(ticket):
    return Message.objects.filter(ticket=ticket, direction=Message.Direction.OUT)


def test_a_draft_with_errors_is_refused_with_the_findings_shown(as_oleh, uk_ticket):
    response = reply(as_oleh, uk_ticket, NO_GREETING)
    assert response.status_code == 422
    assert not sent(uk_ticket).exists()
    html = response.content.decode()
    assert "Fix them, or choose “Send anyway” and say why." in html
    assert 'data-rule="greeting-name"' in html  # the findings of the posted draft
    assert '<details class="send-anyway" id="send-anyway" open>' in html
    assert "Гроші повернемо до п&#x27;ятниці." in html  # the draft is kept, nothing is lost


def test_send_anyway_with_a_reason_sends_and_records_it_for_the_supervisor(as_oleh, uk_ticket):
    reason = "She asked for a one-line answer on the phone."
    response = reply(as_oleh, uk_ticket, NO_GREETING, send_anyway_reason=reason, send_anyway="1")
    assert response.status_code == 303
    message = sent(uk_ticket).get()
    event = TicketEvent.objects.get(ticket=uk_ticket, kind="sent-anyway")
    assert event.reason == reason and event.data["message"] == message.pk
    assert event.actor.username == "oleh"
    assert {"greeting-name", "questions-answered"} <= set(event.data["rules"])
    replied = TicketEvent.objects.get(ticket=uk_ticket, kind="replied")
    assert replied.reason == reason


def test_send_anyway_without_a_reason_is_refused(as_oleh, uk_ticket):
    response = reply(as_oleh, uk_ticket, NO_GREETING, send_anyway="1", send_anyway_reason="  ")
    assert response.status_code == 422
    assert not sent(uk_ticket).exists()
    assert (
        'id="send-anyway-reason" name="send_anyway_reason" rows="2" maxlength="1000" aria-invalid="true"'
        in response.content.decode()
    )


def test_a_clean_reply_is_sent_and_a_stray_reason_is_not_recorded(as_oleh, uk_ticket):
    response = reply(as_oleh, uk_ticket, UK_GOOD_REPLY, send_anyway_reason="just in case")
    assert response.status_code == 303
    assert sent(uk_ticket).count() == 1
    assert not TicketEvent.objects.filter(ticket=uk_ticket, kind="sent-anyway").exists()
    assert TicketEvent.objects.get(ticket=uk_ticket, kind="replied").reason == ""


def test_warnings_never_block(as_oleh, anna_ticket):
    body = (
        "Hi Anna,\n\nSorry for the trouble. Unfortunately the bank takes a while: the second "
        "charge is refunded and reaches you within 3 days.\n\nOleh"
    )
    response = reply(as_oleh, anna_ticket, body)
    assert response.status_code == 303
    assert sent(anna_ticket).count() == 1


def test_the_gate_uses_the_teams_severities(as_oleh, anna_ticket, team, sofia):
    from mannerly.coaching.actions import do_save_team_etiquette

    body = "Hi Anna,\n\nSorry for the trouble. The second charge is refunded within 3 days.\n\nOleh"
    do_save_team_etiquette(team, sofia, severities={"thanks": "error"})
    assert reply(as_oleh, anna_ticket, body).status_code == 422
    do_save_team_etiquette(team, sofia, severities={}, disabled_rules=["thanks"])
    assert reply(as_oleh, anna_ticket, body).status_code == 303


def test_a_checker_failure_never_stops_a_reply(as_oleh, uk_ticket, monkeypatch):
    import mannerly.coaching.coach as coach

    def broken(*args, **kwargs):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(coach, "lint", broken)
    response = reply(as_oleh, uk_ticket, NO_GREETING)
    assert response.status_code == 303
    assert sent(uk_ticket).count() == 1
