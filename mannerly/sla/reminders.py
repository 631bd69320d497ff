"""The update reminder's draft: what was done since the customer last heard from us.

The agent gets a draft in the customer's language that lists the internal notes (first line of
each) and the changes a customer cares about since our last message, to edit and send. The
notes are internal, so the reminder tells the agent to check the draft before sending; nothing
is sent automatically.
"""

from __future__ import annotations

from datetime import datetime

from mannerly.accounts.models import User
from mannerly.sla.placeholders import fill
from mannerly.sla.wording import UPDATE_DRAFT, language_of
from mannerly.tickets.models import Message, Ticket, TicketEvent

NOTE_PREVIEW = 200


def _first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= NOTE_PREVIEW else line[: NOTE_PREVIEW - 1] + "…"


def work_since(ticket: Ticket, since: datetime) -> list[tuple[datetime, str, dict]]:
    """Notes and customer-relevant events after ``since``, oldest first: (when, kind, details)."""
    found: list[tuple[datetime, str, dict]] = []
    notes = ticket.messages.filter(direction=Message.Direction.INTERNAL, created_at__gt=since)
    for note in notes.order_by("created_at", "pk"):
        found.append((note.created_at, "note", {"text": _first_line(note.body_text)}))
    events = TicketEvent.objects.filter(
        ticket=ticket, created_at__gt=since, kind__in=["assigned", "set-priority"]
    )
    assignees = {}
    for event in events.order_by("created_at", "pk"):
        if event.kind == "assigned" and event.data.get("assignee"):
            assignees[event.data["assignee"]] = None
        found.append((event.created_at, event.kind, dict(event.data)))
    names = {u.pk: u.name for u in User.objects.filter(pk__in=list(assignees))}
    for _when, kind, details in found:
        if kind == "assigned":
            details["name"] = names.get(details.get("assignee"), "")
    found.sort(key=lambda item: item[0])
    return found


def _raised(details: dict) -> bool:
    try:
        return int(details.get("value", 0)) > int(details.get("previous", 0))
    except (TypeError, ValueError):
        return False


def update_draft(ticket: Ticket, *, since: datetime) -> tuple[str, list[str]]:
    """A draft update for the customer, and a one-line summary per item for the history."""
    language = language_of(ticket.language)
    words = UPDATE_DRAFT[language]
    values = {
        "customer_name": ticket.customer.name,
        "ticket_id": ticket.pk,
        "ticket_subject": ticket.subject,
    }
    items: list[str] = []
    summary: list[str] = []
    for _when, kind, details in work_since(ticket, since):
        if kind == "note" and details["text"]:
            items.append(details["text"])
            summary.append(f"note: {details['text']}")
        elif kind == "assigned" and details.get("name"):
            items.append(fill(words["assigned"], {"name": details["name"]}))
            summary.append(f"assigned: {details['name']}")
        elif kind == "set-priority" and _raised(details):
            items.append(words["priority"])
            summary.append("priority raised")
    lines = [fill(words["greeting"], values), "", fill(words["intro"], values), ""]
    if items:
        lines.append(words["since"])
        lines.extend(f"- {item}" for item in items)
    else:
        lines.append(words["nothing"])
    lines += ["", words["closing"], "", words["signoff"]]
    if ticket.assignee_id:
        lines.append(ticket.assignee.name)
    return "\n".join(lines), summary
