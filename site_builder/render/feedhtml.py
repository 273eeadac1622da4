"""A record's HTML as a feed carries it (RSS content:encoded): re-sanitized for feed readers, its relative
links and images made absolute against the record's URL, and only characters XML 1.0 allows.

Made in the render workers next to the page (render/pool.py), or from a cached body when it was made for
another address of the record (caches.Body.feed_at); written into the feeds by outputs/feeds.py."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nh3

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> str:
    """Text that can go into XML 1.0: forbidden characters removed (ElementTree escapes the rest)."""
    return _INVALID_XML.sub("", str(value or ""))


# What a feed reader gets of a record body. The body is already sanitized by the plugin; this second,
# narrower pass is for the feed (no ids/classes, no form controls, no inline SVG) and is where relative
# links and images become absolute against the record's own URL.
_FEED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}
_FEED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "abbr": {"title"},
}
_URL_ATTRS = {("a", "href"), ("img", "src")}
# toc's `permalink` (Material's documentation suggests it): a heading's link to itself, "¶", written by
# Python-Markdown and by the fast path alike as <a class=… href="#the heading's id" title=…>…</a>, first or
# last in the heading. A feed reader would show the mark after every heading: it is left out.
_PERMALINK = re.compile(
    r'(<h([1-6])\b[^>]*?\sid="([^"]*)"[^>]*>)'  # the heading and its id (\3)
    r'(?:<a class="[^"<>]*" href="#\3" title="[^"<>]*">[^<]*</a>)?'  # permalink_leading
    r'(.*?)'
    r'(?:<a class="[^"<>]*" href="#\3" title="[^"<>]*">[^<]*</a>)?'
    r'(</h\2>)', re.S)


def feed_html(html: str, page_url: str) -> str:
    """Record HTML for content:encoded: re-sanitized for feeds, relative href/src made absolute."""

    def rewrite(element: str, attribute: str, value: str):
        if (element, attribute) in _URL_ATTRS:
            try:
                return urljoin(page_url, value.strip())
            except ValueError:
                return None
        return value

    if html and "#" in html:
        html = _PERMALINK.sub(r"\1\4\5", html)
    return xml_text(nh3.clean(
        html or "", tags=_FEED_TAGS, attributes=_FEED_ATTRS, attribute_filter=rewrite,
        url_schemes={"http", "https", "mailto", "tel"}, link_rel=None, strip_comments=True,
        clean_content_tags={"script", "style"},
    ))
