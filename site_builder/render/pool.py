"""Rendering the site's many pages (records and paginated listings) on every core, with a body cache.

MkDocs renders pages one after another in one process, and Material renders the whole navigation
into each one. For the thousands of pages that are ours (records, and listings outside the nav) the
plugin marks them excluded from MkDocs' own loop and renders them here instead: forked worker
processes do what MkDocs' `_build_page` does (same template context, `page_context` and `post_page`
events, same bytes written), record bodies come from a cache keyed by their content and the
Markdown configuration, the navigation HTML is rendered once per folder instead of once per
page, and a page whose whole template context is unchanged since the last build is not rendered at
all: its previous output is hard-linked from the page cache. MkDocs 1.6 is its last release, so the
internals used here no longer move.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import sqlite3
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import get_context
from mkdocs.utils import write_file
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from . import bodies, tables
from .feedhtml import feed_html
from .background import Background
from ..sources.codeversion import code_version
from ..sources.sanitize import sanitize

log = logging.getLogger("mkdocs.plugins.disclosure")

CACHE_VERSION = "3"
POOL_THRESHOLD = 200  # below this many pages, forking costs more than it saves
CHUNKS_PER_WORKER = 4  # chunks (of up to 500 pages) a render worker takes before a fresh one is forked
LINK_IN_BACKGROUND = 1000  # cached pages to link before a separate process pays for itself
_MD_LINK = re.compile(r"\]\([^)]*\.md\b|\]:\s*\S*\.md\b")


@dataclass
class Body:
    html: str
    toc: object
    anchors: set
    title: str | None
    feed: tuple[str, str] | None = None  # (absolute page URL, HTML for the feeds' content:encoded)
    warnings: tuple[str, ...] = ()  # logged again whenever the cached body is used (--strict stays strict)


_TEMPLATE_SUFFIXES = {".html", ".xml", ".j2", ".jinja", ".py"}
_VOLATILE_CONFIG = {"plugins", "site_dir", "nav", "config_file_path", "watch", "dev_addr"}


def build_fingerprint(config, nav, extra) -> str:
    """Everything every page depends on: versions, templates and our code, config, nav, catalogue."""
    parts = [CACHE_VERSION, markdown_fingerprint(config)]
    for dist in ("mkdocs", "mkdocs-material", "jinja2", "markupsafe"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    # our code; the index builder's output has its own cache (outputs/search/build.py)
    parts.append(code_version(".", exclude=("outputs/search",)))
    for root in config.theme.dirs:
        for folder, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d != ".icons")  # thousands of SVGs, versioned above
            for name in sorted(names):
                if os.path.splitext(name)[1] in _TEMPLATE_SUFFIXES:
                    st = os.stat(os.path.join(folder, name))
                    parts.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    for key in sorted(config.keys()):
        if key == "theme":  # its repr holds a set, whose order changes from run to run
            theme = config.theme
            parts.append((key, theme.name, list(theme.dirs), sorted(theme.static_templates),
                          _ADDRESS.sub("", repr(sorted((k, theme[k]) for k in theme)))))
        elif key not in _VOLATILE_CONFIG:
            parts.append((key, _ADDRESS.sub("", repr(config[key]))))
    for name, plugin in config.plugins.items():
        parts.append((name, _ADDRESS.sub("", repr(sorted(getattr(plugin, "config", {}).items())))))

    def walk(items):
        return [(i.title, getattr(i, "url", None), walk(i.children or [])) for i in items]

    parts.append(walk(nav.items if nav else []))
    parts.append(fp_value(extra))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class Uncacheable(Exception):
    pass


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def fp_value(value, _depth: int = 0, memo: dict | None = None):
    """A stable, compact description of a template-context value (the page cache's key material).

    `memo` (id → (value, digest)), shared by the caller across a build's pages, keeps the digest of each
    record and frozen catalogue entry described once; it holds the values, so no id is reused meanwhile."""
    if memo is None:
        memo = {}
    if _depth > 12:
        raise Uncacheable("too deep")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    known = memo.get(id(value))  # records and catalogue entries, described before
    if known is not None:
        return known[1]
    if isinstance(value, (list, tuple)):
        # a listing's records: described already (the memo), without a call each
        return [v if v is None or v.__class__ is str else (memo.get(id(v)) or (None, None))[1]
                or fp_value(v, _depth + 1, memo) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(fp_value(v, _depth + 1, memo)) for v in value)
    if isinstance(value, dict):
        return [(str(k), fp_value(v, _depth + 1, memo)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    # below, a described record or frozen catalogue entry keeps its description (the memo, read above)
    if hasattr(value, "cache_fingerprint"):
        # records appear in many listings: describe each once per build
        described = repr((type(value).__name__, value.cache_fingerprint()))  # plain values: repr is stable
        if _ADDRESS.search(described) or "{" in described and "set(" in described:
            described = repr([type(value).__name__, fp_value(value.cache_fingerprint(), _depth + 1, memo)])
        digest = hashlib.sha256(described.encode("utf-8")).hexdigest()
        memo[id(value)] = (value, digest)
        return digest
    if hasattr(value, "__dataclass_fields__"):
        # catalogue entries (frozen) appear in every page's context: describe each once per build
        frozen = value.__dataclass_params__.frozen
        described = [type(value).__name__] + [fp_value(getattr(value, f), _depth + 1, memo)
                                              for f in value.__dataclass_fields__]
        if frozen:
            digest = hashlib.sha256(repr(described).encode("utf-8")).hexdigest()
            memo[id(value)] = (value, digest)
            return digest
        return described
    text = repr(value)
    if _ADDRESS.search(text):
        raise Uncacheable(type(value).__name__)
    return text


def input_fingerprint(build_fp: str, src: str, meta: dict, body_key: str | None, data,
                      memo: dict | None = None) -> str | None:
    """Everything one page shows besides what every page shows (build_fp): its meta, its body, and
    the data its template gets (a record's context, a listing's records). Pass one `memo` for all the
    pages of a build (see fp_value)."""
    try:
        parts = [build_fp, src, fp_value(meta, 0, memo), body_key, fp_value(data, 0, memo)]
    except Uncacheable:
        return None
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class PageCache:
    """Rendered pages by fingerprint, hard-linked into each new site; a file changed in place since
    it was cached (size or mtime differ) is a miss, so an edit of the output can never come back."""

    def __init__(self, directory: Path | None, suffix: str = ".html"):
        self.dir = directory
        self._root = str(directory) if directory else ""
        self.suffix = suffix
        self.index: dict[str, tuple[int, int]] = {}
        self._made: set[str] = set()
        if directory and (directory / "index.pickle").is_file():
            try:
                with (directory / "index.pickle").open("rb") as fh:
                    data = pickle.load(fh)
                if data.get("version") == CACHE_VERSION:
                    self.index = data["index"]
            except Exception:
                self.index = {}

    def _path(self, fp: str) -> str:
        return os.path.join(self._root, fp[:2], fp + self.suffix)  # str: 13,000 Path objects cost 0.2 s

    def check(self, fp: str | None) -> str | None:
        """The cached file for fp when it is there and unchanged since it was cached, else None."""
        if not self.dir or fp is None or fp not in self.index:
            return None
        src = self._path(fp)
        try:
            st = os.stat(src)
        except OSError:
            return None
        return src if (st.st_size, st.st_mtime_ns) == self.index[fp] else None

    def link(self, fp: str | None, dest: str) -> tuple[int, int] | None:
        src = self.check(fp)
        if src is None:
            return None
        self.place(src, dest)
        return self.index[fp]

    def place(self, src: str, dest: str) -> None:
        folder = os.path.dirname(dest)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        try:
            os.link(src, dest)
        except FileExistsError:
            os.unlink(dest)
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)

    def place_all(self, pairs: list[tuple[str, str]]) -> int:
        for src, dest in pairs:
            self.place(src, dest)
        return len(pairs)

    def store(self, fp: str | None, dest: str) -> tuple[int, int] | None:
        if not self.dir or fp is None:
            return None
        path = self._path(fp)
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            os.link(dest, tmp)
        except OSError:
            shutil.copyfile(dest, tmp)
        os.replace(tmp, path)
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns

    def save(self, used: dict[str, tuple[int, int]]) -> None:
        """Keep exactly the pages this build used (a directory scan only when there was no index)."""
        if not self.dir:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.index or not (self.dir / "index.pickle").is_file():
            for fp in self.index:
                if fp not in used:
                    try:
                        os.unlink(self._path(fp))
                    except FileNotFoundError:
                        pass
        if not self.index:
            for sub in self.dir.iterdir():
                if sub.is_dir():
                    for f in sub.iterdir():
                        if f.stem not in used:
                            f.unlink(missing_ok=True)
        tmp = self.dir / "index.pickle.tmp"
        with tmp.open("wb") as fh:
            pickle.dump({"version": CACHE_VERSION, "index": used}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.dir / "index.pickle")
        self.index = dict(used)


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
        write_file(output.encode("utf-8", errors="xmlcharrefreplace"), dest)
        return fp, (job.pages.store(fp, dest) if job.pages else None)
    except Exception as exc:
        raise RuntimeError(f"Error building page '{page.file.src_uri}': {exc}") from exc
    finally:
        page.active = False
        config._current_page = None


@dataclass
class Job:
    """Everything a worker needs; set before forking, inherited by the children."""
    config: object
    files: object
    nav: object
    env: object
    meta: dict  # src_uri -> page.meta for every page we render
    bodies: dict  # src_uri -> (cache key, Markdown body) for records
    cached: "BodyCache | None"  # rendered bodies by key
    tasks: list = field(default_factory=list)
    pages: PageCache | None = None
    page_fps: dict = field(default_factory=dict)  # src -> input_fingerprint(), None when uncacheable
    feed_links: dict = field(default_factory=dict)  # src -> absolute URL, for records that feeds carry
    doc_files: list = field(default_factory=list)  # files.documentation_pages(), for the template context


_JOB: Job | None = None


def markdown_fingerprint(config) -> str:
    """What, besides the body, decides a body's HTML: extensions, their options, library versions."""
    options = sorted((config.mdx_configs or {}).items(), key=lambda kv: kv[0])
    # options may hold functions (a toc slugify): their repr carries a memory address
    parts = [CACHE_VERSION, repr(config.markdown_extensions), _ADDRESS.sub("", repr(options))]
    for dist in ("markdown", "mkdocs", "pymdown-extensions", "nh3"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    parts.append(str(config.use_directory_urls))
    # the code that shapes a body
    parts.append(code_version("render/bodies.py", "sources/sanitize.py", "render/feedhtml.py", "sources/records.py",
                              "render/tables.py"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def body_key(fingerprint: str, src_uri: str, body: str, files_fingerprint: str) -> str:
    """Bodies that link to other .md files also depend on which files exist (MkDocs rewrites them)."""
    h = hashlib.sha256()
    for part in (fingerprint, src_uri, body, files_fingerprint if _MD_LINK.search(body) else ""):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class BodyCache:
    """Rendered record bodies in a SQLite file beside mkdocs.yml, keyed by body_key().

    Not read whole: the main process loads a small index (key → feed URL, warnings) and the render
    workers read and write the bodies themselves, so neither the bodies of 100,000 records nor their
    pickles pass through the main process. Entries a build did not use are dropped by save()."""

    def __init__(self, path: Path | None):
        self.path = path
        self.index: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._conn = None
        self._pid = None
        if not path:
            return
        try:
            conn = self._db()
            if conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone() != (CACHE_VERSION,):
                with conn:
                    conn.execute("DELETE FROM body")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (CACHE_VERSION,))
            for key, feed_url, warnings in conn.execute("SELECT key, feed_url, warnings FROM body"):
                self.index[key] = (feed_url, tuple(warnings.split("\0")) if warnings else ())
        except sqlite3.DatabaseError:  # a damaged cache is only a slower build
            self._reset()

    def _db(self):
        if self._conn is None or self._pid != os.getpid():  # a forked worker opens its own connection
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=60)
            self._pid = os.getpid()
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            self._conn.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, feed_url TEXT, "
                               "warnings TEXT, data BLOB)")
            self._conn.commit()
        return self._conn

    def _reset(self):
        self.index = {}
        self._conn = None
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def get(self, key: str) -> "Body | None":
        if not self.path:
            return None
        try:
            row = self._db().execute("SELECT data FROM body WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def put(self, entries: list[tuple[str, "Body"]]) -> None:
        if not self.path or not entries:
            return
        conn = self._db()
        with conn:
            conn.executemany("INSERT OR REPLACE INTO body VALUES (?, ?, ?, ?)", [
                (key, b.feed[0] if b.feed else None, "\0".join(b.warnings),
                 pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL)) for key, b in entries])

    def save(self, used: set[str]) -> None:
        """Keep exactly the bodies this build used."""
        if not self.path:
            return
        conn = self._db()
        stale = [(k,) for k in self.index if k not in used]
        if stale:
            with conn:
                conn.executemany("DELETE FROM body WHERE key = ?", stale)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.index = {k: v for k, v in self.index.items() if k in used}


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
            return Body(tables.enhance(sanitize(html)), get_toc(tokens), ids, title)
        page.markdown = markdown
        page.render(config, job.files)
        return Body(tables.enhance(sanitize(page.content)), page.toc, page.present_anchor_ids or set(), page._title_from_render)
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
            base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
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


def _worker_init():
    # a worker makes many short-lived objects and few cycles: collect less often
    gc.set_threshold(50_000, 20, 20)


def _render_chunk(srcs: list[str]):
    """Render a batch of pages; returns rows (src, kind, page fingerprint, page stamp, feed HTML or
    None) and the warnings. New bodies go straight into the body cache; feed HTML comes back only
    when there is no cache to fetch it from later."""
    job = _JOB
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    out, fresh = [], []
    try:
        doc_files = job.doc_files  # made once, before forking: a worker walking every File would copy them all
        for src in srcs:
            file = job.files.src_uris.get(src)
            page = _Page(file, job.config)
            page.meta = dict(job.meta[src])
            feed = None
            if src in job.bodies:
                key, markdown = job.bodies[src]
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
                    body = Body(body.html, body.toc, body.anchors, body.title,
                                (link, feed_html(body.html, link)), body.warnings)
                    new = True
                if new:
                    fresh.append((key, body))
                if link and job.cached is None:
                    feed = body.feed[1]
                page.markdown = markdown
                page.content, page.toc, page.present_anchor_ids = body.html, body.toc, body.anchors
                page._title_from_render = body.title
            else:
                page.markdown, page.content = "", ""
            fp, stamp = write_page(page, job, doc_files)
            out.append((src, "rendered" if fp else "uncacheable", fp, stamp, feed))
            file.page = None  # keep memory flat: the Page is not needed once written
        if job.cached is not None:
            job.cached.put(fresh)
    finally:
        logger.removeHandler(collect)
    return out, collect.messages


def _reuse(job: Job, src: str):
    """A page whose inputs are unchanged: link its last output; None when it must be rendered."""
    fp = job.page_fps.get(src)
    if job.pages is None or fp is None:
        return None
    warnings = ()
    if src in job.bodies:
        if job.cached is None:
            return None
        entry = job.cached.index.get(job.bodies[src][0])
        link = job.feed_links.get(src)
        if entry is None or (link and entry[0] != link):
            return None  # the feeds need this record's HTML: let a worker make it
        warnings = entry[1]
    cached = job.pages.check(fp)
    if cached is None:
        return None
    return (src, "cached", fp, job.pages.index[fp], None), warnings, (cached, job.files.src_uris.get(src).abs_dest_path)


def render_pages(job: Job, workers: int | None = None, progress=None):
    """Render every task page. Returns (feed HTML by src when there is no body cache, pages used)."""
    global _JOB
    workers = workers or os.cpu_count() or 1
    feed_html: dict[str, str] = {}
    pages_used: dict[str, tuple[int, int]] = {}
    stats = {"cached": 0, "rendered": 0, "uncacheable": 0}
    done = 0

    def absorb(result):
        nonlocal done
        rows, warnings = result
        for message in warnings:
            log.warning(message)
        for src, kind, fp, stamp, feed in rows:
            stats[kind] += 1
            if fp is not None and stamp is not None:
                pages_used[fp] = stamp
            if feed is not None:
                feed_html[src] = feed
            done += 1
        if progress:
            progress(done, len(job.tasks))

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
    absorb((reused, warnings))
    # the links (and the folders they need: hundreds of mkdir) are made by another process while
    # this one goes on; whoever called waits for `linking` before the site is used
    linking = Background(job.pages.place_all, links, in_process=len(links) < LINK_IN_BACKGROUND) if links else None

    _JOB = job
    job.doc_files = job.files.documentation_pages()
    try:
        if not todo:
            pass
        elif workers <= 1 or len(todo) < POOL_THRESHOLD or sys.platform == "win32":
            absorb(_render_chunk(todo))
        else:
            size = max(20, min(500, len(todo) // (workers * 8) or 1))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            ctx = multiprocessing.get_context("fork")
            # objects made so far move to a generation the collector never visits: a worker's
            # collections would otherwise write to every object and copy all of the parent's memory
            gc.freeze()
            try:
                # a worker is replaced after a few chunks: each page it renders touches records and
                # pages of the parent's memory, which the kernel then copies for it, and at 100,000
                # records two long-lived workers ended up with a private copy of most of the parent
                with ctx.Pool(workers, initializer=_worker_init, maxtasksperchild=CHUNKS_PER_WORKER) as pool:
                    for result in pool.imap_unordered(_render_chunk, chunks):
                        absorb(result)
            finally:
                gc.unfreeze()
    finally:
        _JOB = None
    log.info("页面：%d 个重新生成，%d 个沿用缓存，%d 个不可缓存", stats["rendered"], stats["cached"],
             stats["uncacheable"])
    return feed_html, pages_used, linking


class FeedHTML(Mapping):
    """{src: feed HTML} read from the body cache on demand: only feeds that changed are rendered,
    so an unchanged site reads none of it."""

    def __init__(self, cache: BodyCache | None, keys: dict[str, str], given: dict[str, str]):
        self.cache, self.body_keys, self.given, self.memo = cache, keys, given, {}

    def __getitem__(self, src):
        if src in self.given:
            return self.given[src]
        if src not in self.memo:
            body = self.cache.get(self.body_keys[src]) if self.cache is not None and src in self.body_keys else None
            self.memo[src] = body.feed[1] if body is not None and body.feed else None
        if self.memo[src] is None:
            raise KeyError(src)
        return self.memo[src]

    def get(self, src, default=None):
        try:
            return self[src]
        except KeyError:
            return default

    def __contains__(self, src):
        return self.get(src) is not None

    def __iter__(self):
        return iter(set(self.given) | set(self.body_keys))

    def __len__(self):
        return len(set(self.given) | set(self.body_keys))
