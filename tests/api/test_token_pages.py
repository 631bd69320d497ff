"""The API-token page: list, create (the secret shown once), revoke; each user only their own."""

import re

import pytest
from django.urls import reverse

from mannerly.accounts.models import ApiToken
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD

TOKEN_RE = re.compile(r"mnly_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return sign_in


def test_token_page_needs_sign_in(client, db):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_created_token_is_shown_once_and_only_its_hash_is_stored(signed_in, oleh):
    client = signed_in(oleh)
    response = client.post(reverse("accounts:tokens"), {"name": "billing sync"})
    assert response.status_code == 201
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    token = TOKEN_RE.search(response.content.decode()).group(0)
    row = ApiToken.objects.get(user=oleh)
    assert row.name == "billing sync" and row.digest == ApiToken.hash(token)
    assert token not in str(ApiToken.objects.values_list().get())
    # The list shows only the prefix afterwards, never the secret.
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "billing sync" in page and row.prefix in page and token not in page
    # And the token works against the API.
    assert ApiClient(token).get("me").json()["username"] == "oleh"


def test_customer_can_create_a_token_for_their_own_tickets(signed_in, anna):
    client = signed_in(anna.user)
    response = client.post(reverse("accounts:tokens"), {"name": "my script"})
    token = TOKEN_RE.search(response.content.decode()).group(0)
    me = ApiClient(token).get("me").json()
    assert me["role"] == "customer" and me["customer"] == anna.pk


def test_blank_token_name_is_refused(signed_in, oleh):
    response = signed_in(oleh).post(reverse("accounts:tokens"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working(signed_in, oleh):
    row, token = ApiToken.issue(oleh, "old")
    client = signed_in(oleh)
    response = client.post(reverse("accounts:token-revoke", args=[row.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=row.pk).exists()
    assert ApiClient(token).get("me").status_code == 401


def test_nobody_revokes_another_users_token(signed_in, oleh, mei, sofia):
    row, token = ApiToken.issue(mei, "mei's")
    for user in (oleh, sofia):
        client = signed_in(user)
        assert client.post(reverse("accounts:token-revoke", args=[row.pk])).status_code == 404
        assert "mei&#x27;s" not in client.get(reverse("accounts:tokens")).content.decode()
    assert ApiClient(token).get("me").status_code == 200


def test_revoke_needs_post_and_csrf(oleh, mei):
    from django.test import Client

    row, _token = ApiToken.issue(oleh, "x")
    client = Client(enforce_csrf_checks=True)
    client.login(username="oleh", password=PASSWORD)
    url = reverse("accounts:token-revoke", args=[row.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_token_page_speaks_the_users_language(signed_in, oleh):
    oleh.language = "uk"
    oleh.save(update_fields=["language"])
    page = signed_in(oleh).get(reverse("accounts:tokens"))
    assert page.status_code == 200
    assert page.headers["Content-Language"] == "uk"
    assert "API-токени" in page.content.decode() and "Your tokens" not in page.content.decode()
