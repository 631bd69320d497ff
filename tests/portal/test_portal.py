"""The customer portal: own tickets only, no internal notes, no agent-only fields."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mannerly.tickets import actions
from mannerly.tickets.models import Message, Ticket
from tests.conftest import PASSWORD


@pytest.fixture
def annas_ticket(anna, team, oleh, mei):
    ticket = actions.do_open_ticket(anna, "Charged twice", "Please refund.", team=team)
    actions.do_assign(ticket, oleh, oleh)
    actions.do_update_ticket(ticket, oleh, tags=actions.tags_named(["secret-tag"]))
    actions.do_add_note(ticket, oleh, "INTERNAL: customer is difficult")
    actions.do_reply(ticket, oleh, "Hello Anna, we are on it.")
    actions.do_assign(ticket, oleh, mei, handover_note="HANDOVER: promised Friday")
    return ticket


@pytest.fixture
def as_anna(client, anna):
    client.login(username="anna", password=PASSWORD)
    return client


def test_customer_lists_only_their_own_tickets(as_anna, annas_ticket, olena):
    theirs = actions.do_open_ticket(olena, "Чужий запит", "Не для Анни")
    html = as_anna.get(reverse("portal:tickets")).content.decode()
    assert "Charged twice" in html
    assert "Чужий запит" not in html
    assert as_anna.get(reverse("portal:ticket", args=[theirs.pk])).status_code == 404


def test_customer_sees_public_messages_but_no_agent_internals(as_anna, annas_ticket):
    html = as_anna.get(reverse("portal:ticket", args=[annas_ticket.pk])).content.decode()
    assert "Hello Anna, we are on it." in html and "Please refund." in html
    for secret in ("INTERNAL:", "HANDOVER:", "secret-tag", "Internal note", "msg-internal"):
        assert secret not in html
    assert "next deadline" not in html and "Assignee" not in html


def test_customer_opens_a_request_with_an_attachment(as_anna, anna):
    upload = SimpleUploadedFile("screen.png", b"\x89PNG fake", content_type="image/png")
    response = as_anna.post(
        reverse("portal:new"),
        {"subject": "App crashes", "body": "It crashes on start.", "attachments": upload},
    )
    ticket = Ticket.objects.get(subject="App crashes")
    assert response.status_code == 302 and ticket.customer == anna
    assert ticket.channel == Ticket.Channel.PORTAL
    message = ticket.messages.get()
    assert message.channel == "portal" and message.attachments.get().filename == "screen.png"


def test_new_request_without_a_subject_keeps_the_text(as_anna):
    response = as_anna.post(reverse("portal:new"), {"subject": "", "body": "Long story here"})
    assert response.status_code == 422
    assert "Long story here" in response.content.decode()
    assert not Ticket.objects.exists()


def test_portal_reply_goes_through_the_customer_message_action(as_anna, annas_ticket):
    response = as_anna.post(
        reverse("portal:reply", args=[annas_ticket.pk]), {"body": "Thanks, any news?"}
    )
    assert response.status_code == 303
    message = annas_ticket.messages.get(body_text="Thanks, any news?")
    assert message.direction == Message.Direction.IN and message.channel == "portal"
    annas_ticket.refresh_from_db()
    assert annas_ticket.status == Ticket.Status.OPEN  # reopened from pending
    assert annas_ticket.events.filter(kind="customer-message").exists()


def test_customer_cannot_reply_to_someone_elses_ticket(as_anna, olena):
    theirs = actions.do_open_ticket(olena, "Чужий", "текст")
    response = as_anna.post(reverse("portal:reply", args=[theirs.pk]), {"body": "hijack"})
    assert response.status_code == 404
    assert not theirs.messages.filter(body_text="hijack").exists()


def test_closed_request_takes_no_reply(as_anna, annas_ticket, oleh):
    actions.do_change_status(annas_ticket, oleh, Ticket.Status.CLOSED)
    response = as_anna.post(reverse("portal:reply", args=[annas_ticket.pk]), {"body": "hello?"})
    assert response.status_code == 422
    assert not annas_ticket.messages.filter(body_text="hello?").exists()


def test_customer_downloads_only_attachments_of_public_messages(as_anna, anna, oleh):
    ticket = actions.do_open_ticket(
        anna, "Files", "mine", attachments=[("mine.txt", "text/plain", b"mine")]
    )
    note = actions.do_add_note(ticket, oleh, "internal file")
    from mannerly.tickets.models import Attachment, store_blob

    hidden = Attachment.objects.create(
        message=note, filename="internal.txt", size=6, sha256=store_blob(b"secret")
    )
    mine = ticket.messages.get(direction="in").attachments.get()
    assert as_anna.get(reverse("portal:attachment", args=[mine.pk])).status_code == 200
    assert as_anna.get(reverse("portal:attachment", args=[hidden.pk])).status_code == 404


def test_portal_escapes_customer_and_agent_text(as_anna, anna, oleh):
    payload = '<img src=x onerror="window.pwned=1">'
    ticket = actions.do_open_ticket(anna, payload, payload)
    html = as_anna.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.parametrize("rows", [5, 50])
def test_portal_list_runs_a_constant_number_of_queries(
    rows, as_anna, anna, django_assert_max_num_queries
):
    import mannerly.tickets.portal_views as portal_views

    for i in range(rows):
        actions.do_open_ticket(anna, f"Question {i}", "text")
    portal_views.PER_PAGE, before = rows, portal_views.PER_PAGE
    try:
        with django_assert_max_num_queries(3):  # session, user, tickets
            response = as_anna.get(reverse("portal:tickets"))
    finally:
        portal_views.PER_PAGE = before
    assert len(response.context["tickets"]) == rows


def test_staff_get_404_in_the_portal_and_customers_404_in_the_desk(client, oleh, anna):
    client.login(username="oleh", password=PASSWORD)
    assert client.get(reverse("portal:tickets")).status_code == 404
    client.login(username="anna", password=PASSWORD)
    assert client.get(reverse("tickets:inbox")).status_code == 404


@pytest.mark.parametrize("messages", [5, 50])
def test_portal_ticket_page_runs_a_constant_number_of_queries(
    messages, as_anna, anna, oleh, django_assert_max_num_queries
):
    ticket = actions.do_open_ticket(
        anna, "Long thread", "first", attachments=[("a.txt", "text/plain", b"a")]
    )
    for i in range(messages - 1):
        if i % 2:
            actions.do_reply(ticket, oleh, f"reply {i}")
        else:
            actions.do_customer_message(ticket, anna, f"message {i}")
    with django_assert_max_num_queries(5):  # session, user, ticket, messages, attachments
        response = as_anna.get(reverse("portal:ticket", args=[ticket.pk]))
    assert response.content.decode().count('class="msg ') == messages
