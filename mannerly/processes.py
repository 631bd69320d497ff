"""Start the desk's processes (web, mail listener, worker) and stop them all together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field


def first_free_port(host: str = "127.0.0.1", start: int = 8000, tries: int = 100) -> int:
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port between {start} and {start + tries - 1}")


def web_command(host: str, port: int, workers: int = 2, threads: int = 4) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "mannerly.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]


def mannerly_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mannerly", *args]


@dataclass
class ProcessGroup:
    """Child processes that live and die together; Ctrl-C stops all of them cleanly."""

    children: dict[str, subprocess.Popen] = field(default_factory=dict)
    stopping: bool = False

    def start(self, name: str, command: list[str]) -> None:
        self.children[name] = subprocess.Popen(command, env=os.environ.copy())

    def stop(self, *_args) -> None:
        if self.stopping:
            return
        self.stopping = True
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def wait(self) -> int:
        """Block until a signal or until any child exits; then stop the rest."""
        # A parent started from a script may have left SIGINT ignored: take Ctrl-C back.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGINT, lambda *_: self._request_stop())
        signal.signal(signal.SIGTERM, lambda *_: self._request_stop())
        self._stop_requested = False
        exit_code = 0
        while not self._stop_requested:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    print(f"mannerly: {name} exited with status {code}; stopping", file=sys.stderr)
                    exit_code = code or 1
                    self._stop_requested = True
                    break
            time.sleep(0.2)
        self.stop()
        return exit_code

    def _request_stop(self) -> None:
        self._stop_requested = True
