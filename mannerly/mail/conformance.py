"""Score the parser against the shared conformance corpus (../shared/corpora/mail).

    uv run python -m mannerly.mail.conformance [--corpus DIR] [--failures] [--source NAME]

The corpus holds 448 messages from other projects' test suites with the values *their* tests
assert (MANIFEST.json). Each asserted field of a message is one point: from, to, cc, reply_to,
subject, body_contains, body exactness, content_type, attachments, is_auto_reply, bounce,
bounce status, message ids, date. A field scores when every assertion in it holds.

Not applicable (counted and listed, never scored):
- ``extra.source_quirks`` (already outside the common fields in the manifest);
- ``is_auto_reply: true`` on messages that are bounces: our contract says a bounce is never an
  auto-reply (zammad calls its bounces auto-responses);
- sisimai's pseudo status codes ``X.0.9NN``, which sisimai invents from its own reason table;
- group names (ParsedMail lists mailboxes, not the groups they came in).
"""

from __future__ import annotations

import argparse
import hashlib
import html as htmllib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mannerly.mail.headers import parse_headers
from mannerly.mail.parse import _addresses, parse, sender_addresses
from mannerly.mail.parsed import Address, ParsedMail

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "mail"
_TAGS = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")
_PSEUDO_STATUS = re.compile(r"^\d\.0\.9\d\d$")


@dataclass
class Outcome:
    id: str
    source: str
    passed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (field, why)
    # (field, why, whether it would have matched anyway): for the raw score
    not_applicable: list[tuple[str, str, bool]] = field(default_factory=list)
    crashed: str = ""
    seconds: float = 0.0


_UTF7 = re.compile(r"\+[A-Za-z0-9+/]{2,}-")


def rendering_quirk(expected: str, ours: str, raw_sources: list[bytes]) -> str:
    """Why ``expected`` is a mis-decoded rendering of text we decoded, or "".

    Mechanical checks only: the source left RFC 2047 or UTF-7 text undecoded, or shows
    mojibake (the message's own bytes read as a single-byte code page they are not in).
    """
    if not expected or expected == ours:
        return ""
    if ("=?" in expected or "?=" in expected) and "=?" not in ours and "?=" not in ours:
        return "source left an RFC 2047 encoded-word undecoded"
    if _UTF7.search(expected):
        try:
            decoded = _UTF7.sub(lambda m: m.group().encode("ascii").decode("utf-7"), expected)
        except UnicodeError:
            decoded = ""
        if decoded and _WS.sub(" ", decoded) in _WS.sub(" ", ours):
            return "source left UTF-7 undecoded"
    want = _WS.sub(" ", expected).strip()
    if want.isascii():
        return ""
    for page in ("cp1250", "cp1252", "iso-8859-2", "iso-8859-1", "cp1251"):
        for raw in raw_sources:
            if want in _WS.sub(" ", raw.decode(page, "replace")):
                return "source shows mojibake (bytes read as a wrong code page)"
    return ""


def _raw_sources(raw: bytes) -> list[bytes]:
    """The header section and every leaf body of a message, transfer-decoded."""
    from mannerly.mail.mime import parse_entity

    sources = [raw[: raw.find(b"\n\n") if b"\n\n" in raw else 65536]]
    stack = [parse_entity(raw, [])]
    while stack:
        part = stack.pop()
        stack.extend(part.children)
        if not part.children:
            sources.append(part.payload())
    return sources


def _norm(text: str) -> str:
    return _WS.sub(" ", htmllib.unescape(_TAGS.sub(" ", text))).strip()


def _norm_header(text: str) -> str:
    return _WS.sub(" ", text.replace('"', "").replace("'", "")).strip()


def _render(addresses: list[Address]) -> str:
    return ", ".join(f"{a.name} <{a.email}>" if a.name else a.email for a in addresses)


class _Checker:
    def __init__(self, raw: bytes, mail: ParsedMail, outcome: Outcome) -> None:
        self.raw = raw
        self.mail = mail
        self.outcome = outcome
        self.headers, _, _ = parse_headers(raw)
        self.raw_sources = _raw_sources(raw)

    def check(self, name: str, ok: bool, why: str = "") -> None:
        if ok:
            self.outcome.passed.append(name)
        else:
            self.outcome.failed.append((name, why))

    def skip(self, name: str, why: str, ok: bool = False) -> None:
        self.outcome.not_applicable.append((name, why, ok))

    # -- addresses --
    def address_list(self, header: str) -> list[Address]:
        if header == "from":
            found = sender_addresses(self.headers)
            return found or ([self.mail.from_] if self.mail.from_ else [])
        return _addresses(self.headers, header, ())

    def addresses(self, name: str, header: str, expected: dict[str, Any]) -> None:
        ours = self.address_list(header)
        problems: list[str] = []
        if "group_names" in expected:
            self.skip(f"{name}.group_names", "ParsedMail lists mailboxes, not groups")
        if "addresses" in expected and [a.email for a in ours] != expected["addresses"]:
            problems.append(f"addresses {[a.email for a in ours]} != {expected['addresses']}")
        if "display_names" in expected and [a.name for a in ours] != expected["display_names"]:
            problems.append(f"names {[a.name for a in ours]} != {expected['display_names']}")
        if "primary_address" in expected:
            got = self.mail.from_.email if self.mail.from_ else ""
            if got != expected["primary_address"]:
                problems.append(f"primary {got!r} != {expected['primary_address']!r}")
        quirk = ""
        if "primary_display_name" in expected:
            got = self.mail.from_.name if self.mail.from_ else ""
            if got != expected["primary_display_name"]:
                quirk = rendering_quirk(expected["primary_display_name"], got, self.raw_sources)
                problems.append(f"primary name {got!r} != {expected['primary_display_name']!r}")
        if "contains_addresses" in expected:
            emails = {a.email for a in ours}
            if not set(expected["contains_addresses"]) <= emails:
                problems.append(f"{sorted(emails)} lacks {expected['contains_addresses']}")
        if "count" in expected and len(ours) != expected["count"]:
            problems.append(f"count {len(ours)} != {expected['count']}")
        if "header" in expected:
            want = _norm_header(expected["header"])
            decoded = _norm_header(self.mail.header(header))
            rendered = _norm_header(_render(ours))
            if want not in (decoded, rendered):
                problems.append(f"header {decoded!r} / {rendered!r} != {want!r}")
        if not set(expected) - {"group_names"}:
            return
        if problems and quirk and all(p.startswith(("primary name", "header")) for p in problems):
            self.skip(name, quirk)
            return
        self.check(name, not problems, "; ".join(problems))


def _attachment_matches(item: dict[str, Any], attachment: Any, source: str) -> bool:
    data: bytes = attachment.data
    # Sources that normalised line endings before hashing (stalwart, zammad) see LF only.
    variants = [data, data.replace(b"\r\n", b"\n")]
    if attachment.content_type.startswith(("text/", "message/")):
        try:
            from mannerly.mail.decode import decode_text

            charset = None
            variants.append(decode_text(data, charset)[0].encode("utf-8"))
        except Exception:  # a scoring convenience only
            pass
    for key, want in item.items():
        if key == "filename" and source != "zammad":
            if attachment.filename != want:
                return False
        elif key == "size" and source != "zammad":
            if want not in {len(v) for v in variants}:
                return False
        elif key == "md5":
            if want not in {hashlib.md5(v).hexdigest() for v in variants}:
                return False
        elif key == "mime_type" and source != "zammad":
            if attachment.content_type != want.lower():
                return False
        elif key == "inline":
            if attachment.inline != want:
                return False
        elif key == "disposition":
            # "" = the part has no Content-Disposition; we report inline only for "inline".
            if want in ("", "attachment") and attachment.inline:
                return False
            if want == "inline" and not attachment.inline:
                return False
    return True


def _score_message(entry: dict[str, Any], corpus: Path) -> Outcome:
    outcome = Outcome(entry["id"], entry["source"])
    raw = (corpus / entry["path"]).read_bytes()
    if entry["path"].endswith("raw_email_with_binary_encoded.eml"):
        raw = raw.replace(b"BINARY_CONTENT_GOES_HERE", bytes(range(256)))
    started = time.perf_counter()
    try:
        mail = parse(raw)
    except Exception as exc:  # a crash is the worst outcome; record it, keep scoring
        outcome.crashed = f"{type(exc).__name__}: {exc}"
        return outcome
    outcome.seconds = time.perf_counter() - started
    if any(d.startswith("parser failure") for d in mail.defects):
        outcome.crashed = next(d for d in mail.defects if d.startswith("parser failure"))
    expected = entry["expected"]
    extra = entry.get("extra", {})
    source = entry["source"]
    c = _Checker(raw, mail, outcome)

    for name in ("from", "to", "cc"):
        if expected.get(name):
            c.addresses(name, name, expected[name])
    if isinstance(extra.get("reply_to"), dict):
        c.addresses("reply_to", "reply-to", extra["reply_to"])

    if expected.get("subject") is not None and re.search(r"[\r\n]", expected["subject"]):
        c.skip(
            "subject",
            "source keeps a line break in the subject; our headers are one line",
            mail.subject == expected["subject"],
        )
    elif expected.get("subject") is not None:
        quirk = rendering_quirk(expected["subject"], mail.subject, c.raw_sources)
        if mail.subject != expected["subject"] and quirk:
            c.skip("subject", quirk)
        else:
            c.check(
                "subject",
                mail.subject == expected["subject"],
                f"{mail.subject!r} != {expected['subject']!r}",
            )

    # stalwart turns a part that no boundary closes (a truncated or sloppy message) into an
    # attachment and flags it; we show its text, as Dovecot and Python do.
    unterminated = "is_encoding_problem" in (expected.get("charset_notes") or "")
    texts = _WS.sub(" ", mail.text) + " \n " + (_norm(mail.html) if mail.html else "")
    if expected.get("body_contains") and unterminated:
        c.skip(
            "body_contains",
            "stalwart policy for a part no boundary closes",
            all(_norm(s) in texts for s in expected["body_contains"]),
        )
    elif expected.get("body_contains"):
        missing = [s for s in expected["body_contains"] if _norm(s) not in texts]
        quirks = {rendering_quirk(_norm(s), texts, c.raw_sources) for s in missing}
        if missing and "" not in quirks:
            c.skip("body_contains", sorted(quirks)[0])
        else:
            c.check(
                "body_contains", not missing, f"missing {missing[:3]!r}; text {mail.text[:200]!r}"
            )
    for key in ("body_text_exact", "body_decoded_exact"):
        if key in extra:
            c.check(
                key,
                mail.text.strip() == extra[key].strip(),
                f"{mail.text[:200]!r} != {extra[key][:200]!r}",
            )
    if extra.get("body_empty_after_strip"):
        c.check("body_empty", not mail.text.strip(), f"{mail.text[:100]!r}")

    if expected.get("content_type") and source == "zammad" and "zammad_body_placeholder" in extra:
        got = "text/html" if mail.html is not None else "text/plain"
        c.skip(
            "content_type",
            "zammad shows a placeholder body; its type is zammad's rendering",
            got == expected["content_type"],
        )
    elif expected.get("content_type"):
        if source == "zammad":
            got = "text/html" if mail.html is not None else "text/plain"
        else:
            got = mail.content_type
        c.check(
            "content_type",
            got == expected["content_type"],
            f"{got!r} != {expected['content_type']!r}",
        )

    if unterminated and expected.get("attachments") is not None:
        c.skip(
            "attachments",
            "stalwart policy for a part no boundary closes",
            _would_pass(_score_attachments, c, entry, mail),
        )
    else:
        _score_attachments(c, entry, mail)

    bounce_fact = extra.get("bounce")
    if expected.get("is_auto_reply") is not None:
        if bounce_fact and bounce_fact.get("is_bounce"):
            c.skip(
                "is_auto_reply",
                "source calls a bounce an auto-reply; our contract does not",
                mail.auto_reply == expected["is_auto_reply"],
            )
        else:
            c.check(
                "is_auto_reply",
                mail.auto_reply == expected["is_auto_reply"],
                f"auto_reply={mail.auto_reply}",
            )
    if bounce_fact is not None and bounce_fact.get("is_bounce") and _only_delayed(raw):
        c.skip(
            "bounce",
            "a delay warning: sisimai counts it as a bounce, ruby-mail and we do not",
            mail.bounce is not None,
        )
    elif bounce_fact is not None:
        want = bool(bounce_fact.get("is_bounce"))
        c.check(
            "bounce",
            (mail.bounce is not None) == want,
            f"bounce={mail.bounce} auto_reply={mail.auto_reply}",
        )
        status = ""
        facts = extra.get("sisimai_facts") or []
        if facts and facts[0].get("status"):
            status = facts[0]["status"]
        elif want and bounce_fact.get("status"):
            status = bounce_fact["status"]
        if want and status:
            if _PSEUDO_STATUS.match(status):
                c.skip(
                    "bounce_status",
                    f"sisimai pseudo status {status}",
                    mail.bounce is not None and mail.bounce.status == status,
                )
            else:
                got = mail.bounce.status if mail.bounce else ""
                c.check("bounce_status", got == status, f"{got!r} != {status!r}")
        if want and bounce_fact.get("final_recipient"):
            recipient = bounce_fact["final_recipient"].partition(";")[2].strip()
            got = mail.bounce.recipient if mail.bounce else ""
            c.check("bounce_recipient", got == recipient, f"{got!r} != {recipient!r}")

    _score_ids(c, extra, mail)
    return outcome


def _only_delayed(raw: bytes) -> bool:
    """The message is an RFC 3464 report in which every recipient is only delayed."""
    from mannerly.mail.bounces import parse_delivery_status
    from mannerly.mail.mime import parse_entity

    root = parse_entity(raw, [])
    stack = [root]
    actions: list[str] = []
    while stack:
        part = stack.pop()
        stack.extend(part.children)
        if part.content_type == "message/delivery-status":
            text = part.payload().decode("utf-8", "replace")
            actions += [d.action for d in parse_delivery_status(text)]
    return bool(actions) and all(a == "delayed" for a in actions)


def _would_pass(
    score: Callable[..., None], c: _Checker, entry: dict[str, Any], mail: ParsedMail
) -> bool:
    """Run a field check on the side: would it pass if it were scored?"""
    shadow = _Checker.__new__(_Checker)
    shadow.__dict__.update(c.__dict__)
    shadow.outcome = Outcome(entry["id"], entry["source"])
    score(shadow, entry, mail, shadow=True)
    return not shadow.outcome.failed


def _score_attachments(
    c: _Checker, entry: dict[str, Any], mail: ParsedMail, shadow: bool = False
) -> None:
    expected = entry["expected"].get("attachments")
    source = entry["source"]
    extra = entry.get("extra", {})
    if expected is None:
        return
    items = [a for a in expected if not a.get("zammad_html_alternative")]
    mode = entry.get("attachments_match", "exact")
    if "counted by the mail gem" in extra.get("note", "") and not shadow:
        c.skip(
            "attachments",
            "mail gem also lists the attachments inside attached messages",
            _would_pass(_score_attachments, c, entry, mail),
        )
        return
    ours = mail.attachments
    if source == "zammad":
        mode = "subset"  # zammad's test: every asserted md5 is among the parsed attachments
        if "attachment_filename_asserted" in extra:
            items = [*items, {"filename_any": extra["attachment_filename_asserted"]}]
        if not items:
            return
    describe = [(a.filename, a.content_type, a.size) for a in ours]
    if mode == "count_only":
        c.check("attachments", len(ours) == len(items), f"{len(ours)} != {len(items)}: {describe}")
        return
    if mode == "exact":
        ok = len(ours) == len(items) and all(
            _attachment_matches(item, att, source) for item, att in zip(items, ours, strict=False)
        )
        c.check("attachments", ok, f"{describe} vs {items}")
        return
    missing = []
    for item in items:
        if "filename_any" in item:
            if not any(a.filename == item["filename_any"] for a in ours):
                missing.append(item)
        elif not any(_attachment_matches(item, a, source) for a in ours):
            missing.append(item)
    c.check("attachments", not missing, f"missing {missing} in {describe}")


def _score_ids(c: _Checker, extra: dict[str, Any], mail: ParsedMail) -> None:
    if "message_id" in extra:
        want = extra["message_id"].strip("<>")
        c.check("message_id", mail.message_id == f"<{want}>", f"{mail.message_id!r} != {want!r}")
    if "in_reply_to" in extra:
        want_ids = [f"<{i}>" for i in extra["in_reply_to"]]
        c.check("in_reply_to", [mail.in_reply_to] == want_ids[:1], f"{mail.in_reply_to!r}")
    if extra.get("in_reply_to_blank"):
        c.check("in_reply_to", mail.in_reply_to == "", f"{mail.in_reply_to!r}")
    if "references" in extra:
        want_refs = [f"<{i}>" for i in extra["references"]]
        c.check("references", mail.references == want_refs, f"{mail.references} != {want_refs}")
    if "date" in extra:
        got = mail.date.isoformat() if mail.date else None
        c.check("date", got == extra["date"], f"{got} != {extra['date']}")


def load_manifest(corpus: Path) -> list[dict[str, Any]]:
    manifest: dict[str, Any] = json.loads((corpus / "MANIFEST.json").read_text("utf-8"))
    return list(manifest["messages"])


def run(corpus: Path, only: str | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for entry in load_manifest(corpus):
        if only and entry["source"] != only:
            continue
        outcomes.append(_score_message(entry, corpus))
    return outcomes


@dataclass
class Totals:
    messages: int = 0
    passed: int = 0
    failed: int = 0
    not_applicable: int = 0
    crashes: int = 0
    na_would_pass: int = 0

    @property
    def score(self) -> float:
        total = self.passed + self.failed
        return 100.0 * self.passed / total if total else 100.0

    @property
    def raw_score(self) -> float:
        """Every asserted field scored, quirks included."""
        total = self.passed + self.failed + self.not_applicable
        return 100.0 * (self.passed + self.na_would_pass) / total if total else 100.0


def totals(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, Totals]:
    table: dict[str, Totals] = defaultdict(Totals)
    for o in outcomes:
        t = table[key(o)]
        t.messages += 1
        t.passed += len(o.passed)
        t.failed += len(o.failed)
        t.not_applicable += len(o.not_applicable)
        t.na_would_pass += sum(1 for *_, ok in o.not_applicable if ok)
        t.crashes += bool(o.crashed)
    return dict(table)


def report(outcomes: list[Outcome], show_failures: bool, out: Any = sys.stdout) -> Totals:
    by_source = totals(outcomes, lambda o: o.source)
    overall = totals(outcomes, lambda o: "all")["all"]
    print(
        f"{'source':24} {'msgs':>5} {'fields':>7} {'right':>6} {'score':>7} {'n/a':>4} "
        f"{'crash':>5} {'raw':>7}",
        file=out,
    )
    for source, t in sorted(by_source.items(), key=lambda kv: -kv[1].messages):
        print(
            f"{source:24} {t.messages:5} {t.passed + t.failed:7} {t.passed:6} "
            f"{t.score:6.1f}% {t.not_applicable:4} {t.crashes:5} {t.raw_score:6.1f}%",
            file=out,
        )
    print(
        f"{'all':24} {overall.messages:5} {overall.passed + overall.failed:7} "
        f"{overall.passed:6} {overall.score:6.1f}% {overall.not_applicable:4} "
        f"{overall.crashes:5} {overall.raw_score:6.1f}%",
        file=out,
    )
    print(
        "(score: fields the sources assert, quirks listed below excluded; raw: every asserted "
        "field, quirks included)",
        file=out,
    )
    by_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        for name in o.passed:
            by_field[name][0] += 1
        for name, _ in o.failed:
            by_field[name][1] += 1
    print(
        "\nper field: "
        + ", ".join(f"{k} {v[0]}/{v[0] + v[1]}" for k, v in sorted(by_field.items())),
        file=out,
    )
    na: dict[str, int] = defaultdict(int)
    for o in outcomes:
        for _, why, _ok in o.not_applicable:
            na[why if "pseudo" not in why else "sisimai pseudo status X.0.9NN"] += 1

    if na:
        print("not applicable: " + "; ".join(f"{n} × {why}" for why, n in na.items()), file=out)
    slowest = sorted(outcomes, key=lambda o: -o.seconds)[:3]
    print("slowest: " + ", ".join(f"{o.id} {o.seconds * 1000:.1f} ms" for o in slowest), file=out)
    if show_failures:
        print("\nfailures:", file=out)
        for o in outcomes:
            if o.crashed:
                print(f"  {o.id}: CRASH {o.crashed}", file=out)
            for name, why in o.failed:
                print(f"  {o.id}: {name}: {why[:400]}", file=out)
    return overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--failures", action="store_true", help="list every failed field")
    parser.add_argument("--source", help="score one source only")
    args = parser.parse_args(argv)
    if not (args.corpus / "MANIFEST.json").is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    outcomes = run(args.corpus, args.source)
    overall = report(outcomes, args.failures)
    return 0 if overall.score >= 98.0 and overall.crashes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
