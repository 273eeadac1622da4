"""Cross-checks between records and the catalogue, and loading a whole project in one call."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from . import boundary, privacy
from .catalogue import Catalogue, load_catalogue
from .problems import ERROR, Problems
from .records import Record, find_record_files, read_record


@dataclass
class Project:
    catalogue: Catalogue
    records: list[Record]
    problems: Problems
    withheld: frozenset[str] = frozenset()  # content files MkDocs would copy and must not (boundary.py)


def check_records(cat: Catalogue, records: list[Record], rel_of, problems: Problems) -> list[Record]:
    """Validate records against the catalogue and each other; returns the records that are usable."""
    by_index: dict[str, Record] = {}
    good = []
    for r in records:
        rel = rel_of(r)
        ok = not r.broken
        if not r.index_no:
            pass
        elif r.index_no in by_index:
            other = by_index[r.index_no]
            problems.error(rel, r.lines.get("index_no"), f"索引号“{r.index_no}”重复，已被 {rel_of(other)} 使用",
                           "索引号必须唯一且永久不变：请给其中一条分配新的索引号（disclosure new 会分配下一个可用号）")
            ok = False
        else:
            by_index[r.index_no] = r
        dep = cat.departments.get(r.department)
        if dep is None and r.department:  # a missing one is reported as a missing required field
            problems.error(rel, r.lines.get("department"), f"发布机构“{r.department}”不存在",
                           _known(cat.departments, "catalogue/departments.yml"))
            ok = False
        elif dep is None:
            ok = False
        for d in r.domains:
            if d not in cat.domains:
                problems.error(rel, r.lines.get("domains"), f"重点领域“{d}”不存在",
                               _known(cat.domains, "catalogue/domains.yml"))
                ok = False
            elif dep is not None and d not in dep.domains:
                problems.error(rel, r.lines.get("domains"),
                               f"发布机构“{dep.name}”的责任清单中没有领域“{cat.domains[d].name}”（{d}）",
                               f"更正 domains，或在 catalogue/departments.yml 中为 {dep.id} 的 domains 加上 {d}")
                ok = False
        if r.item:
            item = cat.items.get(r.item)
            if item is None:
                problems.error(rel, r.lines.get("item"), f"公开事项“{r.item}”不存在",
                               _known(cat.items, "catalogue/items.yml"))
                ok = False
            else:
                if dep is not None and dep.id not in item.departments:
                    problems.warning(rel, r.lines.get("item"),
                                     f"发布机构“{dep.name}”不是公开事项“{item.name}”的公开主体",
                                     f"核对 item，或在 catalogue/items.yml 中为 {item.id} 的 departments 加上 {dep.id}")
                if item.domain not in r.domains:
                    problems.warning(rel, r.lines.get("item"),
                                     f"公开事项“{item.name}”属于领域“{item.domain}”，但本记录的 domains 中没有它",
                                     f"在 domains 中加上 {item.domain}")
        else:
            problems.warning(rel, r.lines.get("title"), "记录没有关联公开事项（item）",
                             "加上“item: 公开事项 id”（见 catalogue/items.yml），它才会计入公开事项目录和考核")
        if ok:
            good.append(r)
    for r in good:
        if r.interprets:
            if r.interprets == r.index_no:
                problems.error(rel_of(r), r.lines.get("interprets"), "interprets 指向了本记录自己",
                               "interprets 应写被解读政策的索引号")
            elif r.interprets not in by_index:
                problems.error(rel_of(r), r.lines.get("interprets"),
                               f"interprets 指向的索引号“{r.interprets}”不存在",
                               "写被解读政策记录的 index_no，并确认该政策已发布")
    return good


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for module in ("records.py", "privacy.py", "yamlsrc.py", "dates.py", "bodies.py", "boundary.py"):
        h.update((here / module).read_bytes())
    return h.hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


SAVE_AFTER_CHANGES = 50


class ParseCache:
    """Parsed records (and the problems found in each file) keyed by the file's size and mtime, so a
    rebuild re-reads only what changed. Cross-checks against the catalogue always run again."""

    def __init__(self, path: Path | None):
        self.path = path
        self.version = _code_version()
        self.entries: dict = {}
        self.used: dict = {}
        self.changed = 0
        if path and path.is_file():
            try:
                with path.open("rb") as fh:
                    data = pickle.load(fh)
                if data.get("version") == self.version:
                    self.entries = data["entries"]
            except Exception:  # a damaged cache is only a slower build
                self.entries = {}

    def get(self, src: str, abs_path: Path, docs_dir: Path):
        entry = self.entries.get(src)
        # files with errors are read again: the fix may be elsewhere (an attachment added); a file's
        # warnings are about what it says itself
        if (entry is None or entry[1] is None or any(p.level == ERROR for p in entry[2])
                or entry[0] != _stamp(abs_path)):
            return None
        if [_stamp(docs_dir / a.path) for a in entry[1].attachments] != entry[3]:
            return None
        return entry

    def put(self, src: str, abs_path: Path, docs_dir: Path, record, problems: list, entry=None) -> None:
        if entry is not None:  # unchanged since the last run
            self.used[src] = entry
            return
        stamps = [_stamp(docs_dir / a.path) for a in record.attachments] if record else []
        self.used[src] = (_stamp(abs_path), record, problems, stamps)
        self.changed += 1

    def save(self) -> None:
        # a few files read again next time cost less than rewriting the whole cache (0.4 s at 10,000)
        if not self.path or (self.entries and self.changed < SAVE_AFTER_CHANGES
                             and len(self.entries.keys() - self.used.keys()) < SAVE_AFTER_CHANGES):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump({"version": self.version, "entries": self.used}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


def load_project(docs_dir: Path, catalogue_dir: Path, root: Path | None = None,
                 records_dir: str = "records", cache_path: Path | None = None) -> Project:
    """Read and validate the catalogue and every record. Problems are collected, never raised.
    With `cache_path`, files unchanged since the last run are not parsed again."""
    root = root or catalogue_dir.parent

    def rel_path(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    cat, problems = load_catalogue(catalogue_dir, rel_path(catalogue_dir))
    docs_rel = rel_path(docs_dir)
    records = []
    cache = ParseCache(cache_path)
    files = find_record_files(docs_dir, records_dir)
    entries = [cache.get(src_path, abs_path, docs_dir) for abs_path, src_path in files]
    todo = [(str(abs_path), src_path) for (abs_path, src_path), e in zip(files, entries) if e is None]
    parsed = dict(_parse_all(todo, docs_dir, docs_rel))
    for (abs_path, src_path), entry in zip(files, entries):
        if entry is not None:
            rec, found = entry[1], entry[2]
        else:
            rec, found = parsed[src_path]
        cache.put(src_path, abs_path, docs_dir, rec, found, entry)
        problems.items.extend(found)
        if rec is not None:
            records.append(rec)
    cache.save()
    parsed = list(records)
    records = check_records(cat, records, lambda r: f"{docs_rel}/{r.src_path}", problems)
    records.sort(key=Record.sort_key)
    # what may leave the project at all: links, files nothing references, editors' temporary files
    files = boundary.scan(docs_dir, root, records_dir, parsed, docs_rel, private=(catalogue_dir,))
    problems.extend(files.problems)
    records = [r for r in records if r.src_path not in files.withheld]  # e.g. a linked .md from outside
    return Project(cat, records, problems, frozenset(files.withheld))


def _parse_one(abs_path: str, src_path: str, docs_dir: Path, docs_rel: str):
    mine = Problems()
    rec = read_record(Path(abs_path), src_path, f"{docs_rel}/{src_path}", docs_dir, mine)
    if rec is not None:
        privacy.check_record(rec, f"{docs_rel}/{src_path}", mine)  # 保密审查: refuse personal numbers
    return src_path, (rec, mine.items)


PARALLEL_PARSE_MIN = 2000  # fewer files than this: forking costs more than it saves


def _parse_chunk(args):
    chunk, docs_dir, docs_rel = args
    return [_parse_one(a, s, docs_dir, docs_rel) for a, s in chunk]


def _parse_all(todo: list[tuple[str, str]], docs_dir: Path, docs_rel: str):
    """Parse records, on every core when there are many (a first build of a large site)."""
    workers = os.cpu_count() or 1
    if len(todo) < PARALLEL_PARSE_MIN or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_parse_one(a, s, docs_dir, docs_rel) for a, s in todo]
    # chunks of ~1,000 files: this process unpickles each chunk's records while the workers parse the next
    size = max(200, min(1000, len(todo) // (workers * 4)))
    chunks = [(todo[i:i + size], docs_dir, docs_rel) for i in range(0, len(todo), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [row for rows in pool.imap(_parse_chunk, chunks) for row in rows]


def _known(table: dict, where: str) -> str:
    ids = sorted(table)
    shown = ", ".join(ids[:40]) + (" …" if len(ids) > 40 else "")
    return f"可用的 id（见 {where}）：{shown}" if ids else f"{where} 中还没有定义任何条目"
