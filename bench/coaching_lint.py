"""What the reply box's lint endpoint costs on the server: one command, prints medians and p95.

    uv run python bench/coaching_lint.py [-n 100]

In a scratch data folder (embedded SQLite, deleted afterwards) it opens one ticket per language
and times, in process, (1) the engine's lint() alone with the same inputs and (2) the whole
endpoint the reply box calls as the agent types (POST /coaching/tickets/<id>/lint/: session,
permission check, the customer's messages, the team's rules, lint, the HTML fragment), each
draft growing by a word per request as it would while typing. Each line is JSON; `overhead` is
endpoint / engine. The browser's round trip (request sent to findings drawn) is measured by
tests/browser/test_coaching.py::test_lint_round_trip_is_measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "en": (
        "Anna Smith",
        "Hello, I was charged twice for invoice 2031. Can you refund the second charge? "
        "And will my renewal date change?",
        "Hi Anna, thank you for writing and sorry for the double charge. The second charge is "
        "refunded today and reaches your card within 3 days. Your renewal date stays the same.",
    ),
    "uk": (
        "Олена Коваль",
        "Це вже третій раз, коли я пишу! Коли ви повернете гроші? І чому мій акаунт заблоковано?",
        "Добрий день, Олено! Вибачте за довге очікування, дякуємо за терпіння. Гроші повернемо "
        "на вашу картку до п'ятниці. Акаунт заблокувала автоматична перевірка, сьогодні ми його "
        "розблокували.",
    ),
    "ru": (
        "Андрей Иванов",
        "Здравствуйте, когда придёт мой заказ? И можно ли поменять адрес доставки?",
        "Здравствуйте, Андрей! Спасибо, что написали. Заказ придёт в четверг до 18:00. Адрес "
        "доставки можно поменять в личном кабинете до среды.",
    ),
    "zh": (
        "王芳",
        "请问我的订单什么时候发货？还有发票怎么开？",
        "王芳，您好！ 感谢您的耐心。 您的订单 将于 明天下午 发货。 发票 可以 在 订单页面 "
        "点击 申请发票 开具。",
    ),
}


def setup() -> None:
    data = Path(tempfile.mkdtemp(prefix="mannerly-bench-"))
    os.environ["MANNERLY_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mannerly.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import atexit

    atexit.register(shutil.rmtree, data, ignore_errors=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="requests per language")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from mannerly.accounts.models import Team, User
    from mannerly.coaching.coach import DraftContext
    from mannerly.etiquette import lint
    from mannerly.tickets import actions
    from mannerly.tickets.models import Customer

    settings.ALLOWED_HOSTS = ["*"]
    team = Team.objects.create(name="Support")
    agent = User.objects.create_user("oleh", role=User.Role.AGENT, display_name="Oleh Kovalenko")
    team.members.add(agent)
    client = Client()
    client.force_login(agent)
    for lang, (name, message, draft) in CASES.items():
        customer = Customer.objects.create(name=name, language=lang)
        ticket = actions.do_open_ticket(customer, "Question", message, team=team, language=lang)
        context = DraftContext.load(ticket, agent)
        url = reverse("coaching:lint", args=[ticket.pk])
        words = draft.split(" ")
        # Every draft differs (a growing prefix and a case number), so no cache answers for it.
        drafts = [
            " ".join(words[: 1 + i % len(words)]) + f" #{1000 + i}\n\nOleh Kovalenko"
            for i in range(args.n)
        ]
        client.post(url, {"body": drafts[0]})  # loads the engine's data in this process
        engine, endpoint = [], []
        for seq, text in enumerate(drafts, start=1):
            started = time.perf_counter()
            lint(text, message=context.message, customer=name, agent=agent.name, lang=lang)
            engine.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.post(url, {"body": text, "seq": seq})
            endpoint.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            json.dumps(
                {
                    "lang": lang,
                    "n": args.n,
                    "engine_median_ms": round(statistics.median(engine), 1),
                    "engine_p95_ms": round(p95(engine), 1),
                    "endpoint_median_ms": round(statistics.median(endpoint), 1),
                    "endpoint_p95_ms": round(p95(endpoint), 1),
                    "overhead": round(statistics.median(endpoint) / statistics.median(engine), 2),
                }
            )
        )


if __name__ == "__main__":
    main()
