"""Lint findings in the agent's language: one translatable message and suggestion per code.

The engine writes each finding's message in English for the command line and the API, and
names its kind (``code``, e.g. ``negative-language.opens``) and the values the message shows
(``params``: the draft's words, a count, the right name). The desk says the same thing from
these templates, whose named placeholders are the params. A code the desk does not know yet (a
newer engine) or params that do not fit its template show the engine's English, never an error.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext

# Suggestions that several kinds of finding share.
ACKNOWLEDGE = _("Acknowledge how they feel or apologise before the solution.")
POSITIVE = _("Say what you can do instead.")
INTERNAL = _("Tell the customer what happens next; keep who and why inside the team.")
OTHER_CUSTOMER = _("Keep other customers' cases out of the reply.")
SHORTER_SENTENCES = _("Split it into two or three shorter sentences.")
SHORTER_PARAGRAPHS = _("Break it into short paragraphs or a list.")
SUMMARY = _("Close with one or two lines: what was done and what the customer does next.")
MISSPELLED = _("“%(word)s” looks misspelled.")
DID_YOU_MEAN = _("Did you mean “%(better)s”?")

FINDINGS: dict[str, tuple[Promise, Promise]] = {
    "greeting-name.wrong-name": (
        _("The greeting names “%(named)s”, but the customer is %(customer)s."),
        _("Greet %(name)s."),
    ),
    "greeting-name.no-name": (
        _("The greeting does not use the customer's name."),
        _("Greet the customer by name: %(name)s."),
    ),
    "greeting-name.not-vocative": (
        _("Ukrainian greets in the vocative: “%(vocative)s”, not “%(written)s”."),
        _("Write “%(vocative)s”."),
    ),
    "greeting-name.given-only": (
        _(
            "“%(given)s” alone is too familiar; greet %(surname)s女士/%(surname)s先生 or use "
            "the full name %(full)s."
        ),
        _("Write “%(full)s”."),
    ),
    "greeting-name.missing": (
        _("The reply does not open with a greeting."),
        _("Open with a greeting."),
    ),
    "greeting-name.missing-name": (
        _("The reply does not open by greeting the customer by name."),
        _("Open with “%(greeting)s”."),
    ),
    "signature-name.missing": (
        _("The reply does not end with your name."),
        _("Sign the reply with your name."),
    ),
    "signature-name.missing-name": (
        _("The reply does not end with your name (%(name)s)."),
        _("Sign it: “%(signature)s”."),
    ),
    "thanks.missing": (
        _("The reply never thanks the customer."),
        _("Thank them: for writing, for their patience or for the details they sent."),
    ),
    "questions-answered.unanswered": (
        _("Question %(number)d is not answered: “%(question)s”"),
        _("Answer it, or say when you will."),
    ),
    "acknowledge-emotion.late": (
        _("The acknowledgement comes only after the solution."),
        _("Open with it: the customer needs to feel heard before they read the fix."),
    ),
    "acknowledge-emotion.angry": (
        _("The customer is angry, and the reply does not acknowledge it."),
        ACKNOWLEDGE,
    ),
    "acknowledge-emotion.upset": (
        _("The customer is upset, and the reply does not acknowledge it."),
        ACKNOWLEDGE,
    ),
    "negative-language.opens": (_("“%(phrase)s” opens on a negative note."), POSITIVE),
    "negative-language.frames": (_("“%(phrase)s” frames the answer negatively."), POSITIVE),
    "blame.phrase": (
        _("“%(phrase)s” puts the blame on the customer."),
        _("Explain what happened and what happens next, without saying whose fault it is."),
    ),
    "rude.phrase": (
        _("“%(phrase)s” sounds rude or condescending."),
        _("Say it the way you would to a customer you respect."),
    ),
    "rude.shouting": (
        _("A sentence in capitals reads as shouting."),
        _("Write it in normal case; use bold or a short list for what matters."),
    ),
    "over-promise.phrase": (
        _("“%(phrase)s” promises what nobody can guarantee."),
        _("Promise what you control: what you have done and what you will do next."),
    ),
    "vague-eta.phrase": (
        _("“%(phrase)s” does not say when."),
        _("Give a time the customer can hold you to: a day, a date or hours."),
    ),
    "internal-details.phrase": (_("“%(phrase)s” is internal detail."), INTERNAL),
    "internal-details.staff": (_("“%(phrase)s” tells the customer about your staff."), INTERNAL),
    "internal-details.ticket-number": (
        _("“%(phrase)s” is an internal ticket number."),
        INTERNAL,
    ),
    "other-customer.phrase": (_("“%(phrase)s” mentions another customer."), OTHER_CUSTOMER),
    "other-customer.case": (_("“%(phrase)s” is someone else's case."), OTHER_CUSTOMER),
    "unedited-template.placeholder": (
        _("“%(phrase)s” is a template placeholder."),
        _("Replace it with the real value before sending."),
    ),
    "unedited-template.addressee": (
        _("The text addresses “%(phrase)s”: a macro written for someone else?"),
        _("Rewrite it for this customer."),
    ),
    "plain-language.jargon": (
        _("“%(phrase)s” is jargon a customer may not know."),
        _("Say it in everyday words."),
    ),
    "plain-language.acronyms": (
        _("Acronyms a customer may not know: %(acronyms)s."),
        _("Say what they mean in everyday words."),
    ),
    "plain-language.sentence-words": (
        ngettext_lazy(
            "This sentence has %(count)d word; it is hard to read in one go.",
            "This sentence has %(count)d words; it is hard to read in one go.",
            "count",
        ),
        SHORTER_SENTENCES,
    ),
    "plain-language.sentence-chars": (
        ngettext_lazy(
            "This sentence has %(count)d character; it is hard to read in one go.",
            "This sentence has %(count)d characters; it is hard to read in one go.",
            "count",
        ),
        SHORTER_SENTENCES,
    ),
    "filler-words.phrase": (_("“%(phrase)s” adds nothing."), _("Leave it out.")),
    "wall-of-text.words": (
        ngettext_lazy(
            "This paragraph has %(count)d word; it is hard to scan.",
            "This paragraph has %(count)d words; it is hard to scan.",
            "count",
        ),
        SHORTER_PARAGRAPHS,
    ),
    "wall-of-text.chars": (
        ngettext_lazy(
            "This paragraph has %(count)d character; it is hard to scan.",
            "This paragraph has %(count)d characters; it is hard to scan.",
            "count",
        ),
        SHORTER_PARAGRAPHS,
    ),
    "question-list.running-text": (
        ngettext_lazy(
            "%(count)d question to the customer is in running text.",
            "%(count)d questions to the customer are in running text.",
            "count",
        ),
        _("Put them in a numbered list so each gets an answer."),
    ),
    "summary-cta.words": (
        ngettext_lazy(
            "A long reply (%(count)d word) ends without a short summary or a clear next step.",
            "A long reply (%(count)d words) ends without a short summary or a clear next step.",
            "count",
        ),
        SUMMARY,
    ),
    "summary-cta.chars": (
        ngettext_lazy(
            "A long reply (%(count)d character) ends without a short summary or a clear next step.",
            "A long reply (%(count)d characters) ends without a short summary or a clear next "
            "step.",
            "count",
        ),
        SUMMARY,
    ),
    # The engine's reason names a package for the administrator; the agent needs only this.
    "spelling.no-dictionary": (
        _("Spelling was not checked: a dictionary is missing on the server."),
        _("Ask your administrator to install the dictionary."),
    ),
    "spelling.mixed-script": (
        _("“%(word)s” mixes Latin and Cyrillic letters that look alike."),
        DID_YOU_MEAN,
    ),
    "spelling.misspelled": (MISSPELLED, DID_YOU_MEAN),
    "spelling.unknown": (MISSPELLED, _("Check the spelling.")),
}


def finding_texts(finding: dict[str, Any]) -> tuple[str, str]:
    """The message and suggestion of an engine finding, in the active language."""
    message, suggestion = finding.get("message", ""), finding.get("suggestion") or ""
    templates = FINDINGS.get(finding.get("code") or "")
    params = finding.get("params")
    if templates is None or not isinstance(params, dict):
        return message, suggestion
    values = {name: _shown(value) for name, value in params.items()}
    try:
        return str(templates[0] % values), str(templates[1] % values)
    except (KeyError, TypeError, ValueError):  # params that do not fit this desk's template
        return message, suggestion


def _shown(value: Any) -> Any:
    """A list param (the acronyms of a sentence) as the language writes a list."""
    if isinstance(value, list):
        return pgettext("between the items of a list", ", ").join(map(str, value))
    return value
