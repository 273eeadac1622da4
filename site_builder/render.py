"""Rendering the site's many pages (records and paginated listings) on every core, with a body cache.

MkDocs renders pages one after another in one process, and Material renders the whole navigation
into each one. For the thousands of pages that are ours (records, and listings outside the nav) the
plugin marks them excluded from MkDocs' own loop and renders them here instead: forked worker
processes run MkDocs' own `_build_page` (so templates, the `page_context` and `post_page` events
and the written files are exactly what MkDocs would make), record bodies come from a cache keyed by
their content and the Markdown configuration, and the navigation HTML is rendered once per folder
depth instead of once per page. MkDocs 1.6 is its last release, so these internals no longer move.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from mkdocs.commands.build import _build_page
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from . import bodies
from .sanitize import sanitize

log = logging.getLogger("mkdocs.plugins.disclosure")

CACHE_VERSION = "1"
POOL_THRESHOLD = 200  # below this many pages, forking costs more than it saves
_MD_LINK = re.compile(r"\]\([^)]*\.md\b|\]:\s*\S*\.md\b")


@dataclass
class Body:
    html: str
    toc: object
    anchors: set
    title: str | None


@dataclass
class Job:
    """Everything a worker needs; set before forking, inherited by the children."""
    config: object
    files: object
    nav: object
    env: object
    meta: dict  # src_uri -> page.meta for every page we render
    bodies: dict  # src_uri -> (cache key, Markdown body) for records
    cached: dict  # cache key -> Body
    tasks: list = field(default_factory=list)


_JOB: Job | None = None


def markdown_fingerprint(config) -> str:
    """What, besides the body, decides a body's HTML: extensions, their options, library versions."""
    parts = [CACHE_VERSION, repr(config.markdown_extensions), repr(sorted((config.mdx_configs or {}).items(),
                                                                          key=lambda kv: kv[0]))]
    for dist in ("markdown", "mkdocs", "pymdown-extensions", "nh3"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    parts.append(str(config.use_directory_urls))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def body_key(fingerprint: str, src_uri: str, body: str, files_fingerprint: str) -> str:
    """Bodies that link to other .md files also depend on which files exist (MkDocs rewrites them)."""
    h = hashlib.sha256()
    for part in (fingerprint, src_uri, body, files_fingerprint if _MD_LINK.search(body) else ""):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class BodyCache:
    """Rendered record bodies on disk, one pickle per build; entries unused by a build are dropped."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, Body] = {}
        if path and path.is_file():
            try:
                with path.open("rb") as fh:
                    data = pickle.load(fh)
                if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                    self.entries = data["entries"]
            except Exception:  # a damaged cache is only a slower build
                self.entries = {}

    def save(self, used: dict[str, Body]) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump({"version": CACHE_VERSION, "entries": used}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _render_body(page: Page, markdown: str, job: Job) -> Body:
    """cmark-gfm where it reads the body as Python-Markdown would, MkDocs' Markdown otherwise."""
    config = job.config
    # this worker's copy of the file only: link problems in records stay warnings (MkDocs
    # downgrades them to info on excluded files)
    page.file.inclusion = InclusionLevel.NOT_IN_NAV
    config._current_page = page
    try:
        toc_cfg = (config.mdx_configs or {}).get("toc", {})
        links = _RelativePathTreeprocessor(page.file, job.files, config)
        fast = bodies.render_gfm(markdown, toc_cfg.get("slugify", bodies.slugify), toc_cfg.get("separator", "-"),
                                 resolve_link=links.path_to_url)
        if fast is not None:
            html, tokens, ids, title = fast
            return Body(sanitize(html), get_toc(tokens), ids, title)
        page.markdown = markdown
        page.render(config, job.files)
        return Body(sanitize(page.content), page.toc, page.present_anchor_ids or set(), page._title_from_render)
    finally:
        config._current_page = None
        page.file.inclusion = InclusionLevel.EXCLUDED


def _render_chunk(srcs: list[str]):
    """Render a batch of pages; returns (src, body HTML or None, new cache entry or None) and warnings."""
    job = _JOB
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    out = []
    try:
        doc_files = job.files.documentation_pages()
        for src in srcs:
            file = job.files.get_file_from_path(src)
            page = Page(None, file, job.config)
            page.meta = dict(job.meta[src])
            fresh = None
            if src in job.bodies:
                key, markdown = job.bodies[src]
                body = job.cached.get(key)
                if body is None:
                    body = _render_body(page, markdown, job)
                    fresh = (key, body)
                page.markdown = markdown
                page.content, page.toc, page.present_anchor_ids = body.html, body.toc, body.anchors
                page._title_from_render = body.title
            else:
                page.markdown, page.content = "", ""
            _build_page(page, job.config, doc_files, job.nav, job.env)
            out.append((src, page.content if src in job.bodies else None, fresh))
            file.page = None  # keep memory flat: the Page is not needed once written
    finally:
        logger.removeHandler(collect)
    return out, collect.messages


def render_pages(job: Job, workers: int | None = None, progress=None) -> tuple[dict[str, str], dict[str, Body]]:
    """Render every task page. Returns (record bodies by src, Body entries used, for the cache)."""
    global _JOB
    _JOB = job
    tasks = job.tasks
    workers = workers or os.cpu_count() or 1
    html: dict[str, str] = {}
    used: dict[str, Body] = {}
    key_of = {src: key for src, (key, _) in job.bodies.items()}
    done = 0

    def absorb(result):
        nonlocal done
        rows, warnings = result
        for message in warnings:
            log.warning(message)
        for src, body_html, fresh in rows:
            if body_html is not None:
                html[src] = body_html
            if fresh is not None:
                used[fresh[0]] = fresh[1]
            done += 1
        if progress:
            progress(done, len(tasks))

    try:
        if workers <= 1 or len(tasks) < POOL_THRESHOLD or sys.platform == "win32":
            absorb(_render_chunk(tasks))
        else:
            size = max(50, min(500, len(tasks) // (workers * 8) or 1))
            chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                for result in pool.imap_unordered(_render_chunk, chunks):
                    absorb(result)
    finally:
        _JOB = None
    for src in job.bodies:
        key = key_of[src]
        if key not in used and key in job.cached:
            used[key] = job.cached[key]
    return html, used
