"""重点工作任务 pages: one page per year rendering the list as the familiar table (序号, 工作内容, 工作要求,
责任单位, 配合单位, 完成时限, 落实情况), grouped under the list's headings, and an index of years when
there are several; each task's status on the report day, which 公开情况 (report.py) counts too.

Status of a task on day D (only records dated on or before D count):
    已完成  some record reporting on it set `task_status: 已完成`;
    推进中  it has progress records, none saying it is done;
    未报送  no record reports on it yet;
    逾期    (besides 推进中 / 未报送) its 完成时限 is before D and it is not 已完成.
Plain data, no MkDocs, no HTML (templates: disclosure/tasks.html, disclosure/task-years.html).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..sources.records import Record
from ..sources.tasks import DONE, Task
from .index import Index
from .pages import PageSpec
from .urls import Links

TITLE = "重点工作任务"
IN_PROGRESS, NOT_REPORTED = "推进中", "未报送"
STATUS_CLASSES = {DONE: "done", IN_PROGRESS: "progress", NOT_REPORTED: "none"}


@dataclass
class TaskRow:
    task: Task
    number: int  # 序号 within its year
    status: str  # 已完成 | 推进中 | 未报送
    overdue: bool
    latest: Record | None  # the newest progress record
    done_by: Record | None  # the newest record saying 已完成
    reports: int  # how many records report on it
    days_overdue: int = 0  # days past the deadline, when overdue

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def anchor(self) -> str:
        return f"task-{self.task.id}"


def task_rows(idx: Index, day: dt.date) -> list[TaskRow]:
    """Every task with its status on `day`, in catalogue order, numbered within its year."""
    reports: dict[str, list[Record]] = defaultdict(list)
    for r in idx.task_reports:  # newest first
        if r.date.date() <= day:
            for t in r.tasks:
                reports[t].append(r)
    rows, numbers = [], defaultdict(int)
    for t in idx.catalogue.tasks.values():
        recs = reports.get(t.id, [])
        done_by = next((r for r in recs if r.task_status == DONE), None)
        status = DONE if done_by else (IN_PROGRESS if recs else NOT_REPORTED)
        numbers[t.year] += 1
        overdue = status != DONE and t.deadline < day
        rows.append(TaskRow(t, numbers[t.year], status, overdue, recs[0] if recs else None, done_by, len(recs),
                            (day - t.deadline).days if overdue else 0))
    return rows


@dataclass
class YearSummary:
    year: int
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_reported: int = 0
    overdue: int = 0

    def add(self, row: TaskRow) -> None:
        self.total += 1
        self.done += row.status == DONE
        self.in_progress += row.status == IN_PROGRESS
        self.not_reported += row.status == NOT_REPORTED
        self.overdue += row.overdue


@dataclass
class DepartmentTasks:
    """A lead department's tasks (公开情况: per department)."""
    id: str
    name: str
    total: int = 0
    done: int = 0
    overdue: int = 0


def summaries(rows: list[TaskRow]) -> list[YearSummary]:
    by_year: dict[int, YearSummary] = {}
    for row in rows:
        by_year.setdefault(row.task.year, YearSummary(row.task.year)).add(row)
    return [by_year[y] for y in sorted(by_year, reverse=True)]


def by_lead_department(idx: Index, rows: list[TaskRow]) -> list[DepartmentTasks]:
    """Each department leading any task: how many it leads, how many are done, how many are overdue."""
    deps = idx.catalogue.departments
    out: dict[str, DepartmentTasks] = {}
    for row in rows:
        for dep in row.task.lead:
            d = out.setdefault(dep, DepartmentTasks(dep, deps[dep].name if dep in deps else dep))
            d.total += 1
            d.done += row.status == DONE
            d.overdue += row.overdue
    return [out[d] for d in deps if d in out]


def groups(rows: list[TaskRow]) -> list[tuple[str, list[TaskRow]]]:
    """Rows under their `group` heading, in the order the headings first appear ("" : no heading)."""
    out: dict[str, list[TaskRow]] = {}
    for row in rows:
        out.setdefault(row.task.group, []).append(row)
    return list(out.items())


def build_pages(idx: Index, links: Links, day: dt.date) -> list[PageSpec]:
    """A page per year (the only year's page is in the navigation, else the index of years is)."""
    if not idx.catalogue.tasks:
        return []
    rows = task_rows(idx, day)
    years = summaries(rows)
    several = len(years) > 1
    specs = []
    if several:
        specs.append(PageSpec(Links.src("tasks"), TITLE, "disclosure/task-years.html", "task-years",
                              context={"years": years, "day": day}, in_nav=True))
    for s in years:
        mine = [r for r in rows if r.task.year == s.year]
        specs.append(PageSpec(Links.src("tasks", str(s.year)), f"{s.year}年{TITLE}", "disclosure/tasks.html",
                              "tasks", str(s.year), context={
                                  "year": s.year, "summary": s, "groups": groups(mine), "day": day,
                                  "several": several,
                              }, in_nav=not several))
    return specs


def nav(idx: Index) -> list[dict]:
    """The navigation entry (the plugin's default nav), when the site has tasks."""
    years = sorted({t.year for t in idx.catalogue.tasks.values()})
    if not years:
        return []
    return [{TITLE: Links.src("tasks") if len(years) > 1 else Links.src("tasks", str(years[0]))}]


# --- 公开情况 (report.py) and data/tasks.json --------------------------------------------------------


def report_fields(idx: Index, day: dt.date) -> dict:
    """What report.Report holds of the tasks on its date."""
    rows = task_rows(idx, day) if idx.catalogue.tasks else []
    return {"tasks": rows, "task_departments": by_lead_department(idx, rows)}


def rows_json(rows: list[TaskRow]) -> list[dict]:
    """The tasks with their status, as data/tasks.json and the report's JSON give them."""
    return [{
        "id": r.task.id, "year": r.task.year, "number": r.number, "group": r.task.group or None,
        "task": r.task.task, "requirement": r.task.requirement or None, "lead": list(r.task.lead),
        "support": list(r.task.support), "deadline": r.task.deadline.isoformat(), "status": r.status,
        "overdue": r.overdue, "days_overdue": r.days_overdue, "reports": r.reports,
        "latest": {"index_no": r.latest.index_no, "title": r.latest.title, "date": r.latest.date_text,
                   "url": r.latest.url} if r.latest else None,
        "done_by": r.done_by.index_no if r.done_by else None,
    } for r in rows]


def report_text(rows: list[TaskRow], departments: list[DepartmentTasks], cat, table) -> list[str]:
    """The tasks' part of `disclosure report` (plain text; `table` lays out rows)."""
    if not rows:
        return []
    overdue = [r for r in rows if r.overdue]
    out = ["", f"五、重点工作任务（共 {len(rows)} 项，已完成 {sum(r.status == DONE for r in rows)} 项，"
               f"逾期 {len(overdue)} 项）"]
    out += table(["牵头单位", "任务", "已完成", "逾期"],
                 [[d.name, str(d.total), str(d.done), str(d.overdue)] for d in departments])
    if overdue:
        out += ["", "逾期任务："]
        out += table(["年度", "序号", "工作内容", "完成时限", "落实情况", "逾期天数"],
                     [[str(r.task.year), str(r.number), r.task.task, r.task.deadline.isoformat(), r.status,
                       str(r.days_overdue)] for r in overdue])
    return out
