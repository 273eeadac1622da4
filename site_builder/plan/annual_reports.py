"""政府信息公开工作年度报告: the pages (an index by year and organ, one page per report), the three tables
of the national template as rows of cells (the template only prints them), the 公开情况 flag for a
missing report, and the numbers for data/annual-reports.json. Pure, no MkDocs.

Tables are built here so their structure (rows, spans, header ids) is plain data a test can read: every
data cell names its header cells by id (`headers`), the accessible form of a table whose headers span
rows and columns (WCAG technique H43).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..sources.annual_reports import (
    APPLICANTS, CARRIED_FORWARD_LABEL, CARRIED_OVER_LABEL, GOV, LEGAL_PERSONS, OUTCOMES, PROACTIVE_COUNT_KEYS,
    PROACTIVE_COUNTS, PROACTIVE_DECISIONS, PROACTIVE_FEES, RECEIVED_LABEL, RESULTS_LABEL, RESULTS_TOTAL_LABEL,
    REVIEW_KEYS, REVIEW_ROWS, TOTAL, AnnualReport, organ_label, results_total, with_total,
)
from .pages import PageSpec, paginate, pagination_context
from .urls import Links

TITLE = "政府信息公开工作年度报告"
NAV_TITLE = "年度报告"
TEMPLATE = "disclosure/annual-report.html"
INDEX_TEMPLATE = "disclosure/annual-reports.html"
DUE_MONTH, DUE_DAY = 1, 31  # 条例第五十条: by 31 January for the previous year
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Cell:
    text: str
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    scope: str = ""  # col | colgroup | row | rowgroup (th only)
    id: str = ""
    headers: tuple[str, ...] = ()  # ids of the th cells that label this one (td)
    num: bool = False
    key: str = ""  # dotted path of the value in data/annual-reports.json (td), e.g. requests.refused.third_party.1


@dataclass
class Table:
    caption: str
    head: list[list[Cell]] = field(default_factory=list)
    bodies: list[list[list[Cell]]] = field(default_factory=list)  # tbody → rows → cells
    wide: bool = False


def th(text, ident="", scope="", colspan=1, rowspan=1, headers=()) -> Cell:
    return Cell(str(text), True, colspan, rowspan, scope, ident, tuple(headers))


def td(value, headers, key="", colspan=1) -> Cell:
    return Cell(number_text(value), False, colspan, 1, "", "", tuple(headers), True, key)


def number_text(value) -> str:
    """A number as the report prints it: integers as they are, amounts (万元) without trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def table_two(rep: AnnualReport) -> Table:
    """二、主动公开政府信息情况: four blocks as in the template, 第二十条第（一）（五）（六）（八）项."""
    p = rep.proactive
    t = Table("二、主动公开政府信息情况")
    # 第二十条第（一）项: 规章, 行政规范性文件 × 本年制发 / 本年废止 / 现行有效
    body = [[th("第二十条第（一）项", "t2-a", "colgroup", colspan=4)],
            [th("信息内容", "t2-a-c0", "col", headers=("t2-a",))]
            + [th(label, f"t2-a-{k}", "col", headers=("t2-a",)) for k, label in PROACTIVE_COUNT_KEYS]]
    for key, label in PROACTIVE_COUNTS:
        row = [th(label, f"t2-{key}", "row", headers=("t2-a-c0",))]
        row += [td(p[key][k], ("t2-a", f"t2-{key}", f"t2-a-{k}"), f"proactive.{key}.{k}")
                for k, _ in PROACTIVE_COUNT_KEYS]
        body.append(row)
    t.bodies.append(body)
    blocks = (("b", "第二十条第（五）项", PROACTIVE_DECISIONS[:1], "本年处理决定数量"),
              ("c", "第二十条第（六）项", PROACTIVE_DECISIONS[1:], "本年处理决定数量"),
              ("d", "第二十条第（八）项", (PROACTIVE_FEES,), "本年收费金额（单位：万元）"))
    for ident, heading, rows, column in blocks:
        g = f"t2-{ident}"
        body = [[th(heading, g, "colgroup", colspan=4)],
                [th("信息内容", f"{g}-c0", "col", headers=(g,)), th(column, f"{g}-c1", "col", colspan=3, headers=(g,))]]
        for key, label in rows:
            body.append([th(label, f"t2-{key}", "row", headers=(f"{g}-c0",)),
                         td(p[key], (g, f"t2-{key}", f"{g}-c1"), f"proactive.{key}", colspan=3)])
        t.bodies.append(body)
    return t


def table_three(rep: AnnualReport) -> Table:
    """三、收到和处理政府信息公开申请情况: 3 label columns + 自然人, 法人或其他组织 (5), 总计; every row of the
    template; the 总计 column and the （七）总计 row computed."""
    q = rep.requests
    t = Table("三、收到和处理政府信息公开申请情况", wide=True)
    cols = [f"t3-col{i}" for i in range(len(APPLICANTS) + 1)]
    col_headers = [("t3-app", cols[0])] + [("t3-app", "t3-legal", c) for c in cols[1:6]] + [("t3-app", cols[6])]
    t.head = [
        [Cell(CORNER, colspan=3, rowspan=3, id="t3-corner"), th("申请人情况", "t3-app", "colgroup", colspan=7)],
        [th(APPLICANTS[0], cols[0], "col", rowspan=2, headers=("t3-app",)),
         th("法人或其他组织", "t3-legal", "colgroup", colspan=5, headers=("t3-app",)),
         th(TOTAL, cols[6], "col", rowspan=2, headers=("t3-app",))],
        [th(name, cols[i + 1], "col", headers=("t3-app", "t3-legal")) for i, name in enumerate(LEGAL_PERSONS)],
    ]

    def values(row_headers, numbers, key):
        return [td(v, (*row_headers, *col_headers[i]), f"{key}.{i}") for i, v in enumerate(with_total(numbers))]

    rows = [[th(RECEIVED_LABEL, "t3-received", "row", colspan=3), *values(("t3-received",), q["received"], "requests.received")],
            [th(CARRIED_OVER_LABEL, "t3-carried_over", "row", colspan=3),
             *values(("t3-carried_over",), q["carried_over"], "requests.carried_over")]]
    span = sum(1 if subs is None else len(subs) for _, _, subs in OUTCOMES) + 1
    first = True
    for key, label, subs in OUTCOMES:
        lead = [th(RESULTS_LABEL, "t3-results", "rowgroup", rowspan=span)] if first else []
        first = False
        if subs is None:
            rows.append([*lead, th(label, f"t3-{key}", "row", colspan=2, headers=("t3-results",)),
                         *values(("t3-results", f"t3-{key}"), q[key], f"requests.{key}")])
            continue
        for n, (sub, sub_label) in enumerate(subs):
            group = [th(label, f"t3-{key}", "rowgroup", rowspan=len(subs), headers=("t3-results",))] if n == 0 else []
            rows.append([*lead, *group, th(sub_label, f"t3-{key}-{sub}", "row", headers=("t3-results", f"t3-{key}")),
                         *values(("t3-results", f"t3-{key}", f"t3-{key}-{sub}"), q[key][sub], f"requests.{key}.{sub}")])
            lead = []
    rows.append([th(RESULTS_TOTAL_LABEL, "t3-results_total", "row", colspan=2, headers=("t3-results",)),
                 *values(("t3-results", "t3-results_total"), results_total(q), "requests.results_total")])
    rows.append([th(CARRIED_FORWARD_LABEL, "t3-carried_forward", "row", colspan=3),
                 *values(("t3-carried_forward",), q["carried_forward"], "requests.carried_forward")])
    t.bodies.append(rows)
    return t


def table_four(rep: AnnualReport) -> Table:
    """四、政府信息公开行政复议、行政诉讼情况: 15 cells; each 总计 computed."""
    t = Table("四、政府信息公开行政复议、行政诉讼情况", wide=True)
    keys = [*REVIEW_KEYS, ("total", TOTAL)]
    review, direct, after = (k for k, _ in REVIEW_ROWS)
    t.head = [
        [th("行政复议", "t4-review", "colgroup", colspan=5), th("行政诉讼", "t4-litigation", "colgroup", colspan=10)],
        [*(th(label, f"t4-review-{k}", "col", rowspan=2, headers=("t4-review",)) for k, label in keys),
         th("未经复议直接起诉", f"t4-{direct}", "colgroup", colspan=5, headers=("t4-litigation",)),
         th("复议后起诉", f"t4-{after}", "colgroup", colspan=5, headers=("t4-litigation",))],
        [th(label, f"t4-{row}-{k}", "col", headers=("t4-litigation", f"t4-{row}"))
         for row in (direct, after) for k, label in keys],
    ]
    cells = []
    for row, _label in REVIEW_ROWS:
        group = ("t4-review",) if row == review else ("t4-litigation", f"t4-{row}")
        numbers = {**rep.reviews[row], "total": rep.review_total(row)}
        cells += [td(numbers[k], (*group, f"t4-{row}-{k}"), f"reviews.{row}.{k}") for k, _ in keys]
    t.bodies.append([cells])
    return t


def report_json(rep: AnnualReport, links: Links) -> dict:
    """One report's numbers for data/annual-reports.json: the six applicant columns plus 总计 in each
    list of 三, and every 总计 computed (docs/annual-reports.md)."""
    q = rep.requests
    requests = {"columns": [*APPLICANTS, TOTAL]}
    for key in ("received", "carried_over"):
        requests[key] = with_total(q[key])
    for key, _label, subs in OUTCOMES:
        requests[key] = with_total(q[key]) if subs is None else {s: with_total(q[key][s]) for s, _ in subs}
    requests["results_total"] = with_total(results_total(q))
    requests["carried_forward"] = with_total(q["carried_forward"])
    p = rep.proactive
    return {
        "year": rep.year, "organ": rep.organ, "organ_name": rep.organ_name, "title": rep.title,
        "date": rep.date.isoformat(), "url": links.annual_report(rep.year, rep.organ),
        "proactive": {**{k: dict(p[k]) for k, _ in PROACTIVE_COUNTS},
                      **{k: p[k] for k, _ in PROACTIVE_DECISIONS},
                      PROACTIVE_FEES[0]: float(p[PROACTIVE_FEES[0]])},
        "requests": requests,
        "reviews": {row: {**rep.reviews[row], "total": rep.review_total(row)} for row, _ in REVIEW_ROWS},
    }


def missing_reports(reports: list[AnnualReport], departments: dict, ref: dt.date) -> list[dict]:
    """公开情况: after 31 January, the organs whose report for the previous year is not published (dated on
    or before `ref`). Organs checked: gov, and every department with a report on file for any year (a
    department that never publishes its report on this site is not assumed to: docs/annual-reports.md)."""
    if (ref.month, ref.day) <= (DUE_MONTH, DUE_DAY):
        return []
    year = ref.year - 1
    organs = [GOV] + [d for d in departments if any(r.organ == d for r in reports)]
    published = {r.organ for r in reports if r.year == year and r.date <= ref}
    return [{"organ": o, "name": organ_label(o, departments), "year": year,
             "due": dt.date(ref.year, DUE_MONTH, DUE_DAY).isoformat()}
            for o in organs if o not in published]


def page_specs(reports: list[AnnualReport], links: Links, page_size: int) -> list[PageSpec]:
    """The index (by year, then gov and the departments in catalogue order; paginated) and one page per report."""
    specs = []
    chunks = paginate(reports, page_size)
    for n, chunk in enumerate(chunks, start=1):
        years: list[tuple[int, list]] = []
        for rep in chunk:
            if not years or years[-1][0] != rep.year:
                years.append((rep.year, []))
            years[-1][1].append((rep, links.annual_report(rep.year, rep.organ)))
        title = TITLE if n == 1 else f"{TITLE}（第 {n} 页）"
        specs.append(PageSpec(Links.annual_reports_src(n), title, INDEX_TEMPLATE, "annual-reports", context={
            "years": years, "total": len(reports),
            "pagination": pagination_context(links.annual_reports, n, len(chunks), len(reports)),
        }, in_nav=n == 1))
    for rep in reports:
        specs.append(PageSpec(Links.annual_report_src(rep.year, rep.organ), rep.title, TEMPLATE, "annual-report",
                              key=rep.key, context={
                                  "report": rep, "tables": [table_two(rep), table_three(rep), table_four(rep)],
                                  "index_url": links.annual_reports(),
                              }))
    return specs
