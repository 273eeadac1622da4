"""政策文件库 (docs/policy-library.md): the library pages, `replaces` both ways, the 废止/失效 banner, the Word
and PDF versions (generated: opened with python-docx and read back with pypdf), the 政策咨询 box, the
data in records.json and the feeds, the filters in Chromium over http and from disk, and the errors an
editor gets for a bad `replaces`, `doc_type` or phone. One real build of the sample (page size 6, so the
library has several pages)."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import feedparser
import pytest

from conftest import copy_project, start_server

NEW = "011320506/2026-00008"  # 云溪县临时救助实施办法 (2026), replaces OLD
OLD = "011320506/2021-00019"  # the 2021 one, 失效
REPEAL = "011320505/2025-00041"  # the 通知 repealing HRSS_OLD
HRSS_OLD = "011320505/2022-00051"  # 废止
WITH_DOCX = "011320503/2025-00026"  # the editor gave a Word file: only the PDF is generated
BUILD_DAY = "2026-12-01"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("policy") / "project")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 6"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(project) -> Path:
    from site_builder.commands.cli import main

    out = project / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(out), "--build-date", BUILD_DAY]) == 0
    return out


@pytest.fixture(scope="module")
def records(site) -> dict[str, dict]:
    return {r["index_no"]: r for r in json.loads((site / "data/records.json").read_text(encoding="utf-8"))}


def read(site: Path, url: str) -> str:
    return (site / url).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- pages ------------------------------------------------------------------------------------------

def library_items(site: Path) -> list[tuple[str, str]]:
    """(title link, the item's HTML) of every document on every page of the library, in order."""
    out, n = [], 1
    while True:
        path = site / ("policies/index.html" if n == 1 else f"policies/{n}.html")
        if not path.exists():
            return out
        html = path.read_text(encoding="utf-8")
        list_html = html[html.index('id="dx-policy-all"'):]
        for item in re.findall(r'<li class="dx-list__item">(.*?)</li>', list_html, re.S):
            out.append((re.search(r'href="([^"]+)"', item).group(1), item))
        n += 1


def test_library_lists_every_document_in_force_first_paginated(site, records):
    policy = {k: r for k, r in records.items() if r["doc_type"]}
    assert len(policy) >= 12
    assert {r["doc_type"] for r in policy.values()} == {"规章", "行政规范性文件", "其他政策文件"}
    items = library_items(site)
    assert len(items) == len(policy)  # each once, over several pages
    assert (site / "policies/3.html").exists()  # page size 6: three pages
    validity = [re.search(r'<dt>有效性</dt><dd[^>]*>([^<]+)</dd>', html).group(1) for _, html in items]
    assert validity == sorted(validity, key=lambda v: v != "现行有效")  # 现行有效 first
    assert set(validity) == {"现行有效", "失效", "废止"}
    for href, html in items:
        for label in ("文号", "发布机构", "成文日期", "发布日期", "有效性"):
            assert f"<dt>{label}</dt>" in html
        v = re.search(r'<dt>有效性</dt><dd[^>]*>([^<]+)</dd>', html).group(1)
        assert ('dx-badge--' in html) == (v != "现行有效")  # the banner on every 失效/废止 one
    home = read(site, "index.html")
    assert re.search(r'href="policies/index.html"[^>]*>(<[^>]+>)*政策文件库', home)  # in the navigation
    page2 = read(site, "policies/2.html")
    assert re.search(r'<a href="index.html" rel="prev">上一页</a>', page2) and 'href="3.html" rel="next"' in page2


def test_replaces_links_both_ways_and_the_banner(site, records):
    new, old = read(site, records[NEW]["url"]), read(site, records[OLD]["url"])
    old_name = Path(records[OLD]["url"]).name
    new_name = Path(records[NEW]["url"]).name
    assert re.search(rf'本文件修订或废止了 <a href="{old_name}">云溪县临时救助实施办法</a>（云民规〔2021〕2号）', new)
    assert re.search(rf'本文件已被 <a href="{new_name}">云溪县临时救助实施办法</a>（云民规〔2026〕1号）修订', old)
    assert "本文件已失效，仅供查阅参考。" in old
    repealed = read(site, records[HRSS_OLD]["url"])
    assert "本文件已废止，仅供查阅参考。" in repealed
    assert "本文件已由 <a href" in repealed and "废止，请以新文件为准" in repealed
    # listings show the banner too: the department's list
    dep = "".join(p.read_text(encoding="utf-8") for p in [site / "departments/hrss.html",
                                                             *(site / "departments/hrss").glob("*.html")])
    item = re.search(r'<li class="dx-list__item">((?:(?!</li>).)*创业担保贷款实施办法</a>.*?)</li>', dep, re.S).group(1)
    assert 'dx-badge--repealed">废止' in item
    # search shows it as a label (search.js: meta.validities)
    meta = read(site, "search/meta.js")
    assert "废止" in meta and "失效" in meta
    # data/records.json and the feeds carry the new fields
    assert records[NEW]["doc_type"] == "行政规范性文件" and records[NEW]["replaces"] == OLD
    assert records[OLD]["replaces"] is None
    assert all("doc_type" in r and "replaces" in r for r in records.values())
    feed = feedparser.parse(read(site, "feeds/departments/civil-affairs.xml"))
    entry = next(e for e in feed.entries if e.id == NEW)
    assert "行政规范性文件" in [t.term for t in entry.tags]


def test_contact_on_department_page_and_every_policy_document(site, records):
    dep = text_of(read(site, "departments/civil-affairs.html"))
    assert "政策咨询电话 0519-86600523" in dep and "办公地址 云溪县人民路88号" in dep and "办公时间 工作日" in dep
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", read(site, records[NEW]["url"])))
    assert "政策咨询" in page
    assert "如果您对该政策文件有疑问，可以拨打 0519-86600523 电话咨询相关部门（云溪县民政局）" in page
    for r in records.values():  # every library document of a department with a phone; no other record
        html = read(site, r["url"])
        assert ('class="dx-policy-contact"' in html) == bool(r["doc_type"] and r["department"] in
                                                             {"gov-office", "finance", "education", "hrss", "civil-affairs",
                                                              "health", "market", "agriculture"}), r["url"]


# --- Word and PDF -----------------------------------------------------------------------------------

def downloads(html: str) -> dict[str, str]:
    block = re.search(r'<p class="dx-policy-dl"[^>]*>(.*?)</p>', html, re.S).group(1)
    return {m.group(2).lower(): m.group(1) for m in re.finditer(r'href="([^"]+)" download>[^<（]*（(DOCX|PDF)）', block)}


def test_every_normative_document_offers_word_and_pdf(site, records):
    from docx import Document
    from pypdf import PdfReader

    normative = [r for r in records.values() if r["doc_type"] == "行政规范性文件"]
    assert normative
    for r in normative:
        html = read(site, r["url"])
        links = downloads(html)
        assert set(links) == {"docx", "pdf"}, r["url"]
        base = (site / r["url"]).parent
        for ext, href in links.items():
            assert (base / href).resolve().is_file(), href
    # the editor's Word file is offered as it is; the PDF is generated
    given = downloads(read(site, records[WITH_DOCX]["url"]))
    assert given["docx"].endswith("files/yuncaigui-2025-2.docx")
    assert given["pdf"].endswith("downloads/policies/011320503-2025-00026.pdf")
    assert not (site / "downloads/policies/011320503-2025-00026.docx").exists()
    # a generated Word file: the metadata table and the body
    doc = Document(str(site / "downloads/policies/011320506-2026-00008.docx"))
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["索引号"] == NEW and cells["文号"] == "云民规〔2026〕1号" and cells["有效性"] == "现行有效"
    assert cells["发布机构"] == "云溪县民政局" and cells["成文日期"] == "2026-03-10"
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "云溪县临时救助实施办法" in paragraphs and "先行救助、后补手续" in paragraphs
    assert any("急难型" in c.text for t in doc.tables[1:] for row in t.rows for c in row.cells)  # the body's table
    assert doc.core_properties.title == "云溪县临时救助实施办法"
    # a generated PDF: its text read back, the Chinese font embedded (a subset)
    reader = PdfReader(str(site / "downloads/policies/011320506-2026-00008.pdf"))
    # (pypdf reads fpdf2's CID-keyed CFF fonts with a NUL beside each character: its text, without them)
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in reader.pages))
    for expected in ("云溪县临时救助实施办法", "云民规〔2026〕1号", NEW, "发布机构云溪县民政局", "先行救助、后补手续", "急难型"):
        assert expected in text, expected
    font = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in font.values()]
    assert any("/FontFile3" in d or "/FontFile2" in d for d in descriptors)  # embedded
    assert all("+" in str(d["/FontName"]) for d in descriptors)  # a subset
    assert reader.metadata.title == "云溪县临时救助实施办法"


def test_generated_files_are_reproducible_and_cached(site, project):
    from site_builder.outputs import policyfiles
    from site_builder.plan.index import build_index
    from site_builder.sources.validate import load_project

    cache = project / ".cache/disclosure/policyfiles"
    cached = sorted(p.name for p in cache.iterdir())
    made = sorted((site / "downloads/policies").iterdir())
    assert len(cached) == len(made)
    by_bytes = {p.read_bytes() for p in cache.iterdir()}
    assert all(p.read_bytes() in by_bytes for p in made)  # the site's files are the cache's
    p = load_project(project / "content", project / "catalogue", root=project)
    r = next(r for r in p.records if r.index_no == NEW)
    font = policyfiles.find_font()
    assert policyfiles.pdf_bytes(r, "云溪县民政局", font) == policyfiles.pdf_bytes(r, "云溪县民政局", font)
    assert policyfiles.docx_bytes(r, "云溪县民政局") == policyfiles.docx_bytes(r, "云溪县民政局")
    # from the cache: the same bytes, and a changed record makes a new key
    again = project / "again"
    policyfiles.write_files(again, build_index(p.catalogue, p.records), project / ".cache/disclosure")
    assert all((again / "downloads/policies" / f.name).read_bytes() == f.read_bytes() for f in made)
    key = policyfiles.cache_key(r, "云溪县民政局", "pdf", font, "v")
    r.body += "\n补充一条。"
    assert policyfiles.cache_key(r, "云溪县民政局", "pdf", font, "v") != key


def test_the_fonts_face_is_kept_in_the_cache_until_the_font_file_changes(monkeypatch, tmp_path):
    """find_font(cache_dir): the Simplified Chinese face of a collection is looked up in its name tables
    once (~0.1 s a build) and kept under the file's path, size and mtime; a changed file, or a damaged
    entry, is read again. Without a cache folder it is read every time."""
    from site_builder.outputs import policyfiles

    real = policyfiles.find_font()
    font = tmp_path / "fonts" / "cjk.ttc"
    font.parent.mkdir()
    font.write_bytes(b"collection one")
    monkeypatch.setenv(policyfiles.FONT_ENV, str(font))
    read = []
    monkeypatch.setattr(policyfiles, "_sc_face", lambda path: read.append(path) or 2)
    cache = tmp_path / "cache"
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 1
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 1  # kept
    assert policyfiles.find_font() == (str(font), 2) and len(read) == 2  # no cache: read
    font.write_bytes(b"collection two, another size")
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 3
    for kept in (cache / "font-faces").iterdir():
        kept.write_bytes(b"damaged")
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 4
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 5  # made again, then kept
    assert policyfiles.find_font(cache) == (str(font), 2) and len(read) == 5
    monkeypatch.undo()
    assert policyfiles.find_font(tmp_path / "real-cache") == real == policyfiles.find_font(tmp_path / "real-cache")


def test_missing_font_is_named_in_chinese(monkeypatch, tmp_path):
    from site_builder.outputs import policyfiles

    monkeypatch.setenv(policyfiles.FONT_ENV, str(tmp_path / "none.ttc"))
    with pytest.raises(policyfiles.FontMissing, match="中文字体文件.*不存在"):
        policyfiles.find_font()
    monkeypatch.delenv(policyfiles.FONT_ENV)
    monkeypatch.setattr(policyfiles, "CJK_FONTS", (str(tmp_path / "none.ttc"),))
    with pytest.raises(policyfiles.FontMissing, match="fonts-noto-cjk.*DISCLOSURE_CJK_FONT"):
        policyfiles.find_font()


# --- errors an editor gets --------------------------------------------------------------------------

def test_bad_replaces_doc_type_and_phone_name_file_and_line(tmp_path):
    from site_builder.sources.validate import load_project

    root = copy_project(tmp_path / "p")
    new = root / "content/records/civil-affairs/2026-temporary-assistance-measures.md"
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace(f"replaces: {OLD}", "replaces: 011320506/2021-00099")
                   .replace("doc_type: 行政规范性文件", "doc_type: 规范性文件"), encoding="utf-8")
    lines = new.read_text(encoding="utf-8").splitlines()
    deps = root / "catalogue/departments.yml"
    deps.write_text(deps.read_text(encoding="utf-8").replace("0519-86600523", "13912345678"), encoding="utf-8")
    p = load_project(root / "content", root / "catalogue", root=root)
    rel = "content/records/civil-affairs/2026-temporary-assistance-measures.md"
    by_message = {e.message: e for e in p.problems.errors}
    bad_ref = next(e for e in p.problems.errors if "replaces 指向的索引号“011320506/2021-00099”不存在" in e.message)
    assert bad_ref.file == rel and bad_ref.line == lines.index("replaces: 011320506/2021-00099") + 1
    assert "011320506/2021-00019" in bad_ref.hint  # the closest existing 索引号 is suggested
    bad_type = next(e for e in p.problems.errors if "文件类型“规范性文件”无法识别" in e.message)
    assert bad_type.file == rel and bad_type.line == lines.index("doc_type: 规范性文件") + 1
    assert "行政规范性文件" in bad_type.hint
    phone = next(e for e in p.problems.errors if "手机号码" in e.message)
    dep_lines = deps.read_text(encoding="utf-8").splitlines()
    assert phone.file == "catalogue/departments.yml"
    assert dep_lines[phone.line - 1].strip().startswith("phone: 13912345678")
    assert len(by_message) >= 3


def test_a_replaced_document_still_in_force_is_pointed_out(tmp_path):
    from site_builder.sources.validate import load_project

    root = copy_project(tmp_path / "p")
    old = root / "content/records/civil-affairs/2021-temporary-assistance-measures.md"
    old.write_text(old.read_text(encoding="utf-8").replace("validity: 失效", "validity: 有效"), encoding="utf-8")
    p = load_project(root / "content", root / "catalogue", root=root)
    assert p.problems.errors == []
    w = next(w for w in p.problems.warnings if "修订或废止" in w.message)
    assert w.file.endswith("2021-temporary-assistance-measures.md") and "失效 或 废止" in w.hint


# --- the filters in the browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def http_root(site):
    proc, base = start_server(site)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["http", "file"])
def base(request, site):
    if request.param == "http":
        return request.getfixturevalue("http_root")
    return site.as_uri() + "/"


def shown_titles(page) -> list[str]:
    return page.eval_on_selector_all("#dx-policy-results .dx-list__title", "els => els.map(e => e.textContent)")


def test_filters_work_over_http_and_from_disk(page, base, site, records):
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "policies/index.html")
    page.wait_for_selector("#dx-policy-filter:not([hidden])")
    assert page.is_visible("#dx-policy-all") and not page.is_visible("#dx-policy-results")
    policy = [r for r in records.values() if r["doc_type"]]

    page.select_option("select[name=type]", "规章")
    assert shown_titles(page) == ["江宁市城市供水用水管理办法"]
    assert not page.is_visible("#dx-policy-all")
    page.select_option("select[name=type]", "")
    page.select_option("select[name=validity]", "废止")
    assert shown_titles(page) == ["云溪县创业担保贷款实施办法"]
    assert page.locator("#dx-policy-results .dx-badge--repealed").count() == 1  # the banner in the results
    hrefs = page.eval_on_selector_all("#dx-policy-results .dx-policy-dl a", "els => els.map(e => e.href)")
    assert [h.rsplit("/", 1)[1] for h in hrefs] == ["011320505-2022-00051.docx", "011320505-2022-00051.pdf"]
    assert all(h.startswith(base + "downloads/policies/") for h in hrefs)
    page.select_option("select[name=validity]", "")
    page.select_option("select[name=dept]", "civil-affairs")
    page.select_option("select[name=year]", "2026")
    assert shown_titles(page) == ["云溪县临时救助实施办法"]
    page.click("button[type=reset]")
    page.wait_for_selector("#dx-policy-results", state="hidden")
    # the search box: Traditional characters fold to Simplified, any bracket of a 文号 to 〔〕
    page.fill("#dx-policy-q", "臨時救助")
    assert sorted(shown_titles(page)) == ["云溪县临时救助实施办法", "云溪县临时救助实施办法"]
    assert "现行有效" in page.inner_text("#dx-policy-results li:first-child")  # 现行有效 first
    page.fill("#dx-policy-q", "云政规[2025]1号")
    assert shown_titles(page) == ["云溪县人民政府关于印发《云溪县安全生产约谈办法》的通知"]
    page.fill("#dx-policy-q", "没有这样的文件")
    assert "没有符合条件的政策文件" in page.inner_text("#dx-policy-results")
    assert "共 0 件" in page.inner_text("#dx-policy-count")
    page.fill("#dx-policy-q", "")
    page.select_option("select[name=validity]", "现行有效")
    assert len(shown_titles(page)) == sum(1 for r in policy if r["validity"] in (None, "有效"))
    # a result opens its record (directory of the page or from disk)
    with page.expect_navigation():
        page.click("#dx-policy-results .dx-list__title >> nth=0")
    assert page.locator("h1.dx-record__title").count() == 1
    assert not errors
    assert all(u.startswith(("file:", "http://127.0.0.1:", "data:")) for u in requests), requests


def test_filters_are_kept_in_the_address(page, http_root):
    page.goto(http_root + "policies/index.html?q=" + urllib.parse.quote("投资") + "&validity=" + urllib.parse.quote("失效"))
    page.wait_for_selector("#dx-policy-results:not([hidden])")
    assert shown_titles(page) == ["云溪县政府投资项目管理办法"]
    assert page.input_value("#dx-policy-q") == "投资"


def test_without_javascript_the_full_list_is_there(browser, http_root):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(http_root + "policies/index.html")
    assert not page.is_visible("#dx-policy-filter")
    assert page.locator("#dx-policy-all .dx-list__item").count() == 6
    assert page.is_visible(".dx-pages")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(browser, http_root, records, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(http_root + "policies/index.html")
    page.wait_for_selector("#dx-policy-filter:not([hidden])")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    page.screenshot(path=str(artifacts / f"policy-library-{width}.png"), full_page=True)
    page.select_option("select[name=validity]", "失效")
    page.screenshot(path=str(artifacts / f"policy-library-filtered-{width}.png"), full_page=True)
    page.goto(http_root + records[NEW]["url"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"policy-document-{width}.png"), full_page=True)
    page.goto(http_root + records[OLD]["url"])
    page.screenshot(path=str(artifacts / f"policy-document-replaced-{width}.png"), full_page=True)
    page.goto(http_root + "departments/civil-affairs.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"policy-department-{width}.png"))
    context.close()


@pytest.mark.parametrize("what", ["library", "filtered", "document", "replaced"])
def test_axe_finds_no_serious_violation(page, http_root, records, what):
    from test_a11y import axe_violations

    url = {"library": "policies/index.html", "filtered": "policies/index.html?validity=" + urllib.parse.quote("废止"),
           "document": records[NEW]["url"], "replaced": records[OLD]["url"]}[what]
    page.goto(http_root + url)
    if what == "filtered":
        page.wait_for_selector("#dx-policy-results:not([hidden])")
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_generated_pdf_opens_in_chromium(browser, site, artifacts):
    """Chromium's PDF viewer (PDFium) opens the generated PDF: the screenshot, for a person to look at,
    shows the Chinese text laid out (glyph widths from the embedded CFF subset)."""
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto((site / "downloads/policies/011320506-2026-00008.pdf").as_uri())
    page.wait_for_timeout(3000)
    shot = artifacts / "policy-generated-pdf.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # not a blank page
    page.close()


def test_site_search_has_a_document_type_facet(browser, site, records):
    """The site search filters by 文件类型 (the labelled facets of search/meta.js), offline from disk."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto((site / "search.html").as_uri() + "?q=" + "云溪县")
        page.wait_for_selector("#dx-search[data-state=results]", timeout=15000)
        names = page.eval_on_selector_all(".dx-facet--dtype .dx-facet__name", "els => els.map(e => e.textContent)")
        assert names and set(names) <= {"规章", "行政规范性文件", "其他政策文件"}
        label = page.locator(".dx-facet--dtype label", has_text="行政规范性文件")
        count = int(label.locator(".dx-count").inner_text())
        label.locator("input").click()
        page.wait_for_function(f"() => window.__dxSearch.app.filtered.length === {count}")
        page.wait_for_selector("#dx-search[data-state=results]")
        shown = page.eval_on_selector_all(".dx-search__title a", "els => els.map(e => e.getAttribute('href'))")
        normative = {r["url"] for r in records.values() if r["doc_type"] == "行政规范性文件"}
        assert shown and all(any(u.endswith(n) for n in normative) for u in shown)
    finally:
        context.close()
