"""The etiquette engine over HTTP: triage a customer's message, lint a reply draft.

The answers are exactly the engine's JSON (shared/spec/etiquette.md): the output schemas below
document it and let through any field the engine adds later. Staff only; bodies up to 100 KB.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from mannerly.api.body import json_body
from mannerly.api.errors import documented
from mannerly.api.permissions import staff_only
from mannerly.api.schemas import Input, Text
from mannerly.etiquette import lint, triage

# A reply or a customer's message longer than this is not a message but a document.
MAX_BODY = 100 * 1024

router = Router(tags=["etiquette"])
router.add_decorator(json_body(MAX_BODY), mode="view")

EngineLanguage = Literal["en", "zh", "uk", "ru"]


class EngineOut(BaseModel):
    """The engine's JSON passes through whole, fields added after this schema included."""

    model_config = ConfigDict(extra="allow")


class Emotion(EngineOut):
    anger: float = Field(examples=[0.82], description="0..1")
    label: str = Field(examples=["angry"], description="`calm`, `upset` or `angry`.")


class TriageQuestion(EngineOut):
    text: str = Field(examples=["Can you refund the second charge?"])
    start: int = Field(examples=[52])
    end: int = Field(examples=[85])


class TriageOut(EngineOut):
    language: str = Field(examples=["en"])
    emotion: Emotion
    flags: list[str] = Field(examples=[["legal-threat", "supervisor-request"]])
    questions: list[TriageQuestion]
    guidance: list[str] = Field(examples=[["Acknowledge the frustration before the solution."]])


class Finding(EngineOut):
    rule: str = Field(examples=["negative-language"])
    severity: str = Field(examples=["warning"], description="`error`, `warning` or `suggestion`.")
    start: int = Field(examples=[0])
    end: int = Field(examples=[13])
    message: str = Field(examples=['"Unfortunately" opens on a negative note.'])
    suggestion: str = Field(examples=["Say what you can do instead."])
    code: str | None = Field(
        None,
        examples=["negative-language.opens"],
        description="The kind of finding, stable across versions: key your own wording to it.",
    )
    params: dict[str, Any] | None = Field(
        None,
        examples=[{"phrase": "Unfortunately"}],
        description="The values the message names (the draft's words, a count, a name).",
    )


class ChecklistItem(EngineOut):
    item: str = Field(examples=["use-their-name"])
    ok: bool
    rules: list[str] = Field(examples=[["greeting-name"]])


class AnsweredQuestion(EngineOut):
    text: str = Field(examples=["Will my renewal date change?"])
    answered: bool


class LintOut(EngineOut):
    language: str = Field(examples=["en"])
    ok: bool = Field(description="False when any finding has severity `error`.")
    findings: list[Finding]
    checklist: list[ChecklistItem]
    questions: list[AnsweredQuestion] | None = Field(
        None, description="Present when `message` was given."
    )


class TriageIn(Input):
    text: Text = Field(examples=["I was charged twice. Can you refund the second charge?"])
    lang: EngineLanguage | None = Field(None, description="Detected when not given.")


class LintIn(Input):
    draft: Text = Field(examples=["Hi Anna,\n\nThank you for writing…\n\nOleh"])
    message: Text | None = Field(None, description="The customer's message the draft answers.")
    customer: Text | None = Field(None, max_length=300, examples=["Anna Smith"])
    agent: Text | None = Field(None, max_length=300, examples=["Oleh Kovalenko"])
    lang: EngineLanguage | None = Field(None, description="Detected when not given.")


@router.post(
    "/triage",
    response={200: TriageOut, **documented(400, 404, 413, 415, 422)},
    exclude_unset=True,
    summary="Triage a customer's message",
    description=(
        "Staff only. Language, emotion, flags (legal threat, abuse, supervisor request, repeat "
        "contact, urgent), the questions asked and guidance for the answer."
    ),
)
def triage_message(request: HttpRequest, payload: TriageIn):
    staff_only(request)
    return triage(payload.text, payload.lang)


@router.post(
    "/lint",
    response={200: LintOut, **documented(400, 404, 413, 415, 422)},
    exclude_unset=True,
    summary="Check a reply draft",
    description=(
        "Staff only. Findings with character offsets into the draft, the courtesy checklist, and "
        "(with `message`) whether each customer question is answered."
    ),
)
def lint_draft(request: HttpRequest, payload: LintIn):
    staff_only(request)
    return lint(payload.draft, payload.message, payload.customer, payload.agent, payload.lang)
