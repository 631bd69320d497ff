"""Reading a customer's message once: which messages get triage, their text, and when it runs.

Triage is computed once per inbound message and stored (``MessageTriage``). Two paths write it,
both through ``actions.do_triage_messages``:

- the ticket actions that store a customer's message enqueue a one-off task after commit
  (``triage_later``); the worker runs it, so receiving mail never waits for the engine;
- the ticket page backfills whatever is still missing (a message stored before coaching
  existed, or the worker has not got to it yet) before it renders. The engine is pure and fast
  once loaded (milliseconds per message), and the row is written once, so a page view pays for
  it at most once per message.
"""

from __future__ import annotations

import logging

from mannerly.tickets.models import Message

logger = logging.getLogger(__name__)

# Bumped when a change of the engine should recompute stored triage (see MessageTriage.engine).
ENGINE_REVISION = "2026-12"


def is_customer_words(message: Message) -> bool:
    """Messages triage reads: a customer's own messages, not auto-replies, bounces or notes."""
    return message.direction == Message.Direction.IN and message.kind == Message.Kind.MESSAGE


def message_text(message: Message) -> str:
    """The message as plain text for the engine (HTML-only mail is flattened, quotes kept as >)."""
    if message.body_text.strip():
        return message.body_text
    if message.body_html:
        from mannerly.mail.html import html_to_text

        return html_to_text(message.body_html)
    return ""


def triage_later(message_id: int) -> None:
    """Queue the triage of a stored customer message for the worker (called after commit)."""
    from mannerly.coaching.tasks import triage_message

    try:
        triage_message.enqueue(message_id)
    except Exception:  # the page backfills it; a queue problem must not fail the caller
        logger.exception("could not queue the triage of message %s", message_id)


def triage_many_later(message_ids: list[int]) -> None:
    """Queue the triage of several stored customer messages as one task (mail intake's group)."""
    from mannerly.coaching.tasks import triage_messages

    try:
        triage_messages.enqueue(message_ids)
    except Exception:  # the page backfills them; a queue problem must not fail the caller
        logger.exception("could not queue the triage of %s messages", len(message_ids))
