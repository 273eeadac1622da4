"""Editors who are not programmers (issue 19 §2, §4, §5): what a Chinese keyboard types into front matter,
YAML's errors in Chinese on the right line, “您是不是要写…”, the 索引号 year, `disclosure new`'s optional
fields and attachments, a scaffold that cannot pass check unedited, and a department's own 责任清单 counts.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import pytest

from site_builder.commands import scaffold
from site_builder.commands.cli import main
from site_builder.plan.index import build_index
from site_builder.plan.pages import build_pages
from site_builder.plan.urls import Links
from site_builder.sources.problems import Problems
from site_builder.sources.records import read_record
from site_builder.sources.validate import load_project

from conftest import GOOD_RECORD

REL = "content/records/finance/zz-editor.md"

GOOD = GOOD_RECORD


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def read(tmp_path: Path, text: str, files: dict[str, bytes] | None = None):
    """(record or None, problems) for `text` as content/records/finance/zz-editor.md."""
    docs = tmp_path / "content"
    path = docs / "records/finance/zz-editor.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    for name, data in (files or {}).items():
        (path.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (path.parent / name).write_bytes(data)
    problems = Problems()
    rec = read_record(path, "records/finance/zz-editor.md", REL, docs, problems)
    return rec, problems


def tiny_pdf(text: str = "yunxi") -> bytes:
    """A small but real one-page PDF (readable by any PDF viewer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# --- full-width punctuation in YAML structure positions ------------------------------------------

# (id, front matter change, line, what the warning says, the corrected line it shows, field, value read)
ACCEPTED = [
    ("key-colon", ("title: ", "title："), 2, "字段名后用了中文冒号“：”", "title: 云溪县财政局测试记录",
     "title", "云溪县财政局测试记录"),
    ("key-colon-later-line", ("department: finance", "department：finance"), 5, "中文冒号", "department: finance",
     "department", "finance"),
    ("flow-list-comma", ("item: fiscal-general-budget", "item: fiscal-general-budget\ntags: [特困供养，社会救助]"), 8,
     "列表项之间的“，”", "tags: [特困供养, 社会救助]", "tags", ("特困供养", "社会救助")),
    ("flow-list-enumeration-comma", ("item: fiscal-general-budget", "item: fiscal-general-budget\ntags: [部门预算、三公经费]"),
     8, "列表项之间的“、”", "tags: [部门预算, 三公经费]", "tags", ("部门预算", "三公经费")),
    ("full-width-brackets", ("domains: [fiscal]", "domains: ［fiscal］"), 6, "全角括号“［”", "domains: [fiscal]",
     "domains", ("fiscal",)),
    ("lenticular-brackets-and-colon", ("domains: [fiscal]", "domains：【fiscal】"), 6, "全角括号“【”",
     "domains: [fiscal]", "domains", ("fiscal",)),
    ("word-list-without-brackets", ("item: fiscal-general-budget", "item: fiscal-general-budget\ntags: 特困供养，社会救助"),
     8, "tags 的多个值用了“，”或“、”分隔", "tags: [特困供养, 社会救助]", "tags", ("特困供养", "社会救助")),
    ("no-space-after-colon", ("date: 2024-01-02", "date:2024-01-02"), 4, "冒号后缺少空格", "date: 2024-01-02",
     "date_text", "2024-01-02"),
    ("full-width-space-after-colon", ("title: ", "title:\u3000"), 2, "冒号后用了全角空格", "title: 云溪县财政局测试记录",
     "title", "云溪县财政局测试记录"),
    ("dash-without-space", ("item: fiscal-general-budget", "item: fiscal-general-budget\ntags:\n  -部门预算\n  -三公经费"),
     9, "列表项的“-”后缺少空格", "  - 部门预算", "tags", ("部门预算", "三公经费")),
]


@pytest.mark.parametrize("change, line, what, corrected, field, value",
                         [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_full_width_structure_is_read_with_a_warning_showing_the_corrected_line(tmp_path, change, line, what,
                                                                                 corrected, field, value):
    rec, problems = read(tmp_path, replace(*change))
    assert problems.errors == []
    warned = [p for p in problems.warnings if p.line == line and what in p.message]
    assert warned, [p.format() for p in problems.items]
    assert "已按半角读取" in warned[0].message and f"请改为：\n      {corrected}" in warned[0].hint
    assert rec is not None and not rec.broken and getattr(rec, field) == value


def test_attachment_typed_full_width_is_read(tmp_path):
    text = replace("item: fiscal-general-budget", "item: fiscal-general-budget\nattachments:\n"
                   "  － {title: 预算表, path: files/budget.pdf}\n"
                   "  - ｛title：决算表，path：files/final.pdf｝")
    rec, problems = read(tmp_path, text, {"files/budget.pdf": tiny_pdf(), "files/final.pdf": tiny_pdf("final")})
    assert problems.errors == []
    by_line = {p.line: p for p in problems.warnings}
    assert "列表项开头的“－”" in by_line[9].message and "  - {title: 预算表, path: files/budget.pdf}" in by_line[9].hint
    assert "全角括号“｛”" in by_line[10].message and "两个字段之间的中文逗号“，”" in by_line[10].message
    assert "  - {title: 决算表, path: files/final.pdf}" in by_line[10].hint
    assert [(a.title, a.path) for a in rec.attachments] == [("预算表", "records/finance/files/budget.pdf"),
                                                            ("决算表", "records/finance/files/final.pdf")]


@pytest.mark.parametrize("lead, kind", [("\u3000", "全角空格"), ("\t", "制表符（Tab）")], ids=["full-width-space", "tab"])
def test_indentation_typed_with_full_width_spaces_or_tabs_is_rejected_with_a_suggested_line(tmp_path, lead, kind):
    rec, problems = read(tmp_path, replace("date: 2024-01-02", lead + "date: 2024-01-02"))
    errors = [p for p in problems.errors if p.line == 4]
    assert errors and f"行首缩进用了{kind}" in errors[0].message
    assert "可能应改为" in errors[0].hint and "\n      date: 2024-01-02" in errors[0].hint
    assert rec is not None and rec.broken  # the rest is still checked, but never published as guessed


@pytest.mark.parametrize("title", ["关于调整办公时间：上午9时至12时的通知", '"关于：x"', "【通知】关于，某事、另一事",
                                   "'关于 [2024] 的说明'"])
def test_full_width_punctuation_inside_values_stays(tmp_path, title):
    rec, problems = read(tmp_path, replace("title: 云溪县财政局测试记录", f"title: {title}")
                         .replace("---\n正文", "summary: 时间：上午，地点：会议室\n---\n正文"))
    assert problems.items == []
    assert rec.title == title.strip("'\"") and rec.summary == "时间：上午，地点：会议室"


def test_a_full_width_record_checks_and_builds(project, tmp_path, capsys):
    path = project / REL
    path.write_text(replace("item: fiscal-general-budget", "item：fiscal-general-budget\ntags: [特困供养，社会救助]"),
                    encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {(w["file"], w["line"]) for w in data["warnings"]} == {(REL, 7), (REL, 8)}
    site = tmp_path / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]) == 0
    capsys.readouterr()
    records = json.loads((site / "data/records.json").read_text(encoding="utf-8"))
    mine = next(r for r in records if r["index_no"] == "011320503/2024-09999")
    assert mine["item"] == "fiscal-general-budget" and mine["tags"] == ["特困供养", "社会救助"]


# --- YAML's errors, in Chinese, on the line to change ---------------------------------------------

# (id, front matter change, line to change, message fragment, hint fragment)
YAML_ERRORS = [
    ("unquoted-colon-in-title", ("title: 云溪县财政局测试记录", "title: 通知: 云溪县财政局测试记录"), 2,
     "值中含有“冒号+空格”", 'title: "通知: 云溪县财政局测试记录"'),
    ("colon-inside-chinese-quotes", ("title: 云溪县财政局测试记录", "title: “通知: 测试”"), 2,
     "中文引号“”不起引号的作用", 'title: "通知: 测试"'),
    ("bad-indentation", ("date: 2024-01-02", "  date: 2024-01-02"), 4, "这一行的缩进不对：比上一行的 index_no 多缩进了 2 格",
     "请改为：\n      date: 2024-01-02"),
    ("missing-colon", ("date: 2024-01-02", "date 2024-01-02"), 4, "这一行不是“字段名: 值”的形式", "例如"),
    ("duplicate-key", ("item: fiscal-general-budget", "item: fiscal-general-budget\ntitle: 又一个标题"), 8,
     "字段 title 写了两次（第 2 行已有）", "只能写一次"),
    ("unclosed-quote", ("title: 云溪县财政局测试记录", 'title: "云溪县财政局测试记录'), 2, "引号没有闭合", 'title: "关于……的通知"'),
    ("unclosed-bracket", ("domains: [fiscal]", "domains: [fiscal\nitem2: x"), 6, "方括号“[”没有闭合（到第 7 行仍未找到“]”）",
     "tags: [部门预算, 三公经费]"),
    ("unclosed-brace", ("item: fiscal-general-budget", "item: fiscal-general-budget\nattachments:\n"
                        "  - {title: 预算表, path: files/a.pdf\nwritten: 2024-01-01"), 9, "花括号“{”没有闭合",
     "- {title: 预算表, path: files/budget.pdf}"),
    ("backslash-in-double-quotes", ("item: fiscal-general-budget", 'item: fiscal-general-budget\nsummary: "见 D:\\预算"'),
     8, "双引号中的反斜杠", "summary: '见 D:\\预算'"),
    ("value-starting-with-star", ("title: 云溪县财政局测试记录", "title: *重要*通知"), 2, "值以“*”或“&”开头",
     'title: "*重要*通知"'),
    ("value-starting-with-at", ("title: 云溪县财政局测试记录", "title: @全体 通知"), 2, "值不能以“@”开头", 'title: "@全体 通知"'),
    ("value-starting-with-bracket", ("title: 云溪县财政局测试记录", "title: [通知] 测试"), 2, "值以“[”开头，YAML 会把它当成列表",
     'title: "[通知] 测试"'),
    ("value-starting-with-dash", ("title: 云溪县财政局测试记录", "title: - 测试"), 2, "值不能以“-”开头", 'title: "- 测试"'),
    ("text-after-closing-quote", ("title: 云溪县财政局测试记录", 'title: "双随机" 抽查结果'), 2, "右引号后面不能再有文字",
     "title: '\"双随机\" 抽查结果'"),
    ("list-item-without-list-field", ("item: fiscal-general-budget", "item: fiscal-general-budget\n- 部门预算"), 8,
     "这里出现了列表项“- ”", "tags:\n        - 部门预算"),
    ("text-after-block-indicator", ("item: fiscal-general-budget", "item: fiscal-general-budget\nsummary: | 第一段"), 8,
     "“|”或“>”后面不能直接写文字", "summary: |"),
    # a control character never reaches YAML: plausible.py reports it on its line first (test_input_limits.py)
]


@pytest.mark.parametrize("change, line, message, hint", [c[1:] for c in YAML_ERRORS], ids=[c[0] for c in YAML_ERRORS])
def test_yaml_errors_are_explained_in_chinese_on_the_line_to_change(tmp_path, change, line, message, hint):
    rec, problems = read(tmp_path, replace(*change))
    assert rec is None or rec.broken
    errors = [p for p in problems.errors if p.line == line and message in p.message]
    assert errors, [p.format() for p in problems.items]
    p = errors[0]
    # Chinese first: PyYAML's English only as a reference at the end of the hint
    assert re.match(r"^元数据 YAML 格式错误：[\u4e00-\u9fff“]", p.message)
    assert "mapping values" not in p.message and "could not find" not in p.message
    assert hint in p.hint, p.hint


def test_catalogue_yaml_gets_the_same_help(project, capsys):
    deps = project / "catalogue/departments.yml"
    text = deps.read_text(encoding="utf-8")
    broken = text.replace("- id: finance\n  name: ", "- id：finance\n  name：", 1)
    assert broken != text
    deps.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("- id：finance") + 1
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert {(w["file"], w["line"]) for w in warnings} == {("catalogue/departments.yml", line),
                                                         ("catalogue/departments.yml", line + 1)}
    assert all("中文冒号" in w["message"] for w in warnings)


# --- “您是不是要写…” ---------------------------------------------------------------------------------

@pytest.mark.parametrize("change, line, message, suggestion", [
    (("department: finance", "department: 财政局"), 5, "发布机构“财政局”不存在", "您是不是要写 finance（云溪县财政局）？"),
    (("department: finance", "department: 云溪县财政局"), 5, "发布机构“云溪县财政局”不存在", "您是不是要写 finance（云溪县财政局）？"),
    (("department: finance", "department: financ"), 5, "发布机构“financ”不存在", "您是不是要写 finance（云溪县财政局）？"),
    (("domains: [fiscal]", "domains: [fiscl]"), 6, "重点领域“fiscl”不存在", "您是不是要写 fiscal（财政预决算）？"),
    (("domains: [fiscal]", "domains: [财政预决算]"), 6, "重点领域“财政预决算”不存在", "您是不是要写 fiscal（财政预决算）？"),
    (("item: fiscal-general-budget", "item: 本级政府预算"), 7, "公开事项“本级政府预算”不存在",
     "您是不是要写 fiscal-general-budget（本级政府预算及预算管理制度）"),
], ids=["dept-chinese-short", "dept-chinese-full", "dept-typo", "domain-typo", "domain-chinese", "item-chinese"])
def test_unknown_ids_get_the_closest_ids_with_their_chinese_names(project, capsys, change, line, message, suggestion):
    (project / REL).write_text(replace(*change), encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    hit = [e for e in errors if e["file"] == REL and e["line"] == line and e["message"] == message]
    assert hit and hit[0]["hint"].startswith(suggestion), errors


def test_interprets_suggests_the_nearest_index_no_with_its_title(project, capsys):
    policy = project / "content/records/finance/2024-general-budget.md"
    index_no = re.search(r"^index_no: (\S+)", policy.read_text(encoding="utf-8"), re.M).group(1)
    title = re.search(r"^title: (.+)$", policy.read_text(encoding="utf-8"), re.M).group(1)
    typo = index_no[:-1] + ("0" if index_no[-1] != "0" else "9")
    (project / REL).write_text(replace("item: fiscal-general-budget", f"item: fiscal-general-budget\ninterprets: {typo}"),
                               encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    hit = [e for e in errors if e["file"] == REL and e["line"] == 8]
    assert hit and f"{index_no}（{title}）" in hit[0]["hint"]


def test_unknown_fields_and_catalogue_references_get_suggestions(project, tmp_path, capsys):
    _, problems = read(tmp_path, replace("title: 云溪县财政局测试记录", "标题: 云溪县财政局测试记录"))
    assert any(p.message == "未知字段“标题”将被忽略" and p.hint.startswith("您是不是要写 title（标题）？")
               for p in problems.warnings)
    items = project / "catalogue/items.yml"
    items.write_text(items.read_text(encoding="utf-8").replace("departments: [finance", "departments: [财政局", 1),
                     encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert any(e["file"] == "catalogue/items.yml" and e["message"] == "公开主体“财政局”不存在"
               and e["hint"].startswith("您是不是要写 finance（云溪县财政局）？") for e in errors)


def test_new_suggests_the_department_for_a_chinese_name(project, capsys):
    assert main(["new", "-f", str(project / "mkdocs.yml"), "--department", "教育局", "--title", "x"]) == 2
    err = capsys.readouterr().err
    assert "发布机构“教育局”不存在。\n您是不是要写 education（云溪县教育局）？" in err


# --- the 索引号's year ---------------------------------------------------------------------------

def test_index_no_year_other_than_the_publication_year_is_a_warning(tmp_path):
    rec, problems = read(tmp_path, replace("date: 2024-01-02", "date: 2026-01-02"))
    assert problems.errors == [] and rec is not None
    hit = [p for p in problems.warnings if p.line == 3]
    assert hit and hit[0].message == "索引号中的年份 2024 与发布日期的年份 2026 不一致"
    assert "第 4 行" in hit[0].hint
    _, problems = read(tmp_path, GOOD)
    assert problems.items == []


# --- disclosure new: every optional field, attachments, and a scaffold that does not pass check ----

def run_new(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["new", "-f", str(project / "mkdocs.yml"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def created(out: str) -> Path:
    path = Path(re.search(r"已创建：(.+)", out).group(1).strip())
    return path if path.is_absolute() else Path.cwd() / path


BASE = ["--department", "finance", "--item", "fiscal-dept-budget", "--title", "云溪县财政局2026年部门预算公开",
        "--date", "2026-03-01"]


def test_new_takes_every_optional_field_and_copies_the_attachment(project, tmp_path, capsys):
    pdf = tmp_path / "下载" / "2026年部门预算表.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(tiny_pdf("budget 2026"))
    code, out, err = run_new(project, capsys, *BASE, "--doc-no", "云财预〔2026〕5号", "--genre", "通知",
                             "--summary", "公开云溪县财政局2026年部门预算：收支总表、\n三公经费。", "--validity", "有效",
                             "--doc-type", "其他政策文件", "--attach", str(pdf))
    assert code == 0, err
    path = created(out)
    copy = path.parent / "files" / pdf.name
    assert copy.read_bytes() == pdf.read_bytes() and zlib.crc32(copy.read_bytes())
    assert f"附件已复制：{copy.relative_to(Path.cwd()) if copy.is_relative_to(Path.cwd()) else copy}" in out
    text = path.read_text(encoding="utf-8")
    assert "\ndoc_no: 云财预〔2026〕5号\n" in text and "\ndoc_type: 其他政策文件\n" in text
    assert "\nattachments:\n  - {title: 2026年部门预算表, path: files/2026年部门预算表.pdf}\n" in text
    assert "\n# doc_no:" not in text and "\n# attachments:" not in text  # given fields are not repeated as examples

    problems = Problems()
    rec = read_record(path, path.relative_to(project / "content").as_posix(), "x", project / "content", problems)
    assert problems.items == []
    assert (rec.doc_no, rec.genre, rec.summary, rec.validity) == (
        "云财预〔2026〕5号", "通知", "公开云溪县财政局2026年部门预算：收支总表、 三公经费。", "有效")
    assert [(a.title, a.path, a.size, a.mime) for a in rec.attachments] == [
        ("2026年部门预算表", f"records/finance/files/{pdf.name}", pdf.stat().st_size, "application/pdf")]

    # the same name with other contents is never replaced
    other = tmp_path / "别处" / pdf.name
    other.parent.mkdir()
    other.write_bytes(tiny_pdf("another"))
    code, out, _ = run_new(project, capsys, *BASE, "--attach", str(other))
    assert code == 0 and (path.parent / "files" / "2026年部门预算表-2.pdf").read_bytes() == other.read_bytes()
    assert copy.read_bytes() == pdf.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--validity", "有"], "--validity“有”无法识别：只能是 有效、失效、废止"),
    (["--doc-type", "规范性文件"], "您是不是要写 行政规范性文件？"),
    (["--doc-no", "云财预[2026]5号"], "您是不是要写 --doc-no 云财预〔2026〕5号"),
    (["--doc-no", "云财预（2026）5号"], "您是不是要写 --doc-no 云财预〔2026〕5号"),
    (["--genre", "  "], "--genre 不能为空"),
    (["--genre", "关" * 21], "不超过 20 个字"),
    (["--attach", "/nonexistent/预算表.pdf"], "--attach：找不到文件“/nonexistent/预算表.pdf”"),
], ids=["validity", "doc-type", "doc-no-brackets", "doc-no-parentheses", "empty-genre", "long-genre", "no-file"])
def test_new_refuses_bad_optional_fields_and_writes_nothing(project, capsys, args, message):
    before = sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*"))
    code, out, err = run_new(project, capsys, *BASE, *args)
    assert code == 2 and message in err and out == ""
    assert sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*")) == before


def test_new_refuses_a_markdown_attachment(project, tmp_path, capsys):
    md = tmp_path / "正文.md"
    md.write_text("# x\n", encoding="utf-8")
    code, _, err = run_new(project, capsys, *BASE, "--attach", str(md))
    assert code == 2 and "是 Markdown 文件" in err


def test_an_unedited_scaffold_fails_check_and_passes_once_written(project, capsys):
    code, out, _ = run_new(project, capsys, *BASE, "--attach", str(Path(__file__)))  # even with an attachment
    assert code == 0
    path = created(out)
    rel = f"content/{path.relative_to(project / 'content').as_posix()}"
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(t for t in path.read_text(encoding="utf-8").splitlines() if t.startswith(scaffold.PLACEHOLDER))) + 1
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    check = capsys.readouterr().out
    assert f"{rel}:{line}: 错误: 正文还是 disclosure new 生成的占位文字，尚未撰写" in check

    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index(scaffold.PLACEHOLDER)] + "云溪县财政局2026年部门预算见附件。\n", encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0, capsys.readouterr().out


# --- the department page's 责任清单 ---------------------------------------------------------------

def test_duties_count_only_the_departments_own_records():
    root = Path(__file__).resolve().parent.parent
    project = load_project(root / "content", root / "catalogue", root=root)
    idx = build_index(project.catalogue, project.records)
    specs = {s.src_uri: s for s in build_pages(idx, Links())}
    others = {r.department for r in idx.by_item["fiscal-dept-budget"]}
    assert {"finance", "education"} <= others  # the item has records of several departments

    def duty(dep: str) -> dict:
        for _, items in specs[f"departments/{dep}.md"].context["duties"]:
            for item, summary in items:
                if item.id == "fiscal-dept-budget":
                    return summary
        raise AssertionError(dep)

    for dep in ("finance", "education", "hrss"):
        own = [r for r in idx.by_item["fiscal-dept-budget"] if r.department == dep]
        s = duty(dep)
        assert s["count"] == len(own) and s["last"] == (own[0] if own else None)
    assert duty("hrss")["count"] == 0


def test_department_page_shows_its_own_count(sample_site):
    html = (sample_site / "departments/hrss.html").read_text(encoding="utf-8")
    line = re.search(r"部门预算与“三公”经费预算</a>：[^<]*；本机构已公开 (\d+) 条[^<]*<span class=\"dx-missing\">尚未公开", html)
    assert line and line.group(1) == "0"
    html = (sample_site / "departments/finance.html").read_text(encoding="utf-8")
    assert re.search(r"部门预算与“三公”经费预算</a>：[^<]*；本机构已公开 1 条，最近 \d{4}-\d\d-\d\d", html)


def test_a_whole_file_problem_and_a_line_problem_of_one_file_are_listed_together(tmp_path, capsys, caplog):
    """A symlink out of the project is refused for the whole file (no line), and the same file, read as a
    record, has no front matter (line 1): the build lists both, the whole-file one first, instead of
    stopping on comparing a missing line with a number."""
    import os

    from conftest import copy_project
    from site_builder.commands.cli import main

    project = copy_project(tmp_path / "project")
    os.symlink("/etc/passwd", project / "content" / "records" / "passwd.md")
    from site_builder.sources.problems import Problems
    problems = Problems()
    problems.error("content/records/passwd.md", 1, "缺少开头的元数据（front matter）")
    problems.error("content/records/passwd.md", None, "符号链接指向项目文件夹以外")
    assert [p.line for p in problems.errors] == [None, 1]
    assert main(["build", "-f", str(project / "mkdocs.yml")]) != 0
    assert not (project / "site").exists()
    said = capsys.readouterr().err + caplog.text
    assert "符号链接指向项目文件夹以外" in said and "TypeError" not in said
