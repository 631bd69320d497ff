"""blame: the reply blames the customer ("you should have", "as I already told you").

Passive-aggressive reminders count ("as mentioned in our previous email, which you may have
missed", "как я уже писал", "正如我之前说过的"); an expectation does not ("you should have received
the code by now", "вы должны были получить", "您应该已经收到"): the lists cancel those with
``unless-next``.
"""

from __future__ import annotations

from mannerly.etiquette.rules import Context, Finding, phrase_findings

RULE = "blame"
SEVERITY = "error"
CHECKLIST = "stay-positive"


def check(ctx: Context) -> list[Finding]:
    return phrase_findings(
        ctx,
        RULE,
        SEVERITY,
        RULE,
        "{phrase} puts the blame on the customer.",
        suggestion="Explain what happened and what happens next, without saying whose fault it is.",
        code="blame.phrase",
    )
