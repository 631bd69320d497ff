"""The hand-kept "first character" classes of two hot patterns stay in step with the patterns.

``text.search_from`` only tries a pattern where its first-character class matches; a branch
added to the pattern that begins with another character would silently never match. Every
sentence of the evaluation set, drafts and messages in four languages, must read the same both
ways.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mannerly.etiquette import text as tx
from mannerly.etiquette.rules import questions_answered, vague_eta

EVAL = Path(__file__).parent / "eval"
PAIRS = {
    "time": (vague_eta._TIME_FIRST, vague_eta.TIME),
    "past": (questions_answered._PAST_FIRST, questions_answered._PAST),
}


def eval_texts() -> list[str]:
    texts = []
    for path in sorted(EVAL.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            texts += [item[k] for k in ("text", "message", "draft") if item.get(k)]
    return texts


@pytest.mark.parametrize("name", PAIRS)
def test_first_character_class_finds_what_the_pattern_finds(name):
    first, pattern = PAIRS[name]
    checked = found = 0
    for text in eval_texts():
        prose = tx.clean(text)
        for start, end in tx.sentence_spans(prose):
            expected = pattern.search(prose, start, end) is not None
            assert tx.search_from(first, pattern, prose, start, end) == expected, prose[start:end]
            checked += 1
            found += expected
    assert checked > 1000 and found > 20  # the set holds plenty of both
