"""Service levels: the promises a desk makes (policies and their targets), the hours it keeps
(business calendars), each ticket's clock, and the record of what was done when a promise
neared or passed its deadline.

The deadlines themselves live on ``Ticket`` (``first_response_due`` ...), indexed for the desk's
views; everything else the clocks need is kept here, one ``TicketSla`` row per ticket.
"""

from __future__ import annotations

import zoneinfo
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mannerly.tickets.models import LANGUAGES, Organization, Tag, Ticket

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from None


class BusinessCalendar(models.Model):
    """The hours a team answers in: a time zone, weekly opening hours and closed days.

    ``always_open`` is 24/7 (holidays listed on it still close it). The calendar marked default is
    used for tickets of teams without one of their own; with none at all, time runs 24/7 in UTC.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    always_open = models.BooleanField(_("open around the clock (24/7)"), default=False)
    is_default = models.BooleanField(_("default for teams without a calendar"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_calendar",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One stretch of opening time on a weekday, in the calendar's time zone.

    ``closes`` at 00:00 means midnight at the end of the day; a night shift from 22:00 to 06:00 is
    two rows (22:00–00:00 and 00:00–06:00 of the next weekday).
    """

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.closes != time(0) and self.closes <= self.opens:
            raise ValidationError(_("Closing time must be after opening time (00:00 = midnight)."))


class Holiday(models.Model):
    """A whole day the team is closed; ``every_year`` repeats it on the same date each year."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    every_year = models.BooleanField(_("every year"), default=False)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_calendar_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class TeamCalendar(models.Model):
    """Which calendar a team keeps (several teams may share one)."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="business_calendar"
    )
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="teams")

    def __str__(self) -> str:
        return f"{self.team} keeps {self.calendar}"


class SlaPolicy(models.Model):
    """A set of promises that applies to the tickets matching all of its conditions.

    An empty condition matches anything. Policies are tried in ``position`` order and the first
    match applies; its target for the ticket's priority gives the times.
    """

    class BreachAction(models.TextChoices):
        NOTIFY = "notify", _("Notify the supervisor")
        REASSIGN = "reassign", _("Reassign to the supervisor and notify")

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("customer organisations")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("tags"))
    warn_percent = models.PositiveSmallIntegerField(
        _("warn at this share of the time (%)"), default=75
    )
    breach_action = models.CharField(
        _("at a breach"), max_length=16, choices=BreachAction.choices, default=BreachAction.NOTIFY
    )
    # Who is escalated to; when empty, the supervisors of the ticket's team (else all supervisors).
    escalate_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("escalate to"),
    )
    acknowledge = models.BooleanField(_("acknowledge new tickets automatically"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field, allowed in (
            ("channels", Ticket.Channel.values),
            ("priorities", Ticket.Priority.values),
            ("languages", [code for code, _name in LANGUAGES]),
        ):
            values = getattr(self, field)
            if not isinstance(values, list) or any(v not in allowed for v in values):
                raise ValidationError({field: _("Choose from: %s") % ", ".join(map(str, allowed))})
        if not 1 <= self.warn_percent <= 99:
            raise ValidationError({"warn_percent": _("Between 1 and 99.")})


class SlaTarget(models.Model):
    """The times a policy promises for one priority, in minutes; empty means no promise.

    With ``business_hours`` the response and resolution minutes count only while the team's
    calendar is open; without, they count around the clock. ``update_business_hours`` does the
    same for the periodic update.
    """

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    priority = models.IntegerField(_("priority"), choices=Ticket.Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response"), null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(_("next response"), null=True, blank=True)
    update_minutes = models.PositiveIntegerField(_("periodic update"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolution"), null=True, blank=True)
    business_hours = models.BooleanField(
        _("responses and resolution count business hours only"), default=True
    )
    # "An update at least every 3 days" is a promise in days, so by default the update clock runs
    # around the clock even when the team keeps office hours.
    update_business_hours = models.BooleanField(
        _("periodic updates count business hours only"), default=False
    )

    class Meta:
        ordering = ["policy", "-priority"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_priority")
        ]

    def __str__(self) -> str:
        return f"{self.policy}: {self.get_priority_display()}"

    def minutes_for(self, metric: str) -> int | None:
        return getattr(self, f"{metric}_minutes")

    def counts_business_hours(self, metric: str) -> bool:
        return self.update_business_hours if metric == "update" else self.business_hours


class Metric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    UPDATE = "update", _("Periodic update")
    RESOLUTION = "resolution", _("Resolution")


class TicketSla(models.Model):
    """One ticket's service-level clock: what applies to it and where its clocks stand.

    ``pauses`` lists the stretches of time (ISO start, ISO end or null while it lasts) when the
    clocks stood still: the ticket waited on the customer or was solved. Deadlines are a pure
    function of the ticket's times, these pauses, the policy and the calendar, so any change
    (a new team, a new priority, a merge) recomputes them from scratch.

    ``checkpoints`` are the instants the scanner must act at (warnings, breaches, the
    acknowledgement), and ``next_check_at`` the earliest of those not yet acted on: the one
    indexed column the worker's scan reads.
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="sla")
    policy = models.ForeignKey(
        SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calendar = models.ForeignKey(
        BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The customer's oldest message that no reply has answered yet (the response clocks' start).
    awaiting_since = models.DateTimeField(null=True, blank=True)
    # Whether the clocks ran at the last change: in status new or open, and not merged away.
    running = models.BooleanField(default=True)
    pauses = models.JSONField(default=list, blank=True)
    checkpoints = models.JSONField(default=list, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The earliest of the ticket's deadlines: the SLA page sorts by it.
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Scanner failures in a row on this ticket; each pushes the next attempt further out.
    failures = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket SLA")

    def __str__(self) -> str:
        return f"SLA of #{self.ticket_id}"


class SlaAction(models.Model):
    """Something done once for one promise: a warning, a breach, an update reminder.

    Unique per ticket, metric, kind and the start of the clock it belongs to (``cycle``), and
    written in the same transaction as its effects (events, notifications, reassignment): a
    worker killed midway leaves neither, and the retry cannot do it twice.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_actions")
    metric = models.CharField(max_length=20, choices=Metric.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    cycle = models.DateTimeField()
    deadline = models.DateTimeField()
    # For a breach found after the promise was already kept late (no escalation then).
    met_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "metric", "kind", "cycle"], name="sla_action_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.metric} on #{self.ticket_id}"


class Notification(models.Model):
    """A message to one agent inside the desk (warnings, breaches, reminders)."""

    class Kind(models.TextChoices):
        WARNING = "sla-warning", _("Deadline near")
        BREACH = "sla-breach", _("Deadline passed")
        ESCALATION = "sla-escalation", _("Escalated to you")
        UPDATE_REMINDER = "update-reminder", _("Time to send an update")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # A reply the agent may edit and send (the update reminder's summary of work since the last
    # message to the customer).
    draft = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title


class AcknowledgementTemplate(models.Model):
    """The text of the automatic acknowledgement, per language, editable by a team.

    The body is plain text with a few placeholders in braces (``{customer_name}``,
    ``{ticket_id}``, ``{ticket_subject}``, ``{answer_by}``, ``{team_name}``), filled by plain
    substitution; it is never rendered as a template. ``team`` empty is the desk-wide text.
    """

    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    body = models.TextField(_("text"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "language"], name="ack_template_team_language"),
            models.UniqueConstraint(
                fields=["language"],
                condition=models.Q(team__isnull=True),
                name="ack_template_desk_language",
            ),
        ]

    def __str__(self) -> str:
        return f"acknowledgement ({self.language}) for {self.team or 'the desk'}"

    def clean(self) -> None:
        from mannerly.sla.placeholders import unknown_placeholders

        unknown = unknown_placeholders(self.body)
        if unknown:
            raise ValidationError(
                {"body": _("Unknown placeholders: %s") % ", ".join(sorted(unknown))}
            )


class AutoAcknowledgement(models.Model):
    """The once-per-ticket guard for the automatic acknowledgement, and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued for sending")
        SKIPPED = "skipped", _("Not sent")
        REFUSED = "refused", _("Refused by the outbox")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="acknowledgement")
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices)
    reason = models.CharField(max_length=300, blank=True)
    answer_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"acknowledgement of #{self.ticket_id}: {self.state}"
