"""spelling: hunspell dictionaries; names, links, code and team words are skipped."""

import pytest

from mannerly.etiquette import TeamConfig, spellcheck
from tests.etiquette.cases import apply_fix, findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "spelling"

TYPOS = [
    ("en", "Your refund was proccessed today.", "proccessed", "processed"),
    ("en", "We recieved your order.", "recieved", "received"),
    ("uk", "Ми повернули кошти сьогдні.", "сьогдні", "сьогодні"),
    ("ru", "Мы вернули деньги сегоня.", "сегоня", "сегодня"),
]


@pytest.mark.parametrize(("lang", "sentence", "typo", "right"), TYPOS)
def test_misspelled_word_is_flagged_with_a_fix(lang, sentence, typo, right):
    draft = wrap(lang, sentence)
    (found,) = findings(draft, lang, RULE)
    assert draft[found["start"] : found["end"]] == typo
    assert right in apply_fix(draft, found["fix"])


CLEAN = [
    ("en", "Please visit https://example.com/helpp or write to suport@example.com."),
    ("en", "Run `mannerlyctl --resett` and check the Zendeskk dashboard."),
    ("en", "We apologise: the colour of the cancelled order was wrong."),
    ("uk", "Ми вже повернули кошти на картку Visa, перевірте застосунок Monobank."),
    ("ru", "Мы уже вернули деньги на карту, проверьте приложение Тинькофф."),
    ("zh", "我们已经把钱退回到您的卡上了。"),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_links_code_names_and_british_spelling_are_not_typos(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []


def test_the_customers_name_is_never_a_typo():
    draft = "Hi Siobhan,\n\nThank you for writing.\n\nBest regards,\nOleh"
    assert findings(draft, "en", RULE, customer="Siobhan Nguyen") == []


def test_team_dictionary_words_are_accepted():
    from tests.etiquette.cases import run

    draft = wrap("en", "Open the sprocketbox panel.")
    assert findings(draft, "en", RULE)
    config = TeamConfig(dictionary=frozenset({"sprocketbox"}))
    assert [f for f in run(draft, "en", config=config)["findings"] if f["rule"] == RULE] == []


def test_a_missing_dictionary_is_reported_not_passed(monkeypatch):
    monkeypatch.setattr(spellcheck, "DICTIONARY_DIRS", ())
    monkeypatch.setattr(spellcheck, "_dictionaries", {})
    spellcheck._known_word.cache_clear()
    spellcheck.is_known.cache_clear()
    try:
        (found,) = findings(wrap("uk", "Ми повернули кошти."), "uk", RULE)
        assert "not checked" in found["message"] and "hunspell-uk" in found["message"]
    finally:
        spellcheck._dictionaries.clear()
        spellcheck._known_word.cache_clear()
    spellcheck.is_known.cache_clear()
