"""Build the exact bytes of a reply: who it is from and to, its subject and thread headers.

Replies keep the thread's subject ("Re: " once, never "Re: Re:"), carry the ticket token and a
signed Message-ID that names the ticket, set In-Reply-To and References, and go to everyone on
the thread except our own addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from django.utils import timezone

from mannerly.mail import mailboxes
from mannerly.mail.models import Mailbox, Participant, RawMail
from mannerly.mail.threads import looks_like_reply, new_message_id, ticket_token, token_pattern
from mannerly.tickets.models import Message, Ticket

MAX_REFERENCES = 20


class ComposeError(ValueError):
    """The reply cannot be built (no recipient, ...); the text says why."""


@dataclass
class Built:
    msgid: str
    from_address: str
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    subject: str
    in_reply_to: str
    references: list[str]
    data: bytes
    mailbox: Mailbox | None
    recipients: list[str] = field(default_factory=list)


def single_line(value: str) -> str:
    """Header values never carry CR or LF: nothing from a message can inject a header."""
    return " ".join(str(value or "").split())


def reply_subject(subject: str, ticket_id: int) -> str:
    subject = single_line(subject)
    if not looks_like_reply(subject):
        subject = f"Re: {subject}".strip()
    if not token_pattern().search(subject):
        subject = f"{subject} {ticket_token(ticket_id)}"
    return subject


@dataclass
class Thread:
    """What addressing and guarding mail reads from a ticket's history. ``read_threads`` reads
    it for a whole batch of tickets in three queries, whatever the batch size."""

    messages: list[Message]  # oldest first, without bodies
    received: list[RawMail]  # newest first, without bytes
    participants: list[Participant]  # active ones

    def last_in(self, *, kind: str | None = None) -> Message | None:
        """The latest incoming message (of this kind)."""
        incoming = (m for m in reversed(self.messages) if m.direction == Message.Direction.IN)
        return next((m for m in incoming if kind is None or m.kind == kind), None)


def read_threads(ticket_ids: set[int]) -> dict[int, Thread]:
    """Every ticket's thread, in three queries for any number of tickets."""
    threads = {pk: Thread([], [], []) for pk in ticket_ids}
    messages = Message.objects.filter(ticket_id__in=ticket_ids).defer("body_text", "body_html")
    for message in messages.order_by("created_at", "pk"):
        threads[message.ticket_id].messages.append(message)
    received = RawMail.objects.filter(ticket_id__in=ticket_ids).defer("data").order_by("-pk")
    for raw in received.select_related("mailbox__team"):
        threads[raw.ticket_id].received.append(raw)
    for person in Participant.objects.filter(ticket_id__in=ticket_ids, active=True):
        threads[person.ticket_id].participants.append(person)
    return threads


def read_thread(ticket_id: int) -> Thread:
    return read_threads({ticket_id})[ticket_id]


def mailbox_for_ticket(ticket: Ticket, thread: Thread) -> Mailbox | None:
    """The mailbox the customer wrote to, else the team's, else the first one configured."""
    received = next((r for r in thread.received if r.mailbox and r.mailbox.active), None)
    if received is not None:
        return received.mailbox
    if ticket.team_id:
        team_box = mailboxes.team_mailbox(ticket.team_id)
        if team_box is not None:
            return team_box
    return mailboxes.default_mailbox()


def _sender(ticket: Ticket, mailbox: Mailbox | None, agent) -> tuple[str, str]:
    if mailbox is not None:
        address = mailbox.address
        desk = mailbox.display_name or (mailbox.team.name if mailbox.team else "")
    else:
        address = ticket.team.email if ticket.team and ticket.team.email else ""
        address = address or settings.DEFAULT_FROM_EMAIL
        desk = ticket.team.name if ticket.team else ""
    desk = desk or "Support"
    name = f"{agent.name} via {desk}" if agent is not None else desk
    return single_line(name), address.lower()


def _recipients(
    ticket: Ticket, thread: Thread, *, reply_all: bool
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    own = mailboxes.own_addresses()
    people = [(p.name, p.email) for p in thread.participants if not mailboxes.is_own(p.email, own)]
    last_in = next(
        (
            m.from_email
            for m in reversed(thread.messages)
            if m.direction == Message.Direction.IN
            and m.kind == Message.Kind.MESSAGE
            and m.from_email
        ),
        None,
    )
    main = next((p for p in people if p[1] == (last_in or "").lower()), None)
    if main is None and people:
        main = people[0]
    if main is None:
        email = ticket.customer.email
        if email and not mailboxes.is_own(email, own):
            main = (ticket.customer.name, email)
    if main is None:
        raise ComposeError("the ticket has no email address to reply to")
    others = [p for p in people if p[1] != main[1]] if reply_all else []
    return [main], others


def _thread_headers(thread: Thread, message: Message) -> tuple[str, list[str]]:
    parent = next(
        (
            m
            for m in reversed(thread.messages)
            if m.direction != Message.Direction.INTERNAL
            and m.message_id
            and (message.pk is None or m.pk != message.pk)
        ),
        None,
    )
    if parent is None:
        return "", []
    chain = [r for r in (parent.references or []) if isinstance(r, str) and r]
    chain = list(dict.fromkeys([*chain, parent.message_id]))
    if len(chain) > MAX_REFERENCES:  # RFC 5322 3.6.4: keep the first and the latest
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return single_line(parent.message_id), [single_line(r) for r in chain]


def _body(message: Message) -> str:
    body = message.body_text.rstrip()
    agent = message.author
    signature = (getattr(agent, "signature", "") or "").strip()
    if signature and not body.endswith(signature):
        body = f"{body}\n\n-- \n{signature}"
    return body + "\n"


def _address(name: str, email: str) -> HeaderAddress:
    local, _, domain = email.rpartition("@")
    return HeaderAddress(display_name=single_line(name), username=local, domain=domain)


@dataclass
class Addressing:
    """Decided when the mail is queued: the mailbox, our address and the recipients."""

    mailbox: Mailbox | None
    from_name: str
    from_address: str
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    thread: Thread

    def new_message_id(self, ticket_id: int) -> str:
        return new_message_id(ticket_id, self.from_address.rpartition("@")[2] or "localhost")


def addressing(
    message: Message, *, automatic: bool = False, thread: Thread | None = None
) -> Addressing:
    """Who the mail goes from and to; ``thread`` when the caller read it (for a batch)."""
    ticket = message.ticket
    thread = thread or read_thread(ticket.pk)
    mailbox = mailbox_for_ticket(ticket, thread)
    from_name, from_address = _sender(ticket, mailbox, message.author)
    to, cc = _recipients(ticket, thread, reply_all=not automatic)
    return Addressing(mailbox, from_name, from_address, to, cc, thread)


def build(
    message: Message, msgid: str, *, automatic: bool = False, who: Addressing | None = None
) -> Built:
    """The mail's bytes, built once and stored: a retry sends exactly these. A reply is built at
    its first send attempt (so attachments added in the replying transaction are included);
    ``who`` is the addressing already decided when the caller has it."""
    ticket = message.ticket
    who = who or addressing(message, automatic=automatic)
    mailbox, from_name, from_address, to, cc = (
        who.mailbox,
        who.from_name,
        who.from_address,
        who.to,
        who.cc,
    )
    in_reply_to, references = _thread_headers(who.thread, message)
    subject = reply_subject(ticket.subject, ticket.pk)

    mail = EmailMessage(policy=policy.SMTP)
    mail["From"] = _address(from_name, from_address)
    mail["To"] = [_address(n, e) for n, e in to]
    if cc:
        mail["Cc"] = [_address(n, e) for n, e in cc]
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = msgid
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = " ".join(references)
    if automatic:
        # RFC 3834: tell other robots not to answer this one.
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(_body(message))
    # A message not saved yet (automatic mail built as it is queued) has no attachments.
    for attachment in message.attachments.all() if message.pk else ():
        maintype, _, subtype = (attachment.content_type or "application/octet-stream").partition(
            "/"
        )
        mail.add_attachment(
            attachment.read(),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=single_line(attachment.filename) or "attachment",
        )
    return Built(
        msgid=msgid,
        from_address=from_address,
        to=to,
        cc=cc,
        subject=subject,
        in_reply_to=in_reply_to,
        references=references,
        data=mail.as_bytes(),
        mailbox=mailbox,
        recipients=list(dict.fromkeys(e.lower() for _n, e in [*to, *cc])),
    )
