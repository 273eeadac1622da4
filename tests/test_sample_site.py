"""A real `mkdocs build --strict` of the sample site: pages, exports, links, navigation."""

from __future__ import annotations

import html as htmllib
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


from site_builder.plan.index import tag_slug

ROOT = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical",)):
                self.links.append(a[key])


def parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_local_link_resolves(sample_site):
    """Relative links only (the site opens from disk), and every one points at a file that exists."""
    broken = []
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        if page.name == "404.html":
            continue  # served by a web server for unknown URLs only; MkDocs makes its links absolute
        rel_dir = posixpath.dirname(page.relative_to(sample_site).as_posix())
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "tel", "data", "javascript") or link.startswith("#"):
                continue
            assert not link.startswith("/"), f"{page}: absolute path {link} breaks file:// browsing"
            target = posixpath.normpath(posixpath.join(rel_dir, unquote(parts.path)))
            path = sample_site / target
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(sample_site)} → {link}")
    assert not broken, "\n".join(broken[:30])


def test_generated_pages_exist(sample_site, records, catalogue):
    for name in ("index.html", "catalogue.html", "domains/index.html", "departments/index.html",
                 "tags/index.html", "years/index.html"):
        assert (sample_site / name).is_file(), name
    for d in catalogue["domains"]:
        assert (sample_site / d["url"]).is_file()
    for d in catalogue["departments"]:
        assert (sample_site / d["url"]).is_file()
    for i in catalogue["items"]:
        assert (sample_site / i["url"]).is_file()
    for r in records:
        assert (sample_site / r["url"]).is_file()
        for t in r["tags"]:
            assert (sample_site / f"tags/{tag_slug(t)}.html").is_file()
    for year in {r["date"][:4] for r in records}:
        assert (sample_site / f"years/{year}.html").is_file()


def test_exports_match_the_contract(records, catalogue):
    assert len(records) >= 60
    keys = {"index_no", "title", "url", "date", "department", "domains", "item", "tags"}
    for r in records:
        assert keys <= set(r)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
    dates = [r["date"] for r in records]
    assert dates == sorted(dates, reverse=True)
    assert len({r["index_no"] for r in records}) == len(records)
    for kind in ("domains", "departments", "items"):
        for entry in catalogue[kind]:
            assert {"id", "name", "url", "record_count", "last_date"} <= set(entry)
    counted = {i["id"]: i["record_count"] for i in catalogue["items"]}
    for item_id, count in counted.items():
        assert count == sum(1 for r in records if r["item"] == item_id)


def test_records_are_not_in_the_navigation(sample_site, records):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index('class="md-content"')]
    assert "records/" not in nav
    assert "公开事项目录" in nav and "重点领域" in nav and "发布机构" in nav


def test_record_page_has_metadata_panel_and_links(sample_site, records):
    interp = next(r for r in records if r.get("interprets"))
    policy = next(r for r in records if r["index_no"] == interp["interprets"])
    html = (sample_site / interp["url"]).read_text(encoding="utf-8")
    for label in ("索引号", "名称", "发布机构", "成文日期", "发布日期", "文号", "主题词", "有效性", "所属领域", "公开事项"):
        assert f'<th scope="row">{label}</th>' in html
    assert interp["index_no"] in html
    assert posixpath.basename(policy["url"]) in html  # the 解读 links to its policy
    policy_html = (sample_site / policy["url"]).read_text(encoding="utf-8")
    assert posixpath.basename(interp["url"]) in policy_html  # and the policy back to its 解读
    assert 'class="dx-breadcrumb"' in html


def test_expired_record_is_marked(sample_site, records):
    expired = [r for r in records if r.get("validity") in ("失效", "废止")]
    assert expired
    html = (sample_site / expired[0]["url"]).read_text(encoding="utf-8")
    assert f"本文件已{expired[0]['validity']}" in html


def test_attachment_is_shipped_and_linked(sample_site, records):
    with_attachment = []
    for r in records:
        html = (sample_site / r["url"]).read_text(encoding="utf-8")
        if 'class="dx-attachments"' in html:
            with_attachment.append((r, html))
    assert with_attachment
    pdfs = list(sample_site.glob("records/**/*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF")
    assert any(".pdf" in html for _, html in with_attachment)


def test_listing_pages_are_paginated_newest_first(tmp_path):
    """With a page size of 5, no listing page shows more than 5 records, and page 2 follows page 1."""
    from conftest import copy_project
    from site_builder.commands.cli import build_site

    proj = copy_project(tmp_path / "p")
    cfg = proj / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 5"), encoding="utf-8")
    site = build_site(str(cfg), site_dir=str(tmp_path / "site"), strict=True)
    records = json.loads((site / "data/records.json").read_text(encoding="utf-8"))
    big = max(json.loads((site / "data/catalogue.json").read_text(encoding="utf-8"))["domains"],
              key=lambda d: d["record_count"])
    assert big["record_count"] > 5
    page2 = site / f"domains/{big['id']}/2.html"
    assert page2.is_file()
    html = page2.read_text(encoding="utf-8")
    assert html.count('class="dx-list__item"') <= 5
    expected = [r for r in records if big["id"] in r["domains"]][5:10]
    shown = re.findall(r'class="dx-list__title" href="[^"]*?([^/"]+\.html)"', html)
    assert shown == [posixpath.basename(r["url"]) for r in expected]


def test_sitemap_lists_every_record_and_listing(sample_site, records):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for r in records:
        assert f"https://yunxi.example.gov.cn/{r['url']}" in locs
    assert "https://yunxi.example.gov.cn/catalogue.html" in locs
    assert any("/tags/" in loc for loc in locs)


def _column_cards(site: Path) -> list[tuple[str, str]]:
    """The home page's column cards: (href, title)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<a class="dx-entry dx-entry--column" href="([^"]+)"><strong>([^<]+)</strong>', html)


def test_home_page_has_a_card_for_every_column_and_each_page_exists(sample_site):
    """A citizen landing on the home page sees and reaches each column the site has (navigation.py's
    order); every card links to a page this build wrote."""
    from site_builder.plan.navigation import COLUMN_ORDER

    cards = _column_cards(sample_site)
    titles = [t for _, t in cards]
    assert titles == ["政策文件库", "政府公报", "年度报告", "意见征集", "重大建设项目", "重点工作任务", "双公示", "数据开放"]
    for href, title in cards:
        assert not href.startswith(("/", "http")), href  # relative: the site opens from disk
        target = sample_site / unquote(href)
        assert target.is_file(), (title, href)
        assert title in target.read_text(encoding="utf-8"), (title, href)
    # one card per column in the navigation, and the same folders
    nav = {h.split("/", 1)[0] for h in parse(sample_site / "index.html").links if h.split("/", 1)[0] in COLUMN_ORDER}
    assert {href.split("/", 1)[0] for href, _ in cards} == nav == set(COLUMN_ORDER)


def test_a_site_of_records_only_gets_no_column_card(tmp_path):
    """The benchmark corpus (records, no policy library, gazette, datasets …): no card, so no dead or empty one."""
    import sys

    from site_builder.commands.cli import build_site

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.generate(40, tmp_path / "corpus", seed=3, quiet=True)
    site = build_site(str(tmp_path / "corpus/mkdocs.yml"), site_dir=str(tmp_path / "site"))
    html = (site / "index.html").read_text(encoding="utf-8")
    assert _column_cards(site) == [] and "dx-entry--column" not in html
    entries = re.findall(r'<a class="dx-entry[^"]*" href="([^"]+)"', html)
    assert len(entries) == 5 and all((site / unquote(h)).is_file() for h in entries)
    # no site_description in its mkdocs.yml: every page still has a description. A record's is its
    # summary (written, or its body's first paragraph); any other page's is its <title> ("title – site
    # name"; the home page: the site's name). Search engines show it under the link; Lighthouse asks for it.
    for page in [site / "index.html", site / "search.html", *sorted(site.glob("records/**/*.html"))[:20],
                 *sorted(site.glob("domains/*.html"))[:3]]:
        text = page.read_text(encoding="utf-8")
        found = re.search(r'<meta name="description" content="([^"]*)">', text)
        assert found and found.group(1).strip(), f"{page}: no description"
        if not page.is_relative_to(site / "records"):
            title = re.search(r"<title>([^<]*)</title>", text).group(1)
            assert htmllib.unescape(found.group(1)) == htmllib.unescape(title), page
