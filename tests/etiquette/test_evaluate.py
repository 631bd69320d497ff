"""The evaluation: its arithmetic on a tiny set, and the quality bar on the real one."""

import json

import pytest

from mannerly.etiquette.evaluate import DEFAULT_ROOT, evaluate, format_report

MIN_RECALL = 0.85
MAX_FALSE_ALARMS = 0.08


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )


def test_scores_are_counted_per_rule_and_language(tmp_path):
    write(
        tmp_path / "en" / "drafts.jsonl",
        [
            {
                "id": "a",
                "draft": "Unfortunately no.",
                "message": None,
                "customer": None,
                "agent": None,
                "must_fire": ["negative-language"],
                "must_not_fire": [],
                "clean": False,
            },
            {
                "id": "b",
                "draft": "Hi Anna,\n\nThank you for writing. Your refund was sent today.\n\nBest,\nOleh",
                "message": None,
                "customer": "Anna Smith",
                "agent": "Oleh Kovalenko",
                "must_fire": [],
                "must_not_fire": ["filler-words"],
                "clean": True,
            },
        ],
    )
    write(
        tmp_path / "en" / "messages.jsonl",
        [
            {
                "id": "m",
                "text": "I will sue you! Where is my refund?",
                "label": "angry",
                "flags": ["legal-threat"],
                "questions": 1,
            },
        ],
    )
    report = evaluate(tmp_path, ["en"])
    neg = report.rules[("negative-language", "en")]
    assert (neg.tp, neg.fn, neg.fp, neg.tn) == (1, 0, 0, 1)
    assert report.clean["en"] == [0, 1]
    assert report.flags[("legal-threat", "en")].tp == 1
    assert report.question_hits["en"] == [1, 1]
    assert "negative-language" in format_report(report)


@pytest.fixture(scope="module")
def report():
    if not list(DEFAULT_ROOT.glob("*/*.jsonl")):
        pytest.skip("the labelled evaluation set is not in this checkout yet")
    return evaluate()


def test_quality_on_the_labelled_set_stays_above_the_bar(report):
    problems = report.below(MIN_RECALL, MAX_FALSE_ALARMS)
    assert problems == [], "\n".join(problems)


def test_no_rule_raises_too_many_false_alarms(report):
    problems = [p for p in report.below(0.0, MAX_FALSE_ALARMS) if "false alarms" in p]
    assert problems == [], "\n".join(problems)


def test_questions_answered_reaches_the_bar(report):
    # It was a strict xfail until the matcher learned actions, escalation and past times. The
    # held-out drafts (heldout_drafts.jsonl) are not held to the bar: see the evaluation's
    # second table; its figures are lower, and honest.
    problems = [p for p in report.below(MIN_RECALL, MAX_FALSE_ALARMS) if "questions-answered" in p]
    assert problems == []
