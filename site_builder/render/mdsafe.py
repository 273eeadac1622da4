"""A Python-Markdown extension (`site_builder.mdsafe`, added by the plugin): raw HTML elements that
are never shown as text (script, style, iframe, …) and HTML comments are dropped, content included,
where Markdown reads inline HTML; and a paragraph keeps its indentation in ideographic spaces.

The sanitizer (sanitize.py) removes them from the page anyway; but Markdown works out a page's title,
its headings' ids and its table of contents before that, from the text of the headings, and without
this `# 通知<script>x()</script>` would become the title "通知x()" and the id "通知x". Code spans are
read before (their text is not HTML), so `<script>` written as code stays.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.blockprocessors import ParagraphProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

HIDDEN = (r"<(script|style|iframe|frame|frameset|noscript|noembed|noframes|object|applet|template|title|xmp)"
          r"\b[^>]*>.*?</\1\s*>|<!--.*?-->")


class _Drop(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        return "", m.start(0), m.end(0)


_ASCII_SPACE = " \t\n\r\f\v"


class _IndentedParagraph(ParagraphProcessor):
    """Python-Markdown's paragraph (and a tight list item's text), but only spaces and tabs stripped
    from its start, as CommonMark (the fast path, bodies.render_gfm) strips them. Python-Markdown
    strips with str.lstrip(), which also took the two ideographic spaces (U+3000, "　　") a Chinese
    document indents its paragraphs with."""

    def run(self, parent, blocks):
        block = blocks.pop(0)
        if not block.strip():
            return
        text = block.lstrip(_ASCII_SPACE)
        if not self.parser.state.isstate("list"):
            etree.SubElement(parent, "p").text = text
            return
        sibling = self.lastChild(parent)
        if sibling is not None:
            sibling.tail = f"{sibling.tail}\n{block}" if sibling.tail else f"\n{block}"
        elif parent.text:
            parent.text = f"{parent.text}\n{block}"
        else:
            parent.text = text


class HiddenMarkup(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # after code spans and escapes (190, 180), before raw inline HTML (90) is stashed whole
        md.inlinePatterns.register(_Drop(HIDDEN, md), "dx_hidden_markup", 95)
        # in the place of Python-Markdown's own (the same name and priority)
        md.parser.blockprocessors.register(_IndentedParagraph(md.parser), "paragraph", 10)


def makeExtension(**kwargs):  # noqa: N802 - how Python-Markdown loads an extension by name
    return HiddenMarkup(**kwargs)


NAME = __name__  # "site_builder.render.mdsafe"
