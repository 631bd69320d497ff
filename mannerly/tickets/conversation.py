"""The ticket page's conversation as display data: one entry per message, computed in one pass.

The page used to work each message's header out in template logic (author, badges, dates,
attachment links, the split form's URL), one ``{% include %}`` per message. Template lookups
and includes cost far more than the same work in Python, and the ticket page is rendered on
every visit, so the values are prepared here and the template only places them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mannerly.tickets.models import Attachment, Message, Ticket
from mannerly.tickets.templatetags.desk import filesize, initials

AUTO_KINDS = (Message.Kind.AUTO_REPLY, Message.Kind.BOUNCE)  # badged as automatic mail
KIND_LABELS = dict(Message.Kind.choices)
CHANNEL_LABELS = dict(Ticket.Channel.choices)


@dataclass
class AttachmentLink:
    url: str
    filename: str
    size: str


@dataclass
class ConversationEntry:
    """What the page shows of one message besides its body and triage."""

    message: Message
    author: str
    initials: str
    css_class: str
    auto_label: str  # "Automatic reply" or "Bounce"; empty for people's messages
    channel_label: str
    created_iso: str
    created_text: str
    attachments: list[AttachmentLink]
    split_url: str  # empty when the message cannot be split off


def conversation_entries(
    ticket: Ticket, conversation: list[Message], attachments: dict[int, list[Attachment]]
) -> list[ConversationEntry]:
    """One entry per message, in conversation order, with its ``attachments`` (by message key).
    Customer messages get a split form when the ticket holds more than one message."""
    can_split = len(conversation) > 1
    return [_entry(ticket, m, attachments.get(m.pk, ()), can_split) for m in conversation]


def _entry(
    ticket: Ticket, message: Message, attachments: Iterable[Attachment], can_split: bool
) -> ConversationEntry:
    author = _author(message)
    css_class = f"msg msg-{message.direction}"
    if message.kind not in (Message.Kind.MESSAGE, Message.Kind.NOTE):
        css_class += " msg-auto"
    created = timezone.localtime(message.created_at)
    splittable = can_split and message.direction == Message.Direction.IN
    return ConversationEntry(
        message=message,
        author=author,
        initials=initials(author),
        css_class=css_class,
        auto_label=str(KIND_LABELS[message.kind]) if message.kind in AUTO_KINDS else "",
        channel_label=str(CHANNEL_LABELS.get(message.channel, message.channel)),
        created_iso=created.isoformat(),  # as the template filter date:"c" writes it
        created_text=formats.date_format(created, "DATETIME_FORMAT"),
        attachments=[
            AttachmentLink(reverse("tickets:attachment", args=[f.pk]), f.filename, filesize(f.size))
            for f in attachments
        ],
        split_url=reverse("tickets:split", args=[ticket.pk, message.pk]) if splittable else "",
    )


def _author(message: Message) -> str:
    """Who wrote the message, as the desk shows it (``author_name`` from page_messages)."""
    if message.author_id:
        return message.author_name
    if message.from_name:
        return message.from_name
    if message.customer_id:
        return message.customer.name
    return _("Unknown sender")
