"""The pages of 数据开放 and 双公示 (sources/datasets.py's published rows), and the 双公示 timeliness
figures of 公开情况. Plain data, no MkDocs, no HTML.

Pages (URLs from urls.py `Links`):

- `opendata/index.md` 数据开放 (in the nav): every dataset with its publisher, rows, last update
  (the latest date in its rows), frequency, licence and downloads (CSV, JSON), and the DCAT catalogue;
- `opendata/<id>.md` (page n: `opendata/<id>/<n>.md`): a `table` dataset's rows, PAGE_ROWS a page; a
  双公示 dataset's page describes it and links to the 双公示 listings;
- `sgs/index.md` 双公示 (in the nav); `sgs/<xk|cf>/<key>.md` (page n: `…/<key>/<n>.md`): the 行政许可
  (xk) and 行政处罚 (cf) listings, page_size a page, newest first (决定日期, then 文书号), one listing per
  filter: key `all`, `d-<department id>` (机构), `c-<category slug>` (类别), `y-<year>` (年度). One
  filter at a time: every filter is a server-side listing, so no page grows with the rows;
- `sgs/<xk|cf>/doc/<slug>.md`: one page per decision; slug = sources.datasets.doc_slug(文书号), a hash,
  so the URL is permanent as long as the 文书号 is, and never shows the 文书号's characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from ..sources.catalogue import Catalogue
from ..sources.datasets import Datasets, Decision
from .pages import PageSpec, paginate, pagination_context
from .report import WorkCalendar
from .urls import Links

KIND_SLUG = {"licensing": "xk", "penalty": "cf"}
KIND_LABEL = {"licensing": "行政许可", "penalty": "行政处罚"}
OPENDATA_SRC = Links.src("opendata")
SGS_SRC = Links.src("sgs")
PAGE_ROWS = 50  # rows of a table dataset per page
TIME_LIMIT = 7  # working days from the decision to its publication (双公示)
LATE_SHOWN = 50  # late decisions listed on the report page (the count is always whole)
CATEGORY_SLUGS = {
    "普通": "putong", "特许": "texu", "认可": "renke", "核准": "hezhun", "登记": "dengji", "其他": "qita",
    "警告": "jinggao", "通报批评": "tongbao", "罚款": "fakuan", "没收违法所得": "moshou-suode",
    "没收非法财物": "moshou-caiwu", "暂扣许可证件": "zankou", "降低资质等级": "jiangdi", "吊销许可证件": "diaoxiao",
    "限制开展生产经营活动": "xianzhi-jingying", "责令停产停业": "tingchan", "责令关闭": "guanbi",
    "限制从业": "xianzhi-congye", "行政拘留": "juliu",
}


def category_slug(category: str) -> str:
    """A category's URL key: a fixed ASCII name for the standard ones, else a short hash."""
    return CATEGORY_SLUGS.get(category) or "h" + hashlib.sha256(category.encode("utf-8")).hexdigest()[:8]


def decision_url(links: Links, d: Decision) -> str:
    return links.decision(KIND_SLUG[d.kind], d.slug)


def nav_entries(data: Datasets | None) -> list[dict]:
    """The nav's 数据开放 and 双公示 entries, when there is anything to show."""
    if not data or not data.items:
        return []
    out = [{"数据开放": OPENDATA_SRC}]
    if any(ds.info.kind in KIND_SLUG for ds in data.items):
        out.append({"双公示": SGS_SRC})
    return out


def build_pages(data: Datasets | None, cat: Catalogue, links: Links, page_size: int = 20) -> list[PageSpec]:
    if not data or not data.items:
        return []
    specs: list[PageSpec] = []
    rows = []
    for ds in data.items:
        i = ds.info
        rows.append({"info": i, "department": cat.departments[i.department], "page": links.dataset(i.id),
                     "csv": links.dataset_download(i.id, "csv"), "json": links.dataset_download(i.id, "json"),
                     "listing": links.sgs_listing(KIND_SLUG[i.kind]) if i.kind in KIND_SLUG else None})
    specs.append(PageSpec(OPENDATA_SRC, "数据开放", "disclosure/opendata.html", "opendata", context={
        "datasets": rows, "catalog": Links.DCAT_CATALOG}, in_nav=True))
    for ds, row in zip(data.items, rows):
        specs += _dataset_pages(ds, row, links)
    kinds = [k for k in KIND_SLUG if any(ds.info.kind == k for ds in data.items)]
    if not kinds:
        return specs
    decisions = {k: data.decisions(k) for k in kinds}
    specs.append(PageSpec(SGS_SRC, "双公示", "disclosure/sgs.html", "sgs", context={
        "kinds": [{"label": KIND_LABEL[k], "url": links.sgs_listing(KIND_SLUG[k]), "total": len(decisions[k]),
                   "latest": decisions[k][:5], "urls": [decision_url(links, d) for d in decisions[k][:5]]}
                  for k in kinds],
        "opendata": links.opendata()}, in_nav=True))
    for k in kinds:
        specs += _listings(k, decisions[k], cat, links, page_size)
        for d in decisions[k]:
            specs.append(PageSpec(Links.decision_src(KIND_SLUG[k], d.slug), d.title, "disclosure/sgs-decision.html",
                                  "sgs-decision", d.slug, context={
                                      "decision": d, "label": KIND_LABEL[k], "department": cat.departments[d.department],
                                      "listing": links.sgs_listing(KIND_SLUG[k]),
                                      "dataset": links.dataset(d.dataset)}))
    return specs


def _dataset_pages(ds, row: dict, links: Links) -> list[PageSpec]:
    i = ds.info
    if i.kind != "table":
        return [PageSpec(Links.src("opendata", i.id), i.name, "disclosure/dataset.html", "dataset", i.id,
                         context={**row, "columns": [c.name for c in ds.columns], "rows": None, "pagination": None})]
    chunks = paginate(ds.rows, PAGE_ROWS)
    names = [c.name for c in ds.columns]
    specs = []
    for n, chunk in enumerate(chunks, start=1):
        specs.append(PageSpec(Links.src("opendata", i.id, n), i.name if n == 1 else f"{i.name}（第 {n} 页）",
                              "disclosure/dataset.html", "dataset", i.id, context={
                                  **row, "columns": names,
                                  "numeric": [c.type in ("integer", "number") for c in ds.columns],
                                  "rows": [tuple(r[c] for c in names) for r in chunk],
                                  "pagination": pagination_context(lambda p, x=i.id: links.dataset(x, p), n,
                                                                   len(chunks), len(ds.rows))}))
    return specs


def _listings(kind: str, decisions: list[Decision], cat: Catalogue, links: Links, page_size: int) -> list[PageSpec]:
    slug = KIND_SLUG[kind]
    label = KIND_LABEL[kind]
    groups: dict[str, tuple[str, list[Decision]]] = {"all": (f"全部{label}决定", decisions)}
    by_dep: dict[str, list[Decision]] = {}
    by_cat: dict[str, list[Decision]] = {}
    by_year: dict[int, list[Decision]] = {}
    for d in decisions:  # newest first, so every group is too
        by_dep.setdefault(d.department, []).append(d)
        for c in d.categories:
            by_cat.setdefault(c, []).append(d)
        by_year.setdefault(d.date.year, []).append(d)
    filters = [
        ("机构", [(cat.departments[k].name, f"d-{k}", len(v)) for k, v in sorted(
            by_dep.items(), key=lambda kv: list(cat.departments).index(kv[0]))]),
        ("类别", [(c, f"c-{category_slug(c)}", len(v)) for c, v in sorted(by_cat.items(), key=lambda kv: -len(kv[1]))]),
        ("年度", [(f"{y}年", f"y-{y}", len(v)) for y, v in sorted(by_year.items(), reverse=True)]),
    ]
    for k, v in by_dep.items():
        groups[f"d-{k}"] = (f"{cat.departments[k].name}的{label}决定", v)
    for c, v in by_cat.items():
        groups[f"c-{category_slug(c)}"] = (f"{label}决定（类别：{c}）", v)
    for y, v in by_year.items():
        groups[f"y-{y}"] = (f"{y}年{label}决定", v)
    filter_rows = [(name, [(text, key, count, links.sgs_listing(slug, key)) for text, key, count in opts])
                   for name, opts in filters]
    specs = []
    for key, (heading, items) in groups.items():
        chunks = paginate(items, page_size)
        for n, chunk in enumerate(chunks, start=1):
            title = heading if n == 1 else f"{heading}（第 {n} 页）"
            specs.append(PageSpec(Links.src(f"sgs/{slug}", key, n), title, "disclosure/sgs-listing.html",
                                  "sgs-listing", key, context={
                                      "label": label, "heading": heading, "kind": kind, "active": key,
                                      "all": links.sgs_listing(slug), "filters": filter_rows,
                                      "decisions": [(d, decision_url(links, d)) for d in chunk],
                                      "pagination": pagination_context(
                                          lambda p, s=slug, k=key: links.sgs_listing(s, k, p), n, len(chunks),
                                          len(items))}))
    return specs


@dataclass
class Timeliness:
    """双公示 timeliness as of the report date: decisions published more than TIME_LIMIT working days
    after their 决定日期 (by their 公示日期), and how many could not be checked (no 公示日期)."""
    total: int = 0
    checked: int = 0
    unchecked: int = 0
    late: list[dict] = field(default_factory=list)
    limit: int = TIME_LIMIT
    shown: int = LATE_SHOWN


def timeliness(data: Datasets | None, links: Links, ref: dt.date, cal: WorkCalendar | None = None) -> Timeliness | None:
    if not data or not any(ds.decisions for ds in data.items):
        return None
    cal = cal or WorkCalendar()
    out = Timeliness()
    for kind in KIND_SLUG:
        for d in data.decisions(kind):
            if d.date > ref:
                continue
            out.total += 1
            if d.published is None:
                out.unchecked += 1
                continue
            out.checked += 1
            days = cal.workdays_between(d.date, d.published)
            if days > TIME_LIMIT:
                out.late.append({"label": KIND_LABEL[kind], "doc_no": d.doc_no, "name": d.name, "date": d.date,
                                 "published": d.published, "workdays": days, "url": decision_url(links, d)})
    out.late.sort(key=lambda x: (-x["workdays"], x["doc_no"]))
    return out
