"""Search documents in, index files out (plain data; no MkDocs).

Output, under the site's `search/` folder (every file is a script that registers itself, so the same
files load over http:// and file:// with `<script src>`, no fetch):

- `meta.js`: `__dxSearch.meta({...})` — record count, shard count, build id, fold tables and the
  facets' names; records are numbered oldest first, so a higher id is a newer record (the tie-breaker
  of the ranking), and a record published today takes the next id: every other record keeps its id,
  and the rebuild after it is incremental (incremental.py).
- `facets.js`: `__dxSearch.facets({...})` — the facet codes of every record (发布机构, 领域, 年度,
  有效性, 项目, 意见征集 and the labelled facets; a byte per code, deflated: facets.py), loaded only
  when the reader sees the filters (at once beside the results on a wide screen, when 筛选 is opened
  on a phone): the first results never wait for it, so a result's own 发布机构, 领域, 有效性 and
  意见征集 are in its doc entry.
- `g/<n>.js`: `__dxSearch.shard(n, {gram: entry, ...})` — the postings of every gram whose hash falls
  in shard n (see encode.py for the entry format).
- `d/<id // 1000>/<id // 4>.js`: `__dxSearch.doc("...")` — four consecutive records' title, URL,
  date, tags, summary, 索引号, 文号, body text, department and domain ids, validity and consultation
  status: a JSON array of their entries, deflated together and base64-encoded (the browser inflates
  it with `DecompressionStream`); loaded only for the results shown, for the snippet and the
  contiguity check. Deflated together, records that share a file share their words: 2.5 kB a record
  instead of 3.7 deflated apart (the benchmark's corpus). Four per file: results of common queries are
  often neighbours (by date) and share a file; a file (~13 kB) wastes little of a 4 kB disk block.
  The file names no id: the browser knows which script it inserted.

With a cache folder, a build keeps each record's gram keys and doc-store entry (by a hash of its
content), the files it wrote and a manifest; the next build patches only what changed records touch
(incremental.py) and falls back to this full build when too much changed; writer.py decides which
runs, snapshot.py keeps the cache's copy of the output.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import pickle
import shutil
import struct
import tempfile
import time
import zlib

import numpy as np
from pathlib import Path
from typing import NamedTuple

from . import encode
from . import facets as facet_file
from ... import parallel
from ...parallel import Parallelism
from ...plan import consultations
from .snapshot import discard_old_snapshot, finish_snapshot, link_into, start_snapshot
from ...sources.codeversion import code_version
from ...sources.gazette import issue_label
from ...sources.records import DOC_TYPES, body_utf8
from ...sources.recordheader import SUBJECTS
from .fold import fold, js_tables, translate_table
from .tokenize import markdown_texts
from .document import SearchDoc
from .stats import BuildStats
from ...render.caches import KeyMemo

FORMAT = 3  # 2: the facet codes in facets.js, each record's department etc. in its doc entry; 3: a doc
#               file's entries deflated together
TARGET_SHARD_BYTES = 24_000  # aim: a 2-4 character query loads a handful of shards
DOCS_PER_DIR = 1000
DOCS_PER_FILE = 4  # records per doc-store file: ~13 kB files waste little of a 4 kB-block disk
VALIDITIES = ("有效", "失效", "废止", "")
CONSULTATIONS = (*consultations.ORDER, "")  # the 意见征集 facet: a status key, or not a consultation


# -- phase 1 (parallel over record ranges): text → folded → gram keys; the doc store -----------------
# A gram is keyed by one integer: (first code point << 21) | second code point, or the code point alone
# for a one-character gram (code point 0 never occurs: field texts map NUL to a space); three-character
# grams (only of BMP characters) carry the _TRI flag and 16 bits per character.
_SPACE = np.uint32(32)
_SHIFT = np.uint64(21)
_TRI = np.uint64(1 << 59)  # flags a three-character gram: 1 << 59 | c1 << 32 | c2 << 16 | c3 (all in the BMP)
_ALPHA = np.frombuffer(encode.ALPHABET.encode("ascii"), dtype=np.uint8)


_LUT: tuple | None = None


def _fold_lut():
    """(folded code point of every BMP code point, BMP code points that need fold() itself); computed
    from the fold tables (~0.3 s: OpenCC's dictionaries) or, in an incremental build, read from the
    cache (see incremental.py)."""
    global _LUT
    if _LUT is None:
        from .fold import bmp_tables

        single, multi = bmp_tables()
        lut = np.arange(0x10000, dtype=np.uint32)
        lut[list(single)] = list(single.values())
        lut[0] = 32  # NUL never makes a gram (key 0 would be ambiguous)
        slow = np.zeros(0x10000, dtype=bool)
        slow[list(multi)] = True
        _LUT = (lut, slow)
    return _LUT


def fold_lut_loaded() -> bool:
    return _LUT is not None


def use_fold_lut(lut: np.ndarray, slow: np.ndarray) -> None:
    """The fold table an incremental build read from its cache (incremental.py), instead of OpenCC's."""
    global _LUT
    _LUT = (lut, slow)


def fold_codes(text: str) -> np.ndarray:
    """fold(text) as an array of code points: one table lookup per character for BMP text whose
    characters each fold to one character (nearly all text), fold() otherwise."""
    lut, slow = _fold_lut()
    a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(a) and (a.max() >= 0x10000 or slow[a].any()):
        a = np.frombuffer(fold(text.replace("\x00", " ")).encode("utf-32-le"), dtype=np.uint32)
        return a
    return lut[a]


def _keys(a: np.ndarray) -> np.ndarray:
    """Gram keys of folded text given as code points (see above)."""
    ok = a != _SPACE
    uni = a[ok].astype(np.uint64)
    pair = ok[:-1] & ok[1:]
    bi = (a[:-1][pair].astype(np.uint64) << _SHIFT) | a[1:][pair]
    bmp = ok & (a < 0x10000)
    trio = bmp[:-2] & bmp[1:-1] & bmp[2:]
    a64 = a.astype(np.uint64)
    tri = _TRI | (a64[:-2][trio] << np.uint64(32)) | (a64[1:-1][trio] << np.uint64(16)) | a64[2:][trio]
    return np.concatenate((uni, bi, tri))


def _doc_entry(d: SearchDoc, body: str) -> bytes:
    """One record's doc-store entry: its text fields as JSON (UTF-8); its file deflates it with its
    neighbours' (doc_file_bytes)."""
    entry = {"t": d.title, "u": d.url, "d": d.date, "g": list(d.tags), "s": d.summary,
             "n": d.index_no, "o": d.doc_no, "b": body,
             # what a result shows of its facets, so that results need not wait for facets.js
             "p": d.department, "m": list(d.domains)}
    if d.validity in VALIDITIES and d.validity:
        entry["v"] = d.validity
    if d.consultation in CONSULTATIONS and d.consultation:
        entry["c"] = d.consultation
    return _entry_json(entry)


def _entry_json(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def doc_path(store, i: int) -> str:
    """The doc-store file holding record i (DOCS_PER_FILE records per file, DOCS_PER_DIR per folder)."""
    return os.path.join(store, "d", str(i // DOCS_PER_DIR), f"{i // DOCS_PER_FILE}.js")


_DOC_HEAD, _DOC_TAIL = b'__dxSearch.doc("', b'");\n'


def doc_file_bytes(entries: list[bytes]) -> bytes:
    """A doc-store file: its records' entries (_doc_entry) as one JSON array, deflated, base64. No record
    id inside: the browser knows which file it asked for (document.currentScript)."""
    packed = base64.b64encode(zlib.compress(b"[" + b",".join(entries) + b"]", 9))
    return _DOC_HEAD + packed + _DOC_TAIL


def doc_file_records(data: bytes) -> list[dict]:
    """The records' entries of a doc-store file (doc_file_bytes' bytes), read. Raises ValueError when
    `data` is not such a file."""
    if not (data.startswith(_DOC_HEAD) and data.endswith(_DOC_TAIL)):
        raise ValueError("not a doc-store file")
    try:
        return json.loads(zlib.decompress(base64.b64decode(data[len(_DOC_HEAD):-len(_DOC_TAIL)])))
    except (zlib.error, ValueError) as e:
        raise ValueError(f"not a doc-store file: {e}") from None


def doc_file_entries(data: bytes) -> list[bytes]:
    """doc_file_records' entries, each as _doc_entry made it (what doc_file_bytes takes)."""
    return [_entry_json(e) for e in doc_file_records(data)]


def write_file(target: str, data: bytes, snap_target: str | None = None) -> tuple[int, int]:
    """Write a new output file (never into an existing one: it may be a hard link to the cache's copy);
    with `snap_target`, link it there too (replacing what was there). Returns its (size, mtime in ns)."""
    try:
        fh = open(target, "xb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fh = open(target, "xb")
    except FileExistsError:
        os.unlink(target)
        fh = open(target, "xb")
    with fh:
        fh.write(data)
        fh.flush()
        st = os.fstat(fh.fileno())
    if snap_target:
        link_into(target, snap_target)
    return st.st_size, st.st_mtime_ns


def _write_doc_file(store: str, first: int, entries: list[bytes], snap: str | None = None):
    data = doc_file_bytes(entries)
    st = write_file(doc_path(store, first), data, doc_path(snap, first) if snap else None)
    return len(data), st


@functools.lru_cache(maxsize=1)
def cache_salt() -> bytes:
    """Cached gram keys, doc-store entries and index files are valid only for the same folding, text
    extraction, encoding and format."""
    h = hashlib.sha1(f"{FORMAT}".encode())
    h.update(code_version("outputs/search").encode())
    try:
        from importlib.metadata import version

        h.update(version("opencc-python-reimplemented").encode())
    except Exception:  # noqa: BLE001 - not installed as a distribution: the source hash still applies
        pass
    return h.digest()


def _doc_hash(d: SearchDoc) -> str:
    """A hash of everything of a record that its gram keys and doc-store entry depend on (computed for
    every record by every build: SHA-256, faster than SHA-1 where the CPU has SHA extensions; the body
    by its digest, which a record brings from the parse cache)."""
    h = hashlib.sha256(cache_salt())
    h.update("\x1e".join((d.title, d.url, d.date, "\x1f".join(d.tags), d.summary, d.index_no, d.doc_no,
                          d.department_name, d.department, "\x1f".join(d.domains), d.validity, d.consultation,
                          "")).encode("utf-16-le", "surrogatepass"))
    h.update((d.body_digest or hashlib.sha256(body_utf8(d.body)).hexdigest()).encode("ascii"))
    return h.hexdigest()[:40]


def doc_hashes(docs: list[SearchDoc]) -> list[str]:
    if isinstance(docs, DocFile):
        return docs.hashes  # made as the file was read: its documents come without bodies in a loop
    cache_salt()
    return [_doc_hash(d) for d in docs]


class DocFile:
    """The index's documents in a file, a pickle per CHUNK of them (`DocFile.write`), for a process that
    builds the index from it (writer.start_beside_pages): it holds every document without its body
    (what a loop over it gives: the facets and meta.js need no body), and one chunk with bodies, which
    indexing gives (`docs[i]`, `docs[a:b]`), at a time."""

    CHUNK = 1_000

    @staticmethod
    def write(docs: list[SearchDoc], path: str) -> None:
        with open(path, "wb") as fh:
            for a in range(0, len(docs), DocFile.CHUNK):  # a pickler per chunk: its memo holds the chunk only
                pickle.dump(docs[a:a + DocFile.CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)

    def __init__(self, path: str):
        self.hashes: list[str] = []
        self._offsets: list[int] = []
        self._light: list[SearchDoc] = []
        self._chunk: tuple[int, list] = (-1, [])
        cache_salt()
        self._fh = open(path, "rb")  # kept open: the file may be removed meanwhile (writer.build_from_file)
        while True:
            at = self._fh.tell()
            try:
                chunk = pickle.load(self._fh)
            except EOFError:
                break
            self._offsets.append(at)
            self.hashes += [_doc_hash(d) for d in chunk]
            for d in chunk:
                d.body = ""
            self._light += chunk

    def close(self) -> None:
        self._fh.close()

    def __len__(self) -> int:
        return len(self._light)

    def __iter__(self):
        return iter(self._light)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indexes; IndexError past the end
        c = i // self.CHUNK
        if self._chunk[0] != c:
            self._fh.seek(self._offsets[c])
            self._chunk = (c, pickle.load(self._fh))
        return self._chunk[1][i - c * self.CHUNK]


class Entry(NamedTuple):
    """A record's part of the index, kept in the cache by the hash of its content (doc_hashes)."""
    keys: np.ndarray  # sorted distinct gram keys (uint64)
    levels: np.ndarray  # the best level of each (uint8)
    chars: int  # characters of text indexed
    doc: bytes  # its doc-store entry (_doc_entry)
    words: tuple | None = None  # record_words' (words, n1, n2), when computed and the keys fit them


def entry_path(cache: str, h: str) -> str:
    return os.path.join(cache, h[:2], h + ".keys")


def read_entry(cache: str, h: str) -> Entry | None:
    """A record's cached entry, or None."""
    try:
        with open(entry_path(cache, h), "rb") as fh:
            raw = fh.read()
        n, n1, n2, c, m = struct.unpack_from("<QQQQQ", raw)
        if n1:
            uk, lv = keys_of_words(np.frombuffer(raw, dtype=np.uint32, count=n, offset=40), n1, n2)
            at = 40 + 4 * n
        else:
            uk = np.frombuffer(raw, dtype=np.uint64, count=n, offset=40)
            lv = np.frombuffer(raw, dtype=np.uint8, count=n, offset=40 + 8 * n)
            at = 40 + 9 * n
        doc = raw[at:at + m]
        if len(doc) != m:
            return None
        return Entry(uk, lv, c, doc)
    except (OSError, struct.error, ValueError, IndexError):
        return None


def compute_entry(d: SearchDoc) -> Entry:
    body, shown = markdown_texts(d.markdown())  # the text indexed; the same words with table cells kept apart
    texts = d.field_texts(body)
    codes = [fold_codes(t) for t in texts]  # TITLE, META, BODY
    words = record_words(codes)
    uk, lv = keys_of_words(*words) if words else _record_keys_wide(codes)
    return Entry(uk, lv, sum(map(len, texts)), _doc_entry(d, shown), words)


_SEP = np.array([32], dtype=np.uint32)
_MARK = np.zeros(0x10000, dtype=bool)  # scratch: the characters of one record
_LOCAL = np.zeros(0x10000, dtype=np.uint32)  # scratch: character → its rank among the record's characters


def run_starts(a: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it, and at the start: the first of each run of
    equal values (of a sorted array: of each distinct value)."""
    out = np.empty(len(a), dtype=bool)
    out[:1] = True
    np.not_equal(a[1:], a[:-1], out=out[1:])
    return out


def _first_of_each(c: np.ndarray) -> np.ndarray:
    """Sorted `gram << 2 | level` values → the first (best level) of each gram."""
    return c if len(c) < 2 else c[run_starts(c >> 2)]


def record_keys(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A record's sorted distinct gram keys and the best level of each, from the folded code points of
    its three field texts (TITLE, META, BODY): the same as np.unique over the three texts' _keys, the
    first occurrence giving the level."""
    words = record_words(codes)
    return keys_of_words(*words) if words else _record_keys_wide(codes)


def record_words(codes: list[np.ndarray]) -> tuple[np.ndarray, int, int] | None:
    """A record's grams keyed by its own alphabet, when its text is of BMP characters only (nearly all)
    and has at most 1,024 distinct ones (a record uses a few hundred): (uint32 words, n1, n2), the words
    being its n1 characters (code point << 2 | best level), sorted, then its distinct bigrams up to n2
    (rank << bits + 2 | rank << 2 | level, sorted), then its trigrams (three ranks and the level). None
    otherwise (_record_keys_wide).

    Two short 32-bit sorts instead of one of ~10,000 64-bit keys (a third of the time); and 4 bytes a gram
    in the cache file (write_entry) instead of 9: at 100,000 records a cold build wrote ~4.5 GB of them.
    Character ranks keep the order of code points, and every character key sorts before every bigram
    key, which sorts before every trigram key, so keys_of_words gives the sorted whole."""
    a = np.concatenate((codes[0], _SEP, codes[1], _SEP, codes[2]))
    if a.max() >= 0x10000:
        return None
    ok = a != _SPACE
    _MARK[a] = True
    _MARK[32] = False
    u = np.flatnonzero(_MARK)
    _MARK[u] = False
    nd = len(u)
    bits = max(1, int(nd - 1).bit_length())  # a character rank takes `bits` bits
    if not nd or 3 * bits + 2 > 32:
        return None
    _LOCAL[u] = np.arange(nd, dtype=np.uint32)
    la = _LOCAL[a]
    o1 = len(codes[0]) + 1
    o2 = o1 + len(codes[1]) + 1
    best = np.full(nd, 3, dtype=np.uint32)  # characters: the best level of each, one assignment per level
    for level, lo, hi in ((2, o2, len(a)), (1, o1, o2 - 1), (0, 0, o1 - 1)):
        best[la[lo:hi][ok[lo:hi]]] = level
    lv_pos = np.zeros(len(a), dtype=np.uint32)
    lv_pos[o1:] = 1
    lv_pos[o2:] = 2
    pair = ok[:-1] & ok[1:]
    cb = ((la[:-1] << (bits + 2)) | (la[1:] << 2) | lv_pos[:-1])[pair]
    cb.sort()
    cb = _first_of_each(cb)
    trio = pair[:-1] & pair[1:]
    ct = (la[:-2] << (2 * bits + 2)) | (la[1:-1] << (bits + 2)) | (la[2:] << 2) | lv_pos[:-2]
    ct = ct[trio]
    ct.sort()
    ct = _first_of_each(ct)
    return np.concatenate(((u.astype(np.uint32) << 2) | best, cb, ct)), nd, nd + len(cb)


def keys_of_words(words: np.ndarray, n1: int, n2: int) -> tuple[np.ndarray, np.ndarray]:
    """record_words' words → (sorted gram keys, their levels)."""
    bits = max(1, (n1 - 1).bit_length())
    mask = np.uint32((1 << bits) - 1)
    alpha = (words[:n1] >> 2).astype(np.uint64)
    big, tri = words[n1:n2], words[n2:]
    bkeys = (alpha[big >> (bits + 2)] << _SHIFT) | alpha[(big >> 2) & mask]
    tkeys = (_TRI | (alpha[tri >> (2 * bits + 2)] << np.uint64(32)) | (alpha[(tri >> (bits + 2)) & mask] << np.uint64(16))
             | alpha[(tri >> 2) & mask])
    return np.concatenate((alpha, bkeys, tkeys)), (words & 3).astype(np.uint8)


def _record_keys_wide(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """record_keys for text with characters outside the BMP: one sort of 64-bit `key << 2 | level`."""
    c = np.concatenate([(_keys(a) << np.uint64(2)) | np.uint64(level) for level, a in enumerate(codes)])
    c.sort()
    c = _first_of_each(c)
    return c >> np.uint64(2), (c & np.uint64(3)).astype(np.uint8)


def write_entry(cache: str, h: str, entry: Entry) -> None:
    """A new file, as an output file is (write_file), not a temporary one renamed: a file cut short (a
    killed build) is None to read_entry, whose doc entry comes last, and is computed and written again
    (a cold build at 10,000 records made 10,000 files and renamed them: ~3% of its samples)."""
    if entry.words is None:
        parts = [struct.pack("<QQQQQ", len(entry.keys), 0, 0, entry.chars, len(entry.doc)),
                 entry.keys.tobytes(), entry.levels.tobytes(), entry.doc]
    else:
        words, n1, n2 = entry.words
        parts = [struct.pack("<QQQQQ", len(words), n1, n2, entry.chars, len(entry.doc)), words.tobytes(), entry.doc]
    write_file(entry_path(cache, h), b"".join(parts))


def _extract(start: int, end: int, docs: list[SearchDoc], hashes: list[str] | None, store: str, cache: str | None,
             spill: str | None, snap: str | None = None):
    """Records [start, end) (`docs`, and their `hashes` with a cache) → a _Run of their postings, and their
    doc-store files (`start` is a multiple of DOCS_PER_FILE). In a worker, `docs` is (file, offset): the
    parent pickled every task's records to a file before forking, so that neither side writes the
    reference counts of the records the other shares (each page written would be copied: at 100,000
    records the workers' copies took ~400 MB each, and the parent's, pickling while they ran, 1.2 GB).
    With `cache`, a
    record whose content was indexed before (same hash) reuses its gram keys and doc-store entry. With
    `spill`, the run goes to a file there (bounded memory). With `snap`, every doc-store file is also
    linked there (the cache's copy of the output; see incremental.py) and its (size, mtime) returned."""
    if isinstance(docs, tuple):  # (file, offset): the records and hashes, pickled there by the parent
        with open(docs[0], "rb") as fh:
            fh.seek(docs[1])
            docs, hashes = pickle.load(fh)
    keys = []
    counts = np.zeros(end - start, dtype=np.int64)
    doc_bytes = chars = hits = 0
    doc_stats = []
    packed: list[bytes] = []  # the doc-store entries of the current file
    for i in range(start, end):
        entry = read_entry(cache, hashes[i - start]) if cache else None
        if entry is None:
            entry = compute_entry(docs[i - start])
            if cache:
                write_entry(cache, hashes[i - start], entry)
        else:
            hits += 1
        uk, lv, c, doc = entry[:4]
        keys.append((uk << np.uint64(2)) | lv)
        counts[i - start] = len(uk)
        chars += c
        packed.append(doc)
        if (i + 1) % DOCS_PER_FILE == 0 or i + 1 == end:
            size, st = _write_doc_file(store, i, packed, snap)
            doc_bytes += size
            doc_stats.append(st)
            packed = []
    return _Run.make(start, keys, counts, spill), doc_bytes, chars, doc_stats, hits


_REC_BITS = 11  # a run's records fit beside its keys in 64 bits up to 2,048 of them (tasks hold ~1,500)
_LOW61 = np.uint64((1 << 61) - 1)
_LOW51 = np.uint64((1 << 51) - 1)


def _sort_postings(ck: np.ndarray, rec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Postings (composite key `gram << 2 | level`, record) sorted by key, then record; `ck` is sorted in
    place (the caller's array is consumed). A composite key takes at most 44 bits, or 51 for a trigram
    without its flag (bit 61): with the flag moved to bit 62 and the record in the low 11 bits, one sort
    of the packed values, 40% faster than a stable argsort and the two gathers it needs. Packing keeps
    each record's keys in order (the flag stays the highest bit), so the values are one sorted run a
    record: a stable sort (timsort) merges the runs, in a third of the time of the default quicksort
    (0.14 against 0.40 s for a task's 6.2 million).

    The packing is done in place: a task's arrays are ~50 MB each, and numpy asks the kernel for huge
    pages for such arrays, so each fresh temporary was mapped and zeroed anew (a quarter of a
    one-process index build's samples went to zeroing them, and system time varied with the memory's
    fragmentation)."""
    if int(rec[-1]) >= 1 << _REC_BITS:
        order = np.argsort(ck, kind="stable")  # per-record keys come sorted: timsort merges the runs
        return ck[order], rec[order]
    tri = ck >= np.uint64(1 << 61)  # a byte a posting; with the records (2 bytes) below, the only temporaries
    np.bitwise_and(ck, _LOW61, out=ck)
    np.left_shift(ck, np.uint64(_REC_BITS), out=ck)
    np.bitwise_or(ck, np.uint64(1 << 62), out=ck, where=tri)
    np.bitwise_or(ck, rec, out=ck)
    ck.sort(kind="stable")
    rec = ck.astype(np.uint16)  # the low 16 bits
    np.bitwise_and(rec, np.uint16((1 << _REC_BITS) - 1), out=rec)
    np.greater_equal(ck, np.uint64(1 << 62), out=tri)
    np.right_shift(ck, np.uint64(_REC_BITS), out=ck)
    np.bitwise_and(ck, _LOW51, out=ck)
    np.bitwise_or(ck, np.uint64(1 << 61), out=ck, where=tri)
    return ck, rec


class _Run:
    """The postings of records [start, start + ~Parallelism.search_docs_per_task), sorted by (gram key << 2 | level, record),
    stored compactly: the distinct composite keys `uck`, the end offset of each one's records `ends`, and
    the records `rec` as offsets from `start` (uint16): ~2 bytes a posting instead of 12 (a task's
    1,500 records hold ~6 million postings but only ~140,000 distinct composite keys). Either in memory
    or in one file (uck, ends, rec one after the other)."""

    __slots__ = ("ends", "m", "n", "path", "rec", "sample", "start", "uck")

    @classmethod
    def make(cls, start: int, keys: list[np.ndarray], counts: np.ndarray, spill: str | None) -> _Run:
        ck = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
        keys.clear()
        if len(counts) > 1 << 16:
            raise ValueError("a run holds at most 65,536 records")
        rec = np.repeat(np.arange(len(counts), dtype=np.uint16), counts)
        if len(ck):
            ck, rec = _sort_postings(ck, rec)
            first = np.flatnonzero(run_starts(ck))
            uck = ck[first]
            ends = np.append(first[1:], len(ck)).astype(np.int64)
            sample = ck[::max(1, PARTITION_POSTINGS // 64)].copy()
        else:
            uck, ends, sample = ck, np.zeros(0, np.int64), ck
        del ck
        run = cls()
        run.start, run.m, run.n, run.sample = start, len(uck), len(rec), sample
        if spill:
            run.path = os.path.join(spill, f"run-{start:09d}.bin")
            with open(run.path, "wb") as fh:
                fh.write(uck.tobytes())
                fh.write(ends.tobytes())
                fh.write(rec.tobytes())
            run.uck = run.ends = run.rec = None
        else:
            run.path, run.uck, run.ends, run.rec = None, uck, ends, rec
        return run

    def keys_and_ends(self) -> tuple[np.ndarray, np.ndarray]:
        if self.path is None:
            return self.uck, self.ends
        with open(self.path, "rb") as fh:
            return np.fromfile(fh, np.uint64, self.m), np.fromfile(fh, np.int64, self.m)

    def read(self, lo: int, hi: int, elo: int, ehi: int):
        """Composite keys [lo, hi), the end offsets of their records, and those records (global ids)."""
        if self.path is None:
            uck, ends, rec = self.uck[lo:hi], self.ends[lo:hi], self.rec[elo:ehi]
        else:
            with open(self.path, "rb") as fh:
                fh.seek(8 * lo)
                uck = np.fromfile(fh, np.uint64, hi - lo)
                fh.seek(8 * (self.m + lo))
                ends = np.fromfile(fh, np.int64, hi - lo)
                fh.seek(16 * self.m + 2 * elo)
                rec = np.fromfile(fh, np.uint16, ehi - elo)
        return uck, ends, rec.astype(np.int32) + np.int32(self.start)


# -- phase 2: every (gram, level) posting list encoded at once, vectorised (see encode.py) ----------------
def encode_groups(ck: np.ndarray, rec: np.ndarray) -> tuple[np.ndarray, np.ndarray, bytes]:
    """Sorted (key << 2 | level, record) pairs → (group composite keys, group end offsets, text buffer).

    Byte-for-byte the same as encode.encode_ids on every group (the tests check it)."""
    n = len(ck)
    if n == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), b""
    starts = np.flatnonzero(run_starts(ck))
    group_end, out, _ = _encode_sorted(starts, np.asarray(rec), None)
    return ck[starts], group_end, out


_DOT = ord(encode.SEP)


def _encode_sorted(starts: np.ndarray, rec: np.ndarray, dots: np.ndarray | None):
    """Posting lists given as group start offsets into `rec` (ascending records within each group) →
    (end offset of each group's text, the texts one after the other, the texts' length without dots).
    With `dots`, each group's text is preceded by that many `.` (the separators of a gram's entry)."""
    n = len(rec)
    rec64 = rec.astype(np.int64)
    counts = np.diff(starts, append=n)
    gap = np.empty(n, dtype=np.int64)  # each id minus the previous id minus 1 (the first: the id itself)
    gap[0] = rec64[0]
    np.subtract(rec64[1:], rec64[:-1], out=gap[1:])
    gap[1:] -= 1
    gap[starts] = rec64[starts]
    nd = np.ones(n, dtype=np.int64)  # 5-bit digits of each gap
    bound = 32
    while True:
        more = gap >= bound
        if not more.any():
            break
        nd += more
        bound <<= 5
    del more
    gap_len = np.add.reduceat(nd, starts)
    bitmap_len = rec64[starts + counts - 1] // 6 + 2
    use_bitmap = bitmap_len < gap_len
    text_len = np.where(use_bitmap, bitmap_len, gap_len)
    group_len = text_len if dots is None else text_len + dots
    group_end = np.cumsum(group_len)
    text_start = group_end - text_len
    out = np.zeros(int(group_end[-1]), dtype=np.uint8)
    if dots is not None:
        for k in range(int(dots.max()) if len(dots) else 0):
            has = dots > k
            out[text_start[has] - 1 - k] = _DOT
    as_gaps = np.repeat(~use_bitmap, counts)
    # gap-encoded groups: digit k of each number, most significant first, flagged +32 unless last
    before = np.cumsum(nd)
    before -= nd  # characters of all earlier numbers
    last = before + np.repeat(text_start - before[starts], counts)  # where each number starts
    last += nd
    last -= 1  # where it ends
    del before
    if not as_gaps.all():
        last, g, d = last[as_gaps], gap[as_gaps], nd[as_gaps]
    else:
        g, d = gap, nd
    del gap, nd
    out[last] = _ALPHA[g & 31]
    k = 1
    while True:
        more = np.flatnonzero(d > k)
        if not len(more):
            break
        last, g, d = last[more] - 1, g[more] >> 5, d[more]  # one digit further left
        out[last] = _ALPHA[(g & 31) | 32]
        k += 1
    # bitmap groups: "~", then 6 records per character (empty characters are "A", value 0)
    if use_bitmap.any():
        out[text_start[use_bitmap]] = ord(encode.BITMAP)
        sel = ~as_gaps
        r = rec64[sel]
        cells = np.repeat(text_start[use_bitmap] + 1, counts[use_bitmap]) + r // 6
        bits = np.left_shift(1, r % 6)
        first = np.flatnonzero(run_starts(cells))
        out[cells[first]] = _ALPHA[np.bitwise_or.reduceat(bits, first)]
        out[out == 0] = _ALPHA[0]  # what no number, dot, "~" or bit wrote: the empty characters of bitmaps
    return group_end, out.tobytes(), int(text_len.sum())


def shards_of(keys: np.ndarray, shards: int) -> np.ndarray:
    """encode.shard_of for every gram key at once (FNV-1a over the gram's code points)."""
    prime, mask = np.uint64(0x01000193), np.uint64(0xFFFFFFFF)
    tri = (keys & _TRI) != 0
    c1 = np.where(tri, (keys >> np.uint64(32)) & np.uint64(0xFFFF), keys >> _SHIFT)
    c2 = np.where(tri, (keys >> np.uint64(16)) & np.uint64(0xFFFF), np.uint64(0))
    c3 = np.where(tri, keys & np.uint64(0xFFFF), keys & np.uint64(0x1FFFFF))
    h = np.full(len(keys), 0x811C9DC5, dtype=np.uint64)
    for c, present in ((c1, c1 != 0), (c2, tri), (c3, np.ones(len(keys), dtype=bool))):
        h[present] = ((h[present] ^ c[present]) * prime) & mask
    return (h % np.uint64(shards)).astype(np.int64)


def key_gram(key: int) -> str:
    if key & (1 << 59):
        return chr((key >> 32) & 0xFFFF) + chr((key >> 16) & 0xFFFF) + chr(key & 0xFFFF)
    c1 = key >> 21
    return (chr(c1) if c1 else "") + chr(key & 0x1FFFFF)


def shard_count(total_bytes: int) -> int:
    n = 1
    while n * TARGET_SHARD_BYTES < total_bytes and n < 1 << 16:
        n <<= 1
    return n


def split_ranges(n: int, parts: int, align: int = 1) -> list[tuple[int, int]]:
    """About `parts` consecutive ranges covering [0, n), each starting at a multiple of `align`."""
    if not n:
        return []
    step = -(-n // parts)
    step = -(-step // align) * align
    return [(a, min(n, a + step)) for a in range(0, n, step)]


PARTITION_POSTINGS = 2_000_000  # postings merged and encoded at a time (bounds the temporaries' memory)
ENCODE_RANGES_PER_WORKER = 8  # key ranges an encoding worker takes before a fresh one replaces it


PARTITIONS = "search.partitions"  # what the encoding workers inherit (parallel.py): the runs, their
# bounds (per run: composite-key offsets and record offsets of every partition's start, and the end), the spill folder


def _encode_partition(p: int):
    """Key range p of every run → (its grams' keys, the end offset of each one's entry, the entries one after
    the other — bytes, or (file, offset) when spilling —, encoded bytes without separators), in key order."""
    runs, bounds, spill = parallel.inherited(PARTITIONS)
    pu, pc, pr = [], [], []
    for run, (bu, be) in zip(runs, bounds):
        lo, hi = int(bu[p]), int(bu[p + 1])
        if hi > lo:
            uck, ends, rec = run.read(lo, hi, int(be[p]), int(be[p + 1]))
            pu.append(uck)
            pc.append(np.diff(ends, prepend=be[p]))
            pr.append(rec)
    if not pu:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), b"", 0
    # merge: the runs' lists of one composite key, in run (so record) order, one after the other
    blocks_key, blocks_n, rec = np.concatenate(pu), np.concatenate(pc), np.concatenate(pr)
    del pu, pc, pr
    uck, rank = np.unique(blocks_key, return_inverse=True)
    order = np.argsort(rank, kind="stable")
    n_sorted = blocks_n[order]
    dst = np.cumsum(n_sorted) - n_sorted
    src = (np.cumsum(blocks_n) - blocks_n)[order]
    perm = np.repeat(src - dst, n_sorted)
    perm += np.arange(len(rec))
    rec = rec[perm]
    del perm
    sorted_rank = rank[order]
    first = run_starts(sorted_rank)
    starts = dst[first]  # of each composite key's list
    del order, n_sorted, dst, src, sorted_rank, first, rank, blocks_key, blocks_n
    # a gram's entry: its level lists joined by ".", empty trailing lists dropped (encode.encode_entry)
    gkeys = uck >> np.uint64(2)
    level = (uck & np.uint64(3)).astype(np.int64)
    new = run_starts(gkeys)
    dots = level.copy()
    dots[1:][~new[1:]] -= level[:-1][~new[1:]]
    group_end, buf, encoded = _encode_sorted(starts, rec, dots)
    del rec
    firsts = np.flatnonzero(new)
    gram_end = group_end[np.append(firsts[1:], len(uck)) - 1]
    if spill:
        path = os.path.join(spill, f"entries-{os.getpid()}.bin")
        with open(path, "ab") as fh:
            offset = fh.tell()
            fh.write(buf)
        buf = (path, offset)
    return gkeys[firsts], gram_end, buf, encoded


def _encode_runs(runs: list, total: int, workers: int = 1, spill: str | None = None):
    """Merge the sorted runs of the workers and encode every gram's entry, a key range at a time (key
    ranges in parallel when `workers` > 1). Returns (_Entries, gram count, shard count, encoded bytes);
    the shard count is chosen from the encoded size, known at the end."""
    runs = [r for r in runs if r.n]
    parts = max(1, -(-total // PARTITION_POSTINGS))
    if parts > 1 and runs:
        sample = np.sort(np.concatenate([r.sample for r in runs]))
        cuts = sample[(np.arange(1, parts) * len(sample)) // parts] & ~np.uint64(3)  # all levels of a gram together
        cuts = np.unique(cuts)
    else:
        cuts = np.zeros(0, np.uint64)
    bounds = []
    for run in runs:
        uck, ends = run.keys_and_ends()
        lo = np.searchsorted(uck, cuts, side="left")
        elo = np.where(lo > 0, ends[np.maximum(lo - 1, 0)], 0) if len(ends) else np.zeros(len(lo), np.int64)
        bounds.append((np.concatenate(([0], lo, [run.m])), np.concatenate(([0], elo, [run.n]))))
        del uck, ends
    with parallel.handed_down(PARTITIONS, (runs, bounds, spill)):
        if workers > 1 and len(cuts) >= 1:
            # a worker is replaced after a few key ranges: each range's temporaries are spread over the
            # heap it inherited, and a long-lived worker ended up holding ~0.7 GB of it at 100,000 records
            with parallel.fork_pool(workers, maxtasksperchild=ENCODE_RANGES_PER_WORKER) as pool:
                results = pool.map(_encode_partition, range(len(cuts) + 1), chunksize=1)
        else:
            results = [_encode_partition(p) for p in range(len(cuts) + 1)]
    entries = _Entries(results)
    shards = shard_count(entries.encoded + 12 * entries.n)
    return entries, entries.n, shards, entries.encoded


class _Entries:
    """Every gram's key and entry, in key order: the entries stay bytes (in memory, or in the partitions'
    files when spilling), read a shard at a time."""

    def __init__(self, results):
        self.keys = np.concatenate([r[0] for r in results]) if results else np.zeros(0, np.uint64)
        self.n = len(self.keys)
        self.encoded = sum(r[3] for r in results)
        self.bufs, self.where, self.start, self.end = [], [], [], []
        for r in results:
            gram_end, buf = r[1], r[2]
            if isinstance(buf, tuple):
                path, base = buf
                if path not in self.bufs:
                    self.bufs.append(path)
                src = self.bufs.index(path)
            else:
                base = 0
                self.bufs.append(buf)
                src = len(self.bufs) - 1
            self.where.append(np.full(len(gram_end), src, dtype=np.int32))
            start = np.zeros(len(gram_end), dtype=np.int64)
            start[1:] = gram_end[:-1]
            self.start.append(start + base)
            self.end.append(gram_end + base)
        cat = (lambda xs, t: np.concatenate(xs) if xs else np.zeros(0, t))
        self.where, self.start, self.end = cat(self.where, np.int32), cat(self.start, np.int64), cat(self.end, np.int64)

    def shards(self, shards: int):
        """(shard, {gram: entry} sorted by gram) for every shard, in order."""
        sid = shards_of(self.keys, shards)
        order = np.argsort(sid, kind="stable")
        bounds = np.searchsorted(sid[order], np.arange(shards + 1)).tolist()
        fds = [os.open(b, os.O_RDONLY) if isinstance(b, str) else None for b in self.bufs]
        try:
            for s in range(shards):
                idx = order[bounds[s]:bounds[s + 1]]
                items = []
                for k, w, a, b in zip(self.keys[idx].tolist(), self.where[idx].tolist(), self.start[idx].tolist(),
                                      self.end[idx].tolist()):
                    fd = fds[w]
                    raw = self.bufs[w][a:b] if fd is None else os.pread(fd, b - a, a)
                    items.append((key_gram(k), raw.decode("ascii")))
                items.sort()
                yield s, dict(items)
        finally:
            for fd in fds:
                if fd is not None:
                    os.close(fd)


SPILL_POSTINGS = 20_000_000  # above this many (estimated) postings, runs go to temporary files


def clear_output(out: Path) -> None:
    for ours in ("g", "d"):  # only our own files: with directory URLs the results page lives here too
        if (out / ours).exists():
            shutil.rmtree(out / ours)
    for name in ("meta.js", "facets.js"):
        if (out / name).exists():
            os.unlink(out / name)


def full_build(docs, hashes, out: Path, departments, domains, par: Parallelism, cache, snapshot: bool,
                started: float, world: str | None = None) -> BuildStats:
    clear_output(out)
    (out / "g").mkdir(parents=True)
    (out / "d").mkdir()
    stats = BuildStats(records=len(docs), mode="full")
    translate_table()  # build the fold tables once, before any fork, so workers inherit them
    _fold_lut()
    snap = None
    if snapshot:
        snap = start_snapshot(cache)
    workers = stats.workers = par.processes(len(docs), par.search_min_docs)
    spill_dir = tempfile.mkdtemp(prefix=".search-runs-", dir=out) if len(docs) * 4000 > SPILL_POSTINGS else None
    task_dir = spill_dir or (tempfile.mkdtemp(prefix=".search-runs-", dir=out) if workers > 1 else None)

    t0 = time.perf_counter()
    try:
        ranges = split_ranges(len(docs), max(workers * 4, -(-len(docs) // par.search_docs_per_task)), DOCS_PER_FILE)
        rest = (str(out), cache, spill_dir, snap)
        discarding = None
        if workers > 1:
            tasks_file = os.path.join(task_dir, "tasks.pickle")
            tasks = []
            with open(tasks_file, "wb") as fh:  # see _extract
                for a, b in ranges:
                    tasks.append((a, b, (tasks_file, fh.tell()), None, *rest))
                    pickle.dump((docs[a:b], hashes[a:b] if cache else None), fh, protocol=pickle.HIGHEST_PROTOCOL)
            with parallel.fork_pool(workers) as pool:
                if snap:  # the previous snapshot's files go while the workers work (no fork while it runs)
                    discarding = discard_old_snapshot(cache)
                parts = pool.starmap(_extract, tasks, chunksize=1)  # one task's records pickled at a time
            del tasks
        else:
            if snap:
                discard_old_snapshot(cache).join()
            # a task's documents taken when it runs (from a DocFile: one chunk's bodies at a time)
            parts = [_extract(a, b, docs[a:b], hashes[a:b] if cache else None, *rest) for a, b in ranges]
        if discarding is not None:
            discarding.join()
        t1 = time.perf_counter()
        stats.doc_bytes = sum(p[1] for p in parts)
        stats.text_chars = sum(p[2] for p in parts)
        doc_stats = [st for p in parts for st in p[3]]
        stats.cache_hits = sum(p[4] for p in parts)
        runs = [p[0] for p in parts]
        del parts
        stats.postings = sum(r.n for r in runs)
        entries, stats.grams, stats.shards, encoded = _encode_runs(runs, stats.postings, workers, spill_dir)
        del runs
        t2 = time.perf_counter()
        digests, shard_stats = [], []
        for s, shard in entries.shards(stats.shards):  # a shard at a time: the entries stay bytes until then
            data = shard_bytes(s, shard)
            shard_stats.append(write_file(str(out / "g" / f"{s}.js"), data,
                                          os.path.join(snap, "g", f"{s}.js") if snap else None))
            stats.shard_bytes += len(data)
            digests.append(hashlib.sha1(data).hexdigest())
        entries = None
    finally:
        if task_dir:
            shutil.rmtree(task_dir, ignore_errors=True)
    if snap:  # only the build holding the cache's lock: another one may still need the old entries
        _collect_garbage(cache, set(hashes))
    t3 = time.perf_counter()
    tables = js_tables()
    stats.meta_bytes = write_meta(out, docs, hashes, digests, departments, domains, stats.shards, tables, cache,
                                  world)
    if snap:
        finish_snapshot(cache, snap, {
            "n": len(docs), "shards": stats.shards, "grams": stats.grams, "encoded": encoded,
            "postings": stats.postings, "text_chars": stats.text_chars, "hashes": hashes,
            "shard_sha1": digests, "shard_stat": shard_stats, "doc_stat": doc_stats, "fold": tables,
        }, _fold_lut(), cache_salt().hex(), FORMAT)
    stats.seconds = {"hash": round(t0 - started, 2), "extract": round(t1 - t0, 2), "encode": round(t2 - t1, 2),
                     "write": round(t3 - t2, 2), "total": round(time.perf_counter() - started, 2)}
    return stats


def shard_bytes(s: int, entries: dict[str, str]) -> bytes:
    """Shard file s: `entries` (gram → entry) must be sorted by gram."""
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    return f"__dxSearch.shard({s},{body});\n".encode("utf-8")


META_KEPT = "meta-by-world"  # in the cache folder: meta.js's and facets.js's objects by world (write_meta)


def write_meta(out: Path, docs, hashes, shard_digests, departments, domains, shards: int, tables,
               cache: str | None = None, world: str | None = None) -> int:
    """meta.js and facets.js (their bytes); the build id is a digest of every shard and every record (so
    of every file). `world`: the key of what the documents are made of but the records' bodies
    (writer._world_key), when known: both objects are made of no body, so under a world of one of the
    last builds (a KeyMemo in `cache`) they are taken as they were, and `docs` is not read (making
    100,000 documents and these objects from them took ~2 s of a one-edit build)."""
    kept = KeyMemo(Path(cache) / META_KEPT) if cache and world else KeyMemo(None)
    known = kept.load(hashlib.sha256(repr((world, shards, departments, domains, json.dumps(tables, sort_keys=True))
                                          ).encode()).hexdigest())
    if known:
        meta, facets = known["meta"], known["facets"]
    else:
        meta, facets = _meta(list(docs), departments, domains, shards, "", tables)
        kept.save({"meta": meta, "facets": facets})
    facet_data = ("__dxSearch.facets(" + json.dumps(facets, separators=(",", ":")) + ");\n").encode("ascii")
    fingerprint = hashlib.sha1("".join(shard_digests).encode())
    for h in hashes:  # doc files too: the build id busts browser caches whenever any file changed
        fingerprint.update(h.encode())
    fingerprint.update(facet_data)  # and facets.js (a record's project, 公报期号… are in no doc hash)
    meta["build"] = fingerprint.hexdigest()[:12]
    text = "__dxSearch.meta(" + json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + ");\n"
    data = text.encode("utf-8")
    write_file(str(out / "meta.js"), data)
    write_file(str(out / "facets.js"), facet_data)
    return len(data) + len(facet_data)


def _meta(docs: list[SearchDoc], departments, domains, shards: int, build: str, tables: dict) -> tuple[dict, dict]:
    """(meta.js's object, facets.js's: see facets.py)."""
    dep_ids = {d: i for i, (d, _) in enumerate(departments)}
    dom_ids = {d: i for i, (d, _) in enumerate(domains)}
    for d in docs:  # records may name ids the caller did not list; keep them findable
        if d.department not in dep_ids:
            dep_ids[d.department] = len(departments)
            departments = [*departments, (d.department, d.department_name)]
        for dm in d.domains:
            if dm not in dom_ids:
                dom_ids[dm] = len(domains)
                domains = [*domains, (dm, dm)]
    years = sorted({d.year for d in docs})
    y0 = years[0] if years else 0
    val_code = {v: i for i, v in enumerate(VALIDITIES)}
    con_code = {v: i for i, v in enumerate(CONSULTATIONS)}
    projects = project_names(docs)
    prj_code = {v: i for i, v in enumerate(projects)}
    labelled, labelled_codes = _labelled_facets(docs)
    facets = facet_file.pack(
        [dep_ids[d.department] for d in docs],
        [tuple(dom_ids[x] for x in d.domains) or (0,) for d in docs],  # no domain: counted under the first
        [("year", [d.year - y0 for d in docs], (years[-1] - y0 + 1) if years else 1),
         ("val", [val_code.get(d.validity, val_code[""]) for d in docs], len(VALIDITIES)),
         ("prj", [prj_code[d.project] if d.project else 0 for d in docs], len(projects)),
         ("con", [con_code.get(d.consultation, con_code[""]) for d in docs], len(CONSULTATIONS)),
         *((x["key"], labelled_codes[x["key"]], len(x["values"]) + 1) for x in labelled)])
    return {
        "format": FORMAT,
        "build": build,
        "labelledFacets": labelled,
        "n": len(docs),
        "shards": shards,
        "docsPerDir": DOCS_PER_DIR,
        "docsPerFile": DOCS_PER_FILE,
        "fold": tables,
        "departments": [list(x) for x in departments],
        "domains": [list(x) for x in domains],
        "validities": list(VALIDITIES),
        "consultations": [consultations.LABELS.get(k, "") for k in CONSULTATIONS],  # the 意见征集 facet's names
        "consultationKeys": list(CONSULTATIONS),  # a doc entry's "c" is one of these
        "year0": y0,
        "projects": projects,
    }, facets


# facets with one value or none per record, shown with their labels (search.js adds them to its own):
# (key, label, the value of a SearchDoc, the order of the values, a value's label). search.js keeps each
# facet's codes on its engine under the key: a key must not be a name the engine has (doc, meta, …)
LABELLED_FACETS = (
    ("gaz", "公报期号", lambda d: d.gazette, lambda vs: sorted(vs, reverse=True), issue_label),
    ("subj", "主题分类", lambda d: d.subject,
     lambda vs: sorted(vs, key=lambda v: (SUBJECTS.index(v) if v in SUBJECTS else len(SUBJECTS), v)), str),
    ("dtype", "文件类型", lambda d: d.doc_type, lambda vs: [t for t in DOC_TYPES if t in vs], str),
)


def _labelled_facets(docs: list[SearchDoc]) -> tuple[list[dict], dict]:
    """([{key, label, values}] for the page, {key: every record's code} for facets.js): a record's code
    is 1 + the index of its value, 0 when it has none; a facet no record has is left out."""
    shown, codes = [], {}
    for key, label, value_of, order, name in LABELLED_FACETS:
        values = order({v for v in (value_of(d) for d in docs) if v})
        if not values:
            continue
        index = {v: n + 1 for n, v in enumerate(values)}
        shown.append({"key": key, "label": label, "values": [name(v) for v in values]})
        codes[key] = [index.get(value_of(d), 0) for d in docs]
    return shown, codes


def project_names(docs: list[SearchDoc]) -> list[str]:
    """The 项目 facet's values: "" (no project) first, then every project's name, sorted."""
    return ["", *sorted({d.project for d in docs if d.project})]


def _collect_garbage(cache: str, used: set[str]) -> None:
    """Remove the cache entries this build did not use (records changed or gone)."""
    for sub in os.scandir(cache):
        if len(sub.name) != 2 or not sub.is_dir():  # the record entries' folders (00-ff), nothing else
            continue
        for entry in os.scandir(sub.path):
            if entry.name.split(".", 1)[0] not in used:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
