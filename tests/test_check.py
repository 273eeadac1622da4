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
    ("non-utf8", GOOD.replace("正文第一段。", "正文：预算表").encode("gbk"), 2, "文件不是 UTF-8 编码"),
    ("front-matter-not-mapping", "---\n- 标题\n- 索引号\n---\n正文。\n", 2, "元数据应是“键: 值”的映射"),
    ("no-front-matter", "标题：云溪县财政局测试记录\n\n正文。\n", 1, "缺少开头的元数据（front matter）"),
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
    assert "content/records/finance/README.md:1: 错误: 与同一文件夹的 index.md 对应同一个网页" in out
    assert "index.md:1: 错误" not in out
    site, before = old_site(tmp_path)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err and "README.md:1: 错误" in err and "NoneType" not in err
    assert snapshot(site) == before


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
