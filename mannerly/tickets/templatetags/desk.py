"""Small display helpers for the desk and portal templates (data in, escaped text out)."""

from __future__ import annotations

import functools
import html

import nh3
from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mannerly.tickets import dates
from mannerly.tickets.models import CustomerFlag, Ticket

register = template.Library()

# What a mail's HTML may do inside its frame: no scripts, no remote loads (tracking pixels), no
# forms; inline styles only. The frame itself is sandboxed without allow-scripts as well.
MAIL_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "form-action 'none'; base-uri 'none'"
)
MAIL_FRAME = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<meta http-equiv="Content-Security-Policy" content="{csp}">'
    '<base target="_blank">'
    "<style>html{{font:15px/1.5 system-ui,'Noto Sans','WenQuanYi Micro Hei',sans-serif;"
    "color:#1d2330}}body{{margin:0;overflow-wrap:anywhere}}img{{max-width:100%;height:auto}}"
    "table{{max-width:100%}}blockquote{{margin:0 0 0 .5rem;padding-left:.75rem;"
    "border-left:3px solid #d9dee7;color:#5b6475}}</style></head><body>{body}</body></html>"
)


@register.filter
def mail_srcdoc(body_html: str) -> str:
    """A standalone document for a sandboxed iframe's ``srcdoc``.

    ``body_html`` was sanitised with nh3 when the mail was stored; it is cleaned again here
    because the cost is small and the page must not depend on every writer having done it. The
    result is plain text to the template engine: autoescaping turns it into a safe attribute.
    """
    return MAIL_FRAME.format(csp=MAIL_CSP, body=nh3.clean(body_html or ""))


@register.filter
def initials(name: str) -> str:
    parts = [p for p in (name or "").replace(".", " ").split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper() if parts[0].isascii() else parts[0][:1]
    return (parts[0][:1] + parts[-1][:1]).upper()


CUSTOMER_STATUS = {
    Ticket.Status.NEW: _("Open"),
    Ticket.Status.OPEN: _("Open"),
    Ticket.Status.ON_HOLD: _("Open"),
    Ticket.Status.PENDING: _("Awaiting your reply"),
    Ticket.Status.SOLVED: _("Solved"),
    Ticket.Status.CLOSED: _("Closed"),
}


@register.filter
def customer_status(status: str) -> str:
    """The status as a customer should read it: they never see on-hold or new."""
    return CUSTOMER_STATUS.get(status, status)


@register.filter
def filesize(size: int) -> str:
    size = int(size or 0)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


# Labels by value: get_FOO_display() and TextChoices(value) cost ~100-200 calls each, which adds
# up over an inbox page of rows.
STATUS_LABELS = dict(Ticket.Status.choices)
PRIORITY_LABELS = dict(Ticket.Priority.choices)


@register.simple_tag
def status_pill(ticket_or_status, label=None):
    status = getattr(ticket_or_status, "status", ticket_or_status)
    text = label or STATUS_LABELS.get(status, status)
    return format_html('<span class="pill s-{}">{}</span>', status, text)


FLAG_LABELS = dict(CustomerFlag.Kind.choices)


@register.filter
def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind, kind)


CHANNEL_LABELS = dict(Ticket.Channel.choices)


@register.filter
def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


@register.filter
def priority_label(priority: int) -> str:
    return PRIORITY_LABELS.get(priority, priority)


@register.filter
def field_named(form, name: str):
    """``form[name]`` for a name held in a variable."""
    return form[name]


@register.filter
def author_name(message) -> str:
    """Who wrote a message, as the desk shows it."""
    if message.author_id:
        return message.author.name
    if message.from_name:
        return message.from_name
    if message.customer_id:
        return message.customer.name
    return str(_("Unknown sender"))


# Icons drawn inline (no icon font, no emoji font needed); decorative, so hidden from readers.
ICONS = {
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "clip": '<path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7l9-9a3.5 3.5 0 0 1 5 5l-9 9a2 2 0 0 1-3-3l8-8"/>',
    "warn": '<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>',
}


@register.simple_tag
@functools.cache  # a handful of names; the same markup every time
def icon(name: str):
    return format_html(
        '<svg class="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" '
        'focusable="false" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        mark_safe(ICONS[name]),  # our own constant markup
    )


@register.filter
def options(bound_field):
    """A select's choices as (value, label, selected), the bound value read once, not per option.

    ``{% if value == field.value %}`` inside the loop re-computes the value for every option;
    on the ticket page that was a third of the template's work.
    """
    current = bound_field.value()
    current = "" if current is None else str(current)
    return [(value, label, str(value) == current) for value, label in bound_field.field.choices]


@register.filter
def option_tags(bound_field) -> str:
    """A select's ``<option>`` tags, the current value marked ``selected``.

    Built here rather than in a template loop over :func:`options`, and with plain string
    formatting rather than format_html per option: the ticket page has six selects, and their
    options were a large part of its rendering.
    """
    return mark_safe(
        "".join(
            f'<option value="{_escaped(value)}"{" selected" if chosen else ""}>'
            f"{_escaped(label)}</option>"
            for value, label, chosen in options(bound_field)
        )
    )


def _escaped(value) -> str:
    """As the template engine escapes a value (conditional_escape), without its per-call cost."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


KEYS_HELP: dict[str, str] = {}  # interface language -> the rendered dialog


@register.simple_tag
def keys_help() -> str:
    """The keyboard shortcuts dialog, rendered once per interface language and process.

    It depends on nothing but the language, and the inbox and ticket pages show it on every
    visit.
    """
    language = get_language()
    if language not in KEYS_HELP:
        KEYS_HELP[language] = render_to_string("tickets/partials/keys_help.html")
    return mark_safe(KEYS_HELP[language])  # rendered by our own template, escaped there


# Dates as each interface language writes them (mannerly.tickets.dates); no date shows nothing.
register.filter("short_day", dates.short_day)
register.filter("short_datetime", dates.short_datetime)
register.filter("weekday_day", dates.weekday_day)
register.filter("weekday_datetime", dates.weekday_datetime)
