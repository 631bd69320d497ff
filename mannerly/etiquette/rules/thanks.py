"""thanks: the reply thanks the customer (for writing, for their patience, for the report).

"Thanks to the update…" and "благодаря…" say "because of", not "thank you"; "感谢理解" and "Вам
спасибо" do thank. Words inside a quotation are the customer's, not the agent's.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding

RULE = "thanks"
SEVERITY = "warning"
CHECKLIST = "thank-them"


def check(ctx: Context) -> list[Finding]:
    if ctx.draft.hits.any("thanks"):
        return []
    return [
        ctx.finding(
            RULE,
            SEVERITY,
            0,
            0,
            "The reply never thanks the customer.",
            suggestion="Thank them: for writing, for their patience or for the details they sent.",
            code="thanks.missing",
        )
    ]
