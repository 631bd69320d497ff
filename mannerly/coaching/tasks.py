"""One-off background work of the coaching app, run by ``mannerly worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def triage_message(message_id: int) -> int:
    """Triage one stored customer message (nothing when it is gone or already triaged)."""
    from mannerly.coaching.actions import do_triage_messages
    from mannerly.tickets.models import Message

    messages = list(Message.objects.select_related("ticket", "customer").filter(pk=message_id))
    return len(do_triage_messages(messages))


@task()
def triage_messages(message_ids: list[int]) -> int:
    """Triage stored customer messages (those gone or already triaged are skipped)."""
    from mannerly.coaching.actions import do_triage_messages
    from mannerly.tickets.models import Message

    messages = Message.objects.select_related("ticket", "customer").filter(pk__in=message_ids)
    return len(do_triage_messages(list(messages.order_by("pk"))))
