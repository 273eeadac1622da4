"""重大建设项目 pages: the projects index (每个项目的概况、当前阶段、已公开阶段数) and one page per project
with its facts and its lifecycle timeline, the eight stages of 国办发〔2017〕94号 in order, each stage's
records oldest first (newest last). Plain data, no MkDocs, no HTML (templates: disclosure/projects.html,
disclosure/project.html). The per-project feed is the `project` row of kinds.py."""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.projects import STAGES, ConstructionProject
from ..sources.records import Record
from .index import Index
from .kinds import BY_NAME
from .urls import Links

TITLE = "重大建设项目"
STAGE_SHOWN = 20  # a stage's newest records shown on the timeline; the count says how many there are
REACHED, SKIPPED, AHEAD = "reached", "skipped", "ahead"  # a stage with records / passed without / not yet
STAGE_NOTES = {SKIPPED: "暂无", AHEAD: "未到该阶段"}


@dataclass
class StageView:
    number: int  # 1–8
    name: str
    state: str  # REACHED | SKIPPED | AHEAD
    records: list[Record]  # oldest first, at most STAGE_SHOWN (the newest of them)
    total: int

    @property
    def note(self) -> str:
        return STAGE_NOTES.get(self.state, "")

    @property
    def anchor(self) -> str:
        return f"stage-{self.number}"


@dataclass
class ProjectView:
    project: ConstructionProject
    count: int  # records of the project
    stages: list[StageView]
    last: Record | None  # the newest record

    @property
    def current(self) -> StageView | None:
        """The latest stage reached, in the stage order."""
        reached = [s for s in self.stages if s.state == REACHED]
        return reached[-1] if reached else None

    @property
    def disclosed(self) -> int:
        """How many of the eight stages have any record."""
        return sum(1 for s in self.stages if s.state == REACHED)


def project_view(project: ConstructionProject, records: list[Record]) -> ProjectView:
    """`records`: the project's records, newest first (as the index holds them)."""
    by_stage: dict[str, list[Record]] = {s: [] for s in STAGES}
    for r in records:
        if r.stage in by_stage:
            by_stage[r.stage].append(r)
    last_reached = max((i for i, s in enumerate(STAGES) if by_stage[s]), default=-1)
    stages = []
    for i, name in enumerate(STAGES):
        recs = by_stage[name]
        state = REACHED if recs else (SKIPPED if i < last_reached else AHEAD)
        stages.append(StageView(i + 1, name, state, list(reversed(recs[:STAGE_SHOWN])), len(recs)))
    return ProjectView(project, len(records), stages, records[0] if records else None)


def views(idx: Index) -> list[ProjectView]:
    return [project_view(p, idx.by_project.get(p.id, [])) for p in idx.catalogue.projects.values()]


def pages(idx: Index) -> list[tuple]:
    """The projects index (in the navigation) and a page per project, as PageSpec fields (src_uri, title,
    template, kind, key, context, in_nav): pages.build_pages makes them PageSpecs. None without projects."""
    cat = idx.catalogue
    if not cat.projects:
        return []
    kind = BY_NAME["project"]
    all_views = views(idx)
    out = [(Links.src(kind.folder), TITLE, kind.index_template, "projects", "",
            {"projects": all_views, "stages": STAGES}, True)]
    for v in all_views:
        out.append((Links.src(kind.folder, v.project.id), v.project.name, kind.template, kind.name, v.project.id,
                    {"view": v, "department": cat.departments[v.project.department], "stage_shown": STAGE_SHOWN},
                    False))
    return out


def nav(idx: Index) -> list[dict]:
    """The navigation entry (the plugin's default nav), when the site has projects."""
    return [{TITLE: Links.src(BY_NAME["project"].folder)}] if idx.catalogue.projects else []


def search_terms(cat, r: Record) -> tuple[str, ...]:
    """What search finds a record by besides its own text: its project's name and its stage."""
    p = cat.projects.get(r.project) if r.project else None
    return (p.name, r.stage) if p is not None else ()


def project_name(cat, r: Record) -> str:
    """The name of the record's project ("" for none): search's 项目 facet."""
    p = cat.projects.get(r.project) if r.project else None
    return p.name if p is not None else ""
