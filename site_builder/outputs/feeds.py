"""RSS 2.0 feeds and the OPML list of them: plain data in, bytes out, no MkDocs.

One feed for the whole site and one per domain, department, catalogue item and tag ("政策找人": a
citizen subscribes to exactly what they care about). The XML is built with ElementTree, never by
pasting strings, and every text that comes from content first loses the characters XML 1.0 forbids,
so nothing an editor writes can make a feed ill-formed. Output depends on content only (no build
time anywhere): the same content always gives the same bytes.

A browser that opens a feed shows it through a CSS stylesheet (assets/feed.css: browsers keep
`<?xml-stylesheet type="text/css"?>`, while XSLT is being switched off), and every 订阅 button leads
to the feed's own HTML page (feeds/domains/fiscal.html beside feeds/domains/fiscal.xml: its address
with a copy button, what RSS is, readers to use, its latest items): see feed_page_specs().
"""

from __future__ import annotations

import hashlib
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape as xml_escape


from ..plan.index import Index, tag_slug
from ..plan.kinds import WITH_FEED
from ..plan.pages import PageSpec
from ..plan.urls import Links, absolute, record_link, site_base
from ..sources.codeversion import code_version
from ..sources.records import Record
from ..render.feedhtml import feed_html, xml_text  # noqa: F401 - feed_html: made in the render workers

DEFAULT_LENGTH = 20  # items per feed, the newest (GOV.UK: 20); full text kept (issue 21)
CSS_PATH = "assets/feed.css"  # site-root-relative, shipped from theme/assets/
OPML_PATH = "feeds.opml"
SUBSCRIBE_SRC = "subscribe.md"  # the generated 订阅 page
THEME_ASSETS = ("assets/feed.css", "assets/subscribe.js", "assets/feed-page.js",  # only when feeds are published
                "assets/feed-page.css")
PAGE_TEMPLATE = "disclosure/feed.html"  # a feed's HTML page

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ATOM_NS = "http://www.w3.org/2005/Atom"
ET.register_namespace("content", CONTENT_NS)
ET.register_namespace("atom", ATOM_NS)

# feed kinds, their folders under feeds/ and group labels: the rows of plan/kinds.py that have a feed

@dataclass(frozen=True)
class FeedInfo:
    """One feed the site publishes."""

    kind: str  # all | domain | department | item | tag
    key: str  # id, or the tag itself; "" for the whole site
    slug: str  # what the feed's file is named after (the id, or tag_slug(tag))
    path: str  # relative to the site root: feeds/domains/fiscal.xml
    name: str  # 财政预决算
    title: str  # channel title: 云溪县政府信息公开 · 财政预决算
    description: str
    page: str  # site-root-relative URL of the listing the feed follows
    count: int  # records in the collection (the feed holds at most `length` of them)
    label: str = ""  # the group of a feed that is not a kind's (FeedSet.other): 政府公报

    @property
    def group(self) -> str:
        return self.label or WITH_FEED[self.kind].feed_label

    @property
    def page_src(self) -> str:
        """The source path of the feed's HTML page: feeds/domains/fiscal.md for feeds/domains/fiscal.xml."""
        return page_src(self.path)


@dataclass
class FeedSet:
    """Every feed: its metadata (for pages, OPML, catalogue.json) and, once rendered, its bytes."""

    feeds: list[FeedInfo]
    files: dict[str, bytes] = field(default_factory=dict)  # site-root-relative path -> bytes
    opml: bytes = b""
    cache_used: dict[str, bytes] = field(default_factory=dict, repr=False)  # feed bytes by content key
    keys: dict[str, str] = field(default_factory=dict, repr=False)  # feed path -> content key
    _titles: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # feeds of something else than records (政府公报 issues: outputs/gazette_feed.py): listed on the 订阅
    # page and in the OPML; their own modules make their bytes and pages
    other: list[FeedInfo] = field(default_factory=list)
    other_files: dict[str, bytes] = field(default_factory=dict)  # their bytes (path -> bytes), made when planned

    def title_of(self, path: str) -> str | None:
        if len(self._titles) != len(self.feeds) + len(self.other):
            self._titles = {f.path: f.title for f in (*self.feeds, *self.other)}
        return self._titles.get(path)

    def paths(self) -> dict[tuple[str, str], str]:
        """(kind, slug) -> feed path: the mapping exports.catalogue_json and listing pages take."""
        return {(f.kind, f.slug): f.path for f in self.feeds}

    def grouped(self) -> list[tuple[str, str, list[FeedInfo]]]:
        """[(kind, group label, feeds)] in the order the 订阅 page and OPML show them."""
        return [(kind, k.feed_label, [f for f in self.feeds if f.kind == kind]) for kind, k in WITH_FEED.items()
                if any(f.kind == kind for f in self.feeds)] + [(f.kind, f.group, [f]) for f in self.other]


def page_src(feed: str) -> str:
    """The source path of a feed's HTML page, from the feed's path (….xml → ….md)."""
    return posixpath.splitext(feed)[0] + ".md"


def feed_path(kind: str, slug: str = "") -> str:
    if kind == "all":
        return "feeds/all.xml"
    return f"feeds/{WITH_FEED[kind].folder}/{slug}.xml"


def plan_feeds(idx: Index, links: Links, site_name: str = "", site_description: str = "") -> FeedSet:
    """Which feeds the site publishes, with titles: known before any page is rendered."""
    cat = idx.catalogue
    site = xml_text(site_name).strip() or "政府信息公开"
    feeds = [FeedInfo("all", "", "", feed_path("all"), "全部信息", f"{site} · 最新公开",
                      xml_text(site_description).strip() or f"{site}最新公开的政府信息",
                      links.home(), len(idx.records))]
    for d in cat.domains.values():
        name = xml_text(d.name)
        feeds.append(FeedInfo("domain", d.id, d.id, feed_path("domain", d.id), name, f"{site} · {name}",
                              xml_text(d.description) or f"“{name}”领域公开的政府信息",
                              links.domain(d.id), len(idx.by_domain.get(d.id, []))))
    for dep in cat.departments.values():
        name = xml_text(dep.name)
        feeds.append(FeedInfo("department", dep.id, dep.id, feed_path("department", dep.id), name,
                              f"{site} · {name}", f"{name}发布的政府信息",
                              links.department(dep.id), len(idx.by_department.get(dep.id, []))))
    for item in cat.items.values():
        name = xml_text(item.name)
        domain = cat.domains.get(item.domain)
        where = f"（{xml_text(domain.name)}）" if domain else ""
        feeds.append(FeedInfo("item", item.id, item.id, feed_path("item", item.id), name,
                              f"{site} · {name}",
                              f"公开事项“{name}”{where}已公开的信息，{item.frequency_label}更新",
                              links.item(item.id), len(idx.by_item.get(item.id, []))))
    for tag in idx.tag_names():
        name = xml_text(tag)
        slug = tag_slug(tag)
        feeds.append(FeedInfo("tag", tag, slug, feed_path("tag", slug), name, f"{site} · 主题词：{name}",
                              f"主题词为“{name}”的政府信息", links.tag(tag), len(idx.by_tag[tag])))
    for proj in cat.projects.values():  # 重大建设项目 (plan/projects.py)
        name = xml_text(proj.name)
        feeds.append(FeedInfo("project", proj.id, proj.id, feed_path("project", proj.id), name,
                              f"{site} · 重大建设项目：{name}", f"重大建设项目“{name}”批准和实施全过程公开的信息",
                              links.project(proj.id), len(idx.by_project.get(proj.id, []))))
    return FeedSet(feeds)


def collection(idx: Index, info: FeedInfo) -> list[Record]:
    """The records a feed follows, newest first (the index keeps them in that order)."""
    if info.kind == "all":
        return idx.records
    return getattr(idx, WITH_FEED[info.kind].collection).get(info.key, [])


# --- URLs ------------------------------------------------------------------------------------------

# --- record bodies ---------------------------------------------------------------------------------

# --- rendering -------------------------------------------------------------------------------------

def _sub(parent: ET.Element, tag: str, content: str | None = None, /, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if content is not None:
        el.text = xml_text(content)
    return el


def _serialize(root: ET.Element, stylesheet: str | None = None) -> bytes:
    ET.indent(root, space=" ")
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    if stylesheet:
        # the href is a path we compute (feeds/…/x.xml → ../../assets/feed.css), never content
        head += f'<?xml-stylesheet type="text/css" href="{stylesheet}"?>\n'
    return (head + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def render_item(r: Record, idx: Index, links: Links, base: str, html_by_src: dict[str, str]) -> tuple[str, bool]:
    """One record as an RSS <item>, as it is written inside a feed (indented for its depth; the
    content: prefix is declared on the feed's root), and whether it carries content:encoded. A record
    sits in several feeds (the site's, its domains', department's, item's and tags'): its item, full
    text and all, is made once.

    Written as text rather than through ElementTree, which took ~0.2 ms an item (most of the feeds'
    time at 10,000 records): the same bytes ElementTree writes (the feed tests parse every feed, and
    the 10,000-record feeds were compared byte for byte), escaped by xml.sax.saxutils; but for the full
    text, a CDATA section (the same XML text once parsed: `&lt;p&gt;` was 7.5% of the feeds' bytes)."""
    parts = [
        _element("title", r.title),
        _element("link", record_link(base, links, r)),
        _element("guid", r.index_no, ' isPermaLink="false"'),
        _element("pubDate", format_datetime(r.date)),
        _element("description", r.summary),
    ]
    full = html_by_src.get(r.src_path)
    if full is not None:  # the full text, as the record page shows it, made by feed_html()
        parts.append(_cdata_element("content:encoded", full))
    domains, department = _catalogue_names(idx, r)
    for name in domains:
        if name is not None:
            parts.append(_element("category", name, _attrs(domain=absolute(base, links.domains()))))
    if department is not None:
        parts.append(_element("category", department, _attrs(domain=absolute(base, links.departments()))))
    for t in r.tags:
        parts.append(_element("category", t, _attrs(domain=absolute(base, links.tags()))))
    if r.doc_type:  # 政策文件库: its type
        parts.append(_element("category", r.doc_type, _attrs(domain=absolute(base, links.policy_library()))))
    for a in r.attachments:
        parts.append(_element("enclosure", None, _attrs(url=absolute(base, a.path), length=str(a.size), type=a.mime)))
    return "<item>\n   " + "\n   ".join(parts) + "\n  </item>", full is not None


def _catalogue_names(idx: Index, r: Record) -> tuple[tuple[str | None, ...], str | None]:
    """All an <item> reads of the catalogue (render_item; and so a feed's cache key): the names of `r`'s
    domains and department, None for one the catalogue does not have."""
    cat = idx.catalogue
    return (tuple(cat.domains[d].name if d in cat.domains else None for d in r.domains),
            cat.departments[r.department].name if r.department in cat.departments else None)


# as ElementTree escapes attribute values (after &, < and >)
_ATTR_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _attrs(**attrs) -> str:
    return "".join(f' {k}="{xml_escape(xml_text(v), _ATTR_ENTITIES)}"' for k, v in attrs.items())


def _element(tag: str, content, attrs: str = "") -> str:
    """<tag attrs>content</tag>, or <tag attrs /> when there is no content (as ElementTree writes it)."""
    text = xml_escape(xml_text(content)) if content is not None else ""
    return f"<{tag}{attrs}>{text}</{tag}>" if text else f"<{tag}{attrs} />"


def _cdata_element(tag: str, content) -> str:
    """<tag><![CDATA[content]]></tag>: HTML without its markup escaped. A `]]>` in the content ends one
    section and starts the next between its `]]` and `>`."""
    text = xml_text(content)
    if not text:
        return f"<{tag} />"
    return f"<{tag}><![CDATA[{text.replace(']]>', ']]]]><![CDATA[>')}]]></{tag}>"


# at import: the code this process runs (a feed cached by a preview still running after an upgrade
# must not be taken for the new code's)
_CODE = code_version("outputs/feeds.py")

_ITEMS_HERE = "dx-items"  # the place of the items in a feed's skeleton


def render_feed(info: FeedInfo, records: list[Record], idx: Index, links: Links, base: str,
                html_by_src: dict[str, str], length: int = DEFAULT_LENGTH, css: str | None = CSS_PATH,
                _items: dict[str, tuple[str, bool]] | None = None) -> bytes:
    """One feed: the newest `length` records. `_items` memoizes serialized <item>s across feeds.

    The channel is serialized by ElementTree with one stand-in element where the items go, then the
    items' text takes its place: the same bytes as serializing the whole tree (the stand-in is in the
    content: namespace when an item uses it, so the root declares it as it would)."""
    items = {} if _items is None else _items
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _sub(rss, "channel")
    _sub(ch, "title", info.title)
    _sub(ch, "link", absolute(base, info.page))
    _sub(ch, "description", info.description)
    _sub(ch, "language", "zh-CN")
    _sub(ch, f"{{{ATOM_NS}}}link", href=absolute(base, info.path), rel="self", type="application/rss+xml")
    shown = records[:max(0, length)]
    if shown:
        # the newest item's date, never the build time: the same content gives the same bytes
        _sub(ch, "lastBuildDate", format_datetime(shown[0].date))
    texts, full = [], False
    for r in shown:
        if r.src_path not in items:
            items[r.src_path] = render_item(r, idx, links, base, html_by_src)
        text, has_full = items[r.src_path]
        texts.append(text)
        full = full or has_full
    stand_in = None
    if texts:
        stand_in = ET.SubElement(ch, f"{{{CONTENT_NS}}}{_ITEMS_HERE}" if full else _ITEMS_HERE)
    stylesheet = posixpath.relpath(css, posixpath.dirname(info.path)) if css else None
    data = _serialize(rss, stylesheet)
    if stand_in is None:
        return data
    marker = (f"<content:{_ITEMS_HERE} />" if full else f"<{_ITEMS_HERE} />").encode("utf-8")
    before, _, after = data.partition(marker)
    return before + "\n  ".join(texts).encode("utf-8") + after


def render_opml(feeds: list[FeedInfo] | FeedSet, base: str, title: str) -> bytes:
    """OPML 2.0 listing the feeds, one folder per kind (feed readers import folders as folders)."""
    fs = feeds if isinstance(feeds, FeedSet) else FeedSet(list(feeds))
    opml = ET.Element("opml", {"version": "2.0"})
    head = _sub(opml, "head")
    _sub(head, "title", title)
    body = _sub(opml, "body")
    for _kind, label, group in fs.grouped():
        folder = _sub(body, "outline", text=label, title=label)
        for f in group:
            _sub(folder, "outline", type="rss", text=f.title, title=f.title, description=f.description,
                 xmlUrl=absolute(base, f.path), htmlUrl=absolute(base, f.page), language="zh-CN")
    return _serialize(opml)


def build_feeds(idx: Index, links: Links, site_url: str, html_by_src: Mapping[str, str] | None = None,
                length: int = DEFAULT_LENGTH, site_name: str = "", site_description: str = "",
                plan: FeedSet | None = None, css: str | None = CSS_PATH, cache: dict | None = None,
                item_keys: Mapping[str, str] | None = None, skip=None,
                only: Container[str] | None = None) -> FeedSet:
    """Render every feed and the OPML. `html_by_src`: each record's feed_html() by source path
    (the plugin has its render workers make it, in parallel and cached with the body; it may be a
    lazy mapping: only the feeds actually rendered read it).

    Caching: each feed gets a key of everything it holds (`fs.keys`, path → key); `item_keys` (src →
    a key of the record's feed HTML) stands in for the HTML in it when given. `cache` (key → bytes)
    supplies unchanged feeds' bytes, and `skip(path, key)` returning True leaves a feed out of
    `fs.files` (the caller has it already). `only`: the paths of the feeds to render (a part from
    split_feeds()); the OPML lists every feed all the same."""
    base = site_base(site_url)
    fs = plan or plan_feeds(idx, links, site_name, site_description)
    html_by_src = {} if html_by_src is None else html_by_src
    items: dict[str, tuple[str, bool]] = {}
    fs.files = {}
    fs.cache_used = {}
    fs.keys = {}
    keyed = cache is not None or skip is not None or item_keys is not None
    described: dict[str, bytes] = {}
    # of the catalogue, a feed holds only its items' domain and department names (render_item): a renamed
    # domain makes again the feeds that carry one of its records, not all of them
    common = repr((base, css, length, links.use_directory_urls, _CODE))
    for f in fs.feeds:
        if only is not None and f.path not in only:
            continue
        records = collection(idx, f)
        key = None
        if keyed:
            h = hashlib.sha256(common.encode("utf-8"))
            h.update(repr((f.path, f.title, f.description, f.page)).encode("utf-8"))
            for r in records[:max(0, length)]:
                part = described.get(r.src_path)
                if part is None:  # a record sits in a dozen feeds: describe it once
                    part = described[r.src_path] = (repr((r.cache_fingerprint(), _catalogue_names(idx, r))) + (
                        item_keys.get(r.src_path, "") if item_keys is not None
                        else html_by_src.get(r.src_path, ""))).encode("utf-8")
                h.update(part)
            key = h.hexdigest()
            fs.keys[f.path] = key
            if skip is not None and skip(f.path, key):
                continue
        data = cache.get(key) if cache is not None else None
        if data is None:
            data = render_feed(f, records, idx, links, base, html_by_src, length, css, items)
        fs.files[f.path] = data
        if key is not None:
            fs.cache_used[key] = data
    for f in fs.other:  # feeds of something else than records: their bytes were made when planned
        if (only is not None and f.path not in only) or f.path not in fs.other_files:
            continue
        data = fs.other_files[f.path]
        if keyed:
            key = hashlib.sha256(data).hexdigest()
            fs.keys[f.path] = key
            if skip is not None and skip(f.path, key):
                continue
            fs.cache_used[key] = data
        fs.files[f.path] = data
    site = xml_text(site_name).strip() or "政府信息公开"
    fs.opml = render_opml(fs, base, f"{site} · 订阅源")
    return fs


def split_feeds(fs: FeedSet, length: int, parts: int) -> list[set[str]]:
    """The feeds' paths in `parts` groups holding about as many items each, to render side by side.
    A record is in several feeds, and each group serializes the items of its own: at 10,000 records
    two groups make ~1.5 times the items one would, on two cores instead of one."""
    groups: list[tuple[int, int, set[str]]] = [(0, i, set()) for i in range(max(1, parts))]
    for f in sorted(fs.feeds, key=lambda f: (-min(f.count, length), f.path)):
        weight, i, paths = min(groups)
        paths.add(f.path)
        groups[i] = (weight + min(f.count, length), i, paths)
    groups[0][2].update(f.path for f in fs.other)  # made already: written with the first group
    return [paths for _, _, paths in groups if paths]


def subscribe_data(fs: FeedSet, site_url: str, site_name: str = "") -> dict:
    """What the 订阅 page's script needs to build an OPML in the browser (embedded as JSON)."""
    base = site_base(site_url)
    site = xml_text(site_name).strip() or "政府信息公开"
    return {
        "title": f"{site} · 我的订阅",
        "feeds": {f"{f.kind}:{f.slug}": {"title": f.title, "description": f.description, "group": f.group,
                                         "xmlUrl": absolute(base, f.path), "htmlUrl": absolute(base, f.page)}
                  for f in fs.feeds if f.kind in ("domain", "department")},
    }


def subscribe_context(fs: FeedSet, site_url: str, site_name: str = "") -> dict:
    """The 订阅 page: every feed grouped by kind, the tick-and-download form, its embedded data."""
    return {
        "groups": fs.grouped(),
        "choices": [(label, [(f"{f.kind}:{f.slug}", f) for f in group])
                    for kind, label, group in fs.grouped() if kind in ("domain", "department")],
        "all": next((f for f in fs.feeds if f.kind == "all"), None),
        "data": subscribe_data(fs, site_url, site_name),
        "opml": OPML_PATH,
    }


def feed_page_specs(fs: FeedSet, idx: Index, site_url: str, length: int = DEFAULT_LENGTH) -> list[PageSpec]:
    """One HTML page per feed, where every 订阅 button leads (a browser shows the feed's XML only as a
    styled list): the feed's address to copy, what RSS is, readers to use, and the items the feed
    holds now (the newest `length`, as in the feed)."""
    base = site_base(site_url)
    return [PageSpec(f.page_src, f"订阅：{f.name}", PAGE_TEMPLATE, "feed", f.path, context={
        "feed": f,
        "xml_url": absolute(base, f.path),
        "records": collection(idx, f)[:max(0, length)],
        "subscribe": SUBSCRIBE_SRC,
        "opml": OPML_PATH,
    }, feed=f.path) for f in fs.feeds]
