"""Who may open which page: every non-API URL × every kind of visitor, with the expected status.

How to add a view: add a row to MATRIX below, keyed by its URL name ("namespace:name"), with a
function that builds its URL from the world (``w``) and the status each visitor gets for GET and
POST. ``test_every_url_is_in_the_matrix`` fails for any URL pattern without a row.

The world: Anna's ticket lives in the team "Support", which is private (``scoped=True``). Oleh is
a member of it; Bohdan is an agent of another team and must not see the ticket. Olena is another
customer. POSTs carry no form data, so a visitor who is let in gets a form error (422) or a
redirect, and nothing changes state.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mannerly.accounts.models import Team, User
from mannerly.tickets import actions
from tests.conftest import make_user

ROLES = ("anonymous", "customer_a", "customer_b", "agent", "outside_agent", "supervisor", "admin")
EXCLUDED_PREFIXES = ("api/", "static/")  # the API has its own permission tests


def expect(anonymous, customer_a, customer_b, agent, outside_agent, supervisor, admin):
    """The status each visitor gets, in the order of ROLES."""
    return dict(
        zip(
            ROLES,
            (anonymous, customer_a, customer_b, agent, outside_agent, supervisor, admin),
            strict=True,
        )
    )


@dataclass(frozen=True)
class Row:
    url: object  # function(world) -> str
    get: dict
    post: dict


# Shorthands for the common shapes.
DESK_LIST = expect(302, 404, 404, 200, 200, 200, 200)  # any staff member
DESK_TICKET = expect(302, 404, 404, 200, 404, 200, 200)  # staff who may see Anna's ticket
DESK_FORM_POST = expect(302, 404, 404, 422, 404, 422, 422)  # let in, then a form error
# Let into the area, wrong method. The method is checked before any object is looked up, so a
# 405 says nothing about whether a ticket exists.
WRONG_METHOD_DESK = expect(302, 404, 404, 405, 405, 405, 405)
WRONG_METHOD_PORTAL = expect(302, 405, 405, 404, 404, 404, 404)
PORTAL_LIST = expect(302, 200, 200, 404, 404, 404, 404)
PORTAL_ANNAS = expect(302, 200, 404, 404, 404, 404, 404)
PORTAL_ANNAS_POST = expect(302, 422, 404, 404, 404, 404, 404)
EVERYONE_REDIRECTED = expect(302, 302, 302, 302, 302, 302, 302)
SUPERVISORS_ONLY = expect(302, 404, 404, 404, 404, 200, 200)
MAIL_ADMIN = expect(404, 404, 404, 404, 404, 200, 200)
EVERYONE_405 = expect(405, 405, 405, 405, 405, 405, 405)
WRONG_METHOD_SUPERVISORS = expect(302, 404, 404, 404, 404, 405, 405)


def quarantined(w) -> int:
    """A raw message that stays quarantined however often it is reprocessed (no sender)."""
    from mannerly.mail.ingest import ingest_items
    from mannerly.mail.sources import Item

    [outcome] = ingest_items([Item("no-sender.eml", b"Subject: who?\r\n\r\nbody\r\n")])
    return outcome.raw_id


MATRIX: dict[str, Row] = {
    "home": Row(lambda w: reverse("home"), EVERYONE_REDIRECTED, EVERYONE_REDIRECTED),
    "accounts:login": Row(
        lambda w: reverse("accounts:login"),
        expect(200, 302, 302, 302, 302, 302, 302),
        # An empty sign-in form is shown again with errors; signed-in users are sent home.
        expect(200, 302, 302, 302, 302, 302, 302),
    ),
    "accounts:logout": Row(
        lambda w: reverse("accounts:logout"), EVERYONE_REDIRECTED, EVERYONE_REDIRECTED
    ),
    # Everyone changes only their own settings (no user in the URL); an empty form is a 422.
    "accounts:settings": Row(
        lambda w: reverse("accounts:settings"),
        expect(302, 200, 200, 200, 200, 200, 200),
        expect(302, 422, 422, 422, 422, 422, 422),
    ),
    # Django's language chooser (the sign-in page): it only sets a cookie and goes back.
    "set_language": Row(
        lambda w: reverse("set_language"), EVERYONE_REDIRECTED, EVERYONE_REDIRECTED
    ),
    # Everyone manages their own API tokens; an empty form is a 400, someone else's token a 404
    # (tests/permissions/test_matrix_api.py covers revoking one's own and others' tokens).
    "accounts:tokens": Row(
        lambda w: reverse("accounts:tokens"),
        expect(302, 200, 200, 200, 200, 200, 200),
        expect(302, 400, 400, 400, 400, 400, 400),
    ),
    "accounts:token-revoke": Row(
        lambda w: reverse("accounts:token-revoke", args=[999_999]),
        expect(302, 405, 405, 405, 405, 405, 405),
        expect(302, 404, 404, 404, 404, 404, 404),
    ),
    "tickets:inbox": Row(lambda w: reverse("tickets:inbox"), DESK_LIST, WRONG_METHOD_DESK),
    "tickets:bulk": Row(
        lambda w: reverse("tickets:bulk"),
        WRONG_METHOD_DESK,
        expect(302, 404, 404, 302, 302, 302, 302),  # back to the inbox with the form's error
    ),
    "tickets:ticket": Row(
        lambda w: reverse("tickets:ticket", args=[w.ticket.pk]),
        DESK_TICKET,
        WRONG_METHOD_DESK,
    ),
    **{
        f"tickets:{name}": Row(
            (lambda n: lambda w: reverse(f"tickets:{n}", args=[w.ticket.pk]))(name),
            WRONG_METHOD_DESK,
            DESK_FORM_POST,
        )
        for name in ("reply", "note", "status", "properties", "merge")
    },
    "tickets:assign": Row(
        lambda w: reverse("tickets:assign", args=[w.ticket.pk]),
        WRONG_METHOD_DESK,
        # No assignee chosen means "nobody", which the unassigned ticket already has.
        expect(302, 404, 404, 303, 404, 303, 303),
    ),
    "tickets:split": Row(
        lambda w: reverse("tickets:split", args=[w.ticket.pk, w.second_message.pk]),
        WRONG_METHOD_DESK,
        # An empty subject is allowed: the split happens, so only one role may do it per world.
        expect(302, 404, 404, 303, 404, 303, 303),
    ),
    "tickets:attachment": Row(
        lambda w: reverse("tickets:attachment", args=[w.attachment.pk]),
        DESK_TICKET,
        WRONG_METHOD_DESK,
    ),
    "coaching:lint": Row(
        lambda w: reverse("coaching:lint", args=[w.ticket.pk]),
        WRONG_METHOD_DESK,
        expect(302, 404, 404, 200, 404, 200, 200),  # an empty draft is linted too
    ),
    "coaching:flag_customer": Row(
        lambda w: reverse("coaching:flag_customer", args=[w.ticket.pk]),
        WRONG_METHOD_DESK,
        # No flag chosen: back to the ticket with the error, nothing flagged.
        expect(302, 404, 404, 303, 404, 303, 303),
    ),
    "coaching:settings": Row(
        lambda w: reverse("coaching:settings"), SUPERVISORS_ONLY, WRONG_METHOD_SUPERVISORS
    ),
    "coaching:team_settings": Row(
        lambda w: reverse("coaching:team_settings", args=[w.ticket.team_id]),
        SUPERVISORS_ONLY,
        # An empty form is valid: every rule back to its default.
        expect(302, 404, 404, 404, 404, 303, 303),
    ),
    "coaching:sent_anyway": Row(
        lambda w: reverse("coaching:sent_anyway"), SUPERVISORS_ONLY, WRONG_METHOD_SUPERVISORS
    ),
    # Agents see a limited overview of their own tickets; supervisors and admins see the desk.
    "sla:overview": Row(lambda w: reverse("sla:overview"), DESK_LIST, WRONG_METHOD_DESK),
    "sla:acknowledgements": Row(
        lambda w: reverse("sla:acknowledgements"),
        SUPERVISORS_ONLY,
        expect(302, 404, 404, 405, 405, 405, 405),
    ),
    "sla:edit-acknowledgement": Row(
        lambda w: reverse("sla:edit-acknowledgement", args=[w.ticket.team_id, "uk"]),
        SUPERVISORS_ONLY,
        # An empty text is refused with the form shown again.
        expect(302, 404, 404, 404, 404, 200, 200),
    ),
    "portal:tickets": Row(lambda w: reverse("portal:tickets"), PORTAL_LIST, WRONG_METHOD_PORTAL),
    "portal:new": Row(
        lambda w: reverse("portal:new"), PORTAL_LIST, expect(302, 422, 422, 404, 404, 404, 404)
    ),
    "portal:ticket": Row(
        lambda w: reverse("portal:ticket", args=[w.ticket.pk]),
        PORTAL_ANNAS,
        WRONG_METHOD_PORTAL,
    ),
    "portal:reply": Row(
        lambda w: reverse("portal:reply", args=[w.ticket.pk]),
        WRONG_METHOD_PORTAL,
        PORTAL_ANNAS_POST,
    ),
    "portal:attachment": Row(
        lambda w: reverse("portal:attachment", args=[w.attachment.pk]),
        PORTAL_ANNAS,
        WRONG_METHOD_PORTAL,
    ),
    # The mail admin pages: supervisors and admins only, a 404 for everyone else (signed in or
    # not); the method is checked first.
    "mail:quarantine": Row(lambda w: reverse("mail:quarantine"), MAIL_ADMIN, EVERYONE_405),
    "mail:raw": Row(lambda w: reverse("mail:raw", args=[quarantined(w)]), MAIL_ADMIN, EVERYONE_405),
    "mail:reprocess": Row(
        lambda w: reverse("mail:reprocess", args=[quarantined(w)]),
        EVERYONE_405,
        # Reprocessing a message that has no sender quarantines it again: back to the list.
        expect(404, 404, 404, 404, 404, 302, 302),
    ),
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every (name, route) the project serves, namespaced like reverse() wants it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            space = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_patterns(pattern, route, space)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or route
            yield (f"{namespace}:{name}" if namespace else name), route


def served_names() -> dict[str, str]:
    return {
        name: route
        for name, route in url_patterns()
        if not route.lstrip("^").startswith(EXCLUDED_PREFIXES)
    }


def test_every_url_is_in_the_matrix():
    missing = {name: route for name, route in served_names().items() if name not in MATRIX}
    assert not missing, (
        "These URL patterns have no row in the permission matrix "
        "(tests/permissions/test_matrix_views.py, MATRIX): "
        + ", ".join(f"{name!r} ({route})" for name, route in sorted(missing.items()))
        + ". Add a Row with the status each visitor must get."
    )


def test_the_matrix_lists_no_url_that_does_not_exist():
    stale = set(MATRIX) - set(served_names())
    assert not stale, f"Matrix rows for URLs that no longer exist: {sorted(stale)}"


@dataclass
class World:
    users: dict
    ticket: object
    second_message: object
    attachment: object


@pytest.fixture
def world(anna, olena, oleh, sofia, admin_user) -> World:
    support = Team.objects.get(name="Support")
    support.scoped = True
    support.save()
    billing = Team.objects.create(name="Billing", scoped=True)
    bohdan = make_user("bohdan", "Bohdan Shevchenko", User.Role.AGENT)
    billing.members.add(bohdan)
    ticket = actions.do_open_ticket(
        anna,
        "Charged twice",
        "Please refund.",
        team=support,
        attachments=[("receipt.pdf", "application/pdf", b"%PDF receipt")],
    )
    second = actions.do_customer_message(ticket, anna, "And change my address.")
    return World(
        users={
            "anonymous": None,
            "customer_a": anna.user,
            "customer_b": olena.user,
            "agent": oleh,
            "outside_agent": bohdan,
            "supervisor": sofia,
            "admin": admin_user,
        },
        ticket=ticket,
        second_message=second,
        attachment=ticket.messages.first().attachments.get(),
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, world):
    row = MATRIX[name]
    url = row.url(world)
    wrong = []
    for method, expected in (("GET", row.get), ("POST", row.post)):
        for role in ROLES:
            client = Client()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code != expected[role]:
                wrong.append(
                    f"{method} {url} as {role}: {response.status_code}, expected {expected[role]}"
                )
            if name == "tickets:split" and response.status_code == 303:
                # The split moved the message; put it back for the next visitor.
                from mannerly.tickets.models import Message

                Message.objects.filter(pk=world.second_message.pk).update(ticket=world.ticket)
    assert not wrong, "\n".join(wrong)
