"""Publication safety, items 2 and 7 of issue 13: one sanitization policy for every page made from
content (records, ordinary pages, the home page, catalogue text, listings), and a Content-Security-
Policy on every page. A copy of the sample project gets hostile content in a record, an ordinary page,
the home page and a catalogue description; the public site and the kiosk copy built from it must carry
none of it (HTML, feeds, search index, data/*.json), `disclosure check` names it with file and line,
and in Chromium no script from content runs, nothing navigates and the kiosk copy stays offline. The
sample site and its kiosk copy load with no CSP violation."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest

from site_builder.render import bodies

from conftest import copy_project, start_server
from site_builder.render import csp
from site_builder.render import offline as kiosk
from site_builder.commands.cli import build_site, main
from site_builder.sources.sanitize import html_text, plain_text, sanitize, unpublished_markup

NOTE = "内部审核意见"
# strings that only hostile content carries: none of them may reach any output
MARKERS = ("__pwned", NOTE, "evil.example", "hostile-style-marker", "javascript:", "vbscript:", "onerror",
           "onload", "refresh", "<iframe", "<object", "<embed", "<base", '<p id="__config"', "fast-path-")
# a body cmark-gfm renders (no emphasis or extension syntax: render/bodies.py's fast path): its raw HTML
# goes through the same sanitizer, never escaped into text the page shows
FAST_BODY = """快速渲染的正文<script>document.title="fast-path-script"</script>继续<style>.fast-path-style{}</style>。

<iframe src="fast-path-frame.html">框</iframe>

尾句。
"""

HOSTILE_BODY = f"""正文开头：本条用于检验发布安全。<script>window.__pwned = "body-script"; document.title = "PWNED"</script>

<img src="missing.png" onerror="window.__pwned='body-onerror'" alt="说明图">

[点击查看](javascript:window.__pwned='body-link') 与 <a href="vbscript:msgbox(1)">另一链接</a>
与 <a href="jav&#x09;ascript:window.__pwned='entity'">编码链接</a>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<iframe src="https://evil.example/frame" onload="window.__pwned='iframe'">框架</iframe>

<style>.hostile-style-marker {{ display: none }} body {{ display: none }}</style>

<!-- {NOTE}：此条数字待核实，暂缓发布 -->

<svg onload="window.__pwned='svg'"><path d="M0 0"></path></svg>

<form action="https://evil.example/"><input type="text" name="q"><input type="submit" value="提交"></form>

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">

<base href="https://evil.example/">

<p id="__config">假配置</p>

外部图片：![云溪风光](https://www.gov.cn/images/yunxi.png)

![属性列表](missing.png){{ onerror="window.__pwned='attr-list'" }}

正文结尾。
"""


def _hostile_project(dest: Path) -> Path:
    proj = copy_project(dest)
    (proj / "content/records/finance/hostile.md").write_text(f"""---
title: "关于<b>发布安全</b>的检验<!-- {NOTE}：标题 -->"
index_no: 011320503/2026-09999
date: 2026-01-05
department: finance
domains: [fiscal]
item: fiscal-general-budget
tags: [发布安全, "<img src=x onerror=window.__pwned='tag'>"]
summary: "概述<script>window.__pwned='summary'</script>文字<!-- {NOTE} -->"
---
{HOSTILE_BODY}""", encoding="utf-8")
    (proj / "content/records/finance/hostile-opening.md").write_text("""---
title: 默认概述的检验
index_no: 011320503/2026-09998
date: 2026-01-04
department: finance
domains: [fiscal]
item: fiscal-general-budget
---
开头文字<script>window.__pwned='opening'</script><style>.hostile-style-marker{}</style>继续。
""", encoding="utf-8")
    (proj / "content/records/finance/hostile-fast.md").write_text("""---
title: 快速渲染正文的检验
index_no: 011320503/2026-09996
date: 2026-01-02
department: finance
domains: [fiscal]
item: fiscal-general-budget
---
""" + FAST_BODY, encoding="utf-8")
    # titles, heading ids and tables of contents are worked out before sanitizing: from text only
    (proj / "content/notice.md").write_text(
        f"# 通知<script>window.__pwned='h1'</script><!-- {NOTE} -->\n\n## 第一条<style>.hostile-style-marker{{}}</style>内容"
        "<img src=x onerror=\"window.__pwned='h2'\">\n\n正文。\n", encoding="utf-8")
    (proj / "content/records/finance/hostile-markdown.md").write_text(f"""---
title: 经 Python-Markdown 渲染的正文
index_no: 011320503/2026-09997
date: 2026-01-03
department: finance
domains: [fiscal]
item: fiscal-general-budget
---
!!! note "提示<script>window.__pwned='admonition'</script>"
    提示内容<!-- {NOTE} -->

## 第二章<script>window.__pwned='md-heading'</script>说明

正文[^1]。

[^1]: 注释<style>.hostile-style-marker{{}}</style>文字
""", encoding="utf-8")
    about = proj / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "title: 关于本站\n", "title: 关于本站\ndescription: '\"><script>window.__pwned=\"desc\"</script>'\n", 1)
        + "\n## 安全检验<img src=x onerror=\"window.__pwned='heading'\">\n\n" + HOSTILE_BODY, encoding="utf-8")
    (proj / "content/index.md").write_text("欢迎访问。\n\n" + HOSTILE_BODY, encoding="utf-8")
    domains = proj / "catalogue/domains.yml"
    domains.write_text(domains.read_text(encoding="utf-8").replace(
        "description: 公开县级政府预算、决算和各部门预算、决算及“三公”经费情况。",
        f"description: \"公开县级政府预算<script>window.__pwned='catalogue'</script><!-- {NOTE}：目录 -->"
        "<img src=x onerror=window.__pwned=1>及“三公”经费情况。\"", 1), encoding="utf-8")
    return proj


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(project, public site, kiosk copy) built from the hostile project."""
    base = tmp_path_factory.mktemp("hostile")
    proj = _hostile_project(base / "project")
    site = build_site(str(proj / "mkdocs.yml"), site_dir=str(base / "site"))
    copy = build_site(str(proj / "mkdocs.yml"), site_dir=str(base / "kiosk"),
                      plugin_options={"kiosk": True, "feeds": False, "kiosk_time": "2026-02-01T09:00:00+08:00"})
    return proj, site, copy


def _search_docs(site: Path) -> str:
    """Every record's doc-store entry of the search index, decoded."""
    out = []
    for f in sorted((site / "search").rglob("*.js")):
        text = f.read_text(encoding="utf-8")
        if text.startswith("__dxSearch.doc("):
            packed = json.loads(text[len("__dxSearch.doc("):text.rindex(")")])
            out.append(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))
    return "\n".join(out)


def _outputs(site: Path):
    for f in sorted(site.rglob("*")):
        if f.suffix in (".html", ".xml", ".json", ".opml") and f.is_file():
            yield f.relative_to(site).as_posix(), f.read_text(encoding="utf-8")


# -- the sanitization policy ----------------------------------------------------------------------

def test_a_body_s_raw_html_is_judged_by_the_one_policy_wherever_the_body_is_read():
    """cmark-gfm's readers of a body: the page (the fast renderer), the default 内容概述 and the generated
    Word/PDF of a 行政规范性文件; none shows what was inside <script>, <style> or <iframe> as text."""
    from site_builder.outputs.policyfiles import body_blocks
    from site_builder.sources.records import opening_text

    assert bodies.render_gfm(FAST_BODY) is not None  # else FAST_BODY tests the other renderer twice
    assert "fast-path-" not in sanitize(bodies.render_gfm(FAST_BODY)[0])
    assert opening_text(FAST_BODY) == "快速渲染的正文继续。"
    assert body_blocks(FAST_BODY) == [("para", "快速渲染的正文继续。"), ("para", "尾句。")]


def test_policy_drops_what_runs_and_keeps_formatting():
    html = sanitize(
        '<h2 id="第一章">第一章</h2><p>正文<strong>加粗</strong><a href="../x.html">链接</a>'
        '<img src="a.png" alt="图" onerror="x()"><script>bad()</script><style>p{}</style><!-- 注释 -->'
        '<a href="JAVASCRIPT:bad()">j</a><a href="data:text/html,x">d</a><img src="data:image/png;base64,AAAA">'
        '<iframe src="x">框</iframe><meta http-equiv="refresh" content="0"><base href="/"><form><input type="submit">'
        '<input type="checkbox" checked disabled></form><p id="__config" name="__x">c</p>'
        '<table><tr><td style="text-align: center; color: red">1</td></tr></table></p>')
    assert '<h2 id="第一章">第一章</h2>' in html and "<strong>加粗</strong>" in html
    assert '<a href="../x.html">链接</a>' in html and '<img src="a.png" alt="图">' in html
    for gone in ("script", "bad()", "<style", "p{}", "注释", "JAVASCRIPT", "data:", "iframe", "框", "meta", "base",
                 "form", "submit", "__config", "color"):
        assert gone not in html, gone
    assert '<input type="checkbox" checked="" disabled="">' in html
    assert '<td style="text-align:center">1</td>' in html


def test_text_fields_keep_only_their_text():
    assert plain_text("普通标题 & 文字 <《条例》>") == "普通标题 & 文字 <《条例》>"  # no markup: as written
    assert plain_text(f"关于<b>预算</b>的通知<!-- {NOTE} --><script>x()</script>") == "关于预算的通知"
    assert html_text("<p>开头<script>window.x=1</script>文字<style>p{}</style><!-- 注 --></p>") == "开头文字"


def test_unpublished_markup_names_lines():
    body = "第一行\n<script>x</script>\n<img src=a onerror=b>\n[a](javascript:x)\n<!-- 说明 -->\n"
    assert unpublished_markup(body) == [(1, "<script>"), (2, "事件属性（on…=）"), (3, "javascript:/vbscript: 链接")]
    assert unpublished_markup("没有标记的正文：\n一段文字。") == []
    assert unpublished_markup('![图](a.png){ onerror="x()" }') == [(0, "事件属性（on…=）")]  # no "<" nor ":"
    # an event attribute written as an attribute list (attr_list) is dropped too; braces around words are not one
    assert unpublished_markup('![图](a.png){ width="300" onerror="x()" }\n[链接](a.html){: onclick=x }\n'
                              '## 标题 {#t onmouseover=\'y\'}\n{备注：on=1} {: .note }\n{ donate=1 }') == [
        (0, "事件属性（on…=）"), (1, "事件属性（on…=）"), (2, "事件属性（on…=）")]
    # what re.I matches and the body's quick look for each kind must see too (sanitize._FINDINGS)
    assert unpublished_markup("[a](JAVAſCRIPT :x)\n[b](<DATA:x>)") == [(0, "javascript:/vbscript: 链接"),
                                                                        (1, "data: 链接")]
    assert unpublished_markup("<A HREF = 'Data:x'>\n[vb](VBScript:x)") == [(0, "data: 链接"),
                                                                       (1, "javascript:/vbscript: 链接")]
    # written in code, it is shown as text and dropped from nothing: a fence, a span; not a fence left open
    assert unpublished_markup("示例：\n\n```html\n<script src=a.js></script>\n<img src=a onerror=b>\n```\n\n"
                              "写 `<iframe>` 或 `[a](javascript:x)` 都不会生效。\n<script>x</script>\n") == [(8, "<script>")]
    assert unpublished_markup("~~~\n<script>x</script>\n") == [(1, "<script>")]
    # but not inside a raw HTML block, which is passed on as written, backticks and all
    assert unpublished_markup("<div>\n`<script>x</script>`\n</div>\n\n`<script>y</script>`\n") == [(1, "<script>")]
    assert unpublished_markup("```\n<div>\n```\n`<script>y</script>`\n") == []
    # code fenced inside a list item or a quote is code on both renderers, a blank line in it or not
    inner = "<script>x</script>\n{i}\n{i}[a](javascript:x)\n"
    assert unpublished_markup("- 项\n  - 子项\n\n    ```\n    " + inner.format(i="    ") + "    ```\n") == []
    assert unpublished_markup("> ```html\n> " + inner.format(i="> ") + "> ```\n\n<iframe>\n") == [(6, "<iframe>")]
    assert unpublished_markup("- ```\n  " + inner.format(i="  ") + "  ```\n- <form>\n") == [(5, "<form>")]
    assert unpublished_markup("1. 第一项\n\n   1. 子项\n\n      ~~~~\n      " + inner.format(i="      ")
                              + "      ~~~~\n") == []
    # not a fence left open, nor a paragraph's line that looks like one (indented: still the paragraph)
    assert unpublished_markup("- 项\n  - 子项\n\n    ```\n    " + inner.format(i="    ")) == [
        (4, "<script>"), (6, "javascript:/vbscript: 链接")]
    assert unpublished_markup("段落\n    ```\n    <script>x</script>\n\n    ```\n") == [(2, "<script>")]


def test_nothing_hostile_reaches_any_output(hostile):
    _, site, copy = hostile
    for root in (site, copy):
        for rel, text in _outputs(root):
            for marker in MARKERS:
                assert marker not in text, f"{root.name}/{rel}: {marker!r}"
    docs = _search_docs(site)
    assert "默认概述的检验" in docs and "开头文字" in docs
    for marker in MARKERS + ("window.", "display"):
        assert marker not in docs, f"search index: {marker!r}"
    records = json.loads((site / "data/records.json").read_text(encoding="utf-8"))
    mine = next(r for r in records if r["index_no"] == "011320503/2026-09999")
    assert mine["title"] == "关于发布安全的检验" and mine["tags"] == ["发布安全"]


def test_pages_keep_the_text_around_what_was_dropped(hostile):
    _, site, _ = hostile
    record = (site / "records/finance/hostile.html").read_text(encoding="utf-8")
    assert "正文开头：本条用于检验发布安全。" in record and "正文结尾。" in record
    assert "<title>关于发布安全的检验 – " in record
    assert '<meta name="description" content="概述文字">' in record
    opening = (site / "records/finance/hostile-opening.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="开头文字继续。">' in opening
    about = (site / "about.html").read_text(encoding="utf-8")
    assert "安全检验" in about and "正文开头" in about
    assert '<meta name="description" content="&#34;&gt;">' in about or 'content="&quot;&gt;"' in about
    notice = (site / "notice.html").read_text(encoding="utf-8")
    assert "<title>通知 – " in notice and '<h1 id="通知">通知</h1>' in notice
    assert '<h2 id="第一条内容">第一条内容<img src="x"></h2>' in notice and 'href="#第一条内容"' in notice
    markdown = (site / "records/finance/hostile-markdown.html").read_text(encoding="utf-8")
    assert '<h2 id="第二章说明">第二章说明</h2>' in markdown and "admonition" in markdown
    assert "提示内容" in markdown and "注释文字" in markdown
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "欢迎访问。" in home and "正文结尾。" in home
    domain = (site / "domains/fiscal.html").read_text(encoding="utf-8")
    assert "公开县级政府预算及“三公”经费情况。" in domain
    # (its department's feed: the all-records feed carries only the newest 20, issue 21)
    feed = (site / "feeds/departments/finance.xml").read_text(encoding="utf-8")
    assert "<title>关于发布安全的检验</title>" in feed and "正文结尾。" in feed


def test_kiosk_copy_shows_remote_images_as_text(hostile):
    _, site, copy = hostile
    assert 'src="https://www.gov.cn/images/yunxi.png"' in (site / "records/finance/hostile.html").read_text(encoding="utf-8")
    page = (copy / "records/finance/hostile.html").read_text(encoding="utf-8")
    assert "www.gov.cn/images" not in page
    assert "云溪风光</span><span class=\"dx-offline__note\">（外部网站的图片，本机不能显示）</span>" in page
    assert kiosk.remote_references(copy) == []


def test_check_names_what_will_not_be_published(hostile, capsys):
    proj, _, _ = hostile
    assert main(["check", "-f", str(proj / "mkdocs.yml"), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    problems = found["errors"] + found["warnings"]
    by_file: dict[str, list] = {}
    for p in problems:
        by_file.setdefault(p["file"], []).append(p)
    record = by_file["content/records/finance/hostile.md"]
    fields = {p["line"]: p["message"] for p in record if "字段" in p["message"]}
    assert fields.get(2, "").startswith("字段 title 中的 HTML 标记或注释不会发布")
    assert "字段 tags" in fields.get(8, "") and "字段 summary" in fields.get(9, "")
    body = next(p for p in record if p["message"].startswith("正文中的"))
    assert body["line"] == 11 and "<script>" in body["message"] and "事件属性" in body["message"]
    # ten lines shown; the eleventh, an event attribute in an attribute list (line 38), is behind "……"
    assert "第 11、13、15、18、20、22、26、28、30、32…… 行" in body["message"], body["message"]
    for page in ("content/about.md", "content/index.md"):
        assert any(p["message"].startswith("正文中的 <script>") for p in by_file[page]), page
    catalogue = by_file["catalogue/domains.yml"]
    assert any(p["line"] == 4 and p["message"].startswith("字段 description") for p in catalogue), catalogue


# -- the Content-Security-Policy ------------------------------------------------------------------

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _policy(text: str) -> dict[str, list[str]]:
    m = CSP_META.search(text)
    assert m, "no CSP"
    return {d.split()[0]: d.split()[1:] for d in m.group(1).split("; ")}


@pytest.mark.parametrize("which", ["site", "kiosk", "sample", "sample-kiosk"])
def test_every_page_carries_the_policy_first(request, which):
    """Every page of the hostile and the sample site and their kiosk copies: the policy first in <head>,
    and exactly the inline scripts and styles on the page hashed (none of them from content)."""
    if which.startswith("sample"):
        root = request.getfixturevalue("kiosk_copy" if which == "sample-kiosk" else "sample_site")
    else:
        _, site, copy = request.getfixturevalue("hostile")
        root = site if which == "site" else copy
    # admin/ is the editors' form (Decap CMS), an app with its own policy: tests/test_admin.py
    pages = sorted(p for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "admin")
    assert len(pages) > 200
    for f in pages:
        text = f.read_text(encoding="utf-8")
        head = text[text.index("<head>") + 6:].lstrip()
        assert re.match(r'<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"', head), f
        policy = _policy(text)
        sources = " ".join(s for v in policy.values() for s in v)
        assert "'unsafe-inline'" not in policy["script-src"] + policy.get("style-src", []), f
        assert "'unsafe-eval'" not in sources and "*" not in sources.split(), f
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert [s for s in policy["script-src"] if not s.startswith("'sha256-")] == ["'self'"], f
        if which.endswith("kiosk"):  # no network origin at all
            assert not re.search(r"https?:|//|\*", sources), f"{f}: {sources}"
        # every inline script the page runs is hashed: the theme's; none from content
        for tag in ("script", "style"):
            inline = [m.group(3) for m in csp._INLINE.finditer(text) if m.group(1) == tag
                      and csp.executable(m.group(1), m.group(2))]
            allowed = [s for s in policy.get(f"{tag}-src", []) if s != "'self'"]
            assert sorted({csp.digest(s) for s in inline}) == sorted(allowed), f"{f}: {tag}"


def test_policy_hashes_only_the_theme_s_inline_elements(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "a.html").write_text(
        '<script>var a=1</script><script>x=new URL("{{ base_url }}",location)</script>'
        '<script>y={{ data }}</script><script>{% if x %}z(){% endif %}</script>'
        '<script type="application/json">{"a": {{ b }}}</script><style>p{color:"{{ c }}"}</style>', encoding="utf-8")
    policy = csp.Policy.for_theme([str(theme)])
    page = ('<html><head><meta charset="utf-8"><script>var a=1</script><script>x=new URL("../..",location)</script>'
            '<script>x=new URL("");alert(1);("",location)</script><script>y=alert(1)</script>'
            '<style>p{color:"red"}</style></head><body><script>window.__pwned=1</script></body></html>')
    out, foreign = policy.apply(page)
    assert foreign == 3
    p = _policy(out)
    assert p["script-src"] == ["'self'", csp.digest("var a=1"), csp.digest('x=new URL("../..",location)')]
    assert p["style-src"] == ["'self'", csp.digest('p{color:"red"}')]
    assert out.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')


# -- in Chromium --------------------------------------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


class Visit:
    """One browser context: every request, every navigation of the main frame, console errors, CSP
    violations (from the page's own securitypolicyviolation events)."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.base = base
        self.outside: list[str] = []
        self.navigations: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith(base) or url.startswith(("data:", "blob:", "about:")):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:", "about:"))
                     else self.outside.append(r.url))
        self.page.on("framenavigated", lambda f: self.navigations.append(f.url) if f == self.page.main_frame else None)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def load(self, rel: str, settle_ms: int = 0) -> dict:
        self.navigations.clear()
        self.console.clear()
        self.page.goto(self.base + rel, wait_until="load")
        if settle_ms:
            self.page.wait_for_timeout(settle_ms)
        return self.page.evaluate("""() => ({pwned: window.__pwned === undefined ? null : String(window.__pwned),
            title: document.title, url: location.href, violations: window.__violations,
            hidden: getComputedStyle(document.body).display === "none"})""")

    def close(self):
        self.context.close()


HOSTILE_PAGES = ("records/finance/hostile.html", "records/finance/hostile-opening.html", "about.html",
                 "index.html", "domains/fiscal.html", "domains/index.html", "records/finance/hostile.html?q=1")


@pytest.mark.parametrize("which", ["site", "kiosk"])
def test_no_script_from_content_runs_in_chromium(hostile, browser, which):
    _, site, copy = hostile
    if which == "site":
        proc, base = start_server(site)
    else:
        proc, base = None, copy.resolve().as_uri() + "/"
    visit = Visit(browser, base)
    try:
        for i, rel in enumerate(HOSTILE_PAGES):
            state = visit.load(rel, settle_ms=600 if i == 0 else 0)  # a refresh of 0 s would have gone by now
            assert state["pwned"] is None, f"{rel}: script from content ran ({state['pwned']})"
            assert "PWNED" not in state["title"] and not state["hidden"], rel
            assert state["url"] == base + rel and visit.navigations == [base + rel], f"{rel}: navigated {visit.navigations}"
            assert state["violations"] == [], f"{rel}: {state['violations']}"
            assert not visit.dialogs
        if which == "kiosk":
            assert visit.outside == [], f"the kiosk copy reached the network: {visit.outside}"
        else:  # the public site may show a picture from another site; nothing else leaves it
            assert set(visit.outside) <= {"https://www.gov.cn/images/yunxi.png"}, visit.outside
    finally:
        visit.close()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


def test_policy_stops_a_script_the_sanitizer_missed(hostile, browser, tmp_path):
    """Defense in depth: a script put into a built page's content (as a sanitizer bug would) and a
    remote style sheet are blocked by the page's own policy, from disk as over http."""
    _, _, copy = hostile
    text = (copy / "about.html").read_text(encoding="utf-8")
    text = text.replace('<article class="md-content__inner md-typeset">',
                        '<article class="md-content__inner md-typeset"><script>window.__pwned="missed"</script>'
                        '<img src="x.png" onerror="window.__pwned=\'attr\'"><link rel="stylesheet" '
                        'href="https://evil.example/x.css"><a id="go" href="javascript:window.__pwned=\'link\'">go</a>', 1)
    (copy / "about-injected.html").write_text(text, encoding="utf-8")
    visit = Visit(browser, copy.resolve().as_uri() + "/")
    try:
        state = visit.load("about-injected.html", settle_ms=300)
        visit.page.click("#go")
        visit.page.wait_for_timeout(200)
        assert visit.page.evaluate("window.__pwned === undefined"), "the injected script ran"
        assert state["pwned"] is None
        kinds = {v.split()[0] for v in visit.page.evaluate("window.__violations")}
        assert {"script-src-elem", "script-src-attr", "style-src-elem"} <= kinds, kinds  # the style sheet: blocked
    finally:
        visit.close()
        (copy / "about-injected.html").unlink()


def _representative(root: Path) -> list[str]:
    """The site's own pages (home, ordinary pages, catalogue, report, search, subscribe, 404) and, in each
    folder of generated pages (records, domains, departments, items, tags, years), its index, its first
    page and the first page of its first subfolder (a record, a listing's later page). Every page's inline
    scripts are checked against its policy without a browser (test_every_page_carries_the_policy_first)."""
    pages = sorted(p.relative_to(root).as_posix() for p in root.glob("*.html"))
    for top in sorted(d for d in root.iterdir() if d.is_dir() and d.name not in ("assets", "search", "data", "admin")):
        own = sorted(top.glob("*.html"))
        subs = sorted(d for d in top.iterdir() if d.is_dir() and any(d.glob("*.html")))
        picked = own[:1] + [p for p in own if p.name == "index.html"] + (sorted(subs[0].glob("*.html"))[:1] if subs else [])
        pages += sorted({p.relative_to(root).as_posix() for p in picked})
    return [p for p in pages if p != "404.html" or root.name != "kiosk"]


@pytest.mark.parametrize("which", ["site", "kiosk"])
def test_sample_pages_report_no_csp_violation(sample_site, kiosk_copy, browser, which):
    root = sample_site if which == "site" else kiosk_copy
    if which == "site":
        proc, base = start_server(root)
    else:
        proc, base = None, root.resolve().as_uri() + "/"
    visit = Visit(browser, base)
    pages = _representative(root)
    assert len(pages) >= 15
    seen = []
    try:
        for rel in pages + ["search.html?q=" + urllib.parse.quote("预算")]:
            state = visit.load(rel)
            if rel.startswith("search.html?"):
                visit.page.wait_for_selector("#dx-search[data-state=results]", timeout=10000)
                state["violations"] = visit.page.evaluate("window.__violations")
            assert state["violations"] == [], f"{rel}: {state['violations']}"
            assert not [c for c in visit.console if "Content Security Policy" in c], f"{rel}: {visit.console}"
            seen.append(rel)
        assert visit.outside == [], visit.outside
    finally:
        visit.close()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    assert any(p.startswith("records/") for p in seen) and "subscribe.html" in seen or which == "kiosk"
