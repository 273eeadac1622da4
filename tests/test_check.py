"""`disclosure check` and the build on deliberately broken content (issue 2 §2, issue 6 §2).

For every kind of bad input: the message names the file, the line and the problem and gives a hint;
`check` exits non-zero (text and JSON); the build fails and leaves the previous site/ as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from site_builder.commands.cli import main

from conftest import GOOD_RECORD

REL = "content/records/finance/zz-broken.md"

GOOD = GOOD_RECORD


def replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


# (id, file content (str or bytes), line, message fragment)
CASES = [
    # the line of the unclosed “[” (issue 19: the line the editor has to change, not where YAML gave up)
    ("malformed-yaml", replace("domains: [fiscal]", "domains: [fiscal\nitem2: x"), 6,
     "元数据 YAML 格式错误：方括号“[”没有闭合"),
    ("missing-required-field", replace("date: 2024-01-02\n", ""), 2, "缺少必填字段 date"),
    ("unknown-domain", replace("domains: [fiscal]", "domains: [fiscal, nope]"), 6, "重点领域“nope”不存在"),
    ("unknown-department", replace("department: finance", "department: nope"), 5, "发布机构“nope”不存在"),
    ("unknown-item", replace("item: fiscal-general-budget", "item: nope"), 7, "公开事项“nope”不存在"),
    ("department-not-responsible", replace("domains: [fiscal]", "domains: [education]").replace(
        "item: fiscal-general-budget\n", ""), 6, "发布机构“云溪县财政局”的责任清单中没有领域“义务教育”（education）"),
    ("duplicate-index-no", replace("011320503/2024-09999", "{existing}"), 3, "重复，已被 content/records/"),
    ("impossible-date", replace("date: 2024-01-02", "date: 2024-02-30"), 4, "发布日期无效：“2024-02-30”不是存在的日期"),
    # saved as GBK ("ANSI"): named as such, with `check --fix` to convert it (test_check_fix_saves_gbk_…)
    ("gbk", GOOD.replace("正文第一段。", "正文：预算表").encode("gbk"), 2, "文件是 GBK（GB2312）编码，不是 UTF-8"),
    # bytes that are no text --fix can be sure of (Latin-1 here): saved again by the editor
    ("non-utf8", GOOD.encode("utf-8").replace("正文第一段。".encode(), "Caf\xe9".encode("latin-1")), 9,
     "文件不是 UTF-8 编码"),
    # Windows Notepad's "Unicode" (UTF-16 with a byte order mark): named, with where to choose UTF-8
    ("utf-16", GOOD.encode("utf-16"), 1, "文件是 UTF-16 编码（Windows 记事本中叫“Unicode”）"),
    ("front-matter-not-mapping", "---\n- 标题\n- 索引号\n---\n正文。\n", 2, "元数据应是“键: 值”的映射"),
    ("no-front-matter", "标题：云溪县财政局测试记录\n\n正文。\n", 1, "缺少开头的元数据（front matter）"),
    # the closing line forgotten: told as such, at the line the body starts on (not "missing" at line 1)
    ("front-matter-not-closed", replace("item: fiscal-general-budget\n---\n", "item: fiscal-general-budget\n\n"), 9,
     "元数据没有结束：开头的 --- 之后找不到结束元数据的另一行 ---"),
    ("interprets-nowhere", replace("item: fiscal-general-budget", "item: fiscal-general-budget\n"
                                   "interprets: 011320503/2024-77777"), 8,
     "interprets 指向的索引号“011320503/2024-77777”不存在"),
    ("attachment-nowhere", replace("item: fiscal-general-budget", "item: fiscal-general-budget\nattachments:\n"
                                   "  - {title: 预算表, path: files/nope.pdf}"), 9, "附件“files/nope.pdf”不存在"),
    ("not-a-list", replace("domains: [fiscal]", "domains: {a: b}"), 6, "字段 domains 应是文字列表"),
    ("text-field-given-a-list", replace("title: 云溪县财政局测试记录", "title: [云溪县, 财政局]"), 2,
     "字段 title 应是一段文字"),
    ("attachment-entry-malformed", replace("item: fiscal-general-budget", "item: fiscal-general-budget\n"
                                           "attachments:\n  - files/budget.pdf"), 9, "每个附件应写成"),
    ("privacy", replace("正文第一段。", "经办人手机 13912345678。"), 9, "疑似手机号码“139****5678”"),
]


def write_case(project: Path, content) -> Path:
    path = project / REL
    if isinstance(content, str) and "{existing}" in content:
        existing = next((project / "content/records/finance").glob("*.md"))
        index_no = next(line.split(":", 1)[1].strip() for line in existing.read_text(encoding="utf-8").splitlines()
                        if line.startswith("index_no:"))
        content = content.replace("{existing}", index_no)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def old_site(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A previous site: its files' hashes are compared after the failed build."""
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text("<h1>上一次成功生成的网站</h1>", encoding="utf-8")
    (site / "data" / "records.json").write_text("[]\n", encoding="utf-8")
    return site, snapshot(site)


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site."))


@pytest.mark.parametrize("name, content, line, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_file_line_and_hint(project, tmp_path, capsys, name, content, line, fragment):
    write_case(project, content)
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    where = f"{REL}:{line}: 错误: "
    hits = [i for i, text in enumerate(lines) if text.startswith(where) and fragment in text]
    assert hits, f"expected {where}…{fragment} in:\n{out}"
    assert lines[hits[0] + 1].startswith("    → "), "every error comes with a hint"
    assert "个错误" in lines[-1] and "请按提示修改后再提交" in lines[-1]

    assert main(["check", "-f", config, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    match = [e for e in data["errors"] if e["file"] == REL and e["line"] == line and fragment in e["message"]]
    assert match and match[0]["hint"] and match[0]["level"] == "error"

    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err
    assert f"{REL}:{line}: 错误: " in err and fragment in err
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []


def test_check_fix_saves_gbk_and_utf16_files_as_utf8_and_leaves_big5_to_the_editor(project, capsys):
    """Editors on Windows save as GBK ("ANSI") or as Notepad's "Unicode" (UTF-16). `check --fix` saves such a
    record, page or catalogue file again as UTF-8, with the same text and line endings; bytes it cannot be
    sure of (Traditional Chinese saved as Big5 also decode as GBK, into other characters) stay as they are
    and `check` still asks the editor to save them as UTF-8."""
    record = project / "content/records/finance/zz-gbk.md"
    text = GOOD.replace("011320503/2024-09999", "011320503/2024-09998").replace("\n", "\r\n")
    record.write_bytes(text.encode("gbk"))
    page = project / "content/guide.md"
    page_text = page.read_text(encoding="utf-8")
    page.write_bytes(page_text.encode("utf-16"))
    departments = project / "catalogue/departments.yml"
    departments_text = departments.read_text(encoding="utf-8")
    departments.write_bytes(departments_text.encode("utf-16"))
    big5 = project / "content/records/finance/zz-big5.md"
    big5_bytes = GOOD.replace("011320503/2024-09999", "011320503/2024-09997").replace(
        "正文第一段。", "臺灣地區的資訊公開，聯絡電話請見網站。").encode("big5", errors="replace")
    big5.write_bytes(big5_bytes)
    # a file outside the project, linked in: neither read nor written (the link itself is an error)
    outside = project.parent / "outside.md"
    outside_bytes = "---\ntitle: 项目外的文件\n---\n正文。\n".encode("gbk")
    outside.write_bytes(outside_bytes)
    (project / "content/linked.md").symlink_to(outside)
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config, "--fix"]) == 1  # the Big5 file and the link are still errors
    out = capsys.readouterr().out
    assert "content/records/finance/zz-gbk.md: 已从 GBK 编码转换为 UTF-8（内容不变）" in out
    assert "content/guide.md: 已从 UTF-16 编码转换为 UTF-8（内容不变）" in out
    assert "catalogue/departments.yml: 已从 UTF-16 编码转换为 UTF-8（内容不变）" in out
    assert "共转换 3 个文件" in out
    assert "content/records/finance/zz-big5.md:" in out and "文件不是 UTF-8 编码" in out
    assert record.read_bytes() == text.encode("utf-8")  # the same text, CRLF kept
    assert page.read_bytes() == page_text.encode("utf-8")
    assert departments.read_bytes() == departments_text.encode("utf-8")
    assert big5.read_bytes() == big5_bytes
    assert outside.read_bytes() == outside_bytes and "linked.md: 已从" not in out

    big5.unlink()
    (project / "content/linked.md").unlink()
    assert main(["check", "-f", config, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == []


def test_a_page_or_annual_report_saved_as_gbk_is_named_by_check_and_the_build_says_it_in_chinese(
        project, tmp_path, capsys):
    """An ordinary page saved as GBK passed `check` (its reader skipped what it could not decode) and the
    build ended in MkDocs' English "UnicodeDecodeError"; an annual report saved so was "无法读取文件".
    Both are now the error records get, with the line and `check --fix`; the build lists it and ends by
    pointing at the list, not at MkDocs' "Aborted with a BuildError!"."""
    page = project / "content/guide.md"
    page.write_bytes(page.read_text(encoding="utf-8").encode("gbk"))
    report = sorted((project / "content/annual-reports").glob("*.yml"))[0]
    report.write_bytes(report.read_text(encoding="utf-8").encode("gbk"))
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    errors = {(e["file"], e["message"]) for e in json.loads(capsys.readouterr().out)["errors"]}
    assert ("content/guide.md", "文件是 GBK（GB2312）编码，不是 UTF-8") in errors
    assert (f"content/annual-reports/{report.name}", "文件是 GBK（GB2312）编码，不是 UTF-8") in errors
    assert main(["build", "-f", config, "-d", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "content/guide.md:" in err and "文件是 GBK（GB2312）编码" in err and "check --fix" in err
    assert err.rstrip().endswith("原因见上面列出的错误（see the errors above）")
    assert "UnicodeDecodeError" not in err and "Aborted with" not in err
    assert not (tmp_path / "site").exists()
    assert main(["check", "-f", config, "--fix"]) == 0


def test_a_readme_record_beside_an_index_record_is_an_error_not_a_crash(project, tmp_path, capsys):
    """MkDocs makes README.md its folder's index page and leaves it out when index.md is there: two records
    for one page. `check` names the file and what to do, and `build` stops with the site untouched (it
    failed with “'NoneType' object has no attribute 'page'”)."""
    folder = project / "content/records/finance"
    (folder / "index.md").write_text(GOOD.replace("2024-09999", "2024-09998"), encoding="utf-8")
    (folder / "README.md").write_text(GOOD.replace("2024-09999", "2024-09997"), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    assert ("content/records/finance/README.md:1: 错误: 与 content/records/finance/index.md 对应同一个网页"
            "（records/finance/index.html），无法同时发布") in out
    assert "index.md:1: 错误" not in out
    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err and "README.md:1: 错误" in err and "NoneType" not in err
    assert snapshot(site) == before


def test_two_files_for_one_page_with_directory_urls_are_an_error(project, tmp_path, capsys):
    """With directory URLs, foo.md and foo/index.md are both foo/index.html: MkDocs writes one over the
    other and a record vanished without a word. `check` and `build` now name both files and the page, for
    records and ordinary pages; without directory URLs the same files are two pages, and publish."""
    folder = project / "content/records/finance"
    (folder / "twin.md").write_text(GOOD.replace("2024-09999", "2024-09998"), encoding="utf-8")
    (folder / "twin").mkdir()
    (folder / "twin/index.md").write_text(GOOD.replace("2024-09999", "2024-09997"), encoding="utf-8")
    (project / "content/guide.md").write_text("# 办事指南\n\n正文。\n", encoding="utf-8")
    (project / "content/guide").mkdir()
    (project / "content/guide/README.md").write_text("# 办事指南二\n\n正文。\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    assert "use_directory_urls: false" in plain
    config.write_text(plain.replace("use_directory_urls: false", "use_directory_urls: true"), encoding="utf-8")

    assert main(["check", "-f", str(config)]) == 1
    out = capsys.readouterr().out
    assert ("content/records/finance/twin.md:1: 错误: 与 content/records/finance/twin/index.md 对应同一个网页"
            "（records/finance/twin/index.html），无法同时发布") in out
    assert "content/guide.md:1: 错误: 与 content/guide/README.md 对应同一个网页（guide/index.html）" in out
    assert "twin/index.md:1: 错误" not in out and "README.md:1: 错误" not in out
    site, before = old_site(tmp_path)
    assert main(["build", "-f", str(config), "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err and "twin.md:1: 错误" in err and "guide.md:1: 错误" in err
    assert snapshot(site) == before

    config.write_text(plain, encoding="utf-8")
    (project / "content/guide/index.md").write_text("# 办事指南三\n\n正文。\n", encoding="utf-8")
    assert main(["check", "-f", str(config)]) == 0  # an ordinary README.md beside index.md: MkDocs' rule, a warning
    assert ("content/guide/README.md:1: 警告: 不会发布：与 content/guide/index.md 对应同一个网页（guide/index.html）"
            in capsys.readouterr().out)
    (project / "content/guide/index.md").unlink()
    assert main(["build", "-f", str(config), "-d", str(site)]) == 0
    capsys.readouterr()
    assert (site / "records/finance/twin.html").is_file() and (site / "records/finance/twin/index.html").is_file()
    assert (site / "guide.html").is_file() and (site / "guide/index.html").is_file()


@pytest.mark.parametrize("use_directory_urls", [False, True])
def test_one_page_for_two_is_mkdocs_rule(use_directory_urls):
    """one_page_for_two (set lookups) and sources_of agree with page_dest, the rule that
    tests/test_render.py checks against MkDocs, on names that share a page and names that do not."""
    from collections import defaultdict

    from site_builder.plan.urls import page_dest, sources_of
    from site_builder.sources.validate import one_page_for_two

    srcs = ["index.md", "README.md", "a.md", "a/index.md", "a/README.md", "a/b.md", "a/b/README.md",
            "c.md", "c/d.md", "e/index.md", "f.v2.md", "f.v2/index.md", "g/README.md", "g.md/index.md",
            "h/index.md", "h/i.md"]
    by_page = defaultdict(list)
    for src in srcs:
        by_page[page_dest(src, use_directory_urls)].append(src)
    shared = {src for group in by_page.values() if len(group) > 1 for src in group}
    found = one_page_for_two(srcs, use_directory_urls)
    for src, (other, page) in found.items():
        assert page_dest(src, use_directory_urls) == page_dest(other, use_directory_urls) == page
        assert src != other and src in shared
    for group in by_page.values():  # every group of two or more: all but one reported
        assert len([s for s in group if s in found]) == len(group) - 1
    for src in srcs:
        dest = page_dest(src, use_directory_urls)
        assert src in sources_of(dest, use_directory_urls)
        assert all(page_dest(s, use_directory_urls) == dest for s in sources_of(dest, use_directory_urls))


@pytest.mark.parametrize("use_directory_urls, name", [(False, "domains/README.md"), (False, "report.md"),
                                                      (True, "report/index.md"), (True, "domains/index.md"),
                                                      (False, "README.md")])
def test_a_page_where_a_generated_page_goes_stops_the_build(project, tmp_path, capsys, use_directory_urls, name):
    """An editor's page that MkDocs would write where a generated page goes (by its name, or as README or
    with directory URLs by where it lands) stops the build, named, with the old site untouched."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("use_directory_urls: false", f"use_directory_urls: {str(use_directory_urls).lower()}"),
                      encoding="utf-8")
    page = project / "content" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# 编辑写的页面\n\n正文。\n", encoding="utf-8")
    site, before = old_site(tmp_path)
    assert main(["build", "-f", str(config), "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"content/{name} 与自动生成的页面对应同一个网页" in err and "请改名或删除该文件" in err
    assert ("首页的导语请写在 index.md 中" in err) == (name == "README.md")  # the home page's, by its name
    assert snapshot(site) == before


def test_a_file_name_with_a_character_that_cuts_its_url_is_an_error(project, tmp_path, capsys):
    """A record's page is at its file's path, an attachment is downloaded from its path: a “#” there began
    a fragment, a “?” a query and a “%” an escape, so every link to them broke (the listing linked
    `2024-第1号#公告.html`, and the browser asked for `2024-第1号`). Both are errors naming the file
    (and the attachment's line); the site is untouched."""
    folder = project / "content/records/finance"
    name = "2024-第1号#公告?.md"
    (folder / name).write_text(GOOD.replace("2024-09999", "2024-09998"), encoding="utf-8")
    (folder / "files/增长5%.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    write_case(project, replace("item: fiscal-general-budget", "item: fiscal-general-budget\nattachments:\n"
                                "  - {title: 增长情况, path: files/增长5%.pdf}"))
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    assert (f"content/records/finance/{name}:1: 错误: 文件名或文件夹名中含有“#”“?”：网页地址会在这里断开，"
            "列表、订阅和搜索中指向它的链接打不开") in out
    assert f"{REL}:9: 错误: 附件路径“files/增长5%.pdf”中含有“%”：下载链接会在这里断开，读者下载不到" in out
    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    assert snapshot(site) == before


def test_a_record_name_too_long_for_its_page_file_is_an_error_not_a_crash(project, tmp_path, capsys):
    """84 汉字 make a record file of 255 bytes, which the file system allows, but its page's name
    (`.html`, two bytes more) it does not: the build failed with “[Errno 36] File name too long”."""
    name = "关于" * 42 + ".md"
    assert len(name.encode("utf-8")) == 255
    (project / "content/records/finance" / name).write_text(GOOD.replace("2024-09999", "2024-09998"),
                                                             encoding="utf-8")
    config = str(project / "mkdocs.yml")
    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"content/records/finance/{name}:1: 错误: 文件名过长：网页文件名 关于关于关于关于关于关于….html 超过" in err
    assert "Errno" not in err and snapshot(site) == before


def test_each_line_is_logged_once_when_main_runs_again_in_one_process(project, tmp_path, capsys):
    """Each `main()` added a handler to the host's logger: a second call in one process (the suite, a
    Python caller) wrote every line twice, or failed with “Logging error” on a closed stream."""
    write_case(project, replace("department: finance", "department: nope"))
    config = str(project / "mkdocs.yml")
    site, _ = old_site(tmp_path)
    for _ in range(2):
        assert main(["build", "-f", config, "-d", str(site)]) == 1
        err = capsys.readouterr().err
        assert err.count("内容检查发现 1 个错误") == 1 and "Logging error" not in err


def test_every_problem_is_reported_at_once(project, capsys):
    write_case(project, replace("item: fiscal-general-budget", "item: nope").replace("domains: [fiscal]",
                                                                                      "domains: [nope]"))
    other = project / "content/records/finance/zz-second.md"
    other.write_text(GOOD.replace("2024-09999", "2024-09998").replace("department: finance", "department: x"),
                     encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    errors = {(e["file"], e["line"]) for e in json.loads(capsys.readouterr().out)["errors"]}
    assert {(REL, 6), (REL, 7), ("content/records/finance/zz-second.md", 5)} <= errors


def test_catalogue_problems_name_the_catalogue_file(project, capsys):
    items = project / "catalogue" / "items.yml"
    text = items.read_text(encoding="utf-8")
    broken = text.replace("  domain: fiscal\n", "  domain: nope\n", 1)
    items.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("  domain: nope") + 1
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert f"catalogue/items.yml:{line}: 错误: " in out and "的领域“nope”不存在" in out


def test_warnings_pass_check_but_fail_strict(project, tmp_path, capsys):
    write_case(project, replace("item: fiscal-general-budget\n", ""))
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config]) == 0
    out = capsys.readouterr().out
    assert f"{REL}:2: 警告: 记录没有关联公开事项（item）" in out and "    → 加上“item: 公开事项 id”" in out
    assert main(["check", "-f", config, "--strict"]) == 1
    capsys.readouterr()

    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site), "--strict"]) == 1
    assert "记录没有关联公开事项" in capsys.readouterr().err
    assert snapshot(site) == before and leftovers(tmp_path) == []


def test_sample_content_checks_clean(capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--strict"]) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().out


# --- the pre-commit hook ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def readme_precommit_config() -> str:
    """The `.pre-commit-config.yaml` example documented in README (the local-hook one)."""
    import textwrap

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.rindex("\n", 0, text.index("# .pre-commit-config.yaml")) + 1
    end = text.index("```", start)
    return textwrap.dedent(text[start:end])


def test_pre_commit_manifest_is_valid():
    import subprocess
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "disclosure-check")
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("disclosure check", "python", False)
    run = subprocess.run(["pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_pre_commit_runs_the_check_from_the_documented_config(project, tmp_path):
    import os
    import subprocess

    (project / ".pre-commit-config.yaml").write_text(readme_precommit_config(), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    run = subprocess.run(["pre-commit", "run", "--all-files"], cwd=project, capture_output=True, text=True,
                         env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout

    write_case(project, replace("department: finance", "department: nope"))
    git("add", "-A")
    run = subprocess.run(["pre-commit", "run", "--all-files"], cwd=project, capture_output=True, text=True,
                         env=env)
    assert run.returncode != 0
    assert f"{REL}:5: 错误: 发布机构“nope”不存在" in run.stdout
