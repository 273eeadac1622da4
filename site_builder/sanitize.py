"""Record bodies are Markdown, which lets raw HTML through: keep the formatting, drop anything that runs.

nh3 (bindings to the Rust `ammonia` sanitizer) is maintained and fast; a hand-written filter is not
something to trust with HTML.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "input", "label", "svg", "path",
}
_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "span": {"style"},
}


def sanitize(html: str) -> str:
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None, strip_comments=True,
        filter_style_properties={"text-align"},
    )
