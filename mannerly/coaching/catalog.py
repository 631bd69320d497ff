"""Translatable names for the engine's ids: rules, checklist items, triage flags and guidance.

The engine speaks ids and English; the desk shows these labels in the agent's language. Ids the
engine adds later fall back to the engine's own text, so a new rule never breaks the page.
The findings' messages and suggestions are in ``finding_texts``.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

CHECKLIST = {
    "use-their-name": _("Use their name"),
    "use-your-name": _("Use your name"),
    "thank-them": _("Thank them"),
    "understand-the-request": _("Understand the request"),
    "keep-it-simple": _("Keep it simple"),
    "stay-positive": _("Stay positive"),
    "cut-extra-words": _("Cut extra words"),
    "proofread": _("Proofread"),
}

RULES = {
    "greeting-name": (
        _("Greeting by name"),
        _("Opens by greeting the customer by name, in the form the language uses."),
    ),
    "signature-name": (
        _("Your name at the end"),
        _("Ends with the agent's own name, not only the team's."),
    ),
    "thanks": (
        _("Thanks"),
        _("Thanks the customer for writing, for their patience or for the details."),
    ),
    "questions-answered": (
        _("Every question answered"),
        _("Answers each question the customer asked."),
    ),
    "acknowledge-emotion": (
        _("Feelings acknowledged"),
        _("Acknowledges an upset customer's feelings before the solution."),
    ),
    "negative-language": (
        _("Positive wording"),
        _("Says what we can do instead of “unfortunately” and “can't”."),
    ),
    "blame": (_("No blame"), _("Never blames the customer (“you should have…”).")),
    "rude": (_("Polite tone"), _("No insults, sarcasm or shouting.")),
    "over-promise": (_("No over-promising"), _("Promises only what can be guaranteed.")),
    "vague-eta": (_("Concrete times"), _("Says when, instead of “soon”.")),
    "internal-details": (
        _("No internal details"),
        _("Keeps staff absences, internal tools and internal blame out of the reply."),
    ),
    "other-customer": (
        _("No other customers"),
        _("Never mentions another customer or their case."),
    ),
    "unedited-template": (_("Templates filled in"), _("No placeholders left from a macro.")),
    "plain-language": (_("Plain language"), _("No jargon, no sentences too long to read.")),
    "filler-words": (_("No filler"), _("Leaves out “just”, “basically”, “actually”.")),
    "wall-of-text": (_("Short paragraphs"), _("No paragraph too long to scan.")),
    "question-list": (
        _("Questions as a list"),
        _("Two or more questions to the customer go in a numbered list."),
    ),
    "summary-cta": (
        _("Summary and next step"),
        _("A long reply ends with a summary and a clear next step."),
    ),
    "spelling": (_("Spelling"), _("No misspelled words.")),
}

SEVERITIES = {
    "error": _("Error"),
    "warning": _("Warning"),
    "suggestion": _("Tip"),
}

FLAGS = {
    "legal-threat": _("Legal threat"),
    "abuse": _("Abuse"),
    "supervisor-request": _("Wants a supervisor"),
    "repeat-contact": _("Repeat contact"),
    "urgent": _("Urgent"),
}

MOODS = {
    "calm": _("Calm"),
    "upset": _("Upset"),
    "angry": _("Angry"),
}

LANGUAGES = {
    "en": _("English"),
    "zh": _("Chinese"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
}

GUIDANCE = {
    "acknowledge-emotion": _("Acknowledge the frustration before the solution."),
    "stay-calm": _("Keep the reply calm, short and concrete; no excuses."),
    "abuse": _("The message contains abuse: stay professional and tell a supervisor."),
    "legal-threat": _("Legal threat: involve a supervisor before replying and admit no liability."),
    "supervisor-request": _(
        "The customer asks for a manager: escalate, or say who will take over."
    ),
    "repeat-contact": _(
        "The customer has written before: apologise for the wait and resolve it now."
    ),
    "urgent": _("Urgent: reply first and give a concrete time."),
    "answer-question": _("Answer the question."),
    "answer-both": _("Answer both questions, in order."),
    "confirm-next-step": _("Thank the customer and confirm the next step."),
}


@cache
def default_severities() -> dict[str, str]:
    """Each rule's severity when a team changes nothing, as the engine defines it."""
    from mannerly.etiquette.draft_lint import rules

    return {module.RULE: module.SEVERITY for module in rules()}


def rule_ids() -> list[str]:
    """Every rule the engine runs, in the order of the public contract."""
    return list(default_severities())


def rule_label(rule: str) -> str:
    return str(RULES[rule][0]) if rule in RULES else rule


def guidance(codes: list[str], texts: list[str], questions: int) -> list[str]:
    """The triage guidance in the agent's language; the engine's English for unknown codes."""
    out = []
    for index, code in enumerate(codes):
        if code == "answer-questions":
            from django.utils.translation import ngettext

            out.append(
                ngettext(
                    "Answer the %(n)d question, in order.",
                    "Answer all %(n)d questions, in order.",
                    questions,
                )
                % {"n": questions}
            )
        elif code in GUIDANCE:
            out.append(str(GUIDANCE[code]))
        elif index < len(texts):
            out.append(texts[index])
    if not codes:
        out = list(texts)
    return out
