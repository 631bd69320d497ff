"""questions-answered: every question of the customer's message gets an answer in the reply.

Each question is paired with the stretch of the reply (two sentences) that shares most of its
topic words: lemmas in Ukrainian and Russian, words with synonyms folded ("refund" = "money
back"), and jieba words plus character pairs in Chinese; numbers count as topic words. A question
is answered when that stretch covers its topic and gives the kind of answer it wants: a time or
date for "when", an amount for "how much", steps or a link for "how", a reason for "why".
A bare nudge ("Any news?", "Ну что там?") is answered by any substantive reply. Questions
numbered in the message are answered item by item by a numbered reply, and a sentence that only
acknowledges a question ("Regarding the transfer, that's a great question.") answers nothing.
Among several questions, "why?" needs a reason the reply gives or is finding out for it.

Two kinds of request are judged by what the reply does rather than by word overlap: a request
for an action ("please send the invoice", "скасуйте замовлення") is answered when the reply
names the action near the request's topic, declines it, or covers most of its object in other
words; a request for a manager or "someone else" is answered when the reply says who takes over.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from mannerly.etiquette import lexicon as lx
from mannerly.etiquette import morph
from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document
from mannerly.etiquette.lexicon import Hit
from mannerly.etiquette.questions import Question, command_requests
from mannerly.etiquette.rules import Context, Finding, phrase, quoted
from mannerly.etiquette.rules.vague_eta import concrete_time
from mannerly.etiquette.structure import layout

RULE = "questions-answered"
SEVERITY = "error"
CHECKLIST = "understand-the-request"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# An amount, for "how much?": any number (with a currency or without: "£45", "45 грн", "3 days'
# fee" all hold a digit) or a word for "free". The digit is searched alone: a pattern that begins
# with a class lets sre skip to the digits.
_DIGIT = re.compile(r"\d")
_FREE = re.compile(r"free|no charge|безкоштовно|бесплатно|免费", re.IGNORECASE)
_HAN_FUNCTION = frozenset(
    "的了是在我你他她它们这那有会要能就也都和与及或吗呢吧啊么什怎多少几个一不请问您"
)
_HAN_PAIR = re.compile("[\u3400-\u9fff]{2}")


@dataclass
class Answer:
    question: Question
    answered: bool
    coverage: float | None = None  # share of the question's topic the reply mentions


NUMBER_WEIGHT = 0.5  # a phone or order number the customer gave needs no echo
GENERIC_WEIGHT = 0.3  # "fix", "help", "happen": the question's kind says more than the word
TIME = "<time>"
COVERED = 0.5
# Where the evidence is taken as clear (chosen on the evaluation set, precision first).
TUNING = {"multi_low": 0.3, "multi_mid": 0.34, "multi_other": 0.5, "single_low": 0.0}
PREFIX = 5  # letters two words must share to count as one root
_CONDITIONAL = re.compile(
    r"^\W*(?:and |і |й |и |а )?(?:if not|if so|if yes|if no|якщо ні|якщо так|якщо да|если нет|если да"
    r"|如果没有|如果不是|如果是|如果可以|如果不行)",
    re.IGNORECASE,
)


def topic_words(doc: Document, start: int, end: int) -> dict[str, float]:
    """Words of a stretch that carry its topic, folded to a common form, with their weights."""
    out: dict[str, float] = {}
    for found in _token_topics(doc)[slice(*_token_range(doc, start, end))]:
        if found is None:
            continue
        key, weight, latest = found
        if latest:  # a time, a number or a Chinese word: the weight of its last token
            out[key] = weight
        else:  # a word: the heavier weight of a key (weights are positive)
            before = out.get(key)
            if before is None or weight > before:
                out[key] = weight
    return out


def topic_keys(doc: Document, start: int, end: int) -> set[str]:
    """The keys of topic_words(doc, start, end), without adding up weights: what a stretch of
    the reply is about, to compare with a question's topic."""
    return {
        found[0] for found in _token_topics(doc)[slice(*_token_range(doc, start, end))] if found
    }


def _token_range(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The indices of the tokens between two offsets (as doc.tokens_between gives them)."""
    starts = doc.token_starts
    return bisect_left(starts, start), bisect_left(starts, end)


TopicEntry = tuple[str, float, bool]  # (key, weight, whether the last token's weight counts)


def _token_topics(doc: Document) -> list[TopicEntry | None]:
    """The topic key of each token of a document (None for a stop word), worked out once: a
    lint reads the reply's topic several times, and the customer's message (a document kept
    between lints) for every draft checked against it."""
    found = doc.__dict__.get("_token_topics")
    if found is None:
        found = doc.__dict__["_token_topics"] = _read_token_topics(doc)
    return found  # type: ignore[no-any-return]


def _read_token_topics(doc: Document) -> list[TopicEntry | None]:
    lang = doc.lang
    keys = _word_keys(lang)
    tokens = doc.tokens
    # words by one dict lookup each; the rest (numbers, Han, words not seen before) one by one
    out = [keys.get(t.norm, _UNSEEN) if t.kind == "word" else _UNSEEN for t in tokens]
    for index in [i for i, found in enumerate(out) if found is _UNSEEN]:
        tok = tokens[index]
        if tok.kind == "num":
            out[index] = (tok.text, NUMBER_WEIGHT, True)
        elif tok.kind == "han":
            han = _topic_key(lang, tok.norm, True)
            out[index] = None if han is None else (*han, True)
        else:
            word = _topic_key(lang, tok.norm, False)
            out[index] = keys[tok.norm] = None if word is None else (*word, False)
    for index in doc.marked_tokens("time") | doc.marked_tokens("time.now"):
        out[index] = _TIMED
    return out


_UNSEEN: TopicEntry = ("", 0.0, False)
_TIMED: TopicEntry = (TIME, 1.0, True)
_WORD_KEYS: dict[str, dict[str, TopicEntry | None]] = {}


def _word_keys(lang: str) -> dict[str, TopicEntry | None]:
    """The topic entries of a language's words as a plain dict: read once per token, a dict
    lookup costs a third of a call through lru_cache. Bounded like it."""
    found = _WORD_KEYS.get(lang)
    if found is None or len(found) > 65_536:
        found = _WORD_KEYS[lang] = {}
    return found


@lru_cache(maxsize=65_536)
def _topic_key(lang: str, norm: str, han: bool) -> tuple[str, float] | None:
    """A word's topic key and weight, or None for a stop word (the lists are fixed per
    language, and replies reuse a small vocabulary: one lookup per token after warm-up)."""
    if norm in lx.word_set(lang, "stop") or (len(norm) < 2 and not han):
        return None
    weight = GENERIC_WEIGHT if norm in lx.word_set(lang, "generic") else 1.0
    if han:
        # Chinese words are matched as substrings of the reply (segmentation differs between
        # the two texts), one-character verbs such as 退 or 改 included.
        return "~" + norm, weight if len(norm) > 1 else weight * 0.5
    if lang == "en":
        stem = morph.stem_en(norm)
        return _stemmed_synonyms(lang).get(stem, stem), weight
    return lx.synonyms(lang).get(norm, norm), weight


@lru_cache(maxsize=8)
def _stemmed_synonyms(lang: str) -> dict[str, str]:
    return {morph.stem_en(k): morph.stem_en(v) for k, v in lx.synonyms(lang).items()}


def answers(ctx: Context) -> list[Answer]:
    """Whether the reply answers each of the customer's questions, in order."""
    if ctx.message is None:
        return []
    cached = ctx.__dict__.get("_answers")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    draft = ctx.draft
    body_start, body_end = layout(draft).body
    sentences = [s for s in draft.sentences if s[1] > body_start and s[0] < body_end] or list(
        draft.sentences
    )
    evasive = _evasive_spans(draft, sentences)
    start, end = (sentences[0][0], sentences[-1][1]) if sentences else (0, 0)
    windows = [(start, end, _reply_words(draft, start, end, evasive))]
    reply = Reply(
        text=_own_text(draft, evasive) if draft.lang == "zh" else "",
        windows=windows,
        words=set().union(*(w for _, _, w in windows)) if windows else set(),
        substantive=draft.word_count(*windows[0][:2]) >= 4 or draft.size() >= 8,
        has_time=bool(_time_sentences(draft, sentences)) or bool(draft.hits.get("answer.never")),
        has_amount=_gives_amount(draft.prose, sentences),
        has_reason=bool(draft.hits.get("answer.reason")),
        has_steps=bool(draft.hits.get("answer.steps")) or _has_list(draft),
        sentences=sentences,
        escalates=bool(draft.hits.get("answer.escalate")),
    )
    from mannerly.etiquette.rules import question_list, unedited_template, vague_eta

    reply.asks = bool(question_list.questions_to_customer(ctx))
    reply.vague = bool(vague_eta.check(ctx))
    reply.placeholder = bool(unedited_template.check(ctx))
    coverage = [_coverage(ctx, q, reply) for q in ctx.questions]
    out = [
        Answer(q, _verdict(ctx, q, reply, partial(_answered, q, i, coverage, reply)), coverage[i])
        for i, q in enumerate(ctx.questions)
    ]
    ctx.__dict__["_reply"] = reply
    ctx.__dict__["_answers"] = out
    return out


def _gives_amount(prose: str, sentences: list[tuple[int, int]]) -> bool:
    """Whether a sentence holds a digit or a word for "free". Every sentence is searched for a
    digit first: that search skips to the digits, while _FREE (case-insensitive, no literal
    prefix) is tried at every character, so it runs only when no sentence has a digit."""
    return any(_DIGIT.search(prose, s, e) for s, e in sentences) or any(
        _FREE.search(prose, s, e) for s, e in sentences
    )


def _own_text(draft: Document, evasive: list[tuple[int, int]]) -> str:
    """The reply's own Chinese words run together, for substring matching; sentences that only
    acknowledge a question left out."""
    return morph.simplified(
        "".join(
            draft.prose[t.start : t.end]
            for t in draft.tokens
            if not any(s <= t.start < e for s, e in evasive)
        )
    )


def _evasive_spans(draft: Document, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences that only acknowledge a question ("Regarding the transfer, that's a great
    question.", "关于积分的问题，我们也收到了。"): they name its topic and answer nothing."""
    hits = draft.hits.get("answer.evasive")
    return [(s, e) for s, e in sentences if any(s <= h.start < e for h in hits)]


def _reply_words(draft: Document, start: int, end: int, evasive: list[tuple[int, int]]) -> set[str]:
    """The reply's topic words, leaving out the sentences that only acknowledge a question."""
    if not evasive:
        return topic_keys(draft, start, end)
    words: set[str] = set()
    cut = start
    for s, e in [*evasive, (end, end)]:  # the stretches between them, in order
        words |= topic_keys(draft, cut, s)
        cut = e
    return words


def _numbered_answer(ctx: Context, q: Question) -> bool:
    """Questions numbered in the message ("1. Can we add users? 2. …") answered item by item in
    a numbered list of the reply: item n is the answer to question n."""
    assert ctx.message is not None
    asked = _numbered_lines(ctx.message.prose)
    if len(asked) < 2:
        return False
    number = next((n for n, (s, e) in asked.items() if s <= q.start < e), None)
    item = _numbered_lines(ctx.draft.prose).get(number) if number is not None else None
    return item is not None and ctx.draft.size(*item) >= 4


def _numbered_lines(text: str) -> dict[int, tuple[int, int]]:
    """The numbered lines of a text: number -> where the line starts and ends."""
    return {int(m.group(1)): (m.start(), m.end()) for m in _NUMBERED.finditer(text)}


_NUMBERED = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+.*$", re.MULTILINE)


@dataclass
class Reply:
    text: str
    windows: list[tuple[int, int, set[str]]]
    words: set[str]
    substantive: bool
    has_time: bool
    has_amount: bool
    has_reason: bool
    has_steps: bool
    sentences: list[tuple[int, int]] = field(default_factory=list)
    escalates: bool = False  # the reply names who takes over (a manager, a colleague)
    asks: bool = False  # the reply asks the customer questions back
    vague: bool = False  # the reply promises a later answer without a time
    placeholder: bool = False  # the reply holds a template placeholder


def _time_sentences(draft: Document, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of the reply that give a time, leaving out those that recount the past ("sorry
    you've waited since February", "让您从二月等到现在")."""
    return [
        (s, e)
        for s, e in sentences
        if (concrete_time(draft, s, e) or draft.hits_between("time.now", s, e))
        and not _recounts_past(draft.prose, s, e)
    ]


def _recounts_past(prose: str, start: int, end: int) -> bool:
    """Whether _PAST matches in the span. Its only words in Latin-1 are "since" and "ago", so a
    Latin-1 span without either cannot match: one lower() instead of a match tried at every "s"
    and "a" of the sentence."""
    span = prose[start:end]
    if tx.one_byte(span):
        low = tx.lower_for_search(span)
        if "since" not in low and "ago" not in low:
            return False
    return tx.search_from(_PAST_FIRST, _PAST, prose, start, end)


def _has_list(doc: Document) -> bool:
    from mannerly.etiquette.text import is_list_item

    return sum(is_list_item(line) for line in doc.own_text.splitlines()) >= 2


def _coverage(ctx: Context, q: Question, reply: Reply) -> float | None:
    """The weighted share of the question's topic the reply mentions (None: no real topic)."""
    message = ctx.message
    assert message is not None
    topic = topic_words(message, q.start, q.end)
    if _refers_back(message, q):  # "Як його відновити?" — what "його" is, the sentence before says
        index = message.sentence_at(q.start)
        before = message.sentences[index - 1] if index > 0 else None
        # Another question's words are that question's topic: "Як підключити монітор до
        # док-станції? І чи підтримує вона 4K?" is answered only by a word on 4K.
        if before is not None and not any(
            o is not q and o.start < before[1] and o.end > before[0] for o in ctx.questions
        ):
            for key, weight in topic_words(message, *before).items():
                topic.setdefault(key, weight * 0.5)
    if q.kind == "when":
        topic.pop(TIME, None)
    total = sum(topic.values())
    if total < 0.9:
        return None
    words = set(reply.words)
    if reply.has_time:
        words.add(TIME)
    text = reply.text

    prefixes = {w[:PREFIX] for w in words if len(w) >= PREFIX}

    def found(key: str) -> bool:
        if key.startswith("~"):
            return key[1:] in text
        # списаться/списание, recover/recovery: one root, two lemmas
        return key in words or (len(key) >= PREFIX and key[:PREFIX] in prefixes)

    shared = sum(w for k, w in topic.items() if found(k))
    coverage = shared / total
    han = "".join(k[1:] for k in topic if k.startswith("~"))
    if han:  # 纯棉 against 有机棉: share of the question's characters the reply has
        chars = set(han)
        coverage = max(coverage, sum(1 for c in chars if c in text) / len(chars))
    return coverage


# A time the reply recounts ("sorry you've waited since February", "让您从二月等到现在") is no
# answer to "when will…?".
_PAST = re.compile(
    r"\bsince\b|\bago\b|从[^。！？]{0,12}(?:到现在|至今|以来)|以来|至今"
    r"|(?<!\w)(?:вже з|ще з|тому назад|уже с|еще с|ещё с|тому|назад)(?!\w)",
    re.IGNORECASE,
)
_PAST_FIRST = re.compile(r"[sa从以至вщтуен]", re.IGNORECASE)  # where a _PAST match can begin
_DIRECTED = {  # the customer asks the agent to do something (not "can I…?")
    "en": re.compile(r"\b(?:can|could|would|will|won't) you\b|\bplease\b|\bpls\b|\bkindly\b", re.I),
    "uk": re.compile(r"(?<!\w)(?:можете|могли б|зможете|будь ласка|прошу|просимо)(?!\w)", re.I),
    "ru": re.compile(r"(?<!\w)(?:можете|могли бы|сможете|пожалуйста|прошу|просим)(?!\w)", re.I),
    "zh": re.compile(r"能不能|能否|可不可以|可以帮|能帮|能给|能把|请|麻烦|帮我|给我|把"),
}


def _verdict(ctx: Context, q: Question, reply: Reply, by_topic: Callable[[], bool]) -> bool:
    """Whether the reply answers the question. A request for a manager or "someone else" is
    answered by naming who takes over. A request for an action ("please cancel the order",
    "could you send the invoice?") is answered by a reply that names the action, done or
    planned, or declines it; repeating the topic ("your order 10482 was delivered") does not
    answer "please send the invoice for order 10482". Other questions go by topic and kind."""
    message = ctx.message
    assert message is not None
    if any(
        h.start < q.end and h.end > q.start for h in message.hits.get("flag.supervisor-request")
    ):
        return reply.escalates
    if _numbered_answer(ctx, q):
        return True
    if q.kind == "why" and len(ctx.questions) > 1:
        reason = _reason_for(ctx, q, reply)
        if reason is not None:
            return reason
    if _time_elsewhere(ctx, q, reply):
        return False
    if q.kind in ("request", "yesno") and _directed(message, q):
        named = _mentions_action(ctx, q, reply)
        if named is False and not _declines(ctx, q) and _object_missing(ctx, q, reply):
            return False
        if named:
            return True
    return by_topic()


def _reason_for(ctx: Context, q: Question, reply: Reply) -> bool | None:
    """Among several questions, "why?" is answered by a reason the reply gives for it ("the
    cause of the crash we are still finding out, I'll write by Friday"), and not by a reply that
    gives no reason at all and mentions its topic only in passing while it answers another
    question. None: the usual reading decides."""
    assert ctx.message is not None
    draft = ctx.draft
    mine = set(own_topic(ctx.message, q))
    others: set[str] = set()
    for other in ctx.questions:
        if other is not q:
            others |= set(own_topic(ctx.message, other))
    others -= mine
    reasons = [draft.sentences[draft.sentence_at(h.start)] for h in draft.hits.get("answer.reason")]
    if any(_shares(draft, span, mine) or not _shares(draft, span, others) for span in reasons):
        return True
    if not reasons and (_coverage(ctx, q, reply) or 0.0) <= COVERED:
        # A sentence about this question's topic alone is about it, not a passing mention:
        # "Аккаунт заблокировала проверка платежа" names the cause without a reason word.
        if any(
            _shares(draft, span, mine) and not _shares(draft, span, others)
            for span in reply.sentences
        ):
            return None
        return False
    return None


def _object_missing(ctx: Context, q: Question, reply: Reply) -> bool:
    """Whether the reply, not naming the action asked for, also leaves out most of what it was to
    be done to ("send the PDF invoice for order 10482" against "order 10482 was delivered"), or
    the request is little more than its verb ("Just cancel the order."). A reply that covers the
    object in other words ("the X200 manual is here: …") is taken as an answer: false alarms
    cost more than misses."""
    assert ctx.message is not None
    topic = _topic_beyond_action(ctx.message, q)
    if len(topic) <= 1:
        return True
    words = set(reply.words)
    prefixes = {w[:PREFIX] for w in words if len(w) >= PREFIX}
    text = reply.text
    found = sum(
        1
        for k in topic
        if (k[1:] in text if k.startswith("~") else k in words or k[:PREFIX] in prefixes)
    )
    return found / len(topic) <= COVERED


def _declines(ctx: Context, q: Question) -> bool:
    """Whether the reply turns the request down where it speaks of its topic ("the 14:00 class
    is full, so I'm afraid that won't be possible"); a bare "we can't do that" answers nothing
    in particular."""
    assert ctx.message is not None
    draft = ctx.draft
    topic = set(_topic_beyond_action(ctx.message, q))
    hits = draft.hits.get("answer.decline") + draft.hits.get("negative-language")
    return any(not topic or _shares(draft, _around(draft, h.start), topic) for h in hits)


def _directed(message: Document, q: Question) -> bool:
    """The customer asks the agent to do something ("please…", "could you…"), not "can I…?"."""
    if q.kind == "request" or _DIRECTED[message.lang].search(message.prose, q.start, q.end):
        return True
    if _OBLIGED[message.lang].search(message.prose, q.start, q.end):
        return True  # "Do I need to send the parts back?": "no need to send them back" answers
    return bool(command_requests(message, q.start, q.end))


def _mentions_action(ctx: Context, q: Question, reply: Reply) -> bool | None:
    """Whether the reply names one of the actions the question asks for, done or planned (same
    line of question.action.txt), in a sentence about the question's topic when it has one
    ("please send the invoice" is not answered by "we'll send the documents"); None when the
    question asks for no listed action."""
    message = ctx.message
    assert message is not None
    asked = message.hits_between("question.action", q.start, q.end)
    asked = [
        h
        for h in asked
        if not any(
            o is not h
            and o.start <= h.start
            and h.end <= o.end
            and o.end - o.start > h.end - h.start
            for o in asked
        )
    ]
    wanted = {_action(h) for h in asked}
    if not wanted:
        return None
    draft = ctx.draft
    topic = set(_topic_beyond_action(message, q))
    for hit in draft.hits.get("question.action"):
        if _action(hit) not in wanted:
            continue
        if not topic or _shares(draft, _around(draft, hit.start), topic):
            return True
    return False


def _action(hit: Hit) -> str:
    """Which action a hit of question.action.txt names: its line, or its tag when several lines
    name one action ("send … back" and "return")."""
    return "|".join(sorted(hit.entry.tags)) or hit.entry.text


def _around(draft: Document, offset: int) -> tuple[int, int]:
    """The sentence at an offset with its neighbours ("The second payment was a duplicate. Our
    billing team will refund it today.": "it" is what the sentence before names)."""
    index = draft.sentence_at(offset)
    first = draft.sentences[max(index - 1, 0)]
    last = draft.sentences[min(index + 1, len(draft.sentences) - 1)]
    return first[0], last[1]


def _topic_beyond_action(message: Document, q: Question) -> set[str]:
    """The question's topic without the words of the action it asks for ("send", "скасувати")."""
    topic = set(own_topic(message, q))
    for h in message.hits_between("question.action", q.start, q.end):
        # the action's own words: the whole hit, or its two ends when it spans an object
        # ("send the broken parts back": "broken parts" is what the reply must speak of)
        tokens = message.tokens_between(h.start, h.end)
        ends = [tokens[0], tokens[-1]] if len(tokens) > 3 else tokens
        for tok in ends:
            topic -= set(topic_words(message, tok.start, tok.end))
    return topic


def own_topic(message: Document, q: Question) -> dict[str, float]:
    """The question's full-weight topic words, with the sentence before when it refers back
    ("Can you change it?" is about what the sentence before names)."""
    topic = {k: w for k, w in topic_words(message, q.start, q.end).items() if w >= 1.0}
    if _refers_back(message, q):  # the thing "it" names is in one of the two sentences before
        index = message.sentence_at(q.start)
        for before in message.sentences[max(index - 2, 0) : index]:
            for key, weight in topic_words(message, *before).items():
                if weight >= 1.0:
                    topic.setdefault(key, weight)
    topic.pop(TIME, None)
    return topic


def _shares(draft: Document, span: tuple[int, int], topic: set[str]) -> bool:
    """Whether a stretch of the reply mentions any of the topic words."""
    han = [k[1:] for k in topic if k.startswith("~")]
    if han:
        text = morph.simplified(draft.prose[span[0] : span[1]])
        if any(k in text for k in han):
            return True
        # 会停 against 暂停: segmentation differs, the content characters match
        if any(c in text for k in han if len(k) <= 2 for c in k if c not in _HAN_FUNCTION):
            return True
    words = topic_keys(draft, *span)
    prefixes = {w[:PREFIX] for w in words if len(w) >= PREFIX}
    return any(k in words or (len(k) >= PREFIX and k[:PREFIX] in prefixes) for k in topic)


def _time_elsewhere(ctx: Context, q: Question, reply: Reply) -> bool:
    """Among several questions, "when?" is not answered by a time that only a sentence about
    another question gives ("your order is paid, the money came on 10 March" does not say when
    it ships)."""
    message = ctx.message
    if message is None or q.kind != "when" or len(ctx.questions) < 2:
        return False
    timed = _time_sentences(ctx.draft, reply.sentences)
    if not timed:
        return False
    mine = set(topic_words(message, q.start, q.end)) - {TIME}
    others: set[str] = set()
    for other in ctx.questions:
        if other is not q:
            others |= set(topic_words(message, other.start, other.end)) - {TIME}
    others -= mine
    if not mine or not others:
        return False
    return all(
        _shares(ctx.draft, span, others) and not _shares(ctx.draft, span, mine) for span in timed
    )


_OBLIGED = {  # the customer asks whether they must do something
    "en": re.compile(
        r"\b(?:do|will|would) (?:i|we) (?:need|have) to\b|\b(?:should|must) (?:i|we)\b", re.I
    ),
    "uk": re.compile(
        r"(?<!\w)(?:чи потрібно|чи треба|чи мушу|чи маю|чи повинна|чи повинен)(?!\w)", re.I
    ),
    "ru": re.compile(r"(?<!\w)(?:нужно ли|надо ли|должен ли|должна ли|обязательно ли)(?!\w)", re.I),
    "zh": re.compile(r"需要|要不要|用不用|是否要|必须"),
}
_PRONOUNS = re.compile(
    r"\b(?:it|them|they|this|that|those|these|one)\b|(?<!\w)(?:його|її|їх|це|цього|цим|его|её|их|это|этого|этим"
    r"|він|вона|вони|он|она|они)(?!\w)|它|这个|那个|这样|这是|那是|这种",
    re.IGNORECASE,
)


def _refers_back(message: Document, q: Question) -> bool:
    return bool(_PRONOUNS.search(message.prose, q.start, q.end))


def _answered(q: Question, index: int, coverages: list[float | None], reply: Reply) -> bool:
    """Lexical overlap alone cannot tell an answer in other words from a skipped question, so a
    question counts as unanswered only on clear evidence: nothing of its topic in the reply (and
    no answer of its kind either), or, among several questions, far less than the others got, or
    a single question met with a counter-question, a vague promise or a placeholder."""
    evidence = {
        "when": reply.has_time,
        "amount": reply.has_amount,
        "why": reply.has_reason,
        "how": reply.has_steps,
    }.get(q.kind)
    if q.kind == "when" and (reply.placeholder or (reply.vague and not reply.has_time)):
        return False
    if evidence is False and q.kind in ("when", "amount") and coverages[index] is not None:
        return False  # "when?" answered without a time, "how much?" without a number
    coverage = coverages[index]
    if index > 0 and _CONDITIONAL.match(q.text):  # "If not, then when?" hangs on the one before
        return True
    if coverage is None:  # "Any news?", "What happened?", "Что делать?"
        if q.kind == "how" and not reply.has_steps and (reply.vague or reply.asks):
            return False  # "What should I do?" met with "we'll let you know" tells nothing to do
        return reply.substantive
    rivals = [c for i, c in enumerate(coverages) if i != index and c is not None]
    if len(coverages) > 1:
        best_other = max(rivals, default=0.0)
        if coverage == 0 and (best_other > 0 or not evidence):
            return False
        if coverage <= TUNING["multi_low"] and best_other >= COVERED:
            return False
        return not (coverage <= TUNING["multi_mid"] and best_other >= TUNING["multi_other"])
    if coverage <= TUNING["single_low"] and not evidence:
        return False
    deferred = reply.asks or reply.vague or reply.placeholder
    return not (deferred and coverage < COVERED and not evidence)


def check(ctx: Context) -> list[Finding]:
    out = []
    for n, answer in enumerate(answers(ctx), 1):
        if answer.answered:
            continue
        text = answer.question.text
        shown = text if len(text) <= 120 else text[:117] + "…"
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                0,
                0,
                f"Question {n} is not answered: {quoted(shown)}",
                suggestion="Answer it, or say when you will.",
                code="questions-answered.unanswered",
                params={"number": n, "question": phrase(shown)},
            )
        )
    return out
