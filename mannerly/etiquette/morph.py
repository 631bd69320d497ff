"""Word forms: lemmas for Ukrainian and Russian, segmentation and script folding for Chinese.

The analysers are big (pymorphy3 dictionaries, jieba's word list), so each is loaded once per
process, on first use, under a lock; afterwards every function here is a read and safe to call
from many threads. Lemmas are cached: support replies reuse a small vocabulary, so after the
first few drafts nearly every word is a dictionary lookup.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from mannerly.etiquette.text import APOSTROPHES

DATA = Path(__file__).parent / "data"
CYRILLIC_LANGS = ("uk", "ru")

_lock = threading.Lock()
_analyzers: dict[str, Any] = {}
_jieba: list[Any] = []
_t2s: list[dict[int, int]] = []


def analyzer(lang: str) -> Any:
    """The pymorphy3 analyser for uk or ru, loaded once."""
    found = _analyzers.get(lang)
    if found is None:
        with _lock:
            found = _analyzers.get(lang)
            if found is None:
                import pymorphy3

                found = pymorphy3.MorphAnalyzer(lang=lang)
                _analyzers[lang] = found
    return found


def _has_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


@lru_cache(maxsize=262_144)
def lemma(lang: str, word: str) -> str:
    """The dictionary form a phrase list is matched on (lower-case; ё folded to е)."""
    low = word.lower().translate(APOSTROPHES)
    if lang in CYRILLIC_LANGS and _has_cyrillic(low):
        parses = analyzer(lang).parse(low.replace("ё", "е") if lang == "ru" else low)
        if parses:
            low = parses[0].normal_form
    return low.replace("ё", "е")


@lru_cache(maxsize=65_536)
def parses(lang: str, word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """All (lemma, grammemes) readings of a word, for rules that care about the grammar."""
    out = []
    for p in analyzer(lang).parse(word.lower().translate(APOSTROPHES)):
        out.append((p.normal_form.replace("ё", "е"), frozenset(p.tag.grammemes)))
    return tuple(out)


def t2s_table() -> dict[int, int]:
    """Traditional → simplified characters, one for one (generated from OpenCC's table)."""
    if not _t2s:
        with _lock:
            if not _t2s:
                table: dict[int, int] = {}
                for line in (DATA / "zh" / "t2s.txt").read_text(encoding="utf-8").splitlines():
                    if len(line) == 2:
                        table[ord(line[0])] = ord(line[1])
                _t2s.append(table)
    return _t2s[0]


def simplified(text: str) -> str:
    """Chinese text folded to simplified characters, same length (so offsets stay valid)."""
    return text.translate(t2s_table())


def _segmenter() -> Any:
    if not _jieba:
        with _lock:
            if not _jieba:
                import rjieba

                _jieba.append(rjieba)
    return _jieba[0]


@lru_cache(maxsize=65_536)
def segment(run: str) -> tuple[int, ...]:
    """Word lengths of a run of Han characters (jieba segmentation, cached per run)."""
    words = _segmenter().cut(run)
    return tuple(len(w) for w in words)


_DOUBLE = set("bdfgkmnprt")


@lru_cache(maxsize=65_536)
def stem_en(word: str) -> str:
    """A light English stem for matching a question with its answer ("fixes", "fixed" → "fix").

    Not linguistics, only consistency: both sides go through the same function.
    """
    w = word.lower().replace("'", "")
    if (w.endswith("s") and w[:-1].endswith("'")) or len(w) <= 3:
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            if (
                repl == ""
                and suffix in ("ing", "ed")
                and len(w) > 3
                and w[-1] == w[-2]
                and w[-1] in _DOUBLE
            ):
                w = w[:-1]
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1]
    return w
