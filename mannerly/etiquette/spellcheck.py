"""Hunspell dictionaries (Debian's en_US, uk_UA, ru_RU), loaded once, checked under a lock.

Suggestions come from our own edit-distance-one search checked against the dictionary (a
transposed, doubled, missing or wrong letter), which takes a millisecond; hunspell's own
suggest() takes 60-350 ms per word here and would stall the reply box.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from mannerly.etiquette import hunspell_shards

DICTIONARY_DIRS = tuple(
    Path(p)
    for p in (
        os.environ.get("MANNERLY_HUNSPELL_DIR", ""),
        "/usr/share/hunspell",
        "/usr/share/myspell/dicts",
        "/usr/share/myspell",
        "/usr/local/share/hunspell",
    )
    if p
)
DICTIONARIES = {"en": "en_US", "uk": "uk_UA", "ru": "ru_RU"}
DEBIAN_PACKAGES = {"en": "hunspell-en-us", "uk": "hunspell-uk", "ru": "hunspell-ru"}
ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyz'",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}


_PARTS_OF_SPEECH = frozenset(
    [
        "NOUN",
        "ADJF",
        "ADJS",
        "COMP",
        "VERB",
        "INFN",
        "PRTF",
        "PRTS",
        "GRND",
        "NUMR",
        "ADVB",
        "NPRO",
        "PRED",
        "PREP",
        "CONJ",
        "PRCL",
        "INTJ",
    ]
)


class MissingDictionary(Exception):
    """The dictionary (or the hunspell binding) is not installed on this machine."""


def _known_to_morphology(lang: str, word: str) -> bool:
    from mannerly.etiquette import morph

    low = word.lower()
    if not morph.analyzer(lang).word_is_known(low):
        return False
    # VESUM lists common misspellings too ("нажаль"): they carry no part of speech.
    return any(_PARTS_OF_SPEECH & tags for _, tags in morph.parses(lang, low))


def dictionary_files(lang: str) -> tuple[Path, Path] | None:
    name = DICTIONARIES[lang]
    for folder in DICTIONARY_DIRS:
        dic, aff = folder / f"{name}.dic", folder / f"{name}.aff"
        if dic.exists() and aff.exists():
            return dic, aff
    return None


def check_available(lang: str) -> None:
    """Raise MissingDictionary when spelling cannot be checked, without loading anything."""
    found = _dictionaries.get(lang)
    if isinstance(found, MissingDictionary):
        raise found
    if found is None and dictionary_files(lang) is None:
        dictionary(lang)  # records and raises the reason
    try:
        import hunspell  # noqa: F401
    except ImportError:
        dictionary(lang)


class Dictionary:
    """A hunspell dictionary, loaded on the first word the faster checks cannot settle (split by
    first letter where hunspell_shards can, so a check loads only the stems it needs)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lock = threading.Lock()  # hunspell calls are not guaranteed thread-safe
        self._load_lock = threading.Lock()
        self._speller: Any = None

    @property
    def speller(self) -> Any:
        if self._speller is None:
            with self._load_lock:
                if self._speller is None:
                    self._speller = _load(self.lang)
        return self._speller

    def known(self, word: str) -> bool:
        return _known(self, word)

    def _spell(self, word: str) -> bool:
        # Debian's uk_UA misses common words ("доставка"); the pymorphy3 dictionaries (VESUM,
        # OpenCorpora) answer first for Ukrainian and Russian, which also spares loading the
        # large hunspell dictionary for most replies.
        if self.lang in ("uk", "ru") and _known_to_morphology(self.lang, word):
            return True
        speller = self.speller
        try:
            with self.lock:
                return bool(speller.spell(word))
        except (UnicodeError, ValueError):
            return True  # a word the dictionary cannot even encode is not ours to judge


def _load(lang: str) -> Any:
    name = DICTIONARIES[lang]
    try:
        import hunspell
    except ImportError as exc:
        raise MissingDictionary(
            "the hunspell Python binding is not installed (pip package chunspell)"
        ) from exc
    files = dictionary_files(lang)
    if files is not None:
        dic, aff = files
        split = hunspell_shards.open_split(dic, aff)
        if split is not None:
            return hunspell_shards.SplitSpeller(split)
        # chunspell (wheels with libhunspell inside, so no compiler or -dev package is needed)
        # opens "<dir>/<name>.dic" and ".aff" by name.
        return hunspell.Hunspell(dic.stem, hunspell_data_dir=str(dic.parent))
    raise MissingDictionary(
        f"the {name} dictionary is not installed (Debian package {DEBIAN_PACKAGES[lang]})"
    )


_lock = threading.Lock()
_dictionaries: dict[str, Dictionary | MissingDictionary] = {}


def dictionary(lang: str) -> Dictionary:
    """The loaded dictionary for en, uk or ru; raises MissingDictionary with the reason."""
    found = _dictionaries.get(lang)
    if found is None:
        with _lock:
            found = _dictionaries.get(lang)
            if found is None:
                try:
                    import hunspell  # noqa: F401

                    if dictionary_files(lang) is None:
                        _load(lang)  # raises MissingDictionary with the reason
                    found = Dictionary(lang)
                except ImportError:
                    found = MissingDictionary(
                        "the hunspell Python binding is not installed (pip package chunspell)"
                    )
                except MissingDictionary as exc:
                    found = exc
                _dictionaries[lang] = found
    if isinstance(found, MissingDictionary):
        raise found
    return found


_BRITISH = (
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"our(s|ed|ing|ful|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"yse(d|s)?$"), r"yze\1"),
    (re.compile(r"ence$"), r"ense"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"^enrol(s|ment)?$"), r"enroll\1"),
    (re.compile(r"^grey"), "gray"),
    (re.compile(r"^cheque(s)?$"), r"check\1"),
    (re.compile(r"^programme(s)?$"), r"program\1"),
)


@lru_cache(maxsize=131_072)
def _known_word(lang: str, word: str) -> bool:
    d = dictionary(lang)
    if d._spell(word):
        return True
    if lang == "ru" and "ё" in word and d._spell(word.replace("ё", "е")):
        return True
    if lang == "en":
        low = word.lower()
        for pattern, repl in _BRITISH:
            american = pattern.sub(repl, low)
            if american != low and d._spell(american):
                return True
    return False


@lru_cache(maxsize=262_144)
def is_known(lang: str, word: str) -> bool:
    """Whether the dictionary accepts the word (cached: replies reuse a small vocabulary)."""
    return _known(dictionary(lang), word)


_known_words: dict[str, set[str]] = {}


def unknown_words(lang: str, words: set[str]) -> set[str]:
    """The words of a set the dictionary does not accept. The words found known are kept per
    language, so a reply's vocabulary, mostly the same from draft to draft, is settled by one
    set difference instead of a cached call per word. Bounded like is_known's cache."""
    known = _known_words.get(lang)
    if known is None or len(known) > 262_144:
        known = _known_words[lang] = set()
    unsure = words - known
    if not unsure:
        return unsure
    doubtful = {w for w in unsure if not is_known(lang, w)}
    known.update(unsure - doubtful)
    return doubtful


def _known(d: Dictionary, word: str) -> bool:
    word = word.replace("’", "'").replace("ʼ", "'")
    if _known_word(d.lang, word):
        return True
    if word[:1].isupper() and _known_word(d.lang, word.lower()):
        return True
    if "-" in word:
        return all(_known(d, part) for part in word.split("-") if part)
    return word.endswith("'s") and _known_word(d.lang, word[:-2])


_KEYBOARDS = {
    "en": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
    "uk": ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю"),
    "ru": ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"),
}
_VOWELS = {"en": set("aeiouy"), "uk": set("аеєиіїоуюя"), "ru": set("аеёиоуыэюя")}


@lru_cache(maxsize=4)
def _neighbours(lang: str) -> dict[str, set[str]]:
    rows = _KEYBOARDS[lang]
    near: dict[str, set[str]] = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            found = near.setdefault(ch, set())
            for rr in (r - 1, r, r + 1):
                if 0 <= rr < len(rows):
                    for cc in (c - 1, c, c + 1):
                        if 0 <= cc < len(rows[rr]) and rows[rr][cc] != ch:
                            found.add(rows[rr][cc])
    return near


def _candidates(lang: str, low: str) -> list[tuple[float, str]]:
    """Every word one edit away, with a cost: likely typos (swapped, doubled, neighbouring
    keys, a missing vowel) cost less than arbitrary edits."""
    letters = ALPHABETS[lang]
    near = _neighbours(lang)
    vowels = _VOWELS[lang]
    out: list[tuple[float, str]] = []
    for i in range(len(low) + 1):
        a, b = low[:i], low[i:]
        if len(b) > 1:
            out.append((0.6, a + b[1] + b[0] + b[2:]))
        if b:
            cost = 0.7 if a and a[-1] == b[0] else 1.0
            out.append((cost, a + b[1:]))
            for c in letters:
                if c != b[0]:
                    out.append((0.9 if c in near.get(b[0], ()) else 1.3, a + c + b[1:]))
        for c in letters:
            cost = 0.7 if (a and a[-1] == c) or (b and b[0] == c) else 0.9 if c in vowels else 1.1
            out.append((cost, a + c + b))
    return out


@lru_cache(maxsize=8192)
def suggestion(lang: str, word: str) -> str | None:
    """The likeliest correction one edit away, or None."""
    d = dictionary(lang)
    low = word.lower()
    best: tuple[float, str] | None = None
    seen: set[str] = set()
    for cost, candidate in sorted(_candidates(lang, low)):
        if best is not None and cost > best[0]:
            break
        if candidate in seen or not candidate.strip("'") or candidate != candidate.strip("'"):
            continue
        seen.add(candidate)
        if d._spell(candidate):
            best = (cost, candidate)
            break
    if best is None:
        return None
    found = best[1]
    return found[:1].upper() + found[1:] if word[:1].isupper() else found
