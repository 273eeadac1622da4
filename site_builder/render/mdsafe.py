"""A Python-Markdown extension (`site_builder.mdsafe`, added by the plugin): raw HTML elements that
are never shown as text (script, style, iframe, …) and HTML comments are dropped, content included,
where Markdown reads inline HTML; a paragraph keeps its indentation in ideographic spaces; bare web
and e-mail addresses become links, as on the fast path (sources/autolink.py). And what CommonMark (the
fast path) reads otherwise than Python-Markdown is read as CommonMark reads it, as the web form writes
it: lists nested and continued by the indentation of their item's text, started (as tables are) right
after a paragraph's line, numbered `1)` too, each item's text in a paragraph when a blank line comes
between two items; a backslash before any ASCII punctuation mark, and at a line's end (a line break);
`~~struck out~~`; code fenced inside a list item or a quote; a heading indented one to three spaces, or
on a list item's later line.

The sanitizer (sanitize.py) removes them from the page anyway; but Markdown works out a page's title,
its headings' ids and its table of contents before that, from the text of the headings, and without
this `# 通知<script>x()</script>` would become the title "通知x()" and the id "通知x". Code spans are
read before (their text is not HTML), so `<script>` written as code stays.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor, ParagraphProcessor
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.inlinepatterns import InlineProcessor, SimpleTagInlineProcessor, SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE, AtomicString, code_escape

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


# a list item's marker and the spaces after it (CommonMark: 1–4 spaces, or none before the line's end)
_ITEM = re.compile(r"([-*+]|\d{1,9}[.)])( *)")
_BREAK = re.compile(r"([-*_])(?: *\1){2,} *")  # a thematic break, not an item: `* * *`, `- - -`
_FENCE = re.compile(r"`{3,}|~{3,}")
_HEADING = re.compile(r"#{1,6}(?: |$)")
_NOT_PARAGRAPH = re.compile(r"#{1,6}(?: |$)|>|=+ *$|-+ *$|\x02")  # heading, quote, setext line, stashed HTML
_TABLE_RULE = re.compile(r" {0,3}\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *")  # a table's line under its header
_CELL_BAR = re.compile(r"(?<!\\)\|")


_FENCE_LINE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")


def _item_lines(parser, parent, block: str) -> list[str] | None:
    """A list item's block as lines, those after its first without the item's indentation (a list reads
    them so; a block the item continues with after a blank line comes without it); None outside an item."""
    if parent.tag != "li" or not (parser.state.isstate("list") or parser.state.isstate("looselist")):
        return None
    tab = parser.md.tab_length
    lines = block.split("\n")
    return [lines[0], *(line[tab:] if line.startswith(" " * tab) else line for line in lines[1:])]


class _FencedCode(BlockProcessor):
    """A fenced code block where Python-Markdown's fenced_code does not look, as CommonMark (the fast
    path) reads it: inside a list item or a quote, indented one to three spaces, or not closed.
    fenced_code finds a fence only at the start of a line of the whole text, so a numbered step's code
    became a paragraph with its lines joined into one code span (and a language's name shown as code).
    The lines of an item's own text after its first keep the item's indentation: they are read here
    without it (_item_lines).
    Python-Markdown splits an item's blocks at blank lines, so code with a blank line arrives in parts:
    while a fence is open, the next part in the same place continues it."""

    def __init__(self, parser):
        super().__init__(parser)
        self._open = None  # (the open fence's <code>, its mark, its indentation)

    def _lines(self, parent, block: str) -> list[str]:
        return _item_lines(self.parser, parent, block) or block.split("\n")

    @staticmethod
    def _opening(line: str):
        m = _FENCE_LINE.fullmatch(line)
        # a backtick fence's info string has no backtick (```a``` is a code span)
        return m if m and (m.group(2)[0] == "~" or "`" not in m.group(3)) else None

    def _continues(self, parent) -> bool:
        return self._open is not None and len(parent) > 0 and len(parent[-1]) > 0 and parent[-1][0] is self._open[0]

    def _unstashed(self, m: re.Match) -> str:
        # raw HTML in the code was put aside before the blocks were read (as Markdown does with HTML blocks):
        # code shows it as text
        raw = self.parser.md.htmlStash.rawHtmlBlocks[int(m.group(1))]
        return raw if isinstance(raw, str) else m.group(0)

    def test(self, parent, block):
        if self._continues(parent):
            return True
        # nearly every block: no fence mark, no line read
        return ("```" in block or "~~~" in block) and any(map(self._opening, self._lines(parent, block)))

    def run(self, parent, blocks):
        block = blocks.pop(0)
        lines = self._lines(parent, block)
        if self._continues(parent):
            code, mark, indent = self._open
            lines.insert(0, "")  # the blank line between the parts
        else:
            at = next(i for i, line in enumerate(lines) if self._opening(line))
            if at:  # a paragraph (or other blocks) before, as written: a fence interrupts them
                self.parser.parseBlocks(parent, ["\n".join(block.split("\n")[:at])])
            m = self._opening(lines[at])
            indent, mark, info = len(m.group(1)), m.group(2), m.group(3).strip()
            code = etree.SubElement(etree.SubElement(parent, "pre"), "code")
            if info:
                code.set("class", "language-" + info.split()[0])
            code.text, lines = AtomicString(""), lines[at + 1:]
        closing = re.compile(r" {0,3}%s{%d,} *" % (re.escape(mark[0]), len(mark)))
        close = next((i for i, line in enumerate(lines) if closing.fullmatch(line)), None)
        body = lines if close is None else lines[:close]
        # up to the fence's own indentation is taken from each line of its code; a blank line is blank (the
        # list pass indents those inside an item's fence too, which keeps the fence in one block)
        text = "".join(line[min(indent, len(line) - len(line.lstrip(" "))):] + "\n" if line.strip() else "\n"
                       for line in body)
        code.text = AtomicString(code.text + code_escape(HTML_PLACEHOLDER_RE.sub(self._unstashed, text)))
        self._open = (code, mark, indent) if close is None else None
        rest = "\n".join(lines[close + 1:]) if close is not None else ""
        if rest.strip():
            blocks.insert(0, rest)


class _ItemHeading(BlockProcessor):
    """A heading on a later line of a list item's text (`- 项` then `  ## 标题`), read as CommonMark (the
    fast path) reads it: a heading inside the item. Python-Markdown finds a heading only at the start of
    a line of its block, and an item's later lines keep the item's indentation, so it showed `## 标题`
    as text in the item. The lines before stay the item's text; the lines after follow the heading, read
    without the item's indentation (with it, Markdown took them for indented code)."""

    def _heading_at(self, lines: list[str]) -> int | None:
        """The first line after the item's first that is a heading (indented less than code is)."""
        return next((i for i, line in enumerate(lines) if i and _HEADING.match(line.lstrip(" "))
                     and len(line) - len(line.lstrip(" ")) < self.tab_length), None)

    def test(self, parent, block):
        lines = "#" in block and _item_lines(self.parser, parent, block)
        return bool(lines) and self._heading_at(lines) is not None

    def run(self, parent, blocks):
        block = blocks.pop(0)
        lines = _item_lines(self.parser, parent, block)
        at = self._heading_at(lines)
        rest = "\n".join(lines[at + 1:])
        blocks[:0] = [lines[at].lstrip(" ")] + ([rest] if rest.strip() else [])
        self.parser.parseBlocks(parent, ["\n".join(block.split("\n")[:at])])


def _cells(line: str) -> int:
    """How many cells a table's row has (GFM: the bars at its ends are not between cells)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(_CELL_BAR.split(row))


class _HtmlBlocksFrom(Preprocessor):
    """Runs right before html_block: the HTML blocks it puts aside are those numbered from here on (the
    code fenced_code put aside before, at the text's top level, is numbered before them)."""

    def __init__(self, md, blocks: _CommonMarkBlocks):
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines):
        self.blocks.first_html_block = self.md.htmlStash.html_counter
        return lines


class _CommonMarkBlocks(Preprocessor):
    """Python-Markdown nests a list, and continues an item, only by four spaces a level, and starts a list
    only after a blank line. The web form (Decap CMS) nests by the item text's indentation, as CommonMark
    does (`* 甲` then `  * 子`, `1. 甲` then `   1. 子`), and editors start a list right after a line
    (`要求如下：` then `1. …`). So a nested list came out flat, an item's second paragraph left its list and
    took the next item into its text, and a list after a line became one paragraph, on the pages
    Python-Markdown renders (a body with a footnote, an admonition, `**《…》**`; MkDocs' own pages) and not
    on the fast path's. This re-indents the lines inside list items to four spaces a level and puts a blank
    line between a paragraph and a list that starts on the next line, where CommonMark starts one, and
    before a table's header on the line after a paragraph's (`表1 …（单位：万元）` then the table), which
    Python-Markdown read into the paragraph. Lines outside lists are left as they are; code fences inside
    an item move with it."""

    first_html_block = 0  # the number of html_block's first placeholder (_HtmlBlocksFrom)

    def run(self, lines):
        tab = self.md.tab_length
        lines = list(lines)
        out, fence = [], None
        items, numbered = [], []  # the open items' text columns, outermost first, and whether each is numbered
        paragraph = None  # the depth of the paragraph the line before continues
        block = last = 0  # the depth of the current block's first line, and of the line before
        i = -1
        while i + 1 < len(lines):
            i += 1
            if fence or items:
                self._put_back(lines, i, in_code=fence is not None)
            line = lines[i]
            text = line.lstrip(" ")
            n = len(line) - len(text)
            if fence:
                opened, shift = fence
                out.append(" " * max(n + shift, 0) + text)
                if text.startswith(opened) and not text.lstrip(opened[0]).strip():
                    fence = None
                continue
            if not text:
                out.append(line)
                paragraph, block = None, None
                continue
            depth = next((d for d, column in enumerate(items) if n < column), len(items))
            marker = _ITEM.match(text)
            if marker and not marker.group(2) and marker.end() < len(text):
                marker = None  # `-1`, `3.5亿元`
            item = marker
            if item and (_BREAK.fullmatch(text) or n - (items[depth - 1] if depth else 0) >= tab):
                item = None  # `* * *`, or indented code
            if item and paragraph == depth and (item.end() == len(text) or item.group(1)[0].isdigit()
                                                and item.group(1) not in ("1.", "1)")):
                item = None  # CommonMark: an empty item, or one not numbered 1, does not interrupt a paragraph
            if paragraph is not None and depth < paragraph and not item and not _NOT_PARAGRAPH.match(text) \
                    and not _FENCE.match(text):
                out.append(text)  # a lazy line of the paragraph before: Markdown keeps it there too
                continue
            number = bool(item) and item.group(1)[0].isdigit()
            other_list = bool(item) and depth < len(items) and numbered[depth] != number
            del items[depth:], numbered[depth:]
            base = items[-1] if items else 0
            if block is None:
                block = depth
            elif depth < block or (item and paragraph == depth == block) or (not item and depth < last) or other_list \
                    or (paragraph == depth == block and self._table_header(lines, i)):
                out.append("")  # Markdown would read it into the block before
                block = depth
            # a line that only looks like an item stays where it was: moved, Markdown could take it for one;
            # a heading indented one to three spaces is one (CommonMark), at its block's own column
            extra = 0 if not item and n - base < tab and _HEADING.match(text) else n - base
            out.append(line if marker and not item else " " * (tab * depth + extra) + text)
            last = depth
            opening = _FENCE.match(text) if n - base < tab else None
            if opening:
                fence, paragraph = (opening.group(0), tab * depth - base), None
            elif item:
                spaces = len(item.group(2))
                items.append(n + len(item.group(1)) + (spaces if spaces <= 4 and item.end() < len(text) else 1))
                numbered.append(number)
                paragraph = len(items) if item.end() < len(text) else None
                last = len(items)
            else:
                paragraph = None if _NOT_PARAGRAPH.match(text) or n - base >= tab else depth
        return out

    def _put_back(self, lines, i, in_code: bool) -> None:
        """An HTML block that Markdown put aside (html_block, before this pass) at lines[i + 1], in a list
        item or in code, put back where it was written. html_block takes a block wherever a line starts
        with a tag, in an item's code and an item's text too, and leaves the tag's indentation on a line
        of its own (lines[i]), the block's placeholder at the line's start, an empty line, then what
        followed the block's last tag (the block holds the newline after it when a blank line came next;
        one left open holds the rest of the text). Left so, code showed the block with an empty line
        before and its later lines with the item's indentation; and a block in an item's text left the
        item (after a blank line, splitting the list in two) or came after a line break, on
        Python-Markdown's pages only. In code the block's lines come back as written; in an item's text
        its placeholder comes back on the tag's line, indented as the tag was (not when text follows the
        block's last tag on its line: left as Markdown read it)."""
        if len(lines[i]) > 3 or lines[i].strip() or i + 1 == len(lines):
            return
        m = HTML_PLACEHOLDER_RE.fullmatch(lines[i + 1])
        after = lines[i + 2:i + 4]
        if m is None or int(m.group(1)) < self.first_html_block or after[:1] not in ([], [""]):
            return
        raw = self.md.htmlStash.rawHtmlBlocks[int(m.group(1))]
        if not isinstance(raw, str):
            return
        tail = after[1] if len(after) > 1 else ""
        if in_code:
            written = raw.removesuffix("\n").split("\n")
            written[0] = lines[i] + written[0]
            written[-1] += tail
        elif lines[i] and not tail.strip():
            written = [lines[i] + lines[i + 1]]
        else:
            return  # a tag at a line's start is outside every item; text after the block: as Markdown read it
        lines[i:i + 2 + len(after)] = written

    @staticmethod
    def _table_header(lines, i) -> bool:
        """lines[i] is a table's header: the line after is the rule under it, with as many cells."""
        rule = lines[i + 1] if i + 1 < len(lines) else ""
        return ("|" in lines[i] and "|" in rule and _TABLE_RULE.fullmatch(rule) is not None
                and _cells(lines[i]) == _cells(rule))


def _nested_item(tab: int) -> re.Pattern:
    return re.compile(r"^[ ]{%d,%d}((\d+[.)])|[*+-])[ ]+.*" % (tab, tab * 2 - 1))


class _NumberedList(SaneOListProcessor):
    """sane_lists' numbered list, its items numbered `1)` too, as CommonMark numbers them."""

    def __init__(self, parser):
        super().__init__(parser)
        self.RE = re.compile(r"^[ ]{0,%d}\d+[.)][ ]+(.*)" % (self.tab_length - 1))
        self.CHILD_RE = re.compile(r"^[ ]{0,%d}((\d+[.)]))[ ]+(.*)" % (self.tab_length - 1))
        self.INDENT_RE = _nested_item(self.tab_length)


class _BulletedList(SaneUListProcessor):
    """sane_lists' bulleted list, with a nested list numbered `1)` too."""

    def __init__(self, parser):
        super().__init__(parser)
        self.INDENT_RE = _nested_item(self.tab_length)


class HiddenMarkup(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # after code spans and escapes (190, 180), before raw inline HTML (90) is stashed whole
        md.inlinePatterns.register(_Drop(HIDDEN, md), "dx_hidden_markup", 95)
        # after raw inline HTML is stashed (90: no address inside a tag's attributes), before entities
        # and emphasis (80, 60), which the fast path reads before its addresses too
        md.inlinePatterns.register(_BareAddress(BARE_ADDRESS.pattern, md), "dx_bare_address", 85)
        # a backslash escapes any ASCII punctuation mark, as in CommonMark: the web form writes `\~` around
        # a range (8:30\~12:00，14:00\~17:30), which Python-Markdown showed with its backslashes
        md.ESCAPED_CHARS.extend(c for c in string.punctuation if c not in md.ESCAPED_CHARS)
        # a backslash ending a line is a line break in CommonMark (the web form writes one so: Shift+Enter,
        # as between a notice's issuer and its date); after escapes (180), so `\\` at a line's end is a
        # backslash
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "dx_backslash_break", 175)
        # `~~作废~~` struck out, as on the fast path (two tildes each side; one is a range: 1~3月); before
        # emphasis (60), as pymdownx.tilde
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(?![\s~])(.+?)(?<![\s~])~~(?!~)", "del"),
                                   "dx_strikethrough", 65)
        # in the place of Python-Markdown's own (the same name and priority)
        md.parser.blockprocessors.register(_IndentedParagraph(md.parser), "paragraph", 10)
        # after indented code (80) and before headings (70) and paragraphs, which a fence interrupts
        md.parser.blockprocessors.register(_FencedCode(md.parser), "dx_fenced_code", 75)
        # after fences (a `#` line in code is code), before headings (70), which it hands the heading to
        md.parser.blockprocessors.register(_ItemHeading(md.parser), "dx_item_heading", 74)
        # before the inline patterns (20)
        md.treeprocessors.register(_LooseLists(md), "dx_loose_lists", 25)
        # after tabs are expanded (30) and code fences and HTML blocks stashed (25, 20)
        blocks = _CommonMarkBlocks(md)
        md.preprocessors.register(blocks, "dx_commonmark_blocks", 15)
        md.preprocessors.register(_HtmlBlocksFrom(md, blocks), "dx_html_blocks_from", 21)
        # Python-Markdown's own sane_lists, as CommonMark: a numbered list after a bulleted one is a list of
        # its own, not more items of it, and one starting at 3 is numbered from 3; and `1)` as `1.`
        md.parser.blockprocessors.register(_NumberedList(md.parser), "olist", 40)
        md.parser.blockprocessors.register(_BulletedList(md.parser), "ulist", 30)


def makeExtension(**kwargs):  # noqa: N802 - how Python-Markdown loads an extension by name
    return HiddenMarkup(**kwargs)


NAME = __name__  # "site_builder.render.mdsafe"
