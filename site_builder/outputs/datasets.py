"""The datasets' machine-readable outputs: each dataset as published (masked, withdrawn rows removed) in
CSV and JSON under data/datasets/, the DCAT catalogue data/catalog.jsonld (JSON-LD, DCAT 2 terms a data
portal harvests), and the search documents of the 双公示 decision pages. Plain data in, text out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..plan.datasets import KIND_LABEL, decision_url
from ..plan.urls import Links, absolute, site_root
from ..sources.catalogue import Catalogue
from ..sources.datasets import NUMERIC_TYPES, Dataset, Datasets, formula_like
from .search.document import SearchDoc

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
IANA = "https://www.iana.org/assignments/media-types/"
SEARCH_DOMAIN = "双公示"  # the 所属领域 facet of decision pages in search (its id is its name)
FREQUENCY_IRIS = {  # Dublin Core collection frequency vocabulary
    "monthly": "http://purl.org/cld/freq/monthly", "quarterly": "http://purl.org/cld/freq/quarterly",
    "yearly": "http://purl.org/cld/freq/annual", "on-change": "http://purl.org/cld/freq/irregular",
}


def csv_cell(value: str, column_type: str) -> str:
    """A cell as written to the CSV download: a text cell Excel/WPS would run as a formula (=, +, -, @,
    TAB or CR first) gets a leading ' (OWASP “CSV Injection”), so it opens as the text it is. Numbers,
    amounts and dates (checked on reading) and plain numbers in text columns stay as they are; the
    pages and the JSON download keep the exact text."""
    if column_type in NUMERIC_TYPES or not formula_like(value):
        return value
    return "'" + value


def dataset_csv(ds: Dataset) -> str:
    """The published rows as CSV (UTF-8 with a byte order mark, so Excel opens it right)."""
    names = [c.name for c in ds.columns]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(n, "text") for n in names])
    for row in ds.rows:
        w.writerow([csv_cell(row.get(c.name, ""), c.type) for c in ds.columns])
    return "\ufeff" + buf.getvalue()


def dataset_json(ds: Dataset, cat: Catalogue) -> dict:
    i = ds.info
    return {
        "id": i.id, "name": i.name, "publisher": cat.departments[i.department].name, "kind": i.kind,
        "frequency": i.frequency, "licence": i.licence, "description": i.description,
        "modified": i.last_update.isoformat() if i.last_update else None, "count": len(ds.rows),
        "columns": [{"name": c.name, "type": c.type} for c in ds.columns],
        "rows": ds.rows,
    }


def _date(d) -> dict | None:
    return {"@value": d.isoformat(), "@type": "xsd:date"} if d else None


def dcat_catalog(data: Datasets, cat: Catalogue, links: Links, site_url: str, site_name: str) -> dict:
    base = site_root(site_url)
    entries = []
    for ds in data.items:
        i = ds.info
        dep = cat.departments[i.department]
        entry = {
            "@id": absolute(base, links.dataset(i.id)), "@type": "dcat:Dataset", "dct:identifier": i.id,
            "dct:title": i.name, "dct:description": i.description or i.name,
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": dep.name},
            "dct:issued": _date(i.first_date), "dct:modified": _date(i.last_update),
            "dct:accrualPeriodicity": {"@id": FREQUENCY_IRIS[i.frequency]},
            "dcat:keyword": [KIND_LABEL.get(i.kind, "数据表"), "数据开放"] + (["双公示"] if i.kind in KIND_LABEL else []),
            "dcat:landingPage": {"@id": absolute(base, links.dataset(i.id))},
            "dcat:distribution": [{
                "@type": "dcat:Distribution", "dct:title": f"{i.name}（{ext.upper()}）", "dct:format": ext.upper(),
                "dcat:downloadURL": {"@id": absolute(base, links.dataset_download(i.id, ext))},
                "dcat:accessURL": {"@id": absolute(base, links.dataset_download(i.id, ext))},
                "dcat:mediaType": {"@id": IANA + MEDIA_TYPES[ext]},
            } for ext in ("csv", "json")],
        }
        if i.licence:
            entry["dct:license"] = {"@type": "dct:LicenseDocument", "dct:title": i.licence}
        entries.append({k: v for k, v in entry.items() if v is not None})
    return {
        "@context": DCAT_CONTEXT, "@id": absolute(base, Links.DCAT_CATALOG), "@type": "dcat:Catalog",
        "dct:title": f"{site_name}数据开放目录", "dcat:landingPage": {"@id": absolute(base, links.opendata())},
        "dcat:dataset": entries,
    }


def write_datasets(site: Path, data: Datasets | None, cat: Catalogue, links: Links, site_url: str,
                   site_name: str) -> None:
    """data/datasets/<id>.csv|json and data/catalog.jsonld (nothing when there are no datasets)."""
    if not data or not data.items:
        return
    folder = site / "data" / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    for ds in data.items:
        (site / links.dataset_download(ds.info.id, "csv")).write_text(dataset_csv(ds), encoding="utf-8", newline="")
        (site / links.dataset_download(ds.info.id, "json")).write_text(
            json.dumps(dataset_json(ds, cat), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (site / Links.DCAT_CATALOG).write_text(
        json.dumps(dcat_catalog(data, cat, links, site_url, site_name), ensure_ascii=False, indent=1), encoding="utf-8")


def search_docs(data: Datasets | None, cat: Catalogue, links: Links) -> list[SearchDoc]:
    """A search document per decision page, oldest first (found by 相对人名称, masked, and 文书号)."""
    if not data:
        return []
    out = []
    for kind in KIND_LABEL:
        for d in reversed(data.decisions(kind)):
            dep = cat.departments[d.department]
            summary = d.cell("许可内容") if kind == "licensing" else f"{d.cell('违法行为类型')}：{d.cell('处罚内容')}"
            out.append(SearchDoc(
                title=d.title, url=decision_url(links, d), date=d.date.isoformat(), year=d.date.year,
                # search's facets expect a domain: decisions get their own, named as it is shown
                department=d.department, department_name=dep.name, domains=(SEARCH_DOMAIN,), doc_no=d.doc_no,
                tags=("双公示", KIND_LABEL[kind]), summary=summary,
                body="\n\n".join(f"{name}：{value}" for name, value in d.cells if value)))
    return out
