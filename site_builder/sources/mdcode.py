"""What of a Markdown body a reader sees as code: shown as text, so nothing written there is a link,
a script or markup that sanitizing drops. Warnings about a body's links and markup read the body
without it; what a body publishes (the files it names) is still read from all of it.

Closed fenced blocks (``` or ~~~, indented at most three spaces; an unclosed fence is read as text,
links and all) and inline code spans (within a paragraph) are code. Code fenced inside a list item is
not (its fence is indented further): a warning about it stays, which tells too much rather than too
little."""

from __future__ import annotations

import re

_CODE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?\n[ ]{0,3}\1[`~]*[ \t]*(?:\n|$)"
                   r"|(`+)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)


def without_code(body: str) -> str:
    """The body with its code blanked out: same length and lines, so offsets and line numbers hold."""
    if "`" not in body and "~~~" not in body:
        return body
    return _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
