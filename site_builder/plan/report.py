"""Coverage and timeliness report (公开情况): what the supervisors (政务公开办) check. Pure, no MkDocs.

The rules, as documented in README (## 公开情况报告):

Reference date
    Everything is computed "as of" one day, the report date (default: today in Asia/Shanghai; the
    `report_date` plugin option, `disclosure build --report-date` or `disclosure report --date`).
    Records published after that day are ignored, so a past report can be reproduced.

Status of a catalogue item
    - missing (未公开): no record of the item published on or before the report date;
    - overdue (逾期): the item is periodic (monthly, quarterly, yearly) and its newest record is older
      than the period allows: the next record was due one period after the newest one (1, 3 or 12
      calendar months, same day of the month, or the month's last day) plus the item's grace period,
      and the report date is later than that due date;
    - covered (按时): it has a record and is not overdue. `on-change` items (信息变化时) are covered as
      soon as they have any record: their age says nothing about lateness.

Grace period
    Taken from the item's 公开时限 (`time_limit`): the first "N个工作日" found (working days), else the
    first "N日内"/"N天内" (calendar days); when the time limit names no number, 20 working days, the
    general limit of Article 26 of the Regulation (《政府信息公开条例》第二十六条).

Working days
    Per the official calendar of the State Council's holiday notices as packaged by the maintained
    `chinese-calendar` library (public holidays and 调休 make-up working days). For a year the
    library does not cover yet, Monday–Friday are counted and the report says so.

Departments and domains
    For a department, each (item, department) pair of its responsibility list (the items that name
    it among their 公开主体) gets a status computed from that department's own records; a domain's
    figures use the item statuses. "已公开" = share with any record (covered or overdue); "按时" =
    share covered and not overdue.

Policy interpretations (政策解读)
    A record with `interprets` is late when it was published more than 3 working days after the
    policy it interprets (working days strictly after the policy's date, up to and including the
    interpretation's date).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ..sources.catalogue import Catalogue, Item
from . import annual_reports, consultations
from .index import Index
from . import tasks as key_tasks  # 重点工作任务: overdue tasks
from ..sources.records import Record

COVERED = "covered"
OVERDUE = "overdue"
MISSING = "missing"
STATUSES = (COVERED, OVERDUE, MISSING)
STATUS_LABELS = {COVERED: "按时", OVERDUE: "逾期", MISSING: "未公开"}
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
DEFAULT_GRACE = (20, True)  # 20 working days: Art. 26 of the Regulation
INTERPRETATION_LIMIT = 3  # working days
PAGE_SRC = "report.md"  # the published 公开情况 page

_WORKDAY_RE = re.compile(r"(\d+)\s*个?工作日")
_CALDAY_RE = re.compile(r"(\d+)\s*(?:个)?(?:自然日|日|天)(?:内|以内)")


# --- calendar -------------------------------------------------------------------------------------


class WorkCalendar:
    """Working days per chinese_calendar; Monday–Friday for years it has no data for (remembered)."""

    def __init__(self):
        import chinese_calendar

        # the library's is_workday over its public tables: it finds the years it covers, by a scan of
        # every holiday, on every call (~30 µs a day; a build asks for thousands of days)
        self._holidays, self._workdays = chinese_calendar.holidays, chinese_calendar.workdays
        self._years = (min(self._holidays).year, max(self._holidays).year)
        self.uncovered_years: set[int] = set()
        self._known: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is None:
            if self._years[0] <= day.year <= self._years[1]:
                known = day in self._workdays or (day.weekday() < 5 and day not in self._holidays)
            else:
                self.uncovered_years.add(day.year)
                known = day.weekday() < 5
            self._known[day] = known
        return known

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start itself not counted)."""
        day = start
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grace_of(item: Item) -> tuple[int, bool, bool]:
    """(days, working_days?, from the catalogue?) for the item's 公开时限."""
    text = item.time_limit or ""
    m = _WORKDAY_RE.search(text)
    if m:
        return int(m.group(1)), True, True
    m = _CALDAY_RE.search(text)
    if m:
        return int(m.group(1)), False, True
    return DEFAULT_GRACE[0], DEFAULT_GRACE[1], False


def grace_text(days: int, working: bool) -> str:
    return f"{days}个工作日" if working else f"{days}日"


# --- the report -----------------------------------------------------------------------------------


@dataclass
class Status:
    """The status of one item, or of one (item, department) pair."""
    status: str
    count: int
    last: Record | None
    due: dt.date | None  # the day by which the next record was due (periodic items with a record)
    days_overdue: int = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class ItemRow:
    item: Item
    domain_name: str
    status: Status
    grace: str  # e.g. "20个工作日"
    grace_from_catalogue: bool
    departments_missing: list[str]  # department ids of 公开主体 with no record of this item yet


@dataclass
class Share:
    """Coverage of one department or domain."""
    kind: str  # department | domain
    id: str
    name: str
    total: int = 0
    covered: int = 0  # on time
    overdue: int = 0
    missing: int = 0

    @property
    def published(self) -> int:
        return self.covered + self.overdue

    @property
    def published_share(self) -> float:
        return self.published / self.total if self.total else 0.0

    @property
    def on_time_share(self) -> float:
        return self.covered / self.total if self.total else 0.0

    def add(self, status: str) -> None:
        self.total += 1
        setattr(self, status, getattr(self, status) + 1)


@dataclass
class Interpretation:
    record: Record
    policy: Record
    workdays: int

    @property
    def late(self) -> bool:
        return self.workdays > INTERPRETATION_LIMIT


@dataclass
class Report:
    date: dt.date
    items: list[ItemRow]
    departments: list[Share]
    domains: list[Share]
    interpretations: list[Interpretation]
    record_count: int
    uncovered_years: list[int] = field(default_factory=list)
    # 重点工作任务 on the report date (plan/tasks.py): every task's row, and each lead department's count
    tasks: list = field(default_factory=list)
    task_departments: list = field(default_factory=list)

    @property
    def overdue_tasks(self) -> list:
        return [t for t in self.tasks if t.overdue]
    annual_missing: list[dict] = field(default_factory=list)  # 年度报告 not published (plan/annual_reports.py)
    # 意见征集 closed more than `feedback_days` days before the report date without 采纳情况 (consultations.py)
    unanswered: list = field(default_factory=list)
    feedback_days: int = consultations.FEEDBACK_DAYS
    notes: list[tuple[str, str]] = field(default_factory=list)  # (column, text): other columns' flags (政府公报 …)

    def count(self, status: str) -> int:
        return sum(1 for r in self.items if r.status.status == status)

    @property
    def late_interpretations(self) -> list[Interpretation]:
        return [i for i in self.interpretations if i.late]

    @property
    def summary(self) -> dict:
        total = len(self.items)
        covered, overdue, missing = (self.count(s) for s in STATUSES)
        return {
            "items": total, "covered": covered, "overdue": overdue, "missing": missing,
            "published_share": (covered + overdue) / total if total else 0.0,
            "on_time_share": covered / total if total else 0.0,
            "records": self.record_count,
            "interpretations": len(self.interpretations),
            "late_interpretations": len(self.late_interpretations),
        }

    def as_dict(self) -> dict:
        def day(d):
            return d.isoformat() if d else None

        def share(s: Share) -> dict:
            return {"id": s.id, "name": s.name, "items": s.total, "covered": s.covered, "overdue": s.overdue,
                    "missing": s.missing, "published_share": round(s.published_share, 4),
                    "on_time_share": round(s.on_time_share, 4)}

        return {
            "date": self.date.isoformat(),
            "summary": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.summary.items()},
            "calendar_uncovered_years": self.uncovered_years,
            "items": [{
                "id": r.item.id, "name": r.item.name, "domain": r.item.domain, "frequency": r.item.frequency,
                "time_limit": r.item.time_limit, "grace": r.grace, "departments": list(r.item.departments),
                "records": r.status.count, "last_date": day(r.status.last.date.date() if r.status.last else None),
                "last_index_no": r.status.last.index_no if r.status.last else None,
                "status": r.status.status, "due": day(r.status.due), "days_overdue": r.status.days_overdue,
                "departments_missing": r.departments_missing,
            } for r in self.items],
            "departments": [share(s) for s in self.departments],
            "domains": [share(s) for s in self.domains],
            "interpretations": [{
                "index_no": i.record.index_no, "title": i.record.title, "date": i.record.date_text,
                "policy_index_no": i.policy.index_no, "policy_title": i.policy.title,
                "policy_date": i.policy.date_text, "workdays": i.workdays, "late": i.late,
            } for i in self.interpretations],
            **({"tasks": key_tasks.rows_json(self.tasks)} if self.tasks else {}),
            "annual_reports_missing": self.annual_missing,
            "consultations_unanswered": {"feedback_days": self.feedback_days, "consultations": [{
                "index_no": u.record.index_no, "title": u.record.title, "department": u.record.department,
                "end": u.end.isoformat(), "days_since_end": u.days_since} for u in self.unanswered]},
            "notes": [{"column": c, "text": t} for c, t in self.notes],
        }


def item_status(item: Item, records: list[Record], ref: dt.date, cal: WorkCalendar) -> Status:
    """`records`: the item's records published on or before `ref`, newest first."""
    if not records:
        return Status(MISSING, 0, None, None)
    last = records[0]
    months = PERIOD_MONTHS.get(item.frequency)
    if months is None:  # on-change
        return Status(COVERED, len(records), last, None)
    days, working, _ = grace_of(item)
    expected = add_months(last.date.date(), months)
    due = cal.add_workdays(expected, days) if working else expected + dt.timedelta(days=days)
    if ref > due:
        return Status(OVERDUE, len(records), last, due, (ref - due).days)
    return Status(COVERED, len(records), last, due)


def build_report(idx: Index, ref: dt.date, cal: WorkCalendar | None = None, annual: list | None = None,
                 feedback_days: int = consultations.FEEDBACK_DAYS) -> Report:
    """`annual`: the project's 年度报告 (a missing one for the previous year is flagged after 31 January);
    `feedback_days`: a consultation closed longer ago without 采纳情况 is flagged (plan/consultations.py)."""
    cal = cal or WorkCalendar()
    cat: Catalogue = idx.catalogue

    def upto(recs: list[Record]) -> list[Record]:
        # newest first, as every list of the Index: the records dated after `ref` come first (reading
        # every record's date, several times over, took 0.2 s at 100,000 records)
        return recs[bisect.bisect_left(recs, True, key=lambda r: r.date.date() <= ref):]

    dep_shares = {d.id: Share("department", d.id, d.name) for d in cat.departments.values()}
    dom_shares = {d.id: Share("domain", d.id, d.name) for d in cat.domains.values()}
    rows = []
    for item in cat.items.values():
        recs = upto(idx.by_item.get(item.id, []))
        status = item_status(item, recs, ref, cal)
        missing_deps = []
        for dep in item.departments:
            own = upto(idx.by_item_department.get((item.id, dep), []))
            if not own:
                missing_deps.append(dep)
            if dep in dep_shares:
                dep_shares[dep].add(item_status(item, own, ref, cal).status)
        dom_shares[item.domain].add(status.status)
        days, working, from_cat = grace_of(item)
        rows.append(ItemRow(item, cat.domains[item.domain].name, status, grace_text(days, working), from_cat,
                            missing_deps))

    interps = []
    for policy_no, recs in idx.interpretations.items():
        policy = idx.by_index_no.get(policy_no)
        for r in upto(recs) if policy is not None else ():
            interps.append(Interpretation(r, policy, cal.workdays_between(policy.date.date(), r.date.date())))
    interps.sort(key=lambda i: (-i.workdays, i.record.index_no))

    return Report(
        date=ref, items=rows, departments=list(dep_shares.values()), domains=list(dom_shares.values()),
        interpretations=interps, record_count=len(upto(idx.records)),
        uncovered_years=sorted(cal.uncovered_years),
        **key_tasks.report_fields(idx, ref),
        annual_missing=annual_reports.missing_reports(annual or [], cat.departments, ref),
        unanswered=consultations.unanswered(idx, ref, feedback_days), feedback_days=feedback_days,
    )


# --- bar charts: geometry here, SVG markup in theme/disclosure/report.html ------------------------

CHART_WIDTH = 720
ROW_HEIGHT = 50
LEGEND_HEIGHT = 30
BAR_HEIGHT = 18
SEGMENT_COLOURS = {COVERED: "#2e7d32", OVERDUE: "#b34700", MISSING: "#c62828"}  # white text on each: ≥ 4.5:1


def percent(x: float) -> str:
    return f"{round(x * 100)}%"


def bar_chart(shares: list[Share], title: str) -> dict:
    """A horizontal 100 % stacked bar per department/domain: on time | overdue | missing."""
    rows = []
    y = LEGEND_HEIGHT
    for s in shares:
        segments = []
        x = 0.0
        for status in STATUSES:
            n = getattr(s, status)
            if not n or not s.total:
                continue
            w = CHART_WIDTH * n / s.total
            segments.append({"status": status, "label": STATUS_LABELS[status], "count": n, "x": round(x, 2),
                             "width": round(w, 2), "colour": SEGMENT_COLOURS[status], "show_count": w >= 22})
            x += w
        if s.total:
            value = (f"已公开 {s.published}/{s.total}（{percent(s.published_share)}） · "
                     f"按时 {s.covered}/{s.total}（{percent(s.on_time_share)}）")
        else:
            value = "无负责的公开事项"
        rows.append({"share": s, "y": y, "label_y": y + 16, "bar_y": y + 24, "segments": segments, "value": value})
        y += ROW_HEIGHT
    desc = "；".join(f"{r['share'].name}：{r['value']}" for r in rows)
    return {
        "title": title, "desc": desc, "rows": rows, "width": CHART_WIDTH, "height": y + 4,
        "bar_height": BAR_HEIGHT,
        "legend": [{"label": STATUS_LABELS[s], "colour": SEGMENT_COLOURS[s], "x": i * 110} for i, s in
                   enumerate(STATUSES)],
    }


def item_groups(rep: Report) -> list[tuple[Share, list[ItemRow]]]:
    """The item rows under their domain: domains in catalogue order, items in catalogue order within
    each; a domain without items is left out."""
    rows: dict[str, list[ItemRow]] = {}
    for row in rep.items:
        rows.setdefault(row.item.domain, []).append(row)
    return [(share, rows[share.id]) for share in rep.domains if rows.get(share.id)]


def page_context(rep: Report) -> dict:
    """What theme/disclosure/report.html renders."""
    return {
        "report": rep,
        "item_groups": item_groups(rep),
        "summary": rep.summary,
        "percent": percent,
        "department_chart": bar_chart(rep.departments, "各发布机构公开事项完成情况"),
        "domain_chart": bar_chart(rep.domains, "各重点领域公开事项完成情况"),
        "attention": [r for r in rep.items if r.status.status != COVERED],
        "late": rep.late_interpretations,
        "interpretation_limit": INTERPRETATION_LIMIT,
        "overdue_tasks": rep.overdue_tasks,
        "unanswered": rep.unanswered, "feedback_days": rep.feedback_days,  # 意见征集
    }


# --- plain text (disclosure report) ---------------------------------------------------------------


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(str(c)) for c in col) for col in zip(headers, *rows)]

    def fmt(cells):
        return "  ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths)).rstrip()

    return [fmt(headers), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]


def format_text(rep: Report, cat: Catalogue) -> str:
    s = rep.summary
    out = [
        f"公开情况报告（统计截至 {rep.date.isoformat()}）",
        f"公开事项 {s['items']} 项：按时 {s['covered']}，逾期 {s['overdue']}，未公开 {s['missing']}；"
        f"已公开 {percent(s['published_share'])}，按时 {percent(s['on_time_share'])}；"
        f"统计信息 {s['records']} 条；政策解读 {s['interpretations']} 篇，"
        f"其中超过 {INTERPRETATION_LIMIT} 个工作日发布 {s['late_interpretations']} 篇。",
        "",
        "一、公开事项",
    ]
    rows = []
    for r in rep.items:
        st = r.status
        mark = {COVERED: "按时", OVERDUE: f"逾期 {st.days_overdue} 天", MISSING: "未公开"}[st.status]
        rows.append([r.domain_name, r.item.name, r.item.frequency_label, str(st.count),
                     st.last.date_text if st.last else "—", st.due.isoformat() if st.due else "—", mark,
                     "、".join(cat.departments[d].name for d in r.departments_missing if d in cat.departments)
                     if st.count and r.departments_missing else ""])
    out += _table(["领域", "公开事项", "频率", "条数", "最近发布", "应更新于", "状态", "尚未公开的主体"], rows)
    for heading, shares in (("二、发布机构", rep.departments), ("三、重点领域", rep.domains)):
        out += ["", heading]
        out += _table(["名称", "事项", "按时", "逾期", "未公开", "已公开率", "按时率"],
                      [[x.name, str(x.total), str(x.covered), str(x.overdue), str(x.missing),
                        percent(x.published_share) if x.total else "—", percent(x.on_time_share) if x.total else "—"]
                       for x in shares])
    out += ["", f"四、超过 {INTERPRETATION_LIMIT} 个工作日发布的政策解读"]
    late = rep.late_interpretations
    if late:
        out += _table(["解读", "索引号", "发布日期", "所解读政策", "政策发布日期", "相隔工作日"],
                      [[i.record.title, i.record.index_no, i.record.date_text, i.policy.title, i.policy.date_text,
                        str(i.workdays)] for i in late])
    else:
        out.append("无。")
    out += key_tasks.report_text(rep.tasks, rep.task_departments, cat, _table)
    if rep.annual_missing:
        out += ["", "五、逾期未发布的政府信息公开工作年度报告（应于 1 月 31 日前发布上一年度报告）"]
        out += [f"{m['name']}（{m['organ']}）{m['year']}年度报告" for m in rep.annual_missing]
    out += consultations.unanswered_text(rep.unanswered, rep.feedback_days)
    if rep.notes:
        out += ["", "五、其他需要注意的情况"] + [f"{c}：{t}" for c, t in rep.notes]
    if rep.uncovered_years:
        out += ["", "注意：节假日日历未覆盖 " + "、".join(map(str, rep.uncovered_years))
                + " 年，这些年份按周一至周五计算工作日（升级 chinese-calendar 可获得最新安排）。"]
    return "\n".join(out) + "\n"
