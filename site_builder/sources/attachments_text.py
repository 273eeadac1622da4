"""The text a reader finds inside a downloadable file, piece by piece, each with where it stands.

Pure and MkDocs-free; knows nothing of personal numbers (privacy.py scans what this returns).
Read with well-kept libraries rather than by hand: openpyxl for XLSX (the reference reader of the
format in Python), python-docx's package reader for DOCX, python-pptx's for PPTX, pypdf for PDF; CSV
and TXT with the standard library. Each piece says where it is in terms the editor can find again:
the line of a text file, the cell of a sheet (``Sheet1!C2``), its comment, the sheet's header or text
box, the paragraph or table cell of a Word file, a slide's text box or notes, the page of a PDF, a note
on it or a form field's value; files embedded in a file are read as files of their own. What cannot be
read (a scanned PDF, a legacy ``.doc``) becomes a note for a person.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

from .file_pieces import (  # noqa: F401 - the kinds read are named here for privacy.py
    DOCX_SUFFIXES, EXECUTABLE_HINT, EXECUTABLE_NOTE, EXECUTABLE_SUFFIXES, IMAGE_SUFFIXES, LIBARCHIVE_SUFFIXES,
    MARKUP_SUFFIXES, MEDIA_SUFFIXES, MIME_SUFFIXES, OLE_SUFFIXES, SITE_SCRIPT_SUFFIXES, PACKAGE_SUFFIXES, PPTX_SUFFIXES, READABLE, TEXT_SUFFIXES, UNREADABLE, XLSX_SUFFIXES,
    ZIP_DOCUMENT_SUFFIXES, Extracted, Note, Piece, column_letter, library_warnings,
)


def extract(path: Path) -> Extracted:
    """Every piece of text in the file at `path`, by its suffix; never raises for a bad file."""
    with warnings.catch_warnings():
        # what the libraries remark on a file's parts they do not model (openpyxl: "Data Validation
        # extension is not supported", on most sheets WPS and Excel save) is no concern of the editor's,
        # and reached the build's output as bare lines; what is read from those parts is read here
        warnings.simplefilter("ignore")
        return _extract(path.suffix.lower(), path, 0)


# a file inside a file inside a file is read; one level further is left to a person
_EMBED_DEPTH = 2


def _extract(suffix: str, source: Path | io.BytesIO, depth: int) -> Extracted:
    try:
        if suffix in TEXT_SUFFIXES:
            data = _bytes(source)
            return _csv(data, "\t" if suffix == ".tsv" else ",") if suffix in (".csv", ".tsv") else _lines(data)
        if suffix in XLSX_SUFFIXES:
            return _xlsx(source, depth)
        if suffix in DOCX_SUFFIXES:
            return _docx(_as_plain(source, "docx"), depth)
        if suffix in PPTX_SUFFIXES:
            return _pptx(_as_plain(source, "pptx"), depth)
        if suffix == ".rtf":
            return _rtf(_bytes(source))
        if suffix in MIME_SUFFIXES:
            return _mime(_bytes(source), depth)
        if suffix == ".pdf":
            with library_warnings("pypdf"):  # a damaged file's structure ("incorrect startxref"): not the editor's
                return _pdf(source, depth)
        if suffix in IMAGE_SUFFIXES:
            return _image(source)
        if suffix in OLE_SUFFIXES:
            return _ole(source, suffix)
        if suffix in PACKAGE_SUFFIXES | LIBARCHIVE_SUFFIXES | ZIP_DOCUMENT_SUFFIXES.keys():
            from . import archives_text

            def inner(name: str, data: bytes, kind: str) -> Extracted:
                return _embedded(name, data, depth, kind, whole_name=True)

            if suffix in LIBARCHIVE_SUFFIXES:
                return archives_text.read_other_archive(source, suffix, inner)
            if suffix in ZIP_DOCUMENT_SUFFIXES:  # its parts as an archive's members, by their own kinds
                return archives_text.read_zip(source, inner, ZIP_DOCUMENT_SUFFIXES[suffix])
            read = (archives_text.read_zip if suffix == ".zip" else
                    archives_text.read_ofd if suffix == ".ofd" else archives_text.read_odf)
            return read(source, inner)
        if suffix in UNREADABLE:
            return Extracted(notes=[Note(f"无法自动读取 {suffix} 文件，其中的个人信息未经检查")])
        if suffix in MEDIA_SUFFIXES:
            return Extracted()
        # any other kind (a script, a style sheet, subtitles, a data file of some program): its text if it is text
        data = _bytes(source)
        if is_text(data):
            return _lines(data)
        if depth == 0:
            return Extracted(notes=[Note(f"是无法识别的文件类型（{suffix or '没有扩展名'}），其中的个人信息未经检查")])
    except Exception as exc:  # noqa: BLE001 - a damaged file is a note for a person, not a crash
        return Extracted(notes=[Note(f"无法读取文件内容（{type(exc).__name__}），无法自动检查其中的个人信息")])
    return Extracted()


# text in an OLE stream: UTF-16 (Word, WPS and Excel keep Chinese text so), and runs of 8-bit ASCII
# (what Word and Excel keep "compressed": a piece or a string with no other character, a number typed as text)
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00|[\x00-\xff][\x4e-\x9f\x30\xff]){4,}")
_ASCII_RUN = re.compile(rb"[\x20-\x7e]{6,}")
_OLE_PROPERTIES = (("title", "标题"), ("subject", "主题"), ("author", "作者"), ("keywords", "关键词"),
                   ("comments", "备注"), ("last_saved_by", "最后修改者"), ("manager", "经理"), ("company", "单位"))


def _ole(source: Path | io.BytesIO, suffix: str | None) -> Extracted:
    """A Word 97–2003, Excel 97–2003, PowerPoint 97–2003 or WPS file (.doc, .xls, .ppt, .wps, .et, .dps):
    no maintained Python library reads their text in order, so the text is looked for in the file's
    streams (olefile opens the container) and numbers in a sheet's cells are read from its records.
    Where a piece stands cannot be told, and what is found is not all there is: a note for a person
    stays, and a number found is reported as in any file. Without `suffix`: an object embedded in a
    document in these formats (a legacy sheet in a Word file, `oleObject1.bin`)."""
    import olefile

    unread = (Note(f"{suffix} 是旧格式，只能粗略查找其中的文字（找不到页码、段落和单元格），个人信息未必都能查出",
                   "请人工逐页审核；能另存为新格式（.docx、.xlsx、.pptx）的，请换成新格式再放回，并更正 path")
              if suffix else
              Note("是 Office 97–2003 格式的对象，只能粗略查找其中的文字，个人信息未必都能查出",
                   "请打开文件后双击该对象，人工检查其中的内容"))
    # bytes are handed over as data and a file object, never as bytes alone: olefile takes bytes shorter
    # than an OLE file's least size for the path of a file to open
    data = _bytes(source)
    if not olefile.isOleFile(data=data):
        return Extracted(notes=[Note(f"无法自动读取 {suffix} 文件，其中的个人信息未经检查")])
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        meta = ole.get_metadata()
        pieces = []
        for attr, label in _OLE_PROPERTIES:
            value = getattr(meta, attr, None)
            text = decode(value) if isinstance(value, bytes) else value if isinstance(value, str) else ""
            if text and text.strip():
                pieces.append(Piece(f"文档属性（{label}）", None, text.strip()))
        for path in ole.listdir(streams=True):
            if path[-1].startswith("\x05"):  # the property streams, read above
                continue
            stream = ole.openstream(path).read()
            runs = [m.decode("utf-16-le") for m in _UTF16_RUN.findall(stream)]
            runs += [m.decode("ascii") for m in _ASCII_RUN.findall(stream)]
            if runs:  # blank lines between runs: pieces far apart in the file are never read as one number
                pieces.append(Piece("文件中的文字", None, "\n\n".join(runs)))
            if path[-1] in ("Workbook", "Book"):
                pieces += _biff_numbers(stream)
    return Extracted(pieces, [unread])


def _biff_numbers(data: bytes) -> list[Piece]:
    """The number cells of an Excel 97–2003 sheet (NUMBER, RK and MULRK records): a phone number typed
    as a number is no text anywhere in the file."""
    import struct

    pieces = []

    def cell(row: int, col: int, value: float) -> None:
        if value.is_integer() and abs(value) >= 1e6:  # counts and amounts are no one's number
            pieces.append(Piece(f"第 {row + 1} 行第 {col + 1} 列（{column_letter(col + 1)}{row + 1}）", None,
                                str(int(value))))

    def rk(raw: int) -> float:
        value = float(struct.unpack("<i", struct.pack("<I", raw))[0] >> 2) if raw & 2 else \
            struct.unpack("<d", struct.pack("<Q", (raw & 0xFFFFFFFC) << 32))[0]
        return value / 100 if raw & 1 else value

    at = 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        body = data[at + 4:at + 4 + size]
        at += 4 + size
        if kind == 0x0203 and size >= 14:  # NUMBER
            row, col = struct.unpack_from("<HH", body)
            cell(row, col, struct.unpack_from("<d", body, 6)[0])
        elif kind == 0x027E and size >= 10:  # RK
            row, col = struct.unpack_from("<HH", body)
            cell(row, col, rk(struct.unpack_from("<I", body, 6)[0]))
        elif kind == 0x00BD and size >= 12:  # MULRK: several RK cells of a row
            row, first = struct.unpack_from("<HH", body)
            for i in range((size - 6) // 6):
                cell(row, first + i, rk(struct.unpack_from("<I", body, 4 + 6 * i + 2)[0]))
    return pieces


def _embedded(name: str, data: bytes, depth: int, kind: str = "嵌入的文件", whole_name: bool = False) -> Extracted:
    """A file kept inside the file: a sheet embedded in a Word document (on the page it is only a
    picture of the sheet), a chart's data, a PDF's attachment (a reader opens it with a double click),
    a member of an archive (`whole_name`: named with its folders)."""
    filename = name if whole_name else name.rsplit("/", 1)[-1]
    suffix = Path(filename).suffix.lower()
    prefix = f"{kind}“{filename}”"
    if suffix in EXECUTABLE_SUFFIXES:
        inner = Extracted(notes=[Note(EXECUTABLE_NOTE, EXECUTABLE_HINT)])
    elif suffix in READABLE | UNREADABLE and depth < _EMBED_DEPTH:
        inner = _extract(suffix, io.BytesIO(data), depth + 1)
    elif data[:4] == b"\xd0\xcf\x11\xe0" and len(data) >= 1536 and depth < _EMBED_DEPTH:  # an OLE object
        try:
            inner = _ole(io.BytesIO(data), None)
        except Exception as exc:  # noqa: BLE001 - a damaged object is a note for a person
            inner = Extracted(notes=[Note(f"无法读取（{type(exc).__name__}），其中的个人信息请人工检查")])
    elif suffix in READABLE | UNREADABLE:
        inner = Extracted(notes=[Note("在文件中嵌套过深，无法自动读取，其中的个人信息请人工检查")])
    elif suffix in MEDIA_SUFFIXES:
        inner = Extracted()
    elif is_text(data):  # subtitles, a style sheet, a program's settings …
        inner = _lines(data)
    elif whole_name:  # an archive's member of a kind not read, as such a file on the site
        inner = Extracted(notes=[Note(f"是无法识别的文件类型（{suffix or '没有扩展名'}），其中的个人信息未经检查")])
    else:  # an OLE object (.bin: a legacy sheet, a package)
        inner = Extracted(notes=[Note("无法自动读取，其中的个人信息请人工检查（打开文件后双击该对象，PDF 在阅读器的“附件”栏中打开）")])
    return Extracted([Piece(f"{prefix}{p.where}", None, p.text, f"{prefix}{p.column}" if p.column else "")
                      for p in inner.pieces], [Note(f"{prefix}{n.text}", n.hint) for n in inner.notes])


def _media(name: str, data: bytes, depth: int) -> Extracted:
    """A picture inside a document: Word and PowerPoint keep a photo's EXIF (its author, where it was
    taken) as inserted. Drawings in formats with no such metadata (EMF, GIF …) are passed over."""
    if Path(name).suffix.lower() not in IMAGE_SUFFIXES:
        return Extracted()
    return _embedded(name, data, depth, "文件中的图片")


def _office_part(name: str, blob: bytes, folder: str, depth: int, label: str = "") -> Extracted | None:
    """What Word and PowerPoint packages (`folder`: "/word/", "/ppt/") keep alike: embedded files,
    pictures, charts and SmartArt; None for any other part. `label` names a chart where the caller knows
    where it stands."""
    if name.startswith(folder + "embeddings/"):
        return _embedded(name, blob, depth)
    if name.startswith(folder + "media/"):
        return _media(name, blob, depth)
    if name.startswith((folder + "charts/chart", folder + "diagrams/data")):
        text = _chart_text(_xml(blob))
        kind = "图表" if "/charts/" in name else "SmartArt 图形"
        return Extracted([Piece(label or f"{kind}（{name.rsplit('/', 1)[-1]}）", None, text)] if text else [])
    return None


def _xml(data: bytes):
    """An Office part's XML, parsed without resolving entities or reaching the network."""
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _bytes(source: Path | io.BytesIO) -> bytes:
    return source.read_bytes() if isinstance(source, Path) else source.getvalue()


def _add(into: Extracted, more: Extracted) -> None:
    into.pieces += more.pieces
    into.notes += more.notes


def decode(data: bytes) -> str:
    """Text files as Chinese offices save them: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def is_text(data: bytes) -> bool:
    """Whether the bytes are text as decode() reads it: UTF-16 with its BOM, or no NUL byte and a whole
    UTF-8 or GB18030 decoding (binary formats have NUL bytes, or sequences neither encoding has)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return len(data) % 2 == 0
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            pass
    return False


def _lines(data: bytes) -> Extracted:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    return Extracted([Piece(f"第 {i} 行", i, line) for i, line in enumerate(text.split("\n"), 1) if line.strip()])


def _rtf_text(data: bytes) -> str:
    """What Word shows of an RTF file, paragraph by paragraph (table cells between "|"), by striprtf:
    Chinese text is escaped in the document's code page (\\ansicpg936: GBK) or as \\u escapes, which
    it decodes; RTF itself is 7-bit, so its bytes are read as Latin-1, one character each."""
    from striprtf.striprtf import rtf_to_text

    return rtf_to_text(data.decode("latin-1"), errors="replace")


def _rtf(data: bytes) -> Extracted:
    """An RTF document (what some OA systems export): its paragraphs, counted as Word counts them."""
    return Extracted([Piece(f"第 {n} 段", None, text) for n, text in enumerate(_rtf_text(data).split("\n"), 1)
                      if text.strip()])


_MIME_HEADERS = (("Subject", "主题"), ("From", "发件人"), ("To", "收件人"), ("Cc", "抄送"), ("Reply-To", "回复地址"))


def _message(data: bytes):
    import email
    from email import policy

    return email.message_from_bytes(data, policy=policy.default)


def _message_texts(message) -> list[str]:
    """The text of a MIME message's HTML and plain-text parts (not those attached as files), as a
    browser or a mail program shows it."""
    from .sanitize import html_text

    texts = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/html", "text/plain") and part.get_content_disposition() != "attachment":
            texts.append(html_text(part.get_content()) if kind == "text/html" else part.get_content())
    return texts


def _mime(data: bytes, depth: int) -> Extracted:
    """A web page saved whole (.mht, .mhtml) or an e-mail (.eml): the text of each part a reader sees,
    what its header says (an e-mail's sender and recipients; a page's title), and each file attached to
    it, read as a file of its own."""
    message = _message(data)
    out = Extracted([Piece(f"文件信息（{label}）", None, str(message[key]))
                     for key, label in _MIME_HEADERS if message[key]])
    out.pieces += [Piece(f"第 {n} 部分的文字", None, text) for n, text in enumerate(_message_texts(message), 1)
                   if text.strip()]
    for part in message.walk():
        name = part.get_filename()
        if name and not part.is_multipart() and part.get_content_disposition() == "attachment":
            _add(out, _embedded(name, part.get_payload(decode=True) or b"", depth, "附带的文件"))
    return out


def _csv(data: bytes, delimiter: str) -> Extracted:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    pieces = []
    start = 1
    for row in reader:
        for col, cell in enumerate(row, 1):
            if cell.strip():
                pieces.append(Piece(f"第 {start} 行第 {col} 列（{column_letter(col)}{start}）", start, cell,
                                    column_letter(col)))
        start = reader.line_num + 1
    return Extracted(pieces)


def _cell_text(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        # a number shown without decimals: a phone number typed into a number cell
        return str(int(value)) if value.is_integer() and abs(value) < 1e20 else repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return None  # dates and times


def _xlsx(source: Path | io.BytesIO, depth: int) -> Extracted:
    from openpyxl.reader.excel import ExcelReader

    # read_only streams rows (large 公示 sheets); data_only gives what Excel shows for formulas.
    # ExcelReader is what load_workbook runs; kept here for its parts list, which holds the comments
    # (a read-only workbook does not load them).
    reader = ExcelReader(source, read_only=True, data_only=True)
    reader.read()
    wb = reader.wb
    pieces = _properties(wb.properties)
    if CUSTOM_PART in reader.archive.namelist():
        pieces += _custom_properties(reader.archive.read(CUSTOM_PART))
    try:
        for ws in wb.worksheets:  # hidden sheets too: a reader who downloads the file can show them
            hidden = "（隐藏的工作表）" if ws.sheet_state != "visible" else ""
            pieces.append(Piece(f"工作表名称“{ws.title}”", None, ws.title))
            for row in ws.iter_rows():
                for cell in row:
                    text = _cell_text(getattr(cell, "value", None))
                    if text and text.strip():
                        pieces.append(Piece(f"单元格 {ws.title}!{cell.coordinate}{hidden}", None, text,
                                            f"{ws.title}!{column_letter(cell.column)}"))
        pieces += _xlsx_comments(reader)
        pieces += _xlsx_beside_cells(reader)
        pieces += _xlsx_pivot_caches(reader)
        out = Extracted(pieces)
        out.notes += _macro_note(reader.archive.namelist(), "Excel", ".xlsx")
        cropped = _cropped_pictures((n, reader.archive.read(n)) for n in reader.archive.namelist()
                                    if n.startswith("xl/drawings/") and n.endswith(".xml"))
        out.notes += [cropped] if cropped else []
        for name in reader.valid_files:
            if name.startswith("xl/embeddings/"):
                _add(out, _embedded(name, reader.archive.read(name), depth))
            elif name.startswith("xl/media/"):
                _add(out, _media(name, reader.archive.read(name), depth))
    finally:
        wb.close()
    return out


def _xlsx_pivot_caches(reader) -> list[Piece]:
    """A pivot table keeps a copy of its source rows inside the file (数据透视表的缓存): the summary is
    what the sheet shows, but a double click on a total, or 显示明细, brings every row back, names and
    numbers included, even when the source sheet was deleted before publishing. Each field's values
    are read: the distinct ones the definition lists, and those its records hold themselves."""
    pieces: list[Piece] = []
    names = sorted(n for n in reader.archive.namelist() if n.startswith("xl/pivotCache/pivotCacheDefinition"))
    for definition in names:
        cache = definition.rsplit("/", 1)[-1][len("pivotCacheDefinition"):-len(".xml")] or "1"
        fields = []
        for field_ in _xml(reader.archive.read(definition)).iter(_MAIN + "cacheField"):
            name = field_.get("name") or f"字段 {len(fields) + 1}"
            fields.append(name)
            column = f"数据透视表缓存 {cache}:{name}"
            pieces.append(Piece(f"数据透视表缓存 {cache} 的字段名“{name}”", None, name, column))
            pieces += [Piece(f"数据透视表缓存 {cache} 的字段“{name}”", None, v, column)
                       for v in _pivot_values(field_)]
        records = definition.replace("pivotCacheDefinition", "pivotCacheRecords")
        if records in reader.archive.namelist():
            with reader.archive.open(records) as fh:
                pieces += _pivot_records(fh, cache, fields)
    return pieces


def _pivot_values(el) -> list[str]:
    """Text and number items (s, n) of a cache field's shared items or of a record: dates, booleans,
    errors and "missing" say nothing of a person."""
    out = []
    for item in el.iter(_MAIN + "s", _MAIN + "n"):
        value = item.get("v", "")
        if item.tag == _MAIN + "n":
            value = _cell_text(float(value)) if value else ""
        if value and value.strip():
            out.append(value)
    return out


def _pivot_records(fh, cache: str, fields: list[str]) -> list[Piece]:
    """The rows kept as they were (an item the definition does not share: a number, most often)."""
    from lxml import etree

    pieces = []
    for _event, row in etree.iterparse(fh, tag=_MAIN + "r", resolve_entities=False, no_network=True):
        for i, item in enumerate(row):
            if item.tag in (_MAIN + "s", _MAIN + "n"):
                name = fields[i] if i < len(fields) else f"字段 {i + 1}"
                pieces += [Piece(f"数据透视表缓存 {cache} 的字段“{name}”", None, v, f"数据透视表缓存 {cache}:{name}")
                           for v in _pivot_values(item)]
        row.clear()
    return pieces


def _xlsx_comments(reader) -> list[Piece]:
    """Cell comments (批注): Excel shows them on hover, so a reader who downloads the file sees them."""
    from openpyxl.comments.comment_sheet import CommentSheet
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.constants import COMMENTS_NS
    from openpyxl.xml.functions import fromstring

    pieces = []
    for sheet, rel in reader.parser.find_sheets():
        rels_path = get_rels_path(rel.target)
        if rels_path not in reader.valid_files:
            continue
        for r in get_dependents(reader.archive, rels_path).find(COMMENTS_NS):
            comments = CommentSheet.from_tree(fromstring(reader.archive.read(r.target))).comments
            for ref, comment in comments:
                text = " ".join(t for t in (comment.author, comment.text) if t and t.strip())
                if text:
                    pieces.append(Piece(f"单元格 {sheet.name}!{ref} 的批注", None, text))
    return pieces


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_HEADERS = (("oddHeader", "页眉"), ("oddFooter", "页脚"), ("evenHeader", "偶数页页眉"), ("evenFooter", "偶数页页脚"),
            ("firstHeader", "首页页眉"), ("firstFooter", "首页页脚"))


def _xlsx_beside_cells(reader) -> list[Piece]:
    """What Excel shows beside the cells: headers and footers (page layout, print), the prompts and
    error messages of data validation (on selecting a cell), text boxes and shapes, and charts' text.
    openpyxl's read-only workbook skips all of these, and it drops drawings on any load."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path

    pieces: list[Piece] = []
    read: set[str] = set()
    for sheet, rel in reader.parser.find_sheets():
        with reader.archive.open(rel.target) as fh:
            pieces += _sheet_page_text(fh, sheet.name)
        rels_path = get_rels_path(rel.target)
        if rels_path not in reader.valid_files:
            continue
        for drawing in get_dependents(reader.archive, rels_path).find(_REL + "drawing"):
            pieces += _drawing_text(reader, drawing.target, f"工作表 {sheet.name} 的", read)
    # drawings no worksheet names (a chart sheet's, say) are read all the same
    for name in reader.valid_files:
        if name.startswith(("xl/drawings/", "xl/charts/")) and name.endswith(".xml") and name not in read:
            pieces += _drawing_text(reader, name, "", read)
    return pieces


def _sheet_page_text(fh, sheet: str) -> list[Piece]:
    from lxml import etree
    from openpyxl.worksheet.header_footer import HeaderFooter

    pieces = []
    # streamed, each row dropped once read: a sheet of a 100,000 rows stays small in memory
    for _event, el in etree.iterparse(fh, tag=(_MAIN + "row", _MAIN + "headerFooter", _MAIN + "dataValidation"),
                                      resolve_entities=False, no_network=True):
        if el.tag == _MAIN + "headerFooter":
            hf = HeaderFooter.from_tree(el)
            for attr, label in _HEADERS:
                item = getattr(hf, attr, None)
                parts = ((item.left, "左"), (item.center, "中"), (item.right, "右")) if item is not None else ()
                for part, side in parts:
                    if part.text and part.text.strip():
                        pieces.append(Piece(f"工作表 {sheet} 的{label}（{side}）", None, part.text))
        elif el.tag == _MAIN + "dataValidation":
            cells = el.get("sqref", "")
            for attr, label in (("promptTitle", "输入提示标题"), ("prompt", "输入提示"),
                                ("errorTitle", "出错警告标题"), ("error", "出错警告")):
                if (el.get(attr) or "").strip():
                    pieces.append(Piece(f"单元格 {sheet}!{cells} 的{label}", None, el.get(attr)))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return pieces


def _drawing_text(reader, name: str, owner: str, read: set[str], label: str = "") -> list[Piece]:
    """Each shape's or chart's text, its paragraphs on lines of their own, named as Excel's selection
    pane names them ("文本框 1", "Chart 1"); the charts a drawing holds too."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path

    if name in read or name not in reader.valid_files:
        return []
    read.add(name)
    root = _xml(reader.archive.read(name))
    if root.tag == _C + "chartSpace":
        text = _chart_text(root)
        return [Piece(f"{owner}图表“{label or name.rsplit('/', 1)[-1]}”", None, text)] if text else []
    pieces = []
    for shape in root.iter(_XDR + "sp"):
        text = "\n".join(_paragraphs(shape)).strip()
        if text:
            pieces.append(Piece(f"{owner}文本框“{_shape_name(shape) or '图形'}”", None, text))
    rels_path = get_rels_path(name)
    if rels_path in reader.valid_files:
        charts = {r.id: r.target for r in get_dependents(reader.archive, rels_path).find(_REL + "chart")}
        for frame in root.iter(_XDR + "graphicFrame"):
            ref = next(frame.iter(_C + "chart"), None)
            target = charts.get(ref.get(_R + "id")) if ref is not None else None
            if target:
                pieces += _drawing_text(reader, target, owner, read, _shape_name(frame))
    return pieces


def _paragraphs(root) -> list[str]:
    """DrawingML paragraphs' text: text boxes, shapes, charts and slides all write it so."""
    return ["".join(t.text or "" for t in p.iter(_A + "t")) for p in root.iter(_A + "p")]


def _chart_text(root) -> str:
    """A chart's titles and labels, one a line, and the series names and values it keeps with it."""
    texts = _paragraphs(root) + [v.text or "" for v in root.iter(_C + "v")]
    return "\n".join(t for t in texts if t.strip())


def _shape_name(shape) -> str:
    cnv = next(shape.iter(_XDR + "cNvPr"), None)
    return cnv.get("name", "") if cnv is not None else ""


_PROPERTY_NAMES = {"title": "标题", "subject": "主题", "creator": "作者", "author": "作者", "keywords": "关键词",
                   "description": "备注", "comments": "备注", "last_modified_by": "最后修改者", "category": "类别"}


_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
CUSTOM_PART = "docProps/custom.xml"


def _custom_properties(blob: bytes) -> list[Piece]:
    """Custom properties (文件 → 属性 → 自定义), shown by every office program: document systems (OA)
    stamp the drafter and their phone there."""
    pieces = []
    for prop in _xml(blob).iter(_CUSTOM + "property"):
        text = " ".join(t.strip() for t in prop.itertext() if t.strip())
        if text:
            pieces.append(Piece(f"文档属性（自定义：{prop.get('name') or '未命名'}）", None, text))
    return pieces


def _properties(props) -> list[Piece]:
    """Document properties (File → Properties): shown by every office program."""
    pieces = []
    for attr, label in _PROPERTY_NAMES.items():
        value = getattr(props, attr, None)
        if isinstance(value, str) and value.strip():
            pieces.append(Piece(f"文档属性（{label}）", None, value))
    return pieces


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = (("/word/document.xml", ""), ("/word/header", "页眉"), ("/word/footer", "页脚"),
               ("/word/footnotes.xml", "脚注"), ("/word/endnotes.xml", "尾注"), ("/word/comments.xml", "批注"))


def _cropped_pictures(parts) -> Note | None:
    """Office crops a picture by a frame only: the whole picture stays in the file, and a reader brings
    back what was cut away with 重设图片 (or by saving the picture). `parts`: (name, XML bytes)."""
    count = 0
    for _name, blob in parts:
        if b"srcRect" not in blob:
            continue
        for rect in _xml(blob).iter(_A + "srcRect"):
            if any(int(rect.get(side, "0") or 0) > 0 for side in ("l", "t", "r", "b")):
                count += 1
    if not count:
        return None
    return Note(f"文件中有 {count} 张图片经过裁剪：裁掉的部分仍保存在文件里，读者选“重设图片”或另存图片就能看到",
                "如裁掉的是不能公开的内容：选中图片 → 图片格式 → 压缩图片，勾选“删除图片的剪裁区域”后保存；"
                "或把裁好的图片另存后重新插入")


def _macro_note(names, program: str, plain: str) -> list[Note]:
    """A note when an Office package (an .xlsm, .docm, .pptm …: its part names) holds a VBA project."""
    if any(str(name).endswith("vbaProject.bin") for name in names):
        return [Note("文件中含有宏（VBA 代码）：读者打开时 Office 会提示启用宏，启用后宏会在读者的电脑上运行",
                     f"发布不需要宏：在 {program} 中“另存为” {plain} 格式（不含宏）后再放回，并更正 path")]
    return []


# the main part's content type of a Word or PowerPoint file (python-docx and python-pptx open only these),
# and those of its templates, macro-enabled files and slide shows, which are otherwise the same package
_MAIN_TYPES = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             ("application/vnd.ms-word.document.macroEnabled.main+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
              "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
              "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
              "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
              "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
              "application/vnd.ms-powerpoint.template.macroEnabled.main+xml")),
}


def _as_plain(source: Path | io.BytesIO, kind: str) -> Path | io.BytesIO:
    """A template, macro-enabled file or slide show (.dotx, .docm, .ppsx …) as the plain package its
    library opens: a copy in memory whose [Content_Types].xml names the main part as a .docx's or .pptx's;
    any other file as it is."""
    import zipfile

    plain, others = _MAIN_TYPES[kind]
    with zipfile.ZipFile(source) as package:
        types = package.read("[Content_Types].xml")
        other = next((t for t in others if t.encode() in types), None)
        if other is None:
            return source
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
            for info in package.infolist():
                data = package.read(info)
                out.writestr(info.filename, data.replace(other.encode(), plain.encode())
                             if info.filename == "[Content_Types].xml" else data)
    copy.seek(0)
    return copy


def _docx(source: Path | io.BytesIO, depth: int) -> Extracted:
    import docx

    document = docx.Document(str(source) if isinstance(source, Path) else source)
    out = Extracted(_properties(document.core_properties))
    out.notes += _macro_note((p.partname for p in document.part.package.iter_parts()), "Word", ".docx")
    chunks = {str(rel.target_part.partname) for rel in document.part.rels.values()
              if rel.reltype.endswith("/aFChunk") and not rel.is_external}
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name == "/" + CUSTOM_PART:
            out.pieces += _custom_properties(part.blob)
            continue
        if name in chunks:
            text = _chunk_text(part.content_type, part.blob)
            if text.strip():
                out.pieces.append(Piece(f"导入的内容（{name.rsplit('/', 1)[-1]}）", None, text))
            continue
        shared = _office_part(name, part.blob, "/word/", depth)
        if shared is not None:
            _add(out, shared)
            continue
        label = next((lab for prefix, lab in _DOCX_PARTS if name.startswith(prefix)), None)
        if label is None:
            continue
        element = getattr(part, "element", None)
        root = element if element is not None else _xml(part.blob)
        out.pieces.extend(_docx_paragraphs(root, label))
    cropped = _cropped_pictures((str(p.partname), p.blob) for p in document.part.package.iter_parts()
                                if str(p.partname).endswith(".xml"))
    out.notes += [cropped] if cropped else []
    return out


def _chunk_text(content_type: str, blob: bytes) -> str:
    """What Word shows of a part a document imports whole (altChunk: the way many systems turn a web
    page into a Word file): HTML, a web archive (.mht), RTF or plain text; Word shows it as the
    document's own text, but it is no paragraph of document.xml."""
    from .sanitize import html_text

    if content_type == "message/rfc822":  # a web archive: the HTML is one part of a MIME message
        return "\n".join(_message_texts(_message(blob)))
    if "rtf" in content_type:
        return _rtf_text(blob)
    text = decode(blob)
    if "html" in content_type:
        return html_text(text)
    return text


def _docx_paragraphs(root, label: str) -> list[Piece]:
    """One piece per paragraph (text boxes are paragraphs of their own), located by paragraph number
    or by table cell; text deleted under track changes is still in the file and counts too."""
    tables = {t: i for i, t in enumerate(root.iter(_W + "tbl"), 1)}
    texts: dict = {}
    deleted: set = set()
    order = []
    for el in root.iter(_W + "t", _W + "delText", _W + "tab", _W + "br"):
        para = next(el.iterancestors(_W + "p"), None)
        if para is None:
            continue
        if para not in texts:
            texts[para] = []
            order.append(para)
        if el.tag in (_W + "tab", _W + "br"):
            texts[para].append(" ")
            continue
        texts[para].append(el.text or "")
        if el.tag == _W + "delText":
            deleted.add(para)
    pieces = []
    number = 0
    for para in order:
        text = "".join(texts[para])
        cell = next(para.iterancestors(_W + "tc"), None)
        column = ""
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            r = [x for x in table if x.tag == _W + "tr"].index(row) + 1
            c = [x for x in row if x.tag == _W + "tc"].index(cell) + 1
            where = f"表格 {tables.get(table, '?')} 第 {r} 行第 {c} 列"
            column = f"{label}表格 {tables.get(table, '?')} 第 {c} 列"
        else:
            number += 1
            where = f"第 {number} 段"
        if label:
            where = f"{label}{where}"
        if para in deleted:
            where += "（修订中删除、但仍保存在文件里的文字）"
        if text.strip():
            pieces.append(Piece(where, None, text, column))
    return pieces


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _pptx(source: Path | io.BytesIO, depth: int) -> Extracted:
    """A presentation (政策解读 are often slides): each slide's text boxes and tables cell by cell, its
    speaker notes and comments, the text a master or layout puts on every slide, charts, SmartArt and
    embedded files. python-pptx opens the package; the parts are read as XML, since its shape model
    leaves out notes' placement, comments and SmartArt."""
    from pptx import Presentation

    prs = Presentation(str(source) if isinstance(source, Path) else source)
    out = Extracted(_properties(prs.core_properties))
    out.notes += _macro_note((p.partname for p in prs.part.package.iter_parts()), "PowerPoint", ".pptx")
    slides = {str(slide.part.partname): n for n, slide in enumerate(prs.slides, 1)}
    notes = {str(slide.notes_slide.part.partname): n for n, slide in enumerate(prs.slides, 1) if slide.has_notes_slide}
    comments = {str(rel.target_part.partname): n for n, slide in enumerate(prs.slides, 1)
                for rel in slide.part.rels.values() if rel.reltype.endswith("/comments") and not rel.is_external}
    charts = {str(shape.chart.part.partname): f"第 {n} 张幻灯片的图表“{shape.name}”"
              for n, slide in enumerate(prs.slides, 1) for shape in _shapes(slide.shapes) if shape.has_chart}
    for part in prs.part.package.iter_parts():
        name = str(part.partname)
        if name == "/" + CUSTOM_PART:
            out.pieces += _custom_properties(part.blob)
            continue
        shared = _office_part(name, part.blob, "/ppt/", depth, charts.get(name, ""))
        if shared is not None:
            _add(out, shared)
            continue
        if not name.endswith(".xml"):
            continue
        if name in slides:
            out.pieces += _slide_text(_xml(part.blob), f"第 {slides[name]} 张幻灯片")
        elif name in notes:
            root = _xml(part.blob)
            text = "\n".join(_paragraphs(root)).strip()
            if text:
                out.pieces.append(Piece(f"第 {notes[name]} 张幻灯片的备注", None, text))
        elif name.startswith(("/ppt/slideMasters/", "/ppt/slideLayouts/")):
            kind = "母版" if "Masters" in name else "版式"
            out.pieces += _slide_text(_xml(part.blob), f"幻灯片{kind}（{name.rsplit('/', 1)[-1]}）",
                                      placeholders=False)
        elif name.startswith("/ppt/comments/"):
            for number, cm in enumerate(_xml(part.blob).iter("{*}cm"), 1):
                # classic comments keep their text in <p:text>, modern ones in paragraphs
                text = ("".join(t.text or "" for t in cm.iter("{*}text")) or "\n".join(_paragraphs(cm))).strip()
                if text:
                    slide = f"第 {comments[name]} 张幻灯片的" if name in comments else f"{name.rsplit('/', 1)[-1]} 中的"
                    out.pieces.append(Piece(f"{slide}第 {number} 条批注", None, text))
    cropped = _cropped_pictures((str(p.partname), p.blob) for p in prs.part.package.iter_parts()
                                if str(p.partname).endswith(".xml"))
    out.notes += [cropped] if cropped else []
    return out


def _shapes(shapes):
    """A slide's shapes, those inside groups too."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)


def _slide_text(root, where: str, placeholders: bool = True) -> list[Piece]:
    """A slide's shapes one piece each (named as the selection pane names them), its tables cell by
    cell. On a master or layout, placeholders only prompt the author ("单击此处编辑标题"): left out."""
    pieces = []
    for shape in root.iter(_P + "sp"):
        if not placeholders and next(shape.iter(_P + "ph"), None) is not None:
            continue
        text = "\n".join(_paragraphs(shape)).strip()
        if text:
            cnv = next(shape.iter(_P + "cNvPr"), None)
            label = cnv.get("name") if cnv is not None and cnv.get("name") else "图形"
            pieces.append(Piece(f"{where}的“{label}”", None, text))
    for t, table in enumerate(root.iter(_A + "tbl"), 1):
        for r, row in enumerate(table.iter(_A + "tr"), 1):
            for c, cell in enumerate(row.iter(_A + "tc"), 1):
                text = "\n".join(_paragraphs(cell)).strip()
                if text:
                    pieces.append(Piece(f"{where}表格 {t} 第 {r} 行第 {c} 列", None, text,
                                        f"{where}表格 {t} 第 {c} 列"))
    return pieces


# EXIF tags a viewer's "properties" or "details" pane shows as text: IFD0, then the Exif IFD
_EXIF_TEXT = ((0x010E, "图片说明"), (0x013B, "作者"), (0x8298, "版权"), (0x9C9B, "标题"), (0x9C9C, "备注"),
              (0x9C9D, "作者"), (0x9C9E, "标记"), (0x9C9F, "主题"))
_EXIF_IFD_TEXT = ((0x9286, "用户备注"), (0xA430, "相机所有者"))
_GPS_HINT = ("读者下载或另存图片后，在图片属性里能看到拍摄地点（例如走访对象的住址）。请去除位置信息后重新放入："
             "Windows 中右键图片 → 属性 → 详细信息 → “删除属性和个人信息”，或用图片软件“导出时不含元数据”；"
             "以后拍照前可在手机相机设置中关闭位置信息。确需公开拍摄地点的（如项目现场），可不处理")


def _image(source: Path | io.BytesIO) -> Extracted:
    """What a photo or scan says about itself (its text is not read: no OCR): the EXIF, XMP and PNG text
    a viewer's properties pane shows (author, description, comments); whether it keeps where it was
    taken (GPS), which is a note for a person: a location is not always private; and whether the
    preview it keeps shows what the picture no longer does (covered or cropped since)."""
    from PIL import Image, UnidentifiedImageError

    try:
        im = Image.open(source)
    except UnidentifiedImageError:  # not an image after all: a reader sees a broken picture, nothing to read
        return Extracted()
    with im:
        exif = im.getexif()
        pieces = [Piece(f"图片属性（{label}）", None, text) for tag, label in _EXIF_TEXT
                  if (text := _exif_text(exif.get(tag)))]
        exif_ifd = exif.get_ifd(0x8769)
        pieces += [Piece(f"图片属性（{label}）", None, text) for tag, label in _EXIF_IFD_TEXT
                   if (text := _exif_text(exif_ifd.get(tag), getattr(exif, "endian", None) or "<"))]
        gps = exif.get_ifd(0x8825)
        xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp") or b""
        if isinstance(xmp, str):
            xmp = xmp.encode("utf-8")
        if xmp:
            text = _xmp_text(xmp)
            if text:
                pieces.append(Piece("图片的 XMP 元数据", None, text))
        # a JPEG's or GIF's comment block (COM, the GIF comment extension), which image viewers show
        comment = im.info.get("comment")
        if isinstance(comment, bytes):
            comment = decode(comment)
        if isinstance(comment, str) and comment.strip():
            pieces.append(Piece("图片注释", None, comment))
        # PNG text chunks (tEXt, iTXt), as image editors write them ("Comment", "Author"); not the XMP again
        for key, value in (getattr(im, "text", None) or {}).items():
            if isinstance(value, str) and value.strip() and key != "XML:com.adobe.xmp":
                pieces.append(Piece(f"图片文字信息（{key}）", None, value))
        notes = []
        if (2 in gps and 4 in gps) or b"GPSLatitude" in xmp:
            notes.append(Note("照片中保存了拍摄地点（GPS 位置信息）", _GPS_HINT))
        thumbnail = _exif_thumbnail(im, exif)
        if thumbnail is not None and _unlike(im, thumbnail):
            notes.append(Note("图片里保存的缩略图与图片本身不一致：缩略图可能是打码、裁剪之前的原图，"
                              "读者用看图软件或图片属性就能看到", _THUMBNAIL_HINT))
    return Extracted(pieces, notes)


_THUMBNAIL_HINT = ("用图片软件“导出”或“另存为”一份不含元数据（EXIF）的新图片，或截图后重新保存，再放回；"
                   "Windows 中右键图片 → 属性 → 详细信息 → “删除属性和个人信息”也可以")


def _exif_thumbnail(im, exif):
    """The small preview a camera or phone writes into a photo's EXIF (IFD1), which many editors leave
    as it was when the photo is cropped or a part of it covered."""
    from PIL import ExifTags, Image

    ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
    start, length = ifd1.get(0x0201), ifd1.get(0x0202)
    raw = im.info.get("exif") or b""
    if not start or not length or not raw:
        return None
    tiff = raw[6:] if raw.startswith(b"Exif\0\0") else raw
    try:
        thumbnail = Image.open(io.BytesIO(tiff[start:start + length]))
        thumbnail.load()
        return thumbnail
    except Exception:  # noqa: BLE001 - a broken preview shows nothing
        return None


def _unlike(im, thumbnail) -> bool:
    """Whether the preview shows something the picture does not. Cameras fit the preview to their own
    size, with black bars, filling it, or stretched: the picture is compared in each of these ways, and
    differs only when it differs in all (a covered part: ~1% of the preview is enough)."""
    from PIL import Image, ImageChops, ImageFilter

    tw, th = thumbnail.size
    if tw < 8 or th < 8:
        return False
    im.draft("L", (tw * 2, th * 2))  # a JPEG decodes at a fraction of its size: fast for a large photo
    picture = im.convert("L")
    small = thumbnail.convert("L")
    w, h = picture.size

    def differs(a, b) -> bool:
        # at a quarter of the preview's size: the shapes of the picture, not its detail (leaves, text
        # and the preview's own JPEG noise differ pixel by pixel in the very same photo)
        size = (max(1, b.width // 4), max(1, b.height // 4))
        a, b = (x.resize(size, Image.BOX).filter(ImageFilter.GaussianBlur(1)) for x in (a, b))
        diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 40 else 0)
        return diff.histogram()[255] > 0.01 * diff.width * diff.height

    scale = min(tw / w, th / h)
    cw, ch = max(1, round(w * scale)), max(1, round(h * scale))
    left, top = (tw - cw) // 2, (th - ch) // 2
    fitted = differs(picture.resize((cw, ch), Image.BILINEAR), small.crop((left, top, left + cw, top + ch)))
    fill = max(tw / w, th / h)
    fw, fh = round(w * fill), round(h * fill)
    cropped = picture.resize((fw, fh), Image.BILINEAR).crop(((fw - tw) // 2, (fh - th) // 2, (fw - tw) // 2 + tw,
                                                              (fh - th) // 2 + th))
    return fitted and differs(cropped, small) and differs(picture.resize((tw, th), Image.BILINEAR), small)


def _exif_text(value, endian: str = "<") -> str:
    """An EXIF value as text: a string; the XP* tags' UTF-16 bytes (always little-endian);
    UserComment's 8-byte charset prefix, then UTF-16 in the file's byte order (`endian`: ">" or "<")."""
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        value = bytes(value)
    if isinstance(value, bytes):
        if value[:8] == b"UNICODE\0":
            value = value[8:].decode("utf-16-be" if endian == ">" else "utf-16-le", errors="replace")
        elif value[:8] in (b"ASCII\0\0\0", b"\0" * 8):
            value = value[8:].decode("utf-8", errors="replace")
        else:  # the XP* tags: UTF-16 little-endian, NUL-terminated
            value = value.decode("utf-16-le", errors="replace")
    if not isinstance(value, str):
        return ""
    try:  # an ASCII tag holding UTF-8 or GBK (cameras, Chinese software): Pillow hands it over as Latin-1
        raw = value.encode("latin-1")
        for codec in ("utf-8", "gb18030"):
            try:
                value = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    except UnicodeEncodeError:  # already decoded text
        pass
    return value.replace("\x00", "").strip()


def _xmp_text(data: bytes) -> str:
    """Every text and attribute value of an XMP packet, one a line (dc:creator, dc:description …)."""
    from lxml import etree

    root = etree.fromstring(data.strip(b"\0 \n"), etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    if root is None:
        return ""
    texts = [t.strip() for t in root.itertext() if t.strip()]
    texts += [v.strip() for el in root.iter() for v in el.attrib.values() if v.strip()]
    return "\n".join(texts)


_PDF_KEYS = {"/Title": "标题", "/Author": "作者", "/Subject": "主题", "/Keywords": "关键词"}
# what the software that wrote it puts there, and dates
_PDF_TOOL_KEYS = {"/Producer", "/Creator", "/CreationDate", "/ModDate", "/Trapped"}


def _pdf(source: Path | io.BytesIO, depth: int) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(str(source) if isinstance(source, Path) else source)
    if reader.is_encrypted and not reader.decrypt(""):
        return Extracted(notes=[Note("PDF 已加密，无法读取其中的文字，个人信息未经检查")])
    pieces = []
    meta = reader.metadata or {}
    for key, value in meta.items():  # the standard keys, and custom ones (Acrobat: 文档属性 → 自定义)
        if key not in _PDF_TOOL_KEYS and isinstance(value, str) and value.strip():
            pieces.append(Piece(f"文档属性（{_PDF_KEYS.get(key) or '自定义：' + key.lstrip('/')}）", None, str(value)))
    no_text = []
    unread = []  # what went wrong reading notes or fields: the pages' text is kept, a person checks the rest
    for number, page in enumerate(reader.pages, 1):
        # NULs: what some PDF writers' two-byte text turns into when extracted; a reader sees nothing there
        text = (page.extract_text() or "").replace("\x00", "")
        if text.strip():
            pieces.append(Piece(f"第 {number} 页", None, text))
        elif _has_images(page):
            no_text.append(number)
        try:
            pieces += _pdf_annotations(page, number)
        except Exception as exc:  # noqa: BLE001
            unread.append(type(exc).__name__)
    try:
        for name, field_ in (reader.get_fields() or {}).items():
            value = field_.get("/V")
            if isinstance(value, str) and value.strip():  # text fields (a check box's value is a name)
                pieces.append(Piece(f"表单域“{name}”", None, str(value)))
    except Exception as exc:  # noqa: BLE001
        unread.append(type(exc).__name__)
    try:
        pieces += [Piece("书签", None, title) for title in _outline_titles(reader.outline)]
    except Exception as exc:  # noqa: BLE001
        unread.append(type(exc).__name__)
    out = Extracted(pieces)
    try:
        for name, contents in reader.attachments.items():  # files attached to the document (附件 pane)
            for data in contents:
                _add(out, _embedded(name, data, depth))
    except Exception as exc:  # noqa: BLE001
        unread.append(type(exc).__name__)
    notes = [Note(f"PDF 的批注、表单域或附带的文件无法读取（{unread[0]}），其中的个人信息请人工检查")] if unread else []
    if no_text:
        pages = "、".join(str(n) for n in no_text[:20]) + ("…" if len(no_text) > 20 else "")
        whole = len(no_text) == len(reader.pages)
        notes.append(Note(("PDF 没有文字层（扫描件或图片）" if whole else f"PDF 第 {pages} 页没有文字层（扫描或图片）")
                          + "，无法自动检查其中的个人信息"))
    try:
        running = _pdf_actions(reader)
    except Exception:  # noqa: BLE001 - a damaged action is no reason to stop reading the text
        running = []
    if running:
        notes.append(Note(f"PDF 中含有打开或点击时会运行的内容（{'、'.join(running)}）：读者的 PDF 阅读器可能执行它",
                          "确认这份 PDF 的来源；不需要这些内容的，用“打印为 PDF”或另存为 PDF/A 重新生成后再放回"))
    out.notes = notes + out.notes
    return out


_RUNS = {"/JavaScript": "JavaScript 脚本", "/Launch": "启动程序", "/ImportData": "导入数据", "/SubmitForm": "提交表单到网址",
         "/Rendition": "媒体脚本"}


def _pdf_actions(reader) -> list[str]:
    """The actions a reader's PDF viewer runs by itself or on a click: the document's scripts (its
    JavaScript name tree, the action on opening, the document's and pages' triggers) and links that run
    a script or a program. A form field's own scripts (number formats, sums: Acrobat writes them into
    ordinary forms) are left alone."""
    root = reader.trailer["/Root"]
    found: set[str] = set()
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.add(_RUNS["/JavaScript"])

    def triggers(aa) -> list:  # an /AA dictionary: each of its entries is an action
        aa = aa.get_object() if aa is not None else None
        return [aa[k] for k in aa] if hasattr(aa, "keys") else []

    actions = [root.get("/OpenAction")] + triggers(root.get("/AA"))  # (an /OpenAction array is a page to show)
    for page in reader.pages:
        actions += triggers(page.get("/AA"))
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                actions += [annot.get("/A")] + triggers(annot.get("/AA"))
    seen: set[int] = set()
    while actions:
        action = actions.pop()
        action = action.get_object() if action is not None else None
        if isinstance(action, list):  # /Next may list several actions
            actions += action
            continue
        if not hasattr(action, "get") or id(action) in seen:
            continue
        seen.add(id(action))
        kind = action.get("/S")
        if kind in _RUNS:
            found.add(_RUNS[kind])
        elif "/JS" in action:
            found.add(_RUNS["/JavaScript"])
        elif kind == "/URI" and str(action.get("/URI", "")).strip().lower().startswith(("javascript:", "file:")):
            found.add("指向 javascript: 或本机文件的链接")
        actions.append(action.get("/Next"))
    return sorted(found)


def _outline_titles(outline) -> list[str]:
    """The bookmarks a reader's side pane lists (书签), nested ones too."""
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            title = getattr(item, "title", None)
            if isinstance(title, str) and title.strip():
                titles.append(title)
    return titles


def _pdf_annotations(page, number: int) -> list[Piece]:
    """Comments, sticky notes and text boxes on a page: every viewer shows them, extract_text does not."""
    pieces = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if annot.get("/Subtype") == "/Widget":
            continue  # a form field's box: its value is read with the fields
        text = " ".join(str(annot[k]) for k in ("/T", "/Contents") if isinstance(annot.get(k), str) and annot[k].strip())
        if text:
            pieces.append(Piece(f"第 {number} 页的批注", None, text))
    return pieces


def _has_images(page) -> bool:
    """A page with no text but with pictures (a scan) needs a person; a blank page does not."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects:
        return True
    try:
        return b"BI" in page.get_contents().get_data()  # inline images
    except Exception:  # noqa: BLE001 - no content stream: a blank page
        return False
