"""The kiosk copy (`disclosure kiosk --out DIR`): built through the CLI, opened from disk in Chromium with
every non-file request aborted, crawled from the home page; zip, banner, 返回首页, idle return, feeds
off, links that would leave the copy, screenshots at kiosk sizes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from conftest import copy_project, the_sample_project
from site_builder.render import offline as kiosk
from site_builder.commands.cli import main

STAMP = re.compile(r"本地副本，更新于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})")


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# schemes that never reach the network: the page's own files and the browser's built-in pages (its PDF viewer)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "chrome-extension:", "chrome-untrusted:")


def block_network(page) -> list[str]:
    """Abort every request that is not file://, and record it (the returned list fills as pages load)."""
    external: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", handle)
    page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) else external.append(r.url))
    return external


def local_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


# -- the CLI and what it writes -------------------------------------------------------------------------

def test_cli_writes_dir_and_zip_with_the_same_files(kiosk_copy):
    archive = kiosk_copy.with_name(kiosk_copy.name + ".zip")
    assert (kiosk_copy / "index.html").is_file() and archive.is_file()
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        prefix = kiosk_copy.name + "/"
        assert all(n.startswith(prefix) for n in names)
        assert names == sorted(names), "entries in a fixed (sorted) order"
        assert {n[len(prefix):] for n in names} == files_under(kiosk_copy)
        assert zf.read(prefix + "index.html") == (kiosk_copy / "index.html").read_bytes()
        assert len({i.date_time for i in zf.infolist()}) == 1, "every entry carries the copy's time"


def test_copy_keeps_data_exports_and_has_no_feeds(kiosk_copy, sample_site):
    records = json.loads((kiosk_copy / "data" / "records.json").read_text(encoding="utf-8"))
    public = json.loads((sample_site / "data" / "records.json").read_text(encoding="utf-8"))
    assert records == public
    catalogue = json.loads((kiosk_copy / "data" / "catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["items"] and all("feed" not in d for d in catalogue["domains"])
    assert not (kiosk_copy / "feeds").exists() and not (kiosk_copy / "feeds.opml").exists()
    assert not (kiosk_copy / "subscribe.html").exists()
    for path in kiosk_copy.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "application/rss+xml" not in text, path
        assert "dx-subscribe" not in text and "subscribe.html" not in text, path


def test_public_site_carries_no_kiosk_layer(sample_site):
    """The public site stays reproducible: no copy date, no kiosk bar or scripts."""
    assert not (sample_site / "assets" / "kiosk.js").exists()
    assert not (sample_site / "assets" / "kiosk.css").exists()
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "dx-kiosk-bar" not in home and "本地副本" not in home
    assert (sample_site / "assets" / "a11y.js").is_file()


def test_idle_seconds_option_reaches_every_page(kiosk_copy):
    bars = [re.search(r'<nav class="dx-kiosk-bar"[^>]*data-idle="(\d+)"', p.read_text(encoding="utf-8"))
            for p in kiosk_copy.rglob("*.html") if p.name != "404.html"]
    assert bars and all(b and b.group(1) == "120" for b in bars)


# -- from disk, network blocked -------------------------------------------------------------------------

PAGE_FACTS = """() => ({
    links: [...document.querySelectorAll('a[href], form[action]')].map(a => [a.getAttribute('href') || a.getAttribute('action'),
                                                              new URL(a.getAttribute('href') || a.getAttribute('action'), document.baseURI).href]),
    home: [...document.querySelectorAll('.dx-kiosk-bar a[data-dx-home]')].map(a => [a.getAttribute('href'), a.href]),
    stamp: (document.querySelector('.dx-kiosk-bar__stamp') || {}).textContent || '',
    barFixed: !!document.querySelector('.dx-kiosk-bar') &&
              getComputedStyle(document.querySelector('.dx-kiosk-bar')).position === 'fixed',
})"""

# attributes through which a page makes the browser fetch something by itself
_FETCHED = {"src", "srcset", "poster", "data", "background"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# link relations the browser follows by itself (canonical, prev, next, alternate: only named)
_FETCHING_RELS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload", "prefetch",
                  "preconnect", "dns-prefetch", "prerender"}


class _PageParser(HTMLParser):
    """What a crawler and a browser see of one page without running it: its links (a[href],
    form[action]), its 返回首页 links and copy stamp, and every URL it makes the browser fetch (scripts,
    stylesheets and icons, images, frames, media, inline style url())."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.home, self.fetched = [], [], []
        self.stamp, self.bar = "", False
        self._in_stamp = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
            if "data-dx-home" in a:
                self.home.append(a["href"])
        if tag == "form" and a.get("action") is not None:
            self.links.append(a["action"])
        if tag == "link" and a.get("href") and _FETCHING_RELS & set((a.get("rel") or "").lower().split()):
            self.fetched.append(a["href"])
        for name, value in attrs:
            if not value:
                continue
            if name == "srcset":  # "a.png 1x, b.png 2x" (a data: URL holds commas, but none followed by a space)
                self.fetched.extend(c.split()[0] for c in re.split(r",\s+", value.strip()) if c.strip())
            elif name in _FETCHED:
                self.fetched.append(value)
            elif name == "style":
                self.fetched.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", value))
        classes = (a.get("class") or "").split()
        if "dx-kiosk-bar" in classes:
            self.bar = True
        if ("dx-kiosk-bar__stamp" in classes or self._in_stamp) and tag not in _VOID:
            self._in_stamp += 1  # the elements open inside the stamp (void ones never close)

    def handle_endtag(self, tag):
        if self._in_stamp:
            self._in_stamp -= 1

    def handle_data(self, data):
        if self._in_stamp:
            self.stamp += data


def page_facts_from_files(root: Path) -> dict[str, dict]:
    """Every page of the copy (but 404.html), by file:// URL: its links, 返回首页 links and stamp as
    PAGE_FACTS gives them, its fetched URLs resolved, and whether it has the kiosk bar."""
    out = {}
    for path in sorted(root.rglob("*.html")):
        if path.name == "404.html":
            continue
        url = path.as_uri()
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        out[url] = {"links": [[raw, urljoin(url, raw)] for raw in parser.links],
                    "home": [[raw, urljoin(url, raw)] for raw in parser.home],
                    "stamp": parser.stamp, "bar": parser.bar,
                    "fetched": sorted({urldefrag(urljoin(url, raw))[0] for raw in parser.fetched})}
    return out


def reachable(home: str, facts: dict[str, dict]) -> set[str]:
    """The pages a crawler reaches from `home` following the pages' links (within `facts`)."""
    seen, todo = {home}, [home]
    while todo:
        for _raw, absolute in facts[todo.pop()]["links"]:
            target = urldefrag(absolute)[0]
            if target in facts and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def pages_to_open(facts: dict[str, dict], root: Path) -> list[str]:
    """The pages to open in the browser: the first and the last page (by path) of each kind, a kind being
    the pages of one folder and depth that fetch the same files, and every page at the top of the copy.
    Pages of one kind run the same scripts and styles on the same template; what differs between them
    (text, links) is checked in every page's file (page_facts_from_files)."""
    kinds: dict[tuple, list[str]] = {}
    for url, f in facts.items():
        rel = local_path(url).relative_to(root)
        kinds.setdefault((rel.parts[0] if len(rel.parts) > 1 else rel.name, len(rel.parts), tuple(f["fetched"])),
                         []).append(url)
    return sorted({page for pages in kinds.values() for page in (pages[0], pages[-1])})


def open_pages(urls: list[str], concurrency: int = min(4, os.cpu_count() or 1)) -> dict:
    """Open each page from disk in Chromium, `concurrency` tabs at a time, with every request that is not
    file:// recorded; no host name resolves, so none leaves the machine (Chromium's --host-resolver-rules:
    a request routed through Playwright for each request costs more than the page). Runs Playwright's
    async API in a thread of its own (the session's sync browser keeps the main thread)."""
    import asyncio
    import threading

    from playwright.async_api import async_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    out = {"facts": {}, "external": [], "errors": []}

    async def run():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM,
                                              args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP * ~NOTFOUND"])
            context = await browser.new_context(viewport={"width": 800, "height": 600}, locale="zh-CN")
            queue: asyncio.Queue = asyncio.Queue()
            for url in urls:
                queue.put_nowait(url)

            async def worker():
                page = await context.new_page()
                page.on("pageerror", lambda e: out["errors"].append(f"{page.url}: {e}"))
                page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES)
                        else out["external"].append(r.url))
                while True:
                    url = await queue.get()
                    try:
                        await page.goto(url, wait_until="load")
                        out["facts"][url] = await page.evaluate(PAGE_FACTS)
                    except Exception as exc:  # noqa: BLE001 - reported by the test
                        out["errors"].append(f"{url}: {exc}")
                    finally:
                        queue.task_done()

            workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
            await queue.join()
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await browser.close()

    thread = threading.Thread(target=lambda: asyncio.run(run()))
    thread.start()
    thread.join()
    return out


def test_crawl_from_disk_makes_no_external_request(kiosk_copy):
    """Every page reachable from the home page: shows the copy's date and a 返回首页 link (relative URL,
    leading to the home page), and links only to files inside the copy; opened from disk, it loads with
    zero non-file requests and no script error, its kiosk bar fixed.

    Each page's file is read for all of that (its links, stamp, and what it fetches: every URL the page
    makes the browser load is in it); Chromium opens two pages of each folder per distinct set of fetched
    files (pages_to_open: ~50 of the sample's ~830; all of them took 156 s on a slow host), and what it sees of
    those pages' links and stamp must be what their files say."""
    root = kiosk_copy.resolve()
    home = (root / "index.html").as_uri()
    facts = page_facts_from_files(root)
    assert reachable(home, facts) == set(facts), "every page of the copy is reachable from the home page"
    stamps, leaving = set(), []
    for url, data in facts.items():
        assert data["bar"], f"{url}: no kiosk bar"
        assert len(data["home"]) == 1, f"{url}: 返回首页 missing"
        raw, resolved = data["home"][0]
        assert not raw.startswith(("/", "file:", "http")), f"{url}: 返回首页 must be a relative link, got {raw}"
        assert resolved == home, f"{url}: 返回首页 leads to {resolved}"
        m = STAMP.search(" ".join(data["stamp"].split()))
        assert m, f"{url}: no 本地副本，更新于 … ({data['stamp']!r})"
        stamps.add(m.group(1))
        for absolute in data["fetched"]:
            if absolute.startswith(("data:", "blob:")):
                continue
            assert absolute.startswith("file:"), f"{url}: fetches {absolute}"
            assert local_path(absolute).is_relative_to(root) and local_path(absolute).exists(), f"{url}: {absolute}"
        for raw, absolute in data["links"]:
            if raw.startswith("#"):
                continue
            if not absolute.startswith("file:"):
                leaving.append(f"{url}: {raw}")
                continue
            path = local_path(urldefrag(absolute)[0])
            assert path.is_relative_to(root), f"{url}: {raw} leaves the copy"
            assert path.exists(), f"{url}: broken link {raw}"
    assert not leaving, leaving[:10]
    assert len(stamps) == 1
    shown = dt.datetime.strptime(stamps.pop(), "%Y-%m-%d %H:%M")
    now = dt.datetime.now(kiosk.SHANGHAI).replace(tzinfo=None)
    assert abs((now - shown).total_seconds()) < 6 * 3600, "the copy's time is the build time, Beijing time"

    chosen = pages_to_open(facts, root)
    kinds = {local_path(u).relative_to(root).parts[0] for u in facts}
    assert {local_path(u).relative_to(root).parts[0] for u in chosen} == kinds
    result = open_pages(chosen)
    assert not result["external"], result["external"][:10]
    assert not result["errors"], result["errors"][:5]
    assert set(result["facts"]) == set(chosen)
    for url, seen in result["facts"].items():
        assert seen["barFixed"], url
        assert seen["home"] == facts[url]["home"], url
        assert {(raw, unquote(a)) for raw, a in seen["links"]} == {(raw, unquote(a)) for raw, a in facts[url]["links"]}, url
        assert " ".join(seen["stamp"].split()) == " ".join(facts[url]["stamp"].split()), url


def test_search_works_from_disk(kiosk_copy, page):
    search = kiosk_copy / "search.html"
    if not search.exists():
        pytest.skip("search (issue 4) has not landed in this tree yet")
    external = block_network(page)
    page.goto((kiosk_copy / "index.html").as_uri())
    box = page.locator("header input[type=search], header input[name=q]").first
    assert box.get_attribute("enterkeyhint") == "search"
    assert box.get_attribute("inputmode") in ("search", None)
    box.fill("预算")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    page.wait_for_function("() => document.querySelectorAll('main a[href*=\"records/\"]').length > 0", timeout=10000)
    assert not external


def test_touch_targets_and_no_hover_only_controls(kiosk_copy, browser, artifacts):
    """At kiosk size every control outside running text is at least 48 px high and wide enough to hit."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    try:
        for rel in ("index.html", "records/finance/2024-general-budget.html", "domains/fiscal.html"):
            page.goto((kiosk_copy / rel).as_uri())
            small = page.evaluate("""() => {
                const out = [];
                const sel = 'header a, header button, header label.md-header__button, .dx-kiosk-bar a, .dx-kiosk-bar button,' +
                            '.dx-a11y button, .dx-entries a, a.dx-list__title, .dx-pages a, .dx-breadcrumb a, .dx-counts a, .dx-tags a, .dx-card h2 a';
                for (const el of document.querySelectorAll(sel)) {
                    const r = el.getBoundingClientRect();
                    const style = getComputedStyle(el);
                    if (!r.width || !r.height || style.visibility === 'hidden') continue;
                    if (r.height < 47.5 || r.width < 24) out.push(`${el.outerHTML.slice(0, 90)} ${r.width}x${r.height}`);
                }
                return out;
            }""")
            assert not small, f"{rel}: {small[:5]}"
            # the settings and the kiosk bar are plain buttons and links: nothing waits for a hover
            assert page.locator(".dx-a11y__panel").is_visible()
            assert page.evaluate("() => getComputedStyle(document.querySelector('.dx-kiosk-bar__home')).userSelect") == "none"
            assert page.locator("body").evaluate("b => getComputedStyle(b).userSelect") != "none", "text stays selectable"
    finally:
        context.close()


def test_idle_timer_returns_home_and_resets_settings(tmp_path_factory, browser):
    out = tmp_path_factory.mktemp("kiosk-idle") / "kiosk"
    with the_sample_project() as config:
        assert main(["kiosk", "-f", str(config), "--out", str(out), "--idle-seconds", "2", "--no-zip"]) == 0
    assert not out.with_name("kiosk.zip").exists()
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    page = context.new_page()
    try:
        external = block_network(page)
        record = (out / "records/finance/2024-general-budget.html").as_uri()
        page.goto(record)
        page.get_by_role("button", name="特大").click()
        assert page.evaluate("() => document.documentElement.dataset.dxText") == "xlarge"
        # activity keeps the page: touch-like pointer moves and keys for longer than the idle time
        for i in range(7):
            page.mouse.move(100 + i * 10, 300)
            page.keyboard.press("Shift")
            time.sleep(0.4)
        assert page.url == record
        # then nothing for the idle time: back to the home page, settings back to 标准
        page.wait_for_url((out / "index.html").as_uri(), timeout=6000)
        assert page.evaluate("() => document.documentElement.dataset.dxText || null") is None
        assert page.evaluate("() => localStorage.getItem('dx-text-size')") is None
        assert not external
    finally:
        context.close()


def test_external_links_become_text_with_a_note(tmp_path_factory, browser):
    """A record linking out (http, mailto, tel) and to an attachment: in the kiosk copy the outside links
    are text with a note, the attachment opens in the in-page viewer; the public build keeps the links."""
    proj = copy_project(tmp_path_factory.mktemp("kiosk-links") / "project")
    rec = proj / "content" / "records" / "finance" / "2024-general-budget.md"
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text + "\n\n详见[中国政府网](https://www.gov.cn/zhengce/?a=1&b=<2>)，"
                          "咨询邮箱 <mailto:czj@yunxi.example.gov.cn>，电话 [0571-12345](tel:0571-12345)。\n",
                   encoding="utf-8")
    out = proj / "kiosk"
    assert main(["kiosk", "-f", str(proj / "mkdocs.yml"), "--out", str(out), "--no-zip"]) == 0
    html_text = (out / "records/finance/2024-general-budget.html").read_text(encoding="utf-8")
    assert not re.search(r'<a\b[^>]*href="(https?:|mailto:|tel:|//)', html_text)
    assert "外部网站 www.gov.cn，本机不能打开" in html_text
    assert "电子邮件：czj@yunxi.example.gov.cn，本机不能发送" in html_text
    assert " download" not in html_text and "data-dx-attachment" in html_text
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN", accept_downloads=False)
    page = context.new_page()
    try:
        external = block_network(page)
        page.goto((out / "records/finance/2024-general-budget.html").as_uri())
        assert page.locator(".dx-offline", has_text="中国政府网").is_visible()
        assert page.locator("a", has_text="中国政府网").count() == 0
        page.locator("a[data-dx-attachment]").first.click()
        dialog = page.get_by_role("dialog")
        assert dialog.is_visible()
        assert dialog.locator("iframe").get_attribute("src").endswith(".pdf")
        assert page.evaluate("() => document.activeElement.textContent") == "关闭附件"
        page.keyboard.press("Escape")
        assert page.get_by_role("dialog").count() == 0
        assert page.evaluate("() => document.activeElement.hasAttribute('data-dx-attachment')")
        assert page.url.endswith("2024-general-budget.html")
        assert not external
    finally:
        context.close()


def test_offline_links_escapes_and_keeps_local_links():
    out = kiosk.offline_links('<p><a href="https://x.example/?a=1&amp;b=%3C" title="t&quot;">外<b>链</b></a> '
                              '<a href="../a.html" target="_blank">本地</a> <a href="f.pdf" download>附件</a> '
                              '<a href="#s">锚点</a></p>')
    assert '<span title="t&quot;" class="dx-offline">外<b>链</b></span>' in out
    assert "（外部网站 x.example，本机不能打开）" in out
    assert '<a href="../a.html">本地</a>' in out
    assert '<a href="f.pdf" data-dx-attachment>附件</a>' in out
    assert '<a href="#s">锚点</a>' in out


def test_links_and_images_out_of_the_copy_on_the_terminals_disk_are_inert():
    """Over file:// a link from the disk's root or climbing above the copy opens the terminal's own files."""
    page = ('<p><a href="/etc/passwd">根</a> <a href="../../../../etc/passwd">上级</a> '
            '<a href="../../index.html">首页</a> <a href="files/a.pdf">附件</a></p>'
            '<img alt="主机" src="/etc/hostname"><img alt="越界" src="../../../x.png"><img alt="本地" src="../../assets/a.png">')
    out = kiosk.offline_images(kiosk.offline_links(page, "records/finance"), "records/finance")
    assert '<span class="dx-offline">根</span><span class="dx-offline__note">（离线版以外的文件，本机不能打开）</span>' in out
    assert '<span class="dx-offline">上级</span>' in out
    assert '<a href="../../index.html">首页</a>' in out and '<a href="files/a.pdf">附件</a>' in out
    assert "/etc/hostname" not in out and "x.png" not in out
    assert '<span class="dx-offline">主机</span><span class="dx-offline__note">（离线版以外的图片，本机不能显示）</span>' in out
    assert '<img alt="本地" src="../../assets/a.png">' in out
    assert 'href="/etc/passwd"' not in out and 'href="../../../../etc/passwd"' not in out


def test_stamp_is_beijing_time():
    shown, iso = kiosk.stamp(dt.datetime(2025, 3, 1, 17, 5, 42, tzinfo=dt.timezone.utc))
    assert shown == "2025-03-02 01:05" and iso == "2025-03-02T01:05:00+08:00"


@pytest.mark.parametrize("change,named", [
    (("markdown_extensions:", "extra_javascript:\n  - https://cdn.example.com/tracker.js\n\nmarkdown_extensions:"),
     "https://cdn.example.com/tracker.js"),
    (("plugins:\n", "plugins:\n  - offline\n"), "offline"),  # Material's offline plugin loads a shim from unpkg
])
def test_kiosk_refuses_what_needs_the_network(project, capsys, change, named):
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert change[0] in text
    cfg.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    out = project / "kiosk"
    assert main(["kiosk", "-f", str(cfg), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert named in err and "离线版" in err
    assert not out.exists()


def test_prepare_config_turns_off_fonts_and_directory_urls(project):
    from mkdocs.config import load_config

    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8").replace("use_directory_urls: false", "use_directory_urls: true")
    text = text.replace("  font: false", "  font:\n    text: Noto Sans SC")
    cfg.write_text(text + "\nextra:\n  social:\n    - icon: fontawesome/brands/weixin\n      link: https://weixin.qq.com/\n",
                   encoding="utf-8")
    config = load_config(str(cfg))
    notes = kiosk.prepare_config(config)
    assert config.use_directory_urls is False and config.theme["font"] is False
    assert not config.extra.get("social")
    assert len(notes) == 3


# -- screenshots for a person to look at ----------------------------------------------------------------

@pytest.mark.parametrize("width,height", [(1080, 1920), (1920, 1080)])
def test_kiosk_screenshots(kiosk_copy, browser, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    try:
        external = block_network(page)
        page.goto((kiosk_copy / "index.html").as_uri())
        page.screenshot(path=str(artifacts / f"kiosk-home-{width}x{height}.png"))
        page.get_by_role("button", name="特大").click()
        page.get_by_role("button", name="高对比度").click()
        page.goto((kiosk_copy / "records/finance/2024-general-budget.html").as_uri())
        page.screenshot(path=str(artifacts / f"kiosk-record-xlarge-contrast-{width}x{height}.png"))
        assert not external
    finally:
        context.close()
