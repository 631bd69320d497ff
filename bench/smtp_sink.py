"""A loopback SMTP server that accepts and counts mail, run by bench/sla.py as a process of its
own so that its CPU time is not charged to the worker being measured.

Prints the port it listens on, then serves until its standard input closes; then prints how
many messages it received and exits.
"""

from __future__ import annotations

import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        return "250 OK"


class EphemeralController(Controller):
    def _trigger_server(self) -> None:  # port 0: learn the port the system chose
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main() -> None:
    sink = Sink()
    controller = EphemeralController(sink, hostname="127.0.0.1", port=0)
    controller.start()
    print(controller.port, flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()
    print(sink.received, flush=True)


if __name__ == "__main__":
    main()
