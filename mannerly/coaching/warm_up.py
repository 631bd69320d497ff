"""Load the etiquette engine before the first agent needs it, not during their request.

The engine reads its phrase lists, morphology and spelling dictionaries on first use, per
language: seconds of CPU in all, paid by whichever ticket page a web worker serves first in
each language (each worker has its own copy). ``start()`` pays it in a background thread when
the web worker starts, so requests go on meanwhile and the first agents do not wait for it.
"""

from __future__ import annotations

import logging
import threading

from mannerly.etiquette import lint, triage

logger = logging.getLogger(__name__)

# A customer's message and the start of a reply in each language the engine reads.
SAMPLES = {
    "en": ("Hello, my order 4512 has not arrived. Where is it?", "Hi Anna,\n\nThank you."),
    "uk": ("Добрий день, де моє замовлення 4512?", "Добрий день, Анно!\n\nДякуємо."),
    "ru": ("Здравствуйте, где мой заказ 4512?", "Здравствуйте, Анна!\n\nСпасибо."),
    "zh": ("你好，我的订单4512还没有发货，请问在哪里？", "王芳，您好！\n\n谢谢。"),
}


def warm_up() -> list[str]:
    """Triage and lint a sample in every language; the languages that loaded."""
    loaded = []
    for lang, (message, draft) in SAMPLES.items():
        try:
            triage(message)
            lint(draft, message=message, customer="Anna", agent="Agent", lang=lang)
        except Exception:  # the request that needs it will load it (and report the error)
            logger.exception("the etiquette engine did not warm up for %s", lang)
            continue
        loaded.append(lang)
    return loaded


def start() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="etiquette-warm-up", daemon=True)
    thread.start()
    return thread
