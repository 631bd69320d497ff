"""No template shows words a translator cannot reach.

A page's text outside ``{% translate %}`` / ``{% blocktranslate %}`` stays English in every
language, and makemessages cannot notice it. This scan strips the translated blocks, template tags
and variables, scripts and comments from every template and reports any word left in the text or
in the attributes people read (title, placeholder, aria-label, alt).
"""

from __future__ import annotations

import re
from pathlib import Path

import mannerly

PACKAGE = Path(mannerly.__file__).parent
HIDDEN = re.compile(
    r"{#.*?#}|{% comment %}.*?{% endcomment %}"
    r"|{% blocktrans(?:late)?\b.*?{% endblocktrans(?:late)? %}"
    r"|<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->"
    # Keys, code and class names are the same in every language.
    r"|<kbd>.*?</kbd>|<code>.*?</code>|{% block body_class %}.*?{% endblock %}",
    re.S,
)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|&[#\w]+;", re.S)
TEXT = re.compile(r">([^<>]+)<")
READ_ATTRIBUTE = re.compile(r'\b(?:title|placeholder|aria-label|alt)\s*=\s*"([^"]*)"')
WORD = re.compile(r"[^\W\d_]{2,}")
# The product's name is not translated.
ALLOWED = {"Mannerly"}


def unmarked_text(source: str) -> list[str]:
    """The words a reader would see that no translation tag covers."""
    text = HIDDEN.sub(" ", source)
    text = TEMPLATE_CODE.sub(" ", text)
    found = [m.group(1) for m in TEXT.finditer(text)]
    found += [m.group(1) for m in READ_ATTRIBUTE.finditer(text)]
    return [t.strip() for t in found if set(WORD.findall(t)) - ALLOWED]


def test_the_scan_finds_unmarked_text():
    assert unmarked_text('<p title="Open it">{% translate "Fine" %}</p>') == ["Open it"]
    assert unmarked_text("<h1>Inbox</h1>") == ["Inbox"]
    assert (
        unmarked_text("<h1>{% blocktranslate %}Rules of {{ t }}{% endblocktranslate %}</h1>") == []
    )


def test_every_template_marks_its_text_for_translation():
    templates = sorted(PACKAGE.glob("**/templates/**/*.html"))
    assert len(templates) > 20
    problems = [
        f"{path.relative_to(PACKAGE)}: {text!r}"
        for path in templates
        for text in unmarked_text(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)
