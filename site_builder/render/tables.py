"""Tables in page bodies, made readable on a phone and a desktop without any script.

Each top-level <table> of a body (a record's, or an ordinary page's) is

- wrapped in a scroll container that the keyboard can reach and a screen reader names
  (`<div class="dx-table" role="region" tabindex="0" aria-label="表格：…">`): a table wider than
  the page scrolls inside it, with a shadow at the edge that has more columns (theme/assets/layout.css);
- marked `dx-table--wide` when its columns would not fit beside the table of contents: the page then
  gives it that room (the stylesheet hides the contents sidebar of such a page on a desktop);
- given per-cell classes decided here, at build time: `dx-num` on every cell of a column whose body
  cells are all numbers (amounts, counts, percentages, with or without a unit: right-aligned),
  `dx-date` on a cell that holds a date (never wraps), `dx-nowrap` on a short name or code (a few
  characters: 工业用地, YX2026-G03), which reads badly broken. A column the editor aligned (`|---:|`, an
  align or style attribute) keeps the editor's alignment.

Bodies arrive sanitized (nh3, sanitize.py): well-formed tags with quoted attributes. Before any table is
looked at, a `<` or `>` inside a quoted attribute value is written as `&lt;` / `&gt;` (the same value
for the browser), so every `<` and `>` left is a tag's own and the patterns below cannot be steered by
text inside an attribute (`title="<td>…"`). Scripts, styles and comments (possible on ordinary pages,
which are not sanitized) are left exactly as they are. Tables nested inside a cell are left as they
are (wrapped with their outer table, no classes).
"""

from __future__ import annotations

import html as htmllib
import re

_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.S | re.I)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_THEAD = re.compile(r"<thead\b.*?</thead\s*>", re.S | re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption\s*>", re.S | re.I)
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
_SPAN = re.compile(r"""\b(colspan|rowspan)\s*=\s*["']?(\d+)""", re.I)
_ALIGNED = re.compile(r"""\balign\s*=|\bstyle\s*=\s*["'][^"']*text-align""", re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")

# 1,234.5 · -3 · 98.06% · ≤0.05 mg/kg · ¥1,200 · 3.5万元 · 12批次: a quantity, perhaps with a unit
_UNIT = (r"%|‰|℃|°C|㎡|m²|m³|[A-Za-zμ]{1,5}(?:/[A-Za-z]{1,4})?|"
         r"[万亿]?元|万|亿|亩|公顷|平方米|立方米|公里|千米|米|吨|千克|公斤|人次|人|户|个|家|批次|批|次|件|项|所|台|辆|套|间|张|天|日|小时|倍")
_NUMBER = re.compile(
    r"^[≤≥<>±~≈约¥￥$＋+\-−－]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:" + _UNIT + r")?$")
# 2026-02-10 · 2026/2/10 · 2026.02.10 · 2026年2月10日 · 2026年2月 · 2026-02 (and with a time of day);
# not 1152.5 (a number)
_DATE = re.compile(
    r"^(?:(?:19|20)\d{2}-\d{1,2}(?:-\d{1,2})?|(?:19|20)\d{2}([/.])\d{1,2}\1\d{1,2}|(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?)"
    r"(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,23}$")
_PLACEHOLDER = {"", "—", "——", "-", "－", "/", "／", "…", "无", "N/A", "n/a"}

WIDE_EM = 46  # a table wider than this (estimated, in em of its text) wants the contents sidebar's room
COLUMN_CAP_EM = 12  # a column of long text wraps: it counts for at most this much
CELL_PADDING_EM = 1.6
SHORT_EM = 6  # cells up to this wide (six Chinese characters) do not wrap


def cell_text(inner: str) -> str:
    return " ".join(htmllib.unescape(_TAG.sub(" ", inner)).replace("\xa0", " ").split())


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def is_date(text: str) -> bool:
    return bool(_DATE.match(text))


def is_short(text: str) -> bool:
    """A name or code that reads badly broken (工业用地, YX2026-G03): kept on one line."""
    return bool(text) and (text_em(text) <= SHORT_EM or bool(_CODE.match(text)))


def text_em(text: str) -> float:
    """The width of a line of text in em: CJK and full-width characters 1, others about 0.55."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _add_class(attrs: str, names: list[str]) -> str:
    if not names:
        return attrs
    m = _CLASS.search(attrs)
    if m is None:
        return f'{attrs} class="{" ".join(names)}"'
    have = m.group(2).split()
    merged = " ".join(have + [n for n in names if n not in have])
    return attrs[:m.start()] + f'class="{merged}"' + attrs[m.end():]


def _grid(table: str):
    """The table's cells: a list per row of (match, first column, span, in header)."""
    head = _THEAD.search(table)
    head_span = (head.start(), head.end()) if head else (-1, -1)
    rows, taken = [], {}  # taken: (row, col) occupied by a rowspan from above
    for r, row in enumerate(_ROW.finditer(table)):
        in_head = head_span[0] <= row.start() < head_span[1]
        col, cells = 0, []
        for cell in _CELL.finditer(row.group(1)):
            while taken.get((r, col)):
                col += 1
            spans = {k.lower(): int(v) for k, v in _SPAN.findall(cell.group(2))}
            cs, rs = max(1, spans.get("colspan", 1)), max(1, spans.get("rowspan", 1))
            for dr in range(1, rs):
                for dc in range(cs):
                    taken[(r + dr, col + dc)] = True
            cells.append((cell, col, cs, in_head or (not head and r == 0 and cell.group(1).lower() == "th")))
            col += cs
        rows.append((row, cells))
    return rows


def _classes(rows) -> dict:
    """{(row index, cell index): [class names]}, and the table's estimated width in em."""
    columns: dict[int, dict] = {}
    for r, (_, cells) in enumerate(rows):
        for i, (cell, col, span, head) in enumerate(cells):
            text = cell_text(cell.group(3))
            info = columns.setdefault(col, {"numbers": 0, "other": 0, "aligned": False, "width": 0.0})
            if span == 1:
                info["width"] = max(info["width"], min(text_em(text), COLUMN_CAP_EM))
                if _ALIGNED.search(cell.group(2)):
                    info["aligned"] = True
                if not head:
                    if is_number(text):
                        info["numbers"] += 1
                    elif text not in _PLACEHOLDER:
                        info["other"] += 1
    numeric = {c for c, info in columns.items() if info["numbers"] and not info["other"] and not info["aligned"]}
    out = {}
    for r, (_, cells) in enumerate(rows):
        for i, (cell, col, span, head) in enumerate(cells):
            names = []
            if span == 1 and col in numeric:
                names.append("dx-num")
            text = cell_text(cell.group(3))
            if not head and is_date(text):
                names.append("dx-date")
            elif not head and not names and is_short(text):
                names.append("dx-nowrap")
            if names:
                out[(r, i)] = names
    width = sum(info["width"] + CELL_PADDING_EM for info in columns.values())
    return out, width


def _mark_cells(table: str, rows, classes: dict) -> str:
    """The table with the classes added to its cells (rewritten from the end, so offsets hold)."""
    edits = []
    for r, (row, cells) in enumerate(rows):
        inner_start = row.start(1)
        for i, (cell, _, _, _) in enumerate(cells):
            names = classes.get((r, i))
            if names:
                start = inner_start + cell.start(2)
                edits.append((start, inner_start + cell.end(2), _add_class(cell.group(2), names)))
    for start, end, attrs in sorted(edits, reverse=True):
        table = table[:start] + attrs + table[end:]
    return table


def _label(table: str, before: str, used: set[str]) -> str:
    caption = _CAPTION.search(table)
    name = cell_text(caption.group(1)) if caption else ""
    if not name:
        headings = list(_HEADING.finditer(before))
        name = cell_text(headings[-1].group(2)) if headings else ""
    label = f"表格：{name}" if name else "表格"
    n, candidate = 1, label
    while candidate in used:
        n += 1
        candidate = f"{label}（{n}）"
    used.add(candidate)
    return candidate


_START_TAG = re.compile(r"""<[A-Za-z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_OPAQUE = re.compile(r"<!--.*?-->|<(script|style|textarea|template)\b.*?</\1\s*>", re.S | re.I)


def _quote_brackets(html: str) -> str:
    """Every start tag with `<` / `>` written as character references inside its quoted values."""
    def tag(m):
        text = m.group(0)
        if "<" not in text[1:] and ">" not in text[:-1]:
            return text
        return _QUOTED.sub(lambda q: q.group(0).replace("<", "&lt;").replace(">", "&gt;"), text)

    return _START_TAG.sub(tag, html)


def enhance(body: str) -> str:
    """The body with every top-level table wrapped and its cells classed (see the module's notes)."""
    if "<table" not in body and "<TABLE" not in body:
        return body
    used: set[str] = set()
    out, pos = [], 0
    for m in _OPAQUE.finditer(body):
        out.append(_tables(_quote_brackets(body[pos:m.start()]), used))
        out.append(m.group(0))
        pos = m.end()
    out.append(_tables(_quote_brackets(body[pos:]), used))
    return "".join(out)


def _tables(body: str, used: set[str]) -> str:
    if "<table" not in body and "<TABLE" not in body:
        return body
    out, pos, depth, start = [], 0, 0, 0
    for m in _TABLE_TAG.finditer(body):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
            continue
        if depth == 0:
            continue  # a stray </table>
        depth -= 1
        if depth:
            continue
        table = body[start:m.end()]
        nested = len(_TABLE_TAG.findall(table)) > 2
        wide = False
        if not nested:
            rows = _grid(table)
            classes, width = _classes(rows)
            table = _mark_cells(table, rows, classes)
            wide = width > WIDE_EM
        open_end = table.find(">")
        table = "<table" + _add_class(table[len("<table"):open_end], ["dx-body-table"]) + table[open_end:]
        label = htmllib.escape(_label(table, body[:start], used))
        cls = "dx-table dx-table--wide" if wide else "dx-table"
        out.append(body[pos:start])
        out.append(f'<div class="{cls}" role="region" tabindex="0" aria-label="{label}">{table}</div>')
        pos = m.end()
    out.append(body[pos:])
    return "".join(out)
