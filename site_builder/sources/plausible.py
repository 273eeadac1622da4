"""Plausible records only: what a real disclosure record passes, and a slip, an unedited scaffold or
a hostile file does not.

- size: a record file, its front matter, each field and the body have upper limits, so one bad file
  cannot fill the machine's memory or turn into a feed of tens of MB;
- control characters (C0 and C1, except tab and line breaks) in any field or in the body;
- a body with no text (HTML comments and placeholders such as “在此撰写正文” do not count) and no
  attachment;
- dates before the People's Republic (1949-10-01), or more than a year after the build day;
- records dated after the build day (but within a year) are held back until their day (定时发布);
- `interprets` chains that loop.

Pure functions on records and plain values; problems go to the caller's `Problems`.
"""

from __future__ import annotations

import datetime as dt
import re

from .problems import Problems, clip

MAX_FILE_BYTES = 16 * 1024 * 1024  # a record file larger than this is not even read
MAX_FRONT_CHARS = 64 * 1024  # the front matter (real ones are under 2 KB)
BODY_WARN_BYTES = 512 * 1024  # a body this long makes a heavy page and feed: warning
BODY_MAX_BYTES = 2 * 1024 * 1024  # … and this long is refused: long tables go in an attachment
FIELD_CHARS = {"title": 200, "summary": 500}  # characters; other text in the front matter:
OTHER_FIELD_CHARS = 300
EARLIEST = dt.date(1949, 10, 1)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF and CR are allowed
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)  # an unclosed comment hides the rest (CommonMark)
_NOISE = re.compile(r"[\s#*_>`~=|:：.。,，、;；!！?？…·\-—()（）\[\]【】<>《》\"'“”‘’]+")
_PLACEHOLDER = re.compile(
    r"(?:请?(?:在|于)?(?:此处?|这里|本处|下方)?(?:用markdown)?(?:填写|撰写|输入|编写|录入|添加|粘贴)?"
    r"(?:正文|内容|文字|文本)(?:内容)?(?:待补充|待完善|待定|略)?"
    r"|待补充|待完善|待定|暂无|略|无|空|todo|tbd|fixme|x{2,}|placeholder|loremipsum.*)",
)


def _line_at(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def control_char_problem(text: str, rel: str, first_line: int, where: str, problems: Problems) -> bool:
    """Report control characters in `text` (which starts on `first_line`); True when there were any."""
    found = _CONTROL.search(text)
    if found is None:
        return False
    count = len(_CONTROL.findall(text))
    more = f"，共 {count} 处" if count > 1 else ""
    problems.error(rel, _line_at(text, found.start(), first_line),
                   f"{where}含有不可见的控制字符（U+{ord(found.group()):04X}）{more}",
                   "这类字符多是从其他软件复制时带入的：删去该处文字后重新输入（可用编辑器的“显示不可见字符”查找）")
    return True


def _strings(value, path: str):
    """Every string in a loaded YAML value, with where it sits (title, attachments[1].title …)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, path)
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value, start=1):
            yield from _strings(v, f"{path}[{n}]")


def check_fields(meta: dict, rel: str, line_of, problems: Problems) -> None:
    """Control characters (YAML escapes such as "\\x07" make them) and over-long text in the front matter."""
    for key, value in meta.items():
        limit = FIELD_CHARS.get(key, OTHER_FIELD_CHARS)
        for where, text in _strings(value, str(key)):
            where = clip(where, 40)
            if _CONTROL.search(text):
                found = _CONTROL.search(text)
                problems.error(rel, line_of(key), f"字段 {where} 含有不可见的控制字符（U+{ord(found.group()):04X}）",
                               "删去该字段中的“\\x..”“\\u00..”等转义或从其他软件复制来的不可见字符")
            if len(text) > limit:
                problems.error(rel, line_of(key), f"字段 {where} 过长（{len(text)} 字，上限 {limit} 字）："
                               f"“{clip(text, 30)}”",
                               "标题请控制在 200 字以内、概述在 500 字以内；大段文字写在正文中")


def body_text(body: str) -> str:
    """The body without HTML comments, stripped: what would be left to read."""
    return _COMMENT.sub("", body).strip()


# characters of text (noise apart) more than any placeholder has but "lorem ipsum …" and a run of x's
# (the longest: 请在此处用markdown填写正文内容待补充, 21)
_PLACEHOLDER_MAX = 40
_HEAD = 200


def is_placeholder(text: str) -> bool:
    """True when `text` (comments already removed) is only a placeholder such as “正文”, “待补充”, “TODO”."""
    # a real body is decided by its start: noise goes a character at a time, so the start's core is the
    # start of the whole core (taking the noise out of a whole body was ~100 µs, in every first build)
    core = _NOISE.sub("", text[:_HEAD]).lower()
    if len(core) > _PLACEHOLDER_MAX:
        if core.startswith("loremipsum"):
            return True
        if core.strip("x"):
            return False
    if len(text) > _HEAD:
        core = _NOISE.sub("", text).lower()
    return not core or _PLACEHOLDER.fullmatch(core) is not None


def check_body(body: str, has_attachments: bool, rel: str, body_line: int, problems: Problems) -> None:
    """Size, control characters and emptiness of a record's body."""
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > BODY_MAX_BYTES:
        problems.error(rel, body_line, f"正文过大（{size / 1048576:.1f} MB，上限 {BODY_MAX_BYTES // 1048576} MB）",
                       "把大表格、名单等作为附件（xlsx、pdf）放在 files/ 文件夹中，用 attachments 列出，正文只写说明")
        return
    if size > BODY_WARN_BYTES:
        problems.warning(rel, body_line, f"正文很长（{size / 1024:.0f} KB），页面和订阅源会很大",
                         "考虑把大表格、名单等作为附件（xlsx、pdf），正文只写说明")
    control_char_problem(body, rel, body_line, "正文", problems)
    if has_attachments:
        return
    text = body_text(body)
    if not text:
        problems.error(rel, body_line, "正文为空，也没有附件",
                       "在元数据下方撰写正文（<!-- --> 中的说明文字不算正文），或用 attachments 列出附件")
    elif is_placeholder(text):
        problems.error(rel, body_line, f"正文只有占位文字“{clip(text, 20)}”，也没有附件",
                       "把占位文字换成真正的正文，或用 attachments 列出附件")


def check_early(date: dt.date, rel: str, line: int | None, what: str, problems: Problems) -> None:
    if date < EARLIEST:
        problems.error(rel, line, f"{what}“{date.isoformat()}”早于 1949-10-01",
                       "请核对年份（政务公开信息的日期不会早于中华人民共和国成立）")


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def hold_back(records: list, build_day: dt.date, rel_of, problems: Problems) -> tuple[list, list]:
    """(published, scheduled): records dated after `build_day` are held back until their day (定时发布);
    more than a year ahead is an error (and the record is in neither list)."""
    latest = one_year_after(build_day)
    published, scheduled = [], []
    for r in records:
        day = r.date.date()
        if day > latest:
            problems.error(rel_of(r), r.lines.get("date"),
                           f"发布日期 {day.isoformat()} 比构建日期（{build_day.isoformat()}，默认为今天）晚一年以上",
                           "请核对年份；定时发布的记录可以写一年以内的将来日期，到那天构建时才会发布")
        elif day > build_day:
            scheduled.append(r)
        else:
            published.append(r)
    later = {r.index_no: r for r in scheduled if r.index_no}
    for r in published:
        policy = later.get(r.interprets) if r.interprets else None
        if policy is not None:
            problems.error(rel_of(r), r.lines.get("interprets"),
                           f"所解读的政策 {rel_of(policy)} 定于 {policy.date_text} 发布，解读不能先于政策发布",
                           "把本解读的 date 改为不早于政策的发布日期")
    return published, scheduled


def scheduled_line(rel: str, record) -> str:
    return f"定时发布：{rel}（{clip(record.title, 40)}）将于 {record.date_text} 发布，本次不发布"


def check_interprets_loops(records: list, rel_of, problems: Problems) -> None:
    """An error on every record of every `interprets` loop (A → B → A, or longer), naming all its files.
    A record interpreting itself is reported by the cross-checks already."""
    # every record of a loop interprets another: the others are never on one (walking every record's
    # 索引号 took 0.1 s at 100,000 records)
    by_index = {}
    for r in records:
        if r.index_no and r.interprets:
            by_index.setdefault(r.index_no, r)
    state: dict[str, int] = {}  # index_no -> 1 on the current path, 2 done
    for start in by_index:
        path: list[str] = []
        node = start
        while node in by_index and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = by_index[node].interprets
        if node in by_index and state.get(node) == 1:
            loop = path[path.index(node):]
            if len(loop) > 1:
                files = [rel_of(by_index[n]) for n in loop]
                chain = " → ".join(files + files[:1])
                for n in loop:
                    r = by_index[n]
                    problems.error(rel_of(r), r.lines.get("interprets"),
                                   f"interprets 构成循环（{len(loop)} 个文件互相解读）：{chain}",
                                   "解读应指向被解读的政策，政策本身不写 interprets：请更正其中的 interprets")
        for n in path:
            state[n] = 2
