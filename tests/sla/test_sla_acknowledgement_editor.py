"""Supervisors edit the acknowledgement texts per team and language; nobody else may."""

import pytest
from django.urls import reverse

from mannerly.accounts.models import Team
from mannerly.sla.models import AcknowledgementTemplate
from tests.conftest import PASSWORD

LIST = reverse("sla:acknowledgements")


def edit_url(team, language="en"):
    return reverse("sla:edit-acknowledgement", args=[team.pk if team else 0, language])


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_anonymous_visitor_is_sent_to_sign_in(client, team):
    for url in (LIST, edit_url(team)):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("who", ["customer", "agent"])
def test_customers_and_agents_get_not_found(client, who, anna, oleh, team):
    user = anna.user if who == "customer" else oleh
    signed_in(client, user)
    assert client.get(LIST).status_code == 404
    assert client.get(edit_url(team)).status_code == 404
    assert client.post(edit_url(team), {"body": "Hacked {customer_name}"}).status_code == 404
    assert not AcknowledgementTemplate.objects.filter(team=team).exists()


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_see_every_text(client, who, sofia, admin_user, team):
    page = signed_in(client, sofia if who == "supervisor" else admin_user).get(LIST)
    text = page.content.decode()
    assert page.status_code == 200 and "Whole desk" in text and "Support" in text
    assert "Вітаємо, {customer_name}!" in text


def test_supervisor_saves_a_team_text_that_applies_to_that_team_only(client, sofia, team):
    signed_in(client, sofia)
    body = "Hi {customer_name}, we got #{ticket_id} and answer {answer_by}.\n{team_name}"
    response = client.post(edit_url(team), {"body": body})
    assert response.status_code == 302
    assert AcknowledgementTemplate.objects.get(team=team, language="en").body == body
    assert AcknowledgementTemplate.objects.get(team=None, language="en").body != body


def test_unknown_placeholder_is_refused_and_nothing_is_saved(client, sofia, team):
    signed_in(client, sofia)
    response = client.post(edit_url(team, "uk"), {"body": "Дзвоніть: {agent_phone}"})
    assert response.status_code == 200
    assert "Unknown placeholders: {agent_phone}" in response.content.decode()
    assert not AcknowledgementTemplate.objects.filter(team=team).exists()


def test_preview_fills_placeholders_and_escapes_html(client, sofia):
    signed_in(client, sofia)
    response = client.post(edit_url(None), {"body": "<script>alert(1)</script> {customer_name}"})
    assert response.status_code == 302  # saved: it is only text
    page = client.get(edit_url(None)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Anna Smith" in page


def test_template_tags_are_refused_as_unknown_placeholders(client, sofia):
    signed_in(client, sofia)
    response = client.post(edit_url(None), {"body": "{% debug %} {{ request.user }}"})
    assert response.status_code == 200 and "Unknown placeholders" in response.content.decode()


def test_unknown_team_or_language_is_not_found(client, sofia):
    signed_in(client, sofia)
    assert client.get(reverse("sla:edit-acknowledgement", args=[999, "en"])).status_code == 404
    assert client.get(reverse("sla:edit-acknowledgement", args=[0, "de"])).status_code == 404


def test_list_runs_a_fixed_number_of_queries(client, sofia, django_assert_max_num_queries):
    signed_in(client, sofia)
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for n in range(10):
        team = Team.objects.create(name=f"Team {n}")
        AcknowledgementTemplate.objects.create(team=team, language="ru", body="Привет")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
