"""Rendering the site's many pages (records and paginated listings) on every core, with a body cache.

MkDocs renders pages one after another in one process, and Material renders the whole navigation
into each one. For the thousands of pages that are ours (records, and listings outside the nav) the
plugin marks them excluded from MkDocs' own loop and renders them here instead: forked worker
processes do what MkDocs' `_build_page` does (same template context, `page_context` and `post_page`
events, same bytes written), record bodies come from a cache keyed by their content and the
Markdown configuration, the navigation HTML is rendered once per folder instead of once per
page, and a page whose whole template context is unchanged since the last build is not rendered at
all: its previous output is hard-linked from the page cache. MkDocs 1.6 is its last release, so the
internals used here no longer move: they (`_RelativePathTreeprocessor`, `Page` internals) are
named only in this module. Keys: fingerprints.py; the caches themselves: caches.py.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .. import host  # first: MkDocs, or ProperDocs behind the mkdocs.* names
from mkdocs.commands.build import get_context
from mkdocs.utils import write_file
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from . import bodies, tables
from .. import parallel
from .background import Background
from .caches import Body, BodyCache, PageCache
from ..parallel import Parallelism
from ..plan.urls import site_root
from ..sources.sanitize import sanitize

log = logging.getLogger("mkdocs.plugins.disclosure")



def write_page(page: Page, job: "Job", doc_files):
    """MkDocs' `_build_page`, with the page cache in front of the template."""
    config = job.config
    config._current_page = page
    try:
        page.active = True
        context = get_context(job.nav, doc_files, config, page)
        template_name = page.meta.get("template", "main.html")
        context = config.plugins.on_page_context(context, page=page, config=config, nav=job.nav)
        fp = job.page_fps.get(page.file.src_uri)
        dest = page.file.abs_dest_path
        output = job.env.get_template(template_name).render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        # a new file, never a write into one that is there: the last output (the preview's) or the
        # replaced site's (render/reuse.py) may be a hard link to the page cache (PageCache.place)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(dest)
        write_file(output.encode("utf-8", errors="xmlcharrefreplace"), dest)
        return fp, (job.pages.store(fp, dest) if job.pages else None)
    except Exception as exc:
        raise RuntimeError(f"Error building page '{page.file.src_uri}': {exc}") from exc
    finally:
        page.active = False
        config._current_page = None


class DocumentationPages(Sequence):
    """MkDocs' `pages` in a page's template context (files.documentation_pages()), listed when a template
    first reads it: our page templates do not (listing 133,000 files took 0.2 s at 100,000 records), a
    sitemap template does, and MkDocs renders that one itself."""

    def __init__(self, files):
        self._files, self._pages = files, None

    def _listed(self) -> list:
        if self._pages is None:
            self._pages = self._files.documentation_pages()
        return self._pages

    def __getitem__(self, i):
        return self._listed()[i]

    def __len__(self) -> int:
        return len(self._listed())


JOB = "render.job"  # the name the render workers inherit their Job under (parallel.py)


@dataclass
class Job:
    """Everything a worker needs; set before forking, inherited by the children."""
    config: object
    files: object
    nav: object
    env: object
    meta: Mapping  # src_uri -> page.meta for every page we render
    bodies: Mapping  # src_uri -> Markdown body, for records (read only for the pages rendered)
    body_keys: Mapping  # src_uri -> the body's key in the body cache (fingerprints.body_key), for records
    cached: "BodyCache | None"  # rendered bodies by key
    tasks: list = field(default_factory=list)
    pages: PageCache | None = None
    page_fps: dict = field(default_factory=dict)  # src -> input_fingerprint(), None when uncacheable
    feed_links: dict = field(default_factory=dict)  # src -> absolute URL, for records that feeds carry
    doc_files: Sequence = ()  # files.documentation_pages(), for the template context (DocumentationPages)
    # cmark-gfm's settings for the bodies it renders as Markdown would (toc's slugify, separator and
    # permalinks; the syntax of the configured extensions that act only on their own), None when every
    # body goes to Markdown: worked out once by render_pages
    gfm: tuple | None = None
    # files of the replaced site already at some pages' paths: path -> (device, inode) (render/reuse.py)
    present: Mapping = field(default_factory=dict)
    # src -> the file its page goes to, site-relative (urls.page_dest: MkDocs' File.dest_uri, made faster)
    dests: Mapping = field(default_factory=dict)


class _Collect(logging.Handler):
    """What pages log while a chunk renders, held back from the log's other handlers: whoever asked for
    the chunk logs it (`_say`). The warnings once per page, kept with its body and said again when the
    body is reused (`messages`); the lines below WARNING (an unrecognized link, another plugin's
    info) once, with their logger and level (`notes`). A worker writes to no stream of its own."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.messages: list[str] = []
        self.notes: list[tuple[str, int, str]] = []

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())
        else:
            self.notes.append((record.name, record.levelno, record.getMessage()))

    @staticmethod
    def nothing(record) -> bool:
        return False


def _say(warnings, notes=()) -> None:
    """Log here what a chunk's pages logged (_render_chunk): each line at its own level."""
    for name, level, message in notes:
        logging.getLogger(name).log(level, message)
    for message in warnings:
        log.warning(message)


OUR_PACKAGE = __name__.split(".")[0]  # site_builder: our own plugin's events run in its own hooks


def other_plugins(config, event: str) -> list:
    """The methods other plugins (not ours) registered for a MkDocs event, in the host's order."""
    return [method for method in config.plugins.events.get(event, ())
            if not type(getattr(method, "__self__", None)).__module__.startswith(OUR_PACKAGE + ".")]


def page_events(config) -> list[str]:
    """The page events some other plugin subscribes to (their output is in our caches' keys)."""
    return [e for e in ("pre_page", "page_markdown", "page_content", "page_context", "post_page")
            if other_plugins(config, e)]


def run_others(host_config, event: str, item, **kwargs):
    """Run other plugins' `on_<event>` on a page we render (MkDocs' `_populate_page` order): pre_page,
    page_markdown, page_content; on_page_context and on_post_page run for all in write_page."""
    for method in other_plugins(host_config, event):
        result = method(item, **kwargs)
        if result is not None:
            item = result
    return item


def _added_content(page: Page, job: Job) -> str:
    """What other plugins add to a generated page, which they see as an empty one: Markdown their
    on_page_markdown returns is rendered and sanitized as an ordinary page's, then their on_page_content
    runs; the page's template shows the result after its own content (main.html), as MkDocs would show
    it on an ordinary page. "" for nearly every page."""
    config = job.config
    page.markdown = run_others(config, "page_markdown", "", page=page, config=config, files=job.files)
    page.content = ""
    if page.markdown.strip():
        page.render(config, job.files)
        page.content = tables.enhance(sanitize(page.content))
    return run_others(config, "page_content", page.content, page=page, config=config, files=job.files)


def _render_body(page: Page, markdown: str, job: Job) -> Body:
    """cmark-gfm where it reads the body as Python-Markdown would, MkDocs' Markdown otherwise. Other
    plugins' on_page_markdown see the Markdown first and their on_page_content the sanitized HTML."""
    config = job.config
    # this worker's copy of the file only: link problems in records stay warnings (MkDocs
    # downgrades them to info on excluded files)
    page.file.inclusion = InclusionLevel.NOT_IN_NAV
    config._current_page = page
    try:
        markdown = run_others(config, "page_markdown", markdown, page=page, config=config, files=job.files)
        links = _RelativePathTreeprocessor(page.file, job.files, config)
        fast = None
        if job.gfm is not None:
            slug, separator, permalink, own = job.gfm
            fast = bodies.render_gfm(markdown, slug, separator, resolve_link=links.path_to_url, permalink=permalink,
                                     own=own)
        if fast is not None:
            html, tokens, ids, title = fast
            html = run_others(config, "page_content", tables.enhance(sanitize(html)), page=page, config=config,
                              files=job.files)
            return Body(html, get_toc(tokens), ids, title)
        page.markdown = markdown
        page.render(config, job.files)
        html = run_others(config, "page_content", tables.enhance(sanitize(page.content)), page=page, config=config,
                          files=job.files)
        return Body(html, page.toc, page.present_anchor_ids or set(), page._title_from_render)
    finally:
        config._current_page = None
        page.file.inclusion = InclusionLevel.EXCLUDED


class _Page(Page):
    """MkDocs' Page, with its canonical URL worked out without urljoin and urlsplit per page: for a
    plain relative path (every generated page) it is the site URL plus the page's. Everything else is
    MkDocs' own."""

    _build: tuple | None = None  # (site_url, with a final slash, its path) for this worker

    def __init__(self, file, config):
        site_url = config.get("site_url", None)
        if _Page._build is None or _Page._build[0] != site_url:
            base = site_root(site_url)
            _Page._build = (site_url, base, urlsplit(base).path if base else None)
        super().__init__(None, file, config)

    def _set_canonical_url(self, base):
        url = self.url
        _, base_fixed, path = _Page._build
        if base and base_fixed and not _UNPLAIN.search(url):
            self.canonical_url = base_fixed + url  # what urljoin gives for a plain relative path
            self.abs_url = path + url
        else:
            super()._set_canonical_url(base)


_UNPLAIN = re.compile(r"^/|[:?#%\\]|(^|/)\.\.?(/|$)")


def _worker_init(niceness: int):
    # a worker makes many short-lived objects and few cycles: collect less often
    gc.set_threshold(50_000, 20, 20)
    os.nice(niceness)  # Parallelism.render_niceness


def _render_chunk(srcs: list[str]):
    """Render a batch of pages; returns rows (src, kind, page fingerprint, page stamp, feed HTML or
    None), the warnings and the lower lines (`_say` logs them). New bodies go straight into the body
    cache; feed HTML comes back only when there is no cache to fetch it from later."""
    job = parallel.inherited(JOB)
    collect = _Collect()
    logger = host.root_logger()  # mkdocs or properdocs: every page warning of the host and of ours
    others = list(logger.handlers)
    for h in others:
        h.addFilter(_Collect.nothing)
    logger.addHandler(collect)
    # nor do they go on to the root logger's handlers: a worker forked by the pool's own thread (a worker
    # is replaced after a few chunks) while this process's main thread was writing a log line can hold
    # that handler's stream locked for good (a buffered file's lock is not renewed in a forked child):
    # a page's warning written there hung the build (seen once in the suite, pytest's log file)
    propagate, logger.propagate = logger.propagate, False
    out, fresh = [], []
    try:
        doc_files = job.doc_files  # one list for all: a worker walking every File would copy them all
        for src in srcs:
            file = job.files.src_uris.get(src)
            page = _Page(file, job.config)
            page.meta = dict(job.meta[src])
            page = run_others(job.config, "pre_page", page, config=job.config, files=job.files)
            feed = None
            if src in job.bodies:
                key, markdown = job.body_keys[src], job.bodies[src]
                body = job.cached.get(key) if job.cached is not None else None
                new = body is None
                if new:
                    before = len(collect.messages)
                    body = _render_body(page, markdown, job)
                    body.warnings = tuple(collect.messages[before:])
                else:
                    collect.messages.extend(body.warnings)
                link = job.feed_links.get(src)
                if link and (body.feed is None or body.feed[0] != link):
                    body = Body(body.html, body.toc, body.anchors, body.title, (link, body.feed_at(link)),
                                body.warnings)
                    new = True
                if new:
                    fresh.append((key, body))
                if link and job.cached is None:
                    feed = body.feed[1]
                page.markdown = markdown
                page.content, page.toc, page.present_anchor_ids = body.html, body.toc, body.anchors
                page._title_from_render = body.title
            else:  # a generated page: its template makes it; other plugins see it as an empty page
                page.content = _added_content(page, job)
            fp, stamp = write_page(page, job, doc_files)
            out.append((src, "rendered" if fp else "uncacheable", fp, stamp, feed))
            file.page = None  # keep memory flat: the Page is not needed once written
        if job.cached is not None:
            job.cached.put(fresh)
    finally:
        logger.propagate = propagate
        logger.removeHandler(collect)
        for h in others:
            h.removeFilter(_Collect.nothing)
    return out, collect.messages, collect.notes


def render_again(job: Job, src: str, markdown: str) -> list[str]:
    """The preview's fast path: record page `src` of the build `job` made, rendered again with a new
    body and written over its output (no cache read or written); the warnings it raised (logged)."""
    one = replace(job, bodies={src: markdown}, body_keys={src: None}, cached=None, pages=None, page_fps={}, tasks=[src])
    with parallel.handed_down(JOB, one):
        _, warnings, notes = _render_chunk([src])
    _say(warnings, notes)
    return warnings


def _reuse(job: Job, src: str):
    """A page whose inputs are unchanged: link its last output; None when it must be rendered."""
    fp = job.page_fps.get(src)
    if job.pages is None or fp is None:
        return None
    warnings = ()
    if src in job.body_keys:
        if job.cached is None:
            return None
        entry = job.cached.index.get(job.body_keys[src])
        if entry is None:
            return None
        # a body cached for another address of the record (the preview's) still serves: its feed HTML for
        # this address is made when a feed needs it (caches.FeedHTML)
        warnings = entry[1]
    if fp not in job.pages.index:
        return None
    # whether its file is unchanged since it was cached is checked as it is linked (Linking)
    return (src, "cached", fp, job.pages.index[fp], None), warnings, (fp, job.dests[src])


class Linking:
    """The unchanged pages hard-linked from the page cache by other processes, a share of the folders
    each, one per core (each file checked first: 133,000 stat calls took the build process 0.8 s at
    100,000 records; one process linking them all kept the build waiting 1.7–2.0 s for it there). `result()`
    waits, renders here the pages whose cached file was changed since it was cached (someone edited the
    published output in place), and returns their new {fp: stamp} for the page cache."""

    def __init__(self, job: Job, links: list[tuple[str, str]], par: Parallelism):
        """`links`: (fp, the file the page goes to, site-relative: Job.dests)."""
        self.job = job
        if len(links) < par.link_min_pages:
            self._parts = [Background(self._place, links, in_process=True)]
            return
        links = sorted(links, key=lambda link: link[1])  # a folder's pages together: one makedirs each, mostly
        n = par.cores()
        cuts = [len(links) * k // n for k in range(n + 1)]
        self._parts = [Background(self._place, links[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]

    def _place(self, links: list[tuple[str, str]]) -> list[str]:
        # the path MkDocs' File.abs_dest_path gives, made here (each File's made it in the build process,
        # 0.4 s at 100,000 records), and spelt as the keys of job.present are (the plugin's _adopt_pages)
        site_dir = os.path.normpath(self.job.config["site_dir"])
        return self.job.pages.place_checked([(fp, f"{site_dir}/{uri}") for fp, uri in links], self.job.present)

    def result(self) -> dict[str, tuple[int, int]]:
        changed = set()
        try:
            for part in self._parts:
                changed.update(part.result())
        finally:
            self.cancel()  # when one failed, the others too (a finished part is left as it is)
        if not changed:
            return {}
        srcs = sorted(src for src, fp in self.job.page_fps.items() if fp in changed)
        log.info("页面：%d 个沿用的页面在缓存后被改动过，已重新生成", len(srcs))
        with parallel.handed_down(JOB, self.job):
            rows, warnings, notes = _render_chunk(srcs)
        _say(warnings, notes)
        return {fp: stamp for _, _, fp, stamp, _ in rows if fp is not None and stamp is not None}

    def cancel(self) -> None:
        for part in self._parts:
            part.cancel()


def render_pages(job: Job, par: Parallelism = parallel.DEFAULT, progress=None):
    """Render every task page. Returns (feed HTML by src when there is no body cache, pages used)."""
    feed_html: dict[str, str] = {}
    pages_used: dict[str, tuple[int, int]] = {}
    stats = {"cached": 0, "rendered": 0, "uncacheable": 0}
    done = 0

    def absorb(result):
        nonlocal done
        rows, warnings, notes = result
        _say(warnings, notes)
        for src, kind, fp, stamp, feed in rows:
            stats[kind] += 1
            if fp is not None and stamp is not None:
                pages_used[fp] = stamp
            if feed is not None:
                feed_html[src] = feed
            done += 1
        if progress:
            progress(done, len(job.tasks))

    beyond = bodies.extensions_beyond_fast(job.config.markdown_extensions, job.config.mdx_configs)
    toc = bodies.toc_options(job.config.mdx_configs)
    job.gfm = None if beyond else (toc.get("slugify", bodies.slugify), toc.get("separator", "-"),
                                   bodies.permalink_of(toc),
                                   bodies.own_syntax(job.config.markdown_extensions))
    if beyond:
        log.info("信息正文由 MkDocs 的 Markdown 渲染，和普通页面一样（mkdocs.yml 中的 Markdown 扩展 %s 快速渲染不支持，生成会慢一些）",
                 "、".join(beyond))
    # unchanged pages first, in this process: no fork, no template, a hard link each
    todo, reused, warnings, links = [], [], [], []
    for src in job.tasks:
        row = _reuse(job, src)
        if row is None:
            todo.append(src)
        else:
            reused.append(row[0])
            warnings.extend(row[1])
            links.append(row[2])
    absorb((reused, warnings, ()))
    # the links (and the folders they need: hundreds of mkdir) are made by another process while
    # this one goes on; whoever called waits for `linking` before the site is used
    linking = Linking(job, links, par) if links else None

    for method in other_plugins(job.config, "page_read_source"):
        owner = getattr(method, "__self__", method)
        log.warning("插件 %s 的 on_page_read_source 不用于公开信息和生成的列表页（它们的正文由 disclosure 插件读取和检查）"
                    "→ 如需改动正文，请改用 on_page_markdown 或 on_page_content", type(owner).__module__.split(".")[0])
    job.doc_files = DocumentationPages(job.files)
    workers = par.processes(len(todo), par.render_min_pages)
    with parallel.handed_down(JOB, job):
        if not todo:
            pass
        elif workers <= 1:
            absorb(_render_chunk(todo))
        else:
            size = max(20, min(500, len(todo) // (workers * 8) or 1))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            # a worker is replaced after a few chunks: each page it renders touches records and
            # pages of the parent's memory, which the kernel then copies for it, and at 100,000
            # records two long-lived workers ended up with a private copy of most of the parent
            with parallel.fork_pool(workers, initializer=_worker_init, initargs=(par.render_niceness,),
                                    maxtasksperchild=par.render_chunks_per_worker) as pool:
                for result in pool.imap_unordered(_render_chunk, chunks):
                    absorb(result)
    log.info("页面：%d 个重新生成，%d 个沿用缓存，%d 个不可缓存", stats["rendered"], stats["cached"],
             stats["uncacheable"])
    return feed_html, pages_used, linking


