"""Machine-readable exports: data/records.json and data/catalogue.json (a contract, see docs/formats.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..plan import projects as project_pages, tasks as task_pages
from ..plan import annual_reports, consultations
from ..plan.index import Index
from ..plan.urls import Links
from ..render.caches import made_once
from ..sources import recordheader
from ..sources.codeversion import code_version


def records_file(idx: Index, links: Links, cache_dir: Path | None = None, world: str | None = None) -> bytes:
    """data/records.json. Each row is made of one record's fields and URL: with `cache_dir`, the file is
    kept there under a key of this code and of `world` (the plan's inputs, fingerprints.world: records
    and URLs follow from them) or, without one, every record's fields digest (Record.fields_digest) and
    URL in order, so that a build after body edits takes it as it was (0.15 s at 10,000 records; the
    key alone, record by record, took ~0.2 s at 100,000)."""
    def make() -> bytes:
        return dumps(records_json(idx, links)).encode("utf-8")

    if cache_dir is None:
        return make()
    h = hashlib.sha256(code_version("outputs/exports.py", "sources").encode())  # rows read records' properties
    if world is not None:
        h.update(f"world\0{world}".encode("ascii"))
    else:
        for r in idx.records:
            h.update(f"{r.fields_digest()}\0{r.url}\0".encode("utf-8", "surrogatepass"))
    return made_once(cache_dir / "records-json", h.hexdigest(), make)


def records_json(idx: Index, links: Links) -> list[dict]:
    out = []
    for r in idx.records:
        out.append({
            "index_no": r.index_no,
            "title": r.title,
            "url": r.url,
            "date": r.date_text,
            "datetime": r.date.isoformat(),
            "department": r.department,
            "domains": list(r.domains),
            "item": r.item or None,
            "tags": list(r.tags),
            "doc_no": r.doc_no or None,
            "validity": r.validity or None,
            "interprets": r.interprets or None,
            "doc_type": r.doc_type or None,  # 政策文件库
            "replaces": r.replaces or None,
            # 重大建设项目, 重点工作任务
            "project": r.project or None, "stage": r.stage or None, "tasks": list(r.tasks),
            "task_status": r.task_status or None,
            # 意见征集: the window and how to respond; on a 采纳情况 record, the consultation it answers
            "consultation": {"start": r.consultation.start.isoformat(), "end": r.consultation.end.isoformat(),
                             "respond": r.consultation.respond} if r.consultation is not None else None,
            "feedback_for": r.feedback_for or None,
            **recordheader.export(r),  # gazette, gazette_section, subject, serves, source, pinned
        })
    return out


def catalogue_json(idx: Index, links: Links, feeds: dict[tuple[str, str], str] | None = None) -> dict:
    """`feeds` maps (kind, id) to a feed path relative to the site root, when feeds are published."""
    cat = idx.catalogue
    feeds = feeds or {}

    def stats(recs):
        return {"record_count": len(recs), "last_date": recs[0].date_text if recs else None}

    def with_feed(kind, ident, entry):
        if (kind, ident) in feeds:
            entry["feed"] = feeds[(kind, ident)]
        return entry

    return {
        "domains": [with_feed("domain", d.id, {
            "id": d.id, "name": d.name, "description": d.description, "url": links.domain(d.id),
            **stats(idx.by_domain.get(d.id, [])),
        }) for d in cat.domains.values()],
        "departments": [with_feed("department", d.id, {
            "id": d.id, "name": d.name, "code": d.code or None, "domains": list(d.domains),
            "url": links.department(d.id), **stats(idx.by_department.get(d.id, [])),
        }) for d in cat.departments.values()],
        "items": [with_feed("item", i.id, {
            "id": i.id, "domain": i.domain, "group": i.group, "name": i.name, "content": i.content,
            "basis": i.basis, "time_limit": i.time_limit, "frequency": i.frequency,
            "departments": list(i.departments), "channels": list(i.channels), "audience": i.audience,
            "mode": i.mode, "levels": list(i.levels), "url": links.item(i.id),
            **stats(idx.by_item.get(i.id, [])),
        }) for i in cat.items.values()],
    }


def projects_json(idx: Index, links: Links, feeds: dict[tuple[str, str], str] | None = None) -> list[dict]:
    """data/projects.json: every 重大建设项目 with its facts, current stage and its stages' records."""
    feeds = feeds or {}
    out = []
    for v in project_pages.views(idx):
        p = v.project
        entry = {
            "id": p.id, "name": p.name, "department": p.department, "code": p.code or None,
            "investment": float(p.investment) if p.investment else None, "location": p.location or None,
            "summary": p.summary or None, "url": links.project(p.id),
            "current_stage": v.current.name if v.current else None, "stages_disclosed": v.disclosed,
            "record_count": v.count, "last_date": v.last.date_text if v.last else None,
            "stages": [{"stage": s.name, "state": s.state, "record_count": s.total,
                        "records": [r.index_no for r in reversed(idx.by_project.get(p.id, [])) if r.stage == s.name]}
                       for s in v.stages],
        }
        if ("project", p.id) in feeds:
            entry["feed"] = feeds[("project", p.id)]
        out.append(entry)
    return out


def tasks_json(idx: Index, links: Links, day) -> dict:
    """data/tasks.json: every 重点工作任务 with its status on `day` (the report date)."""
    rows = task_pages.task_rows(idx, day)
    return {"date": day.isoformat(), "tasks": [
        {**row, "url": f"{links.task_year(row['year'])}#task-{row['id']}"} for row in task_pages.rows_json(rows)]}


def write_lifecycle(data_dir, idx: Index, links: Links, feeds, day) -> None:
    """data/projects.json and data/tasks.json."""
    (data_dir / "projects.json").write_text(dumps(projects_json(idx, links, feeds)), encoding="utf-8")
    (data_dir / "tasks.json").write_text(dumps(tasks_json(idx, links, day)), encoding="utf-8")
def annual_reports_json(reports: list, links: Links) -> list[dict]:
    """data/annual-reports.json: every 政府信息公开工作年度报告's numbers, totals included (docs/annual-reports.md)."""
    return [annual_reports.report_json(r, links) for r in reports]


def consultations_json(idx: Index) -> dict:
    """data/consultations.json: every consultation with its status on the build day (docs/consultations.md)."""
    views = idx.consultations
    return consultations.json_rows(views, next(iter(views.values())).day if views else None)


def dumps(data) -> str:
    """Stable, readable JSON: the same content always gives the same bytes. A list (records.json)
    is written one element per line: as readable as indentation, and the C encoder writes it (the
    indenting encoder is pure Python: 0.6 s for 10,000 records)."""
    if isinstance(data, list):
        if not data:
            return "[]\n"
        return "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False) for x in data) + "\n]\n"
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
