"""重大建设项目 (issue 17, item 1): one real build of the sample on a fixed day, every project's page and
the index checked against data/projects.json and data/records.json, the feeds parsed with feedparser,
each validation rule with a bad file naming file and line, and the timeline seen in Chromium."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import feedparser
import lxml.html
import pytest

from conftest import assert_problem, copy_project, failed_check
from test_a11y import axe_violations
from site_builder.commands.cli import build_site
from site_builder.sources.projects import STAGES

DAY = "2026-12-01"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("projects") / "project")
    site = build_site(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True, report_date=DAY,
                      plugin_options={"build_date": DAY})
    data = {name: json.loads((site / f"data/{name}.json").read_text(encoding="utf-8"))
            for name in ("projects", "records")}
    return project, site, data


def html(site: Path, url: str):
    return lxml.html.fromstring((site / url.split("#")[0]).read_text(encoding="utf-8"))


def text(el) -> str:
    return " ".join(el.text_content().split())


def expected_stages(records: list[dict], project: str) -> dict[str, list[dict]]:
    """From records.json alone: each stage's records of the project, oldest first."""
    mine = [r for r in records if r["project"] == project]
    return {s: sorted((r for r in mine if r["stage"] == s), key=lambda r: (r["datetime"], r["index_no"]))
            for s in STAGES}


def test_sample_has_ten_projects_across_the_stages(built):
    _, _, data = built
    projects = data["projects"]
    assert len(projects) >= 10
    assert sum(p["current_stage"] == "竣工有关" for p in projects) >= 3  # some complete
    assert len({p["current_stage"] for p in projects}) >= 5  # spread across the lifecycle
    assert any(p["current_stage"] is None for p in projects)  # one not yet disclosed at all
    for p in projects:
        stages = expected_stages(data["records"], p["id"])
        reached = [s for s in STAGES if stages[s]]
        assert p["current_stage"] == (reached[-1] if reached else None)
        assert p["stages_disclosed"] == len(reached)
        assert p["record_count"] == sum(len(v) for v in stages.values())
        assert [s["records"] for s in p["stages"]] == [[r["index_no"] for r in stages[s]] for s in STAGES]


def test_projects_index_shows_every_project_its_stage_and_count(built):
    _, site, data = built
    page = html(site, "projects/index.html")
    rows = page.xpath('//table[contains(@class, "dx-projects")]/tbody/tr')
    assert len(rows) == len(data["projects"])
    for row, p in zip(rows, data["projects"]):
        assert row.get("id") == f"project-{p['id']}"
        link = row.xpath("./th/a")[0]
        assert text(link) == p["name"] and link.get("href") == posixpath.relpath(p["url"], "projects")
        cells = {td.get("data-label"): text(td) for td in row.xpath("./td")}
        assert cells["当前阶段"] == (p["current_stage"] or "尚未公开")
        assert cells["已公开阶段"] == f"{p['stages_disclosed']}/8"
        assert cells["项目代码"] == (p["code"] or "—")
        assert cells["最近公开"] == (p["last_date"] or "—")
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert 'href="projects/index.html"' in nav[:nav.index('class="md-content"')] and "重大建设项目" in nav


def test_each_project_page_has_its_facts_and_a_timeline_of_eight_stages(built):
    _, site, data = built
    by_no = {r["index_no"]: r for r in data["records"]}
    for p in data["projects"]:
        page = html(site, p["url"])
        assert text(page.xpath("//h1")[0]) == p["name"]
        facts = {text(tr.xpath("./th")[0]): text(tr.xpath("./td")[0])
                 for tr in page.xpath('//table[contains(@class, "dx-project-facts")]//tr')}
        assert facts["项目名称"] == p["name"]
        assert facts["当前阶段"] == (p["current_stage"] or "尚未公开")
        assert facts["已公开阶段"].startswith(f"{p['stages_disclosed']}/8")
        if p["investment"]:
            assert facts["总投资"] == f"{p['investment']:g} 万元"
        stages = page.xpath('//ol[@class="dx-timeline"]/li')
        assert [s.get("id") for s in stages] == [f"stage-{i}" for i in range(1, 9)]
        current = STAGES.index(p["current_stage"]) if p["current_stage"] else -1
        expected = expected_stages(data["records"], p["id"])
        for i, (li, name) in enumerate(zip(stages, STAGES)):
            assert name in text(li.xpath("./h3")[0])
            links = [a.get("href") for a in li.xpath(".//ol/li/a")]
            # newest last: the stage's records oldest first, each linking its record page
            assert links == [posixpath.relpath(by_no[r["index_no"]]["url"], "projects") for r in expected[name]]
            dates = [text(t) for t in li.xpath(".//ol/li/time")]
            assert dates == sorted(dates)
            note = li.xpath('./p[@class="dx-stage__note"]')
            if expected[name]:
                assert "dx-stage--reached" in li.get("class") and not note
            elif i > current:
                assert text(note[0]) == "未到该阶段"
            else:
                assert text(note[0]) == "暂无"
        feed = page.xpath('//a[contains(@class, "dx-subscribe")]')[0].get("href")
        assert feed == f"../feeds/projects/{p['id']}.html"


def test_a_complete_project_shows_all_eight_stages(built):
    _, site, data = built
    school = next(p for p in data["projects"] if p["id"] == "school-chengnan")
    assert school["stages_disclosed"] == 8 and school["current_stage"] == "竣工有关"
    page = html(site, school["url"])
    assert not page.xpath('//p[@class="dx-stage__note"]')


def test_a_feed_per_project_parsed_and_listed(built):
    _, site, data = built
    opml = (site / "feeds.opml").read_text(encoding="utf-8")
    subscribe = (site / "subscribe.html").read_text(encoding="utf-8")
    by_no = {r["index_no"]: r for r in data["records"]}
    for p in data["projects"]:
        assert p["feed"] == f"feeds/projects/{p['id']}.xml"
        parsed = feedparser.parse((site / p["feed"]).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.title.endswith(f"重大建设项目：{p['name']}")
        newest_first = sorted((by_no[n] for s in p["stages"] for n in s["records"]),
                              key=lambda r: (r["datetime"], r["index_no"]), reverse=True)
        assert [e.id for e in parsed.entries] == [r["index_no"] for r in newest_first][:20]
        assert f"https://yunxi.example.gov.cn/{p['feed']}" in opml
        assert f"projects/{p['id']}.html" in subscribe
    assert "重大建设项目" in subscribe


def test_record_page_names_its_project_and_stage(built):
    _, site, data = built
    for r in data["records"]:
        page = html(site, r["url"])
        row = page.xpath('//table[@class="dx-meta"]//tr[th="建设项目"]')
        if not r["project"]:
            assert not row
            continue
        links = row[0].xpath(".//a")
        target = posixpath.relpath(f"projects/{r['project']}.html", posixpath.dirname(r["url"]))
        assert links[0].get("href") == target
        assert text(links[1]) == r["stage"]
        assert links[1].get("href") == f"{target}#stage-{STAGES.index(r['stage']) + 1}"


def test_records_json_and_search_carry_the_project(built):
    from site_builder.outputs.search.query import SearchIndex

    _, site, data = built
    with_project = [r for r in data["records"] if r["project"]]
    assert len(with_project) >= 30
    assert all(r["stage"] in STAGES for r in with_project)
    assert all(r["stage"] is None for r in data["records"] if not r["project"])
    # a project's name finds its records, even those whose own text does not name it
    index = SearchIndex(site / "search")
    by_id = list(reversed(data["records"]))  # search ids: oldest first
    river = {r["index_no"] for r in with_project if r["project"] == "river-yunxi"}
    found = {by_id[i]["index_no"] for i in index.search("云溪河综合治理工程").exact}
    assert river and river <= found
    # the stage too (the records of that stage do not say “施工有关” themselves)
    building = {r["index_no"] for r in with_project if r["stage"] == "施工有关"}
    assert building and building <= {by_id[i]["index_no"] for i in index.search("施工有关").exact}


BAD_PROJECTS = """
- id: Bad_ID
  name: 坏编号项目
  department: transport

- id: no-name
  department: transport

- id: ghost-dep
  name: 不存在单位的项目
  department: nowhere

- id: s232-road
  name: 重复编号
  department: transport
"""

RECORD = """---
title: {title}
index_no: 011320516/2026-0{n}
date: {date}
department: transport
domains: [major-projects]
item: major-projects-implementation
{extra}---
正文。
"""


def test_each_validation_rule_names_file_and_line(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    cat = project / "catalogue/projects.yml"
    base = cat.read_text(encoding="utf-8")
    cat.write_text(base + BAD_PROJECTS, encoding="utf-8")
    start = base.count("\n")
    folder = project / "content/records/transport"
    cases = {
        "unknown-project": ("project: nope-road\nstage: 施工有关\n", "2026-10-01"),
        "unknown-stage": ("project: x205-bridge\nstage: 开工\n", "2026-10-01"),
        "only-project": ("project: x205-bridge\n", "2026-10-01"),
        "only-stage": ("stage: 施工有关\n", "2026-10-01"),
        "before-approval": ("project: x205-bridge\nstage: 施工有关\n", "2026-05-01"),
    }
    for n, (name, (extra, date)) in enumerate(cases.items()):
        (folder / f"zz-{name}.md").write_text(
            RECORD.format(title=f"测试{name}", n=9900 + n, date=date, extra=extra), encoding="utf-8")
    found = failed_check(project, DAY, capsys)
    rel = "content/records/transport/zz-"
    assert_problem(found, f"{rel}unknown-project.md", 8, "建设项目“nope-road”不存在")
    assert_problem(found, f"{rel}unknown-stage.md", 9, "项目阶段“开工”无法识别")
    assert_problem(found, f"{rel}unknown-stage.md", 9, "施工有关")  # the hint names the eight stages
    assert_problem(found, f"{rel}only-project.md", 8, "写了 project 但没有写 stage")
    assert_problem(found, f"{rel}only-stage.md", 8, "写了 stage 但没有写 project")
    assert_problem(found, f"{rel}before-approval.md", 9, "早于项目“X205白沙大桥危桥改造工程”的任何“批准结果”信息",
                   "warning")
    assert_problem(found, "catalogue/projects.yml", start + 2, "只能包含小写字母、数字和连字符")
    assert_problem(found, "catalogue/projects.yml", start + 6, "缺少必填字段 name")
    assert_problem(found, "catalogue/projects.yml", start + 11, "项目单位“nowhere”不存在")
    assert_problem(found, "catalogue/projects.yml", start + 13, "建设项目 id “s232-road”重复")


def test_project_timeline_on_a_phone_and_a_desktop(built, browser, artifacts):
    _, site, _ = built
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto((site / "projects/s232-road.html").as_uri())
        assert page.locator("ol.dx-timeline > li").count() == 8
        assert not serious(axe_violations(page))
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows the page
        page.screenshot(path=str(artifacts / f"project-timeline-{width}.png"), full_page=True)
        page.goto((site / "projects/index.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not serious(axe_violations(page))
        page.screenshot(path=str(artifacts / f"projects-index-{width}.png"), full_page=True)
        context.close()


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_a_long_stage_shows_its_newest_records_oldest_first_and_counts_them_all():
    import datetime as dt

    from site_builder.plan.projects import STAGE_SHOWN, project_view
    from site_builder.sources.dates import SHANGHAI
    from site_builder.sources.projects import ConstructionProject
    from site_builder.sources.records import Record

    def rec(n, stage):
        return Record(src_path=f"records/x/{n}.md", title=f"第{n}条", index_no=f"1/2026-{n:05d}",
                      date=dt.datetime(2026, 1, 1, tzinfo=SHANGHAI) + dt.timedelta(days=n), department="transport",
                      domains=("major-projects",), project="p", stage=stage)

    records = [rec(n, "施工有关") for n in range(1, 26)] + [rec(30, "批准结果")]
    records.sort(key=Record.sort_key)  # newest first, as the index holds them
    view = project_view(ConstructionProject("p", "项目", "transport"), records)
    building = view.stages[STAGES.index("施工有关")]
    assert building.total == 25 and len(building.records) == STAGE_SHOWN
    assert [r.title for r in building.records] == [f"第{n}条" for n in range(26 - STAGE_SHOWN, 26)]
    assert view.current.name == "施工有关" and view.disclosed == 2
    states = [s.state for s in view.stages]
    assert states == ["skipped", "reached", "skipped", "skipped", "skipped", "reached", "ahead", "ahead"]


def test_search_facet_narrows_to_a_project(built, browser, artifacts):
    """Search's 重大建设项目 facet (opened from disk, as a kiosk does): ticking a project leaves its records."""
    _, site, data = built
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto((site / "search.html").as_uri() + "?q=公示")
    page.wait_for_function("() => document.querySelectorAll('.dx-search__list li').length > 0", timeout=15000)
    names = page.eval_on_selector_all(".dx-facet--prj .dx-facet__name", "els => els.map(e => e.textContent)")
    by_name = {p["name"]: p["id"] for p in data["projects"]}
    assert names and set(names) <= set(by_name)
    box = page.locator(".dx-facet--prj input[type=checkbox]").first
    chosen = by_name[names[0]]
    box.click()
    page.wait_for_function("() => document.querySelector('.dx-facet--prj input:checked') !== null")
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".dx-search__list li a", "els => els.map(a => a.getAttribute('href'))")
    urls = {r["url"] for r in data["records"] if r["project"] == chosen}
    assert hrefs and all(posixpath.normpath(h) in urls for h in hrefs), (chosen, hrefs)
    page.screenshot(path=str(artifacts / "search-project-facet-1280.png"), full_page=True)
    context.close()
