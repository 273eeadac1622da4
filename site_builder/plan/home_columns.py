"""The home page's column cards (政策文件库, 政府公报, 年度报告, 意见征集, 重大建设项目, 重点工作任务, 双公示,
数据开放): one card per column the site has something in, in the navigation's order (navigation.py
COLUMN_ORDER), each linking to the column's index page as the navigation does. A column with nothing
in it gets no card, and a card is only made for a page this build plans (never a dead link)."""

from __future__ import annotations

from ..sources.validate import Project
from . import annual_reports, consultations, library, policy, projects, tasks
from .datasets import KIND_LABEL, nav_entries
from .gazette import DEFAULT_TITLE
from .index import Index
from .navigation import COLUMN_ORDER
from .pages import PageSpec
from .urls import Links

# folder → what its card says under the title, with the count ({n})
BLURBS = {
    "policies": "政策文件 {n} 件",
    "gazette": "已出版 {n} 期",
    "annual-reports": "工作年度报告 {n} 份",
    "consultations": "征求意见 {n} 项",
    "projects": "建设项目 {n} 个",
    "tasks": "年度任务 {n} 项",
    "sgs": "许可、处罚决定 {n} 条",
    "opendata": "数据集 {n} 个",
}


def column_counts(project: Project, idx: Index) -> dict[str, tuple[str, str, int]]:
    """folder → (title, index page src, how many things the column has), for every column; the titles and
    pages are the navigation's (政府公报 whatever the gazette's configured title)."""
    data = project.datasets
    nav = {next(iter(e.values())).split("/", 1)[0]: next(iter(e.items()))
           for e in projects.nav(idx) + tasks.nav(idx) + nav_entries(data)}
    decisions = sum(len(data.decisions(kind)) for kind in KIND_LABEL) if data else 0
    out = {
        "policies": (library.TITLE, Links.policy_src(), len(policy.library(idx))),
        "gazette": (DEFAULT_TITLE, Links.src("gazette"), len(project.gazette)),
        "annual-reports": (annual_reports.NAV_TITLE, Links.annual_reports_src(), len(project.annual_reports)),
        "consultations": (consultations.TITLE, Links.consultations_src(), len(idx.consultations)),
        "projects": (projects.TITLE, "", len(idx.catalogue.projects)),
        "tasks": (tasks.TITLE, "", len(idx.catalogue.tasks)),
        "sgs": ("双公示", "", decisions),
        "opendata": ("数据开放", "", len(data.items) if data else 0),
    }
    for folder, (title, src) in nav.items():  # the navigation's own entry (重点工作任务 of one year: that year)
        if folder in out:
            out[folder] = (out[folder][0], src, out[folder][2])
    return out


def cards(counts: dict[str, tuple[str, str, int]], specs: list[PageSpec], links: Links) -> list[dict]:
    """The cards: {title, url, text} for each column with something in it whose index page is planned."""
    planned = {s.src_uri for s in specs}
    out = []
    for folder in COLUMN_ORDER:
        title, src, n = counts.get(folder, ("", "", 0))
        if n > 0 and src in planned:
            out.append({"title": title, "url": links.url(src), "text": BLURBS[folder].format(n=n)})
    return out


def add_home_cards(specs: list[PageSpec], project: Project, idx: Index, links: Links) -> None:
    """Put the column cards into the home page's context (`columns`; none: an empty list)."""
    found = cards(column_counts(project, idx), specs, links)
    for spec in specs:
        if spec.kind == "home":
            spec.context["columns"] = found
