"""The Word (.docx) and PDF versions of the 行政规范性文件 whose editor gave none (docs/policy-library.md):
a metadata table (信息索引) and the body text, made at build time from the record.

- Word with python-docx (already the project's library for the 申请表), PDF with fpdf2 (it embeds the
  subset of a TrueType/OpenType font a document uses, CJK collections (.ttc) included, through fontTools).
- Reproducible: the same record gives the same bytes (fixed document dates and ids, fixed zip entry
  times), so an unchanged site does not change.
- Cached by content: the key is the record's text, the code of this module and the libraries' and
  font's versions; a cached file is copied, not made again (`.cache/disclosure/policyfiles/`).
- The Chinese font: $DISCLOSURE_CJK_FONT (a .ttf/.otf/.ttc path), else the first of CJK_FONTS found
  (Debian/Ubuntu fonts-noto-cjk, WenQuanYi, macOS, Windows). None found: FontMissing, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

from .. import parallel
from ..plan import policy
from ..render.caches import forget, made_once
from ..reproducible import FIXED_TIME, fixed_zip
from ..plan.index import Index
from ..sources.codeversion import code_version
from ..sources.records import Record, markdown_html
from ..sources.sanitize import sanitize
from .search.fold import fold, js_tables

FONT_ENV = "DISCLOSURE_CJK_FONT"
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
META_ROWS = (("索引号", "index_no"), ("发布机构", "department"), ("名称", "title"), ("文号", "doc_no"),
             ("成文日期", "written"), ("发布日期", "date"), ("有效性", "validity"), ("文件类型", "doc_type"))


class FontMissing(Exception):
    """No Chinese font for the PDF versions (the message says what to install or set)."""


def find_font(cache_dir: Path | None = None) -> tuple[str, int]:
    """(font file, face number in a collection) for the PDF versions: the Simplified Chinese face. With
    `cache_dir`, the face number is kept there (font-faces/) under the file's path, size and mtime: finding
    it reads the collection's name tables, ~0.1 s of every build that has a PDF version, made or cached."""
    given = os.environ.get(FONT_ENV, "").strip()
    candidates = [given] if given else list(CJK_FONTS)
    for path in candidates:
        if os.path.isfile(path):
            return path, _sc_face(path) if cache_dir is None else _kept_face(path, cache_dir / "font-faces")
    if given:
        raise FontMissing(f"环境变量 {FONT_ENV} 指定的中文字体文件“{given}”不存在：请改为一个存在的 .ttf、.otf 或 .ttc 字体文件")
    raise FontMissing("未找到中文字体，无法生成行政规范性文件的 PDF 版：请安装 Noto CJK 字体（Debian/Ubuntu："
                      "sudo apt install fonts-noto-cjk），或设置环境变量 " + FONT_ENV + "=中文字体文件路径（.ttf/.otf/.ttc）；"
                      "也可以为每个行政规范性文件上传 PDF 附件（见 docs/policy-library.md）")


def _kept_face(path: str, folder: Path) -> int:
    """_sc_face(path), kept in `folder` under the file's path, size and mtime (a damaged entry: found again)."""
    st = os.stat(path)
    key = hashlib.sha256(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogatepass")).hexdigest()
    kept = made_once(folder, key, lambda: str(_sc_face(path)).encode("ascii"))
    if kept.isdigit():
        return int(kept)
    forget(folder, key)
    return _sc_face(path)


def _sc_face(path: str) -> int:
    """In a font collection, the face named SC (Simplified Chinese); 0 otherwise."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as coll:
        for n, font in enumerate(coll.fonts):
            name = font["name"].getDebugName(1) or ""
            if name.endswith((" SC", "SC")) or "GB" in name:
                return n
    return 0


# --- the record as blocks of text ------------------------------------------------------------------

class _Blocks(HTMLParser):
    """Headings, paragraphs, list items and table rows of a rendered body, as plain text."""
    BLOCK = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, object]] = []
        self.text: list[str] | None = None
        self.kind = ""
        self.row: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.text, self.kind = [], "cell"
        elif tag in self.BLOCK:
            self._flush()
            self.text, self.kind = [], ("heading" if tag[0] == "h" and tag[1:].isdigit() else
                                        "item" if tag == "li" else "para")
        elif tag == "br" and self.text is not None:
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.text is not None:
            self.row.append("".join(self.text).strip())
            self.text = None
        elif tag == "tr" and self.row is not None:
            self.blocks.append(("row", self.row))
            self.row = None
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self.skip and self.text is not None:
            self.text.append(data)

    def _flush(self):
        if self.text is not None and self.kind != "cell":
            text = "".join(self.text).strip()
            if text:
                self.blocks.append((self.kind, text))
        self.text = None


def body_blocks(body: str) -> list[tuple[str, object]]:
    """(kind, text) for heading, para, item; (row, [cells]) for table rows; in reading order."""
    parser = _Blocks()
    parser.feed(sanitize(markdown_html(body)))  # what the record's page shows, no more
    parser.close()
    parser._flush()
    return parser.blocks


def meta_rows(r: Record, department_name: str) -> list[tuple[str, str]]:
    values = {"index_no": r.index_no, "department": department_name, "title": r.title, "doc_no": r.doc_no or "—",
              "written": r.written.isoformat() if r.written else "—", "date": r.date_text,
              "validity": policy.validity_label(r), "doc_type": r.doc_type}
    return [(label, values[key]) for label, key in META_ROWS]


# --- Word ------------------------------------------------------------------------------------------

def docx_bytes(r: Record, department_name: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in meta_rows(r, department_name):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].width, cells[1].width = Cm(3), Cm(12.8)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(r.title)
    run.bold = True
    run.font.size = Pt(18)
    if r.doc_no:
        doc.add_paragraph(r.doc_no).alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows: list[list[str]] = []

    def flush_rows():
        if not rows:
            return
        width = max(len(row) for row in rows)
        t = doc.add_table(rows=0, cols=width)
        t.style = "Table Grid"
        for row in rows:
            cells = t.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = text
        rows.clear()

    for kind, value in body_blocks(r.body):
        if kind == "row":
            rows.append(value)
            continue
        flush_rows()
        p = doc.add_paragraph()
        if kind == "heading":
            p.add_run(value).bold = True
        else:
            p.add_run(("· " if kind == "item" else "") + value)
            p.paragraph_format.first_line_indent = Pt(24) if kind == "para" else None
    flush_rows()

    props = doc.core_properties
    props.title, props.author, props.subject = r.title, department_name, r.doc_type
    props.identifier, props.keywords = r.index_no, r.doc_no
    props.last_modified_by, props.revision = "", 1
    props.created = props.modified = props.last_printed = dt.datetime(*FIXED_TIME)
    raw = io.BytesIO()
    doc.save(raw)
    return fixed_zip(raw.getvalue())


# --- PDF -------------------------------------------------------------------------------------------

def pdf_bytes(r: Record, department_name: str, font: tuple[str, int]) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_margins(26, 30, 26)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_font("cjk", fname=font[0], collection_font_number=font[1])
    pdf.set_creation_date(dt.datetime(*FIXED_TIME, tzinfo=dt.timezone.utc))
    pdf.set_title(r.title)
    pdf.set_author(department_name)
    pdf.set_subject(r.doc_type)
    pdf.set_keywords(" ".join(x for x in (r.index_no, r.doc_no) if x))
    pdf.set_lang("zh-CN")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("cjk", size=10)
    with pdf.table(col_widths=(22, 78), text_align="LEFT", line_height=6, first_row_as_headings=False,
                   wrapmode=WrapMode.CHAR) as table:
        for label, value in meta_rows(r, department_name):
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(6)
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(width, 10, r.title, align="C", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if r.doc_no:
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(width, 8, r.doc_no, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    rows: list[list[str]] = []

    def flush_rows():
        if not rows:
            return
        cols = max(len(row) for row in rows)
        pdf.set_font("cjk", size=10)
        with pdf.table(text_align="LEFT", line_height=6, first_row_as_headings=False,
                       wrapmode=WrapMode.CHAR) as t:
            for row in rows:
                out = t.row()
                for text in row + [""] * (cols - len(row)):
                    out.cell(text)
        pdf.ln(3)
        rows.clear()

    for kind, value in body_blocks(r.body):
        if kind == "row":
            rows.append(value)
            continue
        flush_rows()
        pdf.set_font("cjk", size=14 if kind == "heading" else 12)
        text = ("· " if kind == "item" else "　　" if kind == "para" else "") + value
        pdf.multi_cell(width, 8, text, align="L", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    flush_rows()
    return bytes(pdf.output())


# --- writing, with the cache -----------------------------------------------------------------------

def _versions() -> str:
    def v(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"
    code = code_version("outputs/policyfiles.py", "plan/policy.py", "sources/records.py", "sources/sanitize.py",
                        "sources/autolink.py")
    return f"{code}:{v('python-docx')}:{v('fpdf2')}"


def cache_key(r: Record, department_name: str, ext: str, font: tuple[str, int] | None, versions: str) -> str:
    font_id = None
    if font is not None:
        st = os.stat(font[0])
        font_id = [font[0], font[1], st.st_size, st.st_mtime_ns]
    fields = [versions, ext, font_id, department_name, r.index_no, r.title, r.doc_no, r.doc_type,
              r.written.isoformat() if r.written else "", r.date_text, r.validity, r.body]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


PARALLEL_MIN = 4  # files to make: from this many on, on every core (a PDF takes about a second: font subsetting)


def make_file(r: Record, department_name: str, ext: str, font: tuple[str, int] | None) -> bytes:
    return docx_bytes(r, department_name) if ext == "docx" else pdf_bytes(r, department_name, font)


def _make(args) -> bytes:
    return make_file(*args)


def _make_all(jobs: list[tuple]) -> list[bytes]:
    workers = min(os.cpu_count() or 1, len(jobs))
    if len(jobs) < PARALLEL_MIN or workers < 2 or not parallel.can_fork():
        return [make_file(*job) for job in jobs]
    with parallel.fork_pool(workers) as pool:
        return pool.map(_make, jobs, chunksize=1)


def write_files(site: Path, idx: Index, cache_dir: Path | None) -> list[str]:
    """Make (or copy from the cache) every generated Word/PDF version into the site; returns their paths.
    Raises FontMissing when a PDF is needed and no Chinese font is found."""
    wanted = policy.generated_files(idx)
    if not wanted:
        return []
    font = find_font(cache_dir) if any(ext == "pdf" for _, ext, _ in wanted) else None
    versions = _versions()
    store = cache_dir / "policyfiles" if cache_dir is not None else None
    todo: list[tuple[Path, Path | None, tuple]] = []  # (target, its cache file, the job)
    used = set()
    for r, ext, path in wanted:
        dep = idx.catalogue.departments.get(r.department)
        name = dep.name if dep else r.department
        key = cache_key(r, name, ext, font if ext == "pdf" else None, versions)
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        cached = store / f"{key}.{ext}" if store is not None else None
        used.add(f"{key}.{ext}")
        if cached is not None and cached.is_file():
            shutil.copyfile(cached, target)
        else:
            todo.append((target, cached, (r, name, ext, font if ext == "pdf" else None)))
    for (target, cached, _), data in zip(todo, _make_all([job for _, _, job in todo])):
        target.write_bytes(data)
        if cached is not None:
            store.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, cached)
    if store is not None and store.is_dir():  # files of records since changed or removed
        for old in store.iterdir():
            if old.name not in used:
                old.unlink(missing_ok=True)
    return [path for _, _, path in wanted]


def library_script(idx: Index) -> str:
    """policies/library.js: the library's data for theme/assets/policy.js, loaded with <script src> so it
    works from file:// too (a kiosk): `window.__dxPolicy(data)`. Titles and 文号 are folded with the site
    search's fold (outputs/search/fold.py), whose tables the browser gets to fold the query the same way."""
    data = policy.library_data(idx, fold)
    data["fold"] = js_tables()
    return "window.__dxPolicy && window.__dxPolicy(" + json.dumps(data, ensure_ascii=False, separators=(",", ":")) \
        .replace("</", "<\\/") + ");\n"
