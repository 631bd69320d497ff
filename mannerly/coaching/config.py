"""A team's etiquette settings as the engine's ``TeamConfig`` (and back to what the page shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mannerly.etiquette import TeamConfig

if TYPE_CHECKING:
    from mannerly.accounts.models import Team, User
    from mannerly.coaching.models import TeamEtiquette

ENGINE_LANGUAGES = ("en", "zh", "uk", "ru")
# Which engine phrase list each word-list box of the settings page adds to.
PHRASE_LISTS = {
    "jargon": "plain-language",
    "internal_names": "internal-details.tools",
}
DEFAULT_CONFIG = TeamConfig()


def lines(text: str) -> list[str]:
    """The non-empty lines of a word-list box, in order, without repeats."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return list(seen)


def config_data(row: TeamEtiquette) -> dict[str, Any]:
    """The settings row as ``TeamConfig.from_dict`` takes it; every language gets the lists."""
    return {
        "phrases": {
            list_name: {"*": lines(getattr(row, field))}
            for field, list_name in PHRASE_LISTS.items()
            if lines(getattr(row, field))
        },
        "ignore": {"*": lines(row.allowed_phrases)} if lines(row.allowed_phrases) else {},
        "dictionary": [w for line in lines(row.dictionary) for w in line.split()],
        "disabled_rules": sorted(set(row.disabled_rules or [])),
        "severities": dict(row.severities or {}),
    }


def build_config(row: TeamEtiquette | None) -> TeamConfig:
    """The engine config for a team's settings; the engine's defaults without settings.

    A row saved through the settings page is valid; a row that is not (edited by hand in the
    database) must not take the reply box down, so it falls back to the defaults.
    """
    if row is None:
        return DEFAULT_CONFIG
    try:
        return TeamConfig.from_dict(config_data(row))
    except (TypeError, ValueError):
        return DEFAULT_CONFIG


def settings_for(team: Team | int | None) -> TeamEtiquette | None:
    from mannerly.coaching.models import TeamEtiquette

    team_id = getattr(team, "pk", team)
    if team_id is None:
        return None
    return TeamEtiquette.objects.filter(team_id=team_id).first()


def phrase_error(line: str) -> str | None:
    """Why the engine cannot read this phrase line, or None when it can."""
    from mannerly.etiquette.lexicon import parse_line

    try:
        for lang in ENGINE_LANGUAGES:
            parse_line(lang, "plain-language", line)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        return str(exc) or exc.__class__.__name__
    return None


def render_signature(template: str, agent: User, team: Team | None) -> str:
    """The team's signature with ``{agent}`` and ``{team}`` filled in (plain text, no templates)."""
    text = template.replace("{agent}", agent.name).replace("{team}", team.name if team else "")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())
