"""What of a Markdown body a reader sees as code: shown as text, so nothing written there is a link,
a script or markup that sanitizing drops. Warnings about a body's links and markup read the body
without it; what a body publishes (the files it names) is still read from all of it.

Closed fenced blocks (``` or ~~~, indented at most three spaces; an unclosed fence is read as text,
links and all) and inline code spans (within a paragraph) are code, but not inside a raw HTML block,
which Markdown passes on as it is, backticks and all. Code fenced inside a list item is not read as
code here (its fence is indented further): a warning about it stays, which tells too much rather than
too little."""

from __future__ import annotations

import re

_CODE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?\n[ ]{0,3}\1[`~]*[ \t]*(?:\n|$)"
                   r"|(`+)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)

# a raw HTML block's first line (CommonMark's seven kinds), and where each kind ends: on the line that
# holds its end mark, or (None) before the next blank line
_HTML_BLOCK = re.compile(r"[ ]{0,3}<(?:(?P<raw>script|pre|style|textarea)(?:[\s>]|$)|(?P<comment>!--)|(?P<pi>\?)"
                         r"|(?P<cdata>!\[CDATA\[)|(?P<decl>![A-Za-z])|/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))", re.I)
_HTML_END = {"raw": re.compile(r"</(?:script|pre|style|textarea)>", re.I), "comment": re.compile("-->"),
             "pi": re.compile(r"\?>"), "cdata": re.compile(r"\]\]>"), "decl": re.compile(">")}


def without_code(body: str) -> str:
    """The body with its code blanked out: same length and lines, so offsets and line numbers hold."""
    if "`" not in body and "~~~" not in body:
        return body
    blanked = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    if "<" not in blanked:
        return blanked
    return "\n".join(_with_html_blocks(blanked.split("\n"), body.split("\n")))


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
