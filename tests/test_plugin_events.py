"""Issue 20, item 2: other MkDocs plugins' page events run on the pages our plugin renders (records and
listing pages, in the render workers), with two real plugins from PyPI beside ours:
mkdocs-minify-plugin (on_post_page: every page's HTML minified) and mkdocs-glightbox (on_page_content:
images in a record's body wrapped in a lightbox link; on_post_page: its script). A second, cached build
gives the same pages (the plugins and their versions are in the caches' keys)."""

from __future__ import annotations

import filecmp
import struct
import zlib

from conftest import copy_project

from site_builder.commands.build import build_site

RECORD = "records/agriculture/2022-farmland-subsidy-disbursement"
LISTING = "departments/agriculture"


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def project(dest, plugins: str):
    proj = copy_project(dest)
    for folder in ("content", "content/records/agriculture"):
        (proj / folder / "dot.png").write_bytes(tiny_png())
    for page in ("about", RECORD):
        md = proj / "content" / f"{page}.md"
        md.write_text(md.read_text(encoding="utf-8") + "\n\n![示意图](dot.png)\n", encoding="utf-8")
    config = proj / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n" + plugins, 1)
    text = text.replace("      catalogue: catalogue\n",
                        "      catalogue: catalogue\n      build_date: '2026-11-22'\n      report_date: '2026-11-22'\n", 1)
    config.write_text(text, encoding="utf-8")
    return proj


def pages(site):
    return {page: (site / f"{page}.html").read_text(encoding="utf-8") for page in ("about", RECORD, LISTING)}


def test_minify_and_glightbox_work_on_records_and_listings(tmp_path):
    plain = pages(build_site(str(project(tmp_path / "plain", "") / "mkdocs.yml"), str(tmp_path / "site-plain")))
    proj = project(tmp_path / "with", "  - glightbox\n  - minify:\n      minify_html: true\n")
    site = build_site(str(proj / "mkdocs.yml"), str(tmp_path / "site-with"))
    got = pages(site)
    for page in ("about", RECORD, LISTING):
        # minify (on_post_page): far fewer lines on every kind of page
        assert got[page].count("\n") < plain[page].count("\n") / 2, page
        assert "<html lang=zh " in got[page] and '<html lang="zh"' in plain[page], page  # quotes dropped
        # glightbox (on_post_page): its script on every page
        assert "glightbox.min.js" in got[page], page
    for page in ("about", RECORD):
        # glightbox (on_page_content): the image wrapped in a lightbox link, on MkDocs' page and on our record
        assert 'class="glightbox"' in got[page] or "class=glightbox" in got[page], page
        assert "glightbox" not in plain[page], page
    # a second build reuses the body and page caches: the same pages
    again = build_site(str(proj / "mkdocs.yml"), str(tmp_path / "site-again"))
    for page in ("about", RECORD, LISTING):
        assert filecmp.cmp(site / f"{page}.html", again / f"{page}.html", shallow=False), page


def test_links_to_pages_the_plugin_publishes_are_not_told_as_excluded_and_a_real_exclusion_still_is(
        tmp_path, caplog):
    """MkDocs logs "Doc file … contains a link to … which is excluded from the built site." for a link to any
    file marked excluded. Records and the generated pages off the navigation are excluded only from MkDocs'
    own loop and are published (plugin.LinksToOurPages): the sample's ordinary pages link to both kinds,
    and the line told editors on every build that those links did not work."""
    import logging

    proj = copy_project(tmp_path / "p")
    (proj / "content/drafts").mkdir()
    (proj / "content/drafts/plan.md").write_text("# 草稿\n\n尚未定稿。\n", encoding="utf-8")
    guide = proj / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n\n另见[草稿](drafts/plan.md)。\n", encoding="utf-8")
    config = proj / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nexclude_docs: |\n  drafts/\n", encoding="utf-8")
    with caplog.at_level(logging.INFO):
        site = build_site(str(config), site_dir=str(tmp_path / "site"))
    said = [r.getMessage() for r in caplog.records if "excluded from the built site" in r.getMessage()]
    assert said == ["Doc file 'guide.md' contains a link to 'drafts/plan.md' which is excluded from the built site."]
    html = (site / "guide.html").read_text(encoding="utf-8")
    assert 'href="apply-form.html"' in html and (site / "apply-form.html").is_file()  # linked, and published
    assert not (site / "drafts").exists()
    # the filter goes with the build: MkDocs' own line is told again outside one
    assert not logging.getLogger("mkdocs.structure.pages").filters


HOOK = '''
def on_page_markdown(markdown, page, config, files):
    return markdown + "\\n\\n钩子添加的段落（{}）。\\n"

def on_page_content(html, page, config, files):
    return html + '<p class="hook-note">钩子添加的内容</p>'
'''


def test_what_other_plugins_add_reaches_the_generated_pages_too(tmp_path):
    """A hook appending to every page (on_page_markdown, on_page_content): MkDocs' own pages and the
    records showed it; the generated pages (listings, catalogue, report, search, feeds' pages, the home
    page) saw an empty page and dropped what it returned. Now it is rendered and shown after the page's
    own content, once; and a second build with the hook edited shows the new text (cached pages too)."""
    proj = project(tmp_path / "p", "")
    (proj / "hooks.py").write_text(HOOK.format("第一版"), encoding="utf-8")
    config = proj / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "hooks:\n  - hooks.py\nplugins:\n", 1),
                      encoding="utf-8")
    generated = ("index", LISTING, "departments/index", "catalogue", "report", "search", "tags/index",
                 "feeds/departments/agriculture")
    from mkdocs.config.config_options import Hooks

    for version in ("第一版", "第二版（改动后）"):  # the second longer: see test_cache_guard.edit_hook
        (proj / "hooks.py").write_text(HOOK.format(version), encoding="utf-8")
        Hooks._load_hook.cache_clear()  # MkDocs loads a hooks file once per process
        site = build_site(str(config), str(tmp_path / "site"))
        for page in ("about", RECORD) + generated:
            html = (site / f"{page}.html").read_text(encoding="utf-8")
            assert html.count(f"<p>钩子添加的段落（{version}）。</p>") == 1, (page, version)
            assert html.count('<p class="hook-note">钩子添加的内容</p>') == 1, (page, version)
        listing = (site / f"{LISTING}.html").read_text(encoding="utf-8")
        assert listing.index('class="dx-list"') < listing.index('<div class="dx-added"><p>钩子添加的段落')
