"""Mail commands log full tracebacks to a file in the data folder, never to the terminal."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings


def log_file() -> Path:
    return Path(settings.LOG_DIR) / "mail.log"


def setup_mail_logging() -> None:
    """Send the ``mannerly.mail`` logger to ``<data>/logs/mail.log`` only (idempotent)."""
    logger = logging.getLogger("mannerly.mail")
    path = log_file()
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
