"""summary-cta: a long reply (over ~120 words, ~300 Chinese characters) ends with a short summary
and a clear next step for the customer.

The last two paragraphs before the sign-off are read for a summary ("in short", "коротко",
"总之") or a next step ("please reply with…", "натисніть…", "请您…", "no action is needed").
"""

from __future__ import annotations

from mannerly.etiquette.questions import at_start
from mannerly.etiquette.rules import Context, Finding
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import is_list_item, line_spans

RULE = "summary-cta"
SEVERITY = "warning"
CHECKLIST = "keep-it-simple"


def check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    zh = doc.lang == "zh"
    limit = ctx.config.threshold("summary-cta.chars" if zh else "summary-cta.words")
    body_start, body_end = layout(doc).body
    # Length as the customer meets it: every word of the reply, numbers and sign-off included.
    size = doc.size() if zh else len(doc.tokens)
    if size <= limit:
        return []
    paragraphs = [p for p in doc.paragraphs if body_start <= p[1] and p[0] < body_end]
    # The close: the last paragraph, or its last two sentences when it is long.
    tail = paragraphs[-1:]
    if tail:
        sentences = [s for s in doc.sentences if tail[0][0] <= s[0] < body_end]
        if len(sentences) > 3:
            tail = [(sentences[-2][0], body_end)]
    for start, end in tail:
        end = min(end, body_end)
        for hit in doc.hits_between(RULE, start, end):
            if "start" in hit.entry.tags:
                sentence = doc.sentences[doc.sentence_at(hit.start)]
                if not at_start(doc, hit, sentence[0]):
                    continue
            return []
        lines = line_spans(doc.own_text, start, end)
        if sum(is_list_item(doc.own_text[s:e]) for s, e in lines) >= 2:
            return []
    unit = "characters" if zh else "words"
    return [
        ctx.finding(
            RULE,
            SEVERITY,
            0,
            0,
            f"A long reply ({size} {unit}) ends without a short summary or a clear next step.",
            suggestion="Close with one or two lines: what was done and what the customer does next.",
            code="summary-cta.chars" if zh else "summary-cta.words",
            params={"count": size},
        )
    ]
