"""HTML mail made safe to show (nh3, an allow-list sanitiser) and readable as text.

The sanitiser keeps what mail needs to look like itself (tables, inline styles limited to
harmless properties, ``cid:`` images) and nothing that runs, submits, frames, redirects or
loads code: no scripts, event handlers, ``javascript:``/``data:`` URLs, forms, frames, meta
refresh or CSS expressions, whatever entity or escape encoding hides them.
"""

from __future__ import annotations

import html as htmllib
import re

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot", "big", "center", "u"}
_COMMON_ATTRIBUTES = {
    "style",
    "dir",
    "lang",
    "title",
    "align",
    "valign",
    "width",
    "height",
    "bgcolor",
}
_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) | _COMMON_ATTRIBUTES for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
_ATTRIBUTES["*"] = set(_COMMON_ATTRIBUTES)
_ATTRIBUTES["font"] = {"color", "face", "size"} | _COMMON_ATTRIBUTES
_ATTRIBUTES["table"] = _ATTRIBUTES.get("table", set()) | {"border", "cellpadding", "cellspacing"}
_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid", "ftp"}
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "title",
    "head",
    "noscript",
    "template",
    "object",
    "embed",
    "applet",
    "iframe",
    "frame",
    "frameset",
    "select",
    "textarea",
    "button",
    "svg",
    "math",
}

_CSS_PROPERTIES = {
    "color",
    "background-color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "font-variant",
    "text-align",
    "text-decoration",
    "text-indent",
    "text-transform",
    "line-height",
    "letter-spacing",
    "word-spacing",
    "white-space",
    "vertical-align",
    "direction",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-collapse",
    "border-spacing",
    "border-radius",
    "width",
    "height",
    "max-width",
    "min-width",
    "max-height",
    "min-height",
    "list-style-type",
    "table-layout",
    "display",
}
# Anything that can run code, load a resource or hide one from the checks above.
_CSS_DANGER = re.compile(
    r"expression|url\s*\(|image-set|javascript|vbscript|behavio|binding|@import|[\\<>&]|/\*",
    re.IGNORECASE,
)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "style":
        return value
    kept: list[str] = []
    for declaration in value.split(";"):
        prop, sep, val = declaration.partition(":")
        prop = prop.strip().lower()
        if not sep or prop not in _CSS_PROPERTIES or _CSS_DANGER.search(val):
            continue
        if prop == "display" and val.strip().lower() not in (
            "block",
            "inline",
            "inline-block",
            "none",
            "table",
            "table-cell",
        ):
            continue
        kept.append(f"{prop}: {val.strip()}")
    return "; ".join(kept) or None


_CLEANER: nh3.Cleaner | None = None


def sanitize(html: str) -> str:
    """The HTML with everything active removed; safe to embed in our pages."""
    global _CLEANER
    if _CLEANER is None:
        _CLEANER = _cleaner()
    if html.count("<") > 2000:
        html = flatten_deep_nesting(html)
    return _CLEANER.clean(html)


_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
# Elements that close themselves or are closed implicitly: they do not deepen the tree.
_FLAT = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
    "p",
    "li",
    "td",
    "th",
    "tr",
    "option",
    "dt",
    "dd",
}
MAX_NESTING = 256


def flatten_deep_nesting(html: str) -> str:
    """Drop the tags below ``MAX_NESTING`` levels, keeping their text.

    The HTML5 tree builder behind nh3 slows down with the square of the nesting depth (20,000
    nested ``<div>`` take minutes); no real mail nests that deep, hostile mail may.
    """
    depth = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal depth
        name = match.group(2).lower()
        if name in _FLAT or match.group(0).endswith("/>"):
            return match.group(0)
        if match.group(1):
            depth -= 1
            return match.group(0) if depth < MAX_NESTING else ""
        depth += 1
        return match.group(0) if depth <= MAX_NESTING else ""

    return _ANY_TAG.sub(keep, html)


def _cleaner() -> nh3.Cleaner:
    # Built once: passing the allow-lists to nh3.clean on every call costs more than cleaning.
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=_URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )


# --- Text from HTML --------------------------------------------------------------------------

_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "tr",
    "li",
    "pre",
    "hr",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "address",
    "figure",
    "figcaption",
    "caption",
    "aside",
    "nav",
    "details",
    "summary",
    "tbody",
    "thead",
    "tfoot",
    "hgroup",
    "main",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "dl"}
_WS = re.compile(r"[ \t\r\n\f\v\xa0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """Readable text for search and triage: block elements become line breaks, entities are
    decoded, list items get a dash, quoted ``<blockquote>`` text gets ``> `` like plain mail.

    Expects sanitised HTML (``sanitize``): script, style and head content are already gone.
    """
    lines: list[tuple[int, str]] = []
    buf: list[str] = []
    depth = 0
    pre = 0

    def newline(blank: bool = False) -> None:
        text = "".join(buf).strip() if not pre else "".join(buf).rstrip()
        buf.clear()
        if text or (lines and lines[-1][1]):
            lines.append((depth, text))
        if blank and lines and lines[-1][1]:
            lines.append((depth, ""))

    for token in _TAG_SPLIT.split(html):
        if not token:
            continue
        if token[0] != "<" or len(token) < 3:
            text = htmllib.unescape(token)
            if pre:
                for i, piece in enumerate(text.replace("\r\n", "\n").split("\n")):
                    if i:
                        newline()
                    buf.append(piece.replace("\xa0", " "))
            else:
                buf.append(_WS.sub(" ", text))
            continue
        match = _TAG_NAME.match(token)
        if match is None:
            continue
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "br":
            newline()
        elif name == "blockquote":
            newline()
            depth = max(0, depth - 1) if closing else depth + 1
        elif name in ("td", "th"):
            if closing:
                buf.append(" ")
        elif name == "li" and not closing:
            newline()
            buf.append("- ")
        elif name == "img" and not closing:
            alt = re.search(r'\balt="([^"]*)"', token)
            if alt and alt.group(1).strip():
                buf.append(htmllib.unescape(alt.group(1)).strip())
        elif name in _BLOCK:
            if name == "pre":
                pre = max(0, pre - 1) if closing else pre + 1
            newline(blank=closing and name in _PARAGRAPH)
            if name == "hr":
                lines.append((depth, "—" * 8))
    newline()
    out: list[str] = []
    for level, text in lines:
        level = min(level, 8)  # deeper quoting adds nothing readable, only length
        prefix = "> " * level if text else ">" * level
        out.append(prefix + text)
    return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n")


_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_NO_TITLE = {
    "",
    "untitled",
    "untitled document",
    "document",
    "email",
    "e-mail",
    "mail",
    "message",
    "newsletter",
    "html",
    "new message",
    "no subject",
    "(no subject)",
}


def html_title(html: str) -> str:
    """The document title of an HTML mail, when it says something (not "Untitled")."""
    match = _TITLE.search(html, 0, 65536)
    if not match:
        return ""
    title = _WS.sub(" ", htmllib.unescape(_TAG_SPLIT.sub("", match.group(1)))).strip()
    return "" if title.lower() in _NO_TITLE else title[:300]


def text_to_html(text: str) -> str:
    """Plain text as HTML, for messages that mix plain and HTML body parts."""
    return '<div style="white-space: pre-wrap">' + htmllib.escape(text) + "</div>"
