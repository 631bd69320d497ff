"""Triage is computed once per customer message and kept: by the worker after a message
arrives, or by the first view of the ticket page; alerts and flags come from it."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mannerly.coaching.actions import do_triage_messages
from mannerly.coaching.models import MessageTriage
from mannerly.tickets import actions
from mannerly.tickets.models import CustomerFlag, Message, TicketEvent
from mannerly.worker import run_ready_tasks


def page(client, ticket):
    response = client.get(reverse("tickets:ticket", args=[ticket.pk]))
    assert response.status_code == 200
    return response


# Committed for real: the task is queued after commit, and the worker closes connections.
@pytest.mark.django_db(transaction=True)
def test_a_new_customer_message_is_triaged_by_the_worker(uk_ticket, olena):
    DBTaskResult.objects.all().delete()  # the ticket's first message queued one too
    message = actions.do_customer_message(uk_ticket, olena, "Коли буде відповідь? Терміново!")
    assert DBTaskResult.objects.ready().count() == 1
    assert run_ready_tasks() == 1
    triage = MessageTriage.objects.get(message=message)
    assert triage.result["language"] == "uk"
    assert "urgent" in triage.flags
    assert [q["text"] for q in triage.questions] == ["Коли буде відповідь?"]


def test_the_first_page_view_stores_triage_and_later_views_reuse_it(as_oleh, uk_ticket):
    assert not MessageTriage.objects.exists()
    page(as_oleh, uk_ticket)
    stored = MessageTriage.objects.get()
    assert stored.result["emotion"]["label"] == "angry"
    MessageTriage.objects.filter(pk=stored.pk).update(result={**stored.result, "flags": ["urgent"]})
    html = page(as_oleh, uk_ticket).content.decode()
    assert MessageTriage.objects.count() == 1
    assert "Urgent" in html  # what is stored is shown: it was not computed again


def test_only_the_customers_own_messages_are_triaged(uk_ticket, olena, oleh):
    actions.do_add_note(uk_ticket, oleh, "Call her back?")
    actions.do_reply(uk_ticket, oleh, "Добрий день, Олено!\n\nДякуємо.\n\nOleh")
    actions.do_customer_message(uk_ticket, olena, "Я у відпустці до понеділка.", kind="auto-reply")
    found = do_triage_messages(list(uk_ticket.messages.all()))
    kinds = {Message.objects.get(pk=pk).direction for pk in found}
    assert kinds == {"in"} and len(found) == 1


def test_html_only_mail_is_triaged_from_its_text(anna, team, english_staff):
    ticket = actions.do_open_ticket(
        anna,
        "Refund",
        "",
        team=team,
        body_html="<p>Hello,</p><p>Can you refund the <b>second</b> charge?</p>",
    )
    triage = do_triage_messages(list(ticket.messages.all()))
    (row,) = triage.values()
    assert [q["text"] for q in row.questions] == ["Can you refund the second charge?"]


def test_the_triage_panel_shows_language_mood_flags_questions_and_guidance(as_oleh, uk_ticket):
    html = page(as_oleh, uk_ticket).content.decode()
    panel = html.split('class="triage mood-angry is-latest"')[1].split("</details>")[0]
    assert "Ukrainian" in panel and "Angry" in panel and "Repeat contact" in panel
    assert panel.index("Коли ви нарешті повернете мої гроші?") < panel.index(
        "І чому мій акаунт досі заблоковано?"
    )
    assert '<ol class="triage-questions">' in panel
    assert "Answer both questions, in order." in panel
    assert "ci-angry" in panel  # an icon and a word, not only a colour


def test_guidance_is_shown_in_the_agents_language(client, uk_ticket, oleh):
    from django.utils import translation

    from mannerly.coaching.catalog import guidance

    with translation.override("uk"):
        texts = guidance(["answer-questions", "future-code"], ["-", "Engine text"], 3)
    assert texts[1] == "Engine text"  # an unknown code keeps the engine's words
    assert "3" in texts[0]


LEGAL = "Якщо гроші не повернуть до п'ятниці, я звернуся до суду і до Держспоживзахисту."


def test_a_legal_threat_shows_a_banner_and_the_agent_can_flag_the_customer(
    as_oleh, olena, team, english_staff
):
    ticket = actions.do_open_ticket(olena, "Суд", LEGAL, team=team, language="uk")
    html = page(as_oleh, ticket).content.decode()
    assert "triage-alert ta-legal-threat" in html
    assert "Flag the customer on every ticket" in html
    response = as_oleh.post(
        reverse("coaching:flag_customer", args=[ticket.pk]), {"flag": "legal-threat"}
    )
    assert response.status_code == 303
    flag = CustomerFlag.objects.get(customer=olena, active=True)
    assert flag.kind == CustomerFlag.Kind.LEGAL and flag.created_by.username == "oleh"
    assert TicketEvent.objects.filter(ticket=ticket, kind="customer-flagged").count() == 1
    # Flagging twice keeps one flag; the banner no longer offers it.
    as_oleh.post(reverse("coaching:flag_customer", args=[ticket.pk]), {"flag": "legal-threat"})
    assert CustomerFlag.objects.filter(customer=olena).count() == 1
    assert "Flag the customer on every ticket" not in page(as_oleh, ticket).content.decode()
    # The flag travels to her next ticket, even a calm one.
    calm = actions.do_open_ticket(olena, "Рахунок", "Надішліть рахунок, будь ласка.", team=team)
    html = page(as_oleh, calm).content.decode()
    assert "flag-banner f-legal" in html and "Legal threat" in html


def test_an_unknown_flag_flags_nobody(as_oleh, uk_ticket, olena):
    response = as_oleh.post(reverse("coaching:flag_customer", args=[uk_ticket.pk]), {"flag": "vip"})
    assert response.status_code == 303
    assert not CustomerFlag.objects.filter(customer=olena).exists()


@pytest.mark.parametrize("messages", [5, 40])
def test_the_coached_ticket_page_runs_a_constant_number_of_queries(
    messages, as_oleh, uk_ticket, olena, oleh, mei, django_assert_max_num_queries
):
    for i in range(messages - 1):
        if i % 4 == 0:
            actions.do_reply(uk_ticket, oleh, f"Добрий день, Олено!\n\nВідповідь {i}.\n\nOleh")
        else:
            actions.do_customer_message(uk_ticket, olena, f"Питання {i}: коли?")
    actions.do_assign(uk_ticket, oleh, oleh)
    actions.do_assign(uk_ticket, oleh, mei, handover_note="Refund promised by Friday.")
    page(as_oleh, uk_ticket)  # the first view stores the triage
    # The desk's page (11, the handover included), the team's rules, the stored triage.
    with django_assert_max_num_queries(14):
        html = page(as_oleh, uk_ticket).content.decode()
    assert "handover-brief" in html
