"""What reaches the output, and how (issue 13, items 1 and 6): only files inside the project that the
site publishes (real symlinks to files and folders outside, absolute and escaping attachment paths,
stray files in the records folder), and output a web server can serve at every moment (modes 0755/0644,
an atomic swap, a killed build cleaned up by the next, one build at a time, a read-only leftover)."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from site_builder.sources import boundary
from site_builder.commands import output
from site_builder.commands.cli import build_site, main

RECORD = "content/records/finance/2024-general-budget.md"
ATTACHMENT_LINE = "  - {title: 云溪县2024年县级预算表, path: files/yunxi-budget-2024.pdf}\n"


def add_attachments(project: Path, *paths: str) -> None:
    """Add attachment entries (after the existing one) to the sample budget record."""
    record = project / RECORD
    text = record.read_text(encoding="utf-8")
    extra = "".join(f"  - {{title: 附件{n}, path: {json.dumps(p, ensure_ascii=False)}}}\n"
                    for n, p in enumerate(paths))
    record.write_text(text.replace(ATTACHMENT_LINE, ATTACHMENT_LINE + extra), encoding="utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def leftovers(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def add_bulk_records(project: Path, count: int) -> None:
    """Enough extra records that a build lasts a few seconds (to be caught in the middle)."""
    bulk = project / "content/records/finance/bulk"
    bulk.mkdir()
    for n in range(1, count + 1):
        (bulk / f"r{n:04d}.md").write_text(
            f"---\ntitle: 云溪县财政局批量测试信息第{n}号\nindex_no: 011320503/2019-{n:05d}\n"
            f"date: 2019-05-{n % 28 + 1:02d}\ndepartment: finance\ndomains: [fiscal]\nitem: fiscal-general-budget\n"
            f"---\n第{n}号测试信息的正文。\n", encoding="utf-8")


def cli(*args: str, **kwargs) -> subprocess.Popen:
    """`disclosure ARGS` in a child process running this worktree's package."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.Popen([sys.executable, "-c", "from site_builder.cli import main; main()", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def processes_mentioning(text: str) -> list[int]:
    """Live (not zombie) processes whose command line contains `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


# -- 1. one boundary for files ---------------------------------------------------------------------

def test_symlinks_to_a_file_a_folder_and_a_record_outside_the_project_are_errors(project, tmp_path, capsys):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4 host secret " * 50)
    (outside / "folder" / "inner.pdf").write_bytes(b"%PDF-1.4 inner")
    (outside / "ext.md").write_text(
        "---\ntitle: 项目以外的记录\nindex_no: 011320503/2024-09998\ndate: 2024-01-02\ndepartment: finance\n"
        "domains: [fiscal]\nitem: fiscal-general-budget\n---\n外部正文\n", encoding="utf-8")
    files = project / "content/records/finance/files"
    (files / "linked.pdf").symlink_to(outside / "secret.pdf")
    (files / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    (project / "content/records/finance/ext.md").symlink_to(outside / "ext.md")
    add_attachments(project, "files/linked.pdf")
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。[外部](files/linked.pdf) ![图](files/linked-folder/inner.pdf)", 1),
        encoding="utf-8")
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    # a body's link through them says so, not that the file is missing (put it at … where it is)
    at = line_of(project, RECORD, "files/linked.pdf)")
    for written, link in (("files/linked.pdf", "files/linked.pdf"), ("files/linked-folder/inner.pdf", "files/linked-folder")):
        said = next(x for x in out.splitlines() if x.startswith(f"{RECORD}:{at}: 警告: 正文中的链接或图片“{written}”"))
        assert f"经由 content/records/finance/{link}：符号链接指向项目文件夹以外" in said, said
    assert "指向的文件不存在" not in out and "把文件放到" not in out
    for link, target in (("files/linked.pdf", "secret.pdf"), ("files/linked-folder", "folder"), ("ext.md", "ext.md")):
        line = next(x for x in out.splitlines() if x.startswith(f"content/records/finance/{link}: 错误"))
        assert "符号链接指向项目文件夹以外" in line and line.endswith(f"（{outside / target}），其内容不会发布")
    # the record whose attachment goes through the link is named too, at its attachments line
    assert (f"{RECORD}:{line_of(project, RECORD, 'attachments:')}: 错误: 附件“records/finance/files/linked.pdf”"
            f"经由 content/records/finance/files/linked.pdf") in out
    # the linked record is not counted as a record: as many as the sample has (74 before 政府公报's guides)
    from site_builder.sources.validate import load_project
    root = Path(__file__).resolve().parent.parent  # the untouched sample
    sample = len(load_project(root / "content", root / "catalogue", root=root).records)
    assert f"{sample} 条有效记录" in out

    site = tmp_path / "site"
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err and "content/records/finance/files/linked-folder" in err
    assert not site.exists() and leftovers(tmp_path) == []

    # the links removed, the same project builds, and nothing of the outside folder is in it
    for link in (files / "linked.pdf", files / "linked-folder", project / "content/records/finance/ext.md"):
        link.unlink()
    (project / RECORD).write_text((project / RECORD).read_text(encoding="utf-8").replace(
        '  - {title: 附件0, path: "files/linked.pdf"}\n', "").replace(
        "[外部](files/linked.pdf) ![图](files/linked-folder/inner.pdf)", ""), encoding="utf-8")
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    everything = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    assert b"host secret" not in everything and b"%PDF-1.4 inner" not in everything
    assert "项目以外的记录".encode() not in everything and str(outside).encode() not in everything


def test_a_record_linked_to_outside_the_project_is_never_read_or_written(project, tmp_path):
    """The record parser and `check --fix` leave a link to outside alone (boundary.scan reports it): even
    a target that never ends when read, a named pipe, does not stop `disclosure check`, and a record
    there without a 索引号 is not given one."""
    outside = tmp_path / "outside"
    outside.mkdir()
    os.mkfifo(outside / "pipe.md")
    unnumbered = ("---\ntitle: 项目以外的记录\ndate: 2024-01-02\ndepartment: finance\n"
                  "domains: [fiscal]\nitem: fiscal-general-budget\n---\n外部正文\n")
    (outside / "unnumbered.md").write_text(unnumbered, encoding="utf-8")
    for name in ("pipe.md", "unnumbered.md"):
        (project / "content/records/finance" / name).symlink_to(outside / name)
    done = subprocess.run([sys.executable, "-m", "site_builder.cli", "check", "--fix", "-f",
                           str(project / "mkdocs.yml")], capture_output=True, text=True, timeout=240)
    assert done.returncode == 1
    for name in ("pipe.md", "unnumbered.md"):
        line = next(x for x in done.stdout.splitlines() if x.startswith(f"content/records/finance/{name}: 错误"))
        assert "符号链接指向项目文件夹以外" in line
    assert (outside / "unnumbered.md").read_text(encoding="utf-8") == unnumbered and "已分配索引号" not in done.stdout


def test_a_file_linked_from_outside_or_a_named_pipe_is_never_read_by_the_privacy_check(project, tmp_path):
    """The privacy guard read every file a page offered before the boundary refused it: a record's
    attachment linked to a file on the build machine was read, and its number reported from there (a
    build log shows it); a named pipe in the content folder (`x.txt`, left by a tool) made `disclosure
    check` wait for ever. The linked file is now only the boundary's error, the pipe an error of its own."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("值班 13912345678\n", encoding="utf-8")
    files = project / "content/records/finance/files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "host.txt").symlink_to(secret)
    add_attachments(project, "files/host.txt")
    os.mkfifo(project / "content/pipe.txt")
    done = subprocess.run([sys.executable, "-m", "site_builder.cli", "check", "-f", str(project / "mkdocs.yml"),
                           "--format", "json"], capture_output=True, text=True, timeout=240)
    data = json.loads(done.stdout)
    said = sorted((e["file"], e["message"]) for e in data["errors"] if e["file"].endswith(("host.txt", "pipe.txt")))
    assert [f for f, _ in said] == ["content/pipe.txt", "content/records/finance/files/host.txt"], said
    assert "不是普通文件" in said[0][1] and "符号链接指向项目文件夹以外" in said[1][1], said
    assert "5678" not in done.stdout


def test_links_inside_the_project_are_published_but_not_into_hidden_folders_or_the_catalogue(project, tmp_path,
                                                                                              capsys):
    shared = project / "shared"
    shared.mkdir()
    (shared / "plan.pdf").write_bytes(b"%PDF-1.4 shared plan")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("[remote] url = internal", encoding="utf-8")
    files = project / "content/records/finance/files"
    (files / "plan.pdf").symlink_to(Path("../../../../shared/plan.pdf"))  # relative link, inside the project
    (files / "git").symlink_to(project / ".git", target_is_directory=True)
    (files / "items.yml").symlink_to(project / "catalogue/items.yml")
    (files / "loop").symlink_to(Path(".."), target_is_directory=True)
    (files / "dangling.pdf").symlink_to(project / "nowhere.pdf")
    add_attachments(project, "files/plan.pdf")
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    errors = {line.split(": 错误: ")[0]: line.split(": 错误: ")[1] for line in out.splitlines() if ": 错误: " in line}
    base = "content/records/finance/files/"
    assert errors[base + "git"].startswith("符号链接指向项目中不发布的位置（.git")
    assert errors[base + "items.yml"].startswith("符号链接指向项目中不发布的位置（catalogue/items.yml")
    assert errors[base + "loop"] == "符号链接指向它所在的文件夹或其上级，形成循环"
    assert errors[base + "dangling.pdf"] == "符号链接指向的文件不存在"
    assert base + "plan.pdf" not in errors and len(errors) == 4

    for name in ("git", "items.yml", "loop", "dangling.pdf"):
        (files / name).unlink()
    site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert (site / "records/finance/files/plan.pdf").read_bytes() == b"%PDF-1.4 shared plan"
    assert not (site / "records/finance/files/plan.pdf").is_symlink()


def test_a_theme_file_linked_from_outside_the_project_stops_the_build(project, tmp_path, capsys):
    """The last check, right before MkDocs copies: the project's theme folder is published too."""
    secret = tmp_path / "secret.css"
    secret.write_text("/* host secret */", encoding="utf-8")
    (project / "theme" / "assets" / "leak.css").symlink_to(secret)
    site = tmp_path / "site"
    assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"theme/assets/leak.css → {secret}" in err and "构建失败，原有网站未被改动" in err
    assert not site.exists() and leftovers(tmp_path) == []


def test_absolute_and_escaping_attachment_paths_are_errors_naming_record_and_line(project, tmp_path, capsys):
    (project / "notes.pdf").write_bytes(b"%PDF-1.4 in the project, outside the content folder")
    add_attachments(project, "/etc/hostname", "../../../notes.pdf", "../../../../../../etc/hostname",
                    "C:\\Users\\编辑\\预算.pdf", "files/.hidden.pdf")
    (project / "content/records/finance/files/.hidden.pdf").write_bytes(b"%PDF-1.4 hidden")
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    mine = {e["line"]: e["message"] for e in report["errors"] if e["file"] == RECORD}
    assert mine == {
        line_of(project, RECORD, "/etc/hostname\""): "附件路径“/etc/hostname”是绝对路径或网址，网站不能发布",
        line_of(project, RECORD, "\"../../../notes.pdf"): "附件路径“../../../notes.pdf”超出了内容文件夹（content），网站不能发布",
        line_of(project, RECORD, "../../../../../../etc"):
            "附件路径“../../../../../../etc/hostname”超出了内容文件夹（content），网站不能发布",
        line_of(project, RECORD, "C:"): "附件路径“C:\\Users\\编辑\\预算.pdf”是绝对路径或网址，网站不能发布",
        line_of(project, RECORD, ".hidden"): "附件路径“files/.hidden.pdf”指向隐藏的文件或文件夹（名称以 . 开头），网站不会发布它",
    }
    site = tmp_path / "site"
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    assert not site.exists()  # no feed or export carries a host path or size

    # with only the good attachment left, the exports and feeds name only files of the site
    text = (project / RECORD).read_text(encoding="utf-8")
    (project / RECORD).write_text("".join(line for line in text.splitlines(keepends=True)
                                          if "附件" not in line or "预算表" in line), encoding="utf-8")
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    feeds = "".join(p.read_text(encoding="utf-8") for p in (site / "feeds").rglob("*.xml"))
    assert "/etc/" not in feeds and str(project) not in feeds and "notes.pdf" not in feeds
    assert "hostname" not in (site / "data/records.json").read_text(encoding="utf-8")


def test_only_records_and_what_they_reference_leave_the_records_folder(project, tmp_path, capsys):
    records = project / "content/records/finance"
    (records / "审核意见.txt").write_text("内部审核意见：暂缓公开", encoding="utf-8")
    (records / "files" / "draft-v2.docx").write_bytes(b"PK\x03\x04 draft")
    (records / "files" / "chart.png").write_bytes(b"\x89PNG chart")
    (records / "files" / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (project / "content" / "~$guide.docx").write_bytes(b"word lock file")
    (project / "content" / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n![支出结构](files/chart.png)\n\n[明细](files/table.csv#top)\n", 1),
        encoding="utf-8")
    config = str(project / "mkdocs.yml")

    assert main(["check", "-f", config]) == 0
    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if ": 警告: " in line]
    assert "content/records/finance/审核意见.txt: 警告: 未被任何记录引用，不会发布" in warned
    assert "content/records/finance/files/draft-v2.docx: 警告: 未被任何记录引用，不会发布" in warned
    assert "content/~$guide.docx: 警告: 编辑软件的临时文件或系统文件，不会发布" in warned
    assert len(warned) == 3

    site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"records/finance/files/chart.png", "records/finance/files/table.csv", "robots.txt",
            "records/finance/files/yunxi-budget-2024.pdf"} <= published
    assert not {"records/finance/审核意见.txt", "records/finance/files/draft-v2.docx", "~$guide.docx"} & published
    everything = b"".join((site / p).read_bytes() for p in published)
    assert "暂缓公开".encode() not in everything
    # nothing from outside the content folder: catalogue YAML, mkdocs.yml, the cache, hidden files
    # (admin/config.yml is the editors' form's configuration, generated from the catalogue: tests/test_admin.py)
    assert not [p for p in published if p.endswith((".yml", ".yaml", ".pickle", ".sqlite", ".lock"))
                and p != "admin/config.yml"]
    assert not [p for p in published if any(part.startswith(".") for part in p.split("/"))]

    # --strict: a file left in the records folder fails the build
    assert main(["build", "-f", config, "-d", str(tmp_path / "strict"), "--strict"]) == 1
    assert not (tmp_path / "strict").exists()


def test_a_body_link_out_of_the_content_folder_is_a_warning_and_nothing_leaves(project, tmp_path, capsys):
    """A body that links to mkdocs.yml or a host file: the editor is told (file, line), the page keeps a
    dead link, and neither file reaches the site."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n[配置](../../../mkdocs.yml)、[主机](../../../../../../etc/hostname)\n", 1),
        encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    line = line_of(project, RECORD, "../../../mkdocs.yml")
    said = sorted(w["message"] for w in report["warnings"] if w["file"] == RECORD and w["line"] == line)
    assert said == ["正文中的链接“../../../../../../etc/hostname”指向内容文件夹（content）以外，网站不会发布那个文件，读者点开是坏链接",
                    "正文中的链接“../../../mkdocs.yml”指向内容文件夹（content）以外，网站不会发布那个文件，读者点开是坏链接"]
    site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    published = [p for p in site.rglob("*") if p.is_file()]
    assert not [p for p in published if p.name in ("mkdocs.yml", "hostname")]
    assert "site_name: 云溪县政府信息公开".encode() not in b"".join(p.read_bytes() for p in published)


def test_a_body_link_or_image_from_the_servers_root_is_a_warning_naming_the_line(project, tmp_path, capsys):
    """`/records/…` works only while the site sits at its domain's root: under a path, in the kiosk copy
    from disk and in the preview elsewhere it is a broken link, and no check can tell where it leads.
    The editor is told (file, line, what to write instead); `//host/…` is another site, not told."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n[预算表](/records/finance/files/yunxi-budget-2024.pdf)\n\n"
        "<img src=\"/assets/logo.png\" alt=\"标志\"> ![外站](//cdn.example.com/x.png)\n", 1), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    said = sorted((w["line"], w["message"], w["hint"]) for w in report["warnings"] if w["file"] == RECORD
                  and "以“/”开头" in w["message"])
    link, img = line_of(project, RECORD, "/records/finance/files"), line_of(project, RECORD, "/assets/logo.png")
    assert [(line, message) for line, message, _ in said] == [
        (link, "正文中的链接或图片“/records/finance/files/yunxi-budget-2024.pdf”以“/”开头（网站根目录），"
               "网站不在域名根目录、在离线版中打开时，读者看到的是坏链接"),
        (img, "正文中的链接或图片“/assets/logo.png”以“/”开头（网站根目录），网站不在域名根目录、在离线版中打开时，读者看到的是坏链接")]
    assert all("相对于本记录所在文件夹" in hint for _, _, hint in said)
    assert main(["build", "-f", config, "-d", str(tmp_path / "strict"), "--strict"]) == 1
    assert not (tmp_path / "strict").exists()


def test_links_a_reader_cannot_open_are_a_warning_naming_the_line(project, capsys):
    """Links pasted from Word to the editor's own disk (`file:///C:/Users/…`: it names the user too),
    links to an office's internal network (OA at 10.x.x.x, `http://oa/`, a .local name) and images over
    http:// (the pages' security policy loads only the site's and https:// images) were published as
    broken links and pictures without a word. Each is now a warning with its line; a public https://
    link or image is not, nor one written as code (shown as text: a fenced block, an inline span)."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("完整预算表见附件。", (
        "完整预算表见附件。\n\n[预算明细](file:///C:/Users/zhang/Desktop/明细.xlsx)\n\n"
        "[审批流程](http://10.12.3.4/oa/flow) [办件](http://oa/banjian) [门户](https://portal.yunxi.local/)\n\n"
        "![示意图](http://www.example.gov.cn/map.png) [政府网](https://www.gov.cn/) ![图](https://www.gov.cn/a.png)\n\n"
        "图片写法示例：`![说明](http://www.example.gov.cn/b.png)`\n\n"
        "```\n[内网](http://oa/x) ![图](http://www.example.gov.cn/c.png)\n```\n"), 1),
        encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    said = sorted((w["line"], w["message"].split("”")[0].split("“")[1], w["message"].split("”", 1)[1][:8])
                  for w in json.loads(capsys.readouterr().out)["warnings"] if w["file"] == RECORD)
    file_line, oa_line = line_of(project, RECORD, "file:///"), line_of(project, RECORD, "10.12.3.4")
    img_line = line_of(project, RECORD, "map.png")
    assert said == [(file_line, "file:///C:/Users/zhang/Desktop/明细.xlsx", "指向编辑者电脑上"),
                    (oa_line, "http://10.12.3.4/oa/flow", "指向内部网络（1"),
                    (oa_line, "http://oa/banjian", "指向内部网络（o"),
                    (oa_line, "https://portal.yunxi.local/", "指向内部网络（p"),
                    (img_line, "http://www.example.gov.cn/map.png", "用 http:/")], said


def test_a_link_to_a_place_a_record_page_does_not_have_is_a_warning_naming_the_line(project, tmp_path, caplog):
    """`#…` in a record, `other.md#…` from a record or from an ordinary page to a record: MkDocs checks
    places only between the pages it renders itself, and records' pages the plugin renders, so a place
    that is not there (a heading renamed, a typo) was said nowhere: the reader landed at the page's top.
    Places that are there (as written, percent-encoded, #top, in code) are not told; every build says it,
    cached pages or not, and --strict stops."""
    from urllib.parse import quote

    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("## 四、政府债务", (
        "[见债务](#四政府债务) [编码](#" + quote("四政府债务") + ") [顶部](#top) [错](#nope)\n\n"
        "[另一条](2022-general-budget.md#nope2) [另一条的](2022-general-budget.md#" + quote("一一般公共预算") + ")"
        " `[代码](#incode)`\n\n## 四、政府债务"), 1), encoding="utf-8")
    guide = project / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n\n[预算](records/finance/2024-general-budget.md#二政府性基金预算)"
                     " [缺](records/finance/2024-general-budget.md#missing)\n", encoding="utf-8")
    # the heading the good link to the other record names
    assert "## 一、一般公共预算" in (project / "content/records/finance/2022-general-budget.md").read_text(encoding="utf-8")
    config = str(project / "mkdocs.yml")
    for _ in range(2):  # the second build takes every page from the cache
        caplog.clear()
        build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
        said = sorted(r.getMessage().split("\n")[0] for r in caplog.records
                      if r.levelname == "WARNING" and "这个位置" in r.getMessage())
        at = line_of(project, RECORD, "[错](#nope)")
        assert said == [
            f"content/guide.md:{line_of(project, 'content/guide.md', '#missing')}: 警告: 正文中的链接"
            "“records/finance/2024-general-budget.md#missing”指向那个页面上的“#missing”，但那个页面没有这个位置，读者到不了要看的那一段",
            f"{RECORD}:{at}: 警告: 正文中的链接“#nope”指向本页上的“#nope”，但本页没有这个位置，读者到不了要看的那一段",
            f"{RECORD}:{at + 2}: 警告: 正文中的链接“2022-general-budget.md#nope2”指向那个页面上的“#nope2”，"
            "但那个页面没有这个位置，读者到不了要看的那一段"], said
    assert "点目录中的那个标题" in caplog.text
    assert main(["build", "-f", config, "-d", str(tmp_path / "strict"), "--strict"]) == 1
    assert not (tmp_path / "strict").exists()


def test_an_ordinary_pages_broken_links_are_told_in_chinese_with_their_lines(project, tmp_path, caplog):
    """An ordinary page's link to a page or file that is not there, to a place its page does not have, or
    to a folder (from disk, a file listing): MkDocs said it in English without a line (the place and the
    folder only as information). Now as for a record: a
    warning naming the page and line, and MkDocs' line is not said too. Links to the pages and files the
    plugin makes (search.md, catalogue.md, the application form's Word file, an annual report) are fine."""
    guide = project / "content/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n\n[缺页](nothere.md) [文件](files/none.pdf)\n\n"
                     "[锚](about.md#nowhere) [本页](#nix) [有的](about.md) [搜索](search.md) [目录](catalogue.md)\n\n"
                     "[领域](domains/) [领域页](domains/index.md)\n",
                     encoding="utf-8")
    config = str(project / "mkdocs.yml")
    build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    said = [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "INFO")]
    assert not [m for m in said if m.startswith("Doc file")], said  # MkDocs' English lines
    missing, places = line_of(project, "content/guide.md", "nothere.md"), line_of(project, "content/guide.md", "#nix")
    ours = sorted(m.split("\n")[0] for m in said if m.startswith("content/"))
    assert ours == sorted([
        f"content/guide.md:{missing}: 警告: 正文中的链接“nothere.md”指向的页面不存在（已删除、改名或移走），读者看到的是坏链接",
        f"content/guide.md:{missing}: 警告: 正文中的链接或图片“files/none.pdf”指向的文件不存在，读者看到的是坏链接或无法显示的图片",
        f"content/guide.md:{places}: 警告: 正文中的链接“#nix”指向本页上的“#nix”，但本页没有这个位置，读者到不了要看的那一段",
        f"content/guide.md:{places}: 警告: 正文中的链接“about.md#nowhere”指向那个页面上的“#nowhere”，但那个页面没有这个位置，"
        "读者到不了要看的那一段",
        f"content/guide.md:{places + 2}: 警告: 正文中的链接“domains/”指向文件夹：从磁盘打开网站（包括查阅点离线版）时，"
        "读者看到的是文件列表，不是页面"]), ours  # and nothing about the sample's own links to generated pages and files
    assert main(["build", "-f", config, "-d", str(tmp_path / "strict"), "--strict"]) == 1


def test_an_ordinary_pages_links_a_reader_cannot_open_are_warned_about_too(project, capsys):
    """公开指南 and the other ordinary pages are written by editors too: their links to the editor's
    disk, the internal network or the server's root were not checked as a record's are. The hints name
    the page (本页), not a record."""
    about = project / "content/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n[申请表](file:///D:/公开/申请表.doc)\n\n"
                     "[年报](/annual-reports/index.html) [内网](http://192.168.1.20/gk/)\n", encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    warnings = [w for w in json.loads(capsys.readouterr().out)["warnings"] if w["file"] == "content/about.md"]
    said = sorted((w["line"], w["message"].split("”")[0].split("“")[1]) for w in warnings)
    lines = about.read_text(encoding="utf-8").split("\n")
    first, second = lines.index("[申请表](file:///D:/公开/申请表.doc)") + 1, len(lines) - 1
    assert said == [(first, "file:///D:/公开/申请表.doc"), (second, "/annual-reports/index.html"),
                    (second, "http://192.168.1.20/gk/")], said
    assert all("本页" in w["hint"] and "本记录" not in w["hint"] for w in warnings), warnings


def test_front_matter_that_other_tools_read_as_do_not_publish_stops_the_build(project, tmp_path, capsys):
    """`draft: true` (Hugo, Jekyll, Material's blog) or `published: false` is no field here: ignored, it
    published what the editor meant to keep back. It is an error naming the file and line, on a record
    and on an ordinary page, and nothing is written; `draft: false` is only an unknown field."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle:", "\ndraft: true\ntitle:", 1),
                      encoding="utf-8")
    (project / "content/internal.md").write_text("---\ntitle: 内部说明\npublished: 否\n---\n\n还没定稿。\n",
                                                 encoding="utf-8")
    other = project / "content/records/finance/2025-dept-budget.md"
    other.write_text(other.read_text(encoding="utf-8").replace("\ntitle:", "\ndraft: false\ntitle:", 1),
                     encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    said = sorted((e["file"], e["line"], e["message"]) for e in report["errors"])
    assert said == [
        ("content/internal.md", 3, "“published: 否”在其他建站工具中表示暂不发布，本系统没有这个字段，这个文件会被发布"),
        (RECORD, line_of(project, RECORD, "draft: true"),
         "“draft: true”在其他建站工具中表示暂不发布，本系统没有这个字段，这个文件会被发布")]
    assert all("定时发布" in e["hint"] for e in report["errors"])
    assert main(["build", "-f", config, "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_markdown_not_spelt_md_is_an_error_and_never_published(project, tmp_path, capsys):
    """MkDocs copied `x.MD` as it was and made a page of `x.markdown`; neither was read as a record nor
    checked as a page, so a draft with a mobile number went out under both names without a word. Each
    is now an error naming the file and the name to give it, in the records folder and outside it, and
    nothing is written; renamed to `.md`, the same text is checked (and stopped) as every page is."""
    text = "---\ntitle: 内部说明\ndraft: true\n---\n\n联系电话 13912345678。\n"
    (project / "content/notice.markdown").write_text(text, encoding="utf-8")
    (project / "content/guide-2.MD").write_text(text, encoding="utf-8")
    record = (project / RECORD).read_text(encoding="utf-8")
    (project / "content/records/finance/2024-other.Md").write_text(
        record.replace("011320503/2024-", "011320503/2024-9"), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    said = sorted((e["file"], e["message"], e["hint"]) for e in json.loads(capsys.readouterr().out)["errors"])
    assert said == [
        ("content/guide-2.MD", "扩展名“.MD”不是小写的 .md：这个文件不会作为网页读取和检查，也不会发布",
         "把它改名为 guide-2.md，再重新生成"),
        ("content/notice.markdown", "扩展名“.markdown”不是小写的 .md：这个文件不会作为网页读取和检查，也不会发布",
         "把它改名为 notice.md，再重新生成"),
        ("content/records/finance/2024-other.Md",
         "扩展名“.Md”不是小写的 .md：这个文件不会作为记录读取和检查，也不会发布", "把它改名为 2024-other.md，再重新生成")]
    site = tmp_path / "site"
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    assert not site.exists()
    # what left the project before: with the errors set aside (boundary.scan's decision alone)
    scan = boundary.scan(project / "content", project, "records", [], "content")
    assert {"notice.markdown", "guide-2.MD", "records/finance/2024-other.Md"} <= scan.withheld

    (project / "content/notice.markdown").rename(project / "content/notice.md")
    (project / "content/guide-2.MD").unlink()
    (project / "content/records/finance/2024-other.Md").unlink()
    capsys.readouterr()
    assert main(["check", "-f", config]) == 1
    out = capsys.readouterr().out
    assert "content/notice.md:3: 错误: “draft: true”" in out and "content/notice.md:6: 错误: " in out


def test_two_files_that_differ_only_in_case_are_an_error(project, tmp_path, capsys):
    """`About.md` beside `about.md`, a record `2024-General-Budget.md` beside `2024-general-budget.md`:
    both were published, and on a case-insensitive disk (a Windows server, a kiosk's USB stick,
    kiosk.zip unpacked on Windows) one overwrites the other. Each pair is now an error naming both."""
    (project / "content/About.md").write_text((project / "content/about.md").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    record = (project / RECORD).read_text(encoding="utf-8")
    (project / RECORD.replace("general-budget", "General-Budget")).write_text(
        record.replace("011320503/2024-", "011320503/2024-9"), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    said = sorted((e["file"], e["message"].split("：")[0]) for e in json.loads(capsys.readouterr().out)["errors"])
    assert said == [("content/about.md", "与 content/About.md 的文件名只差大小写"),
                    (RECORD, f"与 {RECORD.replace('general-budget', 'General-Budget')} 的文件名只差大小写")], said
    site = tmp_path / "site"
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    assert not site.exists()


@pytest.mark.parametrize("markup, found", [
    (b"google-site-verification: google1234.html", None),  # a search engine's verification file
    (b"<html><head><title>x</title><style>p > a {color: red}</style></head><body><p>hello</p></body></html>", None),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">2024</text><a href="a.html"><rect/></a></svg>', None),
    (b'<img src="data:image/png;base64,AAAA">', None),
    (b"<!-- <script>old()</script> --><p>ok</p>", None),
    (b"<SCRIPT>alert(1)</SCRIPT>", "<script>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload= 事件属性"),
    (b'<a href="java&#x09;script:alert(1)">x</a>', 'href="javascript:…"'),
    (b'<svg><a xlink:href=" JaVaScRiPt:alert(1)"><text>x</text></a></svg>', 'xlink:href="javascript:…"'),
    (b'<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', 'to="javascript:…"'),
    (b"<svg><style><img src=x onerror=alert(1)></style></svg>", "onerror= 事件属性"),  # SVG's style is markup
    # draw.io's SVG export: the labels are HTML in <foreignObject>, with a text fallback
    (b'<svg xmlns="http://www.w3.org/2000/svg"><switch><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
     b'<div style="display: flex">\xe5\x8f\x97\xe7\x90\x86</div></div></foreignObject><text>x</text></switch></svg>', None),
    (b'<svg><foreignObject><div><img src="x" onerror="steal()"></div></foreignObject></svg>', "onerror= 事件属性"),
    (b'<iframe src="https://example.com/"></iframe>', "<iframe>"),
    (b'<meta http-equiv="Refresh" content="0; url=https://example.com/">', '<meta http-equiv="refresh">'),
    (b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="t.xsl"?><r/>', "XSLT 样式表（xml-stylesheet）"),
    ("<p>联系我们</p><script>x()</script>".encode("gbk"), "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'.encode("utf-16"), "<script>"),
])
def test_what_would_run_in_a_published_markup_file_is_found(markup, found):
    from site_builder.sources.active import active_content

    assert active_content(markup) == found


def test_html_svg_and_xml_that_would_run_script_are_errors_and_svg_text_is_checked(project, tmp_path, capsys):
    """MkDocs copies an HTML, SVG or XML file byte for byte: one with a script ran on the site's origin,
    outside the pages' sanitizing and CSP, and an SVG chart's labels were never read for personal numbers.
    Each is now an error naming the file, in the records folder (a record's image) and outside it; a
    verification file and a clean chart are published as they are."""
    files = project / "content/records/finance/files"
    (files / "chart.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="steal()"/></svg>')
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n![支出结构](files/chart.svg)\n", 1), encoding="utf-8")
    (project / "content/legacy.html").write_text("<p>旧页面</p><script src=x.js></script>", encoding="utf-8")
    (project / "content/phones.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>联系电话 13912345678</text></svg>', encoding="utf-8")
    (project / "content/google1234.html").write_text("google-site-verification: google1234.html\n", encoding="utf-8")
    (project / "content/clean.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>2024 年</text></svg>',
                                               encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    errors = {(e["file"], e["message"]) for e in json.loads(capsys.readouterr().out)["errors"]}
    assert ("content/records/finance/files/chart.svg",
            "含有会在读者浏览器中运行的内容（onclick= 事件属性），这个文件不会发布") in errors
    assert ("content/legacy.html", "含有会在读者浏览器中运行的内容（<script>），这个文件不会发布") in errors
    assert [m for f, m in errors if f == "content/phones.svg" and "疑似手机号码“139****5678”" in m]
    assert len(errors) == 3
    assert main(["build", "-f", config, "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()

    for name in ("records/finance/files/chart.svg", "legacy.html", "phones.svg"):
        (project / "content" / name).unlink()
    record.write_text(record.read_text(encoding="utf-8").replace("\n![支出结构](files/chart.svg)\n", ""), encoding="utf-8")
    site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert (site / "google1234.html").read_text(encoding="utf-8") == "google-site-verification: google1234.html\n"
    assert (site / "clean.svg").is_file()


def test_every_file_the_site_publishes_is_read_for_personal_numbers_whatever_its_kind(project, tmp_path, capsys):
    """MkDocs copies every file of the content folder. A script, a style sheet, subtitles or a program's
    data file with a mobile or ID number in it was published unread, as was a number in a video's name.
    Each is now an error naming the file, line and column; a kind that is not text and not sound, video
    or a font is a warning for a person. Numbers as programs write them (`=.985…`, `…e-20`) are not
    personal numbers: a vendored library (here in the shape of a chart library's minified code) is
    published as it is, and so is the site's own script (mkdocs.yml's extra_javascript): read as text, not
    reported as a program, which it still is where a page offers it for download."""
    content = project / "content"
    (content / "js").mkdir()
    (content / "js/contacts.js").write_text('// 联系人\nvar people = [{name: "张三", tel: "13912345678"}];\n',
                                            encoding="utf-8")
    (content / "js/site.css").write_text("/* 值班 13912345678 */\nbody { color: #333 }\n", encoding="utf-8")
    (content / "js/vendor.min.js").write_text(
        "var Ru=.6915224124600773,Nu=.9853124591201782;var M=[[-.341319376002657],[4361733292468361e-20]];\n",
        encoding="utf-8")
    media = content / "media"
    media.mkdir()
    (media / "talk.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n咨询电话13912345678\n", encoding="utf-8")
    (media / "talk.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:02.000\n身份证 110101199003077774\n",
                                    encoding="utf-8")
    (media / "list.dat").write_bytes("名单\n张三 13912345678\n".encode("gb18030"))  # what an old program saves
    (media / "张三13912345678.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (media / "intro.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (media / "plan.dwg").write_bytes(b"AC1032\x00\x00\x01\x02binary")
    # a record offering subtitles for download: read too, and told as the record's
    (project / "content/records/finance/files/讲解字幕.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n咨询：13812345678\n", encoding="utf-8")
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n[讲解视频字幕](files/讲解字幕.srt)\n", 1), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    errors = {(e["file"], e["line"], e["message"]) for e in report["errors"]}
    assert ("content/js/contacts.js", 2, "第 34 列疑似手机号码“139****5678”：公开信息中不得包含个人信息") in errors
    assert ("content/js/site.css", 1, "第 7 列疑似手机号码“139****5678”：公开信息中不得包含个人信息") in errors
    assert ("content/media/talk.srt", 3, "第 5 列疑似手机号码“139****5678”：公开信息中不得包含个人信息") in errors
    assert ("content/media/talk.vtt", 4, "第 5 列疑似居民身份证号码“110101********7774”：公开信息中不得包含个人信息") in errors
    assert ("content/media/list.dat", 2, "第 4 列疑似手机号码“139****5678”：公开信息中不得包含个人信息") in errors
    # the name as written, a plain number: not told as one "written in disguise"
    assert ("content/media/张三13912345678.mp4", None,
            "附件文件名“张三139****5678.mp4”中疑似手机号码“139****5678”：公开信息中不得包含个人信息") in errors
    assert ("content/records/finance/files/讲解字幕.srt", 3,
            "第 4 列疑似手机号码“138****5678”：公开信息中不得包含个人信息") in errors
    assert len(errors) == 7
    srt = [e["hint"] for e in report["errors"] if e["file"].endswith("讲解字幕.srt")][0]
    assert f"（由 {RECORD} 第 16 行发布）" in srt and "在 " + RECORD + " 的元数据中加入 allow:" in srt
    hints = [e["hint"] for e in report["errors"] if e["file"] == "content/js/contacts.js"]
    assert "用记事本等文本编辑器打开可按 Ctrl+F 查找末四位“5678”" in hints[0]
    warnings = {(w["file"], w["message"]) for w in report["warnings"]}
    assert ("content/media/plan.dwg", "是无法识别的文件类型（.dwg），其中的个人信息未经检查") in warnings
    assert not [w for w in warnings if w[0].startswith(("content/js/", "content/media/intro"))]
    assert main(["build", "-f", config, "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()

    for name in ("js/contacts.js", "js/site.css", "media/talk.srt", "media/talk.vtt", "media/list.dat",
                 "media/张三13912345678.mp4", "records/finance/files/讲解字幕.srt"):
        (content / name).unlink()
    record.write_text(record.read_text(encoding="utf-8").replace("\n[讲解视频字幕](files/讲解字幕.srt)\n", ""),
                      encoding="utf-8")
    (content / "js/site.js").write_text("document.documentElement.dataset.site = '1';\n", encoding="utf-8")
    site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert (site / "js/vendor.min.js").is_file() and (site / "media/intro.mp4").is_file()
    assert (site / "js/site.js").is_file()
    capsys.readouterr()
    assert main(["check", "-f", config, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [w["file"] for w in report["warnings"]] == ["content/media/plan.dwg"]

    # a vendored script's integer of a bank card's shape (lighthouse has one): allowed in mkdocs.yml's extra
    (content / "js/features.js").write_text("var f = {chromeStatusFeature: 5436853517811712};\n", encoding="utf-8")
    assert main(["check", "-f", config, "--format", "json"]) == 1
    [error] = json.loads(capsys.readouterr().out)["errors"]
    assert error["file"] == "content/js/features.js" and "在 mkdocs.yml 的 extra 中加入 allow:" in error["hint"]
    text = Path(config).read_text(encoding="utf-8")
    Path(config).write_text(text.replace("\nextra:\n", '\nextra:\n  allow:\n    - {value: "5436853517811712", '
                                         'reason: 第三方脚本中的特性编号，不是银行卡号}\n', 1), encoding="utf-8")
    assert main(["check", "-f", config, "--format", "json"]) == 0


def test_the_projects_own_theme_is_read_for_personal_numbers_and_a_public_one_moves_to_extra(project, tmp_path,
                                                                                             capsys):
    """A template of the project's theme folder (theme.custom_dir) is on every page, and its other files
    are published as they are: a mobile number in a footer template was published unread. It is now an
    error naming the template, line and column; the theme's own scripts and templates are not taken for
    active content. A number that is public goes to mkdocs.yml's extra, where it can be allowed, and the
    template reads it from there."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"custom_dir: .*", "custom_dir: overrides", text), encoding="utf-8")
    (project / "overrides/partials").mkdir(parents=True)
    footer = project / "overrides/partials/dx-footer.html"
    footer.write_text('<footer class="md-footer"><p>网站维护：张三 13912345678</p></footer>\n'
                      '<script>var shown = 1;</script>\n', encoding="utf-8")
    (project / "overrides/extra.css").write_text("/* 2024.11.12 */ body { line-height: 1.75 }\n", encoding="utf-8")
    assert main(["check", "-f", str(config), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(e["file"], e["line"], e["message"]) for e in report["errors"]] == [
        ("overrides/partials/dx-footer.html", 1, "第 38 列疑似手机号码“139****5678”：公开信息中不得包含个人信息")]
    assert "mkdocs.yml 的 extra 中" in report["errors"][0]["hint"]
    assert report["warnings"] == []
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()

    footer.write_text('<footer class="md-footer"><p>网站维护：{{ config.extra.maintainer_phone }}</p></footer>\n',
                      encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in text
    config.write_text(text.replace("\nextra:\n", '\nextra:\n  maintainer_phone: "13912345678"\n  allow:\n'
                                   '    - {value: "13912345678", reason: 网站维护值班电话}\n', 1), encoding="utf-8")
    site = build_site(str(config), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert "网站维护：13912345678" in (site / "index.html").read_text(encoding="utf-8")


def test_a_hooks_file_is_read_for_personal_numbers_as_the_theme_is(project, tmp_path, capsys):
    """What a `hooks:` file returns goes onto the pages (records, MkDocs' pages and, since this round, the
    generated ones): a mobile number written into a hook was published on every page unread. It is
    now an error naming the file, line and column, and a public one is allowed in mkdocs.yml's extra."""
    config = project / "mkdocs.yml"
    (project / "hooks.py").write_text('def on_page_markdown(markdown, page, config, files):\n'
                                      '    return markdown + "\\n\\n值班电话：13912345678\\n"\n', encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("plugins:\n", "hooks:\n  - hooks.py\nplugins:\n", 1), encoding="utf-8")
    assert main(["check", "-f", str(config), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(e["file"], e["line"], e["message"]) for e in report["errors"]] == [
        ("hooks.py", 2, "第 33 列疑似手机号码“139****5678”：公开信息中不得包含个人信息")]
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()

    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nextra:\n", '\nextra:\n  allow:\n'
                                   '    - {value: "13912345678", reason: 公开的值班电话}\n', 1), encoding="utf-8")
    site = build_site(str(config), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert "值班电话：13912345678" in (site / "departments/finance.html").read_text(encoding="utf-8")


def test_a_footnotes_text_is_not_taken_for_a_links_address(project, capsys):
    """`[^1]: 数据来源：县统计局。` is a footnote (footnotes are on the fast path's list); read as a
    reference's definition `[label]: address`, its text without spaces was a link to a missing file, a
    warning on every build (and a failure with --strict). A reference's definition is still checked."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8") + "\n\n数据见注释[^1]和[附表][t]。\n\n"
                      "[^1]: 数据来源：县统计局。\n\n[t]: files/none.pdf\n", encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    said = [(w["line"], w["message"]) for w in report["warnings"] if w["file"] == RECORD]
    assert said == [(line_of(project, RECORD, "[t]: files/none.pdf"),
                     "正文中的链接或图片“files/none.pdf”指向的文件不存在，读者看到的是坏链接或无法显示的图片")]


def test_what_is_written_in_code_is_not_warned_about_as_a_link_or_as_markup(project, tmp_path, capsys, caplog):
    """A code example shows its text: `<script>` or a link to `files/示例.pdf` in a fenced block or a code
    span is neither dropped by sanitizing nor a broken link, and was warned about as both (on a record and
    on an ordinary page); so in code fenced inside a list item. Written outside code on the next line,
    each is still told."""
    example = ("\n\n嵌入地图的写法：\n\n```html\n<script src=\"map.js\"></script>\n<a href=\"files/示例.pdf\">下载</a>\n```\n\n"
               "链接写成 `[下载](files/示例.pdf)`。\n\n- 在列表中：\n  - 写在子项里：\n\n    ```html\n"
               "    <iframe src=\"steps.html\"></iframe>\n\n    <a href=\"files/步骤.pdf\">步骤</a>\n    ```\n\n"
               "<script>x()</script> [附表](files/没有.pdf)\n")
    record, guide = project / RECORD, project / "content/guide.md"
    record.write_text(record.read_text(encoding="utf-8") + example, encoding="utf-8")
    guide.write_text(guide.read_text(encoding="utf-8") + example.replace("files/", "records/finance/files/"),
                     encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    last = {rel: line_of(project, rel, "<script>x()</script>") for rel in (RECORD, "content/guide.md")}
    said = sorted((w["file"], w["line"], w["message"].split("，")[0]) for w in report["warnings"]
                  if w["file"] in last)
    assert said == [("content/guide.md", last["content/guide.md"], f"正文中的 <script> 不会发布（第 {last['content/guide.md']} 行）"),
                    (RECORD, last[RECORD], f"正文中的 <script> 不会发布（第 {last[RECORD]} 行）"),
                    (RECORD, last[RECORD], "正文中的链接或图片“files/没有.pdf”指向的文件不存在")], said
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    # an ordinary page's links are told once the build has its pages
    assert (f"content/guide.md:{last['content/guide.md']}: 警告: 正文中的链接或图片“records/finance/files/没有.pdf”"
            "指向的文件不存在") in caplog.text
    assert "示例.pdf" not in caplog.text and "map.js" not in caplog.text and "步骤.pdf" not in caplog.text
    page = (site / "records/finance/2024-general-budget.html").read_text(encoding="utf-8")
    assert "map.js" in page and "示例.pdf" in page and "steps.html" in page  # the examples, shown
    assert '<script src="map.js"' not in page and "<script>x()" not in page and '<iframe src="steps' not in page


def test_a_body_link_or_image_to_a_missing_or_withheld_file_is_a_warning_naming_the_line(project, tmp_path, capsys,
                                                                                          caplog):
    """A broken image or download on the page is told to the editor (file, line), in Chinese, on every
    build: MkDocs says nothing of raw HTML images, and a file can go while its record stays."""
    (project / "content" / "~$申请表.docx").write_bytes(b"word lock file")
    (project / "content/records/finance/files/附表.xlsx").write_bytes(b"PK\x03\x04 xlsx")
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "完整预算表见附件。", "完整预算表见附件。\n\n<img src=\"files/chart.png\" alt=\"图\">\n\n"
        "![结构](files/gone.jpg) [附表](files/%E9%99%84%E8%A1%A8.xlsx) [申请表](../../~$申请表.docx)\n\n"
        "[另一条](other-record.md) [领域](../../domains/) [顶部](#top)\n\n"
        "[搜索](../../search.md) [没有的页面](../../nothere-page.md)\n", 1), encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    said = sorted((w["line"], w["message"]) for w in report["warnings"] if w["file"] == RECORD)
    img, row = line_of(project, RECORD, "files/chart.png"), line_of(project, RECORD, "files/gone.jpg")
    other = line_of(project, RECORD, "other-record.md")
    assert said == [
        (img, "正文中的链接或图片“files/chart.png”指向的文件不存在，读者看到的是坏链接或无法显示的图片"),
        (row, "正文中的链接或图片“../../~$申请表.docx”指向的文件不会发布（见对该文件的提示），读者看到的是坏链接"),
        (row, "正文中的链接或图片“files/gone.jpg”指向的文件不存在，读者看到的是坏链接或无法显示的图片"),
        # a folder: from disk (this site's use_directory_urls: false, and a kiosk copy) a file listing
        (other, "正文中的链接“../../domains/”指向文件夹：从磁盘打开网站（包括查阅点离线版）时，读者看到的是文件列表，不是页面"),
        # a record's page that is not there (a page elsewhere is MkDocs' to check)
        (other, "正文中的链接“other-record.md”指向的记录不存在（已删除、改名或移走），读者看到的是坏链接")]
    hints = [w["hint"] for w in report["warnings"] if w["file"] == RECORD and "chart.png" in w["message"]]
    assert hints == ["把文件放到 content/records/finance/files/chart.png，或改正链接（相对于本记录所在文件夹，注意文件名的大小写）"]

    # the file comes: the warning goes, with the record unchanged (read from the parse cache)
    (project / "content/records/finance/files/chart.png").write_bytes(b"\x89PNG chart")
    assert main(["check", "-f", config, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(w["message"].split("”")[0] for w in report["warnings"] if w["file"] == RECORD) == [
        "正文中的链接“../../domains/", "正文中的链接“other-record.md", "正文中的链接或图片“../../~$申请表.docx",
        "正文中的链接或图片“files/gone.jpg"]
    for _ in range(2):  # the second build with the body from the cache
        caplog.clear()
        site = build_site(config, site_dir=str(tmp_path / "site"), report_date="2026-11-22")
        # told above in Chinese with the line; MkDocs' English line (without one) is not said too
        assert "正文中的链接或图片“files/gone.jpg”指向的文件不存在" in caplog.text
        # a page outside the records folder: known once the build has its pages (search.md is generated)
        assert f"{RECORD}:{line_of(project, RECORD, 'nothere-page.md')}: 警告: 正文中的链接“../../nothere-page.md”" \
            "指向的页面不存在（已删除、改名或移走），读者看到的是坏链接" in caplog.text
        assert "“../../search.md”" not in caplog.text
        assert "is not found among documentation files" not in caplog.text, caplog.text
        assert "unrecognized relative link" not in caplog.text, caplog.text  # the folder
    assert (site / "records/finance/files/附表.xlsx").is_file() and (site / "records/finance/files/chart.png").is_file()


def test_a_link_to_a_pages_html_is_checked_against_the_pages_the_site_writes(project, tmp_path, caplog):
    """Editors copy addresses from the browser: `about.html`, `../../domains/education.html`. MkDocs knows
    pages by their .md and said every such link was not found (in English, and a warning: `--strict`
    stopped on links that work), and the plugin's own check said so of ordinary pages too. A link to a
    page the site writes is fine; one to a page it does not write is told in Chinese with its line,
    from a record or a page, on every build (the second from the caches)."""
    record, guide = project / RECORD, project / "content/guide.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n见[领域](../../domains/education.html)、"
                      "[指南](../../guide.html)、[另一条](2022-general-budget.html)和[没有的](../../nothere.html)。\n",
                      encoding="utf-8")
    guide.write_text(guide.read_text(encoding="utf-8") + "\n见[关于](about.html)、[领域](domains/education.htm)"
                     "和[没有的](domains/nothere.html)。\n", encoding="utf-8")
    for _ in range(2):
        caplog.clear()
        build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
        said = [r.getMessage() for r in caplog.records if r.levelno >= 30]
        assert not [m for m in said if m.startswith("Doc file")], said  # MkDocs' English lines
        broken = sorted(m.split("警告: ")[1].split("指向")[0] for m in said if "指向的页面不存在" in m)
        assert broken == ["正文中的链接“../../nothere.html”", "正文中的链接“domains/education.htm”",
                          "正文中的链接“domains/nothere.html”"], said


def test_mkdocs_english_line_for_a_link_from_the_root_is_not_said_beside_the_chinese_warning(project, tmp_path, caplog):
    """A link from the server's root (`/about.html`) is warned of in Chinese, with its line, from a record and
    from an ordinary page. MkDocs' own line for it ("contains an absolute link …", INFO by default) is not
    said too, on a build from nothing and on one from the caches; a project that asks MkDocs to warn of
    such links gets MkDocs' warning still."""
    import logging

    record, guide = project / RECORD, project / "content/guide.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n见[关于](/about.html)和[表](/files/no.pdf)。\n",
                      encoding="utf-8")
    guide.write_text(guide.read_text(encoding="utf-8") + "\n见[首页](/)。\n", encoding="utf-8")
    caplog.set_level(logging.INFO)
    for _ in range(2):
        caplog.clear()
        build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
        lines = [r.getMessage() for r in caplog.records]
        assert not [m for m in lines if "absolute link" in m], lines
        told = sorted(m.split("“")[1].split("”")[0] for m in lines if "以“/”开头" in m)
        assert told == ["/", "/about.html", "/files/no.pdf"], lines
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nvalidation:\n  links:\n    absolute_links: warn\n",
                   encoding="utf-8")
    caplog.clear()
    build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    asked = sorted(r.getMessage().split("'")[3] for r in caplog.records
                   if r.levelno >= logging.WARNING and "absolute link" in r.getMessage())
    assert asked == ["/", "/about.html", "/files/no.pdf"], asked


PREVIEW_EDIT = """
import logging, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
from mkdocs.commands.build import build
from site_builder.commands.build import load_config, plugin_of
record = Path(sys.argv[2])
config = load_config(sys.argv[1], site_dir=sys.argv[3])
config.plugins.on_startup(command="serve", dirty=False)
config.site_url = "http://127.0.0.1:8000/"
build(config)
print("=== the body edited ===", file=sys.stderr, flush=True)
record.write_text(record.read_text(encoding="utf-8").replace("旧的一段。", "新的一段。"), encoding="utf-8")
print(plugin_of(config).preview_edits([record]), file=sys.stderr)
"""


def test_the_previews_quick_render_of_a_body_edit_says_no_english_line_for_a_link_told_in_chinese(project, tmp_path):
    """`disclosure serve` renders a record whose body alone changed at once (preview_edits), between two
    builds: its links are the last build's, told by it in Chinese, and MkDocs' English lines for them are
    not said either."""
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8") + "\n见[另一条](other-record.md)和"
                      "[页面](../../nothere-page.md)。\n\n旧的一段。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", PREVIEW_EDIT, str(project / "mkdocs.yml"), str(record),
                           str(tmp_path / "preview")], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr[-2000:]
    build, _, edit = done.stderr.partition("=== the body edited ===")
    assert "正文中的链接“other-record.md”指向的记录不存在" in build and "“../../nothere-page.md”指向的页面不存在" in build
    assert edit.split() == ["['records/finance/2024-general-budget.md']"], edit
    page = tmp_path / "preview/records/finance/2024-general-budget.html"
    assert "新的一段。" in page.read_text(encoding="utf-8")


def test_body_references_are_resolved_from_the_record_folder():
    body = ('![a](files/a%20b.png "t") [c](../other/c.pdf) [d](https://www.gov.cn/x.pdf) [e](#part)\n'
            '[ref]: files/ref.xlsx\n<img src="files/i.jpg"> <a href=\'/abs.pdf\'>x</a>')
    assert boundary.body_references(body, "records/finance") == ({
        "records/finance/files/a b.png", "records/other/c.pdf", "records/finance/files/ref.xlsx",
        "records/finance/files/i.jpg"}, True)  # [e](#part): a link to a place (render/anchors.py)
    assert boundary.body_references("没有链接的正文。\n\n## 标题 #\n", "records/x") == (set(), False)
    # the places a body links to: its own (#…) and another page's (….md#…), not in code, decoded
    body = "[a](#p1) [b](../other/c.md#%E4%BA%8C) [c](c.pdf#page=2) [d](#) `[e](#code)` [f](https://x.cn/#y)"
    assert [(w, path, place) for _, w, path, place in boundary.anchored_links(body, "records/finance/r.md")] == [
        ("#p1", "records/finance/r.md", "p1"), ("../other/c.md#%E4%BA%8C", "records/other/c.md", "二")]
    # nor in code fenced inside a list item, which both renderers show as code (sources/mdcode.py)
    body = "- 步骤：\n  - 写链接：\n\n    ```\n    [a](#in-code)\n\n    [b](file:///C:/a.doc)\n    ```\n\n[c](#p2)\n"
    assert [w for _, w, _, _ in boundary.anchored_links(body, "records/finance/r.md")] == ["#p2"]
    assert boundary.body_link_problems(body, "records/finance", 1) == []


# -- 6. output a server can serve, always complete -------------------------------------------------

def modes(folder: Path) -> set[tuple[str, int]]:
    found = {("d", stat.S_IMODE(os.stat(folder).st_mode))}
    for p in folder.rglob("*"):
        st = os.lstat(p)
        found.add(("d" if stat.S_ISDIR(st.st_mode) else "f" if stat.S_ISREG(st.st_mode) else "?",
                   stat.S_IMODE(st.st_mode)))
    return found


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_publish_modes_lists_with_find_what_the_walk_lists(tmp_path, monkeypatch):
    """`find` lists the entries whose mode is wrong; without it, a walk in Python lists the same ones."""
    from site_builder.commands import output

    def tree(root: Path) -> Path:
        (root / "a b/深\n层").mkdir(parents=True)
        (root / "ok").mkdir()
        for rel, mode in (("f.html", 0o600), ("a b/g.js", 0o644), ("a b/深\n层/h.xml", 0o640), ("ok/i", 0o644)):
            (root / rel).write_text("x")
            (root / rel).chmod(mode)
        (root / "a b").chmod(0o700)
        (root / "link").symlink_to("f.html")
        root.chmod(0o700)
        return root

    listed = output._listed_by_find(tree(tmp_path / "one"), 0o755, 0o644)
    walked = output._wrong_modes(tmp_path / "one", 0o755, 0o644)
    assert listed is not None and sorted(listed) == sorted(walked)
    assert {Path(p).relative_to(tmp_path).as_posix() for p in walked} == {
        "one", "one/f.html", "one/a b", "one/a b/深\n层/h.xml"}
    for name, find in (("one", True), ("two", False)):
        root = tree(tmp_path / name) if name == "two" else tmp_path / name
        if not find:
            monkeypatch.setattr(output.shutil, "which", lambda cmd: None)
        assert output.publish_modes(root, 0o022) == 4
        assert modes(root) - {("?", 0o777)} == {("d", 0o755), ("f", 0o644)}  # (a symbolic link is 0777)
        assert os.readlink(root / "link") == "f.html"
        assert output.publish_modes(root, 0o022) == 0


def test_site_kiosk_and_zip_are_readable_by_a_web_server(project, tmp_path, umask_022):
    (project / "content/records/finance/内部意见.txt").write_text("暂缓公开", encoding="utf-8")  # withheld from both
    config = str(project / "mkdocs.yml")
    site, kiosk = tmp_path / "site", tmp_path / "kiosk"
    assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0
    assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0  # cached pages
    assert main(["kiosk", "-f", config, "--out", str(kiosk)]) == 0
    assert stat.S_IMODE(os.stat(site).st_mode) == 0o755
    assert modes(site) == {("d", 0o755), ("f", 0o644)}
    assert modes(kiosk) == {("d", 0o755), ("f", 0o644)}
    archive = tmp_path / "kiosk.zip"
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o644
    with zipfile.ZipFile(archive) as zf:
        assert {(i.external_attr >> 16) & 0o777 for i in zf.infolist()} == {0o644}
        assert not [n for n in zf.namelist() if n.endswith("内部意见.txt")]
    assert not list(site.rglob("内部意见.txt")) and not list(kiosk.rglob("内部意见.txt"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kiosk.zip.")]


def test_swap_exchanges_atomically_and_falls_back_to_two_renames(tmp_path, monkeypatch):
    new, target, retired = tmp_path / "new", tmp_path / "site", tmp_path / ".site.old-1"
    new.mkdir()
    (new / "index.html").write_text("新", encoding="utf-8")
    assert output.swap(new, target, retired) is True  # first build: a plain rename
    new.mkdir()
    (new / "index.html").write_text("更新", encoding="utf-8")
    if sys.platform.startswith("linux"):
        inode = os.stat(new).st_ino
        assert output.swap(new, target, retired) is True
        assert os.stat(target).st_ino == inode  # the new folder itself, swapped in by renameat2
    else:
        output.swap(new, target, retired)
    assert (target / "index.html").read_text(encoding="utf-8") == "更新"
    assert (retired / "index.html").read_text(encoding="utf-8") == "新" and not new.exists()

    monkeypatch.setattr(output, "exchange", lambda a, b: False)  # a file system that cannot exchange
    new.mkdir()
    (new / "index.html").write_text("第三版", encoding="utf-8")
    retired2 = tmp_path / ".site.old-2"
    assert output.swap(new, target, retired2) is False
    assert (target / "index.html").read_text(encoding="utf-8") == "第三版"
    assert (retired2 / "index.html").read_text(encoding="utf-8") == "更新"


WATCH = r"""
import os, sys, time
index, stop = sys.argv[1], sys.argv[2]
checks = missing = 0
while not os.path.exists(stop):
    checks += 1
    try:
        os.stat(index)
    except FileNotFoundError:
        missing += 1
print(checks, missing)
"""


def test_site_is_never_missing_while_a_rebuild_swaps_it_in(project, tmp_path):
    config = str(project / "mkdocs.yml")
    site = tmp_path / "site"
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    stop = tmp_path / "stop"
    watcher = subprocess.Popen([sys.executable, "-c", WATCH, str(site / "index.html"), str(stop)],
                               stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(3):
            build_site(config, site_dir=str(site), report_date="2026-11-22")
    finally:
        stop.touch()
        checks, missing = map(int, watcher.communicate(timeout=30)[0].split())
    assert checks > 1000 and missing == 0


def test_a_killed_build_leaves_nothing_the_next_build_does_not_clean_up(project, tmp_path, umask_022):
    add_bulk_records(project, 400)
    config = str(project / "mkdocs.yml")
    site = tmp_path / "out" / "site"
    proc = cli("build", "-f", config, "-d", str(site))
    deadline = time.monotonic() + 240
    building = []
    while time.monotonic() < deadline and proc.poll() is None:
        building = list(site.parent.glob(".site.building-*")) if site.parent.exists() else []
        # in the middle of writing pages (the render workers are running)
        if building and len(list((building[0] / "records").rglob("*.html"))) > 50:
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert building and building[0].exists() and not site.exists()
    # the workers the build forked die with it: nothing goes on writing into its folder
    deadline = time.monotonic() + 10
    while processes_mentioning(str(site)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(site)) == []
    assert leftovers(site.parent) == [building[0].name]

    assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0
    assert leftovers(site.parent) == []  # the killed build's folder went while this one built
    assert (site / "index.html").is_file() and (site / "records/finance/bulk/r0400.html").is_file()
    assert modes(site) == {("d", 0o755), ("f", 0o644)}


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(project, tmp_path, capsys):
    add_bulk_records(project, 400)
    config = str(project / "mkdocs.yml")
    site = tmp_path / "site"
    lock = project / ".cache" / "disclosure" / "build.lock"
    first = cli("build", "-f", config, "-d", str(site), "--report-date", "2026-11-22")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None:
        if lock.is_file() and f"进程 {first.pid}，" in lock.read_text(encoding="utf-8"):
            break
        time.sleep(0.02)
    assert first.poll() is None, first.communicate()

    assert main(["build", "-f", config, "-d", str(tmp_path / "other")]) == 1
    assert main(["kiosk", "-f", config, "--out", str(tmp_path / "kiosk")]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    lines = [line for line in captured.err.splitlines() if "失败" in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"构建失败：本项目的另一次生成正在进行（进程 {first.pid}，开始于 ")
    assert "本次没有生成，原有输出未被改动。请等它结束后再运行。" in lines[0]
    assert lines[1].startswith(f"离线版生成失败：本项目的另一次生成正在进行（进程 {first.pid}，")
    assert not (tmp_path / "other").exists() and not (tmp_path / "kiosk").exists()

    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err.decode()
    assert (site / "index.html").is_file()
    # the lock is free again
    assert main(["build", "-f", config, "-d", str(tmp_path / "other"), "--report-date", "2026-11-22"]) == 0


def make_undeletable(paths: list[Path]) -> None:
    if os.geteuid() != 0:
        for p in paths:
            p.parent.chmod(0o555)
        return
    try:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot make a file undeletable as root here (chattr): {exc}")


def make_deletable(paths: list[Path]) -> None:
    if os.geteuid() != 0:
        for p in paths:
            p.parent.chmod(0o755)
        return
    subprocess.run(["chattr", "-i", *map(str, paths)], check=False, capture_output=True)


def test_a_read_only_leftover_gets_one_clear_line(project, tmp_path):
    config = str(project / "mkdocs.yml")
    site = tmp_path / "site"
    stuck = tmp_path / ".site.old-4242-1"
    stuck_files = []
    for n in range(40):
        folder = stuck / f"d{n % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{n}.html").write_text("旧页面", encoding="utf-8")
        stuck_files.append(folder / f"p{n}.html")
    make_undeletable(stuck_files)
    try:
        proc = cli("build", "-f", config, "-d", str(site), "--report-date", "2026-11-22")
        _, err = proc.communicate(timeout=600)
        err = err.decode("utf-8")
        assert proc.returncode == 0, err
        about = [line for line in err.splitlines() if ".site.old-4242-1" in line]
        assert len(about) == 1, err
        assert "无法删除以前的生成留下的文件夹" in about[0] and "不影响本次生成" in about[0]
        assert "rm:" not in err and "Operation not permitted" not in err.replace(about[0], "")
        assert (site / "index.html").is_file()
    finally:
        make_deletable(stuck_files)
    proc = cli("build", "-f", config, "-d", str(site), "--report-date", "2026-11-22")
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0 and "无法删除" not in err.decode("utf-8")
    assert not stuck.exists()
