"""TeamConfig: a team extends lists, silences phrases, switches rules off, changes severities."""

import pytest

from mannerly.etiquette import TeamConfig
from tests.etiquette.cases import run
from tests.etiquette.rules.phrase_cases import wrap


def rules_of(result):
    return {f["rule"]: f["severity"] for f in result["findings"]}


def test_default_config_changes_nothing():
    draft = wrap("en", "Unfortunately the parcel is late.")
    assert run(draft, "en") == run(draft, "en", config=TeamConfig())


def test_team_jargon_is_flagged_in_every_language():
    config = TeamConfig.from_dict({"phrases": {"plain-language": {"*": ["Flux Capacitor"]}}})
    for lang in ("en", "uk"):
        draft = wrap(lang, "Flux Capacitor OK.")
        assert "plain-language" in rules_of(run(draft, lang, config=config))
        assert "plain-language" not in rules_of(run(draft, lang))


def test_ignored_phrase_is_never_flagged():
    draft = wrap("en", "Unfortunately the parcel is late.")
    config = TeamConfig.from_dict({"ignore": {"en": ["unfortunately"]}})
    assert "negative-language" in rules_of(run(draft, "en"))
    assert "negative-language" not in rules_of(run(draft, "en", config=config))


def test_disabled_rule_and_severity_override():
    draft = wrap("en", "Unfortunately the parcel is late.")
    config = TeamConfig.from_dict(
        {"disabled_rules": ["thanks"], "severities": {"negative-language": "error"}}
    )
    result = run(draft.replace("Thank you for your message. ", ""), "en", config=config)
    assert "thanks" not in rules_of(result)
    assert rules_of(result)["negative-language"] == "error"
    assert result["ok"] is False


def test_thresholds_can_be_changed():
    draft = wrap("en", "We checked everything. " * 10)
    config = TeamConfig.from_dict({"thresholds": {"wall-of-text.words": 20}})
    assert "wall-of-text" not in rules_of(run(draft, "en"))
    assert "wall-of-text" in rules_of(run(draft, "en", config=config))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        TeamConfig.from_dict({"severities": {"rude": "fatal"}})
    with pytest.raises(ValueError):
        TeamConfig.from_dict({"thresholds": {"nonsense": 1}})


def test_config_is_hashable_so_compiled_lists_are_reused():
    a = TeamConfig.from_dict({"phrases": {"plain-language": {"en": ["widget"]}}})
    b = TeamConfig.from_dict({"phrases": {"plain-language": {"en": ["widget"]}}})
    assert a == b and hash(a) == hash(b)
    assert a.lexicon("en") is b.lexicon("en")
