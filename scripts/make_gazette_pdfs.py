"""Make the sample site's 政府公报 PDFs (content/gazette/<id>.pdf) from catalogue/gazette.yml and the
records that name each issue: a cover and the issue's 目录. Run once, by hand, when the sample's issues
change; the PDFs are committed (small: the CJK font is subset to the characters used).

    python3 scripts/make_gazette_pdfs.py

Needs fpdf2 (the test extra) and Noto CJK (Debian: fonts-noto-cjk)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.plan.gazette import contents  # noqa: E402
from site_builder.sources.validate import load_project  # noqa: E402

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
TITLE = "云溪县人民政府公报"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # reproducible bytes: no build time in the PDF


def make(issue, records) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_title(f"{TITLE} {issue.label}")
    pdf.set_author("云溪县人民政府办公室（示例）")
    pdf.add_font("serif", "", FONT, collection_font_number=2)  # SC
    pdf.add_font("serif", "B", FONT_BOLD, collection_font_number=2)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_text_color(180, 0, 0)
    pdf.set_font("serif", "B", 34)
    pdf.ln(30)
    pdf.cell(0, 20, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("serif", "", 16)
    total = f"（总第{issue.total}期）" if issue.total else ""
    pdf.cell(0, 12, f"{issue.label}{total}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, f"{issue.date.year}年{issue.date.month}月{issue.date.day}日出版", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("serif", "B", 20)
    pdf.cell(0, 14, "目  录", align="C", new_x="LMARGIN", new_y="NEXT")
    for section, recs in contents(issue, records):
        pdf.ln(4)
        pdf.set_font("serif", "B", 14)
        pdf.cell(0, 10, f"【{section or '其他'}】", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("serif", "", 12)
        for r in recs:
            line = r.title + (f"（{r.doc_no}）" if r.doc_no else "")
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if not records:
        pdf.set_font("serif", "", 12)
        pdf.multi_cell(0, 8, "本期刊登县政府及部门文件、人事任免等，详见正文。", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("serif", "", 10)
    pdf.multi_cell(0, 6, "云溪县人民政府办公室编印（示例，虚构内容）。本公报刊登的文件与正式文本具有同等效力。",
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main() -> None:
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT, build_day=dt.date(2099, 1, 1))
    out = ROOT / "content" / "gazette"
    out.mkdir(exist_ok=True)
    for issue in project.gazette:
        records = sorted((r for r in project.records if r.gazette == issue.id), key=lambda r: (r.date, r.index_no))
        data = make(issue, records)
        (out / f"{issue.id}.pdf").write_bytes(data)
        print(f"{issue.id}.pdf {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
