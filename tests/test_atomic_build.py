"""Atomic, reproducible builds with progress: a failed build leaves the last good site/ byte-for-byte,
two builds of the same content are identical, and large builds report progress and a summary."""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import cold_copy
from site_builder.commands import build as cli  # the atomic swap lives in commands/build.py
from site_builder.commands.cli import build_site, main
from site_builder.plan.index import tag_slug
from site_builder.render.progress import Progress


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under root, with the hash of each file's bytes."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
    return out


def leftovers(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


BAD_RECORD = "---\ntitle: 缺少日期的记录\nindex_no: 011320503/2024-09999\ndepartment: finance\ndomains: [fiscal]\n---\n正文\n"


def test_failed_build_leaves_the_previous_site_untouched(project, tmp_path, capsys):
    config = str(project / "mkdocs.yml")
    site = tmp_path / "out" / "site"
    assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0
    before = snapshot(site)
    assert "index.html" in before and "report.html" in before and len(before) > 100
    # what the editor reads: the host's English progress lines, one naming the temporary folder, are not
    # among them (cli.HostProgress), and the last says where the site is
    said = capsys.readouterr()
    err = said.err
    assert "Building documentation" not in err and "Documentation built" not in err and ".building-" not in err
    assert "网站已生成" in said.out and f"{site}{os.sep}index.html" in said.out

    (project / "content/records/finance/zz-bad.md").write_text(BAD_RECORD, encoding="utf-8")
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err
    assert "content/records/finance/zz-bad.md:2: 错误: 缺少必填字段 date" in err
    assert snapshot(site) == before
    assert leftovers(site.parent) == []
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_failure_while_writing_pages_leaves_the_previous_site_untouched(project, tmp_path, capsys, monkeypatch):
    """Content is fine but a theme template breaks halfway: pages were already being written (into the
    temporary folder), and none of them reach site/."""
    config = str(project / "mkdocs.yml")
    site = tmp_path / "site"
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    before = snapshot(site)

    template = project / "theme" / "disclosure" / "years.html"  # rendered after the record pages
    template.write_text("{% extends 'main.html' %}{% block content %}{{ no_such_macro() }}{% endblock %}",
                        encoding="utf-8")
    removed: list[tuple[str, int]] = []
    real_rmtree = shutil.rmtree

    def spy_rmtree(path, *args, **kwargs):
        path = Path(path)
        if path.exists():
            removed.append((path.name, sum(1 for p in path.rglob("*.html"))))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(cli.shutil, "rmtree", spy_rmtree)
    assert main(["build", "-f", config, "-d", str(site)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，原有网站未被改动" in err and "no_such_macro" in err
    # the half-written temporary folder existed, had pages in it, and was removed
    assert len(removed) == 1 and removed[0][0].startswith(".site.building-") and removed[0][1] > 50
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_successful_build_replaces_the_site_whole(project, tmp_path):
    config = str(project / "mkdocs.yml")
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("上一版留下的页面", encoding="utf-8")
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    # the replaced site is deleted by the next build, while it builds (not on the rebuild's clock)
    [old] = leftovers(tmp_path)
    assert old.startswith(".site.old-") and (tmp_path / old / "stale.html").is_file()
    build_site(config, site_dir=str(site), report_date="2026-11-22")
    assert not (tmp_path / old).exists() and len(leftovers(tmp_path)) == 1
    assert (site / "index.html").is_file()


def test_two_builds_of_the_same_content_are_identical(project, tmp_path):
    config = str(project / "mkdocs.yml")
    first = build_site(config, site_dir=str(tmp_path / "a" / "site"), report_date="2026-11-22")
    second = build_site(config, site_dir=str(tmp_path / "b" / "site"), report_date="2026-11-22")  # warm caches
    cold = cold_copy(project, tmp_path / "cold")  # no caches (the policy library's files made once a session)
    third = build_site(str(cold / "mkdocs.yml"), site_dir=str(tmp_path / "c" / "site"), report_date="2026-11-22")
    a, b, c = snapshot(first), snapshot(second), snapshot(third)
    assert a.keys() == b.keys() == c.keys()
    assert [k for k in a if a[k] != b[k]] == [] and [k for k in a if a[k] != c[k]] == []
    assert "SOURCE_DATE_EPOCH" not in os.environ

    # the date MkDocs stamps into the sitemap is the newest record's, not the clock's
    newest = max(re.findall(r"^date: (\d{4}-\d\d-\d\d)", p.read_text(encoding="utf-8"), re.M)[0]
                 for p in (project / "content" / "records").rglob("*.md"))
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert max(lastmods) == newest  # records carry their own 发布日期, the rest the newest record's day
    with gzip.open(first / "sitemap.xml.gz") as gz:
        assert gz.read().decode("utf-8") == sitemap


EXTRA_RECORD = ("---\ntitle: 临时测试通知\nindex_no: 011320503/2024-09990\ndate: 2024-03-01\ndepartment: finance\n"
                "domains: [fiscal]\ntags: [临时测试主题词]\n---\n仅用于测试的正文。\n")


@pytest.mark.cold_caches  # a published page is edited in place: its cache entry is this project's own
def test_a_build_reuses_the_replaced_sites_record_pages_and_writes_what_a_fresh_build_writes(project, tmp_path):
    """The record and listing pages of the site a build replaces are moved into the next one
    (render/reuse.py): a page whose file is still the page cache's stays, and the site is still exactly a
    fresh build's, with no file or folder of a record or tag gone and no cache entry written into; a
    build that fails in between leaves them to the next."""
    config, site, day = str(project / "mkdocs.yml"), tmp_path / "site", "2026-11-22"
    records = project / "content" / "records"
    (records / "zz-extra").mkdir()
    (records / "zz-extra" / "note.md").write_text(EXTRA_RECORD, encoding="utf-8")
    build_site(config, site_dir=str(site), report_date=day)
    build_site(config, site_dir=str(site), report_date=day)  # the first build's site is now the replaced one
    [old] = leftovers(tmp_path)
    kept, edited, tampered = (Path("records/transport/2024-rural-roads-progress.html"),
                              Path("records/finance/2024-general-budget.html"),
                              Path("records/finance/2022-general-budget.html"))
    listing, gone_tag = Path("domains/education.html"), Path(f"tags/{tag_slug('临时测试主题词')}.html")
    assert (site / gone_tag).is_file()
    assert all(os.path.samefile(tmp_path / old / p, site / p) for p in (kept, listing))  # the cache's file
    # the replaced site's folders themselves move, and a file not linked again keeps its inode's ctime
    folders = {p: (tmp_path / old / p).stat().st_ino for p in (kept.parent, listing.parent)}
    ctimes = {p: (site / p).stat().st_ctime_ns for p in (kept, listing)}
    edited_before = (site / edited).read_bytes()
    # an edit, a record deleted (its folder with it), and a published page changed in place: through the
    # hard link, the page cache's file (and the replaced site's) changes with it
    body = records / "finance" / "2024-general-budget.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n补充说明：本段为测试新增。\n", encoding="utf-8")
    shutil.rmtree(records / "zz-extra")
    with open(site / tampered, "r+b") as fh:
        fh.seek(0, os.SEEK_END)
        fh.write(b"<!-- changed on the server -->")

    # a build that fails takes the folders too, and leaves them for the next one
    (records / "finance" / "zz-bad.md").write_text(BAD_RECORD, encoding="utf-8")
    assert main(["build", "-f", config, "-d", str(site), "--report-date", day]) == 1
    (records / "finance" / "zz-bad.md").unlink()
    assert any(p.startswith(".site.reuse-") for p in leftovers(tmp_path))

    build_site(config, site_dir=str(site), report_date=day)
    assert {p: (site / p).stat().st_ino for p in folders} == folders
    assert {p: (site / p).stat().st_ctime_ns for p in ctimes} == ctimes  # reused, not linked again
    assert not any(p.startswith(".site.reuse-") for p in leftovers(tmp_path))
    retired = [p for p in leftovers(tmp_path) if p != old]
    assert len(retired) == 1 and not (tmp_path / old).exists()
    # the edited record's last page is a cache entry of its own: it was replaced, not written into
    assert (tmp_path / retired[0] / edited).read_bytes() == edited_before
    assert "本段为测试新增" in (site / edited).read_text(encoding="utf-8")
    assert b"changed on the server" not in (site / tampered).read_bytes()
    assert not (site / "records" / "zz-extra").exists() and not (site / gone_tag).exists()

    cold = cold_copy(project, tmp_path / "cold")
    fresh = build_site(str(cold / "mkdocs.yml"), site_dir=str(tmp_path / "fresh" / "site"), report_date=day)
    a, b = snapshot(site), snapshot(fresh)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_an_explicit_source_date_epoch_is_respected(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    assert "<lastmod>2023-11-14</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


# --- progress -------------------------------------------------------------------------------------

class _Log:
    def __init__(self):
        self.lines: list[str] = []

    def info(self, msg):
        self.lines.append(msg)


def test_progress_logs_each_thousand_and_a_summary():
    log = _Log()
    p = Progress(log)
    for done in (300, 900, 1200, 1999, 2000, 2500):
        p.rendered(done, 2500)
    assert log.lines == ["已生成 1,200/2,500 个页面（48%）", "已生成 2,000/2,500 个页面（80%）"]
    small = _Log()
    Progress(small).rendered(400, 400)
    assert small.lines == []  # small sites: only the summary
    line = p.summary(1234, 2500, 77)
    assert re.fullmatch(r"生成完毕：公开信息 1,234 条，页面 2,500 个，RSS 订阅源 77 个，用时 \d+\.\d 秒", line)


def test_a_large_build_reports_progress_and_a_summary(project, tmp_path, caplog):
    bulk = project / "content/records/finance/bulk"
    bulk.mkdir()
    for n in range(1, 1101):
        (bulk / f"r{n:04d}.md").write_text(
            f"---\ntitle: 云溪县财政局批量测试信息第{n}号\nindex_no: 011320503/2019-{n:05d}\n"
            f"date: 2019-05-{n % 28 + 1:02d}\ndepartment: finance\ndomains: [fiscal]\nitem: fiscal-general-budget\n"
            f"---\n第{n}号测试信息的正文。\n", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date="2026-11-22")
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.disclosure"]
    progress = [m for m in messages if m.startswith("已生成 ") and "个页面" in m]
    assert progress, messages
    summary = [m for m in messages if m.startswith("生成完毕：")]
    assert len(summary) == 1
    records = int(re.search(r"公开信息 ([\d,]+) 条", summary[0]).group(1).replace(",", ""))
    assert records >= 1100
    feeds = int(re.search(r"RSS 订阅源 ([\d,]+) 个", summary[0]).group(1).replace(",", ""))
    opml = (tmp_path / "site" / "feeds.opml").read_text(encoding="utf-8")
    assert feeds == opml.count("xmlUrl=") > 0


def test_a_full_disk_is_told_in_chinese_and_leaves_the_previous_site_untouched(project, tmp_path, capsys):
    """The site's disk fills up halfway through a build (a real file system of 80 MB, a tmpfs: two sites fit, as a rebuild needs): the
    editor is told so, and what to free, not an OSError; the site stays as it was, nothing is left
    beside it, and once there is room the same command builds."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", str(disk)],
                                           capture_output=True).returncode != 0:
        import pytest

        pytest.skip("mounting a small file system needs root")
    try:
        config = str(project / "mkdocs.yml")
        site = disk / "site"
        assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0
        before = snapshot(site)
        filler = disk / "filler"
        with open(filler, "wb") as fh:  # all but 3 MB of what is left: a new site does not fit
            fh.truncate(0)
            fh.write(b"\0" * (shutil.disk_usage(disk).free - 3 * 1048576))
        capsys.readouterr()
        assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 1
        err = capsys.readouterr().err
        assert "构建失败，原有网站未被改动" in err and "磁盘空间不足" in err, err
        # the site's disk, nearly full, and the caches' (another disk here), each with its free space
        assert f"网站输出 {site} 所在的磁盘剩余 " in err and f"缓存 {project}/.cache/disclosure 所在的磁盘剩余 " in err, err
        assert "清理出空间后重新构建" in err and "可以删除" in err, err
        assert "Errno" not in err and "OSError" not in err and "RuntimeError" not in err, err
        assert snapshot(site) == before
        assert leftovers(disk) == []
        filler.unlink()
        assert main(["build", "-f", config, "-d", str(site), "--report-date", "2026-11-22"]) == 0
        assert snapshot(site) == before
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_recognised_wherever_in_the_build_it_struck():
    """output.disk_full: an OSError in the chain of causes (a page written in this process), or only the
    text of a worker's or the search index's process (its traceback); other failures are not."""
    import errno

    from site_builder.commands.output import disk_full, why_failed
    from site_builder.render.background import BackgroundError

    full = OSError(errno.ENOSPC, "No space left on device", "/srv/site/.site.building-x/index.html")
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError(f"Error building page 'index.md': {exc}") from exc
    except RuntimeError as wrapped:
        assert disk_full(wrapped) is full
        told = why_failed(wrapped, Path("/srv"))
        assert told.startswith("磁盘空间不足（写入 /srv/site/.site.building-x/index.html 时）：网站输出 /srv 所在的磁盘剩余 "), told
    quota = BackgroundError('Traceback (most recent call last):\n  ...\nOSError: [Errno 122] Disk quota exceeded: "x"')
    assert disk_full(quota) is True and why_failed(quota, Path("/srv")).startswith("磁盘空间不足：")
    assert disk_full(RuntimeError("Error building page 'a.md': [Errno 28] No space left on device")) is True
    for other in (OSError(errno.EACCES, "Permission denied", "/srv/site"), RuntimeError("no_such_macro"),
                  BackgroundError("ValueError: [Errno 2]")):
        assert disk_full(other) is False
        assert why_failed(other, Path("/srv")) == f"{type(other).__name__}: {other}"
