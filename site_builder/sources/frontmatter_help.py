"""Front matter as a Chinese keyboard types it, and YAML's errors in Chinese.

Two pure functions on text, used by yamlsrc (no MkDocs, no PyYAML objects here):

- `repair(text)` finds full-width punctuation where YAML expects structure (the `：` after a field name,
  `［ ］ ｛ ｝` around a list or an attachment, `，` `、` between list items, a `－` list dash, a missing space
  after a colon) and returns the text with each one corrected, plus one `Fix` per line saying what was
  changed and how the line should read. Text inside quotes, inside a `|` block, or in a value (时间：上午)
  is never touched. Most fixes are unambiguous and are *accepted* (a warning shows the corrected line);
  indentation typed with full-width spaces or tabs is *rejected* (an error with a suggested line), since
  the depth decides which field a line belongs to and a guess could silently move it.
- `explain(...)` turns one of PyYAML's / libyaml's English messages into a Chinese one, on the line the
  editor has to change (often not the line the parser stopped at), with an example of the correct form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# fields whose value is a list: full-width brackets and commas around them are list syntax
LIST_KEYS = frozenset({
    "domains", "tags", "attachments", "serves", "tasks", "departments", "channels", "levels", "sections",
    "lead", "support", "columns",
})
# lists of plain words: `tags: 甲，乙` (no brackets) is two tags, not one
WORD_LIST_KEYS = LIST_KEYS - {"attachments", "columns"}
# fields whose value is text: the lines under an empty `summary:` continue the text, they hold no fields
TEXT_KEYS = frozenset({
    "title", "summary", "doc_no", "genre", "source", "subject", "description", "name", "content", "basis",
    "time_limit", "requirement", "task", "overview", "problems", "other", "respond",
})

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_KEY_LINE = re.compile(rf"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?(?P<key>{_KEY})[ ]*(?P<sep>：|:(?=[^\s:/])|:(?=\s|$))"
                       r"(?P<rest>.*)$")
_DASHES = "－—–﹣‐"
_KEY_ONLY = re.compile(rf"^{_KEY}$")
_DASH_LINE = re.compile(rf"^(?P<indent>[ ]*)(?P<dash>[{_DASHES}])[ 　]*(?P<rest>\S.*)$")
_ASCII_DASH_NO_SPACE = re.compile(r"^(?P<indent>[ ]*)-(?P<rest>[^\s\-].*)$")
_BLOCK_SCALAR = re.compile(r"^[|>][0-9+-]*[ \t]*(?:#.*)?$")
_OPENERS = {"[": "[", "［": "[", "【": "[", "{": "{", "｛": "{"}
_CLOSERS = {"]": "]", "］": "]", "】": "]", "}": "}", "｝": "}"}


@dataclass(frozen=True)
class Fix:
    line: int  # in the file (line_offset added)
    before: str
    after: str
    message: str  # what was typed, in Chinese
    accepted: bool  # True: read as corrected, with a warning; False: an error


@dataclass(frozen=True)
class Explained:
    line: int | None
    message: str
    hint: str


# --- full-width punctuation ------------------------------------------------------------------------



def _past_spaces(text: str, i: int) -> int:
    """The index of the first character at or after `i` that is not a half- or full-width space."""
    while i < len(text) and text[i] in " 　":
        i += 1
    return i

def _split_flow(value: str, key: str) -> tuple[str, list[str]] | None:
    """A one-line flow collection (`[…]`, `{…}`, full-width or not) with its structural punctuation made
    ASCII; None when the value is not one (or does not close on this line). Returns (text, what changed)."""
    stripped = value.strip()
    if not stripped or stripped[0] not in _OPENERS:
        return None
    if stripped[0] in "［【" and key not in LIST_KEYS:
        return None  # 【通知】关于… is a title, not a list
    out: list[str] = []
    stack: list[str] = []
    changes: list[str] = []
    quote = ""
    i = 0
    n = len(stripped)
    at_entry = True  # at the start of a list item or of a mapping key

    def note(what: str) -> None:
        if what not in changes:
            changes.append(what)

    while i < n:
        ch = stripped[i]
        if quote:
            out.append(ch)
            if ch == quote:
                if quote == "'" and i + 1 < n and stripped[i + 1] == "'":
                    out.append("'")
                    i += 1
                else:
                    quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < n:
                out.append(stripped[i + 1])
                i += 1
            i += 1
            continue
        if at_entry and ch in "'\"":
            quote = ch
            out.append(ch)
            at_entry = False
            i += 1
            continue
        if ch in _OPENERS and (at_entry or not stack):
            if ch != _OPENERS[ch]:
                note(f"全角括号“{ch}”")
            stack.append(_OPENERS[ch])
            out.append(_OPENERS[ch])
            at_entry = True
            i += 1
            continue
        if ch in _CLOSERS and stack and _CLOSERS[ch] == {"[": "]", "{": "}"}[stack[-1]]:
            rest = stripped[i + 1:].lstrip()
            # a closer counts only where a collection can end: the end of the value or before , ] }
            if len(stack) > 1 or not rest or rest.startswith("#"):
                if ch != _CLOSERS[ch]:
                    note(f"全角括号“{ch}”")
                stack.pop()
                out.append(_CLOSERS[ch])
                at_entry = False
                i += 1
                continue
        if stack and stack[-1] == "[" and ch in "，、":
            note(f"列表项之间的“{ch}”")
            out.append(", ")
            i += 1
            i = _past_spaces(stripped, i)
            at_entry = True
            continue
        if stack and stack[-1] == "{":
            m = re.match(rf"({_KEY})[ ]*(：|:(?=\S)|:)", stripped[i:]) if at_entry else None
            if m:
                if m.group(2) == "：":
                    note("字段名后的中文冒号“：”")
                elif not stripped[i + m.end():i + m.end() + 1].isspace() and i + m.end() < n:
                    note("冒号后缺少空格")
                out.append(m.group(1) + ": ")
                i += m.end()
                i = _past_spaces(stripped, i)
                at_entry = False
                continue
            if ch == "，" and re.match(rf"[ 　]*{_KEY}[ ]*[:：]", stripped[i + 1:]):
                note("两个字段之间的中文逗号“，”")
                out.append(", ")
                i += 1
                i = _past_spaces(stripped, i)
                at_entry = True
                continue
        if ch == ",":
            at_entry = True
            out.append(ch)
            i += 1
            continue
        if not ch.isspace():
            at_entry = False
        out.append(ch)
        i += 1
    if stack or quote:
        return None
    return "".join(out), changes


def _quote_word(word: str) -> str:
    """A list item as YAML flow text: plain when safe, else double-quoted."""
    if re.search(r"[\[\]{},:#&*!|>'\"%@`]", word) or word != word.strip() or word[:1] in "-?":
        return json.dumps(word, ensure_ascii=False)
    return word


_ANYWHERE = frozenset("［【｛\u3000\t")
_ASCII_SUSPECT = re.compile(r"[A-Za-z_-]:[^\s/:]|^[ ]*-[^\s-]", re.M)  # `date:2024` (not 12:30 or https://)
_FLOW_ASCII_COLON = re.compile(r"\w:\S")


def _suspect(text: str) -> bool:
    """Whether repair() may change anything: a clean front matter (nearly all) is let through after a
    cheap look, instead of the line-by-line walk (which costs as much as parsing the YAML)."""
    if not _ANYWHERE.isdisjoint(text) or _ASCII_SUSPECT.search(text):
        return True
    for line in text.split("\n"):
        s = line.lstrip(" ")
        if s and s[0] in _DASHES:
            return True
        has_fw_colon, has_comma = "：" in s, "，" in s or "、" in s
        if not (has_fw_colon or has_comma or "{" in s):
            continue
        head = s.lstrip("- ")
        colon, fw_colon = head.find(":"), head.find("：")
        key = head[:colon if colon != -1 else len(head)].strip()
        if has_fw_colon and ("{" in s or (colon == -1 or fw_colon < colon) and _KEY_ONLY.match(
                head[:fw_colon].strip())):
            return True
        if has_comma and (key in WORD_LIST_KEYS or "{" in s or "[" in s):
            return True
        if "{" in s and _FLOW_ASCII_COLON.search(s):
            return True
    return False


def repair(text: str, line_offset: int = 0) -> tuple[str, list[Fix]]:
    """`text` with full-width structure corrected (line count unchanged), and a Fix for each changed line."""
    if not _suspect(text):
        return text, []
    lines = text.split("\n")
    fixes: list[Fix] = []
    block_indent: int | None = None  # inside a | or > block scalar deeper than this indent
    open_quote = ""  # inside a quoted scalar that continues on the next line
    mapping_indents: list[int] = [0]
    opener: tuple[int, str] | None = None  # (indent, key) of a `key:` line with nothing after it
    seq_indents: set[int] = set()

    for n, raw in enumerate(lines):
        line = raw
        if open_quote:
            if _closes_quote(line, open_quote):
                open_quote = ""
            continue
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if block_indent is not None:
            if not body.strip() or indent > block_indent:
                continue
            block_indent = None
        if not body.strip() or body.startswith("#"):
            continue

        changed: list[str] = []
        accepted = True
        # indentation typed with full-width spaces or tabs: rejected (the depth is a guess)
        lead = re.match(r"^[ \t\u3000]*", line).group(0)
        if "\t" in lead or "\u3000" in lead:
            prev = _previous_content(lines, n)
            if prev is not None and not _opens_block(prev):
                new_lead = " " * (len(prev) - len(prev.lstrip(" ")))
            else:
                new_lead = lead.replace("\t", "  ").replace("\u3000", "  ")
            line = new_lead + line[len(lead):]
            changed.append("行首缩进用了" + ("制表符（Tab）" if "\t" in lead else "全角空格") + "，缩进只能用半角空格")
            accepted = False
            body = line.lstrip(" ")
            indent = len(line) - len(body)

        while mapping_indents and mapping_indents[-1] > indent:
            mapping_indents.pop()
        seq_indents = {s for s in seq_indents if s <= indent}
        under_opener = opener is not None and indent > opener[0] and opener[1] not in TEXT_KEYS
        parent_key = opener[1] if under_opener else None
        list_parent = (parent_key in LIST_KEYS) or indent in seq_indents

        # a list dash typed full-width (－ — –), or `-item` with no space, under a list field
        m = _DASH_LINE.match(line)
        if m and list_parent:
            line = f"{m.group('indent')}- {m.group('rest')}"
            changed.append(f"列表项开头的“{m.group('dash')}”应是半角减号“-”加一个空格")
        else:
            m = _ASCII_DASH_NO_SPACE.match(line)
            if m and list_parent and (parent_key in WORD_LIST_KEYS or indent in seq_indents) \
                    and not m.group("rest")[:1].isdigit():
                line = f"{m.group('indent')}- {m.group('rest')}"
                changed.append("列表项的“-”后缺少空格")
        # `- key：…` is a mapping in a list (attachments, a catalogue's entries), never in a list of words
        dash_key_ok = parent_key not in WORD_LIST_KEYS and (under_opener or indent in seq_indents or (
            indent == 0 and opener is None))
        if line.lstrip(" ").startswith("- "):
            seq_indents.add(indent)

        m = _KEY_LINE.match(line)
        key_position = m is not None and (
            (m.group("dash") and dash_key_ok) or (not m.group("dash") and (
                indent in mapping_indents or under_opener or (indent == 0 and not mapping_indents))))
        if m and key_position:
            key, sep, rest = m.group("key"), m.group("sep"), m.group("rest")
            head = m.group("indent") + (m.group("dash") and "- " or "")
            value = rest.strip(" \u3000")
            if sep == "：":
                changed.append("字段名后用了中文冒号“：”")
            elif sep == ":" and rest and not rest[0].isspace():
                changed.append("冒号后缺少空格")
            elif rest.startswith("\u3000"):
                changed.append("冒号后用了全角空格")
            comment = ""
            flow = _split_flow(value, key) if value[:1] in _OPENERS else None
            if flow is None and value[:1] in _OPENERS:
                # maybe a comment after the collection: `tags: [甲，乙]  # 主题词`
                cm = re.match(r"^(.*?[\]］】}｝])([ ]+#.*)$", value)
                if cm:
                    flow = _split_flow(cm.group(1), key)
                    comment = cm.group(2) if flow else ""
            if flow is not None:
                value = flow[0] + comment
                changed += flow[1]
            elif key in WORD_LIST_KEYS and value and value[0] not in "'\"#|>" and re.search(r"[，、]", value):
                words, _, comment = value.partition(" #")
                parts = [w.strip(" \u3000") for w in re.split(r"[，、]", words) if w.strip(" \u3000")]
                if len(parts) > 1:
                    value = "[" + ", ".join(_quote_word(w) for w in parts) + "]" + (" #" + comment if comment else "")
                    changed.append(f"{key} 的多个值用了“，”或“、”分隔")
            if changed or value != rest.strip(" \u3000"):
                line = f"{head}{key}:" + (f" {value}" if value else "")
            if m.group("dash"):
                mapping_indents.append(indent + len(m.group("dash")))
            elif indent not in mapping_indents:
                mapping_indents.append(indent)
            if not value:
                opener = (indent, key)
            elif _BLOCK_SCALAR.match(value):
                block_indent = indent
                opener = None
            else:
                opener = None
                q = value[:1]
                if q in "'\"" and not _closes_quote(value[1:], q):
                    open_quote = q
        elif m is None:
            # a list item's value: `- ｛title：…，path：…｝`
            stripped = line.lstrip(" ")
            if stripped.startswith("- ") and list_parent:
                item = stripped[2:].strip()
                flow = _split_flow(item, parent_key or "attachments") if item[:1] in _OPENERS else None
                if flow is not None:
                    changed += flow[1]
                    line = line[:len(line) - len(stripped)] + "- " + flow[0]
        if changed and line != raw:
            what = "；".join(dict.fromkeys(changed))
            fixes.append(Fix(n + 1 + line_offset, raw, line, what, accepted))
            lines[n] = line
    return "\n".join(lines), fixes


def _closes_quote(text: str, quote: str) -> bool:
    if quote == "'":
        return bool(re.search(r"(?<!')'(?!')", text.replace("''", "")))
    return bool(re.search(r'(?<!\\)"', text))


def _previous_content(lines: list[str], n: int) -> str | None:
    for prev in reversed(lines[:n]):
        if prev.strip() and not prev.lstrip().startswith("#"):
            return prev
    return None


def _opens_block(line: str) -> bool:
    s = line.rstrip()
    return s.endswith(":") or s.endswith("：") or _BLOCK_SCALAR.match(s.split(":", 1)[-1].strip() or "x") is not None


# --- YAML's errors, in Chinese ---------------------------------------------------------------------


def _line_text(lines: list[str], n: int | None) -> str:
    return lines[n - 1] if n is not None and 1 <= n <= len(lines) else ""


def _quoted_line(line: str) -> str:
    """`key: value` with the value double-quoted (the corrected form of an unquoted special value)."""
    m = re.match(rf"^([ ]*(?:-[ ]+)?{_KEY}:[ ]+)(.*?)([ ]+#.*)?$", line)
    if not m:
        return ""
    value = m.group(2).strip()
    if value[:1] in "“”" and value[-1:] in "“”" and len(value) > 1:
        value = value[1:-1]
    if '"' in value and "'" not in value:
        return m.group(1) + "'" + value + "'"
    return m.group(1) + json.dumps(value, ensure_ascii=False)


EXAMPLE = "例如：\n      title: 云溪县财政局2024年部门预算公开\n      domains: [fiscal]"


def explain(text: str, line_offset: int, problem: str, context: str, problem_line: int | None,
            problem_column: int | None, context_line: int | None) -> Explained:
    """A Chinese explanation of one YAML error. Lines are 1-based within `text` (line_offset added on
    return); `problem`/`context` are the parser's English words."""
    if re.search(r"[\u4e00-\u9fff]", problem or ""):  # already explained (yamlsrc's own refusals)
        return Explained(problem_line + line_offset if problem_line else None, problem, "")
    lines = text.split("\n")
    p = (problem or "").lower()
    c = (context or "").lower()
    where = problem_line
    original = f"（YAML：{context + '，' if context else ''}{problem}）"

    def done(line, message, hint):
        return Explained(line + line_offset if line else None, message, hint + "\n      " + original)

    if "duplicate key" in p:
        key = re.search(r"duplicate key ['\"]?([^'\"]*)", problem or "")
        name = key.group(1) if key else ""
        return done(where, f"字段 {name} 写了两次（第 {context_line + line_offset if context_line else '?'} 行已有）",
                    "同一层级的每个字段只能写一次：删掉其中一行，或把两行的内容合并到一行")
    if "control characters" in p or "special characters" in p or "unacceptable character" in p:
        return done(where, "这一行含有看不见的控制字符（常见于从其他软件复制的文字）",
                    "删除这一行再重新输入，或把值粘贴到记事本中去掉格式后再复制进来")
    if "tab character" in p or "'\\t'" in p:
        line = _line_text(lines, where)
        fixed = line.replace("\t", "  ")
        return done(where, "这一行有制表符（Tab）：YAML 的缩进只能用半角空格",
                    f"把 Tab 换成空格，同一层级的字段左侧对齐。请改为：\n      {fixed.rstrip()}")
    if "mapping values are not allowed" in p:
        line = _line_text(lines, where)
        col = problem_column if problem_column is not None else -1
        key_line = re.match(rf"^([ ]*)(?:-[ ]+)?{_KEY}[ ]*:", line)
        if key_line and col == key_line.end() - 1:
            # this line is fine: the one above never ended its value (no colon, wrong indent …)
            prev_n = next((k for k in range(where - 1, 0, -1) if lines[k - 1].strip()
                           and not lines[k - 1].lstrip().startswith("#")), None)
            prev = _line_text(lines, prev_n)
            prev_indent = len(prev) - len(prev.lstrip(" "))
            indent = len(key_line.group(1))
            prev_key = re.match(rf"^[ ]*(?:-[ ]+)?({_KEY})[ ]*:[ ]+\S", prev)
            if prev_key and indent > prev_indent:
                fixed = " " * prev_indent + line.lstrip(" ")
                return done(where, f"这一行的缩进不对：比上一行的 {prev_key.group(1)} 多缩进了 {indent - prev_indent} 格",
                            f"同一层级的字段要左侧对齐（只有列表项和子字段才缩进）。请改为：\n      {fixed}")
            if prev_n is not None and ":" not in prev and "：" not in prev:
                return done(prev_n, "这一行不是“字段名: 值”的形式（缺少冒号）",
                            f"每个字段写成“字段名: 值”，冒号用英文“:”，冒号后加一个空格。{EXAMPLE}")
            if prev_n is not None:
                return done(prev_n, "这一行的冒号不对：字段名后应是英文冒号“:”再加一个空格",
                            f"检查这一行的冒号（中文“：”或冒号后没有空格）。{EXAMPLE}")
        fixed = _quoted_line(line)
        curly = "；中文引号“”不起引号的作用" if re.search(r":[ ]+[“”]", line) else ""
        return done(where, "值中含有“冒号+空格”，YAML 会把它当成新的字段" + curly,
                    "把整个值用英文双引号括起来" + (f"。请改为：\n      {fixed}" if fixed else
                                              "，例如 title: \"关于: 某事的通知\""))
    if "could not find expected ':'" in p or "did not find expected key" in p and "simple key" in c:
        line_n = context_line or where
        line = _line_text(lines, line_n)
        return done(line_n, "这一行不是“字段名: 值”的形式",
                    f"字段名后写英文冒号“:”和一个空格；内容太长需要换行时，整个值加英文引号。{EXAMPLE}"
                    + (f"\n      这一行目前是：{line.strip()}" if line.strip() else ""))
    if "did not find expected key" in p or "expected <block end>" in p:
        line = _line_text(lines, where)
        stripped = line.strip()
        if stripped.startswith("- "):
            return done(where, "这里出现了列表项“- ”，但上一行不是以冒号结尾的列表字段",
                        "列表写在字段下面并缩进两格，例如：\n      tags:\n        - 部门预算\n        - 三公经费")
        m = re.match(rf"^[ ]*(?:-[ ]+)?{_KEY}:[ ]+(.)", line)
        first = m.group(1) if m else ""
        if first in "\"'":
            return done(where, "引号只能括住整个值：右引号后面不能再有文字",
                        f"整个值用另一种引号括起来，或去掉引号。请改为：\n      {_quoted_line(line) or line}")
        if first in "[{":
            return done(where, f"值以“{first}”开头，YAML 会把它当成{'列表' if first == '[' else '映射'}",
                        f"这是一段文字时，整个值用英文双引号括起来。请改为：\n      {_quoted_line(line) or line}")
        return done(where, "这一行的缩进或格式不对",
                    f"同一层级的字段左侧对齐；子字段和列表项比所属字段多缩进两格。{EXAMPLE}")
    if "flow sequence" in c or "',' or ']'" in p:
        start = context_line or where
        return done(start, f"方括号“[”没有闭合（到第 {where + line_offset if where else '?'} 行仍未找到“]”）",
                    "列表写在一行：tags: [部门预算, 三公经费]，左右方括号都用英文半角")
    if "flow mapping" in c or "',' or '}'" in p:
        start = context_line or where
        return done(start, f"花括号“{{”没有闭合（到第 {where + line_offset if where else '?'} 行仍未找到“}}”）",
                    "附件写成一行：- {title: 预算表, path: files/budget.pdf}，花括号、逗号、冒号都用英文半角")
    if "quoted scalar" in c and ("end of stream" in p or "document" in p):
        start = context_line or where
        return done(start, "引号没有闭合：这一行开始的引号一直没有对应的右引号",
                    "在值的末尾补上同样的英文引号，例如 title: \"关于……的通知\"")
    if "escape" in p:
        line = _line_text(lines, where)
        m = re.match(rf"^([ ]*(?:-[ ]+)?{_KEY}:[ ]+)\"(.*)\"([ ]*#.*)?$", line)
        fixed = m.group(1) + "'" + m.group(2).replace("'", "''") + "'" if m else ""
        return done(where, "双引号中的反斜杠“\\”有特殊含义，这里无法识别",
                    "改用英文单引号括住整个值，或去掉引号" + (f"。请改为：\n      {fixed}" if fixed else ""))
    if "alias" in c or "anchor" in c or "alias" in p or "anchor" in p:
        line = _line_text(lines, where)
        return done(where, "值以“*”或“&”开头，YAML 会把它当成别名或锚点",
                    f"整个值用英文双引号括起来。请改为：\n      {_quoted_line(line) or line}")
    if "cannot start any token" in p or "block sequence entries are not allowed" in p \
            or "sequence entries are not allowed" in p or "mapping keys are not allowed" in p or "directive" in c:
        line = _line_text(lines, where)
        col = problem_column if problem_column is not None else 0
        ch = line[col:col + 1] if 0 <= col < len(line) else ""
        ch = ch or (re.search(r":[ ]+(\S)", line).group(1) if re.search(r":[ ]+(\S)", line) else "")
        return done(where, f"值不能以“{ch}”开头（它在 YAML 中有特殊含义）" if ch.strip() else "这一行有 YAML 不能识别的字符",
                    f"整个值用英文双引号括起来。请改为：\n      {_quoted_line(line) or line}")
    if "block scalar" in c:
        return done(where, "“|”或“>”后面不能直接写文字",
                    "换行后缩进两格再写，例如：\n      summary: |\n        第一段文字")
    if "single document" in c or "another document" in p:
        return done(where, "元数据中间出现了“---”",
                    "--- 只用在元数据的开头和结尾；正文中的分隔线请写在结尾的 --- 之后")
    if "did not find expected '-'" in p or "block collection" in c:
        return done(where, "列表项的缩进不一致",
                    "同一列表的每一项以“- ”开头并左侧对齐，例如：\n      attachments:\n        - {title: 甲, path: files/a.pdf}\n        - {title: 乙, path: files/b.pdf}")
    return done(where, "YAML 格式错误",
                f"检查缩进（只用半角空格）、冒号（英文“:”后加空格）和引号是否成对。{EXAMPLE}")


def report(fixes: list[Fix], rel: str, problems, what: str = "元数据") -> None:
    """Each fix as a warning (accepted) or an error (rejected), with the corrected line."""
    prefix = f"{what}中" if what else ""
    for f in fixes:
        if f.accepted:
            problems.warning(rel, f.line, f"{prefix}{f.message}，已按半角读取",
                             f"请改为：\n      {f.after.rstrip()}")
        else:
            problems.error(rel, f.line, f"{prefix}{f.message}",
                           f"可能应改为（请按实际层级核对缩进）：\n      {f.after.rstrip()}")
