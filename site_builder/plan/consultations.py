"""意见征集 on the build day: each consultation's status and days left, the consultations pages, the home
page's block of open ones, the 公开情况 flag of closed ones still without feedback. Plain data.

Statuses (the build day `day`, Asia/Shanghai; a window includes its first and last day):
    未开始 (upcoming)       day < start: published ahead of its window (shown, listed after the open ones)
    征集中 (open)           start <= day <= end; days left counts today: 1 on the last day (“最后一天”)
    已截止待反馈 (closed)    day > end and no published record has `feedback_for` naming it
    已反馈 (answered)       a published record has `feedback_for` naming it (whatever the day)
A status depends on the build day: it is part of the context of every page that shows one, so the
page cache (render/fingerprints.py keys a page by its context) never serves yesterday's status."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..sources.records import Record
from .index import Index
from .pages import PageSpec, page_links, paginate
from .urls import Links

UPCOMING, OPEN, CLOSED, ANSWERED = "upcoming", "open", "closed", "answered"
LABELS = {OPEN: "征集中", UPCOMING: "未开始", CLOSED: "已截止待反馈", ANSWERED: "已反馈"}
ORDER = (OPEN, UPCOMING, CLOSED, ANSWERED)  # the consultations page: open ones first
PAGE_SRC = Links.consultations_src()
TITLE = "意见征集"
HOME_OPEN = 5  # open consultations the home page shows (closing soonest first); the rest: 意见征集 page
FEEDBACK_DAYS = 30  # default of the `consultation_feedback_days` option (docs/options.md)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


@dataclass
class View:
    """One consultation as the build day sees it."""
    record: Record
    status: str  # one of ORDER
    day: dt.date  # the build day the status is for
    days_left: int | None = None  # open: days one can still respond, today included (1: the last day)
    days_to_start: int | None = None  # upcoming: days until the window opens
    days_since_end: int | None = None  # closed: days since the last day of the window
    feedback: list[Record] = field(default_factory=list)  # published 采纳情况 records, oldest first
    respond: list[tuple[str, str]] = field(default_factory=list)  # (text, e-mail address or "")

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def window(self):
        return self.record.consultation

    @property
    def when(self) -> str:
        """The status in words: 还剩N天, 最后一天, N天后开始, 截止于…"""
        if self.status == OPEN:
            return "最后一天" if self.days_left == 1 else f"还剩{self.days_left}天"
        if self.status == UPCOMING:
            return f"{self.days_to_start}天后开始"
        if self.status == CLOSED:
            return f"已截止{self.days_since_end}天，待公布采纳情况"
        return f"已于 {self.window.end.isoformat()} 截止"


def respond_parts(text: str) -> list[tuple[str, str]]:
    """The respond text cut around e-mail addresses, so a template links them (mailto:) and escapes all."""
    parts, at = [], 0
    for m in _EMAIL.finditer(text):
        if m.start() > at:
            parts.append((text[at:m.start()], ""))
        parts.append((m.group(0), m.group(0)))
        at = m.end()
    if at < len(text):
        parts.append((text[at:], ""))
    return parts


def status_on(record: Record, answered: bool, day: dt.date) -> View:
    c = record.consultation
    if answered:
        return View(record, ANSWERED, day)
    if day < c.start:
        return View(record, UPCOMING, day, days_to_start=(c.start - day).days)
    if day <= c.end:
        return View(record, OPEN, day, days_left=(c.end - day).days + 1)
    return View(record, CLOSED, day, days_since_end=(day - c.end).days)


def build_views(idx: Index, day: dt.date) -> dict[str, View]:
    """index_no → View for every published consultation, on `day` (the build day)."""
    feedback: dict[str, list[Record]] = {}
    for r in idx.feedbacks:
        feedback.setdefault(r.feedback_for, []).append(r)
    views = {}
    for r in idx.consultation_records:
        answers = sorted(feedback.get(r.index_no, []), key=lambda x: (x.date, x.index_no))
        v = status_on(r, bool(answers), day)
        v.feedback = answers
        v.respond = respond_parts(r.consultation.respond)
        views[r.index_no] = v
    return views


def ordered(views, status: str | None = None) -> list[View]:
    """Open ones first (closing soonest first), then upcoming (opening soonest), then closed awaiting
    feedback (longest waiting first), then answered (newest window first)."""
    def key(v: View):
        c = v.window
        return {OPEN: (c.end.toordinal(),), UPCOMING: (c.start.toordinal(),), CLOSED: (c.end.toordinal(),),
                ANSWERED: (-c.end.toordinal(),)}[v.status] + (v.record.index_no,)
    rows = [v for v in views.values() if status is None or v.status == status]
    return sorted(rows, key=lambda v: (ORDER.index(v.status), key(v)))


def page_specs(views: dict[str, View], links: Links, page_size: int, day: dt.date) -> list[PageSpec]:
    """意见征集: consultations/index.md (all, open first) in the navigation, and one list per status
    (consultations/<status>.md), each paginated."""
    counts = [(s, LABELS[s], sum(1 for v in views.values() if v.status == s), links.consultations(s)) for s in ORDER]
    tabs = [("all", "全部", len(views), links.consultations())] + counts
    specs = []
    for status in ("all",) + ORDER:
        rows = ordered(views, None if status == "all" else status)
        chunks = paginate(rows, page_size)
        for n, chunk in enumerate(chunks, start=1):
            title = TITLE if status == "all" else f"{TITLE}：{LABELS[status]}"
            specs.append(PageSpec(
                Links.consultations_src(status, n), title if n == 1 else f"{title}（第 {n} 页）",
                "disclosure/consultations.html", "consultations", status, context={
                    "views": chunk, "status": status, "tabs": tabs, "day": day, "heading": title,
                    "pagination": page_links(lambda k, s=status: links.consultations(s, k), n, len(chunks), len(rows)),
                }, in_nav=status == "all" and n == 1))
    return specs


def add_home_block(specs: list[PageSpec], views: dict[str, View], links: Links) -> None:
    """The home page's 意见征集 block: the open consultations closing soonest (none: no block)."""
    open_ones = ordered(views, OPEN)
    for spec in specs:
        if spec.kind == "home":
            spec.context["consultations_open"] = open_ones[:HOME_OPEN]
            spec.context["consultations_open_total"] = len(open_ones)
            spec.context["consultations_url"] = links.consultations(OPEN)


# --- 公开情况: closed consultations still without feedback --------------------------------------------


@dataclass
class Unanswered:
    record: Record
    end: dt.date
    days_since: int  # days since the window closed (on the report date)


def unanswered(idx: Index, ref: dt.date, days: int) -> list[Unanswered]:
    """Consultations closed more than `days` days before `ref` with no feedback published by `ref`
    (records published after `ref` are ignored, as everywhere in the report)."""
    answered = {r.feedback_for for r in idx.feedbacks if r.date.date() <= ref}
    out = [Unanswered(r, r.consultation.end, (ref - r.consultation.end).days) for r in idx.consultation_records
           if r.date.date() <= ref and r.index_no not in answered
           and (ref - r.consultation.end).days > days]
    return sorted(out, key=lambda u: (-u.days_since, u.record.index_no))


# --- data/consultations.json ---------------------------------------------------------------------


def json_rows(views: dict[str, View], day: dt.date | None) -> dict:
    def row(v: View) -> dict:
        r, c = v.record, v.window
        return {
            "index_no": r.index_no, "title": r.title, "url": r.url, "department": r.department,
            "date": r.date_text, "start": c.start.isoformat(), "end": c.end.isoformat(), "days": c.days,
            "respond": c.respond, "status": v.label, "status_key": v.status, "days_left": v.days_left,
            "days_to_start": v.days_to_start, "days_since_end": v.days_since_end,
            "feedback": [{"index_no": f.index_no, "url": f.url, "date": f.date_text, "title": f.title}
                         for f in v.feedback],
        }
    return {"date": day.isoformat() if day else None, "consultations": [row(v) for v in ordered(views)]}


def unanswered_text(rows: list[Unanswered], days: int) -> list[str]:
    """The plain-text report's section (disclosure report)."""
    out = ["", f"意见征集：截止超过 {days} 日仍未反馈采纳情况"]
    if not rows:
        return out + ["无。"]
    return out + [f"{u.record.title}（索引号 {u.record.index_no}）：{u.end.isoformat()} 截止，已过 {u.days_since} 日"
                  for u in rows]
