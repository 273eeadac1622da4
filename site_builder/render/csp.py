"""A Content-Security-Policy on every page, as `<meta http-equiv>` (a static host cannot forget it).

Defense in depth behind the sanitizer (sanitize.py): should markup from content ever get through, the
browser still runs no script and loads no style but the site's own. The policy allows:

- scripts and style sheets from the site's own files ('self') and, by SHA-256 hash, the few inline
  `<script>` and `<style>` elements that the theme's templates write — never 'unsafe-inline' for
  scripts, never another origin;
- style attributes ('unsafe-inline' in style-src-attr only: content tables align their cells with
  them; an attribute cannot run script);
- images from the site and data: (Material's icons are data: SVGs in its style sheet); on the public
  site https: images too (a record may show a picture from another government site). The kiosk copy
  (`offline=True`) allows no network origin at all: everything is 'self', the copy's own folder.

Which inline elements are the theme's is decided from the templates, not from the page: every inline
`<script>`/`<style>` in the theme folders (the site's custom_dir, ours, Material's) becomes a pattern,
its Jinja expressions allowed only inside a JavaScript/CSS string literal (so a filled-in hole cannot be
code). An inline element on a page that matches no pattern gets no hash: the browser blocks it, and
the build names the page. Data blocks (`<script type="application/json">`, Material's __config) are
not executed and need no hash.

Pure: no MkDocs. The plugin builds one `Policy` per build and calls `apply` on every page's HTML.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass, field

_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_SRC = re.compile(r"""(?:^|\s)src\s*=""", re.I)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
             "text/jscript", "text/livescript", "application/x-javascript", "application/x-ecmascript",
             "text/x-javascript", "text/x-ecmascript", "text/javascript1.0", "text/javascript1.1",
             "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HOLE = r"""[^"'`<>\\\n]*"""  # what a Jinja expression inside a string literal may become
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"""\s*<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*/?>""", re.I)


def executable(tag: str, attrs: str) -> bool:
    """Whether the browser runs (a script) or applies (a style) this inline element."""
    if tag.lower() == "style":
        return True
    if _SRC.search(attrs):
        return False
    m = _TYPE.search(attrs)
    kind = next((g for g in m.groups() if g is not None), "") if m else ""
    return kind.strip().lower() in _JS_TYPES


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _pattern(body: str):
    """The template text of an inline element → an exact string or a compiled pattern; None when a
    Jinja statement or an expression outside a string literal makes its output unpredictable."""
    body = re.sub(r"\{#.*?#\}", "", body, flags=re.S)
    if "{%" in body:
        return None
    parts = _JINJA.split(body)
    if len(parts) == 1:
        return body
    for before, after in zip(parts, parts[1:]):
        quote = before[-1:] if before[-1:] in ("'", '"') else None
        if quote is None or not after.startswith(quote):
            return None
    return re.compile(_HOLE.join(re.escape(p) for p in parts), re.S)


def theme_inline(dirs: list[str]) -> tuple[dict, set, list]:
    """The inline <script>/<style> elements of every template: ({tag: exact texts}, patterns by tag
    (list of (tag, regex)), templates whose inline elements cannot be trusted)."""
    exact: dict[str, set[str]] = {"script": set(), "style": set()}
    patterns: list[tuple[str, re.Pattern]] = []
    skipped: list[str] = []
    for root in dirs:
        for folder, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))  # Material's .icons: thousands of SVGs
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if "<script" not in text and "<style" not in text:
                    continue
                for m in _INLINE.finditer(text):
                    tag, attrs, body = m.group(1).lower(), m.group(2), m.group(3)
                    if not executable(tag, _JINJA.sub("", attrs)):
                        continue
                    pat = _pattern(body)
                    if pat is None:
                        skipped.append(path)
                    elif isinstance(pat, str):
                        exact[tag].add(pat)
                    else:
                        patterns.append((tag, pat))
    return exact, patterns, skipped


PUBLIC_IMAGES = "'self' data: https:"
OFFLINE_IMAGES = "'self' data:"


@dataclass
class Policy:
    """One build's policy: the theme's inline elements, and whether the copy is offline (kiosk)."""
    exact: dict = field(default_factory=lambda: {"script": set(), "style": set()})
    patterns: list = field(default_factory=list)
    offline: bool = False
    _memo: dict = field(default_factory=dict, repr=False)
    _headers: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_theme(cls, dirs: list[str], offline: bool = False) -> "Policy":
        exact, patterns, _ = theme_inline([str(d) for d in dirs])
        return cls(exact, patterns, offline)

    def trusted(self, tag: str, text: str) -> str | None:
        """The hash source for an inline element the theme writes; None for any other."""
        key = (tag, text)
        if key not in self._memo:
            ok = text in self.exact[tag] or any(t == tag and p.fullmatch(text) for t, p in self.patterns)
            self._memo[key] = digest(text) if ok else None
        return self._memo[key]

    def header(self, scripts: tuple[str, ...] = (), styles: tuple[str, ...] = ()) -> str:
        key = (scripts, styles)
        out = self._headers.get(key)
        if out is None:
            # what is not named falls back to default-src (fonts, connections, frames, workers, media);
            # a page carries the policy, so it is kept short (a record's chrome is ~8 kB)
            parts = ["default-src 'self'", " ".join(("script-src 'self'",) + scripts)]
            if styles:
                parts.append(" ".join(("style-src 'self'",) + styles))
            parts += ["style-src-attr 'unsafe-inline'", f"img-src {OFFLINE_IMAGES if self.offline else PUBLIC_IMAGES}",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'"]
            out = self._headers[key] = "; ".join(parts)
        return out

    def inline(self, html: str) -> tuple[tuple[str, ...], tuple[str, ...], int]:
        """(script hashes, style hashes, count of inline elements that are not the theme's)."""
        scripts: list[str] = []
        styles: list[str] = []
        foreign = 0
        if "<script" not in html and "<style" not in html and "<SCRIPT" not in html and "<STYLE" not in html:
            return (), (), 0
        for m in _INLINE.finditer(html):
            tag, attrs, body = m.group(1).lower(), m.group(2), m.group(3)
            if not executable(tag, attrs):
                continue
            source = self.trusted(tag, body)
            if source is None:
                foreign += 1
                continue
            out = scripts if tag == "script" else styles
            if source not in out:
                out.append(source)
        return tuple(scripts), tuple(styles), foreign

    def apply(self, html: str) -> tuple[str, int]:
        """The page with its policy as the first element of <head> after the charset; and how many
        inline elements on it are not the theme's (blocked by the policy). A page without <head> is
        returned as it is."""
        head = _HEAD.search(html)
        if head is None:
            return html, 0
        scripts, styles, foreign = self.inline(html)
        at = head.end()
        charset = _CHARSET.match(html, at)
        if charset is not None:
            at = charset.end()
        meta = f'<meta http-equiv="Content-Security-Policy" content="{self.header(scripts, styles)}">'
        return html[:at] + meta + html[at:], foreign
