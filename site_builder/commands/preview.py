"""`disclosure serve`: MkDocs' live-reload preview, with a Chinese error page while the content has errors.

MkDocs' own `serve` stops when the first build fails, and after a failed rebuild it holds every request
until a build succeeds: the editor's browser hangs with no page and the only explanation is a line in
the terminal. Here the build runs through MkDocs' LiveReloadServer as before, but a failed build is
caught: while it lasts, every URL answers with one Chinese page listing each problem with its file and
line (the same list the terminal shows), and that page reloads itself (preview_assets/preview.js, a file:
no inline script) as soon as a saved change has been built again. The page is built from plain data
(`error_page`), everything from the content escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..sources.dates import SHANGHAI
from ..sources.problems import Problem

log = logging.getLogger("mkdocs.disclosure.preview")

PREFIX = "/.disclosure-preview/"  # the preview's own files, outside any site path
ASSETS = Path(__file__).resolve().parent / "preview_assets"
SHOWN = 200  # problems listed on the page; the rest are counted


@dataclass(frozen=True)
class Failure:
    """Why the last build failed: content problems (file and line), or another error's text."""
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    other: str = ""


class PreviewState:
    """The last build's outcome, shared by the build loop and the request threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.version = 0
        self.failure: Failure | None = None
        self.page: bytes | None = None

    def succeeded(self) -> None:
        with self._lock:
            self.version += 1
            self.failure, self.page = None, None

    def failed(self, failure: Failure) -> None:
        with self._lock:
            self.version += 1
            self.failure = failure
            self.page = error_page(failure, self.version).encode("utf-8")

    def snapshot(self) -> tuple[int, bytes | None]:
        with self._lock:
            return self.version, self.page


def _item(p: Problem) -> str:
    label = "错误" if p.level == "error" else "警告"
    loc = html.escape(f"{p.file}:{p.line}" if p.line else p.file)
    line = f"（第 {p.line} 行）" if p.line else ""
    hint = f'<pre class="dx-hint">→ {html.escape(p.hint)}</pre>' if p.hint else ""
    cls = "dx-error" if p.level == "error" else "dx-warning"
    return (f'<li class="{cls}"><p class="dx-where"><strong>{label}</strong> <code>{loc}</code>{line}</p>'
            f'<p class="dx-message">{html.escape(p.message)}</p>{hint}</li>')


def _list(problems: tuple[Problem, ...]) -> str:
    items = "".join(_item(p) for p in problems[:SHOWN])
    more = f"<p>……另有 {len(problems) - SHOWN} 条未列出；运行 disclosure check 查看全部。</p>" \
        if len(problems) > SHOWN else ""
    return f'<ol class="dx-problems">{items}</ol>{more}'


def error_page(failure: Failure, version: int, now: dt.datetime | None = None) -> str:
    """The Chinese page every URL shows while the build fails (plain data in, escaped HTML out)."""
    now = (now or dt.datetime.now(SHANGHAI)).astimezone(SHANGHAI)
    if failure.errors:
        heading = f"内容有 {len(failure.errors)} 个错误，网站暂未生成"
        body = ("<p class=\"dx-lead\">请按下面的提示修改文件并保存；改好后本页会自动刷新，显示网站。"
                "终端（运行 disclosure serve 的窗口）中列出了同样的内容。</p>" + _list(failure.errors))
        if failure.warnings:
            body += f"<h2>另有 {len(failure.warnings)} 个警告（不影响生成，也请处理）</h2>" + _list(failure.warnings)
    else:
        heading = "网站生成失败"
        body = ("<p class=\"dx-lead\">生成网站时出错（不是某条记录的内容问题，常见原因是 mkdocs.yml 或模板有误）。"
                "改正并保存后本页会自动刷新。终端中有详细信息。</p>"
                f"<pre class=\"dx-other\">{html.escape(failure.other or '未知错误')}</pre>")
    return (
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(heading)} · 预览</title>"
        f"<link rel=\"stylesheet\" href=\"{PREFIX}preview.css\"></head>"
        f"<body><main><h1>{html.escape(heading)}</h1>{body}"
        f"<p class=\"dx-status\" role=\"status\">最近一次生成：{now:%H:%M:%S}（北京时间）。正在等待修改……</p>"
        f"</main><script src=\"{PREFIX}preview.js\" data-version=\"{version}\" data-state=\"{PREFIX}state\">"
        "</script></body></html>\n"
    )


def failure_of(config, exc: BaseException) -> Failure:
    """What went wrong in a failed build: the disclosure plugin's problems when it found content errors."""
    plugin = config.plugins.get("disclosure") if config is not None else None
    project = getattr(plugin, "project", None)
    if project is not None and project.problems.errors:
        return Failure(tuple(project.problems.errors), tuple(project.problems.warnings))
    cause = exc
    while cause.__context__ is not None and str(cause).startswith("Aborted with"):
        cause = cause.__context__  # MkDocs turns a plugin's error into Abort('Aborted with a BuildError!')
    return Failure(other=f"{type(cause).__name__}: {cause}")


def error_app(inner, state: PreviewState):
    """WSGI: the preview's own files, then the error page at every URL while the build fails, else `inner`
    (MkDocs' server: the site, and its /livereload/ long polls)."""
    files = {f"{PREFIX}preview.js": "application/javascript", f"{PREFIX}preview.css": "text/css"}

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        version, page = state.snapshot()
        if path == f"{PREFIX}state":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")])
            return [str(version).encode()]
        if path in files:
            data = (ASSETS / path[len(PREFIX):]).read_bytes()
            start_response("200 OK", [("Content-Type", f"{files[path]}; charset=utf-8"),
                                      ("Content-Length", str(len(data))), ("Cache-Control", "no-store")])
            return [data]
        if page is not None and not path.startswith("/livereload/"):
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(page))),
                                                         ("Cache-Control", "no-store")])
            return [page]
        return inner(environ, start_response)

    return app


def _say(failure: Failure) -> None:
    """The terminal's account of the failure, in Chinese (MkDocs has already logged the plugin's list)."""
    if failure.errors:
        log.error(f"预览：内容有 {len(failure.errors)} 个错误（见上），浏览器中显示错误列表；"
                  "改正并保存后会自动重新生成并刷新。")
    else:
        log.error(f"预览：网站生成失败：{failure.other}\n改正并保存后会自动重新生成并刷新。")


def serve(config_file: str, dev_addr: str | None = None) -> None:
    """Like `mkdocs serve` (the same server, watches and live reload), but a failed build shows the error
    page instead of stopping the server or leaving the browser waiting."""
    from urllib.parse import urlsplit

    from .. import host  # noqa: F401  (before any mkdocs.* import: MkDocs, or ProperDocs behind its names)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort
    from mkdocs.livereload import LiveReloadServer

    site_dir = tempfile.mkdtemp(prefix="disclosure-preview-")
    state = PreviewState()
    overrides = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config():
        return load_config(config_file=config_file, site_dir=site_dir, **overrides)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    address, port = config.dev_addr
    mount_path = "/" + urlsplit(config.site_url or "/").path.strip("/") + "/"
    mount_path = mount_path.replace("//", "/")
    serve_url = f"http://{address}:{port}{mount_path}"

    def builder(cfg=None):
        log.info("正在生成预览……")
        try:
            if cfg is None:
                cfg = get_config()
            cfg.site_url = serve_url
            build(cfg, serve_url=serve_url)
        except Abort as exc:
            failure = failure_of(cfg, exc)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a template or config mistake: shown the same way
            failure = failure_of(cfg, exc)
        else:
            state.succeeded()
            return
        state.failed(failure)
        _say(failure)

    config.site_url = serve_url
    server = LiveReloadServer(builder=builder, host=address, port=port, root=site_dir, mount_path=mount_path)

    def not_found(code):
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = not_found
    server.set_app(error_app(server.serve_request, state))
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        log.info(f"预览地址：{serve_url}（修改文件后自动刷新；按 Ctrl+C 停止）")
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("预览已停止。")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
