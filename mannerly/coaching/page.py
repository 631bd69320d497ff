"""What the ticket page shows from the coaching app: triage of each customer message, alerts,
the coached reply box and the handover brief. Called once per render of the ticket page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from mannerly.accounts.models import User
from mannerly.coaching import catalog
from mannerly.coaching.actions import FLAG_KINDS, do_triage_messages
from mannerly.coaching.coach import Coaching, DraftContext, coach_draft, team_settings
from mannerly.coaching.config import build_config, render_signature
from mannerly.coaching.handover import HandoverBrief, handover_brief
from mannerly.coaching.models import MessageTriage
from mannerly.coaching.triage import is_customer_words
from mannerly.tickets.models import Message, Ticket

ALERT_FLAGS = ("abuse", "legal-threat")  # shown as a banner on top of the ticket


@dataclass
class TriageView:
    language: str
    mood: str
    anger: float
    flags: list[tuple[str, str]]
    questions: list[str]
    guidance: list[str]
    latest: bool = False

    @property
    def language_label(self) -> str:
        return str(catalog.LANGUAGES.get(self.language, self.language))

    @property
    def mood_label(self) -> str:
        return str(catalog.MOODS.get(self.mood, self.mood))


def triage_view(row: MessageTriage, *, latest: bool = False) -> TriageView:
    result = row.result
    questions = [q.get("text", "") for q in result.get("questions") or []]
    return TriageView(
        language=result.get("language", ""),
        mood=row.label,
        anger=float((result.get("emotion") or {}).get("anger", 0.0)),
        flags=[(f, str(catalog.FLAGS.get(f, f))) for f in row.flags],
        questions=questions,
        guidance=catalog.guidance(
            list(result.get("guidance_codes") or []),
            list(result.get("guidance") or []),
            len(questions),
        ),
        latest=latest,
    )


@dataclass
class TriageAlert:
    """An abusive or legal message on this ticket, and whether the customer is flagged for it."""

    flag: str
    label: str
    message_ids: list[int] = field(default_factory=list)
    customer_flagged: bool = False


def ticket_coaching(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """Context the ticket page adds: ``coaching``, ``triage_alerts``, ``handover_brief``.

    ``context`` is the page's own: ticket, conversation, reply_form, handover, flags and, when
    the send gate refused a draft, the ``coaching`` of that draft.
    """
    ticket = context["ticket"]
    conversation: list[Message] = context["conversation"]
    triage = do_triage_messages(conversation, config=build_config(team_settings(ticket)))
    latest = next((m for m in reversed(conversation) if is_customer_words(m)), None)
    for message in conversation:
        if message.pk in triage:
            message.coaching_triage = triage_view(triage[message.pk], latest=message is latest)
    draft_context = DraftContext.load(ticket, request.user, conversation)
    coaching: Coaching | None = context.get("coaching")
    if coaching is None:
        coaching = coach_draft(draft_context, context["reply_form"]["body"].value() or "")
    handover = context.get("handover")
    brief: HandoverBrief | None = None
    if handover is not None:
        brief = handover_brief(handover, conversation, triage, draft_context)
    return {
        "coaching": coaching,
        "triage_alerts": triage_alerts(conversation, triage, context.get("flags") or []),
        "handover_brief": brief,
    }


def triage_alerts(
    conversation: list[Message], triage: dict[int, MessageTriage], customer_flags: list
) -> list[TriageAlert]:
    """One banner per alert flag (abuse, legal threat) seen on the ticket, oldest message first."""
    flagged = {f.kind for f in customer_flags}
    alerts: dict[str, TriageAlert] = {}
    for message in conversation:
        row = triage.get(message.pk)
        for flag in row.flags if row else ():
            if flag in ALERT_FLAGS:
                alert = alerts.setdefault(
                    flag,
                    TriageAlert(
                        flag,
                        str(catalog.FLAGS[flag]),
                        customer_flagged=FLAG_KINDS[flag] in flagged,
                    ),
                )
                alert.message_ids.append(message.pk)
    return [alerts[f] for f in ALERT_FLAGS if f in alerts]


def coaching_signature(user: User, ticket: Ticket) -> str:
    """The team's signature template for an agent who has no signature of their own."""
    row = team_settings(ticket)
    if row is None or not row.signature_template.strip():
        return ""
    return render_signature(row.signature_template, user, ticket.team)
