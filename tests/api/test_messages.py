"""Conversations: customers never get internal notes; each side writes only what it may."""

from mannerly.tickets import actions
from mannerly.tickets.models import Message, Ticket


def bodies(response):
    assert response.status_code == 200, response.content
    return [item["body_text"] for item in response.json()["items"]]


COURTEOUS_REPLY = (
    "Hi Anna,\n\nThank you for writing. Yes: I have refunded the second charge today.\n\n"
    "Oleh Kovalenko"
)


def test_customer_never_receives_internal_notes(as_user, anna, oleh, anna_ticket):
    actions.do_add_note(anna_ticket, oleh, "She sounds upset; refund approved by Sofia.")
    actions.do_reply(anna_ticket, oleh, "Hi Anna, the refund is on its way.\n\nOleh")
    staff_view = bodies(as_user(oleh).get(f"tickets/{anna_ticket.pk}/messages"))
    assert len(staff_view) == 3 and "refund approved by Sofia" in staff_view[1]
    customer_view = as_user(anna.user).get(f"tickets/{anna_ticket.pk}/messages").json()
    assert customer_view["count"] == 2
    assert all(item["direction"] != "internal" for item in customer_view["items"])
    assert "Sofia" not in str(customer_view)


def test_conversation_pages_oldest_first(as_user, anna, oleh, anna_ticket):
    for n in range(4):
        actions.do_customer_message(anna_ticket, anna, f"follow-up {n}")
    page = as_user(oleh).get(f"tickets/{anna_ticket.pk}/messages", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5 and [m["body_text"] for m in page["items"]] == [
        "follow-up 0",
        "follow-up 1",
    ]


def test_conversation_runs_a_fixed_number_of_queries(
    as_user, anna, oleh, anna_ticket, django_assert_max_num_queries
):
    client = as_user(oleh)
    for n in range(20):
        actions.do_customer_message(anna_ticket, anna, f"follow-up {n}")
        actions.do_reply(anna_ticket, oleh, f"answer {n}")
    with django_assert_max_num_queries(8):
        assert len(bodies(client.get(f"tickets/{anna_ticket.pk}/messages", {"limit": 50}))) == 41


def test_agent_replies_and_sets_the_status(as_user, oleh, anna_ticket):
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages",
        {"type": "reply", "body": COURTEOUS_REPLY, "status": "solved"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["direction"] == "out" and body["author"]["id"] == oleh.pk
    anna_ticket.refresh_from_db()
    assert anna_ticket.status == Ticket.Status.SOLVED and anna_ticket.first_responded_at


def test_reply_defaults_to_pending(as_user, oleh, anna_ticket):
    as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "reply", "body": COURTEOUS_REPLY}
    )
    anna_ticket.refresh_from_db()
    assert anna_ticket.status == Ticket.Status.PENDING


def test_agent_adds_an_internal_note(as_user, oleh, anna_ticket):
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "note", "body": "Called the bank."}
    )
    assert response.status_code == 201 and response.json()["direction"] == "internal"


def test_blank_bodies_and_status_on_notes_are_422(as_user, oleh, anna_ticket):
    client = as_user(oleh)
    blank = client.post(f"tickets/{anna_ticket.pk}/messages", {"type": "reply", "body": "  \n "})
    assert blank.status_code == 422 and blank.json()["errors"][0]["loc"] == ["body", "body"]
    note = client.post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "note", "body": "x", "status": "solved"}
    )
    assert note.status_code == 422
    assert anna_ticket.messages.count() == 1


def test_customer_writes_on_their_own_ticket_and_reopens_it(as_user, anna, oleh, anna_ticket):
    actions.do_reply(anna_ticket, oleh, "Hi Anna, done.", status=Ticket.Status.SOLVED)
    response = as_user(anna.user).post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "message", "body": "It came back!"}
    )
    assert response.status_code == 201 and response.json()["direction"] == "in"
    anna_ticket.refresh_from_db()
    assert anna_ticket.status == Ticket.Status.OPEN


def test_customer_cannot_reply_or_note_and_staff_cannot_pose_as_customer(
    as_user, anna, oleh, anna_ticket
):
    for kind in ("reply", "note"):
        response = as_user(anna.user).post(
            f"tickets/{anna_ticket.pk}/messages", {"type": kind, "body": "x"}
        )
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "message", "body": "x"}
    )
    assert response.status_code == 403
    assert anna_ticket.messages.count() == 1


def test_customer_cannot_write_on_someone_elses_ticket(as_user, anna, olena_ticket):
    response = as_user(anna.user).post(
        f"tickets/{olena_ticket.pk}/messages", {"type": "message", "body": "hi"}
    )
    assert response.status_code == 404
    assert not Message.objects.filter(body_text="hi").exists()


def test_agent_cannot_write_on_another_teams_private_ticket(as_user, oleh, billing_ticket):
    response = as_user(oleh).post(
        f"tickets/{billing_ticket.pk}/messages", {"type": "note", "body": "peek"}
    )
    assert response.status_code == 404


def _attach(message, name, content_type, data):
    from mannerly.tickets.models import Attachment, store_blob

    return Attachment.objects.create(
        message=message,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=store_blob(data),
    )


def test_attachments_download_with_the_conversations_permissions(
    as_user, anna, olena, oleh, anna_ticket
):
    first = anna_ticket.messages.get()
    receipt = _attach(first, "receipt.pdf", "application/pdf", b"%PDF-1.4 receipt")
    note = actions.do_add_note(anna_ticket, oleh, "Bank statement attached.")
    statement = _attach(note, "statement.pdf", "application/pdf", b"%PDF-1.4 internal")
    listed = as_user(anna.user).get(f"tickets/{anna_ticket.pk}/messages").json()["items"][0]
    url = listed["attachments"][0]["url"]
    response = as_user(anna.user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
    assert response["Content-Disposition"].startswith("attachment;")
    note_url = f"tickets/{anna_ticket.pk}/attachments/{statement.pk}"
    assert as_user(anna.user).get(note_url).status_code == 404
    assert as_user(oleh).get(note_url).status_code == 200
    assert as_user(olena.user).get(url).status_code == 404
    assert as_user(oleh).get(f"tickets/{anna_ticket.pk}/attachments/{10**30}").status_code == 404
    assert receipt.pk != statement.pk


def test_attachments_that_could_run_in_a_browser_download_as_bytes(as_user, oleh, anna_ticket):
    page = _attach(
        anna_ticket.messages.get(), "invoice.html", "text/html", b"<script>alert(1)</script>"
    )
    response = as_user(oleh).get(f"tickets/{anna_ticket.pk}/attachments/{page.pk}")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


def test_reply_with_etiquette_errors_is_refused_without_a_reason(as_user, oleh, anna_ticket):
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages", {"type": "reply", "body": "Refund done."}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "etiquette"
    assert "greeting-name" in {e["type"] for e in body["errors"]}
    assert not anna_ticket.messages.filter(direction="out").exists()


def test_reply_sent_anyway_records_the_reason(as_user, oleh, anna_ticket):
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages",
        {"type": "reply", "body": "Refund done.", "send_anyway_reason": "Customer asked for terse"},
    )
    assert response.status_code == 201
    event = anna_ticket.events.get(kind="sent-anyway")
    assert event.reason == "Customer asked for terse" and "greeting-name" in event.data["rules"]


def test_send_anyway_reason_belongs_to_replies_only(as_user, oleh, anna_ticket):
    response = as_user(oleh).post(
        f"tickets/{anna_ticket.pk}/messages",
        {"type": "note", "body": "Checked.", "send_anyway_reason": "because"},
    )
    assert response.status_code == 422
