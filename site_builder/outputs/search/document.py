"""One record as search sees it (`SearchDoc`, plain data), made from the plan's index.

Apart from build.py because the build's main process makes documents (the 双公示 decisions,
outputs/datasets.py) and starts the index's process (writer.py), while only that process needs
numpy: importing it took ~65 ms of every build's main process."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...sources.records import body_text, body_utf8
from ...sources.recordheader import search_text
from ...plan.projects import project_name, search_terms  # a record is found by its project's name


@dataclass(slots=True)
class SearchDoc:
    """One record as search sees it (plain data)."""
    title: str
    url: str
    date: str  # YYYY-MM-DD
    year: int
    department: str  # id
    department_name: str
    domains: tuple[str, ...]
    index_no: str = ""
    doc_no: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    validity: str = ""
    project: str = ""  # 重大建设项目's name (the 项目 facet), "" for none
    consultation: str = ""  # 意见征集: the status key on the build day (plan/consultations.py), "" if none
    gazette: str = ""  # 公报期号, the issue id (2025-03): a facet
    subject: str = ""  # 主题分类, its 一级 (财政、金融、审计): a facet
    doc_type: str = ""  # 政策文件库's 文件类型 (规章 | 行政规范性文件 | 其他政策文件): a facet
    # SHA-256 (hex) of the body's UTF-8 when known (Record.body_digest), else "": set after the doc is
    # made, so that dataclasses.replace(doc, body=…) gives a doc without it, never a stale one
    body_digest: str = field(default="", init=False, repr=False, compare=False)
    body: object = ""  # Markdown, or as Record.stored_body gives it (read it by markdown()); its plain text is computed in the workers

    # The extraction workers get their docs pickled (see full_build). Pickling a str makes CPython keep
    # its UTF-8 form inside the string for good, and the body is the record's own string: the parent
    # would hold a second copy of every body (~1 GB at 100,000 records). It travels as bytes instead.
    def __getstate__(self):
        return tuple(getattr(self, f) for f in DOC_FIELDS[:-1]) + (bytes(body_utf8(self.body)),)

    def __setstate__(self, state):
        for name, value in zip(DOC_FIELDS, state):
            object.__setattr__(self, name, value)
        self.body = self.markdown()

    def markdown(self) -> str:
        """The body's text (`body` may be as Record.stored_body gives it: its UTF-8, or where it is kept)."""
        return body_text(self.body)

    def field_texts(self, body_text: str) -> tuple[str, str, str]:
        """(title + tags, metadata, body) — the three levels a match is ranked by."""
        return (
            "\n".join((self.title, *self.tags)),
            "\n".join((self.summary, self.index_no, self.doc_no, self.department_name)),
            body_text,
        )


DOC_FIELDS = tuple(SearchDoc.__dataclass_fields__)  # body last
assert DOC_FIELDS[-1] == "body"


def docs_from_index(idx) -> list[SearchDoc]:
    """SearchDocs for every record of a site_builder.index.Index, oldest first (ids follow this order:
    the reverse of the index's newest-first order, so ties keep their order, reversed)."""
    return [search_doc(idx, r) for r in reversed(idx.records)]


def search_doc(idx, r) -> SearchDoc:
    """Record `r` of the Index `idx` as search sees it."""
    cat = idx.catalogue
    views = idx.consultations  # 意见征集 statuses on the build day
    dep = cat.departments.get(r.department)
    doc = SearchDoc(
        title=r.title, url=r.url, date=r.date_text, year=r.date.year, department=r.department,
        department_name=dep.name if dep else r.department, domains=tuple(r.domains),
        index_no=r.index_no, doc_no=r.doc_no, tags=tuple(r.tags) + search_terms(cat, r),
        # the gazette issue, 主题分类 and 服务对象 are found by their text (“2025年第3期”)
        summary="\n".join(filter(None, (r.summary, search_text(r)))),
        validity=r.validity, gazette=r.gazette, subject=r.subject.split("\\", 1)[0],
        body=r.stored_body(),  # a body from the parse cache is decoded only if it is indexed again
        project=project_name(cat, r), doc_type=r.doc_type,
        consultation=views[r.index_no].status if r.index_no in views else "",
    )
    doc.body_digest = r.body_digest()
    return doc
