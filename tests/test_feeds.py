"""RSS feeds, feeds.opml, the 订阅 page and their plugin integration (issue 3).

The sample site (built once per session by conftest) is checked feed by feed against
data/records.json; a copy of the sample with hostile records is built twice (well-formedness and
byte-identical output); two more small builds check the site_url rule and `feeds: false`.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

import feedparser
import pytest

from site_builder.outputs import feeds
from site_builder.sources.catalogue import Catalogue, Department, Domain, Item
from site_builder.sources.dates import SHANGHAI
from site_builder.plan.index import build_index, normalize_tag, tag_slug
from site_builder.plan.urls import Links
from site_builder.sources.records import Attachment, Record

SITE_URL = "https://yunxi.example.gov.cn/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
FEED_LENGTH = 20  # the default feed_length (issue 21: the newest 20, as GOV.UK)


# --- helpers -----------------------------------------------------------------------------------------

def opml_feeds(opml_bytes: bytes) -> list[dict]:
    """Every outline of an OPML that is a feed (has xmlUrl), as a dict of its attributes."""
    root = ET.fromstring(opml_bytes)
    return [dict(o.attrib) for o in root.iter("outline") if "xmlUrl" in o.attrib]


def site_path(site: Path, url: str) -> Path:
    """The file in the built site that an absolute URL under SITE_URL points at."""
    assert url.startswith(SITE_URL), url
    return site / unquote(urlsplit(url).path.lstrip("/"))


def channel(xml_bytes: bytes) -> ET.Element:
    return ET.fromstring(xml_bytes).find("channel")


def expected_guids(kind: str, slug: str, records: list[dict]) -> list[str]:
    def member(r):
        if kind == "all":
            return True
        if kind == "domain":
            return slug in r["domains"]
        if kind == "department":
            return r["department"] == slug
        if kind == "item":
            return r["item"] == slug
        if kind == "tag":
            return any(tag_slug(t) == slug for t in r["tags"] if normalize_tag(t))
        if kind == "project":  # 重大建设项目 (issue 17)
            return r["project"] == slug
        raise AssertionError(kind)
    return [r["index_no"] for r in records if member(r)][:FEED_LENGTH]


OTHER_FEEDS = ("feeds/gazette.xml",)  # feeds of something else than records (政府公报: one item per issue)


def feed_kind(path: str) -> tuple[str, str]:
    if path == "feeds/all.xml":
        return "all", ""
    m = re.fullmatch(r"feeds/(domains|departments|items|tags|projects)/([^/]+)\.xml", path)
    assert m, path
    return m.group(1)[:-1], m.group(2)


# --- pure core, no MkDocs --------------------------------------------------------------------------

def _tiny_index(n_records: int = 3):
    cat = Catalogue(
        domains={"fiscal": Domain("fiscal", "财政预决算", "预算与决算"), "empty": Domain("empty", "空领域")},
        departments={"finance": Department("finance", "云溪县财政局", "011320503", ("fiscal",))},
        items={"budget": Item("budget", "fiscal", "本级预算", "yearly", ("finance",))},
    )
    recs = []
    for i in range(n_records):
        recs.append(Record(
            src_path=f"records/finance/r{i}.md", title=f"记录{i}", index_no=f"011320503/2024-{i:05d}",
            date=dt.datetime(2024, 1, 1 + i, tzinfo=SHANGHAI), department="finance", domains=("fiscal",),
            item="budget", tags=("预算",), summary=f"摘要{i}", url=f"records/finance/r{i}.html",
            attachments=(Attachment("表", "records/finance/files/表 1.pdf", 1234, "application/pdf"),),
        ))
    return build_index(cat, recs)


def test_xml_text_removes_only_what_xml_forbids():
    assert feeds.xml_text("a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh\uffff") == "abcdefgh"
    kept = "tab\tlf\ncr\r 中文 繁體 😀 <&>]]>"
    assert feeds.xml_text(kept) == kept
    assert feeds.xml_text(None) == ""


def test_feed_html_makes_links_absolute_and_strips_scripts():
    html = ('<p id="x" class="y">文 <a href="../other.html#s">链接</a> <a href="#top">锚</a> '
            '<img src="img/a%20b.png" alt="图" onerror="alert(1)"> <a href="javascript:alert(1)">js</a>'
            '<script>alert(2)</script> <a href="https://example.org/x">外</a>\x01</p>')
    out = feeds.feed_html(html, "https://yunxi.example.gov.cn/records/finance/r.html")
    assert 'href="https://yunxi.example.gov.cn/records/other.html#s"' in out
    assert 'href="https://yunxi.example.gov.cn/records/finance/r.html#top"' in out
    assert 'src="https://yunxi.example.gov.cn/records/finance/img/a%20b.png"' in out
    assert 'href="https://example.org/x"' in out
    for bad in ("script", "onerror", "javascript:", "alert(2)", "\x01", 'class="y"'):
        assert bad not in out


def test_render_feed_channel_items_and_enclosures():
    idx = _tiny_index(3)
    links = Links(False)
    fs = feeds.build_feeds(idx, links, "https://yunxi.example.gov.cn/xxgk", {"records/finance/r1.md": "<p>正文</p>"},
                           length=2, site_name="云溪县政府信息公开")
    assert set(fs.files) == {"feeds/all.xml", "feeds/domains/fiscal.xml", "feeds/domains/empty.xml",
                             "feeds/departments/finance.xml", "feeds/items/budget.xml",
                             f"feeds/tags/{tag_slug('预算')}.xml"}
    raw = fs.files["feeds/domains/fiscal.xml"]
    assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n'
                          b'<?xml-stylesheet type="text/css" href="../../assets/feed.css"?>\n')
    assert b'href="../assets/feed.css"' in fs.files["feeds/all.xml"]
    ch = channel(raw)
    assert ch.findtext("title") == "云溪县政府信息公开 · 财政预决算"
    assert ch.findtext("link") == "https://yunxi.example.gov.cn/xxgk/domains/fiscal.html"
    assert ch.findtext("description") == "预算与决算"
    assert ch.findtext("language") == "zh-CN"
    assert ch.find(ATOM_LINK).attrib == {"href": "https://yunxi.example.gov.cn/xxgk/feeds/domains/fiscal.xml",
                                         "rel": "self", "type": "application/rss+xml"}
    items = ch.findall("item")
    assert [i.findtext("guid") for i in items] == ["011320503/2024-00002", "011320503/2024-00001"]  # newest 2
    assert ch.findtext("lastBuildDate") == items[0].findtext("pubDate") == "Wed, 03 Jan 2024 00:00:00 +0800"
    first, second = items
    assert first.find("guid").get("isPermaLink") == "false"
    assert first.findtext("link") == "https://yunxi.example.gov.cn/xxgk/records/finance/r2.html"
    assert first.findtext("description") == "摘要2"
    assert first.find(CONTENT) is None  # no rendered body known for r2
    assert second.findtext(CONTENT) == "<p>正文</p>"
    cats = [(c.text, c.get("domain")) for c in first.findall("category")]
    assert cats == [("财政预决算", "https://yunxi.example.gov.cn/xxgk/domains/index.html"),
                    ("云溪县财政局", "https://yunxi.example.gov.cn/xxgk/departments/index.html"),
                    ("预算", "https://yunxi.example.gov.cn/xxgk/tags/index.html")]
    enc = first.find("enclosure").attrib
    assert enc == {"url": "https://yunxi.example.gov.cn/xxgk/records/finance/files/%E8%A1%A8%201.pdf",
                   "length": "1234", "type": "application/pdf"}


def test_empty_feed_is_deterministic_and_valid():
    idx = _tiny_index(2)
    a = feeds.build_feeds(idx, Links(False), SITE_URL, {}, site_name="云溪县政府信息公开")
    b = feeds.build_feeds(idx, Links(False), SITE_URL, {}, site_name="云溪县政府信息公开")
    assert a.files == b.files and a.opml == b.opml
    empty = a.files["feeds/domains/empty.xml"]
    ch = channel(empty)
    assert ch.find("item") is None and ch.find("lastBuildDate") is None
    assert not feedparser.parse(empty).bozo


def test_site_url_is_required_for_absolute_urls():
    with pytest.raises(ValueError):
        feeds.build_feeds(_tiny_index(1), Links(False), "", {})
    with pytest.raises(ValueError):
        feeds.site_base("/relative/")
    assert feeds.site_base("https://a.example/x") == "https://a.example/x/"


def test_opml_lists_every_feed_grouped():
    idx = _tiny_index(1)
    fs = feeds.build_feeds(idx, Links(True), SITE_URL, {}, site_name="县")
    root = ET.fromstring(fs.opml)
    assert root.get("version") == "2.0" and root.findtext("head/title") == "县 · 订阅源"
    folders = [o.get("text") for o in root.find("body")]
    assert folders == ["全部信息", "重点领域", "发布机构", "公开事项", "主题词"]
    listed = {o["xmlUrl"] for o in opml_feeds(fs.opml)}
    assert listed == {SITE_URL + p for p in fs.files}
    dom = next(o for o in opml_feeds(fs.opml) if o["xmlUrl"].endswith("/fiscal.xml"))
    assert dom == {"type": "rss", "text": "县 · 财政预决算", "title": "县 · 财政预决算", "description": "预算与决算",
                   "xmlUrl": SITE_URL + "feeds/domains/fiscal.xml", "htmlUrl": SITE_URL + "domains/fiscal/",
                   "language": "zh-CN"}


# --- the sample site ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def listed(sample_site):
    return opml_feeds((sample_site / "feeds.opml").read_bytes())


def test_opml_lists_every_feed_file(sample_site, listed, records, catalogue):
    files = {p.relative_to(sample_site).as_posix() for p in (sample_site / "feeds").rglob("*.xml")}
    paths = {urlsplit(o["xmlUrl"]).path.lstrip("/") for o in listed}
    assert paths == files
    tags = {tag_slug(t) for r in records for t in r["tags"] if normalize_tag(t)}
    projects = json.loads((sample_site / "data/projects.json").read_text(encoding="utf-8"))  # 重大建设项目 (issue 17)
    assert len(files) == 1 + len(catalogue["domains"]) + len(catalogue["departments"]) + len(catalogue["items"]) \
        + len(tags) + len(OTHER_FEEDS) + len(projects)
    for o in listed:
        assert o["title"].startswith("云溪县政府信息公开 · ")
        assert site_path(sample_site, o["htmlUrl"]).is_file()


def test_every_feed_parses_and_holds_the_newest_records(sample_site, listed, records):
    checked = 0
    for o in listed:
        path = site_path(sample_site, o["xmlUrl"])
        if path.relative_to(sample_site).as_posix() in OTHER_FEEDS:
            continue  # not a feed of records: tests/test_gazette.py
        raw = path.read_bytes()
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        assert parsed.feed.title == o["title"]
        assert parsed.feed.language == "zh-CN"
        kind, slug = feed_kind(path.relative_to(sample_site).as_posix())
        want = expected_guids(kind, slug, records)
        assert [e.id for e in parsed.entries] == want, path
        ch = channel(raw)
        assert ch.find(ATOM_LINK).get("href") == o["xmlUrl"]
        if want:
            assert ch.findtext("lastBuildDate") == ch.find("item").findtext("pubDate")
        else:
            assert ch.find("lastBuildDate") is None
        checked += 1
    assert checked > 50
    assert any(len(feedparser.parse(site_path(sample_site, o["xmlUrl"]).read_bytes()).entries) == FEED_LENGTH
               for o in listed), f"the sample has more than {FEED_LENGTH} records: the all-records feed is capped at {FEED_LENGTH}"


def test_items_have_guid_date_link_categories_and_content(sample_site, records):
    by_no = {r["index_no"]: r for r in records}
    raw = (sample_site / "feeds/all.xml").read_bytes()
    for item in channel(raw).findall("item"):
        r = by_no[item.findtext("guid")]
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("title") == r["title"]
        assert item.findtext("link") == SITE_URL + r["url"]
        pub = item.findtext("pubDate")
        assert pub.endswith(" +0800"), pub
        assert format_datetime(dt.datetime.fromisoformat(r["datetime"])) == pub
        cats = [c.text for c in item.findall("category")]
        assert set(r["tags"]) <= set(cats)
        body = item.findtext(CONTENT)
        assert body and body.lstrip().startswith("<")
        for url in re.findall(r'(?:href|src)="([^"]*)"', body):
            assert urlsplit(url).scheme in ("https", "http", "mailto", "tel"), url
    entries = feedparser.parse(raw).entries
    assert all(e.guidislink is False for e in entries)
    assert all(e.published_parsed for e in entries)


def test_enclosures_have_real_size_and_type(sample_site):
    seen = 0
    for path in (sample_site / "feeds").rglob("*.xml"):
        for enc in ET.fromstring(path.read_bytes()).iter("enclosure"):
            target = site_path(sample_site, enc.get("url"))
            assert target.is_file(), enc.get("url")
            assert int(enc.get("length")) == target.stat().st_size
            assert enc.get("type") in ("application/pdf", "text/csv") or "/" in enc.get("type")
            seen += 1
    assert seen >= 2
    pdf = next(e for e in ET.fromstring((sample_site / "feeds/domains/fiscal.xml").read_bytes()).iter("enclosure")
               if e.get("url").endswith(".pdf"))
    assert pdf.get("type") == "application/pdf"


def test_each_feed_points_at_the_stylesheet(sample_site):
    # issue 15: a CSS stylesheet (browsers keep it), no XSLT (browsers are switching it off)
    assert (sample_site / "assets/feed.css").is_file()
    assert not (sample_site / "assets/feed.xsl").exists()
    for path in (sample_site / "feeds").rglob("*.xml"):
        head = path.read_bytes()[:200].decode("utf-8", "ignore")
        href = re.search(r'<\?xml-stylesheet type="text/css" href="([^"]+)"\?>', head).group(1)
        assert "text/xsl" not in head
        assert not href.startswith(("/", "http")), href
        assert (path.parent / href).resolve() == (sample_site / "assets/feed.css").resolve()


def test_catalogue_json_gives_each_entry_its_feed(sample_site, catalogue):
    for kind in ("domains", "departments", "items"):
        for entry in catalogue[kind]:
            assert entry["feed"] == f"feeds/{kind}/{entry['id']}.xml"
            assert (sample_site / entry["feed"]).is_file()


def test_listing_pages_link_their_feed(sample_site, catalogue, records):
    tag = records[0]["tags"][0]
    pages = [("index.html", "feeds/all.xml"),
             (f"tags/{tag_slug(tag)}.html", f"feeds/tags/{tag_slug(tag)}.xml")]
    for kind in ("domains", "departments", "items"):
        pages += [(e["url"], e["feed"]) for e in catalogue[kind]]
    for page, feed in pages:
        html = (sample_site / page).read_text(encoding="utf-8")
        rel = posixpath.relpath(feed, posixpath.dirname(page) or ".")
        alternate = re.search(r'<link rel="alternate feed" type="application/rss\+xml" title="([^"]+)" href="([^"]+)">', html)
        assert alternate and alternate.group(2) == rel, page
        assert alternate.group(1).startswith("云溪县政府信息公开 · ")
        # issue 15: the 订阅 button leads to the feed's HTML page (….html beside ….xml), not the XML
        assert f'class="md-button dx-subscribe" href="{rel[:-len(".xml")]}.html"' in html, page
        assert "订阅 RSS" in html
    # paginated listings keep their feed; non-listing pages have none
    assert '<link rel="alternate feed" type="application/rss+xml"' not in (sample_site / "catalogue.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/rss+xml"' not in (sample_site / records[0]["url"]).read_text(encoding="utf-8")


def test_every_feed_has_an_html_page_with_its_address_and_items(sample_site, listed):
    """Issue 15: where the 订阅 buttons lead — feeds/…/x.html beside x.xml: the address to copy (and a
    copy button, script in a file), what RSS is, readers, the items the feed holds; it names its feed
    for discovery (<link rel=alternate>, pointing at the XML)."""
    from markupsafe import escape

    for o in listed:
        xml = site_path(sample_site, o["xmlUrl"])
        page = xml.with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(sample_site).parts) - 1
        assert f'>{o["xmlUrl"]}</textarea>' in html, page
        assert 'data-dx-copy="dx-feed-url"' in html and f'<script src="{"../" * depth}assets/feed-page.js"></script>' in html
        assert "这是一个 RSS 订阅源" in html and "RSS 阅读器" in html
        assert f'<h1>{escape(o["title"])}</h1>' in html
        assert f'<link rel="alternate feed" type="application/rss+xml" title="{escape(o["title"])}" href="{xml.name}">' in html
        items = channel(xml.read_bytes()).findall("item")
        assert f"最新信息（{len(items)} 条）" in html, page
        for item in items:
            assert str(escape(item.findtext("title"))) in html, (page, item.findtext("title"))
        if not items:
            assert "本栏目暂无信息" in html
        article = html[html.index("<article"):html.index("</article>")]
        assert "<script>" not in article and "<style" not in article and " style=" not in article  # no inline code
    assert (sample_site / "assets/feed-page.js").is_file() and (sample_site / "assets/feed-page.css").is_file()


def test_subscribe_page_lists_every_feed_and_is_in_the_nav(sample_site, listed, catalogue):
    html = (sample_site / "subscribe.html").read_text(encoding="utf-8")
    assert "<h1>订阅</h1>" in html
    for label in ("重点领域", "发布机构", "公开事项", "主题词"):
        assert f"<h3>{label}</h3>" in html
    for o in listed:  # issue 15: each feed's 订阅 link leads to its HTML page, not the XML
        assert f'href="{urlsplit(o["xmlUrl"]).path.lstrip("/")[:-len(".xml")]}.html"' in html
    assert 'href="feeds.opml" download' in html
    assert '<script src="assets/subscribe.js"></script>' in html
    data = json.loads(re.search(r'<script type="application/json" id="dx-subscribe-data">(.*?)</script>', html, re.S)
                      .group(1))
    assert set(data["feeds"]) == {f"domain:{d['id']}" for d in catalogue["domains"]} | \
        {f"department:{d['id']}" for d in catalogue["departments"]}
    boxes = re.findall(r'<input type="checkbox" id="([^"]+)" name="feed" value="([^"]+)">', html)
    assert {v for _, v in boxes} == set(data["feeds"])
    for box_id, _ in boxes:
        assert f'<label for="{box_id}">' in html
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index('class="md-content"')]
    assert 'href="subscribe.html"' in nav and "订阅" in nav
    assert nav.index("按年度浏览") < nav.index("subscribe.html")


# --- hostile content, determinism ------------------------------------------------------------------

# control characters in a record are refused since issue 13 (they are checked in test_input_limits.py);
# the feeds' own stripping of them is tested on Records made directly (test_items_are_the_bytes_…)
HOSTILE_TITLE = "危险<script>alert(1)</script> & ]]> 標題😀"
HOSTILE_RECORD = r'''---
title: "危险<script>alert(1)</script> & ]]> 標題😀"
index_no: 011320503/2026-09999
date: 2026-12-30
department: finance
domains: [fiscal]
item: fiscal-general-budget
tags: ["<b>粗</b>&amp;", "]]>", "繁體標籤😀"]
summary: "摘要 <i>斜</i> & ]]>  政府資訊公開"
attachments:
  - {title: "附件<&>", path: "files/危险 附件.txt"}
---
正文 <script>alert('x')</script> & ]]> CTRL[] 😀 繁體中文內容，政府資訊公開。

[相对链接](2024-general-budget.md) ![图](files/pic.png) <a href="javascript:alert(1)">js</a>

<img src="files/pic.png" onerror="alert(1)"> <![CDATA[ x ]]> &#1; &#x0b;
'''


HOSTILE_BUILD = {"build_date": "2026-12-30"}  # build on the hostile record's day: published, and the newest


def make_hostile(project: Path) -> Path:
    rec_dir = project / "content/records/finance"
    (rec_dir / "zz-hostile.md").write_text(HOSTILE_RECORD, encoding="utf-8")
    (rec_dir / "files").mkdir(exist_ok=True)
    (rec_dir / "files/危险 附件.txt").write_bytes("附件内容 <&>\n".encode("utf-8") * 7)
    (rec_dir / "files/pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    deps = project / "catalogue/departments.yml"
    text = deps.read_text(encoding="utf-8")
    assert "name: 云溪县财政局\n" in text
    deps.write_text(text.replace("name: 云溪县财政局\n", 'name: "云溪县财政局<i>&amp;</i>]]>"\n'), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory):
    from conftest import copy_project
    from site_builder.commands.cli import build_site

    import functools

    from site_builder.mkdocs_adapter import plugin
    from site_builder.parallel import Parallelism

    base = tmp_path_factory.mktemp("hostile")
    project = make_hostile(copy_project(base / "project"))
    cfg = str(project / "mkdocs.yml")
    day = HOSTILE_BUILD
    one = build_site(cfg, site_dir=str(base / "one"), plugin_options=day)  # small: one process writes the feeds
    # two processes, as above 2,000 feed items (the plugin's Parallelism with the feeds' threshold at 0)
    plugin.Parallelism = functools.partial(Parallelism, feeds_split_min_items=0)
    try:
        two = build_site(cfg, site_dir=str(base / "two"), plugin_options=day)
    finally:
        plugin.Parallelism = Parallelism
    return one, two


def test_split_feeds_gives_every_feed_to_exactly_one_part():
    fs = feeds.plan_feeds(_tiny_index(5), Links(False))
    parts = feeds.split_feeds(fs, 2, 2)
    assert len(parts) == 2 and all(parts)
    assert sorted(p for part in parts for p in part) == sorted(f.path for f in fs.feeds)
    assert feeds.split_feeds(fs, 2, 1) == [{f.path for f in fs.feeds}]


def _item_by_elementtree(r, idx, links, base, html_by_src) -> tuple[str, bool]:
    """The <item> as ElementTree writes it inside a feed: what render_item() must match byte for byte
    (but for content:encoded, which render_item() writes as CDATA: see _same_item)."""
    def sub(parent, tag, content=None, /, **attrs):
        el = ET.SubElement(parent, tag, {k: feeds.xml_text(v) for k, v in attrs.items()})
        if content is not None:
            el.text = feeds.xml_text(content)
        return el

    cat = idx.catalogue
    it = ET.Element("item")
    sub(it, "title", r.title)
    sub(it, "link", feeds.record_link(base, links, r))
    sub(it, "guid", r.index_no, isPermaLink="false")
    sub(it, "pubDate", format_datetime(r.date))
    sub(it, "description", r.summary)
    full = html_by_src.get(r.src_path)
    if full is not None:
        sub(it, CONTENT, full)
    for d in r.domains:
        if d in cat.domains:
            sub(it, "category", cat.domains[d].name, domain=feeds.absolute(base, links.domains()))
    if r.department in cat.departments:
        sub(it, "category", cat.departments[r.department].name, domain=feeds.absolute(base, links.departments()))
    for t in r.tags:
        sub(it, "category", t, domain=feeds.absolute(base, links.tags()))
    for a in r.attachments:
        sub(it, "enclosure", url=feeds.absolute(base, a.path), length=str(a.size), type=a.mime)
    rss = ET.Element("rss")
    ET.SubElement(rss, "channel").append(it)
    ET.indent(rss, space=" ")
    text = ET.tostring(rss, encoding="unicode")
    return text[text.index("<item>"):text.rindex("</item>") + len("</item>")], full is not None


def test_items_are_the_bytes_elementtree_writes():
    cat = Catalogue(
        domains={"fiscal": Domain("fiscal", '财政<预决算> & "公开"', "")},
        departments={"finance": Department("finance", "财政局]]>\x01", "011320503", ("fiscal",))},
        items={},
    )
    odd = Record(
        src_path="records/finance/odd.md", title='标题 <b>&amp;</b> "引号" \x0b\ttab\r\n换行 ]]>',
        index_no='011320503/2024-"1"&<', date=dt.datetime(2024, 5, 6, 7, 8, tzinfo=SHANGHAI),
        department="finance", domains=("fiscal", "gone"), item=None, tags=("A&B", "<标签>", '"q"\t'),
        summary="", url="records/finance/odd.html",
        attachments=(Attachment("表", 'records/finance/files/a "b"\t&<c>.pdf', 0, 'text/plain;\tx="y"\r\n'),
                     Attachment("图", "records/finance/files/图.png", 12, "image/png")),
    )
    plain = Record(
        src_path="records/finance/plain.md", title="普通", index_no="011320503/2024-00002",
        date=dt.datetime(2024, 5, 7, tzinfo=SHANGHAI), department="nobody", domains=(), item=None, tags=(),
        summary=None, url="records/finance/plain.html", attachments=())
    idx = build_index(cat, [odd, plain])
    html = {odd.src_path: '<p>正文 &amp; <a href="https://x.example/?a=1&amp;b=2">链接</a> ]]> \x01</p>\n<p>二</p>'}
    base = feeds.site_base(SITE_URL)
    for r in (odd, plain):
        _same_item(feeds.render_item(r, idx, Links(False), base, html),
                   _item_by_elementtree(r, idx, Links(False), base, html))


def _same_item(ours: tuple[str, bool], elementtree: tuple[str, bool]) -> None:
    """Byte for byte once the full text's CDATA section is written as ElementTree escapes it; and the
    same XML once parsed."""
    (text, full), (want, want_full) = ours, elementtree
    assert full == want_full
    if full:
        assert text.count("<![CDATA[") >= 1 and "&lt;p&gt;" not in text
    escaped = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: xml_escape(m.group(1)), text, flags=re.S)
    assert escaped == want
    wrap = '<rss xmlns:content="http://purl.org/rss/1.0/modules/content/">{}</rss>'
    assert ET.canonicalize(wrap.format(text)) == ET.canonicalize(wrap.format(want))


def test_two_builds_give_identical_feed_bytes(hostile_builds):
    one, two = hostile_builds
    outputs = sorted(p.relative_to(one).as_posix() for p in (one / "feeds").rglob("*.xml"))
    assert len(outputs) > 50
    for rel in outputs + ["feeds.opml", "data/catalogue.json"]:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    assert sorted(p.relative_to(two).as_posix() for p in (two / "feeds").rglob("*.xml")) == outputs


def test_hostile_content_gives_well_formed_feeds(hostile_builds):
    site = hostile_builds[0]
    for path in list((site / "feeds").rglob("*.xml")) + [site / "feeds.opml"]:
        raw = path.read_bytes()
        ET.fromstring(raw)  # raises on anything ill-formed
        assert not feedparser.parse(raw).bozo, path
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw), path
    raw = (site / "feeds/all.xml").read_bytes()
    item = channel(raw).find("item")  # the hostile record is the newest
    assert item.findtext("guid") == "011320503/2026-09999"
    # markup in text fields is not published, only its text (issue 13: one sanitization policy)
    assert item.findtext("title") == "危险 & ]]> 標題😀"
    assert item.findtext("description") == "摘要 斜 & ]]> 政府資訊公開"
    cats = [c.text for c in item.findall("category")]
    assert "云溪县财政局&]]>" in cats and "粗&" in cats and "]]>" in cats
    body = item.findtext(CONTENT)
    assert "繁體中文內容" in body and "😀" in body and "CTRL[]" in body
    # the body's <script> is dropped or shown as text, never kept as an element
    for bad in ("<script", "javascript:", "onerror"):
        assert bad not in body
    assert 'href="https://yunxi.example.gov.cn/records/finance/2024-general-budget.html"' in body
    assert 'src="https://yunxi.example.gov.cn/records/finance/files/pic.png"' in body
    enc = item.find("enclosure")
    assert enc.get("url") == SITE_URL + "records/finance/files/%E5%8D%B1%E9%99%A9%20%E9%99%84%E4%BB%B6.txt"
    assert int(enc.get("length")) == site_path(site, enc.get("url")).stat().st_size
    assert enc.get("type") == "text/plain"
    entry = feedparser.parse(raw).entries[0]
    assert entry.id == "011320503/2026-09999" and entry.guidislink is False
    # every tag, however written, has its own well-formed feed
    for tag in ("粗&", "]]>", "繁體標籤😀"):  # "<b>粗</b>&amp;" as published: its text (issue 13)
        tag_feed = site / f"feeds/tags/{tag_slug(tag)}.xml"
        assert [e.id for e in feedparser.parse(tag_feed.read_bytes()).entries] == ["011320503/2026-09999"]
    # the department's channel title survives escaping
    dep = channel((site / "feeds/departments/finance.xml").read_bytes())
    assert dep.findtext("title") == "云溪县政府信息公开 · 云溪县财政局&]]>"


def test_hostile_names_are_escaped_on_the_subscribe_page(hostile_builds):
    site = hostile_builds[0]
    html = (site / "subscribe.html").read_text(encoding="utf-8")
    assert "<b>粗</b>" not in html and "<i>&amp;</i>" not in html
    assert "粗&amp;" in html  # markup in text fields is not published, only its text (issue 13)
    block = re.search(r'<script type="application/json" id="dx-subscribe-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block  # tojson escapes < > & ' so nothing can close the script element
    data = json.loads(block)
    assert data["feeds"]["department:finance"]["title"] == "云溪县政府信息公开 · 云溪县财政局&]]>"
    opml = opml_feeds((site / "feeds.opml").read_bytes())
    assert any(o["text"] == "云溪县政府信息公开 · 主题词：粗&" for o in opml)


# --- configuration -----------------------------------------------------------------------------------

def _edit_config(project: Path, *, site_url: str | None, feeds_off: bool = False) -> str:
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert re.search(r"^site_url: .*$", text, re.M)
    text = re.sub(r"^site_url: .*\n", "" if site_url is None else f"site_url: {site_url}\n", text, flags=re.M)
    if feeds_off:
        assert "  - disclosure:\n" in text
        text = text.replace("  - disclosure:\n", "  - disclosure:\n      feeds: false\n", 1)
    cfg.write_text(text, encoding="utf-8")
    return str(cfg)


def test_build_without_site_url_fails_with_a_clear_message(project, tmp_path, caplog):
    from mkdocs.exceptions import MkDocsException

    from site_builder.commands.cli import build_site

    cfg = _edit_config(project, site_url=None)
    with pytest.raises(MkDocsException):
        build_site(cfg, site_dir=str(tmp_path / "site"))
    # MkDocs logs the plugin's message as an error, then aborts
    message = "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert "site_url" in message and "mkdocs.yml" in message and "订阅源" in message and "feeds: false" in message
    assert not (tmp_path / "site").exists()


def test_feeds_off_publishes_no_feeds(project, tmp_path):
    from site_builder.commands.cli import build_site

    site = build_site(_edit_config(project, site_url=None, feeds_off=True), site_dir=str(tmp_path / "site"))
    assert (site / "index.html").is_file()
    assert not (site / "feeds").exists() and not (site / "feeds.opml").exists()
    assert not (site / "subscribe.html").exists()
    assert not (site / "assets/feed.css").exists() and not (site / "assets/subscribe.js").exists()
    assert not (site / "assets/feed-page.js").exists() and not (site / "assets/feed-page.css").exists()
    catalogue = json.loads((site / "data/catalogue.json").read_text(encoding="utf-8"))
    assert all("feed" not in e for kind in ("domains", "departments", "items") for e in catalogue[kind])
    for page in ["index.html", "domains/fiscal.html", "departments/finance.html", *(
            p.relative_to(site).as_posix() for p in list((site / "tags").glob("*.html"))[:3])]:
        html = (site / page).read_text(encoding="utf-8")
        assert "application/rss+xml" not in html and "dx-subscribe" not in html, page
        assert "subscribe.html" not in html, page
