"""意见征集 (重大行政决策预公开) and 采纳情况反馈: the record fields `consultation: {start, end, respond}`
and `feedback_for: <索引号>` (docs/consultations.md; the contract: shared DESIGN.md "Lifecycles").

Plain data in and out: `read_fields` turns the front matter's two fields into a `Consultation` and a
text, with every problem (file and line, in Chinese) reported; `check_links` checks, across records,
that each `feedback_for` names a published consultation and comes after its window. Statuses on a
build day are worked out later, in plan/consultations.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import DateError, parse_date
from .problems import Problems, clip
from .sanitize import has_markup, plain_text

FIELDS = ("consultation", "feedback_for")
MIN_DAYS = 30  # 《重大行政决策程序暂行条例》第十四条：征求意见的期限一般不少于30日
EXAMPLE = "consultation: {start: 2026-03-01, end: 2026-03-31, respond: 电子邮件 yjzj@example.gov.cn；信函 云溪大道1号}"


@dataclass(frozen=True)
class Consultation:
    """A draft for comment's window (both days included) and how to respond (plain text)."""
    start: dt.date
    end: dt.date
    respond: str

    @property
    def days(self) -> int:
        """How many days the window has, its first and last day included."""
        return (self.end - self.start).days + 1


def read_fields(meta, rel: str, line, problems: Problems) -> tuple[Consultation | None, str, bool]:
    """(consultation or None, feedback_for or "", ok) from a record's front matter; `line(key)` is a
    key's line. ok is False when a field is written so that the record must not be published."""
    consultation, ok = None, True
    raw = meta.get("consultation")
    if raw not in (None, ""):
        consultation = _consultation(raw, rel, line("consultation"), problems)
        ok = consultation is not None
    feedback_for = ""
    value = meta.get("feedback_for")
    if value not in (None, ""):
        if isinstance(value, str) and value.strip():
            feedback_for = value.strip()
        else:
            problems.error(rel, line("feedback_for"), "feedback_for 应是一个索引号",
                           "写成“feedback_for: 被反馈的征求意见稿的索引号”，例如 feedback_for: 011320501/2026-00011")
            ok = False
    if consultation is not None and feedback_for:
        problems.error(rel, line("feedback_for"), "同一条记录不能既是征求意见稿（consultation）又是采纳情况反馈（feedback_for）",
                       "征求意见稿和采纳情况反馈各发布一条记录：反馈记录写 feedback_for，征求意见稿写 consultation")
        ok = False
    return consultation, feedback_for, ok


def _consultation(raw, rel: str, at: int, problems: Problems) -> Consultation | None:
    if not isinstance(raw, dict):
        problems.error(rel, at, "consultation 应写明征求意见的起止日期和反馈方式", f"例如 {EXAMPLE}")
        return None
    lines = getattr(raw, "lines", {})
    ok = True
    for key in raw:
        if key not in ("start", "end", "respond"):
            problems.error(rel, lines.get(key, at), f"consultation 中的“{clip(key)}”无法识别",
                           "只能写 start（开始日期）、end（截止日期）和 respond（反馈意见的方式）")
            ok = False
    days = {}
    for key, name in (("start", "开始日期"), ("end", "截止日期")):
        value = raw.get(key)
        if value in (None, ""):
            problems.error(rel, lines.get(key, at), f"consultation 缺少{name}（{key}）", f"例如 {EXAMPLE}")
            ok = False
            continue
        if not isinstance(value, str):
            problems.error(rel, lines.get(key, at), f"consultation 的{name}（{key}）应是一个日期", "写成 YYYY-MM-DD")
            ok = False
            continue
        try:
            moment, has_time = parse_date(value)
        except DateError as exc:
            problems.error(rel, lines.get(key, at), f"consultation 的{name}（{key}）无效：{exc}",
                           "写成 YYYY-MM-DD，例如 2026-03-01")
            ok = False
            continue
        if has_time:
            problems.error(rel, lines.get(key, at), f"consultation 的{name}（{key}）只写日期，不写时间",
                           "写成 YYYY-MM-DD：征求意见期限按日计算，首尾两日都包括在内")
            ok = False
            continue
        days[key] = moment.date()
    respond = raw.get("respond")
    if respond in (None, ""):
        problems.error(rel, lines.get("respond", at), "consultation 缺少反馈意见的方式（respond）",
                       "写明公众如何提出意见，例如 respond: 电子邮件 yjzj@example.gov.cn；信函 云溪大道1号")
        ok = False
    elif not isinstance(respond, str):
        problems.error(rel, lines.get("respond", at), "consultation 的 respond 应是一段文字",
                       "写成一行文字；有冒号时整体加引号")
        ok = False
    else:
        respond = respond.strip()
        if has_markup(respond):
            respond = plain_text(respond)
            problems.warning(rel, lines.get("respond", at), "respond 中的 HTML 标记或注释不会发布，只保留其中的文字",
                             "respond 只写纯文字；电子邮件地址会自动成为链接")
    if "start" in days and "end" in days and days["end"] < days["start"]:
        problems.error(rel, lines.get("end", at), f"征求意见截止日期 {days['end']} 早于开始日期 {days['start']}",
                       "核对 consultation 的 start 和 end")
        ok = False
    if not ok:
        return None
    found = Consultation(days["start"], days["end"], respond)
    if found.days < MIN_DAYS:
        problems.warning(rel, lines.get("end", at), f"征求意见期限只有 {found.days} 日，少于 {MIN_DAYS} 日",
                         "《重大行政决策程序暂行条例》第十四条：公开征求意见的期限一般不少于30日；"
                         "因情况紧急等原因需要缩短期限的，应当在公开征求意见时予以说明")
    return found


def check_links(records, rel_of, problems: Problems) -> None:
    """Every `feedback_for` names a consultation among `records` (the valid ones), and is dated after
    its window closed."""
    feedback = [r for r in records if r.feedback_for]
    if not feedback:
        return  # (most sites: no index of every 索引号 made for nothing, 0.1 s at 100,000 records)
    by_index = {r.index_no: r for r in records if r.index_no}
    for r in feedback:
        target_no = r.feedback_for
        at = r.lines.get("feedback_for")
        target = by_index.get(target_no)
        if target is None:
            known = sorted((x for x in records if x.consultation is not None), key=lambda x: x.index_no)
            shown = "；".join(f"{x.index_no}（{clip(x.title, 30)}）" for x in known[:10])
            problems.error(rel_of(r), at, f"feedback_for 指向的索引号“{clip(target_no)}”不存在",
                           "写被反馈的征求意见稿的 index_no，并确认它已发布" + (f"。现有的征求意见稿：{shown}" if shown else ""))
        elif target.consultation is None:
            problems.error(rel_of(r), at, f"feedback_for 指向的“{clip(target.title)}”（{target_no}）不是征求意见稿",
                           f"该记录没有 consultation 字段：核对索引号，或在 {rel_of(target)} 中加上 consultation（征求意见的起止日期和反馈方式）")
        elif r.date.date() <= target.consultation.end:
            problems.warning(rel_of(r), r.lines.get("date", at),
                             f"采纳情况反馈的发布日期 {r.date_text} 不晚于征求意见截止日期 {target.consultation.end}",
                             "意见征集结束后才能反馈采纳情况：核对本记录的 date 和征求意见稿的 consultation.end")
