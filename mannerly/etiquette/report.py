"""Human-readable reports for the command line: the checklist, then each finding with the
offending text underlined (wide Chinese characters take two columns)."""

from __future__ import annotations

import unicodedata
from typing import Any

WINDOW = 100  # columns of a line shown around a finding
_MARK = {"error": "error", "warning": "warning", "suggestion": "suggestion"}
_COLOR = {"error": "\x1b[31m", "warning": "\x1b[33m", "suggestion": "\x1b[36m"}
_RESET = "\x1b[0m"


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text.replace("\t", " "))


def underline(text: str, start: int, end: int) -> list[str]:
    """The line holding text[start:end] (trimmed to WINDOW columns) and a caret line under it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    end = min(max(end, start + 1), line_end) if line_end > start else start
    lo = max(line_start, start - WINDOW // 2)
    hi = min(line_end, max(end, lo + WINDOW))
    shown = _printable(text[lo:hi])
    prefix = "…" if lo > line_start else ""
    suffix = "…" if hi < line_end else ""
    pad = len(prefix) + sum(_width(c) for c in shown[: start - lo])
    marks = max(1, sum(_width(c) for c in shown[start - lo : end - lo]))
    return [prefix + shown + suffix, " " * pad + "^" * marks]


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def lint_report(draft: str, result: dict[str, Any], color: bool = False) -> str:
    findings = result["findings"]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in _MARK}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    verdict = (
        "ready to send"
        if result["ok"] and not findings
        else ("no errors" if result["ok"] else "fix the errors before sending")
    )
    out = [f"Language: {result['language']}    {summary or 'no findings'} — {verdict}", ""]
    if result.get("truncated"):
        out[1:1] = [f"Note: only the first {result['analysed_chars']} characters were checked.", ""]
    out.append("Checklist")
    for item in result["checklist"]:
        box = "[x]" if item["ok"] else "[ ]"
        out.append(f"  {box} {item['item']}")
    if result.get("questions"):
        out += ["", "Customer's questions"]
        for n, q in enumerate(result["questions"], 1):
            state = "answered" if q["answered"] else "NOT ANSWERED"
            out.append(f"  {n}. [{state}] {_printable(q['text'])}")
    if findings:
        out += ["", "Findings"]
    for f in findings:
        label = _MARK[f["severity"]]
        if color:
            label = _COLOR[f["severity"]] + label + _RESET
        where = "whole reply" if f["start"] == f["end"] == 0 else _position(draft, f["start"])
        out.append(f"  {label}  {f['rule']}  ({where})")
        if f["end"] > f["start"]:
            out += ["    " + line for line in underline(draft, f["start"], f["end"])]
        out.append(f"    {_printable(f['message'])}")
        if f["suggestion"]:
            out.append(f"    → {_printable(f['suggestion'])}")
        out.append("")
    return "\n".join(out).rstrip()


def triage_report(text: str, result: dict[str, Any]) -> str:
    emotion = result["emotion"]
    out = [
        f"Language:  {result['language']}",
        f"Emotion:   {emotion['label']} (anger {emotion['anger']:.2f})",
        f"Flags:     {', '.join(result['flags']) or 'none'}",
        f"Questions: {len(result['questions'])}",
    ]
    for n, q in enumerate(result["questions"], 1):
        out.append(f"  {n}. {_printable(q['text'])}")
    if result.get("truncated"):
        out.append(f"Note:      only the first {result['analysed_chars']} characters were read.")
    out.append("Guidance:")
    out += [f"  - {g}" for g in result["guidance"]]
    return "\n".join(out)
