"""The handover brief: what an agent taking over a ticket must know before writing.

The handover note says what the colleague remembered to write down; the brief adds what the
conversation itself holds: the customer's questions no reply has answered yet, the times the
previous agent promised, and the customer's flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mannerly.coaching.coach import DraftContext
from mannerly.coaching.models import MessageTriage
from mannerly.coaching.promises import Promise, find_promises
from mannerly.coaching.triage import is_customer_words, message_text
from mannerly.etiquette import lint
from mannerly.tickets.models import Handover, Message

MAX_MESSAGES = 8  # the customer's latest messages read for open questions
MAX_PROMISES = 6


@dataclass
class OpenQuestion:
    text: str
    asked_at: datetime
    message_id: int


@dataclass
class HandoverBrief:
    handover: Handover
    open_questions: list[OpenQuestion] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # triage flags seen on this ticket

    @property
    def empty(self) -> bool:
        return not (self.open_questions or self.promises or self.flags)


def handover_brief(
    handover: Handover,
    conversation: list[Message],
    triage: dict[int, MessageTriage],
    context: DraftContext,
) -> HandoverBrief:
    brief = HandoverBrief(handover)
    brief.open_questions = open_questions(conversation, triage, context)
    brief.promises = promises_by(handover.from_user_id, conversation, context.ticket.language)
    seen: dict[str, None] = {}
    for message in conversation:
        row = triage.get(message.pk)
        for flag in row.flags if row else ():
            seen.setdefault(flag, None)
    brief.flags = list(seen)
    return brief


def open_questions(
    conversation: list[Message], triage: dict[int, MessageTriage], context: DraftContext
) -> list[OpenQuestion]:
    """The customer's questions that no later reply answers (the engine's questions-answered)."""
    customer = [m for m in conversation if is_customer_words(m) and m.pk in triage]
    out = []
    for message in customer[-MAX_MESSAGES:]:
        asked = triage[message.pk].questions
        if not asked:
            continue
        replies = [
            m.body_text
            for m in conversation
            if m.direction == Message.Direction.OUT and _after(m, message) and m.body_text.strip()
        ]
        if not replies:
            out.extend(OpenQuestion(q["text"], message.created_at, message.pk) for q in asked)
            continue
        result = lint(
            "\n\n".join(replies),
            message=message_text(message),
            customer=context.ticket.customer.name,
            lang=context.ticket.language,
            config=context.config,
        )
        out.extend(
            OpenQuestion(q["text"], message.created_at, message.pk)
            for q in result.get("questions") or []
            if not q["answered"]
        )
    return out


def _after(reply: Message, message: Message) -> bool:
    return (reply.created_at, reply.pk) > (message.created_at, message.pk)


def promises_by(user_id: int | None, conversation: list[Message], lang: str) -> list[Promise]:
    """Times the previous owner promised in replies, newest first (anyone's without an owner)."""
    found: list[Promise] = []
    for message in conversation:
        if message.direction != Message.Direction.OUT:
            continue
        if user_id is not None and message.author_id != user_id:
            continue
        found.extend(find_promises(message.body_text, message.created_at, lang))
    found.reverse()
    return found[:MAX_PROMISES]
