"""Privacy guard (保密审查): personal numbers are found, masked and refused; ordinary disclosure text is not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from site_builder.sources import privacy
from site_builder.commands.cli import main
from site_builder.sources.problems import Problems
from site_builder.sources.records import read_record

TODAY = dt.date(2026, 11, 22)


def make_id(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, privacy._ID_WEIGHTS))
    return first17 + privacy._ID_CHECK[total % 11]


def make_card(prefix: str, length: int) -> str:
    """A Luhn-valid card number."""
    body = prefix + "0" * (length - len(prefix) - 1)
    for check in "0123456789":
        if privacy.luhn_ok(body + check):
            return body + check
    raise AssertionError


ID_X = make_id("11010519491231002")  # ends in X
ID_DIGIT = make_id("32050219850612371")
CARD16 = make_card("622202123456789", 16)
CARD19 = make_card("62148301234567890", 19)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in privacy.scan_text(text, today=TODAY)]


# --- detection ----------------------------------------------------------------------------------

def test_fixtures_are_what_they_claim():
    assert ID_X.endswith("X") and privacy.is_id_number(ID_X, TODAY)
    assert privacy.is_id_number(ID_DIGIT, TODAY)
    assert privacy.luhn_ok(CARD16) and privacy.luhn_ok(CARD19)


@pytest.mark.parametrize("text, expected", [
    (f"申请人身份证号{ID_X}，住址略。", [("id_card", ID_X)]),
    (f"身份证：{ID_X.lower()}", [("id_card", ID_X)]),
    (f"公民身份号码 {ID_DIGIT[:6]} {ID_DIGIT[6:14]} {ID_DIGIT[14:]}", [("id_card", ID_DIGIT)]),
    ("联系人：张某，手机13912345678。", [("mobile", "13912345678")]),
    ("手机 +86 139 1234 5678", [("mobile", "13912345678")]),
    ("电话8613912345678", [("mobile", "13912345678")]),
    ("电话008613912345678；0086 139 1234 5678", [("mobile", "13912345678"), ("mobile", "13912345678")]),
    # broken anywhere, across a line too (a paragraph shows the line break as a space)
    (f"身份证号 {ID_DIGIT[:10]}\n{ID_DIGIT[10:]}", [("id_card", ID_DIGIT)]),
    (f"身份证号 {ID_DIGIT[:6]} {ID_DIGIT[6:10]} {ID_DIGIT[10:14]} {ID_DIGIT[14:]}", [("id_card", ID_DIGIT)]),
    (f"{ID_X[:3]}-{ID_X[3:]}", [("id_card", ID_X)]),
    (f"{ID_DIGIT[:10]}\n\n{ID_DIGIT[10:]}", []),  # two paragraphs: two numbers to a reader
    ("139-1234-5678", [("mobile", "13912345678")]),
    ("手机 139.1234.5678（名片上常这样写）", [("mobile", "13912345678")]),
    (f"收款账号：{CARD16}", [("bank_card", CARD16)]),
    (f"卡号 {' '.join(CARD19[i:i + 4] for i in range(0, 19, 4))}", [("bank_card", CARD19)]),
    (f"| 张某 | {ID_X} | 13812345678 |", [("id_card", ID_X), ("mobile", "13812345678")]),
    ("13912345678", [("mobile", "13912345678")]),
    ("电话\n13912345678\n2024 年", [("mobile", "13912345678")]),
    (f"{ID_X}5", []),  # glued to a further digit: not an ID number
    (f"甲 {CARD16}, 乙 13912345678.", [("bank_card", CARD16), ("mobile", "13912345678")]),
])
def test_personal_numbers_are_found(text, expected):
    assert kinds(text) == expected


def test_id_number_needs_checksum_province_and_plausible_birth_date():
    wrong_check = ID_DIGIT[:17] + ("0" if ID_DIGIT[17] != "0" else "1")
    assert not privacy.is_id_number(wrong_check, TODAY)
    assert kinds(f"编号 {wrong_check}") == []  # and not a card either (18 digits, Luhn may pass by chance)
    # one character mistyped, where the text says it is an ID number: reported, under its own label
    assert kinds(f"身份证号 {wrong_check}") == [("id_card_mistyped", wrong_check)]
    bad_province = make_id("99010519491231002")
    assert not privacy.is_id_number(bad_province, TODAY)
    future = make_id("11010520990101001")
    assert not privacy.is_id_number(future, TODAY)
    impossible = make_id("11010519490231001")  # 31 February
    assert not privacy.is_id_number(impossible, TODAY)


@pytest.mark.parametrize("text", [
    "索引号：003111216/2024-00012",
    "索引号 011320503/2026-00027，文号 云财农〔2026〕12号，财预〔2024〕5号",
    "发布日期 2024-02-20，成文日期 20240218，时间 2024-02-20T09:30:00+08:00",
    "金额 12,345,678.90 元；合计 13812345678.50 元；增长 1381234567890123.5",
    "咨询电话：0519-86604221；12345政务服务便民热线；400-820-8820；传真 (0519) 8660 4200",
    "办理时限由30个工作日缩短为20个工作日；共发放 1,234 户。",
    "详见 https://www.gov.cn/zhengce/content/2017-05/16/content_4532015112830366.htm 。",
    "统一社会信用代码：91350100M000100Y43；机关代码 11320500014000010X",
    "项目编号 YXZC2024-0012-3456；合同号 HT20240220000123",
    "1381234567890（13位流水号）",  # 13 digits starting with 1: no issuer, not a mobile (longer run)
    "订单号 213812345678901",  # a mobile number inside a longer run is not a mobile number
    "2021 2022 2023 2024 年度",
    "版本 1.139.1234.5678；编号 139.1234.5678.9；日期 2024.11.12.13.14.15",  # a longer dotted number
    "得分 1 3 5 2 0 1 2 3 4 5 6",  # one-digit counts in a row (a text PDF's table), not a spaced mobile
    # numbers as scripts and style sheets write them (a site's own .js/.css is read): a fraction without
    # its 0, an exponent (real lines of axe-core and a colour library, whose digits pass the card checks)
    "Ru=.6915224124600773,Nu=.9853124591201782,Tu=.5385456675962418",
    "[[-1.2684379732850315,2.609757349287688,-.341319376002657]]",
    "[ .9999570254019492, -2071874272730964e-20, 4361733292468361e-20 ]",
])
def test_ordinary_disclosure_text_is_not_flagged(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", [
    "zhang.13912345678@163.com",  # an address's name part: a point after a letter is no fraction's
    "电话.13912345678",
    "13912345678e",  # an exponent needs its digits
    "13912345678E号",
])
def test_a_point_or_a_letter_next_to_a_mobile_number_does_not_hide_it(text):
    assert kinds(text) == [("mobile", "13912345678")]


MISTYPED = "110101199003071234"  # the check character of 11010119900307123 is 3


@pytest.mark.parametrize("text", [
    f"联系人身份证号 {MISTYPED}",
    f"公民身份号码：{MISTYPED[:6]} {MISTYPED[6:14]} {MISTYPED[14:]}",
    f"证件号码 {MISTYPED[:6]}-{MISTYPED[6:14]}-{MISTYPED[14:]}",
    "身份证 １１０１０１１９９００３０７１２３４",
    "身份证号 1101**0119900307**1234",  # split by markup: one number to a reader
    f"| 姓名 | 身份证号 | 金额 |\n|---|---|---|\n| 王某 | {MISTYPED} | 300 |",
    f"姓名 | 证件号码\n--- | ---\n王某 | {MISTYPED}",
])
def test_an_id_number_with_one_character_mistyped_is_still_reported(text):
    assert privacy.is_id_number(MISTYPED[:17] + "3", TODAY) and not privacy.is_id_number(MISTYPED, TODAY)
    found = privacy.scan_seen(text, today=TODAY)
    assert [(f.kind, f.value, f.masked) for f in found] == [("id_card_mistyped", MISTYPED, "110101********1234")]
    assert "校验位不符" in found[0].label


@pytest.mark.parametrize("text", [
    "施工许可证号：320000202508010201",  # 320000 + 2025-08-01 + 0201: an ID's shape, not its check
    f"编号 {MISTYPED}",
    f"| 项目 | 施工许可证号 | 身份证核验 |\n|---|---|---|\n| 水厂 | {MISTYPED} | 已核验 |",
])
def test_the_same_shape_not_called_an_id_number_is_left_alone(text):
    assert privacy.scan_seen(text, today=TODAY) == []


def test_shapes_near_an_id_number_that_are_not_one_are_left_alone():
    assert kinds("身份证号 110101189912311234；身份证号 110101199002301234") == []  # born 1899; 30 February
    assert kinds("身份证号 990101199003071234") == []  # no such address code
    # an all-digit 统一社会信用代码 shaped like an ID number (address 131102 桃城区, "born" 2001-01-01), in
    # the 证件号码 column of a 双公示 table, where companies' codes and persons' numbers stand together
    code = next(body + ch for n in range(10 ** 3) for body in [f"13110220010101{n:03d}"]
                for ch in privacy._USCC_CHARS[:10] if privacy.is_credit_code(body + ch))
    assert not privacy.is_id_number(code, TODAY) and privacy._id_shaped(code, TODAY)
    assert kinds(f"行政相对人证件号码 {code}") == []


def test_credit_code_that_happens_to_pass_luhn_is_not_a_card():
    # an all-digit unified social credit code with a valid GB 32100 check character
    code = None
    for n in range(10 ** 6):
        body = f"51320500{n:09d}"
        for ch in privacy._USCC_CHARS[:10]:
            if privacy.is_credit_code(body + ch) and privacy.luhn_ok(body + ch):
                code = body + ch
                break
        if code:
            break
    assert code and code[0] in privacy._CARD_ISSUERS
    assert kinds(f"统一社会信用代码 {code}") == []


def test_masks_keep_only_the_ends():
    assert privacy.mask("id_card", ID_X) == ID_X[:6] + "********" + ID_X[-4:]
    assert privacy.mask("mobile", "13912345678") == "139****5678"
    assert privacy.mask("bank_card", CARD16) == CARD16[:4] + "********" + CARD16[-4:]


def test_line_numbers_count_from_the_file():
    text = "第一行\n第二行 13912345678\n\n第四行 " + ID_X
    found = privacy.scan_text(text, first_line=10, today=TODAY)
    assert [(f.line, f.kind) for f in found] == [(11, "mobile"), (13, "id_card")]
    assert found[0].column == 5


# --- records and the allow-list -----------------------------------------------------------------

RECORD = """---
title: 云溪县2026年临时救助对象公示
index_no: 011320506/2026-00090
date: 2026-07-15
department: civil-affairs
domains: [social-assistance]
item: social-assistance-temporary
tags: [临时救助]
{extra}---
公示期间如有异议，请拨打监督电话。

| 姓名 | 身份证号 | 联系电话 |
|---|---|---|
| 王某 | {id} | {mobile} |
"""


def record_file(tmp_path: Path, extra: str = "", id_value: str = ID_X, mobile: str = "13912345678") -> Path:
    path = tmp_path / "content" / "records" / "civil-affairs" / "2026-temporary.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RECORD.format(extra=extra, id=id_value, mobile=mobile), encoding="utf-8")
    return path


def check(path: Path, tmp_path: Path) -> Problems:
    problems = Problems()
    docs = tmp_path / "content"
    rec = read_record(path, path.relative_to(docs).as_posix(), "content/x.md", docs, problems)
    assert rec is not None, problems.items
    privacy.check_record(rec, "content/x.md", problems, today=TODAY)
    return problems


def test_record_findings_name_line_and_masked_value(tmp_path):
    problems = check(record_file(tmp_path), tmp_path)
    errors = problems.errors
    assert [(p.line, p.level) for p in errors] == [(14, "error"), (14, "error")]
    text = "\n".join(p.format() for p in errors)
    assert ID_X[:6] + "********" + ID_X[-4:] in text and "139****5678" in text
    assert ID_X not in text and "13912345678" not in text  # never print the full number
    assert "allow" in errors[0].hint and "reason" in errors[0].hint


def test_front_matter_values_are_scanned_but_index_no_is_not(tmp_path):
    path = record_file(tmp_path, extra="summary: 联系人手机 13812345678\n", id_value="略", mobile="略")
    errors = check(path, tmp_path).errors
    assert [(p.line, "138****5678" in p.message) for p in errors] == [(9, True)]


def test_allow_list_with_reason_lets_an_exact_public_number_through(tmp_path):
    extra = 'allow:\n  - {value: "139 1234 5678", reason: "县民政局公开的救助值班手机"}\n'
    problems = check(record_file(tmp_path, extra=extra, id_value="略"), tmp_path)
    assert problems.items == []


def test_allow_entry_without_reason_is_an_error(tmp_path):
    extra = 'allow:\n  - {value: "13912345678"}\n  - "13812345678"\n'
    problems = check(record_file(tmp_path, extra=extra, id_value="略"), tmp_path)
    messages = [(p.line, p.message) for p in problems.errors]
    assert (10, "allow 条目“139****5678”缺少公开理由（reason）") in messages
    assert (11, "allow 条目“138****5678”缺少公开理由（reason）") in messages
    assert any("139****5678" in m and "个人信息" in m for _, m in messages)  # not allowed without a reason


def test_allow_entry_that_matches_nothing_is_a_warning(tmp_path):
    extra = 'allow:\n  - {value: "13912345678", reason: 值班电话}\n  - {value: "13700000000", reason: 旧号码}\n'
    problems = check(record_file(tmp_path, extra=extra, id_value="略"), tmp_path)
    assert problems.errors == []
    assert [(p.line, p.message) for p in problems.warnings] == [
        (11, "allow 条目“137****0000”在本记录中没有匹配到任何号码")]


# --- check and build refuse such records --------------------------------------------------------

def add_personal_record(project: Path) -> Path:
    path = project / "content" / "records" / "civil-affairs" / "2026-temporary-list.md"
    path.write_text(RECORD.format(extra="", id=ID_X, mobile="13912345678"), encoding="utf-8")
    return path


def test_check_refuses_personal_numbers(project, capsys):
    add_personal_record(project)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert "content/records/civil-affairs/2026-temporary-list.md:14: 错误: 第 8 列疑似居民身份证号码" in out
    assert "139****5678" in out and ID_X not in out
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {e["line"] for e in data["errors"]} == {14}
    assert all(e["file"] == "content/records/civil-affairs/2026-temporary-list.md" for e in data["errors"])


def test_build_refuses_personal_numbers_and_writes_nothing(project, tmp_path, capsys):
    add_personal_record(project)
    site = tmp_path / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "疑似手机号码“139****5678”" in err and "13912345678" not in err
    assert not site.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
