"""`disclosure serve`: MkDocs' live-reload preview, with a Chinese error page while the content has errors.

MkDocs' own `serve` stops when the first build fails, and after a failed rebuild it holds every request
until a build succeeds: the editor's browser hangs with no page and the only explanation is a line in
the terminal. Here the build runs through MkDocs' LiveReloadServer as before, but a failed build is
caught: while it lasts, every URL answers with one Chinese page listing each problem with its file and
line (the same list the terminal shows), and that page reloads itself (preview_assets/preview.js, a file:
no inline script) as soon as a saved change has been built again. The page is built from plain data
(`error_page`), everything from the content escaped.

A save that changes only a record's body is shown at once: its page is rendered again over the last
build's output (`DisclosurePlugin.preview_edits`) and the browser reloads; a full build follows once the
editor has not saved for FULL_BUILD_AFTER seconds, and listings, feeds and search catch up when it is
done. Anything else (front matter, the catalogue, mkdocs.yml, a new or deleted file, a file with an
error) goes straight to the full build.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from . import output
from ..sources.dates import SHANGHAI
from ..sources.problems import Problem

log = logging.getLogger("mkdocs.disclosure.preview")

PREFIX = "/.disclosure-preview/"  # the preview's own files, outside any site path
ASSETS = Path(__file__).resolve().parent / "preview_assets"
SHOWN = 200  # problems listed on the page; the rest are counted
# the full build after a body edit shown at once waits until the editor has not saved for this long:
# a build holds the preview's requests for its few seconds, and the next save's page would wait for it
FULL_BUILD_AFTER = 3.0  # seconds


class Edits:
    """The files under the docs folder written since the last build, as the server's file watcher saw
    them (a watchdog handler on the same observer as MkDocs' own)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._other = False  # a deletion: only a full build shows it

    def dispatch(self, event) -> None:
        if event.is_directory:
            return
        with self._lock:
            if event.event_type in ("modified", "created"):
                self._paths.add(event.src_path)
            elif event.event_type == "moved":  # an editor's safe save: written aside, moved over the file
                self._paths.add(event.dest_path)
            elif event.event_type == "deleted":
                self._other = True

    def take(self) -> tuple[list[Path], bool]:
        """(the files written, whether anything was deleted) since the last call; then forgets them."""
        with self._lock:
            paths, other = sorted(self._paths), self._other
            self._paths, self._other = set(), False
        return [Path(p) for p in paths], other


@dataclass(frozen=True)
class Failure:
    """Why the last build failed: content problems (file and line), or another error's text (`disk_full`:
    the disk was full, output.disk_full)."""
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    other: str = ""
    disk_full: bool = False


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
        lead = ("磁盘空间不足，网站暂未生成（不是内容问题）。清理出空间后再保存一次正在编辑的文件，预览会重新生成，本页会自动刷新。"
                if failure.disk_full else
                "生成网站时出错（不是某条记录的内容问题，常见原因是 mkdocs.yml 或模板有误）。改正并保存后本页会自动刷新。")
        body = (f"<p class=\"dx-lead\">{lead}终端中有详细信息。</p>"
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
    full = bool(output.disk_full(cause))
    if config is None:
        return Failure(other=output.why_failed(cause, Path(".")), disk_full=full)
    return Failure(other=output.why_failed(cause, Path(config.site_dir).parent,
                                           Path(config.config_file_path or "mkdocs.yml").resolve().parent),
                   disk_full=full)


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


def _ours(config):
    """The disclosure plugin of a config (None without a config or the plugin)."""
    return config.plugins.get("disclosure") if config is not None else None


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

    # each build writes a new, empty folder, served once it succeeded; the one it replaces is deleted
    # behind the server (MkDocs would first empty one folder: 14,000 files at 10,000 records)
    base = tempfile.mkdtemp(prefix="disclosure-preview-")
    site_dir = tempfile.mkdtemp(prefix="site-", dir=base)
    again_dir = tempfile.mkdtemp(prefix="disclosure-preview-again-")  # written to ask for the full build
    state = PreviewState()
    edits = Edits()
    built: dict = {}  # "config": the last build's config (its plugins keep that build's pages); "timer"

    def ask_for_full_build() -> None:
        Path(again_dir, "again").write_text(dt.datetime.now().isoformat(), encoding="utf-8")
    overrides = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config(folder: str):
        return load_config(config_file=config_file, site_dir=folder, **overrides)

    def served_from(folder: str) -> None:
        """The server answers from `folder` from now on; the folder it answered from goes."""
        old, server.root = server.root, os.path.abspath(folder)
        if old != server.root:
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()

    config = get_config(site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    address, port = config.dev_addr
    mount_path = "/" + urlsplit(config.site_url or "/").path.strip("/") + "/"
    mount_path = mount_path.replace("//", "/")
    serve_url = f"http://{address}:{port}{mount_path}"

    def quick() -> bool:
        """A body-only edit shown at once (see the module's docstring); the full build asked for."""
        paths, deleted = edits.take()
        last = built.get("config")
        if deleted or not paths or last is None or state.snapshot()[1] is not None:
            return False
        plugin = _ours(last)
        try:
            shown = plugin.preview_edits(paths) if plugin is not None else None
        except Exception as exc:  # noqa: BLE001 - the full build that follows reports any real problem
            log.debug(f"快速预览未成功，改为完整生成：{exc!r}")
            shown = None
        if shown is None:
            return False
        if not shown:  # the files read as the preview shows them (a watcher's second event for a save)
            return True
        log.info(f"已更新预览：{'、'.join(shown)}（列表、订阅和搜索随后更新）")
        if built.get("timer") is not None:
            built["timer"].cancel()  # saved again: the full build waits for the editor to pause
        built["timer"] = threading.Timer(FULL_BUILD_AFTER, ask_for_full_build)
        built["timer"].daemon = True
        built["timer"].start()
        return True

    def builder(cfg=None):
        if cfg is None and quick():
            return
        if built.get("timer") is not None:
            built.pop("timer").cancel()  # this build is the one it would have asked for
        log.info("正在生成预览……")
        try:
            previous = _ours(built.pop("config", None))  # a failed build leaves no pages to render again
            if cfg is None:
                cfg = get_config(tempfile.mkdtemp(prefix="site-", dir=base))
            cfg.site_url = serve_url
            if previous is not None and _ours(cfg) is not None:  # the records the last build read
                _ours(cfg).continue_from(previous)
            previous = None  # the rest of the last build (its pages, plan, templates) goes before this one
            build(cfg, serve_url=serve_url)
            built["config"] = cfg
        except Abort as exc:
            failure = failure_of(cfg, exc)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a template or config mistake: shown the same way
            failure = failure_of(cfg, exc)
        else:
            served_from(cfg.site_dir)
            state.succeeded()
            return
        if cfg is not None and os.path.abspath(cfg.site_dir) != server.root:  # half written: never served
            shutil.rmtree(cfg.site_dir, ignore_errors=True)
        state.failed(failure)
        _say(failure)

    config.site_url = serve_url
    server = LiveReloadServer(builder=builder, host=address, port=port, root=site_dir, mount_path=mount_path)

    def not_found(code):
        page = Path(server.root) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = not_found
    server.set_app(error_app(server.serve_request, state))
    try:
        builder(config)
        server.watch(config.docs_dir)
        # the same watch as MkDocs' (its absolute path): one emitter, so the edit is recorded before the
        # build loop, which waits 0.1 s after MkDocs' own handler, calls the builder
        server.observer.schedule(edits, os.path.abspath(config.docs_dir), recursive=True)
        server.watch(again_dir)
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
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(again_dir, ignore_errors=True)
