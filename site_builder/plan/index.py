"""The in-memory index: records grouped by domain, department, item, tag and year, newest first."""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..sources.catalogue import Catalogue
from ..sources.records import Record


def normalize_tag(tag: str) -> str:
    return unicodedata.normalize("NFKC", tag).strip()


@functools.lru_cache(maxsize=65536)  # every link to a tag's pages (each listing page links ~9)
def tag_slug(tag: str) -> str:
    """A stable, file-system-safe id for a free-text tag (tags are Chinese, of any length)."""
    return hashlib.sha1(normalize_tag(tag).encode("utf-8")).hexdigest()[:10]


@dataclass
class Index:
    catalogue: Catalogue
    records: list[Record]  # newest first
    by_index_no: dict[str, Record] = field(default_factory=dict)
    by_domain: dict[str, list[Record]] = field(default_factory=dict)
    by_department: dict[str, list[Record]] = field(default_factory=dict)
    by_item: dict[str, list[Record]] = field(default_factory=dict)
    # (item, department) -> what that department published under the item (its 责任清单 and the report
    # count these for each department of an item; filtering by_item for each took ~0.2 s at 100,000)
    by_item_department: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    by_tag: dict[str, list[Record]] = field(default_factory=dict)  # normalized tag -> records
    by_year: dict[int, list[Record]] = field(default_factory=dict)
    interpretations: dict[str, list[Record]] = field(default_factory=dict)  # policy index_no -> 解读
    replaced_by: dict[str, list[Record]] = field(default_factory=dict)  # 政策文件库: index_no -> its `replaces:`
    by_project: dict[str, list[Record]] = field(default_factory=dict)  # 重大建设项目 id -> records
    # The few records with a field that only some carry, newest first: a column's pass over every record
    # costs ~0.1 s at 100,000 of them, where this one pass is already made.
    policy_docs: list[Record] = field(default_factory=list)  # 政策文件库: with a doc_type
    task_reports: list[Record] = field(default_factory=list)  # 重点工作: with tasks
    consultation_records: list[Record] = field(default_factory=list)  # 意见征集: with a consultation
    feedbacks: list[Record] = field(default_factory=list)  # 意见征集's 采纳情况: with feedback_for
    # 意见征集: index_no -> plan/consultations.View on the build day (set by pipeline.plan)
    consultations: dict = field(default_factory=dict)
    pinned: frozenset[int] = frozenset()  # id() of the records with `pinned: true` (few, or none)

    def tag_names(self) -> list[str]:
        """Tags by record count (desc), then by name."""
        return sorted(self.by_tag, key=lambda t: (-len(self.by_tag[t]), t))

    def years(self) -> list[int]:
        return sorted(self.by_year, reverse=True)

    def pinned_first(self, records: list[Record]) -> list[Record]:
        """A listing's order: records with `pinned: true` (standing information: 指南, 制度, 机构职能)
        first, newest first among them, then the others newest first (`records` is newest first; the
        sort is stable). Only listing pages use it: feeds, the report and the home page stay by date.
        By the records' ids: reading every listed record's field again took 0.4 s at 100,000 records."""
        pinned = self.pinned
        if not pinned or pinned.isdisjoint(map(id, records)):
            return records
        return sorted(records, key=lambda r: id(r) not in pinned)


def build_index(catalogue: Catalogue, records: list[Record]) -> Index:
    records = sorted(records, key=Record.sort_key)
    idx = Index(catalogue, records)
    by_domain = defaultdict(list)
    by_department = defaultdict(list)
    by_item = defaultdict(list)
    by_item_department = defaultdict(list)
    by_tag = defaultdict(list)
    by_year = defaultdict(list)
    interpretations = defaultdict(list)
    pinned = set()
    replacing, in_projects = [], []  # (few) read once the whole index is known
    for r in records:
        idx.by_index_no[r.index_no] = r
        if r.pinned:
            pinned.add(id(r))
        if r.replaces:
            replacing.append(r)
        if r.project:
            in_projects.append(r)
        if r.doc_type:
            idx.policy_docs.append(r)
        if r.tasks:
            idx.task_reports.append(r)
        if r.consultation is not None:
            idx.consultation_records.append(r)
        if r.feedback_for:
            idx.feedbacks.append(r)
        by_department[r.department].append(r)
        for d in r.domains:
            by_domain[d].append(r)
        if r.item:
            by_item[r.item].append(r)
            by_item_department[(r.item, r.department)].append(r)
        for t in dict.fromkeys(normalize_tag(t) for t in r.tags):
            if t:
                by_tag[t].append(r)
        by_year[r.year].append(r)
        if r.interprets:
            interpretations[r.interprets].append(r)
    idx.by_domain = {k: by_domain.get(k, []) for k in catalogue.domains}
    idx.by_department = {k: by_department.get(k, []) for k in catalogue.departments}
    idx.by_item = {k: by_item.get(k, []) for k in catalogue.items}
    idx.by_item_department = {k: v for k, v in by_item_department.items() if k[0] in catalogue.items}
    idx.by_tag = dict(by_tag)
    idx.by_year = dict(by_year)
    idx.interpretations = dict(interpretations)
    idx.pinned = frozenset(pinned)
    for r in replacing:
        if r.replaces in idx.by_index_no:
            idx.replaced_by.setdefault(r.replaces, []).append(r)
    by_project = defaultdict(list)  # 重大建设项目
    for r in in_projects if catalogue.projects else ():
        by_project[r.project].append(r)
    idx.by_project = {k: by_project.get(k, []) for k in catalogue.projects}
    return idx
