"""Phrase lists in plain text files, compiled into one Aho-Corasick automaton per language.

A list is a file ``data/<lang>/<list>.txt`` (plus ``data/common/<list>.txt`` for entries that hold in
every language, such as internal tool names). One phrase per line::

    # a comment
    unfortunately
    {we|I} {can't|cannot} {help|assist}      alternatives; {a|} makes a word optional
    you should have ; unless-next=received|got|seen ; weight=2
    within <n> {hours|days}                  <n> stands for any number

Matching is on normalised words, so the lists stay short: English on lower-case words, Ukrainian
and Russian on lemmas (one entry matches every inflected form), Chinese on characters folded to
simplified script, with one- and two-character entries required to fall on jieba word
boundaries (so 保证 does not match inside 保证金). ``unless-next`` and ``unless-prev`` cancel a
match when one of the given words (or word sequences) comes within ``window`` words after or
before it (default 3): "you should have received" is an expectation, not blame.
"""

from __future__ import annotations

import itertools
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mannerly.etiquette import morph
from mannerly.etiquette.text import APOSTROPHES, HAN, HAN_RE, TOKEN_TEXT_RE, one_byte

DATA = Path(__file__).parent / "data"
LANGS = ("en", "zh", "uk", "ru")
BREAK = "|"  # stands between two words that punctuation separates
_GAP_BREAK = re.compile(r"[^\s\-'’ʼ`*_]")
_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")
_SENTENCE_GAP = re.compile(r"[.!?;。！？；\n]")
_MAX_EXPANSIONS = 20_000
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One phrase of one list, as a rule sees it when it matches."""

    list: str
    text: str
    weight: float = 1.0
    unless_next: tuple[str, ...] = ()
    unless_prev: tuple[str, ...] = ()
    window: int = 3
    tags: frozenset[str] = frozenset()
    gap: int = 3  # words allowed between the parts of a "part ... part" phrase
    replace: str | None = None  # a shorter wording a fix may put in its place
    owner: Entry | None = None  # for one part of a "... " phrase: the whole phrase
    part: int = 0
    parts: int = 1


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    kind: str  # "word", "num" or "han"


@dataclass(slots=True)
class Hit:
    entry: Entry
    first: int  # index of the first token
    last: int  # index after the last token
    start: int  # character offsets into the text
    end: int


@lru_cache(maxsize=131_072)
def norm_word(lang: str, text: str, kind: str) -> str:
    if kind == "num":
        if text == "100%":
            return text
        return "<n>%" if text.endswith("%") else "<n>"
    if kind == "han":
        return morph.simplified(text)
    if lang in morph.CYRILLIC_LANGS:
        return morph.lemma(lang, text)
    return text.lower().translate(APOSTROPHES)


_MAX_CACHED_WORDS = 200_000
_word_infos: dict[str, dict[str, tuple[str, str]]] = {}


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _infos(lang: str) -> dict[str, tuple[str, str]]:
    found = _word_infos.get(lang)
    if found is None:
        found = _word_infos.setdefault(lang, {})
    return found


def _word_info(lang: str, word: str) -> tuple[str, str]:
    """(normal form, kind) of a token's text, kept per language: replies reuse a small
    vocabulary, so after the first drafts a token costs one dict lookup."""
    first = word[0]
    kind = "num" if first.isdecimal() else "han" if _is_han(first) else "word"
    found = (norm_word(lang, word, kind), kind)
    cache = _infos(lang)
    if len(cache) >= _MAX_CACHED_WORDS:
        cache.clear()
    cache[word] = found
    return found


def tokenize(lang: str, text: str) -> list[Token]:
    """Words, numbers and (for Chinese) jieba words, with their normal forms."""
    tokens: list[Token] = []
    append = tokens.append
    info = _infos(lang)
    find = text.find
    zh = lang == "zh"
    pos = 0
    # findall() and find() are far cheaper than a match object per token. find() returns the
    # token's own offset: an earlier copy of its text after pos would have been matched first.
    for word in TOKEN_TEXT_RE.findall(text):
        start = find(word, pos)
        pos = start + len(word)
        norm, kind = info.get(word) or _word_info(lang, word)
        if zh and kind == "han":
            _add_segments(tokens, start, word)
            continue
        append(Token(start, pos, word, norm, kind))
    return tokens


def _add_segments(tokens: list[Token], start: int, word: str) -> None:
    """A run of Han characters as jieba words (Chinese text only)."""
    simple = morph.simplified(word)
    pos = 0
    for size in morph.segment(simple):
        piece = simple[pos : pos + size]
        tokens.append(Token(start + pos, start + pos + size, word[pos : pos + size], piece, "han"))
        pos += size


class Stream:
    """The words of a text as one string of normal forms, for the automaton to scan."""

    __slots__ = ("lang", "starts", "stream", "text", "tokens")

    def __init__(self, lang: str, text: str) -> None:
        self.lang = lang
        self.text = text
        if lang == "zh":
            self.tokens = tokenize(lang, text)
            self.stream = morph.simplified(text).translate(ASCII_LOWER)
            self.starts = [t.start for t in self.tokens]
        else:
            self._scan(lang, text)

    def _scan(self, lang: str, text: str) -> None:
        """Tokenise and lay out the stream in one pass (tokenize() and the layout, fused: this
        runs for every draft and message). split() hands over each gap with its token, so
        offsets come from lengths: no find() per token, and a gap is searched only when it is
        more than one space."""
        tokens: list[Token] = []
        append = tokens.append
        parts: list[str] = []
        add_part = parts.append
        starts: list[int] = []
        add_start = starts.append
        info = _infos(lang)
        search = _GAP_BREAK.search
        pieces = _token_split(text)
        pos = 1
        end = len(pieces[0])
        for index in range(1, len(pieces), 2):
            word = pieces[index]
            if index > 1:
                gap = pieces[index - 1]
                if gap != " " and gap and search(gap):
                    add_part(BREAK)
                    pos += 2
                end += len(gap)
            start = end
            end = start + len(word)
            norm, kind = info.get(word) or _word_info(lang, word)
            add_start(pos)
            add_part(norm)
            pos += len(norm) + 1
            append(Token(start, end, word, norm, kind))
        self.tokens = tokens
        self.stream = " " + " ".join(parts) + " " if parts else " "
        self.starts = starts


# The token pattern as one group: split() then alternates gap, token, gap, …, gap.
_TOKEN_SPLIT = re.compile(f"({TOKEN_TEXT_RE.pattern})", TOKEN_TEXT_RE.flags)
# The same for text of European scripts and punctuation only (nothing from U+0530 to U+1FFF or
# beyond U+2BFF, so no Han token): the letter and digit classes listed as the characters of that
# range, which sre tests with one bitmap lookup instead of Unicode category calls, and a first
# character from one class, which lets the search skip the gaps (about 30% fewer instructions).
_OTHER_SCRIPT = re.compile("[^\\x00-\u052f\u2000-\u2bff]")


def _listed(pattern: str) -> str:
    """The characters of the European range that a character class matches, as a class."""
    chars = "".join(map(chr, itertools.chain(range(0x530), range(0x2000, 0x2C00))))
    codes = [ord(c) for c in re.findall(pattern, chars)]
    ranges = []
    for _, run in itertools.groupby(enumerate(codes), lambda pair: pair[1] - pair[0]):
        found = [code for _, code in run]
        first, last = re.escape(chr(found[0])), re.escape(chr(found[-1]))
        ranges.append(first if first == last else f"{first}-{last}")
    return "".join(ranges)


_LETTER, _DIGIT = _listed(rf"[^\W\d_{HAN}]"), _listed(r"\d")
# The runs are possessive (*+, ++): what follows a run never starts with its class, so giving
# characters back could not make a match, and sre skips saving the positions to backtrack to.
_EUROPEAN_SPLIT = re.compile(
    rf"([{_DIGIT}{_LETTER}](?:(?<=[{_DIGIT}])[{_DIGIT}]*+(?:[.,:][{_DIGIT}]++)*+%?"
    rf"|(?<=[{_LETTER}])[{_LETTER}]*+(?:['’ʼ`][{_LETTER}]++)*+))"
)


def _token_split(text: str) -> list[str]:
    """_TOKEN_SPLIT.split(text), by the faster pattern where it gives the same."""
    if one_byte(text) or not _OTHER_SCRIPT.search(text):
        return _european_split(text)
    return _TOKEN_SPLIT.split(text)


def _european_split(text: str) -> list[str]:
    """_EUROPEAN_SPLIT.split(text), word by word. No token holds a space and the pattern looks
    at nothing outside its match, so the text's space-separated chunks split alone give the
    same pieces; a chunk of letters only (most of them) is a token as it stands, which spares
    the regex engine's work for each one (about a third of the instructions of a reply's
    tokenising)."""
    pieces: list[str] = []
    add = pieces.append
    gap = None  # the text since the last token; None before the first chunk
    for chunk in text.split(" "):
        gap = "" if gap is None else gap + " "
        if chunk.isalpha():
            add(gap)
            add(chunk)
            gap = ""
            continue
        parts = _EUROPEAN_SPLIT.split(chunk)
        if len(parts) == 1:
            gap += chunk
            continue
        add(gap + parts[0])
        pieces.extend(parts[1:-1])
        gap = parts[-1]
    add(gap or "")
    return pieces


class Lexicon:
    """All phrase lists of one language, compiled once."""

    def __init__(self, lang: str, entries: Iterable[tuple[str, int, Entry]]) -> None:
        import ahocorasick

        self.lang = lang
        self.lists: dict[str, list[Entry]] = {}
        keyed: dict[str, tuple[int, list[Entry]]] = {}
        for key, size, entry in entries:
            found = keyed.setdefault(key, (size, []))[1]
            if entry not in found:
                found.append(entry)
            listed = self.lists.setdefault(entry.list, [])
            if not listed or listed[-1] is not entry:
                listed.append(entry)
        self.automaton: Any = ahocorasick.Automaton()
        for key, (size, found) in keyed.items():
            # plain: no entry needs a second look (no "..." part, no unless-next/-prev)
            plain = not any(e.owner or e.unless_next or e.unless_prev for e in found)
            self.automaton.add_word(key, (len(key), size, tuple(found), key.isascii(), plain))
        self.empty = not keyed
        if not self.empty:
            self.automaton.make_automaton()

    def match(self, stream: Stream) -> list[Hit]:
        if self.empty:
            return []
        if self.lang == "zh":
            return self._match_han(stream)
        hits: list[Hit] = []
        add = hits.append
        pieces: dict[Entry, list[Hit]] = {}
        tokens = stream.tokens
        count = len(tokens)
        starts = stream.starts
        for end_index, (length, size, entries, _, plain) in self.automaton.iter(stream.stream):
            # a key starts with the space before its first word
            first = bisect_left(starts, end_index - length + 2)
            last = first + size
            if last > count or first >= count:
                continue
            char_start, char_end = tokens[first].start, tokens[last - 1].end
            if plain:
                for entry in entries:
                    add(Hit(entry, first, last, char_start, char_end))
                continue
            self._add(stream, entries, first, last, char_start, char_end, hits, pieces)
        for owner, found in pieces.items():
            hits.extend(_chains(stream, owner, found))
        return hits

    def _match_han(self, stream: Stream) -> list[Hit]:
        hits: list[Hit] = []
        pieces: dict[Entry, list[Hit]] = {}
        tokens = stream.tokens
        for end_index, (length, _, entries, ascii_key, _) in self.automaton.iter(stream.stream):
            s = end_index - length + 1
            e = end_index + 1
            first = max(bisect_right(stream.starts, s) - 1, 0)
            last = bisect_left(stream.starts, e)
            bounded = (length <= 2 or ascii_key) and not all("loose" in x.tags for x in entries)
            if bounded and not _on_word_bounds(tokens, first, last, s, e):
                continue
            self._add(stream, entries, first, last, s, e, hits, pieces)
        for owner, found in pieces.items():
            hits.extend(_chains(stream, owner, found))
        return hits

    @staticmethod
    def _add(
        stream: Stream,
        entries: tuple[Entry, ...],
        first: int,
        last: int,
        char_start: int,
        char_end: int,
        hits: list[Hit],
        pieces: dict[Entry, list[Hit]],
    ) -> None:
        for entry in entries:
            if entry.owner is not None:
                pieces.setdefault(entry.owner, []).append(
                    Hit(entry, first, last, char_start, char_end)
                )
                continue
            if (entry.unless_next or entry.unless_prev) and _cancelled(
                stream, entry, first, last, char_start, char_end
            ):
                continue
            hits.append(Hit(entry, first, last, char_start, char_end))


def _chains(stream: Stream, owner: Entry, found: list[Hit]) -> list[Hit]:
    """Whole-phrase hits of a "part ... part" phrase: parts in order, each within ``gap`` words
    of the one before, in the same sentence."""
    by_part: list[list[Hit]] = [[] for _ in range(owner.parts)]
    for hit in found:
        by_part[hit.entry.part].append(hit)
    if not all(by_part):
        return []  # a part found nowhere: no chain (the usual case, "that's ... frustrating")
    for part in by_part:
        part.sort(key=lambda h: h.first)
    firsts = [[h.first for h in part] for part in by_part]
    out: list[Hit] = []
    for first_hit in by_part[0]:
        chain = [first_hit]
        for index in range(1, owner.parts):
            prev = chain[-1]
            later, keys = by_part[index], firsts[index]
            nxt = None
            i = bisect_left(keys, prev.last)
            while i < len(later) and later[i].first <= prev.last + owner.gap:
                if not _SENTENCE_GAP.search(stream.text, prev.end, later[i].start):
                    nxt = later[i]
                    break
                i += 1
            if nxt is None:
                break
            chain.append(nxt)
        if len(chain) < owner.parts:
            continue
        first, last = chain[0].first, chain[-1].last
        start, end = chain[0].start, chain[-1].end
        if (owner.unless_next or owner.unless_prev) and _cancelled(
            stream, owner, first, last, start, end
        ):
            continue
        if out and out[-1].end > start:
            continue
        out.append(Hit(owner, first, last, start, end))
    return out


def _on_word_bounds(tokens: list[Token], first: int, last: int, s: int, e: int) -> bool:
    if first >= len(tokens) or last == 0:
        return False
    return tokens[first].start == s and tokens[last - 1].end == e


def _cancelled(stream: Stream, entry: Entry, first: int, last: int, s: int, e: int) -> bool:
    if stream.lang == "zh":
        after = stream.stream[e : e + 6 * entry.window]
        before = stream.stream[max(0, s - 6 * entry.window) : s]
        if any(
            after.startswith(w) or (len(w) > 1 and w in after[: len(w) + 2])
            for w in entry.unless_next
        ):
            return True
        return any(before.endswith(w) or (len(w) > 1 and w in before) for w in entry.unless_prev)
    tokens = stream.tokens
    if entry.unless_next:
        window = " " + " ".join(t.norm for t in tokens[last : last + entry.window]) + " "
        if any(" " + w + " " in window for w in entry.unless_next):
            return True
    if entry.unless_prev:
        window = " " + " ".join(t.norm for t in tokens[max(0, first - entry.window) : first]) + " "
        if any(" " + w + " " in window for w in entry.unless_prev):
            return True
    return False


# --- reading the files ----------------------------------------------------------------------


def expand(phrase: str) -> list[str]:
    """All spellings of a phrase with {a|b|} alternatives, whitespace collapsed."""
    pieces = _ALTERNATIVES.split(phrase)
    options = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(pieces)]
    out = []
    for combo in itertools.islice(itertools.product(*options), _MAX_EXPANSIONS):
        text = " ".join("".join(combo).split())
        if text:
            out.append(text)
    return out


_MAX_READINGS = 8


def _readings(lang: str, tok: Token) -> list[str]:
    """Every lemma a phrase word may have: "дати" is "give" (дати) or "dates" (дата), and
    the text's word is matched on its first reading, so the phrase keeps them all."""
    if lang not in morph.CYRILLIC_LANGS or tok.kind != "word":
        return [tok.norm]
    found = [tok.norm]
    written = tok.text.lower().translate(APOSTROPHES).replace("ё", "е")
    for lemma, _ in morph.parses(lang, tok.text):
        if lemma == written and lemma not in found:  # the list's author wrote this lemma
            found.append(lemma)
    return found[:3]


def _piece(lang: str, text: str) -> list[tuple[bool, tuple[str, ...], bool]]:
    """One literal piece of a phrase, as (punctuation before, normal forms, punctuation after)
    for each combination of its words' readings."""
    text = text.replace("<n>", "0")
    tokens = tokenize(lang, text)
    if not tokens:
        gap = bool(_GAP_BREAK.search(text))
        return [(gap, (), gap)]
    slots: list[list[str]] = []
    prev_end = -1
    for tok in tokens:
        if prev_end >= 0 and _GAP_BREAK.search(text, prev_end, tok.start):
            slots.append([BREAK])
        slots.append(_readings(lang, tok))
        prev_end = tok.end
    lead = bool(_GAP_BREAK.search(text, 0, tokens[0].start))
    trail = bool(_GAP_BREAK.search(text, tokens[-1].end))
    combos = itertools.islice(itertools.product(*slots), _MAX_READINGS)
    return [(lead, tuple(words), trail) for words in combos]


def phrase_keys(lang: str, phrase: str) -> list[tuple[str, int, str]]:
    """(automaton key, size, spelling) for every spelling of a phrase line.

    Alternatives are compiled piece by piece (each piece tokenised once), so a line with
    thousands of spellings costs little more than its distinct words. Alternatives must be
    whole words: "{can't|cannot}", not "can{'t|not}".
    """
    if lang == "zh":
        out = []
        for text in expand(phrase):
            key = morph.simplified(text).translate(ASCII_LOWER)
            if not key.isascii():
                key = key.replace(" ", "")
            out.append((key, len(key), text))
        return out
    parts = _ALTERNATIVES.split(phrase)
    options = [
        _piece(lang, p) if i % 2 == 0 else [x for a in p.split("|") for x in _piece(lang, a)]
        for i, p in enumerate(parts)
    ]
    out = []
    seen: set[str] = set()
    for combo in itertools.islice(itertools.product(*options), _MAX_EXPANSIONS):
        norms: list[str] = []
        pending_break = False
        for lead, words, trail in combo:
            if not words:
                pending_break = pending_break or lead
                continue
            if norms and (pending_break or lead):
                norms.append(BREAK)
            norms.extend(words)
            pending_break = trail
        size = len(norms) - norms.count(BREAK)
        key = " " + " ".join(norms) + " "
        if size and key not in seen:
            seen.add(key)
            out.append((key, size, ""))
    return out


def phrase_key(lang: str, phrase: str) -> tuple[str, int]:
    """The automaton key of a single spelling and its size (words, or characters for Chinese)."""
    key, size, _ = phrase_keys(lang, phrase)[0]
    return key, size


def normalise_words(lang: str, words: Iterable[str]) -> tuple[str, ...]:
    out = []
    for w in words:
        if lang == "zh":
            out.append(morph.simplified(w).translate(ASCII_LOWER))
        else:
            out.append(" ".join(t.norm for t in tokenize(lang, w.replace("<n>", "0"))))
    return tuple(x for x in out if x)


def parse_line(lang: str, list_name: str, line: str) -> list[tuple[str, int, Entry]]:
    """The automaton entries a data-file line stands for (none for comments and blanks)."""
    line = re.split(r"\s#\s", line, maxsplit=1)[0].strip()
    if not line or line.startswith("#"):
        return []
    phrase, *attrs = (part.strip() for part in line.split(" ; "))
    options: dict[str, Any] = {}
    for attr in attrs:
        name, _, value = attr.partition("=")
        name, value = name.strip(), value.strip()
        if name == "weight":
            options["weight"] = float(value)
        elif name == "window":
            options["window"] = int(value)
        elif name in ("unless-next", "unless-prev"):
            words = [w for v in value.split("|") for w in expand(v)]
            options[name.replace("-", "_")] = normalise_words(lang, words)
        elif name == "tags":
            options["tags"] = frozenset(value.split("|"))
        elif name == "gap":
            options["gap"] = int(value)
        elif name == "replace":
            options["replace"] = value
    segments = [seg.strip() for seg in phrase.split("...")] if "..." in phrase else [phrase]
    entry = Entry(list_name, " ".join(phrase.split()), parts=len(segments), **options)
    out = []
    for index, segment in enumerate(segments):
        target = entry
        if len(segments) > 1:
            target = Entry(
                list_name,
                segment,
                owner=entry,
                part=index,
                parts=len(segments),
                tags=options.get("tags", frozenset()),
            )
        for key, size, _ in phrase_keys(lang, segment):
            if size == 0 or not key.strip(" " + BREAK):
                continue
            out.append((key, size, target))
    return out


def read_list(lang: str, list_name: str, lines: Iterable[str]) -> list[tuple[str, int, Entry]]:
    out: list[tuple[str, int, Entry]] = []
    for line in lines:
        out.extend(parse_line(lang, list_name, line))
    return out


def list_files(lang: str) -> list[Path]:
    """Phrase-list files of a language (word sets and the script table are read elsewhere)."""
    files = sorted((DATA / lang).glob("*.txt")) + sorted((DATA / "common").glob("*.txt"))
    return [f for f in files if f.stem != "t2s" and not f.stem.startswith("words.")]


def _data_lines(lang: str, name: str) -> list[str]:
    out = []
    for folder in (lang, "common"):
        path = DATA / folder / f"{name}.txt"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    out.append(line)
    return out


_word_sets: dict[tuple[str, str], frozenset[str]] = {}
_synonyms: dict[str, dict[str, str]] = {}


def word_set(lang: str, name: str) -> frozenset[str]:
    """A set of normalised words from data/<lang>/words.<name>.txt (one or more per line)."""
    key = (lang, name)
    found = _word_sets.get(key)
    if found is None:
        words: set[str] = set()
        for line in _data_lines(lang, "words." + name):
            if lang == "zh":
                words.update(morph.simplified(w) for w in line.split())
            else:
                words.update(t.norm for t in tokenize(lang, line))
        found = frozenset(words)
        _word_sets[key] = found
    return found


def surface_words(lang: str, name: str) -> frozenset[str]:
    """Lower-case words of data/<lang>/words.<name>.txt exactly as written (no lemmas)."""
    key = (lang, "surface:" + name)
    found = _word_sets.get(key)
    if found is None:
        found = frozenset(
            w.lower() for line in _data_lines(lang, "words." + name) for w in line.split()
        )
        _word_sets[key] = found
    return found


def synonyms(lang: str) -> dict[str, str]:
    """Normalised word -> the first word of its synonym group (words.synonyms.txt)."""
    found = _synonyms.get(lang)
    if found is None:
        found = {}
        for line in _data_lines(lang, "words.synonyms"):
            words = line.split() if lang == "zh" else [t.norm for t in tokenize(lang, line)]
            if lang == "zh":
                words = [morph.simplified(w) for w in words]
            for w in words:
                found.setdefault(w, words[0])
        _synonyms[lang] = found
    return found


_lock = threading.Lock()
_lexicons: dict[str, Lexicon] = {}


MESSAGE_LISTS = ("question.", "triage.", "flag.", "time")  # what triage reads
DRAFT_SKIPS = ("triage.", "flag.")  # lint never reads a draft's anger or flags


def wanted(kind: str, list_name: str) -> bool:
    if kind == "message":
        return list_name.startswith(MESSAGE_LISTS)
    return not list_name.startswith(DRAFT_SKIPS)


def lexicon(lang: str, kind: str = "draft") -> Lexicon:
    """The compiled lists a draft (or a customer message) needs, built on first use and kept
    for the process. Two smaller automatons scan faster than one with every list."""
    key = f"{lang}:{kind}"
    found = _lexicons.get(key)
    if found is None:
        with _lock:
            found = _lexicons.get(key)
            if found is None:
                entries: list[tuple[str, int, Entry]] = []
                for path in list_files(lang):
                    if wanted(kind, path.stem):
                        lines = path.read_text(encoding="utf-8").splitlines()
                        entries.extend(read_list(lang, path.stem, lines))
                found = Lexicon(lang, entries)
                _lexicons[key] = found
    return found


@dataclass(slots=True)
class Hits:
    """The hits of one text, grouped by list."""

    by_list: dict[str, list[Hit]] = field(default_factory=dict)

    @classmethod
    def of(cls, hits: Iterable[Hit]) -> Hits:
        out = cls()
        by_list = out.by_list
        for hit in hits:
            found = by_list.get(hit.entry.list)
            if found is None:
                by_list[hit.entry.list] = [hit]  # no empty list made per hit, as setdefault would
            else:
                found.append(hit)
        return out

    def get(self, name: str) -> list[Hit]:
        return self.by_list.get(name, [])

    def any(self, name: str) -> bool:
        return bool(self.by_list.get(name))


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text))
