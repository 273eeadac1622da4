"""Disclosure records: one Markdown file each under content/records/, front matter per docs/formats.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
import markdown

from . import boundary, charset, consultations, frontmatter_help, plausible, recordheader, suggest, yamlsrc
from . import projects, tasks  # 重大建设项目, 重点工作任务
from .autolink import link_addresses
from .dates import SHANGHAI, DateError, parse_date
from .problems import Problems, clip
from .sanitize import html_text

VALIDITIES = ("有效", "失效", "废止")
DOC_TYPES = ("规章", "行政规范性文件", "其他政策文件")  # docs/formats.md: doc_type (政策文件库)
REQUIRED = ("title", "index_no", "date", "department", "domains")
KNOWN_KEYS = set(REQUIRED) | {
    "item", "tags", "doc_no", "written", "summary", "genre", "validity", "interprets", "attachments", "doc_type",
    "replaces",  # 政策文件库 (sources/policy.py)
    # keys MkDocs / Material understand and editors may legitimately use
    "template", "hide", "description", "status", "icon", "search", "comments", "allow",
} | set(recordheader.KEYS)
KNOWN_KEYS |= set(consultations.FIELDS)  # 意见征集 (sources/consultations.py)
# other tools' way of keeping a page back (Hugo, Jekyll, Material's blog: `draft: true`, `published: false`):
# not a field here, and ignored it would publish what the editor meant to keep back
NOT_YET = {"draft": True, "published": False, "publish": False}
_WORDS = {True: {"true", "yes", "y", "on", "1", "是"}, False: {"false", "no", "n", "off", "0", "否"}}


def not_yet_problem(key: str, value) -> tuple[str, str] | None:
    """(message, hint) when `key: value` in front matter says, as other tools read it, not to publish."""
    if key not in NOT_YET or str(value).strip().lower() not in _WORDS[NOT_YET[key]]:
        return None
    return (f"“{key}: {clip(str(value))}”在其他建站工具中表示暂不发布，本系统没有这个字段，这个文件会被发布",
            "还不能公开的文件不要放进内容文件夹（content）；要在将来某天发布信息，把 date 写成那一天（定时发布）；"
            "确认可以发布，就删掉这一行")


# what each field is called in Chinese: an editor who writes `标题:` or `titel:` is told which field
FIELD_NAMES = {
    "title": "标题 名称", "index_no": "索引号", "date": "发布日期 日期", "department": "发布机构",
    "domains": "重点领域 领域", "item": "公开事项", "tags": "主题词 关键词", "doc_no": "文号",
    "written": "成文日期", "summary": "内容概述 概述 摘要", "genre": "体裁", "validity": "有效性",
    "interprets": "政策解读 解读", "attachments": "附件", "doc_type": "文件类型 政策文件类型",
    "replaces": "修订 废止 替代",
    **recordheader.FIELD_NAMES,
}
KNOWN_KEYS |= projects.FIELDS | tasks.FIELDS  # 重大建设项目, 重点工作任务 (sources/projects.py, tasks.py)
FIELD_NAMES.update(projects.FIELD_NAMES, **tasks.FIELD_NAMES)
FIELD_NAMES.update({"consultation": "征求意见 意见征集", "feedback_for": "采纳情况 反馈"})  # 意见征集
INDEX_NO_RE = re.compile(r"^[0-9A-Za-z-]+/\d{4}-\d{3,6}$")
_FRONT_RE = re.compile(r"^---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)
SUMMARY_CHARS = 120
# the visible sentence `disclosure new` puts where the body goes: a record still holding it is an error
PLACEHOLDER = "【待撰写】"

mimetypes.add_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
mimetypes.add_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
mimetypes.add_type("application/vnd.ms-excel", ".xls")
mimetypes.add_type("application/msword", ".doc")
mimetypes.add_type("application/ofd", ".ofd")
mimetypes.add_type("text/csv", ".csv")


@dataclass(frozen=True)
class Attachment:
    title: str
    path: str  # relative to the docs dir, posix
    size: int
    mime: str


class SavedBody:
    """A body kept in the parse cache's file of bodies (validate.ParseCache), read when something needs
    it: a build after one edit needs few, and reading them all with the cache took 0.7 s at 100,000
    records. `file` stays open while any record needs it, however the cache is rewritten meanwhile."""

    __slots__ = ("file", "offset", "length")

    def __init__(self, file, offset: int, length: int):
        self.file, self.offset, self.length = file, offset, length

    def read(self) -> bytes:
        """The body's UTF-8 (pread: forked render workers share the file's position)."""
        if hasattr(os, "pread"):
            return os.pread(self.file.fileno(), self.length, self.offset)
        self.file.seek(self.offset)  # Windows: no fork, no other reader of this file object
        return self.file.read(self.length)


class BodyUtf8(bytes):
    """A body's UTF-8 as Record.__getstate__ gives it: the parse cache keeps these apart (SavedBody).
    A type of its own: pickling dates and times makes bytes too."""

    __slots__ = ()


def body_utf8(stored: str | bytes | SavedBody) -> bytes:
    """A body as Record.stored_body gives it, as UTF-8."""
    if stored.__class__ is str:
        return stored.encode("utf-8", "surrogatepass")
    if stored.__class__ is SavedBody:
        return stored.read()
    return stored


def body_text(stored: str | bytes | SavedBody) -> str:
    """A body as Record.stored_body gives it, read."""
    if stored.__class__ is str:
        return stored
    return body_utf8(stored).decode("utf-8", "surrogatepass")


class _Utf8Body:
    """Record.body: read from the parse cache, a body stays where it was kept (a SavedBody), or the UTF-8
    bytes it was kept as, until something reads it."""

    def __get__(self, record, owner=None) -> str:
        if record is None:
            return ""  # the field's default (dataclasses reads it from the class)
        state = record.__dict__
        body = state["body"]
        if body.__class__ is not str:
            stored = body
            encoded = body_utf8(stored)
            known = state.get("_of_body")
            kept = known is not None and known[0] is stored
            if kept and stored.__class__ is SavedBody and hashlib.sha256(encoded).hexdigest() != known[1]:
                raise RuntimeError(f"{record.src_path}：解析缓存中的正文与记录不符（缓存已损坏）。"
                                   "删除 .cache/disclosure/ 文件夹后重新生成")
            body = state["body"] = encoded.decode("utf-8", "surrogatepass")
            if kept:
                state["_of_body"] = (body, *known[1:])
        return body

    def __set__(self, record, body: str) -> None:
        record.__dict__["body"] = body


@dataclass
class Record:
    src_path: str  # relative to the docs dir, posix (records/finance/2024-budget.md)
    title: str
    index_no: str
    date: dt.datetime  # aware, Asia/Shanghai
    department: str
    domains: tuple[str, ...]
    has_time: bool = False
    item: str = ""
    tags: tuple[str, ...] = ()
    doc_no: str = ""
    written: dt.date | None = None
    summary: str = ""
    genre: str = ""
    validity: str = ""
    interprets: str = ""
    attachments: tuple[Attachment, ...] = ()
    body: str = _Utf8Body()  # Markdown (see _Utf8Body)
    body_line: int = 1  # line of the body's first line in the file
    front: str = field(default="", repr=False)  # the front matter as written, for the file's checks (then "")
    front_digest: str = field(default="", repr=False)  # its SHA-256 (hex), kept (keep_front_digest)
    allow: object = field(default=None, repr=False)  # front matter `allow:` as loaded, with lines (privacy.py)
    lines: dict[str, int] = field(default_factory=dict)
    url: str = ""  # relative to the site root; set by pipeline.plan (plan/urls.py: the host's rule)
    links: tuple[str, ...] = ()  # docs-relative local files the body links to or shows (boundary.py)
    # whether the body links to a place on a page (`#…`, `page.md#…`): render/anchors.py reads no other body
    links_to_place: bool = False
    broken: bool = False  # a required field is missing or invalid: checked, never published
    # 重大建设项目 and 重点工作任务 (sources/projects.py, sources/tasks.py)
    project: str = ""  # catalogue/projects.yml id
    stage: str = ""  # one of projects.STAGES
    tasks: tuple[str, ...] = ()  # catalogue/tasks.yml ids this record reports progress on
    task_status: str = ""  # "已完成" or ""
    # 年度报告 (sources/annual_reports.py counts 行政规范性文件 per organ and year); 政策文件库 shows it
    doc_type: str = ""
    # 意见征集 (sources/consultations.py): a draft for comment's window, or the consultation this answers
    consultation: consultations.Consultation | None = None
    feedback_for: str = ""
    # 政府公报 and the rest of the record header (sources/recordheader.py, sources/gazette.py)
    gazette: str = ""  # the issue id in catalogue/gazette.yml (2025-03)
    gazette_section: str = ""  # its section in that 目录
    subject: str = ""  # 主题分类, 一级\二级
    serves: tuple[str, ...] = ()  # 服务对象分类
    source: str = ""  # 信息来源
    pinned: bool = False  # kept at the top of its listings
    # 政策文件库 (sources/policy.py, plan/policy.py): the 索引号 of the document this one revises or repeals
    replaces: str = ""

    # Pickling a str makes CPython keep its UTF-8 form inside the string for good: writing the parse
    # cache would double what every body takes in memory (~1 GB more at 100,000 records). The body
    # travels as bytes instead.
    # What the page cache's body key needs of every body on every build, its digest and whether ".md"
    # is in it (~1.5 s and 0.4 s at 100,000 records), travels with it, made once from the bytes pickling
    # makes anyway. So does the digest of the other fields (fields_digest): every listing's key
    # describes its records by it; and the sort key.
    def __getstate__(self):
        self.fields_digest()
        self.sort_key()
        state = dict(self.__dict__)
        body = state["body"] = BodyUtf8(body_utf8(self.stored_body()))
        state["_of_body"] = self._body_facts(body)
        return state

    def __setstate__(self, state):
        facts = state.pop("_of_body", None)
        if facts is not None:
            state["_of_body"] = (state["body"], *facts)
        self.__dict__ = state

    def stored_body(self) -> str | bytes | SavedBody:
        """The body as this record holds it: its text, or, while no one has read it (a record from the
        parse cache), its UTF-8 or where it is kept. For whoever passes it on without reading it (search
        documents): body_text reads any of them."""
        return self.__dict__["body"]

    def keep_body_at(self, saved: SavedBody) -> None:
        """The body has been written where `saved` says (the parse cache's file of bodies): let the text
        go, as a record read from the cache holds it (a cold build at 100,000 records held ~0.5 GB of
        bodies through rendering, in every forked worker's share too)."""
        facts = self._body_facts()
        self.__dict__["body"] = saved
        self.__dict__["_of_body"] = (saved, *facts)

    def _body_facts(self, encoded: bytes | None = None) -> tuple[str, bool]:
        """(body_digest, mentions_md), kept for the body they were made of: a body set since is read
        again. `encoded`: the body's UTF-8, when the caller has it."""
        known = self.__dict__.get("_of_body")
        if known is not None and known[0] is self.stored_body():
            return known[1:]
        if encoded is None:
            encoded = self.body.encode("utf-8", "surrogatepass")
        facts = (hashlib.sha256(encoded).hexdigest(), ".md" in self.body)
        self.__dict__["_of_body"] = (self.body, *facts)
        return facts

    def body_digest(self) -> str:
        """SHA-256 (hex) of the body's UTF-8 text."""
        return self._body_facts()[0]

    def mentions_md(self) -> bool:
        """Whether ".md" is anywhere in the body, where a link to another page MkDocs rewrites could be
        (fingerprints.body_key)."""
        return self._body_facts()[1]

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def date_text(self) -> str:
        return self.date.date().isoformat()  # = strftime("%Y-%m-%d") (dates are 4-digit years), 10× faster

    def fields_digest(self) -> str:
        """SHA-256 (hex) of the record's fields but its body (body_digest), the lines they were on and
        its URL. Made once, and kept in the parse cache: the fields are set when the record is read
        (read_record, then validate.clean_record) and never after; only the URL is set later, by the
        plan (tests/test_cache_guard.py checks every record of the sample site against a fresh copy)."""
        known = self.__dict__.get("_fields_digest")
        if known is None:
            described = repr(tuple(getattr(self, f) for f in _DIGESTED))
            known = self.__dict__["_fields_digest"] = hashlib.sha256(
                described.encode("utf-8", "surrogatepass")).hexdigest()
        return known

    def keep_front_digest(self) -> None:
        """Once the file's checks have read the front matter: its digest instead of its text, which the
        preview compares to know whether a body alone changed (the text was a third of the parse cache,
        ~35 MB at 100,000 records, and stayed in memory with every record)."""
        self.front_digest = hashlib.sha256(self.front.encode("utf-8", "surrogatepass")).hexdigest()
        self.front = ""

    def cache_fingerprint(self) -> tuple:
        """What listings show of a record (the page cache's key; the body counts on its own page only)."""
        return (self.fields_digest(), self.url)

    def sort_key(self):
        """Newest first, ties broken by index_no so every listing is deterministic. Made once, and kept in
        the parse cache like fields_digest (records are sorted twice a build: 0.3 s at 100,000)."""
        known = self.__dict__.get("_sort_key")
        if known is None:
            known = self.__dict__["_sort_key"] = (-self.date.timestamp(), self.index_no)
        return known


def digest_of(records: list[Record]) -> str:
    """One digest of the records, in order, each by Record.fields_digest (its fields but the body)."""
    h = hashlib.sha256()
    for r in records:
        h.update(r.fields_digest().encode("ascii"))
    return h.hexdigest()


_DIGESTED = tuple(f for f in Record.__dataclass_fields__
                  if f not in ("body", "lines", "body_line", "url", "links_to_place"))


def html_to_text(html: str) -> str:
    """The text a reader sees (no script or style text, no comments): summaries, heading texts."""
    return html_text(html)


# raw HTML stays as written for whoever reads the result to judge (sanitize.py's policy, html_to_text):
# GitHub's own wrapper turns <script>, <style>, <iframe> … into text (its tagfilter), and cmark's safe
# mode drops the tags but keeps what was between them, both shown to readers as text. Struck-through text
# only between two tildes each side (`~~作废~~`): one tilde is how a range is written (8:30~12:00, 1~3月),
# and cmark-gfm struck out everything between two ranges. A fence's language is the code's class
# (`language-python`), as Python-Markdown writes it, not GitHub's `<pre lang="python">`: `lang` names the
# human language of its text (a screen reader would read the code as "python")
_GFM_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
# bare addresses: autolink.py, not cmark-gfm's own. No task lists: Python-Markdown shows `- [ ] 待办` as
# written unless pymdownx.tasklist is configured (then a body with one goes to it: bodies.OWN_SYNTAX), and
# cmark-gfm's checkbox made the page depend on which renderer had the body
_GFM_EXTENSIONS = ["table", "strikethrough"]


# An attribute list (Python-Markdown's attr_list): `{: …}`, `{#id}`, `{.class}`, `{ width="300" }` (as
# Material's documentation writes it). Not braces around words only (`{备注}`): text on the page (the fast
# path keeps them, render/bodies.py) and in the search index (outputs/search/tokenize.py).
ATTRIBUTE_LIST = r"\{(?:\s*[:#.]|[ ]*[^\s=}]+[ ]*=)[^}]*\}"


def markdown_html(text: str) -> str:
    """GitHub-flavoured Markdown as HTML (cmark-gfm), raw HTML left in: never published before the
    sanitizer (sanitize.py) or html_to_text has read it. Bare addresses linked as Python-Markdown links
    them (autolink.py)."""
    return link_addresses(cmarkgfm.markdown_to_html_with_extensions(text, options=_GFM_OPTIONS,
                                                                     extensions=_GFM_EXTENSIONS))


def opening_text(body: str, limit: int = SUMMARY_CHARS) -> str:
    """The first prose paragraph of a Markdown body, as plain text (the default 内容概述)."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("#", "|", "```", "<", "---", "!!!")):
            continue
        text = html_to_text(markdown_html(block))
        if "*" in text or "_" in text:  # CommonMark misses emphasis next to CJK punctuation
            text = html_to_text(markdown.markdown(block))
        if text:
            return text if len(text) <= limit else text[:limit].rstrip() + "…"
    return ""


_OPENED = re.compile(r"---[ \t]*\n")
_FIELD_LIKE = re.compile(r"\s|-\s|#|[A-Za-z_][\w-]*[ \t]*[:：]|$")  # indented, a list item, a comment, a key, empty


def _first_unlike_a_field(text: str) -> int | None:
    """The line (1-based) of an unclosed front matter where the body seems to begin: the first that is
    not like a YAML field line; None when every line is."""
    for n, line in enumerate(text.split("\n")[1:], start=2):
        if not _FIELD_LIKE.match(line):
            return n
    return None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, line number where the body starts)."""
    m = _FRONT_RE.match(text)
    if not m:
        return None, text, 1
    front = m.group(1) or ""
    body_line = text[: m.end()].count("\n") + 1
    return front, text[m.end():], body_line


MAX_NAME_BYTES = 255  # a file name's limit in bytes on Linux (ext4, XFS), where sites are built


def read_record(abs_path: Path, src_path: str, rel: str, docs_dir: Path, problems: Problems) -> Record | None:
    """Parse one record file. `rel` is how the editor knows the file (content/records/…)."""
    cut = boundary.url_breakers(src_path)
    if cut:  # its page's URL is its path (plan/urls.py): every link to it would break there
        problems.error(rel, 1, f"文件名或文件夹名中含有{cut}：网页地址会在这里断开，列表、订阅和搜索中指向它的链接打不开",
                       "给文件（或文件夹）改名，去掉 # ? % 这三个字符，再重新生成")
    stem = posixpath.basename(src_path)[:-len(".md")]
    if len(stem.encode("utf-8")) + len(".html") > MAX_NAME_BYTES:
        problems.error(rel, 1, f"文件名过长：网页文件名 {stem[:12]}….html 超过文件系统允许的 {MAX_NAME_BYTES} 字节"
                               f"（一个汉字占 3 字节），网页无法写出",
                       "缩短文件名（建议用发布日期加简短的英文或拼音，例如 2024-05-budget.md），标题写在 title 中")
    text = charset.read_text_file(abs_path, rel, problems, plausible.MAX_FILE_BYTES, "文件",
                                  "一条记录的正文不应超过 2 MB：把大表格、名单等作为附件（xlsx、pdf），正文只写说明")
    if text is None:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body, body_line = split_front_matter(text)
    if front is None and _OPENED.match(text):
        at = _first_unlike_a_field(text)
        problems.error(rel, at or 1, "元数据没有结束：开头的 --- 之后找不到结束元数据的另一行 ---",
                       f"在第 {at} 行之前加一行 ---（它以上是元数据，以下是正文）" if at else
                       "在最后一个字段下面加一行 ---，正文写在它后面")
        return None
    if front is None:
        problems.error(rel, 1, "缺少开头的元数据（front matter）",
                       "文件第一行应是 ---，接着写 title、index_no、date 等字段，再以 --- 结束")
        return None
    if len(front) > plausible.MAX_FRONT_CHARS:
        problems.error(rel, 2, f"元数据过长（{len(front)} 字，上限 {plausible.MAX_FRONT_CHARS} 字）",
                       "元数据只写 title、date 等字段；正文写在第二个 --- 之后")
        return None
    if plausible.control_char_problem(front, rel, 2, "元数据", problems):
        return None
    try:
        meta, fixes = yamlsrc.load_repaired(front, line_offset=1)
    except yamlsrc.YamlError as exc:
        frontmatter_help.report(exc.fixes, rel, problems)
        problems.error(rel, exc.line, f"元数据 YAML 格式错误：{exc.message}",
                       exc.hint or "检查缩进、冒号后的空格；含冒号或 # 的值请加引号")
        return None
    frontmatter_help.report(fixes, rel, problems)
    if not isinstance(meta, dict):
        problems.error(rel, 2, "元数据应是“键: 值”的映射，而不是列表或一段文字",
                       "每行写成“字段名: 值”，例如 title: 市财政局2024年部门预算公开")
        return None

    def line(key: str) -> int:
        return meta.line_of(key) or 2

    plausible.check_fields(meta, rel, line, problems)

    kept_back = False  # the editor meant it not to be published (NOT_YET): never published as guessed
    for key in meta:
        held = not_yet_problem(key, meta[key])
        if held:
            problems.error(rel, line(key), *held)
            kept_back = True
        elif key not in KNOWN_KEYS:
            problems.warning(rel, line(key), f"未知字段“{clip(key)}”将被忽略", suggest.with_suggestion(
                key, _field_choices(key),
                "可用字段：" + ", ".join(sorted(KNOWN_KEYS - {"template", "hide", "icon", "search", "comments", "status", "description"}))))

    ok = all(f.accepted for f in fixes) and not kept_back  # a line YAML would read another way: never published as guessed
    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            problems.error(rel, meta.line or 2, f"缺少必填字段 {key}", _REQUIRED_HINTS[key])
            ok = False

    def text_field(key: str) -> str:
        value = meta.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.error(rel, line(key), f"字段 {key} 应是一段文字",
                           f"写成“{key}: 文字”，不要用方括号或换行缩进；文字中有冒号时整体加引号")
            return ""
        return value.strip()

    def list_field(key: str) -> tuple[str, ...]:
        value = meta.get(key)
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
        problems.error(rel, line(key), f"字段 {key} 应是文字列表", f"例如 {key}: [甲, 乙]")
        return ()

    title = text_field("title")
    index_no = text_field("index_no")
    if index_no and not INDEX_NO_RE.match(index_no):
        problems.warning(rel, line("index_no"), f"索引号“{clip(index_no)}”不符合“机构代码/年份-序号”格式",
                         "例如 003111216/2024-00012")
    date = None
    has_time = False
    if isinstance(meta.get("date"), str) and meta.get("date"):
        try:
            date, has_time = parse_date(meta["date"])
        except DateError as exc:
            problems.error(rel, line("date"), f"发布日期无效：{exc}", "写成 YYYY-MM-DD，例如 2024-02-20")
            ok = False
        if date is not None:
            plausible.check_early(date.date(), rel, line("date"), "发布日期", problems)
    elif meta.get("date") not in (None, ""):
        problems.error(rel, line("date"), "发布日期应是一个日期", "写成 YYYY-MM-DD")
        ok = False
    if date is not None and INDEX_NO_RE.match(index_no or ""):
        no_year = int(index_no.rsplit("/", 1)[1][:4])
        if no_year != date.year:
            problems.warning(rel, line("index_no"), f"索引号中的年份 {no_year} 与发布日期的年份 {date.year} 不一致",
                             f"索引号的年份应是发布年份：核对 date（第 {line('date')} 行），或换一个 {date.year} 年的索引号"
                             "（disclosure new 会按发布日期分配）")
    written = None
    if meta.get("written") not in (None, ""):
        try:
            written = parse_date(text_field("written"))[0].date()
        except DateError as exc:
            problems.error(rel, line("written"), f"成文日期无效：{exc}", "写成 YYYY-MM-DD")
        if written:
            plausible.check_early(written, rel, line("written"), "成文日期", problems)
        if written and date and written > date.date():
            problems.warning(rel, line("written"), "成文日期晚于发布日期", "请核对 written 和 date")
    validity = text_field("validity")
    if validity and validity not in VALIDITIES:
        problems.error(rel, line("validity"), f"有效性“{clip(validity)}”无法识别", "只能是 有效、失效 或 废止")
        validity = ""
    doc_type = text_field("doc_type")
    if doc_type and doc_type not in DOC_TYPES:
        problems.error(rel, line("doc_type"), f"文件类型“{clip(doc_type)}”无法识别",
                       suggest.with_suggestion(doc_type, {t: "" for t in DOC_TYPES}, "") + "只能是 " + "、".join(DOC_TYPES))
        doc_type = ""
    replaces = text_field("replaces")

    attachments = []
    raw_att = meta.get("attachments")
    if raw_att not in (None, ""):
        if not isinstance(raw_att, list):
            problems.error(rel, line("attachments"), "attachments 应是列表",
                           "例如 attachments: [{title: 预算表, path: files/budget.pdf}]")
        else:
            base = posixpath.dirname(src_path)
            for entry, entry_line in zip(raw_att, raw_att.lines):
                if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry.get("path"):
                    problems.error(rel, entry_line, "每个附件应写成 {title: 名称, path: 相对路径}",
                                   "例如 - {title: 预算表, path: files/budget-2024.pdf}（path 相对于本记录所在文件夹）")
                    continue
                problem = boundary.attachment_problem(entry["path"].strip(), base)
                if problem is not None:  # absolute, climbing out of the content folder, or hidden
                    problems.error(rel, entry_line, *problem)
                    continue
                target = posixpath.normpath(posixpath.join(base, entry["path"].strip()))
                abs_target = docs_dir / target
                if not abs_target.is_file():
                    problems.error(rel, entry_line, f"附件“{clip(entry['path'])}”不存在",
                                   f"把文件放到 {clip(posixpath.join('content', target), 200)}，或更正 path（相对于本记录所在文件夹）")
                    continue
                a_title = entry.get("title") if isinstance(entry.get("title"), str) else ""
                mime = mimetypes.guess_type(target)[0] or "application/octet-stream"
                attachments.append(Attachment(a_title.strip() or posixpath.basename(target), target,
                                              abs_target.stat().st_size, mime))

    plausible.check_body(body, bool(attachments) or raw_att not in (None, "", []), rel, body_line, problems)
    for at, message, hint in boundary.body_link_problems(body, posixpath.dirname(src_path), body_line):
        problems.warning(rel, at, message, hint)
    consultation, feedback_for, fields_ok = consultations.read_fields(meta, rel, line, problems)  # 意见征集
    ok = ok and fields_ok

    # a record with a fatal problem still goes through the cross-checks (so the editor sees every
    # problem at once) but is marked broken and never published
    summary = text_field("summary") or (opening_text(body) if ok else "")
    links, to_place = boundary.body_references(body, posixpath.dirname(src_path))
    return Record(
        broken=not ok,
        src_path=src_path, title=title, index_no=index_no, date=date or _NO_DATE, has_time=has_time,
        department=text_field("department"), domains=list_field("domains"), item=text_field("item"),
        tags=list_field("tags"), doc_no=text_field("doc_no"), written=written, summary=summary,
        genre=text_field("genre"), validity=validity, interprets=text_field("interprets"),
        attachments=tuple(attachments), body=body, body_line=body_line, front=front, allow=meta.get("allow"),
        lines={k: line(k) for k in meta},
        links=tuple(sorted(links)), links_to_place=to_place,
        **projects.record_fields(meta, rel, line, problems), **tasks.record_fields(meta, rel, line, problems),
        doc_type=doc_type if doc_type in DOC_TYPES else "",
        consultation=consultation, feedback_for=feedback_for,
        **recordheader.read(meta, rel, line, problems),
        replaces=replaces,
    )


_NO_DATE = dt.datetime(1970, 1, 1, tzinfo=SHANGHAI)

_REQUIRED_HINTS = {
    "title": "加上“title: 信息名称”",
    "index_no": "加上“index_no: 机构代码/年份-序号”，例如 003111216/2024-00012（可用 disclosure new 自动分配；"
                "在录入页面新建的信息运行 disclosure check --fix 自动分配）",
    "date": "加上“date: YYYY-MM-DD”（发布日期）",
    "department": "加上“department: 发布机构 id”（见 catalogue/departments.yml）",
    "domains": "加上“domains: [领域 id]”（见 catalogue/domains.yml）",
}


def find_record_files(docs_dir: Path, records_dir: str = "records",
                      project: Path | None = None) -> list[tuple[Path, str]]:
    """Every Markdown file under docs_dir/records, as (absolute path, docs-relative posix path);
    hidden files and folders are skipped, and with `project` links to outside it (record_file_paths)."""
    return [(Path(path), src) for path, src in record_file_paths(docs_dir, records_dir, project)]


def record_file_paths(docs_dir: Path, records_dir: str = "records",
                      project: Path | None = None) -> list[tuple[str, str]]:
    """find_record_files with the absolute paths as strings (a Path each costs ~1 s at 100,000 files).
    With `project`, a record file that is a symbolic link to somewhere outside it is left out: its
    target is never read (boundary.scan reports the link)."""
    root = docs_dir / records_dir
    if not root.is_dir():
        return []
    project_real = os.path.realpath(project) if project is not None else None
    found = []
    prefix = posixpath.normpath(records_dir.replace("\\", "/")).strip("/")
    prefix = "" if prefix == "." else prefix
    stack = [(str(root), prefix)]
    while stack:  # os.scandir: a tenth of the time of Path.rglob on 100,000 files
        folder, rel = stack.pop()
        with os.scandir(folder) as entries:
            for e in entries:
                if e.name.startswith("."):
                    continue
                name = f"{rel}/{e.name}" if rel else e.name
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, name))
                elif e.name.endswith(".md"):
                    if (project_real is not None and e.is_symlink()
                            and not boundary.is_inside(os.path.realpath(e.path), project_real)):
                        continue
                    found.append((e.path, name))
    found.sort(key=lambda p: p[1])
    return found


def _field_choices(written: str) -> dict[str, str]:
    """Record fields as suggest.closest choices: a Chinese name written as the key matches its field."""
    out = {}
    for key, names in FIELD_NAMES.items():
        match = next((n for n in names.split() if n in written or written in n), None) if written else None
        out[key] = match or names.split()[0]
    return out
