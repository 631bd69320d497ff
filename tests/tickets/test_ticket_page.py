"""The agent's ticket page: conversation, reply, note, assignment with handover, properties,
merge, split, attachments and sanitised mail HTML."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mannerly.tickets import actions
from mannerly.tickets.models import Handover, Message, Organization, Tag, Ticket
from mannerly.tickets.views_files import safe_filename
from tests.conftest import PASSWORD


@pytest.fixture
def ticket(anna, team):
    return actions.do_open_ticket(
        anna, "Charged twice", "Please refund the second charge.", team=team
    )


ATTACHMENT = ("invoice.pdf", "application/pdf", b"%PDF-1.4 not really")


@pytest.fixture
def as_oleh(client, oleh):
    client.login(username="oleh", password=PASSWORD)
    return client


def page(client, ticket):
    response = client.get(reverse("tickets:ticket", args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client, name, ticket, data, **kwargs):
    return client.post(reverse(f"tickets:{name}", args=[ticket.pk]), data, **kwargs)


def test_internal_notes_are_labelled_not_only_coloured(as_oleh, ticket, oleh):
    actions.do_add_note(ticket, oleh, "She called twice, be gentle.")
    html = page(as_oleh, ticket)
    assert "msg-internal" in html
    assert "Internal note" in html.split("She called twice")[0].rsplit("<article", 1)[-1]


def test_reply_box_starts_with_the_agents_signature_and_pending(as_oleh, ticket, oleh):
    oleh.signature = "Oleh · Mannerly support"
    oleh.save()
    response = as_oleh.get(reverse("tickets:ticket", args=[ticket.pk]))
    assert response.context["reply_form"].initial["body"] == "\n\nOleh · Mannerly support"
    html = response.content.decode()
    assert "Oleh · Mannerly support</textarea>" in html
    assert '<option value="pending" selected>' in html


def test_reply_is_recorded_with_the_chosen_status(as_oleh, ticket):
    body = "Hi Anna,\n\nThank you for your patience. The second charge is refunded.\n\nOleh"
    response = post(as_oleh, "reply", ticket, {"body": body, "status": "solved"})
    assert response.status_code == 303
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    reply = ticket.messages.get(direction=Message.Direction.OUT)
    assert reply.body_text == body and reply.author.username == "oleh"


def test_empty_reply_is_shown_as_a_form_error_and_nothing_is_sent(as_oleh, ticket):
    response = post(as_oleh, "reply", ticket, {"body": "   ", "status": "pending"})
    assert response.status_code == 422
    assert ticket.messages.filter(direction=Message.Direction.OUT).count() == 0


def test_reply_with_attachment_stores_the_file(as_oleh, ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    post(
        as_oleh,
        "reply",
        ticket,
        {
            "body": "Hi Anna,\n\nThank you for writing. The second charge is refunded; "
            "the invoice is attached.\n\nOleh",
            "status": "pending",
            "attachments": upload,
        },
    )
    reply = ticket.messages.get(direction=Message.Direction.OUT)
    attachment = reply.attachments.get()
    assert attachment.filename == "invoice.pdf" and attachment.read() == b"%PDF-1.4 test"


def test_note_is_added_and_stays_internal(as_oleh, ticket):
    post(as_oleh, "note", ticket, {"body": "Checked the ledger."})
    note = ticket.messages.get(body_text="Checked the ledger.")
    assert note.direction == Message.Direction.INTERNAL


def test_reassigning_without_a_note_is_a_form_error_and_keeps_the_owner(as_oleh, ticket, oleh, mei):
    actions.do_assign(ticket, oleh, oleh)
    response = post(as_oleh, "assign", ticket, {"assignee": mei.pk, "handover_note": ""})
    assert response.status_code == 422
    assert "Write a handover note" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == oleh


def test_new_assignee_sees_the_handover_note_on_top(client, as_oleh, ticket, oleh, mei):
    actions.do_assign(ticket, oleh, oleh)
    post(
        as_oleh,
        "assign",
        ticket,
        {"assignee": mei.pk, "handover_note": "Promised refund by Friday."},
    )
    assert Handover.objects.get(ticket=ticket).to_user == mei
    client.logout()
    client.login(username="mei", password=PASSWORD)
    html = page(client, ticket)
    top, _conversation = html.split('id="conversation"', 1)
    assert "Promised refund by Friday." in top
    assert "Handed over to you by Oleh Kovalenko" in top


def test_the_handover_names_a_colleague_who_has_since_left(client, as_oleh, ticket, oleh, mei):
    actions.do_assign(ticket, oleh, oleh)
    post(as_oleh, "assign", ticket, {"assignee": mei.pk, "handover_note": "Refund sent."})
    oleh.is_active = False  # no longer on the list of agents the page reads names from
    oleh.save()
    client.login(username="mei", password=PASSWORD)
    top = page(client, ticket).split('id="conversation"', 1)[0]
    assert "Handed over to you by Oleh Kovalenko" in top


def test_status_priority_team_language_and_tags_are_saved(as_oleh, ticket, team):
    post(as_oleh, "status", ticket, {"status": "on-hold"})
    post(
        as_oleh,
        "properties",
        ticket,
        {"priority": 4, "team": team.pk, "language": "uk", "tags": "Billing, refund, billing"},
    )
    ticket.refresh_from_db()
    assert ticket.status == "on-hold" and ticket.priority == 4 and ticket.language == "uk"
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "refund"]


def test_merge_moves_the_conversation_into_the_target(as_oleh, ticket, anna):
    other = actions.do_open_ticket(anna, "Refund?", "Any news?")
    response = post(as_oleh, "merge", other, {"target": ticket.pk})
    assert response.status_code == 303 and response["Location"].endswith(f"/{ticket.pk}/")
    other.refresh_from_db()
    assert other.merged_into == ticket and ticket.messages.count() == 2


def test_merge_with_another_customers_ticket_is_refused_in_the_form(as_oleh, ticket, olena):
    theirs = actions.do_open_ticket(olena, "Повернення", "Коли?")
    response = post(as_oleh, "merge", theirs, {"target": ticket.pk})
    assert response.status_code == 422
    assert "same customer" in response.content.decode()
    assert ticket.messages.count() == 1


def test_split_moves_a_message_into_a_new_ticket(as_oleh, ticket, anna):
    second = actions.do_customer_message(ticket, anna, "Also: how do I change my address?")
    response = as_oleh.post(
        reverse("tickets:split", args=[ticket.pk, second.pk]), {"subject": "Change of address"}
    )
    new = Ticket.objects.get(subject="Change of address")
    assert response["Location"].endswith(f"/{new.pk}/")
    assert list(new.messages.all()) == [second]


def test_customer_sidebar_shows_flags_language_local_time_and_other_tickets(
    as_oleh, ticket, anna, oleh
):
    anna.organization = Organization.objects.create(name="Acme Ltd")
    anna.save()
    actions.do_flag_customer(anna, oleh, "abusive", "Swore at the phone agent.")
    older = actions.do_open_ticket(anna, "Old question", "Hello?")
    html = page(as_oleh, ticket)
    assert "Abusive — handle with care" in html.split('id="conversation"')[0]  # on top
    assert "Swore at the phone agent." in html
    assert "Acme Ltd" in html and "America/New_York" in html and "English" in html
    assert f"#{older.pk} Old question" in html


def test_customer_text_is_escaped(as_oleh, anna):
    payload = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'
    ticket = actions.do_open_ticket(anna, payload, payload)
    html = page(as_oleh, ticket)
    assert "<script>window.pwned" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_html_mail_is_shown_in_a_sandboxed_frame_and_cleaned_again(as_oleh, anna):
    ticket = actions.do_open_ticket(
        anna,
        "Formatted",
        "",
        body_html='<p>Hi <b>there</b></p><script>parent.pwned=1</script><img src="https://t.example/p.gif">',
    )
    html = page(as_oleh, ticket)
    frame = html.split("<iframe", 1)[1].split(">", 1)[0]
    assert 'sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"' in frame
    assert "allow-scripts" not in frame
    assert "&lt;b&gt;there&lt;/b&gt;" in frame  # the document is an escaped attribute value
    assert "script" not in frame.lower().replace("allow-scripts", "")
    assert "default-src &#x27;none&#x27;" in frame  # no remote loads (tracking pixels)


@pytest.mark.parametrize("messages", [5, 50])
def test_ticket_page_runs_a_constant_number_of_queries(
    messages, as_oleh, ticket, anna, oleh, django_assert_max_num_queries
):
    for i in range(messages - 1):
        if i % 3 == 0:
            actions.do_add_note(ticket, oleh, f"note {i}")
        else:
            actions.do_customer_message(ticket, anna, f"message {i}")
    # 11 for the page, 3 for reply coaching: the team's rules, the stored triage of the
    # customer's messages and, on this first view, storing what was missing.
    with django_assert_max_num_queries(14):
        page(as_oleh, ticket)


def test_ticket_page_queries_do_not_grow_with_the_conversation(as_oleh, anna, oleh, team):
    tag = Tag.objects.create(name="refund")
    actions.do_flag_customer(anna, oleh, "abusive", "Shouted at Oleh")
    counts = []
    for messages in (3, 30):
        ticket = actions.do_open_ticket(
            anna, "Charged twice", "Please refund.", team=team, attachments=[ATTACHMENT]
        )
        ticket.tags.add(tag)
        for i in range(messages - 1):
            if i % 3 == 0:
                actions.do_add_note(ticket, oleh, f"note {i}")
            else:
                actions.do_customer_message(ticket, anna, f"message {i}", attachments=[ATTACHMENT])
        page(as_oleh, ticket)  # the first view stores the triage of the customer's messages
        with CaptureQueriesContext(connection) as queries:
            html = page(as_oleh, ticket)
        assert html.count('class="msg ') == messages
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---- attachments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("invoice.pdf", "invoice.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\anna\\report.txt", "report.txt"),
        ('evil"\r\nSet-Cookie: x=1.txt', "evil_Set-Cookie_ x=1.txt"),
        ("рахунок.pdf", "рахунок.pdf"),
        ("", "attachment"),
        ("...", "attachment"),
    ],
)
def test_download_names_are_sanitised(name, expected):
    assert safe_filename(name) == expected


def test_attachment_downloads_with_a_safe_disposition(as_oleh, anna):
    ticket = actions.do_open_ticket(
        anna,
        "Files",
        "see file",
        attachments=[('bad"\nname.html', "text/html", b"<script>alert(1)</script>")],
    )
    attachment = ticket.messages.get().attachments.get()
    response = as_oleh.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bad_name.html"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
