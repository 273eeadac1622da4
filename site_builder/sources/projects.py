"""重大建设项目: catalogue/projects.yml and the record fields `project` and `stage` (docs/projects-and-tasks.md).

国办发〔2017〕94号 names eight kinds of information along a project's lifecycle (STAGES). A record
names its project and the stage it belongs to (both or neither). Checked here: the catalogue file (ids,
required fields, departments), each record's fields, and, across records, a record of a stage after
批准结果 dated before any 批准结果 record of its project (a warning: the approval is published first).
Plain data in and out; every problem names file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import suggest
from .catalogue import Catalogue, as_text, check_id, known, read_entries
from .problems import Problems, clip

STAGES = ("批准服务", "批准结果", "招标投标", "征收土地", "重大设计变更", "施工有关", "质量安全监督", "竣工有关")
APPROVAL = "批准结果"
FILE = "projects.yml"
FIELDS = {"project", "stage"}  # the record fields read here
FIELD_NAMES = {"project": "建设项目 重大建设项目 项目", "stage": "项目阶段 阶段"}
_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class ConstructionProject:
    id: str
    name: str
    department: str  # 项目单位或主管部门 (department id)
    code: str = ""  # 项目统一代码
    investment: str = ""  # 总投资（万元）, as written
    location: str = ""
    summary: str = ""


def stage_number(stage: str) -> int:
    """1–8 in the lifecycle's order (the stage's anchor on the project page), 0 for an unknown one."""
    return STAGES.index(stage) + 1 if stage in STAGES else 0


def load_projects(catalogue_dir: Path, rel_prefix: str, cat: Catalogue, problems: Problems) -> dict:
    """catalogue/projects.yml (optional: no file, no projects) → {id: ConstructionProject}."""
    path = catalogue_dir / FILE
    if not path.is_file():
        return {}
    rel = f"{rel_prefix}/{FILE}"
    out: dict[str, ConstructionProject] = {}
    seen: dict[str, int] = {}
    for e in read_entries(path, rel, problems):
        ident = check_id(e, rel, problems, seen, "建设项目")
        name = as_text(e, "name", rel, problems, required=True)
        department = as_text(e, "department", rel, problems, required=True)
        if department and department not in cat.departments:
            problems.error(rel, e.line_of("department"), f"建设项目“{name or ident}”的项目单位“{department}”不存在",
                           known("发布机构", cat.departments, department))
            department = ""
        investment = e.get("investment")
        investment = str(investment).strip() if isinstance(investment, (str, int, float)) else ""
        if investment and not _NUMBER_RE.match(investment):
            problems.error(rel, e.line_of("investment"), f"总投资“{clip(investment)}”不是数字",
                           "investment 只写以万元为单位的数字，例如 investment: 58000")
            investment = ""
        fields = {k: as_text(e, k, rel, problems) for k in ("code", "location", "summary")}
        if ident and name and department:
            out[ident] = ConstructionProject(ident, name, department, investment=investment, **fields)
    return out


def record_fields(meta, rel: str, line, problems: Problems) -> dict:
    """A record's `project` and `stage`, as written (both or neither; the stage one of STAGES)."""
    values = {}
    for key in ("project", "stage"):
        value = meta.get(key)
        if value in (None, ""):
            values[key] = ""
        elif not isinstance(value, str):
            problems.error(rel, line(key), f"字段 {key} 应是一段文字",
                           "例如 project: s232-road 和 stage: 施工有关")
            values[key] = ""
        else:
            values[key] = value.strip()
    project, stage = values["project"], values["stage"]
    if stage and stage not in STAGES:
        problems.error(rel, line("stage"), f"项目阶段“{clip(stage)}”无法识别",
                       suggest.with_suggestion(stage, {s: s for s in STAGES}, "") + "只能是 " + "、".join(STAGES))
    if project and meta.get("stage") in (None, ""):
        problems.error(rel, line("project"), "写了 project 但没有写 stage（项目阶段）",
                       "project 和 stage 要一起写：加上“stage: 阶段”，阶段为 " + "、".join(STAGES))
    elif stage and meta.get("project") in (None, ""):
        problems.error(rel, line("stage"), "写了 stage 但没有写 project（建设项目）",
                       "project 和 stage 要一起写：加上“project: 项目 id”（见 catalogue/projects.yml）")
    return values


def check_records(cat: Catalogue, records: list, rel_of, problems: Problems) -> None:
    """Across records: the project exists; a later stage is not published before the approval."""
    with_project = [r for r in records if r.project]  # (one walk over every record: 0.05 s at 100,000)
    approvals: dict[str, list] = {}
    for r in with_project:
        if r.stage == APPROVAL:
            approvals.setdefault(r.project, []).append(r.date)
    for r in with_project:
        if r.project not in cat.projects:
            problems.error(rel_of(r), r.lines.get("project"), f"建设项目“{clip(r.project)}”不存在",
                           _known_projects(cat, r.project))
            continue
        if stage_number(r.stage) > stage_number(APPROVAL) and not any(d <= r.date for d in approvals.get(r.project, ())):
            name = cat.projects[r.project].name
            problems.warning(rel_of(r), r.lines.get("stage"),
                             f"“{r.stage}”阶段的信息早于项目“{name}”的任何“批准结果”信息发布",
                             "重大建设项目应先公开批准结果（审批、核准、备案结果）：核对本记录的 date 和 stage，"
                             "或先发布该项目 stage: 批准结果 的信息")


def _known_projects(cat: Catalogue, value: str) -> str:
    if not cat.projects:
        return "catalogue/projects.yml 中还没有定义任何建设项目：先在其中登记该项目（格式见 docs/projects-and-tasks.md）"
    return known("建设项目", cat.projects, value) + "（见 catalogue/projects.yml）"
