"""Tickets through the API: the same rules as the desk, through the same actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mannerly.tickets import actions
from mannerly.tickets.models import Handover, Tag, Ticket, TicketEvent


@pytest.fixture
def oleh_api(as_user, oleh):
    return as_user(oleh)


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_agent_lists_tickets_newest_change_first(oleh_api, oleh, anna_ticket, olena_ticket):
    actions.do_change_status(anna_ticket, oleh, Ticket.Status.OPEN)
    assert ids(oleh_api.get("tickets")) == [anna_ticket.pk, olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"ordering": "-created_at"})) == [
        olena_ticket.pk,
        anna_ticket.pk,
    ]


def test_filters_combine(oleh_api, oleh, anna, olena, anna_ticket, olena_ticket, team):
    actions.do_assign(anna_ticket, oleh, oleh)
    actions.do_update_ticket(anna_ticket, oleh, tags=[Tag.objects.create(name="billing")])
    actions.do_change_status(olena_ticket, oleh, Ticket.Status.SOLVED)
    assert ids(oleh_api.get("tickets", {"status": "solved"})) == [olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"status": "active"})) == [anna_ticket.pk]
    assert set(ids(oleh_api.get("tickets?status=new&status=solved"))) == {
        anna_ticket.pk,
        olena_ticket.pk,
    }
    assert ids(oleh_api.get("tickets", {"assignee": "me"})) == [anna_ticket.pk]
    assert ids(oleh_api.get("tickets", {"assignee": oleh.pk})) == [anna_ticket.pk]
    assert ids(oleh_api.get("tickets", {"assignee": "none"})) == [olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"team": team.pk})) == [anna_ticket.pk]
    assert ids(oleh_api.get("tickets", {"team": "none"})) == [olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"customer": olena.pk})) == [olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"tag": "Billing"})) == [anna_ticket.pk]
    assert ids(oleh_api.get("tickets?tag=billing&tag=vip")) == []
    assert ids(oleh_api.get("tickets", {"q": "Повернення"})) == [olena_ticket.pk]
    assert ids(oleh_api.get("tickets", {"q": "charged"})) == [anna_ticket.pk]


def test_updated_since_returns_only_recent_changes(oleh_api, anna_ticket, olena_ticket):
    old = timezone.now() - timedelta(days=3)
    Ticket.objects.filter(pk=anna_ticket.pk).update(updated_at=old)
    since = (old + timedelta(days=1)).isoformat()
    assert ids(oleh_api.get("tickets", {"updated_since": since})) == [olena_ticket.pk]
    naive = (old + timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert ids(oleh_api.get("tickets", {"updated_since": naive})) == [olena_ticket.pk]


def test_pages_walk_every_ticket_once(oleh_api, anna):
    opened = [actions.do_open_ticket(anna, f"Question {n}", "?").pk for n in range(7)]
    seen = []
    for offset in range(0, 9, 3):
        body = oleh_api.get("tickets", {"limit": 3, "offset": offset}).json()
        assert body["count"] == 7 and body["limit"] == 3 and body["offset"] == offset
        seen += [item["id"] for item in body["items"]]
    assert sorted(seen) == sorted(opened)


def test_list_runs_a_fixed_number_of_queries(oleh_api, anna, oleh, django_assert_max_num_queries):
    billing = Tag.objects.create(name="billing")
    for n in range(30):
        ticket = actions.do_open_ticket(anna, f"Question {n}", "?")
        actions.do_assign(ticket, oleh, oleh)
        actions.do_update_ticket(ticket, oleh, tags=[billing])
    with django_assert_max_num_queries(8):
        assert len(ids(oleh_api.get("tickets", {"limit": 30}))) == 30


def test_agent_outside_a_private_team_cannot_see_its_tickets(
    as_user, oleh, ivan, sofia, billing_ticket, anna_ticket
):
    assert billing_ticket.pk not in ids(as_user(oleh).get("tickets"))
    assert as_user(oleh).get(f"tickets/{billing_ticket.pk}").status_code == 404
    assert billing_ticket.pk in ids(as_user(ivan).get("tickets"))
    assert as_user(sofia).get(f"tickets/{billing_ticket.pk}").status_code == 200


def test_team_members_do_not_duplicate_tickets_in_the_list(as_user, oleh, mei, sofia, anna_ticket):
    body = as_user(oleh).get("tickets").json()
    assert body["count"] == 1 and ids(as_user(oleh).get("tickets")) == [anna_ticket.pk]


def test_customer_sees_own_tickets_without_internal_fields(
    as_user, anna, olena, anna_ticket, olena_ticket
):
    body = as_user(anna.user).get("tickets").json()
    assert [item["id"] for item in body["items"]] == [anna_ticket.pk]
    item = body["items"][0]
    for hidden in ("assignee", "team", "tags", "first_response_due", "resolution_due"):
        assert hidden not in item
    assert as_user(anna.user).get(f"tickets/{olena_ticket.pk}").status_code == 404
    assert as_user(anna.user).get("tickets", {"customer": olena.pk}).json()["count"] == 0


def test_staff_open_a_ticket_for_a_customer(oleh_api, oleh, mei, olena, team):
    response = oleh_api.post(
        "tickets",
        {
            "customer": olena.pk,
            "subject": "Дзвінок щодо рахунку",
            "body": "Клієнтка телефонувала про подвійне списання.",
            "channel": "phone",
            "priority": "high",
            "team": team.pk,
            "assignee": mei.pk,
            "tags": ["billing", "Phone"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer"] == {"id": olena.pk, "name": "Олена Коваль"}
    assert body["channel"] == "phone" and body["priority"] == "high" and body["language"] == "uk"
    assert body["assignee"]["id"] == mei.pk and body["tags"] == ["billing", "phone"]
    ticket = Ticket.objects.get(pk=body["id"])
    first = ticket.messages.get()
    assert first.direction == "in" and first.author == oleh and first.customer == olena


def test_staff_must_name_an_existing_customer(oleh_api, db):
    response = oleh_api.post("tickets", {"subject": "x", "body": "y"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "body",
        "customer",
    ]
    response = oleh_api.post("tickets", {"customer": 999, "subject": "x", "body": "y"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "body",
        "customer",
    ]
    assert not Ticket.objects.exists()


def test_customer_opens_a_ticket_for_themselves_only(as_user, anna, olena):
    client = as_user(anna.user)
    response = client.post("tickets", {"subject": "Login", "body": "I cannot sign in."})
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.customer == anna and ticket.channel == "api"
    refused = client.post("tickets", {"customer": olena.pk, "subject": "x", "body": "y"})
    assert refused.status_code == 422
    refused = client.post(
        "tickets", {"subject": "x", "body": "y", "priority": "urgent", "tags": ["vip"]}
    )
    assert refused.status_code == 422
    assert {tuple(e["loc"]) for e in refused.json()["errors"]} == {
        ("body", "priority"),
        ("body", "tags"),
    }
    assert Ticket.objects.count() == 1


def test_update_goes_through_actions_and_records_history(oleh_api, oleh, anna_ticket, team):
    response = oleh_api.patch(
        f"tickets/{anna_ticket.pk}",
        {
            "status": "on-hold",
            "status_reason": "Waiting for the bank",
            "priority": "urgent",
            "tags": ["refund"],
            "assignee": oleh.pk,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["status"] == "on-hold" and body["priority"] == "urgent" and body["tags"] == ["refund"]
    )
    kinds = set(TicketEvent.objects.filter(ticket=anna_ticket).values_list("kind", flat=True))
    assert {"status", "set-priority", "set-tags", "assigned"} <= kinds
    status_event = TicketEvent.objects.get(ticket=anna_ticket, kind="status")
    assert status_event.reason == "Waiting for the bank"


def test_handover_needs_a_note_and_changes_nothing_without_it(oleh_api, oleh, mei, anna_ticket):
    oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": oleh.pk})
    refused = oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": mei.pk, "priority": "high"})
    assert refused.status_code == 400
    anna_ticket.refresh_from_db()
    assert anna_ticket.assignee == oleh and anna_ticket.priority == Ticket.Priority.NORMAL
    done = oleh_api.patch(
        f"tickets/{anna_ticket.pk}",
        {"assignee": mei.pk, "handover_note": "Refund promised by Friday."},
    )
    assert done.status_code == 200 and done.json()["assignee"]["id"] == mei.pk
    assert Handover.objects.get(ticket=anna_ticket).note == "Refund promised by Friday."


def test_unassign_and_clear_team_with_null(oleh_api, oleh, anna_ticket):
    oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": oleh.pk})
    body = oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": None, "team": None}).json()
    assert body["assignee"] is None and body["team"] is None


def test_assignee_must_be_an_agent_who_can_see_the_ticket(
    oleh_api, anna, oleh, ivan, billing_ticket, anna_ticket, private_team
):
    response = oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": anna.user.pk})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "body",
        "assignee",
    ]
    # Moving the ticket into a private team its assignee is not in is refused as a whole.
    oleh_api.patch(f"tickets/{anna_ticket.pk}", {"assignee": oleh.pk})
    response = oleh_api.patch(f"tickets/{anna_ticket.pk}", {"team": private_team.pk})
    assert response.status_code == 409
    anna_ticket.refresh_from_db()
    assert anna_ticket.team.name == "Support"


def test_merge_moves_the_conversation(oleh_api, anna, anna_ticket):
    other = actions.do_open_ticket(anna, "Refund?", "Any news on my refund?")
    response = oleh_api.post(f"tickets/{other.pk}/merge", {"into": anna_ticket.pk})
    assert response.status_code == 200 and response.json()["id"] == anna_ticket.pk
    other.refresh_from_db()
    assert other.merged_into_id == anna_ticket.pk and other.status == "closed"
    assert anna_ticket.messages.count() == 2


def test_merge_refuses_other_customers_and_hidden_targets(
    as_user, oleh, anna_ticket, olena_ticket, billing_ticket
):
    client = as_user(oleh)
    response = client.post(f"tickets/{olena_ticket.pk}/merge", {"into": anna_ticket.pk})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = client.post(f"tickets/{anna_ticket.pk}/merge", {"into": billing_ticket.pk})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "into"]
    assert anna_ticket.messages.count() == 1


def test_split_moves_one_message_to_a_new_ticket(oleh_api, anna, anna_ticket):
    second = actions.do_customer_message(anna_ticket, anna, "Also: how do I change my email?")
    response = oleh_api.post(
        f"tickets/{anna_ticket.pk}/split", {"message": second.pk, "subject": "Change email"}
    )
    assert response.status_code == 201
    new = Ticket.objects.get(pk=response.json()["id"])
    assert new.subject == "Change email" and list(new.messages.all()) == [second]
    only = anna_ticket.messages.get()
    again = oleh_api.post(f"tickets/{anna_ticket.pk}/split", {"message": only.pk})
    assert again.status_code == 409


def test_split_refuses_a_message_of_another_ticket(oleh_api, anna_ticket, olena_ticket):
    foreign = olena_ticket.messages.get()
    response = oleh_api.post(f"tickets/{anna_ticket.pk}/split", {"message": foreign.pk})
    assert response.status_code == 422


def test_agent_may_route_a_ticket_to_a_private_team_they_are_not_in(
    oleh_api, anna_ticket, private_team
):
    moved = oleh_api.patch(f"tickets/{anna_ticket.pk}", {"team": private_team.pk})
    assert moved.status_code == 200 and moved.json()["team"]["name"] == "Billing"
    assert oleh_api.get(f"tickets/{anna_ticket.pk}").status_code == 404


def test_directory_lists_teams_and_agents_for_assignment(
    oleh_api, oleh, mei, sofia, anna, private_team
):
    teams = {t["name"]: t for t in oleh_api.get("teams").json()}
    assert teams["Billing"]["scoped"] is True and teams["Support"]["members"] == 3
    agents = {a["username"]: a for a in oleh_api.get("agents").json()}
    assert set(agents) == {"oleh", "mei", "sofia"}
    assert agents["oleh"]["teams"] == [{"id": oleh.teams.get().pk, "name": "Support"}]


def test_history_lists_every_change_for_staff_only(as_user, oleh, anna, anna_ticket):
    client = as_user(oleh)
    client.patch(
        f"tickets/{anna_ticket.pk}", {"status": "pending", "status_reason": "Asked for IBAN"}
    )
    items = client.get(f"tickets/{anna_ticket.pk}/events").json()["items"]
    assert [e["kind"] for e in items] == ["created", "status"]
    assert items[1]["actor"]["id"] == oleh.pk and items[1]["reason"] == "Asked for IBAN"
    assert items[1]["data"] == {"previous": "new", "status": "pending"}
    assert as_user(anna.user).get(f"tickets/{anna_ticket.pk}/events").status_code == 404


def test_staff_search_finds_words_in_messages_customers_only_in_subjects(
    as_user, oleh, anna, anna_ticket, olena_ticket
):
    actions.do_add_note(anna_ticket, oleh, "Chargeback risk: escalate to Sofia.")
    assert ids(as_user(oleh).get("tickets", {"q": "chargeback"})) == [anna_ticket.pk]
    assert ids(as_user(oleh).get("tickets", {"q": "refund second"})) == [anna_ticket.pk]
    # The note's words must not reveal themselves to the customer through search.
    assert ids(as_user(anna.user).get("tickets", {"q": "chargeback"})) == []
    assert ids(as_user(anna.user).get("tickets", {"q": "Charged"})) == [anna_ticket.pk]
