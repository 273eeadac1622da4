"""Cross-checks between records and the catalogue, and loading a whole project in one call."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import pickle
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import parallel
from ..parallel import Parallelism
from . import (annual_reports, boundary, charset, consultations, datasets, gazette, plausible, policy, privacy, projects,
               suggest, tasks, yamlsrc)
from .sanitize import describe, has_markup, plain_text, unpublished_markup
from .catalogue import Catalogue, load_catalogue
from .codeversion import code_version
from .dates import SHANGHAI
from .problems import ERROR, Problems
from .records import (NOT_YET, PLACEHOLDER, BodyUtf8, Record, SavedBody, digest_of, not_yet_problem, read_record,
                      record_file_paths, split_front_matter)


@dataclass
class Project:
    catalogue: Catalogue
    records: list[Record]  # what is published: valid, dated on or before the build day
    problems: Problems
    scheduled: list[Record] = field(default_factory=list)  # valid, dated after the build day (定时发布)
    build_day: dt.date | None = None
    withheld: frozenset[str] = frozenset()  # content files MkDocs would copy and must not (boundary.py)
    rel_of: object = field(default=None, repr=False)  # record -> the path the editor knows
    annual_reports: list = field(default_factory=list)  # 年度报告 (sources/annual_reports.py)
    gazette: list = field(default_factory=list)  # 政府公报 issues, oldest first (gazette.py)
    datasets: datasets.Datasets | None = None  # 数据开放 / 双公示 (datasets.py)
    # every record file as parsed (ParseCache entries): `disclosure serve` hands them to its next build
    parsed: dict = field(default_factory=dict, repr=False)
    # the ordinary pages' bodies and first lines, by their path in the content folder (check_pages)
    pages: dict = field(default_factory=dict, repr=False)
    # (page, target) of the links told to go nowhere when the project was read (boundary.Scan.missing_links,
    # links_to_scheduled): MkDocs' English line for them is not said too
    missing_links: frozenset = frozenset()

    def plan_inputs(self) -> tuple:
        """Every field pipeline.plan reads: the plan, and so every page's context, is made of these and
        the site's options alone (the page cache's keys rely on it: fingerprints.world). The records by
        the digest of their fields (records.digest_of): the plan reads no body, and sets only their URLs
        (describing each record apart took 0.5 s at 100,000)."""
        return (self.catalogue, digest_of(self.records), self.build_day, self.annual_reports, self.gazette,
                self.datasets)

    def scheduled_lines(self) -> list[str]:
        """One line per record held back until its day: “定时发布：… 将于 YYYY-MM-DD 发布，本次不发布”."""
        return [plausible.scheduled_line(self.rel_of(r), r) for r in self.scheduled]


def today() -> dt.date:
    """The build day when none is pinned: today in Asia/Shanghai."""
    return dt.datetime.now(SHANGHAI).date()


_INDEX_NAMES = ("index.md", "README.md")


def one_page_for_two(srcs: list[str], use_directory_urls: bool) -> dict[str, tuple[str, str]]:
    """The Markdown files (paths in the content folder) whose page MkDocs writes where another file's
    goes (plan/urls.py page_dest), each to (the other file, that page). README.md beside index.md:
    MkDocs makes README.md the folder's index page and leaves it out. With directory URLs, foo.md
    beside foo/index.md (or foo/README.md): both are foo/index.html, and the page written last wins.
    Set lookups, not page_dest for every file (0.17 s at 100,000 records, in every build)."""
    indexes: dict[str, dict[str, str]] = {}  # folder -> {"index.md"|"README.md": path}
    for src in srcs:
        if src.endswith(_INDEX_NAMES):
            folder, name = src.rpartition("/")[::2]
            if name in _INDEX_NAMES:
                indexes.setdefault(folder, {})[name] = src
    found = {}
    for folder, names in indexes.items():
        if len(names) == 2:
            found[names["README.md"]] = (names["index.md"], f"{folder}/index.html" if folder else "index.html")
    if use_directory_urls and indexes:
        for src in srcs:
            folder, name = src.rpartition("/")[::2]
            if name not in _INDEX_NAMES:
                inner = f"{folder}/{name[:-3]}" if folder else name[:-3]
                kept = indexes.get(inner)
                if kept:
                    found[src] = (kept.get("index.md") or kept["README.md"], f"{inner}/index.html")
    return found


def _same_page_error(problems: Problems, rel: str, other_rel: str, page: str) -> None:
    problems.error(rel, 1, f"与 {other_rel} 对应同一个网页（{page}），无法同时发布",
                   "把其中一个文件改为别的文件名（例如按发布日期和事由命名），再重新生成")


def check_records(cat: Catalogue, records: list[Record], rel_of, problems: Problems,
                  same_page: dict[str, tuple[str, str]] | None = None) -> list[Record]:
    """Validate records against the catalogue and each other; returns the records that are usable.
    `same_page`: one_page_for_two of every Markdown file."""
    by_index: dict[str, Record] = {}
    good = []
    same_page = same_page or {}
    for r in records:
        rel = rel_of(r)
        ok = not r.broken
        if r.src_path in same_page:  # the file MkDocs would leave out or write over gets the error
            other, page = same_page[r.src_path]
            _same_page_error(problems, rel, f"{rel[:-len(r.src_path)]}{other}", page)
            ok = False
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
                           _known(cat.departments, "catalogue/departments.yml", r.department))
            ok = False
        elif dep is None:
            ok = False
        for d in r.domains:
            if d not in cat.domains:
                problems.error(rel, r.lines.get("domains"), f"重点领域“{d}”不存在",
                               _known(cat.domains, "catalogue/domains.yml", d))
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
                               _known(cat.items, "catalogue/items.yml", r.item))
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
                               suggest.with_suggestion(r.interprets, {k: v.title for k, v in by_index.items()},
                                                       "写被解读政策记录的 index_no，并确认该政策已发布"))
    return good


def _stamp(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


SAVE_AFTER_CHANGES = 50
SAVE_PART = 1_000  # entries per pickle in the cache file
# Record fields whose values repeat from record to record (the front matter's line numbers follow a few
# layouts; a department, its domains, a date recur): ParseCache.put gives equal values one object, which
# the cache file then holds once per part and its reader makes once, not once per record (at 100,000
# records the `lines` dicts alone were 0.2 s of a 1.5 s load). None of these is changed after parsing.
REPEATED_FIELDS = ("lines", "department", "domains", "item", "genre", "validity", "doc_type", "date", "written")


@contextlib.contextmanager
def _collector_paused():
    """Unpickling makes a million objects and no cycles (the parse cache read, the records the workers
    parsed), nor does putting them in the cache (ParseCache.put): the cycle collector, run again and
    again as they pile up, only costs time (a third of the cache's load at 10,000 records; at 100,000 a
    first read's records took 5 s of full collections in `disclosure check`). When objects are frozen
    already (a build's parallel.CollectorHold), the new ones join them: else the first collection
    after the pause walks them all (0.4 s at 100,000 records)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if parallel.objects_frozen():
            gc.freeze()
        if was:
            gc.enable()


def _own_theme(theme_dir: Path | None, root: Path, rel_path) -> tuple[Path | None, str]:
    """The theme folder and its project-relative name when the project holds it (a theme installed as a
    package, or the tool's own, is not the project's to check)."""
    if theme_dir is None or not _in_project(theme_dir, root):
        return None, ""
    return theme_dir, rel_path(theme_dir)


def _in_project(path: Path, root: Path) -> bool:
    return boundary.is_inside(os.path.realpath(path), str(root.resolve()))


class ParseCache:
    """Parsed records (and the problems found in each file) keyed by the file's size and mtime, so a
    rebuild re-reads only what changed. Cross-checks against the catalogue always run again."""

    def __init__(self, path: Path | None, known: dict | None = None):
        """`known`: the entries of the last build in this process (`Project.parsed`), instead of the
        file's; each is checked against its file all the same."""
        self.path = path
        self.version = code_version("sources")  # every module parsed records depend on
        self.entries: dict = dict(known) if known is not None else {}
        self.used: dict = {}
        self.changed = 0
        self._same: dict[str, dict] = {name: {} for name in REPEATED_FIELDS}  # (put)
        if known is None and path and path.is_file():
            try:
                with path.open("rb") as fh, _collector_paused():
                    head = pickle.load(fh)
                    if head.get("version") == self.version:
                        bodies = _Bodies.reader(path.parent / head["bodies"])
                        entries: dict = {}
                        for _ in range(head["parts"]):
                            entries.update(bodies.unpickler(fh).load())
                        if bodies.whole():
                            self.entries = entries
            except Exception:  # a damaged cache is only a slower build
                self.entries = {}

    def get(self, src: str, abs_path: Path | str, docs_dir: Path):
        entry = self.entries.get(src)
        # files with errors are read again: the fix may be elsewhere (an attachment added); a file's
        # warnings are about what it says itself
        if (entry is None or entry[1] is None or any(p.level == ERROR for p in entry[2])
                or entry[0] != _stamp(abs_path)):
            return None
        # the files the record offers for download (attachments, body links): the privacy guard read them
        if [_stamp(docs_dir / p) for p in entry[4]] != entry[3]:
            return None
        return entry

    def put(self, src: str, abs_path: Path | str, docs_dir: Path, record, problems: list, entry=None,
            downloads: list[str] = ()) -> None:
        if entry is not None:  # unchanged since the last run
            self.used[src] = entry
            return
        downloads = list(downloads)
        if record is not None:
            self._share(record)
        self.used[src] = (_stamp(abs_path), record, problems, [_stamp(docs_dir / p) for p in downloads], downloads)
        self.changed += 1

    def _share(self, record) -> None:
        """The record's REPEATED_FIELDS made the objects equal values of records put before have."""
        fields = record.__dict__
        for name, same in self._same.items():
            value = fields[name]
            fields[name] = same.setdefault(tuple(value.items()) if name == "lines" else value, value)

    def save(self) -> None:
        # a few files read again next time cost less than rewriting the whole cache (0.4 s at 10,000)
        if not self.path or (self.entries and self.changed < SAVE_AFTER_CHANGES
                             and len(self.entries.keys() - self.used.keys()) < SAVE_AFTER_CHANGES):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        # in parts of SAVE_PART entries, each its own pickle: a pickle keeps every object it wrote alive
        # until it ends (its memo), the UTF-8 copy of each body included: ~1 GB at 100,000 records
        items = list(self.used.items())
        parts = [items[i:i + SAVE_PART] for i in range(0, len(items), SAVE_PART)]
        bodies = _Bodies.writer(self.path)
        with tmp.open("wb") as fh, bodies:
            pickle.dump({"version": self.version, "parts": len(parts), "bodies": bodies.name}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
            for part in parts:
                bodies.pickler(fh).dump(part)
        os.replace(tmp, self.path)
        bodies.remove_others()
        # from now on the records read their bodies from the file, like records read from the cache
        bodies.let_go([entry[1] for _, entry in items if entry[1] is not None])


class _Bodies:
    """The records' bodies in a file of their own beside the parse cache, each pickled as where it is
    (records.SavedBody): the cache is read on every build, a body only when a page needs it. Each save
    writes a new file, named in the cache's head: a record read before still reads its body from the
    file it came from, which stays open."""

    def __init__(self, path: Path, file):
        self.path, self.name, self.file = path, path.name, file
        self.written: list[tuple[int, int]] = []  # (offset, length) of each body, in the order pickled
        self.last: tuple[int, int] | None = None  # (offset, length) of the last body unpickled

    @classmethod
    def reader(cls, path: Path) -> "_Bodies":
        return cls(path, path.open("rb"))

    @classmethod
    def writer(cls, cache_path: Path) -> "_Bodies":
        path = cache_path.with_name(f"{cache_path.stem}-{os.urandom(6).hex()}.bodies")
        return cls(path, path.open("wb"))

    def unpickler(self, fh) -> pickle.Unpickler:
        unpickler = pickle.Unpickler(fh)
        file = self.file

        def saved(at):
            self.last = at  # bodies were written in the order they are read: the last one ends the file
            return SavedBody(file, at[0], at[1])

        unpickler.persistent_load = saved
        return unpickler

    def whole(self) -> bool:
        """Whether the file holds the last body read so far (a file cut short is the cache's to drop, not
        a body that fails its digest later)."""
        at = self.last
        return at is None or at[0] + at[1] <= os.fstat(self.file.fileno()).st_size

    def pickler(self, fh) -> pickle.Pickler:
        pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
        file = self.file

        def saved(obj):
            if obj.__class__ is not BodyUtf8:  # a record's body (Record.__getstate__)
                return None
            at = file.tell()
            file.write(obj)
            self.written.append((at, len(obj)))
            return (at, len(obj))

        pickler.persistent_id = saved
        return pickler

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        self.file.close()
        if kind is not None:
            self.path.unlink(missing_ok=True)

    def let_go(self, records: list) -> None:
        """After a save: each record (in the order pickled, one body each) reads its body from the file
        written, which stays open while they need it."""
        if len(records) != len(self.written):  # not one body per record: keep the texts
            return
        file = self.path.open("rb")
        for record, (at, length) in zip(records, self.written):
            record.keep_body_at(SavedBody(file, at, length))

    def remove_others(self) -> None:
        """The files of earlier saves (a process that still reads one keeps it open)."""
        for other in self.path.parent.glob(self.path.name.rsplit("-", 1)[0] + "-*.bodies"):
            if other != self.path:
                with contextlib.suppress(OSError):
                    other.unlink()


def load_project(docs_dir: Path, catalogue_dir: Path, root: Path | None = None,
                 records_dir: str = "records", cache_path: Path | None = None,
                 build_day: dt.date | None = None, config_file: Path | None = None,
                 par: Parallelism = parallel.DEFAULT, parsed: dict | None = None,
                 use_directory_urls: bool = False, theme_dir: Path | None = None,
                 hooks: tuple[Path, ...] = (), files_cache: Path | None = None) -> Project:
    """Read and validate the catalogue and every record. Problems are collected, never raised.
    With `cache_path`, files unchanged since the last run are not parsed again (`parsed`: the last
    run's `Project.parsed`, kept in memory by `disclosure serve`, instead of the file). Records dated after
    `build_day` (default: today in Asia/Shanghai) are held back in `Project.scheduled`. The privacy
    guard also reads the ordinary pages, the catalogue's texts, `config_file`'s (mkdocs.yml) and the
    files of `theme_dir` (theme.custom_dir) and the `hooks` files (mkdocs.yml `hooks:`) the project holds:
    its own code for its pages. The guard's findings in downloadable files are kept by each file's content
    in `files_cache` (default: `privacy/` beside `cache_path`)."""
    root = root or catalogue_dir.parent

    def rel_path(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    cat, problems = load_catalogue(catalogue_dir, rel_path(catalogue_dir))
    cat.projects = projects.load_projects(catalogue_dir, rel_path(catalogue_dir), cat, problems)  # 重大建设项目
    cat.tasks = tasks.load_tasks(catalogue_dir, rel_path(catalogue_dir), cat, problems)  # 重点工作任务
    docs_rel = rel_path(docs_dir)
    issues = gazette.load_gazette(catalogue_dir, rel_path(catalogue_dir), docs_dir, docs_rel, problems)
    records = []
    cache = ParseCache(cache_path, parsed if cache_path else None)
    files = record_file_paths(docs_dir, records_dir, root)
    entries = [cache.get(src_path, abs_path, docs_dir) for abs_path, src_path in files]
    todo = [(abs_path, src_path) for (abs_path, src_path), e in zip(files, entries) if e is None]
    if files_cache is None and cache_path is not None:
        files_cache = cache_path.parent / "privacy"
    scanner = privacy.FileScanner(files_cache, root=root)
    parsed = dict(_parse_all(todo, docs_dir, docs_rel, scanner, par))
    offered: set[str] = set()
    with _collector_paused():
        for (abs_path, src_path), entry in zip(files, entries):
            if entry is not None:
                rec, found, downloads = entry[1], entry[2], entry[4]
            else:
                rec, found, downloads = parsed[src_path]
            cache.put(src_path, abs_path, docs_dir, rec, found, entry, downloads)
            offered.update(downloads)
            problems.items.extend(found)
            if rec is not None:
                records.append(rec)
    cache.save()

    def rel_of(r: Record) -> str:
        return f"{docs_rel}/{r.src_path}"

    # what may leave the project at all: links, files nothing references, editors' temporary files
    files = boundary.scan(docs_dir, root, records_dir, records, docs_rel, private=(catalogue_dir,),
                          also=frozenset(i.pdf for i in issues if i.pdf), folder_pages=use_directory_urls)
    problems.extend(files.problems)
    # 保密审查 beyond the records: ordinary pages, catalogue, mkdocs.yml, other published files
    privacy.check_site(privacy.SiteTexts(
        docs_dir, docs_rel, records_dir, catalogue_dir, rel_path(catalogue_dir),
        config_file, rel_path(config_file) if config_file else "mkdocs.yml", offered,
        frozenset(files.withheld), *_own_theme(theme_dir, root, rel_path),
        tuple((hook, rel_path(hook)) for hook in hooks if _in_project(hook, root))), problems, scanner)
    pages = check_pages(docs_dir, records_dir, docs_rel, problems)
    same_page = one_page_for_two([*pages, *(r.src_path for r in records)], use_directory_urls)
    for src in pages:
        if src not in same_page:
            continue
        (other, page), rel = same_page[src], f"{docs_rel}/{src}"
        if src.rpartition("/")[2] == "README.md":  # MkDocs leaves it out, and says so: a note kept for editors
            problems.warning(rel, 1, f"不会发布：与 {docs_rel}/{other} 对应同一个网页（{page}），MkDocs 只发布后者",
                             "如需发布，把它改为别的文件名；只供编辑阅读的说明可以保留")
        else:
            _same_page_error(problems, rel, f"{docs_rel}/{other}", page)
    plausible.check_interprets_loops(records, rel_of, problems)
    records = check_records(cat, records, rel_of, problems, same_page)
    policy.check_replaces(records, rel_of, problems)  # 政策文件库
    projects.check_records(cat, records, rel_of, problems)  # 重大建设项目: project, stage
    tasks.check_records(cat, records, rel_of, problems)  # 重点工作任务: tasks
    consultations.check_links(records, rel_of, problems)  # 意见征集: feedback_for → a consultation
    gazette.check_records(issues, records, rel_of, problems, frozenset(files.withheld), rel_path(catalogue_dir))
    build_day = build_day or today()
    records, scheduled = plausible.hold_back(records, build_day, rel_of, problems)
    to_later = boundary.links_to_scheduled(records, scheduled, docs_rel, problems, pages)
    records = [r for r in records if r.src_path not in files.withheld]  # e.g. a linked .md from outside
    records.sort(key=Record.sort_key)
    scheduled.sort(key=lambda r: (r.date, r.index_no))
    reports = annual_reports.load_annual_reports(docs_dir, docs_rel, cat.departments, problems)  # 年度报告
    annual_reports.check_against_records(reports, records, problems)
    reports = [r for r in reports if r.date <= build_day]  # 定时发布, as records
    withheld = frozenset(files.withheld | annual_reports.withheld_paths(docs_dir))
    data = datasets.load_datasets(catalogue_dir, docs_dir, rel_path(catalogue_dir), docs_rel, cat, problems, build_day)
    return Project(cat, records, problems, scheduled, build_day, withheld, rel_of, reports, issues, datasets=data,
                   parsed=cache.used, pages=pages,
                   missing_links=frozenset(files.missing_links | to_later))


def read_one_record(abs_path: Path, src_path: str, docs_dir: Path, docs_rel: str):
    """One record file read and checked on its own, as `load_project` reads each (the privacy guard and
    the sanitization policy included; not the checks across records): (record or None, problems,
    the files it offers). `disclosure serve` uses it to show an edited body at once."""
    return _parse_one(str(abs_path), src_path, docs_dir, docs_rel)[1]


def _parse_one(abs_path: str, src_path: str, docs_dir: Path, docs_rel: str, scanner=None):
    mine = Problems()
    rec = read_record(Path(abs_path), src_path, f"{docs_rel}/{src_path}", docs_dir, mine)
    downloads: list[str] = []
    if rec is not None:  # 保密审查: refuse personal numbers, in the record and the files it offers
        privacy.check_record(rec, f"{docs_rel}/{src_path}", mine, docs_dir=docs_dir, docs_rel=docs_rel,
                             scanner=scanner)
        downloads = privacy.record_downloads(rec, docs_dir)
        clean_record(rec, f"{docs_rel}/{src_path}", mine)
        unwritten_body(rec, f"{docs_rel}/{src_path}", mine)
        rec.keep_front_digest()
    return src_path, (rec, mine.items, downloads)


def unwritten_body(rec: Record, rel: str, problems: Problems) -> None:
    """A body still holding `disclosure new`'s placeholder is not published: an error at its line (found
    when the file is read, and so kept in the parse cache: searching every body took 0.5 s at 100,000
    records)."""
    if PLACEHOLDER in rec.body:
        at = rec.body_line + rec.body[:rec.body.index(PLACEHOLDER)].count("\n")
        problems.error(rel, at, "正文还是 disclosure new 生成的占位文字，尚未撰写",
                       f"在这里撰写正文，并删除以“{PLACEHOLDER}”开头的这一段")
        rec.broken = True


# text fields a record shows (ids are checked against the catalogue instead)
_RECORD_TEXT = ("title", "index_no", "doc_no", "summary", "genre", "interprets", "tags",
                "subject", "source", "gazette_section")
UNPUBLISHED_LINES_SHOWN = 10


def clean_record(rec: Record, rel: str, problems: Problems) -> None:
    """The one sanitization policy (sanitize.py) on a record: markup written into a text field is
    removed from it (a warning names the field), and what the body's sanitizing will drop is named."""
    for name in _RECORD_TEXT:
        value = getattr(rec, name)
        values = value if isinstance(value, tuple) else (value,)
        if any(has_markup(v) for v in values):
            cleaned = tuple(plain_text(v) for v in values)
            if name == "title" and not cleaned[0]:
                problems.error(rel, rec.lines.get(name), "标题（title）除去 HTML 标记后没有文字",
                               "title 只写纯文字，例如 title: 市财政局2024年部门预算公开")
                rec.broken = True
            setattr(rec, name, tuple(v for v in cleaned if v) if isinstance(value, tuple) else cleaned[0])
            problems.warning(rel, rec.lines.get(name), f"字段 {name} 中的 HTML 标记或注释不会发布，只保留其中的文字",
                             f"{name} 只写纯文字；内部意见不要写进记录文件")
    if any(has_markup(a.title) for a in rec.attachments):
        rec.attachments = tuple(replace(a, title=plain_text(a.title) or a.path.rsplit("/", 1)[-1])
                                for a in rec.attachments)
        problems.warning(rel, rec.lines.get("attachments"), "附件名称中的 HTML 标记或注释不会发布，只保留其中的文字",
                         "附件的 title 只写纯文字")
    body_problems(rec.body, rec.body_line, rel, problems)


def body_problems(body: str, first_line: int, rel: str, problems: Problems) -> None:
    """A warning naming what sanitizing drops from a Markdown body (a script, a frame, …), with its lines."""
    found = unpublished_markup(body)
    if not found:
        return
    lines = sorted({first_line + line for line, _ in found})
    shown = "、".join(str(n) for n in lines[:UNPUBLISHED_LINES_SHOWN]) + ("……" if len(lines) > UNPUBLISHED_LINES_SHOWN else "")
    problems.warning(rel, lines[0], f"正文中的 {describe(found)} 不会发布（第 {shown} 行）",
                     "网页正文不能嵌入脚本、样式、框架、表单或可执行的链接：删除它们；需要展示的内容请改写为文字、"
                     "图片或附件")


def check_pages(docs_dir: Path, records_dir: str, docs_rel: str, problems: Problems) -> dict[str, tuple[str, int]]:
    """Ordinary pages (every Markdown file outside the records folder): front matter meant to keep the
    page back, what sanitizing drops, and links a reader cannot open (as in records). Returns each
    one's body and its first line, by its path in the content folder."""
    records = os.path.normpath(docs_dir / records_dir)
    pages = {}
    for folder, subdirs, names in os.walk(docs_dir):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".")
                            and os.path.normpath(os.path.join(folder, d)) != records)
        for name in sorted(names):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(folder, name)
            src = path.relative_to(docs_dir).as_posix()
            rel = f"{docs_rel}/{src}"
            try:
                text = charset.text_or_problem(path.read_bytes(), rel, problems)  # MkDocs said it in English
            except OSError:
                continue  # MkDocs reports a file it cannot read
            if text is None:
                continue
            _not_yet_in_page(text, rel, problems)
            body_problems(text, 1, rel, problems)
            body, body_line = split_front_matter(text.replace("\r\n", "\n"))[1:]
            pages[src] = (body, body_line)
            for line, message, hint in boundary.body_link_problems(body, posixpath.dirname(src), body_line, "本页"):
                problems.warning(rel, line, message, hint)
    return pages


def _not_yet_in_page(text: str, rel: str, problems: Problems) -> None:
    """An error for front matter that other tools read as "do not publish" (records.NOT_YET)."""
    front = split_front_matter(text.replace("\r\n", "\n"))[0]
    if not front or not any(key in front for key in NOT_YET):
        return
    try:
        meta = yamlsrc.load(front, line_offset=1)
    except yamlsrc.YamlError:
        return  # MkDocs reports front matter it cannot read
    if isinstance(meta, dict):
        for key, value in meta.items():
            held = not_yet_problem(key, value)
            if held:
                problems.error(rel, meta.line_of(key) or 2, *held)


def _parse_chunk(args):
    chunk, docs_dir, docs_rel, scanner = args
    return [_parse_one(a, s, docs_dir, docs_rel, scanner) for a, s in chunk]


def _parse_all(todo: list[tuple[str, str]], docs_dir: Path, docs_rel: str, scanner, par: Parallelism):
    """Parse records, on every core when there are many (a first build of a large site)."""
    workers = par.processes(len(todo), par.parse_min_files)
    if workers < 2:
        return [_parse_one(a, s, docs_dir, docs_rel, scanner) for a, s in todo]
    # chunks of ~1,000 files: this process unpickles each chunk's records while the workers parse the next
    size = max(200, min(1000, len(todo) // (workers * 4)))
    chunks = [(todo[i:i + size], docs_dir, docs_rel, scanner) for i in range(0, len(todo), size)]
    # paused after the fork, in this process only: the workers' own collections cost little (~0.5 s each
    # at 100,000 records), and left on, nothing a parse might leave in a cycle piles up for the whole run
    with parallel.fork_pool(workers) as pool, _collector_paused():
        return [row for rows in pool.imap(_parse_chunk, chunks) for row in rows]


def _known(table: dict, where: str, value: str = "") -> str:
    ids = sorted(table)
    shown = ", ".join(ids[:40]) + (" …" if len(ids) > 40 else "")
    rest = f"可用的 id（见 {where}）：{shown}" if ids else f"{where} 中还没有定义任何条目"
    return suggest.with_suggestion(value, {k: v.name for k, v in table.items()}, rest)
