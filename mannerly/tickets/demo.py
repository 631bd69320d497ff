"""Demo data: a support team and its customers in English, Chinese, Ukrainian and Russian."""

from __future__ import annotations

from django.db import transaction

from mannerly.accounts.models import Team, User
from mannerly.tickets import actions
from mannerly.tickets.models import Customer, CustomerEmail

DEMO_LOGINS = [
    ("oleh", "oleh-demo-pass", "agent (Ukrainian and Russian)"),
    ("mei", "mei-demo-pass", "agent (Chinese and English)"),
    ("sofia", "sofia-demo-pass", "supervisor"),
    ("admin", "admin-demo-pass", "admin"),
    ("anna", "anna-demo-pass", "customer (Anna Smith)"),
]

STAFF = [
    ("oleh", "Oleh Kovalenko", User.Role.AGENT, "uk", "Europe/Kyiv"),
    ("mei", "Mei Lin", User.Role.AGENT, "zh-hans", "Asia/Shanghai"),
    ("sofia", "Sofia Brown", User.Role.SUPERVISOR, "en", "Europe/London"),
    ("admin", "Desk Admin", User.Role.ADMIN, "en", "UTC"),
]

CUSTOMERS = [
    ("Anna Smith", "anna@example.com", "en", "America/New_York"),
    ("王芳", "wang.fang@example.cn", "zh", "Asia/Shanghai"),
    ("Олена Коваль", "olena@example.ua", "uk", "Europe/Kyiv"),
    ("Андрей Иванов", "andrey@example.ru", "ru", "Europe/Moscow"),
]


def already_loaded() -> bool:
    return User.objects.filter(username="oleh").exists()


def password_for(username: str) -> str:
    return next(p for u, p, _ in DEMO_LOGINS if u == username)


@transaction.atomic
def load_demo_data() -> bool:
    """Load the demo once; returns False when it is already there (running again keeps data)."""
    if already_loaded():
        return False
    team = Team.objects.create(name="Support", email="support@mannerly.localhost")
    staff = {}
    for username, name, role, language, zone in STAFF:
        user = User.objects.create_user(
            username,
            password=password_for(username),
            display_name=name,
            role=role,
            language=language,
            time_zone=zone,
            signature=name,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        team.members.add(user)
        staff[username] = user
    customers = {}
    for name, email, language, zone in CUSTOMERS:
        customer = Customer.objects.create(name=name, language=language, time_zone=zone)
        CustomerEmail.objects.create(customer=customer, email=email, is_primary=True)
        customers[email] = customer
    anna = customers["anna@example.com"]
    anna.user = User.objects.create_user(
        "anna", password=password_for("anna"), display_name="Anna Smith", role=User.Role.CUSTOMER
    )
    anna.save(update_fields=["user"])
    ticket = actions.do_open_ticket(
        anna,
        "Charged twice this month",
        "Hello, I was charged twice this month. Can you refund the second charge?\n\nAnna",
        team=team,
    )
    actions.do_assign(ticket, staff["sofia"], staff["mei"])
    return True
