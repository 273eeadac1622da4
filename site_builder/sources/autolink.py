"""Bare web and e-mail addresses in a body become links, by one rule for both renderers: cmark-gfm
(records.markdown_html, the fast path) and Python-Markdown (render/mdsafe.py: MkDocs' pages and the
bodies it renders).

An address ends at the first character that cannot be in one as written: a space, or any character
outside ASCII. Chinese text runs on after an address with no space between ("详见https://www.gov.cn/a。
下一句"); cmark-gfm's own autolink extension took "。下一句" into the link, which then led nowhere, and
Python-Markdown linked nothing, so a record's addresses were links or text depending on its renderer.
Trailing punctuation is left out and a closing parenthesis kept only when it closes one in the address,
as GitHub does.
"""

from __future__ import annotations

import html
import re

# after a character that is not part of an address (or a line's start): "a.b@c.cn" is not linked from
# "x@a.b@c.cn", nor "www.a.cn" from "https://www.a.cn"; after a colon it is ("网址:https://…", "Email:…")
_BEFORE = r"(?<![A-Za-z0-9/@._+%&=~#?-])"
_HOST = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
# RFC 3986's characters of a URL but "*", which both renderers read as emphasis first
_PATH = r"[A-Za-z0-9\-._~:/?#@!$&'()+,;=%]"
BARE_ADDRESS = re.compile(
    rf"{_BEFORE}(?:(?:https?://|www\.){_HOST}(?::[0-9]+)?(?:[/?#]{_PATH}*)?"
    rf"|[A-Za-z0-9][A-Za-z0-9._+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}(?![A-Za-z0-9-]))")
_TRAILING = ".,:;!?'_~"
_MARKERS = ("://", "www.", "@")


def address(found: str) -> tuple[str, str]:
    """A BARE_ADDRESS match → (href, the text linked), its trailing punctuation left out."""
    text = found
    while True:
        if text[-1] in _TRAILING:
            text = text[:-1]
        elif text[-1] == ")" and text.count(")") > text.count("("):
            text = text[:-1]
        else:
            break
    if "://" in text:
        return text, text
    if text.startswith("www."):
        return "http://" + text, text
    return "mailto:" + text, text


def _link(text: str) -> str:
    """Escaped text (a text node of HTML) with its addresses as links."""
    plain = html.unescape(text)
    out, at = [], 0
    for m in BARE_ADDRESS.finditer(plain):
        href, shown = address(m.group(0))
        out.append(html.escape(plain[at:m.start()], quote=False))
        # escaped as Python-Markdown's serializer escapes an attribute ("'" kept)
        out.append(f'<a href="{html.escape(href, quote=False).replace(chr(34), "&quot;")}">'
                   f'{html.escape(shown, quote=False)}</a>')
        at = m.start() + len(shown)
    if not out:
        return text
    out.append(html.escape(plain[at:], quote=False))
    return "".join(out)


_TAG = re.compile(r"(<[^>]*>)")
_KEEP_OUT = re.compile(r"<(/?)(a|code|pre|kbd|samp|script|style|textarea)\b", re.I)  # no links made inside
# the end of a paragraph, list item, cell or heading ends what raw HTML left open in it (Python-Markdown
# reads each of them apart)
_BLOCK_END = re.compile(r"</(?:p|li|td|th|h[1-6])>", re.I)


def kept_out(tag: str, depth: int) -> int:
    """How deep inside a link, code, pre, kbd, samp, script, style or textarea the text after `tag`
    is, `depth` being how deep the text before it was (0: outside all)."""
    m = _KEEP_OUT.match(tag)
    if m is None and _BLOCK_END.match(tag):
        return 0
    if m is None or tag.endswith("/>"):
        return depth
    return max(0, depth - 1) if m.group(1) else depth + 1


def link_addresses(markup: str) -> str:
    """HTML (cmark-gfm's) with the bare addresses of its text linked; text inside a link, code, pre,
    script, style or textarea stays as it is."""
    if not any(marker in markup for marker in _MARKERS):
        return markup
    parts = _TAG.split(markup)
    depth = 0
    for i, part in enumerate(parts):
        if i % 2:
            depth = kept_out(part, depth)
        elif not depth and part and any(marker in part for marker in _MARKERS):
            parts[i] = _link(part)
    return "".join(parts)
