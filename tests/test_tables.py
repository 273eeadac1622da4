"""Pure parts of issue 15's reading layer: body tables classed at build time (site_builder/tables.py),
the footer's identity fields (identity.py), the application form's Word file (applyform.py) and the
公开情况 items grouped by domain (report.item_groups)."""

from __future__ import annotations

import io
import re

from site_builder.plan import applyform, identity
from site_builder.render import tables


def cells(html: str, cls: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(
        rf'<t[dh][^>]*class="[^"]*\b{cls}\b[^"]*"[^>]*>(.*?)</t[dh]>', html, re.S)]


TABLE = """<h2 id="a">一、出让结果</h2>
<table>
<thead><tr><th>地块编号</th><th>面积（平方米）</th><th>成交价（万元）</th><th>成交日期</th><th>说明</th></tr></thead>
<tbody>
<tr><td>YX2026-G03</td><td>42,680</td><td>1152.5</td><td>2026-05-22</td><td>按“标准地”方式出让，竞得人须按合同约定建设</td></tr>
<tr><td>YX2026-G04</td><td>31215</td><td>—</td><td>2026年5月22日</td><td>已成交</td></tr>
</tbody></table>"""


def test_numeric_columns_are_right_aligned_dates_and_short_codes_kept_on_one_line():
    out = tables.enhance(TABLE)
    assert cells(out, "dx-num") == ["面积（平方米）", "成交价（万元）", "42,680", "1152.5", "31215", "—"]
    assert cells(out, "dx-date") == ["2026-05-22", "2026年5月22日"]
    assert "YX2026-G03" in cells(out, "dx-nowrap") and "已成交" in cells(out, "dx-nowrap")
    assert "按“标准地”方式出让，竞得人须按合同约定建设" not in cells(out, "dx-nowrap")
    assert "成交日期" not in cells(out, "dx-date")  # headers are not dates


def test_every_table_is_a_named_keyboard_reachable_scroll_region():
    out = tables.enhance(TABLE + "<p>x</p>" + TABLE.replace("一、出让结果", "二、附表").replace(' id="a"', ' id="b"')
                         + "<table><caption>预算表</caption><tr><td>1</td></tr></table>"
                         + "<table><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>")
    regions = re.findall(r'<div class="(dx-table[^"]*)" role="region" tabindex="0" aria-label="([^"]*)"><table class="dx-body-table">', out)
    # the caption, else the heading above; numbered when two would read the same
    assert [label for _, label in regions] == ["表格：一、出让结果", "表格：二、附表", "表格：预算表", "表格：二、附表（2）",
                                               "表格：二、附表（3）"]
    assert out.count("</table></div>") == 5


def test_wide_tables_are_marked_and_small_ones_not():
    wide = "<table><tr>" + "".join(f"<th>第{i}列的标题文字</th>" for i in range(8)) + "</tr></table>"
    small = "<table><tr><th>类别</th><th>数量</th></tr><tr><td>食用农产品</td><td>286</td></tr></table>"
    assert 'class="dx-table dx-table--wide"' in tables.enhance(wide)
    assert 'class="dx-table"' in tables.enhance(small)


def test_editor_alignment_wins_and_mixed_columns_stay_left():
    html = ('<table><thead><tr><th>a</th><th align="left">b</th><th>c</th></tr></thead><tbody>'
            '<tr><td>x</td><td align="left">1</td><td>12</td></tr><tr><td>y</td><td align="left">2</td><td>检出</td></tr>'
            '</tbody></table>')
    assert cells(tables.enhance(html), "dx-num") == []


def test_colspan_and_rowspan_keep_columns_in_place():
    html = ('<table><tr><th>项目</th><th>2025</th><th>2026</th></tr>'
            '<tr><td rowspan="2">收入</td><td>1,200</td><td>1,350</td></tr>'
            '<tr><td>300</td><td>320</td></tr>'
            '<tr><td colspan="2">合计（说明文字）</td><td>1,670</td></tr></table>')
    out = tables.enhance(html)
    assert cells(out, "dx-num") == ["2025", "2026", "1,200", "1,350", "300", "320", "1,670"]


def test_nested_tables_and_bodies_without_tables_are_left_alone():
    assert tables.enhance("<p>无表格</p>") == "<p>无表格</p>"
    nested = "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>"
    out = tables.enhance(nested)
    assert out.count('role="region"') == 1 and "dx-num" not in out


def test_number_and_date_shapes():
    for text in ("1", "-3", "98.06%", "≤0.05 mg/kg", "¥1,200", "3.5万元", "12批次", "1,234,567.89"):
        assert tables.is_number(text), text
    for text in ("0519-86600126", "YX2026-G03", "第1批", "1.2.3", "约"):
        assert not tables.is_number(text), text
    for text in ("2026-02-10", "2026/2/1", "2026.02.10", "2026年2月10日", "2026年2月", "2026-02-10 09:30"):
        assert tables.is_date(text), text
    assert not tables.is_date("2026") and not tables.is_date("2026-02-10至2026-03-10")
    assert not tables.is_date("1152.5") and not tables.is_date("2026.5") and not tables.is_date("2026/02.10")


# -- the footer's identity fields ----------------------------------------------------------------------

def test_footer_fields_in_order_and_unconfigured_ones_left_out():
    full = {"organizer": "某县人民政府办公室", "contact": "0000-0000000", "site_code": "0000000000",
            "icp": "示ICP备00000000号", "police": "示公网安备 00000000000000号", "report_error": True}
    fields = identity.footer_fields(full)
    assert [f["label"] for f in fields] == ["主办单位", "联系方式", "网站标识码", "ICP备案号", "公安机关备案号"]
    assert fields[3]["href"] == "https://beian.miit.gov.cn/"
    assert fields[4]["href"].endswith("code=00000000000000")
    assert identity.error_link(full).startswith("https://zfwzzc.www.gov.cn/") and "0000000000" in identity.error_link(full)
    assert identity.footer_fields({"organizer": "  ", "icp": None}) == []
    assert identity.error_link({"report_error": False, "site_code": "1"}) is None
    assert identity.error_link({"report_error": True}) == identity.ERROR_URL


# -- the application form ------------------------------------------------------------------------------

def test_form_grid_covers_every_column_of_every_row_once():
    rows = applyform.grid()
    covered: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        for cell in row:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, cell.col + dc) not in covered, (cell, covered.get((r + dr, cell.col + dc)))
                    covered[(r + dr, cell.col + dc)] = cell.text
    assert len(covered) == len(rows) * applyform.COLUMNS


def test_word_file_is_the_national_form_and_reproducible():
    from docx import Document

    first = applyform.docx_bytes("某县人民政府办公室")
    assert applyform.docx_bytes("某县人民政府办公室") == first  # same form, same bytes
    doc = Document(io.BytesIO(first))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "政府信息公开申请表" in text and "受理机关：某县人民政府办公室" in text and "填表说明" in text
    table_text = {c.text for row in doc.tables[0].rows for c in row.cells}
    for label in ("申请人信息", "公民", "法人或者其他组织", "姓名", "证件号码", "统一社会信用代码", "所需信息情况",
                  "所需信息的名称", "所需信息的文号或者其他特征性描述", "获取信息的方式（可选）", "申请人签名或者盖章"):
        assert label in table_text, label
    assert any("□邮寄" in t for t in table_text)


def parsed_tags(html: str) -> list[tuple[str, tuple]]:
    """The elements a browser-like tokenizer sees, with their attribute names (not our classes)."""
    from html.parser import HTMLParser

    seen = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append((tag, tuple(sorted(k for k, _ in attrs if k not in ("class", "role", "tabindex", "aria-label")))))

    P().feed(html)
    return [t for t in seen if t[0] not in ("div",)]


def test_markup_inside_attribute_values_cannot_be_turned_into_tags():
    """Text in a quoted attribute is never read as a tag: adding a class inside it would close the quote
    early and let the rest run. Record bodies are sanitized first (nh3 writes < and > in attributes as
    references), ordinary pages are not: both are safe."""
    from site_builder.sources.sanitize import sanitize

    hostile = [
        '<table><tr><td><span title="<td>x</td><img src=x onerror=alert(1)>">1</span></td></tr></table>',
        '<table><tr><td title="a><img src=x onerror=alert(2)>">1</td></tr></table>',
        '<p title="<table><tr><td>1</td></tr></table><img src=x onerror=alert(3)>">x</p><table><tr><td>2</td></tr></table>',
    ]
    for html in hostile:
        for body in (html, sanitize(html)):
            out = tables.enhance(body)
            assert parsed_tags(out) == parsed_tags(body), out
            assert not any(tag == "img" for tag, _ in parsed_tags(out)), out
            assert out.count('role="region"') == 1, out


def test_scripts_and_comments_on_ordinary_pages_are_left_alone():
    page = "<!-- <table><tr><td>1</td></tr></table> --><script>var t = '<table>';</script><table><tr><td>3</td></tr></table>"
    out = tables.enhance(page)
    assert out.startswith("<!-- <table><tr><td>1</td></tr></table> --><script>var t = '<table>';</script>")
    assert out.count('role="region"') == 1
