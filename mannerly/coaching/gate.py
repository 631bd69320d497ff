"""The send gate: a reply with errors is refused unless the agent gives a reason to send anyway.

The reply view calls ``check_reply`` on every POST, so the gate holds without JavaScript and
cannot be skipped by posting the form by hand. Warnings and tips never block.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import ngettext

from mannerly.accounts.models import User
from mannerly.coaching.coach import Coaching, DraftContext, coach_draft
from mannerly.tickets.models import Ticket

logger = logging.getLogger(__name__)

MAX_REASON = 1000


@dataclass
class GateDecision:
    coaching: Coaching | None
    refused: bool = False
    reason: str = ""  # what to record as the send-anyway reason ("" when nothing was overridden)
    error: str = ""

    @property
    def error_rules(self) -> list[str]:
        return self.coaching.error_rules if self.coaching else []


def check_reply(ticket: Ticket, agent: User, draft: str, reason: str = "") -> GateDecision:
    """Lint the draft as sent and decide whether it may go out."""
    try:
        coaching = coach_draft(DraftContext.load(ticket, agent), draft)
    except Exception:  # a checker bug must never stop the desk from answering customers
        logger.exception("the etiquette check failed on a reply to ticket %s", ticket.pk)
        return GateDecision(None)
    if coaching.ok:
        return GateDecision(coaching)
    reason = (reason or "").strip()[:MAX_REASON]
    if reason:
        return GateDecision(coaching, reason=reason)
    error = ngettext(
        "The reply has %(count)d error. Fix it, or choose “Send anyway” and say why.",
        "The reply has %(count)d errors. Fix them, or choose “Send anyway” and say why.",
        coaching.errors,
    ) % {"count": coaching.errors}
    return GateDecision(coaching, refused=True, error=error)
