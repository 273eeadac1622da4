"""One boundary for the files a site publishes (pure: paths in, problems and decisions out).

The rules, checked by `disclosure check` and before every build:

1. Every file under the content folder (docs_dir) resolves, after following symbolic links, inside the
   project folder (the folder of mkdocs.yml), and not into a hidden folder of it (`.git`, `.cache`,
   `.env` …) nor into the catalogue folder. A link that points elsewhere (or nowhere, or back into its
   own folder) is an error naming the link; nothing under it is published or read.
2. Attachment paths are relative to their record and stay inside the content folder
   (`attachment_problem`, used by records.py): an absolute path or a `..` that climbs out is an error
   naming the record file and line.
3. From the records folder only records (`.md`) and the files they reference (attachments, images and
   links in their bodies) are published; any other file there (a `.txt` note, a draft `.docx`) is a
   warning, “未被任何记录引用，不会发布”, and is withheld. Markdown files reached only through a linked
   folder are not records (records.py does not follow folder links) and are withheld too.
4. Elsewhere in the content folder (ordinary pages and their images, robots.txt, verification files)
   files are published as MkDocs publishes them, except editors' temporary and system files (`~$x.docx`
   Word lock files, `x~`, `.tmp`, `.bak`, `.swp`, Thumbs.db, desktop.ini): warned about and withheld.
   Hidden files and folders, and `templates/` at the top, MkDocs never publishes.
5. `data/` at the top of the content folder holds the datasets' rows (datasets.py: 双公示 CSVs with
   unmasked names and numbers): nothing there is ever copied as it is; the site publishes only the
   checked, masked rows (pages and downloads made from them), so every file there is withheld.
6. A body that links to or shows a local file that is not there, or is withheld, is a warning naming
   the record and line (a broken link or image on the page).
7. Markdown is `.md`, in lower case. A file MkDocs would take for Markdown spelt otherwise (`通知.MD`,
   `指南.markdown`) is an error naming it and is withheld: MkDocs would copy the first as it is (front
   matter, drafts and personal numbers included) and make a page of the second, and neither is read as
   a record nor checked as a page.
8. An HTML, SVG or XML file that would run script when a reader opens it (`<script>`, `onload=`,
   a `javascript:` link …: active.py) is an error naming it (privacy.py reads every file the site
   publishes, and this with it): MkDocs copies such files as they are, outside the pages' sanitizing
   and their CSP.
9. Two files whose paths differ only in case (`通知A.md` and `通知a.md`, `files/名单.PDF` and
   `files/名单.pdf`) are an error naming both: on a case-insensitive disk (a Windows server, the USB
   stick of a kiosk, kiosk.zip unpacked on Windows) one overwrites the other, and a link to it shows
   the other's content.
10. Only regular files are published or read: a named pipe, a socket or a device in the content folder
   (left there by a tool, or linked in) is an error naming it and is withheld. Opening a named pipe to
   read or copy it waits for ever: `disclosure check` hung on one.

`scan()` walks the content folder the way MkDocs does (following folder links) and returns the problems
and the set of content paths to withhold; the plugin removes those from MkDocs' files and checks every
file it copies once more (`outside`) just before the build.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .mdcode import without_code
from .problems import Problems

NOT_REFERENCED = "未被任何记录引用，不会发布"
# MkDocs' Markdown suffixes (mkdocs.utils.markdown_extensions), matched here in any case
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
DATASETS_DIR = "data"  # content/data/: datasets' rows, published only as masked outputs (rule 5)
_JUNK = re.compile(r"^~\$|~$|\.(?:tmp|bak|swp|swo)$|^(?:thumbs\.db|desktop\.ini)$", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WINDOWS_ABS = re.compile(r"^(?:[a-zA-Z]:[\\/]|[\\/]{2})")

# where a record's body names a file: ![x](p), [x](p), [x]: p, and src/href/data/poster="p" in HTML
_BODY_REFS = re.compile(
    r"""\]\(\s*<?([^)\s>]+)"""
    r"""|^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?([^\s>]+)"""  # a reference's definition, not a footnote's (`[^1]: 注释`)
    r"""|\b(?:src|href|data|poster)\s*=\s*["']?([^"'\s>]+)""",
    re.MULTILINE | re.IGNORECASE)


@dataclass
class Scan:
    problems: Problems = field(default_factory=Problems)
    withheld: set[str] = field(default_factory=set)  # docs-relative paths MkDocs would copy and must not
    links_out: dict[str, str] = field(default_factory=dict)  # docs-relative link → why it is refused
    # (record, target) of the links told to go nowhere (_missing_targets): MkDocs' English line is not said too
    missing_links: set[tuple[str, str]] = field(default_factory=set)


def is_inside(path: str, folder: str) -> bool:
    """`path` is `folder` or below it (both already resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def outside(path: str | os.PathLike, root: str | os.PathLike) -> str | None:
    """The resolved target of `path` when it lies outside `root` (after following every link), else
    None. The plugin's last check on each file it copies."""
    real = os.path.realpath(path)
    return None if is_inside(real, os.path.realpath(root)) else real


def url_breakers(path: str) -> str:
    """“#”“?”“%” as they occur in a file's path, or "": a link to the file is written as the path, and a
    browser reads # as the start of a fragment, ? of a query and % of an escape (many servers answer 400)."""
    if "#" not in path and "?" not in path and "%" not in path:
        return ""
    return "".join(f"“{c}”" for c in "#?%" if c in path)


def attachment_problem(path: str, record_dir: str) -> tuple[str, str] | None:
    """(message, hint) when an attachment path as written in a record may not be published: absolute,
    climbing out of the content folder, or hidden. `record_dir` is the record's folder relative to
    the content folder (posix)."""
    shown = path
    if path.startswith(("/", "\\", "~")) or _WINDOWS_ABS.match(path) or _SCHEME.match(path):
        return (f"附件路径“{shown}”是绝对路径或网址，网站不能发布",
                "写相对于本记录所在文件夹的路径，例如 files/预算表.pdf，并把文件放进该文件夹")
    cut = url_breakers(path)
    if cut:
        return (f"附件路径“{shown}”中含有{cut}：下载链接会在这里断开，读者下载不到",
                "给文件改名，去掉 # ? % 这三个字符，并更正 path")
    target = posixpath.normpath(posixpath.join(record_dir, path.replace("\\", "/")))
    if target == ".." or target.startswith("../"):
        return (f"附件路径“{shown}”超出了内容文件夹（content），网站不能发布",
                "附件必须放在内容文件夹中，建议放在本记录旁的 files/ 文件夹，path 写 files/文件名")
    if any(part.startswith(".") for part in target.split("/")):
        return (f"附件路径“{shown}”指向隐藏的文件或文件夹（名称以 . 开头），网站不会发布它",
                "把文件改名或移到名称不以 . 开头的文件夹，例如本记录旁的 files/")
    return None


def _written_refs(body: str):
    """(offset in the body, the link as written) for each link or image a Markdown body writes."""
    if "](" not in body and "]:" not in body and "=" not in body:
        return
    for m in _BODY_REFS.finditer(body):
        written = (m.group(1) or m.group(2) or m.group(3) or "").strip()
        if written:
            yield m.start(), written


def _from_root(written: str) -> bool:
    """A link from the server's root (`/…`), not to another site (`//host/…`)."""
    return written.startswith("/") and not written.startswith("//")


def _local_path(written: str, record_dir: str) -> str | None:
    """The content-relative path of a link as written, when it names a local file (not an anchor, a
    path from a root or another site)."""
    if written.startswith(("#", "/", "\\")) or _SCHEME.match(written):
        return None
    url = unquote(written.split("#", 1)[0].split("?", 1)[0])
    return posixpath.normpath(posixpath.join(record_dir, url)) if url else None


def body_links(body: str, record_dir: str):
    """(offset in the body, the link as written, its content-relative path) for each local file a
    Markdown body links to or shows."""
    for at, written in _written_refs(body):
        path = _local_path(written, record_dir)
        if path is not None:
            yield at, written, path


def shown_links(body: str, record_dir: str):
    """body_links but for those written in code: shown as text, they break nothing to warn about."""
    return body_links(without_code(body), record_dir)


def anchored_links(body: str, src: str):
    """(offset in the body, the link as written, the content-relative path of the page it goes to, the
    place on it) for each link of the Markdown page `src` to a place on a page: `#…` (on `src` itself)
    or `….md#…`. The place is as the page's ids write it (percent escapes decoded)."""
    for at, written in _written_refs(without_code(body)):
        if "#" not in written:
            continue
        page, fragment = written.split("#", 1)
        fragment = unquote(fragment)
        if not fragment:
            continue
        if not page:
            yield at, written, src, fragment
        elif page.split("?", 1)[0].endswith(".md"):
            path = _local_path(page, posixpath.dirname(src))
            if path is not None:
                yield at, written, path, fragment


def body_references(body: str, record_dir: str) -> tuple[set[str], bool]:
    """Content-relative paths of the local files a record's Markdown body links to or shows, and whether
    one of its links may go to a place on a page (a `#`: anchored_links finds them)."""
    paths, to_place = set(), False
    for _, written in _written_refs(body):
        to_place = to_place or "#" in written
        path = _local_path(written, record_dir)
        if path is not None:
            paths.add(path)
    return paths, to_place


# an image the pages' Content-Security-Policy (render/csp.py: 'self' data: https:) will not load
_HTTP_IMAGE = re.compile(r"""!\[[^\]\n]*\]\(\s*<?(http://[^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*["']?(http://[^"'\s>]+)""",
                         re.IGNORECASE)
# names only a local network resolves (RFC 6762 .local, RFC 8375 home.arpa, and what offices use)
_LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".intranet", ".corp", ".home.arpa", ".localdomain")


def _internal_host(written: str) -> str | None:
    """The host of a web link that only an office's own network reaches (a private or loopback address,
    `localhost`, a name with no dot such as `http://oa/`, a .local name), else None."""
    if not written.lower().startswith(("http://", "https://", "ftp://", "//")):
        return None
    try:
        host = urlsplit(written if not written.startswith("//") else "http:" + written).hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host if ("." not in host or host.endswith(_LOCAL_SUFFIXES)) else None
    return host if (address.is_private or address.is_loopback or address.is_link_local) else None


def body_link_problems(body: str, record_dir: str, first_line: int,
                       this: str = "本记录") -> list[tuple[int, str, str]]:
    """(line, message, hint) for each link in a body that breaks on the page: to a file outside the
    content folder (never published); from the server's root (`/…`: it breaks when the site is not at
    the root of its domain, in the preview under another path, and in the kiosk copy opened from disk,
    and no check can see whether it leads anywhere); to a file on the editor's computer (`file:`, as
    links pasted from Word are: it also shows the computer's user name); to an office's internal network
    (it also shows the network's addresses); and an image over http://, which the pages' security
    policy does not load. `this` is how the hints name the page (本记录, or 本页 for an ordinary page)."""
    found = []
    body = without_code(body)
    for at, written in _written_refs(body):  # one pass for every kind
        if written.lower().startswith("file:"):
            found.append((at, f"正文中的链接或图片“{written}”指向编辑者电脑上的文件，读者打不开，还会让人看到这台电脑上的用户名和文件夹",
                          f"把文件放进{this}旁的 files/ 文件夹，链接写成 files/文件名（从 Word 复制来的链接常是这样）"))
        elif (host := _internal_host(written)) is not None:
            found.append((at, f"正文中的链接或图片“{written}”指向内部网络（{host}），互联网上的读者打不开，还暴露了内部网络的地址",
                          f"删除这个链接，或换成互联网上能访问的地址；要给读者的文件请放进{this}旁的 files/ 文件夹"))
        elif _from_root(written):
            found.append((at, f"正文中的链接或图片“{written}”以“/”开头（网站根目录），网站不在域名根目录、在离线版中打开时，读者看到的是坏链接",
                          f"改写为相对于{this}所在文件夹的链接（例如 files/通知.pdf 或 ../other-record.md），构建时会检查它是否存在"))
        elif (path := _local_path(written, record_dir)) is not None and (path == ".." or path.startswith("../")):
            found.append((at, f"正文中的链接“{written}”指向内容文件夹（content）以外，网站不会发布那个文件，读者点开是坏链接",
                          f"把要链接的文件放进内容文件夹（建议放在{this}旁的 files/ 文件夹）并改写链接，或删除这个链接"))
    if "http://" in body.lower():
        for m in _HTTP_IMAGE.finditer(body):
            found.append((m.start(), f"正文中的图片“{m.group(1) or m.group(2)}”用 http:// 加载：网页的安全策略只允许本站和 https:// 的图片，"
                                     "读者看到的是无法显示的图片",
                          f"改用 https:// 地址，或把图片保存后放进{this}旁的 files/ 文件夹，写成 ![说明](files/图片名)"))
    return sorted((first_line + body.count("\n", 0, at), message, hint) for at, message, hint in found)


def referenced_files(records) -> set[str]:
    """Every content-relative path the records reference: attachments and files named in bodies
    (`Record.links`, worked out from the body when the record is read, and cached with it)."""
    refs: set[str] = set()
    for r in records:
        refs.update(a.path for a in r.attachments)
        refs.update(r.links)
    return refs


def _private(real: str, root: str, private: tuple[str, ...]) -> bool:
    rel = os.path.relpath(real, root)
    return any(part.startswith(".") for part in Path(rel).parts) or any(is_inside(real, p) for p in private)


def scan(docs_dir: Path, root: Path, records_dir: str, records, docs_rel: str = "content",
         private: tuple[Path, ...] = (), also: frozenset[str] = frozenset(), folder_pages: bool = False) -> Scan:
    """Walk the content folder as MkDocs will, and decide what may be published (see the module's
    rules). `records` are the records read (for what they reference); `docs_rel` is how editors know
    the content folder (for messages); `private` are project folders never to publish (the catalogue);
    `also`: content paths the catalogue references (政府公报 PDFs), published like attachments;
    `folder_pages`: a folder's address opens its page (use_directory_urls), else a link to one is told."""
    out = Scan()
    root_real = os.path.realpath(root)
    docs_real = os.path.realpath(docs_dir)
    private_real = tuple(os.path.realpath(p) for p in private)
    if not is_inside(docs_real, root_real):
        out.problems.error(docs_rel, None, "内容文件夹（docs_dir）在项目文件夹以外，网站只发布项目文件夹中的文件",
                           "把内容文件夹放进 mkdocs.yml 所在的文件夹，并在 mkdocs.yml 中写相对路径 docs_dir")
        return out
    prefix = posixpath.normpath(records_dir.replace("\\", "/")).strip("/")
    prefix = "" if prefix == "." else prefix
    referenced = referenced_files(records) | also
    walked: set[str] = set()  # every file and folder walked, for the bodies' links (_missing_targets)
    files: list[str] = []  # every file walked (_case_twins)
    # (folder to read, its content-relative path, resolved folders above it, reached through a link)
    stack = [(str(docs_dir), "", (docs_real,), False)]
    while stack:
        folder, rel_dir, chain, linked = stack.pop()
        try:
            with os.scandir(folder) as found:
                entries = list(found)
        except OSError as exc:
            out.problems.error(f"{docs_rel}/{rel_dir}".rstrip("/"), None, f"无法读取文件夹：{exc.strerror}",
                               "检查该文件夹的读取权限")
            continue
        for e in entries:
            if e.name.startswith(".") or (not rel_dir and e.name == "templates"):
                continue  # MkDocs never publishes these (exclude_docs defaults)
            rel = f"{rel_dir}/{e.name}" if rel_dir else e.name
            shown = f"{docs_rel}/{rel}"
            in_records = not prefix or rel == prefix or rel.startswith(prefix + "/")
            is_link = e.is_symlink()
            real = os.path.realpath(e.path) if is_link else None
            if is_link:
                problem = _link_problem(real, root_real, docs_real, chain, private_real)
                if problem:
                    message, hint = problem
                    out.problems.error(shown, None, message, hint)
                    out.links_out[rel] = message
                    out.withheld.add(rel)
                    continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                # records.py reads the records folder itself even when it is a link, never folders
                # linked below it
                stack.append((e.path, rel, chain + (real or os.path.realpath(e.path),),
                              linked or (is_link and rel != prefix)))
                walked.add(rel)
                continue
            walked.add(rel)
            if not e.is_file():  # rule 10: a named pipe, a socket or a device (reading one waits for ever)
                out.problems.error(shown, None, "不是普通文件（命名管道、套接字或设备），不会发布，也不会读取",
                                   "删除它：内容文件夹中只放编辑写的文件和要发布的附件")
                out.withheld.add(rel)
                continue
            files.append(rel)
            if rel_dir == DATASETS_DIR or rel_dir.startswith(DATASETS_DIR + "/"):
                out.withheld.add(rel)  # rule 5: never as written (datasets.py checks and masks the CSVs)
            elif not e.name.endswith(".md") and e.name.lower().endswith(_MARKDOWN_SUFFIXES):
                # rule 7: MkDocs copies `x.MD` as it is, and makes a page of `x.markdown` that no check here reads
                stem, ext = posixpath.splitext(e.name)
                kind = "记录" if in_records else "网页"
                out.problems.error(shown, None, f"扩展名“{ext}”不是小写的 .md：这个文件不会作为{kind}读取和检查，也不会发布",
                                   f"把它改名为 {stem}.md，再重新生成")
                out.withheld.add(rel)
            elif in_records:
                if rel.endswith(".md"):
                    if linked:
                        out.problems.warning(shown, None, "经符号链接的文件夹中的 Markdown 文件不会作为记录读取，不会发布",
                                             "把记录文件放进记录文件夹本身（不要用链接的文件夹）")
                        out.withheld.add(rel)
                elif rel not in referenced:
                    out.problems.warning(shown, None, NOT_REFERENCED,
                                         "要发布它，在某条记录的 attachments 中列出它，或在正文中链接它；"
                                         "否则请把它移出内容文件夹（草稿、内部材料不要放在这里）")
                    out.withheld.add(rel)
            elif _JUNK.search(e.name):
                out.problems.warning(shown, None, "编辑软件的临时文件或系统文件，不会发布",
                                     "关闭正在编辑它的软件后删除该文件")
                out.withheld.add(rel)
    _records_through_links(records, out, docs_rel)
    _missing_targets(records, walked, out, docs_rel, prefix, folder_pages)
    _case_twins(files, out, docs_rel)
    return out


def _case_twins(files: list[str], out: Scan, docs_rel: str) -> None:
    """Rule 9: published files whose paths are equal but for case; the later of each two by name gets
    the error, naming the other."""
    if len({rel.casefold() for rel in files}) == len(files):  # nearly always: one set, no dict
        return
    seen: dict[str, str] = {}
    for rel in files:
        if rel in out.withheld:
            continue
        other = seen.setdefault(rel.casefold(), rel)
        if other != rel:
            first, second = sorted((rel, other))
            out.problems.error(f"{docs_rel}/{second}", None,
                               f"与 {docs_rel}/{first} 的文件名只差大小写：放到 Windows 服务器、自助终端的 U 盘上，"
                               "或在 Windows 中解压 kiosk.zip 时，两个文件会互相覆盖，链接打开的是另一个文件",
                               "把其中一个改为别的文件名（文件名不要只靠大小写区分），再重新生成")
            out.withheld.add(second)


def _link_problem(real: str, root: str, docs: str, chain: tuple[str, ...], private: tuple[str, ...]):
    if not is_inside(real, root):
        return (f"符号链接指向项目文件夹以外（{real}），其内容不会发布",
                "把要发布的文件复制到项目文件夹中（不要用链接指向项目以外）；不要发布的，删除此链接")
    if not os.path.exists(real):
        return ("符号链接指向的文件不存在", "删除此链接，或把它指向项目中存在的文件")
    if _private(real, root, private):
        return (f"符号链接指向项目中不发布的位置（{os.path.relpath(real, root)}：隐藏文件夹或公开事项目录）",
                "删除此链接；要发布的文件请复制到内容文件夹中")
    if os.path.isdir(real) and any(is_inside(c, real) for c in chain):
        return ("符号链接指向它所在的文件夹或其上级，形成循环", "删除此链接")
    return None


_PAGE_SUFFIXES = (".md", ".html", ".htm")


def _missing_targets(records, walked: set[str], out: Scan, docs_rel: str, prefix: str,
                     folder_pages: bool = False) -> None:
    """A body that links to or shows a local file that is not there, or that is withheld, makes a broken
    link or image on the page: a warning naming the record and line. MkDocs checks links to pages (in
    English, without a line), not to files, and not HTML `src` at all; pages are left to it (a link
    may go to a generated listing), but for a record's page that is gone (deleted, renamed), said here
    with its line. Checked on every build: the file can go while the record stays."""
    in_records = f"{prefix}/" if prefix else None  # (records everywhere: a generated page is no file either)
    for r in records:
        if not r.links or all(p in walked and p not in out.withheld for p in r.links):
            continue
        for at, written, path in shown_links(r.body, posixpath.dirname(r.src_path)):
            if _to_folder(written):
                if folder_pages:
                    continue  # a folder's page: MkDocs' to check
                said = folder_link(written, "本记录")
            elif path.lower().endswith(_PAGE_SUFFIXES):
                if not (in_records and path.endswith(".md") and path.startswith(in_records) and path not in walked):
                    continue  # any other page: MkDocs' to check
                said = (f"正文中的链接“{written}”指向的记录不存在（已删除、改名或移走），读者看到的是坏链接",
                        "改正链接（相对于本记录所在文件夹，注意文件名的大小写），或删除这个链接")
            elif path not in walked:
                if path == ".." or path.startswith("../"):
                    continue  # out of the content folder: said when the record was read (body_link_problems)
                link, why = _refused_link_on(path, out)
                if link is not None:  # there, but through a link the build refuses (an error names it)
                    said = (f"正文中的链接或图片“{written}”经由 {docs_rel}/{link}：{why}，读者看到的是坏链接或无法显示的图片",
                            "把要链接的文件复制到本记录旁的 files/ 文件夹并改写链接，不要用符号链接")
                else:
                    said = _no_file(written, f"{docs_rel}/{path}", "本记录")
            elif path in out.withheld:
                said = _withheld_file(written, "本记录")
            else:
                continue
            out.problems.warning(f"{docs_rel}/{r.src_path}", r.body_line + r.body.count("\n", 0, at), *said)
            out.missing_links.add((r.src_path, path))


def pages_missing_targets(pages: dict[str, tuple[str, int]], present, withheld, scheduled, docs_rel: str,
                          problems: Problems, folder_pages: bool = False) -> set[tuple[str, str]]:
    """An ordinary page's link or image to a page or file the site does not have (`present`: what it
    publishes, generated pages included, by source path and by the path of what is written, so that a
    link to a page's .html is there), or withholds, or to a folder (unless `folder_pages`, see scan): a
    warning naming the page and line (MkDocs says it in English, without the line, a folder as
    information). Links to a record held back until its day are told by links_to_scheduled. Returns the
    (page, target) pairs told, and those of links to a page's .html that is there (MkDocs, which
    knows pages by their .md, says those are not found)."""
    told = set()
    for src, (body, first) in pages.items():
        for at, written, path in shown_links(body, posixpath.dirname(src)):
            folder = _to_folder(written)
            there = not folder and path in present and path not in withheld
            if there and _html(path):
                told.add((src, path))  # there, whatever MkDocs says
            if there or (folder and folder_pages) or path in scheduled or path == ".." or path.startswith("../"):
                continue  # there; told elsewhere; out of the content folder (body_link_problems)
            if folder:
                said = folder_link(written, "本页")
            elif path in withheld:
                said = _withheld_file(written, "本页")
            elif path.lower().endswith(_PAGE_SUFFIXES):
                said = _no_page(written, "本页")
            else:
                said = _no_file(written, f"{docs_rel}/{path}", "本页")
            problems.warning(f"{docs_rel}/{src}", first + body.count("\n", 0, at), *said)
            told.add((src, path))
    return told


def records_missing_pages(records, present, scheduled, records_dir: str, docs_rel: str,
                          problems: Problems) -> set[tuple[str, str]]:
    """A record's link to a page that the site does not have (`present`, as for pages_missing_targets):
    outside the records folder by its .md, anywhere by its .html. A warning naming the record and line.
    Told here, once MkDocs' file list is complete, since a record may link to a page the build generates
    (search.md); _missing_targets tells the rest when the records are read. Returns the (record, target)
    pairs told, and those of links to a page's .html that is there (as pages_missing_targets)."""
    inside = f"{records_dir}/" if records_dir else None

    def lost(path: str) -> bool:
        return ((_html(path) or (path.endswith(".md") and not (inside and path.startswith(inside))))
                and path not in present and path not in scheduled and path != ".." and not path.startswith("../"))

    told = set()
    for r in records:
        for path in r.links:  # (the links are known without reading the body)
            if _html(path) and path in present:
                told.add((r.src_path, path))  # there, whatever MkDocs says
        if not any(lost(p) for p in r.links):
            continue
        for at, written, path in shown_links(r.body, posixpath.dirname(r.src_path)):
            if lost(path) and not _to_folder(written):
                problems.warning(f"{docs_rel}/{r.src_path}", r.body_line + r.body.count("\n", 0, at),
                                 *_no_page(written, "本记录"))
                told.add((r.src_path, path))
    return told


def _html(path: str) -> bool:
    return path.lower().endswith((".html", ".htm"))


def _to_folder(written: str) -> bool:
    return written.split("#", 1)[0].split("?", 1)[0].endswith("/")


# what a broken link is told, on a record (this: 本记录) or an ordinary page (本页)
def _no_page(written: str, this: str) -> tuple[str, str]:
    return (f"正文中的链接“{written}”指向的页面不存在（已删除、改名或移走），读者看到的是坏链接",
            f"改正链接（相对于{this}所在文件夹，注意文件名的大小写），或删除这个链接")


def _no_file(written: str, shown: str, this: str) -> tuple[str, str]:
    return (f"正文中的链接或图片“{written}”指向的文件不存在，读者看到的是坏链接或无法显示的图片",
            f"把文件放到 {shown}，或改正链接（相对于{this}所在文件夹，注意文件名的大小写）")


def _withheld_file(written: str, this: str) -> tuple[str, str]:
    return (f"正文中的链接或图片“{written}”指向的文件不会发布（见对该文件的提示），读者看到的是坏链接",
            f"把要链接的文件放进{this}旁的 files/ 文件夹并改写链接，或删除这个链接")


def links_to_scheduled(records, scheduled, docs_rel: str, problems: Problems,
                       pages: dict[str, tuple[str, int]] | None = None) -> set[tuple[str, str]]:
    """A published record's body, or an ordinary page's (`pages`: src -> (body, its first line)), that
    links to a record held back until its day (定时发布): a broken link until then, and it names the coming
    record's file. A warning naming the file and line (MkDocs says only, in English, that the target is
    not among the documentation files). Returns the (page, target) pairs told."""
    later = {r.src_path: r for r in scheduled}
    told: set[tuple[str, str]] = set()
    if not later:
        return told
    bodies = [(r.src_path, r.body, r.body_line, "把本记录的 date 改为不早于那一天，或等那条记录发布后再加上这个链接")
              for r in records if r.links and not later.keys().isdisjoint(r.links)]
    bodies += [(src, body, line, "等那条记录发布后再加上这个链接") for src, (body, line) in (pages or {}).items()]
    for src, body, first, hint in bodies:
        for at, written, path in shown_links(body, posixpath.dirname(src)):
            coming = later.get(path)
            if coming is not None:
                problems.warning(f"{docs_rel}/{src}", first + body.count("\n", 0, at),
                                 f"正文中的链接“{written}”指向定时发布的记录（将于 {coming.date_text} 发布），在那之前读者看到的是坏链接",
                                 hint)
                told.add((src, path))
    return told


def folder_link(written: str, this: str) -> tuple[str, str]:
    """What a link to a folder is told where the site is opened from its files (use_directory_urls off:
    the sample's setting, and every kiosk copy's)."""
    page, _, place = written.partition("#")
    better = page + "index.md" + (f"#{place}" if place else "")
    return (f"正文中的链接“{written}”指向文件夹：从磁盘打开网站（包括查阅点离线版）时，读者看到的是文件列表，不是页面",
            f"改写为 {better}（指向那个文件夹的首页；相对于{this}所在文件夹），生成时会换成正确的网址")


def _refused_link_on(path: str, out: Scan) -> tuple[str | None, str | None]:
    """The refused symbolic link `path` is, or goes through, and why it was refused."""
    for link, why in out.links_out.items():
        if path == link or path.startswith(link + "/"):
            return link, why
    return None, None


def _records_through_links(records, out: Scan, docs_rel: str) -> None:
    """A record whose attachment goes through a refused link is an error too (naming the record)."""
    if not out.links_out:
        return
    for r in records:
        for a in r.attachments:
            link, why = _refused_link_on(a.path, out)
            if link is not None:
                out.problems.error(f"{docs_rel}/{r.src_path}", r.lines.get("attachments"),
                                   f"附件“{a.path}”经由 {docs_rel}/{link}：{why}",
                                   "把附件文件复制到本记录旁的 files/ 文件夹，不要用符号链接")
