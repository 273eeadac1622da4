"""政府公报: the issues in catalogue/gazette.yml, and the record fields that name them (`gazette`,
`gazette_section`). Plain data in and out; every problem goes through problems.py with file and line.

The format (docs/gazette.md, a contract):

    - id: 2025-03                  # required, YYYY-NN (the year and the issue number, two digits)
      year: 2025                   # required
      issue: 3                     # required: 期 within the year, unique per year
      total: 27                    # optional: 总第N期
      date: 2025-09-30             # required: 出版日期; dates rise with the issue numbers
      sections: [县政府文件, 部门文件]  # optional: the 目录's sections, in order
      pdf: gazette/2025-03.pdf     # optional: the issue's PDF, relative to the content folder

The file is optional: a site without a gazette has none.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from . import boundary, suggest
from .catalogue import read_entries
from .dates import DateError, parse_date
from .problems import Problems, clip
from .sanitize import has_markup, plain_text

FILE = "gazette.yml"
ID_RE = re.compile(r"^(\d{4})-(\d{2})$")
KEYS = ("id", "year", "issue", "total", "date", "sections", "pdf")


@dataclass(frozen=True)
class Issue:
    id: str  # 2025-03
    year: int
    issue: int
    date: dt.date
    total: int | None = None
    sections: tuple[str, ...] = ()
    pdf: str = ""  # content-relative posix path, "" when none
    pdf_size: int = 0
    line: int | None = None  # where it is written in gazette.yml

    @property
    def label(self) -> str:
        """2025年第3期"""
        return f"{self.year}年第{self.issue}期"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.year, self.issue)


def issue_label(ident: str) -> str:
    """The label of an issue from its id alone (2025-03 → 2025年第3期): ids are checked to say it."""
    m = ID_RE.match(ident or "")
    return f"{m.group(1)}年第{int(m.group(2))}期" if m else ident


def _int(entry, key: str, rel: str, problems: Problems, required: bool) -> int | None:
    value = entry.get(key)
    if value in (None, ""):
        if required:
            problems.error(rel, entry.line, f"公报期次缺少必填字段 {key}", f"在这一期中加上“{key}: 数字”")
        return None
    if not isinstance(value, str) or not value.strip().isdigit() or int(value) < 1:
        problems.error(rel, entry.line_of(key), f"字段 {key} 应是正整数，而不是“{clip(value)}”",
                       f"写成“{key}: 3”这样的数字")
        return None
    return int(value)


def load_gazette(catalogue_dir: Path, rel_prefix: str, docs_dir: Path, docs_rel: str,
                 problems: Problems) -> list[Issue]:
    """The issues of catalogue/gazette.yml, oldest first; [] when the file does not exist."""
    path = catalogue_dir / FILE
    rel = f"{rel_prefix}/{FILE}"
    if not path.is_file():
        return []
    entries = read_entries(path, rel, problems, "docs/gazette.md", "- id: 2025-03")
    issues: list[Issue] = []
    ids: dict[str, int] = {}
    numbers: dict[tuple[int, int], int] = {}
    for entry in entries:
        issue = _read_issue(entry, rel, docs_dir, docs_rel, problems)
        if issue is None:
            continue
        if issue.id in ids:
            problems.error(rel, entry.line_of("id"), f"公报期号 id “{issue.id}”重复（第 {ids[issue.id]} 行已使用）",
                           "每一期的 id 必须唯一，写成“年份-两位期号”，例如 2025-03")
            continue
        if issue.sort_key in numbers:
            problems.error(rel, entry.line_of("issue"),
                           f"{issue.year}年第{issue.issue}期重复（第 {numbers[issue.sort_key]} 行已有这一期）",
                           "同一年中每一期的 issue 必须不同：核对 year 和 issue")
            continue
        ids[issue.id] = entry.line_of("id") or entry.line
        numbers[issue.sort_key] = entry.line_of("issue") or entry.line
        issues.append(issue)
    issues.sort(key=lambda i: i.sort_key)
    for before, after in zip(issues, issues[1:]):
        if after.date < before.date:
            problems.error(rel, after.line, f"{after.label}的出版日期 {after.date.isoformat()} 早于"
                           f"{before.label}的 {before.date.isoformat()}",
                           "期号越大，出版日期应越晚：核对这两期的 date 和 issue")
    return issues


def _read_issue(entry, rel: str, docs_dir: Path, docs_rel: str, problems: Problems) -> Issue | None:
    for key in entry:
        if key not in KEYS:
            problems.warning(rel, entry.line_of(key), f"未知字段“{clip(key)}”将被忽略",
                             suggest.with_suggestion(key, {k: k for k in KEYS}, "可用字段：" + ", ".join(KEYS)))
    ident = entry.get("id")
    ok = True
    if ident in (None, ""):
        problems.error(rel, entry.line, "公报期次缺少必填字段 id", "加上“id: 年份-两位期号”，例如 id: 2025-03")
        ok = False
    elif not isinstance(ident, str) or not ID_RE.match(ident.strip()):
        problems.error(rel, entry.line_of("id"), f"公报期号 id “{clip(ident)}”格式不对",
                       "写成“年份-两位期号”，例如 2025 年第 3 期写 2025-03")
        ok = False
    year = _int(entry, "year", rel, problems, True)
    number = _int(entry, "issue", rel, problems, True)
    total = _int(entry, "total", rel, problems, False)
    if ok and year and number and ident.strip() != f"{year}-{number:02d}":
        problems.error(rel, entry.line_of("id"), f"id “{ident}”与 year: {year}、issue: {number} 不一致",
                       f"这一期的 id 应写 {year}-{number:02d}（或核对 year 和 issue）")
        ok = False
    date = None
    raw_date = entry.get("date")
    if raw_date in (None, ""):
        problems.error(rel, entry.line, "公报期次缺少必填字段 date（出版日期）", "加上“date: YYYY-MM-DD”")
    elif not isinstance(raw_date, str):
        problems.error(rel, entry.line_of("date"), "出版日期应是一个日期", "写成 YYYY-MM-DD")
    else:
        try:
            date = parse_date(raw_date)[0].date()
        except DateError as exc:
            problems.error(rel, entry.line_of("date"), f"出版日期无效：{exc}", "写成 YYYY-MM-DD，例如 2025-09-30")
    if date and year and date.year != year:
        problems.warning(rel, entry.line_of("date"), f"出版日期 {date.isoformat()} 不在 {year} 年",
                         "核对 date 和 year")
    sections: tuple[str, ...] = ()
    raw = entry.get("sections")
    if raw not in (None, "", []):
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
            problems.error(rel, entry.line_of("sections"), "sections 应是栏目名称的列表",
                           "例如 sections: [县政府文件, 县政府办公室文件, 部门文件, 人事任免]")
        else:
            if any(has_markup(s) for s in raw):  # the one sanitization policy (sanitize.py): plain text
                problems.warning(rel, entry.line_of("sections"), "sections 中的 HTML 标记或注释不会发布，只保留其中的文字",
                                 "栏目名称只写纯文字")
                raw = [plain_text(s) for s in raw]
            sections = tuple(dict.fromkeys(s.strip() for s in raw if s.strip()))
            if len(sections) != len(raw):
                problems.warning(rel, entry.line_of("sections"), "sections 中有重复的栏目", "每个栏目只写一次")
    pdf, size = "", 0
    raw_pdf = entry.get("pdf")
    if raw_pdf not in (None, ""):
        checked = pdf_problem(raw_pdf, docs_dir, docs_rel)
        if isinstance(checked, tuple):
            problems.error(rel, entry.line_of("pdf"), *checked)
        else:
            pdf, size = checked, (docs_dir / checked).stat().st_size
    if not (ok and year and number and date):
        return None
    return Issue(ident.strip(), year, number, date, total, sections, pdf, size, entry.line_of("id") or entry.line)


def pdf_problem(raw, docs_dir: Path, docs_rel: str):
    """The content-relative path of an issue's PDF, or (message, hint) when it may not be published: the
    same boundary as a record's attachments (boundary.attachment_problem), and the file must exist."""
    if not isinstance(raw, str):
        return ("pdf 应是一个文件路径", f"写成“pdf: gazette/2025-03.pdf”（相对于内容文件夹 {docs_rel}）")
    problem = boundary.attachment_problem(raw.strip(), "")
    if problem is not None:
        message, _ = problem
        return (message.replace("附件路径", "公报 PDF 路径"),
                f"写相对于内容文件夹（{docs_rel}）的路径，例如 gazette/2025-03.pdf，并把文件放在 {docs_rel}/gazette/")
    target = posixpath.normpath(raw.strip().replace("\\", "/"))
    if not (docs_dir / target).is_file():
        return (f"公报 PDF“{clip(raw)}”不存在", f"把文件放到 {clip(posixpath.join(docs_rel, target), 200)}，或更正 pdf")
    return target


def check_records(issues: list[Issue], records, rel_of, problems: Problems, withheld=frozenset(),
                  catalogue_rel: str = "catalogue") -> None:
    """A record's `gazette` must name an issue, its `gazette_section` one of that issue's sections; an
    issue with neither records nor a PDF is a warning; a PDF the file boundary withholds is an error."""
    by_id = {i.id: i for i in issues}
    carried: dict[str, int] = {}
    for r in records:
        ident = getattr(r, "gazette", "")
        section = getattr(r, "gazette_section", "")
        if not ident:
            if section:
                problems.error(rel_of(r), r.lines.get("gazette_section"), "写了 gazette_section 但没有写 gazette",
                               "加上“gazette: 期号”（见 catalogue/gazette.yml），或删除 gazette_section")
            continue
        issue = by_id.get(ident)
        if issue is None:
            known = ", ".join(sorted(by_id)[-20:]) or "（gazette.yml 中还没有任何一期）"
            problems.error(rel_of(r), r.lines.get("gazette"), f"公报期号“{clip(ident)}”不存在",
                           suggest.with_suggestion(ident, {k: v.label for k, v in by_id.items()},
                                                   f"写 {catalogue_rel}/{FILE} 中某一期的 id，例如 {known}"))
            continue
        carried[ident] = carried.get(ident, 0) + 1
        if section and section not in issue.sections:
            if issue.sections:
                hint = f"{issue.label}的栏目：" + "、".join(issue.sections) + "；或在 gazette.yml 中为这一期加上该栏目"
            else:
                hint = f"{issue.label}在 gazette.yml 中没有列出 sections：先列出栏目，或删除 gazette_section"
            problems.error(rel_of(r), r.lines.get("gazette_section"),
                           f"公报栏目“{clip(section)}”不在{issue.label}的目录中", hint)
    for issue in issues:
        if issue.pdf and issue.pdf in withheld:
            problems.error(f"{catalogue_rel}/{FILE}", issue.line, f"{issue.label}的 PDF“{issue.pdf}”不会发布",
                           "把 PDF 直接放在内容文件夹中（不要用符号链接），再核对 pdf 路径")
        if not issue.pdf and not carried.get(issue.id):
            problems.warning(f"{catalogue_rel}/{FILE}", issue.line, f"{issue.label}既没有 PDF，也没有任何记录",
                             f"加上“pdf: gazette/{issue.id}.pdf”并放入文件，或在刊登的记录中写“gazette: {issue.id}”")
