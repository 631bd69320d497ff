"""The translation catalogs are complete, compiled and in step with the code.

Every message the code marks for translation must have a real translation in Chinese
(Simplified), Ukrainian and Russian: an empty or fuzzy entry silently shows English, and a lost
placeholder turns into a KeyError or a wrong number on the page. The compiled .mo files are
committed (a fresh machine needs no gettext), so they must match the .po files they came from.

After changing a marked string, from ``mannerly/``::

    uv run django-admin makemessages --settings=mannerly.settings -l zh_Hans -l uk -l ru \\
        --no-obsolete --ignore 'etiquette/*'
    # translate the new entries, then
    uv run django-admin compilemessages --settings=mannerly.settings
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import mannerly

PACKAGE = Path(mannerly.__file__).parent
LOCALE = PACKAGE / "locale"
LANGUAGES = {"zh_Hans": 1, "uk": 4, "ru": 4}  # catalog folder: plural forms (as Django's own)
# %(name)s, %(count)d, %s, %d, a literal %%, and the {agent}-style fields of signature templates.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%|\{\w+\}")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def translations(entries) -> dict:
    """(context, msgid, plural msgid) → the translation, as one comparable value."""
    out = {}
    for entry in entries:
        if not entry.msgid:  # the header
            continue
        if entry.msgid_plural:
            out[key(entry)] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            out[key(entry)] = entry.msgstr
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_real_translation(language):
    po = catalog(language)
    assert len(po) > 500, "the catalog lost most of its messages"
    assert not po.metadata_is_fuzzy and po.metadata["Language"] == language
    problems = []
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            problems.append(f"fuzzy or obsolete: {entry.msgid!r}")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            if len(forms) != LANGUAGES[language] or not all(f.strip() for f in forms):
                problems.append(f"plural forms missing: {entry.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    problems = []
    for entry in catalog(language):
        if entry.msgid_plural:
            # Each form names the same fields as the English plural ("%(n)s questions").
            wanted = set(placeholders(entry.msgid_plural))
            found = [set(placeholders(f)) for f in entry.msgstr_plural.values()]
            if any(f != wanted for f in found):
                problems.append(f"{entry.msgid_plural!r}: {list(entry.msgstr_plural.values())}")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            problems.append(f"{entry.msgid!r} → {entry.msgstr!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_match_their_sources(language):
    """The committed .mo says exactly what the .po says (run compilemessages after editing)."""
    po = catalog(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert translations(mo) == translations(po)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_catalogs_hold_exactly_the_messages_the_code_marks(tmp_path, settings, monkeypatch):
    """Extract the marked strings from a copy of the code and compare with each catalog.

    A string marked in code or a template but missing from a catalog would show in English; one
    left in a catalog after the code dropped it is dead weight a translator keeps maintaining.
    The extraction runs on a copy so it can never touch the committed catalogs.
    """
    copy = tmp_path / "mannerly"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "etiquette", "__pycache__", "static", "*.pyc"),
    )
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ru"], verbosity=0)
    extracted = translations(polib.pofile(str(tmp_path / "locale/ru/LC_MESSAGES/django.po")))
    assert len(extracted) > 500
    for language in LANGUAGES:
        committed = set(translations(catalog(language)))
        missing = sorted(map(str, set(extracted) - committed))
        stale = sorted(map(str, committed - set(extracted)))
        assert not missing, f"{language}: not in the catalog (run makemessages): {missing}"
        assert not stale, f"{language}: no longer in the code: {stale}"
