"""The web form's configuration (admin/config.yml from the catalogue), admin/ in the built site and
not in the kiosk copy, and `disclosure check --fix` allocating 索引号."""

from __future__ import annotations

import json
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from site_builder.outputs import admin
from site_builder.sources.catalogue import load_catalogue
from site_builder.commands import admin_server
from site_builder.commands.cli import main
from site_builder.commands.fix import assign_index_numbers, insert_index_no
from site_builder.sources.records import KNOWN_KEYS

needs_decap = pytest.mark.skipif(not (ROOT / admin.DECAP_DIST / admin.DECAP_SCRIPT).exists(),
                                 reason="Decap CMS not installed: run `npm ci` (scripts/setup.sh does)")


@pytest.fixture(scope="module")
def cat():
    catalogue, problems = load_catalogue(ROOT / "catalogue", "catalogue")
    assert not problems.errors
    return catalogue


def site_info(**kw) -> admin.AdminSite:
    return admin.AdminSite(site_name="云溪县政府信息公开", records_folder="content/records", backend=kw.pop("backend", {}),
                           **kw)


def fields_of(config: dict, dep: str) -> dict:
    col = next(c for c in config["collections"] if c["name"] == admin.collection_name(dep))
    return {f["name"]: f for f in col["fields"]}


def test_one_collection_per_department_over_its_folder(cat):
    config = admin.cms_config(cat, site_info(), KNOWN_KEYS)
    assert [c["label"] for c in config["collections"]] == [d.name for d in cat.departments.values()]
    col = next(c for c in config["collections"] if c["name"] == "records-finance")
    assert col["folder"] == "content/records/finance"
    assert col["format"] == "yaml-frontmatter" and col["extension"] == "md"
    # attachments go into the record's own files/ folder, and the front matter says files/<name>
    assert col["media_folder"] == "files" and col["public_folder"] == "files"
    assert config["locale"] == "zh_Hans"
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}


def test_selects_offer_only_the_departments_own_choices_with_chinese_names(cat):
    config = admin.cms_config(cat, site_info(), KNOWN_KEYS)
    for dep in cat.departments.values():
        f = fields_of(config, dep.id)
        assert f["department"]["options"] == [{"label": dep.name, "value": dep.id}]
        assert f["department"]["default"] == dep.id
        assert [o["value"] for o in f["domains"]["options"]] == list(dep.domains)
        assert [o["label"] for o in f["domains"]["options"]] == [cat.domains[d].name for d in dep.domains]
        assert f["domains"]["multiple"] is True and f["domains"]["required"] is True
        items = [o["value"] for o in f["item"]["options"]]
        assert items and all(dep.id in cat.items[i].departments and cat.items[i].domain in dep.domains
                             for i in items)
        assert all(o["label"].startswith(cat.items[o["value"]].name) for o in f["item"]["options"])


def test_widgets_write_the_contract(cat):
    f = fields_of(admin.cms_config(cat, site_info(), KNOWN_KEYS), "finance")
    for name in ("date", "written"):
        assert f[name]["widget"] == "datetime"
        assert f[name]["format"] == "YYYY-MM-DD" and f[name]["time_format"] is False
    assert f["date"]["required"] and not f["written"]["required"]
    assert f["validity"]["options"] == ["有效", "失效", "废止"]
    assert f["index_no"]["widget"] == "dx-index-no"  # shown, never typed (admin.js)
    assert f["tags"]["widget"] == "list" and f["tags"]["field"]["widget"] == "string"  # a YAML list
    att = {x["name"]: x["widget"] for x in f["attachments"]["fields"]}
    assert att == {"title": "string", "path": "file"}
    assert f["body"]["widget"] == "markdown"
    assert list(f)[:5] == ["title", "index_no", "date", "department", "domains"]
    # the form offers exactly what the builder reads: nothing it writes is an unknown field
    assert set(f) - {"body"} <= KNOWN_KEYS


def test_contract_fields_get_their_widgets_once_the_builder_reads_them(cat):
    later = set(KNOWN_KEYS) | {"doc_type", "serves", "pinned", "replaces", "subject", "source"}
    f = fields_of(admin.cms_config(cat, site_info(), later), "finance")
    assert f["doc_type"]["options"] == ["规章", "行政规范性文件", "其他政策文件"]
    assert f["serves"]["multiple"] is True and f["pinned"]["widget"] == "boolean"
    assert f["replaces"]["pattern"][0] == admin.INDEX_NO_PATTERN


def test_config_yaml_round_trips_and_backends_reach_the_policy(cat):
    backend = {"name": "gitea", "repo": "county/disclosure", "base_url": "https://git.county.example.gov.cn",
               "api_root": "https://git.county.example.gov.cn/api/v1", "branch": "main"}
    config = admin.cms_config(cat, site_info(backend=backend), KNOWN_KEYS)
    text = admin.config_yaml(config)
    assert yaml.safe_load(text) == config
    assert "label: 财政预决算" in text  # Chinese written as is, not escaped
    policy = admin.content_security_policy(site_info(backend=backend))
    assert "https://git.county.example.gov.cn" in policy.split("connect-src")[1].split(";")[0]
    assert "script-src 'self' 'unsafe-eval'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "https://api.github.com" in admin.content_security_policy(site_info(backend={"name": "github"}))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline, self.meta = [], [], {}
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
            self.scripts.append(a)
        if tag == "meta" and a.get("http-equiv"):
            self.meta[a["http-equiv"]] = a.get("content")
        if tag == "style":
            self.inline.append("<style>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


@needs_decap
def test_built_site_has_admin_with_its_own_policy_and_no_inline_code(sample_site):
    page = _Page()
    page.feed((sample_site / "admin/index.html").read_text(encoding="utf-8"))
    assert [s["src"] for s in page.scripts] == ["decap-cms.js", "../assets/admin.js"]
    assert not page.inline
    assert "connect-src 'self'" in page.meta["Content-Security-Policy"]
    for s in page.scripts:
        assert (sample_site / "admin" / s["src"]).resolve().is_file()
    css = json.loads(page.scripts[1]["data-preview-css"])
    assert "../assets/site.css" in css and any("stylesheets/main." in c for c in css)
    assert all((sample_site / "admin" / c).resolve().is_file() for c in css)
    config = yaml.safe_load((sample_site / "admin/config.yml").read_text(encoding="utf-8"))
    assert len(config["collections"]) == 17
    assert not list((sample_site / "admin").glob("*.map"))  # no source maps shipped (25 MB)
    assert (sample_site / "admin/decap-cms.js.LICENSE.txt").is_file()


@pytest.mark.parametrize("site_fs", ["the same file system", "another file system"])
def test_decaps_files_are_linked_where_they_can_be_and_copied_elsewhere(tmp_path, site_fs):
    """Every build writes Decap's 6.7 MB into a new site folder: a hard link where the site is on the
    same file system as node_modules, a copy where it is not (/dev/shm is another here)."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / admin.DECAP_SCRIPT).write_bytes(b"decap" * 1000)
    (dist / "1.decap-cms.js.map").write_bytes(b"map")  # not shipped
    if site_fs == "the same file system":
        target = tmp_path / "site/admin"
    else:
        shm = Path("/dev/shm")
        if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
            pytest.skip("no second file system at /dev/shm")
        target = Path(tempfile.mkdtemp(dir=shm)) / "admin"
    try:
        written = admin.write_admin(target, dist, "backend: {}\n", "<!doctype html>")
        assert written == [admin.DECAP_SCRIPT, "config.yml", "index.html"]
        made, source = (target / admin.DECAP_SCRIPT).stat(), (dist / admin.DECAP_SCRIPT).stat()
        assert (target / admin.DECAP_SCRIPT).read_bytes() == b"decap" * 1000
        assert (made.st_ino == source.st_ino) == (site_fs == "the same file system")
        # a `--dirty` build writes into the last site's folder: the link there is replaced, not written into
        assert admin.write_admin(target, dist, "backend: {}\n", "<!doctype html>") == written
        assert (dist / admin.DECAP_SCRIPT).read_bytes() == (target / admin.DECAP_SCRIPT).read_bytes() == b"decap" * 1000
    finally:
        if site_fs != "the same file system":
            shutil.rmtree(target.parent)


def test_kiosk_copy_has_no_admin(kiosk_copy):
    assert not (kiosk_copy / "admin").exists()
    assert not (kiosk_copy / "assets/admin.js").exists()


def test_admin_can_be_turned_off(project, tmp_path):
    from site_builder.commands.cli import build_site

    site = build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), plugin_options={"admin": False})
    assert not (site / "admin").exists() and not (site / "assets/admin.js").exists()


# -- 索引号 allocation: disclosure check --fix ---------------------------------------------------------

FORM_RECORD = """---
title: 云溪县财政局2026年第三季度“三公”经费支出情况
date: 2026-10-15
department: finance
domains:
  - fiscal
item: fiscal-dept-budget
---
2026年第三季度，县财政局“三公”经费支出12.3万元。
"""


def test_insert_index_no_keeps_everything_else():
    assert insert_index_no(FORM_RECORD, "X/2026-00001").splitlines()[:3] == [
        "---", "title: 云溪县财政局2026年第三季度“三公”经费支出情况", "index_no: X/2026-00001"]
    empty = FORM_RECORD.replace("date:", "index_no: ''\ndate:")
    out = insert_index_no(empty, "X/2026-00001")
    assert out == FORM_RECORD.replace("date:", "index_no: X/2026-00001\ndate:")
    crlf = FORM_RECORD.replace("\n", "\r\n")
    assert insert_index_no(crlf, "X/2026-00001") == insert_index_no(FORM_RECORD, "X/2026-00001").replace("\n", "\r\n")


def test_check_fix_allocates_the_next_number_and_check_passes(project, capsys, cat):
    folder = project / "content/records/finance"
    (folder / "2026-10-15.md").write_text(FORM_RECORD, encoding="utf-8")
    older = FORM_RECORD.replace("2026-10-15", "2026-03-01").replace("第三季度", "第一季度")
    (folder / "2026-03-01.md").write_text(older, encoding="utf-8")
    config = str(project / "mkdocs.yml")
    assert main(["check", "-f", config]) == 1  # without --fix: 缺少必填字段 index_no
    assert "--fix" in capsys.readouterr().out
    assert main(["check", "-f", config, "--fix"]) == 0
    out = capsys.readouterr().out
    # oldest first: serials follow publication order; finance's 2026 serials end at 00027
    assert "content/records/finance/2026-03-01.md: 已分配索引号 011320503/2026-00028" in out
    assert "content/records/finance/2026-10-15.md: 已分配索引号 011320503/2026-00029" in out
    assert (folder / "2026-10-15.md").read_text(encoding="utf-8") == FORM_RECORD.replace(
        "date:", "index_no: 011320503/2026-00029\ndate:")
    assert main(["check", "-f", config, "--fix", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["assigned"] == []  # nothing left to number


def test_fix_leaves_records_it_cannot_number(project, cat):
    folder = project / "content/records/finance"
    (folder / "a.md").write_text(FORM_RECORD.replace("department: finance", "department: nowhere"), encoding="utf-8")
    (folder / "b.md").write_text(FORM_RECORD.replace("date: 2026-10-15", "date: 2026-13-45"), encoding="utf-8")
    (folder / "c.md").write_text(FORM_RECORD.replace("title:", "title: [", 1), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    assert assign_index_numbers(cat, project / "content") == []
    assert {p.name: p.read_bytes() for p in folder.glob("*.md")} == before


@pytest.mark.parametrize("line, numbered", [
    ("index_no: 011320503/2026-00001", False), ("index_no: '011320503/2026-00001'  # 已分配", False),
    ('index_no: "011320503/2026-00001"', False), ("index_no: 011320503/2026-00001 # x", False),
    ("index_no:", True), ("index_no: ''", True), ('index_no: ""', True), ("index_no:   # 待分配", True),
    # text, not YAML's null (sources/yamlsrc.py), and a key written twice: left for check to report
    ("index_no: ~", False), ("index_no: null", False), ("index_no: 011320503/2026-00001\nindex_no:", False),
    # in a block of text, not a field of its own
    ("summary: |\n  index_no: 011320503/2026-00001", True)])
def test_fix_reads_the_number_a_record_has_as_yaml_does(project, cat, line, numbered):
    """A record with a 索引号 is seen by one line of its front matter, without reading its YAML (most of
    a `check --fix` with nothing to do: 1.0 → 0.4 s at 10,000 records); whatever else it holds is read."""
    path = project / "content/records/finance/2026-10-15.md"
    path.write_text(FORM_RECORD.replace("date:", line + "\ndate:"), encoding="utf-8")
    assert [a.path.name for a in assign_index_numbers(cat, project / "content")] == (["2026-10-15.md"] if numbered else [])


def test_a_number_dropped_by_a_stale_form_comes_back(project, cat):
    """The form saved a record again from a copy opened before its 索引号 was allocated and committed."""
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args], cwd=project,
                       check=True, capture_output=True)

    git("init", "-q")
    record = project / "content/records/finance/2026-10-15.md"
    record.write_text(FORM_RECORD, encoding="utf-8")
    [first] = assign_index_numbers(cat, project / "content")
    git("add", ".")
    git("commit", "-q", "-m", "分配索引号")
    other = project / "content/records/finance/2026-10-16.md"
    other.write_text(FORM_RECORD.replace("2026-10-15", "2026-10-16"), encoding="utf-8")
    record.write_text(FORM_RECORD.replace("12.3万元", "12.4万元"), encoding="utf-8")  # the number is gone
    git("commit", "-q", "-am", "从表单保存")
    got = {a.path.name: a.index_no for a in assign_index_numbers(cat, project / "content")}
    assert got["2026-10-15.md"] == first.index_no  # given back, not a new one
    assert got["2026-10-16.md"] != first.index_no
    # in a `disclosure admin` session the number it gave is remembered without any commit
    remembered: dict = {}
    third = project / "content/records/finance/2026-10-17.md"
    third.write_text(FORM_RECORD.replace("2026-10-15", "2026-10-17"), encoding="utf-8")
    [a] = assign_index_numbers(cat, project / "content", previous=remembered)
    third.write_text(FORM_RECORD.replace("2026-10-15", "2026-10-17"), encoding="utf-8")
    assert [b.index_no for b in assign_index_numbers(cat, project / "content", previous=remembered)] == [a.index_no]


def test_admin_refuses_to_listen_beyond_this_machine(capsys):
    assert main(["admin", "-f", str(ROOT / "mkdocs.yml"), "--host", "0.0.0.0"]) == 2
    assert "本机地址" in capsys.readouterr().err


needs_proxy = pytest.mark.skipif(admin_server.find_proxy([ROOT]) is None,
                                 reason="decap-server not installed: run `npm ci` (scripts/setup.sh does)")


@needs_proxy
def test_admin_that_cannot_build_says_why_in_chinese_and_stops(project, capsys, caplog):
    """The first build fails on a content error: the error list, then a pointer to it and what to do, and
    not MkDocs' English 'Aborted with a BuildError!' (what the form's user saw after every failed save)."""
    (project / "content/records/finance/2024-general-budget.md").write_text("正文，没有元数据。\n", encoding="utf-8")
    assert main(["admin", "-f", str(project / "mkdocs.yml"), "--port", "0"]) == 1
    assert "2024-general-budget.md:1: 错误: 缺少开头的元数据" in caplog.text  # the list, as the build logs it
    err = capsys.readouterr().err
    assert "网站未生成：\n原因见上面列出的错误" in err  # no preview yet to stay on
    assert "请先按上面的提示改正，再运行 disclosure admin。" in err
    assert "Aborted" not in err and "BuildError" not in err


def test_a_save_finished_while_the_site_builds_is_built_again(tmp_path):
    """The form saves a record while a build reads it (half-written, the build fails): the next poll
    builds again, and only once. Fingerprinted after the build, the save was taken as built, and the
    preview stayed on the failed build (seen in CI)."""
    folder = tmp_path / "content"
    folder.mkdir()
    record = folder / "a.md"
    record.write_text("---\n", encoding="utf-8")  # what the build reads: the form has begun writing
    built = []

    def build() -> bool:
        built.append(record.read_text(encoding="utf-8"))
        if len(built) == 1:
            record.write_text("---\ntitle: 完整\n---\n正文\n", encoding="utf-8")  # the form finishes meanwhile
        return built[-1] != "---\n"

    prepared = []
    watcher = admin_server.Watcher([folder], lambda: prepared.append(1), build, settle=0)
    assert watcher.rebuild() is False
    assert watcher.poll() is True
    assert built == ["---\n", "---\ntitle: 完整\n---\n正文\n"] and len(prepared) == 2
    assert watcher.poll() is False and len(built) == 2  # nothing changed since: no build
    (folder / ".a.md.swp").write_text("x", encoding="utf-8")  # an editor's hidden file is not a change
    assert watcher.poll() is False
