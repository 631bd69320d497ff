"""Bad requests get a clear 4xx in one JSON shape and change nothing; never a 500."""

import json

import pytest

from mannerly.tickets.models import Ticket
from tests.api.conftest import token_for


@pytest.fixture
def api(as_user, oleh):
    return as_user(oleh)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]
    return body


def test_validation_error_names_each_field_by_its_path(api, anna_ticket):
    response = api.patch(
        f"tickets/{anna_ticket.pk}", {"status": "done", "priority": 7, "tags": "billing"}
    )
    body = assert_error(response, 422, "validation_error")
    assert {tuple(e["loc"]) for e in body["errors"]} == {
        ("body", "status"),
        ("body", "priority"),
        ("body", "tags"),
    }
    anna_ticket.refresh_from_db()
    assert anna_ticket.status == Ticket.Status.NEW


def test_unknown_fields_are_rejected_not_ignored(api, anna_ticket):
    body = assert_error(
        api.patch(f"tickets/{anna_ticket.pk}", {"asignee": 1}), 422, "validation_error"
    )
    assert body["errors"] == [
        {
            "loc": ["body", "asignee"],
            "msg": "Extra inputs are not permitted",
            "type": "extra_forbidden",
        }
    ]


def test_wrong_types_are_422(api, anna_ticket):
    response = api.post(f"tickets/{anna_ticket.pk}/messages", {"type": "note", "body": 12})
    body = assert_error(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "body"]


@pytest.mark.parametrize("payload", [[], "text", 3, None])
def test_a_body_that_is_not_an_object_is_422(api, anna_ticket, payload):
    response = api.post(f"tickets/{anna_ticket.pk}/messages", json.dumps(payload))
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize(
    "raw",
    [
        b"{bad",
        b'{"type": "note", "body": "x"',
        b"\xff\xfe\x00",
        b"[" * 100_000,
        b'{"n": 1' + b"1" * 5000 + b"}",
    ],
    ids=["syntax", "truncated", "not-utf8", "deep-nesting", "huge-number"],
)
def test_invalid_json_is_400(api, anna_ticket, raw):
    response = api.post(f"tickets/{anna_ticket.pk}/messages", raw)
    assert_error(response, 400, "invalid_json")


def test_form_encoded_body_is_415(api, anna_ticket):
    response = api.post(
        f"tickets/{anna_ticket.pk}/messages",
        "type=note&body=hello",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 415, "unsupported_media_type")
    assert anna_ticket.messages.count() == 1


def test_json_with_charset_and_vendor_types_is_accepted(api, anna_ticket):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = api.patch(
            f"tickets/{anna_ticket.pk}", {"priority": "high"}, content_type=content_type
        )
        assert response.status_code == 200


def test_huge_body_is_413_before_it_is_read(api, anna_ticket):
    body = json.dumps({"type": "note", "body": "x" * (1024 * 1024 + 1)})
    assert_error(api.post(f"tickets/{anna_ticket.pk}/messages", body), 413, "payload_too_large")
    assert anna_ticket.messages.count() == 1


def test_body_limit_can_be_set(api, anna_ticket, settings):
    settings.MANNERLY_API_MAX_BODY = 100
    body = {"type": "note", "body": "x" * 200}
    assert_error(api.post(f"tickets/{anna_ticket.pk}/messages", body), 413, "payload_too_large")


def test_unknown_ids_are_404(api, db):
    for path in (
        "tickets/999999",
        "tickets/99999999999999999999999",
        "customers/0",
        "tickets/999999/messages",
    ):
        assert_error(api.get(path), 404, "not_found")
    assert_error(api.patch("tickets/999999", {"priority": "low"}), 404, "not_found")


def test_path_ids_that_are_not_numbers_are_422(api, db):
    body = assert_error(api.get("tickets/abc"), 422, "validation_error")
    assert body["errors"][0]["loc"] == ["path", "ticket_id"]


def test_unknown_paths_and_wrong_methods_answer_json(api, db):
    assert_error(api.get("no-such-thing"), 404, "not_found")
    response = api.client.put(
        "/api/v1/me", headers={"Authorization": api._headers({})["Authorization"]}
    )
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_text_the_database_cannot_store_is_422(api, anna_ticket, text):
    raw = json.dumps({"type": "note", "body": text})  # json.dumps escapes both as \\uXXXX
    assert_error(api.post(f"tickets/{anna_ticket.pk}/messages", raw), 422, "validation_error")
    if "\x00" in text:  # a query string cannot even carry a lone surrogate
        assert_error(api.get("tickets", {"q": text}), 422, "validation_error")
        assert_error(api.get("customers", {"q": text}), 422, "validation_error")


def test_action_refusal_is_400_with_its_message(api, anna_ticket, mei, oleh):
    api.patch(f"tickets/{anna_ticket.pk}", {"assignee": oleh.pk})
    body = assert_error(
        api.patch(f"tickets/{anna_ticket.pk}", {"assignee": mei.pk}), 400, "refused"
    )
    assert "handover" in body["detail"].lower() or "передач" in body["detail"].lower()


def test_state_conflicts_are_409(api, anna, anna_ticket):
    from mannerly.tickets import actions

    other = actions.do_open_ticket(anna, "Refund?", "Any news?")
    assert api.post(f"tickets/{other.pk}/merge", {"into": anna_ticket.pk}).status_code == 200
    again = api.post(f"tickets/{other.pk}/merge", {"into": anna_ticket.pk})
    assert_error(again, 409, "conflict")


def test_pagination_bounds_are_422(api, db):
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10**30}):
        assert_error(api.get("tickets", params), 422, "validation_error")


def test_bad_filters_are_422(api, db):
    for params in ({"status": "done"}, {"assignee": "him"}, {"updated_since": "yesterday"}):
        body = assert_error(api.get("tickets", params), 422, "validation_error")
        assert body["errors"][0]["loc"][0] == "query"


def test_customer_token_on_staff_endpoint_is_404(anna, anna_ticket):
    from tests.api.conftest import ApiClient

    client = ApiClient(token_for(anna.user))
    assert_error(client.patch(f"tickets/{anna_ticket.pk}", {"priority": "low"}), 404, "not_found")


def test_updated_since_must_be_iso_8601(api, db):
    body = assert_error(api.get("tickets", {"updated_since": "0.5"}), 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", "updated_since"]
    assert api.get("tickets", {"updated_since": "2026-12-01T09:00:00Z"}).status_code == 200


@pytest.mark.parametrize(
    "since",
    ["0080-06-02T18:22:47.9-18:09", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-10:00"],
)
def test_extreme_dates_and_offsets_are_answered_not_crashed(api, db, since):
    # PostgreSQL refuses offsets beyond ±15:59 (schemathesis found it); the API works in UTC.
    assert api.get("tickets", {"updated_since": since}).status_code in (200, 422)
