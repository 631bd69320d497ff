"""The lint rules: one module per rule id, each with a ``check(ctx)`` that returns findings.

A rule module defines ``RULE`` (its public id), ``SEVERITY`` (the default; a team may change
it), ``CHECKLIST`` (the courtesy-checklist item it belongs to) and ``check(ctx)``. Its phrase
lists live in ``data/<lang>/<rule-id>*.txt``. The engine runs every enabled rule on one shared
``Context`` so the draft is tokenised and matched against the phrase lists only once.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from mannerly.etiquette.config import TeamConfig
from mannerly.etiquette.document import Document, computed_once

MODULES = (
    "greeting_name",
    "signature_name",
    "thanks",
    "questions_answered",
    "acknowledge_emotion",
    "negative_language",
    "blame",
    "rude",
    "over_promise",
    "vague_eta",
    "internal_details",
    "other_customer",
    "unedited_template",
    "plain_language",
    "filler_words",
    "wall_of_text",
    "question_list",
    "summary_cta",
    "spelling",
)


@dataclass
class Finding:
    rule: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str = ""
    fix: dict[str, Any] | None = None
    # The kind of finding ("negative-language.opens") and the values its message names: what a
    # client needs to say the same thing in another language. ``message`` stays the English.
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
            "code": self.code,
            "params": self.params,
        }
        if self.fix is not None:
            out["fix"] = self.fix
        return out


def fix(start: int, end: int, replacement: str) -> dict[str, Any]:
    """An exact text edit: replace draft[start:end] with replacement."""
    return {"start": start, "end": end, "replacement": replacement}


@dataclass
class Context:
    """What every rule may read: the draft, the customer's message, the names, the team config."""

    draft: Document
    message: Document | None = None
    customer: str | None = None
    agent: str | None = None
    config: TeamConfig = field(default_factory=TeamConfig)

    @property
    def lang(self) -> str:
        return self.draft.lang

    @computed_once
    def questions(self) -> list[Any]:
        from mannerly.etiquette.questions import customer_questions

        if self.message is None:
            return []
        found = self.message.__dict__.get("_questions")
        if found is None:
            found = self.message.__dict__["_questions"] = customer_questions(self.message)
        return list(found)

    @computed_once
    def emotion(self) -> str:
        """The customer's mood, as triage reads the message ("calm" without a message)."""
        if self.message is None or self.message.empty:
            return "calm"
        found = self.message.__dict__.get("_emotion")
        if found is None:
            found = self.message.__dict__["_emotion"] = self._read_emotion()
        return str(found)

    def _read_emotion(self) -> str:
        assert self.message is not None
        from mannerly.etiquette.message_triage import ANGRY_AT, UPSET_AT, anger_score, detect_flags

        flags = detect_flags(self.message)
        anger = anger_score(self.message, flags)
        if "repeat-contact" in flags and anger < UPSET_AT:
            return "upset"
        return "angry" if anger >= ANGRY_AT else "upset" if anger >= UPSET_AT else "calm"

    def memo(self, key: str, compute: Any) -> Any:
        """A value computed once per lint call and shared between rules."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def finding(
        self,
        rule: str,
        default: str,
        start: int,
        end: int,
        message: str,
        *,
        code: str,
        **extra: Any,
    ) -> Finding:
        """A finding of a rule, at the severity this team gives it.

        ``code`` names the kind of finding (``<rule>.<kind>``, a literal in the rule's source)
        and ``params`` the values ``message`` shows, for clients that word it themselves.
        """
        severity = self.config.severity(rule, default)
        return Finding(rule, severity, start, end, message, code=code, **extra)


def phrase(text: str) -> str:
    """Words of a text as a finding names them (a finding's params): whitespace folded."""
    return " ".join(text.split())


def quoted(text: str) -> str:
    """A phrase as a finding's English message shows it."""
    return "\u201c" + phrase(text) + "\u201d"


def phrase_findings(
    ctx: Context,
    rule: str,
    default: str,
    list_name: str,
    message: str,
    suggestion: str = "",
    *,
    code: str,
) -> list[Finding]:
    """One finding per phrase hit of a list in the agent's own words (overlaps merged).

    ``message`` may hold ``{phrase}``, the words as the agent wrote them; the finding's
    ``code`` is given and its params are ``{"phrase": the words}``.
    """
    out: list[Finding] = []
    last_end = -1
    for hit in sorted(ctx.draft.hits.get(list_name), key=lambda h: (h.start, -h.end)):
        if hit.start < last_end:
            continue
        last_end = hit.end
        words = ctx.draft.raw[hit.start : hit.end]
        out.append(
            ctx.finding(
                rule,
                default,
                hit.start,
                hit.end,
                message.format(phrase=quoted(words)),
                suggestion=suggestion,
                code=code,
                params={"phrase": phrase(words)},
            )
        )
    return out


def load() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in MODULES]
