"""greeting-name: the reply opens by greeting the customer by name, in the form the language uses.

Accepted: the given name, given name and patronymic, a courtesy title and the surname, the full
name ("Hi Anna," "Dear Ms Smith," "王女士，您好" "王芳，您好" "Ирина Павловна," "пане Андрію");
Ukrainian needs the vocative (Олено, not Олена). A bare Chinese given name (芳) is too familiar,
and another person's name (a macro written for someone else) is an error. Without a stored name
any greeting will do. A misspelled greeting word with the right name is a spelling matter.
"""

from __future__ import annotations

import re

from mannerly.etiquette import morph
from mannerly.etiquette import names as nm
from mannerly.etiquette.lexicon import Token
from mannerly.etiquette.rules import Context, Finding, fix
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import APOSTROPHES, HAN

RULE = "greeting-name"
SEVERITY = "error"
CHECKLIST = "use-their-name"

_GREETING_TEMPLATES = {
    "en": "Hi {name},\n\n",
    "zh": "{name}，您好！\n\n",
    "uk": "Добрий день, {name}!\n\n",
    "ru": "Здравствуйте, {name}!\n\n",
}
_GENERIC_GREETING = {
    "en": "Hello,\n\n",
    "zh": "您好！\n\n",
    "uk": "Добрий день!\n\n",
    "ru": "Здравствуйте!\n\n",
}
_TITLE_WORDS = frozenset(
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
        "пане",
        "пані",
        "пан",
        "шановний",
        "шановна",
        "шановні",
        "уважаемый",
        "уважаемая",
        "уважаемые",
        "господин",
        "госпожа",
        "г-н",
        "г-жа",
        "дорогий",
        "дорога",
        "дорогой",
        "дорогая",
    ]
)
_ZH_TITLE = "|".join(nm.ZH_TITLES)
_ZH_NAMED = re.compile(rf"([{HAN}]{{1,2}})(?:{_ZH_TITLE})")
_ZH_GENERIC = frozenset(
    [
        "客户",
        "顾客",
        "用户",
        "朋友",
        "您",
        "你",
        "亲",
        "亲爱的",
        "尊敬的",
        "各位",
        "大家",
        "会员",
        "家长",
        "同学",
        "老师",
        "女士",
        "先生",
        "小姐",
        "客官",
        "买家",
    ]
)
_ZH_SPLIT = re.compile(r"[，,。！!？?：:；;、\s~～]+")


def wrong_addressee(ctx: Context) -> tuple[int, int, str] | None:
    """The name a greeting gives that is not the customer's (a macro's old addressee)."""
    doc = ctx.draft
    lay = layout(doc)
    person = nm.parse_person(ctx.customer) if ctx.customer else None
    if person is None or lay.opening is None:
        return None
    s, e = lay.opening
    if _addresses(ctx, person, s, e):
        return None
    if doc.lang == "uk" and person.script == "cyrillic" and _uk_not_vocative(ctx, person, s, e):
        return None
    if person.script == "han" and _zh_given_only(ctx, person, s, e):
        return None
    greetings = [h for h in doc.all_hits.get("greeting") if s <= h.start and h.end <= e]
    return _other_name(ctx, person, s, e, greetings)


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    lay = layout(doc)
    person = nm.parse_person(ctx.customer) if ctx.customer else None
    if lay.opening is None:
        return [_missing(ctx, person)]
    s, e = lay.opening
    greetings = doc.hits_between("greeting", s, e) or [
        h for h in doc.all_hits.get("greeting") if s <= h.start and h.end <= e
    ]
    if person is None:
        if greetings or _starts_with_name(ctx, s, e):
            return []
        return [_missing(ctx, None)]
    if _addresses(ctx, person, s, e):
        return []
    if doc.lang == "uk" and person.script == "cyrillic":
        wrong_case = _uk_not_vocative(ctx, person, s, e)
        if wrong_case is not None:
            return [wrong_case]
    if person.script == "han":
        familiar = _zh_given_only(ctx, person, s, e)
        if familiar is not None:
            return [familiar]
    other = _other_name(ctx, person, s, e, greetings)
    if other is not None:
        start, end, shown = other
        right = _name_form(ctx, person)
        return [
            ctx.finding(
                RULE,
                SEVERITY,
                start,
                end,
                f"The greeting names \u201c{shown}\u201d, but the customer is {person.full}.",
                suggestion=f"Greet {right}.",
                fix=fix(start, end, right),
                code="greeting-name.wrong-name",
                params={"named": shown, "customer": person.full, "name": right},
            )
        ]
    right = _name_form(ctx, person)
    if greetings:
        g = greetings[0]
        return [
            ctx.finding(
                RULE,
                SEVERITY,
                g.start,
                g.end,
                "The greeting does not use the customer's name.",
                suggestion=f"Greet the customer by name: {right}.",
                fix=_insert_name(ctx, g.start, g.end, right),
                code="greeting-name.no-name",
                params={"name": right},
            )
        ]
    return [_missing(ctx, person)]


# --- what counts as addressing the customer ----------------------------------------------------


def _surface(tokens: list[Token]) -> list[str]:
    return [t.text.lower().translate(APOSTROPHES) for t in tokens if t.kind != "num"]


def _contains(seq: list[str], form: tuple[str, ...]) -> bool:
    n = len(form)
    return any(tuple(seq[i : i + n]) == form for i in range(len(seq) - n + 1))


def _addresses(ctx: Context, person: nm.Person, s: int, e: int) -> bool:
    doc = ctx.draft
    region = doc.own_text[s:e]
    forms = nm.greeting_forms(person.full, doc.lang)
    if person.script == "han":
        simple = morph.simplified(region)
        return any(morph.simplified(f[0]) in simple for f in forms)
    tokens = doc.tokens_between(s, e)
    seq = _surface(tokens)
    if any(_contains(seq, f) for f in forms):
        return True
    if doc.lang == "zh":
        simple = morph.simplified(region).lower()
        if any(f[0] in simple for f in forms if len(f) == 1):
            return True
    # The name written in another script ("Hi Olena," for Олена Коваль) or a familiar short form.
    latin_target = doc.lang == "en" and person.script == "cyrillic"
    cyrillic_target = doc.lang in ("uk", "ru") and person.script == "latin"
    if latin_target or cyrillic_target:
        parts = [p for p in (person.given, person.surname) if p]
        if any(nm.same_name(tok.text, p) for tok in tokens for p in parts):
            return True
    short = nm.diminutives(person.full)
    return bool(short) and any(w in short for w in seq)


def _starts_with_name(ctx: Context, s: int, e: int) -> bool:
    """ "Anna, thanks for…" — without a stored name, a capitalised word and a comma will do."""
    doc = ctx.draft
    tokens = doc.tokens_between(s, e)
    if not tokens:
        return False
    first = tokens[0]
    after = doc.own_text[first.end : first.end + 2]
    if doc.lang == "zh":
        return bool(_ZH_NAMED.match(doc.own_text, s))
    return first.text[:1].isupper() and after.startswith((",", "!", "\n"))


def _uk_not_vocative(ctx: Context, person: nm.Person, s: int, e: int) -> Finding | None:
    doc = ctx.draft
    for part in (person.given, person.surname):
        if not part:
            continue
        target = morph.lemma("uk", part)
        for tok in doc.tokens_between(s, e):
            if (
                tok.kind == "word"
                and tok.text[:1].isupper()
                and tok.text.lower() not in nm.vocatives(part)
                and (tok.text.lower() == part.lower() or morph.lemma("uk", tok.text) == target)
            ):
                voc = nm.vocative_for_fix(part)
                return ctx.finding(
                    RULE,
                    SEVERITY,
                    tok.start,
                    tok.end,
                    f"Ukrainian greets in the vocative: \u201c{voc}\u201d, not \u201c{tok.text}\u201d.",
                    suggestion=f"Write \u201c{voc}\u201d.",
                    fix=fix(tok.start, tok.end, voc),
                    code="greeting-name.not-vocative",
                    params={"vocative": voc, "written": tok.text},
                )
    return None


def _zh_given_only(ctx: Context, person: nm.Person, s: int, e: int) -> Finding | None:
    if not person.given or (len(person.given) > 2 and person.given == person.full):
        return None
    doc = ctx.draft
    simple = morph.simplified(doc.own_text[s:e])
    given = morph.simplified(person.given)
    idx = simple.find(given)
    if idx < 0:
        return None
    start, end = s + idx, s + idx + len(given)
    return ctx.finding(
        RULE,
        SEVERITY,
        start,
        end,
        f"\u201c{person.given}\u201d alone is too familiar; greet {person.surname}女士/{person.surname}先生 "
        f"or use the full name {person.full}.",
        suggestion=f"Write \u201c{person.full}\u201d.",
        fix=fix(start, end, person.full),
        code="greeting-name.given-only",
        params={"given": person.given, "surname": person.surname, "full": person.full},
    )


def _other_name(
    ctx: Context, person: nm.Person, s: int, e: int, greetings: list
) -> tuple[int, int, str] | None:
    """A name in the opening that is not the customer's: (start, end, text)."""
    doc = ctx.draft
    region = doc.own_text[s:e]
    if doc.lang == "zh" or person.script == "han":
        for m in _ZH_NAMED.finditer(region):
            surname = morph.simplified(m.group(1))
            if person.surname and not morph.simplified(person.surname).endswith(surname[-1:]):
                return s + m.start(), s + m.end(), m.group(0)
        for chunk in _ZH_SPLIT.split(region):
            bare = re.sub(r"^(?:尊敬的|亲爱的|親愛的|尊敬)", "", chunk)
            bare = re.sub(r"(?:您好|你好|早上好|下午好|晚上好|好)$", "", bare)
            if (
                2 <= len(bare) <= 3
                and re.fullmatch(f"[{HAN}]+", bare)
                and bare not in _ZH_GENERIC
                and _zh_person_name(bare)
                and morph.simplified(bare) != morph.simplified(person.full)
            ):
                at = region.find(bare)
                return s + at, s + at + len(bare), bare
        if doc.lang == "zh":
            return None
    tokens = [t for t in doc.tokens_between(s, e) if t.kind == "word"]
    generic = doc.hits_between("greeting.generic", s, e)
    generic_idx = {i for h in generic for i in range(h.first, h.last)}
    greeting_idx = {i for h in greetings for i in range(h.first, h.last)}
    base = doc.tokens.index(tokens[0]) if tokens else 0
    candidates: list[int] = []
    for h in greetings:  # the words right after "Hi" / "Добрий день,"
        i = h.last
        while i < len(doc.tokens) and i < h.last + 3 and doc.tokens[i].start < e:
            candidates.append(i)
            i += 1
        j = h.first - 1  # "Олено, добрий день" / "Anna, hello"
        if j >= base and j - base < 3:
            candidates.append(j)
    if not greetings and tokens:
        after = doc.own_text[tokens[0].end : tokens[0].end + 1]
        if after in (",", "!"):
            candidates.append(base)
    for i in candidates:
        tok = doc.tokens[i]
        low = tok.text.lower().translate(APOSTROPHES)
        if i in generic_idx or i in greeting_idx or low in _TITLE_WORDS or tok.kind != "word":
            continue
        if not tok.text[:1].isupper():
            continue
        if _is_common_word(ctx, tok):
            continue
        if low in nm.diminutives(person.full):
            continue
        return tok.start, tok.end, tok.text
    return None


def _zh_person_name(word: str) -> bool:
    try:
        import rjieba

        return any(tag.startswith("nr") for _, tag in rjieba.tag(word))
    except Exception:  # pragma: no cover - segmentation unavailable
        return False


def _is_common_word(ctx: Context, tok: Token) -> bool:
    """A capitalised word that is not a name ("Hi Team", "Добрий день, Шановний")."""
    lang = ctx.draft.lang
    if lang in ("uk", "ru") and any("\u0400" <= ch <= "\u04ff" for ch in tok.text):
        readings = morph.parses(lang, tok.text)
        if any({"Name", "Surn", "Patr"} & tags for _, tags in readings):
            return False
        return any("UNKN" not in tags and "NOUN" not in tags for _, tags in readings[:1])
    return False


# --- fixes -----------------------------------------------------------------------------------


def _name_form(ctx: Context, person: nm.Person) -> str:
    lang = ctx.draft.lang
    if person.script == "han":
        return person.full
    if lang == "uk" and person.script == "cyrillic" and person.given:
        return nm.vocative_for_fix(person.given)
    if lang == "ru" and person.given and person.patronymic:
        return f"{person.given} {person.patronymic}"
    return person.given or person.full


def _insert_name(ctx: Context, start: int, end: int, name: str) -> dict:
    doc = ctx.draft
    if doc.lang == "zh":
        return fix(start, start, f"{name}，")
    if doc.lang == "en":
        return fix(end, end, f" {name}")
    return fix(end, end, f", {name}")


def _missing(ctx: Context, person: nm.Person | None) -> Finding:
    lang = ctx.draft.lang
    at = _first_content(ctx)
    if person is None:
        return ctx.finding(
            RULE,
            SEVERITY,
            0,
            0,
            "The reply does not open with a greeting.",
            suggestion="Open with a greeting.",
            fix=fix(at, at, _GENERIC_GREETING[lang]),
            code="greeting-name.missing",
        )
    name = _name_form(ctx, person)
    text = _GREETING_TEMPLATES[lang].format(name=name)
    return ctx.finding(
        RULE,
        SEVERITY,
        0,
        0,
        "The reply does not open by greeting the customer by name.",
        suggestion=f"Open with \u201c{text.strip()}\u201d.",
        fix=fix(at, at, text),
        code="greeting-name.missing-name",
        params={"greeting": text.strip()},
    )


def _first_content(ctx: Context) -> int:
    text = ctx.draft.raw
    i = 0
    while i < len(text) and text[i].isspace():
        i += 1
    return i if i < len(text) else 0
