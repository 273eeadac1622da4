"""The MkDocs plugin `disclosure`: adapts the pure core to MkDocs events and nothing more."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import html
import io
import json
import logging
import os
import pickle
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

import yaml
from .. import host  # first: MkDocs, or ProperDocs behind the mkdocs.* names
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs import utils as mkdocs_utils
from mkdocs.structure.files import File, Files, InclusionLevel

from ..outputs import admin, feedwriter, feeds, policyfiles, search
from ..plan import annual_reports, applyform, consultations, library, navigation, projects, report, sitemap, tasks
from ..plan.pages import PageSpec, record_context
from ..plan.urls import LISTING_FOLDERS, Links, page_dest, sources_of
from ..render import anchors, caches, csp, fingerprints, fragments, htmlout, mdsafe, offline, pool, progress, reuse, tables
from ..render.background import Background, BackgroundError
from ..sources import boundary, validate
from ..sources.dates import SHANGHAI
from ..sources.problems import ERROR, ContentError, Problems
from ..sources.sanitize import plain_text, sanitize
from .. import pipeline
from ..parallel import CollectorHold, Parallelism
from .config import DisclosureConfig

log = logging.getLogger("mkdocs.plugins.disclosure")


WARNINGS_SHOWN = 30
# the generated pages _default_nav names itself; other in-nav pages (政府公报 …) follow them
_NAV_KINDS = frozenset({"home", "catalogue", "report", "domains", "departments", "tags", "years", "subscribe",
                        "policies"})
THEME_DIR = Path(__file__).resolve().parents[2] / "theme"
MATERIAL_FAVICON = "assets/images/favicon.png"


def _unused_material_assets(config) -> tuple[str, ...]:
    """Folders and name prefixes of Material's assets that no page of this site loads: its search worker
    and lunr's languages (36 files, 1.17 MB), unless Material's search plugin is on or Material's own
    configuration block is kept (the same test as theme/main.html's `block config`, which otherwise
    names no worker); its palette stylesheet (2 files, 15 kB), unless a palette is set (theme/base.html)."""
    unused = []
    extra = config.extra
    if not ("material/search" in config.plugins or extra.get("version") or extra.get("annotate")
            or extra.get("tags")):
        unused += ["assets/javascripts/workers/", "assets/javascripts/lunr/"]
    if not config.theme.get("palette"):
        unused.append("assets/stylesheets/palette.")
    return tuple(unused)


def _docs_rel(config) -> str:
    """The docs folder as problems name it: relative to mkdocs.yml's folder (content), else its name."""
    root = Path(config.config_file_path or ".").resolve().parent
    docs = Path(config.docs_dir).resolve()
    return docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.name


def _translations(env, language: str):
    """Material's lang.t(key), each key worked out once per build: Material's macro builds a table of
    every string on each call, ten calls a page."""
    try:
        own = env.get_template(f"partials/languages/{language}.html").module
    except Exception:  # noqa: BLE001 - a language Material does not have: English, as Material does
        own = None
    fallback = env.get_template("partials/languages/en.html").module
    memo: dict = {}

    def t(key):
        if key not in memo:
            memo[key] = (own.t(key) if own is not None else "") or fallback.t(key) or key
        return memo[key]

    return t



RECORD_TEMPLATE = "disclosure/record.html"


class PageMeta(Mapping):
    """Every page's meta by source path: a record's is made when asked for, since only the pages
    rendered, or whose key is made again, read it (escaping every title and summary took 0.5 s at
    100,000 records)."""

    def __init__(self, records: dict, others: dict):
        self.records, self.others = records, others

    def __getitem__(self, src: str) -> dict:
        if src in self.others:
            return self.others[src]
        r = self.records[src]
        return {"title": html.escape(r.title, quote=False), "template": RECORD_TEMPLATE,
                "description": html.escape(r.summary)}

    def __iter__(self):
        yield from self.records
        yield from self.others

    def __len__(self) -> int:
        return len(self.records) + len(self.others)

    def __contains__(self, src) -> bool:
        return src in self.records or src in self.others

    def templates(self) -> list[str]:
        names = {m["template"] for m in self.others.values()}
        if self.records:
            names.add(RECORD_TEMPLATE)
        return sorted(names)


class RecordBodies(Mapping):
    """Each record page's Markdown body by source path, for the render pool: a body is read only for a
    page rendered (one from the parse cache stays undecoded until then: Record.body)."""

    def __init__(self, records: dict):
        self.records = records

    def __getitem__(self, src: str) -> str:
        return self.records[src].body

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


class PagesRemembered(Files):
    """MkDocs' file list, its documentation_pages() made once per inclusion test until a file is added
    or removed: MkDocs and its templates ask for them six times after on_files, each a pass over every
    file (100,000 records: ~0.1 s a pass). Given back by on_files, after which no page changes its
    inclusion (set_exclusions sets only files that have none, before anything asks)."""

    def __init__(self, files):
        super().__init__(files)
        self._pages: dict = {}

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included):
        pages = self._pages.get(inclusion)
        if pages is None:
            pages = self._pages[inclusion] = super().documentation_pages(inclusion=inclusion)
        return list(pages)

    def append(self, file: File) -> None:
        self._pages.clear()
        super().append(file)

    def remove(self, file: File) -> None:
        self._pages.clear()
        super().remove(file)


class LinksToOurPages(logging.Filter):
    """MkDocs' lines, in English, about the links of the pages it renders, where the plugin knows better
    or says it in Chinese with the line:
    - "Doc file 'guide.md' contains a link to 'search.md' which is excluded from the built site." where
      the target is a page this plugin publishes itself (`ours`: a record, a generated page off the
      navigation): MkDocs sees those only as excluded from its own loop (on_files), and the line told
      editors on every build that links which work did not. A link to a file really left out is still told;
    - "… contains a link 'x.md', but the target is not found among documentation files.", for the (page,
      target) pairs the plugin told (`told`: boundary.pages_missing_targets), and the links to a page's
      .html that is there (MkDocs knows pages by their .md only);
    - "… contains an unrecognized relative link 'folder/', it was left as is.", for those told too;
    - "… contains a link 'x.md#y', but the doc … does not contain an anchor …" and "… no such anchor on
      this page", for the pages whose links to a place the plugin checks (`checked`: render/anchors.py);
    - "… contains an absolute link '/x', it was left as is.", said at INFO (MkDocs' default) of a record
      or an ordinary page: the plugin warns of every such link of theirs in Chinese, with its line, when
      it reads them (boundary.body_link_problems). A project that asked MkDocs to warn of them
      (`validation: links: absolute_links: warn`) still gets MkDocs' warning."""

    EXCLUDED = re.compile(r"Doc file '.*' contains a link to '(.*)' which is excluded from the built site\.")
    NOT_FOUND = re.compile(r"Doc file '(.*?)' contains a link '(.*)', but the target(?: '(.*)')? is not found "
                           r"among documentation files\.(?: Did you mean '.*'\?)?")
    FOLDER = re.compile(r"Doc file '(.*?)' contains an unrecognized relative link '(.*)', it was left as is\..*", re.S)
    ABSOLUTE = re.compile(r"Doc file '(.*?)' contains an absolute link '.*', it was left as is\..*", re.S)
    NO_PLACE = re.compile(r"Doc file '(.*?)' contains a link '.*', but (?:the doc '.*' does not contain an "
                          r"anchor '#.*'|there is no such anchor on this page)\..*", re.S)

    def __init__(self, ours: set[str], told: set[tuple[str, str]] = frozenset(), checked: set[str] = frozenset()):
        super().__init__()
        self.ours, self.told, self.checked = ours, told, checked

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Doc file '"):
            return True
        said = self.EXCLUDED.fullmatch(message)
        if said is not None:
            return said.group(1) not in self.ours
        said = self.NOT_FOUND.fullmatch(message)
        if said is not None:
            target = said.group(3) or said.group(2).lstrip("/")
            return (said.group(1), posixpath.normpath(target)) not in self.told
        said = self.FOLDER.fullmatch(message)
        if said is not None:
            url = unquote(said.group(2).split("#", 1)[0].split("?", 1)[0])
            return (said.group(1), posixpath.normpath(posixpath.join(posixpath.dirname(said.group(1)), url))) \
                not in self.told
        said = self.ABSOLUTE.fullmatch(message)
        if said is not None:
            return record.levelno >= logging.WARNING or not (said.group(1) in self.ours or said.group(1) in self.checked)
        said = self.NO_PLACE.fullmatch(message)
        return said is None or said.group(1) not in self.checked


class DisclosurePlugin(BasePlugin[DisclosureConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.project = None
        self.index = None
        self.links: Links | None = None
        self.specs: dict[str, PageSpec] = {}
        self.records_by_src: dict = {}
        self.catalogue_dir: Path | None = None
        self.before = None  # (docs folder, records folder) and the files parsed then (continue_from)
        self.read_from = None
        self.root: Path | None = None
        self.feedset: feeds.FeedSet | None = None
        self.nav = None
        self.env = None
        self.cache_dir: Path | None = None
        self.body_cache: caches.BodyCache | None = None
        self.page_cache: caches.PageCache | None = None
        self.page_cache_used: dict = {}
        self.flavour = ""  # the caches' folder suffix of this kind of build (on_config)
        self.report: report.Report | None = None
        self.progress: progress.Progress | None = None
        self._set_epoch = False
        self._files: Files | None = None
        self.kiosk: offline.KioskInfo | None = None
        self._search: Background | None = None
        self.hold = CollectorHold()  # the cycle collector kept off the build's objects (parallel.py)
        self._linking = None
        self.csp: csp.Policy | None = None
        self.serving = False  # the live preview (`disclosure serve` / `mkdocs serve`)
        self.last_job: pool.Job | None = None  # under serve: the last build's pages, for preview_edits()
        self.footer: dict = {}
        self.plan: pipeline.SitePlan | None = None
        self._taken: Path | None = None  # the replaced site's pages (reuse_pages_from, render/reuse.py)
        self._links_said: LinksToOurPages | None = None  # on MkDocs' page logger from on_files to the end
        self._links_last: tuple = (None,)  # its arguments in the last build (preview_edits renders again)

    def pages_folders(self) -> list[str]:
        """The site's folders that hold only pages render/pool.py makes, and what MkDocs writes after
        on_env: the record pages' (records_dir, when it is a folder of its own) and the listings'."""
        records = posixpath.normpath(self.config.records_dir.replace("\\", "/")).strip("/")
        found = ([] if records in ("", ".") or records.split("/")[0] == ".." else [records]) + list(LISTING_FOLDERS)
        return [f for f in dict.fromkeys(found)
                if not any(o != f and (f.startswith(o + "/") or o.startswith(f + "/")) for o in found)]

    def reuse_pages_from(self, taken: Path | None) -> None:
        """`disclosure build`: the folders (pages_folders()) of the site this build replaces, taken from
        it before it is deleted, each at its path under `taken`; moved into the new site in on_env
        (render/reuse.py)."""
        self._taken = taken

    def _adopt_pages(self, config, dests: dict[str, str]) -> dict:
        """`dests`: {src: the file its page goes to, site-relative}, for every page we render."""
        taken, self._taken = self._taken, None
        if taken is None:
            return {}
        site_dir = os.path.normpath(config.site_dir)
        pages = {f"{site_dir}/{dest}" for dest in dests.values()}  # spelt as pool.Linking spells them
        present = {}
        for folder in self.pages_folders():
            dest = os.path.join(site_dir, folder)
            if os.path.isdir(taken / folder) and not os.path.lexists(dest):
                present.update(reuse.adopt(str(taken / folder), dest, pages))
        reuse.remove_empty(taken)  # what is left (a folder not adopted) the next build deletes
        return present

    # -- read and validate, before MkDocs cleans site_dir, so bad content writes nothing ----------
    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def continue_from(self, previous) -> None:
        """`disclosure serve`, before a build: the record files the last build read (`previous`, this
        process's last plugin) are taken from memory instead of .cache/ (~1 s at 10,000 records), each
        checked against its file by size and mtime as the cache on disk is."""
        project = getattr(previous, "project", None)
        if project is not None and getattr(previous, "read_from", None) is not None:
            self.before = (previous.read_from, project.parsed)

    def on_config(self, config):
        self.hold.release()  # (a build that ended without on_post_build: the preview's, after an error)
        self._links_quiet(None)
        self.hold.extend()
        self.progress = progress.Progress(log)
        self.kiosk = self._kiosk(config)  # its time first: _reproducible_dates may set SOURCE_DATE_EPOCH
        if self.config.feeds and not (config.site_url or "").strip():
            raise PluginError(
                f"{config.config_file_path or 'mkdocs.yml'}: 发布 RSS 订阅源需要网站的完整地址，请在 mkdocs.yml 中设置 "
                "site_url（例如 site_url: https://www.example.gov.cn/）；不发布订阅源的离线版请设置 disclosure 插件的 "
                "feeds: false。\n(Feeds need absolute URLs: set `site_url` in mkdocs.yml, or set `feeds: false` "
                "for the disclosure plugin.)")
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        self.catalogue_dir = (root / self.config.catalogue).resolve()
        docs_dir = Path(config.docs_dir).resolve()
        self.parallel = Parallelism(workers=self.config.workers)  # every step's processes (parallel.py)
        self.read_from = (docs_dir, self.config.records_dir)
        cache_dir = self.cache_folder(root)
        pipeline.use_fold_tables(cache_dir)
        before = self.before if self.before is not None and self.before[0] == self.read_from else None
        self.project = pipeline.load(docs_dir, self.catalogue_dir, root, self.config.records_dir,
                                     cache_dir / "records.pickle" if cache_dir else None,
                                     self._build_date(config),
                                     Path(config.config_file_path) if config.config_file_path else None,
                                     self.parallel, parsed=before[1] if before else None,
                                     use_directory_urls=config.use_directory_urls,
                                     theme_dir=self.project_theme(config), hooks=self.project_hooks(config))
        self.before = None
        self._report_problems()
        self._reproducible_dates()
        self.options = pipeline.SiteOptions(
            site_name=config.site_name, site_url=config.site_url or "", site_description=config.site_description or "",
            use_directory_urls=config.use_directory_urls, page_size=self.config.page_size,
            feed_length=self.config.feed_length, feeds=self.config.feeds, report_date=self._report_date(config),
            apply_organ=self.config.apply_organ or "", identity=dict(self.config.identity),
            consultation_feedback_days=self.config.consultation_feedback_days,
            gazette_title=self.config.gazette_title)
        site = pipeline.plan(self.project, self.options)
        self.hold.extend()  # the project and the plan: most of the build's objects
        self.links, self.index, self.report, self.feedset = site.links, site.index, site.report, site.feedset
        self.specs, self.footer, self.records_by_src = site.specs, site.footer, site.records_by_src
        self.plan = site
        self.feed_html = {}
        self.body_keys = {}
        self.record_contexts: dict[str, dict] = {}  # src -> record_context, when on_env made it for the page cache
        self.shown_bodies: dict[str, str] = {}  # `disclosure serve`: src -> body shown at once since (preview_edits)
        self.cache_dir = cache_dir
        if cache_dir:
            for old in ("bodies.pickle", "feeds.pickle", "page-keys.pickle"):  # earlier versions' caches
                (cache_dir / old).unlink(missing_ok=True)
        self.body_cache = caches.BodyCache(cache_dir / "bodies.sqlite") if cache_dir else None
        # a page cache keeps only the pages its last build used: the preview (its own address), a kiosk copy
        # (its bar) and the site share no page or feed, so each has its own, or each would empty the others'
        self.flavour = "-preview" if self.serving else "-kiosk" if self.kiosk is not None else ""
        self.page_cache = caches.PageCache(cache_dir / f"pages{self.flavour}" if cache_dir else None)
        self.key_memo = caches.KeyMemo(cache_dir / "page-keys" if cache_dir else None)
        self.page_cache_used = {}

        # sitemap.xml(.gz) are written by _write_sitemap, with the records, instead of MkDocs' theme template
        self.own_sitemap = bool(config.site_url) and "sitemap.xml" in config.theme.static_templates
        if self.own_sitemap:
            config.theme.static_templates.discard("sitemap.xml")
        # our templates sit between the user's custom_dir and Material
        dirs = config.theme.dirs
        if str(THEME_DIR) not in [str(Path(d).resolve()) for d in dirs]:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        # script and comment text never reaches a title, heading id or table of contents (mdsafe.py)
        if mdsafe.NAME not in config.markdown_extensions:
            config.markdown_extensions.append(mdsafe.NAME)
        # our stylesheets as one (pipeline.SITE_CSS), after the project's own; datasets.css only for
        # 数据开放 and 双公示; one the project lists itself stays where it put it
        listed = [str(s) for s in config.extra_css]
        self.site_css = [part for part in pipeline.SITE_CSS_PARTS if part not in listed
                         and (self.plan.nav_extra or part != "assets/datasets.css")]
        if pipeline.SITE_CSS not in listed:
            config.extra_css.append(pipeline.SITE_CSS)
        if config.theme.get("favicon") in (None, MATERIAL_FAVICON):  # Material's own logo: ours instead
            config.theme["favicon"] = "assets/favicon.svg"
        self.progress.phase("读取与检查")
        return config

    def cache_folder(self, root: Path) -> Path | None:
        """The project's caches (`.cache/disclosure/` beside mkdocs.yml), unless the `cache` option is off."""
        return root / ".cache" / "disclosure" if self.config.cache else None

    @staticmethod
    def project_theme(config) -> Path | None:
        """The project's theme folder (theme.custom_dir), which the privacy guard reads; not this tool's own."""
        custom = config.theme.custom_dir
        return None if not custom or Path(custom).resolve() == THEME_DIR else Path(custom)

    @staticmethod
    def project_hooks(config) -> tuple[Path, ...]:
        """The files of mkdocs.yml's `hooks:` (loaded as modules by then), which the privacy guard reads."""
        return tuple(Path(m.__file__) for m in (config.get("hooks") or {}).values() if getattr(m, "__file__", None))

    def _report_problems(self) -> None:
        """Warnings and scheduled records to the log (the first WARNINGS_SHOWN of each); errors stop the build."""
        warnings = self.project.problems.warnings
        for p in warnings[:WARNINGS_SHOWN]:
            log.warning(p.format())
        if len(warnings) > WARNINGS_SHOWN:  # thousands of lines would bury everything else in the log
            log.warning(f"……另有 {len(warnings) - WARNINGS_SHOWN} 条警告未列出；运行 disclosure check 查看全部"
                        f"（{len(warnings) - WARNINGS_SHOWN} more warnings: run `disclosure check` for all）")
        errors = self.project.problems.errors
        if errors:
            raise PluginError(str(ContentError(errors)))
        for line in self.project.datasets.log_lines() if self.project.datasets else ():
            log.info(line)  # 双公示 penalties withdrawn, rows held until their 公示日期 (sources/datasets.py)
        scheduled = self.project.scheduled_lines()
        for line in scheduled[:WARNINGS_SHOWN]:
            log.info(line)
        if len(scheduled) > WARNINGS_SHOWN:
            log.info(f"……另有 {len(scheduled) - WARNINGS_SHOWN} 条定时发布的记录未列出；运行 disclosure check 查看全部")

    def on_serve(self, server, config, builder):
        if self.catalogue_dir and self.catalogue_dir.is_dir():
            server.watch(str(self.catalogue_dir))
        return server

    # -- files and navigation ---------------------------------------------------------------------
    @event_priority(-50)
    def on_files(self, files: Files, config):
        self._keep_inside(files, config)
        from ..outputs.search import writer as search_writer  # (numpy: imported by builds only)

        if not search_writer.needs_world(self.index, self.parallel):
            # the site folder is emptied by now: the index's child gets the core this process leaves
            # idle until the pages render (~1 s at 10,000 records)
            self._start_search(config)
        if not self.config.kiosk:  # the touch-terminal layer ships only in kiosk copies
            for src in offline.THEME_ASSETS:
                f = files.src_uris.get(src)
                if f is not None:
                    files.remove(f)
        if not self._admin_wanted():  # the web form's script ships only with the form
            f = files.src_uris.get(admin.SCRIPT_ASSET)
            if f is not None:
                files.remove(f)
        if self.feedset is None:  # no feeds: no stylesheet or subscribe script either
            for src in feeds.THEME_ASSETS:
                f = files.src_uris.get(src)
                if f is not None:
                    files.remove(f)
        unused = _unused_material_assets(config)
        if unused:
            for f in [f for f in files if f.generated_by is None and f.src_uri.startswith(unused)]:
                files.remove(f)
        self._hold_back(files)
        for src in self.records_by_src:
            f = files.src_uris.get(src)
            if f is not None:
                f.inclusion = InclusionLevel.EXCLUDED  # rendered by render/pool.py, not MkDocs' own loop
        user_files = [f for f in files.documentation_pages()
                      if f.src_uri not in self.records_by_src and f.src_uri != "index.md"]
        user_pages = sorted(f.src_uri for f in user_files)
        for f in user_files:  # the same page as a generated one: by its name, or by where MkDocs writes it
            for src in sources_of(f.dest_uri, config.use_directory_urls):
                if src in self.specs:
                    home = "；首页的导语请写在 index.md 中" if f.dest_uri == "index.html" else ""
                    raise PluginError(
                        f"{config.docs_dir}/{f.src_uri} 与自动生成的页面对应同一个网页（{f.dest_uri}）"
                        f"（file clashes with a generated page）：请改名或删除该文件{home}")
        for spec in self.specs.values():
            if spec.src_uri in files.src_uris:  # only the home page's: the editor's index.md is its introduction
                continue  # (any other clash stopped the build above)
            front = {"title": spec.title, "template": spec.template}
            if spec.kind != "home":
                front["hide"] = ["toc"]
            # off-nav pages get their meta from render/pool.py; only nav pages are read by MkDocs
            content = ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
                       if spec.in_nav else "")
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.EXCLUDED
            files.append(File.generated(config, spec.src_uri, content=content, inclusion=inclusion))
        if files.src_uris.get(applyform.DOCX_PATH) is None:  # the application form's Word file
            organ = self.config.apply_organ or ""
            docx = caches.made_once(self.cache_dir / "applyform" if self.cache_dir else None,
                                    applyform.docx_key(organ), lambda: applyform.docx_bytes(organ))
            files.append(File.generated(config, applyform.DOCX_PATH, content=docx))
        if config.nav is None:
            config.nav = self._default_nav(user_pages)
        told = self._pages_missing_targets(files, config)  # every file is in `files` now
        self._links_quiet(set(self.records_by_src) | {s.src_uri for s in self.specs.values() if not s.in_nav},
                          told, set(self.project.pages))
        self._files = files = PagesRemembered(files)
        return files

    def _pages_missing_targets(self, files: Files, config) -> set[tuple[str, str]]:
        """Ordinary pages' links to what the site does not have, and records' links to pages outside the
        records folder that it does not have, told in Chinese with their lines (boundary); the (page,
        target) pairs told, with those told when the records were read."""
        told, docs_rel = Problems(), _docs_rel(config)
        scheduled = {r.src_path for r in self.project.scheduled}
        present = set(files.src_uris) | {f.dest_uri for f in files}  # a page by its .md and by its .html
        pairs = boundary.pages_missing_targets(self.project.pages, present, self.project.withheld, scheduled,
                                               docs_rel, told, config.use_directory_urls)
        pairs |= boundary.records_missing_pages(self.project.records, present, scheduled,
                                                self.config.records_dir, docs_rel, told)
        for p in told.warnings:
            log.warning(p.format())
        return pairs | self.project.missing_links

    def _hold_back(self, files: Files) -> None:
        """Records held back until their day (定时发布), and the attachments only they use, are not
        published at all: not as pages of MkDocs' own loop either."""
        if not self.project.scheduled:  # (what every record uses: 0.17 s at 100,000 records)
            return
        used = {p for r in self.project.records for p in (*(a.path for a in r.attachments), *r.links)}
        for r in self.project.scheduled:
            for src in [r.src_path, *(p for p in (*(a.path for a in r.attachments), *r.links) if p not in used)]:
                f = files.src_uris.get(src)
                if f is not None:
                    files.remove(f)

    def _keep_inside(self, files: Files, config) -> None:
        """Only what the file boundary allows is copied (boundary.py): content files it withholds are
        dropped, and every other file from the content folder or the project's theme folder must
        resolve inside the project (a theme installed as a package: inside its own folder). Checked
        again here, right before MkDocs copies, whatever `load_project` saw."""
        withheld = self.project.withheld
        docs = os.path.realpath(config.docs_dir)
        root = str(self.root)
        # a file's folder (content or a theme folder) → (where its files must stay, is it the content)
        homes: dict[str, tuple[str, bool]] = {}
        refused = []
        for f in list(files):
            if f.generated_by is not None:
                continue
            base = root  # a file given a source path without a folder: inside the project
            if f.src_dir is not None:
                home = homes.get(f.src_dir)
                if home is None:
                    real = os.path.realpath(f.src_dir)
                    home = homes[f.src_dir] = (root if real == docs or boundary.is_inside(real, root) else real,
                                               real == docs)
                base, is_content = home
                if is_content and f.src_uri in withheld:
                    files.remove(f)
                    continue
                if is_content and f.src_uri in self.records_by_src:
                    continue  # every link under the content folder was checked by boundary.scan
            if not f.abs_src_path:  # (made only past the records: 0.15 s at 100,000)
                continue
            target = boundary.outside(f.abs_src_path, base)
            if target is not None:
                shown = os.path.relpath(f.abs_src_path, root) if boundary.is_inside(
                    os.path.abspath(f.abs_src_path), root) else f.abs_src_path
                refused.append(f"{shown} → {target}")
        if refused:
            raise PluginError("以下文件经符号链接指向项目文件夹以外，未生成网站（files resolving outside the project "
                              "folder）：\n" + "\n".join(refused[:20]) +
                              "\n→ 把要发布的文件复制到项目中，并删除这些链接")

    def _default_nav(self, user_pages: list[str]) -> list:
        columns = [  # each column's index page (plan/navigation.py puts them in order)
            {library.TITLE: Links.policy_src()},  # 政策文件库
            {annual_reports.NAV_TITLE: Links.annual_reports_src()},
            {"意见征集": consultations.PAGE_SRC},
            *projects.nav(self.index), *tasks.nav(self.index),
            # other columns' (政府公报 …): every generated page in the nav that the list does not name
            *[{s.title: s.src_uri} for s in self.specs.values() if s.in_nav and s.kind not in _NAV_KINDS],
        ]
        return navigation.default_nav(user_pages, columns, report.PAGE_SRC,
                                      feeds.SUBSCRIBE_SRC if self.feedset is not None else None)

    # -- pages ------------------------------------------------------------------------------------
    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        # Material prints page titles unescaped (<title>, header, nav): hand it escaped text.
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = html.escape(plain_text(page.meta["title"]), quote=False)
        for key in ("description", "author"):  # printed unescaped into <meta content="…"> too
            if key in page.meta:
                page.meta[key] = html.escape(plain_text(str(page.meta[key] or "")))
        if src == "index.md" and page.file.generated_by is None:
            page.meta["template"] = "disclosure/home.html"
        return markdown

    def on_page_content(self, content, page, config, files):
        """Ordinary pages (the home page's introduction too) go through the same sanitization policy as
        records (sanitize.py), then get the same table layout; records and listings are rendered by
        render/pool.py, which applies both itself."""
        return tables.enhance(sanitize(content))

    def on_template_context(self, context, template_name, config):
        context["dx_footer"] = self.footer  # 404.html too, which gets no page context
        return context

    def _write_sitemap(self, site: Path, config) -> None:
        """sitemap.xml(.gz) as MkDocs' theme template writes them, with the records (their 发布日期) and the
        generated pages outside MkDocs' own loop (plan/sitemap.py). Kept in .cache/ under what they are
        made of: after a body edit they are as they were (making them took ~1 s at 100,000 records)."""
        files = self._files
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        own = [(p.canonical_url or p.abs_url, p.update_date or "") for p in pages
               if not p.is_link and (p.canonical_url or p.abs_url)]
        # MkDocs' date of the build (SOURCE_DATE_EPOCH: _reproducible_dates), in UTC, and its gzip stamp
        build_day = mkdocs_utils.get_build_date()
        stamp = mkdocs_utils.get_build_timestamp(pages=pages)

        def make() -> bytes:
            urls = own + sitemap.xml_urls(self.index, self.links, self.specs, lambda src: bool(files.src_uris.get(src)),
                                          config.site_url, build_day)
            text = sitemap.xml(urls).encode("utf-8")
            packed = io.BytesIO()
            with gzip.GzipFile(fileobj=packed, filename="sitemap.xml.gz", mode="wb", mtime=stamp) as gz:
                gz.write(text)
            return pickle.dumps((text, packed.getvalue()), protocol=pickle.HIGHEST_PROTOCOL)

        world = self.key_memo.world  # the plan's inputs and what every page shows (on_env), if known
        key = None if world is None else hashlib.sha256(
            repr((world, self.files_fingerprint, own, build_day, stamp, config.site_url)).encode()).hexdigest()
        made = caches.made_once(self.cache_dir / "sitemap" if self.cache_dir and key else None, key, make)
        text, packed = pickle.loads(made)
        (site / "sitemap.xml").write_bytes(text)
        (site / "sitemap.xml.gz").write_bytes(packed)

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    @event_priority(-50)
    def on_env(self, env, config, files):
        """Render records and off-nav listings (most of the site) on every core; see render/pool.py."""
        self.progress.phase("规划与 MkDocs 读取页面")
        self.hold.extend()  # MkDocs' files, pages and navigation
        self.env = env
        # templates do not change during a build: no stat() of every included template on every page
        env.auto_reload = False
        # nor a lock and an LRU queue reordered on each template a page includes (1.8 → 0.3 µs a lookup):
        # a theme has a few hundred templates at most, all kept
        if env.cache is not None:
            env.cache = dict(env.cache.items())
        if self.cache_dir is not None:  # compiled templates kept between builds (keyed by their source)
            env.bytecode_cache = caches.CompiledTemplates(self._jinja_cache(), self.root)
        env.globals["dx_t"] = _translations(env, config.theme.get("language") or "en")
        env.globals["dx_once"] = fragments.once_per_folder(config.use_directory_urls)
        env.filters["url"] = fragments.url_filter()
        # the Content-Security-Policy: the theme's own inline scripts and styles, read from its templates
        # (not in the live preview: MkDocs' live reload injects an inline script that differs per request;
        # the preview is served to the editor on loopback and never published)
        self.csp = None if self.serving else csp.Policy.for_theme(config.theme.dirs, offline=self.kiosk is not None)
        fingerprint = fingerprints.markdown_fingerprint(config)
        files_fingerprint = self.files_fingerprint = hashlib.sha256(
            "\n".join(sorted(f.src_uri for f in files)).encode()).hexdigest()
        self.body_keys, listed = {}, {}
        have = files.src_uris
        for src, r in self.records_by_src.items():
            mentions_md = r.mentions_md()  # else the body is not read (nor decoded)
            self.body_keys[src] = fingerprints.body_key(fingerprint, src, r.body if mentions_md else "",
                                                        files_fingerprint, r.body_digest(), mentions_md,
                                                        tuple(link for link in r.links if link in have))
        for src, spec in self.specs.items():
            if not spec.in_nav and files.src_uris.get(src) is not None:
                listed[src] = {"title": html.escape(spec.title, quote=False), "template": spec.template,
                               "hide": ["toc"]}
        meta = PageMeta(self.records_by_src, listed)
        page_fps = {}
        if self.page_cache is not None and self.page_cache.dir is not None:
            # what on_page_context hands each page's template beyond what every page gets
            # a page is cached with or without the policy: the preview's pages never serve a build
            build_fp = fingerprints.build_fingerprint(config, self.nav, self.csp is None)
            described: dict = {}  # records and catalogue entries, each described once (fingerprints.fp_value)
            # the catalogue reaches every template (on_page_context): a page's key holds the parts its
            # template reads (catalogue.departments), not the whole, so a catalogue edit renders few pages
            templates = meta.templates()
            reads = caches.made_once(self.cache_dir / "context-reads",
                                     hashlib.sha256(repr((build_fp, templates)).encode()).hexdigest(),
                                     lambda: fingerprints.reads_json(env, "catalogue", templates))
            shares = fingerprints.Shares(self.index.catalogue, json.loads(reads), described)
            # the last build's, when the plan's inputs are as they were (body edits: only body keys change)
            known = self.key_memo.load(fingerprints.world(build_fp, (self.project.plan_inputs(), self.options),
                                                          described))
            material = {}
            for src in meta:
                if src in known:
                    material[src] = known[src]
                    continue
                if src in self.records_by_src:
                    # made once here; the workers that render the page inherit it (on_page_context)
                    data = self.record_contexts[src] = record_context(self.index, self.records_by_src[src])
                else:
                    spec = self.specs[src]
                    data = (spec.context, spec.feed, self.feedset.title_of(spec.feed)
                            if spec.feed and self.feedset is not None else None)
                page = meta[src]
                material[src] = fingerprints.input_fingerprint(build_fp, src, page, None,
                                                               (data, shares.of(page["template"])), described)
            page_fps = {src: fingerprints.with_body(key, self.body_keys.get(src)) for src, key in material.items()}
            self.key_memo.save(material)
        # forked children from here on (a large site's search index, linking cached pages): a page of
        # memory this process then writes to, if only a reference count, is copied first (~1 s at 100,000
        # records when the children started before the keys were made; a smaller site's index starts in
        # on_files all the same: ~0.1 s copied at 10,000, for a core that was idle)
        dests = {src: page_dest(src, config.use_directory_urls) for src in meta}
        if self._search is None:
            self._start_search(config)
        job = pool.Job(config=config, files=files, nav=self.nav, env=env, meta=meta,
                         bodies=RecordBodies(self.records_by_src), body_keys=self.body_keys,
                         cached=self.body_cache, tasks=sorted(meta), pages=self.page_cache, page_fps=page_fps,
                         feed_links=self._feed_links(config), present=self._adopt_pages(config, dests), dests=dests)
        given, self.page_cache_used, self._linking = pool.render_pages(
            job, self.parallel, progress=self.progress.rendered)
        self.last_job = job if self.serving else None
        self.progress.phase("渲染页面")
        self.feed_html = caches.FeedHTML(self.body_cache, job.feed_links,
                                         {src: self.body_keys[src] for src in job.feed_links}, given)
        return env

    def _jinja_cache(self) -> Path:
        path = self.cache_dir / "templates"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _feed_links(self, config) -> dict[str, str]:
        """Absolute URLs of the records some feed carries: their feed HTML is made by the workers."""
        if self.feedset is None:
            return {}
        base = feeds.site_base(config.site_url)
        carried = {r.src_path: r for f in self.feedset.feeds
                   for r in feeds.collection(self.index, f)[:self.config.feed_length]}
        return {src: feeds.record_link(base, self.links, r) for src, r in carried.items()}

    def on_page_context(self, context, page, config, nav):
        src = page.file.src_uri
        context["links"] = self.links
        context["catalogue"] = self.index.catalogue
        if src in self.records_by_src:
            made = self.record_contexts.get(src)
            context["disclosure"] = made if made is not None else record_context(self.index, self.records_by_src[src])
        elif src in self.specs:
            spec = self.specs[src]
            context["disclosure"] = spec.context
            context["added_content"] = page.content or ""  # other plugins' (render/pool._added_content)
            context["listing_feed"] = spec.feed
            # where the page's 订阅 button leads: the feed's HTML page, not its XML
            context["listing_feed_page"] = self.links.url(feeds.page_src(spec.feed)) if spec.feed else None
            if spec.feed and self.feedset is not None:
                page.meta["feed_title"] = self.feedset.title_of(spec.feed)
        if self.feedset is not None:
            context["subscribe_page"] = self.links.url(feeds.SUBSCRIBE_SRC)
        context["kiosk"] = self.kiosk
        context["gazette_title"] = self.config.gazette_title  # 刊登于《…》on a record carried by the gazette
        context["dx_footer"] = self.footer
        return context

    def preview_edits(self, paths: list[Path]) -> list[str] | None:
        """`disclosure serve`, between two builds: when every changed file is a published record whose
        body alone changed (the same front matter, summary, links and attachments) and reads without an
        error, its page is rendered again over the last build's output at once, and its path returned;
        otherwise None (a full build is needed). The full build follows either way (commands/preview.py):
        listings, feeds and search catch up a few seconds later. A file whose body is what the preview
        shows already (a file watcher's second event for one save) is left alone: [] when all are."""
        job = self.last_job
        if job is None or not paths:
            return None
        docs, docs_rel = Path(job.config.docs_dir).resolve(), _docs_rel(job.config)
        todo = []
        for path in paths:
            path = Path(path).resolve()
            if not path.is_relative_to(docs) or path.suffix != ".md":
                return None
            src = path.relative_to(docs).as_posix()
            old = self.records_by_src.get(src)
            if old is None or not path.is_file():
                return None
            new, found, _ = validate.read_one_record(path, src, docs, docs_rel)
            if (new is None or new.broken or any(p.level == ERROR for p in found)
                    or (new.front_digest, new.summary, new.links, new.attachments)
                    != (old.front_digest, old.summary, old.links, old.attachments)):
                return None
            if new.body != self.shown_bodies.get(src, old.body):
                todo.append((src, new.body))
        self._links_quiet(*self._links_last)  # the last build's: the same links, told by it already
        try:
            for src, body in todo:
                pool.render_again(job, src, body)
                self.shown_bodies[src] = body
        finally:
            self._links_quiet(None)
        return [src for src, _ in todo]

    # -- machine-readable outputs -----------------------------------------------------------------
    def on_post_build(self, config):
        try:
            self._post_build(config)
        finally:
            self.hold.release()
            self._links_quiet(None)

    def _links_quiet(self, ours: set[str] | None, told: set[tuple[str, str]] = frozenset(),
                     checked: set[str] = frozenset()) -> None:
        """LinksToOurPages on MkDocs' page logger (`ours`, `told`, `checked`: see there), and on this
        plugin's, which says again what a cached body's page said when it was rendered; None takes it off."""
        loggers = (host.root_logger().getChild("structure.pages"), log)
        if self._links_said is not None:
            for logger in loggers:
                logger.removeFilter(self._links_said)
        self._links_said = LinksToOurPages(ours, told, checked) if ours is not None else None
        if self._links_said is not None:
            for logger in loggers:
                logger.addFilter(self._links_said)
            self._links_last = (ours, told, checked)

    def _post_build(self, config):
        site = Path(config.site_dir)
        pipeline.write_stylesheet(site, self.site_css)
        if self.own_sitemap:
            self._write_sitemap(site, config)
        self.progress.phase("MkDocs 写导航页面")
        pipeline.write_data(site, self.plan, self.cache_dir, self.key_memo.world)
        self._write_policy_files(site)
        self.progress.phase("数据文件")
        if self.feedset is not None:
            self._write_feeds(site, config)
            self.progress.phase("订阅源")
        self._finish_search()
        self.progress.phase("等待搜索索引")
        self._finish_linking()
        self._tell_missing_places(site, config)
        if self._admin_wanted():
            self._write_admin(site, config)
        if self.body_cache is not None:
            self.body_cache.save(set(self.body_keys.values()))
        if self.page_cache is not None:
            self.page_cache.save(self.page_cache_used)
        self.progress.phase("信息录入页与缓存")
        self._restore_epoch()
        pages = sum(1 for f in self._files if f.is_documentation_page()) if self._files is not None else 0
        self.progress.summary(len(self.project.records), pages, progress.count_feeds(site))
        if self.kiosk is not None:
            remote = offline.remote_references(site)
            if remote:
                raise PluginError("离线版（kiosk）中仍有需要联网加载的内容（a kiosk copy must load nothing from the "
                                  "network）：\n" + "\n".join(remote[:20]))

    def _tell_missing_places(self, site: Path, config) -> None:
        """A warning for each link from or to a record's page to a place the page does not have
        (render/anchors.py), read from the pages as built."""
        bodies = [(src, r.body, r.body_line) for src, r in self.records_by_src.items() if r.links_to_place]
        bodies += [(src, body, line) for src, (body, line) in self.project.pages.items() if "#" in body]
        if not bodies:
            return
        files = self._files

        def ids_of(src: str) -> set[str] | None:
            file = files.src_uris.get(src) if files is not None else None
            try:
                return anchors.ids_in((site / file.dest_uri).read_text(encoding="utf-8")) if file else None
            except (OSError, UnicodeDecodeError):
                return None

        told, docs_rel = Problems(), _docs_rel(config)
        for m in anchors.missing_places(bodies, ids_of):
            where = "本页" if m.target == m.source else "那个页面"
            told.warning(f"{docs_rel}/{m.source}", m.line,
                         f"正文中的链接“{m.written}”指向{where}上的“#{m.place}”，但{where}没有这个位置，"
                         "读者到不了要看的那一段",
                         f"# 后面应是{where}上某个标题的编号：在网站上打开{where}，点目录中的那个标题，把地址栏中 # "
                         "及其后的部分复制过来；不需要跳到某一段时，删去 # 及其后的部分")
        for p in told.warnings:
            log.warning(p.format())

    def _write_policy_files(self, site: Path) -> None:
        try:
            pipeline.write_policy_files(site, self.plan, self.cache_dir)
        except policyfiles.FontMissing as exc:
            raise PluginError(str(exc)) from exc

    def _admin_wanted(self) -> bool:
        return self.config.admin and not self.config.kiosk

    def _write_admin(self, site: Path, config) -> None:
        """admin/: Decap CMS from node_modules (npm ci), its config generated from the catalogue."""
        from ..sources.records import KNOWN_KEYS

        root = Path(config.config_file_path or ".").resolve().parent
        dist = admin.find_decap([root, THEME_DIR.parent])
        if dist is None:
            log.info("未找到 Decap CMS（node_modules/decap-cms）：本次生成的网站没有信息录入页面 admin/；"
                     "在项目目录运行 npm ci 后重新生成（Decap CMS not installed: run `npm ci`; no admin/）")
            return
        docs_rel = _docs_rel(config)
        css = sorted(p.relative_to(site).as_posix() for p in (site / "assets" / "stylesheets").glob("*.min.css"))
        css += [str(getattr(s, "path", s)) for s in config.extra_css]
        info = admin.AdminSite(
            site_name=config.site_name, records_folder=f"{docs_rel}/{self.config.records_dir}".strip("/"),
            backend=dict(self.config.admin_backend), proxy_port=self.config.admin_proxy_port,
            site_url=config.site_url or "", preview_css=tuple("../" + c for c in css if "://" not in c))
        cms = admin.cms_config(self.project.catalogue, info, KNOWN_KEYS)
        text = caches.made_once(self.cache_dir / "admin-config" if self.cache_dir else None,
                                admin.config_key(cms), lambda: admin.config_yaml(cms).encode("utf-8"))
        admin.write_admin(site / admin.ADMIN_DIR, dist, text.decode("utf-8"),
                          admin.index_html(info, [col["name"] for col in cms["collections"]]))

    def _start_search(self, config) -> None:
        """The search index (site_builder/search), under search/ in the site: built in a child process
        while the pages render, collected in on_post_build. Started in on_files, or in on_env when it needs
        the pages' keys (a large site's: writer.needs_world)."""
        from ..outputs.datasets import search_docs
        from ..outputs.search import writer as search_writer

        self._search = search_writer.start_beside_pages(
            self.index, Path(config.site_dir) / search.INDEX_DIR, self.parallel,
            self.cache_dir / "search" if self.cache_dir else None,
            extra=search_docs(self.plan.datasets, self.index.catalogue, self.links),
            world=self.key_memo.world)  # the plan's inputs (on_env), if known

    @staticmethod
    def _collect(job: Background, failed: str):
        try:
            return job.result()
        except BackgroundError as exc:
            raise PluginError(f"{failed}：\n{exc}") from None

    def _finish_linking(self) -> None:
        job, self._linking = self._linking, None
        if job is not None:  # pages whose cached file was edited are rendered again: their new stamps
            self.page_cache_used.update(self._collect(job, "复制未改动的页面失败（linking unchanged pages failed）"))

    def _finish_search(self) -> None:
        job, self._search = self._search, None
        stats = self._collect(job, "生成搜索索引失败（building the search index failed）")
        log.info(f"搜索索引：{stats.records} 条记录，{stats.shards} 个分片，"
                 f"{stats.total_bytes / 1e6:.1f} MB，{stats.seconds.get('total', 0):.1f} 秒")

    def on_post_page(self, output, page, config):
        if self.kiosk is not None:
            folder = posixpath.dirname(page.file.dest_uri)
            output = offline.offline_images(offline.offline_links(output, folder), folder)
        return self._with_policy(htmlout.compact(output), page.file.src_uri)

    def on_post_template(self, output_content, template_name, config):
        if template_name.endswith(".html"):  # 404.html
            return self._with_policy(output_content, template_name)
        return output_content

    def _with_policy(self, output: str, name: str) -> str:
        """Every page carries the Content-Security-Policy (csp.py); an inline script or style that is not
        the theme's is blocked by it, and named here."""
        if self.csp is None:
            return output
        output, foreign = self.csp.apply(output)
        if foreign:
            log.warning(f"{name}: 页面中有 {foreign} 段不属于主题模板的内联脚本或样式，内容安全策略（CSP）会阻止它们运行"
                        f"（inline script/style not written by the theme's templates: blocked by the page's CSP）"
                        "→ 把脚本或样式放进 theme/assets/ 下的 .js/.css 文件，用 <script src>/<link> 引用")
        return output

    def _kiosk(self, config):
        """Kiosk mode: no feeds, nothing from the network, the copy's time; None for the public site."""
        if not self.config.kiosk:
            return None
        self.config.feeds = False
        try:
            for note in offline.prepare_config(config):
                log.info(f"离线版：{note}")
            when = dt.datetime.fromisoformat(self.config.kiosk_time) if self.config.kiosk_time else None
        except offline.KioskError as exc:
            raise PluginError(f"{config.config_file_path or 'mkdocs.yml'}: 无法生成离线版（kiosk）：\n{exc}") from None
        except ValueError:
            raise PluginError(f"disclosure 插件的 kiosk_time“{self.config.kiosk_time}”不是有效时间（ISO 8601）") from None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=SHANGHAI)
        return offline.info(self.config.kiosk_idle_seconds, when)

    def on_build_error(self, error):
        for job in (self._linking, self._search):
            if job is not None:
                job.cancel()
        self._linking = self._search = None
        self._restore_epoch()
        self.hold.release()
        self._links_quiet(None)

    # -- the build day, the report date and reproducible builds -----------------------------------
    def _build_date(self, config) -> dt.date:
        """The day the site is built for: `build_date` (`disclosure build --build-date`), else today in
        Asia/Shanghai. Never SOURCE_DATE_EPOCH: that stamps files, it does not decide what is published."""
        return self._day_option(config, "build_date") or dt.datetime.now(SHANGHAI).date()

    def _report_date(self, config) -> dt.date:
        return self._day_option(config, "report_date") or self.project.build_day

    def _day_option(self, config, name: str) -> dt.date | None:
        text = getattr(self.config, name)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(str(text).strip())
        except ValueError:
            raise PluginError(f"{config.config_file_path or 'mkdocs.yml'}: disclosure 插件的 {name}"
                              f"“{text}”不是有效日期，应写成 YYYY-MM-DD") from None

    def _reproducible_dates(self) -> None:
        """MkDocs stamps sitemap.xml(.gz) with the build time unless SOURCE_DATE_EPOCH is set: when it is
        not, use the newest record's publication time, so the same content gives the same bytes."""
        self._set_epoch = False
        if "SOURCE_DATE_EPOCH" in os.environ or not self.project.records:
            return
        newest = max(r.date for r in self.project.records).date()  # the calendar day in Asia/Shanghai
        # midnight UTC of that day, so MkDocs' sitemap <lastmod> (a UTC date) shows the same day
        os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(newest.year, newest.month, newest.day,
                                                              tzinfo=dt.timezone.utc).timestamp()))
        self._set_epoch = True

    def _restore_epoch(self) -> None:
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False

    def _write_feeds(self, site: Path, config) -> None:
        """Every feed and the OPML (outputs/feedwriter.py); unchanged feeds come from the feed cache."""
        options = feedwriter.FeedOptions(config.site_url, config.site_name, config.site_description or "",
                                         self.config.feed_length, self.parallel)
        try:
            keyed, written = feedwriter.write_feeds(site, self.index, self.links, self.feedset, options,
                                                    self.feed_html,
                                                    self.cache_dir / f"feeds{self.flavour}" if self.cache_dir else None)
        except BackgroundError as exc:
            raise PluginError(f"生成 RSS 订阅源失败（writing the feeds failed）：\n{exc}") from None
        log.info(f"已生成 {keyed or written} 个 RSS 订阅源和 {feeds.OPML_PATH}"
                 f"（{written} 个有变化）" if self.cache_dir else
                 f"已生成 {written} 个 RSS 订阅源和 {feeds.OPML_PATH}")
