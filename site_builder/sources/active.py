"""Files the site publishes as they are that would run script when a reader opens them.

Pages made from Markdown are sanitized (sanitize.py), but MkDocs copies every other file of the content
folder byte for byte: an HTML page kept beside the records, an SVG chart, an XML file. Opened from the
site, such a file runs with the site's own origin and without the pages' Content-Security-Policy. The
files this is for rarely hold any of it (a search engine's verification file, a chart exported as SVG),
so finding any of it is an error (privacy.py reports it as it reads each published file, cached by
its content): a `<script>` or other element that loads or runs code, an event attribute (`onload=` …),
a `javascript:` (or `vbscript:`, HTML `data:`) URL in any attribute, a `<meta http-equiv="refresh">`,
an XSLT stylesheet. Python's own HTML parser reads the markup as browsers tokenize it (attribute values
with their character references decoded, tag names in any case), which a regular expression would not.
"""

from __future__ import annotations

from html.parser import HTMLParser

# what MkDocs copies as it is and a browser runs as a document when it is opened
SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".xml", ".xsl", ".xslt"})

# (not <foreignObject>: draw.io's SVG diagrams hold their labels in it; a script inside it is found as
# anywhere else)
_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
                   "handler", "listener"})
_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application/xhtml")
_INVISIBLE = {c: None for c in range(0x21)}  # a browser skips whitespace and controls in a URL's scheme


class _Finder(HTMLParser):
    # a <style> inside SVG is markup to a browser (`<svg><style><img onerror=…>`): read every element's
    # content as markup, never as raw text
    CDATA_CONTENT_ELEMENTS = ()

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag, attrs):
        if self.found:
            return
        if tag in _TAGS:
            self.found = f"<{tag}>"
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found = f"{name}= 事件属性"
                return
            flat = (value or "").translate(_INVISIBLE).lower()
            if flat.startswith(_SCHEMES):
                self.found = f"{name}=\"{flat.split(':', 1)[0]}:…\""
                return
            if tag == "meta" and name == "http-equiv" and flat == "refresh":
                self.found = "<meta http-equiv=\"refresh\">"
                return

    handle_startendtag = handle_starttag

    def handle_pi(self, data):
        if not self.found and data.lower().startswith("xml-stylesheet") and "xsl" in data.lower():
            self.found = "XSLT 样式表（xml-stylesheet）"


def active_content(data: bytes) -> str | None:
    """What in the file would run when it is opened (`<script>`, `onload= 事件属性` …), or None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    else:  # every markup character is ASCII: UTF-8, GBK and GB 18030 keep it as it is in Latin-1
        text = data.decode("latin-1")
    finder = _Finder()
    try:
        finder.feed(text)
        finder.close()
    except Exception:  # noqa: BLE001 - markup the parser gives up on is not published unread
        return "无法解析的标记"
    return finder.found
