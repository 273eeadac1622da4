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
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..sources import suggest, yamlsrc
from ..sources.catalogue import Catalogue, Department, Domain, Item
from ..sources.dates import SHANGHAI, DateError, parse_date
from ..sources.records import DOC_TYPES, PLACEHOLDER, VALIDITIES, split_front_matter

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
    doc_no: str | None = None  # 文号
    genre: str | None = None  # 体裁
    summary: str | None = None  # 内容概述
    validity: str | None = None  # 有效 | 失效 | 废止
    doc_type: str | None = None  # 规章 | 行政规范性文件 | 其他政策文件
    attach: list[str] = field(default_factory=list)  # files copied into the record's files/ folder


@dataclass
class NewRecord:
    path: Path
    index_no: str
    text: str
    attachments: list[Path] = field(default_factory=list)  # the copies in the record's files/ folder


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
        back = yamlsrc.load_repaired(probe)[0]  # as `check` will read it, full-width help included
    except yamlsrc.YamlError:
        back = None
    expected = [value] if flow else value
    if value and value == value.strip() and isinstance(back, dict) and back.get("k") == expected:
        return value
    return json.dumps(value, ensure_ascii=False)


def _commented(line: str, comment: str) -> str:
    return f"{line:<34} # {comment}"


OPTIONAL = {  # field: (example line when not given, its comment)
    "doc_no": ("云政办发〔2026〕1号", "文号（注意使用〔〕）"),
    "written": (None, "成文日期"),
    "summary": ("一两句话的内容概述", "默认取正文第一段"),
    "genre": ("通知", "体裁"),
    "validity": ("有效", "有效 | 失效 | 废止"),
    "doc_type": ("行政规范性文件", "规章 | 行政规范性文件 | 其他政策文件（政策文件库）"),
}


def render(title: str, index_no: str, date: str, department: Department, domain: Domain, item: Item,
           tags: list[str], fields: dict[str, str] | None = None,
           attachments: list[tuple[str, str]] | None = None) -> str:
    """The new file. `fields` holds the optional fields given (doc_no, genre, …); `attachments` is
    (title, path relative to the record's folder) for each file copied beside it."""
    fields = fields or {}
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
    for key in OPTIONAL:
        if fields.get(key):
            lines.append(f"{key}: {_scalar(fields[key])}")
    if attachments:
        lines.append("attachments:")
        lines += [f"  - {{title: {_scalar(t, flow=True)}, path: {_scalar(p, flow=True)}}}" for t, p in attachments]
    lines.append("# 以下为可选字段，需要时删去行首的“# ”：")
    for key, (example, comment) in OPTIONAL.items():
        if not fields.get(key):
            lines.append(_commented(f"# {key}: {example or date}", comment))
    lines.append("# interprets: 本文所解读政策的索引号")
    if not attachments:
        lines += ["# attachments:", "#   - {title: 附件名称, path: files/附件文件名.pdf}"]
    lines += [
        "---",
        "",
        "<!-- 在这里用 Markdown 撰写正文（这段说明不会出现在网站上，可以删除）。",
        "     · 正文第一段会作为“内容概述”显示在列表中，请写成完整的一句话；",
        "     · 用“## 一、……”写小标题，用 | 列 | 列 | 写表格；",
        "     · 不要写入身份证号、手机号、银行卡号等个人信息（确需公开的号码见 README 的 allow 说明）；",
        "     · 写好后运行 disclosure check 检查，再提交。 -->",
        "",
        f"{PLACEHOLDER}请在这里撰写正文，写好后删除这一段。这一段还在时，disclosure check 会报错，网站也不会发布这条信息。",
        "",
    ]
    return "\n".join(lines)


# --- choosing -------------------------------------------------------------------------------------


Ask = Callable[[str], str]


def _listing(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"  {n}. {ident}  {name}" for n, (ident, name) in enumerate(pairs, start=1))


def _valid_ids(kind: str, pairs: list[tuple[str, str]], given: str | None = None) -> str:
    if not pairs:
        return f"（没有可用的{kind}）"
    guess = suggest.did_you_mean(given, dict(pairs)) if given else ""
    return (guess + "\n" if guess else "") + f"可用的{kind} id：\n" + "\n".join(
        f"  {ident}  {name}" for ident, name in pairs)


def _choose(ask: Ask | None, say: Callable[[str], None], kind: str, flag: str,
            pairs: list[tuple[str, str]], given: str | None, extra: str = "") -> str:
    ids = [p[0] for p in pairs]
    if given is not None:
        if given in ids:
            return given
        raise UsageError(f"{kind}“{given}”不可用{extra}。\n{_valid_ids(kind, pairs, given)}")
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
        raise UsageError(f"发布机构“{c.department}”不存在。\n{_valid_ids('发布机构', deps, c.department)}")
    dep = cat.departments[_choose(ask, say, "发布机构", "--department", deps, c.department)]

    domain_id = c.domain
    if domain_id is None and c.item in cat.items and cat.items[c.item].domain in dep.domains:
        domain_id = cat.items[c.item].domain
    if domain_id is not None and domain_id not in cat.domains:
        raise UsageError(f"重点领域“{domain_id}”不存在。\n"
                         + _valid_ids("重点领域", [(d.id, d.name) for d in cat.domains.values()], domain_id))
    doms = [(d, cat.domains[d].name) for d in dep.domains if d in cat.domains]
    dom = cat.domains[_choose(ask, say, "重点领域", "--domain", doms, domain_id,
                              extra=f"：{dep.name}的责任清单中没有这个领域")]

    items = [(i.id, i.name) for i in cat.items.values() if i.domain == dom.id and dep.id in i.departments]
    if c.item is not None and c.item not in cat.items:
        raise UsageError(f"公开事项“{c.item}”不存在。\n"
                         f"{_valid_ids('公开事项', items or [(i.id, i.name) for i in cat.items.values()], c.item)}")
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


_DOC_NO_YEAR = re.compile(r"[\[［【(（]\s*((?:19|20)\d\d)\s*[\]］】)）]")
MAX_GENRE = 20


def optional_fields(c: Choices) -> dict[str, str]:
    """The optional fields given as flags, checked: {field: value}. Raises UsageError with the fix."""
    out: dict[str, str] = {}
    for key, flag in (("doc_no", "--doc-no"), ("genre", "--genre"), ("summary", "--summary"),
                      ("validity", "--validity"), ("doc_type", "--doc-type")):
        raw = getattr(c, key)
        if raw is None:
            continue
        value = " ".join(raw.split())  # one line: a summary pasted from a document may hold line breaks
        if not value:
            raise UsageError(f"{flag} 不能为空（不需要时不写这个选项）")
        out[key] = value
    doc_no = out.get("doc_no")
    if doc_no and _DOC_NO_YEAR.search(doc_no):
        fixed = _DOC_NO_YEAR.sub(lambda m: f"〔{m.group(1)}〕", doc_no)
        raise UsageError(f"--doc-no：文号中的年份应使用六角括号〔〕，不用方括号或圆括号。\n"
                         f"您是不是要写 --doc-no {fixed}")
    if out.get("genre") and len(out["genre"]) > MAX_GENRE:
        raise UsageError(f"--genre：体裁是文种名称（通知、公告、意见、办法、报告……），不超过 {MAX_GENRE} 个字")
    for key, flag, allowed in (("validity", "--validity", VALIDITIES), ("doc_type", "--doc-type", DOC_TYPES)):
        if out.get(key) and out[key] not in allowed:
            guess = suggest.did_you_mean(out[key], {a: "" for a in allowed})
            raise UsageError(f"{flag}“{out[key]}”无法识别：只能是 " + "、".join(allowed)
                             + (f"。\n{guess}" if guess else ""))
    return out


def check_attachments(paths: list[str]) -> list[Path]:
    """Each --attach FILE: an existing, readable file that is not Markdown (a .md beside the records would
    be read as a record)."""
    files = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.is_file():
            raise UsageError(f"--attach：找不到文件“{given}”" + ("（这是一个文件夹）" if path.is_dir() else "")
                             + "。请写附件文件的路径，例如 --attach ~/下载/预算表.pdf")
        if path.suffix.lower() == ".md":
            raise UsageError(f"--attach：“{given}”是 Markdown 文件，放进 records 文件夹会被当成一条记录；"
                             "请先转成 PDF 等格式再作为附件")
        if path.name.startswith("."):
            raise UsageError(f"--attach：“{given}”是隐藏文件，网站不会发布它；请改名后再附上")
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise UsageError(f"--attach：无法读取“{given}”：{exc.strerror}") from None
        files.append(path)
    return files


def copy_attachments(files: list[Path], folder: Path) -> list[tuple[str, str, Path]]:
    """Copy each file into folder/files/ (an existing file of the same name and other contents is never
    replaced: -2, -3 … are added). Returns (title, path relative to folder, copied file) for each."""
    target_dir = folder / "files"
    target_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for src in files:
        target = target_dir / src.name
        n = 2
        while target.exists() and target.read_bytes() != src.read_bytes():
            target = target_dir / f"{src.stem}-{n}{src.suffix}"
            n += 1
        if not target.exists():
            shutil.copyfile(src, target)
        out.append((src.stem, f"files/{target.name}", target))
    return out


def split_tags(text: str) -> list[str]:
    return [t for t in _TAG_SPLIT.split(text.strip()) if t]


def create(cat: Catalogue, records_root: Path, c: Choices, ask: Ask | None = None,
           say: Callable[[str], None] = print, today: dt.date | None = None) -> NewRecord:
    """Choose, allocate the 索引号, and write the file (exclusively: an existing file is never replaced)."""
    today = today or dt.datetime.now(SHANGHAI).date()
    fields = optional_fields(c)  # checked before anything is asked: a wrong flag fails at once
    files = check_attachments(c.attach)
    dep, dom, item, title, date, tags = choose(cat, c, ask, say, today)
    if not dep.code:
        raise UsageError(f"发布机构“{dep.name}”（{dep.id}）没有填写 code（组织机构代码，索引号的前段），无法分配索引号。\n"
                         f"请在 catalogue/departments.yml 中为 {dep.id} 加上 code: \"…\"")
    index_no = next_index_no(dep.code, date.year, existing_index_nos(records_root))
    folder = records_root / dep.id
    folder.mkdir(parents=True, exist_ok=True)
    copied = copy_attachments(files, folder)
    text = render(title, index_no, c.date.strip() if c.date else date.strftime("%Y-%m-%d"), dep, dom, item, tags,
                  fields, [(t, p) for t, p, _ in copied])
    serial = index_no.rsplit("-", 1)[1]
    while True:
        path = target_path(folder, date.year, title, serial)
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            break
        except FileExistsError:  # created between our look and our write: pick the next name
            continue
    return NewRecord(path, index_no, text, [p for _, _, p in copied])
