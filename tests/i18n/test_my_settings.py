"""My settings: a signed-in person chooses their interface language and time zone, and only theirs."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for method in (client.get, client.post):
        response = method(reverse("accounts:settings"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_header_links_to_my_settings(client, oleh):
    html = signed_in(client, oleh).get(reverse("tickets:inbox")).content.decode()
    assert f'href="{reverse("accounts:settings")}"' in html and "My settings" in html


def test_saving_switches_the_language_and_time_zone_at_once(client, oleh):
    signed_in(client, oleh)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'value="en" selected' in page and "Europe/Kyiv" in page

    response = client.post(
        reverse("accounts:settings"), {"language": "uk", "time_zone": "Europe/Kyiv"}
    )
    assert response.status_code == 303 and response["Location"] == reverse("accounts:settings")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    oleh.refresh_from_db()
    assert (oleh.language, oleh.time_zone) == ("uk", "Europe/Kyiv")

    html = client.get(reverse("accounts:settings")).content.decode()
    assert "Ваші налаштування збережено." in html and "Мої налаштування" in html
    overview = client.get(reverse("sla:overview")).content.decode()
    assert "Europe/Kyiv" in overview and "Рівні обслуговування" in overview


def test_an_unknown_language_or_zone_is_refused_and_nothing_changes(client, oleh):
    signed_in(client, oleh)
    for data in (
        {"language": "tlh", "time_zone": "UTC"},
        {"language": "ru", "time_zone": "Mars/Olympus_Mons"},
    ):
        response = client.post(reverse("accounts:settings"), data)
        assert response.status_code == 422
        assert 'class="errorlist' in response.content.decode()
    oleh.refresh_from_db()
    assert (oleh.language, oleh.time_zone) == ("en", "UTC")


def test_nobody_can_change_someone_elses_settings(client, oleh, mei):
    """The page edits the signed-in user's own row; ids or names in the form are ignored."""
    signed_in(client, oleh)
    response = client.post(
        reverse("accounts:settings"),
        {
            "language": "ru",
            "time_zone": "Europe/Moscow",
            "id": mei.pk,
            "pk": mei.pk,
            "user": mei.pk,
            "username": "mei",
        },
    )
    assert response.status_code == 303
    mei.refresh_from_db()
    oleh.refresh_from_db()
    assert (mei.language, mei.time_zone, mei.username) == ("en", "UTC", "mei")
    assert (oleh.language, oleh.username) == ("ru", "oleh")


def test_a_customer_can_switch_the_portal_to_english(client, olena):
    signed_in(client, olena.user)
    assert "Мої звернення" in client.get(reverse("portal:tickets")).content.decode()
    response = client.post(
        reverse("accounts:settings"), {"language": "en", "time_zone": "Europe/Kyiv"}
    )
    assert response.status_code == 303
    html = client.get(reverse("portal:tickets")).content.decode()
    assert "My requests" in html and "Мої звернення" not in html


def test_a_chinese_customers_login_shows_simplified_chinese_selected(client, wang_fang):
    page = signed_in(client, wang_fang.user).get(reverse("accounts:settings")).content.decode()
    assert 'value="zh-hans" selected' in page
