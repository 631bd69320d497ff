"""Display helpers for the coaching templates: small inline icons that back up every colour."""

from __future__ import annotations

import functools
import html

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()

# Decorative: each icon sits next to a text label, so it is hidden from screen readers.
ICONS = {
    "check": '<path d="M4 12.5l5 5L20 6.5"/>',
    "cross": '<path d="M6 6l12 12M18 6L6 18"/>',
    "circle": '<circle cx="12" cy="12" r="8"/>',
    "error": '<circle cx="12" cy="12" r="9"/><path d="M12 7v6M12 16.5v.5"/>',
    "warning": '<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>',
    "suggestion": '<path d="M9 18h6M10 21h4"/><path d="M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3z"/>',
    "flag": '<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>',
    "calm": '<circle cx="12" cy="12" r="9"/><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01"/>',
    "upset": '<circle cx="12" cy="12" r="9"/><path d="M8.5 15.5h7M9 9.5h.01M15 9.5h.01"/>',
    "angry": '<circle cx="12" cy="12" r="9"/><path d="M8.5 16a4.5 4.5 0 0 1 7 0M8 8l2.5 1.5M16 8l-2.5 1.5"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "question": '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17v.5"/>',
    "wand": '<path d="M4 20L16 8M14 4v3M19 9h-3M18 5l-2 2M11 4l.5 1M20 12l-1 .5"/>',
}


@register.simple_tag
@functools.cache  # a few names and sizes; the same markup every time
def cicon(name: str, size: int = 14):
    return format_html(
        '<svg class="icon ci-{}" viewBox="0 0 24 24" width="{}" height="{}" aria-hidden="true" '
        'focusable="false" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        name,
        size,
        size,
        mark_safe(ICONS.get(name, ICONS["circle"])),  # our own constant markup
    )


@register.filter
def checklist_items(checklist: list) -> str:
    """The courtesy checklist's ``<li>`` items.

    Written here rather than as a template loop: the panel is drawn with every ticket page and
    again as the agent types, and the loop's tags and filters cost ~300 Python calls per item.
    """
    done, todo = _esc(gettext("Done:")), _esc(gettext("Not yet:"))
    items = []
    for c in checklist:
        state = (
            f'{cicon("check")}<span class="visually-hidden">{done}</span>'
            if c.ok
            else (f'{cicon("circle")}<span class="visually-hidden">{todo}</span>')
        )
        items.append(
            f'\n      <li class="{"ok" if c.ok else "todo"}" data-item="{_esc(c.item)}">'
            f"{state} {_esc(c.label)}</li>\n      "
        )
    return mark_safe("".join(items))


@register.filter
def finding_items(findings: list) -> str:
    """The findings' ``<li>`` items, written here for the same reason as the checklist's."""
    return mark_safe("".join(_finding_item(f) for f in findings))


def _finding_item(f) -> str:
    i = f.index
    located = f' data-start="{_esc(f.start)}" data-end="{_esc(f.end)}"' if f.located else ""
    excerpt = f' <q class="f-excerpt">{_esc(f.excerpt)}</q>' if f.excerpt else ""
    suggestion = f'<p class="f-sugg">{_esc(f.suggestion)}</p>' if f.suggestion else ""
    fix = ""
    if f.fix:
        fix = (
            f'<button type="button" class="fix" data-fix-start="{_esc(f.fix.get("start", ""))}"'
            f' data-fix-end="{_esc(f.fix.get("end", ""))}"'
            f' data-fix-text="{_esc(f.fix.get("replacement", ""))}">'
            f"{cicon('wand')} {_esc(f.fix_label)}</button>"
        )
    return (
        f'\n      <li class="finding sev-{_esc(f.severity)}" id="finding-{i}" data-i="{i}"'
        f' data-rule="{_esc(f.rule)}"{located} tabindex="0" aria-labelledby="finding-{i}-head"'
        f' aria-describedby="finding-{i}-body">\n'
        f'        <p class="f-head" id="finding-{i}-head"><span class="sev">{cicon(f.severity)}'
        f" {_esc(f.severity_label)}</span> <strong>{_esc(f.label)}</strong>{excerpt}</p>\n"
        f'        <div id="finding-{i}-body">\n'
        f'          <p class="f-msg">{_esc(f.message)}</p>\n'
        f"          {suggestion}\n"
        f"        </div>\n"
        f"        {fix}\n"
        f"      </li>\n      "
    )


@register.filter
def triage_block(triage) -> str:
    """The triage of one customer message (a page.TriageView): language, mood, flags, the
    questions to answer and what the reply needs. Written here rather than in a template
    because the conversation repeats it for every customer message."""
    latest = " is-latest" if triage.latest else ""
    mood = _esc(triage.mood)
    # As blocktranslate: the translation is not escaped, the values put into it are (numbers).
    anger = gettext("Anger %(p)s%%") % {"p": percent(triage.anger)}
    flag_icon = cicon("flag")
    flags = "".join(
        f'<li class="tb tb-flag flag-{_esc(id)}">{flag_icon} {_esc(label)}</li>'
        for id, label in triage.flags
    )
    if triage.questions:
        n = len(triage.questions)
        asked = ngettext("%(n)s question to answer", "%(n)s questions to answer", n) % {"n": n}
        items = "".join(f"<li>{_esc(q)}</li>" for q in triage.questions)
        questions = f'\n    <ol class="triage-questions">{items}</ol>\n    '
    else:
        asked, questions = _esc(gettext("No question asked")), ""
    guidance = "".join(f"<li>{_esc(g)}</li>" for g in triage.guidance)
    # Outside the f-string below: makemessages (xgettext) does not look inside f-strings.
    badges_label, guidance_label = _esc(gettext("Triage")), _esc(gettext("guidance"))
    return mark_safe(
        f'\n<div class="triage mood-{mood}{latest}">\n'
        f'  <ul class="triage-badges" aria-label="{badges_label}">\n'
        f'    <li class="tb tb-lang">{cicon("globe")} {_esc(triage.language_label)}</li>\n'
        f'    <li class="tb tb-mood mood-{mood}" title="{anger}">{cicon(triage.mood)}'
        f" {_esc(triage.mood_label)}</li>\n"
        f"    {flags}\n"
        f"  </ul>\n"
        f'  <details class="triage-more"{" open" if triage.latest else ""}>\n'
        f"    <summary>{asked} · {guidance_label}</summary>\n"
        f"    {questions}\n"
        f'    <ul class="guidance">{guidance}</ul>\n'
        f"  </details>\n"
        f"</div>\n"
    )


def _esc(value) -> str:
    """As the template engine escapes a value (conditional_escape), without its per-call cost."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.filter
def percent(value) -> int:
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter
def triage_flag(flag: str) -> str:
    from mannerly.coaching.catalog import FLAGS

    return str(FLAGS.get(flag, flag))


@register.filter
def rule_label(rule: str) -> str:
    from mannerly.coaching.catalog import rule_label as label

    return label(rule)
