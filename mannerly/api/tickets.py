from datetime import datetime

from ninja import Router, Schema

from mannerly.tickets.queries import access_ticket, visible_tickets

router = Router(tags=["tickets"])


class TicketOut(Schema):
    id: int
    subject: str
    status: str
    priority: int
    channel: str
    language: str
    customer_id: int
    assignee_id: int | None
    created_at: datetime
    updated_at: datetime


@router.get("", response=list[TicketOut])
def list_tickets(request):
    return visible_tickets(request.user).order_by("-updated_at")[:100]


@router.get("/{ticket_id}", response=TicketOut)
def get_ticket(request, ticket_id: int):
    return access_ticket(request.user, ticket_id)
