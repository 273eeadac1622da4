"""Bad input cannot exhaust the machine, and only plausible records are published (issue 13 §4, §5).

Real files in a copy of the sample project, checked by `disclosure check` (in a child process with a
memory limit where an attack could blow up) and built by real MkDocs builds with a pinned build day.
"""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from site_builder.commands.cli import build_site, main
from site_builder.sources.dates import parse_date
from site_builder.sources.problems import MESSAGE_CHARS, HINT_CHARS, Problems
from site_builder.sources.validate import load_project

from conftest import GOOD_RECORD, ROOT

RECORDS = Path("content/records")
REL = "content/records/finance/zz-test.md"

GOOD = GOOD_RECORD


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new)


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": 9 ** 9 = 387,420,489 copies of x from eleven short lines."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def check_json(project: Path, *extra: str, memory_mb: int = 1024, timeout: int = 60) -> tuple[dict, float]:
    """`disclosure check --format json` in a child process that may use at most `memory_mb` of address
    space: (its JSON, seconds it took)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "site_builder.cli", "check", "-f", str(project / "mkdocs.yml"),
                          "--format", "json", *extra], capture_output=True, timeout=timeout, preexec_fn=limit,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    took = time.monotonic() - started
    assert run.returncode in (0, 1), run.stderr.decode(errors="replace")[-2000:]
    assert len(run.stdout) < 200_000, f"check printed {len(run.stdout)} bytes"
    return json.loads(run.stdout), took


def messages(result: dict, file: str) -> list[dict]:
    return [p for p in result["errors"] + result["warnings"] if p["file"] == file]


def assert_bounded(result: dict) -> None:
    for p in result["errors"] + result["warnings"]:
        assert len(p["message"]) <= MESSAGE_CHARS and len(p["hint"]) <= HINT_CHARS, p["message"][:200]


def write(project: Path, rel: str, text: str | bytes) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- §4: YAML aliases, message length, sizes ------------------------------------------------------


@pytest.mark.parametrize("where", ["key", "value"])
def test_alias_bomb_in_a_record_is_refused_without_expanding(project, where):
    bomb = alias_bomb()
    use = "? *l8\n: 1\n" if where == "key" else "tags: *l8\n"
    text = replace("item: fiscal-general-budget\n", "item: fiscal-general-budget\n" + bomb + use)
    write(project, REL, text)
    result, took = check_json(project)
    assert took < 20  # expanding it would take minutes and tens of GB (the child may use 1 GB)
    assert_bounded(result)
    found = messages(result, REL)
    assert [(p["line"], p["level"]) for p in found] == [(8, "error")], found
    assert "不支持 YAML 的锚点（&名称）和别名（*名称）" in found[0]["message"]
    assert len(json.dumps(result, ensure_ascii=False)) < 100_000


def test_alias_bomb_in_the_catalogue_is_refused(project):
    items = project / "catalogue/items.yml"
    text = items.read_text(encoding="utf-8")
    bomb = "\n".join("  " + line for line in alias_bomb().splitlines())
    # a new entry whose `name` is the alias and whose key is too
    text += f"- id: bomb\n  domain: fiscal\n{bomb}\n  ? *l8\n  : 1\n  name: *l8\n"
    items.write_text(text, encoding="utf-8")
    first_line = text.count("\n", 0, text.index("&l0")) + 1
    result, took = check_json(project)
    assert took < 20
    assert_bounded(result)
    found = messages(result, "catalogue/items.yml")
    assert found and found[0]["line"] == first_line and "锚点（&名称）和别名（*名称）" in found[0]["message"]


def test_ordinary_ampersands_and_asterisks_are_text():
    from site_builder.sources import yamlsrc

    data = yamlsrc.load("title: 甲 & 乙\nsummary: '*重要*'\ndoc_no: a*b&c\n")
    assert data == {"title": "甲 & 乙", "summary": "*重要*", "doc_no": "a*b&c"}
    with pytest.raises(yamlsrc.YamlError) as exc:
        yamlsrc.load("title: &t 标题\nsummary: *t\n", line_offset=1)
    assert exc.value.line == 2


def test_every_message_is_capped_and_quoted_values_are_clipped(project):
    huge = "x" * 20_000  # the front matter's own limit is 64 K characters
    text = replace("department: finance", f"department: {huge}")
    text = replace("domains: [fiscal]", "domains: [fiscal]\nvalidity: " + "废" * 20_000, text)
    text = replace("date: 2024-01-02", f"date: 2024-01-02\n{'k' * 1000}: 1", text)  # YAML allows 1024
    write(project, REL, text)
    result, _ = check_json(project)
    assert_bounded(result)
    found = {p["message"] for p in messages(result, REL)}
    # a value in the middle of a message is cut there: the message still says what is wrong
    assert any(m.startswith("发布机构“xxxx") and m.endswith("x”不存在") and "…" in m for m in found), found
    assert any(m.startswith("有效性“废废") and "…”无法识别" in m for m in found), found
    assert any(m.startswith("未知字段“kkk") and m.endswith("…”将被忽略") for m in found), found
    p = Problems()
    p.error("a.md", 1, "开头" + "值" * 100_000 + "结尾", "提示" * 100_000)
    assert len(p.items[0].message) == MESSAGE_CHARS and p.items[0].message.endswith("结尾")
    assert len(p.items[0].format()) < MESSAGE_CHARS + HINT_CHARS + 40


def test_a_10_mb_body_is_an_error_not_a_20_mb_feed(project, tmp_path, caplog):
    line = "云溪县财政局公开的预算说明，" * 20 + "\n\n"
    body = line * (10 * 1024 * 1024 // len(line.encode()))
    write(project, REL, GOOD + body)
    result, took = check_json(project)
    assert took < 30
    found = messages(result, REL)
    assert [(p["level"], p["line"]) for p in found] == [("error", 9)]
    assert re.fullmatch(r"正文过大（10\.0 MB，上限 2 MB）", found[0]["message"]), found
    assert "附件" in found[0]["hint"]
    # the build refuses it: nothing is written
    site = tmp_path / "site"
    with pytest.raises(Exception):
        build_site(str(project / "mkdocs.yml"), site_dir=str(site))
    assert "zz-test.md:9: 错误: 正文过大（10.0 MB，上限 2 MB）" in caplog.text
    assert not site.exists()


def test_long_bodies_warn_and_long_fields_are_errors(project):
    write(project, "content/records/finance/zz-long.md",
          replace("011320503/2024-09999", "011320503/2024-09998") + "正文。" * 100_000)
    write(project, REL, replace("title: 云溪县财政局测试记录", "title: " + "标题" * 101))
    huge_file = project / "content/records/finance/zz-huge.md"
    with huge_file.open("wb") as fh:  # sparse: 20 MB that is never read
        fh.truncate(20 * 1024 * 1024)
    result, _ = check_json(project)
    long = messages(result, "content/records/finance/zz-long.md")
    assert [(p["level"], p["message"]) for p in long] == [("warning", "正文很长（879 KB），页面和订阅源会很大")]
    title = messages(result, REL)
    assert [(p["line"], p["message"]) for p in title] == [(2, "字段 title 过长（202 字，上限 200 字）：“" + "标题" * 14 + "标…”")]
    huge = messages(result, "content/records/finance/zz-huge.md")
    assert [p["message"] for p in huge] == ["文件过大（20 MB，上限 16 MB），未读取"]


# --- §5: plausible records ------------------------------------------------------------------------


def problems_of(project: Path, text: str, build_day=None) -> list[tuple[int | None, str, str]]:
    write(project, REL, text)
    found = load_project(project / "content", project / "catalogue", root=project, build_day=build_day).problems
    # dates here are moved away from the 索引号's year on purpose: that warning (issue 19) is not the subject
    return [(p.line, p.level, p.message) for p in found.items if p.file == REL
            and not p.message.startswith("索引号中的年份")]


@pytest.mark.parametrize("body", [
    "",
    "\n\n   \n",
    "<!-- 在这里撰写正文 -->\n",
    "<!-- 审核意见：待定 -->\n\n<!-- 第二段注释\n",
    "正文\n",
    "## 正文内容\n",
    "（待补充）\n",
    "TODO\n",
    "此处填写正文。\n",
    # longer than any placeholder by its first characters, decided by the whole (plausible.is_placeholder)
    "-" * 300 + "\n\n待补充\n\n" + "=" * 300 + "\n",
    "x" * 400 + "\n",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 10 + "\n",
])
def test_a_body_without_text_and_without_attachment_is_an_error(project, body):
    found = problems_of(project, GOOD.replace("正文第一段。\n", body))
    assert len(found) == 1 and found[0][:2] == (9, "error"), found
    assert found[0][2].startswith(("正文为空，也没有附件", "正文只有占位文字")), found


def test_a_body_with_text_or_an_attachment_is_fine(project):
    assert problems_of(project, GOOD.replace("正文第一段。", "<!-- 说明 -->\n见附件。")) == []
    write(project, "content/records/finance/files/table.png", b"\x89PNG table")  # (a missing one is warned of)
    assert problems_of(project, GOOD.replace("正文第一段。", "![预算表](files/table.png)")) == []
    with_attachment = replace("item: fiscal-general-budget", "item: fiscal-general-budget\nattachments:\n"
                              "  - {title: 预算表, path: files/yunxi-budget-2024.pdf}").replace("正文第一段。", "")
    assert problems_of(project, with_attachment) == []


def test_a_fresh_scaffold_does_not_pass_check_unedited(project, capsys):
    assert main(["new", "-f", str(project / "mkdocs.yml"), "--department", "finance", "--item",
                 "fiscal-dept-budget", "--title", "预算公开", "--date", "2025-03-01", "--no-input"]) == 0
    capsys.readouterr()
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"content/records/finance/2025-\d{5}\.md:\d+: 错误: (正文为空，也没有附件|正文还是 disclosure new 生成的占位文字)", out), out


@pytest.mark.parametrize("where, text, line, message", [
    ("body", GOOD.replace("正文第一段。", "正文\x07第一段。\n\n第二段\x1b[31m，\x85。"), 9,
     "正文含有不可见的控制字符（U+0007），共 3 处"),
    ("raw front matter", replace("title: 云溪县财政局测试记录", "title: 云溪县\x00财政局"), 2,
     "元数据含有不可见的控制字符（U+0000）"),
    ("escaped title", replace("title: 云溪县财政局测试记录", 'title: "云溪县\\x08财政局"'), 2,
     "字段 title 含有不可见的控制字符（U+0008）"),
    ("escaped C1 in a tag",
     replace("item: fiscal-general-budget", 'item: fiscal-general-budget\ntags: [a, "\\u0090b"]'), 8,
     "字段 tags[2] 含有不可见的控制字符（U+0090）"),
])
def test_control_characters_anywhere_are_errors(project, where, text, line, message):
    found = problems_of(project, text)
    assert (line, "error", message) in found, found


def test_tabs_and_line_breaks_are_not_control_characters(project):
    assert problems_of(project, GOOD.replace("正文第一段。", "正文\t第一段。\r\n\r\n第二段。")) == []


def test_dates_before_1949_are_errors_and_times_are_always_plus_8(project):
    found = problems_of(project, replace("date: 2024-01-02", "date: 1949-09-30\nwritten: 1900-01-01"))
    assert (4, "error", "发布日期“1949-09-30”早于 1949-10-01") in found
    assert (5, "error", "成文日期“1900-01-01”早于 1949-10-01") in found
    assert problems_of(project, replace("date: 2024-01-02", "date: 1949-10-01")) == []
    # the tz database's Asia/Shanghai: +08:05:43 before 1901, +09:00 in the summers of 1986–1991
    for text in ("1900-05-01T10:00", "1900-05-01", "1988-07-01T10:00", "2024-02-20T09:30"):
        moment = parse_date(text)[0]
        assert moment.utcoffset().total_seconds() == 8 * 3600 and moment.isoformat().endswith("+08:00"), text


def test_interprets_loop_names_every_file(project):
    files = {}
    for n, (mine, theirs) in enumerate([("09991", "09992"), ("09992", "09993"), ("09993", "09991")]):
        rel = f"content/records/finance/zz-loop-{n}.md"
        write(project, rel, replace("index_no: 011320503/2024-09999",
                                    f"index_no: 011320503/2024-{mine}\ninterprets: 011320503/2024-{theirs}"))
        files[rel] = rel
    found = load_project(project / "content", project / "catalogue", root=project).problems.errors
    loops = [p for p in found if "interprets 构成循环" in p.message]
    assert sorted(p.file for p in loops) == sorted(files)
    for p in loops:
        assert p.line == 4 and all(rel in p.message for rel in files), p.message


def test_dates_more_than_a_year_ahead_are_errors(project):
    day = __import__("datetime").date(2026, 11, 20)
    assert problems_of(project, replace("date: 2024-01-02", "date: 2027-11-20"), build_day=day) == []
    found = problems_of(project, replace("date: 2024-01-02", "date: 2027-11-21"), build_day=day)
    assert found == [(4, "error", "发布日期 2027-11-21 比构建日期（2026-11-20，默认为今天）晚一年以上")]
    assert problems_of(project, replace("date: 2024-01-02", "date: 2099-01-01")) != []  # default: today


@pytest.mark.parametrize("rel, mb, said", [
    ("catalogue/items.yml", 9, "目录文件过大（9 MB，上限 8 MB），未读取"),
    ("content/annual-reports/2025-hrss.yml", 20, "年度报告文件过大（20 MB，上限 8 MB），未读取")])
def test_an_oversized_catalogue_file_or_annual_report_is_not_read(project, rel, mb, said):
    """As a record: a size limit, checked before the file is read (one file must not fill the memory)."""
    with (project / rel).open("ab") as fh:
        fh.truncate(mb * 1024 * 1024)  # sparse
    result, took = check_json(project)
    assert took < 20
    assert [p["message"] for p in messages(result, rel)] == [said]


def test_an_interpretation_cannot_be_published_before_its_policy(project):
    day = __import__("datetime").date(2026, 11, 20)
    policy = replace("date: 2024-01-02", "date: 2026-12-01")
    write(project, "content/records/finance/zz-policy.md", policy)
    interpretation = replace("index_no: 011320503/2024-09999",
                             "index_no: 011320503/2026-09998\ninterprets: 011320503/2024-09999")
    found = problems_of(project, replace("date: 2024-01-02", "date: 2026-11-19", interpretation), build_day=day)
    assert found == [(4, "error", "所解读的政策 content/records/finance/zz-policy.md 定于 2026-12-01 发布，"
                                 "解读不能先于政策发布")]
    project_ = load_project(project / "content", project / "catalogue", root=project,
                            build_day=__import__("datetime").date(2026, 12, 1))
    assert project_.problems.errors == []


def test_a_link_to_a_record_not_yet_published_is_a_warning_naming_the_line(project, tmp_path, caplog):
    """A body linking to a record held back until its day made a broken link to `zz-policy.md` (its file's
    name, on the page) with only MkDocs' English warning; on that day the link is whole."""
    day = __import__("datetime").date(2026, 11, 20)
    write(project, "content/records/finance/zz-policy.md", replace("date: 2024-01-02", "date: 2026-12-01"))
    text = replace("date: 2024-01-02", "date: 2026-11-19",
                   replace("index_no: 011320503/2024-09999", "index_no: 011320503/2026-09998"))
    text += "\n\n详见[明年的政策](zz-policy.md#要点)。\n"
    line = text.splitlines().index("详见[明年的政策](zz-policy.md#要点)。") + 1
    assert problems_of(project, text, build_day=day) == [
        (line, "warning", "正文中的链接“zz-policy.md#要点”指向定时发布的记录（将于 2026-12-01 发布），在那之前读者看到的是坏链接")]
    assert problems_of(project, text, build_day=__import__("datetime").date(2026, 12, 1)) == []
    # an ordinary page's link too (公开指南 pointing at a policy to come)
    write(project, "content/guide-2027.md", "---\ntitle: 指南\n---\n\n见[政策](records/finance/zz-policy.md)。\n")
    found = load_project(project / "content", project / "catalogue", root=project, build_day=day).problems
    assert [(p.line, p.message) for p in found.items if p.file == "content/guide-2027.md"] == [
        (5, "正文中的链接“records/finance/zz-policy.md”指向定时发布的记录（将于 2026-12-01 发布），在那之前读者看到的是坏链接")]
    # a build says both in Chinese with their lines, and not MkDocs' English line for the same links too
    write(project, REL, text)
    build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), plugin_options={"build_date": "2026-11-20"})
    assert f"{REL}:{line}: 警告: 正文中的链接“zz-policy.md#要点”指向定时发布的记录" in caplog.text
    assert "content/guide-2027.md:5: 警告: 正文中的链接“records/finance/zz-policy.md”指向定时发布的记录" in caplog.text
    assert "not found among documentation files" not in caplog.text, caplog.text


# --- scheduled publication (定时发布), in real builds with a pinned build day -------------------------

SCHEDULED = """---
title: 定时发布测试记录云溪县甲乙丙
index_no: 011320503/2026-09999
date: 2026-12-25
department: finance
domains: [fiscal]
item: fiscal-general-budget
tags: [定时发布测试主题词]
attachments:
  - {title: 定时附件, path: files/zz-scheduled-table.csv}
---
定时发布测试正文：二〇二六年圣诞节才公开的预算调整说明。
"""

OLD_TIME = """---
title: 一九八八年夏令时测试记录
index_no: 011320503/1988-00001
date: 1988-07-01T10:00
department: finance
domains: [fiscal]
item: fiscal-general-budget
---
一九八八年七月一日上午十时发布。
"""


def all_text(site: Path) -> dict[str, str]:
    """Every text file of the site, sitemap.xml.gz unpacked and the search index's compressed records
    decoded (search/d/…: base64 of zlib-compressed JSON)."""
    import base64
    import gzip
    import zlib

    out = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".opml", ".txt", ".csv", ".js"):
            out[rel] = path.read_text(encoding="utf-8", errors="replace")
            if rel.startswith("search/d/"):
                blobs = re.findall(r'"([A-Za-z0-9+/]{40,}={0,2})"', out[rel])
                assert blobs, rel
                out[rel] += "".join(zlib.decompress(base64.b64decode(b)).decode("utf-8") for b in blobs)
        elif path.is_file() and path.suffix == ".gz":
            out[rel] = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    return out


def report_count(project: Path, capsys, build_date: str) -> int:
    assert main(["report", "-f", str(project / "mkdocs.yml"), "--format", "json", "--build-date", build_date,
                 "--date", "2027-06-30"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    return next(i["records"] for i in data["items"] if i["id"] == "fiscal-general-budget")


def test_a_record_dated_after_the_build_day_is_held_back_until_its_day(project, tmp_path, caplog, capsys):
    before = report_count(project, capsys, "2026-11-20")
    write(project, "content/records/finance/zz-scheduled.md", SCHEDULED)
    write(project, "content/records/finance/files/zz-scheduled-table.csv", "项目,金额\n调整,100\n")
    write(project, "content/records/finance/zz-1988.md", OLD_TIME)
    config = str(project / "mkdocs.yml")

    # 2026-11-20: not published anywhere, with a line saying when it will be
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.disclosure"):
        site = build_site(config, site_dir=str(tmp_path / "before"), plugin_options={"build_date": "2026-11-20"})
    assert ("定时发布：content/records/finance/zz-scheduled.md（定时发布测试记录云溪县甲乙丙）将于 2026-12-25 发布，本次不发布"
            in caplog.messages)
    texts = all_text(site)
    assert "定时发布测试正文" not in texts["search/d/0/0.js"] and "二〇二" not in "".join(texts.values())
    assert "一九八八年七月一日上午十时发布" in "".join(v for k, v in texts.items() if k.startswith("search/d/"))
    leaks = [name for name, text in texts.items()
             if "定时发布测试" in text or "zz-scheduled" in text or "2026-09999" in text]
    assert leaks == []
    assert not list(site.rglob("zz-scheduled*"))
    assert "2026-09999" not in json.dumps(json.loads(texts["data/records.json"]), ensure_ascii=False)
    assert report_count(project, capsys, "2026-11-20") == before + 1  # the 1988 record only
    assert main(["check", "-f", config, "--build-date", "2026-11-20"]) == 0
    assert "将于 2026-12-25 发布，本次不发布" in capsys.readouterr().out
    # the feeds' dates do not move to the future record
    feed = feedparser.parse((site / "feeds/all.xml").read_bytes())
    assert feed.entries and feed.entries[0].published_parsed[:3] <= (2026, 11, 20)

    # the 1988 record (a summer of daylight saving time in the tz database) is at +08:00 everywhere
    old = next(r for r in json.loads(texts["data/records.json"]) if r["index_no"] == "011320503/1988-00001")
    assert old["datetime"] == "1988-07-01T10:00:00+08:00"
    fiscal = next(name for name in texts if name.startswith("feeds/") and "一九八八年夏令时测试记录" in texts[name])
    assert "Fri, 01 Jul 1988 10:00:00 +0800" in texts[fiscal]

    # on its day it is published like any other record
    site = build_site(config, site_dir=str(tmp_path / "after"), plugin_options={"build_date": "2026-12-25"})
    texts = all_text(site)
    assert "定时发布测试正文" in "".join(v for k, v in texts.items() if k.startswith("search/d/"))
    assert "定时发布测试正文" in (site / "records/finance/zz-scheduled.html").read_text(encoding="utf-8")
    assert (site / "records/finance/files/zz-scheduled-table.csv").is_file()
    records = json.loads((site / "data/records.json").read_text(encoding="utf-8"))
    assert records[0]["index_no"] == "011320503/2026-09999"
    assert "records/finance/zz-scheduled.html" in (site / "sitemap.xml").read_text(encoding="utf-8")
    feed = feedparser.parse((site / "feeds/all.xml").read_bytes())
    assert feed.entries[0].title == "定时发布测试记录云溪县甲乙丙"
    assert report_count(project, capsys, "2026-12-25") == before + 2


def test_an_interprets_loop_is_an_error_on_each_of_its_records_and_a_chain_is_not():
    """A → B → C → A (each a 解读 of the next): an error on all three, naming the loop; D → A, into the
    loop, and E → F, a plain 解读, are not in it."""
    from types import SimpleNamespace

    from site_builder.sources import plausible
    from site_builder.sources.problems import Problems

    def rec(no, interprets=""):
        return SimpleNamespace(index_no=no, interprets=interprets, lines={"interprets": 5}, src_path=f"{no}.md")

    records = [rec("A", "B"), rec("B", "C"), rec("C", "A"), rec("D", "A"), rec("E", "F"), rec("F")]
    problems = Problems()
    plausible.check_interprets_loops(records, lambda r: r.src_path, problems)
    assert sorted(p.file for p in problems.errors) == ["A.md", "B.md", "C.md"]
    assert all("3 个文件互相解读" in p.message and p.line == 5 for p in problems.errors)
