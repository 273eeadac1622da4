"""The national 政府信息公开申请表 (application form for government information), as one grid of cells
that both the printable page (theme/disclosure/apply-form.html) and the Word file are made from, so
the two never differ. The fields follow the form in common use since the 2019 revision of the
条例 (第二十九条: 申请人的姓名或者名称、身份证明、联系方式；所需政府信息的名称、文号或者便于行政机关
查询的其他特征性描述；所需政府信息的形式要求，包括获取信息的方式、途径).

The Word file is written with python-docx and made reproducible: the same form gives the same bytes
(fixed document dates, fixed times on the zip entries), so an unchanged site does not change.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..reproducible import FIXED_TIME, fixed_zip

PAGE_SRC = "apply-form.md"  # the printable page
DOCX_PATH = "downloads/zfxxgk-sqb.docx"  # the Word file, relative to the site root
TITLE = "政府信息公开申请表"
BOX = "□"

CITIZEN = [("姓名", "工作单位"), ("证件名称", "证件号码"), ("联系电话", "电子邮箱"), ("通信地址", "邮政编码"),
           ("传真", None)]
ORGANISATION = [("名称", "统一社会信用代码"), ("法定代表人或者负责人", "联系人姓名"),
                ("联系人电话", "联系人电子邮箱"), ("通信地址", "邮政编码"), ("传真", None)]
CARRIERS = ["纸质", "电子邮件", "光盘", "磁盘"]
WAYS = ["邮寄", "电子邮件", "传真", "自行领取", "当场阅读、抄录"]
NOTES = [
    "申请人是公民的，填写“公民”一栏；是法人或者其他组织的，填写“法人或者其他组织”一栏。",
    "申请人应当提供身份证明：公民提供居民身份证等有效身份证件复印件，法人或者其他组织提供营业执照等证明文件复印件。",
    "所需信息的名称、文号或者其他特征性描述应尽量具体，便于行政机关查找。申请内容不明确的，行政机关将在收到申请之日起"
    "7个工作日内一次性告知需要补正的事项。",
    "一份申请表一般只申请一项政府信息。以信函方式提交的，请在信封左下角注明“政府信息公开申请”字样。",
]
COLUMNS = 6  # 栏目 | 类别 | 项目 | 填写 | 项目 | 填写


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str  # section | group | label | blank | choice
    col: int
    colspan: int = 1
    rowspan: int = 1
    tall: bool = False  # room to write several lines


def _pairs(pairs) -> list[list[Cell]]:
    rows = []
    for left, right in pairs:
        if right is None:
            rows.append([Cell(left, "label", 2), Cell("", "blank", 3, colspan=3)])
        else:
            rows.append([Cell(left, "label", 2), Cell("", "blank", 3), Cell(right, "label", 4), Cell("", "blank", 5)])
    return rows


def grid() -> list[list[Cell]]:
    """The form's rows; each cell knows its first column and its spans (covered cells are absent)."""
    rows: list[list[Cell]] = []
    citizen, organisation = _pairs(CITIZEN), _pairs(ORGANISATION)
    applicant_rows = len(citizen) + len(organisation) + 1
    citizen[0].insert(0, Cell("公民", "group", 1, rowspan=len(citizen)))
    citizen[0].insert(0, Cell("申请人信息", "section", 0, rowspan=applicant_rows))
    organisation[0].insert(0, Cell("法人或者其他组织", "group", 1, rowspan=len(organisation)))
    rows += citizen + organisation
    rows.append([Cell("申请人签名或者盖章", "label", 1, colspan=2), Cell("", "blank", 3),
                 Cell("申请时间", "label", 4), Cell("", "blank", 5)])
    needed = [
        [Cell("所需信息情况", "section", 0, rowspan=5), Cell("所需信息的名称", "label", 1, colspan=2),
         Cell("", "blank", 3, colspan=3, tall=True)],
        [Cell("所需信息的文号或者其他特征性描述", "label", 1, colspan=2), Cell("", "blank", 3, colspan=3, tall=True)],
        [Cell("所需信息的指定提供载体形式（可选）", "label", 1, colspan=2),
         Cell("　".join(BOX + c for c in CARRIERS), "choice", 3, colspan=3)],
        [Cell("获取信息的方式（可选）", "label", 1, colspan=2),
         Cell("　".join(BOX + w for w in WAYS), "choice", 3, colspan=3)],
        [Cell("若本机关无法按照指定方式提供所需信息，也可接受其他方式", "label", 1, colspan=2),
         Cell(f"{BOX}是　{BOX}否", "choice", 3, colspan=3)],
    ]
    rows += needed
    rows.append([Cell("受理情况（由行政机关填写）", "section", 0, colspan=2), Cell("受理编号", "label", 2),
                 Cell("", "blank", 3), Cell("收到申请日期", "label", 4), Cell("", "blank", 5)])
    return rows


def page_context(organ: str = "") -> dict:
    return {"title": TITLE, "rows": grid(), "notes": NOTES, "organ": organ, "docx": DOCX_PATH}


# --- the Word file ---------------------------------------------------------------------------------

def docx_key(organ: str = "") -> str:
    """What decides the Word file's bytes: the organ, this code, python-docx's version."""
    import hashlib
    from importlib import metadata

    from ..sources.codeversion import code_version

    parts = (organ, code_version("plan/applyform.py", "reproducible.py"), metadata.version("python-docx"))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32] + ".docx"


def docx_bytes(organ: str = "") -> bytes:
    """The form as a Word document (A4, one table), the same bytes for the same form."""
    import datetime as dt

    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph(f"受理机关：{organ or '＿＿＿＿＿＿＿＿＿＿＿＿'}")

    rows = grid()
    table = doc.add_table(rows=len(rows), cols=COLUMNS)
    table.style = "Table Grid"
    widths = [Cm(1.6), Cm(2.4), Cm(3.2), Cm(3.4), Cm(3.0), Cm(3.4)]
    # the cells by place, read before merging (a merge keeps the corners' cells; table.cell walks the grid)
    places = [row.cells for row in table.rows]
    for r, row in enumerate(rows):
        for cell in row:
            target = places[r][cell.col]
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(places[r + cell.rowspan - 1][cell.col + cell.colspan - 1])
            target.text = cell.text
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if cell.kind in ("section", "group", "label"):
                for p in target.paragraphs:
                    for run in p.runs:
                        run.bold = cell.kind != "label"
            if cell.tall:
                target.add_paragraph("")
                target.add_paragraph("")
    for column, width in zip(table.columns, widths):  # (a column's cells at once: table.cell walks the grid)
        for target in column.cells:
            target.width = width

    doc.add_paragraph("")
    doc.add_paragraph("填表说明：")
    for i, note in enumerate(NOTES, 1):
        doc.add_paragraph(f"{i}. {note}")

    props = doc.core_properties
    props.title = TITLE
    props.author = organ or ""
    props.last_modified_by = ""
    props.revision = 1
    fixed = dt.datetime(*FIXED_TIME)
    props.created = props.modified = fixed
    props.last_printed = fixed

    raw = io.BytesIO()
    doc.save(raw)
    return fixed_zip(raw.getvalue())
