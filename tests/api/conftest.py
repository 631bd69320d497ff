"""API callers: each cast member with a personal token, and a client that speaks JSON."""

import json

import pytest
from django.test import Client

from mannerly.accounts.models import ApiToken, Team, User
from mannerly.tickets import actions
from tests.conftest import make_user


class ApiClient:
    """A test client that sends JSON with a bearer token (or nothing, for anonymous calls)."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.token = token
        self.client = client or Client()

    def _headers(self, extra: dict) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra)
        return headers

    def call(self, method: str, path: str, data=None, *, headers: dict | None = None, **kw):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        if method in ("get", "delete") and data is None:
            return getattr(self.client, method)(url, headers=self._headers(headers or {}), **kw)
        body = data if isinstance(data, (bytes, str)) else json.dumps(data)
        kw.setdefault("content_type", "application/json")
        return getattr(self.client, method)(url, body, headers=self._headers(headers or {}), **kw)

    def get(self, path, params=None, **kw):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.get(url, params or {}, headers=self._headers(kw.pop("headers", {})))

    def post(self, path, data=None, **kw):
        return self.call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self.call("patch", path, data, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)


def token_for(user: User, name: str = "script") -> str:
    return ApiToken.issue(user, name)[1]


@pytest.fixture
def as_user():
    """``as_user(user)``: an API client holding a fresh token of that user."""
    return lambda user: ApiClient(token_for(user))


@pytest.fixture
def anonymous():
    return ApiClient()


@pytest.fixture
def private_team(db):
    """Billing keeps its tickets to itself (Team.scoped)."""
    return Team.objects.create(name="Billing", scoped=True)


@pytest.fixture
def ivan(private_team):
    """An agent of the private Billing team only."""
    user = make_user("ivan", "Ivan Petrenko", User.Role.AGENT)
    private_team.members.add(user)
    return user


@pytest.fixture
def anna_ticket(anna, team):
    return actions.do_open_ticket(
        anna, "Charged twice", "Can you refund the second charge?", team=team
    )


@pytest.fixture
def billing_ticket(anna, private_team):
    return actions.do_open_ticket(anna, "Invoice address", "Please fix it.", team=private_team)


@pytest.fixture
def olena_ticket(olena):
    return actions.do_open_ticket(olena, "Повернення коштів", "Коли повернуть гроші?")
