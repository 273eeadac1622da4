"""The URL policy, in one place: where every page is (a record's URL from its file, the MkDocs rule;
`Links` for every generated page, from its source path), and absolute URLs under the site URL
(feeds, the sitemap, canonical links). Templates get `Links` as `links` and pass its URLs through
`| url`. Where each URL's page is made: docs/architecture.md."""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import quote, urljoin, urlsplit

from ..sources.records import Record
from .index import tag_slug


def record_url(src_path: str, use_directory_urls: bool) -> str:
    """The URL of a Markdown file's page: its file (page_dest; README.md's is index.html, as MkDocs
    writes it), or that file's folder with directory URLs."""
    dest = page_dest(src_path, use_directory_urls)
    return dest[:-len("index.html")] if use_directory_urls else dest


def page_dest(src_uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes the page of the Markdown file `src_uri` (its File.dest_uri, by the same rule:
    foo.md → foo.html, or foo/index.html with directory URLs; index.md and README.md → index.html).
    Made here, once, for the pages the build renders and links (~1 µs a page against MkDocs' ~6, which
    MkDocs makes only for the content folder's files, not the plan's pages: with the paths it no longer
    joins, 0.5 s less of a 100,000-record one edit's adopt step). tests/test_render.py checks it against
    MkDocs' for every page of the sample site."""
    parent, _, name = src_uri.rpartition("/")
    stem = posixpath.splitext(name)[0]
    if stem == "README":
        stem = "index"
    folder = parent + "/" if parent else ""
    if not use_directory_urls or stem == "index":
        return f"{folder}{stem}.html"
    return f"{folder}{stem}/index.html"


def sources_of(dest: str, use_directory_urls: bool) -> tuple[str, ...]:
    """Every Markdown path whose page_dest is `dest` (the inverse rule: x/index.html is x/index.md's,
    x/README.md's, and with directory URLs x.md's)."""
    if dest == "index.html" or dest.endswith("/index.html"):
        folder = dest[:-len("index.html")]
        inner = (folder[:-1] + ".md",) if use_directory_urls and folder else ()
        return (f"{folder}index.md", f"{folder}README.md", *inner)
    if not use_directory_urls and dest.endswith(".html"):
        return (dest[:-len(".html")] + ".md",)
    return ()


# the kinds of Links.src whose listing pages have a folder of their own (domains/<id>.md, <id>/2.md …)
LISTING_FOLDERS = ("domains", "departments", "items", "tags", "years")


class Links:
    """Site-root-relative URLs of every generated page (templates pass them through `| url`)."""

    def __init__(self, use_directory_urls: bool = False):
        self.use_directory_urls = use_directory_urls

    def cache_fingerprint(self) -> tuple:
        return (self.use_directory_urls,)

    def url(self, src_uri: str) -> str:
        return record_url(src_uri, self.use_directory_urls)

    @staticmethod
    def src(kind: str, key: str = "", page: int = 1) -> str:
        if kind == "home":
            return "index.md"
        if kind == "catalogue":
            return "catalogue.md"
        if not key:
            return f"{kind}/index.md"
        return f"{kind}/{key}.md" if page <= 1 else f"{kind}/{key}/{page}.md"

    def home(self) -> str:
        return self.url("index.md")

    def catalogue(self) -> str:
        return self.url("catalogue.md")

    def domains(self) -> str:
        return self.url(self.src("domains"))

    def departments(self) -> str:
        return self.url(self.src("departments"))

    def tags(self) -> str:
        return self.url(self.src("tags"))

    def years(self) -> str:
        return self.url(self.src("years"))

    def domain(self, ident: str, page: int = 1) -> str:
        return self.url(self.src("domains", ident, page))

    def department(self, ident: str, page: int = 1) -> str:
        return self.url(self.src("departments", ident, page))

    def item(self, ident: str, page: int = 1) -> str:
        return self.url(self.src("items", ident, page))

    def tag(self, tag: str, page: int = 1) -> str:
        return self.url(self.src("tags", tag_slug(tag), page))

    def year(self, year: int, page: int = 1) -> str:
        return self.url(self.src("years", str(year), page))

    # 政策文件库 (plan/policy.py): the library's pages, its data file and the generated Word/PDF files
    @staticmethod
    def policy_src(page: int = 1) -> str:
        return "policies/index.md" if page <= 1 else f"policies/{page}.md"

    def policy_library(self, page: int = 1) -> str:
        return self.url(self.policy_src(page))

    POLICY_DATA = "policies/library.js"

    @staticmethod
    def policy_file(index_no: str, ext: str) -> str:
        """Where a document's generated .docx / .pdf is published, from its permanent 索引号."""
        return f"downloads/policies/{re.sub(r'[^0-9A-Za-z-]', '-', index_no)}.{ext}"
    # 数据开放 and 双公示 (plan/datasets.py; kind slugs: xk = 行政许可, cf = 行政处罚)
    def opendata(self) -> str:
        return self.url(self.src("opendata"))

    def dataset(self, ident: str, page: int = 1) -> str:
        return self.url(self.src("opendata", ident, page))

    def sgs(self) -> str:
        return self.url(self.src("sgs"))

    def sgs_listing(self, kind_slug: str, key: str = "all", page: int = 1) -> str:
        return self.url(self.src(f"sgs/{kind_slug}", key, page))

    @staticmethod
    def decision_src(kind_slug: str, slug: str) -> str:
        return f"sgs/{kind_slug}/doc/{slug}.md"

    def decision(self, kind_slug: str, slug: str) -> str:
        return self.url(self.decision_src(kind_slug, slug))

    @staticmethod
    def dataset_download(ident: str, ext: str) -> str:
        """A dataset as published (masked): data/datasets/<id>.csv|json (files, the same either URL style)."""
        return f"data/datasets/{ident}.{ext}"

    DCAT_CATALOG = "data/catalog.jsonld"
    # 重大建设项目 and 重点工作任务 (plan/projects.py, plan/tasks.py)
    def projects(self) -> str:
        return self.url(self.src("projects"))

    def project(self, ident: str) -> str:
        return self.url(self.src("projects", ident))

    def tasks(self) -> str:
        return self.url(self.src("tasks"))

    def task_year(self, year: int) -> str:
        return self.url(self.src("tasks", str(year)))
    # 政府信息公开工作年度报告 (plan/annual_reports.py): annual-reports/index.md (page n:
    # annual-reports/page/<n>.md) and one page per report, annual-reports/<year>-<organ>.md
    @staticmethod
    def annual_reports_src(page: int = 1) -> str:
        return "annual-reports/index.md" if page <= 1 else f"annual-reports/page/{page}.md"

    @staticmethod
    def annual_report_src(year: int, organ: str) -> str:
        return f"annual-reports/{year}-{organ}.md"

    def annual_reports(self, page: int = 1) -> str:
        return self.url(self.annual_reports_src(page))

    def annual_report(self, year: int, organ: str) -> str:
        return self.url(self.annual_report_src(year, organ))

    # 意见征集 (plan/consultations.py): consultations/index.md lists all, consultations/<status>.md one status
    @staticmethod
    def consultations_src(status: str = "all", page: int = 1) -> str:
        if status == "all" and page <= 1:
            return "consultations/index.md"
        return Links.src("consultations", status, page)

    def consultations(self, status: str = "all", page: int = 1) -> str:
        return self.url(self.consultations_src(status, page))

    # 政府公报 (plan/gazette.py): gazette/index.md, gazette/<yyyy>.md (a year's issues), gazette/<id>.md (an issue)
    def gazette(self) -> str:
        return self.url(self.src("gazette"))

    def gazette_year(self, year: int) -> str:
        return self.url(self.src("gazette", str(year)))

    def gazette_issue(self, ident: str) -> str:
        return self.url(self.src("gazette", ident))

    def relative(self, from_src: str, to_url: str) -> str:
        """A URL relative to the page built from `from_src` (for links outside templates)."""
        base = posixpath.dirname(self.url(from_src)) if not self.use_directory_urls else self.url(from_src)
        return posixpath.relpath(to_url or ".", base or ".")


def site_root(site_url: str | None) -> str:
    """`site_url` with exactly one trailing slash, so relative paths join under it; "" when not set.
    The one place the site URL is normalised (MkDocs' own URL option already ends it with a slash)."""
    url = (site_url or "").strip()
    return url.rstrip("/") + "/" if url else ""


def site_base(site_url: str) -> str:
    """site_root, which must be absolute (feeds, the sitemap)."""
    url = (site_url or "").strip()
    if not url or not urlsplit(url).scheme:
        raise ValueError("site_url must be an absolute URL (https://…) to publish feeds")
    return site_root(url)


_SAFE_PATH = re.compile(r"[A-Za-z0-9/#%:@!$&'()*+,;=~._-]*")


def _quote_path(path: str) -> str:
    # MkDocs already percent-encodes the URLs it gives records; `%` stays so nothing is encoded twice.
    if _SAFE_PATH.fullmatch(path):
        return path  # nothing to quote (every record URL): quote() takes ~15 µs to find that out
    return quote(path, safe="/#%:@!$&'()*+,;=~-._")


@functools.lru_cache(maxsize=65536)  # the same few category URLs on every item of every feed
def absolute(base: str, path: str) -> str:
    path = _quote_path(path or "")
    if base.endswith("/") and not path.startswith(("/", ".")) and ":" not in path and "/." not in path:
        return base + path  # what urljoin gives a plain relative path, several times faster (a feed's items)
    return urljoin(base, path)


def record_link(base: str, links: Links, r: Record) -> str:
    return absolute(base, r.url or links.url(r.src_path))
