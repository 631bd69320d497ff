"""The split hunspell dictionary answers exactly as the whole one, and a stale split is rebuilt."""

import json
import os
import random
import re
from pathlib import Path

import hunspell
import pytest

from mannerly.etiquette import hunspell_shards, spellcheck

EVAL = Path(__file__).parent / "eval"
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MANNERLY_DATA", str(tmp_path / "data"))
    return tmp_path / "data" / "cache" / "hunspell"


def _debian(lang):
    files = spellcheck.dictionary_files(lang)
    if files is None:
        pytest.skip(f"Debian package {spellcheck.DEBIAN_PACKAGES[lang]} is not installed")
    return files


def _words(lang: str) -> list[str]:
    """Words of the evaluation drafts, some one edit away (suggestion candidates start with
    another letter too), other cases, Latin words, hyphenated pairs and a diacritic."""
    rng = random.Random(5)
    words: set[str] = set()
    for line in (EVAL / lang / "drafts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.update(_WORD.findall(json.loads(line)["draft"]))
    found = sorted(words)
    for word in rng.sample(found, 60):
        candidates = spellcheck._candidates(lang, word.lower())
        words.update(c for _, c in rng.sample(candidates, 15))
        words.update([word.upper(), word.capitalize(), f"{word}-{rng.choice(found)}"])
    words.update(["SMS", "Google", "aвтобус", "вжеa", "авто\u0301бус", "сьогдні", "сегоня"])
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


@pytest.mark.parametrize(("lang"), ["uk", "ru"])
def test_the_split_gives_hunspells_own_answers(cache, lang):
    dic, aff = _debian(lang)
    whole = hunspell.Hunspell(dic.stem, hunspell_data_dir=str(dic.parent))
    index = hunspell_shards.open_split(dic, aff)
    assert index is not None, "uk_UA and ru_RU have suffix rules only: they can be split"
    words = _words(lang)
    expected = [whole.spell(w) for w in words]
    assert any(expected) and not all(expected)
    by_letter: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        by_letter.setdefault(word[0].lower(), []).append(i)
    got: dict[int, bool] = {}
    for group in by_letter.values():  # a new speller per first letter: few parts loaded
        split = hunspell_shards.SplitSpeller(index)
        got.update((i, split.spell(words[i])) for i in group)
        assert split.loaded == set().union(*(split.parts_for(words[i]) for i in group))
    assert [w for i, w in enumerate(words) if got[i] != expected[i]] == []
    one = hunspell_shards.SplitSpeller(index)
    assert one.spell("Привіт" if lang == "uk" else "Привет") and len(one.loaded) == 1


def test_the_engine_spells_ukrainian_with_the_split():
    speller = spellcheck.dictionary("uk").speller
    assert isinstance(speller, hunspell_shards.SplitSpeller)
    assert not spellcheck.is_known("uk", "сьогдні")
    assert spellcheck.suggestion("uk", "сьогдні") == "сьогодні"
    assert spellcheck.is_known("uk", "сьогодні") and spellcheck.is_known("uk", "SMS")


def _tiny(folder: Path, words: list[str], aff: str = "") -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    dic, affix = folder / "xx_XX.dic", folder / "xx_XX.aff"
    rules = "SFX A Y 2\nSFX A 0 s [^к]\nSFX A 0 и к\nSFX B Y 1\nSFX B ок ки ок\n"
    affix.write_text(aff or f"SET UTF-8\n{rules}", encoding="utf-8")
    dic.write_text(f"{len(words)}\n" + "".join(w + "\n" for w in words), encoding="utf-8")
    return dic, affix


def test_a_changed_dictionary_gets_a_new_split(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(hunspell_shards, "_MIN_SHARD", 1)
    dic, aff = _tiny(tmp_path / "src", ["cat/A", "dog/A", "урок/A", "ок/B"])
    index = hunspell_shards.open_split(dic, aff)
    old = Path(index["folder"])
    speller = hunspell_shards.SplitSpeller(index)
    assert speller.spell("cats") and speller.spell("уроки") and speller.spell("ок")
    assert not speller.spell("bird")
    assert speller.loaded == {index["keys"]["c"], index["keys"]["у"], "other.dic"}
    dic.write_text("5\ncat/A\ndog/A\nурок/A\nок/B\nbird/A\n", encoding="utf-8")
    os.utime(dic, ns=(dic.stat().st_atime_ns, dic.stat().st_mtime_ns + 10**9))
    fresh = hunspell_shards.open_split(dic, aff)
    assert fresh["folder"] != str(old) and not old.exists(), "the stale split is removed"
    assert hunspell_shards.SplitSpeller(fresh).spell("birds")


def test_a_missing_part_loads_the_whole_dictionary(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(hunspell_shards, "_MIN_SHARD", 1)
    dic, aff = _tiny(tmp_path / "src", ["cat/A", "dog/A"])
    index = hunspell_shards.open_split(dic, aff)
    (Path(index["folder"]) / index["keys"]["d"]).unlink()
    speller = hunspell_shards.SplitSpeller(index)
    assert speller.spell("dogs") and speller.spell("cats")


def test_prefix_rules_or_an_unwritable_cache_mean_the_whole_dictionary(tmp_path, monkeypatch):
    dic, aff = _tiny(tmp_path / "src", ["cat/A"], aff="SET UTF-8\nPFX A Y 1\nPFX A 0 re .\n")
    monkeypatch.setenv("MANNERLY_DATA", str(tmp_path / "data"))
    assert hunspell_shards.open_split(dic, aff) is None
    dic, aff = _tiny(tmp_path / "src2", ["cat/A"])
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MANNERLY_DATA", str(tmp_path / "file"))
    assert hunspell_shards.open_split(dic, aff) is None
