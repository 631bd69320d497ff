"""Receiving: raw bytes first, then threading, de-duplication, auto-replies and quarantine."""

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone
from mailhelpers import eml

from mannerly.mail import ingest
from mannerly.mail.ingest import claim_due, process, process_pending
from mannerly.mail.logs import log_file, setup_mail_logging
from mannerly.mail.models import Participant, RawMail, ThreadLink
from mannerly.mail.sources import Item
from mannerly.mail.store import Envelope, store_raw
from mannerly.mail.threads import new_message_id
from mannerly.tickets import actions
from mannerly.tickets.models import Attachment, Customer, Message, Ticket, blob_path

pytestmark = pytest.mark.django_db


def take(*raws: bytes, source: str = "test"):
    """Ingest these messages the way `mannerly ingest` does; returns the outcomes."""
    items = [Item(f"{source}/{i}", raw) for i, raw in enumerate(raws, start=1)]
    return list(ingest.ingest_items(items))


def days_ago(days: int) -> str:
    return format_datetime(timezone.now() - timedelta(days=days))


def test_new_message_opens_a_ticket_for_a_new_customer(mailbox):
    [outcome] = take(eml(sender="Jürgen Müller <jm@example.de>", cc="boss@example.de"))
    assert outcome.action == "created" and outcome.reason == "new thread"
    ticket = Ticket.objects.get(pk=outcome.ticket)
    assert ticket.subject == "Charged twice" and ticket.channel == "email"
    assert ticket.team == mailbox.team
    assert ticket.customer.name == "Jürgen Müller" and ticket.customer.email == "jm@example.de"
    message = ticket.messages.get()
    assert message.message_id == "<m1@example.com>"
    assert message.from_email == "jm@example.de"
    assert "charged twice" in message.body_text
    assert message.cc == [{"name": "", "email": "boss@example.de"}]
    people = set(Participant.objects.filter(ticket=ticket).values_list("email", flat=True))
    assert people == {"jm@example.de", "boss@example.de"}  # our own address is not a participant


def test_raw_bytes_are_kept_exactly(mailbox):
    raw = eml(body="Exact bytes \u00e9\n.\n.. dots stay\n")
    [outcome] = take(raw)
    row = RawMail.objects.get(pk=outcome.raw_id)
    assert bytes(row.data) == raw
    assert row.status == "done" and row.ticket_id == outcome.ticket


def test_known_customer_is_found_by_address(anna, mailbox):
    [outcome] = take(eml(sender="Somebody Else <ANNA@example.com>"))
    assert Ticket.objects.get(pk=outcome.ticket).customer == anna
    assert Customer.objects.count() == 1


def test_reply_joins_by_in_reply_to(mailbox):
    first, reply = take(
        eml(message_id="<a@x>"),
        eml(subject="Re: Charged twice", message_id="<b@x>", in_reply_to="<a@x>"),
    )
    assert reply.action == "appended" and reply.reason == "in-reply-to"
    assert reply.ticket == first.ticket


def test_reply_joins_by_references_when_in_reply_to_is_unknown(mailbox):
    first, reply = take(
        eml(message_id="<a@x>"),
        eml(
            subject="Something else entirely",
            message_id="<b@x>",
            in_reply_to="<notification@helpdesk.example>",
            references="<a@x> <notification@helpdesk.example>",
        ),
    )
    assert (reply.action, reply.reason, reply.ticket) == ("appended", "references", first.ticket)


def test_reply_by_subject_from_same_sender_joins(mailbox):
    first, reply = take(
        eml(subject="Invoice 123 is wrong", message_id="<a@x>"),
        eml(subject="AW: Invoice 123 is wrong", message_id="<b@x>"),
    )
    assert (reply.action, reply.reason, reply.ticket) == (
        "appended",
        "subject+sender",
        first.ticket,
    )


def test_same_subject_from_a_different_sender_opens_a_new_ticket(mailbox):
    first, other = take(
        eml(subject="Invoice 123 is wrong", message_id="<a@x>"),
        eml(subject="Re: Invoice 123 is wrong", message_id="<b@x>", sender="eve@example.net"),
    )
    assert other.action == "created" and other.ticket != first.ticket


def test_subject_match_is_limited_to_the_recent_window(mailbox):
    first, late = take(
        eml(subject="Invoice 123 is wrong", message_id="<a@x>", date=days_ago(30)),
        eml(subject="Re: Invoice 123 is wrong", message_id="<b@x>", date=days_ago(1)),
    )
    assert late.action == "created" and late.ticket != first.ticket


def test_ticket_token_joins_for_someone_on_the_thread_only(mailbox):
    [first] = take(eml(message_id="<a@x>", cc="colleague@example.com"))
    token = f"[MNL-{first.ticket}]"
    colleague, stranger = take(
        eml(subject=f"Question {token}", message_id="<b@x>", sender="colleague@example.com"),
        eml(subject=f"Question {token}", message_id="<c@x>", sender="eve@evil.example"),
    )
    assert (colleague.action, colleague.reason) == ("appended", "ticket-token")
    assert colleague.ticket == first.ticket
    assert stranger.action == "created" and stranger.ticket != first.ticket


def test_signed_marker_in_our_message_id_joins_even_without_a_stored_row(mailbox):
    [first] = take(eml(message_id="<a@x>"))
    ours = new_message_id(first.ticket, "mannerly.test")
    forged = ours.replace(".", "-", 1)  # any change breaks the signature
    joined, not_joined = take(
        eml(subject="New words", message_id="<b@x>", in_reply_to=ours),
        eml(subject="New words", message_id="<c@x>", in_reply_to=forged, sender="x@y.example"),
    )
    assert (joined.action, joined.reason, joined.ticket) == (
        "appended",
        "ticket-token",
        first.ticket,
    )
    assert not_joined.action == "created"


def test_redelivery_is_a_duplicate_and_changes_nothing(mailbox):
    raw = eml(message_id="<a@x>")
    [first] = take(raw)
    messages_before = Message.objects.count()
    [again] = take(raw)
    [via_other_path] = take(raw.replace(b"Subject:", b"Received: by relay\r\nSubject:"))
    assert again.action == via_other_path.action == "duplicate"
    assert again.ticket == first.ticket
    assert Message.objects.count() == messages_before
    assert RawMail.objects.count() == 3  # every delivery's bytes are still kept


def test_without_message_id_identical_bytes_are_duplicates(mailbox):
    raw = eml(message_id=None)
    first, again, different = take(raw, raw, eml(message_id=None, body="Another question"))
    assert first.action == "created" and again.action == "duplicate"
    assert different.action in ("created", "appended")
    assert Message.objects.count() == 2


def test_a_reply_that_arrives_before_its_parent_keeps_one_ticket(mailbox):
    reply, parent = take(
        eml(
            subject="Re: Charged twice", message_id="<b@x>", in_reply_to="<a@x>", references="<a@x>"
        ),
        eml(message_id="<a@x>"),
    )
    assert reply.action == "created"
    assert (parent.action, parent.ticket) == ("appended", reply.ticket)
    assert Ticket.objects.count() == 1


def test_auto_reply_is_attached_as_such_and_does_not_reopen(mailbox, oleh):
    [first] = take(eml(message_id="<a@x>"))
    ticket = Ticket.objects.get(pk=first.ticket)
    actions.do_change_status(ticket, oleh, Ticket.Status.SOLVED)
    [auto] = take(
        eml(
            subject="Automatic reply: Charged twice",
            message_id="<ooo@x>",
            in_reply_to="<a@x>",
            extra="Auto-Submitted: auto-replied",
            body="I am out of the office until Monday.",
        )
    )
    assert (auto.action, auto.ticket) == ("auto-reply", ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.messages.filter(kind=Message.Kind.AUTO_REPLY).count() == 1


def test_auto_reply_without_a_ticket_is_kept_aside(mailbox):
    [auto] = take(eml(extra="Auto-Submitted: auto-replied", message_id="<ooo@x>"))
    assert auto.action == "auto-reply" and auto.ticket is None
    assert Ticket.objects.count() == 0
    assert RawMail.objects.get(pk=auto.raw_id).reason.endswith("kept aside")


def test_mail_from_our_own_address_is_stored_but_never_treated_as_a_customer(mailbox):
    [first] = take(eml(message_id="<a@x>"))
    [own] = take(
        eml(
            sender="support@mannerly.test",
            to="anna@example.com",
            message_id="<o@x>",
            in_reply_to="<a@x>",
        )
    )
    assert (own.action, own.ticket) == ("auto-reply", first.ticket)
    assert not Customer.objects.filter(emails__email="support@mannerly.test").exists()


def test_attachments_are_stored_by_hash(mailbox):
    raw = (
        b"From: Anna <anna@example.com>\r\nTo: support@mannerly.test\r\nSubject: Files\r\n"
        b"Message-ID: <att@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="../../etc/passwd.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfs\r\n--b--\r\n"
    )
    [outcome] = take(raw)
    attachment = Attachment.objects.get(message__ticket_id=outcome.ticket)
    assert attachment.filename == "../../etc/passwd.pdf"  # only text
    assert attachment.read() == b"%PDF-1.4\n%\xc7\xec"
    assert blob_path(attachment.sha256).name == attachment.sha256


def test_a_failing_message_is_quarantined_without_blocking_the_rest(mailbox, monkeypatch):
    setup_mail_logging()
    real_parse = ingest.parse

    def parse_that_breaks_on_poison(raw):
        if b"POISON" in raw:
            raise RuntimeError("parser bug\nsecond line")
        return real_parse(raw)

    monkeypatch.setattr(ingest, "parse", parse_that_breaks_on_poison)
    bad, good = take(
        eml(body="POISON", message_id="<bad@x>"), eml(message_id="<good@x>", subject="Hi")
    )
    assert bad.action == "quarantined"
    assert bad.reason == "the parser failed: RuntimeError"
    assert good.action == "created"
    assert "Traceback" in log_file().read_text()

    monkeypatch.setattr(ingest, "parse", real_parse)  # the fix is deployed
    [again] = ingest.reprocess([bad.raw_id])
    assert again.action == "created" and again.raw_id == bad.raw_id


def test_too_large_is_quarantined_and_reprocessed_after_raising_the_limit(mailbox, settings):
    settings.MAIL_MAX_SIZE = 100
    [big] = take(eml(body="x" * 500))
    assert big.action == "quarantined" and big.reason.startswith("too large")
    assert RawMail.objects.get(pk=big.raw_id).size > 500  # bytes kept
    settings.MAIL_MAX_SIZE = 50 * 1024 * 1024
    [again] = ingest.reprocess()
    assert again.action == "created"


def test_message_without_sender_is_quarantined(mailbox):
    [outcome] = take(b"To: support@mannerly.test\r\nSubject: who?\r\n\r\nbody\r\n")
    assert (outcome.action, outcome.reason) == ("quarantined", "no sender address (From)")


def test_thread_links_are_recorded_for_lookup(mailbox):
    take(eml(message_id="<a@x>", references="<root@x>", in_reply_to="<root@x>"))
    keys = set(ThreadLink.objects.values_list("key", "own"))
    assert keys == {("<a@x>", True), ("<root@x>", False)}


# --- several workers ----------------------------------------------------------------------------


def test_workers_claim_disjoint_rows(mailbox):
    for i in range(5):
        store_raw(eml(message_id=f"<{i}@x>", sender=f"p{i}@example.com"), Envelope(source="smtp"))
    first = claim_due("worker-a", limit=3)
    second = claim_due("worker-b", limit=10)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert process(first[0], "worker-b") is None  # not b's row: nothing happens
    assert process(first[0], "worker-a").action == "created"


def test_a_senders_later_mail_is_left_to_the_worker_holding_the_earlier(mailbox):
    first = store_raw(eml(message_id="<a@x>"), Envelope(source="smtp"))
    same = store_raw(eml(subject="Re: Charged twice", message_id="<b@x>"), Envelope(source="smtp"))
    other = store_raw(eml(message_id="<c@x>", sender="bo@example.org"), Envelope(source="smtp"))
    assert claim_due("worker-a", limit=1) == [first.pk]
    assert claim_due("worker-b", limit=10) == [other.pk]  # not a reply it would wait on
    assert claim_due("worker-a", limit=10) == [first.pk, same.pk]  # its own still pending


def test_a_reply_waits_while_its_parent_is_claimed_by_another_worker(mailbox):
    parent = store_raw(eml(message_id="<a@x>"), Envelope(source="smtp"))
    reply = store_raw(  # from someone else on the thread: worker-b may claim it
        eml(
            subject="Re: Charged twice",
            message_id="<b@x>",
            in_reply_to="<a@x>",
            sender="Boss <boss@example.com>",
        ),
        Envelope(source="smtp"),
    )
    assert claim_due("worker-a", limit=1) == [parent.pk]
    assert claim_due("worker-b", limit=1) == [reply.pk]
    assert process(reply.pk, "worker-b") is None  # deferred, not a second ticket
    reply.refresh_from_db()
    assert reply.status == "pending" and reply.claimed_by == "" and reply.attempts == 0
    assert process(parent.pk, "worker-a").action == "created"
    RawMail.objects.filter(pk=reply.pk).update(available_at=timezone.now())
    [outcome] = process_pending("worker-b")
    assert (outcome.action, outcome.reason) == ("appended", "in-reply-to")
    assert Ticket.objects.count() == 1


def test_a_message_that_keeps_killing_the_process_is_quarantined(mailbox, settings):
    row = store_raw(eml(), Envelope(source="smtp"))
    RawMail.objects.filter(pk=row.pk).update(attempts=settings.MAIL_PROCESS_ATTEMPTS)
    assert claim_due("worker-a") == []
    row.refresh_from_db()
    assert row.status == "quarantined" and "stopped the process" in row.reason
