"""Smaller HTML without changing what a browser renders.

Material's templates indent deeply; across ten thousand pages that indentation is a large part of
the site. Every run of whitespace that contains a line break becomes a single line break: HTML
collapses whitespace the same way either way, except inside <pre>, <textarea> and scripts, which
are left exactly as they are. In <head>, where nothing is rendered, the line breaks between tags go
too.

Material's base template also writes two components on every page that are empty on ours (our own
templates write the rest of the chrome compactly, see theme/main.html): the announcement bar when
the site has none, and the dialog that shows "copied" after a code block's copy button was used,
on pages with no code block. Material's script looks both up as optional components, so without
them nothing changes.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_HEAD_GAP = re.compile(r"(?:(?<=>)|^)\n(?=<|$)")  # a line break between two tags

# Material 9.8 base.html, as compacted below
_EMPTY_ANNOUNCE = '<div data-md-component="announce">\n</div>\n'
_DIALOG = '<div class="md-dialog" data-md-component="dialog">\n<div class="md-dialog__inner md-typeset"></div>\n</div>\n'


# HTML's whitespace, what a browser collapses: not the ideographic space (U+3000) that indents a line of a
# Chinese document, nor a no-break space, which str.strip() and `\s` take too
_SPACE = " \t\r\f"


def collapse_runs(text: str) -> str:
    r"""Every run of HTML whitespace that contains a line break → one line break: the same as
    re.sub(r"[ \t\r\f]*\n[ \t\n\r\f]*", "\n", text), line by line (that regex can start at any character,
    its first part matching nothing, and took 0.2 ms a page; a page has a few hundred lines)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    last = len(lines) - 1
    out = [lines[0].rstrip(_SPACE)]
    pending = False
    for i in range(1, last + 1):
        rest = lines[i].lstrip(_SPACE)  # the whitespace after a line break (more breaks: empty lines)
        if i < last:
            rest = rest.rstrip(_SPACE)  # and before the next break
        if rest:
            out.append("\n")
            out.append(rest)
            pending = False
        else:
            pending = True
    if pending:
        out.append("\n")
    return "".join(out)


def compact(html: str) -> str:
    parts = _KEEP.split(html)
    out = []
    in_head = "</head>" in html
    # split() yields: text, kept block, tag name, text, kept block, tag name, …
    for i in range(0, len(parts), 3):
        text = collapse_runs(parts[i])
        if in_head:
            end = text.find("</head>")
            if end < 0:
                text = _HEAD_GAP.sub("", text)
            else:
                text = _HEAD_GAP.sub("", text[:end]) + text[end:]
                in_head = False
        out.append(text)
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    html = "".join(out).replace(_EMPTY_ANNOUNCE, "", 1)
    if "<pre" not in html:  # a copy button only ever sits on a code block
        html = html.replace(_DIALOG, "", 1)
    return html
