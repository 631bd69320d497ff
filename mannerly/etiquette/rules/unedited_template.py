"""unedited-template: template placeholders left in the reply, or a macro's text meant for someone else.

Placeholders: ``{{name}}``, ``{first_name}``, ``[Customer name]``, ``<NAME>``, ``%NAME%``, ``XXX``,
``某某``, ``[Ім'я]``, ``[Имя клиента]``. A placeholder shown inside code (explaining
`{{first_name}}` to a customer) or in a sentence about templates is not unedited. A greeting that
names someone other than the customer is the macro's old addressee.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mannerly.etiquette import morph
from mannerly.etiquette import names as nm
from mannerly.etiquette import text as tx
from mannerly.etiquette.rules import Context, Finding, phrase, quoted
from mannerly.etiquette.structure import layout
from mannerly.etiquette.text import HAN

RULE = "unedited-template"
SEVERITY = "error"
CHECKLIST = "proofread"

_WORDS = (
    r"name|first[ _]?name|last[ _]?name|full[ _]?name|customer|client|user|agent|your[ _]?name"
    r"|my[ _]?name|date|time|order|order[ _]?(?:number|no|id|#)|ticket|ticket[ _]?(?:number|id)"
    r"|product|company|amount|price|address|email|phone|link|url|number|insert|placeholder|x{2,}"
    r"|встав\w*|вкаж\w*|укаж\w*|впиш\w*|insert\w*|add\w*|enter\w*|ім'?я|ім’я|прізвище|клієнт\w*|дата|номер|замовлення|сума|адреса|посилання|компанія|вставте"
    r"|имя|фамилия|клиент\w*|заказ\w*|сумма|адрес|ссылка|компания|вставьте|оператор\w*|менеджер\w*"
    r"|姓名|名字|客户|客戶|用户|用戶|日期|订单号|訂單號|单号|金额|金額|地址|链接|公司|产品|產品|坐席|客服"
)
PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{1,60}\}\}|\{%[^\n]{1,60}%\}|\$\{[^{}\n]{1,40}\}"
    rf"|\{{(?:{_WORDS})[^{{}}\n]{{0,30}}\}}"
    rf"|\[[^\[\]\n]{{0,20}}(?:{_WORDS})[^\[\]\n]{{0,20}}\](?!\()"
    rf"|【[^【】\n]{{0,20}}(?:{_WORDS})[^【】\n]{{0,20}}】"
    r"|(?-i:<[A-ZА-ЯІЇЄҐ_'’][A-ZА-ЯІЇЄҐ_'’ ]{2,30}>)"
    r"|(?<![\w_])_{3,}(?![\w_])"
    r"|(?-i:%[A-Z_]{3,30}%)"
    r"|(?<![A-Za-z0-9*])(?:XXX+|xxx+|ХХХ+|ххх+)(?![A-Za-z0-9*])"
    r"|某某|××+|＊＊＊+"
    # "此处填写客户名" or "（输入订单号）" is a slot; "填写新地址后保存" is an instruction
    r"|(?:此处|在此|这里)(?:填写|填入|输入|插入)[^\s，。]{0,8}"
    r"|[（(][^（）()\n]{0,6}(?:填写|填入|输入|插入)[^（）()\n]{0,12}[）)]",
    re.IGNORECASE,
)
# Every alternative of PLACEHOLDER starts with one of these (none is cased but x and х, given
# in both cases): the pattern is tried only there, instead of at every character of the reply.
_PLACEHOLDER_FIRST = "{$[【<_%XxХх某×＊此在这（("
_ABOUT_TEMPLATES = re.compile(
    r"template|placeholder|variable|merge (?:tag|field)|macro|snippet|syntax|liquid|handlebars"
    r"|шаблон|змінн|переменн|плейсхолдер|模板|占位符|变量|變量|宏",
    re.IGNORECASE,
)


def check(ctx: Context) -> list[Finding]:
    return list(ctx.memo(RULE, lambda: _check(ctx)))


def _check(ctx: Context) -> list[Finding]:
    doc = ctx.draft
    text = doc.own_text
    out: list[Finding] = []
    for m in placeholders(text):
        start, end = m.span()
        if any(s <= start and end <= e for s, e in doc.code):
            continue
        if not m.group(0).startswith(("{", "[", "<", "%", "$", "【")) and _inside_word_code(
            text, start, end
        ):
            continue
        sentence = doc.sentences[doc.sentence_at(start)] if doc.sentences else (0, len(text))
        if _ABOUT_TEMPLATES.search(text, *sentence):
            continue
        out.append(
            ctx.finding(
                RULE,
                SEVERITY,
                start,
                end,
                f"{quoted(m.group(0))} is a template placeholder.",
                suggestion="Replace it with the real value before sending.",
                code="unedited-template.placeholder",
                params={"phrase": phrase(m.group(0))},
            )
        )
    for start, end, shown in _someone_else(ctx):
        if not any(f.start <= start < f.end for f in out):
            out.append(
                ctx.finding(
                    RULE,
                    SEVERITY,
                    start,
                    end,
                    f"The text addresses {quoted(shown)}: a macro written for someone else?",
                    suggestion="Rewrite it for this customer.",
                    code="unedited-template.addressee",
                    params={"phrase": phrase(shown)},
                )
            )
    return out


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """The matches PLACEHOLDER.finditer(text) gives, trying the pattern only where one can start
    (found by str.find: a reply holds few of these characters)."""
    starts = tx.char_positions(text, _PLACEHOLDER_FIRST, 0, len(text))
    return tx.matches_at(PLACEHOLDER, text, starts, len(text))


_EN_ADDRESS = re.compile(r"(?:^|[,.!?]\s+)((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z'’-]+)\s*,")
_EN_TITLES = ("Mr", "Ms", "Miss", "Dr")  # what _EN_ADDRESS needs ("Mrs" contains "Mr")
_ZH_ADDRESS = re.compile(rf"(?:^|[，。！？\s])([{HAN}]{{1,2}}(?:先生|女士|小姐))，")
_CYR_ADDRESS = re.compile(
    r"(?:^|[,.!?]\s+)((?:пане|пані|господин|госпожа)\s+[А-ЯІЇЄҐ][\w'’-]+)\s*,"
)


def _someone_else(ctx: Context) -> list[tuple[int, int, str]]:
    """Names the reply speaks to that are not the customer's: the greeting's, and a direct
    address in the body ("As promised, Mr Davies, your refund…")."""
    from mannerly.etiquette.rules.greeting_name import wrong_addressee

    found = []
    wrong = wrong_addressee(ctx)
    if wrong is not None:
        found.append(wrong)
    person = nm.parse_person(ctx.customer) if ctx.customer else None
    if person is None:
        return found
    lay = layout(ctx.draft)
    body_start, body_end = lay.body
    own = {p.lower() for p in (*person.parts, person.surname, person.given) if p}
    pattern = {"en": _EN_ADDRESS, "zh": _ZH_ADDRESS}.get(ctx.lang, _CYR_ADDRESS)
    text = ctx.draft.prose
    if pattern is _EN_ADDRESS and not any(title in text for title in _EN_TITLES):
        return found  # no title to address anyone by
    for m in pattern.finditer(text, body_start, body_end):
        name = m.group(1)
        last = name.split()[-1].lower() if ctx.lang != "zh" else name[:-2]
        if ctx.lang in ("uk", "ru"):
            same = any(morph.lemma(ctx.lang, last)[:4] == morph.lemma(ctx.lang, o)[:4] for o in own)
        else:
            same = any(last == o or o.startswith(last) for o in own)
        if not same:
            found.append((m.start(1), m.end(1), name))
    return found


def _inside_word_code(text: str, start: int, end: int) -> bool:
    """XXX inside a product code or a masked number (ABC-XXX-12, **** XXXX) is not a placeholder."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return before in ("-", "/", "_", ".") or after in ("-", "/", "_")
