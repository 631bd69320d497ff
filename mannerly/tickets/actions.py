"""Every change to a ticket happens here: the row, its history event and its side effects.

Side effects (mail, service-level deadlines) are called explicitly from these functions and run
after the transaction commits; nothing happens in ``save()`` or in signals.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mannerly.accounts.models import User
from mannerly.sla import tracking as sla
from mannerly.tickets import search
from mannerly.tickets.models import (
    Attachment,
    Customer,
    CustomerEmail,
    CustomerFlag,
    Handover,
    Message,
    Tag,
    Ticket,
    TicketEvent,
    store_blob,
)


class ActionError(ValueError):
    """A request the desk refuses, with a message fit to show the person who made it."""


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _touch(ticket: Ticket, *fields: str) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["updated_at", *fields])


def _triage_later(message: Message) -> None:
    """Have the customer's new words triaged (mood, flags, questions) once they are stored.

    An explicit call, not a signal: coaching queues a task for the worker after commit, so
    storing a message never waits for the etiquette engine.
    """
    from mannerly.coaching.triage import triage_later

    transaction.on_commit(lambda: triage_later(message.pk))


# An uploaded or received file: (filename as the sender named it, content type, bytes).
NewAttachment = tuple[str, str, bytes]


def _attach(message: Message, attachments) -> None:
    """Store files by content hash and list them on the message (the name is only text)."""
    for filename, content_type, data in attachments or ():
        Attachment.objects.create(
            message=message,
            filename=filename[:500] or "attachment",
            content_type=(content_type or "application/octet-stream")[:200],
            size=len(data),
            sha256=store_blob(data),
        )


def do_open_ticket(
    customer: Customer,
    subject: str,
    body_text: str,
    *,
    channel: str = Ticket.Channel.EMAIL,
    author: User | None = None,
    language: str | None = None,
    priority: int = Ticket.Priority.NORMAL,
    team=None,
    created_at=None,
    attachments: list[NewAttachment] | None = None,
    **message_fields,
) -> Ticket:
    """Open a ticket with the customer's first message."""
    now = created_at or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            subject=subject.strip() or _("(no subject)"),
            customer=customer,
            channel=channel,
            language=language or customer.language,
            priority=priority,
            team=team,
            created_at=now,
            updated_at=now,
            last_customer_message_at=now,
        )
        message = Message.objects.create(
            ticket=ticket,
            direction=Message.Direction.IN,
            channel=channel,
            author=author,
            customer=customer,
            subject=ticket.subject,
            body_text=body_text,
            created_at=now,
            **message_fields,
        )
        _attach(message, attachments)
        TicketEvent.record(ticket, author, "created", channel=channel)
        text = search.message_text(message.body_text, message.body_html)
        search.index_ticket(ticket.pk, ticket.subject, texts=[text])
        sla.ticket_opened(ticket, now, first_message=message)
        _triage_later(message)
    return ticket


def do_customer_message(
    ticket: Ticket,
    customer: Customer | None,
    body_text: str,
    *,
    channel: str | None = None,
    author: User | None = None,
    kind: str = Message.Kind.MESSAGE,
    created_at=None,
    attachments: list[NewAttachment] | None = None,
    **message_fields,
) -> Message:
    """Append the customer's message; a real message reopens a waiting or solved ticket."""
    now = created_at or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        message = Message.objects.create(
            ticket=ticket,
            direction=Message.Direction.IN,
            kind=kind,
            channel=channel or ticket.channel,
            author=author,
            customer=customer,
            body_text=body_text,
            created_at=now,
            **message_fields,
        )
        _attach(message, attachments)
        search.index_ticket(ticket.pk, ticket.subject)
        if kind != Message.Kind.MESSAGE:
            TicketEvent.record(ticket, None, kind, message=message.pk)
            return message
        fields = ["last_customer_message_at"]
        ticket.last_customer_message_at = now
        if ticket.status != Ticket.Status.NEW and ticket.status != Ticket.Status.OPEN:
            TicketEvent.record(ticket, author, "reopened", previous=ticket.status)
            ticket.status = Ticket.Status.OPEN
            fields.append("status")
        _touch(ticket, *fields)
        TicketEvent.record(ticket, author, "customer-message", message=message.pk)
        sla.customer_wrote(ticket, now)
        _triage_later(message)
    return message


def do_reply(
    ticket: Ticket,
    agent: User,
    body_text: str,
    *,
    status: str = Ticket.Status.PENDING,
    send_anyway_reason: str = "",
    send_anyway_rules: list[str] | None = None,
    attachments: list[NewAttachment] | None = None,
    **message_fields,
) -> Message:
    """Record the agent's reply to the customer and set the status the agent chose.

    ``send_anyway_reason`` is the agent's reason for sending a draft the etiquette check found
    errors in (``send_anyway_rules``, their rule ids), kept for the supervisor's review.
    """
    if not body_text.strip():
        raise ActionError(_("The reply is empty."))
    if status not in Ticket.Status.values:
        raise ActionError(_("Unknown status."))
    now = timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        message = Message.objects.create(
            ticket=ticket,
            direction=Message.Direction.OUT,
            channel=ticket.channel,
            author=agent,
            from_name=agent.name,
            subject=ticket.subject,
            body_text=body_text,
            created_at=now,
            **message_fields,
        )
        _attach(message, attachments)
        fields = ["last_agent_reply_at", "status"]
        ticket.last_agent_reply_at = now
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
            fields.append("first_responded_at")
        previous = ticket.status
        ticket.status = status
        if ticket.assignee_id is None:
            ticket.assignee = agent
            fields.append("assignee")
        _touch(ticket, *fields)
        TicketEvent.record(
            ticket, agent, "replied", send_anyway_reason, message=message.pk, status=status
        )
        if send_anyway_reason:
            TicketEvent.record(
                ticket,
                agent,
                "sent-anyway",
                send_anyway_reason,
                message=message.pk,
                rules=list(send_anyway_rules or []),
            )
        if ticket.channel == Ticket.Channel.EMAIL:
            # The outbox row is written in this transaction, so no crash after the commit can
            # keep a saved reply from going out; the worker builds and sends it after commit.
            from mannerly.mail.outbox import queue_reply

            queue_reply(message)
        if previous != status:
            TicketEvent.record(ticket, agent, "status", previous=previous, status=status)
        search.index_ticket(ticket.pk, ticket.subject)
        sla.agent_replied(ticket, now)
    return message


def do_add_note(ticket: Ticket, agent: User, body_text: str) -> Message:
    """An internal note: seen by the team, never by the customer."""
    if not body_text.strip():
        raise ActionError(_("The note is empty."))
    with transaction.atomic():
        ticket = _locked(ticket)
        message = Message.objects.create(
            ticket=ticket,
            direction=Message.Direction.INTERNAL,
            kind=Message.Kind.NOTE,
            channel=ticket.channel,
            author=agent,
            from_name=agent.name,
            body_text=body_text,
        )
        _touch(ticket)
        TicketEvent.record(ticket, agent, "note", message=message.pk)
        search.index_ticket(ticket.pk, ticket.subject)
    return message


def do_assign(
    ticket: Ticket, actor: User, assignee: User | None, *, handover_note: str = ""
) -> Ticket:
    """Give the ticket to another agent; taking it from a colleague needs a handover note."""
    if assignee is not None and not assignee.is_staff_member:
        raise ActionError(_("Tickets can only be assigned to agents."))
    with transaction.atomic():
        ticket = _locked(ticket)
        previous = ticket.assignee
        if previous == assignee:
            return ticket
        changes_hands = previous is not None and assignee is not None
        if changes_hands and not handover_note.strip():
            raise ActionError(
                _("Write a handover note: what was promised and what is still pending.")
            )
        ticket.assignee = assignee
        _touch(ticket, "assignee")
        TicketEvent.record(
            ticket,
            actor,
            "assigned",
            previous=previous.pk if previous else None,
            assignee=assignee.pk if assignee else None,
        )
        if handover_note.strip():
            Handover.objects.create(
                ticket=ticket, from_user=previous or actor, to_user=assignee, note=handover_note
            )
            TicketEvent.record(ticket, actor, "handover", handover_note)
        sla.ticket_changed(ticket, ticket.updated_at)
    return ticket


def do_bulk_assign(
    tickets: list[Ticket], actor: User, assignee: User | None, *, handover_note: str = ""
) -> int:
    """Assign many tickets at once, all or none: one ticket that needs a note stops them all."""
    with transaction.atomic():
        for ticket in tickets:
            do_assign(ticket, actor, assignee, handover_note=handover_note)
    return len(tickets)


def do_bulk_status(tickets: list[Ticket], actor: User, status: str) -> int:
    """Set the status of many tickets at once, all or none."""
    with transaction.atomic():
        for ticket in tickets:
            do_change_status(ticket, actor, status)
    return len(tickets)


def do_change_status(ticket: Ticket, actor: User, status: str, *, reason: str = "") -> Ticket:
    if status not in Ticket.Status.values:
        raise ActionError(_("Unknown status."))
    with transaction.atomic():
        ticket = _locked(ticket)
        previous = ticket.status
        if previous == status:
            return ticket
        ticket.status = status
        fields = ["status"]
        if status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED) and ticket.solved_at is None:
            ticket.solved_at = timezone.now()
            fields.append("solved_at")
        elif status in Ticket.ACTIVE_STATUSES and ticket.solved_at is not None:
            ticket.solved_at = None
            fields.append("solved_at")
        _touch(ticket, *fields)
        TicketEvent.record(ticket, actor, "status", reason, previous=previous, status=status)
        sla.ticket_changed(ticket, ticket.updated_at)
    return ticket


def do_update_ticket(ticket: Ticket, actor: User, **changes) -> Ticket:
    """Change priority, team, language or tags, recording each change."""
    allowed = {"priority", "team", "language", "tags", "subject"}
    unknown = set(changes) - allowed
    if unknown:
        raise ActionError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        ticket = _locked(ticket)
        tags = changes.pop("tags", None)
        fields = []
        for name, value in changes.items():
            old = getattr(ticket, name)
            if old != value:
                setattr(ticket, name, value)
                fields.append(name)
                TicketEvent.record(
                    ticket, actor, f"set-{name}", previous=str(old), value=str(value)
                )
        if tags is not None:
            before = sorted(ticket.tags.values_list("name", flat=True))
            ticket.tags.set(tags)
            after = sorted(t.name for t in tags)
            if before != after:
                TicketEvent.record(ticket, actor, "set-tags", previous=before, value=after)
        _touch(ticket, *fields)
        if "subject" in fields:
            search.index_ticket(ticket.pk, ticket.subject)
        sla.ticket_changed(ticket, ticket.updated_at)
    return ticket


def tags_named(names: list[str]) -> list[Tag]:
    """The tags with these names, creating the ones that do not exist yet (tags are free-form)."""
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in existing:
            existing[name], _created = Tag.objects.get_or_create(name=name)
    return [existing[name] for name in names]


def do_merge(source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Move every message of ``source`` into ``target`` and close ``source`` as merged."""
    if source.pk == target.pk:
        raise ActionError(_("A ticket cannot be merged into itself."))
    if source.customer_id != target.customer_id:
        raise ActionError(_("Only tickets of the same customer can be merged."))
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])  # lock in a fixed order: no deadlock
        locked = {
            t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[first, second])
        }
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id:
            raise ActionError(_("This ticket was already merged."))
        moved = source.messages.update(ticket=target)
        source.merged_into = target
        source.status = Ticket.Status.CLOSED
        _touch(source, "merged_into", "status")
        if source.last_customer_message_at and (
            not target.last_customer_message_at
            or source.last_customer_message_at > target.last_customer_message_at
        ):
            target.last_customer_message_at = source.last_customer_message_at
        if target.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
            target.status = Ticket.Status.OPEN
        _touch(target, "last_customer_message_at", "status")
        TicketEvent.record(source, actor, "merged-into", target=target.pk, messages=moved)
        TicketEvent.record(target, actor, "merged-from", source=source.pk, messages=moved)
        search.index_ticket(source.pk, source.subject)
        search.index_ticket(target.pk, target.subject)
        sla.tickets_merged(source, target, target.updated_at)
    return target


def do_split(message: Message, actor: User, *, subject: str = "") -> Ticket:
    """Move one customer message into a ticket of its own (a second request in one mail)."""
    if message.direction != Message.Direction.IN:
        raise ActionError(_("Only a customer's message can be split into a new ticket."))
    with transaction.atomic():
        source = _locked(message.ticket)
        if source.messages.count() < 2:
            raise ActionError(_("The ticket has only this message; there is nothing to split."))
        ticket = Ticket.objects.create(
            subject=subject.strip() or message.subject or source.subject,
            customer=source.customer,
            channel=source.channel,
            language=source.language,
            priority=source.priority,
            team=source.team,
            assignee=source.assignee,
            created_at=message.created_at,
            last_customer_message_at=message.created_at,
        )
        Message.objects.filter(pk=message.pk).update(ticket=ticket)
        _touch(source)
        TicketEvent.record(source, actor, "split-out", message=message.pk, new_ticket=ticket.pk)
        TicketEvent.record(ticket, actor, "split-from", message=message.pk, from_ticket=source.pk)
        search.index_ticket(source.pk, source.subject)
        search.index_ticket(ticket.pk, ticket.subject)
        sla.ticket_split(source, ticket, source.updated_at)
    return ticket


def do_flag_customer(customer: Customer, actor: User, kind: str, note: str = "") -> CustomerFlag:
    """Warn every agent who meets this customer next, on every ticket."""
    if kind not in CustomerFlag.Kind.values:
        raise ActionError(_("Unknown flag."))
    flag, _created = CustomerFlag.objects.update_or_create(
        customer=customer,
        kind=kind,
        active=True,
        defaults={"note": note, "created_by": actor},
    )
    return flag


def do_create_customer(
    actor: User | None,
    name: str,
    emails: list[str] | tuple[str, ...] = (),
    **fields,
) -> Customer:
    """Add a customer with their addresses; the first address is the primary one."""
    emails = _new_addresses(emails)
    with transaction.atomic():
        customer = Customer.objects.create(name=name.strip(), **fields)
        _set_emails(customer, emails)
    return customer


def do_update_customer(customer: Customer, actor: User | None, **changes) -> Customer:
    """Change a customer's record; ``emails`` replaces the addresses (the first is primary)."""
    allowed = {"name", "language", "time_zone", "notes", "organization", "emails"}
    unknown = set(changes) - allowed
    if unknown:
        raise ActionError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    emails = changes.pop("emails", None)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        fields = [name for name, value in changes.items() if getattr(customer, name) != value]
        for name in fields:
            setattr(customer, name, changes[name])
        if fields:
            customer.save(update_fields=fields)
        if emails is not None:
            _set_emails(customer, _new_addresses(emails, customer=customer))
    return customer


def _new_addresses(emails, customer: Customer | None = None) -> list[str]:
    """Addresses cleaned and de-duplicated; one that belongs to another customer is refused."""
    cleaned = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    taken = CustomerEmail.objects.filter(email__in=cleaned)
    if customer is not None:
        taken = taken.exclude(customer=customer)
    clash = taken.values_list("email", flat=True).first()
    if clash:
        raise ActionError(_("%(email)s already belongs to another customer.") % {"email": clash})
    return cleaned


def _set_emails(customer: Customer, emails: list[str]) -> None:
    customer.emails.exclude(email__in=emails).delete()
    for position, email in enumerate(emails):
        CustomerEmail.objects.update_or_create(
            customer=customer, email=email, defaults={"is_primary": position == 0}
        )


def do_unflag_customer(flag: CustomerFlag, actor: User) -> CustomerFlag:
    """Retire a warning; it stays in the record as inactive."""
    if flag.active:
        flag.active = False
        flag.save(update_fields=["active"])
    return flag
