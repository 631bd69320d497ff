import pytest

from mannerly.tickets import actions
from mannerly.tickets.actions import ActionError
from mannerly.tickets.models import Handover, Message, Ticket, TicketEvent


@pytest.fixture
def ticket(anna, team):
    return actions.do_open_ticket(
        anna, "Charged twice", "Can you refund the second charge?", team=team
    )


def kinds(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))


def test_open_ticket_records_first_message_and_event(ticket, anna):
    assert ticket.status == Ticket.Status.NEW
    message = ticket.messages.get()
    assert message.direction == Message.Direction.IN and message.customer == anna
    assert kinds(ticket) == ["created"]


def test_reply_sets_first_response_and_waits_on_customer(ticket, oleh):
    actions.do_reply(ticket, oleh, "Hi Anna, the refund is on its way.\n\nOleh")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    assert ticket.first_responded_at is not None
    assert ticket.assignee == oleh
    assert "replied" in kinds(ticket)


def test_customer_message_reopens_a_waiting_ticket(ticket, anna, oleh):
    actions.do_reply(ticket, oleh, "Hi Anna, which card was charged?\n\nOleh")
    actions.do_customer_message(ticket, anna, "The Visa ending 4242.")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert "reopened" in kinds(ticket)


def test_auto_reply_does_not_reopen(ticket, anna, oleh):
    actions.do_reply(ticket, oleh, "Hi Anna, done.\n\nOleh", status=Ticket.Status.SOLVED)
    actions.do_customer_message(ticket, anna, "I am out of office.", kind=Message.Kind.AUTO_REPLY)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED


def test_reassigning_needs_a_handover_note(ticket, oleh, mei, sofia):
    actions.do_assign(ticket, sofia, oleh)
    with pytest.raises(ActionError):
        actions.do_assign(ticket, sofia, mei)
    actions.do_assign(ticket, sofia, mei, handover_note="Promised a refund by Friday.")
    ticket.refresh_from_db()
    assert ticket.assignee == mei
    handover = Handover.objects.get(ticket=ticket)
    assert handover.from_user == oleh and handover.to_user == mei


def test_note_is_internal(ticket, oleh):
    note = actions.do_add_note(ticket, oleh, "Customer called twice.")
    assert note.direction == Message.Direction.INTERNAL and not note.is_public


def test_merge_moves_messages_and_closes_source(ticket, anna, oleh, team):
    other = actions.do_open_ticket(anna, "Refund?", "Any news on my refund?", team=team)
    actions.do_merge(other, ticket, oleh)
    other.refresh_from_db()
    assert other.merged_into == ticket and other.status == Ticket.Status.CLOSED
    assert ticket.messages.count() == 2


def test_merge_refuses_another_customers_ticket(ticket, olena, oleh):
    theirs = actions.do_open_ticket(olena, "Повернення", "Коли повернуть гроші?")
    with pytest.raises(ActionError):
        actions.do_merge(theirs, ticket, oleh)


def test_split_moves_one_message_to_a_new_ticket(ticket, anna, oleh):
    second = actions.do_customer_message(ticket, anna, "Also, how do I change my address?")
    new = actions.do_split(second, oleh, subject="Change of address")
    assert new.pk != ticket.pk and list(new.messages.all()) == [second]
    assert ticket.messages.count() == 1


def test_events_are_append_only(ticket):
    event = TicketEvent.objects.filter(ticket=ticket).first()
    event.reason = "rewritten"
    with pytest.raises(ValueError):
        event.save()
