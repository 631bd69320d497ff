"""Reply coaching in a real browser: triage badges, findings as the agent types, one-click fixes,
the checklist ticking itself, the send gate, keyboard use, and the lint round trip measured."""

from __future__ import annotations

import statistics

import pytest
from django.urls import reverse

from mannerly.tickets import actions
from mannerly.tickets.models import Message, TicketEvent
from tests.browser.conftest import LAPTOP, PHONE, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UK_MESSAGE = (
    "Ви що, знущаєтесь?! Це вже третій раз я пишу, і ніхто не відповідає! Ваш сервіс жахливий. "
    "Коли ви нарешті повернете мої гроші? І чому мій акаунт досі заблоковано?"
)
UK_DRAFT = (
    "Вибачте, будь ласка, за незручності та довге очікування. Дякуємо за терпіння. "
    "Гроші повернемо на вашу картку до п'ятниці."
)
UK_DRAFT_WITH_FILLER = UK_DRAFT.replace("Гроші повернемо", "Власне кажучи, гроші повернемо")
UK_ANSWER = " Акаунт заблокувала автоматична перевірка платежу, і сьогодні ми його розблокували."

ZH_MESSAGE = (
    "你们这是什么破服务！太过分了！我已经第三次联系你们了，还是没人处理。"
    "请问我的订单什么时候发货？还有发票怎么开？"
)
ZH_DRAFT = "非常抱歉让您久等了，感谢您的耐心。您的订单将于明天下午发货。"
ZH_ANSWER = "发票可以在订单页面点击“申请发票”开具。"

SETTLED = """() => {
  const s = window.mannerlyCoaching, ta = document.getElementById('reply-body');
  return !!(s && ta && s.linted && !s.pending && s.linted.text === ta.value && s.shown > 0);
}"""


def settle(page) -> None:
    """Wait until the panel shows the findings of exactly what the textarea holds."""
    page.wait_for_function(SETTLED)


def finding(page, rule: str):
    return page.locator(f'#coach .finding[data-rule="{rule}"]')


def type_before_signature(page, text: str, signature: str) -> None:
    """Put the caret at the end of the body (before the signature) and type there."""
    page.evaluate(
        """([signature]) => {
          const ta = document.getElementById('reply-body');
          const at = ta.value.lastIndexOf('\\n\\n' + signature);
          ta.focus();
          ta.setSelectionRange(at, at);
        }""",
        [signature],
    )
    page.keyboard.type(text)


@pytest.fixture
def signed(oleh, mei):
    """Agents with signatures, working in English so the assertions read the English labels."""
    for user, signature in ((oleh, "Oleh Kovalenko"), (mei, "Mei Lin")):
        user.signature = signature
        user.language = "en"
        user.save(update_fields=["signature", "language"])


@pytest.fixture
def uk_ticket(olena, team, signed):
    return actions.do_open_ticket(
        olena, "Гроші досі не повернули", UK_MESSAGE, team=team, language="uk"
    )


@pytest.fixture
def zh_ticket(wang_fang, team, signed):
    return actions.do_open_ticket(wang_fang, "订单还没有发货", ZH_MESSAGE, team=team, language="zh")


def open_ticket(new_page, live_server, username, ticket, viewport=LAPTOP, **options):
    page = new_page(viewport, **options)
    sign_in(page, live_server.url, username, PASSWORD)
    page.goto(live_server.url + reverse("tickets:ticket", args=[ticket.pk]))
    page.wait_for_function("() => !!(window.mannerlyCoaching && window.mannerlyCoaching.linted)")
    return page


def start_draft(page, text: str) -> None:
    """Type at the top of the reply box, above the signature the box starts with."""
    page.click("#reply-body")
    page.keyboard.press("Control+Home")
    page.keyboard.type(text)
    settle(page)


def test_agent_is_coached_through_an_angry_ukrainian_ticket(
    live_server, new_page, uk_ticket, screenshot_dir
):
    page = open_ticket(new_page, live_server, "oleh", uk_ticket)

    # Triage of the customer's message: language, mood, flags, numbered questions, guidance.
    triage = page.locator(f"#m{uk_ticket.messages.get().pk} .triage")
    badges = triage.locator(".triage-badges").inner_text()
    assert "Ukrainian" in badges and "Angry" in badges and "Repeat contact" in badges
    questions = triage.locator(".triage-questions li").all_inner_texts()
    assert questions == [
        "Коли ви нарешті повернете мої гроші?",
        "І чому мій акаунт досі заблоковано?",
    ]
    assert "Acknowledge the frustration" in triage.locator(".guidance").inner_text()

    # A draft that apologises and answers the first question only, without a greeting.
    start_draft(page, UK_DRAFT_WITH_FILLER)
    assert finding(page, "greeting-name").count() == 1
    unanswered = finding(page, "questions-answered")
    assert unanswered.count() == 1
    assert "І чому мій акаунт досі заблоковано?" in unanswered.inner_text()
    states = page.locator("#coach-questions li").evaluate_all(
        "items => items.map(li => li.dataset.answered)"
    )
    assert states == ["true", "false"]
    assert page.get_attribute("#reply-send", "aria-disabled") == "true"
    # The filler is highlighted in the text, behind the textarea, and explained on hover.
    mark = page.locator(".coach-highlights mark.sev-suggestion")
    assert mark.inner_text() == "Власне кажучи"
    box = mark.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#coach-tip:not([hidden])")
    assert "adds nothing" in page.inner_text("#coach-tip")
    page.locator("#reply-box").screenshot(path=screenshot_dir / "coaching-reply-box.png")
    page.mouse.move(0, 0)

    # One click removes the filler, exactly.
    finding(page, "filler-words").locator("button.fix").click()
    assert page.input_value("#reply-body") == UK_DRAFT + "\n\nOleh Kovalenko"
    settle(page)

    # One click inserts the greeting with the name in the vocative; Ctrl-Z takes it back.
    finding(page, "greeting-name").locator("button.fix").click()
    assert page.input_value("#reply-body").startswith("Добрий день, Олено!\n\n" + UK_DRAFT)
    page.keyboard.press("Control+z")
    assert page.input_value("#reply-body").startswith(UK_DRAFT)
    settle(page)
    finding(page, "greeting-name").locator("button.fix").click()
    assert page.input_value("#reply-body").startswith("Добрий день, Олено!\n\n")
    settle(page)
    assert finding(page, "greeting-name").count() == 0

    # Answering the second question completes the checklist.
    type_before_signature(page, UK_ANSWER, "Oleh Kovalenko")
    settle(page)
    assert page.locator("#coach-checklist li.ok").count() == 8
    assert page.locator("#coach-checklist.is-complete").count() == 1
    assert page.locator('#coach-questions li[data-answered="false"]').count() == 0
    assert "Ready to send" in page.inner_text("#coach-status")
    assert page.get_attribute("#reply-send", "aria-disabled") == "false"

    page.click("#reply-send")
    page.wait_for_selector("text=Reply sent.")
    reply = Message.objects.get(ticket=uk_ticket, direction=Message.Direction.OUT)
    assert reply.body_text.replace("\r\n", "\n").startswith("Добрий день, Олено!\n\n")
    assert UK_ANSWER.strip() in reply.body_text
    assert not TicketEvent.objects.filter(ticket=uk_ticket, kind="sent-anyway").exists()


def test_agent_is_coached_through_a_chinese_ticket(live_server, new_page, zh_ticket):
    page = open_ticket(new_page, live_server, "mei", zh_ticket)
    badges = page.locator(".triage.is-latest .triage-badges").inner_text()
    assert "Chinese" in badges and "Repeat contact" in badges
    assert page.locator(".triage.is-latest .triage-questions li").count() == 2

    start_draft(page, ZH_DRAFT)
    assert finding(page, "greeting-name").count() == 1
    assert "还有发票怎么开？" in finding(page, "questions-answered").inner_text()

    finding(page, "greeting-name").locator("button.fix").click()
    assert page.input_value("#reply-body").startswith("王芳，您好！\n\n" + ZH_DRAFT)
    type_before_signature(page, ZH_ANSWER, "Mei Lin")
    settle(page)
    assert page.locator("#coach-checklist li.ok").count() == 8
    assert page.locator('#coach-questions li[data-answered="true"]').count() == 2

    page.click("#reply-send")
    page.wait_for_selector("text=Reply sent.")
    reply = Message.objects.get(ticket=zh_ticket, direction=Message.Direction.OUT)
    assert reply.body_text.startswith("王芳，您好！") and ZH_ANSWER in reply.body_text


FLOWS = {
    "en": (
        "anna",
        "Hi, this is the second time I'm writing about this and still nothing. I'm really "
        "frustrated. When will my refund arrive? And why was my card charged twice?",
        "I'm sorry for the wait and the trouble. Thank you for your patience. "
        "Your refund will reach your card by Friday.",
        " The second charge came from a payment retry; we have cancelled it today.",
        "Hi Anna,",
        "English",
    ),
    "ru": (
        "andrey",
        "Это уже второй раз, когда я пишу, и никто не отвечает! Ужасный сервис. "
        "Когда вы вернёте мои деньги? И почему мой аккаунт до сих пор заблокирован?",
        "Извините, пожалуйста, за неудобства и долгое ожидание. Спасибо за терпение. "
        "Деньги вернём на вашу карту до пятницы.",
        " Аккаунт заблокировала автоматическая проверка платежа, и сегодня мы его разблокировали.",
        "Здравствуйте, Андрей!",
        "Russian",
    ),
}


@pytest.mark.parametrize("lang", sorted(FLOWS))
def test_agent_is_coached_in_english_and_russian(
    live_server, new_page, request, team, signed, lang
):
    """The same coached flow as Ukrainian and Chinese, so all four languages are walked."""
    login, message, draft, answer, greeting, language_name = FLOWS[lang]
    customer = request.getfixturevalue(login)
    ticket = actions.do_open_ticket(customer, "Refund", message, team=team, language=lang)
    page = open_ticket(new_page, live_server, "oleh", ticket)
    badges = page.locator(".triage.is-latest .triage-badges").inner_text()
    assert language_name in badges and "Repeat contact" in badges
    assert page.locator(".triage.is-latest .triage-questions li").count() == 2

    start_draft(page, draft)
    assert finding(page, "greeting-name").count() == 1
    second_question = message[message.rindex("?", 0, len(message) - 1) + 1 :].strip()
    assert second_question in finding(page, "questions-answered").inner_text()

    finding(page, "greeting-name").locator("button.fix").click()
    assert page.input_value("#reply-body").startswith(greeting + "\n\n" + draft)
    type_before_signature(page, answer, "Oleh Kovalenko")
    settle(page)
    assert page.locator("#coach-checklist.is-complete").count() == 1
    assert page.locator('#coach-questions li[data-answered="true"]').count() == 2

    page.click("#reply-send")
    page.wait_for_selector("text=Reply sent.")
    reply = Message.objects.get(ticket=ticket, direction=Message.Direction.OUT)
    assert reply.body_text.startswith(greeting) and answer.strip() in reply.body_text


def test_send_anyway_needs_a_reason_and_records_it(live_server, new_page, uk_ticket):
    page = open_ticket(new_page, live_server, "oleh", uk_ticket)
    start_draft(page, "Гроші повернемо до п'ятниці.")
    assert int(page.get_attribute("#coach", "data-errors")) > 0

    # Send is held while the checked draft has errors: the focus goes to the first error.
    page.click("#reply-send", force=True)  # aria-disabled: clickable, but it does not send
    assert page.evaluate("document.activeElement.classList.contains('finding')")
    assert Message.objects.filter(ticket=uk_ticket, direction="out").count() == 0

    page.click("#send-anyway summary")
    page.fill("#send-anyway-reason", "Customer asked for a one-line answer on the phone.")
    page.click("#send-anyway button[name=send_anyway]")
    page.wait_for_selector("text=Reply sent.")
    event = TicketEvent.objects.get(ticket=uk_ticket, kind="sent-anyway")
    assert event.reason == "Customer asked for a one-line answer on the phone."
    assert event.actor.username == "oleh"
    assert "greeting-name" in event.data["rules"]


def test_findings_and_fixes_work_from_the_keyboard(live_server, new_page, uk_ticket):
    page = open_ticket(new_page, live_server, "oleh", uk_ticket)
    start_draft(page, UK_DRAFT)

    def tab_to_first_finding():
        page.focus("#reply-body")
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('finding')"):
                return
        pytest.fail("no finding was reachable with Tab from the reply box")

    # Errors come first: the greeting. Its message is announced with it (aria-describedby).
    tab_to_first_finding()
    assert page.evaluate("document.activeElement.dataset.rule") == "greeting-name"
    # Tab goes on to its fix; Enter presses it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('fix')")
    page.keyboard.press("Enter")
    assert page.input_value("#reply-body").startswith("Добрий день, Олено!\n\n")
    page.keyboard.press("Control+z")
    assert page.input_value("#reply-body").startswith(UK_DRAFT)
    settle(page)
    # Enter on the finding itself applies its fix as well.
    tab_to_first_finding()
    page.keyboard.press("Enter")
    assert page.input_value("#reply-body").startswith("Добрий день, Олено!\n\n")


def test_highlights_stay_aligned_when_text_wraps_scrolls_and_resizes(
    live_server, new_page, uk_ticket
):
    page = open_ticket(new_page, live_server, "oleh", uk_ticket)
    long = " ".join(["На жаль, це неможливо."] + ["Ми перевіряємо ваш платіж дуже уважно."] * 30)
    start_draft(page, long)
    assert page.locator(".coach-highlights mark.sev-warning").count() >= 1
    geometry = """() => {
      const ta = document.getElementById('reply-body');
      const back = document.querySelector('.coach-backdrop');
      const layer = document.querySelector('.coach-highlights');
      const cs = getComputedStyle(ta), bs = getComputedStyle(back);
      return {
        taWidth: ta.offsetWidth, backWidth: back.offsetWidth,
        taHeight: ta.offsetHeight, backHeight: back.offsetHeight,
        font: cs.font === bs.font, padLeft: cs.paddingLeft === bs.paddingLeft,
        textHeight: ta.scrollHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom),
        layerHeight: layer.offsetHeight,
        scrollTop: ta.scrollTop, transform: layer.style.transform,
      };
    }"""
    g = page.evaluate(geometry)
    assert g["font"] and g["padLeft"]
    assert g["taWidth"] == g["backWidth"] and g["taHeight"] == g["backHeight"]
    # Same wrapping: the layer's text is as tall as the textarea's (within a line's rounding).
    assert abs(g["textHeight"] - g["layerHeight"]) < 4
    page.evaluate("document.getElementById('reply-body').scrollTop = 120")
    page.wait_for_function(
        "() => document.querySelector('.coach-highlights').style.transform.includes('-120px')"
    )
    page.evaluate("document.getElementById('reply-body').style.height = '320px'")
    page.wait_for_function(
        "() => document.querySelector('.coach-backdrop').offsetHeight === "
        "document.getElementById('reply-body').offsetHeight"
    )
    page.set_viewport_size({"width": 900, "height": 768})
    page.wait_for_function(
        "() => document.querySelector('.coach-backdrop').offsetWidth === "
        "document.getElementById('reply-body').offsetWidth"
    )
    g = page.evaluate(geometry)
    assert abs(g["textHeight"] - g["layerHeight"]) < 4


def test_lint_round_trip_is_measured(live_server, new_page, uk_ticket):
    """Not a timing test: records the round trip from keystroke to drawn findings and prints it."""
    page = open_ticket(new_page, live_server, "oleh", uk_ticket)
    start_draft(page, "Добрий день, Олено!\n\n")  # warms the engine in the server's process
    words = (UK_DRAFT + UK_ANSWER).split()
    page.evaluate("window.mannerlyCoaching.timings = []; window.mannerlyCoaching.keystroke = []")
    for word in words[:30]:
        page.keyboard.type(word + " ")
        settle(page)
    timings = page.evaluate("window.mannerlyCoaching.timings")
    keystroke = page.evaluate("window.mannerlyCoaching.keystroke")
    assert len(timings) >= 25
    report(timings, keystroke)


def report(timings: list[float], keystroke: list[float]) -> None:
    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    print(
        f"\nlint round trip over {len(timings)} edits (request sent -> findings drawn): "
        f"median {statistics.median(timings):.0f} ms, p95 {p95(timings):.0f} ms; "
        f"from the last keystroke (includes the 300 ms pause): "
        f"median {statistics.median(keystroke):.0f} ms, p95 {p95(keystroke):.0f} ms"
    )


def test_the_new_agent_reads_the_handover_brief(
    live_server, new_page, uk_ticket, olena, oleh, mei, sofia, screenshot_dir
):
    actions.do_reply(
        uk_ticket,
        oleh,
        "Добрий день, Олено!\n\nВибачте за очікування. Гроші повернемо на картку до п'ятниці."
        "\n\nOleh Kovalenko",
    )
    actions.do_customer_message(
        uk_ticket, olena, "Ви знову мене ігноруєте? Я звернуся до суду, якщо гроші не прийдуть!"
    )
    actions.do_assign(
        uk_ticket, sofia, mei, handover_note="Refund approved by finance; Olena is very upset."
    )
    page = open_ticket(new_page, live_server, "mei", uk_ticket)
    brief = page.locator("#handover-brief")
    text = brief.inner_text()
    assert "І чому мій акаунт досі заблоковано?" in text
    assert "до п'ятниці" in text
    assert "Legal threat" in page.inner_text(".triage-alert")
    page.locator("#main").screenshot(path=screenshot_dir / "coaching-ticket-1366.png")


def test_coached_reply_box_fits_a_phone(live_server, new_page, uk_ticket, screenshot_dir):
    page = open_ticket(
        new_page,
        live_server,
        "oleh",
        uk_ticket,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    start_draft(page, UK_DRAFT_WITH_FILLER)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert finding(page, "greeting-name").is_visible() or finding(page, "greeting-name").count()
    page.locator("#reply-box").screenshot(path=screenshot_dir / "coaching-reply-box-390.png")
