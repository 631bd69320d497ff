"""The supervisor's review of replies sent despite errors."""

from django.urls import reverse

from mannerly.accounts.models import Team, User
from mannerly.tickets import actions
from tests.coaching.conftest import signed_in
from tests.conftest import make_user


def send_anyway(ticket, agent, reason):
    return actions.do_reply(
        ticket, agent, "ok", send_anyway_reason=reason, send_anyway_rules=["greeting-name"]
    )


def test_the_supervisor_sees_each_reply_sent_anyway_with_agent_and_reason(
    as_sofia, uk_ticket, anna_ticket, oleh, mei
):
    send_anyway(uk_ticket, oleh, "She asked for a one-line answer.")
    send_anyway(anna_ticket, mei, "Legal approved this exact text.")
    actions.do_reply(anna_ticket, mei, "Hi Anna,\n\nThanks!\n\nMei")  # a normal reply: not listed
    html = as_sofia.get(reverse("coaching:sent_anyway")).content.decode()
    listing = html.split('id="sent-anyway-list"')[1]
    assert listing.count("<li>") == 2
    assert listing.index("Legal approved this exact text.") < listing.index(
        "She asked for a one-line answer."
    )  # newest first
    assert "Oleh Kovalenko" in listing and "Mei Lin" in listing
    assert "Greeting by name" in listing


def test_the_list_filters_by_agent(as_sofia, uk_ticket, anna_ticket, oleh, mei):
    send_anyway(uk_ticket, oleh, "reason of Oleh")
    send_anyway(anna_ticket, mei, "reason of Mei")
    html = as_sofia.get(reverse("coaching:sent_anyway"), {"agent": mei.pk}).content.decode()
    assert "reason of Mei" in html and "reason of Oleh" not in html


def test_agents_and_customers_do_not_see_the_review(as_oleh, uk_ticket, oleh, olena):
    send_anyway(uk_ticket, oleh, "private reason")
    assert as_oleh.get(reverse("coaching:sent_anyway")).status_code == 404
    assert signed_in(olena.user).get(reverse("coaching:sent_anyway")).status_code == 404


def test_events_on_tickets_the_supervisor_cannot_see_are_not_listed(anna, oleh):
    private = Team.objects.create(name="Legal", scoped=True)
    ticket = actions.do_open_ticket(anna, "Contract", "Please review.", team=private)
    send_anyway(ticket, oleh, "contract wording")
    # An agent's list is empty by definition; a supervisor sees every ticket, so the permission
    # getter is checked directly for a visitor who sees none.
    from mannerly.coaching.queries import sent_anyway_events

    outsider = make_user("bohdan", "Bohdan", User.Role.AGENT)
    assert list(sent_anyway_events(outsider)) == []
    supervisor = make_user("lena", "Lena", User.Role.SUPERVISOR)
    assert [e.reason for e in sent_anyway_events(supervisor)] == ["contract wording"]
