"""Record bodies (cmark-gfm with a Python-Markdown fallback), the body cache, and parallel rendering."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import cold_copy

from site_builder.render import bodies
from site_builder.commands.cli import build_site


def test_gfm_renders_tables_headings_and_toc():
    out = bodies.render_gfm("# 总标题\n\n## 一、概况\n\n| 项目 | 金额 |\n|---|---|\n| 合计 | 1 |\n\n##二、说明\n")
    html, toc, ids, title = out
    assert "<table>" in html and title == "总标题"
    assert '<h2 id="二、说明">' not in html  # default slugify is ASCII-only, like MkDocs' toc
    assert [t["name"] for t in toc[0]["children"]] == ["一、概况", "二、说明"]  # `##二` is still a heading
    assert len(ids) == 3


@pytest.mark.parametrize("body", [
    "根据**《预算法》**规定，现公开如下。",  # CommonMark leaves these ** as text
    "!!! note \"提示\"\n    请注意。",  # admonition
    "见脚注[^1]。\n\n[^1]: 脚注内容。",  # footnote
    "段落\n{: .lead }",  # attr_list
    '![示意图](files/map.png){ width="300" }',  # attr_list's key=value, as Material's documentation writes it
    "段落\n{ lang=en }",
])
def test_python_markdown_syntax_falls_back(body):
    assert bodies.render_gfm(body) is None


def test_braces_around_words_stay_text():
    """`{备注}` is not an attribute list to the fast path (Python-Markdown would drop it from a heading)."""
    html, *_ = bodies.render_gfm("# 标题 {备注}\n\n费用{合计}元。\n")
    assert "{备注}" in html and "{合计}" in html


def test_links_are_resolved_by_the_callback():
    html, *_ = bodies.render_gfm("[政策](other.md#第一条) 与 ![图](img.png)",
                                 resolve_link=lambda u: u.replace(".md", ".html"))
    assert 'href="other.html#%E7%AC%AC%E4%B8%80%E6%9D%A1"' in html and 'src="img.png"' in html


def _build(project: Path, out: Path, **kw) -> Path:
    return build_site(str(project / "mkdocs.yml"), site_dir=str(out), **kw)


def _record(project: Path, name: str) -> Path:
    return next(project.glob(f"content/records/**/{name}"))


def test_the_fast_path_is_taken_only_with_the_markdown_extensions_it_renders_as_markdown_would():
    """The sample's extensions (and MkDocs' defaults, and ours) leave the fast path on; one it does not
    render (nl2br, smarty) turns it off, written by module or by class."""
    assert bodies.extensions_beyond_fast(["toc", "tables", "fenced_code", "attr_list", "admonition", "footnotes",
                                          "markdown.extensions.abbr", "pymdownx.details",
                                          "site_builder.render.mdsafe"]) == []
    assert bodies.extensions_beyond_fast(["toc", "nl2br", "markdown.extensions.toc:TocExtension",
                                          "smarty"]) == ["nl2br", "smarty"]
    # toc: the options the fast path follows, and those it does not (a heading made a link, …)
    same = {"toc": {"permalink": True, "permalink_title": "本段链接", "slugify": bodies.slugify, "separator": "_",
                    "toc_depth": "1-6", "title": "目录"}}
    assert bodies.extensions_beyond_fast(["toc", "tables"], same) == []
    other = {"toc": {"anchorlink": True, "baselevel": 2, "toc_depth": 3}}
    assert bodies.extensions_beyond_fast(["toc"], other) == ["toc（anchorlink: True）", "toc（baselevel: 2）",
                                                             "toc（toc_depth: 3）"]
    # toc named by its module: its options are read all the same, by the check and by the fast path
    by_module = {"markdown.extensions.toc": {"anchorlink": True, "permalink": True}}
    assert bodies.extensions_beyond_fast(["markdown.extensions.toc"], by_module) == [
        "markdown.extensions.toc（anchorlink: True）"]
    assert bodies.toc_options(by_module)["permalink"] is True


@pytest.mark.parametrize("options", [{"permalink": True},
                                     {"permalink": "#", "permalink_leading": True, "permalink_title": "本段<链接>",
                                      "permalink_class": "dx-link"}])
def test_the_fast_path_writes_tocs_permalinks_as_markdown_does(options):
    """`toc: permalink: true` (Material's documentation suggests it): a link to itself in each heading,
    written as Python-Markdown writes it, and the table of contents without it."""
    import markdown

    body = "# 总标题\n\n## 一、概况 *要点*\n\n正文。\n\n## 一、概况 *要点*\n"
    html, tokens, *_ = bodies.render_gfm(body, permalink=bodies.permalink_of(options))
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"slugify": bodies.slugify, **options}})
    assert html.replace("\n", "") == md.convert(body).replace("\n", "")
    assert [t["name"] for t in tokens[0]["children"]] == [t["name"] for t in md.toc_tokens[0]["children"]]


def test_a_markdown_extension_the_fast_path_does_not_render_reaches_the_records_too(project, tmp_path, caplog):
    """mkdocs.yml's `nl2br` (a line break in the text is a line break on the page, as editors expect):
    the records were rendered by cmark-gfm, which knows no Python-Markdown extension, and ignored it,
    while MkDocs' own pages had it. Now every body is rendered by MkDocs' Markdown when an extension is
    configured that the fast path does not render, and the build says so."""
    import feedparser

    rec = _record(project, "2025-dibao-implementation-rules.md")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n换行检查第一行\n换行检查第二行\n", encoding="utf-8")
    guide = project / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n\n指南第一行\n指南第二行\n", encoding="utf-8")
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "markdown_extensions:\n  - tables\n" in text
    cfg.write_text(text.replace("markdown_extensions:\n  - tables\n", "markdown_extensions:\n  - tables\n  - nl2br\n"),
                   encoding="utf-8")
    caplog.set_level(logging.INFO)
    site = _build(project, tmp_path / "site", report_date="2026-11-22")
    assert "指南第一行<br>" in (site / "guide.html").read_text(encoding="utf-8")  # MkDocs' own page
    page = (site / "records/civil-affairs/2025-dibao-implementation-rules.html").read_text(encoding="utf-8")
    assert "换行检查第一行<br>" in page
    feed = feedparser.parse(str(site / "feeds/departments/civil-affairs.xml"))
    entry = next(e for e in feed.entries if e.link.endswith("/2025-dibao-implementation-rules.html"))
    assert "换行检查第一行<br" in entry.content[0].value
    said = [r.getMessage() for r in caplog.records if "快速渲染不支持" in r.getMessage()]
    assert len(said) == 1 and "nl2br" in said[0], said


@pytest.mark.cold_caches  # from nothing: what the caches keep is under test
def test_serial_and_parallel_rendering_agree(project, tmp_path):
    cfg = project / "mkdocs.yml"
    parallel = _build(project, tmp_path / "p")
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 20\n      workers: 1"),
                   encoding="utf-8")
    # every page rendered again, in this process: a copy without caches but the policy library's
    # generated files (content-addressed; making them again is not rendering, and took ~7 s)
    serial = _build(cold_copy(project, tmp_path / "serial-project"), tmp_path / "s")
    for f in parallel.rglob("*.html"):
        assert f.read_bytes() == (serial / f.relative_to(parallel)).read_bytes(), f


def test_broken_link_in_a_record_fails_strict_build(project, tmp_path, caplog):
    rec = _record(project, "2025-dibao-implementation-rules.md")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n详见[实施办法](no-such-record.md)。\n", encoding="utf-8")
    from mkdocs.exceptions import Abort

    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        _build(project, tmp_path / "site", strict=True)
    assert any("no-such-record.md" in r.getMessage() for r in caplog.records)
    assert not (tmp_path / "site").exists()  # nothing half-written


def test_emphasis_next_to_chinese_punctuation_renders(project, tmp_path):
    rec = _record(project, "2025-dibao-implementation-rules.md")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n根据**《社会救助暂行办法》**规定执行。\n", encoding="utf-8")
    site = _build(project, tmp_path / "site")
    html = (site / "records/civil-affairs/2025-dibao-implementation-rules.html").read_text(encoding="utf-8")
    assert "<strong>《社会救助暂行办法》</strong>规定执行" in html


@pytest.mark.cold_caches  # from nothing: what the caches keep is under test
def test_page_cache_reuses_pages_and_never_returns_an_edited_output(project, tmp_path, caplog):
    _build(project, tmp_path / "site")
    with caplog.at_level(logging.INFO):
        site = _build(project, tmp_path / "site")
    assert any("0 个重新生成" in r.getMessage() for r in caplog.records)
    page = site / "records/civil-affairs/2025-dibao-implementation-rules.html"
    assert page.stat().st_nlink > 1  # hard-linked from the page cache, not rendered again
    with page.open("a", encoding="utf-8") as fh:  # someone edits the published output in place
        fh.write("<!-- tampered -->")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        site = _build(project, tmp_path / "site")
    assert "tampered" not in page.read_text(encoding="utf-8")
    assert any("1 个沿用的页面在缓存后被改动过" in r.getMessage() for r in caplog.records)
    site = _build(project, tmp_path / "site")  # the page rendered again went back into the cache
    assert page.stat().st_nlink > 1 and "tampered" not in page.read_text(encoding="utf-8")


def test_warnings_of_cached_bodies_still_fail_a_strict_build(project, tmp_path):
    """A broken link found when a body was first rendered is reported again when the cache is used."""
    from mkdocs.exceptions import Abort

    rec = _record(project, "2025-dibao-implementation-rules.md")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n详见[实施办法](no-such-record.md)。\n", encoding="utf-8")
    _build(project, tmp_path / "site")  # not strict: builds, and caches the body and the page
    with pytest.raises(Abort):
        _build(project, tmp_path / "site", strict=True)


@pytest.mark.cold_caches  # from nothing: what the caches keep is under test
@pytest.mark.parametrize("workers", [0, 1])
def test_a_page_warning_is_printed_once(project, tmp_path, workers):
    """`disclosure build` as an editor runs it, with the pages rendered by forked workers (0: one per core)
    and in one process: a broken link in a body is one line of the output, not one per process."""
    import os
    import subprocess
    import sys

    rec = _record(project, "2025-dibao-implementation-rules.md")
    # a record and a page that are not there (the plugin tells them, with their lines), and a link from
    # the server's root, which MkDocs tells too, here as a warning: from the worker that renders the page
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n详见[实施办法](no-such-record.md)、[说明](../../no-such-page.md)、"
                   "[表](/no-such-root.pdf)。\n", encoding="utf-8")
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", f"page_size: 20\n      workers: {workers}")
                   + "\nvalidation:\n  links:\n    absolute_links: warn\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "site_builder.cli", "build", "-d", str(tmp_path / "site")],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr[-2000:]
    lines = (done.stdout + done.stderr).splitlines()
    said = [line for line in lines if "no-such-root.pdf" in line and "absolute link" in line]
    assert len(said) == 1, said  # MkDocs' line, from the page
    assert len([line for line in lines if "no-such-record.md" in line and "指向的记录不存在" in line]) == 1
    assert len([line for line in lines if "no-such-page.md" in line and "指向的页面不存在" in line]) == 1
    assert not [line for line in lines if "not found among documentation files" in line]  # not MkDocs' too


@pytest.mark.cold_caches  # from nothing: every page rendered by the workers
def test_page_workers_leave_the_root_loggers_handlers_to_the_build_process(project, tmp_path):
    """A page's warning raised in a forked worker goes back to the build process, which logs it; the
    worker writes to none of the root logger's handlers. (The pool forks a worker that replaces another
    from its own thread: if the main thread was writing a log line at that instant, a buffered stream's
    lock comes over locked, and the worker's first write there hangs. The suite hung so once, in
    pytest's log file.)"""
    import os

    from site_builder import host

    rec = _record(project, "2025-dibao-implementation-rules.md")
    # a warning (MkDocs: a link from the server's root, told as a warning here) and an info line (MkDocs:
    # a link to a file exclude_docs leaves out), both from the worker that renders the page
    (project / "content/drafts").mkdir()
    (project / "content/drafts/plan.md").write_text("# 草稿\n", encoding="utf-8")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n详见[表](/no-such-root.pdf)。"
                   "另见[草稿](../../drafts/plan.md)。\n", encoding="utf-8")
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 20\n      workers: 2")
                   + "\nexclude_docs: |\n  drafts/\nvalidation:\n  links:\n    absolute_links: warn\n", encoding="utf-8")
    seen = tmp_path / "seen"
    fd = os.open(seen, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    class Pids(logging.Handler):  # unbuffered appends: a worker's lines would be here too
        def emit(self, record):
            message = record.getMessage().replace("\n", " ")  # a problem's hint is on a line of its own
            os.write(fd, f"{os.getpid()} {record.levelname} {message}\n".encode("utf-8"))

    # the root logger's handlers (pytest's), and the host logger's own (the CLI's, on standard error)
    handlers = [(logging.getLogger(), Pids(logging.DEBUG)), (host.root_logger(), Pids(logging.DEBUG))]
    for logger, handler in handlers:
        logger.addHandler(handler)
    level = host.root_logger().level
    host.root_logger().setLevel(logging.DEBUG)  # as `disclosure build -v`
    try:
        build_site(str(cfg), site_dir=str(tmp_path / "site"))
    finally:
        host.root_logger().setLevel(level)
        for logger, handler in handlers:
            logger.removeHandler(handler)
        os.close(fd)
    lines = seen.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if "WARNING" in line and "no-such-root.pdf" in line], "the warning is logged"
    said = [line for line in lines if "INFO" in line and "drafts/plan.md" in line]
    assert said, "the info line is logged, at its level"
    assert {line.split(" ", 1)[0] for line in lines} == {str(os.getpid())}


def test_parse_cache_rereads_a_record_whose_attachment_appears(project, tmp_path):
    from mkdocs.exceptions import MkDocsException

    rec = _record(project, "2025-dibao-implementation-rules.md")
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text.replace("\ntitle:", "\nattachments: [{title: 申请表, path: files/apply.pdf}]\ntitle:", 1),
                   encoding="utf-8")
    with pytest.raises(MkDocsException):  # the log names the missing apply.pdf
        _build(project, tmp_path / "site")
    (rec.parent / "files").mkdir(exist_ok=True)
    (rec.parent / "files/apply.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # the record file itself is unchanged
    site = _build(project, tmp_path / "site")
    assert "apply.pdf" in (site / "records/civil-affairs/2025-dibao-implementation-rules.html").read_text(encoding="utf-8")


@pytest.mark.cold_caches  # from nothing: what the caches keep is under test
def test_chrome_rendered_once_per_folder_is_the_same_as_rendered_per_page(project, tmp_path, monkeypatch):
    """dx_once (site_builder/fragments.py) must not change a byte of any page."""
    from site_builder.render import fragments

    shared = _build(project, tmp_path / "shared")

    def every_time(use_directory_urls):
        def dx_once(name, *extra, caller):
            return caller()
        return dx_once

    monkeypatch.setattr(fragments, "once_per_folder", every_time)
    again = cold_copy(project, tmp_path / "again")  # no page or body cache: every page rendered again,
    cfg = again / "mkdocs.yml"  # serially (one process)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 20\n      workers: 1"),
                   encoding="utf-8")
    each = _build(again, tmp_path / "each")
    pages = sorted(shared.rglob("*.html"))
    assert len(pages) > 50
    for f in pages:
        assert f.read_bytes() == (each / f.relative_to(shared)).read_bytes(), f


def test_our_page_shell_renders_as_materials(project, tmp_path):
    """theme/base.html is Material's base.html with what is the same on every page of a folder rendered
    once per folder (dx_once) and Material's translations looked up once (lang.t): the site built with
    Material's own base.html instead is the same, byte for byte."""
    import material

    ours = _build(project, tmp_path / "ours", report_date="2026-11-22")
    again = cold_copy(project, tmp_path / "again")  # no page cache: every page rendered again
    materials = Path(material.__file__).parent / "templates" / "base.html"
    (again / "theme" / "base.html").write_text(materials.read_text(encoding="utf-8"), encoding="utf-8")
    theirs = _build(again, tmp_path / "theirs", report_date="2026-11-22")
    pages = sorted(ours.rglob("*.html"))
    assert len(pages) > 50
    for f in pages:
        assert f.read_bytes() == (theirs / f.relative_to(ours)).read_bytes(), f


def test_url_filter_memo_gives_mkdocs_urls():
    from types import SimpleNamespace

    from mkdocs.utils.templates import url_filter

    from site_builder.render.fragments import url_filter as memo_filter

    memo = memo_filter()
    values = ["assets/a.css", "records/x/y.html", "", ".", "../up.html", "#top", "/abs/", "https://e.gov.cn/x",
              "records/", "records/x/", "search.html?q=1", "a b.html", "中文/页.html"]
    pages = ["index.html", "records/x/y.html", "records/x/z.html", "records/q/y.html", "a/b/", "a/b/c/", "a.b/c.html",
             "404.html", ""]
    for _ in range(2):  # the second round is answered from the memo
        for url in pages:
            for base in ("..", "/"):
                page = SimpleNamespace(url=url)
                ctx = {"page": page, "base_url": base}
                for v in values:
                    assert memo(ctx, v) == url_filter(ctx, v), (url, v)
        for v in values:
            ctx = {"page": None, "base_url": "/site/"}
            assert memo(ctx, v) == url_filter(ctx, v), v


def test_the_pages_a_template_may_read_are_listed_only_when_read():
    """MkDocs hands every page's template `pages` (files.documentation_pages()): our templates never read
    it, so it is listed only if a template does, once, and reads as the list."""
    import jinja2

    from site_builder.render.pool import DocumentationPages

    class Files:
        calls = 0

        def documentation_pages(self):
            Files.calls += 1
            return ["index.md", "records/a.md"]

    pages = DocumentationPages(Files())
    assert Files.calls == 0
    template = jinja2.Environment().from_string("{{ pages|length }}:{% for p in pages %}{{ p }};{% endfor %}")
    assert template.render(pages=pages) == "2:index.md;records/a.md;"
    assert list(pages) == ["index.md", "records/a.md"] and pages[-1] == "records/a.md" and Files.calls == 1


@pytest.mark.parametrize("directory_urls", [False, True])
def test_a_page_goes_where_mkdocs_puts_it(directory_urls):
    """urls.page_dest, which the build uses instead of MkDocs' File.dest_uri for the pages it renders and
    links, gives MkDocs' own path for every Markdown file of the sample project, every page the plan
    makes, and the names MkDocs treats apart (index, README, dots); and every URL the site links a page
    by leads to that file (a record named README.md was linked as README.html: a broken link)."""
    from mkdocs.structure.files import File

    from site_builder import pipeline
    from site_builder.plan.urls import page_dest, record_url

    from site_builder.sources.validate import today

    root = Path(__file__).resolve().parent.parent
    options = pipeline.SiteOptions(site_name="云溪县政府信息公开", site_url="https://yunxi.example.gov.cn/",
                                   site_description="", use_directory_urls=directory_urls, page_size=20,
                                   feed_length=20, feeds=True, report_date=today())
    project = pipeline.load(root / "content", root / "catalogue", root, "records", None, today(), root / "mkdocs.yml")
    plan = pipeline.plan(project, options)
    srcs = [p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.md")]
    srcs += list(plan.specs) + ["index.md", "README.md", "a/README.md", "a/index.md", "a/b.c.md", "a/b.markdown"]
    assert len(srcs) > 300
    for src in srcs:
        dest = File(src, "/docs", "/site", directory_urls).dest_uri
        assert page_dest(src, directory_urls) == dest, src
        url = record_url(src, directory_urls)  # every link to the page reaches that file
        assert (url + "index.html" if directory_urls else url) == dest, src


def test_a_paragraphs_indentation_in_ideographic_spaces_is_kept_by_either_renderer(project, tmp_path):
    """A Chinese document indents each paragraph with two ideographic spaces (U+3000). cmark-gfm keeps
    them; Python-Markdown stripped them with str.lstrip() from a body it rendered (here: one with an
    attribute list) and from MkDocs' own pages. Now both keep them, in the page and in the feed."""
    import feedparser

    indented = "\n\n\u3000\u3000缩进的第一段，\n\u3000\u3000第二行。\n\n- \u3000\u3000缩进的列表项\n"
    fast = _record(project, "2025-dibao-implementation-rules.md")
    fast.write_text(fast.read_text(encoding="utf-8") + indented, encoding="utf-8")
    slow = _record(project, "2025-dept-budget.md")
    slow.write_text(slow.read_text(encoding="utf-8") + indented + '\n![示意图](files/map.png){ width="300" }\n',
                    encoding="utf-8")
    guide = project / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + indented, encoding="utf-8")
    assert bodies.render_gfm(slow.read_text(encoding="utf-8").split("---", 2)[2]) is None
    site = _build(project, tmp_path / "site", report_date="2026-11-22")
    for page in (site / "records/civil-affairs/2025-dibao-implementation-rules.html",
                 next(site.glob("records/**/2025-dept-budget.html")), site / "guide.html"):
        html = page.read_text(encoding="utf-8")
        assert "<p>\u3000\u3000缩进的第一段，\n\u3000\u3000第二行。</p>" in html, page
        assert "<li>\u3000\u3000缩进的列表项</li>" in html, page
    feed = feedparser.parse(str(site / "feeds/departments/finance.xml"))
    entry = next(e for e in feed.entries if e.link.endswith("/2025-dept-budget.html"))
    assert "<p>\u3000\u3000缩进的第一段" in entry.content[0].value


def test_feed_items_leave_out_the_headings_links_to_themselves(project, tmp_path):
    """`toc: permalink: true`: each heading of a page ends with a ¶ linking to itself. A feed reader
    showed the mark after every heading of the item; the feed now leaves it out, whichever renderer made
    the body (the second record goes to MkDocs' Markdown for its attribute list)."""
    import feedparser

    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "permalink: false" in text
    cfg.write_text(text.replace("permalink: false", "permalink: true"), encoding="utf-8")
    slow = _record(project, "2025-dept-budget.md")
    slow.write_text(slow.read_text(encoding="utf-8") + '\n![示意图](files/map.png){ width="300" }\n', encoding="utf-8")
    site = _build(project, tmp_path / "site", report_date="2026-11-22")
    feed = feedparser.parse(str(site / "feeds/departments/finance.xml"))
    for name in ("2025-dept-budget.html", "2026-general-budget.html"):
        page = next(site.glob(f"records/**/{name}")).read_text(encoding="utf-8")
        assert page.count('class="headerlink"') >= 2, name
        item = next(e for e in feed.entries if e.link.endswith("/" + name)).content[0].value
        assert item.count("<h2") >= 2 and "¶" not in item and "&para;" not in item and "headerlink" not in item, item


def test_a_feed_item_keeps_links_in_a_heading_that_are_not_its_permalink():
    from site_builder.render.feedhtml import feed_html

    html = ('<h2 id="a">见<a href="#b">下文</a><a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
            '<h3 id="b">乙<a class="x" href="#a" title="t">¶</a></h3>')
    assert feed_html(html, "https://x.gov.cn/r/1.html") == (
        '<h2>见<a href="https://x.gov.cn/r/1.html#b">下文</a></h2>'
        '<h3>乙<a href="https://x.gov.cn/r/1.html#a" title="t">¶</a></h3>')


# Material's documentation suggests these; each acts only on syntax of its own (bodies.OWN_SYNTAX). Not
# pymdownx.betterem, also of OWN_SYNTAX: it reads `**` next to Chinese text otherwise, so the sample's bodies
# with emphasis, which it sends to Markdown, differ from the plain build's (as MkDocs' own pages would).
MATERIAL_EXTENSIONS = """  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
  - pymdownx.snippets
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true
  - def_list
  - md_in_html
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.caret
  - pymdownx.mark
  - pymdownx.tilde
  - pymdownx.keys
  - pymdownx.critic
  - pymdownx.smartsymbols
  - pymdownx.arithmatex:
      generic: true
"""
BASE_EXTENSIONS = ["toc", "tables", "attr_list", "admonition", "footnotes", "abbr", "pymdownx.details",
                   "site_builder.render.mdsafe"]


def test_extensions_that_act_only_on_their_own_syntax_keep_the_fast_path():
    names = [*BASE_EXTENSIONS, *bodies.OWN_SYNTAX]
    assert bodies.extensions_beyond_fast(names) == []
    # snippets' auto_append adds to every body
    assert bodies.extensions_beyond_fast(["pymdownx.snippets"], {"pymdownx.snippets": {"auto_append": ["a.md"]}}) == [
        "pymdownx.snippets（auto_append）"]
    own = bodies.own_syntax(names)
    assert bodies.own_syntax(BASE_EXTENSIONS) is None
    for body in ("代码：`x`", "```\nx\n```", "- [x] 已完成", "术语\n: 释义", "==重点==", "H~2~O", "x^2^", "++ctrl++",
                 ":smile:", "=== \"甲\"\n    内容", "<div markdown>x</div>", "--8<-- \"a.md\"", "{++新增++}", "转义\\=",
                 "1. 一\n\n        代码", "1/2", "(c) 2026", "**要点**", "$x$", "\\(x\\)"):
        assert bodies.render_gfm(body, own=own) is None, body
    for body in ("时间：8:00至18:00。", "（一）总体要求\n\n正文，见附件一。", "2024—2026年，增长＝3%～5%。"):
        assert bodies.render_gfm(body, own=own) is not None, body


def test_a_body_without_their_syntax_renders_the_same_with_them():
    """What OWN_SYNTAX rests on: Python-Markdown with those extensions and without them gives the same HTML
    for every body their patterns do not find: the sample's record bodies, and random strings of Markdown's
    characters (3,000 here; 6,000 per extension and thousands together when the list was made)."""
    import random

    import markdown

    names = [*BASE_EXTENSIONS, *bodies.OWN_SYNTAX]
    own = bodies.own_syntax(names)
    configs = {"toc": {"slugify": bodies.slugify}, "pymdownx.tasklist": {"custom_checkbox": True}}
    base = markdown.Markdown(extensions=BASE_EXTENSIONS, extension_configs=configs)
    full = markdown.Markdown(extensions=names, extension_configs=configs)
    texts = [p.read_text(encoding="utf-8").split("---", 2)[2] for p in
             sorted(Path(__file__).parents[1].glob("content/records/**/*.md"))]
    assert len(texts) > 100
    pieces = ["中", "a", " ", "    ", "\n", "\n\n", "-", "*", "1", ".", ":", "：", "#", ">", "|", "[", "]", "(", ")",
              "!", "{", "}", "_", "&", ";", "\t", "+", "=", "http://a.cn", "|---|", "1. ", "- ", "## ", "[^1]",
              "[a](b)", "![i](p.png)", "**", "\u3000", "'", '"', "[ ]", ": ", "!!! note", "\\", "~", "^", "`", "<b>"]
    rng = random.Random(5)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    compared = 0
    for text in texts:
        if own.search(text):
            continue
        base.reset(), full.reset()
        assert base.convert(text) == full.convert(text), text
        compared += 1
    assert compared > 300


def test_a_project_with_materials_suggested_extensions_keeps_the_fast_path(project, tmp_path, caplog):
    """With them configured, every body went to MkDocs' Markdown (~3 ms a body instead of ~0.1 ms). Now
    a body without their syntax is rendered by the fast path, to the same page; one with it by Markdown."""
    plain = _build(project, tmp_path / "plain", report_date="2026-11-22")
    rec = _record(project, "2025-dibao-implementation-rules.md")
    rec.write_text(rec.read_text(encoding="utf-8") + "\n\n==重点==已完成：\n\n- [x] 第一项\n- [ ] 第二项\n",
                   encoding="utf-8")
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("markdown_extensions:\n", "markdown_extensions:\n" + MATERIAL_EXTENSIONS, 1),
                   encoding="utf-8")
    caplog.set_level(logging.INFO)
    site = _build(project, tmp_path / "site", report_date="2026-11-22")
    assert not [r for r in caplog.records if "快速渲染不支持" in r.getMessage()]
    page = (site / "records/civil-affairs/2025-dibao-implementation-rules.html").read_text(encoding="utf-8")
    assert "<mark>重点</mark>" in page and 'class="task-list-item"' in page
    same = 0
    for old in (plain / "records").rglob("*.html"):
        if old.name == "2025-dibao-implementation-rules.html":
            continue
        new = (site / old.relative_to(plain)).read_text(encoding="utf-8")
        body = re.compile(r'<div class="dx-record__body">.*?</article>', re.S)
        assert body.search(new).group(0) == body.search(old.read_text(encoding="utf-8")).group(0), old
        same += 1
    assert same > 100


ADDRESSES = "详见https://www.gov.cn/zhengce/2026-01/a.html。咨询邮箱zwgk@example.gov.cn，或访问www.gov.cn（国务院）。"
LINKED = ('详见<a href="https://www.gov.cn/zhengce/2026-01/a.html">https://www.gov.cn/zhengce/2026-01/a.html</a>。'
          '咨询邮箱<a href="mailto:zwgk@example.gov.cn">zwgk@example.gov.cn</a>，'
          '或访问<a href="http://www.gov.cn">www.gov.cn</a>（国务院）。')


@pytest.mark.parametrize("text, linked", [
    (ADDRESSES, LINKED),
    ("网址：https://a.gov.cn/b?x=1&y=2，电话", '网址：<a href="https://a.gov.cn/b?x=1&amp;y=2">https://a.gov.cn/b?x=1&amp;y=2</a>，电话'),
    ("(see https://a.cn/wiki/X_(Y)).", '(see <a href="https://a.cn/wiki/X_(Y)">https://a.cn/wiki/X_(Y)</a>).'),
    ("**https://a.cn**", '<strong><a href="https://a.cn">https://a.cn</a></strong>'),
    ("网址:https://a.cn，Email:b@c.cn。", '网址:<a href="https://a.cn">https://a.cn</a>，Email:<a href="mailto:b@c.cn">b@c.cn</a>。'),
    ("[政府网](https://www.gov.cn) 与 `https://a.cn` 与 <https://b.cn>",
     '<a href="https://www.gov.cn">政府网</a> 与 <code>https://a.cn</code> 与 <a href="https://b.cn">https://b.cn</a>'),
    ('<a href="https://c.cn">见 https://c.cn</a>', '<a href="https://c.cn">见 https://c.cn</a>'),
    ("版本 1.2.3，文件 a.txt，时间 8:00", "版本 1.2.3，文件 a.txt，时间 8:00"),
])
def test_a_bare_address_is_linked_by_either_renderer_up_to_the_chinese_text_after_it(text, linked):
    """cmark-gfm's autolink took the Chinese text after an address into the link (href
    "https://www.gov.cn/a%E3%80%82…", which leads nowhere); Python-Markdown (MkDocs' pages, and the
    bodies it renders) linked nothing. Now both link the address alone."""
    import markdown

    from site_builder.render.mdsafe import NAME
    fast, *_ = bodies.render_gfm(text)
    slow = markdown.Markdown(extensions=["tables", NAME]).convert(text)
    assert fast.strip() == slow.strip() == f"<p>{linked}</p>"


def _on_pages_of_both_renderers(project: Path, tmp_path: Path, text: str) -> tuple[Path, list[Path]]:
    """`text` added to a record the fast path renders, to one it hands to Markdown (a footnote) and to an
    ordinary page; the site built, and the three pages."""
    fast = _record(project, "2025-dibao-implementation-rules.md")
    fast.write_text(fast.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")
    slow = _record(project, "2025-dept-budget.md")
    slow.write_text(slow.read_text(encoding="utf-8") + f"\n\n{text}[^n]\n\n[^n]: 注释。\n", encoding="utf-8")
    guide = project / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")
    assert bodies.render_gfm(slow.read_text(encoding="utf-8").split("---", 2)[2]) is None
    site = _build(project, tmp_path / "site", report_date="2026-11-22")
    return site, [site / "records/civil-affairs/2025-dibao-implementation-rules.html",
                  next(site.glob("records/**/2025-dept-budget.html")), site / "guide.html"]


def test_bare_addresses_are_links_on_every_page_and_in_the_feeds(project, tmp_path):
    import feedparser

    site, pages = _on_pages_of_both_renderers(project, tmp_path, ADDRESSES)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert LINKED in html, page
    feed = feedparser.parse(str(site / "feeds/departments/finance.xml"))
    entry = next(e for e in feed.entries if e.link.endswith("/2025-dept-budget.html"))
    assert 'href="https://www.gov.cn/zhengce/2026-01/a.html"' in entry.content[0].value
    assert "%E3%80%82" not in entry.content[0].value


@pytest.mark.parametrize("text", ["## \u3000\u3000第一章 总则\n", "第一章 总则\u3000\u3000\n---\n", "# \u3000**第一章** 总则\u3000\n"])
def test_a_headings_ideographic_spaces_are_stripped_by_either_renderer(text):
    """Python-Markdown strips a heading's text with str.strip(), the ideographic spaces (U+3000) a Chinese
    document indents with too; cmark-gfm kept them, so a heading was indented, and its table-of-contents
    entry and id differed, depending on which renderer had the body."""
    import markdown

    from site_builder.render.mdsafe import NAME
    fast, *_ = bodies.render_gfm(text)
    slow = markdown.Markdown(extensions=["toc", NAME], extension_configs={"toc": {"slugify": bodies.slugify}}).convert(text)
    assert fast.strip() == slow.strip()
    assert "\u3000" not in fast


@pytest.mark.parametrize("text", [
    "1. **甲**。一\n2. **乙**。二\n\n1. **丙**。三\n2. **丁**。四\n",  # two lists as editors write them: one loose list
    "- 甲\n- 乙\n\n- 丙\n",
    "- 甲\n- 乙\n",  # tight: no paragraphs
    "1. \u3000\u3000甲\n\n2. 乙\n3. 丙\n",
])
def test_a_loose_list_has_every_item_in_a_paragraph_with_either_renderer(text):
    """Python-Markdown put an item's text in a paragraph only when a blank line came before the item:
    one list with items spaced two ways, unlike the fast path (CommonMark: a blank line between two
    items makes the whole list loose). On the 10,000-record corpus this was the one difference left
    between the renderers, in a fifth of the bodies."""
    import markdown

    from site_builder.render.mdsafe import NAME
    fast, *_ = bodies.render_gfm(text)
    slow = markdown.Markdown(extensions=["tables", NAME]).convert(text)
    assert fast.strip() == slow.strip()
    assert ("<p>" in slow) == ("\n\n" in text)


def _tags_apart(html: str) -> str:
    """HTML with the whitespace around tags dropped: Python-Markdown writes `<li>甲<ul>` where cmark-gfm
    writes `<li>甲\\n<ul>`, the same to a browser."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


# what the web form writes for nested lists: Decap CMS's serializer (remark-stringify, `listItemIndent:
# '1'`) indents an item's content by its marker's width (test_the_web_forms_nested_lists_… below)
FORM_LISTS = "* 甲\n\n  * 子一\n  * 子二\n* 乙\n\n1. 一\n\n   1. 子\n2. 二\n"
# and for a line break (Shift+Enter): a backslash ending the line, CommonMark's hard break
FORM_BREAK = "县医疗保障局\\\n2025年11月16日\n"
# ranges as they are written: cmark-gfm's strikethrough took `~…~` for struck-out text
RANGES = "办公时间：上午8:30~12:00，下午14:00~17:30；受理期为1~3月。\n"


@pytest.mark.parametrize("text, nested", [
    (FORM_LISTS, ["<li><p>甲</p><ul><li>子一</li><li>子二</li></ul></li>", "<li><p>一</p><ol><li>子</li></ol></li>"]),
    ("- 甲\n  - 子一\n  - 子二\n- 乙\n", ["<li>甲<ul><li>子一</li><li>子二</li></ul></li><li>乙</li>"]),
    ("1. 甲\n   1. 子一\n   2. 子二\n2. 乙\n", ["<li>甲<ol><li>子一</li><li>子二</li></ol></li><li>乙</li>"]),
    ("- 甲\n    - 子一\n- 乙\n", ["<li>甲<ul><li>子一</li></ul></li><li>乙</li>"]),  # four spaces, as before
    ("* 甲\n\n  续段\n* 乙\n", ["<li><p>甲</p><p>续段</p></li><li><p>乙</p></li>"]),
    ("要求如下：\n1. 甲\n2. 乙\n", ["<p>要求如下：</p><ol><li>甲</li><li>乙</li></ol>"]),
    ("要求如下：\n- 甲\n- 乙\n", ["<p>要求如下：</p><ul><li>甲</li><li>乙</li></ul>"]),
    ("甲\n2. 乙\n", ["<p>甲\n2. 乙</p>"]),  # CommonMark: only a list starting at 1 follows a line
    ("- 甲\n乙\n- 丙\n", ["<li>甲\n乙</li><li>丙</li>"]),  # a lazy line stays in its item
    ("1. 甲\n2. 乙\n\n说明\n\n3. 丙\n4. 丁\n", ['<p>说明</p><ol start="3"><li>丙</li>']),  # numbered on
    ("* 乙\n\n1. 一\n", ["<ul><li>乙</li></ul><ol><li>一</li></ol>"]),  # two lists, not one bulleted
    ("要求：\n1) 甲\n2) 乙\n", ["<p>要求：</p><ol><li>甲</li><li>乙</li></ol>"]),  # numbered `1)` too
    (FORM_BREAK, ["<p>县医疗保障局<br />2025年11月16日</p>"]),  # the form's line break, no backslash shown
    ("路径C:\\\\\n下一行\n", ["<p>路径C:\\\n下一行</p>"]),  # an escaped backslash ending a line: no break
    (RANGES, [f"<p>{RANGES.strip()}</p>"]),  # one tilde is a range, nothing struck out
    (RANGES.replace("~", "\\~"), [f"<p>{RANGES.strip()}</p>"]),  # as the form writes it: `\~`, no backslash shown
    ("原条款~~第五条~~已废止\n", ["<p>原条款<del>第五条</del>已废止</p>"]),
    ("- [ ] 待办\n- [x] 完成\n", ["<li>[ ] 待办</li><li>[x] 完成</li>"]),  # brackets as written: no task list
    ("- [ ] 甲\n\n- [X] 乙\n", ["<li><p>[ ] 甲</p></li><li><p>[X] 乙</p></li>"]),
    ("表1 收支情况\n| 项目 | 金额 |\n| --- | --- |\n| 教育 | 100 |\n", ["<p>表1 收支情况</p><table><thead>"]),  # caption, table
    # code fenced inside an item, a quote, or indented: Python-Markdown's fenced_code made a paragraph of it
    ("1. 打开终端\n\n   ```\n   cd 项目\n\n   disclosure build\n   ```\n2. 查看结果\n",
     ["<li><p>打开终端</p><pre><code>cd 项目\n\ndisclosure build</code></pre></li><li><p>查看结果</p></li>"]),
    ("- 甲\n  ```\n  x = 1\n  ```\n- 乙\n", ["<li>甲<pre><code>x = 1</code></pre></li><li>乙</li>"]),
    # the code's own indentation is kept, in an item's text and in a block after a blank line alike
    ("- 甲\n  ```\n  def f():\n      return 1\n  ```\n", ["<li>甲<pre><code>def f():\n    return 1</code></pre></li>"]),
    ("1. 甲\n\n   ```\n   def f():\n       return 1\n\n       pass\n   ```\n",
     ["<li><p>甲</p><pre><code>def f():\n    return 1\n\n    pass</code></pre></li>"]),
    ("* 甲\n\n  * 子\n\n    ~~~\n    深\n    ~~~\n* 乙\n", ["<li><p>子</p><pre><code>深</code></pre></li>"]),
    ("> ```\n> 引用中的代码\n> ```\n", ["<blockquote><pre><code>引用中的代码</code></pre></blockquote>"]),
    ("  ```\n  缩进两格\n    再缩进\n  ```\n", ["<pre><code>缩进两格\n  再缩进</code></pre>"]),
    ("- 甲\n\n  ```\n  未闭合\n", ["<li><p>甲</p><pre><code>未闭合</code></pre></li>"]),
    ("- ```a```\n", ["<li><code>a</code></li>"]),  # a code span, not a fence
    # a fence's language is its code's class on both (cmark-gfm wrote GitHub's `<pre lang="python">`: a
    # human language's attribute)
    ("```python\nprint(1)\n```\n", ['<pre><code class="language-python">print(1)']),
    ("- 甲\n  ~~~ yaml\n  a: 1\n  ~~~\n", ['<li>甲<pre><code class="language-yaml">a: 1']),
    # a heading indented one to three spaces (pasted text): Python-Markdown showed its hashes in a paragraph
    (" ## 第一章 总则\n", ['<h2 id="_1">第一章 总则</h2>']),
    ("段落\n   ### 小标题\n", ['<p>段落</p><h3 id="_1">小标题</h3>']),
    ("- 项\n # 标题\n", ['<ul><li>项</li></ul><h1 id="_1">标题</h1>']),
    ("- 项\n\n   ## 项内标题\n", ['<li><p>项</p><h2 id="_1">项内标题</h2></li>']),
    (" #不是标题\n", ["<p>#不是标题</p>"]),
    # a heading on an item's later line, indented to its text: in the item (Python-Markdown showed the hashes)
    ("- 项\n  ## 项内标题\n  后文\n- 乙\n", ['<li>项<h2 id="_1">项内标题</h2>后文</li><li>乙</li>']),
    ("1. 甲\n\n2. 乙\n   ### 小节\n   正文\n", ['<li><p>乙</p><h3 id="_1">小节</h3><p>正文</p></li>']),
    ("- 甲\n  - 子\n    ## 深\n- 乙\n", ['<li>子<h2 id="_1">深</h2></li>']),
    ("- 项\n  ```\n  ## 代码\n  ```\n", ["<li>项<pre><code>## 代码</code></pre></li>"]),  # in code: code
    # HTML over several lines in an item's code: Python-Markdown put it aside as an HTML block, and the
    # code's lines after the first kept the item's indentation
    ("- 甲\n- 乙：\n  ```html\n  <div>\n    <p>x</p>\n  </div>\n  ```\n",
     ['<li>乙：<pre><code class="language-html">&lt;div&gt;\n  &lt;p&gt;x&lt;/p&gt;\n&lt;/div&gt;</code></pre></li>']),
    ("1. 甲\n\n2. 乙：\n\n   ```\n   <table>\n     <tr><td>1</td></tr>\n   </table>\n\n   后文\n   ```\n",
     ["<pre><code>&lt;table&gt;\n  &lt;tr&gt;&lt;td&gt;1&lt;/td&gt;&lt;/tr&gt;\n&lt;/table&gt;\n\n后文</code></pre>"]),
    ("- 乙：\n  ```\n   <div>x</div> 后\n  <p>\n  ```\n- 丙\n",
     ["<pre><code>&lt;div&gt;x&lt;/div&gt; 后\n&lt;p&gt;</code></pre></li><li>丙</li>"]),
    # an HTML block in an item's text stays in the item (Python-Markdown put a line break before it, or
    # after a blank line took it out of the list and split the list in two); code fenced at the top stays
    ("- 甲\n  <div>块</div>\n- 乙\n", ["<ul><li>甲<div>块</div></li><li>乙</li></ul>"]),
    ("- 甲\n\n  <div>块</div>\n- 乙\n", ["<ul><li><p>甲</p><div>块</div></li><li><p>乙</p></li></ul>"]),
    ("1. 甲\n   <table><tr><td>1</td></tr></table>\n2. 乙\n", ["<ol><li>甲<table><tr><td>1</td></tr></table></li><li>乙</li></ol>"]),
    ("- 甲\n\n```\n<div>码</div>\n```\n\n段落\n", ["</ul><pre><code>&lt;div&gt;码&lt;/div&gt;</code></pre><p>段落</p>"]),
])
def test_lists_tables_and_line_breaks_are_read_as_commonmark_reads_them_with_either_renderer(text, nested):
    """Python-Markdown nests and continues an item only by four spaces, and starts a list only after a
    blank line: the web form's nested lists (two or three spaces) came out flat, an item's second
    paragraph left the list and took the next item into its text, and `要求如下：` with a list on the next
    line became one paragraph, on the pages it renders (bodies with a footnote or `**《…》**`, MkDocs'
    pages) and not on the fast path's; so did a table right under a line (its caption). And it showed
    the form's line break as a backslash. The fast path
    struck out `12:00，下午14:00` in `8:30~12:00，下午14:00~17:30` (GitHub's one-tilde strikethrough)."""
    import markdown

    from site_builder.render.mdsafe import NAME
    fast, *_ = bodies.render_gfm(text)
    slow = markdown.Markdown(extensions=["tables", "fenced_code", "toc", NAME],
                             extension_configs={"toc": {"slugify": bodies.slugify}}).convert(text)
    assert _tags_apart(fast) == _tags_apart(slow)
    for part in nested:
        assert part in _tags_apart(slow)


def test_the_web_forms_nested_lists_are_what_the_renderers_are_given(tmp_path):
    """FORM_LISTS and FORM_BREAK are what Decap CMS's own serializer (its remark-stringify, with the
    options in its source) writes for a nested bullet and a nested numbered list, and a line break."""
    import json
    import shutil
    import subprocess

    root = Path(__file__).resolve().parent.parent
    widget = root / "node_modules/decap-cms-widget-markdown"
    if not shutil.which("node") or not widget.exists():
        pytest.skip("needs node and the npm packages (npm ci)")
    assert "listItemIndent: '1'" in (widget / "src/serializers/index.js").read_text(encoding="utf-8")
    script = tmp_path / "form.js"
    script.write_text(
        "const at = (m) => require(require.resolve(m, {paths: [process.argv[2]]}));\n"
        "const md = at('unified')().use(at('remark-parse'), {commonmark: true}).use(at('remark-stringify'),\n"
        "  {commonmark: true, fences: true, listItemIndent: '1', bullet: '*', emphasis: '*', strong: '*', rule: '-'});\n"
        "process.stdout.write(JSON.stringify(md.processSync(process.argv[3]).toString()));\n", encoding="utf-8")
    typed = "- 甲\n\n    - 子一\n    - 子二\n- 乙\n\n1. 一\n\n    1. 子\n2. 二\n\n县医疗保障局  \n2025年11月16日\n"
    written = subprocess.run(["node", str(script), str(widget), typed], capture_output=True, text=True, check=True)
    assert json.loads(written.stdout) == f"{FORM_LISTS}\n{FORM_BREAK}"


def test_a_records_lists_and_line_breaks_are_as_written_on_its_page_whichever_renderer_has_it(project, tmp_path):
    site, pages = _on_pages_of_both_renderers(project, tmp_path,
                                              f"{FORM_LISTS}\n{FORM_BREAK}\n{RANGES}\n要求如下：\n1. 丙\n2. 丁\n\n"
                                              "操作步骤：\n\n- 打开命令行\n  ```\n  disclosure build\n  ```\n- 查看网站\n\n"
                                              "办理流程：\n\n- 准备材料\n  ### 材料清单\n  申请表一份\n- 提交\n\n"
                                              "嵌入代码：\n\n- 地图：\n  ```html\n  <div class=\"map\">\n    <p>图</p>\n  </div>\n  ```\n\n"
                                              "联系方式：\n\n- 地址\n  <div>县政务服务中心</div>\n- 电话\n")
    for page in pages:
        html = _tags_apart(page.read_text(encoding="utf-8"))
        assert "<li><p>甲</p><ul><li>子一</li><li>子二</li></ul></li><li><p>乙</p></li>" in html, page
        assert "<li><p>一</p><ol><li>子</li></ol></li><li><p>二</p></li>" in html, page
        assert "<p>要求如下：</p><ol><li>丙</li>" in html, page
        assert re.search(r"<p>县医疗保障局<br ?/?>2025年11月16日</p>", html), page
        assert f"<p>{RANGES.strip()}</p>" in html, page
        assert "<li>打开命令行<pre><code>disclosure build</code></pre></li><li>查看网站" in html, page
        assert re.search(r'<li>准备材料<h3 id="[^"]+">材料清单(<a [^>]+>[^<]*</a>)?</h3>申请表一份</li><li>提交', html), page
        assert ('<li>地图：<pre><code class="language-html">&lt;div class="map"&gt;\n  &lt;p&gt;图&lt;/p&gt;\n'
                '&lt;/div&gt;</code></pre></li>') in html.replace("&quot;", '"'), page
        assert "<ul><li>地址<div>县政务服务中心</div></li><li>电话" in html, page


def test_reading_lists_as_commonmark_moves_text_and_never_drops_any():
    """The list pass (mdsafe) only re-indents lines and adds blank lines: every other character of a body
    stays, in order, whatever the body (random lines of items, fences, quotes, tables, indentation)."""
    import random

    import markdown

    from site_builder.render.mdsafe import NAME
    md = markdown.Markdown(extensions=[NAME])
    blocks = md.preprocessors["dx_commonmark_blocks"]
    rnd = random.Random(21)
    starts = ["", "  ", "   ", "    ", "      ", "         "]
    marks = ["- ", "* ", "1. ", "2) ", "10. ", "", "", "```", "> ", "| a | b |", "|---|---|", "#"]
    for _ in range(3000):
        lines = ["" if rnd.random() < 0.15 else rnd.choice(starts) + rnd.choice(marks) + rnd.choice(["甲", "x = 1", ""])
                 for _ in range(rnd.randint(1, 9))]
        out = blocks.run(list(lines))
        assert "".join("".join(out).split()) == "".join("".join(lines).split()), lines
