"""Privacy and secrecy guard (保密审查 / 个人信息保护): personal numbers must not be published.

Pure and MkDocs-free. It finds personal numbers in the text a reader sees, wherever the site shows
or offers it: every record field and body, ordinary pages, the catalogue, the site's own texts in
mkdocs.yml, the names of downloadable files and the text inside them (CSV/TXT, XLSX, DOCX, PDF: read
by attachments_text.py), and every other file the content folder publishes, whatever its kind (a
script, a style sheet, subtitles: read as text where they are text). What it finds:

- mainland resident ID numbers (居民身份证号码, GB 11643-1999): 17 digits + a check character
  (digit or X), the ISO 7064 MOD 11-2 check verified, an address code that is or was in use
  (GB/T 2260, the historical list python-stdnum ships as ``cn/loc``; 81/82/83 for the residence
  permits of Hong Kong, Macao and Taiwan residents) and a birth date 1900-01-01 … today; written
  whole, as 6-8-4 groups, or broken anywhere by single spaces, hyphens or line breaks;
  an 18-character number with that address code and birth date whose check character is wrong
  (one digit mistyped: the other 17 still name a person) where the text calls it an ID number (身份证,
  身份号码, 证件号 earlier on its line, atop its Markdown table column, or above it in a downloadable
  table's or a dataset's column), unless it is a valid
  统一社会信用代码: without that word, the shape is also 施工许可证号 and other "area code + date +
  serial" numbers, which disclosure texts are full of;
  the first-generation 15-digit form (no check character: address code, then the birth date as
  YYMMDD of 19YY), unless the 15 digits are a valid 工商注册号 (their ISO 7064 MOD 11,10 check
  passes: one in eleven real 15-digit IDs passes it by chance and is let through, a rule we accept
  because the old 15-digit cards stopped being valid in 2013 while 注册号 fill 双公示 tables);
- mobile numbers (手机号码): 11 digits in a network number that MIIT has allocated (《我国公众移动
  通信网网号及H0分配情况（截至2023年3月底）》, 工业和信息化部 2023-06-05): 13x, 145–149, 150–153,
  155–159, 162, 165–167, 1619, 170–173, 1740/1741x/1749, 175–178, 18x, 190–193, 195–199;
  optionally after +86 or 0086, or grouped ``138 1234 5678`` / ``138-1234-5678``, never inside a
  longer run;
- bank card numbers (银行卡号): a length and issuer prefix of a card scheme issued in mainland China
  (ISO/IEC 7812 IINs as the schemes publish them: UnionPay 62, 16–19 digits; the pre-UnionPay
  domestic "9" BINs, 16–19; Visa 4, 13/16/19; Mastercard 51–55 and 2221–2720, 16; JCB 3528–3589,
  16–19; American Express 34/37, 15), passing the Luhn check, and neither a valid ID number nor a
  unified social credit code (统一社会信用代码, GB 32100, whose check character is verified too).

"What a reader sees" (reader_text): character references decoded (``&#49;`` is a 1), NFKC width
folding (full-width ``１２３`` are digits), format characters (Unicode category Cf: zero-width
spaces, joiners, bidi controls, soft hyphens) removed, and in Markdown every markup character
removed (emphasis, code, links, HTML tags and comments), so ``1101**01**1990…`` is one number.
Removing all markup is a superset of any rendering; tests prove that what the site's renderers show
finds nothing this misses. The source is scanned as written too (a number in an HTML attribute or
comment), and YAML is scanned as its decoded values (``"\\x31"`` escapes), not its comments.

What it deliberately leaves alone: 索引号 (front matter index_no / interprets are not scanned),
文号, dates, landlines (``0519-86604221``), amounts (digits next to a decimal point or a thousands
comma), numbers as programs write them (``=.985…``, ``…e-20``) and web addresses (a long number
inside a URL is a page id, not a bank card).

A record or page may allow-list an exact value that is public on purpose (a hotline, a unit's
public account for donations) in its front matter; the list covers its attachments too::

    allow:
      - {value: "13800138000", reason: "县救灾指挥部公开值班电话"}

A catalogue entry (any mapping in catalogue/*.yml) may carry the same ``allow:`` for its own texts.
A reason is required; an entry that matches nothing is reported so stale entries get removed.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import json
import os
import posixpath
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import active, attachments_text, boundary
from .codeversion import code_version
from .problems import Problems

ID_CARD = "id_card"
ID_MISTYPED = "id_card_mistyped"
MOBILE = "mobile"
BANK_CARD = "bank_card"
KIND_LABELS = {ID_CARD: "居民身份证号码", ID_MISTYPED: "居民身份证号码（校验位不符，可能录错了一位）",
               MOBILE: "手机号码", BANK_CARD: "银行卡号"}

# Front matter keys that hold identifiers by contract, never personal data.
SKIP_KEYS = ("index_no", "interprets")


@functools.cache
def _area_codes() -> frozenset[str]:
    """Every 6-digit address code (GB/T 2260) ever in use, from python-stdnum's list; the years a code
    was valid are not checked (an ID keeps the code it was issued with). Read when a number is first
    checked: python-stdnum and its list take ~70 ms, every build's start-up otherwise."""
    from stdnum import numdb

    codes = {"810000", "820000", "830000"}  # residence permits: Hong Kong, Macao, Taiwan residents
    for _, low, _, _, children in numdb.get("cn/loc").prefixes:
        for _, county, _, props, _ in children:
            if "county" in props:
                codes.add(low + county)
    return frozenset(codes)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Card schemes issued in mainland China: (scheme, IIN ranges as (low, high) prefixes of equal
# length, card lengths). Sources: ISO/IEC 7812 IIN ranges as published by the schemes (Wikipedia,
# "Payment card number", issuer table); UnionPay's "9" BINs were the domestic-only BINs before 2003.
CARD_SCHEMES = (
    ("银联", (("62", "62"),), range(16, 20)),
    ("银联（境内9字头）", (("9", "9"),), range(16, 20)),
    ("Visa", (("4", "4"),), (13, 16, 19)),
    ("Mastercard", (("51", "55"), ("2221", "2720")), (16,)),
    ("JCB", (("3528", "3589"),), range(16, 20)),
    ("American Express", (("34", "34"), ("37", "37")), (15,)),
)
_CARD_ISSUERS = {low[0] for _, ranges, _ in CARD_SCHEMES for low, _ in ranges}

# MIIT's allocation of 11-digit mobile network numbers (see the module docstring)
_MOBILE_PREFIX = r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[25-7]|619|7[0-35-8]|74(?:0|1[0-2]|9)|8[0-9]|9[0-35-9])"
_MOBILE = re.compile(r"^(?:0086|86)?(" + _MOBILE_PREFIX + r"[0-9]+)$")

# A run of digits (with an ID's final X), bounded by non-digits.
_RUN = re.compile(r"(?<![0-9])[0-9]{11,19}(?:[Xx](?![0-9A-Za-z]))?(?![0-9])")
# The same numbers as people type them, in groups.
_GROUPED = (
    (MOBILE, re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?![0-9])")),
    # 139.1234.5678, not inside a longer dotted number (a digit at a time, 1 3 9 1 …, is left: a text
    # PDF's table of one-digit counts reads the same)
    (MOBILE, re.compile(r"(?<![0-9])(?<![0-9]\.)1[3-9][0-9]\.[0-9]{4}\.[0-9]{4}(?![0-9])(?!\.[0-9])")),
    (BANK_CARD, re.compile(r"(?<![0-9])[0-9]{4}(?P<s>[ -])[0-9]{4}(?:(?P=s)[0-9]{4}){2,3}(?:(?P=s)[0-9]{1,4})?(?![0-9])")),
    (BANK_CARD, re.compile(r"(?<![0-9])3[47][0-9]{2}(?P<s>[ -])[0-9]{6}(?P=s)[0-9]{5}(?![0-9])")),  # Amex 4-6-5
)
# An ID number as 6-8-4 groups, or broken anywhere by single spaces, hyphens or line breaks
# ("1101011990⏎03071233" reads "1101011990 03071233" in a paragraph). Its check character makes an
# arbitrary grouping of digits that passes by chance as rare as an unbroken one.
_SPLIT_ID = re.compile(r"(?<![0-9])[0-9](?:[ \t\n-]?[0-9]){16}[ \t\n-]?[0-9Xx](?![0-9A-Za-z])")
_SPLIT_ID_SEPARATORS = re.compile(r"[ \t\n-]")
_URL = re.compile(r"(?:https?|ftp)://[^\s)>\]\"'）]+|www\.[^\s)>\]\"'）]+", re.I)
# Every finding lies in a stretch of digits, spaces, tabs, line breaks, hyphens, dots and + at least 11
# characters long: the
# detailed patterns run only there (a char-class-led pattern is fast; the detailed ones are not).
_CLUSTER = re.compile(r"[0-9+][0-9 +\-\t\n.]{9,}[0-9Xx]")
_NEWLINE = re.compile(r"\n")


def value_key(value: str) -> str:
    """How a number is compared with allow-list entries and kept in the cache: a digest, never the number."""
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str  # the number, normalised: digits only (and a final X); "" when read back from the cache
    masked: str
    line: int  # line in the file (0: the file has no lines, see `where`)
    column: int  # 1-based character column on that line; 0 when the number was written in disguise
    where: str = ""  # inside a downloadable file: "单元格 Sheet1!C2", "第 2 页" …
    key: str = ""  # value_key(value)

    def __post_init__(self):
        if not self.key:
            object.__setattr__(self, "key", value_key(self.value))

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# --- what a reader sees ---------------------------------------------------------------------------

# Unicode category Cf (format characters) as of Unicode 14; tests compare it with unicodedata
FORMAT_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# Characters whose NFKC form is a digit, an X, a space, + or - (full-width digits, ideographic space,
# circled and superscript digits …), as of Unicode 14: only these matter to the patterns, and folding
# them alone is ~20x faster than NFKC over a whole Chinese text. Tests compare it with unicodedata.
FOLDED_CHARS = re.compile(
    "[\u00a0\u00b2-\u00b3\u00b9\u00bc-\u00be\u02e3\u2000-\u200a\u202f\u205f\u2070\u2074-\u207a"
    "\u2080-\u208a\u2093\u213b\u2150-\u215f\u2168-\u216b\u2178-\u217b\u2189\u2460-\u249b\u24b3"
    "\u24cd\u24e7\u24ea\u3000\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378-\u3379\u339f-\u33a6"
    "\u33a8\u33af\u33d3\u33e0-\u33fe\ufb29\ufe62-\ufe63\uff0b\uff0d\uff10-\uff19\uff38\uff58"
    "\U0001d417\U0001d431\U0001d44b\U0001d465\U0001d47f\U0001d499\U0001d4b3\U0001d4cd\U0001d4e7"
    "\U0001d501\U0001d51b\U0001d535\U0001d54f\U0001d569\U0001d583\U0001d59d\U0001d5b7\U0001d5d1"
    "\U0001d5eb\U0001d605\U0001d61f\U0001d639\U0001d653\U0001d66d\U0001d687\U0001d6a1"
    "\U0001d7ce-\U0001d7ff\U0001f100-\U0001f10a\U0001f127\U0001f147\U0001fbf0-\U0001fbf9]+")
_CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>")
_LINK_DEST = re.compile(r"\]\([^()\s]*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_MARKS = re.compile(r"[*_~`\\\[\]]+")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "nav", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}


def _charref(m: re.Match) -> str:
    return html.unescape(m.group(0)).replace("\n", " ").replace("\r", " ")


def _nfkc(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def _newlines(m: re.Match) -> str:
    return "\n" * m.group(0).count("\n")


def _tag(m: re.Match) -> str:
    n = m.group(0).count("\n")
    if n:
        return "\n" * n
    return " " if m.group(1).lower() in _BLOCK_TAGS else ""


def strip_markup(text: str) -> str:
    """Markdown and HTML without their markup, line for line: emphasis, code and link brackets,
    link destinations, tags (a block tag leaves a space, an inline one nothing) and comments."""
    if "<" in text:
        text = _COMMENT.sub(_newlines, text)
        text = _AUTOLINK.sub("", text)
        text = _TAG.sub(_tag, text)
    if "]" in text:
        text = _LINK_DEST.sub("]", text)
        text = _REF_DEF.sub("", text)
    return _MARKS.sub("", text)


def reader_text(text: str, markup: bool = True) -> str:
    """The text as a reader sees it, line for line (so line numbers stay those of the source)."""
    if "&" in text:
        text = _CHARREF.sub(_charref, text)
    if not text.isascii():
        text = FORMAT_CHARS.sub("", FOLDED_CHARS.sub(_nfkc, text))
    return strip_markup(text) if markup else text


# --- the numbers ----------------------------------------------------------------------------------

def normalise(text: str) -> str:
    """Digits (and an ID's final X) only: how allow-list values and findings are compared."""
    digits = re.sub(r"[^0-9Xx]", "", reader_text(text, markup=False)).upper()
    m = _MOBILE.match(digits)
    return m.group(1) if m and len(m.group(1)) == 11 else digits


def is_mobile(digits: str) -> bool:
    """11 digits in an allocated mainland mobile network number."""
    return len(digits) == 11 and bool(_MOBILE.match(digits))


def _birth(year: int, month: int, day: int, today: dt.date | None) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def _id_shaped(value: str, today: dt.date | None) -> bool:
    """18 characters with an ID number's address code and a plausible birth date, check unverified."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    if value[:6] not in _area_codes():
        return False
    return _birth(int(value[6:10]), int(value[10:12]), int(value[12:14]), today)


def _id_check_ok(value: str) -> bool:
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


def is_id_number(value: str, today: dt.date | None = None) -> bool:
    """A mainland resident ID number: address code, plausible birth date, GB 11643 check character."""
    value = value.upper()
    return _id_shaped(value, today) and _id_check_ok(value)


def is_mistyped_id(value: str, today: dt.date | None = None) -> bool:
    """An ID number with one character wrong (the check fails): still a person's number to a reader
    where the text calls it one (see _scan). A valid all-digit 统一社会信用代码 can take this shape by
    chance, and is left alone."""
    value = value.upper()
    return _id_shaped(value, today) and not _id_check_ok(value) and not is_credit_code(value)


def is_id15(value: str) -> bool:
    """A first-generation (15-digit) resident ID: address code and a 19YY birth date; not a valid
    工商注册号 (GS15-2006, ISO 7064 MOD 11,10), the other 15-digit number of disclosure tables."""
    if len(value) != 15 or not value.isdigit() or value[:6] not in _area_codes():
        return False
    if not _birth(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]), None):
        return False
    from stdnum.iso7064 import mod_11_10  # with _area_codes: python-stdnum read when a number is checked

    return not mod_11_10.is_valid(value)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_credit_code(value: str) -> bool:
    """A unified social credit code (统一社会信用代码, GB 32100-2015) with a valid check character."""
    value = value.upper()
    if len(value) != 18 or any(ch not in _USCC_CHARS for ch in value):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(value[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def card_scheme(digits: str) -> str | None:
    """The card scheme whose issuer prefix and length `digits` has, or None."""
    for scheme, ranges, lengths in CARD_SCHEMES:
        if len(digits) in lengths and any(low <= digits[:len(low)] <= high for low, high in ranges):
            return scheme
    return None


def is_bank_card(digits: str) -> bool:
    return (13 <= len(digits) <= 19 and digits.isdigit() and card_scheme(digits) is not None
            and luhn_ok(digits) and not is_id_number(digits) and not is_credit_code(digits))


def mask(kind: str, value: str) -> str:
    """Show just enough to find the number again: 110105********1234, 138****5678, 6222*********0123."""
    if kind in (ID_CARD, ID_MISTYPED):
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == MOBILE:
        return value[:3] + "****" + value[-4:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def classify(digits: str, today: dt.date | None = None) -> str | None:
    """The kind of personal number a whole run of digits is (ID, mobile, bank card), or None."""
    n = len(digits)
    if n == 18 and is_id_number(digits, today):
        return ID_CARD
    if n == 15 and is_id15(digits):
        return ID_CARD
    if n in (11, 13, 15) and _MOBILE.match(digits) and len(_MOBILE.match(digits).group(1)) == 11:
        return MOBILE
    if is_bank_card(digits):
        return BANK_CARD
    if n == 18 and is_mistyped_id(digits, today):
        return ID_MISTYPED
    return None


_SAYS_ID = re.compile(r"身份证|身份号码|证件号")


def names_id_numbers(heading: str) -> bool:
    """A column heading (or text before a number) that says the numbers under it are ID numbers."""
    return bool(_SAYS_ID.search(heading))


def _called_an_id(text: str, start: int) -> bool:
    """The number at `start` is named as an ID number: earlier on its line, or in its Markdown table
    column's header (the first line of the run of lines with a | around it)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if names_id_numbers(before):
        return True
    if "|" not in before:
        return False
    column = before.count("|") - before.lstrip().startswith("|")
    header_start = line_start
    while header_start > 0:
        previous = text.rfind("\n", 0, header_start - 1) + 1
        if "|" not in text[previous:header_start - 1]:
            break
        header_start = previous
    header_end = text.find("\n", header_start)
    header = text[header_start:header_end if header_end >= 0 else len(text)].strip()
    cells = header.removeprefix("|").split("|")
    return column < len(cells) and names_id_numbers(cells[column])


# a number as programs write one: a fraction without its 0 (`=.985…`, `-.34…`, in scripts and style sheets), or
# with an exponent (`4361…e-20`); a point after a letter is not one (`zhang.139…@163.com` is an address)
_LEADING_POINT = re.compile(r"(?:^|[\s=+\-*/(\[{,:;])\.$")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]")


def _is_amount(line: str, start: int, end: int) -> bool:
    """Digits glued to a decimal point or a thousands comma are an amount, not an identifier; so are the
    digits of a number written as programs write one."""
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    after2 = line[end + 1] if end + 1 < len(line) else ""
    if before in ".,，" and start > 1 and line[start - 2].isdigit():
        return True
    if before == "." and _LEADING_POINT.search(line, max(0, start - 2), start):
        return True
    return (after in ".,，" and after2.isdigit()) or _EXPONENT.match(line, end) is not None


# a number written in Chinese numerals (一三九…, 壹叁玖…, 幺 as one is read aloud): eleven or more in a
# run, single spaces or hyphens between them, read as the digits they are (one character for one, so
# lines and columns stay); shorter runs are dates and counts (二〇二四年)
_CN_DIGITS = "〇零一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖"
_CN_DIGIT_RUN = re.compile(f"[{_CN_DIGITS}](?:[ \\-－]?[{_CN_DIGITS}]){{10,}}")
_CN_TO_LATIN = str.maketrans(_CN_DIGITS, "001234567891122334566789")


def _scan(text: str, today: dt.date | None, called_id: bool = False) -> list[tuple[str, str, int, int]]:
    """(kind, digits, start, end) of every personal number in text; regexes run over the whole text.
    `called_id`: the text stands under a heading that names ID numbers (a spreadsheet column)."""
    if _CN_DIGIT_RUN.search(text):
        text = _CN_DIGIT_RUN.sub(lambda m: m.group(0).translate(_CN_TO_LATIN), text)
    windows = [(m.start(), m.end() + 1) for m in _CLUSTER.finditer(text)]  # +1: the next char, for lookaheads
    if not windows:
        return []
    urls: list[tuple[int, int]] | None = None
    taken: list[tuple[int, int]] = []
    hits: list[tuple[str, str, int, int]] = []

    def in_url(start: int, end: int) -> bool:
        nonlocal urls
        if urls is None:
            urls = [m.span() for m in _URL.finditer(text)] if ("://" in text or "www." in text) else []
        return any(a <= start and end <= b for a, b in urls)

    def named(start: int) -> bool:  # a mistyped ID number counts only where the text calls it one
        return called_id or _called_an_id(text, start)

    def add(kind: str, digits: str, start: int, end: int) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        hits.append((kind, digits, start, end))

    for pos, endpos in windows:
        for m in _RUN.finditer(text, pos, endpos):
            start, end = m.span()
            kind = classify(m.group(0).upper(), today)
            if kind is None or _is_amount(text, start, end):
                continue
            if kind == BANK_CARD and in_url(start, end):
                continue
            if kind == ID_MISTYPED and not named(start):
                continue
            add(kind, normalise(m.group(0)), start, end)
        for kind, rx in _GROUPED:
            for m in rx.finditer(text, pos, endpos):
                start, end = m.span()
                digits = normalise(m.group(0))
                if kind == MOBILE and not is_mobile(digits):
                    continue
                if kind == BANK_CARD and (not is_bank_card(digits) or in_url(start, end)):
                    continue
                add(kind, digits, start, end)
        for m in _SPLIT_ID.finditer(text, pos, endpos):
            digits = _SPLIT_ID_SEPARATORS.sub("", m.group(0)).upper()
            if is_id_number(digits, today):
                add(ID_CARD, digits, *m.span())
            elif is_mistyped_id(digits, today) and named(m.start()):
                add(ID_MISTYPED, digits, *m.span())
    hits.sort(key=lambda h: h[2])
    return hits


def scan_text(text: str, first_line: int = 1, skip_lines: set[int] | None = None,
              today: dt.date | None = None, called_id: bool = False) -> list[Finding]:
    """Every personal number in `text` as written, whose first line is line `first_line` of the file."""
    hits = _scan(text, today, called_id)
    if not hits:
        return []
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    found = []
    for kind, digits, start, _ in hits:
        i = bisect.bisect_right(starts, start) - 1
        line_no = first_line + i
        if skip_lines and line_no in skip_lines:
            continue
        found.append(Finding(kind, digits, mask(kind, digits), line_no, start - starts[i] + 1))
    return found


def scan_line(line: str, line_no: int, today: dt.date | None = None) -> list[Finding]:
    return scan_text(line, line_no, today=today)


def _bmp_members(char_class: re.Pattern) -> frozenset[str]:
    """The non-ASCII BMP characters of a pattern that is one class of literal characters and ranges
    (FORMAT_CHARS, FOLDED_CHARS), read from the pattern: searching the whole BMP took 16 ms a process."""
    body, found, i = char_class.pattern.rstrip("+")[1:-1], set(), 0
    while i < len(body):
        is_range = i + 2 < len(body) and body[i + 1] == "-"
        first, last = ord(body[i]), ord(body[i + 2] if is_range else body[i])
        found.update(map(chr, range(max(first, 0x80), min(last, 0xFFFF) + 1)))
        i += 3 if is_range else 1
    return frozenset(found)


# The characters that can disguise a number (markup, character references, format characters, the
# width-folded forms): a number a reader sees but the source hides has one of them next to a digit.
# Only the paragraphs where that happens are turned into the reader's view (reader_text over a whole
# Chinese body costs ~10x the scan itself).
_DISGUISE = frozenset("&<>*_~`\\[]") | _bmp_members(FORMAT_CHARS) | _bmp_members(FOLDED_CHARS)
_SEPARATORS = frozenset(" +-\t") | _DISGUISE
_DISGUISE_RX = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_DISGUISE)) + "]")


def _has_astral(text: str) -> bool:
    return not text.isascii() and len(text.encode("utf-16-le")) != 2 * len(text)


def _class(chars) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


# A disguise character near a digit: a digit itself (a width-folded one), "&#", or within 16 separator
# or disguise characters before a digit; read on the text reversed, after one. One regex pass each way:
# a Python loop over every * and _ of a body took 52 µs a record (~0.5 s of CPU at 10,000 records).
# Digits as str.isdigit() has them (superscripts and circled ones too), in the BMP: the callers look at
# a text with characters beyond it whole (_has_astral).
_DIGITS = frozenset(ch for ch in map(chr, range(0x10000)) if ch.isdigit())
# (each pattern starts with one character class: the regex engine then skips to its characters fast)
_AHEAD = f"(?={_class(_SEPARATORS - _DIGITS)}{{0,16}}{_class(_DIGITS)})"
_NEAR_DIGIT_RX = re.compile(f"{_class(_DISGUISE)}(?:{_AHEAD}|(?<=&)(?=#)|(?<={_class(_DISGUISE & _DIGITS)}))")
_NEAR_DIGIT_BEFORE_RX = re.compile(f"{_class(_DISGUISE)}{_AHEAD}")  # on the reversed text


def _disguised_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs of `text` where a disguise character stands next to a digit."""
    if not _DISGUISE_RX.search(text):
        return []
    last = len(text) - 1
    near = [m.start() for m in _NEAR_DIGIT_RX.finditer(text)]
    near += [last - m.start() for m in _NEAR_DIGIT_BEFORE_RX.finditer(text[::-1])]
    spans: list[tuple[int, int]] = []
    for i in sorted(near):
        if spans and i < spans[-1][1]:
            continue
        a = text.rfind("\n\n", 0, i)
        b = text.find("\n\n", i)
        spans.append((0 if a == -1 else a + 1, len(text) if b == -1 else b + 1))
    return spans


def scan_seen(text: str, first_line: int = 1, today: dt.date | None = None, markup: bool = True,
              called_id: bool = False) -> list[Finding]:
    """Every personal number in `text` as written and as a reader sees it (reader_text). A number found
    only in the reader's view has column 0: it was written in disguise (escaped, split by markup …)."""
    raw = scan_text(text, first_line, today=today, called_id=called_id)
    # mathematical digits and the like (outside the BMP): the whole view, rarely needed
    spans = [(0, len(text))] if _has_astral(text) else _disguised_blocks(text)
    if not spans:
        return raw
    seen = {(f.key, f.line) for f in raw}
    extra = []
    for start, end in spans:
        view = reader_text(text[start:end], markup)
        line = first_line + text.count("\n", 0, start)
        for f in scan_text(view, line, today=today, called_id=called_id):
            if (f.key, f.line) not in seen:
                seen.add((f.key, f.line))
                extra.append(dataclasses.replace(f, column=0))
    return sorted(raw + extra, key=lambda f: (f.line, f.column)) if extra else raw


# --- YAML values ----------------------------------------------------------------------------------

_COMPOSER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True)
class Scalar:
    path: tuple  # keys from the root; "*" for a list item, "#key" for a mapping key itself
    line: int  # first line in the file
    end_line: int
    value: str  # decoded: escapes resolved, block scalars folded
    style: str | None


def yaml_scalars(text: str, line_offset: int = 0) -> tuple[list[Scalar], dict]:
    """Every scalar of a YAML document as decoded (no tags constructed, aliases visited once: nothing
    here expands), and the `allow:` nodes by the path of the mapping that holds them."""
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        return [], {}
    scalars: list[Scalar] = []
    allows: dict = {}
    seen: set[int] = set()
    stack = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            scalars.append(Scalar(path, node.start_mark.line + 1 + line_offset,
                                  node.end_mark.line + 1 + line_offset, node.value, node.style))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, path + ("*",)) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                if name == "allow":
                    allows[path] = value
                    continue
                stack.append((key, path + ("#key",)))
                stack.append((value, path + (name,)))
    scalars.sort(key=lambda s: (s.line, s.path))
    return scalars, allows


def scan_yaml(text: str, scalars: list[Scalar], line_offset: int = 0, skip=None,
              today: dt.date | None = None) -> list[tuple[Finding, tuple]]:
    """(finding, path) for every personal number in the decoded values; a number also visible in the
    source gets its exact line and column there."""
    lines = text.split("\n")
    out = []
    for s in scalars:
        if not s.value or (skip is not None and skip(s.path)):
            continue
        view = reader_text(s.value)
        if not _CLUSTER.search(view) and not _CN_DIGIT_RUN.search(view):
            continue
        found = scan_text(view, today=today)
        if not found:
            continue
        first = s.line - 1 - line_offset
        raw = scan_text("\n".join(lines[first:max(first + 1, s.end_line - line_offset)]), s.line, today=today)
        for f in found:
            exact = next((r for r in raw if r.key == f.key), None)
            if exact is not None:
                raw.remove(exact)
                out.append((exact, s.path))
            else:
                line = s.line + f.line if s.style == "|" else s.line
                out.append((dataclasses.replace(f, line=line, column=0), s.path))
    return out


# --- the allow-list -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AllowEntry:
    value: str  # normalised
    reason: str
    line: int


def read_allow(raw, rel: str, default_line: int, problems: Problems) -> list[AllowEntry]:
    """Parse the front matter `allow:` list (as loaded by yamlsrc, with lines); report bad entries."""
    if raw in (None, "", []):
        return []
    example = 'allow:\n      - {value: "12345678901", reason: "公开的服务热线"}'
    if not isinstance(raw, list):
        problems.error(rel, getattr(raw, "line", None) or default_line, "allow 应是列表",
                       "每一项写明完整号码和公开理由，例如\n    " + example)
        return []
    entries = []
    lines = getattr(raw, "lines", []) or [default_line] * len(raw)
    for entry, line in zip(raw, lines):
        if isinstance(entry, str):
            problems.error(rel, line, f"allow 条目“{mask_any(entry)}”缺少公开理由（reason）",
                           "写成 {value: \"号码\", reason: \"为什么可以公开\"}，理由必填，供保密审查核对")
            continue
        if not isinstance(entry, dict):
            problems.error(rel, line, "allow 的每一项应写成 {value: …, reason: …}", example)
            continue
        value = entry.get("value")
        reason = entry.get("reason")
        if not isinstance(value, str) or not normalise(value):
            problems.error(rel, line, "allow 条目缺少 value（要放行的完整号码）", example)
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.error(rel, line, f"allow 条目“{mask_any(value)}”缺少公开理由（reason）",
                           "加上 reason，例如 reason: 县民政局公开的救助热线；理由必填，供保密审查核对")
            continue
        entries.append(AllowEntry(normalise(value), reason.strip(), line))
    return entries


class _Lined(list):
    line: int | None = None
    lines: list[int] = []


def allow_from_node(node, line_offset: int = 0):
    """A composed `allow:` node as read_allow takes it (lists of {value, reason} with lines)."""
    def plain(n):
        if isinstance(n, yaml.ScalarNode):
            return n.value
        if isinstance(n, yaml.MappingNode):
            return {k.value: plain(v) for k, v in n.value if isinstance(k, yaml.ScalarNode)}
        return [plain(c) for c in n.value]

    if not isinstance(node, yaml.SequenceNode):
        return plain(node)
    out = _Lined(plain(c) for c in node.value)
    out.line = node.start_mark.line + 1 + line_offset
    out.lines = [c.start_mark.line + 1 + line_offset for c in node.value]
    return out


def mask_any(text: str) -> str:
    """Mask a value whose kind is unknown (allow-list entries), so messages never print it whole."""
    digits = normalise(text)
    if len(digits) < 8:
        return digits
    kind = classify(digits, None) or BANK_CARD
    return mask(kind, digits)


_ALLOW_ENTRY = "allow:\n      - {value: \"完整号码\", reason: \"公开理由\"}"
_ALLOW_HINT = f"在元数据中加入 {_ALLOW_ENTRY}"


class Guard:
    """Reports findings that no allow entry covers, and the allow entries nothing matched."""

    def __init__(self, problems: Problems, allowed: list[AllowEntry]):
        self.problems = problems
        self.allowed = {value_key(a.value): a for a in allowed}
        self.used: set[str] = set()
        self.refused: list[Finding] = []
        self.reported: set = set()

    def report(self, f: Finding, file: str, line: int | None, prefix: str = "", hint: str = "",
               allow_hint: str = _ALLOW_HINT) -> None:
        if f.key in self.allowed:
            self.used.add(f.key)
            return
        if (f.key, file, line) in self.reported:  # a link's file name is also in the body's text
            return
        self.reported.add((f.key, file, line))
        self.refused.append(f)
        if f.where:
            what = f"{f.where}疑似{f.label}“{f.masked}”"
        elif f.column:
            what = f"第 {f.column} 列疑似{f.label}“{f.masked}”"
        else:
            what = f"疑似{f.label}“{f.masked}”（写法经过转义、标记、全角或不可见字符变形，读者看到的仍是完整号码）"
        todo = hint or f"删除或打码（例如写成 {f.masked}）"
        if f.kind == ID_MISTYPED:
            todo += "；若它不是身份证号（如施工许可证号等编号），把它前面或表头里的“身份证”“身份号码”“证件号”改成它真正的名称"
        self.problems.error(file, line or None, f"{prefix}{what}：公开信息中不得包含个人信息",
                            f"{todo}；如确属依法公开的号码（如公开的服务热线、单位对公账户），{allow_hint}")

    def unused(self, rel: str, where: str = "本记录") -> None:
        for key, a in self.allowed.items():
            if key not in self.used:
                self.problems.warning(rel, a.line, f"allow 条目“{mask_any(a.value)}”在{where}中没有匹配到任何号码",
                                      "号码已删除或写法不同（比较时只看数字）：请删除这一条 allow，或更正 value")


# --- downloadable files ---------------------------------------------------------------------------

# every file a page offers for download is looked at (its name; its text where it has any): a link to a
# Markdown file is a link to a page, checked as one
_PAGE_SUFFIXES = (".md",)


def linked_files(src_path: str, body: str, body_line: int, docs_dir: Path) -> list[tuple[str, int]]:
    """(docs-relative path, line) of every local file a Markdown body links to or shows that a reader can
    download: read as boundary.py reads the links whose files it publishes (reference definitions
    `[1]: files/x.xlsx` and unquoted `href=files/x.xlsx` included), so no published file goes unread."""
    out = []
    for at, _, path in boundary.body_links(body, posixpath.dirname(src_path)):
        suffix = posixpath.splitext(path)[1].lower()
        if suffix in _PAGE_SUFFIXES or path.startswith(".."):
            continue
        if (docs_dir / path).is_file():
            out.append((path, body_line + body.count("\n", 0, at)))
    return out


@dataclass(frozen=True)
class FileScan:
    findings: tuple[Finding, ...]  # value "" (only the key): nothing personal is kept on disk
    notes: tuple[attachments_text.Note, ...]
    active: str = ""  # what in an HTML, SVG or XML file would run when it is opened (active.py)


class FileScanner:
    """Findings inside downloadable files, cached per file content (sha256) under `cache_dir`, so a
    rebuild reads a spreadsheet or PDF again only when its bytes changed. One small JSON file per
    content; findings are stored masked, with a digest for the allow-list, never the number."""

    def __init__(self, cache_dir: Path | None = None, today: dt.date | None = None, root: Path | None = None):
        """`root`: the project folder; a file that resolves outside it is never read (boundary.py refuses
        to publish it and says so), as a link to the build machine's own files must not be."""
        self.cache_dir = cache_dir
        self.today = today
        self.root = os.path.realpath(root) if root is not None else None

    def scan(self, path: Path) -> FileScan:
        try:
            if self.root is not None and boundary.outside(path, self.root) is not None:
                return FileScan((), ())
            # only a regular file (boundary.py rule 10 refuses the rest): reading a named pipe waits for ever
            if not stat.S_ISREG(os.stat(path).st_mode):
                return FileScan((), ())
            data = path.read_bytes()
        except OSError as exc:
            return FileScan((), (attachments_text.Note(f"无法读取文件：{exc.strerror}"),))
        digest = hashlib.sha256(data).hexdigest()
        entry = self._cache_path(digest, path.suffix.lower())
        if entry is not None:
            try:
                saved = json.loads(entry.read_text(encoding="utf-8"))
                return FileScan(tuple(Finding(**f) for f in saved["findings"]),
                                tuple(attachments_text.Note(*n) for n in saved["notes"]), saved["active"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
        result = self._scan(path)
        if path.suffix.lower() in active.SUFFIXES:
            result = dataclasses.replace(result, active=active.active_content(data) or "")
        if entry is not None:
            self._save(entry, result)
        return result

    def _cache_path(self, digest: str, suffix: str) -> Path | None:
        if self.cache_dir is None:
            return None
        version = code_version("sources/privacy.py", "sources/file_pieces.py", "sources/attachments_text.py",
                               "sources/archives_text.py", "sources/active.py")[:16]
        key = hashlib.sha256(f"{version}:{suffix}:{digest}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.json"

    def _scan(self, path: Path) -> FileScan:
        extracted = attachments_text.extract(path)
        markup = path.suffix.lower() in attachments_text.MARKUP_SUFFIXES
        found = []
        id_columns = set()  # table columns with a cell above that names ID numbers (a title row may come first)
        for piece in extracted.pieces:
            # a line of a text file is named by its line (and column); anything else by its piece
            plain_line = piece.line is not None and piece.where == f"第 {piece.line} 行"
            if piece.column and names_id_numbers(piece.text):
                id_columns.add(piece.column)
            for f in scan_seen(piece.text, today=self.today, markup=markup, called_id=piece.column in id_columns):
                # a piece is named by what the file calls it (a sheet, a member of an archive): its
                # number is masked there too, as the message and this cache never hold one whole
                found.append(dataclasses.replace(f, value="", line=piece.line or 0,
                                                 where="" if plain_line else _masked_name(piece.where),
                                                 column=f.column if plain_line else 0))
        notes = tuple(dataclasses.replace(n, text=_masked_name(n.text)) for n in extracted.notes)
        return FileScan(tuple(found), notes)

    @staticmethod
    def _save(entry: Path, result: FileScan) -> None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"findings": [dataclasses.asdict(f) for f in result.findings],
                                       "notes": [[n.text, n.hint] for n in result.notes], "active": result.active},
                                      ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:  # a cache that cannot be written is only a slower rebuild
            pass


def check_download(path: str, docs_dir: Path, docs_rel: str, guard: Guard, scanner: FileScanner,
                   owner: str, owner_line: int | None) -> None:
    """A downloadable file: its name (reported on the page that offers it) and the text inside it. With
    `owner` the file itself: a file of the content folder no page offers, published on its own, with no
    `allow:` of its own (a page that links it lends it the page's)."""
    name = posixpath.basename(path)
    rel = f"{docs_rel}/{path}"
    alone = owner == rel
    for f in scan_seen(name, today=scanner.today, markup=False):
        guard.report(dataclasses.replace(f, column=0, where=f"附件文件名“{_masked_name(name)}”中"), owner, owner_line,
                     hint="文件名会出现在下载链接里：给文件改名（例如用“附件1.xlsx”）" + ("" if alone else "，并更正 path"))
    suffix = posixpath.splitext(name)[1].lower()
    if suffix in attachments_text.MEDIA_SUFFIXES:
        return
    where = "" if alone else f"（由 {owner} 第 {owner_line} 行发布）" if owner_line else f"（由 {owner} 发布）"
    # offered for download, a program is a person's decision (as in an archive or a PDF); a script the site
    # publishes on its own is the site's (mkdocs.yml's extra_javascript), read for numbers as any text
    if suffix in attachments_text.EXECUTABLE_SUFFIXES and not (alone and suffix in attachments_text.SITE_SCRIPT_SUFFIXES):
        guard.problems.warning(rel, None, f"这个文件{attachments_text.EXECUTABLE_NOTE}{where}",
                               "确认它确需发布、来源可靠（如上级部门提供的申报软件），并在附件标题中写明软件名称和版本；"
                               "不需要发布的，删除这个附件或链接")
        return
    result = scanner.scan(docs_dir / path)
    allow = _SITE_FILE_ALLOW if alone else f"在 {owner} 的元数据中加入 {_ALLOW_ENTRY}"
    if result.active:  # MkDocs copies it as it is: opened from the site, it runs there (boundary.py rule 8)
        guard.problems.error(rel, None, f"含有会在读者浏览器中运行的内容（{result.active}），这个文件不会发布",
                             "删除其中的脚本、事件属性（on…=）和 javascript: 链接后再放回；网页请写成 .md，"
                             "网站验证文件和导出的 SVG 图表一般不含这些内容")
    for f in result.findings:
        find = ("用记事本等文本编辑器打开" if suffix not in attachments_text.READABLE else "在 Word、Excel、PowerPoint 中")
        guard.report(f, rel, f.line or None,
                     hint=f"删除或打码后重新导出此文件{where}；{find}可按 Ctrl+F 查找末四位“{f.masked[-4:]}”",
                     allow_hint=allow)
    for note in result.notes:
        guard.problems.warning(rel, None, f"{note.text}{where}",
                               note.hint or "请人工逐页审核，确认不含身份证号、手机号、银行卡号等个人信息；"
                                            "能导出文字版（带文字层的 PDF、.docx、.xlsx）的，请换成文字版")


def _masked_name(name: str) -> str:
    out = name
    for f in scan_seen(name, markup=False):
        if f.value:
            out = out.replace(f.value, f.masked)
    return re.sub(r"[0-9]{11,}", lambda m: m.group(0)[:4] + "*" * (len(m.group(0)) - 8) + m.group(0)[-4:], out)


# --- records and pages ----------------------------------------------------------------------------

_FOLDED_LINE = re.compile(r"\n[ \t]+[0-9]")  # a value continued on the next line: YAML folds the two


def _record_skip(path: tuple) -> bool:
    """Identifiers by contract (索引号), and attachment paths (checked as file names)."""
    return (bool(path) and path[0] in SKIP_KEYS) or (len(path) == 3 and path[0] == "attachments" and path[2] == "path")


def check_markdown(front: str, body: str, body_line: int, src_path: str, rel: str, problems: Problems,
                   today: dt.date | None = None, docs_dir: Path | None = None, docs_rel: str = "",
                   scanner: FileScanner | None = None, where: str = "本记录") -> list[Finding]:
    """A Markdown file (a record or an ordinary page): front matter values, the body as written and as
    seen, and, with `docs_dir`, the name and text of every file it offers for download; findings not
    in its `allow:` list are reported. Returns the refused findings."""
    # the values are decoded only when they can hold something the source does not show plainly
    decode = front and ("allow" in front or "attachments" in front or "\\" in front or _FOLDED_LINE.search(front)
                        or scan_text(front, today=today) or _disguised_blocks(front) or _has_astral(front))
    scalars, allows = yaml_scalars(front, line_offset=1) if decode else ([], {})
    allow_node = allows.get(())
    allow_line = allow_node.start_mark.line + 1 if allow_node is not None else 2
    guard = Guard(problems, read_allow(allow_from_node(allow_node, 1) if allow_node is not None else None,
                                       rel, allow_line, problems))
    for f, _ in scan_yaml(front, scalars, line_offset=1, skip=_record_skip, today=today):
        guard.report(f, rel, f.line)
    for f in scan_seen(body, body_line, today=today):
        guard.report(f, rel, f.line)
    if docs_dir is not None:
        scanner = scanner or FileScanner(today=today)
        base = posixpath.dirname(src_path)
        downloads = {}
        for s in scalars:
            if len(s.path) == 3 and s.path[0] == "attachments" and s.path[2] == "path" and s.value.strip():
                target = posixpath.normpath(posixpath.join(base, s.value.strip()))
                if not target.startswith("..") and (docs_dir / target).is_file():
                    downloads.setdefault(target, s.line)
        for target, line in linked_files(src_path, body, body_line, docs_dir):
            downloads.setdefault(target, line)
        for target, line in downloads.items():
            check_download(target, docs_dir, docs_rel, guard, scanner, rel, line)
    guard.unused(rel, where)
    return guard.refused


def check_record(record, rel: str, problems: Problems, today: dt.date | None = None,
                 docs_dir: Path | None = None, docs_rel: str = "", scanner: FileScanner | None = None
                 ) -> list[Finding]:
    """Scan one parsed record (front matter values, body, attachments); report findings that are not
    allow-listed. Returns the findings that were refused."""
    return check_markdown(getattr(record, "front", "") or "", record.body, record.body_line, record.src_path, rel,
                          problems, today, docs_dir, docs_rel, scanner)


def record_downloads(record, docs_dir: Path) -> list[str]:
    """Docs-relative paths of the files a record offers (attachments and body links): what a cached
    check of the record depends on besides the record itself."""
    paths = [a.path for a in record.attachments]
    paths += [p for p, _ in linked_files(record.src_path, record.body, record.body_line, docs_dir)]
    return sorted(set(paths))


# --- the rest of the site: ordinary pages, catalogue, mkdocs.yml, other published files -------------

CONFIG_TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright", "extra", "nav", "plugins")


def check_yaml_file(path: Path, rel: str, problems: Problems, today: dt.date | None = None,
                    keys: tuple[str, ...] | None = None, report_unused: bool = True) -> dict[tuple, Guard]:
    """A YAML file's decoded texts (all of them, or only those under top-level `keys`); a mapping's
    own `allow:` list covers the texts inside it. Returns the guards of those lists, by the mapping's
    path (without `report_unused`, the caller reports their unused entries once it has used them too)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}  # the loader of that file reports it
    scalars, allows = yaml_scalars(text)
    if keys is not None:
        scalars = [s for s in scalars if s.path and s.path[0] in keys]
    guards = {path_: Guard(problems, read_allow(allow_from_node(node), rel, node.start_mark.line + 1, problems))
              for path_, node in allows.items()}
    for f, at in scan_yaml(text, scalars, today=today):
        owner = max((p for p in guards if at[:len(p)] == p), key=len, default=None)
        guard = guards[owner] if owner is not None else Guard(problems, [])
        guard.report(f, rel, f.line, allow_hint=f"在这一条中加入 {_ALLOW_ENTRY}")
    for guard in guards.values() if report_unused else ():
        guard.unused(rel, "这一条")
    return guards


@dataclass
class SiteTexts:
    """Where the site's texts beyond its records are (every path absolute)."""
    docs_dir: Path
    docs_rel: str
    records_dir: str = "records"
    catalogue_dir: Path | None = None
    catalogue_rel: str = "catalogue"
    config_file: Path | None = None
    config_rel: str = "mkdocs.yml"
    referenced: set = field(default_factory=set)  # docs-relative files some record offers
    withheld: frozenset = frozenset()  # docs-relative files the file boundary keeps out of the site
    theme_dir: Path | None = None  # the project's own theme folder (mkdocs.yml theme.custom_dir)
    theme_rel: str = ""
    hooks: tuple = ()  # (path, project-relative name) of the project's `hooks:` files (mkdocs.yml)


def check_site(site: SiteTexts, problems: Problems, scanner: FileScanner | None = None,
               today: dt.date | None = None) -> None:
    """Ordinary pages (and the files they link), the catalogue, mkdocs.yml's texts, and every other
    file under the docs folder that MkDocs publishes as it is."""
    scanner = scanner or FileScanner(today=today)
    if site.catalogue_dir is not None and site.catalogue_dir.is_dir():
        for path in sorted(site.catalogue_dir.rglob("*")):
            if path.suffix.lower() in (".yml", ".yaml") and path.is_file():
                rel = f"{site.catalogue_rel}/{path.relative_to(site.catalogue_dir).as_posix()}"
                check_yaml_file(path, rel, problems, today)
    config_guards = {}
    if site.config_file is not None and site.config_file.is_file():
        config_guards = check_yaml_file(site.config_file, site.config_rel, problems, today, keys=CONFIG_TEXT_KEYS,
                                        report_unused=False)
    # extra's `allow:` in mkdocs.yml also covers the site's own files, which have no front matter: the
    # files no page offers (a script, a style sheet) and the theme's
    own = config_guards.get(("extra",)) or Guard(problems, [])
    pages, files = _published(site.docs_dir, site.records_dir)
    offered = set(site.referenced)
    for src in (p for p in pages if p not in site.withheld):
        offered.update(p for p, _ in _check_page(site, src, problems, scanner, today))
    for src in files:
        if src in offered or src in site.withheld:
            continue
        check_download(src, site.docs_dir, site.docs_rel, own, scanner, f"{site.docs_rel}/{src}", None)
    if site.theme_dir is not None and site.theme_dir.is_dir():
        check_theme(site.theme_dir, site.theme_rel, own, scanner)
    for path, rel in site.hooks:  # what a hook returns goes onto pages: its text is read as a template's
        _check_own_file(path, rel, own, scanner)
    for guard in config_guards.values():
        guard.unused(site.config_rel, "这一条")


_SITE_FILE_ALLOW = (f"在 mkdocs.yml 的 extra 中加入 {_ALLOW_ENTRY}"
                    "\n      （这个文件没有自己的元数据，网站自己的文件在那里放行）")


def check_theme(folder: Path, rel: str, guard: Guard, scanner: FileScanner) -> None:
    """The project's own theme folder: its templates make every page, its other files are published as
    they are."""
    for src in _published(folder)[1]:
        _check_own_file(folder / src, f"{rel}/{src}", guard, scanner)


def _check_own_file(path: Path, path_rel: str, guard: Guard, scanner: FileScanner) -> None:
    """A file of the project's own code for its pages (a theme file, a hook): read as a published file is
    (its name, then its text by its kind), but what a template or script runs is its own (no finding of
    active content, no note on a program)."""
    name = path.name
    for f in scan_seen(name, today=scanner.today, markup=False):
        guard.report(dataclasses.replace(f, column=0, where=f"文件名“{_masked_name(name)}”中"), path_rel, None,
                     hint="给文件改名，并更正模板中引用它的地方", allow_hint=_SITE_FILE_ALLOW)
    if path.suffix.lower() in attachments_text.MEDIA_SUFFIXES:
        return
    result = scanner.scan(path)
    for f in result.findings:
        guard.report(f, path_rel, f.line or None, hint="删除或打码后保存此文件，它出现在网站的页面或文件中",
                     allow_hint=_SITE_FILE_ALLOW)
    for note in result.notes:
        guard.problems.warning(path_rel, None, note.text,
                               note.hint or "请人工检查，确认不含身份证号、手机号、银行卡号等个人信息")


def _published(folder: Path, records_dir: str | None = None) -> tuple[list[str], list[str]]:
    """The Markdown pages under `folder` (outside its records folder, if it has one), and the other files
    there MkDocs copies, relative to it."""
    records = posixpath.normpath(records_dir.replace("\\", "/")).strip("/") if records_dir else None
    pages, files = [], []
    stack = [(folder, "")]
    while stack:
        at, rel = stack.pop()
        try:
            entries = list(os.scandir(at))
        except OSError:
            continue
        for e in entries:
            if e.name.startswith("."):
                continue
            name = f"{rel}/{e.name}" if rel else e.name
            if e.is_dir(follow_symlinks=False):
                if name != records:
                    stack.append((Path(e.path), name))
            elif e.name.endswith(".md"):
                pages.append(name)
            else:  # whatever its kind: MkDocs copies every file as it is
                files.append(name)
    return sorted(pages), sorted(files)


def _check_page(site: SiteTexts, src: str, problems: Problems, scanner: FileScanner,
                today: dt.date | None) -> list[tuple[str, int]]:
    from .records import split_front_matter

    rel = f"{site.docs_rel}/{src}"
    try:
        text = (site.docs_dir / src).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return []  # MkDocs reports a page it cannot read
    front, body, body_line = split_front_matter(text)
    check_markdown(front or "", body, body_line, src, rel, problems, today, site.docs_dir, site.docs_rel,
                   scanner, where="本页")
    return linked_files(src, body, body_line, site.docs_dir)
