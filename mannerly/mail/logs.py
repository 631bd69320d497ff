"""Mail commands log full tracebacks to a file in the data folder, never to the terminal."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings


def log_file() -> Path:
    return Path(settings.LOG_DIR) / "mail.log"


# Ours, and aiosmtpd's ("mail.log"), which logs a traceback for a client's broken connection.
LOGGERS = ["mannerly.mail", "mail.log"]


def setup_mail_logging() -> None:
    """Send the mail loggers to ``<data>/logs/mail.log`` only (idempotent)."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if any(
            isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path
            for h in logger.handlers
        ):
            continue
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
