"""An agent's and a customer's day, in a real browser."""

import pytest
from django.urls import reverse

from mannerly.tickets.models import Handover, Message
from tests.browser.conftest import LAPTOP, PHONE, sign_in
from tests.browser.scenery import furnish
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(anna, wang_fang, olena, andrey, oleh, mei, sofia, team):
    return furnish(anna, wang_fang, olena, andrey, oleh, mei, sofia, team)


def test_agent_searches_replies_and_hands_over_then_customer_sees_only_her_side(
    live_server, new_page, desk, screenshot_dir
):
    base = live_server.url
    page = new_page(LAPTOP)
    sign_in(page, base, "oleh", PASSWORD)
    assert page.url.endswith("/tickets/")
    page.wait_for_selector("tr[data-row]")
    page.screenshot(path=screenshot_dir / "inbox-1366.png", full_page=False)

    # "/" jumps to the search box; typing filters the list in place (htmx).
    page.keyboard.press("/")
    page.keyboard.type("refund second charge")
    page.wait_for_function("document.querySelectorAll('tr[data-row]').length === 1")
    assert "Charged twice" in page.inner_text("#inbox-results")
    # j moves to the first ticket, Enter opens it.
    page.locator("#q").blur()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{desk.pk}/")

    # The reply box starts with Oleh's signature; the reply is sent as pending.
    assert "Mannerly support" in page.input_value("#reply-body")
    page.click("#reply-body")
    page.keyboard.press("Control+Home")
    # Courteous enough for the send gate (reply coaching): it acknowledges the double charge.
    page.keyboard.type(
        "Hi Anna, sorry for the double charge: the second charge is refunded; "
        "expect it within 3 days."
    )
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("text=Reply sent.")
    assert "expect it within 3 days" in page.inner_text("#conversation")
    assert Message.objects.filter(ticket=desk, direction="out").count() == 1

    # Taking the ticket from Oleh without a handover note is refused, in the form.
    page.select_option("#f-assignee", label="Mei Lin")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("#assign-form .errorlist")
    assert "Write a handover note" in page.inner_text("#assign-form")
    page.fill(
        "#f-handover", "Refund done; Anna asked for a copy of the credit note, still pending."
    )
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=Assignee saved.")
    assert Handover.objects.get(ticket=desk).to_user.username == "mei"
    page.screenshot(path=screenshot_dir / "ticket-1366.png", full_page=True)

    # Mei sees the handover note on top of the ticket.
    mei_page = new_page(LAPTOP)
    sign_in(mei_page, base, "mei", PASSWORD)
    mei_page.goto(base + reverse("tickets:ticket", args=[desk.pk]))
    handover = mei_page.locator(".handover")
    assert "Handed over to you by Oleh Kovalenko" in handover.inner_text()
    assert "credit note, still pending" in handover.inner_text()
    box = handover.bounding_box()
    assert box["y"] < mei_page.locator("#conversation").bounding_box()["y"]

    # Anna sees her requests only, and no internal note or handover.
    anna_page = new_page(LAPTOP)
    sign_in(anna_page, base, "anna", PASSWORD)
    listing = anna_page.inner_text("main")
    assert "Charged twice for my March invoice" in listing
    assert "How do I export my data?" in listing
    assert "订单还没有发货" not in listing and "Вопрос по доставке" not in listing
    anna_page.click("text=Charged twice for my March invoice")
    anna_page.wait_for_url("**/portal/*/")
    anna_page.wait_for_load_state("domcontentloaded")
    conversation = anna_page.inner_text("main")
    assert "expect it within 3 days" in conversation
    assert "Finance confirmed" not in conversation
    assert "credit note, still pending" not in conversation
    anna_page.screenshot(path=screenshot_dir / "portal-ticket-1366.png", full_page=True)


def test_pages_fit_a_phone(live_server, new_page, desk, screenshot_dir):
    base = live_server.url
    page = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, base, "sofia", PASSWORD)
    page.wait_for_selector("tr[data-row]")
    page.screenshot(path=screenshot_dir / "inbox-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(base + reverse("tickets:ticket", args=[desk.pk]))
    page.screenshot(path=screenshot_dir / "ticket-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    customer = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(customer, base, "anna", PASSWORD)
    customer.screenshot(path=screenshot_dir / "portal-390.png", full_page=True)
    assert customer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_keyboard_help_opens_with_question_mark(live_server, new_page, desk):
    page = new_page(LAPTOP)
    sign_in(page, live_server.url, "oleh", PASSWORD)
    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#keys-help").is_visible()
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("tr[data-row].is-selected input[type=checkbox]").is_checked()
