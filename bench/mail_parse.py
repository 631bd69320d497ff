"""How fast and how right the mail parser is on the shared synthetic helpdesk corpus.

    uv run python bench/mail_parse.py [-n 2000] [--seed 1] [--runs 5]

Generates the corpus with ../shared/bench/gen_corpus.py into a temporary folder, parses every
message in memory (no disk, no database) several times and prints the median messages/s of
Mannerly's parser side by side with the standard library and fast-mail-parser in the same
sitting (these machines drift, so read the ratios). Then checks what ours read against the
corpus manifest: subject, probe line, attachments, auto-reply verdict, reply headers.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.header
import email.policy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from mannerly.mail.parse import parse  # noqa: E402


def generate(out: Path, count: int, seed: int) -> list[dict]:
    script = SHARED / "bench" / "gen_corpus.py"
    if not script.is_file():
        sys.exit(f"no corpus generator at {script} (../shared is missing)")
    subprocess.run(
        ["python3", str(script), str(out), "-n", str(count), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]


def stdlib_compat32(raw: bytes) -> None:
    """The cheap stdlib reading: compat32 plus hand-picked header decoding and payloads."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
    for part in message.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)


def stdlib_default(raw: bytes) -> None:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    str(message.get("Subject", ""))
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        with contextlib.suppress(LookupError, KeyError):
            body.get_content()
    for part in message.iter_attachments():
        part.get_payload(decode=True)


def fast_mail_parser(raw: bytes) -> None:
    import fast_mail_parser as fmp

    with contextlib.suppress(fmp.ParseError):
        fmp.parse_email(raw)


def rate(fn: Callable[[bytes], object], raws: list[bytes], runs: int) -> float:
    speeds = []
    for _ in range(runs):
        started = time.perf_counter()
        for raw in raws:
            fn(raw)
        speeds.append(len(raws) / (time.perf_counter() - started))
    return statistics.median(speeds)


def check(raws: list[bytes], manifest: list[dict]) -> dict[str, list[str]]:
    """Compare what we read with what the generator wrote; failures per check."""
    failures: dict[str, list[str]] = {
        k: [] for k in ("subject", "probe", "attachments", "auto_reply", "reply_headers")
    }
    for raw, row in zip(raws, manifest, strict=True):
        mail = parse(raw)
        name = row["file"]
        if mail.subject != row["subject"]:
            failures["subject"].append(f"{name}: {mail.subject!r} != {row['subject']!r}")
        if row["probe"] not in mail.text or row["probe"] not in mail.new_text:
            failures["probe"].append(f"{name}: {row['probe']!r} not in text/new_text")
        names = [a.filename for a in mail.attachments]
        if names != row["attachments"]:
            failures["attachments"].append(f"{name}: {names} != {row['attachments']}")
        if mail.auto_reply != (row["kind"] == "autoreply"):
            failures["auto_reply"].append(f"{name}: auto_reply={mail.auto_reply} ({row['kind']})")
        if row["kind"] in ("reply", "reply_refs_only") and not mail.in_reply_to:
            failures["reply_headers"].append(f"{name}: no In-Reply-To read")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="messages to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed passes; the median counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mannerly-bench-") as folder:
        out = Path(folder) / "corpus"
        manifest = generate(out, args.n, args.seed)
        raws = [(out / row["file"]).read_bytes() for row in manifest]
    size = sum(len(r) for r in raws)
    print(
        f"corpus: {len(raws)} messages, {size / len(raws) / 1024:.1f} KiB average "
        f"(gen_corpus.py -n {args.n} --seed {args.seed}); median of {args.runs} runs"
    )
    parse(raws[0])  # imports and caches outside the timing
    ours = rate(parse, raws, args.runs)
    from mannerly.mail.mime import parse_entity

    peers = {
        "  of which our header + MIME tree reader alone": rate(
            lambda raw: parse_entity(raw, []), raws, args.runs
        ),
        "stdlib policy.default + body + attachments": rate(stdlib_default, raws, args.runs),
        "stdlib compat32 + decode_header + payloads": rate(stdlib_compat32, raws, args.runs),
        "fast-mail-parser 0.10 (parse only)": rate(fast_mail_parser, raws, args.runs),
    }
    print(f"\n{'parser':48} {'msgs/s':>9} {'ms/msg':>7} {'ours/it':>8}")
    print(
        f"{'mannerly.mail.parse (everything ParsedMail holds)':48} {ours:9.0f} "
        f"{1000 / ours:7.3f} {'1.00':>8}"
    )
    for name, speed in peers.items():
        print(f"{name:48} {speed:9.0f} {1000 / speed:7.3f} {ours / speed:8.2f}")
    failures = check(raws, manifest)
    print("\naccuracy against manifest.jsonl:")
    worst = 0
    for name, items in failures.items():
        right = len(raws) - len(items)
        print(f"  {name:14} {right:5}/{len(raws)}  {100 * right / len(raws):6.2f}%")
        worst = max(worst, len(items))
        for item in items[:5]:
            print(f"      {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
