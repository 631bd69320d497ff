"""Read helpers and ``access_*`` permission getters: views and the API get tickets only here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mannerly.accounts.models import Team, User
from mannerly.tickets import search
from mannerly.tickets.models import (
    Attachment,
    Customer,
    CustomerEmail,
    CustomerFlag,
    Handover,
    Message,
    Tag,
    Ticket,
)

# Larger ids cannot exist in a 64-bit key; asking the database for one is an overflow error.
MAX_ID = 2**63 - 1


def _pk(value: int | str) -> int:
    """A primary key from a URL or a request, or Http404 when it cannot name a row."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """Every ticket this user may open: customers their own, agents all but other teams' private ones."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.role == User.Role.CUSTOMER:
        return tickets.filter(customer__user=user)
    if user.is_supervisor:
        return tickets
    # A subquery, not a join through team members: a join would repeat each ticket once per
    # member of its team.
    own_teams = Team.objects.filter(members=user).values("pk")
    return tickets.filter(Q(team__isnull=True) | Q(team__scoped=False) | Q(team__in=own_teams))


def access_ticket(user: User, ticket_id: int | str, *, for_update: bool = False) -> Ticket:
    """The ticket if this user may see it, else Http404 (never reveal that it exists)."""
    pk = _pk(ticket_id)
    tickets = visible_tickets(user).select_related("customer", "assignee", "team")
    if for_update:
        tickets = tickets.select_for_update(of=("self",))
    return _get_or_404(tickets, pk)


def _get_or_404(tickets: QuerySet[Ticket], pk: int) -> Ticket:
    # get(), not first(): one row by key needs no ORDER BY, and first() costs more to compile.
    try:
        return tickets.get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def access_ticket_page(user: User, ticket_id: int | str) -> Ticket:
    """Like :func:`access_ticket`, with what the ticket page shows fetched alongside it.

    The customer's active flags are read with one plain query rather than prefetch_related:
    for one ticket, the prefetch machinery cost more CPU than the query itself. Its tags and the
    customer's addresses are read where the page uses them, one query each as well.
    """
    pk = _pk(ticket_id)
    # Neither the assignee nor the merge target is joined: the page needs only their keys (the
    # assignee's name comes from the page's list of agents, see latest_handover).
    ticket = _get_or_404(visible_tickets(user).select_related("customer__organization", "team"), pk)
    ticket.customer.active_flags = list(
        CustomerFlag.objects.filter(customer_id=ticket.customer_id, active=True).order_by("kind")
    )
    return ticket


def visible_messages(user: User, ticket: Ticket) -> QuerySet[Message]:
    """The conversation as this user may read it: customers never see internal notes."""
    messages = ticket.messages.select_related("author", "customer").prefetch_related("attachments")
    if user.role == User.Role.CUSTOMER:
        messages = messages.exclude(direction=Message.Direction.INTERNAL)
    return messages


def page_messages(user: User, ticket: Ticket, agent_names: Mapping[str, str]) -> list[Message]:
    """:func:`visible_messages` as the agent's ticket page reads them.

    Authors are not joined (a full user row per message, for a name): each message gets
    ``author_name`` from the page's list of agents (``agent_names``, pk to name), and the few
    authors not on it (no longer active, a customer's portal login) are read in one query.
    """
    messages = list(
        visible_messages(user, ticket)
        .select_related(None)
        .select_related("customer")
        .prefetch_related(None)  # attachments: see attachments_by_message
    )
    names = {int(pk): name for pk, name in agent_names.items()}
    missing = {m.author_id for m in messages if m.author_id and m.author_id not in names}
    if missing:
        names.update((u.pk, u.name) for u in User.objects.filter(pk__in=missing))
    for message in messages:
        message.author_name = names.get(message.author_id, "") if message.author_id else ""
    return messages


def attachments_by_message(messages: list[Message]) -> dict[int, list[Attachment]]:
    """The attachments of these messages, by message key, read with one plain query.

    The ticket page's alternative to ``prefetch_related("attachments")``, whose machinery cost
    more CPU than the query itself.
    """
    found: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(message_id__in=[m.pk for m in messages]):
        found.setdefault(attachment.message_id, []).append(attachment)
    return found


def visible_customers(user: User) -> QuerySet[Customer]:
    """Staff see the customer directory; a customer sees only their own record."""
    customers = Customer.objects.all()
    if not user.is_authenticated or not user.is_active:
        return customers.none()
    if user.role == User.Role.CUSTOMER:
        return customers.filter(user=user)
    return customers


def access_customer(user: User, customer_id: int | str) -> Customer:
    pk = _pk(customer_id)
    customer = visible_customers(user).filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


def customer_for_user(user: User) -> Customer:
    """The customer record behind a portal login."""
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        raise Http404
    return customer


def access_attachment(user: User, attachment_id: int | str) -> Attachment:
    """An attachment on a message this user may read (customers: their own public messages)."""
    pk = _pk(attachment_id)
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=pk, message__ticket__in=visible_tickets(user))
        .first()
    )
    if attachment is None:
        raise Http404
    if user.role == User.Role.CUSTOMER and not attachment.message.is_public:
        raise Http404
    return attachment


def access_message(user: User, ticket: Ticket, message_id: int | str) -> Message:
    pk = _pk(message_id)
    message = visible_messages(user, ticket).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def assignable_agents() -> QuerySet[User]:
    """Everyone a ticket can be given to: active staff, by name."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.CUSTOMER)
        .order_by("display_name", "username")
    )


def agent_choices() -> list[tuple[str, str]]:
    """``(pk, name)`` of :func:`assignable_agents` for a select, without building User objects
    (each page of the desk lists them)."""
    rows = assignable_agents().values_list(
        "pk", "display_name", "first_name", "last_name", "username"
    )
    return [(str(pk), User.name_from(*names)) for pk, *names in rows]


def team_choices() -> list[tuple[str, str]]:
    """``(pk, name)`` of every team, by name, for a select."""
    return [(str(pk), name) for pk, name in Team.objects.values_list("pk", "name")]


# ---- the agent inbox -------------------------------------------------------------------------

# Each view is a named queue of the inbox: (label, the statuses it shows; empty for all).
INBOX_VIEWS: dict[str, tuple] = {
    "open": (_("All open"), (Ticket.Status.NEW, Ticket.Status.OPEN)),
    "mine": (_("My tickets"), Ticket.ACTIVE_STATUSES),
    "unassigned": (_("Unassigned"), Ticket.ACTIVE_STATUSES),
    "teams": (_("My teams"), Ticket.ACTIVE_STATUSES),
    "waiting": (_("Waiting on customer"), Ticket.WAITING_STATUSES),
    "done": (_("Solved recently"), (Ticket.Status.SOLVED, Ticket.Status.CLOSED)),
    "all": (_("All tickets"), ()),
}
DEFAULT_VIEW = "open"
RECENTLY_DONE = timedelta(days=14)

SORTS: dict[str, tuple] = {
    "updated": (_("Last updated"), ("-updated_at", "-pk")),
    "created": (_("Newest"), ("-created_at", "-pk")),
    "priority": (_("Priority"), ("-priority", "-updated_at", "-pk")),
    "deadline": (_("Next deadline"), (F("next_due").asc(nulls_last=True), "pk")),
}
DEFAULT_SORT = "updated"
DEADLINE_FIELDS = ("first_response_due", "next_response_due", "update_due", "resolution_due")


@dataclass
class InboxQuery:
    """What an agent asked the inbox for: a view, filters, a search, a sort and a page."""

    view: str = DEFAULT_VIEW
    sort: str = DEFAULT_SORT
    q: str = ""
    filters: dict = field(default_factory=dict)  # status, priority, assignee, team, tag, ...
    page: int = 1
    per_page: int = 25


@dataclass
class InboxPage:
    tickets: list[Ticket]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class StatusIn(Expression):
    """``status IN ('new', 'open')`` with the statuses written into the SQL, not bound.

    SQLite uses a partial index (``ticket_open_updated``) only when the query's condition is the
    index's own text; with bound parameters it sorts every matching ticket instead, or with
    ANALYZE statistics even scans the table. The values are our own status names, checked here.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, statuses):
        super().__init__()
        if not all(s in Ticket.Status.values for s in statuses):
            raise ValueError(f"unknown status in {statuses!r}")
        self.statuses = tuple(str(s) for s in statuses)

    def as_sql(self, compiler, connection):
        column = f"{connection.ops.quote_name(Ticket._meta.db_table)}.{connection.ops.quote_name('status')}"
        literals = ", ".join(f"'{s}'" for s in self.statuses)
        return f"{column} IN ({literals})", []


def _next_due_expression():
    """The earliest of a ticket's deadlines; works on SQLite, whose MIN() is NULL if any is."""
    from django.db.models import DateTimeField, Value
    from django.db.models.functions import Coalesce, Least, NullIf

    far = Value(datetime(9999, 1, 1, tzinfo=UTC), output_field=DateTimeField())
    earliest = Least(*(Coalesce(name, far) for name in DEADLINE_FIELDS))
    return NullIf(earliest, far)


def inbox_queryset(user: User, query: InboxQuery) -> QuerySet[Ticket]:
    """The tickets of one inbox view with its filters, search and sort (not yet sliced)."""
    tickets = visible_tickets(user)
    label_statuses = INBOX_VIEWS.get(query.view, INBOX_VIEWS[DEFAULT_VIEW])
    statuses = label_statuses[1]
    if statuses:
        tickets = tickets.filter(StatusIn(statuses))
    if query.view == "mine":
        tickets = tickets.filter(assignee=user)
    elif query.view == "unassigned":
        tickets = tickets.filter(assignee__isnull=True)
    elif query.view == "teams":
        tickets = tickets.filter(team__in=Team.objects.filter(members=user).values("pk"))
    elif query.view == "done":
        tickets = tickets.filter(updated_at__gte=timezone.now() - RECENTLY_DONE)
    tickets = _apply_filters(tickets, query.filters)
    if query.q.strip():
        matching = search.matching_ids_sql(query.q)
        if matching is not None:
            tickets = tickets.filter(pk__in=matching)
    if query.sort == "deadline":
        tickets = tickets.annotate(next_due=_next_due_expression())
    order = SORTS.get(query.sort, SORTS[DEFAULT_SORT])[1]
    return tickets.order_by(*order)


def _apply_filters(tickets: QuerySet[Ticket], filters: dict) -> QuerySet[Ticket]:
    if filters.get("status"):
        tickets = tickets.filter(status=filters["status"])
    if filters.get("priority"):
        tickets = tickets.filter(priority=filters["priority"])
    assignee = filters.get("assignee")
    if assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee:
        tickets = tickets.filter(assignee_id=assignee)
    if filters.get("team"):
        tickets = tickets.filter(team_id=filters["team"])
    if filters.get("tag"):
        tickets = tickets.filter(tags__name=filters["tag"])
    if filters.get("channel"):
        tickets = tickets.filter(channel=filters["channel"])
    if filters.get("language"):
        tickets = tickets.filter(language=filters["language"])
    return tickets


# What an inbox row shows: fewer columns make each of its model instances cheaper to build.
INBOX_FIELDS = (
    "subject",
    "status",
    "priority",
    "language",
    "created_at",
    "updated_at",
    *DEADLINE_FIELDS,
    "customer__name",
    "assignee__username",
    "assignee__display_name",
    "assignee__first_name",
    "assignee__last_name",
    "team__name",
)


def inbox_page(user: User, query: InboxQuery) -> InboxPage:
    """One page of the inbox in a fixed number of queries, whatever the page size.

    Offset paging that fetches one row more than it shows: it knows whether a next page exists
    without counting every matching ticket.
    """
    start = (query.page - 1) * query.per_page
    rows = list(
        inbox_queryset(user, query)
        .select_related("customer", "assignee", "team")
        .only(*INBOX_FIELDS)[start : start + query.per_page + 1]
    )
    tickets = rows[: query.per_page]
    _attach_tags_and_flags(tickets)
    return InboxPage(tickets=tickets, page=query.page, has_next=len(rows) > query.per_page)


def _attach_tags_and_flags(tickets: list[Ticket]) -> None:
    """``ticket.tag_list`` and ``ticket.customer.active_flags`` for a page of tickets.

    Two plain queries whatever the page size; they do what prefetch_related did at about half
    its CPU time, which is most of what the inbox spends on them.
    """
    tags: dict[int, list[Tag]] = {}
    links = Ticket.tags.through.objects.filter(ticket__in=[t.pk for t in tickets])
    for link in links.select_related("tag").order_by("tag__name", "pk"):
        tags.setdefault(link.ticket_id, []).append(link.tag)
    flags: dict[int, list[CustomerFlag]] = {}
    active = CustomerFlag.objects.filter(
        active=True, customer__in={t.customer_id for t in tickets}
    ).order_by("kind", "pk")
    for flag in active:
        flags.setdefault(flag.customer_id, []).append(flag)
    for ticket in tickets:
        ticket.tag_list = tags.get(ticket.pk, [])
        ticket.customer.active_flags = flags.get(ticket.customer_id, [])


def next_deadline(ticket: Ticket) -> datetime | None:
    """The earliest deadline still set on the ticket (None when there is no clock)."""
    dates = [getattr(ticket, name) for name in DEADLINE_FIELDS]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


# ---- the ticket page -------------------------------------------------------------------------


def latest_handover(ticket: Ticket, agent_names: Mapping[str, str]) -> Handover | None:
    """The note the current assignee was handed, if the ticket changed hands to them.

    Both names (``to_name``, ``from_name``) come without joining the users table (which was
    most of this query's cost): from the page's list of agents (``agent_names``, pk to name) or,
    for an agent no longer active, read by key.
    """
    if ticket.assignee_id is None:
        return None
    latest = Handover.objects.filter(ticket_id=ticket.pk, to_user_id=ticket.assignee_id)[:1]
    handover = next(iter(latest), None)
    if handover is not None:
        handover.to_name = _agent_name(handover.to_user_id, agent_names)
        handover.from_name = (
            _agent_name(handover.from_user_id, agent_names) if handover.from_user_id else ""
        )
    return handover


def _agent_name(pk: int, agent_names: Mapping[str, str]) -> str:
    return agent_names.get(str(pk)) or User.objects.get(pk=pk).name


def customer_emails(customer: Customer) -> list[str]:
    """The customer's addresses, read without building a model per row."""
    return list(
        CustomerEmail.objects.filter(customer_id=customer.pk).values_list("email", flat=True)
    )


def customer_other_tickets(user: User, ticket: Ticket, limit: int = 6) -> list[Ticket]:
    return list(
        visible_tickets(user)
        .filter(customer_id=ticket.customer_id)
        .exclude(pk=ticket.pk)
        .only("subject", "status", "created_at")  # what the sidebar shows
        .order_by("-created_at")[:limit]
    )
