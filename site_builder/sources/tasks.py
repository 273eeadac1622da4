"""重点工作任务: catalogue/tasks.yml and the record fields `tasks` and `task_status` (docs/projects-and-tasks.md).

A year's key-work list (任务分工): each task with its 工作内容, 工作要求, lead and supporting departments
and 完成时限. Records report progress on tasks (`tasks: [ids]`) and may say a task is done
(`task_status: 已完成`). Checked here: the catalogue file (ids, duplicates, departments, years,
deadlines) and each record's fields against it. Plain data in and out; every problem names file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, as_list, as_text, known, read_entries
from .problems import Problems, clip

DONE = "已完成"
TASK_STATUSES = (DONE,)
FILE = "tasks.yml"
FIELDS = {"tasks", "task_status"}  # the record fields read here
FIELD_NAMES = {"tasks": "重点工作任务 工作任务 任务", "task_status": "任务状态 落实情况 完成情况"}
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Task:
    id: str
    year: int
    task: str  # 工作内容
    lead: tuple[str, ...]  # 责任（牵头）单位, department ids
    deadline: dt.date  # 完成时限
    group: str = ""  # heading the task is listed under
    requirement: str = ""  # 工作要求
    support: tuple[str, ...] = ()  # 配合单位


def load_tasks(catalogue_dir: Path, rel_prefix: str, cat: Catalogue, problems: Problems) -> dict:
    """catalogue/tasks.yml (optional: no file, no tasks) → {id: Task}, in the file's order."""
    path = catalogue_dir / FILE
    if not path.is_file():
        return {}
    rel = f"{rel_prefix}/{FILE}"
    out: dict[str, Task] = {}
    seen: dict[str, int] = {}
    for e in read_entries(path, rel, problems):
        ident = as_text(e, "id", rel, problems, required=True)
        if ident and not ID_RE.match(ident):
            problems.error(rel, e.line_of("id"), f"任务 id “{clip(ident)}”只能包含字母、数字、连字符、下划线和点",
                           "例如 id: 2026-03（年份加序号）")
            ident = ""
        elif ident in seen:
            problems.error(rel, e.line_of("id"), f"任务 id “{ident}”重复（第 {seen[ident]} 行已使用）",
                           "每个任务的 id 必须唯一，信息中的 tasks 靠它找到任务")
            ident = ""
        elif ident:
            seen[ident] = e.line_of("id")
        year_text = as_text(e, "year", rel, problems, required=True)
        year = int(year_text) if _YEAR_RE.match(year_text) else None
        if year_text and year is None:
            problems.error(rel, e.line_of("year"), f"年度“{clip(year_text)}”应是四位数字的年份", "例如 year: 2026")
        task = as_text(e, "task", rel, problems, required=True)
        lead = as_list(e, "lead", rel, problems, required=True)
        support = as_list(e, "support", rel, problems)
        ok = True
        for key, deps in (("lead", lead), ("support", support)):
            for dep in deps:
                if dep not in cat.departments:
                    problems.error(rel, e.line_of(key), f"任务“{clip(task or ident)}”的{'责任' if key == 'lead' else '配合'}单位“{clip(dep)}”不存在",
                                   known("发布机构", cat.departments, dep))
                    ok = False
        deadline = _deadline(e, rel, problems)
        if ident and year and task and lead and deadline and ok:
            out[ident] = Task(ident, year, task, lead, deadline, group=as_text(e, "group", rel, problems),
                              requirement=as_text(e, "requirement", rel, problems), support=support)
    return out


def _deadline(e, rel: str, problems: Problems) -> dt.date | None:
    text = as_text(e, "deadline", rel, problems, required=True)
    if not text:
        return None
    try:
        if not _DATE_RE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.error(rel, e.line_of("deadline"), f"完成时限“{clip(text)}”不是有效日期",
                       "写成 YYYY-MM-DD，例如 deadline: 2026-11-30；“全年”写该年的 12 月 31 日")
        return None


def record_fields(meta, rel: str, line, problems: Problems) -> dict:
    """A record's `tasks` (ids) and `task_status` (only 已完成, and only with tasks)."""
    value = meta.get("tasks")
    tasks: tuple[str, ...] = ()
    if isinstance(value, str) and value.strip():
        tasks = (value.strip(),)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        tasks = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    elif value not in (None, "", []):
        problems.error(rel, line("tasks"), "字段 tasks 应是任务 id 的列表", "例如 tasks: [2026-03, 2026-07]")
    status = meta.get("task_status")
    if status in (None, ""):
        status = ""
    elif not isinstance(status, str) or status.strip() not in TASK_STATUSES:
        problems.error(rel, line("task_status"), f"任务状态“{clip(status)}”无法识别",
                       f"task_status 只能写 {DONE}（任务已全部完成时）；仍在推进的任务不写 task_status")
        status = ""
    else:
        status = status.strip()
        if not tasks and value in (None, "", []):
            problems.error(rel, line("task_status"), "写了 task_status 但没有写 tasks（所报告的任务）",
                           "加上“tasks: [任务 id]”（见 catalogue/tasks.yml），说明哪项任务已完成")
    return {"tasks": tasks, "task_status": status}


def check_records(cat: Catalogue, records: list, rel_of, problems: Problems) -> None:
    """Every task a record reports on is in catalogue/tasks.yml."""
    for r in records:
        for t in r.tasks:
            if t not in cat.tasks:
                hint = (known("重点工作任务", {k: _Named(v.task) for k, v in cat.tasks.items()}, t)
                        if cat.tasks else "catalogue/tasks.yml 中还没有任何任务")
                problems.error(rel_of(r), r.lines.get("tasks"), f"重点工作任务“{clip(t)}”不存在",
                               hint + "（见 catalogue/tasks.yml）")


@dataclass(frozen=True)
class _Named:  # what catalogue.known reads of a table's entries
    name: str
