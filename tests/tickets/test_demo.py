from django.db.models import Count

from mannerly.accounts.models import User
from mannerly.tickets.demo import load_demo_data
from mannerly.tickets.models import Customer, CustomerFlag, Handover, Message, Ticket


def test_demo_tells_its_story_in_four_languages(db):
    assert load_demo_data() is True
    assert Ticket.objects.count() == 200
    assert Customer.objects.count() == 40
    languages = dict(Ticket.objects.values_list("language").annotate(n=Count("id")))
    assert set(languages) == {"en", "zh", "uk", "ru"} and min(languages.values()) >= 30
    assert Handover.objects.count() >= 2
    assert Message.objects.filter(direction=Message.Direction.INTERNAL).exists()
    assert CustomerFlag.objects.filter(kind=CustomerFlag.Kind.ABUSIVE).exists()
    assert Ticket.objects.filter(status__in=Ticket.ACTIVE_STATUSES).count() >= 20
    assert {"oleh", "mei", "sofia", "anna"} <= set(User.objects.values_list("username", flat=True))
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"new", "open", "pending", "solved", "closed"} <= statuses

    # Each step was recorded when it happened, and the story's ending holds.
    export = Ticket.objects.get(subject="Export still broken")
    assert export.status == Ticket.Status.OPEN and export.assignee.username == "sofia"
    assert export.handovers.get().to_user.username == "sofia"
    events = list(export.events.values_list("created_at", flat=True))
    assert events == sorted(events) and events[0] == export.created_at
    assert (export.last_agent_reply_at - export.created_at).total_seconds() == 72 * 3600
    assert export.sla.awaiting_since is None  # Sofia's reply answered the customer
    for ticket in Ticket.objects.all()[:50]:
        times = list(ticket.messages.values_list("created_at", flat=True))
        assert times == sorted(times) and ticket.created_at == times[0]


def test_running_the_demo_again_keeps_the_data(db):
    load_demo_data()
    first = list(Ticket.objects.order_by("pk").values_list("pk", "subject", "status")[:5])
    assert load_demo_data() is False
    assert Ticket.objects.count() == 200
    assert list(Ticket.objects.order_by("pk").values_list("pk", "subject", "status")[:5]) == first
