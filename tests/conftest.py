"""The cast every test shares: customers Anna (en), 王芳 (zh), Олена (uk), Андрей (ru);
agents Oleh and Mei; supervisor Sofia; and a desk admin.

Staff work in the desk's default language, English, so tests read English labels; a test about
another interface language sets the user's ``language`` itself (see tests/i18n)."""

import pytest
from django.db import connection

from mannerly.accounts.models import Team, User
from mannerly.tickets.models import Customer, CustomerEmail

PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres_only`` need row locks shared by several processes (SKIP LOCKED)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (row locks across worker processes): set DATABASE_URL"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Each test stores mail and attachments in its own folder (and hashes passwords quickly)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.MAIL_DIR = settings.DATA_DIR / "mail"
    settings.ATTACHMENT_DIR = settings.DATA_DIR / "attachments"
    settings.LOG_DIR = settings.DATA_DIR / "logs"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def make_user(username: str, name: str, role: str, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, display_name=name, role=role, **extra
    )


def make_customer(name: str, email: str, language: str, zone: str, *, login: str = "") -> Customer:
    customer = Customer.objects.create(name=name, language=language, time_zone=zone)
    CustomerEmail.objects.create(customer=customer, email=email, is_primary=True)
    if login:
        customer.user = make_user(login, name, User.Role.CUSTOMER, language=language)
        customer.save(update_fields=["user"])
    return customer


@pytest.fixture
def team(db):
    return Team.objects.create(name="Support", email="support@mannerly.test")


@pytest.fixture
def oleh(team):
    user = make_user("oleh", "Oleh Kovalenko", User.Role.AGENT)
    team.members.add(user)
    return user


@pytest.fixture
def mei(team):
    user = make_user("mei", "Mei Lin", User.Role.AGENT)
    team.members.add(user)
    return user


@pytest.fixture
def sofia(team):
    user = make_user("sofia", "Sofia Brown", User.Role.SUPERVISOR)
    team.members.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", "Desk Admin", User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def anna(db):
    return make_customer("Anna Smith", "anna@example.com", "en", "America/New_York", login="anna")


@pytest.fixture
def wang_fang(db):
    return make_customer("王芳", "wang.fang@example.cn", "zh", "Asia/Shanghai", login="wangfang")


@pytest.fixture
def olena(db):
    return make_customer("Олена Коваль", "olena@example.ua", "uk", "Europe/Kyiv", login="olena")


@pytest.fixture
def andrey(db):
    return make_customer(
        "Андрей Иванов", "andrey@example.ru", "ru", "Europe/Moscow", login="andrey"
    )
