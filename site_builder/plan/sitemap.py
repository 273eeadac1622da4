"""网站地图: the HTML page that lists the site's sections (linked from every page's footer), as the
政府网站发展指引 asks. The navigation's own pages come from MkDocs' nav in the template; this module
gives the rest as plain data: domains with their catalogue items, departments, years, other pages."""

from __future__ import annotations

import html

from collections.abc import Callable, Iterable, Mapping

from .index import Index
from .urls import Links, site_root

PAGE_SRC = "sitemap.md"  # sitemap.html (sitemap.xml: xml below)
TITLE = "网站地图"


def page_context(idx: Index, other_pages: list[tuple[str, str]]) -> dict:
    """other_pages: (title, src_uri) of generated pages outside the navigation (search, the form…)."""
    cat = idx.catalogue
    items_by_domain: dict[str, list] = {d: [] for d in cat.domains}
    for item in cat.items.values():
        items_by_domain.setdefault(item.domain, []).append(item)
    return {
        "domains": [(d, items_by_domain.get(d.id, [])) for d in cat.domains.values()],
        "departments": list(cat.departments.values()),
        "years": idx.years(),
        "other_pages": other_pages,
    }


def xml_urls(idx: Index, links: Links, specs: Mapping, published: Callable[[str], bool], site_url: str,
             build_day: str) -> list[tuple[str, str]]:
    """(absolute URL, YYYY-MM-DD) for sitemap.xml beyond MkDocs' own pages: every record with its 发布日期,
    and every generated page outside the navigation (MkDocs lists only the pages of its own loop)
    that is published, with the build day."""
    base = site_root(site_url)
    urls = [(base + r.url, r.date_text) for r in idx.records if r.url]
    urls += [(base + links.url(src), build_day) for src, spec in sorted(specs.items())
             if not spec.in_nav and published(src)]
    return urls


def xml(urls: Iterable[tuple[str, str]]) -> str:
    """sitemap.xml of (absolute URL, YYYY-MM-DD or "") pairs: MkDocs' own pages first, then xml_urls."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in urls:
        parts.append(f"\n    <url>\n         <loc>{html.escape(loc)}</loc>\n         "
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "\n    </url>")
    parts.append("\n</urlset>")
    return "".join(parts)
