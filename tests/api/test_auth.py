"""Tokens and sessions: who is calling, and what happens when the proof is wrong."""

import pytest
from django.test import Client

from mannerly.accounts.models import ApiToken
from tests.api.conftest import ApiClient, token_for
from tests.conftest import PASSWORD


def test_anonymous_call_is_401_with_a_bearer_challenge(anonymous, db):
    response = anonymous.get("tickets")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_identifies_its_user(oleh):
    me = ApiClient(token_for(oleh)).get("me").json()
    assert me["username"] == "oleh" and me["auth"] == "token"
    assert me["teams"] == [{"id": oleh.teams.get().pk, "name": "Support"}]


@pytest.mark.parametrize(
    "header",
    ["Bearer mnly_not-a-real-token", "Bearer ", "Token abc", "Basic b2xlaDpwdw==", "Bearer"],
)
def test_wrong_token_is_401_even_with_a_signed_in_session(oleh, header):
    client = Client()
    client.login(username="oleh", password=PASSWORD)
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_of_a_deactivated_user_is_refused(oleh):
    token = token_for(oleh)
    oleh.is_active = False
    oleh.save()
    assert ApiClient(token).get("me").status_code == 401


def test_last_used_is_recorded_without_a_write_per_request(oleh, django_assert_num_queries):
    row, token = ApiToken.issue(oleh, "sync")
    client = ApiClient(token)
    client.get("me")
    row.refresh_from_db()
    first_use = row.last_used_at
    assert first_use is not None
    client.get("me")
    row.refresh_from_db()
    assert row.last_used_at == first_use


def test_repeated_bad_tokens_are_throttled_per_address(oleh, settings):
    settings.LOGIN_RATE_LIMIT = 3
    bad = ApiClient("mnly_wrong")
    assert [bad.get("me").status_code for _ in range(3)] == [401, 401, 401]
    response = bad.get("me")
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # A valid token behind the same address keeps working.
    assert ApiClient(token_for(oleh)).get("me").status_code == 200
    # The web sign-in from the same address is not locked by a broken script.
    assert (
        Client().post("/accounts/login/", {"username": "oleh", "password": PASSWORD}).status_code
        == 302
    )


def test_session_reads_without_csrf_but_writes_need_it(oleh, anna_ticket):
    client = Client(enforce_csrf_checks=True)
    client.login(username="oleh", password=PASSWORD)
    assert client.get("/api/v1/me").json()["auth"] == "session"
    url = f"/api/v1/tickets/{anna_ticket.pk}/messages"
    body = {"type": "note", "body": "Called her back."}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    client.get("/accounts/tokens/")  # any page that sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201


def test_token_calls_need_no_csrf(oleh, anna_ticket):
    client = ApiClient(token_for(oleh), Client(enforce_csrf_checks=True))
    response = client.post(f"tickets/{anna_ticket.pk}/messages", {"type": "note", "body": "ok"})
    assert response.status_code == 201


def test_errors_speak_the_token_users_language(oleh, mei, anna_ticket):
    from mannerly.tickets import actions

    oleh.language = "uk"
    oleh.save(update_fields=["language"])
    actions.do_assign(anna_ticket, oleh, oleh)
    response = ApiClient(token_for(oleh)).patch(f"tickets/{anna_ticket.pk}", {"assignee": mei.pk})
    assert response.status_code == 400 and response.json()["code"] == "refused"
    assert response["Content-Language"] == "uk"
    assert "передачу" in response.json()["detail"]  # "Напишіть нотатку про передачу: ..."


def test_a_token_user_stored_as_zh_is_answered_in_simplified_chinese(oleh, mei, anna_ticket):
    """Customer logins store ticket-style "zh"; the API must speak zh-hans to them, as pages do."""
    from mannerly.tickets import actions

    oleh.language = "zh"
    oleh.save(update_fields=["language"])
    actions.do_assign(anna_ticket, oleh, oleh)
    response = ApiClient(token_for(oleh)).patch(f"tickets/{anna_ticket.pk}", {"assignee": mei.pk})
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    assert not response.json()["detail"].isascii()  # the handover refusal, in Chinese
