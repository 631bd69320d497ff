"""Sign-in rate limiting and CSRF protection, through the real login form."""

from django.test import Client
from django.urls import reverse

from mannerly.accounts.models import LoginAttempt
from tests.conftest import PASSWORD


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_ten_failed_sign_ins_lock_the_username_with_429(client, oleh, settings):
    assert settings.LOGIN_RATE_LIMIT == 10
    for _ in range(10):
        assert login(client, "oleh", "wrong").status_code == 200
    response = login(client, "oleh", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_also_counts_per_address_across_usernames(client, oleh):
    for i in range(10):
        login(client, f"guess{i}", "wrong")
    assert login(client, "oleh", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_failures(client, oleh):
    for _ in range(9):
        login(client, "oleh", "wrong")
    assert login(client, "oleh", PASSWORD).status_code == 302
    assert LoginAttempt.objects.filter(username="oleh").count() == 0
    client.logout()
    for _ in range(9):
        assert login(client, "oleh", "wrong").status_code == 200
    assert login(client, "oleh", PASSWORD).status_code == 302


def test_a_post_without_csrf_token_is_refused(oleh, anna):
    strict = Client(enforce_csrf_checks=True)
    strict.login(username="oleh", password=PASSWORD)
    from mannerly.tickets import actions

    ticket = actions.do_open_ticket(anna, "Hi", "text")
    response = strict.post(reverse("tickets:note", args=[ticket.pk]), {"body": "forged"})
    assert response.status_code == 403
    assert not ticket.messages.filter(body_text="forged").exists()
    assert (
        Client(enforce_csrf_checks=True)
        .post(reverse("accounts:login"), {"username": "oleh", "password": PASSWORD})
        .status_code
        == 403
    )
