"""Every cache against stale output (issue 21): after each kind of edit an editor or an administrator
makes, a build that uses the caches (parsed records, rendered bodies, pages, feeds, the search index's
snapshot, compiled templates) writes exactly the files a build without any cache writes.

One project copy goes through the edits in order; after each, the cached build (same site folder, the
project's .cache/) is compared file by file with a fresh build of the same state (`fresh`: a copy of the
project without its caches)."""

from __future__ import annotations

import filecmp
import functools
import shutil
from pathlib import Path

import pytest

from conftest import caches_day, cold_copy, copy_project
from site_builder.commands.cli import build_site
from site_builder.mkdocs_adapter import plugin
from site_builder.parallel import Parallelism

DAY = "2026-11-22"
RECORD = "content/records/finance/2025-dept-budget.md"
INTERPRETATION = "content/records/civil-affairs/2025-dibao-rules-interpretation.md"


def build(project: Path, out: Path, cache: bool, day: str) -> Path:
    return build_site(str(project / "mkdocs.yml"), site_dir=str(out), report_date=day,
                      plugin_options={"cache": cache, "build_date": day})


def fresh(project: Path, out: Path, day: str) -> Path:
    """A build from nothing of `project` as it is now (cold_copy)."""
    return build(cold_copy(project, out.with_name(out.name + "-project")), out, True, day)


def differences(a: Path, b: Path) -> list[str]:
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(fa ^ fb) + sorted(f for f in fa & fb if not filecmp.cmp(a / f, b / f, shallow=False))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(p: Path) -> str:
    replace(p / RECORD, "\n---\n", "\n---\n\n缓存检查：正文改过的一句。\n")
    return "缓存检查：正文改过的一句"


def edit_body_again(p: Path) -> str:
    replace(p / RECORD, "\n---\n", "\n---\n\n缓存检查：正文又改过的一句。\n")
    return "缓存检查：正文又改过的一句"


def move_to_another_year(p: Path) -> str:
    text = (p / RECORD).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("date:"))
    replace(p / RECORD, line, "date: 2023-06-30")
    return ""


def new_record(p: Path) -> str:
    src = (p / RECORD).read_text(encoding="utf-8")
    index_line = next(x for x in src.splitlines() if x.startswith("index_no:"))
    title_line = next(x for x in src.splitlines() if x.startswith("title:"))
    (p / "content/records/finance/cache-guard-new.md").write_text(
        src.replace(index_line, "index_no: 003111216/2023-09999").replace(title_line, "title: 缓存检查新增的一条信息"),
        encoding="utf-8")
    return "缓存检查新增的一条信息"


def delete_record(p: Path) -> str:
    (p / "content/records/finance/cache-guard-new.md").unlink()
    return ""


def rename_department(p: Path) -> str:
    replace(p / "catalogue/departments.yml", "云溪县财政局", "云溪县财政局（缓存检查）")
    return "云溪县财政局（缓存检查）"


def rename_item(p: Path) -> str:
    text = (p / "catalogue/items.yml").read_text(encoding="utf-8")
    name = next(x for x in text.splitlines() if x.strip().startswith("name:"))
    replace(p / "catalogue/items.yml", name, name + "（缓存检查）")
    return "（缓存检查）"


def rename_domain(p: Path) -> str:
    """A 重点领域's name: shown on its records, its listings, the catalogue and the 发布机构 page, whose
    template reads it from the catalogue every page gets (only pages reading it are rendered again)."""
    replace(p / "catalogue/domains.yml", "name: 社会救助", "name: 社会救助（缓存检查）")
    return "社会救助（缓存检查）"


def department_phone(p: Path) -> str:
    """A department's 政策咨询电话: shown on its policy documents' pages."""
    replace(p / "catalogue/departments.yml", "phone: 0519-86600231", "phone: 0519-86600299")
    return "0519-86600299"


def apply_organ(p: Path) -> str:
    """The organ printed on the application form (page and the Word file kept in .cache/)."""
    replace(p / "mkdocs.yml", "apply_organ: 云溪县人民政府办公室（示例）", "apply_organ: 云溪县人民政府办公室（缓存检查）")
    return "云溪县人民政府办公室（缓存检查）"


def site_name(p: Path) -> str:
    replace(p / "mkdocs.yml", "site_name: 云溪县政府信息公开", "site_name: 云溪县政府信息公开（缓存检查）")
    return "云溪县政府信息公开（缓存检查）"


def page_size(p: Path) -> str:
    replace(p / "mkdocs.yml", "page_size: 20", "page_size: 7")
    return ""


def ordinary_page(p: Path) -> str:
    (p / "content/guide.md").write_text((p / "content/guide.md").read_text(encoding="utf-8")
                                        + "\n\n缓存检查：指南末尾加的一段。\n", encoding="utf-8")
    return "缓存检查：指南末尾加的一段"


def template(p: Path) -> str:
    replace(p / "theme/disclosure/record.html", "<caption>信息索引</caption>", "<caption>信息索引（缓存检查）</caption>")
    return "信息索引（缓存检查）"


def add_hook(p: Path) -> str:
    """A project's own `hooks:` file, which changes every body: a config edit, every page renders again."""
    (p / "hooks.py").write_text("def on_page_content(html, page, config, files):\n"
                                "    return html + '<p>缓存检查：钩子一</p>'\n", encoding="utf-8")
    (p / "mkdocs.yml").write_text((p / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - hooks.py\n",
                                  encoding="utf-8")
    return "缓存检查：钩子一"


def edit_hook(p: Path) -> str:
    """The hooks file edited, mkdocs.yml not: its version is no distribution's (cached bodies kept the
    old hook's output). Its length changes: Python takes a module's compiled copy for current when the
    file's size and mtime (in whole seconds) are unchanged, and this edit may come within the second."""
    replace(p / "hooks.py", "钩子一", "钩子二（改）")
    # MkDocs loads a hooks file once per process (an lru_cache): the next build loads it again, as the
    # next `disclosure build` would
    from mkdocs.config.config_options import Hooks
    Hooks._load_hook.cache_clear()
    return "缓存检查：钩子二（改）"


def interpretation_added(p: Path) -> str:
    """A 政策解读 published for a policy: the policy's page lists it (a page that reads another record)."""
    src = (p / INTERPRETATION).read_text(encoding="utf-8")
    (p / "content/records/civil-affairs/cache-guard-interpretation.md").write_text(
        src.replace("index_no: 011320506/2025-00032", "index_no: 011320506/2025-09998")
        .replace("title: 《", "title: 缓存检查第二篇解读《"), encoding="utf-8")
    return "缓存检查第二篇解读"


def interpreted_policy_renamed(p: Path) -> str:
    """The policy's title, which its 解读 pages show."""
    replace(p / "content/records/civil-affairs/2025-dibao-implementation-rules.md", "title: ", "title: 缓存检查改名")
    return "缓存检查改名"


def replaced_policy_renamed(p: Path) -> str:
    """A document another one revises (`replaces`): its title is shown on the new one's page."""
    old = next(f for f in (p / "content/records").rglob("*.md")
               if "index_no: 011320501/2021-00002" in f.read_text(encoding="utf-8"))
    replace(old, "title: ", "title: 缓存检查旧版")
    return "缓存检查旧版"


def feedback_withdrawn(p: Path) -> str:
    """A consultation's 采纳情况 removed: the consultation's page and the report change."""
    (p / "content/records/education/2026-student-aid-feedback.md").unlink()
    return ""


def task_reported_done(p: Path) -> str:
    """A 重点工作任务 report marked done: the task list reads it from the record."""
    replace(p / "content/records/trading-center/2026-procurement-intent-progress.md", "tasks: [2026-04]",
            "tasks: [2026-04]\ntask_status: 已完成")
    return ""


def moved_to_another_gazette_issue(p: Path) -> str:
    """A record moved to another 政府公报 issue and section: both issues' tables of contents change."""
    replace(p / INTERPRETATION, "gazette: 2025-02\ngazette_section: 政策解读", "gazette: 2025-03\ngazette_section: 部门文件")
    return ""


def catalogue_columns(p: Path) -> str:
    """The catalogues of the columns (tasks, projects, the gazette, open data) and a dataset's rows and an
    annual report's figure, each read by its own pages."""
    replace(p / "catalogue/tasks.yml", "task: 继续保持重大建设项目公开常态化", "task: 继续保持重大建设项目公开常态化（缓存检查）")
    text = (p / "catalogue/projects.yml").read_text(encoding="utf-8")
    name = next(x for x in text.splitlines() if x.strip().startswith("name:"))
    replace(p / "catalogue/projects.yml", name, name + "（缓存检查）")
    replace(p / "catalogue/gazette.yml", "  total: 26\n  date: 2025-06-30", "  total: 27\n  date: 2025-07-01")
    replace(p / "catalogue/datasets.yml", "name: 行政许可决定信息（2025—2026年）", "name: 行政许可决定信息（缓存检查）")
    rows = p / "content/data/dibao-2026.csv"
    lines = rows.read_text(encoding="utf-8").splitlines()
    rows.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    replace(p / "content/annual-reports/2025-gov.yml", "licensing: 12684", "licensing: 12685")
    return "继续保持重大建设项目公开常态化（缓存检查）"


# edits that leave most pages as they were go together (each one's pages still have to come out fresh);
# those that change every page (the site name, a template) are alone or with one that changes listings
STEPS = {
    "records": [edit_body, move_to_another_year, new_record, ordinary_page],
    "deletion-and-item": [delete_record, rename_item],
    "domain-and-contact": [rename_domain, department_phone],
    # pages that read other records (解读, 修订, 采纳情况, 任务, 公报), each edit apart from the page it
    # changes (the policy renamed would render its own page again, which a new 解读 changes too)
    "between-records": [interpretation_added, feedback_withdrawn, task_reported_done,
                        moved_to_another_gazette_issue],
    "records-others-show": [interpreted_policy_renamed, replaced_policy_renamed],
    "column-catalogues": [catalogue_columns],
    "department": [rename_department],  # alone: a config edit would render every page anyway
    "body-after-department": [edit_body_again],  # the plan's inputs as the last build's (PAST_FORKED_SIZE)
    "site-name-and-form": [site_name, apply_organ],
    "page-size-and-template": [page_size, template],
    "hook-added": [add_hook],
    "hook-edited": [edit_hook],
}


# Built as the search index is past Parallelism.search_beside_pages_max (100,000 records): in full by a
# fresh process, patched by a forked child with the documents' hashes and meta.js kept under the plan's
# world by the last build (outputs/search/writer.py); the second step's world is the first's.
PAST_FORKED_SIZE = {"department", "body-after-department"}


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    """The project, its cached site folder and the folder for the fresh builds: the edits run in order on
    one copy, which starts with the caches an earlier build left (of another day, elsewhere: copy_project)."""
    base = tmp_path_factory.mktemp("cache-guard")
    project = copy_project(base / "project")
    site = base / "site"
    build(project, site, True, DAY)
    return {"project": project, "site": site, "base": base}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_cached_build_after_edits_writes_what_a_fresh_build_writes(walk, step, monkeypatch):
    project, site = walk["project"], walk["site"]
    if step in PAST_FORKED_SIZE:
        monkeypatch.setattr(plugin, "Parallelism", functools.partial(Parallelism, search_beside_pages_max=0))
    needles = [edit(project) for edit in STEPS[step]]
    build(project, site, True, DAY)
    fresh_site = fresh(project, walk["base"] / f"fresh-{step}", DAY)
    assert differences(site, fresh_site) == []
    pages = [f.read_text(encoding="utf-8") for f in site.rglob("*.html")]
    for needle in filter(None, needles):
        assert any(needle in text for text in pages), needle


EXTENSION = """from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor


class Mark(Postprocessor):
    def run(self, text):
        return text + "<p>缓存检查：扩展一</p>"


class MarkExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Mark(md), "dx_cache_guard_mark", 1)


def makeExtension(**kwargs):
    return MarkExtension(**kwargs)
"""


def test_a_projects_own_markdown_extension_edited_renders_the_bodies_again(tmp_path, monkeypatch):
    """A Markdown extension that is the project's own Python (on the path, or installed from a working
    copy: no version changes) edited: the cached bodies are rendered again with it."""
    import sys

    project = copy_project(tmp_path / "project")
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "dx_cache_guard_ext.py").write_text(EXTENSION, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ext))
    replace(project / "mkdocs.yml", "markdown_extensions:\n", "markdown_extensions:\n  - dx_cache_guard_ext\n")
    page = tmp_path / "site" / RECORD.removeprefix("content/").replace(".md", ".html")
    build(project, tmp_path / "site", True, DAY)
    assert "缓存检查：扩展一" in page.read_text(encoding="utf-8")
    replace(ext / "dx_cache_guard_ext.py", "扩展一", "扩展二（改）")
    monkeypatch.delitem(sys.modules, "dx_cache_guard_ext")  # as the next `disclosure build` process imports it
    build(project, tmp_path / "site", True, DAY)
    text = page.read_text(encoding="utf-8")
    assert "缓存检查：扩展二（改）" in text and "缓存检查：扩展一" not in text


def test_a_file_added_after_a_body_linking_it_was_cached_gets_the_link_a_fresh_build_writes(tmp_path):
    """With `use_directory_urls`, MkDocs rewrites a body's link to a file the site has (`files/a.pdf` from
    `records/x/y/index.html` is `../files/a.pdf`) and leaves one to a file it lacks. The editor is warned
    of the missing file and adds it: the next cached build wrote the link as it was, still broken."""
    project = copy_project(tmp_path / "project", caches=False)
    replace(project / "mkdocs.yml", "use_directory_urls: false", "use_directory_urls: true")
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8") + "\n\n详见[补充表](files/cache-guard-later.pdf)。\n",
                      encoding="utf-8")
    site = tmp_path / "site"
    build(project, site, True, DAY)
    shutil.copy(next((project / "content").rglob("*.pdf")), record.parent / "files/cache-guard-later.pdf")
    build(project, site, True, DAY)
    page = site / RECORD.removeprefix("content/").replace(".md", "/index.html")
    assert 'href="../files/cache-guard-later.pdf"' in page.read_text(encoding="utf-8")
    assert differences(site, fresh(project, tmp_path / "fresh", DAY)) == []


def test_a_copy_with_the_sessions_caches_renders_no_page_again(tmp_path, caplog):
    """What the suite's copies of the sample stand on (conftest.copy_project): a copy's build as the
    session's was made (same options and day, another folder) takes every page from the copied caches. A
    build option that reached every page's key (`strict` did, once the session's build was strict) would
    have every test that builds a copy render all its pages."""
    import logging

    project = copy_project(tmp_path / "project")
    with caplog.at_level(logging.INFO):
        build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"),
                   plugin_options={"build_date": caches_day()})
    said = [r.getMessage() for r in caplog.records if "个重新生成" in r.getMessage()]
    assert said and said[0].startswith("页面：0 个重新生成"), said


def test_a_later_build_day_publishes_a_scheduled_record_in_a_cached_build(walk):
    """A record dated after the build day is held back; on its day the cached build publishes it, as a
    fresh build does."""
    project, site = walk["project"], walk["site"]
    src = (project / RECORD).read_text(encoding="utf-8")
    index_line = next(x for x in src.splitlines() if x.startswith("index_no:"))
    date_line = next(x for x in src.splitlines() if x.startswith("date:"))
    title_line = next(x for x in src.splitlines() if x.startswith("title:"))
    (project / "content/records/finance/cache-guard-scheduled.md").write_text(
        src.replace(index_line, "index_no: 003111216/2026-09998").replace(date_line, "date: 2026-11-25")
        .replace(title_line, "title: 缓存检查定时发布的信息"), encoding="utf-8")
    build(project, site, True, DAY)
    assert not any("缓存检查定时发布的信息" in f.read_text(encoding="utf-8") for f in site.rglob("*.html"))
    build(project, site, True, "2026-11-25")
    fresh_site = fresh(project, walk["base"] / "fresh-scheduled", "2026-11-25")
    assert differences(site, fresh_site) == []
    assert (site / "records/finance/cache-guard-scheduled.html").is_file()


def test_a_page_key_holds_the_parts_of_the_catalogue_its_template_reads():
    """fingerprints.ContextReads: through extends, include, import and a template named at run time; a
    use of the whole catalogue (or by a computed key) makes the page depend on all of it. Shares: a
    template that reads the departments' names does not depend on their phone numbers."""
    from dataclasses import dataclass, replace as changed

    from jinja2 import DictLoader, Environment

    from site_builder.render.fingerprints import ContextReads, Shares, reads_json

    env = Environment(loader=DictLoader({
        "base.html": '{% include "partials/lang/" ~ lang ~ ".html" %}{% block c %}{% endblock %}',
        "partials/lang/zh.html": "{{ catalogue.domains[x].name }}",
        "macros.html": "{% macro m(r) %}{{ catalogue['departments'][r].name }}{% endmacro %}",
        "page.html": '{% extends "base.html" %}{% import "macros.html" as m with context %}{% block c %}{{ m.m(1) }}{% endblock %}',
        "plain.html": "<p>{{ links.catalogue() }}</p>",
        "loop.html": "{% for d in catalogue.departments.values() %}{{ d.phone }}{% endfor %}",
        "whole.html": '{% extends "base.html" %}{{ catalogue | length }}',
        "computed.html": "{{ catalogue[key] }}",
        "aside.html": "{% set c = catalogue %}{{ c.items }}",
        "optional.html": '{% include "nowhere.html" ignore missing %}{{ catalogue.tasks[t].name }}',
        "broken.html": "{{ catalogue.domains[x].name }}{% if %}",
    }))
    reads = ContextReads(env, "catalogue")
    assert reads.of("page.html") == {("domains", "name"), ("departments", "name")}
    assert reads.of("plain.html") == frozenset()
    assert reads.of("partials/lang/zh.html") == {("domains", "name")}
    assert reads.of("loop.html") == {("departments", "")}
    assert reads.of("whole.html") is None
    assert reads.of("computed.html") is None
    assert reads.of("aside.html") is None
    assert reads.of("optional.html") == {("tasks", "name")}
    assert reads.of("broken.html") is None  # its rendering reports the mistake

    @dataclass(frozen=True)
    class Dep:
        name: str
        phone: str

    @dataclass
    class Cat:
        departments: dict
        domains: dict

    import json
    known = json.loads(reads_json(env, "catalogue", ["page.html", "loop.html", "whole.html"]))
    before = Cat({"a": Dep("财政局", "1")}, {})
    after = Cat({"a": changed(before.departments["a"], phone="2")}, {})
    renamed = Cat({"a": changed(before.departments["a"], name="财政局（新）")}, {})
    share = {"before": Shares(before, known, {}), "after": Shares(after, known, {}), "renamed": Shares(renamed, known, {})}
    assert share["before"].of("page.html") == share["after"].of("page.html")  # the phone: not shown
    assert share["before"].of("page.html") != share["renamed"].of("page.html")
    assert share["before"].of("loop.html") != share["after"].of("loop.html")
    assert share["before"].of("whole.html") != share["after"].of("whole.html")
    # entries Jinja reads by item (no attribute): the page depends on the whole entries
    plain = Shares(Cat({"a": {"name": "财政局", "phone": "1"}}, {}), known, {})
    plain_after = Shares(Cat({"a": {"name": "财政局", "phone": "2"}}, {}), known, {})
    assert plain.of("page.html") != plain_after.of("page.html")


def test_a_page_keys_digest_is_the_same_for_equal_values_however_they_were_made():
    """fingerprints.digest_of_described, which every page's key goes through: equal descriptions give one
    digest whether their strings are interned or made at run time, one object or several, in this process
    or in another with another hash seed; a tuple for a list, True for 1, 1.0 for 1, a Markup for its
    text give another."""
    import os
    import subprocess
    import sys

    from markupsafe import Markup

    from site_builder.render.fingerprints import digest_of_described as digest

    made = "".join(["信息", "公开"])  # at run time: not interned, another object each time
    one = [("title", sys.intern("信息公开")), ("tags", [made, made]), 3, 1.5, None, True, "a" * 300]
    other = [("title", made), ("tags", ["信息公开", "".join(["信息", "公开"])]), 3, 1.5, None, True, "a" * 300]
    assert digest(one) == digest(other)
    code = f"from site_builder.render.fingerprints import digest_of_described as d; print(d({other!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert done.stdout.strip() == digest(one)
    kinds = [[1], (1,), [True], [1.0], ["1"], [Markup("1")], [[1]], [None]]
    assert len({digest(k) for k in kinds}) == len(kinds)


def test_the_records_a_preview_keeps_in_memory_give_what_a_fresh_build_gives(tmp_path):
    """`disclosure serve` hands each build's parsed records to the next (plugin.continue_from) instead
    of reading .cache/ again: unchanged files are taken as they are, an edited, added or deleted file
    is seen, and the site equals a fresh build's."""
    from mkdocs.commands.build import build as mkdocs_build

    from site_builder.commands.build import load_config, plugin_of

    project = copy_project(tmp_path / "project")

    def build_in_process(site: Path, previous=None):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        plugin = plugin_of(config)
        plugin.config.build_date = DAY
        plugin.config.report_date = DAY
        if previous is not None:
            plugin.continue_from(previous)
        mkdocs_build(config)
        return plugin

    first = build_in_process(tmp_path / "site")
    kept = {r.src_path: r for r in first.project.records}
    edit_body(project)
    replace(project / RECORD, "title: ", "title: 缓存检查改过的标题")
    needle = new_record(project)
    gone = sorted(kept)[0]
    (project / "content" / gone).unlink()
    second = build_in_process(tmp_path / "site", first)
    again = {r.src_path: r for r in second.project.records}
    changed = {"records/finance/2025-dept-budget.md", "records/finance/cache-guard-new.md", gone}
    assert all(again[src] is kept[src] for src in kept if src not in changed)  # from memory, not read again
    assert "缓存检查改过的标题" in again["records/finance/2025-dept-budget.md"].title
    assert gone not in again and needle in again["records/finance/cache-guard-new.md"].title
    fresh_site = fresh(project, tmp_path / "fresh", DAY)
    assert differences(tmp_path / "site", fresh_site) == []


def test_the_body_cache_keeps_exactly_the_bodies_a_build_used(tmp_path):
    """caches.BodyCache.save: the bodies a build did not use go, from the file and from the index the
    preview's next build lists; those it used, whether read or made by this build, stay."""
    from site_builder.render.caches import Body, BodyCache

    path = tmp_path / "bodies.sqlite"
    first = BodyCache(path)
    first.put([(k, Body(f"<p>{k}</p>", None, set(), k, warnings=(f"w{k}",) if k == "b" else ())) for k in "abc"])
    again = BodyCache(path)
    assert set(again.index) == {"a", "b", "c"} and again.index["b"] == (None, ("wb",))
    again.put([("d", Body("<p>d</p>", None, set(), "d"))])
    again.save({"b", "d"})
    assert set(again.index) == {"b"}  # read at the start and used; "d" was made by this build
    assert again.get("a") is None and again.get("c") is None and again.get("d").html == "<p>d</p>"
    assert set(BodyCache(path).index) == {"b", "d"}


def test_a_finished_build_leaves_the_body_cache_closed(tmp_path):
    """A build's body cache is closed when it is saved: SQLite removes its -wal and -shm files only when
    the last connection closes, and a connection left open until the build's objects were collected
    removed them later, under a copy of the project being made (a test's copy failed: `cp: cannot stat
    bodies.sqlite-wal`). Read after that, the cache opens again."""
    from site_builder.render.caches import Body, BodyCache

    project = copy_project(tmp_path / "project")
    build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), report_date=DAY)
    folder = project / ".cache/disclosure"
    assert (folder / "bodies.sqlite").exists()
    assert not (folder / "bodies.sqlite-wal").exists() and not (folder / "bodies.sqlite-shm").exists()

    path = tmp_path / "bodies.sqlite"
    cache = BodyCache(path)
    cache.put([("a", Body("<p>a</p>", None, set(), "a"))])
    cache.save({"a"})
    assert not (tmp_path / "bodies.sqlite-wal").exists() and not (tmp_path / "bodies.sqlite-shm").exists()
    assert cache.get("a").html == "<p>a</p>"


def test_a_made_once_folder_keeps_the_entries_used_last(tmp_path):
    """caches.made_once: the bytes are made once per key, and the folder does not grow with every key
    a build ever had (the catalogue reads and the application form each have one per build fingerprint)."""
    import os
    import time

    from site_builder.render.caches import MADE_ONCE_KEPT, made_once

    made = []
    for n in range(MADE_ONCE_KEPT + 3):
        assert made_once(tmp_path, f"k{n}", lambda n=n: made.append(n) or f"v{n}".encode()) == f"v{n}".encode()
        os.utime(tmp_path / f"k{n}", ns=(time.time_ns() - (100 - n) * 10**9,) * 2)  # distinct ages, oldest first
    newest = {f"k{n}" for n in range(3, MADE_ONCE_KEPT + 3)}
    assert {p.name for p in tmp_path.iterdir()} == newest
    assert made_once(tmp_path, f"k{MADE_ONCE_KEPT + 2}", lambda: b"again") == f"v{MADE_ONCE_KEPT + 2}".encode()
    assert made == list(range(MADE_ONCE_KEPT + 3))
    # the oldest entry, used again, outlives those made after it: pruned by last use
    for n in range(3, MADE_ONCE_KEPT + 3):
        os.utime(tmp_path / f"k{n}", ns=(time.time_ns() - (100 - n) * 10**9,) * 2)
    assert made_once(tmp_path, "k3", lambda: b"again") == b"v3"
    for n in range(MADE_ONCE_KEPT - 1):
        made_once(tmp_path, f"new{n}", lambda: b"new")
    assert "k3" in {p.name for p in tmp_path.iterdir()}
    assert len(list(tmp_path.iterdir())) == MADE_ONCE_KEPT


def test_the_parse_cache_written_in_parts_gives_back_every_record(tmp_path, monkeypatch):
    """.cache/disclosure/records.pickle is written a part at a time (a single pickle kept every body's
    UTF-8 copy alive until it ended); the next load takes every unchanged record from it, none parsed
    again, and sees an edited one."""
    from site_builder.sources import validate

    project = copy_project(tmp_path / "project", caches=False)
    cache = project / ".cache" / "disclosure" / "records.pickle"
    monkeypatch.setattr(validate, "SAVE_PART", 2)  # several parts even in the sample project

    def load():
        return validate.load_project(project / "content", project / "catalogue", root=project, cache_path=cache)

    first = load()
    assert len(first.records) > 4 and first.problems.errors == []
    parsed = []
    real = validate._parse_one
    monkeypatch.setattr(validate, "_parse_one", lambda *a, **k: parsed.append(a[1]) or real(*a, **k))
    edit_body(project)
    second = load()
    assert parsed == [RECORD.removeprefix("content/")]
    assert sorted(r.src_path for r in second.records) == sorted(r.src_path for r in first.records)
    assert [r.body for r in second.records if r.src_path != parsed[0]] == \
        [r.body for r in first.records if r.src_path != parsed[0]]


def test_a_value_records_repeat_is_one_object_in_the_parse_cache_and_records_read_back_equal_fresh_ones(tmp_path):
    """The fields whose values repeat from record to record (validate.REPEATED_FIELDS: the front matter's
    line numbers, the department, the date …) hold one object per distinct value, as parsed and as read
    back from the cache file (which then writes each once per part, and its reader makes each once); every
    record read back equals, field by field, its file parsed without a cache, and keeps its front matter
    as a digest (Record.keep_front_digest), not as text."""
    import dataclasses
    import hashlib

    from site_builder.sources import validate
    from site_builder.sources.records import split_front_matter

    project = copy_project(tmp_path / "project", caches=False)
    cache = project / ".cache" / "disclosure" / "records.pickle"

    def load(cache_path):
        return validate.load_project(project / "content", project / "catalogue", root=project,
                                     cache_path=cache_path).records

    fresh = {r.src_path: r for r in load(None)}
    for round_ in ("parsed", "from the parse cache"):
        records = load(cache)
        assert cache.is_file() and len(records) == len(fresh) <= validate.SAVE_PART  # one part: shared by all
        for name in validate.REPEATED_FIELDS:
            objects: dict = {}
            for r in records:
                value = getattr(r, name)
                objects.setdefault(repr(value), set()).add(id(value))
            assert all(len(ids) == 1 for ids in objects.values()), (round_, name)
        assert len({id(r.lines) for r in records}) < len(records) // 2  # 40 layouts of the front matter here
        for r in records:
            for f in dataclasses.fields(r):
                assert getattr(r, f.name) == getattr(fresh[r.src_path], f.name), (round_, r.src_path, f.name)
            # the front matter's text, read by the file's checks, is kept as its digest only
            front, _, _ = split_front_matter((project / "content" / r.src_path).read_text(encoding="utf-8"))
            assert r.front == "" and r.front_digest == hashlib.sha256(front.encode("utf-8")).hexdigest()


def test_a_record_keeps_the_digest_of_its_fields_through_the_parse_cache_and_the_plan(tmp_path):
    """Record.fields_digest, made once and kept in the parse cache, describes each record in every
    listing's page key. It stays true only if nothing changes a record's fields once read, the URL aside:
    after the plan, every record of the sample site, fresh or from the parse cache, has the digest a
    fresh copy of it makes. So does its sort key, kept the same way."""
    import dataclasses

    from site_builder import pipeline
    from site_builder.sources import validate

    project = copy_project(tmp_path / "project", caches=False)
    cache = project / ".cache" / "disclosure" / "records.pickle"
    options = pipeline.SiteOptions(site_name="云溪县政府信息公开", site_url="https://yunxi.example.gov.cn/",
                                   site_description="", use_directory_urls=False, page_size=20,
                                   feed_length=20, feeds=True, report_date=validate.today())
    for round_ in ("parsed", "from the parse cache"):
        loaded = pipeline.load(project / "content", project / "catalogue", project, "records", cache,
                               validate.today(), project / "mkdocs.yml")
        assert loaded.problems.errors == []
        if round_ == "from the parse cache":
            assert all("_fields_digest" in r.__dict__ and "_sort_key" in r.__dict__ for r in loaded.records)
        for r in loaded.records:
            r.fields_digest()
        pipeline.plan(loaded, options)
        assert all(r.url for r in loaded.records)
        for r in loaded.records:
            fresh = dataclasses.replace(r)
            assert "_fields_digest" not in fresh.__dict__
            assert fresh.fields_digest() == r.fields_digest(), (round_, r.src_path)
            assert fresh.sort_key() == r.sort_key(), (round_, r.src_path)  # kept the same way
            assert r.cache_fingerprint() == (r.fields_digest(), r.url)
        changed = dataclasses.replace(loaded.records[0], title=loaded.records[0].title + "（修订）")
        assert changed.fields_digest() != loaded.records[0].fields_digest()
        assert cache.is_file()


def test_page_keys_are_taken_from_the_last_build_only_when_the_plans_inputs_are_unchanged(tmp_path, monkeypatch):
    """caches.KeyMemo: after a body edit, every page's key material comes from the last build, and it is
    what describing every page's context again gives; after an edit the plan reads, none of it is taken."""
    from site_builder.render import caches

    project = copy_project(tmp_path / "project")
    loaded, saved = [], []
    real_load, real_save = caches.KeyMemo.load, caches.KeyMemo.save
    monkeypatch.setattr(caches.KeyMemo, "load", lambda self, world: loaded.append(real_load(self, world)) or loaded[-1])
    monkeypatch.setattr(caches.KeyMemo, "save", lambda self, keys: saved.append(dict(keys)) or real_save(self, keys))
    memo = project / ".cache" / "disclosure" / "page-keys"
    shutil.rmtree(memo)  # the other caches as an earlier build left them

    build(project, tmp_path / "site", True, DAY)
    assert loaded[-1] == {} and len(list(memo.iterdir())) == 1 and len(saved[-1]) > 100
    first = saved[-1]
    edit_body(project)
    build(project, tmp_path / "site", True, DAY)
    assert loaded[-1] == first  # every page's, from the memo
    build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "kiosk"), report_date=DAY,
               plugin_options={"cache": True, "build_date": DAY, "kiosk": True, "feeds": False})
    assert loaded[-1] == {} and len(list(memo.iterdir())) == 2  # a kiosk copy: its own
    build(project, tmp_path / "site", True, DAY)
    assert loaded[-1] == first  # the site's is still there
    shutil.rmtree(memo)
    build(project, tmp_path / "site", True, DAY)
    assert loaded[-1] == {} and saved[-1] == first  # made again: the same
    assert not differences(tmp_path / "site", fresh(project, tmp_path / "fresh", DAY))

    move_to_another_year(project)  # a field the plan reads
    build(project, tmp_path / "site", True, DAY)
    assert loaded[-1] == {} and saved[-1] != first
    build(project, tmp_path / "site", True, "2026-11-23")  # another build day: statuses may change
    assert loaded[-1] == {}


def test_the_page_cache_links_only_files_unchanged_since_they_were_cached(tmp_path):
    """PageCache.place_checked, run by the process that links the unchanged pages: a cached file edited
    in place (the same inode as a published page) is not linked, and its fp comes back to be rendered."""
    from site_builder.render.caches import PageCache

    cache = PageCache(tmp_path / "pages")
    stamps = {}
    for name in ("a", "b"):
        out = tmp_path / "old" / f"{name}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"<p>{name}</p>", encoding="utf-8")
        stamps["fp" + name] = cache.store("fp" + name, str(out))
    cache.save(stamps)
    cache = PageCache(tmp_path / "pages")
    with (tmp_path / "old" / "b.html").open("a", encoding="utf-8") as fh:  # the published page, edited
        fh.write("<!-- tampered -->")
    new = tmp_path / "new"
    assert cache.place_checked([("fpa", str(new / "a.html")), ("fpb", str(new / "b.html"))]) == ["fpb"]
    assert (new / "a.html").read_text(encoding="utf-8") == "<p>a</p>" and not (new / "b.html").exists()


def test_a_cached_page_placed_over_a_page_on_another_file_system_replaces_it(tmp_path):
    """PageCache.place into a site on another file system than the cache (site_dir on another disk)
    where a page is already there (a `--dirty` build): the page becomes a copy of the cached one, not an
    error (the link across file systems failed after the old page was removed), and the cached file is
    left as it was."""
    import shutil
    import tempfile

    from site_builder.render.caches import PageCache

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system at /dev/shm")
    cached = tmp_path / "pages" / "fpa.html"
    cached.parent.mkdir()
    cached.write_text("<p>cached</p>", encoding="utf-8")
    site = Path(tempfile.mkdtemp(dir=shm))
    try:
        (site / "a.html").write_text("<p>old</p>", encoding="utf-8")
        PageCache(None).place(str(cached), str(site / "a.html"))
        assert (site / "a.html").read_text(encoding="utf-8") == "<p>cached</p>"
        assert cached.read_text(encoding="utf-8") == "<p>cached</p>"
    finally:
        shutil.rmtree(site)


def test_a_page_stored_again_under_its_key_replaces_the_cached_file_and_leaves_the_old_page_alone(tmp_path):
    """A first build's pages are linked into the cache under their keys; a page rendered again under a key
    the cache holds (its cached file was edited, so it was not reused) replaces that file whole."""
    from site_builder.render.caches import PageCache

    cache = PageCache(tmp_path / "pages")
    first, again = tmp_path / "one" / "a.html", tmp_path / "two" / "a.html"
    for out, text in ((first, "<p>1</p>"), (again, "<p>2</p>")):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        stamp = cache.store("fpa", str(out))
    assert first.read_text(encoding="utf-8") == "<p>1</p>" and not first.samefile(again)
    cache.save({"fpa": stamp})
    new = tmp_path / "new" / "a.html"
    assert PageCache(tmp_path / "pages").place_checked([("fpa", str(new))]) == []
    assert new.read_text(encoding="utf-8") == "<p>2</p>" and new.samefile(again)
    assert sorted(p.name for p in (tmp_path / "pages").rglob("*") if p.is_file()) == ["fpa.html", "index.pickle"]


def test_the_unchanged_pages_are_linked_by_a_process_per_core_and_one_failing_fails_the_linking(tmp_path):
    """Linking: the pages split by path between the processes (a folder's pages together), every one
    linked from the cache; when one process fails, result() says so and the other is not left behind."""
    import os

    from site_builder.parallel import Parallelism
    from site_builder.render.background import BackgroundError
    from site_builder.render.caches import PageCache
    from site_builder.render.pool import Job, Linking

    cache, stamps, links = PageCache(tmp_path / "pages"), {}, []
    for folder in ("a", "b", "c", "d"):
        for i in range(5):
            out = tmp_path / "old" / folder / f"{i}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"<p>{folder}{i}</p>", encoding="utf-8")
            stamps[f"fp{folder}{i}"] = cache.store(f"fp{folder}{i}", str(out))
            links.append((f"fp{folder}{i}", f"{folder}/{i}.html"))
    cache.save(stamps)
    par = Parallelism(workers=2, link_min_pages=10)

    def job(pages, site):
        return Job(config={"site_dir": str(site)}, files=None, nav=None, env=None, meta={}, bodies={},
                   body_keys={}, cached=None, pages=pages)

    site = tmp_path / "site"
    assert Linking(job(PageCache(tmp_path / "pages"), site), links[::-1], par).result() == {}
    for fp, uri in links:
        assert os.path.samefile(site / uri, tmp_path / "old" / uri), uri

    class FailsOnD(PageCache):
        def place_checked(self, pairs, present=None):
            if any("/d/" in dest for _, dest in pairs):
                raise OSError("磁盘已满（测试）")
            return super().place_checked(pairs, present)

    other = tmp_path / "other"
    with pytest.raises(BackgroundError, match="磁盘已满"):
        Linking(job(FailsOnD(tmp_path / "pages"), other), links, par).result()
    assert (other / "a" / "0.html").is_file()  # the other share was linked, by a process of its own
    assert not (other / "d").exists()


def test_what_a_record_keeps_of_its_body_holds_for_that_body_only(tmp_path):
    """Record.body_digest and Record.mentions_md travel with the record through the parse cache (the
    page keys read them on every build) and are made again for a body set since. The body itself is
    decoded only when read."""
    import dataclasses
    import hashlib
    import pickle

    from site_builder.sources import validate

    project = copy_project(tmp_path / "project", caches=False)
    loaded = validate.load_project(project / "content", project / "catalogue", root=project)
    r = pickle.loads(pickle.dumps(loaded.records[0]))
    # the body stays UTF-8 until read; its facts, made before pickling, hold for it and are read without it
    assert isinstance(r.stored_body(), bytes) and r.__dict__["_of_body"][0] is r.stored_body()
    digest = r.body_digest()
    assert isinstance(r.stored_body(), bytes)
    assert r.body == loaded.records[0].body and r.__dict__["_of_body"][0] is r.body  # decoded, still kept
    assert r.body_digest() == digest and r.stored_body() == loaded.records[0].body
    assert r.mentions_md() == (".md" in r.body)
    assert r.body_digest() == hashlib.sha256(r.body.encode("utf-8")).hexdigest()
    r.body = r.body + "\n详见[另一条](other.md)。\n"
    assert r.mentions_md() and r.body_digest() == hashlib.sha256(r.body.encode("utf-8")).hexdigest()
    fresh = dataclasses.replace(r, body="正文")
    assert not fresh.mentions_md()


def test_the_parse_cache_keeps_bodies_apart_and_reads_each_when_needed(tmp_path, monkeypatch):
    """The parse cache keeps the bodies in a file of their own (validate._Bodies): a record read from it
    reads its body only when asked, the same text as parsed. Each save writes a new file and removes the
    last: a record read before keeps reading from the one it came from. A body that no longer matches
    its digest (a damaged file) is an error, never another text."""
    from site_builder.sources import records, validate

    monkeypatch.setattr(validate, "SAVE_AFTER_CHANGES", 1)
    project = copy_project(tmp_path / "project", caches=False)
    cache = project / ".cache" / "disclosure" / "records.pickle"

    def load():
        return validate.load_project(project / "content", project / "catalogue", root=project, cache_path=cache)

    parsed = {r.src_path: r.body for r in load().records}
    first = load()
    assert all(r.stored_body().__class__ is records.SavedBody for r in first.records)
    assert {r.src_path: r.body for r in first.records} == parsed
    kept = list(cache.parent.glob("records-*.bodies"))
    assert len(kept) == 1

    second = load()  # read before the next save
    edited = project / "content" / second.records[0].src_path
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    third = load()  # parses the edited file again, and saves
    now = list(cache.parent.glob("records-*.bodies"))
    assert len(now) == 1 and now != kept  # the last save's file is gone
    assert {r.src_path: r.body for r in second.records} == parsed  # still read from it
    parsed[second.records[0].src_path] += "\n补充一句。\n"
    assert {r.src_path: r.body for r in third.records} == parsed
    assert {r.src_path: r.body for r in load().records} == parsed

    damaged = load()
    data = bytearray(now[0].read_bytes())
    data[:3] = "错".encode("utf-8")
    now[0].write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="缓存已损坏"):
        [r.body for r in damaged.records]

    # a file of bodies cut short: the cache is dropped as it is read, every record parsed again
    now[0].write_bytes(now[0].read_bytes()[:len(data) // 2])
    assert validate.ParseCache(cache).entries == {}
    assert {r.src_path: r.body for r in load().records} == parsed
    assert {r.src_path: r.body for r in load().records} == parsed  # and from the cache saved meanwhile


def test_records_parsed_and_saved_read_their_bodies_from_the_cache_file(tmp_path):
    """Once the parse cache is saved, records parsed in this build let their text go and read it from
    the file of bodies, as records read from the cache do (a cold build at 100,000 records held ~0.5 GB
    of bodies through rendering): the same text, and the same digest facts."""
    from site_builder.sources import records, validate

    project = copy_project(tmp_path / "project", caches=False)
    cache = project / ".cache" / "disclosure" / "records.pickle"
    plain = validate.load_project(project / "content", project / "catalogue", root=project)
    texts = {r.src_path: (r.body, r.body_digest(), r.mentions_md()) for r in plain.records}
    assert all(r.stored_body().__class__ is str for r in plain.records)  # no cache: nothing to read from

    cold = validate.load_project(project / "content", project / "catalogue", root=project, cache_path=cache)
    assert all(r.stored_body().__class__ is records.SavedBody for r in cold.records)
    assert {r.src_path: (r.body_digest(), r.mentions_md()) for r in cold.records} == \
        {src: tuple(facts) for src, (_, *facts) in texts.items()}
    assert {r.src_path: (r.body, r.body_digest(), r.mentions_md()) for r in cold.records} == texts


def test_the_sitemap_is_made_again_only_when_what_it_lists_changed(tmp_path, monkeypatch):
    """sitemap.xml(.gz) are kept in .cache/ under the plan's inputs and the files: a body edit takes them
    from there; a record moved to another day makes them again, with its new date."""
    from site_builder.plan import sitemap

    made = []
    real = sitemap.xml
    monkeypatch.setattr(sitemap, "xml", lambda urls: made.append(1) or real(urls))
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    build(project, site, True, DAY)  # made, or taken from an earlier build's (another day's) when the same
    first = (site / "sitemap.xml").read_bytes()
    assert b"/records/finance/" in first
    made.clear()
    edit_body(project)
    build(project, site, True, DAY)
    assert not made and (site / "sitemap.xml").read_bytes() == first
    move_to_another_year(project)
    build(project, site, True, DAY)
    assert len(made) == 1 and b"<lastmod>2023-06-30</lastmod>" in (site / "sitemap.xml").read_bytes()


def test_a_project_moved_with_its_caches_reuses_every_page_and_writes_the_same_site(tmp_path, caplog, monkeypatch):
    """The caches' keys hold no absolute path of the project and the templates by their content
    (fingerprints.build_fingerprint): the project moved to another folder, every template touched (as a
    fresh checkout leaves them), its next build renders no page again, compiles no template again
    (caches.CompiledTemplates: Jinja keyed them by their absolute path) and writes the same site; a fresh
    build there writes it too (no page holds the project's folder)."""
    import logging

    import jinja2

    here = copy_project(tmp_path / "here")
    build(here, tmp_path / "site-here", True, DAY)
    there = tmp_path / "elsewhere" / "there"
    shutil.copytree(here, there, symlinks=True)  # copy2: the cached pages keep their size and mtime
    for p in (there / "theme").rglob("*"):
        if p.is_file():
            p.touch()
    compiled, files = [], []
    compile_, from_code = jinja2.Environment.compile, jinja2.Template.from_code.__func__
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, source, name=None, filename=None, *a, **k:
                        compiled.append(name) or compile_(env, source, name, filename, *a, **k))
    monkeypatch.setattr(jinja2.Template, "from_code", classmethod(
        lambda cls, env, code, *a, **k: files.append(code.co_filename) or from_code(cls, env, code, *a, **k)))
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build(there, tmp_path / "site-there", True, DAY)
    assert "页面：0 个重新生成" in caplog.text, [r.message for r in caplog.records if "页面：" in r.message]
    assert not compiled, compiled
    # and a template's code names its file where it now is (a template's error names that file)
    ours = [f for f in files if f.startswith(str(tmp_path))]
    assert ours and all(f.startswith(str(there)) for f in ours), sorted(set(ours))
    monkeypatch.undo()
    assert not differences(tmp_path / "site-here", tmp_path / "site-there")
    assert not differences(tmp_path / "site-here", fresh(there, tmp_path / "fresh", DAY))


def test_a_build_after_the_preview_renders_no_page_again_and_writes_what_a_fresh_build_writes(tmp_path, caplog):
    """The preview (`disclosure serve`: its own address in the pages and the feeds) and the site keep their
    pages and feeds apart: a build after a preview, and a preview after a build, take every page from the
    cache. Before, each emptied the other's page cache, and a record body cached for the preview's address
    had its page rendered again for the feeds."""
    import logging
    import os
    import subprocess
    import sys

    project = copy_project(tmp_path / "project")
    # a preview's build as commands/preview.py makes it, in a process of its own as `disclosure serve` is
    # (MkDocs keeps a process's plugin instances across configs: the preview's would stay a preview's)
    preview_build = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from mkdocs.commands.build import build\n"
        "from site_builder.commands.build import load_config, plugin_of\n"
        "config = load_config(sys.argv[1], site_dir=sys.argv[2])\n"
        "config.plugins.on_startup(command='serve', dirty=False)\n"
        "config.site_url = 'http://127.0.0.1:8000/'\n"
        f"plugin_of(config).config.build_date = plugin_of(config).config.report_date = {DAY!r}\n"
        "build(config)\n")

    def preview(site: Path) -> str:
        done = subprocess.run([sys.executable, "-c", preview_build, str(project / "mkdocs.yml"), str(site)],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stderr

    def rendered(messages) -> list[str]:
        return [m for m in messages if "页面：" in m and "个重新生成" in m]

    build(project, tmp_path / "site", True, DAY)
    preview(tmp_path / "preview-1")
    assert "http://127.0.0.1:8000/records/" in (tmp_path / "preview-1/feeds/all.xml").read_text(encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build(project, tmp_path / "site", True, DAY)
    said = rendered([r.getMessage() for r in caplog.records])
    assert said and said[0].startswith("页面：0 个重新生成"), said
    said = rendered(preview(tmp_path / "preview-2").splitlines())
    assert said and "页面：0 个重新生成" in said[0], said
    assert differences(tmp_path / "site", fresh(project, tmp_path / "fresh", DAY)) == []
    assert differences(tmp_path / "preview-1", tmp_path / "preview-2") == []
