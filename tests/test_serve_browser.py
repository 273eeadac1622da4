"""`disclosure serve` while an editor breaks and mends records (issue 19 §3), in Chromium.

A copied project is served by the real command in a subprocess on a free loopback port. Breaking two
records turns the open page into the Chinese error page (every URL shows it) listing both problems with
file:line; the terminal says the same in Chinese; mending them brings the site back without touching the
browser. The server is always stopped, every wait is bounded.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, as_from_a_terminal, copy_project

START_TIMEOUT = 120  # s: the first build of the sample site
REBUILD_TIMEOUT = 90  # ms below are Playwright's


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    temp = tmp_path / "temp"  # where the preview's site folders go (tempfile honours TMPDIR)
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "TMPDIR": str(temp)}
    with as_from_a_terminal():
        proc = subprocess.Popen([sys.executable, "-m", "site_builder.cli", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        end = time.monotonic() + START_TIMEOUT
        while status_of(base) != 200:
            if proc.poll() is not None or time.monotonic() > end:
                log.seek(0)
                pytest.fail(f"disclosure serve did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield project, base, log
    finally:
        stopped = True
        try:
            os.killpg(proc.pid, signal.SIGINT)  # the group this test started: the server and its workers
            proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            stopped = False
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
        log.close()
    # Ctrl+C stops the preview, as its banner says, and it takes the site folders it made with it
    text = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert stopped and proc.returncode == 0 and "预览已停止" in text, text[-2000:]
    assert not any(temp.iterdir()), sorted(temp.iterdir())


def test_content_errors_show_a_chinese_page_that_goes_away_when_fixed(served, browser, artifacts):
    project, base, log = served
    rec_a = project / "content/records/finance/2024-general-budget.md"
    rec_b = next(p for p in sorted((project / "content/records/education").glob("*.md")))
    good_a, good_b = rec_a.read_text(encoding="utf-8"), rec_b.read_text(encoding="utf-8")
    line_a = good_a.splitlines().index("department: finance") + 1
    title_line = next(i for i, t in enumerate(good_b.splitlines(), start=1) if t.startswith("title: "))

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base + "departments/finance.html")
        assert page.locator("h1").inner_text().startswith("云溪县财政局")

        # an editor types the department's name instead of its id, and an unquoted colon in a title
        rec_a.write_text(good_a.replace("department: finance", "department: 财政局"), encoding="utf-8")
        rec_b.write_text(good_b.replace("title: ", "title: 通知: ", 1), encoding="utf-8")
        # the open page reloads by itself (MkDocs' live reload) into the error page
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent"
                               ".includes('内容有 2 个错误')", timeout=REBUILD_TIMEOUT * 1000)
        text = page.locator("main").inner_text()
        assert f"content/records/finance/2024-general-budget.md:{line_a}" in text
        assert "发布机构“财政局”不存在" in text and "您是不是要写 finance（云溪县财政局）" in text
        assert f"content/records/education/{rec_b.name}:{title_line}" in text
        assert "值中含有“冒号+空格”" in text and 'title: "通知: ' in text
        assert page.evaluate("document.documentElement.lang") == "zh-CN"

        # every URL shows it while the errors last, and the page loads only the preview's own files
        other = context.new_page()
        requested: list[str] = []
        other.on("request", lambda r: requested.append(r.url))
        response = other.goto(base + "records/some/other/page.html")
        assert response.status == 500
        assert "内容有 2 个错误" in other.locator("h1").inner_text()
        assert all(u.startswith(base) for u in requested), requested
        other.set_viewport_size({"width": 390, "height": 844})
        other.screenshot(path=str(artifacts / "serve-error-390.png"), full_page=True)
        other.set_viewport_size({"width": 1280, "height": 900})
        other.screenshot(path=str(artifacts / "serve-error-1280.png"), full_page=True)
        other.close()

        # the terminal tells the same, in Chinese
        log.flush()
        log.seek(0)
        terminal = log.read()
        assert f"content/records/finance/2024-general-budget.md:{line_a}: 错误: 发布机构“财政局”不存在" in terminal
        assert "预览：内容有 2 个错误" in terminal

        # mending one leaves one; mending both brings the site back, with no action in the browser
        rec_b.write_text(good_b, encoding="utf-8")
        page.wait_for_function("(document.querySelector('h1')?.textContent || '').includes('内容有 1 个错误')",
                               timeout=REBUILD_TIMEOUT * 1000)
        rec_a.write_text(good_a, encoding="utf-8")
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent"
                               ".startsWith('云溪县财政局')", timeout=REBUILD_TIMEOUT * 1000)
        assert status_of(base + "departments/finance.html") == 200
        assert status_of(base + "records/some/other/page.html") == 404
    finally:
        context.close()


def log_text(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def wait_for_log(log, needle: str, after: int = 0) -> int:
    """Where `needle` first appears in the server's output after position `after` (bounded wait)."""
    end = time.monotonic() + REBUILD_TIMEOUT
    while time.monotonic() < end:
        at = log_text(log).find(needle, after)
        if at >= 0:
            return at
        time.sleep(0.1)
    pytest.fail(f"{needle!r} not in the server's output:\n{log_text(log)[-3000:]}")


def test_a_body_edit_shows_at_once_and_the_full_build_follows(served, browser):
    """A save that changes only a record's body: its page is rendered again at once (no full build in
    between), byte for byte what the full build that follows makes; a title edit, or a body with a
    personal number in it, goes through the full build (the title everywhere, the error page)."""
    project, base, log = served
    rec = project / "content/records/finance/2024-general-budget.md"
    url = base + "records/finance/2024-general-budget.html"
    good = rec.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    epoch = re.compile(rb"livereload\(\d+, *\d+\)")
    try:
        page.goto(url)
        start = len(log_text(log))
        rec.write_text(good + "\n\n快速预览检查：正文末尾新加的一句。\n", encoding="utf-8")
        page.wait_for_function("(document.querySelector('article')?.textContent || '').includes('快速预览检查')",
                               timeout=REBUILD_TIMEOUT * 1000)
        quick = urllib.request.urlopen(url, timeout=10).read()
        at = wait_for_log(log, "已更新预览：records/finance/2024-general-budget.md", start)
        assert "正在生成预览" not in log_text(log)[start:at]  # shown without a build in between
        # the preview's pages are hard links to the page cache: the fast path writes a new file, never
        # into the cache's copy (which the full build would otherwise find changed under its key)
        cached = [f for f in (project / ".cache/disclosure/pages").rglob("*") if f.is_file()]
        assert cached and not any("快速预览检查".encode() in f.read_bytes() for f in cached)
        done = wait_for_log(log, "生成完毕", wait_for_log(log, "正在生成预览", at))  # then the full build
        wait_for_log(log, "已刷新打开预览的浏览器", done)
        # the host's English lines are said in Chinese or not at all (cli.HostProgress): one named the
        # preview's temporary folder
        assert not re.search(r"Serving on|Watching paths|Detected file changes|Documentation built|disclosure-preview",
                             log_text(log)), log_text(log)[-3000:]
        full = urllib.request.urlopen(url, timeout=10).read()
        assert b"\xe5\xbf\xab\xe9\x80\x9f\xe9\xa2\x84\xe8\xa7\x88" in full  # 快速预览
        assert epoch.sub(b"", quick) == epoch.sub(b"", full)

        # saved again unchanged (as a file watcher's second event for one save looks): nothing to show,
        # no build; before, a late second event rendered the page again and said so
        start = len(log_text(log))
        rec.write_text(good + "\n\n快速预览检查：正文末尾新加的一句。\n", encoding="utf-8")
        time.sleep(3)  # the watcher's events come within a second
        assert "已更新预览" not in log_text(log)[start:] and "正在生成预览" not in log_text(log)[start:]

        # the title is front matter: listings show it too, so a full build shows it
        start = len(log_text(log))
        rec.write_text(good.replace("title: ", "title: 快速预览改过的标题", 1), encoding="utf-8")
        page.wait_for_function("(document.querySelector('h1')?.textContent || '').includes('快速预览改过的标题')",
                               timeout=REBUILD_TIMEOUT * 1000)
        assert "已更新预览" not in log_text(log)[start:]

        # a personal number in the body: not shown at once, the full build's error page instead
        start = len(log_text(log))
        rec.write_text(good + "\n\n联系人身份证号 110101199003071233。\n", encoding="utf-8")
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent"
                               ".includes('内容有 1 个错误')", timeout=REBUILD_TIMEOUT * 1000)
        assert "已更新预览" not in log_text(log)[start:]
        rec.write_text(good, encoding="utf-8")
        page.wait_for_function("!!document.querySelector('h1') && !document.querySelector('h1').textContent.includes('错误')",
                               timeout=REBUILD_TIMEOUT * 1000)

        # each build wrote a new folder: the one served is the only one left (the failed build's
        # half-written folder and the replaced ones are deleted)
        folders = [f for f in (project.parent / "temp").glob("disclosure-preview-*/site-*")]
        end = time.monotonic() + 20
        while len(folders) > 1 and time.monotonic() < end:
            time.sleep(0.2)
            folders = [f for f in (project.parent / "temp").glob("disclosure-preview-*/site-*")]
        assert len(folders) == 1, folders
        on_disk = (folders[0] / "records/finance/2024-general-budget.html").read_bytes()
        served_now = urllib.request.urlopen(url, timeout=10).read()  # MkDocs adds its reload script
        assert on_disk.split(b"</body>")[0] in served_now
    finally:
        context.close()


def test_error_page_escapes_what_comes_from_content_and_loads_only_its_own_files():
    from site_builder.commands.preview import PREFIX, Failure, error_page
    from site_builder.sources.problems import Problem

    hostile = "<script>alert(1)</script>"
    page = error_page(Failure(errors=(Problem(f"content/records/{hostile}.md", 3, "error", f"标题“{hostile}”", hostile),),
                              warnings=(Problem("catalogue/items.yml", 9, "warning", "公开渠道“x”不在标准目录", ""),)),
                      version=7)
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "内容有 1 个错误，网站暂未生成" in page and "另有 1 个警告" in page and "catalogue/items.yml:9" in page
    assert re.findall(r"<script[^>]*>", page) == [f'<script src="{PREFIX}preview.js" data-version="7" '
                                                 f'data-state="{PREFIX}state">']
    assert "<style" not in page and " style=" not in page  # styles in preview.css (the CSP allows no inline)
    other = error_page(Failure(other=f"TemplateNotFound: {hostile}"), version=8)
    assert "网站生成失败" in other and hostile not in other and "mkdocs.yml 或模板有误" in other


def test_the_preview_says_a_full_disk_is_a_full_disk():
    """A build of the preview that failed for a full disk (here: a page worker's error, as it arrives)
    leads with that and what to do, not with a likely mistake in mkdocs.yml or a template."""
    from types import SimpleNamespace

    from site_builder.commands.preview import error_page, failure_of

    config = SimpleNamespace(plugins={}, site_dir="/tmp/preview/site-x", config_file_path="/srv/project/mkdocs.yml")
    failure = failure_of(config, RuntimeError("Error building page 'index.md': [Errno 28] No space left on device"))
    assert failure.disk_full and failure.other.startswith("磁盘空间不足：网站输出 /tmp/preview 所在的磁盘剩余 ")
    page = error_page(failure, version=9)
    assert "磁盘空间不足，网站暂未生成" in page and "清理出空间后再保存一次正在编辑的文件" in page
    assert "mkdocs.yml 或模板有误" not in page
