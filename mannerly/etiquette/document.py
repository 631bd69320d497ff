"""One text prepared once for every rule: its views, words, sentences, paragraphs and phrase hits.

A draft keeps its sign-off (signature-name reads it) but loses quoted history; a customer message
loses both, since neither is the customer's new words. Inline quotations, code, URLs and e-mail
addresses stay in the text but phrase hits inside them do not count as the writer's own words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import Any, Generic, TypeVar, overload

from mannerly.etiquette import lexicon as lx
from mannerly.etiquette import text as tx
from mannerly.etiquette.config import TeamConfig
from mannerly.etiquette.language import resolve

_LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more, any script
_HAN = re.compile("[\u3400-\u9fff]")
_NO_CONFIG = TeamConfig()  # frozen: one default serves every document
_BY_SPAN = attrgetter("start", "end")  # a hit's (start, end), read in C: no call per hit
T = TypeVar("T")


class computed_once(Generic[T]):
    """functools.cached_property without its lock: on Python 3.11 every first read takes a lock
    shared by all instances, the costliest part of reading a short message's properties. A
    Document is built for one call; two threads reading one would at worst compute twice."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> computed_once[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object, owner: type | None = None) -> T | computed_once[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


class Document:
    def __init__(
        self, raw: str, lang: str | None, *, kind: str = "draft", config: TeamConfig | None = None
    ) -> None:
        self.raw = raw
        self.kind = kind
        self.config = config or _NO_CONFIG
        history = tx.history_start(raw)
        spans = tx.history_spans(raw, history)
        if kind == "message":
            spans += tx.signature_spans(raw, history)
        self.history = history
        self.own_text = tx.blank(raw, spans)  # the writer's new words
        self.lang = resolve(lang, self.own_text if self.own_text.strip() else raw)
        self.code = tx.code_spans(self.own_text)
        self.links = tx.link_spans(self.own_text)
        self.prose = tx.blank(self.own_text, self.code + self.links)
        self.quotes = tx.quote_spans(self.prose)

    # --- words and phrases ---

    @computed_once
    def stream(self) -> lx.Stream:
        return lx.Stream(self.lang, self.prose)

    @property
    def tokens(self) -> list[lx.Token]:
        return self.stream.tokens

    @computed_once
    def token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @computed_once
    def all_hits(self) -> lx.Hits:
        """Phrase hits anywhere in the writer's text, quotations included."""
        kind = "message" if self.kind == "message" else "draft"
        found = lx.lexicon(self.lang, kind).match(self.stream)
        extra = self.config.lexicon(self.lang)
        if extra is not None:
            found += extra.match(self.stream)
        if self.lang in ("uk", "ru"):
            found = [h for h in found if _grammar_ok(self, h)]
        ignored = self.config.ignored(self.lang)
        if ignored:
            found = [
                h
                for h in found
                if self.raw[h.start : h.end].lower() not in ignored
                and h.entry.text.lower() not in ignored
            ]
        return lx.Hits.of(found)

    @computed_once
    def hits(self) -> lx.Hits:
        """Phrase hits in the writer's own words (not inside a quotation)."""
        if not self.quotes:
            return self.all_hits
        out = lx.Hits()
        for name, found in self.all_hits.by_list.items():
            kept = [h for h in found if not self.in_quote(h.start, h.end)]
            if kept:
                out.by_list[name] = kept
        return out

    def in_quote(self, start: int, end: int) -> bool:
        i = bisect_right(self.quote_starts, start) - 1
        return i >= 0 and end <= self.quotes[i][1]

    @computed_once
    def quote_starts(self) -> list[int]:
        return [s for s, _ in self.quotes]

    @computed_once
    def capital_sentences(self) -> list[tuple[int, int]]:
        """Sentences of three or more words written entirely in capitals, outside quotations
        (acronyms alone aside): shouting, for the lint's rude rule and the triage's anger."""
        found = []
        han = not tx.one_byte(self.prose)
        for start, end in self.sentences:
            sentence = self.prose[start:end]
            if han and _HAN.search(sentence):
                continue
            first = _LETTERS.search(sentence)
            if first is None or not first.group().isupper():
                continue  # a first word in lower case: not all of them are capitals
            words = _LETTERS.findall(sentence)
            if len(words) < 3:
                continue
            shouted = all(w.isupper() for w in words) and sum(len(w) >= 3 for w in words) >= 3
            if shouted and not self.in_quote(start, end):
                found.append((start, end))
        return found

    # --- structure ---

    @computed_once
    def sentences(self) -> list[tuple[int, int]]:
        return tx.sentence_spans(self.prose)

    @computed_once
    def sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_at(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    @computed_once
    def paragraphs(self) -> list[tuple[int, int]]:
        return tx.paragraph_spans(self.own_text)

    def tokens_between(self, start: int, end: int) -> list[lx.Token]:
        i = bisect_left(self.token_starts, start)
        j = bisect_left(self.token_starts, end)
        return self.tokens[i:j]

    def hits_between(self, name: str, start: int, end: int) -> list[lx.Hit]:
        """Own-word hits of a list lying within [start, end), in text order. Rules ask this per
        sentence and list (over a hundred times a draft), so the cached index is read inline."""
        found, starts = self._hit_index.get(name) or self._sorted_hits(name)
        if not found:
            return []
        i = bisect_left(starts, start)
        j = bisect_left(starts, end, i)
        if i == j:
            return []  # most sentences hold no hit of a given list: no comprehension to run
        return [h for h in found[i:j] if h.end <= end]

    def _sorted_hits(self, name: str) -> tuple[list[lx.Hit], list[int]]:
        ordered = sorted(self.hits.get(name), key=_BY_SPAN)
        found = (ordered, [h.start for h in ordered])
        self._hit_index[name] = found
        return found

    @computed_once
    def _hit_index(self) -> dict[str, tuple[list[lx.Hit], list[int]]]:
        return {}

    def marked_tokens(self, name: str) -> frozenset[int]:
        """Indices of the tokens any hit of a list covers (quotations included)."""
        cache = self.__dict__.setdefault("_marks", {})
        found = cache.get(name)
        if found is None:
            found = frozenset(i for h in self.all_hits.get(name) for i in range(h.first, h.last))
            cache[name] = found
        return found  # type: ignore[no-any-return]

    @computed_once
    def words(self) -> list[lx.Token]:
        return [t for t in self.tokens if t.kind != "num"]

    @computed_once
    def _running(self) -> tuple[list[int], list[int]]:
        """Running totals of words and of reading size, so counts over a span cost O(log n)."""
        tokens = self.tokens
        kinds = [t.kind for t in tokens]
        words = list(accumulate([kind == "word" for kind in kinds], initial=0))
        if "han" in kinds:
            sizes = list(
                accumulate([(t.end - t.start) if t.kind == "han" else 1 for t in tokens], initial=0)
            )
        else:
            sizes = list(range(len(tokens) + 1))  # one per token
        return words, sizes

    def _token_range(self, start: int, end: int | None) -> tuple[int, int]:
        end = len(self.raw) if end is None else end
        return bisect_left(self.token_starts, start), bisect_left(self.token_starts, end)

    def word_count(self, start: int = 0, end: int | None = None) -> int:
        """Words between two offsets; a Chinese text counts characters instead (see size())."""
        i, j = self._token_range(start, end)
        words = self._running[0]
        return words[j] - words[i]

    def size(self, start: int = 0, end: int | None = None) -> int:
        """Length as readers feel it: words, or Han characters plus other words for Chinese."""
        i, j = self._token_range(start, end)
        sizes = self._running[1]
        return sizes[j] - sizes[i]

    @computed_once
    def empty(self) -> bool:
        return not self.own_text.strip()


@lru_cache(maxsize=1024)
def _grammar_wanted(tags: frozenset[str]) -> frozenset[str]:
    return frozenset(t[2:] for t in tags if t.startswith("g:"))


def _grammar_ok(doc: Document, hit: lx.Hit) -> bool:
    """Entries tagged ``g:impr``, ``g:past``, ``g:1per``… need a word of the hit with that form
    ("підкажіть" is a request, "підказав" is not; both have the lemma підказати)."""
    wanted = _grammar_wanted(hit.entry.tags)
    if not wanted:
        return True
    from mannerly.etiquette import morph

    for tok in doc.tokens[hit.first : hit.last]:
        if tok.kind != "word":
            continue
        for _, grammemes in morph.parses(doc.lang, tok.text):
            if wanted <= grammemes:
                return True
    return False
