"""Privacy and secrecy guard (保密审查 / 个人信息保护): personal numbers must not be published.

Pure and MkDocs-free. It finds, in a record's front matter and body:

- mainland resident ID numbers (居民身份证号码, GB 11643-1999): 17 digits + a check character
  (digit or X), the ISO 7064 MOD 11-2 check verified, a known province code and a plausible birth
  date (1900-01-01 … today);
- mobile numbers (手机号码): 11 digits ``1[3-9]xxxxxxxxx``, optionally after +86, or grouped
  ``138 1234 5678`` / ``138-1234-5678``, never as part of a longer digit run;
- bank card numbers (银行卡号): 13–19 digits, optionally in groups of four, passing the Luhn check,
  starting with an issuer digit 3, 4, 5, 6 or 9 (UnionPay 62…, Visa 4…, Mastercard 5…, JCB/Amex 3…,
  domestic debit 9…), and neither a valid ID number nor a unified social credit code
  (统一社会信用代码, GB 32100, whose check character is verified too).

What it deliberately leaves alone (no false positives on ordinary disclosure text): 索引号 such as
``003111216/2024-00012`` (its front matter lines are not scanned at all, and the numbers are short),
文号 (``财预〔2024〕5号``), dates (``2024-02-20``, ``20240220``), landlines (``0519-86604221``),
amounts (``1,234,567.89``; digits next to a decimal point or a thousands comma are amounts) and web
addresses (a long number inside a URL is a page id, not a bank card).

A record may allow-list an exact value that is public on purpose (a hotline, a unit's public
account for donations) in its front matter::

    allow:
      - {value: "13800138000", reason: "县救灾指挥部公开值班电话"}

A reason is required; an entry that matches nothing is reported so stale entries get removed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from .problems import Problems

ID_CARD = "id_card"
MOBILE = "mobile"
BANK_CARD = "bank_card"
KIND_LABELS = {ID_CARD: "居民身份证号码", MOBILE: "手机号码", BANK_CARD: "银行卡号"}

# Front matter keys that hold identifiers by contract, never personal data.
SKIP_KEYS = ("index_no", "interprets")

# First two digits of a resident ID: province-level codes (GB/T 2260), plus 71/81/82/83 used for
# Taiwan, Hong Kong and Macao residents' permits that follow the same format.
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CARD_ISSUERS = set("34569")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# A run of digits (with an ID's final X), bounded by non-digits.
_RUN = re.compile(r"(?<![0-9])[0-9]{11,19}(?:[Xx](?![0-9A-Za-z]))?(?![0-9])")
# The same numbers as people type them, in groups.
_GROUPED = (
    (MOBILE, re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?![0-9])")),
    (ID_CARD, re.compile(r"(?<![0-9])[0-9]{6}(?P<s>[ -])[0-9]{8}(?P=s)[0-9]{3}[0-9Xx](?![0-9A-Za-z])")),
    (BANK_CARD, re.compile(r"(?<![0-9])[0-9]{4}(?P<s>[ -])[0-9]{4}(?:(?P=s)[0-9]{4}){2,3}(?:(?P=s)[0-9]{1,4})?(?![0-9])")),
)
_URL = re.compile(r"(?:https?|ftp)://[^\s)>\]\"'）]+|www\.[^\s)>\]\"'）]+", re.I)
_MOBILE = re.compile(r"^(?:86)?(1[3-9][0-9]{9})$")
# Every finding lies in a stretch of digits, spaces, hyphens and + at least 11 characters long: the
# detailed patterns run only there (a char-class-led pattern is fast; the detailed ones are not).
_CLUSTER = re.compile(r"[0-9+][0-9 +\-]{9,}[0-9Xx]")
_NEWLINE = re.compile(r"\n")


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str  # the number, normalised: digits only (and a final X)
    masked: str
    line: int  # line in the file
    column: int  # 1-based character column on that line

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def normalise(text: str) -> str:
    """Digits (and an ID's final X) only: how allow-list values and findings are compared."""
    digits = re.sub(r"[^0-9Xx]", "", text).upper()
    m = _MOBILE.match(digits)
    return m.group(1) if m else digits


def is_id_number(value: str, today: dt.date | None = None) -> bool:
    """A mainland resident ID number: province code, plausible birth date, GB 11643 check character."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    if value[:2] not in _PROVINCES:
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born < dt.date(1900, 1, 1) or born > (today or dt.date.today()):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


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


def is_bank_card(digits: str) -> bool:
    return (13 <= len(digits) <= 19 and digits.isdigit() and digits[0] in _CARD_ISSUERS
            and luhn_ok(digits) and not is_id_number(digits) and not is_credit_code(digits))


def mask(kind: str, value: str) -> str:
    """Show just enough to find the number again: 110105********1234, 138****5678, 6222*********0123."""
    if kind == ID_CARD:
        return value[:6] + "*" * 8 + value[-4:]
    if kind == MOBILE:
        return value[:3] + "****" + value[-4:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _classify(digits: str, today: dt.date | None) -> str | None:
    if is_id_number(digits, today):
        return ID_CARD
    if _MOBILE.match(digits):
        return MOBILE
    if is_bank_card(digits):
        return BANK_CARD
    return None


def _is_amount(line: str, start: int, end: int) -> bool:
    """Digits glued to a decimal point or a thousands comma are an amount, not an identifier."""
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    after2 = line[end + 1] if end + 1 < len(line) else ""
    if before in ".,，" and start > 1 and line[start - 2].isdigit():
        return True
    return after in ".,，" and after2.isdigit()


def _scan(text: str, today: dt.date | None) -> list[tuple[str, str, int, int]]:
    """(kind, digits, start, end) of every personal number in text; regexes run over the whole text."""
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

    def add(kind: str, digits: str, start: int, end: int) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        hits.append((kind, digits, start, end))

    for pos, endpos in windows:
        for m in _RUN.finditer(text, pos, endpos):
            start, end = m.span()
            kind = _classify(m.group(0).upper(), today)
            if kind is None or _is_amount(text, start, end):
                continue
            if kind == BANK_CARD and in_url(start, end):
                continue
            add(kind, normalise(m.group(0)), start, end)
        for kind, rx in _GROUPED:
            for m in rx.finditer(text, pos, endpos):
                start, end = m.span()
                digits = normalise(m.group(0))
                if kind == ID_CARD and not is_id_number(digits, today):
                    continue
                if kind == BANK_CARD and (not is_bank_card(digits) or in_url(start, end)):
                    continue
                add(kind, digits, start, end)
    hits.sort(key=lambda h: h[2])
    return hits


def scan_text(text: str, first_line: int = 1, skip_lines: set[int] | None = None,
              today: dt.date | None = None) -> list[Finding]:
    """Every personal number in `text`, whose first line is line `first_line` of the file."""
    hits = _scan(text, today)
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


def mask_any(text: str) -> str:
    """Mask a value whose kind is unknown (allow-list entries), so messages never print it whole."""
    digits = normalise(text)
    if len(digits) < 8:
        return digits
    kind = _classify(digits, None) or BANK_CARD
    return mask(kind, digits)


def check_record(record, rel: str, problems: Problems, today: dt.date | None = None) -> list[Finding]:
    """Scan one parsed record (front matter text and body); report findings that are not allow-listed.

    Returns the findings that were refused.
    """
    front = getattr(record, "front", "") or ""
    skip = {record.lines[k] for k in SKIP_KEYS if k in record.lines}
    if "allow" in record.lines:  # the allow-list itself: from its key to the next key (or the closing ---)
        start = record.lines["allow"]
        later = [n for n in record.lines.values() if n > start]
        end = min(later) if later else 2 + front.count("\n")
        skip.update(range(start, end))
    findings = scan_text(front, first_line=2, skip_lines=skip, today=today)
    findings += scan_text(record.body, first_line=record.body_line, today=today)
    allow_line = record.lines.get("allow", 2)
    allowed = read_allow(getattr(record, "allow", None), rel, allow_line, problems)
    allow_values = {a.value for a in allowed}
    used: set[str] = set()
    refused = []
    for f in findings:
        if f.value in allow_values:
            used.add(f.value)
            continue
        refused.append(f)
        problems.error(
            rel, f.line,
            f"第 {f.column} 列疑似{f.label}“{f.masked}”：公开信息中不得包含个人信息",
            f"删除或打码（例如写成 {f.masked}）；如确属依法公开的号码（如公开的服务热线、单位对公账户），"
            f"在元数据中加入 allow:\n      - {{value: \"完整号码\", reason: \"公开理由\"}}",
        )
    for a in allowed:
        if a.value not in used:
            problems.warning(rel, a.line, f"allow 条目“{mask_any(a.value)}”在本记录中没有匹配到任何号码",
                             "号码已删除或写法不同（比较时只看数字）：请删除这一条 allow，或更正 value")
    return refused
