"""Many messages per transaction: one bad message never costs the others, re-runs add nothing."""

import pytest
from django.db import DataError, OperationalError, connection
from django.test.utils import CaptureQueriesContext
from mailhelpers import eml

from mannerly.mail import ingest, intake
from mannerly.mail.ingest import process_pending, worker_name
from mannerly.mail.models import RawMail, ThreadLink
from mannerly.mail.parse import parse
from mannerly.mail.sources import Item
from mannerly.mail.store import Envelope, store_raw
from mannerly.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

MALFORMED = b"To: support@mannerly.test\r\nSubject: who sent this?\r\n\r\nno From line\r\n"


def batch() -> list[bytes]:
    """Five messages of two threads, a reply among them, and one without a sender."""
    return [
        eml(message_id="<a1@x>", subject="Refund"),
        eml(message_id="<b1@x>", subject="Login", sender="Bo <bo@example.org>"),
        MALFORMED,
        eml(message_id="<a2@x>", subject="Re: Refund", in_reply_to="<a1@x>"),
        eml(
            message_id="<b2@x>", subject="Re: Login", in_reply_to="<b1@x>", sender="bo@example.org"
        ),
    ]


def take(raws: list[bytes]):
    items = [Item(f"batch/{i}", raw) for i, raw in enumerate(raws, start=1)]
    return list(ingest.ingest_items(items))


def stored_once() -> dict[str, int]:
    """Message-ID -> ticket, failing if any Message-ID is stored twice."""
    rows = list(Message.objects.values_list("message_id", "ticket_id"))
    assert len(rows) == len({mid for mid, _ in rows}), rows
    return dict(rows)


def test_a_malformed_message_in_a_batch_is_quarantined_alone(mailbox):
    outcomes = take(batch())
    assert [o.action for o in outcomes] == [
        "created",
        "created",
        "quarantined",
        "appended",
        "appended",
    ]
    assert outcomes[2].reason == "no sender address (From)"
    assert bytes(RawMail.objects.get(pk=outcomes[2].raw_id).data) == MALFORMED
    tickets = stored_once()
    assert set(tickets) == {"<a1@x>", "<a2@x>", "<b1@x>", "<b2@x>"}
    assert tickets["<a1@x>"] == tickets["<a2@x>"] != tickets["<b1@x>"] == tickets["<b2@x>"]
    assert all(t.first_response_due is not None for t in Ticket.objects.all())

    again = take(batch())
    assert [o.action for o in again] == ["duplicate"] * 2 + ["quarantined"] + ["duplicate"] * 2
    assert stored_once() == tickets
    assert Ticket.objects.count() == 2


def test_a_database_error_in_one_message_does_not_undo_the_others(mailbox, monkeypatch):
    real_record = ingest._record

    def record_that_loses_the_database(message, ticket, take, **kwargs):
        if take.mail.message_id == "<b1@x>":
            raise OperationalError("disk I/O error")
        return real_record(message, ticket, take, **kwargs)

    monkeypatch.setattr(ingest, "_record", record_that_loses_the_database)
    real_take = intake.Taking._record

    def take_that_loses_the_database(self, message, ticket, **kwargs):
        if self.mail.message_id == "<b1@x>":
            raise OperationalError("disk I/O error")
        return real_take(self, message, ticket, **kwargs)

    monkeypatch.setattr(intake.Taking, "_record", take_that_loses_the_database)  # together
    raws = [raw for raw in batch() if raw != MALFORMED]
    with pytest.raises(OperationalError):
        take(raws)
    bad = RawMail.objects.get(msgid="<b1@x>")
    assert bad.status == "pending" and bytes(bad.data) == raws[1]  # kept, to be tried again
    # What came before it is kept (the batch was taken again one message at a time); from it
    # on, nothing is lost: the rows stay pending for the next try.
    assert set(stored_once()) == {"<a1@x>"}
    assert RawMail.objects.filter(status="pending").count() == 3

    monkeypatch.setattr(ingest, "_record", real_record)  # the disk is back
    monkeypatch.setattr(intake.Taking, "_record", real_take)
    process_pending(worker_name())
    tickets = stored_once()
    assert set(tickets) == {"<a1@x>", "<a2@x>", "<b1@x>", "<b2@x>"}
    assert tickets["<b1@x>"] == tickets["<b2@x>"]
    assert not RawMail.objects.exclude(status="done").exists()

    again = take(raws)
    assert {o.action for o in again} == {"duplicate"}
    assert stored_once() == tickets


def test_a_message_the_database_refuses_is_quarantined_and_the_rest_kept(mailbox, monkeypatch):
    real_process = ingest.process

    def process_refusing_one(raw_id, worker, context=None, **kwargs):
        if RawMail.objects.filter(pk=raw_id, msgid="<b1@x>").exists():
            raise DataError("value too long for type character varying(998)")
        return real_process(raw_id, worker, context, **kwargs)

    monkeypatch.setattr(ingest, "process", process_refusing_one)
    real_take = intake.Taking._take

    def take_refusing_one(self):
        if self.mail.message_id == "<b1@x>":
            raise DataError("value too long for type character varying(998)")
        return real_take(self)

    monkeypatch.setattr(intake.Taking, "_take", take_refusing_one)  # the group taken together
    raws = [raw for raw in batch() if raw != MALFORMED]
    outcomes = {RawMail.objects.get(pk=o.raw_id).msgid: o for o in take(raws)}
    refused = outcomes.pop("<b1@x>")
    assert refused.action == "quarantined"
    assert refused.reason == "DataError: value too long for type character varying(998)"
    assert bytes(RawMail.objects.get(pk=refused.raw_id).data) == raws[1]
    assert {o.action for o in outcomes.values()} <= {"created", "appended"}
    assert set(stored_once()) == {"<a1@x>", "<a2@x>", "<b2@x>"}


def test_service_level_policies_are_read_once_per_batch(mailbox):
    raws = [eml(message_id=f"<n{i}@x>", subject=f"Question {i}") for i in range(6)]
    with CaptureQueriesContext(connection) as queries:
        outcomes = take(raws)
    assert [o.action for o in outcomes] == ["created"] * 6
    policy_reads = [q for q in queries.captured_queries if 'FROM "sla_slapolicy"' in q["sql"]]
    assert len(policy_reads) == 1
    assert all(t.first_response_due is not None for t in Ticket.objects.all())


def test_a_message_naming_many_ids_keeps_a_thread_link_for_each_one_read(mailbox):
    references = " ".join(f"<r{i}@x>" for i in range(1200))
    raw = eml(message_id="<many@x>", references=references)
    [outcome] = take([raw])
    assert outcome.action == "created"
    links = set(ThreadLink.objects.values_list("key", "own"))
    read = parse(raw).references  # the parser keeps the first and the latest ones
    assert links == {("<many@x>", True)} | {(key, False) for key in read}
    assert ("<r1199@x>", False) in links


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own durability setting")
def test_raw_bytes_are_committed_with_a_flush_to_disk_and_processing_without(mailbox):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        stored = store_raw(eml(), Envelope(source="smtp"))
    sql = [q["sql"] for q in queries.captured_queries]
    assert sql.index("PRAGMA synchronous=FULL") < next(
        i for i, s in enumerate(sql) if s.startswith('INSERT INTO "mail_rawmail"')
    )
    assert sql[-1] == f"PRAGMA synchronous={before}"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == before
    assert bytes(RawMail.objects.get(pk=stored.pk).data) == eml()
