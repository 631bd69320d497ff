"""``mannerly mail listen``: an SMTP (or LMTP) server that stores every message before it says 250.

The reply to the end of DATA is sent only after the raw bytes are committed to the database, so
a message the sender was told we have survives any crash of this process. Unknown recipients get
550 at RCPT, oversized messages 552. Processing (parse, thread) runs in a background thread of
this process and in any ``mannerly worker``; both claim rows, so nothing is processed twice.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import connection

from mannerly.mail import mailboxes
from mannerly.mail.store import Envelope as StoredEnvelope
from mannerly.mail.store import store_raw

logger = logging.getLogger("mannerly.mail")


class DeskHandler:
    """aiosmtpd handler: checks recipients, stores the message, then answers."""

    def __init__(self, executor: ThreadPoolExecutor, stored: threading.Event) -> None:
        self.executor = executor
        self.stored = stored
        self.lmtp = False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        loop = asyncio.get_running_loop()
        known = await loop.run_in_executor(self.executor, _is_our_address, address)
        if not known:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        stored = StoredEnvelope(
            source="lmtp" if self.lmtp else "smtp",
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
        )
        loop = asyncio.get_running_loop()
        try:
            row_id = await loop.run_in_executor(self.executor, _store, raw, stored)
        except Exception:
            logger.exception("could not store a message from %s", envelope.mail_from)
            reply = "451 4.3.0 Could not store the message; try again later"
            return _per_recipient(reply, envelope) if self.lmtp else reply
        self.stored.set()
        reply = f"250 2.0.0 OK stored as {row_id}"
        return _per_recipient(reply, envelope) if self.lmtp else reply


def _per_recipient(reply: str, envelope: Envelope) -> str:
    """LMTP answers once per recipient (RFC 2033); the message was stored once for all."""
    return "\r\n".join([reply] * max(1, len(envelope.rcpt_tos)))


def _is_our_address(address: str) -> bool:
    return _with_fresh_connection_on_error(mailboxes.is_own, address)


def _store(raw: bytes, envelope: StoredEnvelope) -> int:
    return _with_fresh_connection_on_error(lambda: store_raw(raw, envelope).pk)


def _with_fresh_connection_on_error(function, *args):
    """Executor threads keep their connection (no reconnect per message); a broken one is
    dropped so that the next message reconnects."""
    try:
        return function(*args)
    except Exception:
        connection.close()
        raise


def _process_forever(stored: threading.Event, stop: threading.Event) -> None:
    """Process stored mail as it arrives; a worker may do the same, rows are claimed."""
    from mannerly.mail.ingest import process_due_mail

    while not stop.is_set():
        stored.wait(timeout=2.0)
        stored.clear()
        try:
            while not stop.is_set() and process_due_mail():
                pass
        except Exception:
            logger.exception("processing stored mail failed; retrying")
            stop.wait(2.0)
        finally:
            connection.close()


async def _serve(host: str, port: int, *, lmtp: bool, process: bool) -> None:
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mail-store")
    stored = threading.Event()
    stop = threading.Event()
    handler = DeskHandler(executor, stored)
    handler.lmtp = lmtp
    protocol = LMTP if lmtp else SMTP
    loop = asyncio.get_running_loop()

    def factory() -> SMTP:
        return protocol(
            handler,
            data_size_limit=settings.MAIL_MAX_SIZE,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=host if host not in ("0.0.0.0", "::") else None,
            ident="Mannerly",
        )

    server = await loop.create_server(factory, host=host, port=port)
    bound = server.sockets[0].getsockname()
    kind = "LMTP" if lmtp else "SMTP"
    print(f"Mannerly mail listener ({kind}) on {bound[0]}:{bound[1]}", flush=True)
    worker = None
    if process:
        worker = threading.Thread(target=_process_forever, args=(stored, stop), daemon=True)
        worker.start()
    finished = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, finished.set)
    try:
        await finished.wait()
    finally:
        server.close()
        await server.wait_closed()
        stop.set()
        stored.set()
        if worker is not None:
            worker.join(timeout=10)
        executor.shutdown(wait=True)


def serve(host: str, port: int, *, lmtp: bool = False, process: bool = True) -> None:
    asyncio.run(_serve(host, port, lmtp=lmtp, process=process))
