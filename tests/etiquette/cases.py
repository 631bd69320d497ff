"""Shared examples for the etiquette tests: the cast's names and a courteous, complete reply in
each language, which no rule may flag with an error or a warning."""

from __future__ import annotations

from typing import Any

from mannerly.etiquette import lint

CUSTOMERS = {"en": "Anna Smith", "zh": "王芳", "uk": "Олена Коваль", "ru": "Андрей Иванов"}
AGENTS = {"en": "Oleh Kovalenko", "zh": "Mei Lin", "uk": "Олег Коваленко", "ru": "Oleh Kovalenko"}

MESSAGES = {
    "en": "Hello, I was charged twice this month. Can you refund the second charge? "
    "Will my renewal date change?\n\nAnna Smith",
    "zh": "你好，我这个月被扣了两次费。请问能退还第二笔扣款吗？续费日期会变吗？",
    "uk": "Доброго дня! Цього місяця з мене двічі зняли оплату. Чи можете повернути другий платіж? "
    "Чи зміниться дата продовження підписки?",
    "ru": "Здравствуйте! В этом месяце с меня дважды списали оплату. Можете вернуть второй платеж? "
    "Изменится ли дата продления подписки?",
}

CLEAN = {
    "en": "Hi Anna,\n\nThank you for letting us know, and I'm sorry about the double charge. "
    "I have refunded the second payment today; it will reach your card within 5 business days. "
    "Your renewal date stays the same, 14 March.\n\nBest regards,\nOleh",
    "zh": "王女士，您好！\n\n感谢您的反馈，重复扣费给您带来了不便，非常抱歉。第二笔扣款已于今天为您退还，"
    "预计3个工作日内退回到您的银行卡。您的续费日期不会改变，仍然是3月14日。\n\n祝好！\nMei",
    "uk": "Добрий день, Олено!\n\nДякуємо, що повідомили, і перепрошуємо за подвійне списання. "
    "Другий платіж ми повернули сьогодні, кошти надійдуть на вашу картку протягом 5 робочих днів. "
    "Дата продовження підписки не зміниться, це 14 березня.\n\nЗ повагою,\nОлег",
    "ru": "Здравствуйте, Андрей!\n\nСпасибо, что сообщили, и приносим извинения за двойное списание. "
    "Второй платеж мы вернули сегодня, деньги поступят на вашу карту в течение 5 рабочих дней. "
    "Дата продления подписки не изменится, это 14 марта.\n\nС уважением,\nOleh",
}


def run(draft: str, lang: str, *, message: str | None = None, **kw: Any) -> dict[str, Any]:
    kw.setdefault("customer", CUSTOMERS[lang])
    kw.setdefault("agent", AGENTS[lang])
    return lint(draft, message=message, lang=lang, **kw)


def findings(draft: str, lang: str, rule: str, **kw: Any) -> list[dict[str, Any]]:
    return [f for f in run(draft, lang, **kw)["findings"] if f["rule"] == rule]


def fires(draft: str, lang: str, rule: str, **kw: Any) -> bool:
    return bool(findings(draft, lang, rule, **kw))


def apply_fix(text: str, fix: dict[str, Any]) -> str:
    return text[: fix["start"]] + fix["replacement"] + text[fix["end"] :]
