"""重点工作任务 (issue 17, item 3): one real build of the sample on a fixed day, the year's table and
公开情况 checked against data/tasks.json, the statuses in tasks.json against data/records.json, the
statuses before and after a deadline through `disclosure report`, each validation rule with a bad file
naming file and line, and the table seen in Chromium at phone and desktop width."""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from conftest import assert_problem, copy_project, failed_check
from test_a11y import axe_violations
from site_builder.commands.cli import build_site, main

DAY = "2026-12-01"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("tasks") / "project")
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True, report_date=DAY,
                      plugin_options={"build_date": DAY})
    data = {name: json.loads((site / f"data/{name}.json").read_text(encoding="utf-8"))
            for name in ("tasks", "records")}
    return project, site, data


def text(el) -> str:
    return " ".join(el.text_content().split())


def expected(task: dict, records: list[dict], day: str) -> tuple[str, bool, dict | None]:
    """From records.json alone: (status, overdue, latest report) of a task on `day`."""
    reports = sorted((r for r in records if task["id"] in r["tasks"] and r["date"] <= day),
                     key=lambda r: (r["datetime"], r["index_no"]), reverse=True)
    status = "已完成" if any(r["task_status"] == "已完成" for r in reports) else "推进中" if reports else "未报送"
    return status, status != "已完成" and task["deadline"] < day, reports[0] if reports else None


def test_sample_task_list_and_statuses_from_the_records(built):
    _, _, data = built
    tasks = data["tasks"]["tasks"]
    assert data["tasks"]["date"] == DAY
    assert len(tasks) >= 15 and {t["year"] for t in tasks} == {2026}
    statuses = []
    for t in tasks:
        status, overdue, latest = expected(t, data["records"], DAY)
        assert (t["status"], t["overdue"]) == (status, overdue), t["id"]
        assert (t["latest"] or {}).get("index_no") == (latest or {}).get("index_no")
        if overdue:
            assert t["days_overdue"] == (dt.date.fromisoformat(DAY) - dt.date.fromisoformat(t["deadline"])).days
        statuses.append((status, overdue))
    assert ("已完成", False) in statuses and ("推进中", True) in statuses and ("未报送", True) in statuses
    assert ("推进中", False) in statuses and ("未报送", False) in statuses
    reports = [r for r in data["records"] if r["tasks"]]
    assert len(reports) >= 10 and any(r["task_status"] == "已完成" for r in reports)


def test_year_page_is_the_familiar_table(built):
    _, site, data = built
    tasks = data["tasks"]["tasks"]
    page = lxml.html.fromstring((site / "tasks/2026.html").read_text(encoding="utf-8"))
    assert text(page.xpath("//h1")[0]) == "2026年重点工作任务"
    table = page.xpath('//table[contains(@class, "dx-tasks")]')[0]
    assert [text(th) for th in table.xpath("./thead//th")] == ["序号", "工作内容", "工作要求", "责任单位", "配合单位",
                                                               "完成时限", "落实情况"]
    # grouped under the list's headings, in the order of catalogue/tasks.yml
    groups = [text(th) for th in table.xpath('.//tr[@class="dx-task-group"]/th')]
    assert groups == list(dict.fromkeys(t["group"] for t in tasks))
    rows = table.xpath('.//tr[contains(@class, "dx-task ")]')
    assert [r.get("id") for r in rows] == [f"task-{t['id']}" for t in tasks]
    names = {d["id"]: d["name"] for d in json.loads((site / "data/catalogue.json").read_text())["departments"]}
    for row, t in zip(rows, tasks):
        cells = {c.get("data-label"): c for c in row.xpath("./td|./th")}
        assert text(cells["序号"]) == str(t["number"])
        assert text(cells["工作内容"]) == t["task"]
        assert text(cells["工作要求"]) == (t["requirement"] or "—")
        assert text(cells["责任单位"]) == "、".join(names[d] for d in t["lead"])
        assert text(cells["配合单位"]) == ("、".join(names[d] for d in t["support"]) or "—")
        assert text(cells["完成时限"]) == t["deadline"]
        progress = cells["落实情况"]
        badges = [text(b) for b in progress.xpath('.//span[contains(@class, "dx-task-status")]')]
        assert badges[0] == t["status"]
        assert (f"逾期 {t['days_overdue']} 天" in badges) == t["overdue"]
        assert ("dx-task--overdue" in row.get("class")) == t["overdue"]
        links = progress.xpath(".//a")
        if t["latest"]:
            assert links[0].get("href") == posixpath.relpath(t["latest"]["url"], "tasks")
            assert t["latest"]["date"] in text(progress)
        else:
            assert not links
    summary = text(page.xpath('//p[@class="dx-report-date"]')[0])
    overdue = sum(t["overdue"] for t in tasks)
    assert f"共 {len(tasks)} 项" in summary and f"逾期 {overdue} 项" in summary
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert 'href="tasks/2026.html"' in nav[:nav.index('class="md-content"')]


def test_record_page_links_the_tasks_it_reports_on(built):
    _, site, data = built
    for r in data["records"]:
        if not r["tasks"]:
            continue
        page = lxml.html.fromstring((site / r["url"]).read_text(encoding="utf-8"))
        row = page.xpath('//table[@class="dx-meta"]//tr[th="重点工作任务"]')[0]
        hrefs = [a.get("href") for a in row.xpath(".//a")]
        base = posixpath.relpath("tasks/2026.html", posixpath.dirname(r["url"]))
        assert hrefs == [f"{base}#task-{t}" for t in r["tasks"]]
        assert ("已完成" in text(row)) == (r["task_status"] == "已完成")


def test_overdue_tasks_in_the_report_per_lead_department(built):
    _, site, data = built
    tasks = data["tasks"]["tasks"]
    page = lxml.html.fromstring((site / "report.html").read_text(encoding="utf-8"))
    overdue = page.xpath('//table[caption="逾期的重点工作任务"]/tbody/tr')
    assert [r.get("id") for r in overdue] == [f"overdue-task-{t['id']}" for t in tasks if t["overdue"]]
    for row, t in zip(overdue, [t for t in tasks if t["overdue"]]):
        assert f"逾期 {t['days_overdue']} 天" in text(row) and t["deadline"] in text(row)
    per_dep = {text(r.xpath("./th")[0]): [text(td) for td in r.xpath("./td")]
               for r in page.xpath('//table[caption="各牵头单位重点工作任务落实情况"]/tbody/tr')}
    names = {d["id"]: d["name"] for d in json.loads((site / "data/catalogue.json").read_text())["departments"]}
    for dep in {d for t in tasks for d in t["lead"]}:
        mine = [t for t in tasks if dep in t["lead"]]
        assert per_dep[names[dep]] == [str(len(mine)), str(sum(t["status"] == "已完成" for t in mine)),
                                       str(sum(t["overdue"] for t in mine))]


def test_status_before_and_after_a_deadline(built, capsys):
    project, _, data = built
    config = str(project / "mkdocs.yml")

    def on(day):
        assert main(["report", "-f", config, "--build-date", DAY, "--date", day, "--format", "json"]) == 0
        return {t["id"]: (t["status"], t["overdue"]) for t in json.loads(capsys.readouterr().out)["tasks"]}

    june15, july1, aug31, sep1 = on("2026-06-15"), on("2026-07-01"), on("2026-08-31"), on("2026-09-01")
    # 2026-04 (政府采购意向, due 2026-06-30, a progress report on 04-15, never done)
    assert june15["2026-04"] == ("推进中", False) and july1["2026-04"] == ("推进中", True)
    # 2026-07 (招生政策, due 2026-06-30, done on 06-12): never overdue
    assert on("2026-06-11")["2026-07"] == ("未报送", False)
    assert june15["2026-07"] == july1["2026-07"] == ("已完成", False)
    # 2026-09 (涉农补贴, due 2026-08-31, no report): overdue from the day after its deadline
    assert aug31["2026-09"] == ("未报送", False) and sep1["2026-09"] == ("未报送", True)
    for day, statuses in (("2026-06-15", june15), ("2026-07-01", july1)):
        for t in data["tasks"]["tasks"]:
            status, overdue, _ = expected(t, data["records"], day)
            assert statuses[t["id"]] == (status, overdue), (day, t["id"])
    assert main(["report", "-f", config, "--build-date", DAY, "--date", DAY]) == 0
    out = capsys.readouterr().out
    assert "五、重点工作任务" in out and "逾期任务" in out


def test_several_years_get_an_index(tmp_path):
    from site_builder.plan import tasks as plan_tasks
    from site_builder.plan.index import build_index
    from site_builder.plan.urls import Links
    from site_builder.sources.validate import load_project

    project = copy_project(tmp_path / "p")
    with (project / "catalogue/tasks.yml").open("a", encoding="utf-8") as fh:
        fh.write("\n- id: 2025-01\n  year: 2025\n  task: 上年度任务\n  lead: [drc]\n  deadline: 2025-12-31\n")
    loaded = load_project(project / "content", project / "catalogue", build_day=dt.date(2026, 12, 1))
    assert not loaded.problems.errors
    idx = build_index(loaded.catalogue, loaded.records)
    specs = {s.src_uri: s for s in plan_tasks.build_pages(idx, Links(), dt.date(2026, 12, 1))}
    assert set(specs) == {"tasks/index.md", "tasks/2026.md", "tasks/2025.md"}
    assert [s.src_uri for s in specs.values() if s.in_nav] == ["tasks/index.md"]
    assert plan_tasks.nav(idx) == [{"重点工作任务": "tasks/index.md"}]
    assert [y.year for y in specs["tasks/index.md"].context["years"]] == [2026, 2025]
    assert specs["tasks/2025.md"].context["summary"].overdue == 1


BAD_TASKS = """
- id: 2026-01
  year: 2026
  task: 重复编号的任务
  lead: [drc]
  deadline: 2026-12-31

- id: 2026-90
  year: 2026
  task: 牵头单位不存在
  lead: [nowhere]
  support: [drc]
  deadline: 2026-12-31

- id: 2026-91
  year: 2026
  task: 完成时限写错
  lead: [drc]
  deadline: 2026-13-01

- id: 2026-92
  year: 2026
  lead: [drc]
  deadline: 2026-12-31
"""

RECORD = """---
title: {title}
index_no: 011320502/2026-0{n}
date: 2026-10-01
department: drc
domains: [major-projects]
item: major-projects-implementation
{extra}---
正文。
"""


def test_each_validation_rule_names_file_and_line(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    cat = project / "catalogue/tasks.yml"
    base = cat.read_text(encoding="utf-8")
    cat.write_text(base + BAD_TASKS, encoding="utf-8")
    start = base.count("\n")
    cases = {
        "unknown-task": "tasks: [2026-99]\n",
        "bad-status": "tasks: [2026-01]\ntask_status: 完成\n",
        "status-alone": "task_status: 已完成\n",
    }
    for n, (name, extra) in enumerate(cases.items()):
        (project / f"content/records/drc/zz-{name}.md").write_text(
            RECORD.format(title=f"测试{name}", n=9900 + n, extra=extra), encoding="utf-8")
    found = failed_check(project, DAY, capsys)
    rel = "content/records/drc/zz-"
    assert_problem(found, f"{rel}unknown-task.md", 8, "重点工作任务“2026-99”不存在")
    assert_problem(found, f"{rel}bad-status.md", 9, "任务状态“完成”无法识别")
    assert_problem(found, f"{rel}bad-status.md", 9, "task_status 只能写 已完成")
    assert_problem(found, f"{rel}status-alone.md", 8, "写了 task_status 但没有写 tasks")
    assert_problem(found, "catalogue/tasks.yml", start + 2, "任务 id “2026-01”重复")
    assert_problem(found, "catalogue/tasks.yml", start + 11, "责任单位“nowhere”不存在")
    assert_problem(found, "catalogue/tasks.yml", start + 19, "完成时限“2026-13-01”不是有效日期")
    assert_problem(found, "catalogue/tasks.yml", start + 21, "缺少必填字段 task")


def test_task_table_on_a_phone_and_a_desktop(built, browser, artifacts):
    _, site, data = built
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto((site / "tasks/2026.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        head_shown = page.locator("table.dx-tasks thead").is_visible()
        assert head_shown == (width > 390)  # a phone: one card per task, each field labelled
        if width == 390:
            label = page.evaluate("""getComputedStyle(document.querySelector('tr.dx-task td[data-label="完成时限"]'),
                                     '::before').content""")
            assert label == '"完成时限"'
        page.screenshot(path=str(artifacts / f"tasks-2026-{width}.png"), full_page=True)
        if width == 1280:
            page.goto((site / "report.html").as_uri() + "#tasks")
            assert not [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
            top, end = (page.evaluate(f"document.getElementById('{i}').getBoundingClientRect().top + window.scrollY")
                        for i in ("tasks", "rules"))
            page.screenshot(path=str(artifacts / "report-tasks-1280.png"), full_page=True,
                            clip={"x": 0, "y": top, "width": width, "height": end - top})
            page.goto((site / "tasks/2026.html").as_uri())
        page.emulate_media(media="print")
        assert page.locator("table.dx-tasks thead").is_visible()  # printed: the table itself
        if width == 1280:  # on A4: every column on the paper, nothing cut at the right edge
            pdf = page.pdf(format="A4", print_background=True,
                           margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
            (artifacts / "tasks-2026-print.pdf").write_bytes(pdf)
            printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
            for t in data["tasks"]["tasks"]:
                assert t["status"] in printed and t["deadline"] in printed
            assert "落实情况" in printed and "配合单位" in printed
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi: what the paper shows
            assert page.evaluate("document.querySelector('table.dx-tasks').getBoundingClientRect().right") <= 794
            page.screenshot(path=str(artifacts / "tasks-2026-print.png"), full_page=True)
        context.close()


def test_the_editors_form_offers_project_stage_and_the_departments_tasks():
    from site_builder.outputs import admin
    from site_builder.sources.projects import STAGES
    from site_builder.sources.records import KNOWN_KEYS
    from site_builder.sources.validate import load_project

    root = Path(__file__).resolve().parent.parent
    cat = load_project(root / "content", root / "catalogue", build_day=dt.date(2026, 12, 1)).catalogue
    fields = {f["name"]: f for f in admin.record_fields(cat, cat.departments["housing"], KNOWN_KEYS)}
    assert [o["value"] for o in fields["project"]["options"]] == list(cat.projects)
    assert fields["stage"]["options"] == list(STAGES)
    offered = {o["value"] for o in fields["tasks"]["options"]}
    assert offered == {t.id for t in cat.tasks.values() if "housing" in t.lead + t.support}
    assert fields["tasks"]["multiple"] and fields["task_status"]["options"] == ["已完成"]
    names = list(fields)
    assert names.index("project") < names.index("stage") < names.index("tasks") < names.index("attachments")
