"""The one sanitization policy for everything made from content: record bodies, ordinary pages (the
home page too), and the text fields of records and the catalogue that listings, feeds, the search
index and data/*.json carry.

Bodies are Markdown, which lets raw HTML through: `sanitize` keeps the formatting and drops anything
that runs or acts (script, style, iframe, object, embed, form, meta, base, link; event attributes;
`javascript:`, `vbscript:` and `data:` URLs; HTML comments, where editors leave internal review notes).
Text fields are plain text: `plain_text` removes markup written into them by the same policy. The
theme's own templates are not content and keep their own scripts (the Content-Security-Policy, csp.py,
allows exactly those).

nh3 (bindings to the Rust `ammonia` sanitizer, an HTML5 parser with an allow-list) is maintained and
fast; a hand-written filter is not something to trust with HTML.
"""

from __future__ import annotations

import html as htmllib
import re

import nh3

from .mdcode import without_code

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
    "input": {"checked", "disabled"},
    "details": {"open"},
    "span": {"style"},
}
# a task list's check box is the only form control content may show (no submit buttons, no text fields)
_ATTR_VALUES = {"input": {"type": {"checkbox"}}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # relative URLs are kept; data:, javascript:, … are not
# elements whose content is not shown as text either: dropped with it (the rest keep their text)
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "noscript", "noembed", "noframes", "object", "applet",
    "template", "title", "xmp", "plaintext", "head",
}
# ids and names the page's own scripts look up (Material's __config, __drawer, …; ours dx-…): content
# that took one would change what those scripts read
_RESERVED_ID = re.compile(r"^\s*(?:__|dx-|md-)", re.I)


def _keep_attribute(tag: str, attribute: str, value: str):
    if attribute in ("id", "name") and _RESERVED_ID.match(value):
        return None
    return value


# Each policy is built once: nh3.clean turns its sets into ammonia's builder on every call, which took
# a fifth of sanitizing a body (0.22 → 0.17 ms, the same output: 10,000 records compared)
_BODY = nh3.Cleaner(
    tags=_TAGS, clean_content_tags=_DROP_WITH_CONTENT, attributes=_ATTRS, tag_attribute_values=_ATTR_VALUES,
    attribute_filter=_keep_attribute, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
    filter_style_properties={"text-align"},
)
_TEXT = nh3.Cleaner(tags=set(), clean_content_tags=_DROP_WITH_CONTENT, attributes={}, strip_comments=True)


def sanitize(html: str) -> str:
    """HTML of a body (record or ordinary page) as it may be published."""
    return _BODY.clean(html)


def html_text(html: str) -> str:
    """The text a reader sees of some HTML (no script or style text, no comments), whitespace collapsed."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    return " ".join(htmllib.unescape(_TEXT.clean(html)).split())


_MARKUP = re.compile(r"<[A-Za-z!/?]")


def has_markup(text: str) -> bool:
    return bool(_MARKUP.search(text))


def plain_text(text: str) -> str:
    """A text field as published. Text with markup written into it (a tag, a comment with a review
    note, a script) is read as HTML and only the text a reader would see of it is kept; text without
    markup is returned as it is."""
    if not _MARKUP.search(text):
        return text
    # nh3 escapes what it keeps; the field is text, escaped again wherever it is written
    return " ".join(htmllib.unescape(_TEXT.clean(text)).split())


# -- telling editors what will not be published ---------------------------------------------------

# in a body; an HTML comment is not among them: editors (and `disclosure new`) leave notes in comments
# knowing they are not published
# Each with what no text it matches is without, in the text casefolded (what re.I matches, as 'ſ' for
# 's', casefolds to it; not so 'ı' for 'i', so no needle holds an 'i'): a body is searched for a kind
# only when it holds that, and the two searches that try every position went from ~200 µs a body to none.
_FINDINGS = (
    (re.compile(r"<\s*(script|style|iframe|frame|object|embed|applet|form|meta|base|link|noscript|template)\b",
                re.I), None, "<"),
    (re.compile(r"<[A-Za-z][^<>]*?\son[a-z]+\s*=", re.I), "事件属性（on…=）", "<"),
    # the same written as an attribute list (attr_list: `![图](a.png){ onerror="…" }`, `{: onclick=… }`)
    (re.compile(r"\{:?[^{}\n]*?(?<![^\s{:])on[a-z]+\s*=[^{}\n]*\}", re.I), "事件属性（on…=）", "{"),
    (re.compile(r"(?:java|vb)script\s*:", re.I), "javascript:/vbscript: 链接", "scr"),
    (re.compile(r"""(?:href|src)\s*=\s*["']?\s*data:|\]\(\s*<?data:""", re.I), "data: 链接", "data:"),
)


def unpublished_markup(text: str) -> list[tuple[int, str]]:
    """What `sanitize` will drop from this Markdown body that its writer may have meant to publish
    (a script, a frame, a form, an event attribute, a javascript: link), as (0-based line, description),
    sorted, one finding of a kind per line. Empty for nearly every body (one search for "<", ":" or "{").
    What is written in code is shown as text, and dropped from nothing."""
    if "<" not in text and ":" not in text and "{" not in text:
        return []
    text = without_code(text)
    folded = text.casefold()
    found = set()
    for pattern, label, needle in _FINDINGS:
        if needle not in folded:
            continue
        for m in pattern.finditer(text):
            found.add((text.count("\n", 0, m.start()), label or f"<{m.group(1).lower()}>"))
    return sorted(found)


def describe(findings: list[tuple[int, str]]) -> str:
    return "、".join(dict.fromkeys(what for _, what in findings))
