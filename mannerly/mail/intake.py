"""Taking a group of claimed raw messages at once: the decisions of ``ingest``, fewer queries.

One message at a time costs about twenty queries and seven ORM saves; most of a worker's time
went there. Here a group (a hundred messages on SQLite) is read ahead with one query per kind
(the thread index, the tickets it names, the senders' customers and recent tickets, their
service-level clocks, the queue a reply may wait for), every message is decided in memory in
order, exactly as :func:`mannerly.mail.ingest.process` would decide it with the rows of the
earlier messages in the group already written, and the rows are written at the end with a few
statements (:mod:`mannerly.writes`), in the caller's transaction.

What this path does not take (bounces, which look up outgoing mail, and subjects naming a
ticket token, which check who is on the thread) goes through ``ingest.process`` in between,
the group's rows so far written first. Anything unexpected raises: the caller rolls the group
back and takes its messages one at a time, so one bad message never holds back the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import DateTimeField, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mannerly.mail import ingest, mailboxes
from mannerly.mail.models import Participant, RawMail, ThreadLink
from mannerly.mail.parsed import Address, ParsedMail
from mannerly.mail.threads import (
    KnownIds,
    ThreadMatch,
    by_marker,
    by_message_ids,
    first_with_subject,
    known_ids,
    looks_like_reply,
    marker_ticket,
    subject_to_match,
    subject_window_start,
    thread_keys,
    token_pattern,
)
from mannerly.sla import tracking
from mannerly.sla.models import SlaAction, TicketSla
from mannerly.tickets import search
from mannerly.tickets.models import (
    Attachment,
    Customer,
    CustomerEmail,
    Message,
    Organization,
    Ticket,
    TicketEvent,
    store_blob,
)
from mannerly.writes import StagedWrites

Done = set[tuple[str, str, datetime]]


class Conflict(Exception):
    """The message's key was taken already: it is a duplicate (``ingest`` sees IntegrityError)."""


def take_group(
    ids: list[int], worker: str, context: ingest.Context, rows: dict[int, RawMail] | None
) -> list[ingest.Outcome]:
    """Process claimed rows in id order, inside the caller's transaction; their outcomes."""
    if rows is None or any(pk not in rows for pk in ids):
        rows = _claimed_rows(ids, worker)
    ordered = [rows[pk] for pk in ids if pk in rows]
    group = Group(worker, context)
    seen = known_ids({row.msgid for row in ordered if row.msgid})
    outcomes: list[ingest.Outcome] = []
    segment: list[tuple[RawMail, ParsedMail]] = []
    for row in ordered:
        if row.msgid and row.msgid in seen.owners:
            group.duplicate_before_parsing(row, seen.owners[row.msgid])
            continue
        try:
            mail = ingest._parse(bytes(row.data))
        except ingest.Quarantine as verdict:
            group.quarantine(row, str(verdict))
            continue
        if _left_to_ingest(mail):
            outcomes += group.take(segment)
            segment = []
            done = ingest.process(row.pk, worker, context, seen=seen)  # reads the row again
            outcomes += [done] if done is not None else []
            continue
        segment.append((row, mail))
    outcomes += group.take(segment)
    order = {pk: position for position, pk in enumerate(ids)}
    return sorted(outcomes, key=lambda outcome: order[outcome.raw_id])


def _claimed_rows(ids: list[int], worker: str) -> dict[int, RawMail]:
    claimed = RawMail.objects.filter(pk__in=ids, status=RawMail.Status.PENDING, claimed_by=worker)
    return {row.pk: row for row in claimed}


def _left_to_ingest(mail: ParsedMail) -> bool:
    return mail.bounce is not None or token_pattern().search(mail.subject or "") is not None


@dataclass
class Snapshot:
    """A row's result fields as stored: what a quarantine or a late duplicate reports."""

    values: dict

    @classmethod
    def of(cls, row: RawMail) -> Snapshot:
        return cls({name: getattr(row, name) for name in ingest.RESULT_FIELDS})

    def restore(self, row: RawMail) -> None:
        for name, value in self.values.items():
            setattr(row, name, value)


@dataclass
class Group:
    """The group's writes, what it read ahead, and what its earlier messages changed."""

    worker: str
    context: ingest.Context
    staged: StagedWrites = field(default_factory=StagedWrites)
    results: list[tuple] = field(default_factory=list)
    outcomes: list[ingest.Outcome] = field(default_factory=list)
    deferred: list[RawMail] = field(default_factory=list)
    triage: list[int] = field(default_factory=list)

    # --- results -------------------------------------------------------------------------------

    def duplicate_before_parsing(self, row: RawMail, owner: tuple[int, str]) -> None:
        ticket_id, direction = owner
        why = "our own outgoing message" if direction == Message.Direction.OUT else ""
        self.result(row, RawMail.Action.DUPLICATE, ticket_id, why or "already received")

    def quarantine(self, row: RawMail, reason: str, snapshot: Snapshot | None = None) -> None:
        """As ``ingest._quarantine``: the stored fields, not what parsing found."""
        if snapshot is not None:
            snapshot.restore(row)
        row.status = RawMail.Status.QUARANTINED
        row.action = RawMail.Action.QUARANTINED
        row.reason = reason[:500]
        row.ticket_id = row.message_id = None
        ingest.logger.warning("raw mail %s quarantined: %s", row.pk, reason)
        self._save(row, None)

    def result(self, row, action, ticket_id, reason, message_id=None, key=None) -> None:
        """As ``ingest._done``: the row's outcome, written with the group's other rows."""
        row.status = RawMail.Status.DONE
        row.action = action
        row.ticket_id = ticket_id
        row.message_id = message_id
        row.reason = reason[:500]
        self._save(row, key)

    def _save(self, row: RawMail, key: str | None) -> None:
        now = timezone.now()
        processed_at = RawMail._meta.get_field("processed_at").get_db_prep_value(now, connection)
        values = [getattr(row, name) for name in ingest.RESULT_FIELDS]
        self.results.append(
            (*values, key, processed_at, row.pk, self.worker, RawMail.Status.PENDING)
        )
        row.accepted_key, row.claimed_by, row.claimed_until, row.processed_at = key, "", None, now
        self.outcomes.append(ingest._outcome(row))

    def defer(self, row: RawMail) -> None:
        """As ``ingest.process`` on Deferred: back in the queue in a moment, this try uncounted."""
        self.deferred.append(row)

    # --- one segment ---------------------------------------------------------------------------

    def take(self, segment: list[tuple[RawMail, ParsedMail]]) -> list[ingest.Outcome]:
        """Decide each message of the segment in order, then write the segment's rows."""
        if segment:
            seen = Seen.read(segment, self)
            for row, mail in segment:
                Taking(self, seen, row, mail).run()
            self._write_documents(seen)
        self._flush()
        outcomes, self.outcomes = self.outcomes, []
        return outcomes

    def _flush(self) -> None:
        self.staged.execute_many(_RESULT_SQL, self.results, expect=len(self.results))
        self.staged.execute_many(
            f"UPDATE {RawMail._meta.db_table} SET claimed_by = '', claimed_until = NULL, "
            "attempts = attempts - 1, available_at = %s WHERE id = %s AND claimed_by = %s",
            [(_retry_at(), row.pk, self.worker) for row in self.deferred],
        )
        self.staged.flush()
        if self.triage:
            ids = self.triage
            transaction.on_commit(lambda: _triage_later(ids))
        self.results, self.deferred, self.triage = [], [], []

    def _write_documents(self, seen: Seen) -> None:
        """Each touched ticket's search document, as ``search.index_ticket`` would write it."""
        if not seen.touched:
            return
        texts: dict[int, list[tuple]] = {pk: [] for pk in seen.touched}
        stored = [pk for pk in seen.touched if pk not in seen.new_tickets]
        if stored:
            rows = Message.objects.filter(ticket_id__in=stored).values_list(
                "ticket_id", "created_at", "pk", "body_text", "body_html"
            )
            for ticket_id, created_at, pk, text, html in rows:
                texts[ticket_id].append((created_at, pk, text, html))
        for message in seen.new_messages:
            texts[message.ticket_id].append(
                (message.created_at, message.pk, message.body_text, message.body_html)
            )
        documents = []
        for pk, ticket in seen.touched.items():
            ordered = sorted(texts[pk], key=lambda t: (t[0], t[1]))
            body = (search.message_text(text, html) for _at, _pk, text, html in ordered)
            documents.append((pk, search.build_document(ticket.subject, body)))
        for sql, params in _document_statements(documents):
            self.staged.execute_many(sql, params)


def _document_statements(documents: list[tuple[int, str]]) -> list[tuple[str, list[tuple]]]:
    """``search.write_documents``, as statements staged with the group's other writes."""
    table = search.TABLE
    if connection.vendor == "postgresql":
        upsert = (
            f"INSERT INTO {table} (ticket_id, document) VALUES (%s, %s) "
            "ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document"
        )
        return [(upsert, documents)]
    return [  # FTS5 has no upsert
        (f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk, _doc in documents]),
        (f"INSERT INTO {table} (rowid, document) VALUES (%s, %s)", documents),
    ]


# ``ingest._save_result``'s conditional UPDATE, run once per row of the group.
_RESULT_SQL = (
    f"UPDATE {RawMail._meta.db_table} SET "
    + ", ".join(f"{name} = %s" for name in ingest.RESULT_FIELDS)
    + ", accepted_key = %s, claimed_by = '', claimed_until = NULL, processed_at = %s "
    "WHERE id = %s AND claimed_by = %s AND status = %s"
)


def _retry_at() -> object:
    at = timezone.now() + timedelta(milliseconds=200)
    return RawMail._meta.get_field("available_at").get_db_prep_value(at, connection)


def _triage_later(ids: list[int]) -> None:
    from mannerly.coaching.triage import triage_many_later

    triage_many_later(ids)


@dataclass
class Seen:
    """What one segment read ahead, kept up to date with what its messages write."""

    group: Group
    known: KnownIds
    tickets: dict[int, Ticket]
    customers: dict[str, Customer]  # by lower-case address
    accepted: dict[str, int | None]  # accepted key -> its ticket
    waiting: list[tuple[int, str, str]]  # queued rows outside the segment: id, msgid, sender
    states: dict[int, TicketSla] = field(default_factory=dict)
    done: dict[int, Done] = field(default_factory=dict)
    organizations: dict[str, Organization | None] = field(default_factory=dict)
    touched: dict[int, Ticket] = field(default_factory=dict)
    new_tickets: set[int] = field(default_factory=set)
    new_messages: list[Message] = field(default_factory=list)
    snapshots: dict[int, Snapshot] = field(default_factory=dict)

    @classmethod
    def read(cls, segment: list[tuple[RawMail, ParsedMail]], group: Group) -> Seen:
        snapshots = {}
        for row, mail in segment:
            snapshots[row.pk] = Snapshot.of(row)
            ingest._remember_parse(row, mail, group.context)
        mails = [mail for _row, mail in segment]
        keys: set[str] = set()
        for mail in mails:
            keys |= thread_keys(mail.in_reply_to, mail.references, mail.message_id)
        seen = cls(
            group,
            _known(keys),
            {},
            _customers([_sender(row, mail).lower() for row, mail in segment]),
            _accepted([ingest.dedupe_key(mail, row) for row, mail in segment]),
            _waiting(segment),
            snapshots=snapshots,
        )
        named = {ticket for ticket, _direction in seen.known.owners.values()}
        named |= set(seen.known.mentions.values())
        for mail in mails:
            markers = (marker_ticket(m) for m in [mail.in_reply_to, *mail.references])
            named |= {ticket for ticket in markers if ticket is not None}
        replies = [(row, mail) for row, mail in segment if looks_like_reply(mail.subject)]
        customers = {seen.customers.get(_sender(row, mail).lower()) for row, mail in replies}
        since = min((subject_window_start(ingest._when(r, m)) for r, m in replies), default=None)
        seen._load_tickets(named, {c.pk for c in customers if c is not None}, since)
        return seen

    # --- tickets -------------------------------------------------------------------------------

    def _load_tickets(self, ids: set[int], customer_ids: set[int], since) -> None:
        """The named tickets (and those they were merged into), the senders' recently active
        tickets, with their clocks and what was done for them."""
        wanted = Q(pk__in=ids)
        if customer_ids and since is not None:
            active = Q(last_customer_message_at__gte=since) | Q(last_agent_reply_at__gte=since)
            wanted |= Q(customer_id__in=customer_ids, merged_into__isnull=True) & active
        loaded = _locked_tickets(wanted)
        while loaded:
            for ticket in loaded:
                self.tickets[ticket.pk] = ticket
            targets = {t.merged_into_id for t in loaded if t.merged_into_id} - set(self.tickets)
            loaded = _locked_tickets(Q(pk__in=targets))
        new = [pk for pk in self.tickets if pk not in self.states and pk not in self.done]
        for state in TicketSla.objects.filter(ticket_id__in=new):
            state.ticket = self.tickets[state.ticket_id]
            self.states[state.ticket_id] = state
        for pk in new:
            self.done[pk] = set()
        actions = SlaAction.objects.filter(ticket_id__in=new)
        for ticket_id, metric, kind, cycle in actions.values_list(
            "ticket_id", "metric", "kind", "cycle"
        ):
            self.done[ticket_id].add((metric, kind, cycle))

    def ticket(self, pk: int) -> Ticket | None:
        if pk not in self.tickets:
            self._load_tickets({pk}, set(), None)
        return self.tickets.get(pk)

    def resolve(self, ticket_id: int | None, reason: str) -> ThreadMatch | None:
        """``threads._match`` on the tickets read ahead: follow merges to the live ticket."""
        visited: set[int] = set()
        found = None
        while ticket_id is not None and ticket_id not in visited:
            visited.add(ticket_id)
            ticket = self.ticket(ticket_id)
            if ticket is None:
                break
            found, ticket_id = ticket, ticket.merged_into_id
        return ThreadMatch(found, reason) if found is not None else None

    def by_subject_and_sender(self, subject: str, customer: Customer | None, when: datetime):
        """``threads.by_subject_and_sender`` on the tickets read ahead and written since."""
        wanted = subject_to_match(subject, customer)
        if wanted is None:
            return None
        since = subject_window_start(when)
        recent = [
            t
            for t in self.tickets.values()
            if t.customer_id == customer.pk
            and t.merged_into_id is None
            and (
                (t.last_customer_message_at is not None and t.last_customer_message_at >= since)
                or (t.last_agent_reply_at is not None and t.last_agent_reply_at >= since)
            )
        ]
        recent.sort(key=lambda t: t.pk, reverse=True)
        recent.sort(key=_latest_first)
        return first_with_subject(recent, wanted)

    def state_of(self, ticket: Ticket) -> TicketSla:
        """``tracking._locked_state`` for the group: the clock row, built when it has none."""
        state = self.states.get(ticket.pk)
        if state is None:
            state = self.states[ticket.pk] = tracking.state_from_history(ticket)
        return state

    def organization_for(self, domain: str) -> Organization | None:
        if domain not in self.organizations:
            self.organizations[domain] = Organization.objects.filter(domain=domain).first()
        return self.organizations[domain]


def _locked_tickets(wanted: Q) -> list[Ticket]:
    """Tickets locked for the group as the actions lock them (``select_for_update``), in id
    order: two workers' groups then cannot wait on each other in a cycle."""
    tickets = Ticket.objects.select_related("customer").select_for_update(of=("self",))
    return list(tickets.filter(wanted).order_by("pk"))


def _latest_first(ticket: Ticket) -> tuple:
    """``ORDER BY last_customer_message_at DESC`` as the database sorts NULLs."""
    at = ticket.last_customer_message_at
    nulls_first = connection.vendor == "postgresql"
    if at is None:
        return (0 if nulls_first else 2, 0)
    return (1, -at.timestamp())


# Values in one IN (...) list: SQLite takes at most 32,766 parameters per statement, and a
# message names up to a hundred Message-IDs.
IN_CHUNK = 10_000


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[i : i + IN_CHUNK] for i in range(0, len(ordered), IN_CHUNK)] or [[]]


def _known(keys: set[str]) -> KnownIds:
    """``threads.known_ids`` for a group's keys, read in chunks of keys (each key's rows come
    in one chunk, so the answer is the same)."""
    owners: dict[str, tuple[int, str]] = {}
    mentions: dict[str, int] = {}
    for chunk in _chunks(keys):
        found = known_ids(set(chunk))
        owners.update(found.owners)
        mentions.update(found.mentions)
    return KnownIds(owners, mentions)


def _sender(row: RawMail, mail: ParsedMail) -> str:
    return mail.from_.email if mail.from_ else row.sender


def _customers(addresses: list[str]) -> dict[str, Customer]:
    """The customers with these addresses (one query), as ``ingest._find_customer`` has them."""
    wanted = [a for a in dict.fromkeys(addresses) if a]
    if not wanted:
        return {}
    found = CustomerEmail.objects.filter(email__in=wanted).values_list(
        "email", "customer_id", "customer__name", "customer__language", "customer__organization_id"
    )
    customers = {}
    for email, pk, name, language, organization_id in found:
        customer = Customer(pk=pk, name=name, language=language, organization_id=organization_id)
        customer._state.adding = False
        customers[email] = customer
    return customers


def _accepted(keys: list[str]) -> dict[str, int | None]:
    taken = RawMail.objects.filter(accepted_key__in=set(keys))
    return {key: ticket for key, ticket in taken.values_list("accepted_key", "ticket_id") if key}


def _waiting(segment: list[tuple[RawMail, ParsedMail]]) -> list[tuple[int, str, str]]:
    """Queued rows before the segment's that a message may have to wait for (``ingest.
    _wait_for_earlier``): one query for the segment."""
    parents = {m for _row, mail in segment for m in [mail.in_reply_to, *mail.references] if m}
    senders = {row.sender for row, _mail in segment if row.sender}
    ids = [row.pk for row, _mail in segment]
    earlier = RawMail.objects.filter(status=RawMail.Status.PENDING, id__lt=max(ids))
    earlier = earlier.exclude(id__in=ids)
    found: set[tuple[int, str, str]] = set()
    for n, chunk in enumerate(_chunks(parents)):
        wanted = Q(msgid__in=chunk) | (Q(sender__in=senders) if n == 0 else Q())
        found |= set(earlier.filter(wanted).values_list("id", "msgid", "sender"))
    return sorted(found)


class Taking:
    """One message of a segment: ``ingest._process_claimed`` on what the segment read."""

    def __init__(self, group: Group, seen: Seen, row: RawMail, mail: ParsedMail) -> None:
        self.group, self.seen, self.row, self.mail = group, seen, row, mail
        self.staged = group.staged
        self.key = ingest.dedupe_key(mail, row)
        self.when = ingest._when(row, mail)
        self.ticket: Ticket | None = None  # the ticket the message joined

    def run(self) -> None:
        snapshot = self.seen.snapshots[self.row.pk]
        try:
            self._take()
            if self.ticket is not None:
                _as_read_back(self.ticket)
                _as_read_back(self.seen.states.get(self.ticket.pk))
        except ingest.Deferred:
            self.group.defer(self.row)
            self.seen.waiting.append(
                (self.row.pk, snapshot.values["msgid"], snapshot.values["sender"])
            )
        except ingest.Quarantine as verdict:
            self.group.quarantine(self.row, str(verdict), snapshot)
        except Conflict:  # as ingest._duplicate_of_accepted: the row as stored
            snapshot.restore(self.row)
            ticket_id = self.seen.accepted[self.key]
            self.group.result(self.row, RawMail.Action.DUPLICATE, ticket_id, "already received")

    def _take(self) -> None:
        row, mail, seen = self.row, self.mail, self.seen
        if mail.message_id in seen.known.owners:
            ticket_id, direction = seen.known.owners[mail.message_id]
            why = "our own outgoing message" if direction == Message.Direction.OUT else ""
            self.group.result(row, RawMail.Action.DUPLICATE, ticket_id, why or "already received")
            return
        if self.key.startswith("sha256:") and self.key in seen.accepted:
            raise Conflict
        if row.size > ingest.settings.MAIL_MAX_SIZE:
            limit = ingest.settings.MAIL_MAX_SIZE
            raise ingest.Quarantine(f"too large: {row.size} bytes (limit {limit})")
        sender = _sender(row, mail)
        if not sender or "@" not in sender:
            raise ingest.Quarantine("no sender address (From)")
        if mailboxes.is_own(sender, self.group.context.own):
            return self._automatic(None, "from our own address")
        customer = seen.customers.get(sender.lower())
        match = self._find_thread(sender, customer)
        if mail.auto_reply:
            return self._automatic(match, "automatic reply", customer)
        self._claim_key()
        if match is None and customer is not None:
            return self._create(customer, _as_found(customer))
        if match is None:
            customer = self._new_customer(mail.from_ or Address("", sender))
            return self._create(customer, customer)
        if customer is None:
            customer = self._new_customer(mail.from_ or Address("", sender))
        self._append(match, customer)

    # --- threads ---------------------------------------------------------------------------

    def _strong_match(self, own_id: str) -> ThreadMatch | None:
        mail, seen = self.mail, self.seen
        references = [mail.in_reply_to, *mail.references]
        return by_message_ids(
            mail.in_reply_to, mail.references, own_id, seen.known, seen.resolve
        ) or by_marker(references, seen.resolve)

    def _find_thread(self, sender: str, customer: Customer | None) -> ThreadMatch | None:
        strong = self._strong_match(self.mail.message_id)
        if strong is not None:
            return strong
        self._wait_for_earlier()
        # No ticket token in the subject: those messages go through ``ingest.process``.
        return self.seen.by_subject_and_sender(self.mail.subject, customer, self.when)

    def _wait_for_earlier(self) -> None:
        row, mail = self.row, self.mail
        earlier = [(msgid, sender) for pk, msgid, sender in self.seen.waiting if pk < row.pk]
        parents = {m for m in [mail.in_reply_to, *mail.references] if m}
        if parents and any(msgid in parents for msgid, _sender in earlier):
            raise ingest.Deferred
        replying = looks_like_reply(mail.subject) and row.sender
        if replying and any(sender == row.sender for _msgid, sender in earlier):
            raise ingest.Deferred

    def _claim_key(self) -> None:
        """The unique accepted key ``ingest`` sets with the result: taken means duplicate."""
        if self.key in self.seen.accepted:
            raise Conflict

    # --- customers -------------------------------------------------------------------------

    def _new_customer(self, sender: Address) -> Customer:
        address = sender.email.lower()
        name = sender.name.strip() or address.partition("@")[0]
        domain = address.rpartition("@")[2]
        organization = None
        if self.group.context.organizations and domain:
            organization = self.seen.organization_for(domain)
        customer = Customer(
            pk=self.staged.new_id(Customer), name=name[:200], organization=organization
        )
        self.staged.add(customer)
        self.staged.add_values(
            CustomerEmail, customer_id=customer.pk, email=address, is_primary=True
        )
        self.seen.customers[address] = customer
        return customer

    # --- what is taken -------------------------------------------------------------------------

    def _message(self, ticket: Ticket, customer: Customer | None, kind: str, **fields) -> Message:
        values = ingest._message_fields(self.row, self.mail)
        values.update(fields)
        message = Message(
            pk=self.staged.new_id(Message),
            ticket=ticket,
            direction=Message.Direction.IN,
            kind=kind,
            channel=Ticket.Channel.EMAIL,
            author=None,
            customer=customer,
            body_text=self.mail.text,
            created_at=self.when,
            **values,
        )
        self.staged.add(message)
        self.seen.new_messages.append(message)
        self.seen.touched[ticket.pk] = ticket
        self.ticket = ticket
        return message

    def _create(self, customer: Customer, given: Customer) -> None:
        """``actions.do_open_ticket`` as mail intake calls it, ``given`` the customer (as
        ``ingest`` has it: read back by address, or just created)."""
        row, mail, now = self.row, self.mail, self.when
        subject = mail.subject[:500].strip() or _("(no subject)")
        ticket = Ticket(
            pk=self.staged.new_id(Ticket),
            subject=subject,
            customer=given,
            channel=Ticket.Channel.EMAIL,
            language=customer.language,
            priority=Ticket.Priority.NORMAL,
            team_id=row.mailbox.team_id if row.mailbox else None,
            created_at=now,
            updated_at=now,
            last_customer_message_at=now,
        )
        self.staged.add(ticket)
        self.seen.tickets[ticket.pk] = ticket
        self.seen.new_tickets.add(ticket.pk)
        message = self._message(ticket, customer, Message.Kind.MESSAGE, subject=ticket.subject)
        self._event(ticket, "created", channel=Ticket.Channel.EMAIL)
        state = TicketSla(ticket=ticket, awaiting_since=now, running=tracking.clocks_run(ticket))
        self.seen.states[ticket.pk] = state
        self.seen.done[ticket.pk] = set()
        acknowledge = ticket.channel in tracking.ACKNOWLEDGED_CHANNELS
        tracking.recompute(
            ticket, state, now, acknowledge=acknowledge, new=True, done=set(), staged=self.staged
        )
        ticket.customer = customer  # later messages of the group see the customer as stored
        self.group.triage.append(message.pk)
        self._record(message, ticket, participants=True)
        self._done(RawMail.Action.CREATED, ticket.pk, "new thread", message)

    def _append(self, match: ThreadMatch, customer: Customer) -> None:
        """``actions.do_customer_message`` for a customer's real message."""
        ticket, now = match.ticket, self.when
        message = self._message(ticket, customer, Message.Kind.MESSAGE)
        fields = ["last_customer_message_at"]
        ticket.last_customer_message_at = now
        if ticket.status != Ticket.Status.NEW and ticket.status != Ticket.Status.OPEN:
            self._event(ticket, "reopened", previous=ticket.status)
            ticket.status = Ticket.Status.OPEN
            fields.append("status")
        ticket.updated_at = timezone.now()
        self.staged.changed(ticket, ["updated_at", *fields])
        self._event(ticket, "customer-message", message=message.pk)
        state = self.seen.state_of(ticket)
        if state.awaiting_since is None:
            state.awaiting_since = now
        done = self.seen.done.setdefault(ticket.pk, set())
        tracking.recompute(ticket, state, now, done=done, staged=self.staged)
        self.group.triage.append(message.pk)
        self._record(message, ticket, participants=True)
        self._done(RawMail.Action.APPENDED, ticket.pk, match.reason, message)

    def _automatic(
        self, match: ThreadMatch | None, why: str, customer: Customer | None = None
    ) -> None:
        """``ingest._take_automatic``: joins its ticket as such, never opens or reopens one."""
        if match is None:
            match = self._strong_match("")
            if match is None and customer is None:
                customer = self.seen.customers.get(_sender(self.row, self.mail).lower())
            if match is None and customer is not None:
                match = self.seen.by_subject_and_sender(self.mail.subject, customer, self.when)
        if match is None:
            self._wait_for_earlier()
            self._claim_key()
            return self._done(RawMail.Action.AUTO_REPLY, None, f"{why}; no ticket, kept aside")
        self._claim_key()
        ticket = match.ticket
        message = self._message(ticket, customer, Message.Kind.AUTO_REPLY)
        self._event(ticket, Message.Kind.AUTO_REPLY, message=message.pk)
        self._record(message, ticket, participants=False)
        self._done(RawMail.Action.AUTO_REPLY, ticket.pk, why, message)

    def _event(self, ticket: Ticket, kind: str, **data) -> None:
        self.staged.add_values(
            TicketEvent, ticket_id=ticket.pk, actor_id=None, kind=kind, reason="", data=data
        )

    def _done(self, action: str, ticket_id: int | None, reason: str, message=None) -> None:
        self.seen.accepted[self.key] = ticket_id
        message_id = message.pk if message is not None else None
        self.group.result(self.row, action, ticket_id, reason, message_id, self.key)

    def _record(self, message: Message, ticket: Ticket, *, participants: bool) -> None:
        """``ingest._record``: thread links, attachments and the thread's people."""
        mail, known = self.mail, self.seen.known
        links = [(mail.message_id[:998], message.pk, True)]
        links += [
            (key[:998], message.pk, False)
            for key in dict.fromkeys([mail.in_reply_to, *mail.references])
            if key and key != mail.message_id
        ]
        links = [link for link in links if link[0]]
        self.staged.add_rows(ThreadLink, ["key", "message_id", "own"], links)
        for key, _pk, own in links:
            if own:
                known.owners[key] = (ticket.pk, Message.Direction.IN)
            else:
                known.mentions[key] = ticket.pk
        for att in mail.attachments:
            self.staged.add_values(
                Attachment,
                message_id=message.pk,
                filename=(att.filename or "attachment")[:500],
                content_type=(att.content_type or "application/octet-stream")[:200],
                size=len(att.data),
                sha256=store_blob(att.data),
                inline=att.inline,
                content_id=(att.content_id or "")[:500],
            )
        if participants:
            self._participants(ticket)

    def _participants(self, ticket: Ticket) -> None:
        """``ingest._remember_participants``, staged."""
        mail, own = self.mail, self.group.context.own
        people: list[Address] = list(mail.reply_to[:1] or ([mail.from_] if mail.from_ else []))
        recipients = [*mail.to, *mail.cc]
        added_at = Participant._meta.get_field("added_at").get_db_prep_value(
            timezone.now(), connection
        )
        if self.row.mailbox is not None or any(mailboxes.is_own(a.email, own) for a in recipients):
            people += recipients
        rows = {}
        for person in people:
            email = person.email.lower()
            if not email or "@" not in email or email in rows:
                continue
            if mailboxes.is_own(email, own) or mailboxes.is_machine(email):
                continue
            rows[email] = (ticket.pk, email[:320], person.name[:300], True, added_at)
        columns = ["ticket_id", "email", "name", "active", "added_at"]
        self.staged.add_rows(Participant, columns, list(rows.values()), ignore_conflicts=True)


def _as_read_back(row: Ticket | TicketSla | None) -> None:
    """Times as the next message would read them from the database: in UTC. (Deadlines are
    compared as ISO text, so the same instant in another zone counts as another deadline.)"""
    if row is None:
        return
    for model_field in row._meta.concrete_fields:
        if isinstance(model_field, DateTimeField):
            value = getattr(row, model_field.attname)
            if value is not None and value.utcoffset():
                setattr(row, model_field.attname, value.astimezone(UTC))


def _as_found(customer: Customer) -> Customer:
    """The customer as ``ingest._find_customer`` returns a stored one (id, name and language):
    a new ticket's deadlines are computed with that, as ``do_open_ticket`` is given it."""
    found = Customer(pk=customer.pk, name=customer.name, language=customer.language)
    found._state.adding = False
    return found
