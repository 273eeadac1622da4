"""The build, stage by stage, in order: what the MkDocs plugin (mkdocs_adapter/plugin.py) calls from its
events. Plain data in and out; no MkDocs (docs/architecture.md).

    1 load      sources/   editors' files → Project (records, catalogue, problems with file:line)
    2 plan      plan/      Project → Index → every generated page (PageSpec) and the feeds' plan
    3 render    render/    pages → HTML on every core (render/pool.py, driven by MkDocs' on_env)
    4 write     outputs/   data/*.json here; feeds, search/ and admin/ from the plugin's on_post_build

Stages 3 and 4 need MkDocs' environment and files, so the plugin runs them from its events; this
module holds what does not, in the order the build runs it."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .outputs import exports, feeds, gazette_feed, policyfiles, search
from .parallel import DEFAULT, Parallelism
from .plan import annual_reports, applyform, consultations, gazette, identity, kinds, library, report, sitemap
from .plan import tasks  # 重点工作任务
from .outputs import datasets as data_outputs  # 数据开放 / 双公示
from .plan import datasets
from .plan import home_columns  # the home page's column cards
from .plan.index import Index, build_index
from .plan.pages import PageSpec, build_pages
from .plan.urls import Links
from .sources.records import Record
from .sources.validate import Project, load_project


@dataclass(frozen=True)
class SiteOptions:
    """What planning needs from mkdocs.yml and the plugin's options (docs/options.md)."""
    site_name: str
    site_url: str
    site_description: str
    use_directory_urls: bool
    page_size: int
    feed_length: int
    feeds: bool
    report_date: dt.date
    apply_organ: str = ""
    identity: dict = field(default_factory=dict)
    consultation_feedback_days: int = consultations.FEEDBACK_DAYS  # 意见征集: 公开情况 flags no feedback after N days
    gazette_title: str = gazette.DEFAULT_TITLE  # 政府公报's name: 云溪县人民政府公报


@dataclass
class SitePlan:
    """Stage 2's result: the index and every page the site will have, keyed by source path."""
    index: Index
    links: Links
    specs: dict[str, PageSpec]
    report: report.Report
    feedset: feeds.FeedSet | None
    footer: dict
    records_by_src: dict[str, Record]
    annual_reports: list = field(default_factory=list)  # 年度报告 (sources/annual_reports.py)
    # 数据开放 / 双公示 (plan/datasets.py): the published rows, the nav entries, what the site is called
    datasets: object = None
    nav_extra: list = field(default_factory=list)
    site: tuple[str, str] = ("", "")  # (site_url, site_name) for data/catalog.jsonld


def use_fold_tables(cache_dir: Path | None) -> None:
    """The search's fold tables (outputs/search/fold.py) from `cache_dir`, made and kept there when
    missing: every build needs them (the policy library's data, the search index) and making them from
    OpenCC's dictionaries and Unicode's data took ~0.3 s a process on a slow host."""
    from .outputs.search import fold
    from .render import caches

    if cache_dir is None:
        return
    folder, key = cache_dir / "fold", fold.tables_key()
    if fold.has_tables() and caches.is_kept(folder, key):
        return  # (a preview's next build: this process has them, and the cache has them too)
    made = caches.made_once(folder, key, lambda: pickle.dumps(fold.tables(), protocol=pickle.HIGHEST_PROTOCOL))
    try:
        fold.use_tables(*pickle.loads(made))
    except Exception:  # noqa: BLE001 - a damaged entry: made again by this build, kept again by the next
        caches.forget(folder, key)


def load(docs_dir: Path, catalogue_dir: Path, root: Path, records_dir: str, cache_path: Path | None,
         build_day: dt.date, config_file: Path | None, par: Parallelism = DEFAULT,
         parsed: dict | None = None, use_directory_urls: bool = False, theme_dir: Path | None = None,
         hooks: tuple[Path, ...] = ()) -> Project:
    """Stage 1: read and check everything (the caller reports `project.problems`). `parsed`: the last
    build's `Project.parsed`, when the same process builds again (`disclosure serve`)."""
    return load_project(docs_dir, catalogue_dir, root=root, records_dir=records_dir, cache_path=cache_path,
                        build_day=build_day, config_file=config_file, par=par, parsed=parsed,
                        use_directory_urls=use_directory_urls, theme_dir=theme_dir, hooks=hooks)


def plan(project: Project, o: SiteOptions) -> SitePlan:
    """Stage 2: the index, the listings, the report, search, the application form, the feeds and their
    pages, the sitemap page and the footer. It reads `o` and `project.plan_inputs()` only, and nothing
    else (no file, no clock): the page cache takes every page's key from the last build when these
    are unchanged (fingerprints.world)."""
    links = Links(o.use_directory_urls)
    for r in project.records:  # every record's URL, by the host's rule (plan/urls.py), before anything links to one
        r.url = links.url(r.src_path)
    index = build_index(project.catalogue, project.records)
    specs = build_pages(index, links, o.page_size, o.site_name)
    specs += library.library_pages(index, links, o.page_size)  # 政策文件库
    specs += tasks.build_pages(index, links, o.report_date)  # 重点工作任务 (重大建设项目: in build_pages)
    day = project.build_day or o.report_date
    index.consultations = consultations.build_views(index, day)  # 意见征集: statuses on the build day
    specs += consultations.page_specs(index.consultations, links, o.page_size, day)
    consultations.add_home_block(specs, index.consultations, links)
    the_report = report.build_report(index, o.report_date, annual=project.annual_reports,
                                     feedback_days=o.consultation_feedback_days)
    the_report.notes += gazette.report_flags(project.gazette, o.report_date, o.gazette_title)
    specs += gazette.page_specs(project.gazette, index, links, o.gazette_title)
    specs.append(PageSpec(report.PAGE_SRC, "公开情况", "disclosure/report.html", "report",
                          context=report.page_context(the_report), in_nav=True))
    specs[-1].context["sgs_timeliness"] = datasets.timeliness(project.datasets, links, o.report_date)
    specs += datasets.build_pages(project.datasets, project.catalogue, links, o.page_size)
    specs += annual_reports.page_specs(project.annual_reports, links, o.page_size)
    home_columns.add_home_cards(specs, project, index, links)  # the home page's column cards
    specs.append(PageSpec(search.SEARCH_SRC, "搜索", "disclosure/search.html", "search"))
    specs.append(PageSpec(applyform.PAGE_SRC, applyform.TITLE, "disclosure/apply-form.html", "apply-form",
                          context=applyform.page_context(o.apply_organ)))
    feedset = None
    if o.feeds:
        feedset = feeds.plan_feeds(index, links, o.site_name, o.site_description)
        feed_of = feedset.paths()
        for spec in specs:  # a listing's 订阅 button: the feed of its kind and key (plan/kinds.py)
            feed_kind = kinds.feed_of(spec.kind)
            spec.feed = feed_of.get((feed_kind, spec.key)) if feed_kind else None
        _gazette_feed(project, index, links, o, feedset, specs)
        specs.append(PageSpec(feeds.SUBSCRIBE_SRC, "订阅", "disclosure/subscribe.html", "subscribe",
                              context=feeds.subscribe_context(feedset, o.site_url, o.site_name), in_nav=True))
        specs += feeds.feed_page_specs(feedset, index, o.site_url, o.feed_length)
    others = [("站内搜索", search.SEARCH_SRC), (applyform.TITLE, applyform.PAGE_SRC)]  # the nav has the rest
    specs.append(PageSpec(sitemap.PAGE_SRC, sitemap.TITLE, "disclosure/sitemap.html", "sitemap",
                          context=sitemap.page_context(index, others)))
    footer = {"fields": identity.footer_fields(o.identity), "error_link": identity.error_link(o.identity),
              "sitemap": links.url(sitemap.PAGE_SRC)}
    return SitePlan(index=index, links=links, specs={s.src_uri: s for s in specs}, report=the_report,
                    feedset=feedset, footer=footer, records_by_src={r.src_path: r for r in project.records},
                    annual_reports=project.annual_reports,
                    datasets=project.datasets, nav_extra=datasets.nav_entries(project.datasets),
                    site=(o.site_url, o.site_name))


def _gazette_feed(project: Project, index: Index, links: Links, o: SiteOptions, feedset: feeds.FeedSet,
                  specs: list[PageSpec]) -> None:
    """The 政府公报 feed (one item per issue), its page, its 订阅 button and its place on the 订阅 page."""
    if not project.gazette:
        return
    info = gazette_feed.feed_info(project.gazette, links, o.site_name, o.gazette_title)
    feedset.other.append(info)
    specs.append(gazette_feed.page_spec(project.gazette, info, links, o.site_url, o.feed_length))
    for spec in specs:
        if spec.kind == "gazette":
            spec.feed = info.path
    feedset.other_files[info.path] = gazette_feed.render(project.gazette, index, links, o.site_url, info,
                                                         o.feed_length)


def write_data(site: Path, p: SitePlan, cache_dir: Path | None = None, world: str | None = None) -> None:
    """Stage 4, the machine-readable exports: data/records.json and data/catalogue.json. `cache_dir`
    keeps the last records.json made, under `world` if known (exports.records_file)."""
    data = site / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "records.json").write_bytes(exports.records_file(p.index, p.links, cache_dir, world))
    feed_paths = p.feedset.paths() if p.feedset is not None else None
    (data / "catalogue.json").write_text(
        exports.dumps(exports.catalogue_json(p.index, p.links, feed_paths)), encoding="utf-8")
    exports.write_lifecycle(data, p.index, p.links, feed_paths, p.report.date)  # projects.json, tasks.json
    (data / "annual-reports.json").write_text(exports.dumps(exports.annual_reports_json(p.annual_reports, p.links)),
                                              encoding="utf-8")
    (data / "consultations.json").write_text(exports.dumps(exports.consultations_json(p.index)), encoding="utf-8")
    data_outputs.write_datasets(site, p.datasets, p.index.catalogue, p.links, *p.site)


# The site's own stylesheets, in cascade order: one file on every page (assets/site.css), not one
# request each, which a phone waits for before its first paint (linked as the last of extra_css by the plugin).
SITE_CSS = "assets/site.css"
SITE_CSS_PARTS = ("assets/disclosure.css", "assets/search.css", "assets/layout.css", "assets/datasets.css",
                  "assets/a11y.css")


def write_stylesheet(site: Path, parts: list[str]) -> None:
    """Stage 4: assets/site.css, the `parts` (site-relative, as the theme copied them: a project's own
    version of one wins) one after the other. They all sit in assets/, so their url()s hold."""
    text = "".join(f"/* {part} */\n{(site / part).read_text(encoding='utf-8').rstrip()}\n" for part in parts)
    (site / SITE_CSS).write_text(text, encoding="utf-8")


def write_policy_files(site: Path, p: SitePlan, cache_dir: Path | None) -> None:
    """Stage 4, the 政策文件库's files: its data for the filters (policies/library.js) and the Word/PDF
    versions of the 行政规范性文件 that have none of their own (cached in `cache_dir`)."""
    (site / Links.POLICY_DATA).parent.mkdir(parents=True, exist_ok=True)
    (site / Links.POLICY_DATA).write_text(policyfiles.library_script(p.index), encoding="utf-8")
    policyfiles.write_files(site, p.index, cache_dir)
