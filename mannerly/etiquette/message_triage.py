"""triage(): how an inbound message feels, what it flags, what it asks, what the reply needs.

The anger score adds up evidence from the customer's new words: upset and angry words from the
language's lists (a negator before a word turns it around, "not happy"; an intensifier before it
weighs more, "extremely disappointed"), shouting (capitals, "!!", "?!"), ultimatums ("if … not …,
I will go to court") and the flags (abuse and legal threats weigh most). English also takes
VADER's sentiment, which has its own negation and intensifier handling. The sum maps to 0..1 with
1 - exp(-points / SCALE).

Evidence comes in two kinds. Grievance (worry, sadness, disappointment, a repeated contact, a
request for a manager, urgency, negative sentiment) makes a customer upset however much of it
there is, so its points stop just short of the angry threshold; only anger (angry or sarcastic
words, threats, abuse, legal threats, shouting, rhetorical questions, demands) makes one angry.
"""

from __future__ import annotations

import math
import re
import string
import threading
from functools import lru_cache
from typing import Any

from mannerly.etiquette import text as tx
from mannerly.etiquette.config import TeamConfig
from mannerly.etiquette.document import Document
from mannerly.etiquette.lexicon import Hit
from mannerly.etiquette.questions import customer_questions, rhetorical_weight

FLAGS = ("legal-threat", "abuse", "supervisor-request", "repeat-contact", "urgent")
_FLAG_LISTS = tuple("flag." + f for f in FLAGS)
FLAG_POINTS = {
    "abuse": 3.0,
    "legal-threat": 1.2,
    "supervisor-request": 1.5,
    "repeat-contact": 1.2,
    "urgent": 0.4,
}
GRIEVANCE_FLAGS = frozenset({"supervisor-request", "repeat-contact", "urgent"})
LIST_POINTS = {  # per hit; upset and angry words also count intensifiers and negation
    "triage.upset": 1.0,
    "triage.distress": 1.0,
    "triage.angry": 2.5,
    "triage.sarcasm": 2.5,
    "triage.threat": 3.0,
}
GRIEVANCE_LISTS = frozenset({"triage.upset", "triage.distress"})
ULTIMATUM_POINTS = 1.5  # "if the money isn't back in 14 days I will sue": a threat with a demand
FRIENDLY_SHARE = 0.5  # a repeated contact written with a smile is a nudge
FORMAL_SHARE = 0.5  # a legal step announced in business register ("Dear Sirs") is a notice
_MASKED_OBSCENITY = re.compile(r"(?<!\w)[^\W\d_]{1,4}\*+[^\W\d_]{1,5}(?!\w)")
SCALE = 2.5
FACT_SHARE = 0.5  # an incident word ("charged twice") in a message that is not courteous
_PLEASE = re.compile(
    r"\bplease\b|\bpls\b|будь ласка|пожалуйста|(?<!\w)прошу(?!\w)|请|麻烦|劳驾", re.IGNORECASE
)
# Where a _PLEASE match can begin: sre finds no prefix in an IGNORECASE alternation and would try
# every branch at every character (see text.search_from).
_PLEASE_FIRST = re.compile(r"[pPбБпП请麻劳]")  # no IGNORECASE: with it sre cannot skip either
MAX_VADER_SENTENCES = 200  # a message longer than this is not read for tone any further
MAX_VADER_WORDS = 60
VADER_NEGATIVE = -0.3  # the mean compound of the two most negative sentences must be below this
UPSET_AT = 0.3  # about one clear upset word
ANGRY_AT = 0.68  # about three: one angry word and a shout, or a threat and an upset word
# Grievance alone never reaches ANGRY_AT (2.85 points): it stops just below.
GRIEVANCE_CAP = 2.8
_FRIENDLY_EMOJI = re.compile(r"[🙂😊☺😉😀😃😄🙏👍]|(?<![\w:]):-?\)")
_FRIENDLY_FIRST = re.compile(r"[🙂😊☺😉😀😃😄🙏👍:]")

_CAPS_WORD = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ]{3,}\b")
_CAPS_RUN = re.compile(r"[A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ]")
_BANGS = re.compile(r"[!！]{2,}|[?？]{2,}|[?？][!！]|[!！][?？]")
# Every _BANGS match lies inside one run of these marks; a pattern that begins with a plain class
# lets sre skip to the runs instead of trying four branches at every character.
_MARK_RUN = re.compile(r"[!！?？][!！?？]+")
_ACRONYMS = frozenset(
    [
        "ASAP",
        "FAQ",
        "PDF",
        "USB",
        "API",
        "URL",
        "SMS",
        "VAT",
        "CEO",
        "USA",
        "UK",
        "EU",
        "GDPR",
        "ATM",
        "PIN",
        "CVV",
        "IBAN",
        "SWIFT",
        "BBB",
        "FTC",
        "IOS",
        "OK",
        "HTML",
        "CSS",
        "SQL",
        "UTC",
        "GMT",
        "EST",
        "PST",
        "CET",
        "NHS",
        "DHL",
        "UPS",
        "TNT",
        "FEDEX",
        "USPS",
        "ID",
    ]
)

_vader_lock = threading.Lock()
_vader: list[Any] = []


def triage(text: str, lang: str | None = None, *, config: TeamConfig | None = None) -> dict:
    """Read a customer message: language, emotion, flags, questions and guidance for the agent."""
    head, truncated = tx.analysed_part(text or "")
    doc = Document(tx.clean(head), lang, kind="message", config=config)
    questions = customer_questions(doc)
    source = tx.encodable(head) if questions else ""
    flags = detect_flags(doc)
    anger = anger_score(doc, flags)
    label = "angry" if anger >= ANGRY_AT else "upset" if anger >= UPSET_AT else "calm"
    codes = guidance_codes(label, flags, len(questions))
    result: dict[str, Any] = {
        "language": doc.lang,
        "emotion": {"anger": round(anger, 2), "label": label},
        "flags": flags,
        # The text as the customer wrote it (CRLF line ends included), at the same offsets.
        "questions": [{**q.as_json(), "text": source[q.start : q.end]} for q in questions],
        "guidance": [guidance_text(code, len(questions)) for code in codes],
        "guidance_codes": codes,
    }
    if truncated:
        result["truncated"] = True
        result["analysed_chars"] = len(head)
    return result


def detect_flags(doc: Document) -> list[str]:
    found = [
        f for f, name in zip(FLAGS, _FLAG_LISTS, strict=True) if doc.hits.any(name)
    ]  # a quoted 'Urgent' label is no plea
    prose = doc.prose
    abusive = doc.hits.any("triage.threat") or ("*" in prose and _MASKED_OBSCENITY.search(prose))
    if abusive and "abuse" not in found:
        found.insert(1 if "legal-threat" in found else 0, "abuse")
    if "urgent" in found and doc.hits.any("flag.not-urgent"):
        found.remove("urgent")
    return found


def negated(doc: Document, hit: Hit, window: int = 2) -> bool:
    """A negator among the few words before the hit, in the same clause."""
    return _before(doc, hit, "triage.negator", window)


def intensified(doc: Document, hit: Hit) -> bool:
    return _before(doc, hit, "triage.intensifier", 2)


_CLAUSE_END = re.compile(r"[.!?;。！？；\n]")


def _before(doc: Document, hit: Hit, list_name: str, window: int) -> bool:
    marks = doc.marked_tokens(list_name)
    for i in range(hit.first - 1, max(-1, hit.first - window - 1), -1):
        if i in marks:
            return not _CLAUSE_END.search(doc.prose, doc.tokens[i].end, hit.start)
    return False


def anger_points(doc: Document, flags: list[str]) -> float:
    grievance, anger, positive = word_points(doc)
    friendly = tx.search_from(_FRIENDLY_FIRST, _FRIENDLY_EMOJI, doc.prose, 0, len(doc.prose))
    formal = doc.hits.any("triage.formal")
    for flag in flags:
        share = 1.0
        if flag == "repeat-contact" and friendly:
            share = FRIENDLY_SHARE
        elif flag == "legal-threat" and formal:
            share = FORMAL_SHARE
        if flag in GRIEVANCE_FLAGS:
            grievance += FLAG_POINTS[flag] * share
        else:
            anger += FLAG_POINTS[flag] * share
    if doc.lang == "en":
        grievance += vader_points(doc)
    anger += shouting_points(doc)
    anger += min(0.8 * rhetorical_weight(doc), 1.6)
    anger += demand_points(doc)
    anger += ultimatum_points(doc)
    return max(min(grievance, GRIEVANCE_CAP) + anger + positive, 0.0)


def word_points(doc: Document) -> tuple[float, float, float]:
    """Points of the word lists: grievance (upset, distress), anger, and the positive offset."""
    grievance = anger = positive = 0.0
    covered: set[int] = set()
    emotional = [(h, base) for name, base in LIST_POINTS.items() for h in doc.all_hits.get(name)]
    # Overlapping phrases ("很失望" and "失望") count once, the longest.
    emotional.sort(key=lambda pair: (pair[0].start, pair[0].start - pair[0].end))
    polite = courteous(doc)
    kept: tuple[Hit, float, bool] | None = None
    for hit, base in emotional:
        if kept is not None and hit.start < kept[0].end:
            # An intensifier inside the longer phrase ("太离谱": 太 before 离谱) still counts.
            inner = not kept[2] and "fact" not in kept[0].entry.tags and intensified(doc, hit)
            if inner and not negated(doc, kept[0], 1 if kept[1] == 1.0 else 2):
                extra = 0.5 * kept[1] * kept[0].entry.weight
                if kept[0].entry.list in GRIEVANCE_LISTS:
                    grievance += extra
                else:
                    anger += extra
                kept = (kept[0], kept[1], True)
            continue
        boosted = intensified(doc, hit)
        kept = (hit, base, boosted)
        if negated(doc, hit, 1 if base == 1.0 else 2):
            continue  # "not happy" is counted by the positive list; "不是投诉" is no complaint
        if "fact" in hit.entry.tags:
            # "charged twice" reports an incident; a courteous message reporting it is calm.
            base = 0.0 if polite else base * FACT_SHARE
        points = base * hit.entry.weight * (1.5 if boosted else 1.0)
        if hit.entry.list in GRIEVANCE_LISTS:
            grievance += points
        else:
            anger += points
        covered.update(range(hit.first, hit.last))
    for hit in doc.all_hits.get("triage.positive"):
        if hit.first in covered:
            continue
        if negated(doc, hit):
            grievance += 1.0
        else:
            positive -= 0.25
    return grievance, anger, positive


def ultimatum_points(doc: Document) -> float:
    """A legal or other threat made conditional on a demand, in one sentence: "if the money
    isn't back within 14 days I will sue", "再不退款，我就去法院", "иначе обращаюсь к юристам"."""
    ultimatums = doc.hits.get("triage.ultimatum")
    if not ultimatums:
        return 0.0
    threats = [
        h
        for name in ("flag.legal-threat", "triage.threat", "triage.angry")
        for h in doc.all_hits.get(name)
    ]
    for hit in ultimatums:
        start, end = doc.sentences[doc.sentence_at(hit.start)]
        if tx.search_from(_PLEASE_FIRST, _PLEASE, doc.prose, start, end):
            continue  # "Прошу вернуть деньги, иначе обращусь в суд": a formal claim, not anger
        if any(start <= h.start < end for h in threats):
            return ULTIMATUM_POINTS
    return 0.0


def courteous(doc: Document) -> bool:
    """Thanks or a "please" with no angry, sarcastic or threatening word: a civil message."""
    if any(doc.all_hits.get(name) for name in ("triage.angry", "triage.sarcasm", "triage.threat")):
        return False
    thanks = [h for h in doc.all_hits.get("triage.positive") if not negated(doc, h)]
    return bool(thanks) or tx.search_from(_PLEASE_FIRST, _PLEASE, doc.prose, 0, len(doc.prose))


def anger_score(doc: Document, flags: list[str]) -> float:
    return 1.0 - math.exp(-anger_points(doc, flags) / SCALE)


def demand_points(doc: Document) -> float:
    """Commands that end in an exclamation mark: "Верніть як було!", "给我换成对的！"."""
    points = 0.0
    for start, end in doc.sentences:
        sentence = doc.prose[start:end].rstrip()
        if not sentence.endswith(("!", "！")):
            continue
        if tx.search_from(_PLEASE_FIRST, _PLEASE, sentence, 0, len(sentence)):
            continue  # "Help me, please, urgently!" is a plea, not a demand
        if doc.hits_between("question.request", start, end) or doc.hits_between(
            "question.indirect", start, end
        ):
            points += 0.7
    return min(points, 1.4)


def shouting_points(doc: Document) -> float:
    """Capitals and runs of "!!", "?!"; whole sentences in capitals and "!!!" shout louder."""
    prose = doc.prose
    points = 0.0
    # A word of three capitals needs three in a row: most messages have none to look for.
    caps = (
        [w for w in _CAPS_WORD.findall(prose) if w not in _ACRONYMS]
        if _CAPS_RUN.search(prose)
        else []
    )
    if len(caps) >= 6 and len(doc.capital_sentences) >= 2:
        points += 3.0
    elif len(caps) >= 3:
        points += 2.0
    elif len(caps) == 2:
        points += 0.5
    runs = _MARK_RUN.findall(prose)
    bangs = sum(len(_BANGS.findall(run)) for run in runs)
    if bangs:
        points += min(0.7 + 0.3 * (bangs - 1), 1.5)
        points += min(0.5 * sum(len(run) >= 3 for run in runs), 1.0)
    return points


def vader_points(doc: Document) -> float:
    """VADER's compound sentiment, negative side only, as anger points (0..1.5).

    VADER scores one sentence at a time (its negation check is quadratic in the length of what
    it is given), so each sentence is scored on its own; the two most negative count. A sentence
    VADER can only score 0 or above is scored only when the others leave that in doubt.
    """
    analyzer = _vader_analyzer()
    if analyzer is None:
        return 0.0
    compounds = []
    positive = []  # sentences whose compound is known to be >= 0, not yet scored
    for start, end in doc.sentences[:MAX_VADER_SENTENCES]:
        sentence = " ".join(doc.prose[start:end].split()[:MAX_VADER_WORDS])
        if not sentence:
            continue
        if not _vader_may_score(analyzer, sentence):
            compounds.append(0.0)
        elif _vader_non_negative(analyzer, sentence):
            positive.append(sentence)
        else:
            compounds.append(analyzer.polarity_scores(sentence)["compound"])
    worst = sorted(compounds)[:2]
    if positive and not (len(worst) == 2 and worst[1] <= 0):
        # Here one of the two most negative may be >= 0, so their mean is at least half the
        # most negative one: below VADER_NEGATIVE only when that is below twice it.
        if not worst or worst[0] >= 2 * VADER_NEGATIVE:
            return 0.0
        compounds += [analyzer.polarity_scores(s)["compound"] for s in positive]
        worst = sorted(compounds)[:2]
    if not worst:
        return 0.0
    compound = sum(worst) / len(worst)
    return 1.5 * -compound if compound < VADER_NEGATIVE else 0.0


def _vader_may_score(analyzer: Any, sentence: str) -> bool:
    """Whether VADER can give the sentence a compound other than 0.0: only a word of its lexicon
    (read as VADER reads words: split on whitespace, ASCII punctuation stripped unless that
    leaves two characters or fewer, lower-cased) or an emoji it spells out as such words has a
    valence. About half of the sentences of support mail have neither, and this test costs a
    small part of polarity_scores()."""
    if not analyzer.emojis.keys().isdisjoint(sentence):
        return True
    lexicon = analyzer.lexicon
    for token in sentence.split():
        word = token.strip(string.punctuation)
        if (token if len(word) <= 2 else word).lower() in lexicon:
            return True
    return False


@lru_cache(maxsize=1)
def _vader_turners() -> tuple[frozenset[str], list[str]]:
    """VADER's words that can turn a positive valence negative (negators, "least", dampeners),
    and its word sequences that lower or set one ("kind of", "yeah right"), spaced for search."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES

    words = {*NEGATE, "no", "least"} | {
        w for w, v in BOOSTER_DICT.items() if v < 0 and " " not in w
    }
    sequences = [f" {k} " for k, v in BOOSTER_DICT.items() if v < 0 and " " in k]
    sequences += [f" {k} " for k, v in SPECIAL_CASES.items() if v < 0]
    return frozenset(words), sequences


def _vader_non_negative(analyzer: Any, sentence: str) -> bool:
    """Whether VADER's compound for the sentence is surely 0 or above: its lexicon words are all
    positive and nothing can turn one negative (a negator, "least", a dampener, an idiom such
    as "yeah right", an emoji). Boosters, capitals, "but" and "!" only scale a positive sum."""
    if not analyzer.emojis.keys().isdisjoint(sentence):
        return False
    lexicon = analyzer.lexicon
    turners, sequences = _vader_turners()
    words = []
    for token in sentence.split():
        word = token.strip(string.punctuation)
        word = (token if len(word) <= 2 else word).lower()
        if lexicon.get(word, 1.0) <= 0 or word in turners or "n't" in word:
            return False
        words.append(word)
    joined = " " + " ".join(words) + " "
    return not any(seq in joined for seq in sequences)


def _vader_analyzer() -> Any:
    if not _vader:
        with _vader_lock:
            if not _vader:
                try:
                    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                    _vader.append(SentimentIntensityAnalyzer())
                except ImportError:  # pragma: no cover - the lists alone still work
                    _vader.append(None)
    return _vader[0]


# --- guidance --------------------------------------------------------------------------------

GUIDANCE = {
    "acknowledge-emotion": "Acknowledge the frustration before the solution.",
    "stay-calm": "Keep the reply calm, short and concrete; no excuses.",
    "abuse": "The message contains abuse: stay professional and tell a supervisor.",
    "legal-threat": "Legal threat: involve a supervisor before replying and admit no liability.",
    "supervisor-request": "The customer asks for a manager: escalate, or say who will take over.",
    "repeat-contact": "The customer has written before: apologise for the wait and resolve it now.",
    "urgent": "Urgent: reply first and give a concrete time.",
    "answer-question": "Answer the question.",
    "answer-questions": "Answer all {n} questions, in order.",
    "answer-both": "Answer both questions, in order.",
    "confirm-next-step": "Thank the customer and confirm the next step.",
}


def guidance_codes(label: str, flags: list[str], questions: int) -> list[str]:
    codes = []
    if label in ("upset", "angry") or "repeat-contact" in flags:
        codes.append("acknowledge-emotion")
    if label == "angry":
        codes.append("stay-calm")
    for flag in ("abuse", "legal-threat", "supervisor-request", "repeat-contact", "urgent"):
        if flag in flags:
            codes.append(flag)
    if questions == 1:
        codes.append("answer-question")
    elif questions == 2:
        codes.append("answer-both")
    elif questions > 2:
        codes.append("answer-questions")
    if not codes:
        codes.append("confirm-next-step")
    return codes


def guidance_text(code: str, questions: int) -> str:
    return GUIDANCE[code].format(n=questions)
