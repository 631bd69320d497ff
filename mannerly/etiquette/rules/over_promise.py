"""over-promise: promises nobody can keep ("guarantee", "100%", "never again", "гарантуємо").

A money-back guarantee is a policy, not a promise, and 保证金 is a deposit: the lists cancel those
with ``unless-prev``/``unless-next`` and jieba word boundaries.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding, phrase_findings

RULE = "over-promise"
SEVERITY = "warning"
CHECKLIST = "stay-positive"


def check(ctx: Context) -> list[Finding]:
    return phrase_findings(
        ctx,
        RULE,
        SEVERITY,
        RULE,
        "{phrase} promises what nobody can guarantee.",
        suggestion="Promise what you control: what you have done and what you will do next.",
        code="over-promise.phrase",
    )
