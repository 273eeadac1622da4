"""Which pages the site generates, and what each one shows: plain data, no MkDocs, no HTML.

Every listing is one collection (a domain's, a department's, an item's, a tag's, a year's records)
paginated newest first, so no page grows with the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sources.catalogue import Catalogue
from .policy import record_context as policy_record_context
from .index import Index, tag_slug
from .kinds import BY_FOLDER, BY_NAME
from . import projects
from ..sources.records import Record
from ..sources.projects import stage_number
from .urls import Links

HOME_LATEST = 12
ITEM_PREVIEW = 5


@dataclass
class PageSpec:
    src_uri: str
    title: str
    template: str
    kind: str  # home | catalogue | domains | domain | departments | department | item | tags | tag | years | year
    key: str = ""  # the id / tag / year the page is about
    context: dict = field(default_factory=dict)
    in_nav: bool = False
    feed: str | None = None  # site-root-relative path of this listing's feed, when feeds are published


def paginate(records: list[Record], size: int) -> list[list[Record]]:
    if not records:
        return [[]]
    return [records[i:i + size] for i in range(0, len(records), size)]


def _pagination(links_fn, n: int, total_pages: int, total: int) -> dict:
    return {
        "page": n,
        "pages": total_pages,
        "total": total,
        "prev": links_fn(n - 1) if n > 1 else None,
        "next": links_fn(n + 1) if n < total_pages else None,
        "first": links_fn(1),
        "numbers": [(i, links_fn(i)) for i in _window(n, total_pages)],
    }


def pagination_context(links_fn, n: int, total_pages: int, total: int) -> dict:
    """What macros.html `pagination` shows for page n of `total_pages` (for listings made elsewhere)."""
    return _pagination(links_fn, n, total_pages, total)


def _window(n: int, total: int, width: int = 2) -> list[int]:
    """Page numbers around the current one, plus first and last (0 marks a gap)."""
    shown = sorted({1, total, *range(max(1, n - width), min(total, n + width) + 1)})
    out = []
    for i in shown:
        if out and i - out[-1] > 1:
            out.append(0)
        out.append(i)
    return out


def page_links(links_fn, n: int, total_pages: int, total: int) -> dict:
    """The pagination block of page n of a listing (for listings made in other modules)."""
    return _pagination(links_fn, n, total_pages, total)


def _listing(idx: Index, kind: str, key: str, title: str, template: str, records: list[Record], size: int,
             links_fn, extra: dict, in_nav: bool = False) -> list[PageSpec]:
    chunks = paginate(idx.pinned_first(records), size)
    urls = [links_fn(n) for n in range(1, len(chunks) + 1)]  # each page links ~9 others: made once each
    specs = []
    for n, chunk in enumerate(chunks, start=1):
        ctx = dict(extra)
        ctx.update(records=chunk, pagination=_pagination(lambda i: urls[i - 1], n, len(chunks), len(records)))
        page_title = title if n == 1 else f"{title}（第 {n} 页）"
        specs.append(PageSpec(Links.src(kind, key, n), page_title, template, BY_FOLDER[kind].name, key, ctx,
                              in_nav=in_nav and n == 1))
    return specs


def item_summary(idx: Index, item_id: str, department: str | None = None) -> dict:
    """How many records an item has, its newest ones; with `department`, only that department's own
    (a department's 责任清单 counts what it published itself, not what others published under the item)."""
    recs = idx.by_item.get(item_id, []) if department is None else idx.by_item_department.get((item_id, department), [])
    return {"count": len(recs), "last": recs[0] if recs else None, "latest": recs[:ITEM_PREVIEW]}


def build_pages(idx: Index, links: Links, page_size: int = 20, site_name: str = "") -> list[PageSpec]:
    cat: Catalogue = idx.catalogue
    specs: list[PageSpec] = []
    domain_counts = {d: len(idx.by_domain.get(d, [])) for d in cat.domains}
    items_by_domain = {d: [i for i in cat.items.values() if i.domain == d] for d in cat.domains}

    specs.append(PageSpec("index.md", site_name or "政府信息公开", BY_NAME["home"].template, "home", context={
        "latest": idx.records[:HOME_LATEST],
        "domains": [(d, domain_counts[d.id]) for d in cat.domains.values()],
        "departments": [(d, len(idx.by_department.get(d.id, []))) for d in cat.departments.values()],
        "total": len(idx.records),
        "item_total": len(cat.items),
        "years": [(y, len(idx.by_year[y])) for y in idx.years()],
    }, in_nav=True))

    specs.append(PageSpec("catalogue.md", "公开事项目录", "disclosure/catalogue.html", "catalogue", context={
        "groups": [(d, [(i, item_summary(idx, i.id)) for i in items_by_domain[d.id]])
                   for d in cat.domains.values()],
    }, in_nav=True))

    specs.append(PageSpec(Links.src("domains"), "重点领域", BY_NAME["domain"].index_template, "domains", context={
        "domains": [(d, domain_counts[d.id], len(items_by_domain[d.id]),
                     [dep for dep in cat.departments.values() if d.id in dep.domains])
                    for d in cat.domains.values()],
    }, in_nav=True))
    for d in cat.domains.values():
        specs += _listing(idx, "domains", d.id, d.name, BY_NAME["domain"].template, idx.by_domain.get(d.id, []),
                          page_size, lambda n, i=d.id: links.domain(i, n), {
                              "domain": d,
                              "item_rows": [(i, item_summary(idx, i.id)) for i in items_by_domain[d.id]],
                              "departments": [dep for dep in cat.departments.values() if d.id in dep.domains],
                          })

    specs.append(PageSpec(Links.src("departments"), "发布机构", BY_NAME["department"].index_template, "departments",
                          context={"departments": [(dep, len(idx.by_department.get(dep.id, [])))
                                                   for dep in cat.departments.values()]}, in_nav=True))
    for dep in cat.departments.values():
        duties = [(cat.domains[d], [(i, item_summary(idx, i.id, dep.id)) for i in items_by_domain[d]
                                    if dep.id in i.departments])
                  for d in dep.domains if d in cat.domains]
        specs += _listing(idx, "departments", dep.id, dep.name, BY_NAME["department"].template,
                          idx.by_department.get(dep.id, []), page_size,
                          lambda n, i=dep.id: links.department(i, n), {"department": dep, "duties": duties})

    for item in cat.items.values():
        specs += _listing(idx, "items", item.id, item.name, BY_NAME["item"].template, idx.by_item.get(item.id, []),
                          page_size, lambda n, i=item.id: links.item(i, n), {
                              "item": item, "domain": cat.domains[item.domain],
                              "departments": [cat.departments[d] for d in item.departments],
                              "summary": item_summary(idx, item.id),
                          })

    tags = idx.tag_names()
    specs.append(PageSpec(Links.src("tags"), "主题词", BY_NAME["tag"].index_template, "tags", context={
        "tags": [(t, len(idx.by_tag[t])) for t in tags],
    }, in_nav=True))
    for t in tags:
        specs += _listing(idx, "tags", tag_slug(t), f"主题词：{t}", BY_NAME["tag"].template, idx.by_tag[t], page_size,
                          lambda n, tt=t: links.tag(tt, n), {"tag": t, "heading": t})

    specs.append(PageSpec(Links.src("years"), "按年度浏览", BY_NAME["year"].index_template, "years", context={
        "years": [(y, len(idx.by_year[y])) for y in idx.years()],
    }, in_nav=True))
    for y in idx.years():
        specs += _listing(idx, "years", str(y), f"{y}年发布的信息", BY_NAME["year"].template, idx.by_year[y], page_size,
                          lambda n, yy=y: links.year(yy, n), {"year": y, "heading": f"{y}年"})
    specs += [PageSpec(*fields) for fields in projects.pages(idx)]  # 重大建设项目 (plan/projects.py)
    return specs


def record_context(idx: Index, record: Record) -> dict:
    """What a record page shows around its body: metadata panel, breadcrumb, related records."""
    cat = idx.catalogue
    item = cat.items.get(record.item) if record.item else None
    policy = idx.by_index_no.get(record.interprets) if record.interprets else None
    return {
        "record": record,
        "department": cat.departments[record.department],
        "domains": [cat.domains[d] for d in record.domains],
        "item": item,
        "item_domain": cat.domains[item.domain] if item else None,
        "policy": policy,
        "interpretations": idx.interpretations.get(record.index_no, []),
        "primary_domain": cat.domains[item.domain] if item else cat.domains[record.domains[0]],
        "policy_doc": policy_record_context(idx, record),  # 政策文件库 (plan/policy.py)
        # 重大建设项目, 重点工作任务 (plan/projects.py, plan/tasks.py)
        "project": cat.projects.get(record.project) if record.project else None,
        "stage_anchor": f"stage-{stage_number(record.stage)}" if record.project else "",
        "tasks": [cat.tasks[t] for t in record.tasks if t in cat.tasks],
        # 意见征集 (plan/consultations.py): this record's consultation box, or the consultation it answers
        "consultation": idx.consultations.get(record.index_no),
        "feedback_of": idx.consultations.get(record.feedback_for) if record.feedback_for else None,
    }
