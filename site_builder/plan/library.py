"""The 政策文件库 pages: every policy document (records with `doc_type`), 现行有效 first, paginated so it
works without JavaScript; page 1 also carries the filters (type, 发布机构, year, validity, a search box over
title and 文号) that theme/assets/policy.js runs over the library's data file (policies/library.js)."""

from __future__ import annotations

from . import policy
from .index import Index
from .pages import PageSpec, paginate, pagination_context
from .urls import Links

TITLE = "政策文件库"
TEMPLATE = "disclosure/policies.html"
KIND = "policies"


def library_pages(idx: Index, links: Links, page_size: int) -> list[PageSpec]:
    records = policy.library(idx)
    choices = policy.facets(records, idx)
    counts = {t: sum(1 for r in records if r.doc_type == t) for t in choices["types"]}
    chunks = paginate(records, page_size)
    specs = []
    for n, chunk in enumerate(chunks, start=1):
        ctx = {"records": chunk, "facets": choices, "type_counts": counts,
               "in_force": sum(1 for r in records if policy.in_force(r)),
               "data": Links.POLICY_DATA, "validity": {r.index_no: policy.validity_label(r) for r in chunk},
               "downloads": {r.index_no: policy.downloads(r) for r in chunk},
               "pagination": pagination_context(links.policy_library, n, len(chunks), len(records))}
        specs.append(PageSpec(Links.policy_src(n), TITLE if n == 1 else f"{TITLE}（第 {n} 页）", TEMPLATE, KIND,
                              context=ctx, in_nav=n == 1))
    return specs
