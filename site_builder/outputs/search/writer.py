"""Writing the search index: the incremental patch of the last build's output when a cache allows it
(incremental.py), else the full build (build.py); the same bytes either way.

build.py, incremental.py and snapshot.py (numpy) are imported by the functions that use them: the build's
main process only starts the index's process (start_beside_pages), and numpy's import (~65 ms) happens
in the process that builds the index."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .document import SearchDoc, docs_from_index, search_doc
from .stats import BuildStats
from ...parallel import Parallelism
from ...render.background import Background
from ...render.caches import KeyMemo


def build_search_index(docs: list[SearchDoc], out_dir, departments: list[tuple[str, str]],
                       domains: list[tuple[str, str]], workers: int | None = None,
                       cache_dir=None, parallel: Parallelism | None = None, world: str | None = None) -> BuildStats:
    """Write the search index for `docs` (ids = list positions; pass them oldest first) into `out_dir`.

    `departments` / `domains`: (id, name) in display order, for the facets. `parallel`: the processes
    (site_builder/parallel.py; `workers` is short for `Parallelism(workers=…)`: 1 = in this process,
    default every core when there are enough records).
    `cache_dir`: keep each record's gram keys and doc-store entry there, keyed by a hash of its content,
    so an unchanged record is not processed again by the next build (entries no longer used are removed),
    and a copy of the output (hard links) with a manifest, so that a build after a few records changed
    patches the previous output instead of rebuilding it (incremental.py). The output is the same, byte
    for byte, with or without the cache. `world`: see _world_key.
    """
    par = parallel or Parallelism(workers=workers or 0)
    with _no_gc():
        return _build(docs, out_dir, departments, domains, par, cache_dir, world=world)


@contextlib.contextmanager
def _no_gc():
    """No cyclic garbage collection meanwhile: a full collection walks the caller's whole heap (MkDocs',
    the index's) for nothing, as we make no reference cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _build(docs, out_dir, departments, domains, par: Parallelism, cache_dir, hashes=None,
           full: bool = True, world: str | None = None) -> BuildStats | None:
    """`hashes`: B.doc_hashes(docs), if known. Without `full`, None where the patch cannot be made."""
    from . import build as B, incremental, snapshot

    started = time.perf_counter()
    out = Path(out_dir)
    cache = str(Path(cache_dir).resolve()) if cache_dir else None
    if hashes is None:
        hashes = B.doc_hashes(docs)  # for the cache, and the build id
    t_hash = time.perf_counter()
    lock = None
    if cache:
        os.makedirs(cache, exist_ok=True)
        lock = snapshot.lock(cache)  # None: another build is using this cache's snapshot
        try:
            why = "another build holds the cache"
            if lock is not None:
                stats, why = incremental.update(docs, hashes, out, cache, departments, domains, par, world)
                if stats is not None:
                    stats.seconds["hash"] = round(t_hash - started, 2)
                    stats.seconds["total"] = round(time.perf_counter() - started, 2)
                    return stats
            if not full:
                return None
            stats = B.full_build(docs, hashes, out, departments, domains, par, cache, lock is not None,
                                 started, world)
            stats.why_full = why
            return stats
        finally:
            if lock is not None:
                snapshot.unlock(lock)
    return B.full_build(docs, hashes, out, departments, domains, par, None, False, started)


def build_for_index(idx, out_dir, workers: int | None = None, cache_dir=None,
                    parallel: Parallelism | None = None, extra=()) -> BuildStats:
    """Convenience for the plugin: the whole site's search index from a site_builder Index (and `extra`
    documents after the records: the 双公示 decision pages, outputs/datasets.py)."""
    docs, facets = _documents(idx, extra)
    return build_search_index(docs, out_dir, **facets, workers=workers, cache_dir=cache_dir, parallel=parallel)


def _documents(idx, extra) -> tuple[list[SearchDoc], dict]:
    """The index's documents (the records, then `extra`) and the facets' names (build_search_index's
    departments and domains)."""
    with _no_gc():
        docs = docs_from_index(idx) + list(extra)
    return docs, _facets(idx)


def _facets(idx) -> dict:
    cat = idx.catalogue
    return {"departments": [(d.id, d.name) for d in cat.departments.values()],
            "domains": [(d.id, d.name) for d in cat.domains.values()]}


def needs_world(idx, par: Parallelism) -> bool:
    """Whether start_beside_pages uses its `world` (known once the pages' keys are made): past
    `par.search_beside_pages_max` records it does; below, the index can start as soon as the site is
    planned."""
    return len(idx.records) > par.search_beside_pages_max


def start_beside_pages(idx, out_dir, par: Parallelism, cache_dir, extra=(), world: str | None = None) -> Background:
    """The site's search index built beside the pages as they render; `.result()` gives its BuildStats.
    `extra`: documents after the records (双公示 decisions). `world`: the fingerprint of everything the
    documents are made of but the records' bodies (fingerprints.world), when known (see _hashes).

    Up to `par.search_beside_pages_max` records, in a forked child. Past it, in a fresh interpreter, one
    process, reading the index's documents from a file (B.DocFile, in the cache folder,
    removed once open): a forked child and this process both go on reading every record, and each write
    of a reference count copies a shared page (at 100,000 records the child held ~1 GB of such copies,
    and the build 3.1 GB); the fresh one holds every document without its body, and a chunk's bodies.
    When the last index can be patched (a few records changed), a forked child patches it after all."""
    if len(idx.records) <= par.search_beside_pages_max:
        return Background(build_for_index, idx, out_dir, cache_dir=cache_dir, parallel=par, extra=extra)
    if cache_dir and os.path.isdir(cache_dir):
        # A few records changed: a forked child patches the last index. Given the hashes, it makes the
        # changed records' documents only (and every record's, without reading a body, when meta.js is
        # not kept for this world), so it copies little of this process's memory, and the documents'
        # file (~4 s at 100,000 records) is not written.
        hashes, docs = _hashes(idx, extra, str(cache_dir), world)
        key = _world_key(idx, extra, world)
        from . import incremental

        if incremental.can_patch(hashes, str(Path(cache_dir).resolve())):
            return _PatchOrFull(Background(_patch, idx, extra, out_dir, par, cache_dir, hashes, docs, key),
                                (idx, out_dir, par, cache_dir, extra, key))
        if docs is not None:
            return _start_full(docs, _facets(idx), out_dir, par, cache_dir, key)
    return _start_full(*_documents(idx, extra), out_dir, par, cache_dir,
                       _world_key(idx, extra, world) if cache_dir else None)


HASHES = "hashes-by-world"  # in the search cache folder (_hashes)


def _world_key(idx, extra, world: str | None) -> str | None:
    """The documents' world: `world` (fingerprints.world: everything the documents are made of but the
    records' bodies) with what else they depend on (this code, how many there are); None without it."""
    from . import build as B

    return None if world is None else hashlib.sha256(
        repr((world, B.cache_salt().hex(), B.FORMAT, len(idx.records), len(extra))).encode()).hexdigest()


def _hashes(idx, extra, cache_dir: str, world: str | None) -> tuple[list[str], list[SearchDoc] | None]:
    """B.doc_hashes of the index's documents, and the documents if it made them all. Making every
    document to hash it took 0.8 s at 100,000 records: under the `world` of a recent build (a KeyMemo:
    the site's, the preview's and a kiosk copy's each stay), its hashes are taken for the records whose
    body is unchanged (a body edit), and only the others' documents are made. A document is made of its
    record, the plan's index and `extra`, all in the world, but for its body (by Record.body_digest)."""
    from . import build as B

    records = idx.records[::-1]  # the documents' order (docs_from_index)
    digests = [r.body_digest() for r in records]
    memo = KeyMemo(Path(cache_dir) / HASHES)
    known = memo.load(_world_key(idx, extra, world))
    if not known:
        docs, _ = _documents(idx, extra)
        with _no_gc():
            hashes = B.doc_hashes(docs)
    else:
        docs, hashes = None, list(known["hashes"])
        changed = [i for i, (new, old) in enumerate(zip(digests, known["digests"])) if new != old]
        for i, h in zip(changed, B.doc_hashes([search_doc(idx, records[i]) for i in changed])):
            hashes[i] = h
    memo.save({"digests": digests, "hashes": hashes})  # (not when unchanged, nor without a world)
    return hashes, docs


def _patch(idx, extra, out_dir, par: Parallelism, cache_dir, hashes: list[str],
           docs: list[SearchDoc] | None, world: str | None) -> BuildStats | None:
    """In the forked child: the patch (None when it cannot be made), with the documents made as the
    patch asks for them when they are not given."""
    return _build(docs if docs is not None else _Documents(idx, extra), out_dir, **_facets(idx), par=par,
                  cache_dir=cache_dir, hashes=hashes, full=False, world=world)


class _Documents(Sequence):
    """The index's documents, as _documents gives them, each made when asked for: a patch asks for the
    changed records' only, and for all of them only when meta.js is not kept (B.write_meta)."""

    def __init__(self, idx, extra):
        self._idx, self._records, self._extra = idx, idx.records[::-1], list(extra)

    def __len__(self) -> int:
        return len(self._records) + len(self._extra)

    def __getitem__(self, i: int):  # ids only (no slices, no negative ids): what the patch asks for
        if not 0 <= i < len(self):
            raise IndexError(i)  # (ends Sequence's iteration)
        n = len(self._records)
        return search_doc(self._idx, self._records[i]) if i < n else self._extra[i - n]


class _PatchOrFull:
    """The patch in a forked child; should it find the snapshot unusable after all, the full build in a
    fresh process, once the pages are written (`result`)."""

    def __init__(self, patch: Background, full: tuple):
        self._patch, self._full = patch, full

    def result(self) -> BuildStats:
        stats = self._patch.result()
        if stats is None:
            idx, out_dir, par, cache_dir, extra, world = self._full
            stats = _start_full(*_documents(idx, extra), out_dir, par, cache_dir, world).result()
        return stats

    def cancel(self) -> None:
        self._patch.cancel()


def _start_full(docs, facets, out_dir, par: Parallelism, cache_dir, world: str | None = None) -> Background:
    """The full build in a fresh process reading `docs` from a B.DocFile (see start_beside_pages)."""
    from . import build as B

    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
    # on disk beside the cache when there is one (a system's temporary folder may be memory)
    fd, path = tempfile.mkstemp(prefix=".documents-", suffix=".pickle", dir=cache_dir or None)
    os.close(fd)
    try:
        B.DocFile.write(docs, path)
        return Background(build_from_file, path, str(out_dir), fresh=True, **facets,
                          cache_dir=str(cache_dir) if cache_dir else None, parallel=dataclasses.replace(par, workers=1),
                          world=world)
    except BaseException:  # the search process is not there to remove it
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise


def build_from_file(path: str, out_dir, **kwargs) -> BuildStats:
    """build_search_index over the documents of a DocFile, which it removes once open (an open file stays
    readable, and goes with this process however it ends; where it cannot go while open, at the end)."""
    from . import build as B

    try:
        docs = B.DocFile(path)
    except BaseException:
        os.unlink(path)
        raise
    try:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return build_search_index(docs, out_dir, **kwargs)
    finally:
        docs.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
