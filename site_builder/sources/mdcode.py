"""What of a Markdown body a reader sees as code: shown as text, so nothing written there is a link,
a script or markup that sanitizing drops. Warnings about a body's links and markup read the body
without it; what a body publishes (the files it names) is still read from all of it.

Closed fenced blocks (``` or ~~~; an unclosed fence is read as text, links and all) and inline code
spans (within a paragraph) are code, but not inside a raw HTML block, which Markdown passes on as it is,
backticks and all. A fence at the start of a line, indented at most three spaces, is read by a regular
expression; a fence inside a list item or a quote (indented further, or after the item's marker or a
`>`) by cmark-gfm's own reading of the blocks, as the fast path renders them, and both renderers show
such code alike (render/mdsafe.py)."""

from __future__ import annotations

import re

import cmarkgfm
from cmarkgfm.cmark import Options

_CODE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?\n[ ]{0,3}\1[`~]*[ \t]*(?:\n|$)"
                   r"|(`+)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)

# a raw HTML block's first line (CommonMark's seven kinds), and where each kind ends: on the line that
# holds its end mark, or (None) before the next blank line
_HTML_BLOCK = re.compile(r"[ ]{0,3}<(?:(?P<raw>script|pre|style|textarea)(?:[\s>]|$)|(?P<comment>!--)|(?P<pi>\?)"
                         r"|(?P<cdata>!\[CDATA\[)|(?P<decl>![A-Za-z])|/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))", re.I)
_HTML_END = {"raw": re.compile(r"</(?:script|pre|style|textarea)>", re.I), "comment": re.compile("-->"),
             "pi": re.compile(r"\?>"), "cdata": re.compile(r"\]\]>"), "decl": re.compile(">")}


# a fence the expression above leaves: after a list item's marker or a quote's `>`, or indented further
_INNER_FENCE = re.compile(r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*|[ \t]{4})[ \t>]*(?:`{3,}|~{3,})",
                          re.MULTILINE)
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,})[ \t]*")
_CODE_BLOCK = re.compile(r'<pre data-sourcepos="(\d+):(\d+)-(\d+):\d+"')


def without_code(body: str) -> str:
    """The body with its code blanked out: same length and lines, so offsets and line numbers hold."""
    if "`" not in body and "~~~" not in body:
        return body
    blanked = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    inner = _INNER_FENCE.search(blanked) is not None
    if "<" not in blanked and not inner:
        return blanked
    lines, written = blanked.split("\n"), body.split("\n")
    if "<" in blanked:
        _with_html_blocks(lines, written)
    if inner:
        _blank_inner_fences(lines, written, body)
    return "\n".join(lines)


def _blank_inner_fences(lines: list[str], written: list[str], body: str) -> None:
    """Blank the lines of each closed fenced block inside a list item or a quote, as cmark-gfm reads the
    body's blocks (its own HTML with each block's source lines; raw HTML left out, so a `<pre` in it is
    cmark-gfm's). Its columns count bytes: whole lines are blanked, markers and all, which no warning
    reads."""
    html = cmarkgfm.markdown_to_html(body, options=Options.CMARK_OPT_SOURCEPOS)
    for m in _CODE_BLOCK.finditer(html):
        first, column, last = int(m.group(1)) - 1, int(m.group(2)), int(m.group(3)) - 1
        if last <= first or last >= len(written):
            continue
        opening = _FENCE_OPEN.match(written[first].encode("utf-8")[column - 1:].decode("utf-8", "replace"))
        closing = _FENCE_CLOSE.fullmatch(written[last].lstrip(" \t>-+*0123456789.)"))
        if opening is None or closing is None or closing.group(1)[0] != opening.group(1)[0] \
                or len(closing.group(1)) < len(opening.group(1)):
            continue  # indented code, or a fence left open: read as text (see above)
        for n in range(first, last + 1):
            lines[n] = re.sub(r"[^\n]", " ", written[n])


def _with_html_blocks(lines: list[str], written: list[str]) -> list[str]:
    """`lines` (the body blanked) with each raw HTML block's lines as written: a block starts outside
    code, and what it holds is passed on as HTML, code marks and all."""
    n = 0
    while n < len(lines):
        start = _HTML_BLOCK.match(lines[n])
        if start is None:
            n += 1
            continue
        end = next((_HTML_END[kind] for kind, got in start.groupdict().items() if got), None)
        while n < len(lines):
            lines[n] = written[n]
            n += 1
            if end is not None and end.search(written[n - 1]):
                break
            if end is None and (n == len(lines) or not written[n].strip()):
                break
    return lines
