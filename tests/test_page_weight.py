"""Page weight: the chrome around a record or a listing (Material's header, navigation, table of
contents, footer, configuration) is on every one of the site's many pages, so it is written compactly,
without what nothing on the page uses, and without changing what a reader sees or Material's script
needs (site_builder/htmlout.py, theme/main.html, theme/partials/)."""

from __future__ import annotations

import json
import re

import pytest

from site_builder.render.htmlout import compact

RECORD = "records/finance/2024-general-budget.html"  # headings (a table of contents), a table, an attachment
LISTING = "domains/fiscal.html"
LOGO = "M12 8a3 3 0 0 0 3-3"  # Material's default logo (material/library)
MENU = "M3 6h18v2H3z"  # Material's menu icon


def chrome_bytes(html: str) -> int:
    """Bytes of everything but the page's own content (Material's <article class="md-content__inner">)."""
    start = html.index('<article class="md-content__inner md-typeset">')
    end = html.rindex("</article>")
    return len(html.encode()) - len(html[start:end].encode())


# -- site_builder/htmlout.py --------------------------------------------------------------------------

def test_compact_keeps_pre_textarea_script_and_style_exactly():
    kept = ["<pre> a\n\n    b </pre>", "<textarea>\n  x\n</textarea>", "<script>if (a>\n<b) {}\n</script>",
            "<style>\n a > b { }\n</style>"]
    out = compact("<body>\n   <p>x</p>\n\n" + "\n  ".join(kept) + "\n</body>")
    for block in kept:
        assert block in out
    assert "<body>\n<p>x</p>\n" in out


def test_compact_collapses_line_breaks_and_empties_the_head():
    html = ("\n<!doctype html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <title>a\n   b</title>\n"
            "    <script>x>\n<y</script>\n  </head>\n  <body>\n    <p>one\n      two</p>\n  </body>\n</html>\n")
    out = compact(html)
    assert out.startswith('<!doctype html><html><head><meta charset="utf-8"><title>a\nb</title>')
    assert "<script>x>\n<y</script></head>" in out  # nothing inside a script changes
    assert "<p>one\ntwo</p>" in out  # a line break between words stays one (it renders as a space)
    assert compact(out) == out


def test_compact_keeps_the_spaces_html_does_not_collapse():
    """A Chinese document indents a line with two ideographic spaces (U+3000), which a browser shows; a
    no-break space is shown too. Only HTML's own whitespace (space, tab, CR, LF, FF) around a line break goes."""
    body = "<p>\u3000\u3000第一行，\n\u3000\u3000第二行。 \t\n\n\xa0第三行\f\n  \f第四行</p>"
    assert compact(body) == "<p>\u3000\u3000第一行，\n\u3000\u3000第二行。\n\xa0第三行\n第四行</p>"


def test_compact_drops_materials_empty_components_only():
    announce = '<div data-md-component="announce">\n</div>\n'
    dialog = ('<div class="md-dialog" data-md-component="dialog">\n<div class="md-dialog__inner md-typeset"></div>\n'
              '</div>\n')
    page = "<body>\n" + announce + "<p>x</p>\n" + dialog + "</body>"
    assert compact(page) == "<body>\n<p>x</p>\n</body>"
    # a code block may get a copy button, whose "copied" message the dialog shows
    with_code = "<body>\n" + announce + "<pre><code>x</code></pre>\n" + dialog + "</body>"
    assert dialog in compact(with_code) and announce not in compact(with_code)
    # an announcement bar with content stays
    bar = '<div data-md-component="announce">\n<aside class="md-banner">x</aside>\n</div>\n'
    assert bar in compact("<body>\n" + bar + "</body>")


# -- the built pages ----------------------------------------------------------------------------------

def read(site, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_record_chrome_is_light(sample_site):
    html = read(sample_site, RECORD)
    # 10.5 kB before it was written compactly, 8.1 kB after (a table of contents of four headings);
    # 9.0 kB with the identity footer a government site must carry (issue 15: the sample's five fields,
    # 网站地图 and 找错 are 0.7 kB) and the 依申请公开 entry in the navigation; 9.3 kB with the
    # Content-Security-Policy every page carries (issue 13: ~230 bytes); 10.5 kB with the eight columns of
    # issues 16-18 in the navigation (政策文件库 … 数据开放: ~130 bytes each) and the record header's new rows
    assert chrome_bytes(html) <= 10_600, chrome_bytes(html)
    assert 'name="generator"' not in html
    assert "Made with" not in html
    assert html.count(LOGO) == 1 and html.count(MENU) == 1  # drawn once, reused with <use>
    assert '<use href="#dx-i-logo"/>' in html and '<use href="#dx-i-menu"/>' in html
    assert ' xmlns="http://www.w3.org/2000/svg"' not in html
    assert "__md_get" not in html  # no palette toggle, announcement or tabs: nothing reads Material's storage
    assert 'data-md-component="announce"' not in html and 'data-md-component="dialog"' not in html
    head = html[: html.index("</head>")]
    assert "\n" not in head.strip()
    # the semantic parts stay
    assert '<html lang="zh"' in html and '<link rel="canonical"' in html and '<meta name="description"' in html
    assert 'data-md-component="toc"' in html and 'class="md-nav md-nav--primary"' in html
    assert '<a href="#dx-main" class="md-skip dx-skip">跳到正文</a>' in html
    assert '<footer class="md-footer">' in html and '<div class="md-copyright">云溪县政府信息公开</div>' in html


SITE_CSS_PARTS = ["assets/disclosure.css", "assets/search.css", "assets/layout.css", "assets/datasets.css",
                  "assets/a11y.css"]  # the sample has 数据开放 and 双公示: datasets.css is one of them


def test_our_stylesheets_are_one_file_on_every_page(sample_site):
    """One request for the site's own styles instead of five (a phone waits for each before its first
    paint: FCP 1.4 → 1.2 s under Lighthouse), in the order the cascade had them."""
    for rel in ("index.html", RECORD, "domains/fiscal.html", "search.html", "catalogue.html", "404.html",
                "policies/index.html"):
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', read(sample_site, rel))
        ours = [link.rsplit("/", 1)[-1] for link in links if "/stylesheets/" not in link]
        assert ours[0] == "site.css" and not set(ours) & {p.rsplit("/", 1)[-1] for p in SITE_CSS_PARTS}, (rel, links)
    css = read(sample_site, "assets/site.css")
    at = [css.index(read(sample_site, part).strip()) for part in SITE_CSS_PARTS]
    assert at == sorted(at), at


def test_a_projects_own_version_of_a_stylesheet_goes_into_site_css(project):
    from site_builder.commands.cli import build_site

    own = project / "theme/assets/layout.css"  # the sample's custom_dir is theme/
    own.write_text(own.read_text(encoding="utf-8") + "\n.md-typeset .dx-own-rule { color: #123456; }\n", encoding="utf-8")
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(project / "out"), strict=True)
    css = read(site, "assets/site.css")
    assert css.index(".dx-own-rule") < css.index("/* assets/datasets.css */") < css.index("/* assets/a11y.css */")


def test_materials_configuration_is_what_its_script_reads(sample_site):
    html = read(sample_site, RECORD)
    raw = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1)
    assert "\\u" not in raw  # UTF-8, not escapes
    config = json.loads(raw)
    assert config["base"] == "../.."
    assert config["features"] == ["navigation.top", "navigation.indexes"]
    assert config["translations"] == {"clipboard.copy": "复制", "clipboard.copied": "已复制"}
    assert "search" not in config  # Material's search plugin is off: ours is assets/search.js


def test_materials_search_and_palette_files_are_published_only_where_a_page_loads_them(sample_site, project):
    """Material's search worker and lunr's languages (1.17 MB, 36 files) ship only with Material's search
    plugin, its palette stylesheet only with a palette: no page of ours loads them otherwise."""
    from site_builder.commands.cli import build_site

    # the sample: a palette, Material's search plugin off (ours is assets/search.js)
    javascripts = sample_site / "assets/javascripts"
    assert sorted(p.name for p in javascripts.iterdir()) == sorted(p.name for p in javascripts.glob("bundle.*"))
    palette = [p.name for p in (sample_site / "assets/stylesheets").glob("palette.*.min.css")]
    assert len(palette) == 1 and palette[0] in read(sample_site, RECORD)
    # Material's search plugin on and no palette: the worker its script is told of is there, lunr's too
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, found = re.subn(r"\n  palette:\n(    .*\n)+", "\n", text.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1))
    assert found == 1
    config.write_text(text, encoding="utf-8")
    site = build_site(str(config), site_dir=str(project / "out"), strict=True)
    html = read(site, RECORD)
    worker = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))["search"]
    assert ((site / RECORD).parent / worker).resolve().is_file() and (site / "assets/javascripts/lunr/min/lunr.zh.min.js").is_file()
    assert not list((site / "assets/stylesheets").glob("palette.*")) and "palette." not in html


def test_listing_entries_are_compact(sample_site):
    html = read(sample_site, LISTING)
    entries = re.search(r'<ol class="dx-list">(.*?)</ol>', html, re.S).group(1)
    assert "\n" not in entries
    first = re.search(r'<li class="dx-list__item">.*?</li>', entries).group(0)
    assert re.fullmatch(
        r'<li class="dx-list__item"><a class="dx-list__title" href="[^"]+">[^<]+</a>( <span class="dx-badge[^"]*">[^<]+</span>)*'
        r'<div class="dx-list__meta"><time datetime="\d{4}-\d\d-\d\d(T[^"]+)?">\d{4}-\d\d-\d\d</time>'
        r'(<span>[^<]+</span>)+</div></li>', first), first


def test_time_elements_carry_the_day_or_the_moment_given(sample_site):
    """<time datetime> is the date when a record gives a date, the moment when it gives a time."""
    html = read(sample_site, RECORD)
    assert re.search(r'<time datetime="2024-\d\d-\d\d">', html)


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_materials_script_runs_without_errors(sample_site, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        for rel in (RECORD, LISTING, "index.html", "tags/index.html"):
            page.goto((sample_site / rel).as_uri())
            assert page.evaluate("() => document.documentElement.classList.contains('js')"), rel  # bundle ran
            page.mouse.wheel(0, 1200)
            page.wait_for_timeout(200)
        page.goto((sample_site / RECORD).as_uri())
        if width >= 1220:
            # the table of contents follows the reading position; the header shows the page title once
            # the heading has scrolled away (Material's toc and header-title components)
            page.locator("#dx-main h2").nth(2).scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            assert page.locator(".md-sidebar--secondary .md-nav__link--active").count() >= 1
            assert page.locator(".md-header__title--active").count() == 1
            assert page.locator(".md-sidebar--secondary").is_visible()
        else:
            # the drawer opens from our menu button, with the logo drawn by <use>
            page.locator("[data-dx-drawer]").click()
            page.wait_for_timeout(400)
            logo = page.locator(".md-nav--primary .md-nav__title svg")
            assert logo.is_visible()
            box = logo.evaluate("svg => { const b = svg.querySelector('use').getBBox(); return {width: b.width, height: b.height}; }")
            assert box["width"] > 0 and box["height"] > 0
            assert page.get_by_role("link", name="公开事项目录").first.is_visible()
        assert not problems, problems
    finally:
        context.close()
