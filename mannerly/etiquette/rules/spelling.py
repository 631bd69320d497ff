"""spelling: misspelled words, by Debian's hunspell dictionaries (en_US, uk_UA, ru_RU).

Skipped: names (the customer's, the agent's, and any capitalised word inside a sentence), URLs,
e-mail addresses, code, quoted customer words, words with digits, acronyms and CamelCase, words
in another script than the reply's, and the team's dictionary. British spellings pass. Chinese is
not checked (wrong-character typos are out of scope). A missing dictionary is reported as a
finding, never passed silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from mannerly.etiquette import lexicon as lx
from mannerly.etiquette import spellcheck
from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document
from mannerly.etiquette.rules import Context, Finding, fix, phrase, quoted
from mannerly.etiquette.structure import layout

RULE = "spelling"
SEVERITY = "warning"
CHECKLIST = "proofread"
MAX_FINDINGS = 25

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
_LATIN = re.compile(r"^[A-Za-z'’-]+$")
_CYRILLIC = re.compile(r"^[\u0400-\u04ff'’ʼ-]+$")
_ALLOWED = frozenset(
    [
        "ok",
        "okay",
        "email",
        "emails",
        "e-mail",
        "online",
        "offline",
        "login",
        "logout",
        "signup",
        "app",
        "apps",
        "website",
        "wifi",
        "smartphone",
        "ios",
        "android",
        "iphone",
        "ipad",
        "macos",
        "windows",
        "linux",
        "google",
        "gmail",
        "outlook",
        "paypal",
        "whatsapp",
        "viber",
        "telegram",
        "facebook",
        "instagram",
        "youtube",
        "zoom",
        "skype",
        "ebay",
        "amazon",
        "visa",
        "mastercard",
        "faq",
        "pdf",
        "csv",
        "url",
        "urls",
        "sms",
        "otp",
        "pin",
        "vat",
        "uk",
        "usa",
        "eu",
        "covid",
        "etc",
    ]
)


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    if doc.lang == "zh":
        return []
    try:
        spellcheck.check_available(doc.lang)
    except spellcheck.MissingDictionary as exc:
        return [
            ctx.finding(
                RULE,
                SEVERITY,
                0,
                0,
                f"Spelling was not checked: {exc}.",
                suggestion="Ask your administrator to install the dictionary.",
                code="spelling.no-dictionary",
                params={"reason": str(exc)},
            )
        ]
    names = _name_words(ctx)
    allowed = lx.surface_words(doc.lang, "spelling")
    sentence_starts = set(doc.sentence_starts)
    lay = layout(doc)
    skip_from = lay.signoff if lay.signoff is not None else len(doc.prose)
    out: list[Finding] = []
    is_known = spellcheck.is_known
    lang = doc.lang
    # Not the sign-off (names, titles, company names): it starts a line, so no word straddles it.
    for start, end, word in _doubtful_words(doc, skip_from):
        if len(word) < 3 or is_known(lang, word):
            continue  # most words: one cached dictionary lookup
        if word.lower() in allowed:
            continue  # common words the dictionaries lack
        mixed = _mixed_script(doc.lang, word)
        if mixed is not None:
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    start,
                    end,
                    f"{quoted(word)} mixes Latin and Cyrillic letters that look alike.",
                    suggestion=f"Did you mean {quoted(mixed)}?",
                    fix=fix(start, end, mixed),
                    code="spelling.mixed-script",
                    params={"word": word, "better": phrase(mixed)},
                )
            )
            continue
        if _skip(ctx, word, start, end, names, sentence_starts):
            continue
        better = spellcheck.suggestion(doc.lang, word)
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                start,
                end,
                f"{quoted(word)} looks misspelled.",
                suggestion=f"Did you mean {quoted(better)}?" if better else "Check the spelling.",
                fix=fix(start, end, better) if better else None,
                code="spelling.misspelled" if better else "spelling.unknown",
                params={"word": word, "better": phrase(better)} if better else {"word": word},
            )
        )
        if len(out) >= MAX_FINDINGS:
            break
    return out


def _doubtful_words(doc: Document, skip_from: int) -> list[tuple[int, int, str]]:
    """The words before ``skip_from`` the dictionary may not know, with their offsets, in text
    order: the words of _WORD, less those made only of known tokens.

    Without backticks and Han characters in the prose, a _WORD word is a word token or a chain of
    word tokens joined by single hyphens, and a hyphenated word whose parts are all known is
    known (spellcheck checks the parts). So one dictionary lookup per distinct token settles most
    drafts, without a second tokenisation of the prose."""
    prose = doc.prose
    tokens = doc.tokens
    count = bisect_left(doc.token_starts, skip_from)
    han = not tx.one_byte(prose) and tx.HAN_RE.search(prose)
    if "`" in prose or han or (count and tokens[count - 1].end > skip_from):
        return _all_words(prose, skip_from)
    texts = {t.text for t in tokens[:count] if t.kind == "word"}
    doubtful = spellcheck.unknown_words(doc.lang, texts)
    if not doubtful:
        return []
    out: list[tuple[int, int, str]] = []
    last = -1  # the token that ended the last word given
    # only word tokens have a text in ``doubtful``
    for index in [i for i, t in enumerate(tokens[:count]) if t.text in doubtful]:
        if index <= last:
            continue
        first = index
        while first > 0 and _hyphen_between(prose, tokens[first - 1], tokens[first]):
            first -= 1
        last = index
        while last + 1 < count and _hyphen_between(prose, tokens[last], tokens[last + 1]):
            last += 1
        start, end = tokens[first].start, tokens[last].end
        out.append((start, end, prose[start:end]))
    return out


def _hyphen_between(prose: str, left: lx.Token, right: lx.Token) -> bool:
    return (
        right.start == left.end + 1
        and prose[left.end] == "-"
        and left.kind == "word"
        and right.kind == "word"
    )


def _all_words(prose: str, skip_from: int) -> list[tuple[int, int, str]]:
    """Every _WORD word before ``skip_from`` with its offsets. find() gives each word's offset:
    no letter lies between two words, so no earlier copy."""
    out = []
    find = prose.find
    end = 0
    for word in _WORD.findall(prose, 0, skip_from):
        start = find(word, end)
        end = start + len(word)
        out.append((start, end, word))
    return out


_LOOKALIKE = str.maketrans("aceiopxyABCEHIKMOPTXy", "асеіорхуАВСЕНІКМОРТХу")


def _mixed_script(lang: str, word: str) -> str | None:
    """ "пiдтримки" with a Latin i: the Cyrillic spelling, when the word mixes the two scripts."""
    if lang not in ("uk", "ru"):
        return None
    latin = [c for c in word if "a" <= c.lower() <= "z"]
    cyrillic = [c for c in word if "\u0400" <= c <= "\u04ff"]
    if not latin or not cyrillic or len(latin) > len(cyrillic):
        return None
    fixed = word.translate(_LOOKALIKE)
    if lang == "ru":
        fixed = fixed.replace("і", "и").replace("І", "И")
    return fixed if not any("a" <= c.lower() <= "z" for c in fixed) else None


def _name_words(ctx: Context) -> set[str]:
    words: set[str] = set()
    for name in (ctx.customer, ctx.agent):
        if name:
            words.update(w.lower() for w in _WORD.findall(name))
    return words


def _skip(
    ctx: Context,
    word: str,
    start: int,
    end: int,
    names: set[str],
    sentence_starts: set[int],
) -> bool:
    doc = ctx.draft
    if len(word) < 3 or word.lower() in names or word.lower() in _ALLOWED:
        return True
    if ctx.config.accepts_word(word):
        return True
    text = doc.prose
    if (start > 0 and text[start - 1] in "@#/\\.:_=$%&") or text[end : end + 1] in (
        "@",
        "/",
        "_",
        "=",
    ):
        return True  # handles, hashtags, paths, file names, identifiers
    if end < len(text) and text[end] == "." and end + 1 < len(text) and text[end + 1].isalnum():
        return True  # example.com, file.txt
    letters = [c for c in word if c.isalpha()]
    if sum(c.isupper() for c in letters) > 1:
        return True  # acronyms, CamelCase product names
    script = _LATIN if doc.lang == "en" else _CYRILLIC
    if not script.match(word):
        return True  # another script: an English product name in a Russian reply
    if word[0].isupper() and start not in sentence_starts and not _at_line_start(text, start):
        return True  # a capitalised word mid-sentence: a name, a product, a place
    return doc.in_quote(start, end)


def _at_line_start(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n"
