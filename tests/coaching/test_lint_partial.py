"""The reply box's lint endpoint: what it gives the engine and what the panel shows."""

import pytest
from django.urls import reverse

from mannerly.coaching.actions import do_save_team_etiquette
from mannerly.tickets import actions
from tests.coaching.conftest import UK_GOOD_REPLY


def lint(client, ticket, body, seq=None):
    data = {"body": body}
    if seq is not None:
        data["seq"] = seq
    response = client.post(reverse("coaching:lint", args=[ticket.pk]), data)
    assert response.status_code == 200, response.content[:300]
    return response


def rules(response) -> list[str]:
    return [f.rule for f in response.context["coaching"].findings]


def test_draft_without_greeting_gets_the_vocative_fix_and_open_question(as_oleh, uk_ticket):
    draft = (
        "Вибачте за очікування. Дякуємо за терпіння. Гроші повернемо до п'ятниці.\n\nOleh Kovalenko"
    )
    response = lint(as_oleh, uk_ticket, draft, seq=7)
    coaching = response.context["coaching"]
    greeting = next(f for f in coaching.findings if f.rule == "greeting-name")
    assert greeting.severity == "error"
    assert greeting.fix == {"start": 0, "end": 0, "replacement": "Добрий день, Олено!\n\n"}
    assert [(q.number, q.answered) for q in coaching.questions] == [(1, True), (2, False)]
    html = response.content.decode()
    assert 'data-seq="7"' in html
    assert 'data-fix-text="Добрий день, Олено!' in html
    assert "Not answered" in html and "І чому мій акаунт досі заблоковано?" in html
    assert coaching.errors >= 2 and not coaching.complete


def test_a_courteous_complete_reply_ticks_the_whole_checklist(as_oleh, uk_ticket):
    coaching = lint(as_oleh, uk_ticket, UK_GOOD_REPLY).context["coaching"]
    assert coaching.findings == []
    assert coaching.complete and coaching.checklist_done == 8
    assert all(q.answered for q in coaching.questions)


def test_browser_line_endings_do_not_shift_the_offsets(as_oleh, anna_ticket):
    draft = "Hi Anna,\r\n\r\nUnfortunately the refund is basically on its way.\r\n\r\nOleh"
    coaching = lint(as_oleh, anna_ticket, draft).context["coaching"]
    text = draft.replace("\r\n", "\n")
    located = {f.rule: text[f.start : f.end] for f in coaching.findings if f.located}
    assert located["negative-language"] == "Unfortunately"
    highlights = {h["i"]: h for h in coaching.highlights()}
    negative = next(f for f in coaching.findings if f.rule == "negative-language")
    assert highlights[negative.index]["start"] == text.index("Unfortunately")


def test_the_customers_words_since_our_last_reply_are_what_the_draft_must_answer(
    as_oleh, anna_ticket, anna, oleh
):
    actions.do_reply(anna_ticket, oleh, "Hi Anna,\n\nThe second charge is refunded.\n\nOleh")
    actions.do_customer_message(anna_ticket, anna, "Thanks! When will I see the money?")
    actions.do_customer_message(anna_ticket, anna, "Also, can you send me the credit note?")
    coaching = lint(as_oleh, anna_ticket, "Hi Anna,\n\nThanks.\n\nOleh").context["coaching"]
    assert [q.text for q in coaching.questions] == [
        "When will I see the money?",
        "Also, can you send me the credit note?",
    ]


def test_after_our_reply_the_latest_customer_message_is_still_the_reference(
    as_oleh, anna_ticket, oleh
):
    actions.do_reply(anna_ticket, oleh, "Hi Anna,\n\nLooking into it today.\n\nOleh")
    coaching = lint(as_oleh, anna_ticket, "Hi Anna,\n\nThanks.\n\nOleh").context["coaching"]
    assert [q.text for q in coaching.questions] == ["Can you refund the second charge?"]


def test_team_rules_change_what_the_reply_box_reports(as_oleh, anna_ticket, team, sofia):
    draft = "Hi Anna,\n\nI just checked the Gizmo Console: the flux capacitor is fine.\n\nOleh"
    before = lint(as_oleh, anna_ticket, draft).context["coaching"]
    assert "internal-details" not in rules(lint(as_oleh, anna_ticket, draft))
    do_save_team_etiquette(
        team,
        sofia,
        severities={"thanks": "error"},
        disabled_rules=["questions-answered"],
        jargon="flux capacitor",
        internal_names="Gizmo Console",
    )
    after = lint(as_oleh, anna_ticket, draft).context["coaching"]
    found = {f.rule: f for f in after.findings}
    assert found["internal-details"].severity == "error"
    assert found["plain-language"].excerpt == "flux capacitor"
    assert found["thanks"].severity == "error"
    assert "questions-answered" not in found
    assert any(f.rule == "questions-answered" for f in before.findings)


def test_a_name_placeholder_is_replaced_by_the_customers_name(as_oleh, anna_ticket):
    draft = "Hi {{name}},\n\nThank you for writing. The second charge is refunded.\n\nOleh"
    coaching = lint(as_oleh, anna_ticket, draft).context["coaching"]
    placeholder = next(f for f in coaching.findings if f.rule == "unedited-template")
    assert placeholder.fix == {"start": 3, "end": 11, "replacement": "Anna"}
    # The greeting rule would insert the name as well; only one of the two fixes is offered.
    greeting = [f for f in coaching.findings if f.rule == "greeting-name"]
    assert all(f.fix is None for f in greeting)


def test_ukrainian_placeholder_gets_the_vocative(as_oleh, uk_ticket):
    draft = "Добрий день, [Ім'я клієнта]!\n\nДякуємо за лист.\n\nOleh Kovalenko"
    coaching = lint(as_oleh, uk_ticket, draft).context["coaching"]
    placeholder = next(f for f in coaching.findings if f.rule == "unedited-template")
    assert placeholder.fix["replacement"] == "Олено"


def test_missing_signature_uses_the_teams_template(as_oleh, anna_ticket, team, sofia):
    do_save_team_etiquette(team, sofia, signature_template="{agent}\n{team} · Mannerly")
    draft = "Hi Anna,\n\nThank you for writing. The second charge is refunded."
    coaching = lint(as_oleh, anna_ticket, draft).context["coaching"]
    signature = next(f for f in coaching.findings if f.rule == "signature-name")
    fixed = (
        draft[: signature.fix["start"]]
        + signature.fix["replacement"]
        + draft[signature.fix["end"] :]
    )
    assert fixed.endswith("refunded.\n\nOleh Kovalenko\nSupport · Mannerly")


def test_fixes_that_would_change_nothing_or_point_outside_the_draft_are_dropped():
    from mannerly.coaching.coach import _valid_fix

    draft = "Hi Anna"
    assert _valid_fix({"start": 0, "end": 2, "replacement": "Hello"}, draft)
    assert not _valid_fix({"start": 0, "end": 2, "replacement": "Hi"}, draft)
    assert not _valid_fix({"start": 5, "end": 99, "replacement": "x"}, draft)
    assert not _valid_fix({"start": "0", "end": 2, "replacement": "x"}, draft)
    assert not _valid_fix(None, draft)


def test_an_overlong_draft_is_refused_clearly(as_oleh, anna_ticket):
    response = as_oleh.post(
        reverse("coaching:lint", args=[anna_ticket.pk]), {"body": "a" * 100_001}
    )
    assert response.status_code == 400
    assert b"too long" in response.content


@pytest.mark.parametrize("body", ["", "   ", "\n\nOleh"])
def test_empty_drafts_are_linted_without_error(as_oleh, anna_ticket, body):
    coaching = lint(as_oleh, anna_ticket, body).context["coaching"]
    assert not coaching.ok  # nothing written yet: at least the greeting is missing


def test_the_greeting_goes_above_the_blank_lines_the_reply_box_starts_with(as_oleh, uk_ticket):
    draft = "\n\nOleh Kovalenko"
    coaching = lint(as_oleh, uk_ticket, draft).context["coaching"]
    greeting = next(f for f in coaching.findings if f.rule == "greeting-name")
    assert greeting.fix == {"start": 0, "end": 0, "replacement": "Добрий день, Олено!\n\n"}
    assert greeting.fix_label == "Insert “Добрий день, Олено!”"


def test_a_reply_in_another_language_is_checked_in_that_language(as_oleh, uk_ticket, olena):
    draft = (
        "Hi Olena,\n\nThank you for writing, and sorry for the wait. Your refund arrives by "
        "Friday, and your account is unlocked today.\n\nOleh Kovalenko"
    )
    coaching = lint(as_oleh, uk_ticket, draft).context["coaching"]
    assert coaching.language == "en"
    errors = {f.rule for f in coaching.findings if f.severity == "error"}
    # Read as Ukrainian, "Hi Olena," would be a wrong greeting and an unedited template.
    assert not errors & {"greeting-name", "unedited-template", "signature-name"}


def test_a_latin_signature_does_not_change_the_language_of_a_ukrainian_reply(
    as_oleh, uk_ticket, oleh
):
    oleh.signature = "Oleh Kovalenko\nCustomer Support, Mannerly Ltd"
    oleh.save(update_fields=["signature"])
    coaching = lint(as_oleh, uk_ticket, "\n\n" + oleh.signature).context["coaching"]
    assert coaching.language == "uk"
    greeting = next(f for f in coaching.findings if f.rule == "greeting-name")
    assert greeting.fix["replacement"] == "Добрий день, Олено!\n\n"


def test_inline_questions_become_a_numbered_list_in_one_click(as_oleh, anna_ticket):
    draft = (
        "Hi Anna,\n\nThank you for writing. The second charge is refunded. Can you send the "
        "invoice? What is your address? Which plan do you use?\n\nOleh"
    )
    coaching = lint(as_oleh, anna_ticket, draft).context["coaching"]
    listed = next(f for f in coaching.findings if f.rule == "question-list")
    assert listed.fix_label == "Make a numbered list"
    fixed = draft[: listed.fix["start"]] + listed.fix["replacement"] + draft[listed.fix["end"] :]
    assert "1. Can you send the invoice?\n2. What is your address?\n3. Which plan" in fixed


def test_customer_and_draft_text_are_escaped_in_the_panel(as_oleh, anna, team, english_staff):
    ticket = actions.do_open_ticket(
        anna, "XSS", "Can you explain <script>alert(1)</script> on my invoice?", team=team
    )
    draft = 'Hi Anna,\n\nBasically <img src=x onerror="alert(2)"> is fine.\n\nOleh'
    html = lint(as_oleh, ticket, draft).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    page_html = as_oleh.get(reverse("tickets:ticket", args=[ticket.pk])).content.decode()
    assert "<script>alert(1)" not in page_html
