"""The etiquette engine: triage() an inbound customer message, lint() an agent's reply draft.

Plain Python with no Django import, so the command line starts fast and the web app, the REST
API and scripts share one implementation. Both functions are pure (no database, no network) and
safe to call from many threads; the heavy data (phrase automatons, dictionaries, morphology) is
loaded once per process on first use. The JSON shapes are the public contract in
shared/spec/etiquette.md.
"""

from __future__ import annotations

from typing import Any

from mannerly.etiquette.config import TeamConfig

__all__ = ["TeamConfig", "lint", "triage"]


def triage(
    text: str, lang: str | None = None, *, config: TeamConfig | None = None
) -> dict[str, Any]:
    """Language, emotion, flags, questions and guidance for an inbound customer message."""
    from mannerly.etiquette.message_triage import triage as run

    return run(text, lang, config=config)


def lint(
    draft: str,
    message: str | None = None,
    customer: str | None = None,
    agent: str | None = None,
    lang: str | None = None,
    *,
    config: TeamConfig | None = None,
) -> dict[str, Any]:
    """Findings, courtesy checklist and answered questions for an agent's reply draft."""
    from mannerly.etiquette.draft_lint import lint as run

    return run(draft, message, customer, agent, lang, config=config)
