"""`disclosure new`: a new record file with its front matter filled in and its 索引号 allocated.

Editors are department staff, not programmers: every choice is checked against the catalogue, and a
wrong id gets a message listing the valid ones. Missing choices are asked for (numbered lists, in
Chinese) when the command runs in a terminal; in scripts every choice must be given as a flag.

The 索引号 is `<department code>/<YYYY>-<NNNNN>`: the department's `code` from departments.yml, the
year of the publication date, and the next serial for that code and year: the highest serial found
in any record under the records folder, plus one, five digits. (Two editors working on different
branches can still pick the same number; `disclosure check` reports the duplicate when they meet.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import yamlsrc
from .catalogue import Catalogue, Department, Domain, Item
from .dates import SHANGHAI, DateError, parse_date
from .records import split_front_matter

_INDEX_LINE = re.compile(r"^index_no[ \t]*:[ \t]*(?P<q>['\"]?)(?P<v>[^'\"#\n]+?)(?P=q)[ \t]*(?:#.*)?$", re.M)
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
MAX_SLUG = 48


class UsageError(Exception):
    """A choice that cannot be used (unknown id, missing flag): exit status 2."""


@dataclass
class Choices:
    department: str | None = None
    domain: str | None = None
    item: str | None = None
    title: str | None = None
    date: str | None = None
    tags: list[str] = field(default_factory=list)
    tags_given: bool = False


@dataclass
class NewRecord:
    path: Path
    index_no: str
    text: str


# --- the 索引号 -----------------------------------------------------------------------------------


def existing_index_nos(records_root: Path) -> list[str]:
    """Every index_no written in a record's front matter, read leniently (broken records count too)."""
    found = []
    if not records_root.is_dir():
        return found
    for path in sorted(records_root.rglob("*.md")):
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            continue
        front, _, _ = split_front_matter(text.replace("\r\n", "\n"))
        if front is None:
            continue
        m = _INDEX_LINE.search(front)
        if m:
            found.append(m.group("v").strip())
    return found


def next_index_no(code: str, year: int, existing: list[str]) -> str:
    prefix = f"{code}/{year}-"
    serials = [int(v[len(prefix):]) for v in existing if v.startswith(prefix) and v[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:05d}"


# --- file name and contents -----------------------------------------------------------------------


def slug_from_title(title: str, year: int) -> str:
    """ASCII words of the title (HPV, S232, …) when there are any besides years, else ''."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", title)]
    words = [w for w in words if not re.fullmatch(r"(19|20)\d\d", w)]  # years say nothing the file name doesn't
    if not any(re.search(r"[a-z]", w) for w in words):
        return ""
    slug = "-".join(words)
    return slug[:MAX_SLUG].strip("-")


def target_path(folder: Path, year: int, title: str, serial: str) -> Path:
    """`<YYYY>-<slug>.md`, never an existing file: -2, -3 … are appended when needed."""
    stem = f"{year}-{slug_from_title(title, year) or serial}"
    candidate = folder / f"{stem}.md"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}.md"
        n += 1
    return candidate


def _scalar(value: str, flow: bool = False) -> str:
    """The value as plain YAML when it reads back unchanged, else double-quoted (JSON is valid YAML)."""
    probe = f"k: [{value}]" if flow else f"k: {value}"
    try:
        back = yamlsrc.load(probe)
    except yamlsrc.YamlError:
        back = None
    expected = [value] if flow else value
    if value and value == value.strip() and isinstance(back, dict) and back.get("k") == expected:
        return value
    return json.dumps(value, ensure_ascii=False)


def _commented(line: str, comment: str) -> str:
    return f"{line:<34} # {comment}"


def render(title: str, index_no: str, date: str, department: Department, domain: Domain, item: Item,
           tags: list[str]) -> str:
    lines = [
        "---",
        f"title: {_scalar(title)}",
        f"index_no: {index_no}",
        f"date: {date}",
        _commented(f"department: {department.id}", department.name),
        _commented(f"domains: [{domain.id}]", domain.name),
        _commented(f"item: {item.id}", f"{item.name}（公开时限：{item.time_limit or '—'}）"),
    ]
    if tags:
        lines.append("tags: [" + ", ".join(_scalar(t, flow=True) for t in tags) + "]")
    else:
        lines.append("# tags: [主题词一, 主题词二]")
    lines += [
        "# 以下为可选字段，需要时删去行首的“# ”：",
        "# doc_no: 云政办发〔2026〕1号      # 文号（注意使用〔〕）",
        f"# written: {date}               # 成文日期",
        "# summary: 一两句话的内容概述        # 默认取正文第一段",
        "# genre: 通知                       # 体裁",
        "# validity: 有效                    # 有效 | 失效 | 废止",
        "# interprets: 本文所解读政策的索引号",
        "# attachments:",
        "#   - {title: 附件名称, path: files/附件文件名.pdf}",
        "---",
        "",
        "<!-- 在这里用 Markdown 撰写正文（这段说明不会出现在网站上，可以删除）。",
        "     · 正文第一段会作为“内容概述”显示在列表中，请写成完整的一句话；",
        "     · 用“## 一、……”写小标题，用 | 列 | 列 | 写表格；",
        "     · 不要写入身份证号、手机号、银行卡号等个人信息（确需公开的号码见 README 的 allow 说明）；",
        "     · 写好后运行 disclosure check 检查，再提交。 -->",
        "",
    ]
    return "\n".join(lines)


# --- choosing -------------------------------------------------------------------------------------


Ask = Callable[[str], str]


def _listing(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"  {n}. {ident}  {name}" for n, (ident, name) in enumerate(pairs, start=1))


def _valid_ids(kind: str, pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return f"（没有可用的{kind}）"
    return f"可用的{kind} id：\n" + "\n".join(f"  {ident}  {name}" for ident, name in pairs)


def _choose(ask: Ask | None, say: Callable[[str], None], kind: str, flag: str,
            pairs: list[tuple[str, str]], given: str | None, extra: str = "") -> str:
    ids = [p[0] for p in pairs]
    if given is not None:
        if given in ids:
            return given
        raise UsageError(f"{kind}“{given}”不可用{extra}。\n{_valid_ids(kind, pairs)}")
    if not pairs:
        raise UsageError(f"没有可选的{kind}{extra}")
    if ask is None:
        raise UsageError(f"缺少 {flag}（{kind}）。在终端中运行可逐项选择，或加上 {flag} …\n{_valid_ids(kind, pairs)}")
    if len(pairs) == 1:
        say(f"{kind}：{pairs[0][1]}（{pairs[0][0]}，唯一可选项）")
        return pairs[0][0]
    say(f"请选择{kind}：\n{_listing(pairs)}")
    while True:
        answer = ask(f"输入编号（1–{len(pairs)}）或 id：").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(pairs):
            return pairs[int(answer) - 1][0]
        if answer in ids:
            return answer
        say(f"“{answer}”不是有效的选择，请重新输入。")


def choose(cat: Catalogue, c: Choices, ask: Ask | None, say: Callable[[str], None],
           today: dt.date) -> tuple[Department, Domain, Item, str, dt.datetime, list[str]]:
    """Resolve every choice against the catalogue, asking for what is missing when `ask` is given."""
    deps = [(d.id, d.name) for d in cat.departments.values()]
    if c.department is not None and c.department not in cat.departments:
        raise UsageError(f"发布机构“{c.department}”不存在。\n{_valid_ids('发布机构', deps)}")
    dep = cat.departments[_choose(ask, say, "发布机构", "--department", deps, c.department)]

    domain_id = c.domain
    if domain_id is None and c.item in cat.items and cat.items[c.item].domain in dep.domains:
        domain_id = cat.items[c.item].domain
    if domain_id is not None and domain_id not in cat.domains:
        raise UsageError(f"重点领域“{domain_id}”不存在。\n"
                         + _valid_ids("重点领域", [(d.id, d.name) for d in cat.domains.values()]))
    doms = [(d, cat.domains[d].name) for d in dep.domains if d in cat.domains]
    dom = cat.domains[_choose(ask, say, "重点领域", "--domain", doms, domain_id,
                              extra=f"：{dep.name}的责任清单中没有这个领域")]

    items = [(i.id, i.name) for i in cat.items.values() if i.domain == dom.id and dep.id in i.departments]
    if c.item is not None and c.item not in cat.items:
        raise UsageError(f"公开事项“{c.item}”不存在。\n{_valid_ids('公开事项', items)}")
    item = cat.items[_choose(ask, say, "公开事项", "--item", items, c.item,
                             extra=f"：它不是“{dom.name}”领域中由{dep.name}负责公开的事项")]

    title = (c.title or "").strip()
    if c.title is not None and not title:
        raise UsageError("标题（--title）不能为空")
    while not title:
        if ask is None:
            raise UsageError("缺少 --title（信息名称）")
        title = ask("信息名称（标题）：").strip()
    if "\n" in title:
        raise UsageError("标题不能换行")

    try:
        date = parse_date(c.date)[0] if c.date else dt.datetime(today.year, today.month, today.day, tzinfo=SHANGHAI)
    except DateError as exc:
        raise UsageError(f"--date：{exc}") from None

    tags = [t for t in c.tags if t]
    if not c.tags_given and ask is not None:
        tags = [t for t in _TAG_SPLIT.split(ask("主题词（可留空；多个用逗号或顿号分隔）：").strip()) if t]
    return dep, dom, item, title, date, list(dict.fromkeys(tags))


def split_tags(text: str) -> list[str]:
    return [t for t in _TAG_SPLIT.split(text.strip()) if t]


def create(cat: Catalogue, records_root: Path, c: Choices, ask: Ask | None = None,
           say: Callable[[str], None] = print, today: dt.date | None = None) -> NewRecord:
    """Choose, allocate the 索引号, and write the file (exclusively: an existing file is never replaced)."""
    today = today or dt.datetime.now(SHANGHAI).date()
    dep, dom, item, title, date, tags = choose(cat, c, ask, say, today)
    if not dep.code:
        raise UsageError(f"发布机构“{dep.name}”（{dep.id}）没有填写 code（组织机构代码，索引号的前段），无法分配索引号。\n"
                         f"请在 catalogue/departments.yml 中为 {dep.id} 加上 code: \"…\"")
    index_no = next_index_no(dep.code, date.year, existing_index_nos(records_root))
    text = render(title, index_no, c.date.strip() if c.date else date.strftime("%Y-%m-%d"), dep, dom, item, tags)
    folder = records_root / dep.id
    folder.mkdir(parents=True, exist_ok=True)
    serial = index_no.rsplit("-", 1)[1]
    while True:
        path = target_path(folder, date.year, title, serial)
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            break
        except FileExistsError:  # created between our look and our write: pick the next name
            continue
    return NewRecord(path, index_no, text)
