"""other-customer: the reply mentions another customer or their case.

"Another client of ours, Acme, had…" tells this customer about someone else's business; it also
tells them their own case would be told to others.
"""

from __future__ import annotations

import re

from mannerly.etiquette import morph
from mannerly.etiquette import names as nm
from mannerly.etiquette.rules import Context, Finding, phrase, phrase_findings, quoted
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import HAN, one_byte

RULE = "other-customer"
SEVERITY = "error"
CHECKLIST = "proofread"


SUGGESTION = "Keep other customers' cases out of the reply."
_EN_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+([A-Z][a-z'’-]+)")
_EN_TITLES = ("Mr", "Ms", "Miss", "Dr")  # what _EN_TITLED needs
_ZH_TITLED = re.compile(f"([{HAN}]{{1,2}})(?:{'|'.join(nm.ZH_TITLES)})")
_COMPANY_HINT = re.compile(f'[\u0400-\u04ff«"“„{HAN}]')
_COMPANY = re.compile(
    r"(?:компані[яїюєі]|компани[яюией]|ТОВ|ТзОВ|ООО|ОАО|ПАТ|ФОП|ИП|агентств\w*|школ\w*|кав'ярн\w*)"
    r"\s*[«\"“„]|[«\"“„][^»\"”]{2,40}[»\"”]\s*(?:з|из|from)\s|(?:家|位)(?:客户|公司)[“\"「]"
    rf"|[{HAN}]{{2,6}}(?:小学|中学|学校|公司|医院|餐厅|工作室|幼儿园|诊所)",
)


def check(ctx: Context) -> list[Finding]:
    out = phrase_findings(
        ctx,
        RULE,
        SEVERITY,
        RULE,
        "{phrase} mentions another customer.",
        SUGGESTION,
        code="other-customer.phrase",
    )
    taken = [(f.start, f.end) for f in out]
    lay = layout(ctx.draft)
    body_start, body_end = lay.body
    for start, end in ctx.draft.sentences:
        if start < body_start or start >= body_end or any(s < end and start < e for s, e in taken):
            continue
        if not ctx.draft.hits_between(RULE + ".context", start, end):
            continue
        staff = ctx.draft.hits_between("internal-details.staff", start, end)
        if any(not ({"pronoun", "self"} & h.entry.tags) for h in staff):
            continue  # "our manager Anna will call you": a colleague, not a customer
        who = _third_party(ctx, start, end)
        if who is not None:
            s, e = who
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    s,
                    e,
                    f"{quoted(ctx.draft.raw[s:e])} is someone else's case.",
                    suggestion=SUGGESTION,
                    code="other-customer.case",
                    params={"phrase": phrase(ctx.draft.raw[s:e])},
                )
            )
    return out


def _may_name_company(ctx: Context) -> bool:
    """Whether the reply has a character every _COMPANY alternative needs (a Cyrillic letter, an
    opening quote, a Han character), so the pattern is not tried sentence by sentence in vain."""
    return bool(ctx.memo(RULE + ".company", lambda: _company_hint(ctx.draft.prose)))


def _company_hint(prose: str) -> bool:
    if one_byte(prose):  # of the hint's characters only '"' and '«' are below U+0100
        return '"' in prose or "«" in prose
    return bool(_COMPANY_HINT.search(prose))


def _own_names(ctx: Context) -> set[str]:
    words: set[str] = set()
    for name in (ctx.customer, ctx.agent):
        person = nm.parse_person(name) if name else None
        if person is None:
            continue
        for part in (*person.parts, person.given, person.surname, person.patronymic):
            if part:
                words.add(part.lower())
                words.add(morph.lemma(ctx.lang, part) if ctx.lang in ("uk", "ru") else part.lower())
    return words


def _third_party(ctx: Context, start: int, end: int) -> tuple[int, int] | None:
    """A person or company named in the sentence who is neither the customer nor the agent."""
    doc = ctx.draft
    text = doc.prose
    own = ctx.memo(RULE + ".own", lambda: _own_names(ctx))
    m = _COMPANY.search(text, start, end) if _may_name_company(ctx) else None
    if m:
        return m.start(), m.end()
    for hit in doc.hits_between(RULE + ".who", start, end):
        return hit.start, hit.end
    if doc.lang == "en":
        if not any(title in text[start:end] for title in _EN_TITLES):
            return None  # no title to name anyone by ("Mrs" contains "Mr")
        for m in _EN_TITLED.finditer(text, start, end):
            if m.group(1).lower() not in own:
                return m.start(), m.end()
        return None
    if doc.lang == "zh":
        for m in _ZH_TITLED.finditer(text, start, end):
            if not any(m.group(1).endswith(x) or x.startswith(m.group(1)) for x in own):
                return m.start(), m.end()
        return None
    for tok in doc.tokens_between(start, end):
        if tok.kind != "word" or not tok.text[:1].isupper() or tok.start == start:
            continue
        readings = morph.parses(doc.lang, tok.text)
        if not any({"Name", "Surn", "Patr"} & tags for _, tags in readings):
            continue
        if tok.text.lower() in own or morph.lemma(doc.lang, tok.text) in own:
            continue
        return tok.start, tok.end
    return None
