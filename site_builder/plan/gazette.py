"""政府公报 pages: the gazette's index (newest years, every year linked), one page per year listing its
issues, and one page per issue with its 目录 (records grouped by the issue's sections, in their order;
records without a section last), the issue's PDF and the previous/next issue. Plain data, no MkDocs.

Also the 公开情况 flag: a finished year (before the report's year) with fewer than MIN_PER_YEAR issues
(the seeds: at least four issues a year)."""

from __future__ import annotations

import datetime as dt

from ..sources.gazette import Issue
from ..sources.records import Record
from .index import Index
from .pages import PageSpec
from .urls import Links

INDEX_YEARS = 3  # years shown in full on the index page; every year has its own page
MIN_PER_YEAR = 4
NO_SECTION = "其他"
DEFAULT_TITLE = "政府公报"


def carried(issues: list[Issue], idx: Index) -> dict[str, list[Record]]:
    """Each issue's published records, in the order of its 目录: by date, then 索引号."""
    known = {i.id for i in issues}
    out: dict[str, list[Record]] = {i.id: [] for i in issues}
    for r in reversed(idx.records):  # oldest first
        if r.gazette in known:
            out[r.gazette].append(r)
    return out


def row(issue: Issue, records: list[Record], links: Links) -> dict:
    """What every listing of issues shows of one: 第N期, 总第N期, date, PDF, record count."""
    return {"issue": issue, "label": issue.label, "url": links.gazette_issue(issue.id), "count": len(records),
            "pdf": issue.pdf, "pdf_kb": round(issue.pdf_size / 1024, 1)}


def contents(issue: Issue, records: list[Record]) -> list[tuple[str, list[Record]]]:
    """The issue's 目录: (section, records) in the order of `issue.sections`, then records without a
    (known) section under NO_SECTION; empty sections are left out."""
    groups: dict[str, list[Record]] = {s: [] for s in issue.sections}
    rest = []
    for r in records:
        (groups[r.gazette_section] if r.gazette_section in groups else rest).append(r)
    out = [(s, recs) for s, recs in groups.items() if recs]
    if rest:
        out.append((NO_SECTION if out or issue.sections else "", rest))
    return out


def page_specs(issues: list[Issue], idx: Index, links: Links, title: str = DEFAULT_TITLE) -> list[PageSpec]:
    """The gazette's pages; none when there is no gazette.yml (or it lists no issue)."""
    if not issues:
        return []
    title = title or DEFAULT_TITLE
    by_issue = carried(issues, idx)
    rows = {i.id: row(i, by_issue[i.id], links) for i in issues}
    years: dict[int, list[dict]] = {}
    for i in reversed(issues):  # newest first
        years.setdefault(i.year, []).append(rows[i.id])
    year_list = [{"year": y, "issues": len(rs), "url": links.gazette_year(y)} for y, rs in years.items()]
    specs = [PageSpec(Links.src("gazette"), "政府公报", "disclosure/gazette.html", "gazette", context={
        "title": title,
        "years": [(y, rs) for y, rs in list(years.items())[:INDEX_YEARS]],
        "all_years": year_list,
        "more": len(years) > INDEX_YEARS,
        "issue_count": len(issues),
        "record_count": sum(len(v) for v in by_issue.values()),
    }, in_nav=True)]
    for y, rs in years.items():
        specs.append(PageSpec(Links.src("gazette", str(y)), f"{title}（{y}年）", "disclosure/gazette.html",
                              "gazette-year", str(y), context={
                                  "title": title, "year": y, "years": [(y, rs)], "all_years": year_list}))
    for n, issue in enumerate(issues):
        prev_ = rows[issues[n - 1].id] if n > 0 else None
        next_ = rows[issues[n + 1].id] if n + 1 < len(issues) else None
        specs.append(PageSpec(Links.src("gazette", issue.id), f"{title} {issue.label}",
                              "disclosure/gazette-issue.html", "gazette-issue", issue.id, context={
                                  "title": title, "row": rows[issue.id], "issue": issue,
                                  "contents": contents(issue, by_issue[issue.id]),
                                  "prev": prev_, "next": next_, "year_url": links.gazette_year(issue.year),
                              }))
    return specs


def report_flags(issues: list[Issue], ref: dt.date, title: str = DEFAULT_TITLE) -> list[tuple[str, str]]:
    """(heading, text) for 公开情况: each finished year since the first issue with fewer than
    MIN_PER_YEAR issues."""
    if not issues:
        return []
    title = title or DEFAULT_TITLE
    counts: dict[int, int] = {}
    for i in issues:
        counts[i.year] = counts.get(i.year, 0) + 1
    out = []
    for year in range(min(counts), ref.year):
        n = counts.get(year, 0)
        if n < MIN_PER_YEAR:
            out.append(("政府公报", f"《{title}》{year}年出版 {n} 期，少于每年 {MIN_PER_YEAR} 期"))
    return out
