"""acknowledge-emotion: an upset or angry customer hears first that their feeling is understood.

Runs only with the customer's message, whose mood triage reads. The acknowledgement (an apology,
"I understand how frustrating…", "розумію ваше розчарування", "非常理解您的心情") must come in the
first half of the reply's body, before the solution. "Thank you for your patience" alone does not
acknowledge a feeling.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding
from mannerly.etiquette.structure import layout

RULE = "acknowledge-emotion"
SEVERITY = "error"
CHECKLIST = "understand-the-request"


def check(ctx: Context) -> list[Finding]:
    if ctx.message is None or ctx.emotion == "calm":
        return []
    doc = ctx.draft
    hits = doc.hits.get(RULE)
    body_start, body_end = layout(doc).body
    body_sentences = [s for s in doc.sentences if body_start <= s[0] < body_end]
    limit = body_start + (body_end - body_start) // 2
    if len(body_sentences) >= 2:
        limit = max(limit, body_sentences[1][1])
    elif body_sentences:
        limit = max(limit, body_sentences[0][1])
    if any(h.start <= limit for h in hits):
        return []
    if hits:
        code = "acknowledge-emotion.late"
        message = "The acknowledgement comes only after the solution."
        suggestion = "Open with it: the customer needs to feel heard before they read the fix."
    else:
        mood = "angry" if ctx.emotion == "angry" else "upset"
        code = "acknowledge-emotion.angry" if mood == "angry" else "acknowledge-emotion.upset"
        message = f"The customer is {mood}, and the reply does not acknowledge it."
        suggestion = "Acknowledge how they feel or apologise before the solution."
    return [ctx.finding(RULE, SEVERITY, 0, 0, message, suggestion=suggestion, code=code)]
