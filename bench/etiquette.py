"""Speed of the etiquette engine: lint latency, triage throughput, cold start, and proselint.

    uv run python bench/etiquette.py [--rounds N]

Targets: lint of a 300-word draft median <= 2 ms and p99 <= 10 ms after warm-up; triage >=
2,000 messages/s on one core; `mannerly lint` cold start <= 1 s; at least 3x faster than
proselint on the same English drafts. The machine is shared: run it twice and read the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mannerly.etiquette import lint, triage  # noqa: E402

EVAL = ROOT / "tests" / "etiquette" / "eval"

DRAFT_300 = """Hi Anna,

Thank you for getting in touch, and I'm sorry that your March bill was higher than you expected. I
understand how frustrating it is to see a charge you did not plan for, especially when you had
already paid the previous invoice on time.

I have looked at your account in detail. On 2 March you were charged twice for the same monthly
plan: once by the automatic renewal and once when the payment page was refreshed during checkout.
The second payment of £45 was a duplicate, and I have refunded it to the card ending 4421 today.
Banks usually show a refund within three to five working days, so you should see it by Friday
13 March at the latest.

Your renewal date does not change. The plan still renews on the 2nd of each month, and the next
payment of £45 will be taken on 2 April. I have also added a note to your account so that a
duplicate payment like this one is blocked before it reaches your card.

To make sure the page does not charge you twice again, please update the app to version 4.2.1,
which came out this week. You can do this from the App Store or Google Play: search for our app
and tap Update. If the app asks you to sign in again after the update, use the same email address
and password as before.

If the refund has not arrived by Friday 13 March, reply to this email with a screenshot of your
bank statement and I will chase the bank for you the same day. There is nothing else you need to
do now.

In short: the duplicate £45 is on its way back to you, your renewal date stays the same, and
updating the app will stop this from happening again.

Best regards,
Oleh Kovalenko
Customer Support
"""
MESSAGE = (
    "Hello, I was charged twice this month and nobody answers. Can you refund the second "
    "charge? Will my renewal date change?\n\nAnna Smith"
)


def timings(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def eval_items(kind: str, key: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang in ("en", "zh", "uk", "ru"):
        path = EVAL / lang / f"{kind}.jsonl"
        if path.exists():
            out[lang] = [
                json.loads(x)[key] for x in path.read_text(encoding="utf-8").splitlines() if x
            ]
    return out


def bench_lint(rounds: int) -> None:
    words = len(DRAFT_300.split())
    run = lambda: lint(DRAFT_300, message=MESSAGE, customer="Anna Smith", agent="Oleh Kovalenko")  # noqa: E731
    for _ in range(20):
        run()
    ms = timings(run, rounds)
    print(
        f"lint, {words}-word English draft with message: median {statistics.median(ms):.2f} ms, "
        f"p99 {p(ms, 0.99):.2f} ms   (target: median <= 2 ms, p99 <= 10 ms)"
    )
    drafts = eval_items("drafts", "draft")
    for lang, items in drafts.items():
        for d in items:
            lint(d, lang=lang)
        ms = timings(lambda items=items, lang=lang: [lint(d, lang=lang) for d in items], 3)
        per = statistics.median(ms) / len(items)
        print(f"lint, eval drafts [{lang}]: {per:.2f} ms per draft ({len(items)} drafts)")


def bench_triage() -> None:
    messages = eval_items("messages", "text")
    everything = [(lang, m) for lang, items in messages.items() for m in items]
    if not everything:
        everything = [("en", MESSAGE)] * 100
    for _lang, m in everything:
        triage(m)
    for label, detect in (("language given", True), ("language detected", False)):
        start = time.perf_counter()
        rounds = 5
        for _ in range(rounds):
            for lang, m in everything:
                triage(m, lang if detect else None)
        rate = rounds * len(everything) / (time.perf_counter() - start)
        print(
            f"triage ({label}): {rate:,.0f} messages/s on one core "
            f"({len(everything)} eval messages, all languages)   (target: >= 2,000)"
        )


def bench_cold_start() -> None:
    exe = Path(sys.executable).with_name("mannerly")
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp, "draft.txt")
        draft.write_text(DRAFT_300, encoding="utf-8")
        samples = {"en": DRAFT_300}
        for lang, items in eval_items("drafts", "draft").items():
            if lang != "en":
                samples[lang] = items[0]
        for lang, text in samples.items():
            path = Path(tmp, f"{lang}.txt")
            path.write_text(text, encoding="utf-8")
            ms = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run(
                    [str(exe), "lint", "--draft", str(path), "--json"],
                    capture_output=True,
                    env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                )
                ms.append(time.perf_counter() - start)
            print(
                f"cold start, `mannerly lint --draft {lang}.txt --json` (new process): "
                f"median {statistics.median(ms):.2f} s   (target: <= 1 s)"
            )


def bench_proselint(rounds: int) -> None:
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        print("proselint: not installed (uv sync --group dev)")
        return
    CheckRegistry().register_many(__register__)
    drafts = eval_items("drafts", "draft").get("en", [])[:60] or [DRAFT_300]
    drafts = [*drafts, DRAFT_300]
    for d in drafts[:5]:
        LintFile("draft", d).lint()
        lint(d, lang="en")
    ours = timings(lambda: [lint(d, lang="en") for d in drafts], max(3, rounds // 100))
    theirs = timings(lambda: [LintFile("draft", d).lint() for d in drafts], 3)
    o, t = statistics.median(ours) / len(drafts), statistics.median(theirs) / len(drafts)
    print(
        f"proselint on the same {len(drafts)} English drafts: {t:.2f} ms per draft; "
        f"mannerly lint {o:.2f} ms per draft; mannerly is {t / o:.1f}x faster   (target: >= 3x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    bench_lint(args.rounds)
    bench_triage()
    bench_proselint(args.rounds)
    bench_cold_start()


if __name__ == "__main__":
    main()
