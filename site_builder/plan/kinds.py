"""Page kinds × outputs: one row per kind of generated listing, and which outputs it has (in the spirit
of Hugo's page kinds × output formats). pages.py makes the HTML pages of each row, feeds.py the feeds
and feed pages of the rows that have one, exports.py lists those feeds in data/catalogue.json.

Adding a kind of listing (a gazette issue, a project, a dataset …) is one row here, a template in
theme/disclosure/, the collection in index.py and a test; see docs/architecture.md.

| kind       | pages (HTML)                               | index page        | feed (RSS + its page + OPML)      |
|------------|--------------------------------------------|-------------------|-----------------------------------|
| home       | index.md                                   | —                 | feeds/all.xml                     |
| domain     | domains/<id>.md, domains/<id>/<n>.md       | domains/index.md  | feeds/domains/<id>.xml            |
| department | departments/<id>.md …                      | departments/…     | feeds/departments/<id>.xml        |
| item       | items/<id>.md …                            | —                 | feeds/items/<id>.xml              |
| tag        | tags/<slug>.md …                           | tags/index.md     | feeds/tags/<slug>.xml             |
| year       | years/<yyyy>.md …                          | years/index.md    | —                                 |
| project    | projects/<id>.md (a timeline, plan/projects.py) | projects/index.md | feeds/projects/<id>.xml     |
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # PageSpec.kind of its pages
    folder: str  # its pages are <folder>/<key>.md (page n: <folder>/<key>/<n>.md); its feeds feeds/<folder>/<slug>.xml
    template: str  # the template of one collection's page
    index_template: str | None = None  # the kind's own index page, <folder>/index.md, if it has one
    collection: str = ""  # the Index attribute holding its collections by key ("" : every record)
    feed: str | None = None  # the feed kind (FeedInfo.kind) when it has a feed per key; None: no feed
    feed_label: str = ""  # the feeds' group on the 订阅 page and in the OPML


KINDS: tuple[Kind, ...] = (
    Kind("home", "", "disclosure/home.html", feed="all", feed_label="全部信息"),
    Kind("domain", "domains", "disclosure/domain.html", "disclosure/domains.html", "by_domain",
         feed="domain", feed_label="重点领域"),
    Kind("department", "departments", "disclosure/department.html", "disclosure/departments.html", "by_department",
         feed="department", feed_label="发布机构"),
    Kind("item", "items", "disclosure/item.html", None, "by_item", feed="item", feed_label="公开事项"),
    Kind("tag", "tags", "disclosure/listing.html", "disclosure/tags.html", "by_tag", feed="tag", feed_label="主题词"),
    Kind("year", "years", "disclosure/listing.html", "disclosure/years.html", "by_year"),
    Kind("project", "projects", "disclosure/project.html", "disclosure/projects.html", "by_project",
         feed="project", feed_label="重大建设项目"),
)

BY_NAME = {k.name: k for k in KINDS}
BY_FOLDER = {k.folder: k for k in KINDS if k.folder}
WITH_FEED = {k.feed: k for k in KINDS if k.feed}  # feed kind -> its row, in the order feeds are shown


def feed_of(page_kind: str) -> str | None:
    """The feed kind that follows pages of `page_kind` (home → all), or None."""
    k = BY_NAME.get(page_kind)
    return k.feed if k is not None else None
