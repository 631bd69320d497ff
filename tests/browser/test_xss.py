"""Customer-written text and mail HTML never run as script, on the agent page or in the portal."""

import pytest
from django.urls import reverse

from mannerly.tickets import actions
from tests.browser.conftest import LAPTOP, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_PAYLOAD = (
    '<script>window.pwned = 1; document.title = "pwned"</script>'
    "<img src=x onerror=\"window.pwned = 2; document.title = 'pwned'\">"
    '"><svg onload="window.pwned = 3">'
)
# What a careless sanitiser might let through, and what nh3 removes; the frame would stop it too.
HTML_PAYLOAD = (
    "<p>Hello <b>agent</b></p>"
    "<script>parent.pwned = 4; parent.document.title = 'pwned'</script>"
    '<img src="x" onerror="parent.pwned = 5; parent.document.title = \'pwned\'">'
    '<a href="javascript:parent.pwned=6">click</a>'
    '<iframe src="javascript:parent.pwned=7"></iframe>'
)


@pytest.fixture
def hostile_ticket(anna):
    ticket = actions.do_open_ticket(anna, TEXT_PAYLOAD, TEXT_PAYLOAD)
    actions.do_customer_message(ticket, anna, "", body_html=HTML_PAYLOAD)
    return ticket


def assert_nothing_ran(page, dialogs):
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give any injected handler (img onerror) its chance to fire
    assert page.evaluate("typeof window.pwned") == "undefined"
    # The subject is in the title as text; a script would have replaced the whole title.
    assert page.title() != "pwned" and page.title().endswith("· Mannerly")
    assert dialogs == []


def test_hostile_text_and_html_do_not_run_on_the_agent_page(
    live_server, new_page, hostile_ticket, oleh
):
    page = new_page(LAPTOP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server.url, "oleh", PASSWORD)
    assert_nothing_ran(page, dialogs)  # the inbox shows the subject
    assert "<script>" in page.inner_text("#inbox-results")  # shown as text, not dropped
    page.goto(live_server.url + reverse("tickets:ticket", args=[hostile_ticket.pk]))
    assert_nothing_ran(page, dialogs)
    frame = page.frame_locator("iframe.mail-html")
    assert frame.locator("b").inner_text() == "agent"  # the harmless HTML is still shown


def test_hostile_text_and_html_do_not_run_in_the_portal(live_server, new_page, hostile_ticket):
    page = new_page(LAPTOP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server.url, "anna", PASSWORD)
    assert_nothing_ran(page, dialogs)
    page.goto(live_server.url + reverse("portal:ticket", args=[hostile_ticket.pk]))
    assert_nothing_ran(page, dialogs)
    assert "onerror" in page.inner_text("main")
