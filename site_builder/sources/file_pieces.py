"""What reading a downloadable file gives (pieces of text, each with where it stands, and notes for a
person) and which kinds of file are read: shared by attachments_text.py and archives_text.py."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

# (an SVG's labels; a map's places: KML from Google Earth and 天地图, GPX tracks)
MARKUP_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".svg", ".kml", ".gpx"}
# text as it is: besides data files, contact cards (.vcf: names and phones), calendars, logs, settings,
# database dumps and map data
TEXT_SUFFIXES = ({".txt", ".csv", ".tsv", ".json", ".yml", ".yaml", ".vcf", ".ics", ".log", ".ini", ".sql", ".geojson"}
                 | MARKUP_SUFFIXES)
# MIME messages: a web page saved whole (.mht, .mhtml: IE, Word and WPS save pages so) and e-mails
MIME_SUFFIXES = {".mht", ".mhtml", ".eml"}
# Office Open XML: each kind with its templates, macro-enabled files and slide shows (the same package)
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
DOCX_SUFFIXES = {".docx", ".docm", ".dotx", ".dotm"}
PPTX_SUFFIXES = {".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm"}
# photos and scans: their text is not read (no OCR), what the file says about itself is
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif"}
# the binary formats of Office 97–2003 and WPS (OLE compound files): their text is only looked for
OLE_SUFFIXES = {".doc", ".dot", ".wps", ".wpt", ".xls", ".xlt", ".et", ".ett", ".ppt", ".pps", ".dps", ".dpt"}
# ZIP packages (archives_text.py): archives, OFD (国家标准版式文档), OpenDocument (LibreOffice, WPS can save it)
PACKAGE_SUFFIXES = {".zip", ".ofd", ".odt", ".ods", ".odp", ".odg"}
# the other archives (archives_text.py, by libarchive): RAR, 7-Zip and tar, compressed or not (.tar.gz's
# suffix is .gz: a .gz, .bz2 or .xz that holds no tar is not read)
LIBARCHIVE_SUFFIXES = {".rar", ".7z", ".tar", ".tgz", ".tbz2", ".txz", ".gz", ".bz2", ".xz"}
ARCHIVE_SUFFIXES = {".zip"} | LIBARCHIVE_SUFFIXES  # an archive inside one is not unpacked again
# documents that are ZIP packages of XML or XHTML parts, read part by part as an archive is (what each is
# called in messages): e-books, XPS (Windows' page format, what "Microsoft XPS Document Writer" prints to)
# and Visio drawings (办事流程图)
ZIP_DOCUMENT_SUFFIXES = {".epub": "电子书", ".xps": "XPS 文档", ".oxps": "XPS 文档", ".vsdx": "Visio 图",
                         ".vsdm": "Visio 图"}
READABLE = (TEXT_SUFFIXES | XLSX_SUFFIXES | DOCX_SUFFIXES | PPTX_SUFFIXES | IMAGE_SUFFIXES | PACKAGE_SUFFIXES
            | LIBARCHIVE_SUFFIXES | OLE_SUFFIXES | MIME_SUFFIXES | ZIP_DOCUMENT_SUFFIXES.keys() | {".pdf", ".rtf"})
# documents a reader can download but we cannot read: a person has to review them
UNREADABLE = {".xlsb",  # Excel's binary sheets
              # e-books and page formats, Apple's documents
              ".caj", ".ceb", ".pages", ".numbers", ".key",
              # phones' photos (their EXIF says where they were taken), drawings and plans
              ".heic", ".heif", ".vsd", ".mpp"}

# sound, video, fonts and icons: nothing in them is read (no speech or subtitle recognition); their names are
MEDIA_SUFFIXES = {".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".amr", ".wma", ".mid",
                  ".mp4", ".m4v", ".webm", ".ogv", ".mov", ".avi", ".wmv", ".flv", ".mkv", ".3gp", ".mpg", ".mpeg",
                  ".woff", ".woff2", ".ttf", ".otf", ".eot", ".odttf", ".ico", ".bmp", ".wasm"}
# a site's own scripts (mkdocs.yml's extra_javascript): read as text where the site publishes them on their own
SITE_SCRIPT_SUFFIXES = {".js", ".mjs"}
# programs and scripts a reader's computer runs when opened: never read, always a note (in an archive, a PDF)
EXECUTABLE_SUFFIXES = {".exe", ".msi", ".com", ".scr", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf",
                       ".hta", ".lnk", ".jar", ".apk", ".dll", ".reg"}
EXECUTABLE_NOTE = "是可执行程序或脚本，读者打开时会在自己的电脑上运行"
EXECUTABLE_HINT = ("确认它确需发布、来源可靠（如上级部门提供的申报软件）：请单独作为附件发布并写明软件名称和版本；"
                   "不需要的，从文件中删除后再放回")


@dataclass(frozen=True)
class Piece:
    where: str  # how an editor finds it: "第 3 行第 2 列（B3）", "单元格 Sheet1!C2", "第 2 页" …
    line: int | None  # the line in a text file, else None
    text: str
    column: str = ""  # a table cell's column ("Sheet1!C", "表格 1 第 2 列"): what its heading says counts


@dataclass(frozen=True)
class Note:
    text: str  # what a person must review, and why
    hint: str = ""  # what to do about it, where that is not "read it through by hand"


@dataclass
class Extracted:
    pieces: list[Piece] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def column_letter(n: int) -> str:
    """1 → A, 27 → AA (spreadsheet column names)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@contextlib.contextmanager
def library_warnings(name: str):
    """The warnings the library logging as `name` gives while the block runs, kept in the list it yields
    instead of reaching the build's output as stray lines (nothing configures those loggers: Python
    prints their warnings bare). The caller decides what a person should hear of them."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    logger = logging.getLogger(name)
    handler, propagate = Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
