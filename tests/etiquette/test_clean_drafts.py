"""A courteous, complete reply produces no error and no warning, in every language."""

import pytest

from tests.etiquette.cases import CLEAN, MESSAGES, run


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_clean_reply_has_no_error_or_warning(lang):
    result = run(CLEAN[lang], lang, message=MESSAGES[lang])
    noisy = [f for f in result["findings"] if f["severity"] in ("error", "warning")]
    assert noisy == []
    assert result["ok"] is True
    assert all(q["answered"] for q in result["questions"])
    assert len(result["questions"]) == 2


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_clean_reply_is_detected_in_its_language(lang):
    assert run(CLEAN[lang], lang, message=MESSAGES[lang])["language"] == lang
