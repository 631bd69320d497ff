"""Bad input gets a clear result or a clear error: never a traceback, never a hang."""

import json
import time

import pytest

from mannerly.etiquette import lint, triage
from mannerly.etiquette.text import MAX_CHARS

ODD = [
    "",
    "   \n\t  ",
    "😀😀😀 🙏",
    "مرحبا، أين طلبي؟ שלום",
    "Hi \u202eevil\u202c text",
    "broken \ud800 surrogate \udfff here?",
    "\x00\x01\x02 control \x7f characters",
    "Hello 你好 Привіт Здравствуйте مرحبا 😀 mixed?",
    "a" * 10_000,
    "?" * 500,
    "\n" * 5_000,
    "{{" * 3_000 + "}}" * 3_000,
    "'" * 2_000 + '"' * 2_000,
]


@pytest.mark.parametrize("text", ODD)
def test_odd_text_gives_a_json_result_with_valid_offsets(text):
    for result in (lint(text, message=text, customer="Anna Smith", agent="Oleh"), triage(text)):
        json.dumps(result, ensure_ascii=False).encode("utf-8")  # encodable, no lone surrogates
        for item in result.get("findings", []) + result.get("questions", []):
            assert 0 <= item.get("start", 0) <= item.get("end", 0) <= len(text)


def test_empty_draft_reports_what_is_missing():
    result = lint("")
    assert result["ok"] is False
    assert {f["rule"] for f in result["findings"]} >= {"greeting-name", "signature-name"}


@pytest.mark.parametrize("lang", ["en", "zh", "uk", "ru"])
def test_five_megabytes_are_read_in_linear_time_and_reported_as_truncated(lang):
    unit = {
        "en": "We refunded your order today, thank you for waiting. ",
        "zh": "我们今天已经为您退款，感谢您的耐心等待。",
        "uk": "Ми повернули кошти сьогодні, дякуємо за терпіння. ",
        "ru": "Мы вернули деньги сегодня, спасибо за терпение. ",
    }[lang]
    text = unit * (5_000_000 // len(unit.encode("utf-8")))
    started = time.perf_counter()
    result = lint(text, lang=lang)
    assert time.perf_counter() - started < 30  # generous: the machine is shared
    assert result["truncated"] is True and result["analysed_chars"] == MAX_CHARS
    assert all(f["end"] <= MAX_CHARS for f in result["findings"])
    assert triage(text, lang)["truncated"] is True


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unsupported language"):
        lint("Hola", lang="es")


def test_a_given_language_is_used_as_is():
    assert lint("Дякую!", lang="uk")["language"] == "uk"
    assert lint("Hello", lang="zh-hans")["language"] == "zh"
