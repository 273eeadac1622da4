"""Incremental rebuild of the search index: patch the previous build's output instead of rebuilding it.

A full build with a cache folder (build.py) leaves there, beside the records' entries (`ab/<hash>.keys`:
a record's gram keys with their levels, and its doc-store entry):

- `snapshot/`: the index files it wrote (`g/`, `d/`), as hard links to the site's files (copies when
  the site is on another file system);
- `snapshot.json`: the manifest — cache salt, record count, every record's content hash by id, shard
  count, gram count and encoded bytes (which choose the shard count), every shard's SHA-1 (for the
  build id), every file's size and mtime, and the fold tables meta.js carries;
- `fold.npz`: the vectorised fold table (so an incremental build need not load OpenCC's dictionaries).

The next build compares the records' hashes with the manifest's, id by id (ids are positions, oldest
first, so editing a record or publishing a new one leaves every other record's id alone). When few ids
changed, it

1. reads the old and the new gram keys of each changed id (the old from the cache; garbage collection
   of the old entries happens only after this), and keeps the (gram, id) pairs whose level changed,
   appeared or went;
2. patches each touched shard: finds the touched grams' entries in the file's text (or parses it, when
   grams appear, go, or need JSON escapes), patches their posting lists — a bitmap by setting bits when
   it certainly stays a bitmap, a gap list by appending gaps when ids are added after its last (a new
   record), anything else decoded and re-encoded with the vectorised encoder — and writes the shard
   anew, exactly as a full build would (a new record's ~5,000 grams touch most shards: with many
   shards to patch, the build's worker processes share them);
3. rewrites the doc-store files of changed ids, and meta.js (as kept for the documents' world, when it is:
   B.write_meta);
4. hard-links every other file from the snapshot, after checking its size and mtime against the
   manifest (a site file edited in place shares its inode with the snapshot: it must not come back),
   and updates the snapshot and the manifest.

Anything unexpected (manifest missing or from other code, a snapshot file changed, an old entry gone,
a posting that is not where the manifest says, the shard count changing) falls back to the full build,
and so do more than MAX_CHANGED changed ids (a record inserted among old ones, or deleted, moves every
later id). The tests check that both write the same bytes. A lock file keeps two builds from using
one snapshot at once (the second builds in full and leaves the cache alone).
"""

from __future__ import annotations

import hashlib
import json
import os
import time

import numpy as np

from . import build as B
from .stats import BuildStats
from ... import parallel
from ...parallel import Parallelism
from .snapshot import (SNAPSHOT, TABLES, Stale, check_all, file_groups, invalidate,
                       link_all, read_manifest, write_manifest)
from .encode import SMALL, ALPHABET, BITMAP, SEP, encode_number

MAX_CHANGED = 40  # more changed ids: the full build (at 10,000 records, patching costs ~0.2 s of CPU for a
# new record, ~0.45 s for one rewritten from scratch, ~3.5 s for 40 rewritten: about a full build)
BATCH_BYTES = 2_000_000  # shard text patched at a time (bounds the decoder's temporaries)


def _load_lut(cache: str) -> None:
    if not B.fold_lut_loaded():
        try:
            with np.load(os.path.join(cache, TABLES)) as z:
                lut, slow = z["lut"], z["slow"]
            if lut.shape == slow.shape == (0x10000,):
                B.use_fold_lut(lut, slow)
        except (OSError, ValueError, KeyError):
            pass  # computed from the fold tables


# -- posting lists ------------------------------------------------------------------------------------
_TO_VAL = bytes.maketrans(ALPHABET.encode("ascii"), bytes(range(64)))
_TO_CHAR = bytes.maketrans(bytes(range(64)), ALPHABET.encode("ascii"))
_VALS = np.zeros(256, dtype=np.int64)
_VALS[np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(64)


def _patch_bitmap(text: str, remove: list[int], add: list[int]) -> str | None:
    """A bitmap posting list with ids removed and added, if it certainly stays a bitmap (None if the
    gap encoding might be as short: then the caller re-encodes it exactly)."""
    cells = bytearray(text[1:].encode("ascii").translate(_TO_VAL))
    for r in remove:
        c, bit = divmod(r, 6)
        if c >= len(cells) or not cells[c] >> bit & 1:
            raise Stale(f"record {r} missing from a posting list")
        cells[c] &= ~(1 << bit)
    for a in add:
        c, bit = divmod(a, 6)
        if c >= len(cells):
            cells.extend(bytes(c + 1 - len(cells)))
        if cells[c] >> bit & 1:
            raise Stale(f"record {a} already in a posting list")
        cells[c] |= 1 << bit
    while cells and not cells[-1]:
        cells.pop()
    # the bitmap takes len(cells) + 1 characters; the gaps at least one per id: more ids, still a bitmap
    if len(cells) and int.from_bytes(cells, "big").bit_count() > len(cells) + 1:
        return BITMAP + cells.translate(_TO_CHAR).decode("ascii")
    return None


def _decode_many(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists (either encoding) → (list number, record id) of every posting, sorted."""
    bitmap = np.fromiter((t[:1] == BITMAP for t in texts), dtype=bool, count=len(texts))
    lists, ids = [], []
    gap = [j for j, t in enumerate(texts) if t and t[0] != BITMAP]
    if gap:
        nl, val = _numbers([texts[j] for j in gap])
        nl = np.array(gap, dtype=np.int64)[nl]
        step = val + 1
        cs = np.cumsum(step)
        first = np.flatnonzero(np.concatenate(([True], nl[1:] != nl[:-1])))
        counts = np.diff(np.append(first, len(nl)))
        ids.append(cs - np.repeat(cs[first] - step[first], counts) - 1)
        lists.append(nl)
    bm = np.flatnonzero(bitmap)
    if len(bm):
        cells = [texts[j][1:] for j in bm]
        lens = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
        v = _VALS[np.frombuffer("".join(cells).encode("ascii"), dtype=np.uint8)]
        owner = np.repeat(bm, lens)
        pos = np.arange(len(v), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)  # cell number
        r, k = np.nonzero((v[:, None] >> np.arange(6)) & 1)
        lists.append(owner[r])
        ids.append(pos[r] * 6 + k)
    if not lists:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(lists) == 1:
        return lists[0], ids[0]
    lst, rec = np.concatenate(lists), np.concatenate(ids)
    order = np.argsort(lst, kind="stable")  # two sorted runs, each ascending by id within a list: a merge
    return lst[order], rec[order]


def _append_gaps(jobs, todo: list[int], out: list) -> list[int]:
    """The jobs of `todo` that only add ids above a gap-encoded list's last one (a new record): their
    gaps appended, unless the bitmap becomes shorter. Returns the jobs left for the general path."""
    cand = [j for j in todo if not jobs[j][1] and jobs[j][0] and jobs[j][0][0] != BITMAP]
    if not cand:
        return todo
    owner, val = _numbers([jobs[j][0] for j in cand])
    last = (np.bincount(owner, weights=val + 1, minlength=len(cand)) - 1).astype(np.int64).tolist()
    left = set()
    for j, prev in zip(cand, last):
        text, _, add = jobs[j]
        if add[0] <= prev:
            left.add(j)
            continue
        parts = [text]
        for a in add:
            gap = a - prev - 1
            parts.append(SMALL[gap] if gap < 1024 else encode_number(gap))
            prev = a
        gaps = "".join(parts)
        if prev // 6 + 2 < len(gaps):  # the bitmap is shorter now
            left.add(j)
        else:
            out[j] = gaps
    return [j for j in todo if j not in cand or j in left]


def _numbers(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Gap-encoded lists → (list number, value) of every number in them, in order."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    v = _VALS[np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)]
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
    ends = np.flatnonzero((v & 32) == 0)  # the last digit of each number
    if not len(ends) or ends[-1] != len(v) - 1:
        raise Stale("a posting list ends inside a number")
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    digits = ends - starts + 1
    val = v[starts] & 31
    for k in range(1, int(digits.max())):
        m = digits > k
        val[m] = (val[m] << 5) | (v[starts[m] + k] & 31)
    if (owner[starts] != owner[ends]).any():
        raise Stale("a posting list ends inside a number")
    return owner[ends], val


def patch_lists(jobs: list[tuple[str, list[int], list[int]]]) -> list[str]:
    """Posting lists with record ids removed and added: [(encoded list, ids to remove, ids to add)] →
    the encoded lists, each exactly as encode.encode_ids would write the resulting ids."""
    out: list[str | None] = [None] * len(jobs)
    slow = []
    for j, (text, remove, add) in enumerate(jobs):
        if text[:1] == BITMAP:
            out[j] = _patch_bitmap(text, remove, add)
            if out[j] is not None:
                continue
        slow.append(j)
    if slow:
        slow = _append_gaps(jobs, slow, out)
    if not slow:
        return out
    lst, rec = _decode_many([jobs[j][0] for j in slow])
    comp = (lst << 32) | rec
    rem = [(k << 32) | r for k, j in enumerate(slow) for r in jobs[j][1]]
    add = [(k << 32) | a for k, j in enumerate(slow) for a in jobs[j][2]]
    if rem:
        rem = np.sort(np.array(rem, dtype=np.int64))
        pos = np.searchsorted(comp, rem)
        if (pos >= len(comp)).any() or (comp[np.minimum(pos, len(comp) - 1)] != rem).any():
            raise Stale("record missing from a posting list")
        keep = np.ones(len(comp), dtype=bool)
        keep[pos] = False
        comp = comp[keep]
    if add:
        add = np.sort(np.array(add, dtype=np.int64))
        pos = np.searchsorted(comp, add)
        if len(comp) and (comp[np.minimum(pos, len(comp) - 1)] == add).any():
            raise Stale("record already in a posting list")
        comp = np.insert(comp, pos, add)
    for j in slow:
        out[j] = ""
    if len(comp):
        gk, gend, buf = B.encode_groups((comp >> 32).astype(np.uint64), comp & 0xFFFFFFFF)
        gstart = [0] + gend[:-1].tolist()
        for k, a, b in zip(gk.tolist(), gstart, gend.tolist()):
            out[slow[k]] = buf[a:b].decode("ascii")
    return out


# -- the update ---------------------------------------------------------------------------------------
def update(docs, hashes: list[str], out, cache: str, departments, domains, par: Parallelism,
           world: str | None = None):
    """Patch the cached output into `out` for `docs` (see the module docstring): (BuildStats, "") or,
    when the full build must run, (None, why). `docs` may make each document when it is asked for: only
    the changed ones are, and all of them only for meta.js when its `world` was not kept (B.write_meta)."""
    m = read_manifest(cache, B.cache_salt().hex(), B.FORMAT)
    if m is None:
        return None, "no snapshot of an earlier build with this code"
    changed = _changed(m, hashes)
    if len(changed) > MAX_CHANGED:
        return None, f"{len(changed)} record ids changed"
    try:
        return _update(docs, hashes, out, cache, departments, domains, m, changed, par, world), ""
    except (Stale, OSError, ValueError) as e:  # the full build writes everything anew (and a new snapshot)
        return None, f"{type(e).__name__}: {e}"


def can_patch(hashes: list[str], cache: str) -> bool:
    """Whether `update` would patch (rather than hand over to the full build) for these hashes, as far as
    the manifest tells: written by this code, and few ids changed."""
    m = read_manifest(cache, B.cache_salt().hex(), B.FORMAT)
    return m is not None and len(_changed(m, hashes)) <= MAX_CHANGED


def _changed(m: dict, hashes: list[str]) -> list[int]:
    old, n, n_old = m["hashes"], len(hashes), m["n"]
    common = min(n, n_old)
    return [i for i in range(common) if old[i] != hashes[i]] + list(range(common, max(n, n_old)))


def _update(docs, hashes, out, cache, departments, domains, m, changed, par, world):
    t0 = time.perf_counter()
    snap = os.path.join(cache, SNAPSHOT)
    old = m["hashes"]
    n, n_old, shards = len(docs), m["n"], m["shards"]
    files_old = -(-n_old // B.DOCS_PER_FILE)
    files = -(-n // B.DOCS_PER_FILE)
    doc_stat = m["doc_stat"]
    if len(doc_stat) != files_old:
        raise Stale("manifest and snapshot disagree")
    check_all(snap, file_groups(shards, list(range(files_old)), B.DOCS_PER_DIR // B.DOCS_PER_FILE), m["shard_stat"] + doc_stat)

    # 1. what the changed ids held before, and hold now
    old_e, new_e = {}, {}
    computed = 0
    for i in changed:
        if i < n_old:
            e = B.read_entry(cache, old[i])
            if e is None:
                raise Stale("an old record's cache entry is gone")
            old_e[i] = e
        if i < n:
            e = B.read_entry(cache, hashes[i])
            if e is None:
                _load_lut(cache)
                e = B.compute_entry(docs[i])
                B.write_entry(cache, hashes[i], e)
                computed += 1
            new_e[i] = e
    keys, ids, olv, nlv = _ops(changed, old_e, new_e)
    t1 = time.perf_counter()

    # 2. the shards
    out_path, out = B.Path(out), str(out)
    B.clear_output(out_path)
    (out_path / "g").mkdir(parents=True)
    (out_path / "d").mkdir()
    digests = list(m["shard_sha1"])
    shard_stat = [list(x) for x in m["shard_stat"]]
    patched, d_enc, d_grams, workers = _patch_shards(snap, out, shards, keys, ids, olv, nlv, digests, shard_stat,
                                                     par)
    encoded, grams = m["encoded"] + d_enc, m["grams"] + d_grams
    if B.shard_count(encoded + 12 * grams) != shards:
        raise Stale("the shard count changes")
    t2 = time.perf_counter()

    # 3. the doc store, and meta
    doc_stat = [list(x) for x in doc_stat[:files]]
    regen = sorted({i // B.DOCS_PER_FILE for i in changed if i // B.DOCS_PER_FILE < files})  # (gone ids too)
    for f in range(0, files, B.DOCS_PER_DIR // B.DOCS_PER_FILE):
        os.makedirs(os.path.dirname(B.doc_path(out, f * B.DOCS_PER_FILE)), exist_ok=True)
    for f in regen:
        first = f * B.DOCS_PER_FILE
        packed, before = [], None
        for i in range(first, min(first + B.DOCS_PER_FILE, n)):
            if i in new_e:
                packed.append(new_e[i][3])
            else:  # unchanged: as in the snapshot's file
                if before is None:
                    with open(B.doc_path(snap, first), "rb") as fh:
                        try:
                            before = B.doc_file_entries(fh.read())
                        except ValueError as e:
                            raise Stale(str(e)) from None
                packed.append(before[i - first])
        st = B.write_file(B.doc_path(out, first), B.doc_file_bytes(packed))
        if f < len(doc_stat):
            doc_stat[f] = list(st)
        else:
            doc_stat.append(list(st))
    meta_bytes = B.write_meta(out_path, docs, hashes, digests, departments, domains, shards, m["fold"], cache, world)

    # 4. everything else from the snapshot
    done = set(patched)
    kept = [("g", [f"{s}.js" for s in range(shards) if s not in done])]
    done = set(regen)
    kept += file_groups(0, [f for f in range(files) if f not in done], B.DOCS_PER_DIR // B.DOCS_PER_FILE)
    link_all(snap, out, kept)
    t3 = time.perf_counter()

    # 5. the snapshot follows
    invalidate(cache)
    fresh = [("g", [f"{s}.js" for s in patched])] + file_groups(0, regen, B.DOCS_PER_DIR // B.DOCS_PER_FILE)
    for folder, _ in fresh:
        os.makedirs(os.path.join(snap, folder), exist_ok=True)
    link_all(out, snap, fresh, replace=True)
    for f in range(files, files_old):
        os.unlink(B.doc_path(snap, f * B.DOCS_PER_FILE))
    postings = m["postings"] + sum(len(e[0]) for e in new_e.values()) - sum(len(e[0]) for e in old_e.values())
    text_chars = m["text_chars"] + sum(e[2] for e in new_e.values()) - sum(e[2] for e in old_e.values())
    write_manifest(cache, B.cache_salt().hex(), B.FORMAT, dict(m, n=n, grams=grams, encoded=encoded, postings=postings, text_chars=text_chars,
                                hashes=hashes, shard_sha1=digests, shard_stat=shard_stat, doc_stat=doc_stat))
    live = set(hashes)
    for h in {old[i] for i in changed if i < n_old} - live:  # entries no record uses any more
        try:
            os.unlink(B.entry_path(cache, h))
        except OSError:
            pass
    stats = BuildStats(records=n, grams=grams, postings=postings, shards=shards,
                       shard_bytes=sum(x[0] for x in shard_stat), doc_bytes=sum(x[0] for x in doc_stat),
                       meta_bytes=meta_bytes, text_chars=text_chars, workers=workers, cache_hits=n - computed,
                       mode="incremental", changed=len(changed))
    stats.seconds = {"entries": round(t1 - t0, 2), "shards": round(t2 - t1, 2), "docs_links": round(t3 - t2, 2),
                     "snapshot": round(time.perf_counter() - t3, 2)}
    return stats


_E64, _E8 = np.zeros(0, np.uint64), np.zeros(0, np.uint8)


def _ops(changed, old_e, new_e):
    """Every (gram key, id) whose level changed: (keys, ids, old level, new level), level -1 = absent."""
    keys, ids, olv, nlv = [], [], [], []
    for i in changed:
        ok, ol = old_e[i][:2] if i in old_e else (_E64, _E8)
        nk, nl = new_e[i][:2] if i in new_e else (_E64, _E8)
        ol, nl = ol.astype(np.int8), nl.astype(np.int8)
        if len(nk):
            p = np.minimum(np.searchsorted(nk, ok), len(nk) - 1)
            now = np.where(nk[p] == ok, nl[p], np.int8(-1))
        else:
            now = np.full(len(ok), -1, dtype=np.int8)
        moved = now != ol
        if len(ok):
            p = np.minimum(np.searchsorted(ok, nk), len(ok) - 1)
            new = ok[p] != nk
        else:
            new = np.ones(len(nk), dtype=bool)
        k = np.concatenate((ok[moved], nk[new]))
        keys.append(k)
        ids.append(np.full(len(k), i, dtype=np.int64))
        olv.append(np.concatenate((ol[moved], np.full(int(new.sum()), -1, dtype=np.int8))))
        nlv.append(np.concatenate((now[moved], nl[new])))
    if not keys:
        return _E64, np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, np.int8)
    return np.concatenate(keys), np.concatenate(ids), np.concatenate(olv), np.concatenate(nlv)


def _plain(gram: str) -> bool:
    """JSON writes the gram as it is (no escape)."""
    return '"' not in gram and "\\" not in gram and min(gram) >= " "


PLAN = "search.patch_plan"  # the shards to patch, as the patching workers inherit it (parallel.py)


def _patch_shards(snap, out, shards, keys, ids, olv, nlv, digests, shard_stat, par: Parallelism):
    """Patch every shard holding one of `keys` (in several processes when there are many); returns
    (shards written, encoded bytes +-, grams +-, processes used)."""
    shard = B.shards_of(keys, shards)
    order = np.lexsort((ids, keys, shard))
    rows = zip(shard[order].tolist(), keys[order].tolist(), ids[order].tolist(), olv[order].tolist(),
               nlv[order].tolist())
    plan: list[tuple[int, list]] = []  # (shard, [(gram key, [(id, old level, new level)])])
    for s, k, i, o, nw in rows:
        if not plan or plan[-1][0] != s:
            plan.append((s, []))
        grams = plan[-1][1]
        if not grams or grams[-1][0] != k:
            grams.append((k, []))
        grams[-1][1].append((i, o, nw))
    workers = par.processes(len(plan), par.search_patch_min_shards)
    parts = B.split_ranges(len(plan), workers) or [(0, 0)]
    with parallel.handed_down(PLAN, plan):
        if len(parts) > 1:
            with parallel.fork_pool(len(parts)) as pool:
                results = pool.starmap(_patch_range, [(snap, out, a, b) for a, b in parts])
        else:
            results = [_patch_range(snap, out, a, b) for a, b in parts]
    d_enc = d_grams = 0
    for written, (e, g) in results:
        for s, digest, st in written:
            digests[s] = digest
            shard_stat[s] = st
        d_enc += e
        d_grams += g
    return [s for s, _ in plan], d_enc, d_grams, len(parts)


def _patch_range(snap: str, out: str, first: int, end: int):
    """Shards [first, end) of the handed-down PLAN patched and written: ([(shard, SHA-1, [size, mtime])], [encoded +-, grams +-])."""
    plan = parallel.inherited(PLAN)
    totals = [0, 0]
    written: list = []
    batch, size = [], 0
    for at in range(first, end):
        s, grams = plan[at]
        with open(os.path.join(snap, "g", f"{s}.js"), "rb") as fh:
            data = fh.read()
        batch.append((s, grams, data))
        size += len(data)
        if size >= BATCH_BYTES or at == end - 1:
            for s, data, digest in _patch_batch(batch, totals):
                written.append((s, digest, list(B.write_file(os.path.join(out, "g", f"{s}.js"), data))))
            batch, size = [], 0
    return written, totals


def _patch_batch(batch, totals) -> list[tuple[int, bytes, str]]:
    """The shards of `batch` ((shard, [(gram key, ops)], file bytes)) patched: [(shard, new bytes, SHA-1)]."""
    jobs: list[tuple[str, list[int], list[int]]] = []
    work = []
    gram = B.key_gram
    for s, grams, data in batch:
        lo, hi = len(b"__dxSearch.shard(%d," % s), len(data) - 3
        if not data.startswith(b"__dxSearch.shard(%d,{" % s) or not data.endswith(b"});\n"):
            raise Stale("not a shard file")
        names = [gram(k) for k, _ in grams]
        spans, parsed, olds = None, None, []
        if data.find(b"\\", lo, hi) < 0 and all(map(_plain, names)):
            spans = []
            for g in names:  # the gram's entry, found in the text: `"gram":"entry"` after `{` or `,`
                needle = b'"' + g.encode("utf-8") + b'":"'
                at = data.find(needle, lo, hi)
                while at > 0 and data[at - 1] not in b"{,":
                    at = data.find(needle, at + 1, hi)
                if at < 0:  # a new gram: parse the shard, and insert it in order
                    spans = None
                    break
                start = at + len(needle)
                end = data.index(b'"', start, hi)
                spans.append((start, end))
                olds.append(data[start:end].decode("ascii"))
        if spans is None:
            parsed = json.loads(data[lo:hi])
            olds = [parsed.get(g, "") for g in names]
        slots = []
        for (_, ops), entry in zip(grams, olds):
            parts = entry.split(SEP) if entry else []
            parts += [""] * (3 - len(parts))
            mine = []
            if len(ops) == 1:  # the common case: one changed record
                i, o, nw = ops[0]
                if o >= 0:
                    mine.append((o, len(jobs)))
                    jobs.append((parts[o], [i], []))
                if nw >= 0:
                    mine.append((nw, len(jobs)))
                    jobs.append((parts[nw], [], [i]))
            else:
                per_level: dict[int, tuple[list[int], list[int]]] = {}
                for i, o, nw in ops:  # ids ascending
                    if o >= 0:
                        per_level.setdefault(o, ([], []))[0].append(i)
                    if nw >= 0:
                        per_level.setdefault(nw, ([], []))[1].append(i)
                for level, (remove, add) in per_level.items():
                    mine.append((level, len(jobs)))
                    jobs.append((parts[level], remove, add))
            slots.append((parts, mine))
        work.append((s, data, lo, hi, names, spans, parsed, olds, slots))
    done = patch_lists(jobs)
    files = []
    for s, data, lo, hi, names, spans, parsed, olds, slots in work:
        news = []
        for parts, mine in slots:
            for level, j in mine:
                parts[level] = done[j]
            while parts and not parts[-1]:
                parts.pop()
            news.append(SEP.join(parts))
        for old, new in zip(olds, news):
            totals[0] += (len(new) - new.count(SEP)) - (len(old) - old.count(SEP))
        if spans is not None and all(news):
            pieces, at = [], 0
            for (start, end), new in sorted(zip(spans, news)):
                pieces += [data[at:start], new.encode("ascii")]
                at = end
            pieces.append(data[at:])
            data = b"".join(pieces)
        else:
            if parsed is None:
                parsed = json.loads(data[lo:hi])
            grown = False
            for g, new in zip(names, news):
                if not new:
                    if parsed.pop(g, None) is not None:
                        totals[1] -= 1
                elif g in parsed:
                    parsed[g] = new
                else:
                    parsed[g] = new
                    grown = True
                    totals[1] += 1
            if grown:
                parsed = dict(sorted(parsed.items()))
            data = B.shard_bytes(s, parsed)
        files.append((s, data, hashlib.sha1(data).hexdigest()))
    return files
