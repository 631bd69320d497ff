"""signature-name: the reply ends with the agent's own name.

"Niamh / Customer Support" is fine; "Support", "Команда підтримки" or "客服" alone name nobody.
The agent's display name may be written in another script in the signature (Oleh Kovalenko signs
a Ukrainian reply "Олег"), which is matched by spelling-neutral keys. Without a stored agent name
any personal name on the last lines will do.
"""

from __future__ import annotations

import re

from mannerly.etiquette import morph
from mannerly.etiquette import names as nm
from mannerly.etiquette.rules import Context, Finding, fix
from mannerly.etiquette.structure import is_closing_line, layout
from mannerly.etiquette.text import HAN

RULE = "signature-name"
SEVERITY = "error"
CHECKLIST = "use-your-name"

TAIL_LINES = 4
_CLOSING = {"en": "Best regards,", "zh": "祝好！", "uk": "З повагою,", "ru": "С уважением,"}
_ZH_TEAM = re.compile(
    r"^(?:.*(?:客服|团队|团隊|支持|服务|服務|中心|部门|部|组|公司|小组|售后|客户|顾客|技术|运营|官方))$"
)
_HAN_NAME = re.compile(f"^[{HAN}·]{{2,4}}$")


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    lines = list(layout(doc).lines)  # the draft's content lines, found once
    if not lines:
        return [_finding(ctx, None)]
    tail = lines[-TAIL_LINES:]
    agent = nm.parse_person(ctx.agent) if ctx.agent else None
    if agent is not None:
        if _signed_by(ctx, agent, tail):
            return []
        return [_finding(ctx, agent)]
    if _signed_by_someone(ctx, tail):
        return []
    return [_finding(ctx, None)]


def _signed_by(ctx: Context, agent: nm.Person, tail: list[tuple[int, int]]) -> bool:
    doc = ctx.draft
    parts = [p for p in (agent.given, agent.surname, *agent.parts) if p]
    for i in range(len(tail) - 1, -1, -1):
        s, e = tail[i]
        line = doc.own_text[s:e]
        if agent.script == "han" or _HAN_NAME.search(agent.full.replace(" ", "")):
            found = agent.full in line or (agent.given and agent.given in line and len(line) <= 12)
        else:
            words = [t.text for t in doc.tokens_between(s, e) if t.kind == "word"]
            found = any(nm.same_name(w, p) for w in words for p in parts)
            if not found and doc.lang == "uk":  # a signature in the vocative would be odd, but
                found = any(
                    morph.lemma("uk", w) == morph.lemma("uk", p) for w in words for p in parts
                )
        if found:
            after = tail[i + 1 :]
            return all(len(doc.tokens_between(a, b)) <= 10 for a, b in after)
        if i < len(tail) - 1 and not _looks_like_signature(ctx, s, e):
            break
    return False


def _looks_like_signature(ctx: Context, s: int, e: int) -> bool:
    doc = ctx.draft
    return len(doc.tokens_between(s, e)) <= 10 and not doc.own_text[s:e].rstrip().endswith("?")


def _signed_by_someone(ctx: Context, tail: list[tuple[int, int]]) -> bool:
    """Without a stored agent name: does a personal name stand on the last lines?"""
    doc = ctx.draft
    team = doc.all_hits.get("signature.team")
    team_idx = {i for h in team for i in range(h.first, h.last)}
    for s, e in reversed(tail[-3:]):
        line = doc.own_text[s:e].strip()
        if doc.lang == "zh" and re.search(f"[{HAN}]", line):
            bare = re.sub(r"[\s，,。.!！:：/|\-—]+", "", line)
            if (
                _HAN_NAME.match(bare)
                and not _ZH_TEAM.match(bare)
                and not is_closing_line(doc, s, e)
            ):
                return True
        if is_closing_line(doc, s, e) and len(doc.tokens_between(s, e)) <= 3:
            continue
        from bisect import bisect_left

        first = bisect_left(doc.token_starts, s)
        for offset, tok in enumerate(doc.tokens_between(s, e)):
            if tok.kind != "word" or not tok.text[:1].isupper():
                continue
            if first + offset in team_idx:
                continue
            if any(
                h.first <= first + offset < h.last
                for h in doc.hits_between("signature.closing", s, e)
            ):
                continue
            return True
    return False


def _finding(ctx: Context, agent: nm.Person | None) -> Finding:
    doc = ctx.draft
    if agent is None:
        return ctx.finding(
            RULE,
            SEVERITY,
            0,
            0,
            "The reply does not end with your name.",
            suggestion="Sign the reply with your name.",
            code="signature-name.missing",
        )
    name = agent.full if agent.script == "han" else agent.given or agent.full
    lines = list(layout(doc).lines)  # the draft's content lines, found once
    end = lines[-1][1] if lines else len(doc.raw.rstrip())
    last_closing = bool(lines) and is_closing_line(doc, *lines[-1])
    replacement = f"\n{name}" if last_closing else f"\n\n{_CLOSING[doc.lang]}\n{name}"
    return ctx.finding(
        RULE,
        SEVERITY,
        0,
        0,
        f"The reply does not end with your name ({name}).",
        suggestion=f"Sign it: \u201c{replacement.strip()}\u201d.",
        fix=fix(end, end, replacement),
        code="signature-name.missing-name",
        params={"name": name, "signature": replacement.strip()},
    )
