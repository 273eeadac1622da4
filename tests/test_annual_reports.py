"""Issue 16 item 3: 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号).

One real build of the sample (fixed build and report dates) checked against the report files: every cell
of every table of every report, read from the HTML through its `headers` (the header cells a screen
reader announces), the official row labels and spans, the computed totals, data/annual-reports.json,
the index page in the navigation, the old prose page's address; the checks on bad files (file, row,
column, line), the 行政规范性文件 warning, the 公开情况 flag on fixed dates; Chromium screenshots at 390
and 1280 px, axe, and a print to PDF on A4 whose text (pypdf) carries the tables' labels.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from pathlib import Path

import lxml.html
import pypdf
import pytest
import yaml

from site_builder.commands.cli import main
from site_builder.plan import report
from site_builder.plan.index import build_index
from site_builder.sources import annual_reports as annual_sources
from site_builder.sources.validate import load_project

from conftest import copy_project
from test_a11y import axe_violations

REPORTS = ("2025-gov", "2025-hrss", "2025-civil-affairs")  # gov, then catalogue order
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# 表三's rows as the national template labels them, with the data file's key (None: computed)
TABLE3_ROWS = [
    ("一、本年新收政府信息公开申请数量", "received"),
    ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("（一）予以公开", "granted"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_granted"),
    ("1.属于国家秘密", "refused.state_secret"),
    ("2.其他法律行政法规禁止公开", "refused.law_forbidden"),
    ("3.危及“三安全一稳定”", "refused.three_safety"),
    ("4.保护第三方合法权益", "refused.third_party"),
    ("5.属于三类内部事务信息", "refused.internal_affairs"),
    ("6.属于四类过程性信息", "refused.process_info"),
    ("7.属于行政执法案卷", "refused.enforcement_files"),
    ("8.属于行政查询事项", "refused.query_matters"),
    ("1.本机关不掌握相关政府信息", "unable.not_held"),
    ("2.没有现成信息需要另行制作", "unable.needs_creation"),
    ("3.补正后申请内容仍不明确", "unable.unclear"),
    ("1.信访举报投诉类申请", "not_processed.petition"),
    ("2.重复申请", "not_processed.duplicate"),
    ("3.要求提供公开出版物", "not_processed.publication"),
    ("4.无正当理由大量反复申请", "not_processed.excessive"),
    ("5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation"),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.no_fee"),
    ("3.其他", "other.other"),
    ("（七）总计", None),
    ("四、结转下年度继续办理", "carried_forward"),
]
GROUPS = {"refused": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
TABLE2 = {("规章", "本年制发件数"): "regulations.issued", ("规章", "本年废止件数"): "regulations.repealed",
          ("规章", "现行有效件数"): "regulations.in_force",
          ("行政规范性文件", "本年制发件数"): "normative_documents.issued",
          ("行政规范性文件", "本年废止件数"): "normative_documents.repealed",
          ("行政规范性文件", "现行有效件数"): "normative_documents.in_force",
          ("行政许可", "本年处理决定数量"): "licensing", ("行政处罚", "本年处理决定数量"): "penalties",
          ("行政强制", "本年处理决定数量"): "enforcement", ("行政事业性收费", "本年收费金额（单位：万元）"): "fees"}
TABLE2_SECTIONS = {"regulations": "第二十条第（一）项", "normative_documents": "第二十条第（一）项",
                   "licensing": "第二十条第（五）项", "penalties": "第二十条第（六）项",
                   "enforcement": "第二十条第（六）项", "fees": "第二十条第（八）项"}
REVIEW_COLUMNS = {"结果维持": "upheld", "结果纠正": "corrected", "其他结果": "other", "尚未审结": "pending", "总计": None}
REVIEW_GROUPS = {("行政复议",): "review", ("行政诉讼", "未经复议直接起诉"): "litigation_direct",
                 ("行政诉讼", "复议后起诉"): "litigation_after_review"}


def dig(data: dict, dotted: str):
    for part in dotted.split("."):
        data = data[part]
    return data


def number(text: str) -> float:
    return float(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("annual") / "project")
    site = project / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site), "--strict",
                 "--build-date", "2026-11-30", "--report-date", "2027-02-01"]) == 0
    return site


def source(name: str) -> dict:
    from conftest import ROOT

    return yaml.safe_load((ROOT / "content/annual-reports" / f"{name}.yml").read_text(encoding="utf-8"))


def cells(doc, table_id: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(texts of the header cells named by `headers`, the cell's text, data-key) for every td of a table."""
    table = doc.get_element_by_id(table_id)
    out = []
    for td in table.iter("td"):
        if "headers" not in td.attrib:
            continue
        labels = tuple(doc.get_element_by_id(i).text_content().strip() for i in td.get("headers").split())
        out.append((labels, td.text_content().strip(), td.get("data-key")))
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_every_cell_of_every_table_matches_the_data_file(built, name):
    data = source(name)
    doc = lxml.html.fromstring((built / f"annual-reports/{name}.html").read_bytes())
    p, q, v = data["proactive"], data["requests"], data["reviews"]

    # 二: four blocks, each cell under its 第二十条 section, its row and its column
    two = cells(doc, "table-2")
    assert len(two) == 10
    seen = set()
    for labels, text, _ in two:
        row, column = labels[1], labels[2]
        key = TABLE2[(row, column)]
        assert labels[0] == TABLE2_SECTIONS[key.split(".")[0]]
        assert number(text) == float(dig(p, key)), (name, row, column)
        seen.add(key)
    assert seen == set(TABLE2.values())

    # 三: 25 rows × 7 columns; 总计 column and （七）总计 row computed
    three = cells(doc, "table-3")
    assert len(three) == 25 * 7
    results = [sum(dig(q, k)[i] for _, k in TABLE3_ROWS[2:23]) for i in range(6)]
    checked = 0
    for labels, text, _ in three:
        column = labels[-1]
        assert labels[-2 if column == "总计" or column == "自然人" else -3] == "申请人情况"
        if column not in ("总计", "自然人"):
            assert labels[-2] == "法人或其他组织"
        row_label = next(lab for lab in labels if lab in dict(TABLE3_ROWS))
        key = dict(TABLE3_ROWS)[row_label]
        row = results if key is None else dig(q, key)
        if key and "." in key:  # a numbered row sits under its group and under 三、本年度办理结果
            assert labels[:3] == ("三、本年度办理结果", GROUPS[key.split(".")[0]], row_label)
        elif key not in ("received", "carried_over", "carried_forward"):
            assert labels[0] == "三、本年度办理结果"
        expected = sum(row) if column == "总计" else row[APPLICANTS.index(column)]
        assert int(text) == expected, (name, row_label, column)
        checked += 1
    assert checked == 175
    # the rule the template states: 一 + 二 = 三（七）总计 + 四, per column
    for i in range(6):
        assert q["received"][i] + q["carried_over"][i] == results[i] + q["carried_forward"][i]

    # 四: 15 cells
    four = cells(doc, "table-4")
    assert len(four) == 15
    for labels, text, _ in four:
        group = REVIEW_GROUPS[labels[:-1]]
        key = REVIEW_COLUMNS[labels[-1]]
        expected = sum(v[group].values()) if key is None else v[group][key]
        assert int(text) == expected, (name, labels)


def test_tables_have_the_templates_rows_spans_and_labels(built):
    doc = lxml.html.fromstring((built / "annual-reports/2025-gov.html").read_bytes())
    t3 = doc.get_element_by_id("table-3")
    row_labels = [th.text_content().strip() for th in t3.xpath(".//tbody//th[@scope='row']")]
    assert row_labels == [label for label, _ in TABLE3_ROWS]
    assert [th.text_content() for th in t3.xpath(".//tbody//th[@scope='rowgroup']")] == [
        "三、本年度办理结果", *GROUPS.values()]
    assert t3.xpath(".//th[@id='t3-results']/@rowspan") == ["22"]
    assert [t3.xpath(f".//th[@id='t3-{k}']/@rowspan")[0] for k in GROUPS] == ["8", "3", "5", "3"]
    head = [[(c.text_content().strip(), c.get("colspan", "1"), c.get("rowspan", "1")) for c in tr]
            for tr in t3.xpath("./thead/tr")]
    assert head[0][1] == ("申请人情况", "7", "1") and head[0][0][1:] == ("3", "3")
    assert head[1] == [("自然人", "1", "2"), ("法人或其他组织", "5", "1"), ("总计", "1", "2")]
    assert [c[0] for c in head[2]] == APPLICANTS[1:]
    t4 = doc.get_element_by_id("table-4")
    head = [[(c.text_content(), c.get("colspan", "1"), c.get("rowspan", "1")) for c in tr] for tr in t4.xpath("./thead/tr")]
    assert head[0] == [("行政复议", "5", "1"), ("行政诉讼", "10", "1")]
    assert head[1][-2:] == [("未经复议直接起诉", "5", "1"), ("复议后起诉", "5", "1")]
    assert [c[0] for c in head[2]] == list(REVIEW_COLUMNS) * 2
    t2 = doc.get_element_by_id("table-2")
    assert [tb.xpath("./tr[1]/th")[0].text_content() for tb in t2.xpath("./tbody")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert [th.text_content() for th in t2.xpath(".//tbody/tr[2]/th")][:4] == [
        "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    # the six sections in order, the Markdown rendered (lists, emphasis) and sanitized
    html = (built / "annual-reports/2025-gov.html").read_text(encoding="utf-8")
    assert [h.text_content() for h in doc.xpath("//article//h2")][-6:] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert "<strong>主动公开。</strong>" in html and "<li>" in html
    assert "2318.6" in html and ' style="' not in html.split('<article class="dx-annual">')[1].split("</article>")[0]


def test_index_nav_old_address_data_and_no_raw_files(built):
    index = (built / "annual-reports/index.html").read_text(encoding="utf-8")
    for name in REPORTS:
        assert f'href="{name}.html"' in index
    assert index.index("云溪县人民政府2025年") < index.index("云溪县人力资源和社会保障局2025年") < index.index("云溪县民政局2025年")
    home = lxml.html.fromstring((built / "index.html").read_bytes())
    assert "年度报告" in [a.text_content().strip() for a in home.xpath("//nav//a[@href='annual-reports/index.html']")]
    old = (built / "annual-report-2025.html").read_text(encoding="utf-8")
    assert 'href="annual-reports/2025-gov.html"' in old
    assert not list((built / "annual-reports").glob("*.yml"))  # the files are read, not published as they are
    data = json.loads((built / "data/annual-reports.json").read_text(encoding="utf-8"))
    assert [f"{d['year']}-{d['organ']}" for d in data] == list(REPORTS)
    for entry, name in zip(data, REPORTS):
        src = source(name)
        q = entry["requests"]
        assert q["columns"] == [*APPLICANTS, "总计"]
        assert q["received"] == [*src["requests"]["received"], sum(src["requests"]["received"])]
        assert q["refused"]["third_party"][:6] == src["requests"]["refused"]["third_party"]
        assert q["results_total"][6] == sum(q["results_total"][:6])
        assert [a + b for a, b in zip(q["received"], q["carried_over"])] == [
            a + b for a, b in zip(q["results_total"], q["carried_forward"])]
        assert entry["proactive"]["fees"] == float(src["proactive"]["fees"])
        assert entry["reviews"]["review"]["total"] == sum(src["reviews"]["review"].values())
        assert entry["url"] == f"annual-reports/{name}.html" and (built / entry["url"]).is_file()
    assert data[0]["title"] == "云溪县人民政府2025年政府信息公开工作年度报告"


def test_report_page_flags_reports_missing_after_january(built):
    # built with --report-date 2027-02-01: the 2026 reports of gov and the two departments are due
    html = (built / "report.html").read_text(encoding="utf-8")
    assert "逾期未发布 2026 年度" in html
    for name in ("云溪县人民政府 2026年度报告", "云溪县民政局 2026年度报告", "云溪县人力资源和社会保障局 2026年度报告"):
        assert name in html


def test_missing_flag_on_fixed_dates(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "content/annual-reports/2025-hrss.yml").unlink()
    gov = project / "content/annual-reports/2025-gov.yml"
    gov.write_text(gov.read_text(encoding="utf-8").replace("date: 2026-01-23", "date: 2026-02-03"), encoding="utf-8")
    p = load_project(project / "content", project / "catalogue", root=project, build_day=dt.date(2026, 11, 30))
    assert not p.problems.errors
    idx = build_index(p.catalogue, p.records)

    def missing(day):
        return [(m["organ"], m["year"]) for m in report.build_report(idx, day, annual=p.annual_reports).annual_missing]

    assert missing(dt.date(2026, 1, 31)) == []  # due by 31 January: not late yet
    # 1 February: gov's report is dated 3 February (not yet published); hrss has no 2025 report but had
    # none on file at all, so only the organs with a report anywhere are held to it (docs/annual-reports.md)
    assert missing(dt.date(2026, 2, 1)) == [("gov", 2025)]
    assert missing(dt.date(2026, 2, 3)) == []
    # a report dated after the build day is checked but not published until its day (定时发布)
    early = load_project(project / "content", project / "catalogue", root=project, build_day=dt.date(2026, 2, 2))
    assert [r.key for r in early.annual_reports] == ["2025-civil-affairs"] and not early.problems.errors
    assert missing(dt.date(2027, 2, 1)) == [("gov", 2026), ("civil-affairs", 2026)]
    rep = report.build_report(idx, dt.date(2026, 2, 1), annual=p.annual_reports)
    assert rep.as_dict()["annual_reports_missing"] == [
        {"organ": "gov", "name": "云溪县人民政府", "year": 2025, "due": "2026-01-31"}]
    assert "云溪县人民政府（gov）2025年度报告" in report.format_text(rep, p.catalogue)


def test_bad_files_are_named_with_row_column_and_line(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    folder = project / "content/annual-reports"
    hrss = folder / "2025-hrss.yml"
    text = hrss.read_text(encoding="utf-8")
    # 三（三）4 for 自然人 one too many: the 自然人 column no longer balances
    hrss.write_text(text.replace("third_party: [2, 0, 0, 0, 0, 0]", "third_party: [3, 0, 0, 0, 0, 0]"), encoding="utf-8")
    civil = folder / "2025-civil-affairs.yml"
    text = civil.read_text(encoding="utf-8")
    text = (text.replace("    unclear: [0, 0, 0, 0, 0, 0]\n", "")
                .replace("duplicate: [0, 0, 0, 0, 0, 0]", "duplicate: [0, 0, 0]")
                .replace("  carried_forward:", "  forwarded: [0, 0, 0, 0, 0, 0]\n  carried_forward:")
                .replace("licensing: 38", "licensing: -3"))
    civil.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    gov_text = (folder / "2025-gov.yml").read_text(encoding="utf-8")
    (folder / "2025-nobody.yml").write_text(gov_text.replace("organ: gov", "organ: nobody"), encoding="utf-8")
    (folder / "2024-gov.yml").write_text(gov_text, encoding="utf-8")
    # markup that is not published, and a personal number, in a section's text
    gov_bad = gov_text.replace("  2025年，县人民政府深入贯彻落实", "  <script>alert(1)</script>联系人手机13912345678。2025年，县人民政府深入贯彻落实")
    (folder / "2023-gov.yml").write_text(gov_bad.replace("year: 2025", "year: 2023").replace("date: 2026-01-23", "date: 2024-01-23"),
                                        encoding="utf-8")
    # 行政规范性文件 本年制发 not what the site holds: a warning
    (folder / "2025-gov.yml").write_text(gov_text.replace("normative_documents: {issued: 2,", "normative_documents: {issued: 5,"),
                                        encoding="utf-8")

    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) != 0
    out = json.loads(capsys.readouterr().out)
    found = {(p["file"], p["line"]): p for p in out["errors"] + out["warnings"]}

    def one(file, fragment):
        hits = [p for (f, _), p in found.items() if f == f"content/annual-reports/{file}" and fragment in p["message"]]
        assert hits, (file, fragment, [p["message"] for (f, _), p in found.items() if file in f])
        return hits[0]

    bad = one("2025-hrss.yml", "表三“自然人”列数据不平衡")
    assert "一、本年新收政府信息公开申请数量（21）" in bad["message"] and "（七）总计（22）" in bad["message"]
    assert bad["level"] == "error" and bad["line"] and "第 1 个数" in bad["hint"]
    assert not [p for (f, _), p in found.items() if f.endswith("2025-hrss.yml") and "商业企业" in p["message"]]

    def line_of(fragment):
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    assert one("2025-civil-affairs.yml", "缺少 requests.unable.unclear")["line"] == line_of("  unable:")
    assert one("2025-civil-affairs.yml", "requests.not_processed.duplicate（（五）不予处理2.重复申请）应是 6 个数的列表")[
        "line"] == line_of("duplicate:")
    assert one("2025-civil-affairs.yml", "requests 中有无法识别的项“forwarded”")["line"] == line_of("forwarded:")
    assert one("2025-civil-affairs.yml", "proactive.licensing（行政许可 本年处理决定数量）应是不小于 0 的整数")[
        "line"] == line_of("licensing:")
    assert one("2025-nobody.yml", "报告机关“nobody”不存在")["line"] == 3
    assert one("2024-gov.yml", "year 是 2025，但文件名 2024-gov.yml 写的是 2024")["line"] == 2
    at = gov_bad.splitlines().index(next(line for line in gov_bad.splitlines() if "<script>" in line)) + 1
    assert one("2023-gov.yml", "疑似手机号码“139****5678”")["line"] == at
    assert one("2023-gov.yml", "overview（一、总体情况）中的")["level"] == "warning"
    warn = one("2025-gov.yml", "表二“行政规范性文件”行“本年制发件数”列写的是 5 件")
    assert warn["level"] == "warning" and "有 2 件" in warn["message"]
    assert warn["line"] == gov_text.splitlines().index("  normative_documents: {issued: 2, repealed: 4, in_force: 47}") + 1


def test_normative_count_follows_the_records(tmp_path):
    """The warning compares with the organ's records of doc_type 行政规范性文件 made that year; a record the
    report counts but the site lacks is named, and publishing it clears the warning."""
    project = copy_project(tmp_path / "p")
    p = load_project(project / "content", project / "catalogue", root=project, build_day=dt.date(2026, 11, 30))
    assert not [w for w in p.problems.warnings if "annual-reports" in w.file]
    rec = project / "content/records/civil-affairs/2025-dibao-implementation-rules.md"
    rec.write_text(rec.read_text(encoding="utf-8").replace("doc_type: 行政规范性文件\n", ""), encoding="utf-8")
    p = load_project(project / "content", project / "catalogue", root=project, build_day=dt.date(2026, 11, 30))
    (w,) = [w for w in p.problems.warnings if "annual-reports" in w.file]
    assert w.file == "content/annual-reports/2025-civil-affairs.yml" and "有 0 件" in w.message and "civil-affairs" in w.message


def test_section_markdown_is_rendered_and_sanitized():
    html = annual_sources.markdown_html("**一、** 正文<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n- 甲\n- 乙\n")
    assert "<strong>一、</strong>" in html and "<li>甲</li>" in html
    assert "<script" not in html and "onerror" not in html


SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.parametrize("size", list(SIZES))
def test_report_page_in_chromium(built, browser, artifacts, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto((built / "annual-reports/2025-gov.html").as_uri())
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")  # the page never scrolls sideways
        boxes = page.evaluate("""() => [...document.querySelectorAll('.dx-annual-wrap')].map(b => ({
            id: b.querySelector('table').id, scroll: b.scrollWidth, client: b.clientWidth,
            overflow: getComputedStyle(b).overflowX, tab: b.getAttribute('tabindex'), role: b.getAttribute('role')}))""")
        assert [b["id"] for b in boxes] == ["table-2", "table-3", "table-4"]
        for b in boxes:
            assert b["overflow"] == "auto" and b["tab"] == "0" and b["role"] == "region"
        wide = {b["id"]: b["scroll"] > b["client"] + 1 for b in boxes}
        if width == 390:
            assert wide["table-3"] and wide["table-4"]  # the wide tables scroll in their own box
        else:
            assert not any(wide.values())
        page.screenshot(path=str(artifacts / f"annual-report-{width}.png"), full_page=True)
        page.locator("#table-3").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"annual-report-table3-{width}.png"))
        bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not bad, bad
        page.goto((built / "annual-reports/index.html").as_uri())
        page.screenshot(path=str(artifacts / f"annual-reports-index-{width}.png"), full_page=True)
        assert not [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    finally:
        context.close()


def test_prints_on_a4_with_the_tables(built, page, artifacts):
    page.goto((built / "annual-reports/2025-gov.html").as_uri())
    page.emulate_media(media="print")
    # every table fits the A4 text width (210 mm − 2 × 15 mm at 96 px/in) when printed
    page.set_viewport_size({"width": round(180 / 25.4 * 96), "height": 1000})
    widths = page.evaluate("() => [...document.querySelectorAll('.dx-annual-table')].map(t => t.getBoundingClientRect().width)")
    assert all(w <= round(180 / 25.4 * 96) + 1 for w in widths), widths
    page.screenshot(path=str(artifacts / "annual-report-print-view.png"), full_page=True)  # the A4 text width
    assert page.evaluate("() => [...document.querySelectorAll('.md-header, .md-sidebar, .dx-breadcrumb')]"
                         ".every(e => getComputedStyle(e).display === 'none')")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (artifacts / "annual-report-print.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # the CJK font maps some characters to their radical code points (⼈ U+2F08, ⺠ U+2EA0): NFKC and one
    # more mapping give the characters a reader sees
    def norm(t):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t).replace("\u2ea0", "民"))

    text = norm("".join(p.extract_text() for p in reader.pages))
    for label in ("云溪县人民政府2025年政府信息公开工作年度报告", "第二十条第（一）项", "行政规范性文件", "本年收费金额",
                  "申请人情况", "法人或其他组织", "法律服务机构", "本年新收政府信息公开申请数量", "属于国家秘密",
                  "结转下年度继续办理", "行政复议", "未经复议直接起诉", "复议后起诉", "尚未审结",
                  "存在的主要问题及改进情况", "其他需要报告的事项"):
        assert norm(label) in text, label
    assert len(reader.pages) <= 6
