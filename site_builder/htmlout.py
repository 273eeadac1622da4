"""Smaller HTML without changing what a browser renders.

Material's templates indent deeply; across ten thousand pages that indentation is a large part of
the site. Every run of whitespace that contains a line break becomes a single line break: HTML
collapses whitespace the same way either way, except inside <pre>, <textarea> and scripts, which
are left exactly as they are.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_RUN = re.compile(r"[ \t\r]*\n\s*")


def compact(html: str) -> str:
    parts = _KEEP.split(html)
    out = []
    # split() yields: text, kept block, tag name, text, kept block, tag name, …
    for i in range(0, len(parts), 3):
        out.append(_RUN.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
