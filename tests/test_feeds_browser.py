"""Feeds in a real browser (Debian's Chromium through Playwright).

- a feed's HTML page (where the 订阅 buttons lead) shows its address, what RSS is and its items; the
  feed itself, opened over http://, reads as a Chinese page through assets/feed.css, no XSLT (issue 15);
- hostile titles show as text and run nothing;
- the 订阅 page, opened straight from disk (file://, no network), builds an OPML of exactly the ticked
  domains and departments and downloads it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import start_server

SITE_URL = "https://yunxi.example.gov.cn/"


@pytest.fixture(scope="module")
def served(sample_site):
    proc, base = start_server(sample_site)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _channel(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes()).find("channel")


def _no_dialogs(page) -> list:
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def test_feed_renders_as_a_chinese_page_over_http(page, served, sample_site):
    # issue 15: what the XSLT showed is now the feed's HTML page (….html beside ….xml); item links are
    # the site's own relative links there, so they are compared as resolved against the served site
    dialogs = _no_dialogs(page)
    feed = sample_site / "feeds/domains/fiscal.xml"
    ch = _channel(feed)
    items = ch.findall("item")
    assert len(items) >= 3
    page.goto(served + "feeds/domains/fiscal.html")
    expect(page.locator("h1")).to_have_text(ch.findtext("title"))
    expect(page.get_by_role("heading", name="这是一个 RSS 订阅源")).to_be_visible()
    expect(page.get_by_text(ch.findtext("description"), exact=True)).to_be_visible()
    expect(page.get_by_label("订阅地址：")).to_have_value(SITE_URL + "feeds/domains/fiscal.xml")
    expect(page.get_by_role("heading", name=f"最新信息（{len(items)} 条）")).to_be_visible()
    listed = page.locator("ol.dx-list > li")
    expect(listed).to_have_count(len(items))
    for n, item in enumerate(items[:5]):
        row = listed.nth(n)
        link = row.get_by_role("link", name=item.findtext("title"), exact=True)
        expect(link).to_be_visible()
        assert link.evaluate("a => a.href") == item.findtext("link").replace(SITE_URL, served)
        # "Tue, 10 Feb 2026 00:00:00 +0800" shows as 2026-02-10
        pub = item.findtext("pubDate")
        months = "JanFebMarAprMayJunJulAugSepOctNovDec"
        ymd = f"{pub[12:16]}-{months.index(pub[8:11]) // 3 + 1:02d}-{pub[5:7]}"
        expect(row.locator("time")).to_have_text(ymd)
    assert page.get_by_role("link", name="返回网站查看本栏目").evaluate("a => a.href") == \
        ch.findtext("link").replace(SITE_URL, served)
    assert not dialogs


def test_empty_feed_page_says_so(page, served, sample_site, tmp_path):
    empty = [p for p in (sample_site / "feeds/items").glob("*.xml") if _channel(p).find("item") is None]
    if not empty:
        pytest.skip("every catalogue item of the sample has records")
    page.goto(served + empty[0].relative_to(sample_site).with_suffix(".html").as_posix())
    expect(page.get_by_text("本栏目暂无信息", exact=False)).to_be_visible()


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory):
    from conftest import copy_project
    from test_feeds import HOSTILE_BUILD, make_hostile

    from site_builder.commands.cli import build_site

    base = tmp_path_factory.mktemp("hostile-browser")
    project = make_hostile(copy_project(base / "project"))
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(base / "site"), plugin_options=HOSTILE_BUILD)
    proc, url = start_server(site)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_hostile_titles_show_as_text_and_run_nothing(page, hostile_served):
    dialogs = _no_dialogs(page)
    page.goto(hostile_served + "feeds/all.html")
    # the feed's HTML page lists the record as the site's listings do; markup in text fields is published
    # as its text only (issue 13: one sanitization policy)
    expect(page.get_by_role("link", name="危险 & ]]> 標題😀")).to_be_visible()
    expect(page.get_by_text("摘要 斜 & ]]>", exact=False)).to_be_visible()
    page.goto(hostile_served + "feeds/departments/finance.html")
    expect(page.locator("h1")).to_have_text("云溪县政府信息公开 · 云溪县财政局&]]>")
    page.goto(hostile_served + "subscribe.html")
    expect(page.locator("#dx-subscribe-form label", has_text="云溪县财政局&]]>")).to_be_visible()
    assert page.evaluate("document.querySelectorAll('#dx-subscribe-form i, #dx-subscribe-form script').length") == 0
    assert not dialogs


def _open_subscribe_offline(page, sample_site):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((sample_site / "subscribe.html").as_uri())
    return requests, errors


def test_subscribe_page_downloads_an_opml_of_the_ticked_feeds(page, sample_site):
    requests, errors = _open_subscribe_offline(page, sample_site)
    catalogue = json.loads((sample_site / "data/catalogue.json").read_text(encoding="utf-8"))
    all_titles = {o.get("xmlUrl"): o.get("title")
                  for o in ET.fromstring((sample_site / "feeds.opml").read_bytes()).iter("outline")}
    domains, departments = catalogue["domains"], catalogue["departments"]
    picked = [("domain", domains[0]), ("domain", domains[2]), ("department", departments[1])]

    expect(page.get_by_role("heading", name="选择领域和机构，生成订阅文件")).to_be_visible()
    # keyboard: focus a checkbox and press Space
    first = page.locator(f'input[value="domain:{domains[0]["id"]}"]')
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    # mouse: click the label (the whole label is the target)
    page.locator(f'input[value="domain:{domains[2]["id"]}"]').check()
    box = page.locator(f'input[value="department:{departments[1]["id"]}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()
    # tick and untick one more: it must not be in the file
    other = page.locator(f'input[value="department:{departments[0]["id"]}"]')
    other.check()
    other.uncheck()

    button = page.get_by_role("button", name="下载 OPML 订阅文件")
    with page.expect_download() as info:
        button.focus()
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "subscriptions.opml"
    root = ET.fromstring(Path(download.path()).read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "云溪县政府信息公开 · 我的订阅"
    feeds = [o.attrib for o in root.iter("outline") if "xmlUrl" in o.attrib]
    assert [f["xmlUrl"] for f in feeds] == [SITE_URL + e["feed"] for _, e in picked]
    for f, (kind, e) in zip(feeds, picked):
        assert f["type"] == "rss"
        assert f["title"] == f["text"] == all_titles[f["xmlUrl"]]
        assert f["htmlUrl"] == SITE_URL + e["url"]
    folders = [o.get("text") for o in root.find("body")]
    assert folders == ["重点领域", "发布机构"]
    expect(page.locator("#dx-subscribe-status")).to_contain_text("3 个订阅源")

    assert not errors
    assert all(u.startswith(("file:", "blob:", "data:")) for u in requests), \
        [u for u in requests if not u.startswith(("file:", "blob:", "data:"))]


def test_subscribe_page_asks_for_a_choice_first(page, sample_site):
    _requests, errors = _open_subscribe_offline(page, sample_site)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.get_by_role("button", name="下载 OPML 订阅文件").click()
    expect(page.locator("#dx-subscribe-status")).to_have_text("请至少勾选一个重点领域或发布机构。")
    page.wait_for_timeout(300)
    assert not downloads and not errors


def test_listing_page_subscribe_button_and_alternate_link(page, sample_site):
    page.goto((sample_site / "domains/fiscal.html").as_uri())
    button = page.get_by_role("link", name="订阅 RSS")
    expect(button).to_be_visible()
    href = button.evaluate("a => a.href")
    # issue 15: the button leads to the feed's HTML page; feed discovery keeps pointing at the XML
    assert href == (sample_site / "feeds/domains/fiscal.html").as_uri()
    alt = page.locator('link[rel~="alternate"][type="application/rss+xml"]')
    expect(alt).to_have_count(1)
    assert alt.evaluate("l => l.href") == (sample_site / "feeds/domains/fiscal.xml").as_uri()
    page.get_by_role("link", name="如何订阅？").click()
    expect(page.locator("h1")).to_have_text("订阅")


# --- issue 15: feeds without XSLT ---------------------------------------------------------------------

VISIBLE_TEXT = """() => {  // the text a reader sees: what a select-all copies (display:none left out)
  const s = getSelection(); s.selectAllChildren(document.documentElement);
  const text = s.toString(); s.removeAllRanges(); return text; }"""


def _shot(browser, url: str, path: Path, width: int, full_page: bool = False):
    phone = width < 600
    context = browser.new_context(viewport={"width": width, "height": 844 if phone else 900}, locale="zh-CN",
                                  is_mobile=phone, has_touch=phone)
    pg = context.new_page()
    pg.goto(url)
    pg.wait_for_load_state("load")
    pg.screenshot(path=str(path), full_page=full_page)
    context.close()


def test_feed_xml_reads_as_a_chinese_page_without_xslt(page, served, sample_site, browser, artifacts):
    raw = (sample_site / "feeds/domains/fiscal.xml").read_bytes()
    assert b"text/xsl" not in raw and b'<?xml-stylesheet type="text/css" href="../../assets/feed.css"?>' in raw
    ch = _channel(sample_site / "feeds/domains/fiscal.xml")
    titles = [i.findtext("title") for i in ch.findall("item")]
    page.goto(served + "feeds/domains/fiscal.xml")
    # not transformed into HTML, not Chromium's XML tree viewer: the feed's own elements, styled
    assert page.evaluate("document.documentElement.localName") == "rss"
    assert page.evaluate("getComputedStyle(document.documentElement).display") == "block"
    text = page.evaluate(VISIBLE_TEXT)
    assert ch.findtext("title") in text and ch.findtext("description") in text
    for t in titles:
        assert t in text, t
    # the full text (escaped HTML) and the feed's plumbing stay hidden
    assert "<p>" not in text and "application/rss+xml" not in text and "zh-CN" not in text
    # Chinese labels from the stylesheet; titles large enough to read
    banner = page.evaluate("getComputedStyle(document.querySelector('channel'), '::before').content")
    assert "RSS 订阅源" in banner
    note = page.evaluate("getComputedStyle(document.querySelector('channel > description'), '::after').content")
    assert "RSS 阅读器" in note and "订阅" in note
    assert page.evaluate("getComputedStyle(document.querySelector('item > pubDate'), '::before').content") == '"发布时间："'
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('item > title')).fontSize)")
    assert size >= 16
    box = page.locator("item > title").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] >= 16
    for width in (390, 1280):
        _shot(browser, served + "feeds/domains/fiscal.xml", artifacts / f"feed-xml-{width}.png", width)


def test_feed_page_shows_its_address_and_copies_it(browser, served, sample_site, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.rstrip("/"))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served + "feeds/domains/fiscal.html")
    address = page.get_by_label("订阅地址：")
    expect(address).to_have_value(SITE_URL + "feeds/domains/fiscal.xml")
    expect(page.get_by_role("heading", name="如何订阅")).to_be_visible()
    expect(page.get_by_text("常见的 RSS 阅读器有", exact=False)).to_be_visible()
    page.get_by_role("button", name="复制地址").click()
    expect(page.locator("#dx-feed-copied")).to_contain_text("已复制订阅地址")
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL + "feeds/domains/fiscal.xml"
    # from the 订阅 page too, each feed's link leads to its page
    page.goto(served + "subscribe.html")
    page.locator("ul.dx-feeds a.dx-feed-link").first.click()
    expect(page.get_by_label("订阅地址：")).to_have_value(SITE_URL + "feeds/all.xml")
    assert not errors
    context.close()
    for width in (390, 1280):
        _shot(browser, served + "feeds/domains/fiscal.html", artifacts / f"feed-page-{width}.png", width, full_page=True)


def test_feed_page_on_a_phone_shows_the_whole_address(browser, served):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(served + "feeds/domains/fiscal.html")
    address = page.locator("#dx-feed-url")
    # wrapped, not cut: the field is as tall as its text and no wider than the screen
    assert address.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1")
    box = address.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
