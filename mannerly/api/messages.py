"""A ticket's conversation: read it, reply, leave an internal note, or (customers) write."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status
from pydantic import Field

from mannerly.accounts.models import User
from mannerly.api.errors import ApiError, documented, invalid_fields
from mannerly.api.schemas import Input, Output, PageParams, Ref, RequiredText, page, ref
from mannerly.api.tickets import StatusName
from mannerly.coaching.gate import GateDecision, check_reply
from mannerly.tickets import actions
from mannerly.tickets.models import Message, Ticket
from mannerly.tickets.queries import (
    access_attachment,
    access_ticket,
    customer_for_user,
    visible_messages,
)
from mannerly.tickets.views_files import attachment_response

router = Router(tags=["messages"])


class AttachmentOut(Output):
    id: int
    filename: str = Field(examples=["invoice.pdf"])
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(examples=[48213])
    inline: bool
    url: str = Field(
        examples=["/api/v1/tickets/42/attachments/7"], description="Download it (same auth)."
    )


class MessageOut(Output):
    id: int = Field(examples=[311])
    ticket: int = Field(examples=[42])
    direction: str = Field(
        examples=["in"],
        description="`in` from the customer, `out` our reply, `internal` a note (staff only).",
    )
    kind: str = Field(examples=["message"], description="message, auto-reply, bounce, note…")
    channel: str = Field(examples=["email"])
    author: Ref | None = Field(None, description="The person who wrote it, when known.")
    customer: Ref | None = None
    from_name: str
    from_email: str
    to: list = []
    cc: list = []
    subject: str
    body_text: str = Field(examples=["Can you refund the second charge?"])
    body_html: str = Field(description="Sanitised HTML, or empty.")
    created_at: datetime
    attachments: list[AttachmentOut] = []


class MessagePage(Output):
    count: int
    limit: int
    offset: int
    items: list[MessageOut]


def message_json(message: Message) -> dict:
    return {
        "id": message.pk,
        "ticket": message.ticket_id,
        "direction": message.direction,
        "kind": message.kind,
        "channel": message.channel,
        "author": ref(message.author),
        "customer": ref(message.customer),
        "from_name": message.from_name,
        "from_email": message.from_email,
        "to": message.to if isinstance(message.to, list) else [],
        "cc": message.cc if isinstance(message.cc, list) else [],
        "subject": message.subject,
        "body_text": message.body_text,
        "body_html": message.body_html,
        "created_at": message.created_at,
        "attachments": [
            {
                "id": attachment.pk,
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "inline": attachment.inline,
                "url": f"/api/v1/tickets/{message.ticket_id}/attachments/{attachment.pk}",
            }
            for attachment in message.attachments.all()
        ],
    }


@router.get(
    "/{ticket_id}/messages",
    response={200: MessagePage, **documented(401, 404, 422)},
    summary="Read a ticket's conversation",
    description="Oldest first. Customers never receive internal notes.",
)
def list_messages(request: HttpRequest, ticket_id: int, paging: Query[PageParams]):
    ticket = access_ticket(request.user, ticket_id)
    messages = visible_messages(request.user, ticket).order_by("created_at", "pk")
    return page(messages, paging, message_json)


class MessageCreate(Input):
    type: Literal["reply", "note", "message"] = Field(
        description=(
            "`reply` (staff): our answer to the customer. `note` (staff): internal, never shown "
            "to the customer. `message` (customer): the customer writes on their own ticket."
        )
    )
    body: RequiredText = Field(examples=["Hi Anna, the refund is on its way.\n\nOleh"])
    status: StatusName | None = Field(
        None, description="`reply` only: the status after replying (default `pending`)."
    )
    send_anyway_reason: str | None = Field(
        None,
        max_length=1000,
        description=(
            "`reply` only: why the reply goes out although the etiquette check found errors. "
            "Without it such a reply is refused (422, code `etiquette`); the reason is recorded "
            "for the supervisor's review, as in the reply box."
        ),
    )


def _refuse(user: User, kind: str) -> None:
    if user.is_staff_member and kind == "message":
        raise ApiError(403, _("Staff answer with a reply or a note."))
    if not user.is_staff_member and kind != "message":
        raise ApiError(403, _("Customers can only add messages."))


@router.post(
    "/{ticket_id}/messages",
    response={201: MessageOut, **documented(400, 401, 403, 404, 413, 415, 422)},
    summary="Reply, add a note, or write as the customer",
)
def create_message(request: HttpRequest, ticket_id: int, payload: MessageCreate):
    user = request.user
    ticket = access_ticket(user, ticket_id)
    _refuse(user, payload.type)
    if payload.type != "reply" and (payload.status is not None or payload.send_anyway_reason):
        fields = ["status"] if payload.status is not None else ["send_anyway_reason"]
        raise invalid_fields(fields, _("Only a reply takes this field."))
    if payload.type == "reply":
        gate = _pass_the_gate(ticket, user, payload)
        message = actions.do_reply(
            ticket,
            user,
            payload.body,
            status=payload.status or Ticket.Status.PENDING,
            send_anyway_reason=gate.reason,
            send_anyway_rules=gate.error_rules if gate.reason else None,
        )
    elif payload.type == "note":
        message = actions.do_add_note(ticket, user, payload.body)
    else:
        message = actions.do_customer_message(
            ticket,
            customer_for_user(user),
            payload.body,
            channel=Ticket.Channel.API,
            author=user,
        )
    return Status(201, message_json(message))


def _pass_the_gate(ticket: Ticket, user: User, payload: MessageCreate) -> GateDecision:
    """The reply box's send gate holds for the API too: errors need a reason to go out."""
    gate = check_reply(ticket, user, payload.body, payload.send_anyway_reason or "")
    if gate.refused and gate.coaching is not None:
        findings = [
            {"loc": ["body", "body"], "msg": f.message, "type": f.rule}
            for f in gate.coaching.findings
            if f.severity == "error"
        ]
        raise ApiError(422, gate.error, "etiquette", findings)
    return gate


@router.get(
    "/{ticket_id}/attachments/{attachment_id}",
    response={200: None, **documented(404, 422)},
    summary="Download an attachment",
    description=(
        "The file's bytes, always as a download (`application/octet-stream`, sanitised name), "
        "exactly as the desk serves it. Customers cannot fetch attachments of internal notes."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_attachment(request: HttpRequest, ticket_id: int, attachment_id: int):
    ticket = access_ticket(request.user, ticket_id)
    attachment = access_attachment(request.user, attachment_id)
    if attachment.message.ticket_id != ticket.pk:
        raise Http404
    return attachment_response(attachment)
