"""政府公报 (issue 16, item 2) and the rest of the record header (item 6: subject, serves, source, pinned):
a real build of the sample (plus one finished year with too few issues), its pages, feed, PDFs, data,
ordering and the validation of catalogue/gazette.yml and the record fields, each with a bad file that
names file and line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from site_builder.commands.build import build_site
from site_builder.plan import gazette as gplan
from site_builder.sources.gazette import Issue, issue_label
from site_builder.sources.validate import load_project

from conftest import CHROMIUM_ARGS, copy_project  # noqa: F401

DAY = "2026-12-01"
SITE_URL = "https://yunxi.example.gov.cn/"
GAZETTE = "catalogue/gazette.yml"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample with one more issue, 2024年第4期 (2024 then has one issue: flagged), built strictly."""
    project = copy_project(tmp_path_factory.mktemp("gazette") / "project")
    shutil.copy(project / "content/gazette/2025-01.pdf", project / "content/gazette/2024-04.pdf")
    text = (project / GAZETTE).read_text(encoding="utf-8")
    first = text.index("- id: 2025-01")
    text = text[:first] + ("- id: 2024-04\n  year: 2024\n  issue: 4\n  total: 24\n  date: 2024-12-31\n"
                           "  pdf: gazette/2024-04.pdf\n\n") + text[first:]
    (project / GAZETTE).write_text(text, encoding="utf-8")
    site = build_site(str(project / "mkdocs.yml"), str(project / "site"), strict=True, report_date=DAY,
                      plugin_options={"build_date": DAY})
    return project, site


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def records_json(site: Path) -> list[dict]:
    return json.loads(read(site, "data/records.json"))


# --- pages -------------------------------------------------------------------------------------------

def test_index_by_year_in_nav_with_issue_facts_and_pdf(built):
    _, site = built
    html = read(site, "gazette/index.html")
    assert '<a href="gazette/index.html" class="md-nav__link' in read(site, "index.html").replace("./", "")
    assert "<h1>政府公报</h1>" in html
    years = re.findall(r'<h2 id="dx-gz-(\d{4})">', html)
    assert years == ["2026", "2025", "2024"]  # newest first
    section_2025 = html[html.index('id="dx-gz-2025"'):html.index('id="dx-gz-2024"')]
    rows = re.findall(r'<a href="(2025-0\d\.html)">第(\d)期</a>', section_2025)
    assert rows == [("2025-04.html", "4"), ("2025-03.html", "3"), ("2025-02.html", "2"), ("2025-01.html", "1")]
    t = text_of(section_2025)
    assert "总第27期" in t and "2025-09-30" in t and "3 条" in t
    assert 'href="2025-03.pdf" download' in section_2025
    by_issue = {}
    for r in records_json(site):
        if r["gazette"]:
            by_issue[r["gazette"]] = by_issue.get(r["gazette"], 0) + 1
    assert by_issue["2025-03"] == 3
    # a year's own page, linked from the index
    year = read(site, "gazette/2025.html")
    assert 'href="2025.html"' in html and "《云溪县人民政府公报》2025年" in year
    assert "第4期" in year and "2026年第" not in text_of(year[year.index("<h2"):])


def test_issue_page_contents_in_section_order_then_the_rest_prev_next_and_pdf(built):
    _, site = built
    html = read(site, "gazette/2026-01.html")
    assert "《云溪县人民政府公报》2026年第1期" in html and "（总第29期）" in html
    sections = re.findall(r'<h3 class="dx-gazette-section">([^<]+)</h3>', html)
    assert sections == ["县政府文件", "部门文件", "政策解读"]  # the issue's order; empty sections left out
    toc = html[html.index('id="dx-gz-toc"'):html.index("dx-gazette-nav")]
    first = toc.index("县政府文件")
    assert toc.index("2026年云溪县人民政府工作报告") > first
    assert toc.index(">部门文件<") < toc.index("云溪县2026年重大项目投资计划") < toc.index(">政策解读<") \
        < toc.index("《云溪县就业补贴资金管理实施办法》政策解读")
    assert 'href="2025-04.html" rel="prev">上一期：2025年第4期' in html
    assert 'href="2026-02.html" rel="next">下一期：2026年第2期' in html
    assert 'href="2026-01.pdf" download' in html
    # a record without a section comes last, under 其他
    two = read(site, "gazette/2026-02.html")
    assert re.findall(r'<h3 class="dx-gazette-section">([^<]+)</h3>', two) == ["部门文件", "其他"]
    assert two.index("2026年义务教育") > two.index(">其他<")
    # first and last issues
    assert "已是第一期" in read(site, "gazette/2024-04.html")
    assert "已是最新一期" in read(site, "gazette/2026-03.html")
    assert "本期刊登的信息尚未逐条上网" in read(site, "gazette/2024-04.html")


def test_issue_pdfs_are_published_real_pdfs(built):
    project, site = built
    from pypdf import PdfReader

    for issue in load_project(project / "content", project / "catalogue", root=project).gazette:
        pdf = site / issue.pdf
        assert pdf.is_file() and pdf.read_bytes() == (project / "content" / issue.pdf).read_bytes()
        assert pdf.stat().st_size < 100_000
    # NULs: fpdf2's two-byte text as pypdf extracts it (sources/attachments_text.py drops them too)
    text = PdfReader(str(site / "gazette/2025-03.pdf")).pages[0].extract_text().replace("\x00", "")
    assert "云溪县人民政府公报" in text and "2025年第3期" in text and "目" in text


def test_record_shows_the_issue_that_carries_it_and_its_header_fields(built):
    _, site = built
    html = read(site, "records/civil-affairs/2025-dibao-implementation-rules.html")
    panel = html[html.index("<caption>信息索引</caption>"):html.index("</table>", html.index("信息索引"))]
    t = text_of(panel)
    assert "主题分类 民政、扶贫、救灾／社会救助" in t
    assert "服务对象 公民" in t
    assert "信息来源 县民政局社会救助股" in t
    note = re.search(r'刊登于<a href="([^"]+)">([^<]+)</a>（([^）]+)）', html)
    assert note and note.group(2) == "《云溪县人民政府公报》2025年第2期" and note.group(3) == "部门文件"
    assert note.group(1) == "../../gazette/2025-02.html"
    plain = read(site, "records/finance/2025-procurement-intentions.html")
    assert "主题分类" not in plain and "信息来源" not in plain and "刊登于" in plain


def test_records_json_carries_gazette_and_header_fields(built):
    _, site = built
    by_no = {r["index_no"]: r for r in records_json(site)}
    r = by_no["011320506/2025-00031"]
    assert r["gazette"] == "2025-02" and r["gazette_section"] == "部门文件"
    assert r["subject"] == "民政、扶贫、救灾\\社会救助" and r["serves"] == ["公民"]
    assert r["source"] == "县民政局社会救助股" and r["pinned"] is False
    guide = by_no["011320506/2025-00040"]
    assert guide["pinned"] is True and guide["gazette"] is None and guide["serves"] == ["公民"]
    assert all({"gazette", "gazette_section", "subject", "serves", "source", "pinned"} <= set(x) for x in by_no.values())


def test_pinned_records_lead_their_listings_newest_first(built):
    _, site = built
    records = records_json(site)
    pinned = {r["url"] for r in records if r["pinned"]}
    assert len(pinned) == 3

    def listed(rel):
        return re.findall(r'<a class="dx-list__title" href="(?:\.\./)*([^"]+)">', read(site, rel))

    dep = listed("departments/civil-affairs.html")
    assert dep[0] == "records/civil-affairs/dibao-application-guide.html"
    others = [r for r in records if r["department"] == "civil-affairs" and not r["pinned"]]
    assert dep[1:] == [r["url"] for r in others][:len(dep) - 1]  # the rest newest first
    year = listed("years/2025.html")
    assert year[:3] == ["records/civil-affairs/dibao-application-guide.html",
                        "records/hrss/employment-difficulty-guide.html",
                        "records/market/food-business-licence-guide.html"]  # pinned, newest first
    dates = {r["url"]: r["date"] for r in records}
    rest = [dates[u] for u in year[3:]]
    assert rest == sorted(rest, reverse=True)
    assert listed("items/social-assistance-dibao.html")[0] == "records/civil-affairs/dibao-application-guide.html"
    assert '<span class="dx-badge dx-badge--pinned">置顶</span>' in read(site, "departments/civil-affairs.html")
    # feeds stay by date: the pinned guide is not the newest item of its department's feed
    feed = feedparser.parse((site / "feeds/departments/civil-affairs.xml").read_bytes())
    assert not feed.entries[0].link.endswith("dibao-application-guide.html")


def test_feed_of_issues_parses_and_is_listed_for_subscription(built):
    _, site = built
    raw = (site / "feeds/gazette.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "云溪县政府信息公开 · 云溪县人民政府公报"
    ids = [e.link.rsplit("/", 1)[1] for e in parsed.entries]
    assert ids == ["2026-03.html", "2026-02.html", "2026-01.html", "2025-04.html", "2025-03.html",
                   "2025-02.html", "2025-01.html", "2024-04.html"]
    e = parsed.entries[4]
    assert e.title == "云溪县人民政府公报 2025年第3期（总第27期）"
    assert e.published_parsed[:3] == (2025, 9, 29)  # 2025-09-30 00:00 +0800 is the 29th in UTC
    assert "县政府办公室文件：" in e.summary and "部门文件：" in e.summary
    enc = e.enclosures[0]
    assert enc.href == SITE_URL + "gazette/2025-03.pdf" and enc.type == "application/pdf"
    assert int(enc.length) == (site / "gazette/2025-03.pdf").stat().st_size
    opml = read(site, "feeds.opml")
    assert 'xmlUrl="https://yunxi.example.gov.cn/feeds/gazette.xml"' in opml and 'text="政府公报"' in opml
    sub = read(site, "subscribe.html")
    assert "<h3>政府公报</h3>" in sub and 'href="feeds/gazette.html"' in sub
    page = read(site, "feeds/gazette.html")
    assert f">{SITE_URL}feeds/gazette.xml</textarea>" in page and "2025年第3期（总第27期）" in page
    # the index page's 订阅 button leads to the feed's page
    assert 'href="../feeds/gazette.html">订阅 RSS' in read(site, "gazette/index.html")


def test_report_flags_a_finished_year_with_fewer_than_four_issues(built):
    _, site = built
    t = text_of(read(site, "report.html"))
    assert "其他需要注意的情况" in t
    assert "《云溪县人民政府公报》2024年出版 1 期，少于每年 4 期" in t
    assert "2025年出版" not in t  # four issues
    assert "2026年出版" not in t  # not finished on the report date

    def issue(y, n):
        import datetime as dt
        return Issue(f"{y}-{n:02d}", y, n, dt.date(y, n * 3, 28))

    import datetime as dt
    flags = gplan.report_flags([issue(2023, 1), issue(2025, 1), issue(2025, 2)], dt.date(2026, 2, 1), "公报")
    assert [t for _, t in flags] == ["《公报》2023年出版 1 期，少于每年 4 期", "《公报》2024年出版 0 期，少于每年 4 期",
                                     "《公报》2025年出版 2 期，少于每年 4 期"]


def test_issue_is_found_by_its_label_in_search(built):
    from site_builder.outputs.search.query import SearchIndex

    _, site = built
    index = SearchIndex(site / "search")
    found = index.search("2025年第2期")
    urls = {index.doc(i)["u"] for i in found.exact}
    assert "records/civil-affairs/2025-dibao-implementation-rules.html" in urls
    assert issue_label("2025-03") == "2025年第3期"


def test_search_facets_gazette_issue_and_subject_in_the_browser(built, browser):
    """公报期号 and 主题分类 facets (search/meta.js labelledFacets, theme/assets/search.js), offline from disk."""
    _, site = built
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    try:
        page.goto((site / "search.html").as_uri() + "?q=" + "云溪县")
        page.wait_for_selector("#dx-search[data-state=results]", timeout=15000)
        legend = page.eval_on_selector_all(".dx-facet legend", "els => els.map(e => e.textContent)")
        assert legend[:4] == ["所属领域", "发布机构", "发布年度", "有效性"] and "公报期号" in legend and "主题分类" in legend
        names = page.eval_on_selector_all(".dx-facet--gaz .dx-facet__name", "els => els.map(e => e.textContent)")
        assert names and names == sorted(names, reverse=True) and all(re.fullmatch(r"20\d\d年第\d期", n) for n in names)
        box = page.locator(".dx-facet--gaz label", has_text="2026年第1期").locator("input")
        count = int(page.locator(".dx-facet--gaz label", has_text="2026年第1期").locator(".dx-count").inner_text())
        box.click()
        page.wait_for_function(f"() => window.__dxSearch.app.filtered.length === {count}")
        page.wait_for_selector("#dx-search[data-state=results]")
        shown = page.eval_on_selector_all(".dx-search__title a", "els => els.map(e => e.getAttribute('href'))")
        carried = {r["url"] for r in records_json(site) if r["gazette"] == "2026-01"}
        assert shown and all(any(u.endswith(c) for c in carried) for u in shown)
        assert 1 <= count <= len(carried) and len(shown) == count
        page.click(".dx-facet__clear")
        page.wait_for_selector("#dx-search[data-state=results]")
        subj = page.eval_on_selector_all(".dx-facet--subj .dx-facet__name", "els => els.map(e => e.textContent)")
        assert "民政、扶贫、救灾" in subj
    finally:
        context.close()
    assert requests == []


def test_gazette_pages_pass_axe(built, page):
    from test_a11y import axe_violations

    _, site = built
    for rel in ("gazette/index.html", "gazette/2026-01.html", "feeds/gazette.html",
                "records/civil-affairs/2025-dibao-implementation-rules.html"):
        page.goto((site / rel).as_uri())
        bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not bad, (rel, json.dumps(bad, ensure_ascii=False, indent=1))


def test_report_command_lists_the_flag(built, capsys):
    from site_builder.commands.cli import main

    project, _ = built
    assert main(["report", "-f", str(project / "mkdocs.yml"), "--date", DAY]) == 0
    out = capsys.readouterr().out
    assert "五、其他需要注意的情况" in out and "政府公报：《云溪县人民政府公报》2024年出版 1 期，少于每年 4 期" in out


# --- validation: each rule, with a bad file naming file and line ------------------------------------

def problems_of(project: Path):
    p = load_project(project / "content", project / "catalogue", root=project)
    return p.problems


def set_gazette(project: Path, old: str, new: str) -> None:
    path = project / GAZETTE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, rel: str, needle: str, nth: int = 0) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return [i for i, t in enumerate(lines, 1) if needle in t][nth]


def has(problems, level: str, file: str, line: int, fragment: str) -> bool:
    items = problems.errors if level == "error" else problems.warnings
    return any(p.file == file and p.line == line and fragment in p.message and p.hint for p in items)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


REC = "content/records/civil-affairs/2025-dibao-implementation-rules.md"


def test_unknown_issue_and_unknown_section_in_a_record(project):
    path = project / REC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gazette: 2025-02", "gazette: 2025-09"), encoding="utf-8")
    assert has(problems_of(project), "error", REC, line_of(project, REC, "gazette: 2025-09"), "公报期号“2025-09”不存在")
    path.write_text(text.replace("gazette_section: 部门文件", "gazette_section: 县委文件"), encoding="utf-8")
    assert has(problems_of(project), "error", REC, line_of(project, REC, "gazette_section:"),
               "公报栏目“县委文件”不在2025年第2期的目录中")


def test_duplicate_id_and_id_disagreeing_with_year_and_issue(project):
    # the same year and issue twice: the id (always “year-issue”) is the same twice
    set_gazette(project, "- id: 2025-02\n  year: 2025\n  issue: 2", "- id: 2025-01\n  year: 2025\n  issue: 1")
    assert has(problems_of(project), "error", GAZETTE, line_of(project, GAZETTE, "id: 2025-01", 1),
               "公报期号 id “2025-01”重复")
    project2 = copy_project(project.parent / "p2")
    set_gazette(project2, "- id: 2025-02\n  year: 2025\n  issue: 2", "- id: 2025-02\n  year: 2025\n  issue: 1")
    assert has(problems_of(project2), "error", GAZETTE, line_of(project2, GAZETTE, "id: 2025-02"),
               "与 year: 2025、issue: 1 不一致")


def test_duplicate_issue_in_flow_style_names_its_line(tmp_path):
    from site_builder.sources.gazette import load_gazette
    from site_builder.sources.problems import Problems

    cat = tmp_path / "catalogue"
    cat.mkdir()
    (tmp_path / "content").mkdir()
    (cat / "gazette.yml").write_text("- {id: 2025-01, year: 2025, issue: 1, date: 2025-03-01}\n"
                                     "- id: 2025-01\n  year: 2025\n  issue: 1\n  date: 2025-04-01\n",
                                     encoding="utf-8")
    probs = Problems()
    issues = load_gazette(cat, "catalogue", tmp_path / "content", "content", probs)
    assert len(issues) == 1 and [p.line for p in probs.errors] == [2]


def test_dates_out_of_order_and_bad_id_format(project):
    set_gazette(project, "  date: 2025-09-30", "  date: 2025-05-30")
    assert has(problems_of(project), "error", GAZETTE, line_of(project, GAZETTE, "id: 2025-03"),
               "2025年第3期的出版日期 2025-05-30 早于2025年第2期的 2025-06-30")
    project2 = copy_project(project.parent / "p2")
    set_gazette(project2, "- id: 2025-04", "- id: 2025-4")
    assert has(problems_of(project2), "error", GAZETTE, line_of(project2, GAZETTE, "id: 2025-4"), "格式不对")


def test_issue_without_records_and_pdf_is_a_warning_and_pdf_is_checked(project):
    set_gazette(project, "  pdf: gazette/2025-04.pdf\n", "")
    path = project / "content/records/water/2025-water-plant-completion.md"
    path.write_text(path.read_text(encoding="utf-8").replace("gazette: 2025-04\n", "").replace(
        "gazette_section: 部门文件\n", ""), encoding="utf-8")
    probs = problems_of(project)
    assert not probs.errors
    assert has(probs, "warning", GAZETTE, line_of(project, GAZETTE, "id: 2025-04"), "既没有 PDF，也没有任何记录")
    set_gazette(project, "  pdf: gazette/2025-03.pdf", "  pdf: ../mkdocs.yml")
    assert has(problems_of(project), "error", GAZETTE, line_of(project, GAZETTE, "pdf: ../mkdocs.yml"),
               "超出了内容文件夹")
    set_gazette(project, "  pdf: ../mkdocs.yml", "  pdf: gazette/missing.pdf")
    assert has(problems_of(project), "error", GAZETTE, line_of(project, GAZETTE, "pdf: gazette/missing.pdf"),
               "不存在")


def test_pdf_in_the_records_folder_is_published_like_an_attachment(project):
    shutil.move(project / "content/gazette/2025-01.pdf", project / "content/records/2025-01.pdf")
    set_gazette(project, "pdf: gazette/2025-01.pdf", "pdf: records/2025-01.pdf")
    p = load_project(project / "content", project / "catalogue", root=project)
    assert not p.problems.errors and "records/2025-01.pdf" not in p.withheld
    assert not any("2025-01.pdf" in w.file for w in p.problems.warnings)


def test_header_fields_are_checked(project):
    path = project / REC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("serves: [公民]", "serves: [市民]").replace(
        "subject: 民政、扶贫、救灾\\社会救助", "subject: a\\b\\c").replace("gazette: 2025-02", "gazette: 2025-02\npinned: maybe"),
        encoding="utf-8")
    probs = problems_of(project)
    assert has(probs, "error", REC, line_of(project, REC, "serves:"), "服务对象“市民”无法识别")
    assert has(probs, "error", REC, line_of(project, REC, "subject:"), "主题分类“a\\b\\c”格式不对")
    assert has(probs, "error", REC, line_of(project, REC, "pinned:"), "pinned 应写 true 或 false")
    path.write_text(text.replace("subject: 民政、扶贫、救灾\\社会救助", "subject: 民政\\社会救助"), encoding="utf-8")
    assert has(problems_of(project), "warning", REC, line_of(project, REC, "subject:"), "不在标准主题分类中")


# --- screenshots ----------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(built, browser, artifacts, width):
    _, site = built
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for name, rel in (("index", "gazette/index.html"), ("issue", "gazette/2026-01.html")):
            page.goto((site / rel).as_uri())
            page.screenshot(path=str(artifacts / f"gazette-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (rel, width, overflow)
    finally:
        context.close()
    assert not errors


def test_markup_in_the_new_fields_is_not_published(project):
    path = project / REC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: 县民政局社会救助股", "source: <script>alert(1)</script>县民政局<b>救助股</b>")
                    .replace("gazette_section: 部门文件", "gazette_section: 部门文件<!-- 内部 -->"), encoding="utf-8")
    set_gazette(project, "sections: [县政府文件, 县政府办公室文件, 部门文件, 政策解读, 人事任免]",
                "sections: [县政府文件, 县政府办公室文件, <i>部门文件</i>, 政策解读, 人事任免]")
    p = load_project(project / "content", project / "catalogue", root=project)
    r = next(x for x in p.records if x.src_path.endswith("2025-dibao-implementation-rules.md"))
    assert r.source == "县民政局救助股" and r.gazette_section == "部门文件"
    assert not p.problems.errors  # the section still matches once both are plain text
    warned = {(w.file, w.line) for w in p.problems.warnings}
    assert (REC, line_of(project, REC, "source:")) in warned
    assert (GAZETTE, line_of(project, GAZETTE, "<i>部门文件</i>")) in warned
    assert next(i for i in p.gazette if i.id == "2025-02").sections[2] == "部门文件"


def test_a_personal_number_in_an_issue_pdf_is_refused(project):
    """The issue PDF is published: the privacy guard (保密审查) reads it like an attachment."""
    from fpdf import FPDF
    from test_privacy import ID_DIGIT

    pdf = FPDF()
    pdf.add_font("noto", fname="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", collection_font_number=2)
    pdf.set_font("noto", size=12)
    pdf.add_page()
    pdf.cell(text=f"人事任免 张某 身份证号 {ID_DIGIT}")
    (project / "content/gazette/2025-03.pdf").write_bytes(bytes(pdf.output()))
    errors = problems_of(project).errors
    assert any(e.file == "content/gazette/2025-03.pdf" and "身份证" in e.message for e in errors), errors


def test_editors_form_offers_the_new_fields():
    """The web form (admin/) writes what the builder reads: Decap keeps only the fields it is given."""
    from site_builder.outputs import admin
    from site_builder.sources.records import KNOWN_KEYS

    project = load_project(Path(__file__).resolve().parent.parent / "content",
                           Path(__file__).resolve().parent.parent / "catalogue")
    cat = project.catalogue
    fields = {f["name"]: f for f in admin.record_fields(cat, cat.departments["finance"], KNOWN_KEYS)}
    assert {"gazette", "gazette_section", "subject", "serves", "source", "pinned"} <= set(fields)
    assert re.fullmatch(fields["gazette"]["pattern"][0], "2025-03") and not re.fullmatch(fields["gazette"]["pattern"][0], "2025-3")
    assert fields["serves"]["multiple"] is True and fields["pinned"]["widget"] == "boolean"
