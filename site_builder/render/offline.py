"""The kiosk copy (查阅点离线版): the site as a touch terminal in a service hall shows it, from disk.

A kiosk copy is the ordinary site built with the plugin option `kiosk: true`, which:

- turns feeds off (no subscribe buttons, no 订阅 page: a terminal has no feed reader) and forces
  `use_directory_urls: false` (over file:// a link to a folder opens a directory listing);
- refuses anything that would reach the network (theme fonts, Material's offline plugin and its unpkg
  shim, analytics, consent, social links, external `extra_css`/`extra_javascript`), because a terminal
  is often offline and must not hang on a request;
- renders links that would leave the copy (http(s), mailto:, tel:, and over file:// `/…` or `../` above
  the copy, which open the terminal's own files) inert, with a note saying where they lead, and opens attachments inside the copy instead of downloading them;
- adds the touch-terminal layer (assets/kiosk.css, assets/kiosk.js): larger text and touch targets, a
  fixed bar with 返回首页 on every page, the date of the copy, and a return to the home page after
  `kiosk_idle_seconds` without a touch, key, pointer or scroll.

`disclosure kiosk --out DIR` (site_builder/commands/kiosk.py) builds such a copy atomically into DIR and writes
DIR.zip beside it, with entries in a fixed order, so a terminal can be updated by copying one file.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..sources.dates import SHANGHAI

DEFAULT_IDLE_SECONDS = 120
THEME_ASSETS = ("assets/kiosk.css", "assets/kiosk.js")  # copied only into kiosk copies

# Material plugins and settings that make a page reach the internet (docs/architecture.md; Material's offline plugin loads from unpkg, theme fonts from Google)
_NETWORK_PLUGINS = ("material/offline", "offline", "material/social", "social", "material/privacy", "privacy")
_NETWORK_EXTRA = ("social", "analytics", "consent")


class KioskError(ValueError):
    """The configuration cannot make an offline copy; the message says what to change."""


@dataclass(frozen=True)
class KioskInfo:
    """What the templates need (context variable `kiosk`)."""
    stamp: str  # 本地副本的更新时间, "YYYY-MM-DD HH:MM" (Asia/Shanghai)
    stamp_iso: str  # for <time datetime>
    idle_seconds: int  # 0: never return home by itself


def copy_time(environ=None) -> dt.datetime:
    """When a copy is made: now, or SOURCE_DATE_EPOCH when it is set (a reproducible build's time: two
    builds of one state then give the same copy, zip included)."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), SHANGHAI) if epoch.isdigit() else dt.datetime.now(SHANGHAI)


def stamp(now: dt.datetime | None = None) -> tuple[str, str]:
    """The copy's date as shown ("YYYY-MM-DD HH:MM", Beijing time) and as ISO 8601 with offset."""
    now = (now or copy_time()).astimezone(SHANGHAI).replace(second=0, microsecond=0)
    return now.strftime("%Y-%m-%d %H:%M"), now.isoformat()


def info(idle_seconds: int, now: dt.datetime | None = None) -> KioskInfo:
    shown, iso = stamp(now)
    return KioskInfo(stamp=shown, stamp_iso=iso, idle_seconds=max(0, int(idle_seconds)))


def _is_remote(url: str) -> bool:
    url = (url or "").strip()
    return url.startswith("//") or bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url))


def _leaves_copy(url: str, page_dir: str | None) -> bool:
    """Whether a page at `page_dir` (its folder in the copy; None: not known, climbing not checked)
    opened from disk would follow `url` out of the copy: to another site or scheme, or, over file://, to
    the disk's root (`/…`) or above the copy's folder (`../` once too often): files of the terminal
    itself, never meant to be shown."""
    url = (url or "").strip()
    if _is_remote(url) or url.startswith(("/", "\\")):
        return True
    path = unquote(url.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not path or page_dir is None:
        return False
    climbed = posixpath.normpath(posixpath.join(page_dir, path))
    return climbed == ".." or climbed.startswith("../")


def prepare_config(config) -> list[str]:
    """Make an MkDocs config fit for a kiosk copy, in place. Returns notes on what was changed;
    raises KioskError for what cannot be changed silently (it would mean a page without a script
    or style its author relies on)."""
    notes = []
    problems = []
    if config.use_directory_urls:
        config.use_directory_urls = False
        notes.append("use_directory_urls 已改为 false（从本地磁盘打开时，目录链接无法显示页面）")
    theme = config.theme
    if theme.get("font") not in (False, None):
        theme["font"] = False
        notes.append("theme.font 已改为 false（主题字体来自 Google Fonts，离线时无法加载；改用系统字体）")
    for key in _NETWORK_EXTRA:
        if config.extra.get(key):
            config.extra[key] = None
            notes.append(f"extra.{key} 已在离线版中去掉（需要联网）")
    for key in ("repo_url", "edit_uri"):
        if config.get(key):
            config[key] = None
    for name in _NETWORK_PLUGINS:
        if name in config.plugins:
            problems.append(f"插件 {name} 会从互联网加载内容，离线版不能使用：请在生成离线版所用的配置文件中去掉它")
    for option in ("extra_css", "extra_javascript"):
        for entry in config[option]:
            path = getattr(entry, "path", entry)
            if _is_remote(str(path)):
                problems.append(f"{option} 中的 {path} 来自互联网，离线版无法加载：请把文件放进网站目录后改用相对路径")
    if problems:
        raise KioskError("；\n".join(problems))
    return notes


# -- links that would leave the copy ---------------------------------------------------------------

_A_OPEN = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs = attrs


def _attrs(tag: str) -> list[tuple[str, str | None]]:
    p = _Attrs()
    p.feed(tag)
    p.close()
    return p.attrs


def _note(href: str) -> str:
    parts = urlsplit(href.strip())
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return f"电子邮件：{unquote(parts.path)}，本机不能发送"
    if scheme == "tel":
        return f"电话：{unquote(parts.path)}"
    if scheme in ("http", "https", "ftp", "") and parts.netloc:
        return f"外部网站 {parts.hostname or parts.netloc}，本机不能打开"
    if not scheme:
        return "离线版以外的文件，本机不能打开"
    return "外部链接，本机不能打开"


def _format_attrs(attrs) -> str:
    out = []
    for name, value in attrs:
        out.append(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"')
    return "".join(out)


def offline_links(page_html: str, page_dir: str | None = None) -> str:
    """Rewrite a page for a kiosk (at `page_dir`, its folder in the copy): a link that leaves the copy
    becomes plain text followed by a note on where it leads (the address stays readable, nothing is
    clickable); `target` and `download` go from local links, so nothing opens a window or saves a
    file on the terminal."""
    out = []
    pos = 0
    for m in _A_OPEN.finditer(page_html):
        if m.start() < pos:  # inside a link we already rewrote
            continue
        attrs = _attrs(m.group(0))
        names = {k for k, _ in attrs}
        href = next((v for k, v in attrs if k == "href"), None)
        if href is not None and _leaves_copy(href, page_dir):
            close = _A_CLOSE.search(page_html, m.end())
            if close is None:
                continue
            kept = [(k, v) for k, v in attrs if k in ("class", "id", "title", "lang")]
            cls = next((v for k, v in kept if k == "class"), "")
            kept = [(k, v) for k, v in kept if k != "class"] + [("class", f"{cls} dx-offline".strip())]
            out.append(page_html[pos:m.start()])
            out.append(f"<span{_format_attrs(kept)}>")
            out.append(page_html[m.end():close.start()])
            out.append(f'</span><span class="dx-offline__note">（{html.escape(_note(href), quote=False)}）</span>')
            pos = close.end()
        elif names & {"target", "download"}:
            kept = [(k, v) for k, v in attrs if k not in ("target", "download")]
            if "download" in names:
                kept.append(("data-dx-attachment", None))
            out.append(page_html[pos:m.start()])
            out.append(f"<a{_format_attrs(kept)}>")
            pos = m.end()
    out.append(page_html[pos:])
    return "".join(out)


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def offline_images(page_html: str, page_dir: str | None = None) -> str:
    """Rewrite a page for a kiosk (at `page_dir`, its folder in the copy): an image from another site
    (a record may show one on the public site), or from outside the copy on the terminal's disk,
    becomes its description and a note, so the page requests nothing from the network or the disk."""
    if "<img" not in page_html and "<IMG" not in page_html:
        return page_html

    def inert(m):
        attrs = _attrs(m.group(0))
        src = next((v for k, v in attrs if k == "src"), None) or ""
        srcset = next((v for k, v in attrs if k == "srcset"), None) or ""
        sources = [src] + [c.split()[0] for c in srcset.split(",") if c.strip()]
        if not any(u and _leaves_copy(u, page_dir) for u in sources):
            return m.group(0)
        alt = next((v for k, v in attrs if k == "alt"), None) or ""
        shown = f"<span class=\"dx-offline\">{html.escape(alt, quote=False)}</span>" if alt.strip() else ""
        where = "外部网站的图片" if any(_is_remote(u) for u in sources) else "离线版以外的图片"
        return shown + f'<span class="dx-offline__note">（{where}，本机不能显示）</span>'

    return _IMG.sub(inert, page_html)


# -- what a built copy may not contain ------------------------------------------------------------

_LOADING_TAG = re.compile(r"<(script|img|iframe|embed|source|video|audio|link|object|input)\b[^>]*>", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)
_NON_LOADING_REL = {"canonical", "alternate", "prev", "next", "author", "license", "help", "search", "me"}


def remote_references(site_dir: Path) -> list[str]:
    """Every place in the copy's HTML and CSS that would load something from outside the copy
    (script, style sheet, image, frame, font, @import); links that only name a page (canonical,
    alternate) are fine. An empty list is what a kiosk copy must give."""
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            for m in _LOADING_TAG.finditer(text):
                attrs = dict(_attrs(m.group(0)))
                tag = m.group(1).lower()
                if tag == "link":
                    rels = set((attrs.get("rel") or "").lower().split())
                    if rels and rels <= _NON_LOADING_REL:
                        continue
                for key in ("src", "href", "data", "srcset", "poster"):
                    value = attrs.get(key)
                    if value and _is_remote(value.split()[0]) and not value.startswith("data:"):
                        found.append(f"{rel}: <{tag} {key}={value!r}>")
            for m in re.finditer(r"<style\b[^>]*>(.*?)</style>", text, re.IGNORECASE | re.DOTALL):
                found.extend(f"{rel}: <style> {u}" for u in _css_urls(m.group(1)))
        else:
            found.extend(f"{rel}: {u}" for u in _css_urls(text))
    return found


def _css_urls(css: str) -> list[str]:
    return [u for u in _CSS_URL.findall(css) if _is_remote(u) and not u.startswith("data:")]
