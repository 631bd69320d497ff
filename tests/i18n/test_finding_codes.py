"""Every kind of finding the engine can report has a translatable text that says what it says.

The codes are read from the rule modules' own source (each ``code=...`` a rule passes when it
builds a finding), not from a list kept by hand, so a rule that gains a kind of finding fails
here until the desk can say it in every language. The evaluation set's drafts then show that the
params each finding carries fill its template: in English the desk repeats the engine word for
word, in the other languages it never falls back to the engine's English.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

import pytest
from django.utils import translation

from mannerly.coaching import catalog
from mannerly.coaching.finding_texts import FINDINGS, finding_texts
from mannerly.etiquette import lint
from mannerly.etiquette.evaluate import read_jsonl
from mannerly.etiquette.message_triage import GUIDANCE, guidance_text
from mannerly.etiquette.rules import MODULES

EVAL = Path(__file__).parents[1] / "etiquette" / "eval"
LANGUAGES = ("uk", "ru", "zh-hans")
# Codes no ordinary draft reaches: this one needs a machine without the hunspell dictionaries.
UNREACHABLE = {"spelling.no-dictionary"}
# Drafts for the kinds of finding the evaluation set happens not to hold.
EXTRA_DRAFTS = [
    {"draft": "Your refund was sent today.", "lang": "en"},  # no names to greet or sign with
    {
        "draft": "Hi Anna,\n\nYour refund was sent today. It will reach your card by Friday. The "
        "renewal date is unchanged. The invoice is attached. I'm sorry for the trouble.\n\n"
        "Best,\nOleh",
        "message": "This is the third time I write! Unacceptable. When will you refund me?",
        "customer": "Anna Smith",
        "agent": "Oleh Kovalenko",
        "lang": "en",
    },
]


def _codes_in(value: ast.expr) -> set[str]:
    """The literal codes an expression gives: a string, or either branch of ``x if … else y``."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):
        return _codes_in(value.body) | _codes_in(value.orelse)
    return set()  # a name passed on (``code=code``); run-time codes are caught below


@cache
def rule_codes() -> dict[str, set[str]]:
    """rule id → the codes its module passes as ``code=…`` or assigns to ``code``."""
    out = {}
    for name in MODULES:
        module = importlib.import_module(f"mannerly.etiquette.rules.{name}")
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        codes: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "code":
                codes |= _codes_in(node.value)
            if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["code"]:
                codes |= _codes_in(node.value)
        out[module.RULE] = codes
    return out


@cache
def linted_drafts() -> list[dict]:
    """Every finding the engine reports on the evaluation drafts and the extra ones."""
    items = []
    for lang in ("en", "zh", "uk", "ru"):
        for file in ("drafts.jsonl", "heldout_drafts.jsonl"):
            items += [{**item, "lang": lang} for _, item in read_jsonl(EVAL / lang / file)]
    findings = []
    for item in items + EXTRA_DRAFTS:
        result = lint(
            item["draft"],
            message=item.get("message"),
            customer=item.get("customer"),
            agent=item.get("agent"),
            lang=item["lang"],
        )
        findings += result["findings"]
    return findings


def test_the_scan_finds_each_rules_codes():
    """A rule whose codes the scan missed would slip past the catalog check below."""
    for rule, codes in rule_codes().items():
        assert codes, f"{rule}: no code=… found in its module"
        assert all(code.startswith(rule + ".") for code in codes), (rule, codes)


def test_every_code_a_rule_can_emit_has_a_text_and_no_text_is_left_over():
    emitted = set().union(*rule_codes().values())
    assert sorted(emitted - set(FINDINGS)) == [], "codes without a translatable text"
    assert sorted(set(FINDINGS) - emitted) == [], "texts for codes no rule emits"


def test_every_finding_carries_a_code_the_scan_knows():
    known = set().union(*rule_codes().values())
    findings = linted_drafts()
    unknown = {f.get("code") for f in findings} - known
    assert not unknown, f"findings with a code built at run time or none: {unknown}"
    missed = known - {f["code"] for f in findings} - UNREACHABLE
    assert not missed, f"add drafts that raise {sorted(missed)} to EXTRA_DRAFTS"


def test_in_english_the_desk_says_exactly_what_the_engine_says():
    with translation.override("en"):
        differing = [
            (f["code"], finding_texts(f), (f["message"], f["suggestion"]))
            for f in linted_drafts()
            if finding_texts(f) != (f["message"], f["suggestion"])
        ]
    assert not differing, differing[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_in_another_language_no_finding_falls_back_to_english(language):
    with translation.override(language):
        english = [
            (f["code"], f["message"])
            for f in linted_drafts()
            if finding_texts(f)[0] == f["message"] or finding_texts(f)[1] == f["suggestion"]
        ]
    assert not english, english[:5]


def test_an_unknown_code_or_unfitting_params_show_the_engine_english():
    finding = {"message": "Something new.", "suggestion": "Do this.", "params": {}}
    with translation.override("uk"):
        assert finding_texts({**finding, "code": "new-rule.kind"}) == ("Something new.", "Do this.")
        assert finding_texts({**finding, "code": "blame.phrase"}) == ("Something new.", "Do this.")
        blame = {**finding, "code": "blame.phrase", "params": {"phrase": "you should have"}}
        assert finding_texts(blame)[0] == "«you should have» перекладає провину на клієнта."


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_triage_guidance_code_is_said_in_the_agents_language(language):
    with translation.override(language):
        english = [
            code
            for code in GUIDANCE
            if catalog.guidance([code], [guidance_text(code, 3)], 3) == [guidance_text(code, 3)]
        ]
    assert not english, f"guidance shown in the engine's English: {english}"
