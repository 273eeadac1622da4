"""政策文件库, record by record (docs/policy-library.md): which records are in the library and in what
order, what a document page adds (the document it replaces and the ones replacing it, its Word/PDF
downloads, its department's 政策咨询 contact), and the library's data for the filters in the browser.
Plain data; the library's pages are plan/library.py, the generated files outputs/policyfiles.py."""

from __future__ import annotations

from ..sources.records import DOC_TYPES, VALIDITIES, Record
from .index import Index
from .urls import Links

NORMATIVE = "行政规范性文件"  # every one offers a Word and a PDF version
FORMATS = (("docx", "Word 版"), ("pdf", "PDF 版"))
IN_FORCE = "现行有效"


def in_force(r: Record) -> bool:
    return r.validity in ("", "有效")


def validity_label(r: Record) -> str:
    """有效性 as the library shows it: 现行有效, 失效 or 废止."""
    return IN_FORCE if in_force(r) else r.validity


def library_key(r: Record):
    """现行有效 first, then newest first (ties: by 索引号)."""
    return (not in_force(r), *r.sort_key())


def library(idx: Index) -> list[Record]:
    return sorted(idx.policy_docs, key=library_key)


def downloads(r: Record) -> list[dict]:
    """A 行政规范性文件's Word and PDF versions: the editor's attachment of that kind when there is one,
    otherwise the file generated at build time (outputs/policyfiles.py). Paths are site-root relative."""
    if r.doc_type != NORMATIVE:
        return []
    out = []
    for ext, label in FORMATS:
        given = next((a for a in r.attachments if a.path.lower().endswith("." + ext)), None)
        out.append({"ext": ext, "label": label, "path": given.path if given else Links.policy_file(r.index_no, ext),
                    "generated": given is None, "size": given.size if given else None})
    return out


def generated_files(idx: Index) -> list[tuple[Record, str, str]]:
    """(record, ext, site path) of every Word/PDF version the build has to make."""
    return [(r, d["ext"], d["path"]) for r in library(idx) for d in downloads(r) if d["generated"]]


def record_context(idx: Index, r: Record) -> dict:
    """What a policy document's page shows beyond the ordinary record page ({} for other records)."""
    replaced_by = idx.replaced_by.get(r.index_no, [])
    replaces = idx.by_index_no.get(r.replaces) if r.replaces else None
    if not r.doc_type and not replaced_by and replaces is None:
        return {}
    dep = idx.catalogue.departments.get(r.department)
    return {
        "doc_type": r.doc_type,
        "validity": validity_label(r),
        "replaces": replaces,
        "replaced_by": replaced_by,
        "downloads": downloads(r),
        "contact": dep if r.doc_type and dep is not None and (dep.phone or dep.address) else None,
    }


def facets(records: list[Record], idx: Index) -> dict:
    """The filters' choices, from the documents there are: types, departments, years, validities."""
    deps = idx.catalogue.departments
    present = {r.department for r in records}
    return {
        "types": [t for t in DOC_TYPES if any(r.doc_type == t for r in records)],
        "departments": [(d.id, d.name) for d in deps.values() if d.id in present],
        "years": sorted({r.year for r in records}, reverse=True),
        "validities": [v for v in (IN_FORCE, *VALIDITIES[1:]) if any(validity_label(r) == v for r in records)],
    }


def library_data(idx: Index, fold) -> dict:
    """The library for the filters in the browser (theme/assets/policy.js): every document as a short
    row, with its title and 文号 already folded by the site search's normalisation (`fold`), so the
    browser folds only the query, with the same tables."""
    records = library(idx)
    f = facets(records, idx)
    deps = idx.catalogue.departments
    return {
        "types": f["types"],
        "departments": [{"id": i, "name": n} for i, n in f["departments"]],
        "docs": [{
            "t": r.title, "u": r.url, "n": r.doc_no, "d": r.department,
            "dn": deps[r.department].name if r.department in deps else r.department,
            "k": r.doc_type, "w": r.written.isoformat() if r.written else "", "p": r.date_text, "y": r.year,
            "v": validity_label(r), "f": fold(f"{r.title} {r.doc_no}"),
            "dl": [[d["label"], d["path"]] for d in downloads(r)],
        } for r in records],
    }
