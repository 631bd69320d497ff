"""A team's adjustments to the rules, as plain data the web app builds from its settings.

Everything a team may change without code: extra phrases for any list (jargon, internal tool
names, filler, negative phrasings…), phrases that must never be flagged, words its spelling
dictionary should accept, rules it switches off, severities it prefers, and length thresholds.
The object is frozen and hashable, so the phrase automaton built for a team is compiled once and
reused for every draft that team lints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mannerly.etiquette.lexicon import Lexicon

SEVERITIES = ("error", "warning", "suggestion")
THRESHOLDS = {
    "wall-of-text.words": 80.0,  # words in one paragraph (en, uk, ru)
    "wall-of-text.chars": 200.0,  # Han characters in one paragraph (zh)
    "summary-cta.words": 120.0,  # a reply longer than this needs a summary or next step
    "summary-cta.chars": 300.0,
    "plain-language.sentence-words": 35.0,  # a sentence longer than this is hard to read
    "plain-language.sentence-chars": 90.0,
}


@dataclass(frozen=True)
class TeamConfig:
    """Per-team settings for lint() and triage(); the default changes nothing.

    - ``phrases``: (list, lang, phrase) triples added to a phrase list; list is a rule id such as
      ``plain-language`` or one of its part lists such as ``internal-details.tools``; lang is
      ``en``/``zh``/``uk``/``ru`` or ``*`` for every language. Same syntax as the data files.
    - ``ignore``: (lang, phrase) pairs never to flag, whatever list has them.
    - ``dictionary``: words the spelling rule accepts (product names, jargon the team keeps).
    - ``disabled_rules``: rule ids that never run.
    - ``severities``: (rule, severity) overrides.
    - ``thresholds``: (name, value) overrides of THRESHOLDS.
    """

    phrases: tuple[tuple[str, str, str], ...] = ()
    ignore: tuple[tuple[str, str], ...] = ()
    dictionary: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    severities: tuple[tuple[str, str], ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()
    _severity_map: dict[str, str] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        for rule, severity in self.severities:
            if severity not in SEVERITIES:
                raise ValueError(f"severity of {rule} must be one of {', '.join(SEVERITIES)}")
            self._severity_map[rule] = severity
        for name, _ in self.thresholds:
            if name not in THRESHOLDS:
                raise ValueError(f"unknown threshold {name!r}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TeamConfig:
        """Build from JSON-like settings::

        {"phrases": {"plain-language": {"en": ["SSO"], "*": ["Kubernetes"]}},
         "ignore": {"en": ["API"]}, "dictionary": ["Mannerly"],
         "disabled_rules": ["filler-words"], "severities": {"plain-language": "suggestion"},
         "thresholds": {"wall-of-text.words": 100}}
        """
        phrases = tuple(
            (list_name, lang, phrase)
            for list_name, by_lang in (data.get("phrases") or {}).items()
            for lang, items in by_lang.items()
            for phrase in _strings(items)
        )
        ignore = tuple(
            (lang, phrase)
            for lang, items in (data.get("ignore") or {}).items()
            for phrase in _strings(items)
        )
        return cls(
            phrases=phrases,
            ignore=ignore,
            dictionary=frozenset(_strings(data.get("dictionary") or ())),
            disabled_rules=frozenset(_strings(data.get("disabled_rules") or ())),
            severities=tuple((k, str(v)) for k, v in (data.get("severities") or {}).items()),
            thresholds=tuple((k, float(v)) for k, v in (data.get("thresholds") or {}).items()),
        )

    def severity(self, rule: str, default: str) -> str:
        return self._severity_map.get(rule, default)

    def threshold(self, name: str) -> float:
        for key, value in self.thresholds:
            if key == name:
                return value
        return THRESHOLDS[name]

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled_rules

    def lexicon(self, lang: str) -> Lexicon | None:
        """The team's extra phrases for one language, compiled (None when it has none)."""
        if not self.phrases or not any(lg in (lang, "*") for _, lg, _ in self.phrases):
            return None
        return _extra_lexicon(self, lang)

    def ignored(self, lang: str) -> frozenset[str]:
        if not self.ignore:
            return frozenset()  # most teams: no generator to run for every document
        return frozenset(p.lower() for lg, p in self.ignore if lg in (lang, "*"))

    def accepts_word(self, word: str) -> bool:
        return word in self.dictionary or word.lower() in _lower(self.dictionary)


def _strings(items: Iterable[Any] | str) -> list[str]:
    if isinstance(items, str):
        return [items]
    return [str(x) for x in items if str(x).strip()]


@lru_cache(maxsize=64)
def _lower(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=64)
def _extra_lexicon(config: TeamConfig, lang: str) -> Lexicon:
    from mannerly.etiquette.lexicon import Lexicon, parse_line

    entries = []
    for list_name, lg, phrase in config.phrases:
        if lg in (lang, "*"):
            entries.extend(parse_line(lang, list_name, phrase))
    return Lexicon(lang, entries)
