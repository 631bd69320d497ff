"""Tickets: list with filters, read, open, change (through the actions), merge and split."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from mannerly.accounts.models import Team, User
from mannerly.api.errors import ApiError, documented, invalid_fields
from mannerly.api.permissions import staff_only
from mannerly.api.schemas import (
    Id,
    Input,
    IsoDateTime,
    Output,
    PageParams,
    Ref,
    RequiredText,
    Text,
    page,
    ref,
)
from mannerly.tickets import actions, search
from mannerly.tickets.actions import ActionError
from mannerly.tickets.models import Customer, Tag, Ticket, TicketEvent
from mannerly.tickets.queries import (
    access_customer,
    access_ticket,
    customer_for_user,
    visible_messages,
    visible_tickets,
)

router = Router(tags=["tickets"])

StatusName = Literal["new", "open", "pending", "on-hold", "solved", "closed"]
PriorityName = Literal["low", "normal", "high", "urgent"]
ChannelName = Literal["email", "portal", "phone", "chat", "api"]
LanguageCode = Literal["en", "zh", "uk", "ru"]

PRIORITY_VALUES = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
PRIORITY_NAMES = {value: name for name, value in PRIORITY_VALUES.items()}
STAFF_FIELDS = ("assignee", "team", "tags", "priority", "channel")


class TicketOut(Output):
    """A ticket. Fields marked "staff" are left out for customers."""

    id: int = Field(examples=[42])
    subject: str = Field(examples=["Charged twice"])
    status: StatusName
    priority: PriorityName
    channel: str = Field(examples=["email"], description="email, portal, phone, chat, api…")
    language: LanguageCode
    customer: Ref
    merged_into: int | None = Field(None, description="The ticket this one was merged into.")
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None = None
    assignee: Ref | None = Field(None, description="staff")
    team: Ref | None = Field(None, description="staff")
    tags: list[str] = Field([], description="staff", examples=[["billing", "refund"]])
    last_customer_message_at: datetime | None = Field(None, description="staff")
    first_responded_at: datetime | None = Field(None, description="staff")
    last_agent_reply_at: datetime | None = Field(None, description="staff")
    first_response_due: datetime | None = Field(None, description="staff")
    next_response_due: datetime | None = Field(None, description="staff")
    update_due: datetime | None = Field(None, description="staff")
    resolution_due: datetime | None = Field(None, description="staff")


class TicketPage(Output):
    count: int = Field(examples=[1])
    limit: int = Field(examples=[25])
    offset: int = Field(examples=[0])
    items: list[TicketOut]


def ticket_json(ticket: Ticket, user: User) -> dict:
    """The ticket as ``user`` may see it: customers get no internal fields."""
    data = {
        "id": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": PRIORITY_NAMES.get(ticket.priority, "normal"),
        "channel": ticket.channel,
        "language": ticket.language,
        "customer": ref(ticket.customer),
        "merged_into": ticket.merged_into_id,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "solved_at": ticket.solved_at,
    }
    if user.is_staff_member:
        data |= {
            "assignee": ref(ticket.assignee),
            "team": ref(ticket.team),
            "tags": sorted(tag.name for tag in ticket.tags.all()),
            "last_customer_message_at": ticket.last_customer_message_at,
            "first_responded_at": ticket.first_responded_at,
            "last_agent_reply_at": ticket.last_agent_reply_at,
            "first_response_due": ticket.first_response_due,
            "next_response_due": ticket.next_response_due,
            "update_due": ticket.update_due,
            "resolution_due": ticket.resolution_due,
        }
    return data


def _fetched(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.select_related("customer", "assignee", "team").prefetch_related("tags")


def _reloaded(ticket_id: int) -> Ticket:
    """The ticket with everything its JSON shows. Access was checked before the change: an agent
    who just moved a ticket into another team's private queue still gets the answer."""
    return _fetched(Ticket.objects.all()).get(pk=ticket_id)


class TicketFilters(Schema):
    status: list[StatusName | Literal["active"]] = Field(
        [],
        description="One or more statuses; `active` means new, open, pending and on-hold.",
    )
    assignee: Literal["me", "none"] | Id | None = Field(
        None, description="An agent's id, `me`, or `none` for unassigned tickets."
    )
    team: Literal["none"] | Id | None = Field(None, description="A team's id or `none`.")
    customer: Id | None = None
    tag: list[Text] = Field([], description="Tickets carrying every one of these tags.")
    updated_since: IsoDateTime | None = Field(
        None, description="Only tickets changed at or after this time (ISO 8601; UTC if naive)."
    )
    q: Text | None = Field(
        None,
        max_length=200,
        description="Staff: words in the subject or any message. Customers: in the subject.",
    )
    ordering: Literal[
        "-updated_at", "updated_at", "-created_at", "created_at", "-priority", "priority"
    ] = "-updated_at"


def _searched(tickets: QuerySet[Ticket], words: str, user: User) -> QuerySet[Ticket]:
    """Staff search the desk's full-text index (subject and every message, as in the inbox).
    Customers search subjects only: the index holds internal notes, and a match on a note's
    words would tell them what the note says."""
    if not user.is_staff_member:
        return tickets.filter(subject__icontains=words)
    matching = search.matching_ids_sql(words)
    return tickets.filter(pk__in=matching) if matching is not None else tickets


def _filtered(tickets: QuerySet[Ticket], filters: TicketFilters, user: User) -> QuerySet[Ticket]:
    if filters.status:
        statuses = set(filters.status)
        if "active" in statuses:
            statuses = (statuses - {"active"}) | set(Ticket.ACTIVE_STATUSES)
        tickets = tickets.filter(status__in=statuses)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee is not None:
        tickets = tickets.filter(assignee_id=filters.assignee)
    if filters.team == "none":
        tickets = tickets.filter(team__isnull=True)
    elif filters.team is not None:
        tickets = tickets.filter(team_id=filters.team)
    if filters.customer is not None:
        tickets = tickets.filter(customer_id=filters.customer)
    for name in filters.tag:
        tickets = tickets.filter(tags__name=name.strip().lower())
    if filters.updated_since is not None:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = since.replace(tzinfo=UTC)
        tickets = tickets.filter(updated_at__gte=since)
    if filters.q and filters.q.strip():
        tickets = _searched(tickets, filters.q.strip(), user)
    return tickets.order_by(filters.ordering, "-pk" if filters.ordering[0] == "-" else "pk")


@router.get(
    "",
    response={200: TicketPage, **documented(401, 422)},
    exclude_unset=True,
    summary="List tickets",
    description=(
        "The tickets the caller may see, newest change first: staff see every ticket except "
        "other teams' private ones (supervisors and admins see all); customers see their own."
    ),
)
def list_tickets(request: HttpRequest, filters: Query[TicketFilters], paging: Query[PageParams]):
    user = request.user
    tickets = _filtered(_fetched(visible_tickets(user)), filters, user)
    return page(tickets, paging, lambda ticket: ticket_json(ticket, user))


@router.get(
    "/{ticket_id}",
    response={200: TicketOut, **documented(401, 404, 422)},
    exclude_unset=True,
    summary="Read a ticket",
)
def get_ticket(request: HttpRequest, ticket_id: int):
    return ticket_json(access_ticket(request.user, ticket_id), request.user)


class TicketCreate(Input):
    customer: Id | None = Field(
        None, description="staff: the customer the ticket is for (customers open their own)."
    )
    subject: RequiredText = Field(max_length=500, examples=["Charged twice"])
    body: RequiredText = Field(examples=["Can you refund the second charge?"])
    priority: PriorityName = Field("normal", description="staff")
    channel: ChannelName = Field("api", description="staff: how the customer reached us.")
    language: LanguageCode | None = Field(None, description="Defaults to the customer's.")
    team: Id | None = Field(None, description="staff")
    assignee: Id | None = Field(None, description="staff")
    tags: list[Text] = Field([], max_length=50, description="staff")


def _refused_for_customers(payload: Input, fields: tuple[str, ...]) -> None:
    """Customers may not set staff fields; naming them keeps the caller from guessing."""
    given = sorted(set(fields) & payload.model_fields_set)
    if given:
        raise invalid_fields(given, _("Only staff can set this field."))


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise invalid_fields(["team"], _("There is no team with this id."))
    return team


def _agent(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    agent = User.objects.filter(pk=user_id, is_active=True).exclude(role=User.Role.CUSTOMER).first()
    if agent is None:
        raise invalid_fields(["assignee"], _("There is no active agent with this id."))
    return agent


def _tags(names: list[str]) -> list[Tag]:
    """Tags by name, created on first use (lower case, no spaces), as in other help desks."""
    cleaned = sorted({name.strip().lower() for name in names if name.strip()})
    for name in cleaned:
        if len(name) > 64 or any(ch.isspace() or ch == "," for ch in name):
            raise invalid_fields(["tags"], _("A tag is one word of at most 64 characters."))
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def _may_see(agent: User | None, ticket: Ticket) -> None:
    """An assignee who could not open the ticket (another team's private one) is refused."""
    if agent is not None and not visible_tickets(agent).filter(pk=ticket.pk).exists():
        raise ApiError(
            409, _("%(agent)s cannot see tickets of this team.") % {"agent": agent.name}, "conflict"
        )


def _customer_for_new_ticket(user: User, payload: TicketCreate) -> Customer:
    if user.is_staff_member:
        if payload.customer is None:
            raise invalid_fields(["customer"], _("Say which customer the ticket is for."))
        try:
            return access_customer(user, payload.customer)
        except Http404:
            raise invalid_fields(["customer"], _("There is no customer with this id.")) from None
    customer = customer_for_user(user)
    if payload.customer not in (None, customer.pk):
        raise invalid_fields(["customer"], _("Customers open tickets for themselves."))
    _refused_for_customers(payload, STAFF_FIELDS)
    return customer


@router.post(
    "",
    response={201: TicketOut, **documented(400, 401, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Open a ticket",
    description=(
        "Staff open a ticket for a customer (`customer` is required; the first message is "
        "recorded as the customer's, e.g. a phone call). A customer opens one for themselves "
        "and may set only `subject`, `body` and `language`."
    ),
)
def create_ticket(request: HttpRequest, payload: TicketCreate):
    user = request.user
    customer = _customer_for_new_ticket(user, payload)
    staff = user.is_staff_member
    with transaction.atomic():
        ticket = actions.do_open_ticket(
            customer,
            payload.subject,
            payload.body,
            channel=payload.channel if staff else Ticket.Channel.API,
            author=user,
            language=payload.language,
            priority=PRIORITY_VALUES[payload.priority],
            team=_team(payload.team),
        )
        if payload.tags:
            actions.do_update_ticket(ticket, user, tags=_tags(payload.tags))
        if payload.assignee is not None:
            agent = _agent(payload.assignee)
            _may_see(agent, ticket)
            actions.do_assign(ticket, user, agent)
    return Status(201, ticket_json(_reloaded(ticket.pk), user))


class TicketUpdate(Input):
    subject: RequiredText | None = Field(None, max_length=500)
    status: StatusName | None = None
    status_reason: Text = Field("", description="Why the status changed (kept in the history).")
    priority: PriorityName | None = None
    language: LanguageCode | None = None
    assignee: Id | None = Field(None, description="An agent's id, or null to unassign.")
    handover_note: Text = Field(
        "",
        description="Required when the ticket moves from one agent to another: "
        "what was promised and what is still pending.",
    )
    team: Id | None = Field(None, description="A team's id, or null for no team.")
    tags: list[Text] | None = Field(None, max_length=50, description="Replaces every tag.")


@router.patch(
    "/{ticket_id}",
    response={200: TicketOut, **documented(400, 401, 404, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Change a ticket",
    description=(
        "Staff only. Send only the fields to change; each change is recorded in the ticket's "
        "history. Changing hands (`assignee` from one agent to another) needs a "
        "`handover_note`. All changes apply together or not at all."
    ),
)
def update_ticket(request: HttpRequest, ticket_id: int, payload: TicketUpdate):
    user = staff_only(request)
    ticket = access_ticket(user, ticket_id)
    given = payload.model_fields_set
    with transaction.atomic():
        changes: dict = {}
        if "subject" in given and payload.subject is not None:
            changes["subject"] = payload.subject.strip()
        if "priority" in given and payload.priority is not None:
            changes["priority"] = PRIORITY_VALUES[payload.priority]
        if "language" in given and payload.language is not None:
            changes["language"] = payload.language
        if "team" in given:
            changes["team"] = _team(payload.team)
        if "tags" in given and payload.tags is not None:
            changes["tags"] = _tags(payload.tags)
        if changes:
            ticket = actions.do_update_ticket(ticket, user, **changes)
        if "status" in given and payload.status is not None:
            ticket = actions.do_change_status(
                ticket, user, payload.status, reason=payload.status_reason
            )
        if "assignee" in given:
            agent = _agent(payload.assignee)
            ticket = actions.do_assign(ticket, user, agent, handover_note=payload.handover_note)
        if given & {"assignee", "team"}:
            _may_see(ticket.assignee, ticket)
    return ticket_json(_reloaded(ticket.pk), user)


class MergeIn(Input):
    into: Id = Field(description="The ticket that receives this ticket's messages.")


def _conflict(error: ActionError) -> ApiError:
    return ApiError(409, str(error), "conflict")


@router.post(
    "/{ticket_id}/merge",
    response={200: TicketOut, **documented(400, 401, 404, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Merge a ticket into another",
    description=(
        "Staff only. Moves every message of this ticket into `into` (same customer) and closes "
        "this one as merged. Answers with the receiving ticket."
    ),
)
def merge_ticket(request: HttpRequest, ticket_id: int, payload: MergeIn):
    user = staff_only(request)
    source = access_ticket(user, ticket_id)
    target = visible_tickets(user).filter(pk=payload.into).first()
    if target is None:
        raise invalid_fields(["into"], _("There is no ticket with this id."))
    try:
        target = actions.do_merge(source, target, user)
    except ActionError as error:
        raise _conflict(error) from None
    return ticket_json(_reloaded(target.pk), user)


class SplitIn(Input):
    message: Id = Field(description="The customer's message that becomes a ticket of its own.")
    subject: Text = Field("", max_length=500, description="Defaults to the message's subject.")


@router.post(
    "/{ticket_id}/split",
    response={201: TicketOut, **documented(400, 401, 404, 409, 413, 415, 422)},
    exclude_unset=True,
    summary="Split a message into a new ticket",
    description="Staff only. Moves one customer message into a new ticket and answers with it.",
)
def split_ticket(request: HttpRequest, ticket_id: int, payload: SplitIn):
    user = staff_only(request)
    ticket = access_ticket(user, ticket_id)
    message = visible_messages(user, ticket).filter(pk=payload.message).first()
    if message is None:
        raise invalid_fields(["message"], _("This ticket has no message with this id."))
    try:
        new_ticket = actions.do_split(message, user, subject=payload.subject)
    except ActionError as error:
        raise _conflict(error) from None
    return Status(201, ticket_json(_reloaded(new_ticket.pk), user))


class EventOut(Output):
    id: int
    kind: str = Field(examples=["status"], description="What happened: created, status, assigned…")
    actor: Ref | None = Field(None, description="Who did it; null for the system or mail.")
    data: dict = Field(examples=[{"previous": "open", "status": "pending"}])
    reason: str = Field(examples=["Waiting for the bank"])
    created_at: datetime


class EventPage(Output):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


def event_json(event: TicketEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "actor": ref(event.actor),
        "data": event.data if isinstance(event.data, dict) else {"value": event.data},
        "reason": event.reason,
        "created_at": event.created_at,
    }


@router.get(
    "/{ticket_id}/events",
    response={200: EventPage, **documented(404, 422)},
    summary="Read a ticket's history",
    description="Staff only. Every change to the ticket, oldest first (append-only).",
)
def list_events(request: HttpRequest, ticket_id: int, paging: Query[PageParams]):
    user = staff_only(request)
    ticket = access_ticket(user, ticket_id)
    events = ticket.events.select_related("actor").order_by("created_at", "pk")
    return page(events, paging, event_json)
