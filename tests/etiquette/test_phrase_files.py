"""The built-in phrase lists parse as written: alternatives do not nest."""

import re

from mannerly.etiquette.lexicon import DATA

_NESTED = re.compile(r"\{[^{}]*\{")


def test_no_phrase_nests_alternatives_which_the_parser_would_read_as_literal_braces():
    nested = [
        f"{path.relative_to(DATA)}:{n}"
        for path in sorted(DATA.glob("*/*.txt"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("#") and _NESTED.search(line)
    ]
    assert nested == []
