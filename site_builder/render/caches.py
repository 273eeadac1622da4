"""The render caches under .cache/disclosure/: record bodies (SQLite, by body_key), whole pages and feeds
(files hard-linked into each new site, by fingerprint), the feeds' HTML read back from the body
cache, and the compiled templates. Keys come from fingerprints.py."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from .feedhtml import feed_html
from .fingerprints import CACHE_VERSION


MADE_ONCE_KEPT = 4  # the last used entries of a made_once folder: a key changes with every edit of what it covers


def made_once(folder: Path | None, key: str, make) -> bytes:
    """Bytes that depend on `key` alone (a generated Word file): kept in `folder` under the key, made by
    `make()` only when missing there (or always, without a folder). A folder keeps the MADE_ONCE_KEPT
    entries used last (a kiosk copy and the site, say, each find theirs)."""
    if folder is None:
        return make()
    data = _kept(folder, key)
    if data is None:
        data = make()
        _keep(folder, key, data)
    return data


def is_kept(folder: Path, key: str) -> bool:
    """Whether `folder` has an entry for `key` (made_once would not call make)."""
    return (folder / key).is_file()


def forget(folder: Path, key: str) -> None:
    """Drop the entry for `key` (found damaged by whoever read it): the next made_once makes it again."""
    (folder / key).unlink(missing_ok=True)


def _kept(folder: Path, key: str) -> bytes | None:
    """What `_keep` put under `key`, marked used now (pruned after the entries used since); None if absent."""
    path = folder / key
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return data


def _keep(folder: Path, key: str, data: bytes) -> None:
    """`data` under `key` in `folder`, which then keeps its MADE_ONCE_KEPT entries used last."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / key
    tmp = path.with_name(f"{key}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    kept = sorted((e for e in os.scandir(folder) if e.is_file() and not e.name.endswith(".tmp")),
                  key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for old in kept[MADE_ONCE_KEPT:]:
        Path(old.path).unlink(missing_ok=True)


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept in `directory` and found again after the project moves. Jinja keys
    each by its file's absolute path: a project moved or copied (a CI checkout elsewhere, a copy a test
    makes) compiled every template of its theme again, 35 for the sample's first build (~0.35 s). A
    template inside `project` is keyed by its path there, one outside (Material's) by its absolute
    path, as Jinja keys it; Jinja still checks each one's source against the checksum kept with it. The
    code names its file (tracebacks): code compiled elsewhere is given this file's name."""

    def __init__(self, directory: Path, project: Path):
        super().__init__(str(directory))
        self._project = os.path.realpath(project)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        if filename is not None:
            try:
                inside = os.path.relpath(os.path.realpath(filename), self._project)
            except ValueError:  # another drive
                inside = os.pardir
            if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
                filename = "<project>/" + inside.replace(os.sep, "/")
        return super().get_cache_key(name, filename)

    def get_bucket(self, environment, name, filename, source):
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is not None and filename is not None and bucket.code.co_filename != filename:
            bucket.code = _filed_as(bucket.code, filename)
        return bucket


def _filed_as(code: types.CodeType, filename: str) -> types.CodeType:
    """`code` and the functions compiled within it, naming `filename` as their file."""
    consts = tuple(_filed_as(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


@dataclass
class Body:
    html: str
    toc: object
    anchors: set
    title: str | None
    feed: tuple[str, str] | None = None  # (absolute page URL, HTML for the feeds' content:encoded)
    warnings: tuple[str, ...] = ()  # logged again whenever the cached body is used (--strict stays strict)

    def feed_at(self, link: str) -> str:
        """The HTML the feeds carry of this body for the record at `link`: kept when made for that address,
        else made from the body (its relative links resolve against the address)."""
        return self.feed[1] if self.feed and self.feed[0] == link else feed_html(self.html, link)


class KeyMemo:
    """Every page's key material but its body (fingerprints.input_fingerprint without a body key), kept
    from the last builds under the fingerprint of what it was all made of (fingerprints.world). A build
    where that is unchanged, as after body edits, takes it as it was instead of describing every page's
    context again (0.3 s at 10,000 records). A folder of the MADE_ONCE_KEPT worlds used last: the
    preview (`disclosure serve`), the site and a kiosk copy each have theirs. (The search index keeps its
    documents' hashes the same way: outputs/search/writer._hashes.)"""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.known: dict = {}
        self.world: str | None = None

    def load(self, world: str | None) -> dict:
        """{src: key material} of the last build that had this `world`, else {}."""
        self.world, self.known = world, {}
        if self.folder is None or world is None:
            return self.known
        try:
            data = _kept(self.folder, world)
            if data is not None:
                data = pickle.loads(data)
                if data.get("version") == CACHE_VERSION:
                    self.known = data["keys"]
        except Exception:  # a damaged one: every key is made
            self.known = {}
        return self.known

    def save(self, keys: dict) -> None:
        if self.folder is None or self.world is None or keys == self.known:
            return
        _keep(self.folder, self.world, pickle.dumps({"version": CACHE_VERSION, "keys": keys},
                                                    protocol=pickle.HIGHEST_PROTOCOL))


def link_or_copy(src: str | Path, dest: str | Path) -> None:
    """`dest` becomes `src`'s file: a hard link where the file system allows, else a copy. A file already
    at `dest` is replaced, never written into: it may be a link to a cached page or to node_modules'."""
    try:
        os.link(src, dest)
    except FileExistsError:
        os.unlink(dest)
        link_or_copy(src, dest)
    except OSError:  # another file system, or links to another user's files forbidden
        shutil.copyfile(src, dest)  # (link(2) tells EEXIST before EXDEV: nothing is at `dest`)


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
        found = self._unchanged(fp)
        return found[0] if found else None

    def _unchanged(self, fp: str | None) -> tuple[str, os.stat_result] | None:
        if not self.dir or fp is None or fp not in self.index:
            return None
        src = self._path(fp)
        try:
            st = os.stat(src)
        except OSError:
            return None
        return (src, st) if (st.st_size, st.st_mtime_ns) == self.index[fp] else None

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
        link_or_copy(src, dest)

    def place_checked(self, pairs: list[tuple[str, str]],
                      present: Mapping[str, tuple[int, int]] | None = None) -> list[str]:
        """Link each (fp, dest) whose cached file is unchanged since it was cached; returns the fps
        whose file changed (check), which are not linked: their pages must be rendered again.
        `present`: (device, inode) of the files already at some dests (render/reuse.py): one that is
        the cached file itself stays, any other is replaced."""
        changed = []
        present = present or {}
        for fp, dest in pairs:
            found = self._unchanged(fp)
            if found is None:
                changed.append(fp)
                continue
            src, st = found
            if present.get(dest) != (st.st_dev, st.st_ino):
                self.place(src, dest)
        return changed

    def store(self, fp: str | None, dest: str) -> tuple[int, int] | None:
        if not self.dir or fp is None:
            return None
        path = self._path(fp)
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        try:
            os.link(dest, path)  # a page new to the cache (every page of a first build): no rename
        except OSError:  # one there already (another build's), or another file system: replaced whole
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
            # what __init__ lists, read from this index alone: the table's pages hold the start of
            # every body too (a scan of them took 0.9 s at 100,000 records)
            self._conn.execute("CREATE INDEX IF NOT EXISTS body_listed ON body (key, feed_url, warnings)")
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
        for (k,) in stale:  # (not a new index of every key: after one edit, one or two go)
            del self.index[k]
        # closed, so that a finished build leaves the file whole and alone: SQLite deletes its -wal and
        # -shm files when the last connection closes, and a connection kept open until the build's
        # objects were collected did that later, under a copy of the project being made (a later get()
        # opens it again)
        conn.close()
        self._conn = None


class FeedHTML(Mapping):
    """{src: feed HTML} read from the body cache on demand: only feeds that changed are rendered,
    so an unchanged site reads none of it. A cached body made for another address of the record (the
    preview's, the site's) gives its feed HTML made here for this one: the page itself is linked from
    the page cache, not rendered again for it."""

    def __init__(self, cache: BodyCache | None, links: dict[str, str], keys: dict[str, str], given: dict[str, str]):
        """`links`: src -> the record's absolute URL, for the records some feed carries; `keys`: their body keys."""
        self.cache, self.links, self.body_keys, self.given, self.memo = cache, links, keys, given, {}

    def __getitem__(self, src):
        if src in self.given:
            return self.given[src]
        if src not in self.memo:
            body = self.cache.get(self.body_keys[src]) if self.cache is not None and src in self.body_keys else None
            self.memo[src] = body.feed_at(self.links[src]) if body is not None else None
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
