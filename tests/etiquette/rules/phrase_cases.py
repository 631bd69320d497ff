"""Wrap a sentence in a courteous reply, so a rule test checks one sentence at a time."""

from __future__ import annotations

WRAP = {
    "en": "Hi Anna,\n\nThank you for your message. {}\n\nBest regards,\nOleh",
    "zh": "王女士，您好！\n\n感谢您的来信。{}\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nДякуємо за лист. {}\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nСпасибо за письмо. {}\n\nС уважением,\nOleh",
}


def wrap(lang: str, sentence: str) -> str:
    return WRAP[lang].format(sentence)
