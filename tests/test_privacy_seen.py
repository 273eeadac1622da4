"""The privacy guard checks what a reader sees, everywhere (issue 13, item 3).

Disguised numbers (YAML escapes, character references, emphasis inside the number, full-width digits,
zero-width characters, tags, links), the 15-digit ID form, the number ranges that cut false alarms,
and every place a reader can see or download text: record fields and bodies, ordinary pages, the
catalogue, mkdocs.yml, attachment names and real CSV/XLSX/DOCX/PDF files made here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path

import cmarkgfm
import markdown
import pytest

from site_builder.sources import attachments_text, privacy
from site_builder.commands.cli import main
from site_builder.sources.records import html_to_text

TODAY = dt.date(2026, 11, 22)
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def make_id(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, privacy._ID_WEIGHTS))
    return first17 + privacy._ID_CHECK[total % 11]


def make_card(prefix: str, length: int) -> str:
    body = prefix + "0" * (length - len(prefix) - 1)
    return next(body + c for c in "0123456789" if privacy.luhn_ok(body + c))


ID = make_id("11010519491231002")  # ends in X
ID15 = "110105491231003"  # 1949-12-31, Beijing Chaoyang; not a valid 工商注册号
MOBILE = "13912345678"
CARD = make_card("622202123456789", 16)
MASKED_ID = ID[:6] + "*" * 8 + ID[-4:]


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in privacy.scan_seen(text, today=TODAY)]


# --- disguised numbers --------------------------------------------------------------------------

def charrefs(s: str) -> str:
    return "".join(f"&#{ord(c)};" for c in s)


BYPASSES = {
    "emphasis": f"身份证号{ID[:4]}**{ID[4:6]}**{ID[6:]}，住址略。",
    "emphasis-underscore": f"身份证号 {ID[:4]}__{ID[4:6]}__{ID[6:]}",
    "char-refs": f"身份证号{charrefs(ID[:2])}{ID[2:]}",
    "all-char-refs": f"手机{charrefs(MOBILE)}",
    "hex-char-refs": "手机" + "".join(f"&#x{ord(c):x};" for c in MOBILE),
    "full-width": "身份证号" + ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}),
    "zero-width": f"手机{MOBILE[:3]}\u200b{MOBILE[3:7]}\u2060{MOBILE[7:]}",
    "soft-hyphen-bom": f"卡号{CARD[:8]}\u00ad{CARD[8:]}\ufeff",
    "inline-html": f"身份证号<span>{ID[:6]}</span><b>{ID[6:14]}</b>{ID[14:]}",
    "html-comment-inside": f"手机{MOBILE[:3]}<!-- x -->{MOBILE[3:]}",
    "link-split": f"[{ID[:6]}](a.html){ID[6:]}",
    "code-span": f"手机 `{MOBILE[:5]}`{MOBILE[5:]}",
    "ideographic-spaces": f"手机 {MOBILE[:3]}\u3000{MOBILE[3:7]}\u3000{MOBILE[7:]}",
    "circled-digits": "手机①③⑨①②③④⑤⑥⑦⑧",
    "math-digits": "手机" + "".join(chr(0x1D7CE + int(c)) for c in MOBILE),
    "15-digit-id": f"旧身份证号{ID15}。",
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_every_disguise_is_seen(name):
    text = BYPASSES[name]
    assert privacy.scan_text(text, today=TODAY) == [] or name == "15-digit-id"  # the old guard's view
    assert len(found(text)) == 1, found(text)


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_what_the_renderers_show_is_never_missed(name):
    """Proof: every number in what the site's two renderers display is also found in the source."""
    text = BYPASSES[name]
    mine = {f.key for f in privacy.scan_seen(text, today=TODAY)}
    for html in (cmarkgfm.github_flavored_markdown_to_html(text), markdown.markdown(text)):
        shown = unicodedata.normalize("NFKC", html_to_text(html))
        shown = privacy.FORMAT_CHARS.sub("", shown)
        assert {f.key for f in privacy.scan_text(shown, today=TODAY)} <= mine


def test_renderers_on_the_sample_bodies_find_nothing_the_guard_misses():
    from site_builder.sources.records import split_front_matter

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "content").rglob("*.md")):
        body = split_front_matter(path.read_text(encoding="utf-8"))[1]
        mine = {f.key for f in privacy.scan_seen(body)}
        shown = html_to_text(cmarkgfm.github_flavored_markdown_to_html(body))
        assert {f.key for f in privacy.scan_text(shown)} <= mine, path


CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")


@pytest.mark.parametrize("text, column", [
    (f"手机{MOBILE.translate(CHINESE)}", 3),
    ("手机：壹叁玖壹贰叁肆伍陆柒捌", 4),  # 大写数字
    ("电话 幺三九-幺二三四-五六七八", 4),  # 幺: one, as a number is read aloud
    (f"身份证号{ID[:-1].translate(CHINESE)}X", 5),
])
def test_numbers_in_chinese_numerals_are_seen_where_they_stand(text, column):
    """一三九…, 壹叁玖… read as the number they are, at the line and column they are written."""
    [f] = privacy.scan_seen(text, today=TODAY)
    assert f.column == column and f.masked in ("139****5678", MASKED_ID)


@pytest.mark.parametrize("text", ["二〇二四年一月一日", "第一二三四五六七八九〇条", "一二三四五六七八九〇一二三四五六七八九〇"])
def test_chinese_numerals_that_are_no_number_are_let_be(text):
    assert found(text) == []


def test_a_number_in_chinese_numerals_stops_a_build_from_the_front_matter_and_the_body(project, capsys):
    record = project / "content/records/finance/2024-general-budget.md"
    text = record.read_text(encoding="utf-8")
    text = text.replace("\ntitle: ", "\ntitle: 联系人手机一三九一二三四五六七八 ", 1)
    record.write_text(text + "\n身份证号：" + ID[:-1].translate(CHINESE) + "X\n", encoding="utf-8")
    data = check_json(project, capsys)
    said = sorted((e["line"], e["message"][:40]) for e in data["errors"] if e["file"].endswith("2024-general-budget.md"))
    assert [m for _, m in said if "139****5678" in m] and [m for _, m in said if MASKED_ID in m], said


def test_disguised_numbers_have_the_line_of_the_source_and_no_column():
    text = "第一行\n\n第三行 " + BYPASSES["emphasis"] + "\n第四行"
    [f] = privacy.scan_seen(text, first_line=10, today=TODAY)
    assert (f.line, f.column, f.masked) == (12, 0, MASKED_ID)


@pytest.mark.parametrize("gap, near", [(0, True), (16, True), (17, False)])
@pytest.mark.parametrize("side", ["before", "after"])
def test_markup_within_sixteen_separators_of_a_digit_has_its_paragraph_read_as_shown(gap, near, side):
    """Only paragraphs where markup (or another disguise) stands within 16 separator characters of a digit,
    on either side, are turned into the reader's view: past that it cannot join digits into one number."""
    star = f"9{' ' * gap}*文" if side == "before" else f"文*{' ' * gap}9"
    text = f"第一段。\n\n{star}\n\n第三段*，**x**。\n\n第四段 &#49;"
    second, fourth = (text.index(star) - 1, text.index("第三段") - 1), (text.index("第四段") - 1, len(text))
    assert privacy._disguised_blocks(text) == ([second] if near else []) + [fourth]


def test_format_and_folded_character_tables_match_this_python():
    if unicodedata.unidata_version != "14.0.0":
        pytest.skip(f"tables are for Unicode 14.0.0, this Python has {unicodedata.unidata_version}: regenerate them")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert bool(privacy.FORMAT_CHARS.match(ch)) == (unicodedata.category(ch) == "Cf"), hex(cp)
        if cp >= 0x80:
            n = unicodedata.normalize("NFKC", ch)
            relevant = n != ch and (any(c in "0123456789Xx" for c in n) or n in (" ", "+", "-"))
            assert bool(privacy.FOLDED_CHARS.match(ch)) == relevant, hex(cp)


def test_the_characters_that_disguise_a_number_are_those_of_the_two_tables():
    """They are read from the two patterns' text: every BMP character either pattern matches, and no other."""
    bmp = "".join(map(chr, range(0x80, 0x10000)))
    matched = set(privacy.FORMAT_CHARS.findall(bmp)) | set("".join(privacy.FOLDED_CHARS.findall(bmp)))
    assert {ch for ch in privacy._DISGUISE if ord(ch) >= 0x80} == matched
    assert {ch for ch in privacy._DISGUISE if ord(ch) < 0x80} == set("&<>*_~`\\[]")


# --- rules that cut false alarms ----------------------------------------------------------------

@pytest.mark.parametrize("number, flagged", [
    ("13012345678", True), ("14512345678", True), ("14412345678", False),  # 144: 13-digit IoT numbers
    ("15412345678", False), ("16212345678", True), ("16312345678", False), ("16191234567", True),
    ("17421234567", False), ("17412345678", True), ("17491234567", True), ("17401234567", True), ("17912345678", False), ("19212345678", True),
    ("19412345678", False), ("12345678901", False), ("11012345678", False),
])
def test_mobiles_only_in_allocated_network_numbers(number, flagged):
    assert (found(f"电话 {number}") == [("mobile", privacy.mask("mobile", number))]) is flagged


@pytest.mark.parametrize("prefix, length, scheme", [
    ("62", 16, "银联"), ("62", 19, "银联"), ("4", 13, "Visa"), ("4", 16, "Visa"), ("51", 16, "Mastercard"),
    ("2221", 16, "Mastercard"), ("2720", 16, "Mastercard"), ("3528", 16, "JCB"), ("34", 15, "American Express"),
    ("37", 15, "American Express"), ("95", 19, "银联（境内9字头）"),
    ("7", 16, None), ("2721", 16, None), ("3527", 16, None), ("35", 15, None), ("62", 15, None), ("4", 15, None),
    ("8", 16, None), ("1", 16, None), ("51", 19, None),
])
def test_bank_cards_only_with_an_issuer_prefix_and_length(prefix, length, scheme):
    card = make_card(prefix + "9" * 5, length)
    assert privacy.card_scheme(card) == scheme
    assert privacy.is_bank_card(card) is (scheme is not None)


def test_id_numbers_need_an_address_code_in_use():
    assert privacy.is_id_number(ID, TODAY)
    assert not privacy.is_id_number(make_id("11990019491231002"), TODAY)  # no county 1199 00
    assert privacy.is_id_number(make_id("81000019800101001"), TODAY)  # Hong Kong residents' permit


def test_fifteen_digit_ids_need_a_date_and_are_not_registration_numbers():
    assert privacy.is_id15(ID15)
    assert not privacy.is_id15("110105491331003")  # month 13
    assert not privacy.is_id15("119905491231003")  # no such county
    assert not privacy.is_id15("110105491231002")  # a valid 工商注册号 (MOD 11,10) — let through, see docstring
    assert found(f"旧证 {ID15}") == [("id_card", "110105*****1003")]


# --- records: fields, body, attachments ---------------------------------------------------------

RECORD = """---
title: {title}
index_no: 011320506/2026-00091
date: 2026-07-15
department: civil-affairs
domains: [social-assistance]
item: social-assistance-temporary
tags: [临时救助]
{extra}---
公示期间如有异议，请向县民政局反映。

{body}
"""


def add_record(project: Path, title="云溪县2026年临时救助对象公示", extra="", body="详见附件。") -> Path:
    path = project / "content/records/civil-affairs/2026-temporary-list.md"
    path.write_text(RECORD.format(title=title, extra=extra, body=body), encoding="utf-8")
    return path


def check_json(project: Path, capsys) -> dict:
    main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def never_whole(data, *numbers):
    text = json.dumps(data, ensure_ascii=False)
    for n in numbers:
        assert n not in text


def test_yaml_escapes_in_a_field_are_decoded(project, capsys):
    title = '"王某身份证号\\x31\\x31' + ID[2:] + '"'
    add_record(project, title=title)
    data = check_json(project, capsys)
    [e] = [e for e in data["errors"] if e["file"].endswith("2026-temporary-list.md")]
    assert e["line"] == 2 and MASKED_ID in e["message"] and "转义" in e["message"]
    never_whole(data, ID)


@pytest.mark.parametrize("name", ["emphasis", "char-refs", "full-width", "zero-width", "inline-html", "15-digit-id"])
def test_disguised_numbers_in_a_body_fail_check_with_the_line(project, capsys, name):
    add_record(project, body="| 姓名 | 证件 |\n|---|---|\n| 王某 | " + BYPASSES[name] + " |")
    data = check_json(project, capsys)
    errors = [e for e in data["errors"] if e["file"] == "content/records/civil-affairs/2026-temporary-list.md"]
    assert [e["line"] for e in errors] == [14]
    assert "疑似" in errors[0]["message"]
    never_whole(data, ID, ID15, MOBILE)


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["序号", "姓名", "身份证号", "联系电话", "救助金额（元）"])
    ws.append([1, "王某", ID, int(MOBILE), 1200.5])  # the phone as a number cell, as Excel keeps it
    ws.append([2, "李某", "略", "0519-86604221", 800])
    hidden = wb.create_sheet("底稿")
    hidden.sheet_state = "hidden"
    hidden["B3"] = f"银行卡 {CARD}"
    wb.save(path)


def attach(project: Path, filename: str, extra_front: str = "") -> Path:
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra=f"attachments:\n  - {{title: 公示名单, path: files/{filename}}}\n{extra_front}")
    return files / filename


def test_xlsx_attachment_names_sheet_and_cell_and_masks(project, capsys):
    write_xlsx(attach(project, "list.xlsx"))
    data = check_json(project, capsys)
    errors = [e for e in data["errors"] if e["file"] == "content/records/civil-affairs/files/list.xlsx"]
    messages = sorted(e["message"] for e in errors)
    assert any(m.startswith(f"单元格 Sheet1!C2疑似居民身份证号码“{MASKED_ID}”") for m in messages)
    assert any(m.startswith("单元格 Sheet1!D2疑似手机号码“139****5678”") for m in messages)
    assert any(m.startswith("单元格 底稿!B3（隐藏的工作表）疑似银行卡号") for m in messages)
    assert all("2026-temporary-list.md 第 10 行发布" in e["hint"] for e in errors)
    never_whole(data, ID, MOBILE, CARD)


def test_check_reads_a_downloadable_file_again_only_when_its_bytes_changed(project, capsys, monkeypatch):
    """`disclosure check` (a pre-commit hook runs it on every commit) keeps what it found inside a file by
    the file's content, as the build does: an unchanged spreadsheet is not read again, and the same problems
    are told; a changed one is read again. With `cache: false`, nothing is kept."""
    from site_builder.sources import attachments_text

    read = []
    extract = attachments_text.extract
    monkeypatch.setattr(attachments_text, "extract", lambda path, *a, **k: read.append(path.name) or extract(path, *a, **k))
    sheet = attach(project, "list.xlsx")
    write_xlsx(sheet)
    first = check_json(project, capsys)
    assert read.count("list.xlsx") == 1
    assert check_json(project, capsys) == first and read.count("list.xlsx") == 1  # what the first check kept
    assert [e for e in first["errors"] if e["file"].endswith("files/list.xlsx") and "Sheet1!C2" in e["message"]]
    from openpyxl import load_workbook

    wb = load_workbook(sheet)
    wb["Sheet1"]["C2"] = "略"
    wb.save(sheet)
    again = check_json(project, capsys)
    assert read.count("list.xlsx") == 2
    assert not [e for e in again["errors"] if "Sheet1!C2" in e["message"]]
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 20\n      cache: false"),
                   encoding="utf-8")
    assert check_json(project, capsys)["errors"] == again["errors"] and read.count("list.xlsx") == 3


def test_allow_list_of_the_record_covers_its_attachments(project, capsys):
    allow = (f'allow:\n  - {{value: "{ID}", reason: 测试}}\n  - {{value: "{MOBILE}", reason: 公开值班电话}}\n'
             f'  - {{value: "{CARD}", reason: 单位对公账户}}\n')
    write_xlsx(attach(project, "list.xlsx", allow))
    data = check_json(project, capsys)
    assert [e for e in data["errors"] if "list" in e["file"]] == []
    assert [w for w in data["warnings"] if "allow" in w["message"]] == []


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "内部资料 联系人手机 13812345678"
    d.add_paragraph("云溪县2026年临时救助对象名单")
    d.add_paragraph(f"经办人：张某，身份证号 {ID[:9]}{ID[9:]}。")
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "姓名", "身份证号", "银行卡号"
    table.cell(1, 0).text, table.cell(1, 1).text = "王某", "略"
    table.cell(1, 2).text = " ".join(CARD[i:i + 4] for i in range(0, 16, 4))
    d.save(path)


def test_docx_attachment_names_paragraph_table_cell_and_header(project, capsys):
    write_docx(attach(project, "list.docx"))
    data = check_json(project, capsys)
    messages = sorted(e["message"] for e in data["errors"] if e["file"].endswith("files/list.docx"))
    assert any(m.startswith(f"第 2 段疑似居民身份证号码“{MASKED_ID}”") for m in messages), messages
    assert any(m.startswith(f"表格 1 第 2 行第 3 列疑似银行卡号“{CARD[:4]}********{CARD[-4:]}”") for m in messages)
    assert any(m.startswith("页眉第 1 段疑似手机号码“138****5678”") for m in messages)
    never_whole(data, ID, CARD, "13812345678")


def _office_variant(plain: Path, variant: Path, main_type: str, macros: bool = False) -> None:
    """`plain` (.docx, .pptx) saved as a template, macro-enabled file or slide show, as Office saves one:
    the same package with its main part's content type changed, and for macros a VBA project part."""
    import re
    import zipfile

    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(variant, "w", zipfile.ZIP_DEFLATED) as out:
        folder = "word" if "wordprocessingml" in main_type or "ms-word" in main_type else "ppt"
        main = f"{folder}/document.xml" if folder == "word" else "ppt/presentation.xml"
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'(PartName="/' + main.encode() + rb'" ContentType=")[^"]+', rb"\g<1>" + main_type.encode(),
                              data)
                if macros:
                    data = data.replace(b"</Types>", b'<Default Extension="bin" '
                                        b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            elif macros and info.filename == f"{folder}/_rels/{main.rsplit('/', 1)[1]}.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                    b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            out.writestr(info, data)
        if macros:
            out.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0 a VBA project")


def test_word_and_powerpoint_templates_macro_files_and_slide_shows_are_read(project, capsys):
    """A .dotx (申请表模板), a .docm and a .ppsx (a talk saved to open as a show) are the packages of a
    .docx and a .pptx with another content type: they were published with only a warning for a person.
    They are read as those are, and a macro-enabled one also warns that its macros would run."""
    from pptx import Presentation
    from pptx.util import Inches

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 材料{n}, path: files/{name}}}\n" for n, name in enumerate(("form.dotx", "form.docm", "talk.ppsx"))))
    write_docx(files / "plain.docx")
    wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    _office_variant(files / "plain.docx", files / "form.dotx", f"{wml}.template.main+xml")
    _office_variant(files / "plain.docx", files / "form.docm", "application/vnd.ms-word.document.macroEnabled.main+xml",
                    macros=True)
    (files / "plain.docx").unlink()
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1)).text_frame.text = f"联系人身份证号 {ID}"
    prs.save(files / "plain.pptx")
    _office_variant(files / "plain.pptx", files / "talk.ppsx",
                    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml")
    (files / "plain.pptx").unlink()
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"]
                   if e["file"].endswith(("form.dotx", "form.docm", "talk.ppsx")))
    for name in ("form.dotx", "form.docm"):
        assert (name, "第 2 段") in found and (name, "页眉第 1 段") in found, found
    assert [f for f in found if f[0] == "talk.ppsx"] == [("talk.ppsx", "第 1 张幻灯片的“TextBox 1”")], found
    warned = [(w["file"].rsplit("/", 1)[1], w["message"]) for w in data["warnings"]
              if w["file"].endswith(("form.dotx", "form.docm", "talk.ppsx"))]
    assert [f for f, m in warned] == ["form.docm"] and "含有宏" in warned[0][1], warned
    never_whole(data, ID, CARD)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """A PDF with a text layer (Chinese, in an embedded Noto CJK font) and an image-only scan."""
    from fpdf import FPDF
    from PIL import Image

    out = tmp_path_factory.mktemp("pdfs")
    text = FPDF()
    text.add_font("noto", fname=CJK_FONT, collection_font_number=2)
    text.set_font("noto", size=12)
    text.add_page()
    text.cell(text="云溪县2026年临时救助对象公示")
    text.add_page()
    text.cell(text=f"王某 身份证号 {ID} 手机 {MOBILE}")
    text.output(str(out / "text.pdf"))
    scan = FPDF()
    scan.add_page()
    scan.image(Image.new("RGB", (200, 100), "white"), x=10, y=10, w=100)
    scan.output(str(out / "scan.pdf"))
    return {"text": out / "text.pdf", "scan": out / "scan.pdf"}


def test_pdf_with_text_layer_names_the_page(project, capsys, pdfs):
    attach(project, "list.pdf").write_bytes(pdfs["text"].read_bytes())
    data = check_json(project, capsys)
    messages = sorted(e["message"] for e in data["errors"] if e["file"].endswith("files/list.pdf"))
    assert [m.split("：")[0] for m in messages] == [f"第 2 页疑似居民身份证号码“{MASKED_ID}”",
                                                     "第 2 页疑似手机号码“139****5678”"]
    never_whole(data, ID, MOBILE)


def check_beside_pdf(project: Path, capsys, writer, other: str):
    """The record with `other` and the PDF `writer` holds attached; its check, and (file, message) of its errors."""
    with open(project / "content/records/civil-affairs/files/list.pdf", "wb") as fh:
        writer.write(fh)
    add_record(project, extra=f"attachments:\n  - {{title: 名单, path: {other}}}\n"
                              "  - {title: 名单（PDF）, path: files/list.pdf}\n")
    data = check_json(project, capsys)
    return data, sorted((e["file"].rsplit("/", 1)[1], e["message"].split("：")[0]) for e in data["errors"])


def test_what_viewers_show_beside_the_text_is_checked_too(project, capsys, pdfs):
    """Excel's cell comments; a PDF's sticky notes and the values typed into its form fields."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    wb = Workbook()
    wb.active.title = "名单"
    wb.active["B2"] = "王某"
    wb.active["B2"].comment = Comment(f"核对用，手机 {MOBILE}", "经办人")
    wb.save(attach(project, "list.xlsx"))

    writer = PdfWriter(clone_from=PdfReader(pdfs["text"]))
    writer.add_annotation(page_number=0, annotation=Text(rect=(50, 550, 200, 650), text=f"申请人身份证号 {ID}"))
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("联系电话"),
        NameObject("/V"): TextStringObject("13812345678"),
        NameObject("/Rect"): ArrayObject([FloatObject(50), FloatObject(700), FloatObject(250), FloatObject(720)]),
    })
    ref = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")].append(ref)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([ref])})
    data, found = check_beside_pdf(project, capsys, writer, "files/list.xlsx")
    # a number is reported once per file, where it comes first: the page-1 note, before page 2's text
    assert found == [("list.pdf", f"第 1 页的批注疑似居民身份证号码“{MASKED_ID}”"),
                     ("list.pdf", "第 2 页疑似手机号码“139****5678”"),
                     ("list.pdf", "表单域“联系电话”疑似手机号码“138****5678”"),
                     ("list.xlsx", "单元格 名单!B2 的批注疑似手机号码“139****5678”")], found
    never_whole(data, ID, MOBILE, "13812345678")


def test_what_excel_shows_beside_the_cells_is_checked_too(project, capsys):
    """Headers and footers, a data validation's input prompt, a text box and a chart's title: openpyxl's
    read-only workbook skips them all and drops drawings on any load. The text box is written into the
    drawing as Excel writes one (openpyxl cannot make shapes), beside a chart openpyxl made."""
    import zipfile

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "金额"])
    ws.append(["王某", 300])
    ws.oddHeader.center.text = f"经办人手机 {MOBILE}"
    ws.oddFooter.right.text = "第&P页"
    dv = DataValidation(type="whole", promptTitle="填写说明", prompt="有疑问请联系 13812345670")
    ws.add_data_validation(dv)
    dv.add("B2")
    chart = BarChart()
    chart.title = f"核对人身份证号 {ID}"
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    ws.add_chart(chart, "D2")
    made = project / "made.xlsx"
    wb.save(made)
    box = ('<xdr:oneCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>0</xdr:col>'
           '<xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
           '<xdr:ext cx="2000000" cy="500000"/><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
           '<xdr:cNvPr id="9" name="文本框 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/>'
           '<a:p><a:r><a:t>备注：联系人手机</a:t></a:r></a:p><a:p><a:r><a:t>13700001111</a:t></a:r></a:p>'
           '</xdr:txBody></xdr:sp><xdr:clientData/></xdr:oneCellAnchor>')
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(attach(project, "list.xlsx"), "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/drawings/drawing1.xml":
                data = data.decode().replace("</wsDr>", box + "</wsDr>").encode()
            out.writestr(name, data)
    data = check_json(project, capsys)
    found = sorted(e["message"].split("：")[0] for e in data["errors"] if e["file"].endswith("files/list.xlsx"))
    assert found == ["单元格 名单!B2 的输入提示疑似手机号码“138****5670”",
                     f"工作表 名单 的图表“Chart 1”疑似居民身份证号码“{MASKED_ID}”",
                     "工作表 名单 的文本框“文本框 1”疑似手机号码“137****1111”",
                     "工作表 名单 的页眉（中）疑似手机号码“139****5678”"], found
    never_whole(data, ID, MOBILE, "13812345670", "13700001111")


def test_files_kept_inside_a_file_are_read_too(project, capsys, pdfs):
    """A sheet embedded in a Word document (on the page only a picture of it), a chart in it, a file
    attached to a PDF; an embedded object that cannot be read (OLE) is left to a person."""
    import io
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from pypdf import PdfReader, PdfWriter

    wb = Workbook()
    wb.active.append(["姓名", "联系电话"])
    wb.active.append(["王某", MOBILE])
    chart = BarChart()
    chart.title = "咨询电话 13812345670"
    chart.add_data(Reference(wb.active, min_col=2, min_row=1, max_row=2))
    wb.active.add_chart(chart, "D2")
    sheet = io.BytesIO()
    wb.save(sheet)
    # the Word document's own chart: the sheet's, titled with another number
    chart_xml = zipfile.ZipFile(sheet).read("xl/charts/chart1.xml").replace(b"13812345670", b"13812345671")

    d = docx.Document()
    d.add_paragraph("附：名单（见下表）")
    package = d.part.package
    for uri, content_type, blob, rel in (
        ("/word/embeddings/Microsoft_Excel_Worksheet.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sheet.getvalue(), RT.PACKAGE),
        ("/word/charts/chart1.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
         chart_xml, RT.CHART),
        ("/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject",
         b"\xd0\xcf\x11\xe0" + b"\0" * 60, RT.OLE_OBJECT),
    ):
        d.part.relate_to(Part(PackURI(uri), content_type, blob, package), rel)
    d.save(attach(project, "report.docx"))

    writer = PdfWriter(clone_from=PdfReader(pdfs["scan"]))
    writer.add_attachment("名单.csv", f"姓名,身份证号码\n王某,{ID}\n".encode())
    data, found = check_beside_pdf(project, capsys, writer, "files/report.docx")
    assert found == [
        ("list.pdf", f"嵌入的文件“名单.csv”第 2 行第 2 列（B2）疑似居民身份证号码“{MASKED_ID}”"),
        ("report.docx", "图表（chart1.xml）疑似手机号码“138****5671”"),
        ("report.docx", "嵌入的文件“Microsoft_Excel_Worksheet.xlsx”单元格 Sheet!B2疑似手机号码“139****5678”"),
        ("report.docx", "嵌入的文件“Microsoft_Excel_Worksheet.xlsx”工作表 Sheet 的图表“Chart 1”疑似手机号码“138****5670”"),
    ], found
    warned = sorted((w["file"].rsplit("/", 1)[1], w["message"]) for w in data["warnings"])
    assert [f for f, m in warned if "oleObject1.bin" in m and "人工" in m] == ["report.docx"], warned
    never_whole(data, ID, MOBILE, "13812345670", "13812345671")


def test_pptx_slides_notes_master_and_charts_are_checked(project, capsys):
    """Slides (政策解读 are often published as slides): a table whose column is headed 公民身份号码 holds
    a number with a mistyped check character; the speaker's notes, a reviewer's comment, a text box on
    the slide master (shown on every slide) and a chart's series name hold mobile numbers."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI
    from pptx.util import Inches

    mistyped = ID[:-1] + ("1" if ID[-1] != "1" else "2")
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "临时救助政策解读"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (r, c), text in {(0, 0): "姓名", (0, 1): "公民身份号码", (1, 0): "王某", (1, 1): mistyped}.items():
        table.cell(r, c).text = text
    slide.notes_slide.notes_text_frame.text = f"讲解人手机 {MOBILE}"
    # a reviewer's comment on the slide, as PowerPoint keeps it (python-pptx writes none)
    comment = Part(PackURI("/ppt/comments/comment1.xml"),
                   "application/vnd.openxmlformats-officedocument.presentationml.comments+xml", prs.part.package,
                   '<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cm authorId="0" '
                   'idx="1"><p:pos x="10" y="10"/><p:text>请核对 13600001111</p:text></p:cm></p:cmLst>'.encode())
    slide.part.relate_to(comment, RT.COMMENTS)
    box = slide.shapes.add_textbox(Inches(0), Inches(7), Inches(4), Inches(0.4))
    box.text_frame.text = "咨询电话 13700001111"
    prs.slide_master.shapes._spTree.append(box._element)  # python-pptx adds shapes to slides only
    data = CategoryChartData()
    data.categories = ["一月", "二月"]
    data.add_series("联系 13812345670", (1, 2))
    prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6), Inches(4), data)
    prs.save(attach(project, "talk.pptx"))
    data = check_json(project, capsys)
    found = sorted(e["message"].split("：")[0] for e in data["errors"] if e["file"].endswith("files/talk.pptx"))
    assert found == [
        "幻灯片母版（slideMaster1.xml）的“TextBox 3”疑似手机号码“137****1111”",
        "第 1 张幻灯片的备注疑似手机号码“139****5678”",
        "第 1 张幻灯片的第 1 条批注疑似手机号码“136****1111”",
        f"第 1 张幻灯片表格 1 第 2 行第 2 列疑似居民身份证号码（校验位不符，可能录错了一位）“{mistyped[:6]}********{mistyped[-4:]}”",
        "第 2 张幻灯片的图表“Chart 1”疑似手机号码“138****5670”",
    ], found
    never_whole(data, mistyped, MOBILE, "13812345670", "13700001111", "13600001111")


def test_what_a_photo_says_about_itself_is_checked(project, capsys):
    """A photo in a record's body: its EXIF author (UTF-8 in an ASCII tag, as cameras write it) and
    Windows comment hold personal numbers; it keeps where it was taken (GPS), a warning with what to do.
    The same photo inserted in a Word document; a PNG's text chunk. A photo without any of that says
    nothing; its pixels are not read."""
    import docx
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo
    from PIL.TiffImagePlugin import IFDRational

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x013B] = f"走访人手机 {MOBILE}".encode("utf-8")
    exif[0x9C9C] = f"困难户王某 身份证号 {ID}".encode("utf-16-le") + b"\0\0"  # XPComment, as Windows writes it
    # UserComment: UTF-16 in the file's byte order (Pillow writes big-endian files)
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\0" + "申请人手机 13712345670".encode("utf-16-be")
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (IFDRational(31), IFDRational(45), IFDRational(7)), 3: "E",
                4: (IFDRational(119), IFDRational(57), IFDRational(3))})
    Image.new("RGB", (64, 48), "white").save(files / "visit.jpg", exif=exif)
    info = PngInfo()
    info.add_itxt("Comment", "经办人 13812345670")
    Image.new("RGB", (64, 48), "white").save(files / "chart.png", pnginfo=info)
    Image.new("RGB", (64, 48), "white").save(files / "plain.jpg")
    d = docx.Document()  # Word keeps an inserted photo as it is, EXIF and all
    d.add_picture(str(files / "visit.jpg"))
    d.save(files / "report.docx")
    add_record(project, body="![走访照片](files/visit.jpg)\n\n![统计图](files/chart.png)\n\n![现场](files/plain.jpg)\n\n"
                             "[走访报告](files/report.docx)\n")
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("：")[0]) for e in data["errors"])
    in_photo = ["图片属性（作者）疑似手机号码“139****5678”", f"图片属性（备注）疑似居民身份证号码“{MASKED_ID}”",
                "图片属性（用户备注）疑似手机号码“137****5670”"]
    assert found == sorted([("chart.png", "图片文字信息（Comment）疑似手机号码“138****5670”")]
                           + [("visit.jpg", m) for m in in_photo]
                           + [("report.docx", f"文件中的图片“image1.jpg”{m}") for m in in_photo]), found
    gps = sorted((w["file"].rsplit("/", 1)[1], w["message"].split("（由")[0]) for w in data["warnings"])
    assert gps == [("report.docx", "文件中的图片“image1.jpg”照片中保存了拍摄地点（GPS 位置信息）"),
                   ("visit.jpg", "照片中保存了拍摄地点（GPS 位置信息）")], gps
    assert all("删除属性和个人信息" in w["hint"] for w in data["warnings"]), data["warnings"]
    never_whole(data, ID, MOBILE, "13812345670", "13712345670")


def test_pdf_without_text_layer_is_a_warning_for_a_person(project, capsys, pdfs):
    attach(project, "scan.pdf").write_bytes(pdfs["scan"].read_bytes())
    data = check_json(project, capsys)
    [w] = [w for w in data["warnings"] if w["file"].endswith("files/scan.pdf")]
    assert "没有文字层" in w["message"] and "人工" in w["hint"]
    assert data["errors"] == []


def test_csv_names_line_and_cell(project, capsys):
    csv = attach(project, "list.csv")
    csv.write_bytes(f"姓名,身份证号,电话\n王某,{ID},略\n李某,略,{MOBILE}\n".encode("gb18030"))  # Excel's GBK CSV
    data = check_json(project, capsys)
    errors = sorted((e["line"], e["message"].split("疑似")[0]) for e in data["errors"] if e["file"].endswith("list.csv"))
    assert errors == [(2, "第 2 行第 2 列（B2）"), (3, "第 3 行第 3 列（C3）")]


def test_attachment_file_name_is_checked(project, capsys):
    path = attach(project, f"王某{MOBILE}.txt")
    path.write_text("无\n", encoding="utf-8")
    data = check_json(project, capsys)
    [e] = data["errors"]
    assert e["file"].endswith("2026-temporary-list.md") and e["line"] == 10
    assert e["message"].startswith("附件文件名“王某139****5678.txt”中疑似手机号码")
    never_whole(data, MOBILE)


def test_a_mistyped_id_number_in_an_id_column_of_an_attachment_is_reported(project, capsys):
    import docx
    from openpyxl import Workbook

    mistyped = ID[:17] + "1"  # ID ends in X: one character wrong
    permit = "320000202508010201"  # 施工许可证号: an ID's shape (address, date, serial), not its check
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["云溪县2026年临时救助对象公示"])  # a title row first, as such sheets have
    ws.append(["序号", "姓名", "公民身份号码", "施工许可证号"])
    ws.append([1, "王某", mistyped, permit])
    wb.save(attach(project, "list.xlsx"))
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "证件号码"
    table.cell(1, 0).text, table.cell(1, 1).text = "王某", mistyped
    d.add_paragraph(f"施工许可证号 {permit}")
    files = project / "content/records/civil-affairs/files"
    d.save(files / "list.docx")
    (files / "list.csv").write_text(f"姓名,身份证号,许可证号\n王某,{mistyped},{permit}\n", encoding="utf-8")
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 名单{n}, path: files/list.{n}}}\n" for n in ("xlsx", "docx", "csv")))
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("“")[0]) for e in data["errors"])
    assert found == [("list.csv", "第 2 行第 2 列（B2）疑似居民身份证号码（校验位不符，可能录错了一位）"),
                     ("list.docx", "表格 1 第 2 行第 2 列疑似居民身份证号码（校验位不符，可能录错了一位）"),
                     ("list.xlsx", "单元格 名单!C3疑似居民身份证号码（校验位不符，可能录错了一位）")]
    assert all("施工许可证号" in e["hint"] for e in data["errors"])
    never_whole(data, mistyped)


def test_build_refuses_an_xlsx_leak_and_writes_nothing(project, tmp_path, capsys):
    write_xlsx(attach(project, "list.xlsx"))
    site = tmp_path / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/records/civil-affairs/files/list.xlsx: 错误: 单元格 Sheet1!C2疑似居民身份证号码" in err
    assert ID not in err and MOBILE not in err
    assert not site.exists()


def test_file_results_are_cached_by_content_without_the_numbers(tmp_path, monkeypatch):
    path = tmp_path / "list.xlsx"
    write_xlsx(path)
    scanner = privacy.FileScanner(tmp_path / "cache", today=TODAY)
    first = scanner.scan(path)
    assert len(first.findings) == 3
    stored = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*.json"))
    assert MASKED_ID in stored and ID not in stored and MOBILE not in stored and CARD not in stored

    def no_reading(_path):
        raise AssertionError("read again although its content did not change")

    monkeypatch.setattr(attachments_text, "extract", no_reading)
    assert scanner.scan(path) == first
    copy = tmp_path / "copy.xlsx"  # same bytes, other name: the same entry
    copy.write_bytes(path.read_bytes())
    assert scanner.scan(copy) == first


# --- the rest of the site -----------------------------------------------------------------------

def test_ordinary_page_is_checked_with_its_line(project, capsys):
    guide = project / "content/guide.md"
    lines = guide.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "联系人手机：１３９ １２３４ ５６７８")
    guide.write_text("\n".join(lines), encoding="utf-8")
    data = check_json(project, capsys)
    [e] = data["errors"]
    assert (e["file"], e["line"]) == ("content/guide.md", 6) and "139****5678" in e["message"]


def test_file_linked_from_a_page_is_checked(project, capsys):
    (project / "content/files").mkdir()
    write_xlsx(project / "content/files/roster.xlsx")
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[名单](files/roster.xlsx)\n", encoding="utf-8")
    data = check_json(project, capsys)
    errors = [e for e in data["errors"] if e["file"] == "content/files/roster.xlsx"]
    assert len(errors) == 3 and all("content/about.md" in e["hint"] for e in errors)


def test_catalogue_texts_are_checked_and_an_entry_may_allow(project, capsys):
    deps = project / "catalogue/departments.yml"
    text = deps.read_text(encoding="utf-8")
    first_name = re.search(r"name: (.+)", text).group(1)
    text = text.replace(f"name: {first_name}", f'name: "{first_name}（值班 \\u0031{MOBILE[1:]}）"', 1)
    deps.write_text(text, encoding="utf-8")
    data = check_json(project, capsys)
    [e] = [e for e in data["errors"] if e["file"] == "catalogue/departments.yml"]
    assert e["line"] == 3 and "139****5678" in e["message"]
    text = text.replace(f'name: "{first_name}', f'allow: [{{value: "{MOBILE}", reason: 公开值班电话}}]\n  name: "{first_name}', 1)
    deps.write_text(text, encoding="utf-8")
    data = check_json(project, capsys)
    assert [e for e in data["errors"] if e["file"] == "catalogue/departments.yml"] == []


def test_site_texts_in_mkdocs_yml_are_checked(project, capsys):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "site_description: 云溪县人民政府一站式政府信息公开平台",
        f"site_description: 云溪县人民政府一站式政府信息公开平台，咨询 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}"),
        encoding="utf-8")
    data = check_json(project, capsys)
    [e] = data["errors"]
    assert (e["file"], e["line"]) == ("mkdocs.yml", 2) and "139****5678" in e["message"]


def test_the_sample_site_has_no_false_alarm(capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == [] and data["warnings"] == []


def test_a_generated_benchmark_corpus_has_no_false_alarm(tmp_path):
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.generate(300, tmp_path / "corpus", seed=3, quiet=True)
    from site_builder.sources.validate import load_project

    corpus = tmp_path / "corpus"
    project = load_project(corpus / "content", corpus / "catalogue", root=corpus, config_file=corpus / "mkdocs.yml")
    assert [p for p in project.problems.items if "疑似" in p.message or "allow" in p.message] == []


def test_a_page_may_allow_a_public_number_and_legacy_files_need_a_person(project, capsys):
    about = project / "content/about.md"
    text = about.read_text(encoding="utf-8")
    if not text.startswith("---"):
        text = "---\ntitle: 关于本站\n---\n" + text
    text = text.replace("---\n", f'---\nallow:\n  - {{value: "{MOBILE}", reason: 县政务服务热线（手机）}}\n', 1)
    about.write_text(text + f"\n值班手机：{MOBILE}\n\n[旧表格](files/old.xls)\n", encoding="utf-8")
    (project / "content/files").mkdir()
    (project / "content/files/old.xls").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    data = check_json(project, capsys)
    assert data["errors"] == []
    [w] = data["warnings"]
    assert w["file"] == "content/files/old.xls" and "无法自动读取 .xls" in w["message"]
    assert "content/about.md" in w["message"] and "人工" in w["hint"]


@pytest.mark.parametrize("name", ["现场.heic", "汇总.xlsb", "论文.caj", "流程.vsd", "讲稿.pages"])
def test_documents_of_kinds_not_read_need_a_person_and_are_not_passed_over(project, capsys, name):
    """A downloadable file of a kind the guard cannot read (a phone's HEIC photo with its place, a binary
    sheet, a CNKI paper, a Visio 2003 drawing, an Apple Pages file) was published without a word: it is
    now a warning naming the file and the page that offers it, as a .doc or .xls is. (E-books, XPS and
    Visio's .vsdx are read: test_epub_xps_and_visio_files_are_read_part_by_part.)"""
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n\n[下载](files/{name})\n", encoding="utf-8")
    (project / "content/files").mkdir()
    (project / "content/files" / name).write_bytes(b"PK\x03\x04 13912345678")
    data = check_json(project, capsys)
    assert data["errors"] == []
    [w] = data["warnings"]
    suffix = "." + name.rsplit(".", 1)[1]
    assert w["file"] == f"content/files/{name}" and f"无法自动读取 {suffix} 文件" in w["message"]
    assert "content/about.md" in w["message"] and "人工" in w["hint"]


def test_custom_document_properties_are_checked(project, capsys, pdfs):
    """Office programs and PDF readers show a document's custom properties (文件 → 属性 → 自定义), where
    document systems (OA) stamp the drafter and their phone; only the standard ones were read."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from pypdf import PdfReader, PdfWriter

    def custom(name: str, value: str) -> bytes:
        return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
                f'<vt:lpwstr>{value}</vt:lpwstr></property></Properties>').encode()

    d = docx.Document()
    d.add_paragraph("公示")
    package = d.part.package
    package.relate_to(Part(PackURI("/docProps/custom.xml"),
                           "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                           custom("拟稿人电话", MOBILE), package), RT.CUSTOM_PROPERTIES)
    d.save(attach(project, "notice.docx"))
    wb = Workbook()
    wb.custom_doc_props.append(StringProperty(name="经办人手机", value="13812345670"))
    wb.save(project / "content/records/civil-affairs/files/list.xlsx")
    writer = PdfWriter(clone_from=PdfReader(pdfs["scan"]))
    writer.add_metadata({"/Title": "公示", "/经办人": f"王某 {ID}"})
    with open(project / "content/records/civil-affairs/files/list.pdf", "wb") as fh:
        writer.write(fh)
    add_record(project, extra="attachments:\n  - {title: 公示, path: files/notice.docx}\n"
                              "  - {title: 名单, path: files/list.xlsx}\n  - {title: 名单, path: files/list.pdf}\n")
    data = check_json(project, capsys)
    where = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"])
    assert where == [("list.pdf", "文档属性（自定义：经办人）"), ("list.xlsx", "文档属性（自定义：经办人手机）"),
                     ("notice.docx", "文档属性（自定义：拟稿人电话）")], where
    never_whole(data, ID, MOBILE, "13812345670")


def test_the_rows_a_pivot_table_keeps_and_a_pdfs_bookmarks_are_checked(project, capsys, pdfs):
    """A pivot table keeps its source rows in the file (a double click on a total brings them back,
    even when the source sheet was deleted before publishing); a PDF's bookmarks are listed in the
    reader's side pane. Neither was read."""
    import io
    import zipfile

    from openpyxl import Workbook
    from pypdf import PdfReader, PdfWriter

    wb = Workbook()
    wb.active.title = "汇总"
    wb.active.append(["乡镇", "户数"])
    wb.active.append(["东坝镇", 2])
    sheet = io.BytesIO()
    wb.save(sheet)
    main_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    definition = (f'<pivotCacheDefinition {main_ns} recordCount="2"><cacheSource type="worksheet">'
                  '<worksheetSource ref="A1:C3" sheet="原始名单"/></cacheSource><cacheFields count="3">'
                  '<cacheField name="姓名" numFmtId="0"><sharedItems count="2"><s v="王某"/><s v="李某"/></sharedItems></cacheField>'
                  f'<cacheField name="身份证号" numFmtId="0"><sharedItems count="1"><s v="{ID}"/></sharedItems></cacheField>'
                  '<cacheField name="联系电话" numFmtId="0"><sharedItems containsNumber="1" containsInteger="1"/></cacheField>'
                  '</cacheFields></pivotCacheDefinition>')
    records = (f'<pivotCacheRecords {main_ns} count="2"><r><x v="0"/><x v="0"/><n v="{MOBILE}"/></r>'
               '<r><x v="1"/><m/><n v="13812345670"/></r></pivotCacheRecords>')
    path = attach(project, "summary.xlsx")
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCache"
                data = data.replace(b"</Types>", (
                    f'<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" ContentType="{kind}Definition+xml"/>'
                    f'<Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" ContentType="{kind}Records+xml"/>'
                    "</Types>").encode())
            out.writestr(item, data)
        out.writestr("xl/pivotCache/pivotCacheDefinition1.xml", definition)
        out.writestr("xl/pivotCache/pivotCacheRecords1.xml", records)

    writer = PdfWriter(clone_from=PdfReader(pdfs["scan"]))
    chapter = writer.add_outline_item(title="附件：名单", page_number=0)
    writer.add_outline_item(title=f"王某 {CARD}", page_number=0, parent=chapter)
    data, found = check_beside_pdf(project, capsys, writer, "files/summary.xlsx")
    assert found == [("list.pdf", f"书签疑似银行卡号“{CARD[:4]}********{CARD[-4:]}”"),
                     ("summary.xlsx", "数据透视表缓存 1 的字段“联系电话”疑似手机号码“138****5670”"),
                     ("summary.xlsx", "数据透视表缓存 1 的字段“联系电话”疑似手机号码“139****5678”"),
                     ("summary.xlsx", f"数据透视表缓存 1 的字段“身份证号”疑似居民身份证号码“{MASKED_ID}”")], found
    never_whole(data, ID, MOBILE, CARD, "13812345670")


def test_what_would_run_on_a_readers_computer_is_a_warning(project, capsys, pdfs):
    """A PDF that runs a script when opened (or a link that does), a sheet with macros, a program in an
    archive or attached to a PDF: published without a word. Each is now a warning naming what runs; a
    PDF form's own field scripts (Acrobat writes them into ordinary forms) and plain links are not."""
    import io
    import zipfile

    from openpyxl import Workbook
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.annotations import Link

    files = project / "content/records/civil-affairs/files"
    writer = PdfWriter(clone_from=PdfReader(pdfs["text"]))
    writer.add_open_action(JavaScript("app.alert('请启用');"))
    writer.add_attachment("setup.exe", b"MZ\x90\x00")
    plain = PdfWriter(clone_from=PdfReader(pdfs["text"]))
    plain.add_annotation(page_number=0, annotation=Link(rect=(50, 50, 200, 80), url="https://www.gov.cn/"))
    sheet = io.BytesIO()
    Workbook().save(sheet)
    attach(project, "list.xlsm")
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(files / "list.xlsm", "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    with zipfile.ZipFile(files / "tools.zip", "w") as z:
        z.writestr("申报软件/setup.exe", b"MZ\x90\x00")
        z.writestr("申报软件/说明.txt", "安装后按提示填报。\n")
    for name, w in (("scripted.pdf", writer), ("plain.pdf", plain)):
        with open(files / name, "wb") as fh:
            w.write(fh)
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 附件, path: files/{n}}}\n" for n in ("list.xlsm", "tools.zip", "scripted.pdf", "plain.pdf")))
    data = check_json(project, capsys)
    warned = sorted((w["file"].rsplit("/", 1)[1], w["message"].split("：")[0].split("（由 ")[0])
                    for w in data["warnings"])
    assert warned == [
        ("list.xlsm", "文件中含有宏（VBA 代码）"),
        ("scripted.pdf", "PDF 中含有打开或点击时会运行的内容（JavaScript 脚本）"),
        ("scripted.pdf", "嵌入的文件“setup.exe”是可执行程序或脚本，读者打开时会在自己的电脑上运行"),
        ("tools.zip", "压缩包中的“申报软件/setup.exe”是可执行程序或脚本，读者打开时会在自己的电脑上运行"),
    ], warned


def _jpeg_with_preview(picture, preview) -> bytes:
    """A JPEG with an EXIF preview (IFD1), laid out as cameras write it: Pillow reads such previews but
    writes none."""
    import io
    import struct

    buf = io.BytesIO()
    preview.save(buf, "JPEG")
    thumb = buf.getvalue()
    ifd0 = struct.pack("<HI", 0, 14)  # no tags; IFD1 follows at offset 14
    ifd1 = (struct.pack("<H", 2) + struct.pack("<HHII", 0x0201, 4, 1, 44) + struct.pack("<HHII", 0x0202, 4, 1, len(thumb))
            + struct.pack("<I", 0))
    app1 = b"Exif\0\0" + b"II*\0" + struct.pack("<I", 8) + ifd0 + ifd1 + thumb
    buf = io.BytesIO()
    picture.save(buf, "JPEG", quality=90)
    jpeg = buf.getvalue()
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def test_a_preview_kept_from_before_a_photo_was_covered_is_a_warning(project, capsys):
    """Many editors cover a face or an ID card in a photo and leave the EXIF preview as the camera wrote
    it: a reader's viewer shows the preview, uncovered. A preview that shows what the photo does not is
    now a warning; a preview of the very photo (filled, letterboxed or stretched as cameras make them)
    is not."""
    from PIL import Image, ImageDraw

    photo = Image.new("RGB", (1600, 1200))
    draw = ImageDraw.Draw(photo)
    for x in range(0, 1600, 8):
        draw.line([(x, 0), (x, 1200)], fill=(x * 255 // 1600, 120, 255 - x * 255 // 1600), width=8)
    draw.rectangle((880, 520, 1440, 760), fill=(250, 250, 250))
    draw.text((900, 600), f"身份证 {ID}", fill=(0, 0, 0))
    covered = photo.copy()
    ImageDraw.Draw(covered).rectangle((880, 520, 1440, 760), fill=(0, 0, 0))
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "covered.jpg").write_bytes(_jpeg_with_preview(covered, photo.resize((160, 120))))
    wide = photo.resize((1800, 1200))
    letterboxed = Image.new("RGB", (160, 120))
    letterboxed.paste(wide.resize((160, 107)), (0, 6))
    (files / "same.jpg").write_bytes(_jpeg_with_preview(wide, letterboxed))
    add_record(project, body="![现场照片](files/covered.jpg)\n\n![现场照片](files/same.jpg)")
    data = check_json(project, capsys)
    warned = [(w["file"].rsplit("/", 1)[1], w["message"].split("：")[0]) for w in data["warnings"]]
    assert warned == [("covered.jpg", "图片里保存的缩略图与图片本身不一致")], warned


def test_a_picture_cropped_in_word_or_powerpoint_is_a_warning(project, capsys):
    """Office crops a picture by a frame: the whole picture stays in the file, and 重设图片 brings back
    what was cut away (a column of names and ID numbers cut off a screenshot, say). A cropped picture
    in a Word file or a slide is now a warning; one that is not cropped is not."""
    import io

    import docx
    from docx.oxml import OxmlElement
    from docx.shared import Inches
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches as PptxInches

    picture = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(picture, "PNG")
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    d = docx.Document()
    d.add_picture(io.BytesIO(picture.getvalue()), width=Inches(2))
    d.add_picture(io.BytesIO(picture.getvalue()), width=Inches(2))
    rect = OxmlElement("a:srcRect")
    rect.set("r", "50000")  # the right half cut away, as Word's 裁剪 writes it
    d.inline_shapes[0]._inline.xpath(".//pic:blipFill")[0].insert(1, rect)
    d.save(files / "notice.docx")
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.add_picture(io.BytesIO(picture.getvalue()), PptxInches(1), PptxInches(1)).crop_bottom = 0.4
    prs.save(files / "slides.pptx")
    plain = Presentation()
    plain.slides.add_slide(plain.slide_layouts[6]).shapes.add_picture(io.BytesIO(picture.getvalue()), 0, 0)
    plain.save(files / "plain.pptx")
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 附件, path: files/{n}}}\n" for n in ("notice.docx", "slides.pptx", "plain.pptx")))
    data = check_json(project, capsys)
    warned = sorted((w["file"].rsplit("/", 1)[1], w["message"].split("：")[0]) for w in data["warnings"])
    assert warned == [("notice.docx", "文件中有 1 张图片经过裁剪"), ("slides.pptx", "文件中有 1 张图片经过裁剪")], warned


def test_office_97_and_wps_files_are_searched_for_numbers_and_still_left_to_a_person(project, capsys):
    """.xls, .doc, .wps, .et (WPS's own formats, common in government offices) were only a warning. Their
    text is now looked for in the file's streams and a sheet's number cells read from its records: a
    number found is an error as in any file; where it stands cannot be told, so the warning stays."""
    import zipfile

    import docx
    import xlwt
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for col, text in enumerate(["姓名", "身份证号", "联系电话", "金额"]):
        sheet.write(0, col, text)
    sheet.write(1, 0, "王某")
    sheet.write(1, 1, ID)
    sheet.write(1, 2, int(MOBILE))  # a number cell, as a phone typed into Excel is kept
    sheet.write(1, 3, 1200.5)
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    book.save(str(files / "list.xls"))
    (files / "list.et").write_bytes((files / "list.xls").read_bytes())  # WPS 表格 writes the same format
    # in an archive, a file shorter than any OLE file that holds a path: olefile, handed its bytes, would
    # open the file they name and read that
    with zipfile.ZipFile(files / "more.zip", "w") as z:
        z.writestr("short.doc", str(files / "list.xls"))
    # the sheet inserted into a Word file as an object (Word keeps a legacy sheet as oleObject1.bin)
    d = docx.Document()
    d.add_paragraph("名单见下表。")
    d.part.relate_to(Part(PackURI("/word/embeddings/oleObject1.bin"), "application/vnd.openxmlformats-officedocument.oleObject",
                          (files / "list.xls").read_bytes(), d.part.package), RT.OLE_OBJECT)
    d.save(files / "report.docx")
    add_record(project, extra="attachments:\n  - {title: 名单, path: files/list.xls}\n"
                              "  - {title: 名单（WPS）, path: files/list.et}\n  - {title: 更多, path: files/more.zip}\n"
                              "  - {title: 报告, path: files/report.docx}\n")
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"])
    assert found == [("list.et", "文件中的文字"), ("list.et", "第 2 行第 3 列（C2）"),
                     ("list.xls", "文件中的文字"), ("list.xls", "第 2 行第 3 列（C2）"),
                     ("report.docx", "嵌入的文件“oleObject1.bin”文件中的文字"),
                     ("report.docx", "嵌入的文件“oleObject1.bin”第 2 行第 3 列（C2）")], found
    warned = sorted((w["file"].rsplit("/", 1)[1], w["message"].split("，")[0]) for w in data["warnings"])
    assert warned == [("list.et", ".et 是旧格式"), ("list.xls", ".xls 是旧格式"),
                      ("more.zip", "压缩包中的“short.doc”无法自动读取 .doc 文件"),
                      ("report.docx", "嵌入的文件“oleObject1.bin”是 Office 97–2003 格式的对象")], warned
    never_whole(data, ID, MOBILE)


def test_what_a_word_file_imports_whole_is_checked(project, capsys):
    """Many systems make a Word file from a web page by importing the page whole (altChunk): Word shows
    it as the document's own text, but it is a part of its own, no paragraph of document.xml, and it
    went unread. An imported web page and web archive (.mht) are now read."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("临时救助对象名单（系统导出）")
    mht = ('MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
           'Content-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
           f"<p>=E8=BA=AB=E4=BB=BD=E8=AF=81 {ID}</p>\n--b--\n").encode()
    for n, (uri, kind, blob) in enumerate((
            ("/word/afchunk.htm", "text/html", f"<html><body><p>王某 手机 {MOBILE}</p></body></html>".encode()),
            ("/word/afchunk.mht", "message/rfc822", mht))):
        rid = d.part.relate_to(Part(PackURI(uri), kind, blob, d.part.package), RT.A_F_CHUNK)
        chunk = OxmlElement("w:altChunk")
        chunk.set(qn("r:id"), rid)
        d.element.body.insert(n + 1, chunk)
    d.save(attach(project, "list.docx"))
    data = check_json(project, capsys)
    found = sorted(e["message"].split("“")[0] for e in data["errors"] if e["file"].endswith("list.docx"))
    assert found == ["导入的内容（afchunk.htm）疑似手机号码", "导入的内容（afchunk.mht）疑似居民身份证号码"], found
    never_whole(data, ID, MOBILE)


def _zip_member_in_gbk(archive: Path, placeholder: str, name: str) -> None:
    """Rename a member as Windows' own zipper writes names: GBK bytes, no UTF-8 flag (zipfile always
    sets the flag, so the archive is patched: the placeholder has the same length in bytes)."""
    data = archive.read_bytes()
    old, new = placeholder.encode("ascii"), name.encode("gbk")
    assert len(old) == len(new) and data.count(old) == 2  # the local header and the central directory
    archive.write_bytes(data.replace(old, new))


def test_an_archive_is_read_member_by_member(project, capsys):
    """附件打包下载: a ZIP was published unread (a warning for a person at best). Each member is now read
    by its own kind and named with its folder, GBK names as Windows writes them; what cannot be read
    (a legacy .doc, a member with a password) is left to a person, and macOS's litter is passed over."""
    import io
    import zipfile

    sheet = io.BytesIO()
    write_xlsx(sheet)
    path = attach(project, "materials.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("clxx/XXXX.xlsx", sheet.getvalue())
        z.writestr(f"王某{MOBILE[:-4]}1111.txt", "无\n")
        z.writestr("旧表.doc", b"\xd0\xcf\x11\xe0 legacy")
        locked = zipfile.ZipInfo("加密名单.xlsx")
        locked.flag_bits |= 0x1  # what an encrypted member says of itself; its bytes are never read
        z.writestr(locked, b"encrypted")
        z.writestr("__MACOSX/clxx/._XXXX.xlsx", b"\0\5\26\7 AppleDouble")
        z.writestr("旧材料.zip", b"PK\5\6" + b"\0" * 18)  # an archive in the archive: not unpacked again
        # a member of any other kind, as such a file on the site: text read (GBK here), sound and video
        # by name only, Windows' thumbnail cache passed over, any other kind a warning
        z.writestr("联系人.dat", f"联系人 {MOBILE[:-4]}2222\n".encode("gbk"))
        z.writestr("讲解.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 32)
        z.writestr("Thumbs.db", b"\xd0\xcf\x11\xe0" + b"\0" * 2000)
        z.writestr("总平面图.dwg", b"AC1032\0\0\1 drawing")
    _zip_member_in_gbk(path, "clxx/XXXX.xlsx", "材料/名单.xlsx")
    data = check_json(project, capsys)
    where = sorted(e["message"].split("疑似")[0] for e in data["errors"] if e["file"].endswith("materials.zip"))
    assert where == ["压缩包中的“材料/名单.xlsx”单元格 Sheet1!C2", "压缩包中的“材料/名单.xlsx”单元格 Sheet1!D2",
                     "压缩包中的“材料/名单.xlsx”单元格 底稿!B3（隐藏的工作表）",
                     "压缩包中的“联系人.dat”第 1 行",
                     f"压缩包中的文件名“王某{MOBILE[:3]}****1111.txt”"], where
    warned = sorted(w["message"] for w in data["warnings"] if w["file"].endswith("materials.zip"))
    assert len(warned) == 4 and all(any(name in w for w in warned)
                                    for name in ("旧表.doc", "加密名单.xlsx", "旧材料.zip", "总平面图.dwg"))
    assert "压缩包中的“总平面图.dwg”是无法识别的文件类型（.dwg），其中的个人信息未经检查" in " ".join(warned)
    assert not any("MACOSX" in w["message"] for w in data["warnings"])
    never_whole(data, ID, MOBILE, CARD)


def test_epub_xps_and_visio_files_are_read_part_by_part(project, capsys):
    """An e-book, an XPS document (what Windows' "print to XPS" makes) and a Visio drawing (a 办事流程图)
    were a warning for a person: each is a ZIP package of XML or XHTML parts. Each part is now read by its
    kind, as an archive's member is, and named as the editor knows the file (电子书, XPS 文档, Visio 图)."""
    import zipfile

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n" + "".join(f"  - {{title: 附件, path: files/{n}}}\n"
                                                          for n in ("guide.epub", "print.xps", "flow.vsdx")))

    def package(name: str, parts: dict) -> None:
        with zipfile.ZipFile(files / name, "w", zipfile.ZIP_DEFLATED) as z:
            for part, data in parts.items():
                z.writestr(part, data)

    package("guide.epub", {"mimetype": "application/epub+zip",
                           "OEBPS/content.opf": "<package><metadata><dc:title>办事指南</dc:title></metadata></package>",
                           "OEBPS/ch1.xhtml": f"<html><body><p>办事指南</p>\n<p>经办人 {MOBILE}</p></body></html>",
                           "OEBPS/fonts/song.ttf": b"\0\1\0\0 font"})
    package("print.xps", {"Documents/1/Pages/1.fpage":
                          f'<FixedPage>\n<Glyphs OriginX="96" UnicodeString="身份证号 {ID}"/>\n</FixedPage>',
                          "Documents/1/Resources/Fonts/0A1B.odttf": b"\0\1 obfuscated font"})
    package("flow.vsdx", {"visio/pages/page1.xml": f"<PageContents><Text>受理 {MOBILE[:-4]}3333</Text></PageContents>"})
    data = check_json(project, capsys)
    where = sorted((e["file"].rpartition("/")[2], e["message"].split("疑似")[0]) for e in data["errors"]
                   if e["file"].endswith((".epub", ".xps", ".vsdx")))
    assert where == [("flow.vsdx", "Visio 图中的“visio/pages/page1.xml”第 1 行"),
                     ("guide.epub", "电子书中的“OEBPS/ch1.xhtml”第 2 行"),
                     ("print.xps", "XPS 文档中的“Documents/1/Pages/1.fpage”第 2 行")], where
    assert not [w for w in data["warnings"] if w["file"].endswith((".epub", ".xps", ".vsdx"))]
    never_whole(data, ID, MOBILE)


def _rar5(members: list[tuple[str, bytes, bool]]) -> bytes:
    """A RAR 5 archive of stored members (name, bytes, has a password), laid out as RARLAB's format
    document says: no program here writes RAR. A member "with a password" carries the encryption record
    in its header and its bytes as they are (a real one's are ciphertext)."""
    import struct
    import zlib

    def vint(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n >> 7 else 0))
            n >>= 7
            if not n:
                return bytes(out)

    def block(kind: int, fields: bytes, extra: bytes = b"", data: bytes = b"") -> bytes:
        body = vint(kind) + vint((0x1 if extra else 0) | (0x2 if data else 0))
        body += (vint(len(extra)) if extra else b"") + (vint(len(data)) if data else b"") + fields + extra
        head = vint(len(body)) + body
        return struct.pack("<I", zlib.crc32(head)) + head + data

    out = b"Rar!\x1a\x07\x01\x00" + block(1, vint(0))
    for name, data, locked in members:
        raw = name.encode("utf-8")  # file flags: CRC32; attributes: archive; stored; written on Windows
        fields = (vint(0x4) + vint(len(data)) + vint(0x20) + struct.pack("<I", zlib.crc32(data))
                  + vint(0) + vint(0) + vint(len(raw)) + raw)
        record = vint(1) + vint(0) + vint(0) + bytes([15]) + b"\1" * 32 if locked else b""  # AES-256, salt, IV
        out += block(2, fields, vint(len(record)) + record if locked else b"", data)
    return out + block(5, vint(0))


def test_rar_7z_and_tar_archives_are_read_member_by_member(project, capsys):
    """RAR (how most offices pack 附件打包下载), 7-Zip and .tar.gz were published with only a warning for a
    person. Each is now read member by member as a ZIP is (libarchive), folders and all; a RAR member with
    a password, a .gz that is no tar and an archive inside an archive are left to a person."""
    import gzip
    import io

    import libarchive

    sheet = io.BytesIO()
    write_xlsx(sheet)
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 材料{n}, path: files/{name}}}\n"
        for n, name in enumerate(("materials.rar", "photos.7z", "proof.tar.gz", "rows.csv.gz"))))
    (files / "materials.rar").write_bytes(_rar5([
        ("材料/名单.xlsx", sheet.getvalue(), False),
        (f"王某{MOBILE[:-4]}2222.txt", "无\n".encode(), False),
        ("加密名单.txt", f"张三 {MOBILE}\n".encode(), True),  # noise in a real one: never read
    ]))
    with libarchive.file_writer(str(files / "photos.7z"), "7zip") as z:
        text = f"联系人：李四，身份证号 {ID}\n".encode()
        z.add_file_from_memory("证明/说明.txt", len(text), text)
        z.add_file_from_memory("旧材料.rar", 7, b"Rar!\x1a\x07\x00")  # an archive in the archive: not unpacked
    with libarchive.file_writer(str(files / "proof.tar.gz"), "ustar", "gzip") as z:
        text = f"银行卡号 {CARD}\n".encode()
        z.add_file_from_memory("卡号.txt", len(text), text)
    (files / "rows.csv.gz").write_bytes(gzip.compress(f"姓名,电话\n王五,{MOBILE}\n".encode()))
    data = check_json(project, capsys)
    where = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"]
                   if e["file"].endswith(("materials.rar", "photos.7z", "proof.tar.gz")))
    assert where == [("materials.rar", "压缩包中的“材料/名单.xlsx”单元格 Sheet1!C2"),
                     ("materials.rar", "压缩包中的“材料/名单.xlsx”单元格 Sheet1!D2"),
                     ("materials.rar", "压缩包中的“材料/名单.xlsx”单元格 底稿!B3（隐藏的工作表）"),
                     ("materials.rar", f"压缩包中的文件名“王某{MOBILE[:3]}****2222.txt”"),
                     ("photos.7z", "压缩包中的“证明/说明.txt”第 1 行"),
                     ("proof.tar.gz", "压缩包中的“卡号.txt”第 1 行")], where
    warned = {w["file"].rsplit("/", 1)[1]: w["message"] for w in data["warnings"]
              if w["file"].endswith(("materials.rar", "photos.7z", "rows.csv.gz"))}
    assert "“加密名单.txt”设有密码" in warned["materials.rar"], warned
    assert "“旧材料.rar”又是一个压缩包" in warned["photos.7z"], warned
    assert "不是 tar 压缩包" in warned["rows.csv.gz"], warned
    never_whole(data, ID, MOBILE, CARD)


def test_libraries_remarks_on_a_file_do_not_reach_the_output(project, pdfs):
    """openpyxl remarks on parts of a sheet it does not model ("Data Validation extension is not
    supported", on most sheets WPS and Excel save), pypdf on a damaged PDF's structure ("incorrect
    startxref pointer"), libarchive on a bad checksum: each printed bare lines into the editor's build
    output. They are kept out; the one a person must hear of (the archive's) is a warning of its file."""
    import subprocess
    import sys
    import zipfile

    import libarchive

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n" + "".join(
        f"  - {{title: 材料{n}, path: files/{name}}}\n" for n, name in enumerate(("sheet.xlsx", "old.pdf", "box.7z"))))
    write_xlsx(files / "plain.xlsx")
    with zipfile.ZipFile(files / "plain.xlsx") as src, zipfile.ZipFile(files / "sheet.xlsx", "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # a data validation list, as Excel 2010 and WPS write it
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
                                    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                                    b'<x14:dataValidations count="0"/></ext></extLst></worksheet>')
            out.writestr(info, data)
    (files / "plain.xlsx").unlink()
    pdf = pdfs["text"].read_bytes()
    at = pdf.rindex(b"startxref")
    (files / "old.pdf").write_bytes(pdf[:at] + b"startxref\n3\n%%EOF\n")  # a pointer off by the file's length
    with libarchive.file_writer(str(files / "box.7z"), "7zip") as z:
        z.add_file_from_memory("说明.txt", 6, b"abcdef")
    packed = bytearray((files / "box.7z").read_bytes())
    packed[34] ^= 0xFF  # in the member's data: its checksum no longer holds
    (files / "box.7z").write_bytes(bytes(packed))
    # as the editor runs it (pytest would catch Python's warnings in its own process)
    run = subprocess.run([sys.executable, "-m", "site_builder.cli", "check", "-f", str(project / "mkdocs.yml"),
                          "--format", "json"], capture_output=True, text=True, cwd=project)
    out, err = run.stdout, run.stderr
    data = json.loads(out)
    assert {e["file"].rsplit("/", 1)[1] for e in data["errors"]} >= {"sheet.xlsx", "old.pdf"}, "both still read"
    [bad] = [w["message"] for w in data["warnings"] if w["file"].endswith("box.7z")]
    assert "bad CRC" in bad and "人工检查" in bad, bad
    assert "Warning" not in err and "startxref" not in err and "CRC" not in err, err


def test_an_rtf_document_is_read_paragraph_by_paragraph(project, capsys):
    """RTF (what some OA systems export, and Word and WPS open) was published with only a warning for a
    person. Its paragraphs are read as Word shows them: Chinese text escaped in the document's code
    page (GBK, as Word writes it under \\ansicpg936) or as \\u escapes, a table's cells, a number split
    by formatting (bold in the middle)."""
    gbk = "".join(f"\\'{b:02x}" for b in "联系人张某，手机".encode("gbk"))
    rtf = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}\\f0\\fs24 "
           + gbk + f" {MOBILE[:3]}{{\\b {MOBILE[3:7]}}}{MOBILE[7:]}\\par "
           + "\\u36523?\\u20221?\\u35777?\\u21495?\\par "  # 身份证号, as \u escapes
           + f"\\trowd\\cellx2000\\cellx6000 \\intbl \\u22995?\\u21517?\\cell {ID}\\cell\\row }}")
    attach(project, "notice.rtf").write_bytes(rtf.encode("ascii"))
    data = check_json(project, capsys)
    found = sorted(e["message"].split("疑似")[0] for e in data["errors"] if e["file"].endswith("notice.rtf"))
    assert found == ["第 1 段", "第 3 段"], found
    assert not [w for w in data["warnings"] if w["file"].endswith("notice.rtf")]
    never_whole(data, ID, MOBILE)


def test_a_web_page_saved_whole_and_an_e_mail_are_read(project, capsys):
    """A page saved whole (.mht: IE, Word and WPS save pages so) and an e-mail (.eml) were published
    without a word: no kind the guard knew. Each is read as a browser or mail program shows it: its
    parts' text (quoted-printable GB2312 as Word writes it), its header (an e-mail's sender), and the files
    attached to it, each by its own kind."""
    import io
    from email.message import EmailMessage

    page = EmailMessage()
    page["Subject"] = "临时救助名单"
    page.make_related()
    html = f"<html><body><p>联系人：王某</p><p>手机：{MOBILE}</p></body></html>"
    page.add_related(html.encode("gb2312"), "text", "html", cte="quoted-printable",
                     params={"charset": "gb2312"})
    page.add_related(b"\x89PNG\r\n\x1a\n", "image", "png", cid="<image001>")
    mail = EmailMessage()
    mail["Subject"] = "报送材料"
    mail["From"] = f'"张某 {MOBILE}" <zhang@example.com>'
    mail["To"] = "office@example.gov.cn"
    mail.set_content("名单见附件。\n")
    sheet = io.BytesIO()
    write_xlsx(sheet)
    mail.add_attachment(sheet.getvalue(), maintype="application",
                        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="名单.xlsx")
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n  - {title: 名单网页, path: files/list.mht}\n"
                              "  - {title: 报送邮件, path: files/mail.eml}\n")
    (files / "list.mht").write_bytes(bytes(page))
    (files / "mail.eml").write_bytes(bytes(mail))
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"]
                   if e["file"].endswith(("list.mht", "mail.eml")))
    assert ("list.mht", "第 1 部分的文字") in found, found
    assert ("mail.eml", "文件信息（发件人）") in found, found
    assert ("mail.eml", "附带的文件“名单.xlsx”单元格 Sheet1!C2") in found, found
    never_whole(data, ID, MOBILE, CARD)


def test_contact_cards_map_files_and_programs_offered_for_download_are_looked_at(project, capsys):
    """A contact card (.vcf: names and mobile numbers, what a phone exports), a map (.kml, a place's
    description) and a program offered for download (申报软件.exe) were published without a word: no
    kind the guard knew. The first two are read as text; a program is a warning, as one inside an
    archive or a PDF is (a site's own .js beside its pages is not: only what a page offers)."""
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, extra="attachments:\n  - {title: 联系人, path: files/contacts.vcf}\n"
                              "  - {title: 申报软件, path: files/setup.exe}\n",
               body="详见附件。地点见[地图](files/places.kml)。")
    (files / "contacts.vcf").write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:王某\nTEL;TYPE=CELL:{MOBILE}\nEND:VCARD\n",
                                        encoding="utf-8")
    (files / "places.kml").write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                                      f"<Placemark><name>安置点</name><description>负责人 {MOBILE}</description>"
                                      "</Placemark></kml>", encoding="utf-8")
    (files / "setup.exe").write_bytes(b"MZ\x90\x00 a program")
    (project / "content/javascripts").mkdir()
    (project / "content/javascripts/extra.js").write_text("// the site's own script\n", encoding="utf-8")
    data = check_json(project, capsys)
    found = sorted(e["file"].rsplit("/", 1)[1] for e in data["errors"] if "files/" in e["file"])
    assert found == ["contacts.vcf", "places.kml"], found
    warned = [(w["file"].rsplit("/", 1)[1], w["message"]) for w in data["warnings"]]
    assert [f for f, _ in warned if f in ("setup.exe", "extra.js")] == ["setup.exe"], warned
    assert "可执行程序" in dict(warned)["setup.exe"]
    never_whole(data, MOBILE)


def test_a_pictures_comment_block_is_read(project, capsys):
    """A JPEG's comment (the COM block image viewers show, where some scanners and editors write who
    scanned what) and a GIF's comment were never read, and GIFs not at all."""
    from PIL import Image

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    add_record(project, body="![现场](files/scene.jpg)\n\n![流程](files/flow.gif)\n")
    Image.new("RGB", (16, 16), "white").save(files / "scene.jpg", "JPEG", comment=f"经办人王某 {MOBILE}".encode())
    Image.new("RGB", (16, 16), "white").save(files / "flow.gif", "GIF", comment=f"联系人 {MOBILE}".encode("gbk"))
    data = check_json(project, capsys)
    found = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"])
    assert found == [("flow.gif", "图片注释"), ("scene.jpg", "图片注释")], found
    never_whole(data, MOBILE)


def test_a_number_in_what_a_file_calls_its_part_is_masked_in_the_message(project, capsys):
    """A sheet named after a person and their number: the finding is named by the sheet, and the
    message (and the cache) printed the number whole there."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = f"王某{MOBILE}"
    wb.active["A1"] = "已核实"
    wb.save(attach(project, "list.xlsx"))
    data = check_json(project, capsys)
    [e] = [e for e in data["errors"] if e["file"].endswith("list.xlsx")]
    assert e["message"].startswith("工作表名称“王某139****5678”疑似手机号码“139****5678”"), e
    never_whole(data, MOBILE)


def _ofd(pages: list[str], template: str = "", annotation: str = "", attachment: tuple = (), info: str = "") -> bytes:
    """An OFD package as GB/T 33190 lays it out (OFD.xml → Document.xml → pages, templates, annotations,
    attachments), its locations written as producers write them: relative, and absolute from the root."""
    import io
    import zipfile

    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    parts = {"OFD.xml": f'<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID>'
                        f'{info}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'}
    refs = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
    common = '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    more = ('<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>' if annotation else "") + (
        '<ofd:Attachments>/Doc_0/Attachs/Attachments.xml</ofd:Attachments>' if attachment else "")
    parts["Doc_0/Document.xml"] = (f'<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
                                   f'</ofd:PhysicalBox></ofd:PageArea>{common}</ofd:CommonData>'
                                   f'<ofd:Pages>{refs}</ofd:Pages>{more}</ofd:Document>')
    for n, layer in enumerate(pages):
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = (f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="{100 + n}">'
                                                      f'{layer}</ofd:Layer></ofd:Content></ofd:Page>')
    if template:
        parts["Doc_0/Tpls/Tpl_0/Content.xml"] = f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="3">{template}</ofd:Layer></ofd:Content></ofd:Page>'
    if annotation:
        parts["Doc_0/Annots/Annotations.xml"] = (f'<ofd:Annotations {ns}><ofd:Page PageID="10"><ofd:FileLoc>'
                                                 'Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>')
        parts["Doc_0/Annots/Page_0/Annotation.xml"] = (f'<ofd:PageAnnot {ns}><ofd:Annot ID="50" Type="Highlight">'
                                                       f'<ofd:Remark>{annotation}</ofd:Remark></ofd:Annot></ofd:PageAnnot>')
    if attachment:
        name, data = attachment
        parts["Doc_0/Attachs/Attachments.xml"] = (f'<ofd:Attachments {ns}><ofd:Attachment ID="60" Name="{name}">'
                                                  '<ofd:FileLoc>file_0.dat</ofd:FileLoc></ofd:Attachment></ofd:Attachments>')
        parts["Doc_0/Attachs/file_0.dat"] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text if isinstance(text, bytes) else '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()


def _text_object(x: float, y: float, text: str, size: float = 3.5) -> str:
    return (f'<ofd:TextObject ID="9" Boundary="{x} {y} 100 5" Font="1" Size="{size}">'
            f'<ofd:TextCode X="0" Y="3">{text}</ofd:TextCode></ofd:TextObject>')


def test_an_ofd_is_read_page_by_page(project, capsys):
    """OFD (GB/T 33190) is how 公文 and invoices are issued electronically. It was published unread.
    Now each page's text is read in reading order, a number placed digit by digit read whole; with the
    page templates (a 页眉 on every page), annotations, files attached and the document's properties.
    A page that is only a picture (a scan) is left to a person."""
    digits = "".join(_text_object(40 + 2 * i, 60, d) for i, d in enumerate(MOBILE))  # one object a digit
    page1 = _text_object(20, 30, "关于临时救助对象的公示") + _text_object(20, 60, "联系电话") + digits
    scan = '<ofd:ImageObject ID="20" ResourceID="7" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>'
    ofd = _ofd([page1, scan], template=_text_object(20, 10, "经办人：李某 13812345670"),
               annotation=f"退款账户 {CARD}", attachment=("名单.csv", f"姓名,身份证号\n王某,{ID}\n".encode()),
               info='<ofd:Author>县民政局</ofd:Author><ofd:CustomDatas><ofd:CustomData Name="联系人手机">13700001111'
                    '</ofd:CustomData></ofd:CustomDatas>')
    attach(project, "notice.ofd").write_bytes(ofd)
    data = check_json(project, capsys)
    where = sorted(e["message"].split("疑似")[0] for e in data["errors"] if e["file"].endswith("notice.ofd"))
    assert where == ["OFD 附带的文件“名单.csv”第 2 行第 2 列（B2）", "文档属性（联系人手机）", "第 1 页",
                     "第 1 页的批注", "页面模板 1"], where
    [w] = [w for w in data["warnings"] if w["file"].endswith("notice.ofd")]
    assert "OFD 第 2 页没有文字" in w["message"], w
    never_whole(data, ID, MOBILE, CARD, "13812345670", "13700001111")


def test_opendocument_text_and_sheets_are_read(project, capsys):
    """LibreOffice's files (and WPS's, saved as OpenDocument) were published unread. A text document's
    paragraphs, table cells, footnotes, comments and header; a sheet's cells by their address, a phone
    number typed into a number cell (shown as 1.39E+10) too."""
    from odf.draw import Frame, Page, TextBox
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentPresentation, OpenDocumentSpreadsheet, OpenDocumentText
    from odf.style import Header, MasterPage, PageLayout
    from odf.table import Table, TableCell, TableRow
    from odf.text import P, Note, NoteBody, NoteCitation

    doc = OpenDocumentText()
    layout = PageLayout(name="pl")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(P(text="联系电话 13812345670"))
    master.addElement(header)
    doc.masterstyles.addElement(master)
    doc.text.addElement(P(text="关于临时救助对象的公示"))
    para = P(text="详见下表")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="经办人手机 13700001111"))
    note.addElement(body)
    para.addElement(note)
    doc.text.addElement(para)
    para = P(text="公示期七天")
    comment = Annotation()
    comment.addElement(P(text=f"核对 {MOBILE}"))
    para.addElement(comment)
    doc.text.addElement(para)
    table = Table(name="名单")
    for cells in (["姓名", "身份证号"], ["王某", ID]):
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.save(str(attach(project, "notice.odt")))

    sheet = OpenDocumentSpreadsheet()
    table = Table(name="名单")
    sheet.spreadsheet.addElement(table)
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="电话"))
    row.addElement(cell)
    table.addElement(row)
    table.addElement(TableRow(numberrowsrepeated=3))  # empty rows, written once
    row = TableRow()
    row.addElement(TableCell(numbercolumnsrepeated=2))
    cell = TableCell(valuetype="float", value=MOBILE)
    cell.addElement(P(text="1.39E+10"))
    row.addElement(cell)
    table.addElement(row)
    sheet.save(str(project / "content/records/civil-affairs/files/list.ods"))
    slides = OpenDocumentPresentation()  # a slide's text box is named with its slide
    layout = PageLayout(name="pl")
    slides.automaticstyles.addElement(layout)
    master = MasterPage(name="m", pagelayoutname=layout)
    slides.masterstyles.addElement(master)
    for n, text in enumerate(("政策解读", f"咨询 {CARD}"), 1):
        page = Page(masterpagename=master)
        frame = Frame(width="10cm", height="2cm", x="1cm", y="1cm", name=f"内容{n}")
        box = TextBox()
        box.addElement(P(text=text))
        frame.addElement(box)
        page.addElement(frame)
        slides.presentation.addElement(page)
    slides.save(str(project / "content/records/civil-affairs/files/slides.odp"))
    add_record(project, extra="attachments:\n  - {title: 公示, path: files/notice.odt}\n"
                              "  - {title: 名单, path: files/list.ods}\n  - {title: 解读, path: files/slides.odp}\n")
    data = check_json(project, capsys)
    where = sorted((e["file"].rsplit("/", 1)[1], e["message"].split("疑似")[0]) for e in data["errors"])
    assert where == [("list.ods", "单元格 名单!C5"), ("notice.odt", "批注"), ("notice.odt", "脚注"),
                     ("notice.odt", "表格“名单”第 2 行第 2 列"), ("notice.odt", "页眉"),
                     ("slides.odp", "第 2 张幻灯片的文本框“内容2”")], where
    never_whole(data, ID, MOBILE, CARD, "13812345670", "13700001111")


@pytest.mark.parametrize("body", [
    "名单见[附表][1]。\n\n[1]: files/roster.xlsx",  # a reference definition
    "名单见<a href=files/roster.xlsx>附表</a>。",  # an unquoted attribute
    "名单见<a href='files/roster.xlsx'>附表</a>。",
])
def test_every_file_a_body_publishes_is_read_however_the_link_is_written(project, capsys, body):
    """boundary.py published the file of every link form; the guard read only `](…)` and quoted href/src,
    so a sheet behind a reference link or an unquoted href went out unread. Both now read links one way."""
    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    write_xlsx(files / "roster.xlsx")
    add_record(project, body=body)
    data = check_json(project, capsys)
    assert {e["file"] for e in data["errors"]} == {"content/records/civil-affairs/files/roster.xlsx"}
    assert any("139****5678" in e["message"] for e in data["errors"])


def test_a_file_no_page_offers_is_told_how_a_public_number_may_stay(project, capsys):
    """A file published on its own has no front matter: the hint said to add `allow:` to it. It now
    says to allow the number in mkdocs.yml's `extra`, whose `allow:` covers the site's own files (a
    script, a style sheet, a chart no page links, the theme's), and doing so passes; a page that links
    the file and allows the number in its own front matter passes too."""
    (project / "content/hotline.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><text>{MOBILE}</text></svg>', encoding="utf-8")
    [e] = check_json(project, capsys)["errors"]
    assert e["file"] == "content/hotline.svg" and "在 mkdocs.yml 的 extra 中加入 allow:" in e["hint"]
    assert "在 content/hotline.svg 的元数据中" not in e["hint"] and "（由 content/hotline.svg 发布）" not in e["hint"]
    config = project / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in before
    config.write_text(before.replace("\nextra:\n", f'\nextra:\n  allow:\n    - {{value: "{MOBILE}", reason: 县政务服务热线（手机）}}\n',
                                     1), encoding="utf-8")
    data = check_json(project, capsys)
    assert data["errors"] == [] and data["warnings"] == []
    config.write_text(before, encoding="utf-8")
    (project / "content/hotline.md").write_text(
        f'---\ntitle: 热线\nallow:\n  - {{value: "{MOBILE}", reason: 县政务服务热线（手机）}}\n---\n\n见[热线](hotline.svg)。\n',
        encoding="utf-8")
    assert check_json(project, capsys)["errors"] == []


def test_a_cached_record_is_checked_again_when_a_file_its_body_links_changes(project):
    from openpyxl import Workbook

    from site_builder.sources.validate import load_project

    files = project / "content/records/civil-affairs/files"
    files.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.save(files / "roster.xlsx")
    add_record(project, body="名单见[附表](files/roster.xlsx)。")
    cache = project / ".cache/disclosure/records.pickle"

    def load():
        return load_project(project / "content", project / "catalogue", root=project, cache_path=cache,
                            config_file=project / "mkdocs.yml").problems.errors

    assert load() == []
    assert cache.exists()
    write_xlsx(files / "roster.xlsx")
    errors = load()
    assert [e.file for e in errors] == ["content/records/civil-affairs/files/roster.xlsx"] * 3
