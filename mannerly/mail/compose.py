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


def mailbox_for_ticket(ticket: Ticket) -> Mailbox | None:
    """The mailbox the customer wrote to, else the team's, else the first one configured."""
    received = (
        RawMail.objects.filter(ticket=ticket, mailbox__isnull=False, mailbox__active=True)
        .order_by("-pk")
        .select_related("mailbox__team")
        .defer("data")
        .first()
    )
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
    ticket: Ticket, *, reply_all: bool
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    own = mailboxes.own_addresses()
    people = [
        (p.name, p.email)
        for p in Participant.objects.filter(ticket=ticket, active=True)
        if not mailboxes.is_own(p.email, own)
    ]
    last_in = (
        Message.objects.filter(
            ticket=ticket, direction=Message.Direction.IN, kind=Message.Kind.MESSAGE
        )
        .exclude(from_email="")
        .order_by("-created_at", "-pk")
        .values_list("from_email", flat=True)
        .first()
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


def _thread_headers(ticket: Ticket, message: Message) -> tuple[str, list[str]]:
    parent = (
        Message.objects.filter(ticket=ticket)
        .exclude(direction=Message.Direction.INTERNAL)
        .exclude(message_id="")
        .exclude(pk=message.pk)
        .order_by("-created_at", "-pk")
        .first()
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

    def new_message_id(self, ticket_id: int) -> str:
        return new_message_id(ticket_id, self.from_address.rpartition("@")[2] or "localhost")


def addressing(message: Message, *, automatic: bool = False) -> Addressing:
    ticket = message.ticket
    mailbox = mailbox_for_ticket(ticket)
    from_name, from_address = _sender(ticket, mailbox, message.author)
    to, cc = _recipients(ticket, reply_all=not automatic)
    return Addressing(mailbox, from_name, from_address, to, cc)


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
    in_reply_to, references = _thread_headers(ticket, message)
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
    for attachment in message.attachments.all():
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
