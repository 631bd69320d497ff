"""The etiquette endpoints answer exactly what the engine answers, to staff only."""

import json

import pytest

from mannerly.etiquette import lint, triage
from tests.api.conftest import token_for

ANGRY = (
    "This is the third time I write!!! I was charged twice for my subscription. "
    "Can you refund the second charge? I want to speak to a manager."
)
DRAFT = "Hi Anna,\n\nThank you for writing. The refund is on its way.\n\nBest regards,\nOleh"


@pytest.fixture
def api(as_user, oleh):
    return as_user(oleh)


def test_triage_returns_the_engines_json(api):
    response = api.post("etiquette/triage", {"text": ANGRY})
    assert response.status_code == 200, response.content
    assert response.json() == json.loads(json.dumps(triage(ANGRY)))


def test_triage_with_a_language(api):
    text = "Добрий день! Підкажіть, будь ласка, коли повернуть гроші?"
    response = api.post("etiquette/triage", {"text": text, "lang": "uk"})
    assert response.json() == json.loads(json.dumps(triage(text, "uk")))
    assert response.json()["language"] == "uk"


def test_lint_returns_the_engines_json(api):
    body = {"draft": DRAFT, "message": ANGRY, "customer": "Anna Smith", "agent": "Oleh Kovalenko"}
    response = api.post("etiquette/lint", body)
    assert response.status_code == 200, response.content
    expected = lint(DRAFT, ANGRY, "Anna Smith", "Oleh Kovalenko")
    assert response.json() == json.loads(json.dumps(expected))
    assert "questions" in response.json()


def test_lint_without_a_message_has_no_questions_unless_the_engine_gives_them(api):
    response = api.post("etiquette/lint", {"draft": DRAFT})
    assert response.json() == json.loads(json.dumps(lint(DRAFT)))


def test_customers_get_404(as_user, anna):
    client = as_user(anna.user)
    assert client.post("etiquette/triage", {"text": "hi"}).status_code == 404
    assert client.post("etiquette/lint", {"draft": "hi"}).status_code == 404


def test_input_is_capped_at_100_kb(api):
    response = api.post("etiquette/lint", {"draft": "word " * 25_000})
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


def test_unknown_language_and_fields_are_422(api):
    response = api.post("etiquette/triage", {"text": "hi", "lang": "de", "mood": "x"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
        ("body", "lang"),
        ("body", "mood"),
    }


def test_anonymous_gets_401(anonymous, db):
    assert anonymous.post("etiquette/triage", {"text": "hi"}).status_code == 401


def test_token_of_staff_works_without_csrf(oleh):
    from django.test import Client

    from tests.api.conftest import ApiClient

    client = ApiClient(token_for(oleh), Client(enforce_csrf_checks=True))
    assert client.post("etiquette/triage", {"text": "Where is my parcel?"}).status_code == 200
