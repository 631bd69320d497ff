"""A group of messages taken together: a few queries for the group, the same rows as one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from mailhelpers import eml

from mannerly.coaching.models import MessageTriage
from mannerly.mail import ingest, intake
from mannerly.mail.models import Participant, RawMail, ThreadLink
from mannerly.mail.sources import Item
from mannerly.sla.models import SlaAction, TicketSla
from mannerly.tickets.models import Customer, Message, Ticket, TicketEvent
from mannerly.worker import run_ready_tasks

pytestmark = pytest.mark.django_db


def threads(prefix: str, count: int, *, date: str = "") -> list[bytes]:
    """``count`` messages in fours: a new thread, a reply by header, a reply by subject only
    and an out-of-office answer, from a sender per thread."""
    raws = []
    for n in range(count // 4):
        sender = f"Person {prefix}{n} <p{prefix}{n}@example.com>"
        first = f"<{prefix}{n}.1@example.com>"
        subject = f"Order {prefix}{n} has not arrived"
        raws += [
            eml(subject=subject, sender=sender, message_id=first, date=date),
            eml(
                subject=f"Re: {subject}",
                sender=sender,
                message_id=f"<{prefix}{n}.2@example.com>",
                in_reply_to=first,
                references=first,
                cc=f"Boss <boss{n}@example.com>",
                date=date,
            ),
            eml(
                subject=f"RE: {subject}",
                sender=sender,
                message_id=f"<{prefix}{n}.3@example.com>",
                date=date,
            ),
            eml(
                subject=f"Automatic reply: {subject}",
                sender=sender,
                message_id=f"<{prefix}{n}.4@example.com>",
                in_reply_to=first,
                extra="Auto-Submitted: auto-replied",
                date=date,
            ),
        ]
    return raws


def take(raws: list[bytes], prefix: str = "g") -> list[ingest.Outcome]:
    items = [Item(f"{prefix}/{i}", raw) for i, raw in enumerate(raws)]
    return list(ingest.ingest_items(items, batch=len(items)))


def test_a_group_of_forty_costs_the_queries_of_a_group_of_eight(mailbox):
    take(threads("h", 8))  # some history: known customers, tickets and thread ids
    with CaptureQueriesContext(connection) as eight:
        outcomes = take(threads("a", 8), "a")
    with CaptureQueriesContext(connection) as forty:
        more = take(threads("b", 40), "b")
    assert [o.action for o in outcomes + more] == [
        "created",
        "appended",
        "appended",
        "auto-reply",
    ] * 12
    assert len(forty.captured_queries) == len(eight.captured_queries)
    assert len(forty.captured_queries) < 40, [q["sql"][:90] for q in forty.captured_queries]


def test_a_message_the_grouped_path_cannot_take_is_taken_alone(mailbox, monkeypatch):
    real = intake.Taking._create

    def create_failing_for_one(self, customer, given):
        if self.mail.message_id == "<a1.1@example.com>":
            raise RuntimeError("a bug in the grouped path")
        return real(self, customer, given)

    monkeypatch.setattr(intake.Taking, "_create", create_failing_for_one)
    outcomes = take(threads("a", 12))
    assert [o.action for o in outcomes] == ["created", "appended", "appended", "auto-reply"] * 3
    # The group was rolled back and taken one by one: everything is stored once.
    assert Ticket.objects.count() == 3
    assert Message.objects.count() == 12
    assert not RawMail.objects.exclude(status="done").exists()


def rows() -> dict[str, list[tuple]]:
    """What intake writes, in order, rows named by what they hold rather than by their ids
    (PostgreSQL hands a group its ids in blocks, so they may leave gaps), without the columns
    that hold the moment of the run."""
    msgid = dict(Message.objects.values_list("pk", "message_id"))
    events = TicketEvent.objects.order_by("pk").values_list("ticket__subject", "kind", "data")
    return {
        "customers": list(Customer.objects.order_by("pk").values_list("name", "language")),
        "tickets": list(
            Ticket.objects.order_by("pk").values_list(
                "subject",
                "status",
                "customer__name",
                "team_id",
                "created_at",
                "last_customer_message_at",
                "first_response_due",
                "resolution_due",
            )
        ),
        "messages": list(
            Message.objects.order_by("pk").values_list(
                "message_id",
                "ticket__subject",
                "kind",
                "customer__name",
                "subject",
                "body_text",
                "created_at",
                "cc",
            )
        ),
        "events": [
            (subject, kind, {**data, "message": msgid.get(data.get("message"))})
            for subject, kind, data in events
        ],
        "clocks": list(
            TicketSla.objects.order_by("pk").values_list(
                "ticket__subject", "awaiting_since", "checkpoints", "running"
            )
        ),
        "breaches": list(SlaAction.objects.values_list("ticket__subject", "metric", "cycle")),
        "links": list(
            ThreadLink.objects.order_by("pk").values_list("key", "message__message_id", "own")
        ),
        "people": list(
            Participant.objects.order_by("pk").values_list("ticket__subject", "email", "name")
        ),
        "results": list(
            RawMail.objects.order_by("pk").values_list(
                "source", "action", "reason", "ticket__subject", "message__message_id"
            )
        ),
    }


def test_taken_together_or_one_by_one_the_rows_are_the_same(mailbox, monkeypatch):
    day = "Mon, 02 Mar 2026 09:00:00 +0100"
    raws = threads("a", 8, date=day) + threads("a", 4, date=day) + threads("b", 8, date=day)
    take(raws[:4])
    take(raws[4:])
    together = rows()
    assert {action for _source, action, *_ in together["results"]} == {
        "created",
        "appended",
        "auto-reply",
        "duplicate",
    }

    for model in (SlaAction, TicketEvent, TicketSla, Participant, ThreadLink, RawMail):
        model.objects.all().delete()
    Message.objects.all().delete()
    Ticket.objects.all().delete()
    Customer.objects.all().delete()

    def fail(*args, **kwargs):
        raise RuntimeError("one by one")

    monkeypatch.setattr(intake, "take_group", fail)
    take(raws[:4])
    take(raws[4:])
    assert rows() == together


# Committed for real: the triage task is queued after commit.
@pytest.mark.django_db(transaction=True)
def test_a_group_queues_one_triage_task_for_its_customer_messages(mailbox):
    take(threads("a", 8))
    assert DBTaskResult.objects.ready().count() == 1
    assert run_ready_tasks() == 1
    triaged = set(MessageTriage.objects.values_list("message_id", flat=True))
    customer_words = Message.objects.filter(kind=Message.Kind.MESSAGE)
    assert triaged == set(customer_words.values_list("pk", flat=True))
    assert len(triaged) == 6  # not the two out-of-office answers


def test_a_group_naming_more_ids_than_one_query_takes_reads_them_in_chunks(mailbox, monkeypatch):
    take(threads("h", 8))
    monkeypatch.setattr(intake, "IN_CHUNK", 2)  # SQLite takes 32,766 parameters at most
    outcomes = take(threads("h", 8) + threads("a", 8), "a")
    assert [o.action for o in outcomes[:8]] == ["duplicate"] * 8
    assert [o.action for o in outcomes[8:]] == ["created", "appended", "appended", "auto-reply"] * 2
    assert len({o.ticket for o in outcomes[8:]}) == 2
