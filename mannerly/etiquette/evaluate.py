"""Measure the engine against the labelled evaluation set in tests/etiquette/eval/<lang>/.

    uv run python -m mannerly.etiquette.evaluate [--root DIR] [--json] [--details]

Prints recall and false alarms per lint rule and language (the targets: recall >= 0.90, false
alarms <= 0.05), the clean drafts that got an error or a warning, the unanswered-question
positions, and for triage: language detection, emotion labels, flags and question counts.
Then, as a separate section, the same lint figures on the held-out drafts
(`<lang>/heldout_drafts.jsonl`), which were never used to tune the engine: the main set's
numbers are optimistic, the held-out ones say how the rules do on text nobody tuned them on.
The file format is defined in tests/etiquette/eval/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mannerly.etiquette.draft_lint import lint, rules
from mannerly.etiquette.message_triage import FLAGS, triage

LANGS = ("en", "zh", "uk", "ru")
LABELS = ("calm", "upset", "angry")
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "tests" / "etiquette" / "eval"
# split name -> (messages file, drafts file); the held-out split has drafts only
SPLITS = {
    "main": ("messages.jsonl", "drafts.jsonl"),
    "heldout": (None, "heldout_drafts.jsonl"),
}
RECALL_TARGET = 0.90
FALSE_ALARM_TARGET = 0.05


@dataclass
class Score:
    """Confusion counts of one detector on one language."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def add(self, expected: bool, got: bool, case: str) -> None:
        if expected and got:
            self.tp += 1
        elif expected:
            self.fn += 1
            self.misses.append(case)
        elif got:
            self.fp += 1
            self.alarms.append(case)
        else:
            self.tn += 1

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def false_alarms(self) -> float | None:
        return self.fp / self.negatives if self.negatives else None

    @property
    def precision(self) -> float | None:
        fired = self.tp + self.fp
        return self.tp / fired if fired else None


@dataclass
class Report:
    rules: dict[tuple[str, str], Score] = field(default_factory=dict)
    flags: dict[tuple[str, str], Score] = field(default_factory=dict)
    labels: dict[tuple[str, str], Score] = field(default_factory=dict)
    label_hits: dict[str, list[int]] = field(default_factory=dict)  # lang -> [right, total]
    language_hits: dict[str, list[int]] = field(default_factory=dict)
    question_hits: dict[str, list[int]] = field(default_factory=dict)
    unanswered_hits: dict[str, list[int]] = field(default_factory=dict)
    clean: dict[str, list[int]] = field(default_factory=dict)  # lang -> [noisy, total]
    clean_noise: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)  # lang -> [messages, drafts]

    def below(self, recall: float, false_alarms: float) -> list[str]:
        """Rules and flags under the given recall or over the given false-alarm rate."""
        out = []
        for table, kind in ((self.rules, "rule"), (self.flags, "flag")):
            for (name, lang), score in sorted(table.items()):
                r, f = score.recall, score.false_alarms
                if r is not None and r < recall:
                    out.append(f"{kind} {name} [{lang}]: recall {r:.2f} < {recall}")
                if f is not None and f > false_alarms:
                    out.append(f"{kind} {name} [{lang}]: false alarms {f:.2f} > {false_alarms}")
        return out


def read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, json.loads(line)


def evaluate(
    root: Path = DEFAULT_ROOT, langs: Iterable[str] = LANGS, split: str = "main"
) -> Report:
    """Score the engine on one split of the set: "main" (messages and drafts) or "heldout"."""
    messages_file, drafts_file = SPLITS[split]
    report = Report()
    severity = {m.RULE: m.SEVERITY for m in rules()}
    for lang in langs:
        messages = list(read_jsonl(root / lang / messages_file)) if messages_file else []
        drafts = list(read_jsonl(root / lang / drafts_file))
        if not messages and not drafts:
            continue
        report.counts[lang] = [len(messages), len(drafts)]
        for number, item in messages:
            _score_message(
                report, lang, item, f"{lang}/{messages_file}:{number} {item.get('id', '')}"
            )
        for number, item in drafts:
            case = f"{lang}/{drafts_file}:{number} {item.get('id', '')}"
            _score_draft(report, lang, item, case, severity)
    return report


def _score_message(report: Report, lang: str, item: dict[str, Any], case: str) -> None:
    result = triage(item["text"])
    hits = report.language_hits.setdefault(lang, [0, 0])
    hits[0] += result["language"] == lang
    hits[1] += 1
    if result["language"] != lang:
        report.errors.append(f"{case}: detected {result['language']}")
    label = result["emotion"]["label"]
    if "label" in item:
        right = report.label_hits.setdefault(lang, [0, 0])
        right[0] += label == item["label"]
        right[1] += 1
        for name in LABELS:
            report.labels.setdefault((name, lang), Score()).add(
                item["label"] == name,
                label == name,
                f"{case} (expected {item['label']}, got {label})",
            )
    if "flags" in item:
        got = set(result["flags"])
        for flag in FLAGS:
            report.flags.setdefault((flag, lang), Score()).add(
                flag in item["flags"], flag in got, case
            )
    if "questions" in item:
        expected = item["questions"]
        low, high = (expected, expected) if isinstance(expected, int) else expected
        n = len(result["questions"])
        right = report.question_hits.setdefault(lang, [0, 0])
        right[0] += low <= n <= high
        right[1] += 1
        if not low <= n <= high:
            report.errors.append(f"{case}: {n} questions, expected {expected}")


def _score_draft(
    report: Report, lang: str, item: dict[str, Any], case: str, severity: dict[str, str]
) -> None:
    result = lint(
        item["draft"],
        message=item.get("message"),
        customer=item.get("customer"),
        agent=item.get("agent"),
    )
    fired: dict[str, list[str]] = {}
    for f in result["findings"]:
        fired.setdefault(f["rule"], []).append(f["message"])
    must = set(item.get("must_fire") or ())
    must_not = set(item.get("must_not_fire") or ())
    clean = bool(item.get("clean"))
    for rule, default in severity.items():
        if rule == "spelling" and lang == "zh":
            continue
        positive = rule in must
        negative = rule in must_not or (clean and default in ("error", "warning"))
        if not positive and not negative:
            continue
        detail = case if rule not in fired else f"{case}: {fired[rule][0]}"
        report.rules.setdefault((rule, lang), Score()).add(positive, rule in fired, detail)
    if clean:
        noisy = [f for f in result["findings"] if f["severity"] in ("error", "warning")]
        tally = report.clean.setdefault(lang, [0, 0])
        tally[0] += bool(noisy)
        tally[1] += 1
        if noisy:
            report.clean_noise.append(f"{case}: " + "; ".join(f["rule"] for f in noisy))
    if item.get("message") and "unanswered" in item:
        got = [n for n, q in enumerate(result.get("questions") or [], 1) if not q["answered"]]
        right = report.unanswered_hits.setdefault(lang, [0, 0])
        right[0] += sorted(got) == sorted(item["unanswered"])
        right[1] += 1
        if sorted(got) != sorted(item["unanswered"]):
            report.errors.append(f"{case}: unanswered {got}, expected {item['unanswered']}")


# --- printing ------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def _ratio(pair: list[int] | None) -> str:
    if not pair or not pair[1]:
        return "    -"
    return f"{pair[0] / pair[1]:4.2f} ({pair[0]}/{pair[1]})"


def format_table(title: str, table: dict[tuple[str, str], Score], names: Iterable[str]) -> str:
    langs = [lang for lang in LANGS if any(k[1] == lang for k in table)]
    head = f"{title:22}" + "".join(f" | {lang:^24}" for lang in langs)
    sub = " " * 22 + "".join(" | rec   f.a.  prec  +/-   " for _ in langs)
    lines = [head, sub, "-" * len(sub)]
    for name in names:
        row = f"{name:22}"
        if not any((name, lang) in table for lang in langs):
            continue
        for lang in langs:
            s = table.get((name, lang))
            if s is None:
                row += " | " + " " * 24
                continue
            mark = ""
            if (s.recall is not None and s.recall < RECALL_TARGET) or (
                s.false_alarms is not None and s.false_alarms > FALSE_ALARM_TARGET
            ):
                mark = "!"
            cell = f"{_pct(s.recall)} {_pct(s.false_alarms)} {_pct(s.precision)} {s.positives}/{s.negatives}{mark}"
            row += f" | {cell:24}"
        lines.append(row)
    return "\n".join(lines)


def format_report(report: Report, details: bool = False, title: str = "Evaluation set") -> str:
    out = []
    counts = ", ".join(
        f"{lang}: {m} messages, {d} drafts" if m else f"{lang}: {d} drafts"
        for lang, (m, d) in report.counts.items()
    )
    out.append(f"{title}: {counts}")
    out.append(
        f"Targets per rule and language: recall >= {RECALL_TARGET}, false alarms <= "
        f"{FALSE_ALARM_TARGET}; '!' marks a miss. rec = recall, f.a. = false-alarm rate, "
        "prec = precision, +/- = labelled positives/negatives.\n"
    )
    for name, table, names in (
        ("lint rule", report.rules, [m.RULE for m in rules()]),
        ("triage flag", report.flags, FLAGS),
        ("triage label", report.labels, LABELS),
    ):
        if table:
            out.append(format_table(name, table, names))
            out.append("")
    for title, tally in (
        ("clean drafts with an error or warning", report.clean),
        ("emotion label accuracy", report.label_hits),
        ("language detected", report.language_hits),
        ("question count within label", report.question_hits),
        ("unanswered questions exactly right", report.unanswered_hits),
    ):
        cells = "  ".join(f"{lang} {_ratio(tally.get(lang))}" for lang in LANGS if lang in tally)
        out.append(f"{title:40} {cells}")
    problems = report.below(RECALL_TARGET, FALSE_ALARM_TARGET)
    out.append("")
    out.append(f"{len(problems)} rule/flag figures miss the targets.")
    if details:
        out.append("\nMisses and false alarms:")
        for table in (report.rules, report.flags, report.labels):
            for (name, lang), s in sorted(table.items()):
                for case in s.misses:
                    out.append(f"  MISS  {name} [{lang}] {case}")
                for case in s.alarms:
                    out.append(f"  ALARM {name} [{lang}] {case}")
        out += [f"  NOISE {c}" for c in report.clean_noise]
        out += [f"  OTHER {e}" for e in report.errors]
    return "\n".join(out)


def as_json(report: Report) -> dict[str, Any]:
    def table(t: dict[tuple[str, str], Score]) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "lang": lang,
                "recall": s.recall,
                "false_alarms": s.false_alarms,
                "precision": s.precision,
                "positives": s.positives,
                "negatives": s.negatives,
                "misses": s.misses,
                "alarms": s.alarms,
            }
            for (name, lang), s in sorted(t.items())
        ]

    return {
        "counts": report.counts,
        "rules": table(report.rules),
        "flags": table(report.flags),
        "labels": table(report.labels),
        "clean": report.clean,
        "label_accuracy": report.label_hits,
        "language": report.language_hits,
        "questions": report.question_hits,
        "unanswered": report.unanswered_hits,
        "errors": report.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mannerly.etiquette.evaluate")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--lang", action="append", choices=LANGS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--details", action="store_true", help="list every miss and false alarm of the main set"
    )
    parser.add_argument(
        "--heldout-details",
        action="store_true",
        help="list the held-out set's misses too (looking at them is tuning on them: say so)",
    )
    args = parser.parse_args(argv)
    langs = args.lang or LANGS
    report = evaluate(args.root, langs)
    heldout = evaluate(args.root, langs, split="heldout")
    if args.json:
        print(
            json.dumps(
                {**as_json(report), "heldout": as_json(heldout)}, ensure_ascii=False, indent=2
            )
        )
        return 0
    print(format_report(report, args.details))
    if heldout.counts:
        print("\n" + "=" * 100 + "\n")
        print(
            format_report(
                heldout,
                args.heldout_details,
                title="Held-out drafts (never used for tuning; the main set's figures are optimistic)",
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
