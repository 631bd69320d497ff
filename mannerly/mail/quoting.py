"""The customer's new words: a reply without the quoted history and the signature under it.

Works on plain text (HTML mail is converted first, with ``<blockquote>`` turned into ``> ``
lines). Recognises the reply headers mail clients write in English, Chinese, Ukrainian,
Russian, German, French, Spanish and a few more, Outlook's "From: … Sent: …" blocks, ``> ``
quoting, the ``-- `` signature separator and "Sent from my phone" footers.
"""

from __future__ import annotations

import re

_ORIGINAL_MESSAGE = re.compile(
    r"^\s*[-_=]{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht|"
    r"originalnachricht|message d'origine|message d’origine|mensaje original|messaggio originale|"
    r"oorspronkelijk bericht|исходное сообщение|оригинальное сообщение|пересылаемое сообщение|"
    r"вихідне повідомлення|оригінальне повідомлення|原始邮件|原始郵件|原邮件|転送メッセージ|"
    r"元のメッセージ)\s*[-_=]{2,}\s*$",
    re.IGNORECASE,
)
_WROTE_END = re.compile(
    r"(?:\bwrote|\bschrieb|\ba écrit|\bescribió|\bha scritto|\bschreef|\bescreveu|\bnapisał|"
    r"\bnapsal|\bskrev|\bkirjoitti|пише|написав|написала|написав\(ла\)|писал\(а\)|пишет|"
    r"написал|написала|написал\(а\)|写道|寫道|のメッセージ|さんは書きました)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_WROTE_START = re.compile(
    r"^\s*(?:on\b|am\b|le\b|el\b|il\b|op\b|em\b|w dniu\b|dne\b|den\b|på\b|在|\d|"
    r"[a-zа-яёіїєґ]{2,3}\.?,|.{0,80}<[^>@\s]+@[^>\s]+>)",
    re.IGNORECASE,
)
# "2 мар. 2026 г., в 10:15, Андрей <a@b.ru>:" — a date, a name and an address, then a colon.
_ADDRESS_COLON = re.compile(r"\d{1,2}:\d{2}.*<[^<>@\s]+@[^<>\s]+>\s*[:：]\s*$")
_HEADER_FROM = re.compile(
    r"^\s*\*?(?:from|von|de|van|da|fra|från|od|от|від|відправник|发件人|寄件者|差出人)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|à|objet|enviado|"
    r"fecha|para|asunto|inviato|data|oggetto|verzonden|aan|onderwerp|отправлено|дата|кому|"
    r"тема|копия|надіслано|надіслати|кому|тема|копія|发送时间|日期|收件人|主题|抄送|"
    r"寄件日期|收件者|主旨|送信日時|宛先|件名)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*[_\-—=]{8,}\s*$")
_QUOTED = re.compile(r"^\s*>")
_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent from (?:my |mail for |outlook|yahoo|aol|samsung|the )|sent via |"
    r"get outlook for |sent with |von meinem .{0,40}gesendet|gesendet von meinem |"
    r"envoyé de mon |envoyé depuis mon |enviado desde mi |enviado do meu |inviato da |"
    r"verzonden met |отправлено с |отправлено из |отправлено через |надіслано з |"
    r"надіслано із |发自我的|从我的.{0,30}发送|来自我的|寄自我的|iphoneから送信)",
    re.IGNORECASE,
)


_SCAN_CHARS = 200_000
_SCAN_LINES = 4000


def _is_wrote_line(lines: list[str], i: int) -> int:
    """How many lines (1-3) form an "On … wrote:" header starting at line ``i``; 0 if none."""
    first = lines[i]
    if not first.strip() or len(first) > 300:
        return 0
    joined = first
    for span in (1, 2, 3):
        if span > 1:
            if i + span - 1 >= len(lines):
                break
            nxt = lines[i + span - 1]
            if not nxt.strip() or len(joined) > 400:
                break
            joined = joined.rstrip() + " " + nxt.strip()
        if not joined.rstrip().endswith((":", "：")):
            continue  # every reply header ends with a colon; skip the costly patterns
        if _WROTE_END.search(joined) and _WROTE_START.match(joined):
            return span
        if _ADDRESS_COLON.search(joined):
            return span
    return 0


def _is_header_block(lines: list[str], i: int) -> bool:
    """An Outlook-style "From: … Sent: … To: … Subject: …" block starting at line ``i``."""
    if not _HEADER_FROM.match(lines[i]):
        return False
    seen = 0
    for line in lines[i + 1 : i + 8]:
        if _HEADER_OTHER.match(line):
            seen += 1
            if seen >= 2:
                return True
        elif line.strip() and not line.startswith((" ", "\t")) and seen == 0 and len(line) > 200:
            return False  # a long unlabelled line right after "From:" is prose, not a header
    return False


def _ends_with_colon(line: str) -> bool:
    return line.rstrip().endswith((":", "："))


def _history_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped:
            continue
        if stripped[0] in "-_=" and _ORIGINAL_MESSAGE.match(line):
            return i
        # Reply headers end with a colon on this line or one of the next two.
        if any(_ends_with_colon(lines[j]) for j in range(i, min(i + 3, len(lines)))) and (
            _is_wrote_line(lines, i)
        ):
            return i
        if (":" in stripped[:24] or "：" in stripped[:24]) and _is_header_block(lines, i):
            # Outlook draws a rule line above the block; it belongs to the history.
            j = i
            while j > 0 and not lines[j - 1].strip():
                j -= 1
            if j > 0 and _RULE.match(lines[j - 1]):
                return j - 1
            return i
    return None


def _signature_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line == "-- " or (line.rstrip() == "--" and len(lines) - i <= 20):
            return i
    return None


def new_text(text: str) -> str:
    """``text`` without quoted history, signature and mobile footer; ``text`` itself when
    nothing new would be left (a forward without a comment keeps everything)."""
    if not text:
        return ""
    # New words come first; a reply header further down than this is history, not news.
    lines = text[:_SCAN_CHARS].split("\n")[:_SCAN_LINES]
    cut = _history_start(lines)
    if cut is None and len(lines) < text.count("\n") + 1:
        return text.strip()
    if cut is not None:
        lines = lines[:cut]
    lines = [line for line in lines if not _QUOTED.match(line)]
    signature = _signature_start(lines)
    if signature is not None:
        lines = lines[:signature]
    while lines and not lines[-1].strip():
        lines.pop()
    # Mobile footers sit at the end of what the customer wrote.
    for j in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
        if _MOBILE_FOOTER.match(lines[j]):
            lines = lines[:j]
            break
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    result = "\n".join(lines)
    return result if result.strip() else text.strip()
