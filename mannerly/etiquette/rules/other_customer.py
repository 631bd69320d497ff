"""other-customer: the reply mentions another customer or their case.

"Another client of ours, Acme, had…" tells this customer about someone else's business; it also
tells them their own case would be told to others.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding, phrase_findings

RULE = "other-customer"
SEVERITY = "error"
CHECKLIST = "proofread"


def check(ctx: Context) -> list[Finding]:
    return phrase_findings(
        ctx,
        RULE,
        SEVERITY,
        RULE,
        "{phrase} mentions another customer.",
        suggestion="Keep other customers' cases out of the reply.",
    )
