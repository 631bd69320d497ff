"""Lint an agent's draft for one ticket and shape the result for the reply box.

One function (``coach_draft``) feeds the live panel, the send gate and the handover brief, so
the agent sees exactly what the server will enforce. It passes the engine what the contract asks
for: the customer's latest words, their stored full name, the agent's display name, the ticket's
language and the team's settings. On top of the engine's findings it adds two one-click fixes
that need the desk's data: a name placeholder becomes the customer's name, and a missing
signature uses the team's signature template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from mannerly.accounts.models import User
from mannerly.coaching import catalog
from mannerly.coaching.config import build_config, render_signature
from mannerly.coaching.finding_texts import finding_texts
from mannerly.coaching.models import TeamEtiquette
from mannerly.coaching.triage import is_customer_words, message_text
from mannerly.etiquette import TeamConfig, lint
from mannerly.tickets.models import Message, Ticket

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}
MAX_DRAFT = 100_000  # characters; the engine reads 50,000 and says it truncated
RECENT_MESSAGES = 30  # how far back the reply box looks for the customer's unanswered words

# A placeholder that stands for the customer's name ({{name}}, [Customer name], <NAME>, 某某…).
NAME_PLACEHOLDER = re.compile(
    r"name|customer|client|кліє|ім.?я|имя|клие|姓名|名字|客户|客戶|某某|user|користувач|пользовател",
    re.IGNORECASE,
)


@dataclass
class FindingView:
    index: int
    rule: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str
    excerpt: str
    fix: dict[str, Any] | None = None
    fix_label: str = ""

    @property
    def label(self) -> str:
        return catalog.rule_label(self.rule)

    @property
    def severity_label(self) -> str:
        return str(catalog.SEVERITIES.get(self.severity, self.severity))

    @property
    def located(self) -> bool:
        """Whether the finding points at words in the draft (not at something missing)."""
        return self.end > self.start


@dataclass
class ChecklistItem:
    item: str
    ok: bool
    rules: list[str]

    @property
    def label(self) -> str:
        return str(catalog.CHECKLIST.get(self.item, self.item))


@dataclass
class QuestionView:
    number: int
    text: str
    answered: bool


@dataclass
class Coaching:
    """What the reply box shows about one draft."""

    draft: str
    language: str
    findings: list[FindingView]
    checklist: list[ChecklistItem]
    questions: list[QuestionView]
    has_message: bool = False
    seq: int | None = None
    truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def suggestions(self) -> int:
        return self.count("suggestion")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def error_rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings if f.severity == "error"})

    @property
    def checklist_done(self) -> int:
        return sum(1 for c in self.checklist if c.ok)

    @property
    def complete(self) -> bool:
        return all(c.ok for c in self.checklist)

    @property
    def open_questions(self) -> int:
        return sum(1 for q in self.questions if not q.answered)

    def highlights(self) -> list[dict[str, Any]]:
        """The located findings as the reply box's script draws them (offsets in code points)."""
        return [
            {"i": f.index, "start": f.start, "end": f.end, "severity": f.severity}
            for f in self.findings
            if f.located
        ]


# --- what the engine is given -------------------------------------------------------------------


def normalise_draft(draft: str) -> str:
    """The draft as the textarea holds it: browsers submit CRLF, the script measures LF."""
    return (draft or "").replace("\r\n", "\n").replace("\r", "\n")[:MAX_DRAFT]


def customer_words(messages: list[Message]) -> str:
    """The customer's words the reply answers: their messages since our last reply.

    ``messages`` is the conversation in order. When we replied last, the reply still answers
    the customer's latest message, so that one is used.
    """
    customer = [m for m in messages if is_customer_words(m)]
    if not customer:
        return ""
    since: list[Message] = []
    for message in reversed(messages):
        if message.direction == Message.Direction.OUT:
            break
        if is_customer_words(message):
            since.append(message)
    chosen = list(reversed(since)) or customer[-1:]
    return "\n\n".join(t for t in (message_text(m).strip() for m in chosen) if t)


def recent_messages(ticket: Ticket) -> list[Message]:
    """The end of the conversation, enough to find the customer's unanswered words (one query)."""
    rows = list(
        Message.objects.filter(ticket=ticket)
        .exclude(direction=Message.Direction.INTERNAL)
        .only("direction", "kind", "body_text", "body_html", "created_at", "ticket_id")
        .order_by("-created_at", "-pk")[:RECENT_MESSAGES]
    )
    rows.reverse()
    return rows


def team_settings(ticket: Ticket) -> TeamEtiquette | None:
    """The ticket's team settings, read once per ticket object (one page render, one lint)."""
    if "_coaching_settings" not in ticket.__dict__:
        row = None
        if ticket.team_id is not None:
            row = TeamEtiquette.objects.filter(team_id=ticket.team_id).first()
        ticket.__dict__["_coaching_settings"] = row
    return ticket.__dict__["_coaching_settings"]


@dataclass
class DraftContext:
    """Everything but the draft that a lint of this ticket's reply needs, fetched once."""

    ticket: Ticket
    agent: User
    message: str
    settings: TeamEtiquette | None
    config: TeamConfig

    @classmethod
    def load(
        cls, ticket: Ticket, agent: User, conversation: list[Message] | None = None
    ) -> DraftContext:
        messages = conversation if conversation is not None else recent_messages(ticket)
        settings = team_settings(ticket)
        return cls(ticket, agent, customer_words(messages), settings, build_config(settings))

    @property
    def signature_template(self) -> str:
        return self.settings.signature_template.strip() if self.settings else ""


SCRIPTS = {
    "latin": re.compile(r"[A-Za-z]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "han": re.compile(r"[\u3400-\u9fff\uf900-\ufaff]"),
}
LANGUAGE_SCRIPT = {"en": "latin", "uk": "cyrillic", "ru": "cyrillic", "zh": "han"}
OTHER_SCRIPT_AT = 12  # letters of another script before the draft's own language wins


def draft_language(draft: str, ticket_language: str, agent: User) -> str | None:
    """The ticket's language, unless the agent plainly writes in another script.

    A customer stored as Ukrainian may write, and be answered, in English; linting that English
    reply as Ukrainian would raise false errors that block sending. The agent's own name and
    signature do not count (a Latin signature under a Cyrillic reply is normal). Between
    Ukrainian and Russian, which share a script, the ticket's language stands.
    """
    own = LANGUAGE_SCRIPT.get(ticket_language)
    if own is None:
        return None
    text = draft
    for part in (agent.signature, agent.name):
        if part and part.strip():
            text = text.replace(part.strip(), " ")
    counts = {script: len(pattern.findall(text)) for script, pattern in SCRIPTS.items()}
    if counts["han"]:
        counts["han"] *= 2  # a Han character carries about a word's worth of text
    other = max((s for s in counts if s != own), key=lambda s: counts[s])
    if counts[other] >= OTHER_SCRIPT_AT and counts[other] > 2 * counts[own]:
        return None  # the engine detects the language of the draft itself
    return ticket_language


def coach_draft(context: DraftContext, draft: str, *, seq: int | None = None) -> Coaching:
    """Lint the draft as the reply box and the send gate see it."""
    draft = normalise_draft(draft)
    ticket = context.ticket
    result = lint(
        draft,
        message=context.message or None,
        customer=ticket.customer.name,
        agent=context.agent.name,
        lang=draft_language(draft, ticket.language, context.agent),
        config=context.config,
    )
    findings = [_finding(i, f, draft) for i, f in enumerate(result["findings"])]
    _add_desk_fixes(findings, draft, context, result["language"])
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start, f.index))
    checklist = [
        ChecklistItem(c["item"], bool(c["ok"]), list(c["rules"])) for c in result["checklist"]
    ]
    questions = [
        QuestionView(n, q["text"], bool(q["answered"]))
        for n, q in enumerate(result.get("questions") or [], start=1)
    ]
    return Coaching(
        draft=draft,
        language=result["language"],
        findings=findings,
        checklist=checklist,
        questions=questions,
        has_message=bool(context.message),
        seq=seq,
        truncated=bool(result.get("truncated")),
    )


def _finding(index: int, data: dict[str, Any], draft: str) -> FindingView:
    start, end = int(data["start"]), int(data["end"])
    fix = data.get("fix")
    message, suggestion = finding_texts(data)
    view = FindingView(
        index=index,
        rule=data["rule"],
        severity=data["severity"],
        start=start,
        end=end,
        message=message,
        suggestion=suggestion,
        excerpt=draft[start:end][:80],
    )
    if _valid_fix(fix, draft):
        view.fix = {"start": fix["start"], "end": fix["end"], "replacement": fix["replacement"]}
        view.fix_label = _fix_label(view, draft)
    return view


def _valid_fix(fix: Any, draft: str) -> bool:
    """An engine fix the reply box can apply exactly: a range inside the draft and a string."""
    if not isinstance(fix, dict):
        return False
    start, end, text = fix.get("start"), fix.get("end"), fix.get("replacement")
    return (
        isinstance(start, int)
        and isinstance(end, int)
        and isinstance(text, str)
        and 0 <= start <= end <= len(draft)
        and draft[start:end] != text
    )


def _fix_label(view: FindingView, draft: str) -> str:
    fix = view.fix or {}
    replacement = fix.get("replacement", "").strip()
    removed = draft[fix.get("start", 0) : fix.get("end", 0)].strip()
    if view.rule == "greeting-name":
        if not removed and fix.get("start") == 0:
            return _("Insert “%(text)s”") % {"text": _short(replacement)}
        return _("Write “%(text)s”") % {"text": _short(replacement)}
    if view.rule == "signature-name":
        return _("Add your signature")
    if view.rule == "filler-words":
        return _("Remove “%(text)s”") % {"text": _short(view.excerpt or removed)}
    if view.rule == "question-list":
        return _("Make a numbered list")
    if view.rule == "unedited-template":
        return _("Replace with “%(text)s”") % {"text": _short(replacement)}
    if view.rule == "spelling" and replacement:
        return _("Correct to “%(text)s”") % {"text": _short(replacement)}
    if not replacement:
        return _("Remove “%(text)s”") % {"text": _short(removed)}
    return _("Apply: “%(text)s”") % {"text": _short(replacement)}


def _short(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- fixes that need the desk's data --------------------------------------------------------------


def _add_desk_fixes(
    findings: list[FindingView], draft: str, context: DraftContext, lang: str
) -> None:
    name = address_form(context.ticket.customer.name, lang)
    placeholders = []
    for f in findings:
        if (
            f.rule == "unedited-template"
            and f.fix is None
            and name
            and _is_name_placeholder(f.excerpt)
        ):
            f.fix = {"start": f.start, "end": f.end, "replacement": name}
            f.fix_label = _fix_label(f, draft)
            placeholders.append(f)
    for f in findings:
        if f.rule == "greeting-name" and f.fix is not None:
            _greeting_on_top(f, draft)
        if f.rule == "greeting-name" and f.fix is not None and placeholders:
            # "Hi {{name}}," gets the name from the placeholder fix; both would write it twice.
            line = _line_of(draft, f.fix["start"])
            if any(_line_of(draft, p.start) == line for p in placeholders):
                f.fix, f.fix_label = None, ""
        if f.rule == "signature-name" and f.fix is not None and context.signature_template:
            signature = render_signature(
                context.signature_template, context.agent, context.ticket.team
            )
            if signature:
                lead = re.match(r"\s*", f.fix["replacement"]).group()
                if draft[: f.fix["start"]].strip() and not lead:
                    lead = "\n\n"
                f.fix = {**f.fix, "replacement": lead + signature}


def _greeting_on_top(f: FindingView, draft: str) -> None:
    """A greeting inserted after the reply box's leading blank lines goes above them instead.

    The box starts as blank lines and the signature; the engine puts the greeting after the
    blank lines, which glues the body the agent types next to the signature. At the very top,
    the caret lands on the empty line between greeting and signature.
    """
    fix = f.fix or {}
    start, end = fix.get("start", 0), fix.get("end", 0)
    if start == end and start > 0 and not draft[:start].strip():
        f.fix = {"start": 0, "end": 0, "replacement": fix["replacement"]}
        f.fix_label = _fix_label(f, draft)


def _is_name_placeholder(text: str) -> bool:
    return bool(NAME_PLACEHOLDER.search(text))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def address_form(full_name: str, lang: str) -> str:
    """How a reply in this language addresses the customer: Anna, 王芳, Олено (vocative), Андрей."""
    from mannerly.etiquette import names

    full_name = (full_name or "").strip()
    if not full_name:
        return ""
    try:
        person = names.parse_person(full_name)
    except Exception:  # the name is only a convenience here; the greeting rule judges it
        person = None
    if person is None:
        return full_name
    if person.script == "han":
        return person.full
    if not person.given:
        return person.full
    if lang == "uk" and person.script == "cyrillic":
        return names.vocative_for_fix(person.given)
    return person.given
