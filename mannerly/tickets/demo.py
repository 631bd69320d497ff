"""Load the demo: a support team and its customers in English, Chinese, Ukrainian and Russian.

Everything goes through the same actions as real work, each run with the clock set to when it
happened (time-machine), so history, events, handovers and service-level clocks are exactly what
the desk would have recorded over those weeks.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from mannerly.accounts.models import Team, User
from mannerly.tickets import actions
from mannerly.tickets.demo_people import CUSTOMERS, DEMO_LOGINS, ORGANIZATIONS, STAFF
from mannerly.tickets.demo_stories import AMOUNTS, EVERYDAY, STORIES
from mannerly.tickets.models import Customer, CustomerEmail, Message, Organization, Tag, Ticket

__all__ = ["DEMO_LOGINS", "load_demo_data"]

TICKET_COUNT = 200
SEED = 20261202


def already_loaded() -> bool:
    return User.objects.filter(username="oleh").exists()


def password_for(username: str) -> str:
    return next(password for name, password, _ in DEMO_LOGINS if name == username)


@transaction.atomic
def load_demo_data() -> bool:
    """Load the demo once; returns False when it is already there (running again keeps data)."""
    if already_loaded():
        return False
    team = Team.objects.create(name="Support", email="support@mannerly.localhost")
    staff = _create_staff(team)
    customers = _create_customers()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rng = random.Random(SEED)
    for story in STORIES:
        started = now - timedelta(hours=_story_age_hours(story, rng))
        _play_story(story, customers, staff, team, started)
    for number in range(TICKET_COUNT - len(STORIES)):
        _everyday_ticket(number, customers, staff, team, now, rng)
    return True


def _create_staff(team: Team) -> dict[str, User]:
    staff = {}
    for username, name, role, language, zone, signature in STAFF:
        user = User.objects.create_user(
            username,
            password=password_for(username),
            email=f"{username}@mannerly.localhost",
            display_name=name,
            role=role,
            language=language,
            time_zone=zone,
            signature=signature,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        team.members.add(user)
        staff[username] = user
    return staff


def _create_customers() -> dict[str, Customer]:
    organizations = [Organization.objects.create(name=n, domain=d) for n, d in ORGANIZATIONS]
    customers = {}
    for name, email, language, zone, org, _greet in CUSTOMERS:
        customer = Customer.objects.create(
            name=name,
            language=language,
            time_zone=zone,
            organization=organizations[org] if org is not None else None,
        )
        CustomerEmail.objects.create(customer=customer, email=email, is_primary=True)
        customers[email] = customer
    anna = customers["anna@example.com"]
    anna.user = User.objects.create_user(
        "anna",
        password=password_for("anna"),
        email="anna@example.com",
        display_name=anna.name,
        role=User.Role.CUSTOMER,
        time_zone=anna.time_zone,
    )
    anna.save(update_fields=["user"])
    return customers


def _story_age_hours(story: dict, rng: random.Random) -> float:
    """Stories end recently, so their last step lies between one and twelve hours ago."""
    last_step = max(step[0] for step in story["steps"])
    return last_step + rng.uniform(1, 12)


def _play_story(story, customers, staff, team, started: datetime) -> Ticket:
    customer = customers[story["customer"]]
    email = story["customer"]
    steps = list(story["steps"])
    for _hours, _kind, actor, flag_kind, note in (s for s in steps if s[1] == "flag"):
        actions.do_flag_customer(customer, staff[actor], flag_kind, note)
    first = next(s for s in steps if s[1] == "in")
    with _clock(started):
        ticket = actions.do_open_ticket(
            customer,
            story["subject"],
            first[2],
            team=team,
            priority=story.get("priority", Ticket.Priority.NORMAL),
            from_name=customer.name,
            from_email=email,
        )
        ticket.tags.set(Tag.objects.get_or_create(name=name)[0] for name in story.get("tags", []))
    latest = timezone.now() - timedelta(minutes=5)
    for step in steps:
        if step is first or step[1] == "flag":
            continue
        with _clock(min(started + timedelta(hours=step[0]), latest)):
            _play_step(ticket, customer, email, staff, step)
    return ticket


def _clock(when: datetime):
    """Run the actions of one step as if it were ``when``."""
    return time_machine.travel(when, tick=False)


def _play_step(ticket: Ticket, customer: Customer, email: str, staff, step: tuple) -> None:
    kind = step[1]
    if kind == "in":
        actions.do_customer_message(ticket, customer, step[2], from_email=email)
    elif kind == "auto":
        actions.do_customer_message(
            ticket, customer, step[2], kind=Message.Kind.AUTO_REPLY, from_email=email
        )
    elif kind == "out":
        actions.do_reply(ticket, staff[step[2]], step[3], status=step[4])
    elif kind == "note":
        actions.do_add_note(ticket, staff[step[2]], step[3])
    elif kind == "assign":
        if ticket.assignee_id is None:
            actions.do_assign(ticket, staff[step[2]], staff[step[2]])
        actions.do_assign(ticket, staff[step[2]], staff[step[3]], handover_note=step[4])
    elif kind == "status":
        actions.do_change_status(ticket, staff[step[2]], step[3])


def _everyday_ticket(number: int, customers, staff, team, now: datetime, rng: random.Random):
    email, customer = list(customers.items())[number % len(customers)]
    language = customer.language
    subject, question, answer, follow_up = rng.choice(EVERYDAY[language])
    agent = _agent_for(language, staff, rng)
    greet = next(g for _n, address, *_rest, g in CUSTOMERS if address == email)
    values = {
        "order": f"{rng.randint(10000, 99999)}",
        "amount": AMOUNTS[language].format(n=rng.choice([19, 49, 120, 350, 990, 2300])),
        "day": rng.randint(1, 28),
        "greet": greet,
        "agent": agent.name,
    }
    outcome = rng.choices(
        ["new", "open", "pending", "solved", "closed"], weights=[8, 6, 10, 36, 40]
    )[0]
    age_days = rng.uniform(0.05, 2) if outcome in ("new", "open") else rng.uniform(0.5, 90)
    started = now - timedelta(days=age_days)
    steps: list[tuple] = [(0, "in", question.format(**values))]
    if outcome != "new":
        status = {"open": "open", "pending": "pending"}.get(outcome, "solved")
        reply_after = rng.uniform(0.2, 3)
        if rng.random() < 0.15:
            steps.append((reply_after * 0.5, "note", agent.username, _note(language)))
        steps.append((reply_after, "out", agent.username, answer.format(**values), status))
        if outcome in ("solved", "closed") and follow_up:
            steps.append((reply_after + rng.uniform(1, 20), "in", follow_up))
            steps.append((reply_after + 21, "status", agent.username, "solved"))
        if outcome == "closed":
            steps.append((reply_after + 24 * 7, "status", agent.username, "closed"))
    story = {
        "customer": email,
        "subject": subject.format(**values),
        "steps": steps,
        "tags": [],
    }
    _play_story(story, customers, staff, team, started)


def _agent_for(language: str, staff: dict[str, User], rng: random.Random) -> User:
    if language == "zh":
        return staff["mei"]
    if language in ("uk", "ru"):
        return staff["oleh"]
    return staff[rng.choice(["oleh", "mei"])]


NOTES = {
    "en": "Checked the account: nothing unusual; answer from the help centre article.",
    "zh": "已核对账户，无异常，按帮助中心文章回复即可。",
    "uk": "Перевірив акаунт, усе гаразд; відповідь за статтею з бази знань.",
    "ru": "Проверил аккаунт, всё в порядке; ответ по статье из базы знаний.",
}


def _note(language: str) -> str:
    return NOTES[language]
