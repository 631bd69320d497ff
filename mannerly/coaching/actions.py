"""Every change the coaching app makes: stored triage, team settings, flags raised from triage."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mannerly.accounts.models import Team, User
from mannerly.coaching.config import build_config
from mannerly.coaching.models import MessageTriage, TeamEtiquette
from mannerly.coaching.triage import ENGINE_REVISION, is_customer_words, message_text
from mannerly.etiquette import TeamConfig, triage
from mannerly.tickets import actions as ticket_actions
from mannerly.tickets.models import CustomerFlag, Message, Ticket, TicketEvent

logger = logging.getLogger(__name__)

# Triage flags an agent may turn into a flag on the customer, which then shows on every ticket.
FLAG_KINDS = {"abuse": CustomerFlag.Kind.ABUSIVE, "legal-threat": CustomerFlag.Kind.LEGAL}


def do_triage_messages(
    messages: Iterable[Message], *, config: TeamConfig | None = None
) -> dict[int, MessageTriage]:
    """The stored triage of these messages, computing and storing what is missing.

    Only a customer's own messages are read, with their team's settings (``config`` when the
    caller has them: the messages of one ticket). Two writers racing on one message (the worker
    and a page view) both compute it; the unique message key keeps one row, and both are equal.
    """
    todo = [m for m in messages if is_customer_words(m)]
    if not todo:
        return {}
    found = {t.message_id: t for t in MessageTriage.objects.filter(message__in=todo)}
    missing = [m for m in todo if m.pk not in found]
    if not missing:
        return found
    configs: dict[int | None, TeamConfig] = {}
    new = []
    for message in missing:
        team_id = _team_id(message)
        if config is not None:
            configs[team_id] = config
        elif team_id not in configs:
            configs[team_id] = build_config(TeamEtiquette.objects.filter(team_id=team_id).first())
        try:
            result = triage(message_text(message), config=configs[team_id])
        except Exception:  # an engine bug must not take the ticket page down
            logger.exception("triage failed for message %s", message.pk)
            continue
        new.append(MessageTriage(message=message, result=result, engine=ENGINE_REVISION))
    MessageTriage.objects.bulk_create(new, ignore_conflicts=True)
    found.update({t.message_id: t for t in new})
    return found


def _team_id(message: Message) -> int | None:
    # Callers fetch messages through their ticket (or with select_related): no query here.
    return message.ticket.team_id


def do_flag_customer_from_ticket(
    ticket: Ticket, actor: User, flag: str, note: str = ""
) -> CustomerFlag:
    """The agent confirms what triage read (abuse, legal threat): the customer carries the flag
    to every ticket, and the ticket's history says who raised it and why."""
    kind = FLAG_KINDS.get(flag)
    if kind is None:
        raise ticket_actions.ActionError(_("Unknown flag."))
    note = note.strip() or _("Raised from ticket #%(number)d.") % {"number": ticket.pk}
    with transaction.atomic():
        existing = CustomerFlag.objects.filter(
            customer_id=ticket.customer_id, kind=kind, active=True
        ).first()
        if existing is not None:
            return existing
        customer_flag = ticket_actions.do_flag_customer(ticket.customer, actor, kind, note)
        TicketEvent.record(ticket, actor, "customer-flagged", note, flag=kind)
    return customer_flag


def do_save_team_etiquette(team: Team, actor: User, **values) -> TeamEtiquette:
    """Store a team's rule settings as the settings page submitted them (already validated)."""
    fields = (
        "severities",
        "disabled_rules",
        "jargon",
        "internal_names",
        "dictionary",
        "allowed_phrases",
        "signature_template",
    )
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    with transaction.atomic():
        row, _created = TeamEtiquette.objects.select_for_update().get_or_create(team=team)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = timezone.now()
        row.updated_by = actor
        row.save()
    return row
