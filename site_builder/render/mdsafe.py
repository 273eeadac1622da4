"""A Python-Markdown extension (`site_builder.mdsafe`, added by the plugin): raw HTML elements that
are never shown as text (script, style, iframe, …) and HTML comments are dropped, content included,
where Markdown reads inline HTML; a paragraph keeps its indentation in ideographic spaces; bare web
and e-mail addresses become links, as on the fast path (sources/autolink.py); and a list with a blank line
between two of its items has every item's text in a paragraph, as CommonMark (the fast path) makes it.

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
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE, AtomicString

from ..sources.autolink import BARE_ADDRESS, address, kept_out

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


class _BareAddress(InlineProcessor):
    """A bare address (autolink.BARE_ADDRESS) as a link; never inside a link, nor inside raw HTML's
    <a>, <code>, … (stashed by then: each tag an inline placeholder for an HTML placeholder; read back
    from the two stashes), as on the fast path."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        depth, nodes, stash = 0, self.md.treeprocessors["inline"].stashed_nodes, self.md.htmlStash.rawHtmlBlocks
        for node in INLINE_PLACEHOLDER_RE.finditer(data, 0, m.start(0)):
            raw = HTML_PLACEHOLDER_RE.fullmatch(str(nodes.get(node.group(1), "")))
            if raw:
                depth = kept_out(str(stash[int(raw.group(1))]), depth)
        if depth:
            return None, None, None
        href, shown = address(m.group(0))
        link = etree.Element("a", {"href": href})
        link.text = AtomicString(shown)
        return link, m.start(0), m.start(0) + len(shown)


class _LooseLists(Treeprocessor):
    """Python-Markdown puts an item's text in a paragraph when a blank line comes before the item, so
    `1. 甲` `(blank)` `2. 乙` `3. 丙` had 乙 in a paragraph and 丙 not: uneven spacing within one list, and
    not as the fast path renders it. CommonMark calls such a list loose and puts every item's text in a
    paragraph; so does this, for each list with an item that starts with a paragraph. Runs before the
    inline patterns: a tight item's text is still its element's text."""

    def run(self, root):
        for lst in [e for e in root.iter() if e.tag in ("ol", "ul")]:  # the tree changes below: not while iterating
            items = [li for li in lst if li.tag == "li"]
            if not any(len(li) and li[0].tag == "p" and not (li.text or "").strip() for li in items):
                continue
            for li in items:
                if (li.text or "").strip():
                    p = etree.Element("p")
                    p.text, li.text = li.text.strip(_ASCII_SPACE), None
                    li.insert(0, p)


class HiddenMarkup(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # after code spans and escapes (190, 180), before raw inline HTML (90) is stashed whole
        md.inlinePatterns.register(_Drop(HIDDEN, md), "dx_hidden_markup", 95)
        # after raw inline HTML is stashed (90: no address inside a tag's attributes), before entities
        # and emphasis (80, 60), which the fast path reads before its addresses too
        md.inlinePatterns.register(_BareAddress(BARE_ADDRESS.pattern, md), "dx_bare_address", 85)
        # in the place of Python-Markdown's own (the same name and priority)
        md.parser.blockprocessors.register(_IndentedParagraph(md.parser), "paragraph", 10)
        # before the inline patterns (20)
        md.treeprocessors.register(_LooseLists(md), "dx_loose_lists", 25)


def makeExtension(**kwargs):  # noqa: N802 - how Python-Markdown loads an extension by name
    return HiddenMarkup(**kwargs)


NAME = __name__  # "site_builder.render.mdsafe"
