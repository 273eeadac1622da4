"""Search in Chromium, over http:// (a local http.server) and file:// (the kiosk case): results, facets,
highlighting, escaping, deep links, the header box, keyboard use, and not one request leaving the machine.
The browser's ranking is checked against the Python engine (query.py), whose recall test_search_core.py
proves by brute force."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from site_builder.outputs.search.query import SearchIndex

from conftest import start_server

ROOT_DIR = Path(__file__).resolve().parent.parent
RESULTS = "#dx-search[data-state=results], #dx-search[data-state=none], #dx-search[data-state=error]"


@pytest.fixture(scope="module")
def http_root(sample_site):
    proc, base = start_server(sample_site)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["http", "file"])
def site_url(request, sample_site):
    if request.param == "http":
        return request.getfixturevalue("http_root")
    return sample_site.as_uri() + "/"


class Watch:
    """Every request a page makes, and anything that should never happen (dialogs, script errors)."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.problems: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.problems.append("dialog: " + d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))

    def external(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith("file:") or u.startswith("http://127.0.0.1:") or u.startswith("data:")
                        or u.startswith("blob:") or u == "about:blank")]


def search(page, base: str, query: str):
    page.goto(base + "search.html?q=" + urllib.parse.quote(query))
    page.wait_for_selector(RESULTS, timeout=15000)


def titles(page) -> list[str]:
    return page.eval_on_selector_all(".dx-search__title a", "els => els.map(e => e.textContent)")


def test_results_highlight_and_no_external_requests(page, site_url):
    watch = Watch(page)
    search(page, site_url, "三公经费")
    assert page.get_attribute("#dx-search", "data-state") == "results"
    items = page.query_selector_all(".dx-search__item")
    assert len(items) >= 3
    assert "找到" in page.inner_text(".dx-search__status")
    assert page.query_selector_all(".dx-search__item mark"), "matches are highlighted"
    assert all(m.inner_text().replace("“", "").replace("”", "") in ("三公经费", "三公經費")
               for m in page.query_selector_all(".dx-search__item mark"))
    first = items[0]
    meta = first.inner_text()
    assert "发布机构：" in meta and "发布日期：" in meta and "领域：" in meta
    # result links lead to the record pages
    href = first.query_selector(".dx-search__title a").get_attribute("href")
    assert href.endswith(".html") and "records/" in href
    assert watch.external() == [] and watch.problems == []
    # only this query's index files were loaded, not the whole index
    loaded = [u for u in watch.requests if "/search/g/" in u]
    shards = SearchIndex(page_site_dir(site_url) / "search").meta["shards"]
    assert 0 < len(loaded) < shards


def page_site_dir(site_url: str) -> Path:
    if site_url.startswith("file:"):
        return Path(urllib.parse.unquote(urllib.parse.urlparse(site_url).path))
    return _SITE[0]


_SITE: list[Path] = []


@pytest.fixture(autouse=True)
def _remember_site(sample_site):
    _SITE[:] = [sample_site]


def test_browser_ranking_equals_python_engine(page, sample_site):
    """The browser runs the same matching and ranking as query.py (whose recall is proven by brute force)."""
    ix = SearchIndex(sample_site / "search")
    base = sample_site.as_uri() + "/"
    for q in ("预算", "三公經費", "12345", "云政规[2019]3号", "就业 补贴", "011320503/2024-00007", "hpv", "不存在的词",
              "云溪县第十八届人民代表大会第三次会议审查批准了2024年县级预算"):  # long: 8 spread trigrams
        search(page, base, q)
        ranked = page.evaluate("() => (window.__dxSearch.app.candidates || []).slice()")
        assert ranked == ix.search(q).ranked, q
        shown = page.eval_on_selector_all(".dx-search__item", "els => els.map(e => +e.dataset.id)")
        expected = ix.search(q)
        assert shown == (expected.exact + expected.scattered)[:len(shown)], q
        assert len(shown) == min(10, len(expected.ranked)), q


def test_traditional_and_full_width_queries(page, sample_site):
    base = sample_site.as_uri() + "/"
    search(page, base, "財政預算")
    trad = titles(page)
    search(page, base, "财政预算")
    assert titles(page) == trad and trad
    search(page, base, "１２３４５")
    assert page.query_selector_all(".dx-search__item mark")
    assert "12345" in page.inner_text(".dx-search__item mark")


def test_facets_narrow_results(page, site_url):
    search(page, site_url, "公开")
    before = int(page.evaluate("() => window.__dxSearch.app.filtered.length"))
    boxes = page.query_selector_all(".dx-facet--dep input[type=checkbox]")
    assert len(boxes) >= 2
    name = boxes[0].evaluate("b => b.parentElement.querySelector('.dx-facet__name').textContent")
    count = int(boxes[0].evaluate("b => b.parentElement.querySelector('.dx-count').textContent"))
    boxes[0].click()  # the facets are rebuilt after a change: click, not check()
    page.wait_for_function(f"() => window.__dxSearch.app.filtered.length === {count}")
    page.wait_for_selector(RESULTS)  # refresh() marks the page "loading" until the narrowed list is shown
    assert count < before
    deps = page.eval_on_selector_all(".dx-search__dep", "els => els.map(e => e.textContent)")
    assert deps and all(d == "发布机构：" + name for d in deps)
    assert f"找到 {count} 条" in page.inner_text(".dx-search__status")
    # a year on top narrows further (facets combine with AND across groups)
    year_box = page.query_selector(".dx-facet--year input[type=checkbox]")
    year = year_box.get_attribute("value")
    year_box.click()
    page.wait_for_function(f"() => window.__dxSearch.app.filtered.length <= {count}")
    page.wait_for_selector(RESULTS)
    dates = page.eval_on_selector_all(".dx-search__date time", "els => els.map(e => e.textContent)")
    assert dates and all(d.startswith(year) for d in dates)
    page.click(".dx-facet__clear")
    page.wait_for_function(f"() => window.__dxSearch.app.filtered.length === {before}")
    page.wait_for_selector(RESULTS)


def test_validity_facet(page, sample_site):
    search(page, sample_site.as_uri() + "/", "云溪县")
    labels = page.eval_on_selector_all(".dx-facet--val .dx-facet__name", "els => els.map(e => e.textContent)")
    assert labels and set(labels) <= {"有效", "失效", "废止", "未注明"}


def test_deep_link_and_header_box(page, site_url):
    watch = Watch(page)
    page.goto(site_url + "index.html")
    box = page.locator("#dx-header-q")
    assert box.is_visible()
    box.fill("最低生活保障")
    box.press("Enter")
    page.wait_for_selector(RESULTS, timeout=15000)
    assert "search.html?q=" in page.url
    assert urllib.parse.unquote(page.url.split("q=", 1)[1]).replace("+", " ") == "最低生活保障"
    assert page.input_value("#dx-search-q") == "最低生活保障"
    assert page.query_selector_all(".dx-search__item")
    # the box is on every page, with a relative link that works from a nested page too
    page.goto(site_url + "domains/fiscal.html")
    action = page.get_attribute("form.dx-searchbox", "action")
    assert action == "../search.html"
    page.fill("#dx-header-q", "预算")
    page.press("#dx-header-q", "Enter")
    page.wait_for_selector(RESULTS, timeout=15000)
    assert page.url.split("?")[0].endswith("/search.html")
    assert watch.external() == [] and watch.problems == []


def test_keyboard_operation(page, sample_site):
    page.goto(sample_site.as_uri() + "/search.html")
    page.wait_for_selector("#dx-search[data-ready=true]")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "dx-search-q"
    page.keyboard.type("预算")
    page.keyboard.press("Enter")
    page.wait_for_selector(RESULTS)
    # Tab reaches the first result, ↓ moves to the next
    page.focus("#dx-search-q")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.dx-search__title')"):
            break
    first = page.evaluate("() => document.activeElement.textContent")
    assert first == titles(page)[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.textContent") == titles(page)[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.textContent") == first
    # a facet toggles with the space bar
    total = page.evaluate("() => window.__dxSearch.app.filtered.length")
    page.focus(".dx-facet--dep input[type=checkbox]")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => window.__dxSearch.app.filtered.length < {total}")
    page.wait_for_function("() => document.activeElement.type === 'checkbox' && document.activeElement.checked")
    # Enter on a focused result opens the record
    page.focus(".dx-search__title a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/records/**")


def test_more_results_button(page, sample_site):
    search(page, sample_site.as_uri() + "/", "云溪县")
    assert len(page.query_selector_all(".dx-search__item")) == 10
    page.click(".dx-search__more")
    page.wait_for_function("() => document.querySelectorAll('.dx-search__item').length > 10")
    page.wait_for_selector(RESULTS)
    assert page.evaluate("() => document.activeElement.closest('.dx-search__item').dataset.id") == \
        page.evaluate("() => document.querySelectorAll('.dx-search__item')[10].dataset.id")


def test_no_results_message(page, sample_site):
    search(page, sample_site.as_uri() + "/", "这段文字不会出现在任何记录里")
    assert page.get_attribute("#dx-search", "data-state") == "none"
    assert "没有找到" in page.inner_text(".dx-search__status")


HOSTILE = """---
title: <img src=x onerror=alert(1)>云溪县ＰＰＰ项目</title><script>alert(2)</script>
index_no: 011320503/2026-09999
date: 2026-03-01
department: finance
domains: [fiscal]
tags: ["<b>主题</b>", "財政預算"]
doc_no: 云财发[2026]3号
summary: "\\"><svg onload=alert(3)> 概述"
---
正文提到 <img src=y onerror=alert(4)> 与 １２３４５ 热线，以及國務院辦公廳的文件。
"""


def test_hostile_record_is_text_and_found(page, project, tmp_path):
    from site_builder.commands.cli import build_site

    (project / "content/records/finance/2026-hostile.md").write_text(HOSTILE, encoding="utf-8")
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    watch = Watch(page)
    base = site.as_uri() + "/"
    # markup in the title is published as its text only, and neither it nor the body's <img> is
    # searchable (issue 13: one sanitization policy)
    for q in ("ppp项目", "云财发〔2026〕3号", "12345 热线", "国务院办公厅", "财政预算"):
        search(page, base, q)
        assert "云溪县ＰＰＰ项目" in titles(page), q
    assert page.query_selector(".dx-search__list img") is None
    assert page.query_selector(".dx-search__list script") is None
    assert page.query_selector(".dx-search__list svg") is None
    search(page, base, "onerror")
    assert page.get_attribute("#dx-search", "data-state") == "none"
    page.wait_for_timeout(200)
    assert watch.problems == [], watch.problems
    assert watch.external() == []


def test_directory_urls_from_disk(page, project, tmp_path):
    """With use_directory_urls the page is search/index.html; the header box and result links still work
    when the site is opened from disk (a folder URL would show a file listing there)."""
    from site_builder.commands.cli import build_site

    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("use_directory_urls: false", "use_directory_urls: true"),
                   encoding="utf-8")
    site = build_site(str(cfg), site_dir=str(tmp_path / "site"))
    watch = Watch(page)
    page.goto((site / "domains" / "fiscal" / "index.html").as_uri())
    page.fill("#dx-header-q", "三公经费")
    page.press("#dx-header-q", "Enter")
    page.wait_for_selector(RESULTS, timeout=15000)
    assert page.url.split("?")[0].endswith("/search/index.html")
    assert len(page.query_selector_all(".dx-search__item")) >= 3
    page.click(".dx-search__title a")
    page.wait_for_selector("table.dx-meta")
    assert page.url.endswith("/index.html") and "/records/" in page.url
    assert watch.external() == [] and watch.problems == []


def test_browser_fold_equals_python_fold(page, sample_site):
    """The browser folds queries and record text exactly as the index builder did."""
    from site_builder.outputs.search.fold import fold, js_tables

    chars = set()
    for md in (ROOT_DIR / "content").rglob("*.md"):
        chars.update(md.read_text(encoding="utf-8"))
    chars.update(chr(c) for c in range(0x21, 0x7F))  # ASCII
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full width
    chars.update(chr(c) for c in range(0x2460, 0x24FF))  # circled numbers and letters
    chars.update(chr(c) for c in range(0x3200, 0x3300))  # enclosed CJK
    chars.update(chr(c) for c in range(0xF900, 0xFA6E))  # CJK compatibility ideographs
    chars.update("〔〕［］【】〖〗（）\u3000\u00a0\u2003\t\n")
    chars.update(js_tables()["from"])  # every Traditional character OpenCC knows
    text = "".join(sorted(chars))
    page.goto(sample_site.as_uri() + "/search.html")
    page.wait_for_selector("#dx-search[data-ready=true]")
    got = page.evaluate("(t) => window.__dxSearch.fold(t)", text)
    want = fold(text)
    if got != want:
        diff = [(c, fold(c), page.evaluate("(t) => window.__dxSearch.fold(t)", c)) for c in text
                if page.evaluate("(t) => window.__dxSearch.fold(t)", c) != fold(c)]
        assert not diff, diff[:20]


def test_every_page_has_the_search_box_and_one_index(sample_site):
    """The header box is on every page (a relative link to search.html), and the site carries one search
    index, ours: Material's search plugin is off (no search/search_index.json)."""
    # (admin/ is the editors' form, not a page of the site: tests/test_admin.py)
    pages = [p for p in sample_site.rglob("*.html") if ("search" not in p.relative_to(sample_site).parts[:1]
             or p.name == "search.html") and "admin" not in p.relative_to(sample_site).parts[:1]]
    assert len(pages) > 50
    for p in pages:
        html = p.read_text(encoding="utf-8")
        assert 'class="dx-searchbox"' in html, p
        if p.name == "404.html":  # served at any path: links from the site root (site_url)
            assert 'action="/search.html"' in html
            continue
        depth = len(p.relative_to(sample_site).parts) - 1
        assert f'action="{"./" if depth == 0 else "../" * depth}search.html"' in html, p
    assert not (sample_site / "search" / "search_index.json").exists()
    assert (sample_site / "search" / "meta.js").is_file()


# -- issue 15: reading search results on a phone and a desktop ------------------------------------------

BOUNDARY = set("。！？；!?;…，、：,:）)」』”’》〕】 |")


def _context(browser, width: int):
    phone = width < 600
    return browser.new_context(viewport={"width": width, "height": 844 if phone else 900}, locale="zh-CN",
                               is_mobile=phone, has_touch=phone)


def _snippets(page) -> list[tuple[int, str]]:
    return page.eval_on_selector_all(".dx-search__item", "els => els.map(e => [+e.dataset.id, "
                                     "e.querySelector('.dx-search__snippet').textContent])")


def _doc_texts(page, i: int) -> list[str]:
    return page.evaluate("""async (i) => { const d = await window.__dxSearch.app.engine.doc(i);
        return [d.b || '', d.s || '', (d.g || []).length ? '主题词：' + d.g.join('、') : '',
                [d.o ? '文号：' + d.o : '', d.n ? '索引号：' + d.n : ''].filter(Boolean).join('　')]; }""", i)


def _assert_cut_at_boundaries(page, query: str):
    checked = 0
    for i, text in _snippets(page):
        core = text[1:] if text.startswith("…") else text
        core = core[:-1] if core.endswith("…") else core
        field = next((f for f in _doc_texts(page, i) if core in f), None)
        assert field is not None, (query, text)
        at = field.index(core)
        if text.startswith("…"):
            assert at > 0 and field[at - 1] in BOUNDARY, (query, field[max(0, at - 10):at], core[:20])
            assert not (field[at - 1].isdigit() and core[0].isdigit()), (query, core[:20])
        else:
            assert at == 0, (query, core[:20])
        end = at + len(core)
        if text.endswith("…"):
            assert end < len(field) and (core[-1] in BOUNDARY or field[end] in BOUNDARY), \
                (query, core[-20:], field[end:end + 10])
            assert not (core[-1].isdigit() and field[end].isdigit()), (query, core[-20:], field[end:end + 10])
        else:
            assert end == len(field), (query, core[-20:])
        assert core.strip() == core and not core.startswith("|") and not core.endswith("|")
        checked += 1
    return checked


@pytest.mark.parametrize("width", [390, 1280])
def test_search_reads_well_at_both_sizes(browser, http_root, sample_site, artifacts, width):
    context = _context(browser, width)
    page = context.new_page()
    watch = Watch(page)
    search(page, http_root, "预算")
    # the query stays in the header box
    assert page.input_value("#dx-header-q") == "预算" and page.input_value("#dx-search-q") == "预算"
    assert _assert_cut_at_boundaries(page, "预算") >= 5
    first = page.locator(".dx-search__item").first.bounding_box()
    toggle = page.locator(".dx-search__filter-toggle")
    facets = page.locator(".dx-search__facets")
    if width < 600:
        # the filters fold behind 筛选; the first result (title and snippet) is on the first screen
        assert first["y"] + first["height"] <= 844, first
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert not facets.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # touch screens get no keyboard hints
        assert not page.locator(".dx-search__keys").is_visible()
        page.screenshot(path=str(artifacts / f"search-{width}.png"))
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and facets.is_visible()
        page.locator(".dx-facet--dep input[type=checkbox]").first.click()
        page.wait_for_selector(RESULTS)
        assert "已选 1 项" in toggle.inner_text() and facets.is_visible()  # stays open while filtering
        page.screenshot(path=str(artifacts / f"search-{width}-filters.png"))
    else:
        assert first["y"] + 60 <= 900
        assert not toggle.is_visible() and facets.is_visible()
        assert page.locator(".dx-search__keys").is_visible()
        page.screenshot(path=str(artifacts / f"search-{width}.png"))
    # the header box searches in place on the results page, and both boxes follow
    page.fill("#dx-header-q", "三公经费")
    page.press("#dx-header-q", "Enter")
    page.wait_for_function("() => window.__dxSearch.app.q === '三公经费'")
    page.wait_for_selector(RESULTS)
    assert page.input_value("#dx-search-q") == "三公经费" and "q=" in page.url
    assert _assert_cut_at_boundaries(page, "三公经费") >= 3
    assert watch.problems == [] and watch.external() == []
    context.close()


LAYOUT_SHIFTS = """
window.__dxShift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__dxShift += e.value; });
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width", [360, 412])
def test_results_arriving_on_a_slow_phone_move_nothing(browser, http_root, width):
    """On a phone the results arrive well after the first paint (the index's files come after the page's):
    the status line and the 筛选 button must not push the page down when they do (cumulative layout
    shift, as Lighthouse counts it, under 0.05; 0.1 is the "good" limit)."""
    context = browser.new_context(viewport={"width": width, "height": 823}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=1.75)
    try:
        page = context.new_page()
        page.add_init_script(LAYOUT_SHIFTS)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")  # a slow 4G link and a slow phone, as Lighthouse's mobile run has them
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                      "downloadThroughput": 1.6 * 1024 * 1024 / 8,
                                                      "uploadThroughput": 750 * 1024 / 8})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(http_root + "search.html?q=" + urllib.parse.quote("预算"))
        page.wait_for_function("() => document.querySelectorAll('.dx-search__list li').length > 0", timeout=30000)
        # the first results show while the last shards still load (正在检索……): the count follows them
        page.wait_for_function("() => document.querySelector('.dx-search__status').textContent.includes('找到')",
                               timeout=30000)
        page.wait_for_timeout(500)
        shift = page.evaluate("window.__dxShift")
        assert shift < 0.05, f"layout shift {shift:.3f} at {width} px while the results arrived"
    finally:
        context.close()


def test_snippets_keep_table_cells_apart(page, http_root, sample_site, artifacts):
    """A number found in a table: the snippet shows the cells apart (" | ", rows ended by "；"), and
    starts and ends between cells, never inside a number."""
    from site_builder.outputs.search.tokenize import markdown_text, markdown_texts

    search(page, http_root, "42680")  # 面积 of a plot in the land-transfer result table
    snippets = _snippets(page)
    assert snippets
    i, text = snippets[0]
    assert " | 42680 | " in text and "；" in text, text
    assert text.startswith("…") and text.endswith("…")
    _assert_cut_at_boundaries(page, "42680")
    assert not page.locator(".dx-search__more").is_visible()  # one result: no 显示更多结果
    # the indexed text is unchanged: cells apart by a space only, no separators to match
    body = (ROOT_DIR / "content/records/trading-center/2026-land-transfer-result.md").read_text(encoding="utf-8")
    index_text, shown = markdown_texts(body.split("---", 2)[2])
    assert index_text == markdown_text(body.split("---", 2)[2])
    assert "|" not in index_text and "42680 工业用地" in index_text
    assert "42680 | 工业用地" in shown
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "search-table-snippet-1280.png"))


def test_no_key_hints_on_touch_screens(browser, sample_site):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(sample_site.as_uri() + "/search.html")
    page.wait_for_selector("#dx-search[data-ready=true]")
    assert page.locator(".dx-search__keys").count() == 1
    assert not page.locator(".dx-search__keys").is_visible()
    assert "简体、繁体均可" in page.inner_text(".dx-search__help")
    context.close()


def test_kiosk_search_page_has_no_key_hints(kiosk_copy):
    html = (kiosk_copy / "search.html").read_text(encoding="utf-8")
    assert 'id="dx-search-help"' in html and "dx-search__keys" not in html and "<kbd>" not in html


# -- issue 21: the facet codes (search/facets.js) load only when the filters are seen ---------------------

FACET_COUNTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('.dx-facet')).map(fs => [
  fs.querySelector('legend').textContent,
  Array.from(fs.querySelectorAll('label')).map(l => [l.querySelector('.dx-facet__name').textContent,
                                                     l.querySelector('.dx-count').textContent])]))"""


def _facets_requested(watch: Watch) -> list[str]:
    return [u for u in watch.requests if "/search/facets.js" in u]


def _phone_then_filters(browser, base: str, query: str, artifacts=None, name=""):
    """On a 390 px phone: the results without facets.js, then 筛选 opened (facets.js loads), the counts."""
    context = _context(browser, 390)
    page = context.new_page()
    watch = Watch(page)
    search(page, base, query)
    assert page.get_attribute("#dx-search", "data-state") == "results"
    assert page.locator(".dx-search__item").count() >= 3 and "找到" in page.inner_text(".dx-search__status")
    # a result shows its own 发布机构, 领域 (and badges) without the facet codes
    assert "发布机构：" in page.inner_text(".dx-search__item >> nth=0") and page.locator(".dx-search__domain").count()
    page.wait_for_timeout(300)
    assert _facets_requested(watch) == [] and page.evaluate("() => window.__dxSearch.app.facetsLoaded") is False
    page.click(".dx-search__filter-toggle")
    page.wait_for_selector("#dx-search[data-facets=ready] .dx-facet--dep")
    assert len(_facets_requested(watch)) == 1
    counts = page.evaluate(FACET_COUNTS)
    if artifacts:
        page.screenshot(path=str(artifacts / f"search-facets-{name}390-open.png"))
    return context, page, watch, counts


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_phone_loads_the_facets_only_when_filters_open(browser, sample_site, http_root, artifacts, scheme):
    """390 px: a query's results come without search/facets.js; opening 筛选 loads it and shows the same
    counts as a 1280 px window, which loads it at once; filtering works after (http:// and file://)."""
    base = http_root if scheme == "http" else sample_site.as_uri() + "/"
    context, page, watch, phone_counts = _phone_then_filters(browser, base, "公开", artifacts, "" if scheme == "http" else "file-")
    try:
        wide = _context(browser, 1280)
        wpage = wide.new_page()
        wwatch = Watch(wpage)
        search(wpage, base, "公开")  # data-state=results waits for the facets a wide screen asked for
        assert len(_facets_requested(wwatch)) == 1 and wpage.locator(".dx-facet--dep").count() == 1
        wide_counts = wpage.evaluate(FACET_COUNTS)
        assert phone_counts == wide_counts and {"所属领域", "发布机构", "发布年度", "有效性"} <= set(wide_counts)
        # and they are what query.py reads from facets.js for the same candidates
        ix = SearchIndex(sample_site / "search")
        names = dict(map(tuple, ix.meta["departments"]))
        by_dep = {}
        for i in ix.search("公开").ranked:
            dep = names[ix.record_facets(i)["dep"]]
            by_dep[dep] = by_dep.get(dep, 0) + 1
        assert {name: int(c) for name, c in phone_counts["发布机构"]} == by_dep
        if scheme == "http":
            wpage.screenshot(path=str(artifacts / "search-facets-1280.png"), full_page=True)
        wide.close()
        # filtering on the phone, after the facets came
        name = _pick_first(page, "dep")
        deps = page.eval_on_selector_all(".dx-search__dep", "els => els.map(e => e.textContent)")
        assert deps and all(d == "发布机构：" + name for d in deps)
        assert "已选 1 项" in page.inner_text(".dx-search__filter-toggle")
        # a new query keeps the loaded facets (no second request) and draws them at once
        page.fill("#dx-search-q", "预算")
        page.press("#dx-search-q", "Enter")
        page.wait_for_function("() => window.__dxSearch.app.q === '预算'")
        page.wait_for_selector(RESULTS)
        assert page.locator(".dx-facet--dep").count() == 1 and len(_facets_requested(watch)) == 1
        assert watch.problems == [] and watch.external() == []
    finally:
        context.close()


def test_first_results_never_wait_for_the_facets(browser, http_root, artifacts):
    """1280 px with facets.js held back: the results and their count show, the panel says it is loading
    the filters; when the file comes, the filters appear (and the page counts as settled)."""
    context = _context(browser, 1280)
    page = context.new_page()
    held = []
    page.route("**/search/facets.js*", lambda route: held.append(route))
    try:
        # the held script holds back the load event, not the results
        page.goto(http_root + "search.html?q=" + urllib.parse.quote("预算"), wait_until="domcontentloaded")
        page.wait_for_function("() => /找到 \\d+ 条/.test(document.querySelector('.dx-search__status').textContent)",
                               timeout=15000)
        assert page.locator(".dx-search__item").count() >= 3 and held
        assert "正在载入筛选条件" in page.inner_text(".dx-search__facets")
        assert page.get_attribute("#dx-search", "data-state") == "loading"  # not settled: the filters are due
        page.screenshot(path=str(artifacts / "search-facets-loading-1280.png"))
        held[0].continue_()
        page.wait_for_selector(RESULTS)
        assert page.locator(".dx-facet--dep").count() == 1 and "正在载入" not in page.inner_text(".dx-search__facets")
    finally:
        context.close()


def test_phone_shows_loading_text_then_the_filters(browser, http_root, artifacts):
    """390 px: 筛选 opened while facets.js is on its way says so in the panel."""
    context = _context(browser, 390)
    page = context.new_page()
    held = []
    page.route("**/search/facets.js*", lambda route: held.append(route))
    try:
        search(page, http_root, "预算")
        assert not held
        page.click(".dx-search__filter-toggle")
        page.wait_for_function("() => document.querySelector('.dx-search__facets').textContent.includes('正在载入筛选条件')")
        assert page.locator(".dx-search__facets").is_visible() and len(held) == 1
        page.screenshot(path=str(artifacts / "search-facets-loading-390.png"))
        held[0].continue_()
        page.wait_for_selector("#dx-search[data-facets=ready] .dx-facet--dep")
        assert "正在载入" not in page.inner_text(".dx-search__facets")
    finally:
        context.close()


def _pick_first(page, facet: str) -> str:
    """Ticks the facet's first value and waits for the results it leaves: its name."""
    label = page.locator(f".dx-facet--{facet} label").first
    name, count = label.locator(".dx-facet__name").inner_text(), int(label.locator(".dx-count").inner_text())
    label.locator("input").click()
    page.wait_for_function(f"() => window.__dxSearch.app.filtered.length === {count}")
    page.wait_for_selector(RESULTS)
    return name


def test_kiosk_copy_filters_from_disk(browser, kiosk_copy, artifacts):
    """The kiosk copy from disk (file://) at 390 px: results without facets.js, then 筛选 loads it and
    filters; no request leaves the machine."""
    context, page, watch, counts = _phone_then_filters(browser, kiosk_copy.as_uri() + "/", "公开", artifacts, "kiosk-")
    try:
        assert counts["发布机构"]
        year = _pick_first(page, "year")
        dates = page.eval_on_selector_all(".dx-search__date time", "els => els.map(e => e.textContent)")
        assert dates and all(d.startswith(year.rstrip("年")) for d in dates)
        assert all(u.startswith("file:") or u.startswith("data:") or u.startswith("blob:") for u in watch.requests)
        assert watch.problems == []
    finally:
        context.close()


def test_facets_that_fail_to_load_say_so_and_are_tried_again(browser, http_root):
    """390 px: facets.js fails once; the panel says so, the results stay; 筛选 closed and opened again
    loads it."""
    context = _context(browser, 390)
    page = context.new_page()
    tries = []

    def once_broken(route):
        tries.append(route.request.url)
        route.abort() if len(tries) == 1 else route.continue_()
    page.route("**/search/facets.js*", once_broken)
    try:
        search(page, http_root, "预算")
        page.click(".dx-search__filter-toggle")
        page.wait_for_selector("#dx-search[data-facets=error]")
        page.wait_for_function("() => document.querySelector('.dx-search__facets').textContent.includes('筛选条件载入失败')")
        assert page.locator(".dx-search__item").count() >= 3 and "找到" in page.inner_text(".dx-search__status")
        page.click(".dx-search__filter-toggle")  # closed
        page.click(".dx-search__filter-toggle")  # and opened again
        page.wait_for_selector("#dx-search[data-facets=ready] .dx-facet--dep")
        assert len(tries) == 2 and "载入失败" not in page.inner_text(".dx-search__facets")
    finally:
        context.close()
