"""Record bodies → HTML, fast: cmark-gfm (GitHub's C CommonMark library, also PyPI's README renderer).

Python-Markdown takes ~3 ms for a typical record and cmark-gfm ~0.1 ms; at tens of thousands of
records that is most of a build. cmark-gfm covers what records use (headings, lists, tables, links,
emphasis). Two things it cannot do, and there we hand the body to MkDocs' own Markdown instead:
CommonMark does not close `**《预算法》**规定` (emphasis next to CJK punctuation), and it knows
nothing of Python-Markdown extension syntax (admonitions, footnotes, attribute lists).
"""

from __future__ import annotations

import html as htmllib
import re

from markdown.extensions.toc import nest_toc_tokens, slugify, unique

from .mdsafe import NAME as MDSAFE
from ..sources.records import ATTRIBUTE_LIST, html_to_text, markdown_html

# braces around words only (`{备注}`) are no attribute list here, which Python-Markdown would take for one
# and drop
_EXTENSION_SYNTAX = re.compile(
    rf"^\s*(?:!!!|\?\?\?)|\[\^[^\]]+\]|{ATTRIBUTE_LIST}|^\s*\[TOC\]\s*$|^\s*\*\[[^\]]+\]:", re.M)
_LEFTOVER_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_ATX_NO_SPACE = re.compile(r"^(#{1,6})(?=[^#\s])", re.M)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_HREF = re.compile(r'(<(?:a|img)\s[^>]*?(?:href|src)=")([^"]*)(")')
_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"<(pre|code)[\s>].*?</\1>", re.S)


def normalize(body: str) -> str:
    """Editors often write `##标题` (Python-Markdown accepts it, CommonMark does not)."""
    return _ATX_NO_SPACE.sub(r"\1 ", body)


_EXTENSION_MARKERS = ("!!!", "???", "[^", "{", "[TOC]", "*[")


# Python-Markdown extensions a body may be rendered without: what the fast path does itself (toc, with
# its slugify, separator and permalinks; tables; fenced code), what acts only on syntax
# needs_full_markdown hands to Markdown (attribute lists, admonitions, footnotes, abbreviations,
# collapsible blocks), and ours (mdsafe: the sanitizer drops the same after the fast path; it reads lists
# as sane_lists does, and as CommonMark). Those of
# OWN_SYNTAX below keep it too, for the bodies without their syntax. Any other (nl2br, smarty, meta,
# pymdownx's betterem, magiclink, …) changes what a plain body renders to.
FAST_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list", "admonition", "footnotes", "abbr",
                             "pymdownx.details", "sane_lists", MDSAFE})


# Extensions that act only on syntax of their own (Material's documentation suggests most of them): a
# body without it renders to the same HTML with them as without (Python-Markdown compared on the sample's
# and the benchmark's bodies, and on random strings of Markdown's characters: tests/test_render.py).
# Configured, they keep the fast path for the bodies without their syntax; a body with it goes to
# Markdown. Some also take backslash escapes of their own (`\^`, `\=`, `\:`); four spaces may start code
# in a list or a quote.
OWN_SYNTAX = {
    "pymdownx.highlight": r" {4}|\t|```|~~~",
    "pymdownx.superfences": r"```|~~~",
    "pymdownx.inlinehilite": r"`",
    "pymdownx.snippets": r"--8<--",
    "pymdownx.tasklist": r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]",
    "def_list": r"^[ ]{0,3}:[ \t]",
    "pymdownx.emoji": r":[a-z0-9_+-]+:|\\",
    "pymdownx.tabbed": r"^\s*===",
    "pymdownx.caret": r"\^|\\",
    "pymdownx.mark": r"==|\\",
    "pymdownx.tilde": r"~|\\",
    "pymdownx.keys": r"\+\+",
    "pymdownx.critic": r"\{(?:\+\+|--|~~|==|>>)",
    "md_in_html": r"<",
    "pymdownx.smartsymbols": r"\((?:tm|c|r)\)|c/o|\+/-|-->|<--|=/=|\d/\d|\d(?:st|nd|rd|th)",
    "pymdownx.betterem": r"[*_]",
    "pymdownx.arithmatex": r"\$|\\[(\[]|\\begin",
}
# and their options that make them act on every body
_EVERY_BODY = {"pymdownx.snippets": ("auto_append",)}


def _short(name) -> str:
    module = name.split(":", 1)[0] if isinstance(name, str) else type(name).__module__
    return module.removeprefix("markdown.extensions.")


def own_syntax(names) -> re.Pattern | None:
    """One pattern finding the syntax of the configured extensions of OWN_SYNTAX (a body it finds goes to
    Markdown), None when none is configured."""
    found = [OWN_SYNTAX[short] for short in dict.fromkeys(map(_short, names)) if short in OWN_SYNTAX]
    return re.compile("|".join(f"(?:{p})" for p in found), re.M | re.I) if found else None


# toc's options that change a body's headings or its table of contents, and the values that do not (the
# fast path takes slugify, separator and the permalink options; the rest act only with these or on a
# [TOC] marker)
_TOC_SAME = {"anchorlink": (False, None), "baselevel": (1, "1"), "toc_depth": (6, "6", "1-6")}


def toc_options(configs) -> dict:
    """toc's options in mkdocs.yml (`mdx_configs`), whether the extension is named `toc` or by its module."""
    configs = configs or {}
    return configs.get("toc") or configs.get("markdown.extensions.toc") or {}


def extensions_beyond_fast(names, configs=None) -> list[str]:
    """The configured Markdown extensions (mkdocs.yml `markdown_extensions`, their options in `configs`) the
    fast path would ignore, or toc with an option it does not follow (each heading made a link, …):
    with any, every body is rendered by MkDocs' Markdown, as MkDocs' own pages are."""
    beyond = []
    configs = configs or {}
    for name in names:
        short = _short(name)
        if short in OWN_SYNTAX:
            options = configs.get(name if isinstance(name, str) else short) or configs.get(short) or {}
            beyond += [f"{name}（{key}）" for key in _EVERY_BODY.get(short, ()) if options.get(key)]
        elif short not in FAST_EXTENSIONS:
            beyond.append(name if isinstance(name, str) else type(name).__name__)
        elif short == "toc":
            options = toc_options(configs)
            beyond += [f"{name}（{key}: {options[key]}）" for key, same in _TOC_SAME.items()
                       if key in options and options[key] not in same]
    return beyond


def needs_full_markdown(body: str) -> bool:
    # the regex tries five patterns at every character; nearly every body has none of their markers
    if not any(marker in body for marker in _EXTENSION_MARKERS):
        return False
    return bool(_EXTENSION_SYNTAX.search(body))


def leftover_emphasis(html: str) -> bool:
    """Delimiters CommonMark left as text (outside code) mean it misread the emphasis."""
    if "*" not in html and "__" not in html:  # nearly every body: no regex work at all
        return False
    text = _TAG.sub(" ", _CODE.sub(" ", html))  # a regex, not an HTML parser: this runs on every body
    return bool(_LEFTOVER_EMPHASIS.search(text))


def permalink_of(options) -> tuple[str, str, str, bool] | None:
    """toc's permalink options (`permalink: true` or its text, `permalink_title`, `permalink_class`,
    `permalink_leading`) as render_gfm takes them, or None: the link Python-Markdown puts in each heading."""
    text = options.get("permalink")
    if not text:
        return None
    return ("&para;" if text is True else htmllib.escape(str(text), quote=False),
            htmllib.escape(str(options.get("permalink_title", "Permanent link"))),
            htmllib.escape(str(options.get("permalink_class", "headerlink"))), bool(options.get("permalink_leading")))


def render_gfm(body: str, slug=slugify, separator: str = "-", resolve_link=None, permalink=None, own=None):
    """Return (html, toc tokens, ids, first h1 text) or None when MkDocs' Markdown must render it.
    `permalink`: permalink_of's, for a link to itself in each heading; `own`: own_syntax's pattern."""
    if needs_full_markdown(body) or (own is not None and own.search(body)):
        return None
    out = markdown_html(normalize(body))  # raw HTML in it: sanitized afterwards (render/pool.py)
    if leftover_emphasis(out):
        return None
    used: set[str] = set()
    tokens = []
    title = None

    def heading(m):
        nonlocal title
        # Python-Markdown strips a heading's text with str.strip(), ideographic spaces (U+3000) too;
        # CommonMark strips spaces and tabs only
        level, inner = int(m.group(1)), m.group(2).strip()
        text = " ".join(inner.split()) if "<" not in inner and "&" not in inner else html_to_text(inner)
        ident = unique(slug(text, separator), used)
        if level == 1 and title is None:
            title = text
        tokens.append({"level": level, "id": ident, "name": htmllib.escape(text, quote=False),
                       "html": inner, "data-toc-label": "", "children": []})
        if permalink is None:
            return f'<h{level} id="{ident}">{inner}</h{level}>'
        text, link_title, cls, leading = permalink
        link = f'<a class="{cls}" href="#{ident}" title="{link_title}">{text}</a>'
        return f'<h{level} id="{ident}">{link + inner if leading else inner + link}</h{level}>'

    out = _HEADING.sub(heading, out)
    if resolve_link is not None:
        def href(m):
            new = resolve_link(htmllib.unescape(m.group(2)))
            return m.group(0) if new is None else m.group(1) + htmllib.escape(new) + m.group(3)
        out = _HREF.sub(href, out)
    return out, nest_toc_tokens(tokens), used, title
