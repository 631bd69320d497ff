"""Fill ``{name}`` placeholders in team-editable text, and nothing else.

Team-written text is data. ``str.format`` itself would let ``{ticket.customer.user.password}`` or
``{0.__class__}`` walk into objects, and a template engine would run tags; here only known simple
names are replaced with plain strings, and everything else stays exactly as written.
"""

from __future__ import annotations

from string import Formatter

ACKNOWLEDGEMENT_PLACEHOLDERS = frozenset(
    {"customer_name", "ticket_id", "ticket_subject", "answer_by", "team_name"}
)


def _pieces(text: str):
    """``Formatter.parse`` pieces, or the whole text as one literal when its braces are broken."""
    try:
        return list(Formatter().parse(text))
    except ValueError:
        return [(text, None, None, None)]


def _verbatim(name: str, spec: str | None, conversion: str | None) -> str:
    conv = f"!{conversion}" if conversion else ""
    colon = f":{spec}" if spec else ""
    return "{" + name + conv + colon + "}"


def unknown_placeholders(text: str, known: frozenset[str] = ACKNOWLEDGEMENT_PLACEHOLDERS) -> set:
    """Placeholder names in ``text`` that would not be filled (shown to the editor as a mistake)."""
    return {name for _lit, name, _s, _c in _pieces(text) if name is not None and name not in known}


def fill(text: str, values: dict[str, object], known: frozenset[str] | None = None) -> str:
    """``text`` with each ``{name}`` of a known key replaced by ``str(value)``.

    Unknown names, names with attribute or index access, conversions (``!r``) and format specs
    are left verbatim; ``{{`` and ``}}`` are literal braces as in ``str.format``.
    """
    allowed = set(values) if known is None else set(known) & set(values)
    out: list[str] = []
    for literal, name, spec, conversion in _pieces(text):
        out.append(literal)
        if name is None:
            continue
        if name in allowed and not spec and not conversion:
            out.append(str(values[name]))
        else:
            out.append(_verbatim(name, spec, conversion))
    return "".join(out)
