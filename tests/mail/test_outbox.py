"""Sending: replies through the outbox to a real SMTP server on loopback."""

from email import message_from_bytes, policy

import pytest
from django.utils import timezone
from mailhelpers import eml

from mannerly.mail import ingest
from mannerly.mail.models import OutgoingMail
from mannerly.mail.outbox import queue_automatic, queue_reply, send_due_mail
from mannerly.mail.queries import delivery_status, delivery_statuses, failed_deliveries
from mannerly.mail.sources import Item
from mannerly.mail.threads import marker_ticket
from mannerly.tickets import actions
from mannerly.tickets.models import Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def receive(*raws: bytes):
    items = [Item(f"t/{i}", raw) for i, raw in enumerate(raws)]
    return list(ingest.ingest_items(items))


@pytest.fixture
def ticket(mailbox):
    [first] = receive(
        eml(
            message_id="<a@x>",
            references="<older@x>",
            cc="Bob Jones <bob@example.com>, Support <support@mannerly.test>",
        )
    )
    return Ticket.objects.get(pk=first.ticket)


def parsed(data: bytes):
    return message_from_bytes(data, policy=policy.default)


def due_now():
    OutgoingMail.objects.update(next_attempt_at=timezone.now())


def test_reply_is_sent_once_to_everyone_on_the_thread(ticket, oleh, smtp_sink):
    oleh.signature = "Oleh Kovalenko\nAcme Support"
    oleh.save()
    message = actions.do_reply(ticket, oleh, "Hi Anna, the refund is on its way.")
    assert OutgoingMail.objects.get().status == "queued"  # queued with the reply itself
    assert send_due_mail() == 1
    assert send_due_mail() == 0
    [sent] = smtp_sink.received
    mail = parsed(sent.data)
    assert sorted(sent.rcpt_tos) == ["anna@example.com", "bob@example.com"]
    assert sent.mail_from == "support@mannerly.test"
    assert str(mail["From"]) == "Oleh Kovalenko via Acme Support <support@mannerly.test>"
    assert str(mail["To"]) == "Anna Smith <anna@example.com>"
    assert str(mail["Cc"]) == "Bob Jones <bob@example.com>"
    assert str(mail["Subject"]) == f"Re: Charged twice [MNL-{ticket.pk}]"
    assert str(mail["In-Reply-To"]) == "<a@x>"
    assert str(mail["References"]) == "<older@x> <a@x>"
    assert marker_ticket(str(mail["Message-ID"])) == ticket.pk
    assert "Auto-Submitted" not in mail
    body = mail.get_content().replace("\r\n", "\n")
    assert body.startswith("Hi Anna, the refund is on its way.")
    assert body.rstrip().endswith("-- \nOleh Kovalenko\nAcme Support")
    message.refresh_from_db()
    assert message.message_id == str(mail["Message-ID"])
    assert delivery_status(message).status == "sent"
    assert delivery_statuses(ticket)[message.pk].sent_at is not None


def test_customer_reply_to_our_reply_threads_back(ticket, oleh, smtp_sink):
    actions.do_reply(ticket, oleh, "Which card?")
    send_due_mail()
    ours = str(parsed(smtp_sink.received[0].data)["Message-ID"])
    [answer] = receive(
        eml(subject="Re: Charged twice", message_id="<c@x>", in_reply_to=ours, references=ours)
    )
    assert (answer.action, answer.reason, answer.ticket) == ("appended", "in-reply-to", ticket.pk)


def test_reply_never_doubles_re(mailbox, oleh, smtp_sink):
    [first] = receive(eml(subject="AW: Rechnung", message_id="<a@x>"))
    ticket = Ticket.objects.get(pk=first.ticket)
    actions.do_reply(ticket, oleh, "Hallo Anna")
    send_due_mail()
    subject = str(parsed(smtp_sink.received[0].data)["Subject"])
    assert subject == f"AW: Rechnung [MNL-{ticket.pk}]"


def test_headers_from_the_customer_cannot_inject_headers(mailbox, oleh, smtp_sink):
    [first] = receive(
        eml(subject="=?utf-8?q?Hi=0D=0ABcc=3A_victim=40example=2Ecom?=", message_id="<a@x>")
    )
    ticket = Ticket.objects.get(pk=first.ticket)
    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    [sent] = smtp_sink.received
    assert "victim@example.com" not in sent.rcpt_tos
    assert parsed(sent.data)["Bcc"] is None


def test_temporary_failure_is_retried_with_backoff(ticket, oleh, smtp_sink, settings):
    settings.MAIL_SEND_BACKOFF = 60
    smtp_sink.data_replies = ["451 4.3.0 Try again later"]
    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    row = OutgoingMail.objects.get()
    assert row.status == "queued" and row.attempts == 1 and "451" in row.last_error
    assert (row.next_attempt_at - timezone.now()).total_seconds() > 50
    assert send_due_mail() == 0  # not due yet
    due_now()
    send_due_mail()
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp_sink.received) == 1


def test_backoff_doubles_and_gives_up_visibly(ticket, oleh, smtp_sink, settings):
    settings.MAIL_SEND_ATTEMPTS = 3
    smtp_sink.data_replies = ["451 busy"] * 3
    message = actions.do_reply(ticket, oleh, "Hello")
    delays = []
    for _ in range(3):
        due_now()
        before = timezone.now()
        send_due_mail()
        row = OutgoingMail.objects.get()
        delays.append(round((row.next_attempt_at - before).total_seconds() / 60))
    assert delays[:2] == [1, 2]
    assert row.status == "failed" and "gave up after 3 attempts" in row.last_error
    assert list(failed_deliveries(ticket)) == [row]
    event = TicketEvent.objects.get(ticket=ticket, kind="mail-failed")
    assert event.data["message"] == message.pk


def test_permanent_refusal_fails_at_once_with_an_event(ticket, oleh, smtp_sink):
    smtp_sink.data_replies = ["554 5.7.1 Rejected as spam"]
    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    row = OutgoingMail.objects.get()
    assert row.status == "failed" and row.last_error.startswith("554")
    assert TicketEvent.objects.filter(ticket=ticket, kind="mail-failed").count() == 1


def test_one_refused_recipient_is_reported_and_the_rest_get_it(ticket, oleh, smtp_sink):
    smtp_sink.refuse = {"bob@example.com": "550 5.1.1 No such user"}
    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    row = OutgoingMail.objects.get()
    assert row.status == "sent" and set(row.refused) == {"bob@example.com"}
    assert smtp_sink.received[0].rcpt_tos == ["anna@example.com"]
    event = TicketEvent.objects.get(ticket=ticket, kind="mail-refused-recipients")
    assert "bob@example.com: 550" in event.reason


def test_relay_down_keeps_the_mail_queued(ticket, oleh, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    row = OutgoingMail.objects.get()
    assert row.status == "queued" and "cannot connect" in row.last_error


def test_queue_reply_is_idempotent(ticket, oleh):
    message = actions.do_reply(ticket, oleh, "Hello")
    assert queue_reply(message) == queue_reply(message)
    assert OutgoingMail.objects.count() == 1


def test_reply_on_a_portal_ticket_sends_no_mail(anna, oleh):
    ticket = actions.do_open_ticket(anna, "Portal question", "Hi", channel=Ticket.Channel.PORTAL)
    actions.do_reply(ticket, oleh, "Hello")
    assert OutgoingMail.objects.count() == 0


def automatic_message(ticket) -> Message:
    return Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUT, body_text="We got your message."
    )


def test_automatic_mail_is_marked_as_automatic(ticket, smtp_sink):
    outgoing = queue_automatic(automatic_message(ticket), reason="acknowledgement")
    send_due_mail()
    mail = parsed(smtp_sink.received[0].data)
    assert outgoing.kind == "automatic"
    assert mail["Auto-Submitted"] == "auto-replied"
    assert smtp_sink.received[0].rcpt_tos == ["anna@example.com"]  # not reply-all


def refusal(ticket) -> str | None:
    result = queue_automatic(automatic_message(ticket), reason="acknowledgement")
    if result is not None:
        return None
    return TicketEvent.objects.filter(kind="automatic-mail-refused").latest("pk").reason


def test_no_automatic_mail_to_an_auto_reply(ticket):
    receive(eml(extra="Auto-Submitted: auto-replied", message_id="<o@x>", in_reply_to="<a@x>"))
    assert refusal(ticket) == "the last incoming message is an automatic reply"


def test_no_automatic_mail_to_a_mailing_list(mailbox):
    [first] = receive(eml(extra="List-Id: <users.lists.example.com>", message_id="<l@x>"))
    ticket = Ticket.objects.get(pk=first.ticket)
    assert refusal(ticket).startswith("the last incoming message came from a mailing list")


def test_no_automatic_mail_to_a_flagged_customer(ticket, sofia):
    actions.do_flag_customer(ticket.customer, sofia, "abusive")
    assert refusal(ticket).startswith("the customer is flagged")


def test_no_automatic_mail_to_a_no_reply_address(mailbox):
    [first] = receive(eml(sender="noreply@shop.example", message_id="<n@x>"))
    assert (
        refusal(Ticket.objects.get(pk=first.ticket)) == "noreply@shop.example is a machine address"
    )


def test_loop_guard_caps_automatic_mail_per_address(ticket, settings):
    settings.MAIL_LOOP_LIMIT = 10
    results = [queue_automatic(automatic_message(ticket), reason="ack") for _ in range(11)]
    assert all(results[:10]) and results[10] is None
    event = TicketEvent.objects.get(kind="automatic-mail-refused")
    assert event.reason.startswith("loop guard: 10 automatic messages to anna@example.com")


def test_file_backend_keeps_the_exact_bytes(ticket, oleh, settings, tmp_path):
    """What `mannerly demo` uses: mail is written to files instead of going out."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "sent")
    actions.do_reply(ticket, oleh, "Hello from the demo")
    send_due_mail()
    row = OutgoingMail.objects.get()
    [written] = list((tmp_path / "sent").iterdir())
    assert row.status == "sent"
    assert row.msgid in written.read_text()


def test_reply_goes_to_the_reply_to_address(mailbox, oleh, smtp_sink):
    [first] = receive(
        eml(
            sender="Web Shop <noreply@shop.example>",
            reply_to="Anna <anna@example.com>",
            message_id="<r@x>",
        )
    )
    actions.do_reply(Ticket.objects.get(pk=first.ticket), oleh, "Hello Anna")
    send_due_mail()
    assert smtp_sink.received[0].rcpt_tos == ["anna@example.com"]


def test_worker_processes_mail_the_listener_only_stored(mailbox):
    from mannerly.mail.ingest import process_due_mail
    from mannerly.mail.store import Envelope, store_raw

    store_raw(eml(message_id="<w@x>"), Envelope(source="smtp"))
    assert process_due_mail() == 1
    assert Ticket.objects.count() == 1


def dsn_for(original: bytes, recipient: str) -> bytes:
    headers = original.split(b"\r\n\r\n", 1)[0]
    return (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        b"To: support@mannerly.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <dsn1@mx.example.com>\r\nAuto-Submitted: auto-replied\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\n"
        b"Final-Recipient: rfc822; " + recipient.encode() + b"\r\nAction: failed\r\n"
        b"Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        b"--b\r\nContent-Type: text/rfc822-headers\r\n\r\n" + headers + b"\r\n--b--\r\n"
    )


def test_bounce_of_our_reply_is_shown_on_the_ticket_and_never_answered(ticket, oleh, smtp_sink):
    from mannerly.mail.parse import parse

    actions.do_reply(ticket, oleh, "Hello")
    send_due_mail()
    dsn = dsn_for(smtp_sink.received[0].data, "anna@example.com")
    if parse(dsn).bounce is None:
        pytest.skip("the parser does not recognise delivery status notifications yet")
    [bounce] = receive(dsn)
    assert (bounce.action, bounce.ticket) == ("bounce", ticket.pk)
    row = OutgoingMail.objects.get()
    assert row.status == "bounced" and "5.1.1" in row.last_error
    assert TicketEvent.objects.filter(ticket=ticket, kind="mail-bounced").exists()
    assert ticket.messages.filter(kind=Message.Kind.BOUNCE).count() == 1
    assert refusal(ticket) == "the last incoming message is a bounce"


def replies_to_new_tickets(agent, count: int) -> list[Message]:
    """One reply on each of ``count`` new tickets, each customer with an address of their own."""
    raws = [
        eml(sender=f"Customer {n} <c{n}@example.com>", message_id=f"<n{n}@x>") for n in range(count)
    ]
    return [
        actions.do_reply(Ticket.objects.get(pk=outcome.ticket), agent, "Hello")
        for outcome in receive(*raws)
    ]


def test_one_smtp_connection_carries_a_batch(mailbox, oleh, smtp_sink):
    replies_to_new_tickets(oleh, 25)
    assert send_due_mail() == 25
    assert len(smtp_sink.received) == 25
    assert len({sent.peer for sent in smtp_sink.received}) == 1  # one connection for all
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}


def test_refused_recipient_in_a_batch_waits_alone_and_is_retried(mailbox, oleh, smtp_sink):
    replies_to_new_tickets(oleh, 3)
    smtp_sink.refuse = {"c1@example.com": "450 4.2.1 Mailbox busy, try later"}
    assert send_due_mail() == 3
    assert sorted(r for sent in smtp_sink.received for r in sent.rcpt_tos) == [
        "c0@example.com",
        "c2@example.com",
    ]
    assert len({sent.peer for sent in smtp_sink.received}) == 1  # the refusal kept the line
    waiting = OutgoingMail.objects.get(status="queued")
    assert waiting.to_address == "c1@example.com" and "450" in waiting.last_error
    smtp_sink.refuse = {}
    due_now()
    assert send_due_mail() == 1
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.attempts == 2
    assert [sent.rcpt_tos for sent in smtp_sink.received[2:]] == [["c1@example.com"]]


def test_permanently_refused_message_in_a_batch_fails_alone_on_its_ticket(mailbox, oleh, smtp_sink):
    replies = replies_to_new_tickets(oleh, 3)
    smtp_sink.data_replies = ["554 5.7.1 Rejected as spam"]  # the first message only
    assert send_due_mail() == 3
    statuses = list(OutgoingMail.objects.order_by("pk").values_list("status", flat=True))
    assert sorted(statuses) == ["failed", "sent", "sent"]
    assert len({sent.peer for sent in smtp_sink.received}) == 1  # the refusal kept the line
    failed = OutgoingMail.objects.get(status="failed")
    assert TicketEvent.objects.filter(ticket=failed.ticket, kind="mail-failed").count() == 1
    assert {r.ticket_id for r in replies} - {failed.ticket_id} == set(
        OutgoingMail.objects.filter(status="sent").values_list("ticket_id", flat=True)
    )


def test_relay_closing_a_used_connection_is_reconnected_once(mailbox, oleh, smtp_sink):
    replies_to_new_tickets(oleh, 3)
    smtp_sink.mail_replies = ["", "421 4.7.0 Too many messages, closing"]  # the second
    send_due_mail()
    rows = list(OutgoingMail.objects.order_by("pk"))
    assert [row.status for row in rows] == ["sent", "sent", "sent"]
    assert [row.attempts for row in rows] == [1, 1, 1]  # nobody waits for the backoff
    assert len(smtp_sink.received) == 3
    assert len({sent.peer for sent in smtp_sink.received}) == 2  # a fresh connection after 421
