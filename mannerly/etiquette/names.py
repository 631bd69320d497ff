"""People's names: which part is which, how a greeting may address them, how a name is spelled
in another script.

A customer's stored name may be "Given Surname" (Anna Smith, Олена Коваль), "Surname Given
Patronymic" (Ковальчук Андрій Петрович) or a Chinese full name (王芳, 欧阳娜娜). A greeting may use
the given name, given name and patronymic, a courtesy title and the surname, or the full name; in
Ukrainian every one of those in the vocative (Олено, пане Андрію, Ірино Павлівно).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from mannerly.etiquette import morph
from mannerly.etiquette.text import HAN

_HAN_NAME = re.compile(f"^[{HAN}·]+$")
_PATRONYMIC = re.compile(r"(?:ович|евич|йович|ьович|ич|івна|ївна|овна|евна|ична|інічна)$")
_PATRONYMIC_VOC = re.compile(r"(?:овичу|евичу|йовичу|ичу|івно|ївно|ічно)$")
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "madam",
        "пан",
        "пані",
        "пане",
        "господин",
        "госпожа",
        "г-н",
        "г-жа",
    ]
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "歐陽",
        "司馬",
        "諸葛",
        "東方",
        "尉遲",
        "公孫",
        "長孫",
        "軒轅",
        "獨孤",
        "南宮",
    ]
)
ZH_TITLES = (
    "女士", "先生", "小姐", "老师", "經理", "经理", "总", "博士", "同学", "太太", "老師", "總",
    "院长", "主任", "校长", "医生", "律师", "教授", "董事长", "局长", "处长", "科长", "部长",
    "总监", "老板", "会计", "工程师",
)  # fmt: skip

# Short forms people use among themselves; not wrong names, not the stored name either.
DIMINUTIVES: dict[str, frozenset[str]] = {
    k: frozenset(v.split())
    for k, v in {
        "анна": "аня анечка ганна ганнуся",
        "александр": "саша шура",
        "александра": "саша",
        "олександр": "саша сашко олесь",
        "елена": "лена леночка",
        "олена": "оля олено",
        "екатерина": "катя",
        "катерина": "катя",
        "дмитрий": "дима",
        "дмитро": "дима",
        "мария": "маша",
        "марія": "маша марічка",
        "ольга": "оля",
        "наталья": "наташа",
        "наталія": "наташа",
        "сергей": "сережа",
        "сергій": "сергійко",
        "андрей": "андрюша",
        "иван": "ваня",
        "іван": "іванко",
        "михаил": "миша",
        "михайло": "миша",
        "татьяна": "таня",
        "тетяна": "таня",
        "юлия": "юля",
        "юлія": "юля",
        "евгений": "женя",
        "евгения": "женя",
        "владимир": "володя вова",
        "володимир": "володя вова",
        "алексей": "леша алеша",
        "олексій": "льоша",
        "николай": "коля",
        "микола": "коля",
        "павел": "паша",
        "ирина": "ира",
        "ірина": "іра",
        "светлана": "света",
        "robert": "bob rob bobby",
        "william": "bill will",
        "elizabeth": "liz beth",
        "katherine": "kate kathy",
        "michael": "mike",
        "anna": "ann anne",
    }.items()
}


@dataclass(frozen=True)
class Person:
    """A stored name split into its parts (any part may be empty)."""

    full: str
    given: str = ""
    surname: str = ""
    patronymic: str = ""
    script: str = "latin"  # latin, cyrillic or han
    parts: tuple[str, ...] = field(default=())


def _script(name: str) -> str:
    if _HAN_NAME.match(name.replace(" ", "")):
        return "han"
    if any("\u0400" <= ch <= "\u04ff" for ch in name):
        return "cyrillic"
    return "latin"


def _is_given_name(word: str, lang: str) -> bool:
    return any("Name" in tags for _, tags in morph.parses(lang, word))


def _cyrillic_lang(name: str) -> str:
    if set(name.lower()) & set("іїєґ'"):
        return "uk"
    if set(name.lower()) & set("ыэъё"):
        return "ru"
    return "ru"


@lru_cache(maxsize=4096)
def parse_person(name: str) -> Person | None:
    """Split a stored full name into given name, surname and patronymic."""
    clean = " ".join(name.replace(",", " , ").split())
    if not clean.strip(" ,"):
        return None
    script = _script(clean)
    if script == "han":
        han = clean.replace(" ", "")
        cut = 2 if han[:2] in COMPOUND_SURNAMES and len(han) > 2 else 1
        if len(han) == 1:
            return Person(han, surname=han, script=script, parts=(han,))
        return Person(han, given=han[cut:], surname=han[:cut], script=script, parts=(han,))
    comma = "," in clean
    words = [w for w in clean.split() if w != "," and w.lower().strip(".") not in _TITLES]
    if not words:
        return None
    full = " ".join(words)
    if comma and len(words) >= 2:  # "Smith, Anna"
        return Person(full, given=words[1], surname=words[0], script=script, parts=tuple(words))
    if len(words) == 1:
        return Person(full, given=words[0], script=script, parts=tuple(words))
    if script == "cyrillic":
        return _parse_cyrillic(full, words)
    return Person(full, given=words[0], surname=words[-1], script=script, parts=tuple(words))


def _parse_cyrillic(full: str, words: list[str]) -> Person:
    lang = _cyrillic_lang(full)
    patr = [i for i, w in enumerate(words) if _PATRONYMIC.search(w.lower())]
    if len(words) >= 3 and patr:
        p = patr[-1]
        if p == len(words) - 1 and p >= 2:  # Surname Given Patronymic
            return Person(full, words[p - 1], words[0], words[p], "cyrillic", tuple(words))
        if p == 1:  # Given Patronymic Surname
            return Person(full, words[0], words[2], words[1], "cyrillic", tuple(words))
    if len(words) == 2:
        if _PATRONYMIC.search(words[1].lower()):
            return Person(full, words[0], "", words[1], "cyrillic", tuple(words))
        first_given = _is_given_name(words[0], lang)
        second_given = _is_given_name(words[1], lang)
        if second_given and not first_given:
            return Person(full, words[1], words[0], "", "cyrillic", tuple(words))
    return Person(full, words[0], words[-1], "", "cyrillic", tuple(words))


# --- Ukrainian vocative --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def vocatives(word: str) -> tuple[str, ...]:
    """Lower-case vocative forms a Ukrainian greeting may use for one part of a name.

    The dictionary's forms come first (the best one for a suggested fix), then the forms the
    grammar rules give for names the dictionary does not know (foreign and rare names,
    masculine surnames in -ук, -енко, -ець).
    """
    low = word.lower().replace("’", "'")
    found: list[str] = []
    for p in morph.analyzer("uk").parse(low):
        tags = p.tag.grammemes
        if not ({"Name", "Surn", "Patr"} & tags) and "NOUN" not in tags:
            continue
        if "voct" in tags and p.word != low:
            continue
        form = p.inflect({"voct"})
        if form is not None and ("Name" in tags or "Patr" in tags or "Surn" in tags):
            found.append(form.word)
    found.extend(_vocative_rules(low))
    out: list[str] = []
    for f in found:
        if f not in out:
            out.append(f)
    return tuple(out)


def _vocative_rules(w: str) -> list[str]:
    if len(w) < 2:
        return [w]
    if w.endswith(("ський", "цький", "зький", "ий", "ой")) or w.endswith(("ська", "цька", "зька")):
        return [w]
    if w.endswith("івна") or w.endswith("ївна"):
        return [w[:-1] + "о"]
    if w.endswith("ич"):
        return [w + "у"]
    if w.endswith("ія"):
        return [w[:-1] + "є"]
    if w.endswith("я"):
        return [w[:-1] + "ю", w[:-1] + "е"]
    if w.endswith("а"):
        return [w[:-1] + "о", w[:-1] + "е"]
    if w.endswith(("ій", "ай", "ей", "єй")):
        return [w[:-1] + "ю"]
    if w.endswith("ець"):
        return [w[:-3] + "цю", w]
    if w.endswith("ь"):
        return [w[:-1] + "ю", w]
    if w.endswith("ко"):
        return [w[:-1] + "у", w]
    if w.endswith("о"):
        return [w[:-1] + "е", w]
    if w[-1] in "кгхжчшщ":
        return [w + "у", w + "е", w]
    if w[-1] in "бвдзлмнпрстф":
        return [w + "е", w + "у", w]
    return [w]


def vocative_for_fix(word: str) -> str:
    """The vocative to put in a suggested greeting, capitalised like the stored name."""
    forms = vocatives(word)
    best = forms[0] if forms else word.lower()
    return best[:1].upper() + best[1:]


# --- the forms a greeting may use ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def greeting_forms(name: str, lang: str) -> tuple[tuple[str, ...], ...]:
    """Word sequences (lower case) that address this customer correctly in a greeting."""
    person = parse_person(name)
    if person is None:
        return ()
    forms: set[tuple[str, ...]] = set()
    if person.script == "han":
        forms.add((person.full,))
        for title in ZH_TITLES:
            forms.add((person.surname + title,))
            forms.add((person.full + title,))
        return tuple(sorted(forms))
    low = [p.lower() for p in person.parts]
    given, surname, patr = person.given.lower(), person.surname.lower(), person.patronymic.lower()
    if lang == "uk" and person.script == "cyrillic":
        g = vocatives(given) if given else ()
        s = vocatives(surname) if surname else ()
        pt = vocatives(patr) if patr else ()
        for gv in g:
            forms.add((gv,))
            for pv in pt:
                forms.add((gv, pv))
            for sv in s:
                forms.add((gv, sv))
                forms.add((sv, gv))
        for sv in s:
            for title in ("пане", "пані", "пан"):
                forms.add((title, sv))
        return tuple(sorted(forms))
    if given:
        forms.add((given,))
    forms.add(tuple(low))
    if given and surname:
        forms.add((given, surname))
        forms.add((surname, given))
    if given and patr:
        forms.add((given, patr))
    if surname:
        titles = {
            "en": ("mr", "mrs", "ms", "miss", "mx", "dr", "prof"),
            "ru": ("господин", "госпожа", "г-н", "г-жа"),
            "uk": ("пане", "пані"),
            "zh": ("mr", "mrs", "ms", "miss", "dr"),
        }.get(lang, ())
        for title in titles:
            forms.add((title, surname))
        if lang == "zh":
            for title in ZH_TITLES:
                forms.add((surname + title,))
    return tuple(sorted(forms))


def diminutives(name: str) -> frozenset[str]:
    person = parse_person(name)
    if person is None or not person.given:
        return frozenset()
    return DIMINUTIVES.get(person.given.lower(), frozenset())


# --- across scripts ----------------------------------------------------------------------------

_CYR2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "yo",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ю": "yu",
    "я": "ya", "'": "", "’": "",
}  # fmt: skip
_SKELETON_STEPS = (
    ("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "j"), ("ts", "c"), ("tz", "c"), ("ch", "c"),
    ("sh", "s"), ("ck", "k"), ("ph", "f"), ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"),
    ("ia", "a"), ("ja", "a"), ("ye", "e"), ("ie", "e"), ("je", "e"), ("yo", "o"), ("io", "o"),
    ("yi", "i"), ("g", "h"), ("y", "i"), ("j", "i"), ("w", "v"), ("x", "ks"), ("q", "k"),
)  # fmt: skip


@lru_cache(maxsize=8192)
def skeleton(word: str) -> str:
    """A spelling-neutral key: Oleh, Oleg and Олег give the same; so do Andrii, Andriy, Андрій."""
    low = word.lower()
    latin = "".join(_CYR2LAT.get(ch, ch) for ch in low)
    latin = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    for old, new in _SKELETON_STEPS:
        latin = latin.replace(old, new)
    out: list[str] = []
    for ch in latin:
        if ch.isalpha() and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


def same_name(a: str, b: str) -> bool:
    """Whether two single-word names are the same name, possibly written in different scripts."""
    if a.lower() == b.lower():
        return True
    ka, kb = skeleton(a), skeleton(b)
    return len(ka) >= 2 and ka == kb
