"""Which of en, zh, uk, ru a text is written in.

Scripts decide most cases at once: Han characters are Chinese, Latin words English, and among
Cyrillic words the letters і ї є ґ are Ukrainian-only while ы э ъ ё are Russian-only. When
Cyrillic text has none of those letters (short messages such as "Спасибо" or "Добрий день"), a
handful of frequent function words settle it, and only then lingua-language-detector, restricted
to the four languages, is asked. A mixed message takes the language of most of its words; a
Chinese word is counted as about 1.5 characters, which is what jieba's segmentation gives on
support mail.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from mannerly.etiquette.text import HAN, one_byte

LANGS = ("en", "zh", "uk", "ru")
DEFAULT = "en"
_SAMPLE = 20_000  # characters: more changes nothing but the time it takes

_HAN = re.compile(f"[{HAN}]")
_LATIN_WORD = re.compile(r"\b[A-Za-zÀ-ɏ]{2,}")
_CYR_WORD = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ'’ʼ]+")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
_HAN_OR_CYRILLIC = re.compile(f"[{HAN}а-яёіїєґА-ЯЁІЇЄҐ]")
_UK_ONLY_WORD = re.compile(r"[іїєґІЇЄҐ][^ ]*")  # from the first such letter to the word end
_RU_ONLY_WORD = re.compile(r"[ыэъёЫЭЪЁ][^ ]*")
# Frequent words that exist in one of the two languages only (spelled the same nowhere else).
_UK_WORDS = frozenset(
    [
        "що",
        "це",
        "як",
        "коли",
        "але",
        "чи",
        "дуже",
        "буде",
        "немає",
        "треба",
        "вже",
        "щоб",
        "або",
        "вона",
        "воно",
        "його",
        "якщо",
        "ще",
        "можна",
        "зараз",
        "будь",
        "ласка",
        "добрий",
        "дякую",
    ]
)
_RU_WORDS = frozenset(
    [
        "что",
        "это",
        "как",
        "когда",
        "но",
        "ли",
        "очень",
        "будет",
        "нет",
        "надо",
        "потому",
        "здесь",
        "уже",
        "также",
        "чтобы",
        "или",
        "она",
        "оно",
        "его",
        "если",
        "еще",
        "можно",
        "нужно",
        "сейчас",
        "после",
        "все",
        "пожалуйста",
        "добрый",
        "спасибо",
        "где",
        "почему",
    ]
)
_BOTH = _UK_WORDS & _RU_WORDS
_UK_WORDS, _RU_WORDS = _UK_WORDS - _BOTH, _RU_WORDS - _BOTH

_lock = threading.Lock()
_detector: list[Any] = []


def detect(text: str) -> str:
    """The language of most of the words of text; English when there are no words at all."""
    sample = text[:_SAMPLE]
    if one_byte(sample) or not _HAN_OR_CYRILLIC.search(sample):
        # Only Latin words can score: English, or (no words at all) the default.
        return "en" if _LATIN_WORD.search(sample) else DEFAULT
    han = len(_HAN.findall(sample))
    # A word search that starts at every character: skipped when no Latin letter is there.
    latin = len(_LATIN_WORD.findall(sample)) if _LATIN_LETTER.search(sample) else 0
    cyr_words = [w for w in _CYR_WORD.findall(sample) if w.strip("'’ʼ")]
    scores = {"zh": han / 1.5, "en": float(latin), "cyr": float(len(cyr_words))}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return DEFAULT
    if best != "cyr":
        return best
    return _ukrainian_or_russian(cyr_words)


def _ukrainian_or_russian(words: list[str]) -> str:
    joined = " ".join(words)  # words hold no spaces: one match per word with such a letter
    uk = len(_UK_ONLY_WORD.findall(joined))
    ru = len(_RU_ONLY_WORD.findall(joined))
    if uk != ru:
        return "uk" if uk > ru else "ru"
    lowered = [w.lower() for w in words]
    uk = sum(1 for w in lowered if w in _UK_WORDS)
    ru = sum(1 for w in lowered if w in _RU_WORDS)
    if uk != ru and (uk == 0 or ru == 0):
        return "uk" if uk > ru else "ru"
    return _lingua(" ".join(words))


def _lingua(text: str) -> str:
    detector = _lingua_detector()
    found = detector.detect_language_of(text)
    code = {"UKRAINIAN": "uk", "RUSSIAN": "ru", "ENGLISH": "en", "CHINESE": "zh"}
    name = getattr(found, "name", "")
    # Cyrillic text is never English or Chinese; an undecided detector means Russian-looking.
    return code.get(name, "ru") if name in ("UKRAINIAN", "RUSSIAN") else "ru"


def _lingua_detector() -> Any:
    if not _detector:
        with _lock:
            if not _detector:
                from lingua import Language, LanguageDetectorBuilder

                _detector.append(
                    LanguageDetectorBuilder.from_languages(
                        Language.ENGLISH, Language.CHINESE, Language.UKRAINIAN, Language.RUSSIAN
                    ).build()
                )
    return _detector[0]


def resolve(lang: str | None, text: str) -> str:
    """The given language when it is one of ours, else the detected one."""
    if lang:
        code = lang.strip().lower().replace("_", "-")
        code = {"zh-hans": "zh", "zh-hant": "zh", "zh-cn": "zh", "zh-tw": "zh", "ua": "uk"}.get(
            code, code
        )
        code = code.split("-")[0]
        if code not in LANGS:
            raise ValueError(f"unsupported language {lang!r} (use one of {', '.join(LANGS)})")
        return code
    return detect(text)
