"""``mannerly export ticket``: a ticket and its whole conversation, as data (shared/spec/mail.md)."""

from __future__ import annotations

from mannerly.tickets.models import Message, Ticket


def export_ticket(ticket: Ticket) -> dict:
    messages = ticket.messages.select_related("author", "customer").prefetch_related("attachments")
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "customer": {"name": ticket.customer.name, "email": ticket.customer.email},
        "messages": [_message(m) for m in messages],
    }


def _message(message: Message) -> dict:
    if message.from_email or message.from_name:
        sender = {"name": message.from_name, "email": message.from_email}
    elif message.author is not None:
        sender = {"name": message.author.name, "email": message.author.email}
    else:
        sender = {"name": "", "email": ""}
    return {
        "message_id": message.message_id,
        "direction": message.direction,
        "kind": message.kind,
        "from": sender,
        "subject": message.subject,
        "text": message.body_text,
        "created_at": message.created_at.isoformat(),
        "attachments": [
            {"filename": a.filename, "size": a.size, "sha256": a.sha256}
            for a in message.attachments.all()
        ],
    }


def format_ticket(data: dict) -> str:
    """The same, for a person reading a terminal."""
    lines = [
        f"#{data['id']} {data['subject']} [{data['status']}]",
        f"Customer: {data['customer']['name']} <{data['customer']['email']}>",
    ]
    for m in data["messages"]:
        who = m["from"]["name"] or m["from"]["email"] or "?"
        lines += ["", f"--- {m['created_at'][:16]} {m['kind']} ({m['direction']}) from {who}"]
        lines.append(m["text"].rstrip())
        lines += [f"[attachment] {a['filename']} ({a['size']} bytes)" for a in m["attachments"]]
    return "\n".join(lines)
