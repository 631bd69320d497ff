"""Debian's hunspell dictionaries split by first letter, so a check loads only what it needs.

Loading all of uk_UA takes hunspell about a second (330,000 stems), longer than `mannerly lint`
may take to start. When a dictionary has only suffix rules (no prefixes, no compounds) a word
can only come from a stem with the same first letter, up to case, unless a suffix strips the
whole stem; such short stems stay in a base file that is always loaded. hunspell itself still
answers every word, with the same .aff, on the stems that can make it: the answers are the
same, only the loading is spread out (`add_dic` adds a part to the loaded speller).

The parts are written once under the cache folder ($MANNERLY_DATA/cache, else the XDG cache),
in a folder named after the size and mtime of the Debian files, so an upgraded package gets a
new split; nothing is downloaded. Where the cache cannot be written, or the .aff uses anything
beyond the rules above, the caller loads the whole dictionary as before.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

FORMAT = 1
INDEX = "index.json"
OTHER = "other"
# What the split's reasoning covers; any other directive (PFX, COMPOUND*, FLAG, CHECKSHARPS,
# NEEDAFFIX, ...) means the whole dictionary is loaded instead.
_SAFE = frozenset(
    ["SET", "TRY", "MAP", "WORDCHARS", "BREAK", "IGNORE", "ICONV", "SFX", "REP", "KEY"]
)
_SAFE_BREAKS = frozenset(["-", "^-", "-$"])
_MIN_SHARD = 500  # letters with fewer stems go to the "other" part


def cache_root() -> Path:
    data = os.environ.get("MANNERLY_DATA")
    if data:
        return Path(data) / "cache" / "hunspell"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "mannerly" / "hunspell"


def folder_for(dic: Path, aff: Path) -> Path:
    """The split's folder: a new one whenever either Debian file changes."""
    d, a = dic.stat(), aff.stat()
    stamp = f"{d.st_size}-{d.st_mtime_ns}-{a.st_size}-{a.st_mtime_ns}-v{FORMAT}"
    return cache_root() / f"{dic.stem}-{stamp}"


def open_split(dic: Path, aff: Path) -> dict[str, Any] | None:
    """The split's index (building it on first use), or None: load the whole dictionary."""
    try:
        folder = folder_for(dic, aff)
        index_file = folder / INDEX
        if not index_file.exists():
            build(dic, aff, folder)
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not index.get("split"):
        return None
    index["folder"] = str(folder)
    return index


def build(dic: Path, aff: Path, folder: Path) -> None:
    """Write the split (or a note that this dictionary cannot be split) atomically."""
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        index = _write_split(dic, aff, tmp)
        (tmp / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:
            if not (folder / INDEX).exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stale = re.compile(rf"{re.escape(dic.stem)}-\d+-\d+-\d+-\d+-v\d+")
    for old in folder.parent.iterdir():
        if old != folder and stale.fullmatch(old.name):
            shutil.rmtree(old, ignore_errors=True)  # a split of an older package


def _write_split(dic: Path, aff: Path, out: Path) -> dict[str, Any]:
    aff_text = aff.read_text(encoding="utf-8")
    rules = _suffix_rules(aff_text)
    if rules is None:
        return {"split": False}
    strips, ignore, iconv = rules
    dic_text = dic.read_text(encoding="utf-8")
    aff_lines = aff_text.splitlines()
    # IGNORE costs hunspell half its load time; when no stem or rule holds those characters,
    # dropping it and removing them from each word before the check is the same thing.
    rest = "\n".join(x for x in aff_lines if x.split()[:1] != ["IGNORE"])
    if ignore and not any(ch in dic_text or ch in rest for ch in ignore):
        aff_lines = [x for x in aff_lines if x.split()[:1] != ["IGNORE"]]
    else:
        ignore = ""
    (out / aff.name).write_text("\n".join(aff_lines) + "\n", encoding="utf-8")
    base: list[str] = []
    parts: dict[str, list[str]] = {}
    for line in dic_text.splitlines()[1:]:
        if not line:
            continue
        stem, _, flags = line.partition("/")
        if (
            "\\" in line
            or any(ch.isspace() for ch in line)
            or len(stem) <= max((strips.get(f, 0) for f in flags), default=0)
        ):
            base.append(line)  # escapes, fields, or a suffix may strip the first letter
        else:
            parts.setdefault(stem[0].lower(), []).append(line)
    keys = {k: _shard_name(k) for k, lines in parts.items() if _is_key(k, len(lines))}
    other = [x for k, lines in parts.items() if k not in keys for x in lines]
    _write_dic(out / dic.name, base)
    for key, name in keys.items():
        _write_dic(out / name, parts[key])
    _write_dic(out / f"{OTHER}.dic", other)
    sizes = {p.name: p.stat().st_size for p in out.glob("*.dic")}
    return {
        "split": True,
        "name": dic.stem,
        "source": str(dic.parent),
        "keys": keys,
        "ignore": ignore,
        "iconv": iconv,
        "sizes": sizes,
    }


def _suffix_rules(aff_text: str) -> tuple[dict[str, int], str, dict[str, str]] | None:
    """Longest strip per suffix flag, IGNORE characters and one-letter ICONV pairs, or None
    when the .aff uses anything the split does not account for."""
    strips: dict[str, int] = {}
    ignore = ""
    iconv: dict[str, str] = {}
    headers: set[str] = set()
    for line in aff_text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        kind = fields[0]
        if kind not in _SAFE:
            return None
        if kind == "SET" and fields[1:2] != ["UTF-8"]:
            return None
        is_pattern = kind == "BREAK" and len(fields) == 2 and not fields[1].isdigit()
        if is_pattern and fields[1] not in _SAFE_BREAKS:
            return None
        if kind == "IGNORE" and len(fields) > 1:
            ignore = fields[1]
        if kind == "ICONV" and len(fields) == 3:
            if len(fields[1]) != 1 or len(fields[2]) != 1:
                return None
            iconv[fields[1]] = fields[2]
        if kind == "SFX" and len(fields) >= 4:
            flag = fields[1]
            if flag not in headers:
                headers.add(flag)  # "SFX flag Y count": the rules follow
                continue
            if len(flag) != 1 or "/" in fields[3]:
                return None  # long flags or twofold suffixes
            strip = 0 if fields[2] == "0" else len(fields[2])
            strips[flag] = max(strips.get(flag, 0), strip)
    return strips, ignore, iconv


def _is_key(key: str, count: int) -> bool:
    # Only letters whose case folds back to themselves, so "А" and "а" find the same part.
    return count >= _MIN_SHARD and key.isalpha() and key.upper().lower() == key


def _shard_name(key: str) -> str:
    return f"part-{ord(key):x}.dic"


def _write_dic(path: Path, lines: list[str]) -> None:
    path.write_text(f"{len(lines)}\n" + "".join(x + "\n" for x in lines), encoding="utf-8")


class SplitSpeller:
    """hunspell on the base stems, adding the part for each first letter a word needs."""

    def __init__(self, index: dict[str, Any]) -> None:
        import hunspell

        self.folder = Path(index["folder"])
        self.keys: dict[str, str] = index["keys"]
        self.ignore: str = index["ignore"]
        self.iconv: dict[str, str] = index["iconv"]
        self.sizes: dict[str, int] = index["sizes"]
        self.name: str = index["name"]
        self.source: str = index["source"]
        self.hunspell = hunspell.Hunspell(self.name, hunspell_data_dir=str(self.folder))
        self.loaded: set[str] = set()

    def spell(self, word: str) -> bool:
        """hunspell's answer; not thread-safe (callers hold the dictionary's lock)."""
        for ch in self.ignore:
            word = word.replace(ch, "")
        for part in self.parts_for(word) - self.loaded:
            self._add(part)
        return bool(self.hunspell.spell(word))

    def _add(self, part: str) -> None:
        path = self.folder / part
        try:
            intact = path.stat().st_size == self.sizes[part]
        except OSError:
            intact = False
        if intact and self.hunspell.add_dic(str(path)) == 0:
            self.loaded.add(part)
            return
        # A part went missing or was cut short under us: hunspell would only print a warning
        # and answer without those stems, so load the whole Debian dictionary instead.
        import hunspell

        self.hunspell = hunspell.Hunspell(self.name, hunspell_data_dir=self.source)
        self.loaded.update(self.sizes)

    def parts_for(self, word: str) -> set[str]:
        """The parts holding every stem that can make the word (each piece between hyphens
        starts a stem too: hunspell checks them apart at BREAK points)."""
        starts = [p[0] for p in word.split("-") if p]
        if not starts or not all(ch.isalpha() for ch in starts):
            return {*self.keys.values(), f"{OTHER}.dic"}  # odd input: take no chances
        out: set[str] = set()
        for ch in starts:
            for form in {ch, self.iconv.get(ch, ch)}:
                for variant in (form, form.lower(), form.upper()):
                    out.add(self.keys.get(variant.lower(), f"{OTHER}.dic"))
        return out
