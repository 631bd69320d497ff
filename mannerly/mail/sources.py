"""Where imported mail comes from: .eml files, folders, mbox files, Maildirs and stdin.

Order and names follow shared/spec/mail.md: a folder in file-name order (recursively), an mbox
in file order with ``#N`` (1-based), a Maildir by its ``cur/`` and ``new/`` names.
"""

from __future__ import annotations

import mailbox
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Files in a folder that are certainly not mail (a corpus manifest, notes, archives).
SKIPPED_SUFFIXES = {".json", ".jsonl", ".md", ".py", ".sh", ".gz", ".zip", ".tar", ".db"}


class SourceError(Exception):
    """A path that cannot be read: bad usage, reported in one line."""


@dataclass(frozen=True)
class Item:
    source: str
    data: bytes


def check_paths(paths: list[str]) -> None:
    """Fail before storing anything when one of the paths cannot be read."""
    for path in paths:
        if path == "-":
            continue
        p = Path(path)
        if not p.exists():
            raise SourceError(f"{path}: no such file or folder")
        if p.is_file():
            try:
                with p.open("rb"):
                    pass
            except OSError as exc:
                raise SourceError(f"{path}: {exc.strerror or exc}") from None
        elif not p.is_dir():
            raise SourceError(f"{path}: not a file or folder")


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(5) == b"From "
    except OSError:
        return False


def count(paths: list[str]) -> int | None:
    """How many messages there will be (for the progress bar); None when unknown cheaply."""
    total = 0
    for path in paths:
        p = Path(path)
        if path == "-":
            total += 1
        elif p.is_dir():
            total += sum(1 for _ in _folder_files(p))
        elif is_mbox(p):
            return None
        else:
            total += 1
    return total


def items(paths: list[str]) -> Iterator[Item]:
    for path in paths:
        if path == "-":
            yield Item("-", sys.stdin.buffer.read())
            continue
        p = Path(path)
        if p.is_dir():
            for file in _folder_files(p):
                yield from _file_items(file, str(file))
        else:
            yield from _file_items(p, path)


def _folder_files(folder: Path) -> Iterator[Path]:
    if is_maildir(folder):
        for sub in ("cur", "new"):
            yield from sorted(f for f in (folder / sub).iterdir() if _wanted(f))
        return
    for entry in sorted(folder.iterdir(), key=lambda f: f.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.name == "tmp" and is_maildir(folder):
                continue
            yield from _folder_files(entry)
        elif _wanted(entry):
            yield entry


def _wanted(file: Path) -> bool:
    return file.is_file() and not file.name.startswith(".") and file.suffix not in SKIPPED_SUFFIXES


def _file_items(file: Path, name: str) -> Iterator[Item]:
    if is_mbox(file):
        box = mailbox.mbox(file, create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                yield Item(f"{name}#{number}", box.get_bytes(key))
        finally:
            box.close()
        return
    yield Item(name, file.read_bytes())
