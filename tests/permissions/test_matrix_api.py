"""Every API operation × every kind of caller, with the status each must get.

The world: customer A (Anna) owns a ticket of the Support team, which is private (Team.scoped);
the agent Oleh is in Support, the agent Ivan only in Billing. Customer B (Olena) owns nothing
there. Hidden objects answer 404 exactly like missing ones; staff-only endpoints answer 404 to
customers; no proof of identity (or a revoked token) is 401.

`test_every_operation_is_in_the_matrix` fails when an endpoint is added without a row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mannerly.accounts.models import ApiToken, Team, User
from mannerly.api.main import api
from mannerly.tickets import actions
from mannerly.tickets.models import Attachment, store_blob
from tests.api.conftest import ApiClient, token_for
from tests.conftest import PASSWORD, make_user

ACTORS = (
    "anonymous",
    "customer_a",
    "customer_b",
    "agent",
    "other_team_agent",
    "supervisor",
    "admin",
    "revoked_token",
)


@dataclass
class World:
    users: dict[str, User | None]
    tokens: dict[str, str | None]
    ticket: Any
    other_ticket: Any
    second_message: Any
    anna: Any
    flag: Any
    attachment: Any


@pytest.fixture
def world(anna, olena, oleh, sofia, admin_user, team):
    team.scoped = True
    team.save()
    ivan = make_user("ivan", "Ivan Petrenko", User.Role.AGENT)
    Team.objects.create(name="Billing", scoped=True).members.add(ivan)
    ticket = actions.do_open_ticket(anna, "Charged twice", "Refund please?", team=team)
    second = actions.do_customer_message(ticket, anna, "And my address changed.")
    other = actions.do_open_ticket(anna, "Refund?", "Any news?", team=team)
    flag = actions.do_flag_customer(anna, oleh, "vip")
    attachment = Attachment.objects.create(
        message=second,
        filename="photo.png",
        content_type="image/png",
        size=3,
        sha256=store_blob(b"png"),
    )
    users = {
        "anonymous": None,
        "customer_a": anna.user,
        "customer_b": olena.user,
        "agent": oleh,
        "other_team_agent": ivan,
        "supervisor": sofia,
        "admin": admin_user,
        "revoked_token": make_user("gone", "Former Contractor", User.Role.AGENT),
    }
    tokens = {name: token_for(user) if user else None for name, user in users.items()}
    ApiToken.objects.filter(user=users["revoked_token"]).delete()
    return World(users, tokens, ticket, other, second, anna, flag, attachment)


def staff_or_customer(staff_body: dict, customer_body: dict):
    return lambda actor: customer_body if actor.startswith("customer") else staff_body


# (method, path template) -> (concrete path, body or body-by-actor, expected statuses by ACTORS)
MATRIX = {
    ("GET", "/api/v1/me"): ("me", None, (401, 200, 200, 200, 200, 200, 200, 401)),
    ("GET", "/api/v1/teams"): ("teams", None, (401, 404, 404, 200, 200, 200, 200, 401)),
    ("GET", "/api/v1/agents"): ("agents", None, (401, 404, 404, 200, 200, 200, 200, 401)),
    ("GET", "/api/v1/tickets"): ("tickets", None, (401, 200, 200, 200, 200, 200, 200, 401)),
    ("POST", "/api/v1/tickets"): (
        "tickets",
        lambda actor, w: (
            {"subject": "Help", "body": "Please"}
            | ({} if actor.startswith("customer") else {"customer": w.anna.pk})
        ),
        (401, 201, 201, 201, 201, 201, 201, 401),
    ),
    ("GET", "/api/v1/tickets/{ticket_id}"): (
        "tickets/{ticket}",
        None,
        (401, 200, 404, 200, 404, 200, 200, 401),
    ),
    ("PATCH", "/api/v1/tickets/{ticket_id}"): (
        "tickets/{ticket}",
        {"priority": "high"},
        (401, 404, 404, 200, 404, 200, 200, 401),
    ),
    ("POST", "/api/v1/tickets/{ticket_id}/merge"): (
        "tickets/{other_ticket}/merge",
        lambda actor, w: {"into": w.ticket.pk},
        (401, 404, 404, 200, 404, 200, 200, 401),
    ),
    ("POST", "/api/v1/tickets/{ticket_id}/split"): (
        "tickets/{ticket}/split",
        lambda actor, w: {"message": w.second_message.pk},
        (401, 404, 404, 201, 404, 201, 201, 401),
    ),
    ("GET", "/api/v1/tickets/{ticket_id}/attachments/{attachment_id}"): (
        "tickets/{ticket}/attachments/{attachment}",
        None,
        (401, 200, 404, 200, 404, 200, 200, 401),
    ),
    ("GET", "/api/v1/tickets/{ticket_id}/events"): (
        "tickets/{ticket}/events",
        None,
        (401, 404, 404, 200, 404, 200, 200, 401),
    ),
    ("GET", "/api/v1/tickets/{ticket_id}/messages"): (
        "tickets/{ticket}/messages",
        None,
        (401, 200, 404, 200, 404, 200, 200, 401),
    ),
    ("POST", "/api/v1/tickets/{ticket_id}/messages"): (
        "tickets/{ticket}/messages",
        lambda actor, w: {
            "type": "message" if actor.startswith("customer") else "note",
            "body": "Hello",
        },
        (401, 201, 404, 201, 404, 201, 201, 401),
    ),
    ("GET", "/api/v1/customers"): ("customers", None, (401, 200, 200, 200, 200, 200, 200, 401)),
    ("POST", "/api/v1/customers"): (
        "customers",
        {"name": "New Customer", "emails": ["new@example.com"]},
        (401, 404, 404, 201, 201, 201, 201, 401),
    ),
    ("GET", "/api/v1/customers/{customer_id}"): (
        "customers/{anna}",
        None,
        (401, 200, 404, 200, 200, 200, 200, 401),
    ),
    ("PATCH", "/api/v1/customers/{customer_id}"): (
        "customers/{anna}",
        {"notes": "Prefers email."},
        (401, 404, 404, 200, 200, 200, 200, 401),
    ),
    ("GET", "/api/v1/customers/{customer_id}/flags"): (
        "customers/{anna}/flags",
        None,
        (401, 404, 404, 200, 200, 200, 200, 401),
    ),
    ("POST", "/api/v1/customers/{customer_id}/flags"): (
        "customers/{anna}/flags",
        {"kind": "legal"},
        (401, 404, 404, 201, 201, 201, 201, 401),
    ),
    ("DELETE", "/api/v1/customers/{customer_id}/flags/{flag_id}"): (
        "customers/{anna}/flags/{flag}",
        None,
        (401, 404, 404, 200, 200, 200, 200, 401),
    ),
}

# Added by the etiquette endpoints when the engine is present on this branch.
ETIQUETTE = {
    ("POST", "/api/v1/etiquette/triage"): (
        "etiquette/triage",
        {"text": "I was charged twice. Can you refund the second charge?"},
        (401, 404, 404, 200, 200, 200, 200, 401),
    ),
    ("POST", "/api/v1/etiquette/lint"): (
        "etiquette/lint",
        {
            "draft": "Hi Anna,\n\nThank you for writing. The refund is on its way.\n\nOleh",
            "customer": "Anna Smith",
            "agent": "Oleh",
        },
        (401, 404, 404, 200, 200, 200, 200, 401),
    ),
}


@cache
def registered_operations() -> frozenset[tuple[str, str]]:
    """Every (method, path) the NinjaAPI serves, read from its own OpenAPI document."""
    schema = api.get_openapi_schema()
    return frozenset(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    )


@cache
def matrix() -> dict:
    known = dict(MATRIX)
    for key, row in ETIQUETTE.items():
        if key in registered_operations():
            known[key] = row
    return known


def test_every_operation_is_in_the_matrix():
    assert registered_operations() - set(matrix()) == set(), "add these operations to MATRIX"
    assert set(matrix()) - registered_operations() == set(), "MATRIX names operations that are gone"


CASES = [
    pytest.param(key, actor, index, id=f"{key[0]} {key[1]} as {actor}")
    for key in matrix()
    for index, actor in enumerate(ACTORS)
]


@pytest.mark.parametrize(("operation", "actor", "index"), CASES)
def test_operation_status_for_each_caller(world, operation, actor, index):
    path, body, expected = matrix()[operation]
    path = path.format(
        ticket=world.ticket.pk,
        other_ticket=world.other_ticket.pk,
        anna=world.anna.pk,
        flag=world.flag.pk,
        attachment=world.attachment.pk,
    )
    token = world.tokens[actor]
    if actor == "revoked_token":
        token = "mnly_" + "r" * 43  # what a revoked token looks like: no row has its hash
    client = ApiClient(token)
    data = body(actor, world) if callable(body) else body
    method = operation[0].lower()
    response = client.get(path) if method == "get" else client.call(method, path, data)
    assert response.status_code == expected[index], response.content
    if response.status_code >= 300 or "attachments" not in path:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("actor", ACTORS[1:-1])
def test_revoked_token_of_each_role_is_401(world, actor):
    row, token = ApiToken.issue(world.users[actor], "to revoke")
    assert ApiClient(token).get("me").status_code == 200
    row.delete()
    assert ApiClient(token).get("me").status_code == 401


@pytest.mark.parametrize("actor", ACTORS[:-1])
def test_openapi_schema_and_docs_are_public(world, actor):
    client = ApiClient(world.tokens[actor])
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


# The token pages: (anonymous, customer A, customer B, agent, other-team agent, supervisor, admin)
PAGE_ACTORS = ACTORS[:-1]


@pytest.mark.parametrize("actor", PAGE_ACTORS)
def test_token_pages_for_each_caller(world, actor):
    client = Client()
    user = world.users[actor]
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    tokens_url = reverse("accounts:tokens")
    mei_token = ApiToken.issue(world.users["agent"], "oleh's")[0]
    own = ApiToken.issue(user, "own")[0] if user else None
    listed = client.get(tokens_url)
    created = client.post(tokens_url, {"name": "new"})
    someone_elses = client.post(reverse("accounts:token-revoke", args=[mei_token.pk]))
    if user is None:
        assert (listed.status_code, created.status_code, someone_elses.status_code) == (
            302,
            302,
            302,
        )
        assert ApiToken.objects.filter(pk=mei_token.pk).exists()
        return
    assert (listed.status_code, created.status_code) == (200, 201)
    if actor == "agent":  # Oleh revokes his own token: that is his to revoke
        assert someone_elses.status_code == 302
    else:
        assert someone_elses.status_code == 404
        assert ApiToken.objects.filter(pk=mei_token.pk).exists()
    assert client.post(reverse("accounts:token-revoke", args=[own.pk])).status_code == 302
    assert not ApiToken.objects.filter(pk=own.pk).exists()
