"""Texts written for several people at once (SLA notifications) reach each in their language."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.translation import gettext_noop

from mannerly.sla.effects import notifications
from mannerly.sla.models import Metric, Notification
from mannerly.tickets import actions


def test_a_warning_is_written_in_each_recipients_language(anna, team, oleh, mei, sofia):
    oleh.language, oleh.time_zone = "uk", "Europe/Kyiv"
    oleh.save(update_fields=["language", "time_zone"])
    mei.language = "zh-hans"
    mei.save(update_fields=["language"])
    ticket = actions.do_open_ticket(anna, "Charged twice", "Please refund.", team=team)
    rows = notifications(
        [oleh, mei, sofia],
        ticket,
        Notification.Kind.WARNING,
        gettext_noop("%(metric)s due on #%(id)s by %(due)s: %(subject)s"),
        id=ticket.pk,
        subject=ticket.subject,
        metric=Metric.FIRST_RESPONSE,
        due=datetime(2026, 6, 1, 12, tzinfo=UTC),
    )
    titles = {row.user.username: row.title for row in rows}
    assert (
        titles["oleh"]
        == f"Перша відповідь у зверненні #{ticket.pk} — термін 2026-06-01 15:00 (Europe/Kyiv): Charged twice"
    )
    assert titles["mei"].startswith(f"工单 #{ticket.pk} 的首次响应截止时间为")
    assert (
        titles["sofia"]
        == f"First response due on #{ticket.pk} by 2026-06-01 12:00 (UTC): Charged twice"
    )
