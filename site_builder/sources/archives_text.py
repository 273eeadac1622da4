"""The text inside archives and files that are ZIP packages: ZIP archives (附件打包下载), RAR, 7-Zip and tar
archives, OFD (GB/T 33190, the national format of electronic official documents) and OpenDocument
(LibreOffice; WPS saves it too).

ZIP packages are read with the standard library's zipfile and lxml, the way attachments_text.py reads
Office's parts: OFD has no maintained Python reader, and an OpenDocument file's text is a few XML
elements. The other archives are read with libarchive (through libarchive-c), which reads them all. Each piece
says where it stands (a member of the archive, a page of an OFD, a cell of a sheet); files found inside
are handed back to `inner` (attachments_text.py), which reads them by their own suffix.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path

from .file_pieces import (
    ARCHIVE_SUFFIXES, EXECUTABLE_HINT, EXECUTABLE_NOTE, EXECUTABLE_SUFFIXES, IMAGE_SUFFIXES, MEDIA_SUFFIXES,
    Extracted, Note, Piece, column_letter, library_warnings,
)

# inner(name, data, kind): the pieces of a file found inside, each prefixed with kind“name”
Inner = Callable[[str, bytes, str], Extracted]

# an archive is read up to these: a "zip bomb" (a few kB that unpack to gigabytes) only gets a note
MAX_MEMBERS = 5_000
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
LOCKED_HINT = "读者没有密码也打不开：去掉密码重新打包后放回；确需加密的，请人工逐个检查其中的文件"


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part of a package (an OFD's page, an OpenDocument's content.xml), within the limit a member of
    an archive has: a few kB of XML that unpack to gigabytes would fill the memory."""
    if archive.getinfo(name).file_size > MAX_MEMBER_BYTES:
        raise ValueError(f"{name} unpacks to more than {MAX_MEMBER_BYTES} bytes")
    return archive.read(name)


def member_name(info: zipfile.ZipInfo) -> str:
    """The name a reader's unzip tool shows: without the UTF-8 flag, ZIP names are bytes in the writer's
    code page, and Windows' own "发送到 → 压缩文件夹" writes GBK (zipfile reads them as CP437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


class _Members:
    """What an archive's members add up to, under the limits and with the notes every kind of archive
    has: each member's name (a file may be named after a person and their number) and what it holds."""

    def __init__(self, inner: Inner, container: str = "压缩包"):
        self.inner = inner
        self.container = container  # what the editor calls the file: 压缩包, 电子书 …
        self.out = Extracted()
        self.count = 0
        self.total = 0

    def add(self, name: str, size: int, locked: bool, read: Callable[[], bytes]) -> bool:
        """One member (`read` gives its bytes); False when the archive is to be read no further."""
        out = self.out
        if name.startswith("__MACOSX/") or posixpath.basename(name) == ".DS_Store":
            return True  # what macOS adds beside each file: no unzip tool shows it
        if self.count >= MAX_MEMBERS or self.total + size > MAX_TOTAL_BYTES:
            out.notes.append(Note(f"{self.container}中的文件过多或过大（超过 {MAX_MEMBERS} 个或 1 GB），"
                                  f"从“{name}”起未自动检查其中的个人信息"))
            return False
        self.count += 1
        out.pieces.append(Piece(f"{self.container}中的文件名“{name}”", None, posixpath.basename(name)))
        suffix = posixpath.splitext(name)[1].lower()
        if suffix in EXECUTABLE_SUFFIXES:
            out.notes.append(Note(f"{self.container}中的“{name}”{EXECUTABLE_NOTE}", EXECUTABLE_HINT))
        elif suffix in ARCHIVE_SUFFIXES:  # not unpacked again: the limits hold for one archive, not a nest of them
            out.notes.append(Note(f"{self.container}中的“{name}”又是一个压缩包，其中的文件未自动检查",
                                  "把里面的文件直接放进外层压缩包（不要压缩包套压缩包）后再放回；或请人工逐个检查"))
        elif suffix in MEDIA_SUFFIXES or posixpath.basename(name).lower() == "thumbs.db":
            pass  # sound, video and fonts, as on the site (their names are read); Windows' thumbnail cache
        elif locked:
            out.notes.append(Note(f"{self.container}中的“{name}”设有密码，无法自动检查其中的个人信息", LOCKED_HINT))
        elif size > MAX_MEMBER_BYTES:
            out.notes.append(Note(f"{self.container}中的“{name}”过大（超过 200 MB），未自动检查其中的个人信息"))
        else:
            data = read()
            self.total += max(size, len(data))  # what it unpacked to, whatever its header said
            more = self.inner(name, data, f"{self.container}中的")
            out.pieces += more.pieces
            out.notes += more.notes
        return True


def read_zip(source: Path | io.BytesIO, inner: Inner, container: str = "压缩包") -> Extracted:
    """Each member's name and what it holds (_Members); `container`: what the editor calls the file."""
    members = _Members(inner, container)
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if not info.is_dir() and not members.add(member_name(info), info.file_size, bool(info.flag_bits & 0x1),
                                                     lambda info=info: archive.read(info)):
                break
    return members.out


def read_other_archive(source: Path | io.BytesIO, suffix: str, inner: Inner) -> Extracted:
    """A RAR, 7-Zip or tar archive (compressed or not: .tar.gz …), as its `suffix` says, member by member
    as read_zip, with libarchive (the library of bsdtar, and of Windows' and macOS' own tar) through
    libarchive-c. libarchive 3.6 unpacks a RAR5 member that has a password as if it had none (the bytes
    it gives are noise), so which RAR members have one is read from the headers by rarfile (pure Python;
    it reads headers without any tool). A member libarchive cannot unpack (a solid RAR 3 archive past
    its first file) ends the reading with a note for a person."""
    try:
        import libarchive
    except (ImportError, OSError, AttributeError):  # the library missing on this computer: as any file not read
        return Extracted(notes=[Note("无法自动读取这种压缩包（本机没有安装 libarchive），其中的个人信息未经检查",
                                     "在生成网站的电脑上安装 libarchive（Debian/Ubuntu：apt install libarchive13），"
                                     "或请人工逐个检查其中的文件")])
    whole = None if isinstance(source, Path) else source.getvalue()  # a file is read from the disk as it goes
    # the format the suffix names, and no other: left to guess, libarchive takes a text file for an
    # "mtree" archive of no files, and a .gz holding a CSV would pass as read
    locked: set[str] | Note = set()
    if suffix == ".rar":
        form = "rar5" if _head(source, whole).startswith(b"Rar!\x1a\x07\x01") else "rar"
        locked = _rar_locked(source)
        if isinstance(locked, Note):
            return Extracted(notes=[locked])
    else:
        form = "7zip" if suffix == ".7z" else "tar"

    def opened():
        return libarchive.file_reader(str(source), form) if whole is None else libarchive.memory_reader(whole, form)

    members = _Members(inner)
    name, read = "", False  # the member last reached, and whether it was read through
    try:
        with _warnings_kept(members.out), opened() as archive:
            for entry in archive:
                if entry.isdir or entry.issym or entry.islnk:
                    continue  # (a file's mode is its archiver's: not always a regular file's)
                name, read = _entry_name(entry), False
                if not members.add(name, entry.size or 0, name in locked, lambda entry=entry: _entry_bytes(entry)):
                    break
                read = True
    except libarchive.ArchiveError as exc:
        if not name and suffix in (".gz", ".bz2", ".xz"):
            return Extracted(notes=[Note(f"无法自动读取：这个 {suffix} 文件不是 tar 压缩包（只读取 .tar.gz 这类），"
                                         "其中的个人信息未经检查", "请人工检查；或解压后用 ZIP 格式打包再放回")])
        where = f"中“{name}”以后的文件" if read else f"中从“{name}”起的文件" if name else "中的文件"
        members.out.notes.append(Note(f"压缩包{where}无法自动读取（{_archive_error(exc)}），其中的个人信息未经检查",
                                      "请人工逐个检查；或解压后用 ZIP 格式重新打包再放回"))
    return members.out


def _head(source: Path | io.BytesIO, whole: bytes | None) -> bytes:
    if whole is not None:
        return whole[:8]
    with source.open("rb") as fh:
        return fh.read(8)


def _rar_locked(source: Path | io.BytesIO) -> set[str] | Note:
    """The members of a RAR archive that have a password, or a note when not even its list of files can
    be read (its headers have a password too; a damaged header)."""
    import rarfile

    try:
        archive = rarfile.RarFile(str(source) if isinstance(source, Path) else io.BytesIO(source.getvalue()))
        infos = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - rarfile raises its own kinds for each: a person reads it
        return Note(f"无法读取压缩包的文件列表（{type(exc).__name__}，可能设有密码），其中的个人信息未经检查")
    if archive.needs_password() and not infos:
        return Note("压缩包设有密码（连文件名都已加密），无法自动检查其中的个人信息", LOCKED_HINT)
    return {i.filename for i in infos if i.needs_password()}


def _entry_name(entry) -> str:
    name = entry.pathname
    if isinstance(name, bytes):  # not UTF-8: a Chinese Windows' archiver writes GBK
        name = name.decode("gb18030", errors="replace")
    return (name or "").replace("\\", "/").lstrip("/")


def _entry_bytes(entry) -> bytes:
    """A member's bytes, read no further than a member may unpack to (its header's size may be missing)."""
    out = bytearray()
    for block in entry.get_blocks():
        out += block
        if len(out) > MAX_MEMBER_BYTES:
            raise ValueError(f"a member unpacks to more than {MAX_MEMBER_BYTES} bytes")
    return bytes(out)


def _archive_error(exc) -> str:
    """libarchive's message without the pointers and codes libarchive-c adds to it."""
    return str(getattr(exc, "msg", None) or "文件已损坏")[:120]


@contextlib.contextmanager
def _warnings_kept(out: Extracted):
    """What libarchive warns of while reading (a member's bad checksum: its bytes may be wrong) as a note
    for a person, not a stray line in the build's output (libarchive-c logs it)."""
    with library_warnings("libarchive") as seen:
        try:
            yield
        finally:  # an error that ends the reading is said too (read_other_archive)
            out.notes += [Note(f"读取压缩包时发现问题（{text[:120]}），其中的文件可能未读全，个人信息请人工检查")
                          for text in dict.fromkeys(seen)]


# -- OFD (GB/T 33190-2016) ----------------------------------------------------------------------------

_DOC_INFO = (("Title", "标题"), ("Author", "作者"), ("Subject", "主题"), ("Abstract", "摘要"),
             ("Keywords", "关键词"), ("Creator", "创建者"))


def _xml(data: bytes):
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _find(root, name: str):
    """The first element named `name` in any namespace: producers differ in the namespace they write
    (the standard's, an older draft's, or none)."""
    return next((el for el in root.iter() if _local(el) == name), None)


def _iter(root, name: str):
    return (el for el in root.iter() if _local(el) == name)


class _Package:
    """An OFD's parts by name. Its locations are relative to the part that names them, or absolute
    from the package's root; some producers write root-relative ones without the slash."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {n.lstrip("/"): n for n in archive.namelist()}

    def resolve(self, loc: str | None, base: str) -> str | None:
        if not loc:
            return None
        loc = loc.strip().replace("\\", "/")
        for candidate in ((loc,) if loc.startswith("/") else (posixpath.join(posixpath.dirname(base), loc), loc)):
            path = posixpath.normpath(candidate).lstrip("/")
            if path in self.names:
                return path
        return None

    def read(self, path: str) -> bytes:
        return read_part(self.archive, self.names[path])


def _numbers(text: str | None, limit: int = 4) -> list[float]:
    """The first `limit` numbers of an OFD number list; "g 3 1.5" is 1.5 three times."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * min(int(float(tokens[i + 1])), limit - len(out))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _page_text(root) -> tuple[str, bool]:
    """A page's text in reading order (lines top to bottom, each left to right), and whether the page
    has pictures. Producers place each run, often each character, by itself: a number written in
    pieces is read whole again where the pieces stand side by side."""
    runs = []
    for obj in _iter(root, "TextObject"):
        box = _numbers(obj.get("Boundary"))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = float(obj.get("Size") or 3.5)
        x = y = 0.0
        for code in obj:
            if _local(code) != "TextCode" or not code.text:
                continue
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            deltas = _numbers(code.get("DeltaX"), len(code.text))
            width = sum(deltas[:len(code.text) - 1]) + size
            runs.append((by + y, bx + x, bx + x + width, size, code.text))
    runs.sort()
    lines: list[list] = []
    for run in runs:
        if lines and abs(run[0] - lines[-1][0][0]) <= run[3] / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    texts = []
    for line in lines:
        line.sort(key=lambda r: r[1])
        text = line[0][4]
        for before, run in zip(line, line[1:]):
            text += (" " if run[1] - before[2] > run[3] else "") + run[4]
        texts.append(text)
    pictures = next(_iter(root, "ImageObject"), None) is not None
    return "\n".join(texts), pictures


def read_ofd(source: Path | io.BytesIO, inner: Inner) -> Extracted:
    """What an OFD reader shows: the document's properties, each page's text (the page templates' too:
    a 页眉 or 页脚 on every page), annotations and the files attached to it. A page with pictures and no
    text is a scan: a person has to read it."""
    out = Extracted()
    with zipfile.ZipFile(source) as archive:
        pkg = _Package(archive)
        if "OFD.xml" not in pkg.names:
            return Extracted(notes=[Note("不是有效的 OFD 文件（缺少 OFD.xml），无法自动检查其中的个人信息")])
        root = _xml(pkg.read("OFD.xml"))
        for body in _iter(root, "DocBody"):
            info = _find(body, "DocInfo")
            if info is not None:
                out.pieces += _ofd_doc_info(info)
            doc_root = _find(body, "DocRoot")
            doc_path = pkg.resolve(doc_root.text if doc_root is not None else None, "OFD.xml")
            if doc_path is not None:
                _ofd_document(pkg, doc_path, inner, out)
    return out


def _ofd_doc_info(info) -> list[Piece]:
    pieces = []
    for name, label in _DOC_INFO:
        el = _find(info, name)
        text = " ".join(t.strip() for t in el.itertext() if t.strip()) if el is not None else ""
        if text:
            pieces.append(Piece(f"文档属性（{label}）", None, text))
    for data in _iter(info, "CustomData"):  # 公文 and 发票 keep their fields here (发文机关, 购买方 …)
        if (data.text or "").strip():
            pieces.append(Piece(f"文档属性（{data.get('Name') or '自定义'}）", None, data.text.strip()))
    return pieces


def _ofd_document(pkg: _Package, doc_path: str, inner: Inner, out: Extracted) -> None:
    doc = _xml(pkg.read(doc_path))
    scans = []
    page_numbers = {}
    pages = _find(doc, "Pages")
    for number, page in enumerate(_iter(pages, "Page") if pages is not None else (), 1):
        page_numbers[page.get("ID")] = number
        path = pkg.resolve(page.get("BaseLoc"), doc_path)
        if path is None:
            continue
        text, pictures = _page_text(_xml(pkg.read(path)))
        if text.strip():
            out.pieces.append(Piece(f"第 {number} 页", None, text))
        elif pictures:
            scans.append(number)
    for n, template in enumerate(_iter(doc, "TemplatePage"), 1):  # text every page shows
        path = pkg.resolve(template.get("BaseLoc"), doc_path)
        if path is not None:
            text, _ = _page_text(_xml(pkg.read(path)))
            if text.strip():
                out.pieces.append(Piece(f"页面模板 {template.get('Name') or n}", None, text))
    annotations = _find(doc, "Annotations")
    if annotations is not None:
        _ofd_annotations(pkg, pkg.resolve(annotations.text, doc_path), page_numbers, out)
    attachments = _find(doc, "Attachments")
    if attachments is not None:
        _ofd_attachments(pkg, pkg.resolve(attachments.text, doc_path), inner, out)
    if scans:
        pages_ = "、".join(str(n) for n in scans[:20]) + ("…" if len(scans) > 20 else "")
        out.notes.insert(0, Note(f"OFD 第 {pages_} 页没有文字（扫描件或图片），无法自动检查其中的个人信息"))


def _listed(pkg: _Package, path: str | None, name: str):
    """(element, part) for each `name` element of the index part at `path` (Annotations.xml,
    Attachments.xml) whose FileLoc names a part of the package."""
    if path is None:
        return
    for el in _iter(_xml(pkg.read(path)), name):
        loc = _find(el, "FileLoc")
        part = pkg.resolve(loc.text if loc is not None else None, path)
        if part is not None:
            yield el, part


def _ofd_annotations(pkg: _Package, path: str | None, page_numbers: dict, out: Extracted) -> None:
    """Notes on a page (批注, 水印, stamps' captions): a reader sees them over the page."""
    for page, part in _listed(pkg, path, "Page"):
        number = page_numbers.get(page.get("PageID"))
        where = f"第 {number} 页的批注" if number else "批注"
        for annot in _iter(_xml(pkg.read(part)), "Annot"):
            remark = _find(annot, "Remark")
            texts = [remark.text.strip()] if remark is not None and (remark.text or "").strip() else []
            appearance, _ = _page_text(annot)
            texts += [appearance] if appearance.strip() else []
            if texts:
                out.pieces.append(Piece(where, None, "\n".join(texts)))


def _ofd_attachments(pkg: _Package, path: str | None, inner: Inner, out: Extracted) -> None:
    """Files attached to the document (the reader's 附件 pane)."""
    for attachment, part in _listed(pkg, path, "Attachment"):
        name = attachment.get("Name") or posixpath.basename(part)
        if not posixpath.splitext(name)[1]:
            fmt = attachment.get("Format")
            name = f"{name}.{fmt.lstrip('.')}" if fmt else f"{name}{posixpath.splitext(part)[1]}"
        more = inner(name, pkg.read(part), "OFD 附带的文件")
        out.pieces += more.pieces
        out.notes += more.notes


# -- OpenDocument (ODF 1.2, ISO/IEC 26300) ------------------------------------------------------------

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_META = {"{http://purl.org/dc/elements/1.1/}title": "标题", "{http://purl.org/dc/elements/1.1/}subject": "主题",
         "{http://purl.org/dc/elements/1.1/}description": "备注", "{http://purl.org/dc/elements/1.1/}creator": "最后修改者",
         "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}initial-creator": "作者",
         "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}keyword": "关键词",
         "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}user-defined": "自定义属性"}
# a paragraph's own text leaves these out: their paragraphs are read as paragraphs of their own
_ASIDE = {_TEXT + "note", _OFFICE + "annotation", _DRAW + "frame"}
_HEADERS = {"header": "页眉", "header-left": "偶数页页眉", "header-first": "首页页眉",
            "footer": "页脚", "footer-left": "偶数页页脚", "footer-first": "首页页脚"}


def _para_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag in _ASIDE:
            pass
        elif child.tag == _TEXT + "s":
            parts.append(" " * int(child.get(_TEXT + "c", "1")))
        elif child.tag in (_TEXT + "tab", _TEXT + "line-break"):
            parts.append(" ")
        else:
            parts.append(_para_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_odf(source: Path | io.BytesIO, inner: Inner) -> Extracted:
    """Paragraphs, table cells (a sheet's by their address), comments, notes, text deleted under track
    changes, headers and footers, slides and their notes, the document's properties, the objects and
    pictures embedded in it."""
    out = Extracted()
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        mimetype = read_part(archive, "mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        sheet = mimetype.endswith("spreadsheet")
        if "meta.xml" in names:
            for el in _xml(read_part(archive, "meta.xml")).iter(*_META):
                if (el.text or "").strip():
                    label = el.get("{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name") or _META[el.tag]
                    out.pieces.append(Piece(f"文档属性（{label}）", None, el.text.strip()))
        for name in sorted(names):
            if name == "content.xml":
                out.pieces += _odf_part(_xml(read_part(archive, name)), "", sheet, mimetype.endswith("graphics"))
            elif name == "styles.xml":
                out.pieces += _odf_headers(_xml(read_part(archive, name)))
            elif name.endswith("/content.xml"):  # an embedded object (a chart, a formula, a sheet)
                label = f"嵌入的对象“{name.rsplit('/', 1)[0]}”"
                out.pieces += _odf_part(_xml(read_part(archive, name)), label, False)
            elif posixpath.splitext(name)[1].lower() in IMAGE_SUFFIXES:
                more = inner(name, read_part(archive, name), "文件中的图片")
                out.pieces += more.pieces
                out.notes += more.notes
    return out


def _odf_headers(root) -> list[Piece]:
    pieces = []
    for el in root.iter(*(_STYLE + k for k in _HEADERS)):
        text = "\n".join(_para_text(p) for p in el.iter(_TEXT + "p", _TEXT + "h")).strip()
        if text:
            pieces.append(Piece(_HEADERS[el.tag[len(_STYLE):]], None, text))
    return pieces


def _odf_part(root, label: str, sheet: bool, drawing: bool = False) -> list[Piece]:
    pieces: list[Piece] = []
    in_cells: set = set()
    for t, table in enumerate(root.iter(_TABLE + "table"), 1):
        name = table.get(_TABLE + "name") or f"表格 {t}"
        pieces += _odf_table(table, name, label, sheet, in_cells)
    slides = {page: n for n, page in enumerate(root.iter(_DRAW + "page"), 1)}
    unit = "页" if drawing else "张幻灯片"
    number = 0
    for p in root.iter(_TEXT + "p", _TEXT + "h"):
        if p in in_cells:
            continue
        text = _para_text(p)
        if not text.strip():
            continue
        where = ""
        frame = None
        for up in p.iterancestors():
            if up.tag == _OFFICE + "annotation":
                where = "批注"
                break
            if up.tag == _TEXT + "note":
                where = "脚注" if up.get(_TEXT + "note-class") != "endnote" else "尾注"
                break
            if up.tag == _TEXT + "deletion":
                where = "修订中删除、但仍保存在文件里的文字"
                break
            if up.tag == _PRESENTATION + "notes":
                page = next(up.iterancestors(_DRAW + "page"), None)
                where = f"第 {slides.get(page, '?')} {unit}的备注"
                break
            if up.tag == _DRAW + "frame" and frame is None:  # a text box: named on its slide or page, if any
                frame = f"文本框“{up.get(_DRAW + 'name') or '图形'}”"
            if up.tag == _DRAW + "page":
                where = f"第 {slides[up]} {unit}" + (f"的{frame}" if frame else "")
                break
        where = where or frame or ""
        if not where:
            number += 1
            where = f"第 {number} 段"
        pieces.append(Piece(f"{label}{where}", None, text))
    return pieces


def _odf_table(table, name: str, label: str, sheet: bool, in_cells: set) -> list[Piece]:
    """A table's cells with their row and column, repeated rows and columns counted as a reader sees
    them (a sheet writes its thousands of empty rows as one repeated row)."""
    pieces = []
    row_no = 0
    for row in table.iter(_TABLE + "table-row"):
        if next(row.iterancestors(_TABLE + "table")) is not table:
            continue  # a row of a table inside a cell: read with that table
        row_no += 1
        col_no = 0
        for cell in row:
            if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                continue
            col_no += 1
            paragraphs = [p for p in cell.iter(_TEXT + "p", _TEXT + "h")
                          if next(p.iterancestors(_TABLE + "table-cell", _TABLE + "covered-table-cell")) is cell]
            in_cells.update(paragraphs)
            texts = [_para_text(p) for p in paragraphs]
            value = cell.get(_OFFICE + "value")
            if value and cell.get(_OFFICE + "value-type") in ("float", "currency", "percentage"):
                try:  # a phone number typed into a number cell may show as 1.39E+10
                    number = float(value)
                    if number.is_integer() and abs(number) < 1e20:
                        value = str(int(number))
                except ValueError:
                    pass
                if value not in texts:
                    texts.append(value)
            text = "\n".join(t for t in texts if t.strip())
            if text:
                letter = column_letter(col_no)
                if sheet:
                    pieces.append(Piece(f"{label}单元格 {name}!{letter}{row_no}", None, text, f"{label}{name}!{letter}"))
                else:
                    pieces.append(Piece(f"{label}表格“{name}”第 {row_no} 行第 {col_no} 列", None, text,
                                        f"{label}表格“{name}”第 {col_no} 列"))
            col_no += int(cell.get(_TABLE + "number-columns-repeated", "1")) - 1
        row_no += int(row.get(_TABLE + "number-rows-repeated", "1")) - 1
    if sheet:
        pieces.insert(0, Piece(f"{label}工作表名称“{name}”", None, name))
    return pieces
