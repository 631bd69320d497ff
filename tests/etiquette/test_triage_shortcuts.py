"""Triage's shortcuts around costly calls give the answers of the calls they stand for.

Each shortcut skips work that cannot change the result: a pattern is tried only where its
first-character class matches, "!!" and "?!" are counted inside runs of marks, VADER is not
asked about a sentence with no word of its lexicon, nor about one it can only score 0 or above
unless the others leave that in doubt. A branch added to a pattern, or a new VADER
release, could break that silently; every sentence of the evaluation set, drafts and messages in
four languages, must read the same both ways.
"""

from __future__ import annotations

import re

import pytest

from mannerly.etiquette import message_triage, questions
from mannerly.etiquette import text as tx
from mannerly.etiquette.document import Document
from tests.etiquette.test_search_from import eval_texts

PAIRS = {
    "please": (message_triage._PLEASE_FIRST, message_triage._PLEASE),
    "friendly": (message_triage._FRIENDLY_FIRST, message_triage._FRIENDLY_EMOJI),
    "angry-question": (questions._ANGRY_FIRST, questions._ANGRY_QUESTION),
}


# Each branch of each pattern, beside the evaluation set's own cases.
EXTRA = [
    "Thanks :)\n\nStill waiting:-)\n\nOk 😊\n\nThank you 🙏\n\nFine:)\n\nIt works 🙂",
    'Why?! Really!? Is anyone there?!!" Hello?? Yes!!',
    "PLEASE help. Pls check. Прошу вернуть. Будь ласка, допоможіть. ПОЖАЛУЙСТА! 请退款。麻烦你。劳驾。",
]


def eval_sentences() -> list[tuple[str, int, int]]:
    out = []
    for text in [*eval_texts(), *EXTRA]:
        prose = tx.clean(text)
        out += [(prose, start, end) for start, end in tx.sentence_spans(prose)]
    return out


@pytest.mark.parametrize("name", PAIRS)
def test_first_character_class_finds_what_the_pattern_finds(name):
    first, pattern = PAIRS[name]
    found = 0
    sentences = eval_sentences()
    for prose, start, end in sentences:
        expected = pattern.search(prose, start, end) is not None
        assert tx.search_from(first, pattern, prose, start, end) == expected, prose[start:end]
        found += expected
    assert len(sentences) > 1000 and found >= 10  # the set holds plenty of both


def test_question_joins_found_from_their_first_characters_as_by_finditer():
    found = 0
    for prose, start, end in eval_sentences():
        expected = [m.span() for m in questions._JOINS.finditer(prose, start, end)]
        got = [
            m.span()
            for m in tx.finditer_from(questions._JOINS_FIRST, questions._JOINS, prose, start, end)
        ]
        assert got == expected, prose[start:end]
        found += bool(expected)
    assert found > 200


def test_sentence_ends_found_from_their_first_characters_as_by_finditer():
    for text in eval_texts():
        prose = tx.clean(text)
        expected = [m.span() for m in tx._SENTENCE_END.finditer(prose)]
        ends = tx.char_positions(prose, tx._SENTENCE_END_CHARS, 0, len(prose))
        got = tx.matches_at(tx._SENTENCE_END, prose, ends, len(prose))
        assert [m.span() for m in got] == expected, prose


def test_quotations_found_from_their_quote_marks_as_by_finditer():
    found = 0
    for text in [*eval_texts(), "He said \u201cno\u201d, she said 'yes' and \u00abmaybe\u00bb."]:
        prose = tx.clean(text)
        expected = [m.span() for m in tx._QUOTES.finditer(prose)]
        assert tx.quote_spans(prose) == expected, prose
        found += bool(expected)
    assert found > 20


LONG_MARKS = re.compile(r"[!！?？]{3,}")  # what shouting used to count over the whole text


def test_marks_counted_by_runs_as_in_the_whole_text():
    checked = 0
    for text in [*eval_texts(), "Why?!?! Now!!! ?? !? ！！？"]:
        prose = tx.clean(text)
        runs = message_triage._MARK_RUN.findall(prose)
        assert sum(len(message_triage._BANGS.findall(r)) for r in runs) == len(
            message_triage._BANGS.findall(prose)
        )
        assert sum(len(r) >= 3 for r in runs) == len(LONG_MARKS.findall(prose))
        checked += bool(runs)
    assert checked > 50


def test_vader_is_skipped_only_for_sentences_it_scores_zero():
    analyzer = message_triage._vader_analyzer()
    skipped = scored = 0
    for prose, start, end in eval_sentences():
        sentence = " ".join(prose[start:end].split())
        if message_triage._vader_may_score(analyzer, sentence):
            scored += 1
        else:
            assert analyzer.polarity_scores(sentence)["compound"] == 0.0, sentence
            skipped += 1
    assert skipped > 1000 and scored > 500


TURNED = [
    "This is not good.",
    "It is kind of good.",
    "Yeah right, great service.",
    "That was hardly helpful.",
    "No help at all, thanks.",
    "It isn't great.",
    "GREAT support but terrible app.",
    "The least helpful answer.",
    "Thanks 😡",
]


def test_vader_non_negative_only_for_sentences_it_scores_zero_or_above():
    analyzer = message_triage._vader_analyzer()
    claimed = 0
    sentences = [" ".join(p[s:e].split()) for p, s, e in eval_sentences()] + TURNED
    for sentence in sentences:
        if message_triage._vader_non_negative(analyzer, sentence):
            assert analyzer.polarity_scores(sentence)["compound"] >= 0, sentence
            claimed += 1
    assert claimed > 300
    assert not any(message_triage._vader_non_negative(analyzer, s) for s in TURNED)


def test_vader_points_as_when_every_sentence_is_scored():
    analyzer = message_triage._vader_analyzer()
    checked = 0
    for text in [*eval_texts(), " ".join(TURNED), "Great. Not good at all, awful!"]:
        doc = Document(tx.clean(text), "en", kind="message")
        compounds = [
            analyzer.polarity_scores(" ".join(doc.prose[s:e].split()[:60]))["compound"]
            for s, e in doc.sentences
            if doc.prose[s:e].split()
        ]
        worst = sorted(compounds)[:2]
        mean = sum(worst) / len(worst) if worst else 0.0
        assert message_triage.vader_points(doc) == (1.5 * -mean if mean < -0.3 else 0.0), text
        checked += mean < -0.3
    assert checked > 20


def test_clean_replaces_every_control_character_of_a_latin1_text():
    for code in [*range(0x20), 0x7F, 0x85, 0xA0]:
        text = f"Price: £45{chr(code)}, paid"
        expected = tx._CONTROLS.sub(" ", text.replace("\r\n", " \n").replace("\r", "\n"))
        assert tx.clean(text) == expected, hex(code)
    assert tx.clean("£5\x00\x1f\x7f") == "£5   "


def test_placeholders_found_from_their_first_characters_as_by_finditer():
    from mannerly.etiquette.rules import unedited_template

    found = 0
    samples = ["Dear {{first_name}}, your [order number] ships XXX on ____ (填写日期) <NAME>."]
    for text in [*eval_texts(), *samples]:
        prose = tx.clean(text)
        expected = [m.span() for m in unedited_template.PLACEHOLDER.finditer(prose)]
        assert [m.span() for m in unedited_template.placeholders(prose)] == expected, prose
        found += bool(expected)
    assert found > 10


def test_list_items_told_apart_as_by_their_pattern():
    lines = ["a) one", "b. two", "and then", "1. x", "12) y", " - z", "•", "一、", "① a", "Ab", "a"]
    for text in [*eval_texts(), *lines]:
        for line in text.splitlines():
            assert tx.is_list_item(line) == bool(tx._LIST_ITEM.match(line)), line


def test_european_text_split_word_by_word_as_by_the_token_pattern():
    from mannerly.etiquette import lexicon

    checked = 0
    samples = ["", " ", "a  b", "I'm here, 4.2.1 £45!", "  lead", "trail  ", "x²y ½", "a\u00a0b"]
    for text in [*eval_texts(), *samples, "Привіт, світе 12:30"]:
        prose = tx.clean(text)
        if tx.one_byte(prose) or not lexicon._OTHER_SCRIPT.search(prose):
            assert lexicon._european_split(prose) == lexicon._TOKEN_SPLIT.split(prose), prose
            checked += 1
    assert checked > 1000
