"""Random JSON against every write endpoint (and random filters on every list): never a 5xx.

The bodies mix plain random JSON with objects that use the endpoint's real field names and
values near the edges (huge numbers, NUL bytes, lone surrogates, deep nesting, wrong types), so
the examples get past the first validation step and reach the actions.
"""

import json
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mannerly.accounts.models import Team
from mannerly.api.main import api
from mannerly.tickets import actions
from tests.api.conftest import ApiClient, token_for

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGE_STRINGS = [
    "",
    " ",
    "open",
    "pending",
    "solved",
    "urgent",
    "note",
    "reply",
    "message",
    "abusive",
    "me",
    "none",
    "x" * 600,
    "nul\x00byte",
    "\ud800",
    "Олена",
    "王芳",
    "a@b.c",
    "Europe/Kyiv",
    "1e309",
    "2026-01-01T00:00:00",
]
EDGE_NUMBERS = [0, -1, 1, 2, 3, 2**31, 2**63, -(2**63), 10**30, 1.5, float("nan")]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(EDGE_NUMBERS),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(EDGE_STRINGS),
)
random_json = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@cache
def write_operations() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(method, path, body fields, required fields) for every write operation of the API."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            component = components.get(ref.rsplit("/", 1)[-1], {})
            fields = tuple(component.get("properties", {}))
            found.append((method.upper(), path, fields, tuple(component.get("required", ()))))
    return sorted(found)


def concrete(path: str, ids: dict) -> str:
    return path.format(**ids).removeprefix("/api/v1/")


@pytest.fixture
def desk(anna, oleh, mei, sofia, team):
    ticket = actions.do_open_ticket(anna, "Charged twice", "Refund?", team=team)
    second = actions.do_customer_message(ticket, anna, "Also my address.")
    other = actions.do_open_ticket(anna, "Refund?", "Any news?", team=team)
    flag = actions.do_flag_customer(anna, oleh, "vip")
    private = Team.objects.create(name="Billing", scoped=True)
    ids = {"ticket_id": ticket.pk, "customer_id": anna.pk, "flag_id": flag.pk}
    # Values that pass validation, so that mutated bodies reach the actions behind it.
    plausible = {
        "customer": [anna.pk, 999_999],
        "subject": ["Refund", " "],
        "body": ["Hi Anna, done.\n\nSofia", ""],
        "priority": ["low", "urgent"],
        "channel": ["phone", "api"],
        "language": ["uk", None],
        "team": [team.pk, private.pk, None],
        "assignee": [oleh.pk, mei.pk, sofia.pk, anna.user.pk, None],
        "handover_note": ["Promised a refund by Friday.", ""],
        "tags": [["billing"], ["VIP", "vip"], [], ["two words"]],
        "status": ["pending", "solved", "closed", "open", None],
        "status_reason": ["Waiting for the bank"],
        "into": [other.pk, ticket.pk],
        "message": [second.pk, ticket.messages.first().pk],
        "type": ["reply", "note", "message"],
        "name": ["Олена Коваль", ""],
        "emails": [["olena@example.ua"], ["anna@example.com"], ["bad"], []],
        "time_zone": ["Europe/Kyiv", "Mars/Base"],
        "notes": ["Prefers email."],
        "organization": [None, 999],
        "kind": ["abusive", "legal", "unknown"],
        "note": ["Shouted on the phone."],
    }
    return {
        "ids": ids,
        "plausible": plausible,
        "staff": ApiClient(token_for(sofia)),
        "customer": ApiClient(token_for(anna.user)),
    }


def body_strategy(fields: tuple[str, ...], required: tuple[str, ...], plausible: dict):
    """Random JSON, objects with the real field names, and plausible bodies with random edges."""
    if not fields:
        return random_json
    field_aware = st.dictionaries(st.sampled_from(fields), random_json, max_size=len(fields))
    near_valid = st.fixed_dictionaries(
        {name: st.sampled_from(plausible.get(name, [None])) for name in required},
        optional={
            name: st.one_of(st.sampled_from(plausible.get(name, [None])), random_json)
            if name not in plausible
            else st.sampled_from(plausible[name])
            for name in fields
            if name not in required
        },
    )
    return st.one_of(random_json, field_aware, near_valid, near_valid, near_valid)


def test_every_write_operation_is_fuzzed():
    operations = write_operations()
    assert len(operations) >= 9
    # Every operation that takes a body had its field names found, so the bodies reach them.
    assert all(fields for method, _path, fields, _required in operations if method != "DELETE")


@pytest.mark.parametrize("operation", write_operations(), ids=lambda op: f"{op[0]} {op[1]}")
@pytest.mark.parametrize("caller", ["staff", "customer"])
def test_random_json_never_causes_a_server_error(desk, operation, caller):
    method, path, fields, required = operation
    client = desk[caller]

    @FUZZ_SETTINGS
    @given(body=body_strategy(fields, required, desk["plausible"]), raw=st.booleans())
    def run(body, raw):
        data = json.dumps(body) if raw else json.dumps(body, ensure_ascii=False)
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            data = json.dumps(body)  # lone surrogates travel as \\ud800 escapes
        response = client.call(method.lower(), concrete(path, desk["ids"]), data)
        assert response.status_code < 500, (method, path, body, response.content)
        assert response.json()["code"] if response.status_code >= 400 else True

    run()


@pytest.mark.parametrize("path", ["tickets", "customers", "tickets/{ticket_id}/messages"])
def test_random_filters_never_cause_a_server_error(desk, path):
    client = desk["staff"]
    names = [
        "status",
        "assignee",
        "team",
        "customer",
        "tag",
        "updated_since",
        "q",
        "ordering",
        "limit",
        "offset",
        "organization",
        "flag",
    ]
    value = st.one_of(
        st.sampled_from([str(v) for v in EDGE_NUMBERS] + EDGE_STRINGS[:-3]), st.text(max_size=20)
    )

    @FUZZ_SETTINGS
    @given(
        params=st.dictionaries(
            st.sampled_from(names), st.lists(value, min_size=1, max_size=3), max_size=5
        )
    )
    def run(params):
        clean = {
            k: [
                v
                for v in vs
                if "\ud800" not in v and not any(0xD800 <= ord(c) <= 0xDFFF for c in v)
            ]
            for k, vs in params.items()
        }
        response = client.get(concrete("/api/v1/" + path, desk["ids"]), clean)
        assert response.status_code < 500, (path, params, response.content)

    run()
