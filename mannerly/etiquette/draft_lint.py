"""lint(): check an agent's reply draft against the courtesy rules before it is sent."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mannerly.etiquette import rules as rule_modules
from mannerly.etiquette import text as tx
from mannerly.etiquette.config import TeamConfig
from mannerly.etiquette.document import Document
from mannerly.etiquette.rules import Context, Finding

CHECKLIST_ITEMS = (
    "use-their-name",
    "use-your-name",
    "thank-them",
    "understand-the-request",
    "keep-it-simple",
    "stay-positive",
    "cut-extra-words",
    "proofread",
)
_RULES: list[Any] = []


def rules() -> list[Any]:
    """The rule modules, in the order the spec lists them (imported once)."""
    if not _RULES:
        _RULES.extend(rule_modules.load())
    return _RULES


def lint(
    draft: str,
    message: str | None = None,
    customer: str | None = None,
    agent: str | None = None,
    lang: str | None = None,
    *,
    config: TeamConfig | None = None,
) -> dict[str, Any]:
    """Findings, the courtesy checklist and (with the customer's message) which questions the
    draft answers. Pure: no database, no network; safe to call from many threads."""
    config = config or TeamConfig()
    draft_text, truncated = tx.analysed_part(draft or "")
    doc = Document(tx.clean(draft_text), lang, kind="draft", config=config)
    message_doc = None
    if message is not None and message.strip():
        message_doc = _message_document(message, config)
        if message_doc.lang != doc.lang and lang is None and doc.empty:
            doc = Document(doc.raw, message_doc.lang, kind="draft", config=config)
    ctx = Context(
        draft=doc,
        message=message_doc,
        customer=_name(customer),
        agent=_name(agent),
        config=config,
    )
    findings: list[Finding] = []
    for module in rules():
        if config.enabled(module.RULE):
            findings.extend(module.check(ctx))
    order = _rule_order()
    findings.sort(key=lambda f: (f.start, f.end, order[f.rule]))
    result: dict[str, Any] = {
        "language": doc.lang,
        "ok": not any(f.severity == "error" for f in findings),
        "findings": [f.as_json() for f in findings],
        "checklist": checklist(findings),
    }
    if truncated:
        result["truncated"] = True
        result["analysed_chars"] = len(draft_text)
    if message is not None:
        from mannerly.etiquette.rules.questions_answered import answers

        result["questions"] = [
            {
                "text": a.question.text,
                "answered": a.answered,
                "start": a.question.start,
                "end": a.question.end,
            }
            for a in answers(ctx)
        ]
    return result


@lru_cache(maxsize=256)
def _message_document(message: str, config: TeamConfig) -> Document:
    """The customer's message, read once: the agent lints many drafts against the same one.

    The document's lazily computed parts (words, phrase hits, sentences) are deterministic, so
    threads that share it at worst compute one of them twice.
    """
    message_text, _ = tx.analysed_part(message)
    return Document(tx.clean(message_text), None, kind="message", config=config)


@lru_cache(maxsize=1)
def _rule_order() -> dict[str, int]:
    return {module.RULE: index for index, module in enumerate(rules())}


@lru_cache(maxsize=1)
def _rules_by_item() -> dict[str, list[str]]:
    by_item: dict[str, list[str]] = {item: [] for item in CHECKLIST_ITEMS}
    for module in rules():
        by_item[module.CHECKLIST].append(module.RULE)
    return by_item


def checklist(findings: list[Finding]) -> list[dict[str, Any]]:
    by_item = _rules_by_item()
    fired = {f.rule for f in findings}
    return [
        {"item": item, "ok": fired.isdisjoint(names), "rules": list(names)}
        for item, names in by_item.items()
    ]


def _name(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(tx.clean(name).split())
    return name or None
