"""公开情况: statuses, working days, shares, the CLI (text, JSON, --fail-on) and the published page."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import copy_project
from site_builder.plan import report
from site_builder.sources.catalogue import Item
from site_builder.commands.cli import build_site, main
from site_builder.plan.index import build_index
from site_builder.sources.validate import load_project

D = dt.date
HOSTILE = '人社局<script>alert("x")</script>&amp;'


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def record(path: Path, title: str, index_no: str, date: str, department: str, domains: str, item: str,
           extra: str = "") -> None:
    write(path, f"---\ntitle: {title}\nindex_no: {index_no}\ndate: {date}\ndepartment: {department}\n"
                f"domains: [{domains}]\nitem: {item}\n{extra}---\n{title}的正文。\n")


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    """A small project with a known answer (and a department name that tries to inject markup)."""
    root = copy_project(tmp_path_factory.mktemp("report") / "project")
    shutil.rmtree(root / "catalogue")
    shutil.rmtree(root / "content" / "records")
    shutil.rmtree(root / "content" / "annual-reports")  # the sample's reports name departments this catalogue lacks
    for extra in (root / "content").glob("*.md"):
        if extra.name != "index.md":
            extra.unlink()
    write(root / "catalogue/domains.yml", "- id: fiscal\n  name: 财政预决算\n- id: jobs\n  name: 就业\n")
    write(root / "catalogue/departments.yml",
          '- id: finance\n  name: 县财政局\n  code: "003111216"\n  domains: [fiscal]\n'
          f"- id: hr\n  name: '{HOSTILE}'\n  code: \"003111217\"\n  domains: [jobs, fiscal]\n")
    write(root / "catalogue/items.yml",
          "- id: budget\n  domain: fiscal\n  name: 部门预算\n  time_limit: 财政部门批复后20日内\n  frequency: yearly\n"
          "  departments: [finance, hr]\n"
          "- id: stats\n  domain: jobs\n  name: 就业统计\n  time_limit: 每月结束后20个工作日内\n  frequency: monthly\n"
          "  departments: [hr]\n"
          "- id: policy\n  domain: jobs\n  name: 就业政策\n  time_limit: 信息形成之日起及时公开\n  frequency: on-change\n"
          "  departments: [hr]\n"
          "- id: subsidy\n  domain: jobs\n  name: 就业补贴发放\n  frequency: quarterly\n  departments: [hr]\n")
    rec = root / "content" / "records"
    record(rec / "finance/budget.md", "县财政局2025年部门预算", "003111216/2025-00001", "2025-02-14", "finance",
           "fiscal", "budget")
    record(rec / "hr/stats.md", "2025年12月就业统计", "003111217/2026-00001", "2026-01-15", "hr", "jobs", "stats")
    record(rec / "hr/policy-a.md", "就业补贴办法", "003111217/2024-00010", "2024-10-10", "hr", "jobs", "policy")
    record(rec / "hr/policy-a-interp.md", "《就业补贴办法》解读", "003111217/2024-00011", "2024-10-15", "hr", "jobs",
           "policy", "interprets: 003111217/2024-00010\n")
    record(rec / "hr/policy-b.md", "稳岗返还办法", "003111217/2024-00020", "2024-09-30", "hr", "jobs", "policy")
    record(rec / "hr/policy-b-interp.md", "《稳岗返还办法》解读", "003111217/2024-00021", "2024-10-09", "hr", "jobs",
           "policy", "interprets: 003111217/2024-00020\n")
    record(rec / "hr/subsidy-future.md", "2026年第四季度补贴发放", "003111217/2026-00009", "2026-12-01", "hr", "jobs",
           "subsidy")
    return root


@pytest.fixture(scope="module")
def idx(mini):
    project = load_project(mini / "content", mini / "catalogue", root=mini)
    assert project.problems.errors == []
    return build_index(project.catalogue, project.records)


def statuses(rep: report.Report) -> dict[str, tuple[str, int]]:
    return {r.item.id: (r.status.status, r.status.days_overdue) for r in rep.items}


# --- rules ---------------------------------------------------------------------------------------

def test_add_months_clamps_to_the_month_end():
    assert report.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert report.add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert report.add_months(D(2025, 12, 15), 12) == D(2026, 12, 15)


@pytest.mark.parametrize("time_limit, expected", [
    ("信息形成或者变更之日起20个工作日内", (20, True, True)),
    ("经本级人民代表大会批准后20日内", (20, False, True)),
    ("收到评标报告之日起3日内公示中标候选人；中标结果自确定之日起2个工作日内", (2, True, True)),
    ("每学年开学前", (20, True, False)),
    ("", (20, True, False)),
])
def test_grace_comes_from_the_time_limit(time_limit, expected):
    item = Item("x", "d", "x", "monthly", ("a",), time_limit=time_limit)
    assert report.grace_of(item) == expected


def test_working_days_follow_the_official_calendar():
    cal = report.WorkCalendar()
    assert not cal.is_workday(D(2024, 10, 1))  # National Day
    assert cal.is_workday(D(2024, 10, 12))  # a Saturday made a working day (调休)
    assert cal.workdays_between(D(2024, 9, 30), D(2024, 10, 9)) == 2  # Mon-Fri would say 7
    assert cal.workdays_between(D(2024, 10, 10), D(2024, 10, 15)) == 4  # Mon-Fri would say 3
    assert cal.add_workdays(D(2026, 2, 15), 20) == D(2026, 3, 20)  # across the Spring Festival
    assert cal.uncovered_years == set()
    assert cal.workdays_between(D(2099, 1, 2), D(2099, 1, 9)) == 5  # beyond the library: Mon-Fri
    assert cal.uncovered_years == {2099}


def test_working_days_agree_with_the_library_day_by_day():
    import chinese_calendar

    cal = report.WorkCalendar()
    day = D(2004, 1, 1)
    while day <= D(2027, 12, 31):
        try:
            expected = chinese_calendar.is_workday(day)
        except NotImplementedError:
            expected = day.weekday() < 5
        assert cal.is_workday(day) == expected, day
        day += dt.timedelta(days=1)


def test_statuses_at_the_boundaries(idx):
    # stats: monthly, last 2026-01-15, next due 2026-02-15 + 20 working days = 2026-03-20
    assert statuses(report.build_report(idx, D(2026, 3, 20)))["stats"] == ("covered", 0)
    assert statuses(report.build_report(idx, D(2026, 3, 21)))["stats"] == ("overdue", 1)
    # budget: yearly, last 2025-02-14, due 2026-02-14 + 20 calendar days = 2026-03-06
    assert statuses(report.build_report(idx, D(2026, 3, 6)))["budget"] == ("covered", 0)
    assert statuses(report.build_report(idx, D(2026, 3, 7)))["budget"] == ("overdue", 1)


def test_report_rules_on_a_known_project(idx):
    rep = report.build_report(idx, D(2026, 11, 22))
    assert statuses(rep) == {
        "budget": ("overdue", 261),
        "stats": ("overdue", 247),
        "policy": ("covered", 0),  # on-change: never overdue by age
        "subsidy": ("missing", 0),  # its only record is dated after the report date
    }
    rows = {r.item.id: r for r in rep.items}
    assert rows["policy"].status.due is None and rows["policy"].status.count == 4
    assert rows["budget"].departments_missing == ["hr"]
    assert (rows["budget"].grace, rows["budget"].grace_from_catalogue) == ("20日", True)
    assert (rows["subsidy"].grace, rows["subsidy"].grace_from_catalogue) == ("20个工作日", False)
    assert rep.record_count == 6

    deps = {s.id: (s.total, s.covered, s.overdue, s.missing) for s in rep.departments}
    assert deps == {"finance": (1, 0, 1, 0), "hr": (4, 1, 1, 2)}  # hr: own records only (budget missing)
    doms = {s.id: (s.total, s.covered, s.overdue, s.missing) for s in rep.domains}
    assert doms == {"fiscal": (1, 0, 1, 0), "jobs": (3, 1, 1, 1)}
    hr = next(s for s in rep.departments if s.id == "hr")
    assert (hr.published_share, hr.on_time_share) == (0.5, 0.25)

    assert [(i.record.index_no, i.workdays, i.late) for i in rep.interpretations] == [
        ("003111217/2024-00011", 4, True), ("003111217/2024-00021", 2, False)]
    assert [i.record.index_no for i in rep.late_interpretations] == ["003111217/2024-00011"]


def test_a_report_as_of_an_earlier_day_ignores_later_records(idx):
    rep = report.build_report(idx, D(2025, 6, 1))
    assert statuses(rep) == {"budget": ("covered", 0), "stats": ("missing", 0), "policy": ("covered", 0),
                             "subsidy": ("missing", 0)}
    assert rep.record_count == 5
    # between two interpretations: the later one is not counted yet (every list of the index is newest
    # first, and the report cuts each at its day)
    rep = report.build_report(idx, D(2024, 10, 12))
    assert [i.record.index_no for i in rep.interpretations] == ["003111217/2024-00021"] and rep.record_count == 3
    assert report.build_report(idx, D(2024, 1, 1)).record_count == 0


def test_json_and_text_carry_the_same_data(idx, mini):
    rep = report.build_report(idx, D(2026, 11, 22))
    data = json.loads(json.dumps(rep.as_dict(), ensure_ascii=False))
    assert data["date"] == "2026-11-22"
    assert data["summary"] == {"items": 4, "covered": 1, "overdue": 2, "missing": 1, "published_share": 0.75,
                               "on_time_share": 0.25, "records": 6, "interpretations": 2, "late_interpretations": 1}
    budget = next(i for i in data["items"] if i["id"] == "budget")
    assert budget == {"id": "budget", "name": "部门预算", "domain": "fiscal", "frequency": "yearly",
                      "time_limit": "财政部门批复后20日内", "grace": "20日", "departments": ["finance", "hr"],
                      "records": 1, "last_date": "2025-02-14", "last_index_no": "003111216/2025-00001",
                      "status": "overdue", "due": "2026-03-06", "days_overdue": 261, "departments_missing": ["hr"]}
    text = report.format_text(rep, idx.catalogue)
    assert text.startswith("公开情况报告（统计截至 2026-11-22）")
    assert "逾期 261 天" in text and "未公开" in text and "《就业补贴办法》解读" in text
    for heading in ("一、公开事项", "二、发布机构", "三、重点领域", "四、超过 3 个工作日发布的政策解读"):
        assert heading in text


def test_bar_chart_geometry(idx):
    rep = report.build_report(idx, D(2026, 11, 22))
    empty = report.Share("department", "none", "无事项机构")
    chart = report.bar_chart(rep.departments + [empty], "图")
    for row in chart["rows"]:
        widths = sum(s["width"] for s in row["segments"])
        assert widths == pytest.approx(chart["width"] if row["share"].total else 0, abs=0.05)
    assert chart["rows"][-1]["value"] == "无负责的公开事项"
    assert chart["height"] == report.LEGEND_HEIGHT + 3 * report.ROW_HEIGHT + 4


# --- the command ---------------------------------------------------------------------------------

def test_report_command_text_json_and_gates(mini, capsys):
    config = str(mini / "mkdocs.yml")
    assert main(["report", "-f", config, "--date", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "公开情况报告（统计截至 2026-11-22）" in out and "就业补贴发放" in out

    assert main(["report", "-f", config, "--date", "2026-11-22", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["missing"] == 1 and data["content_errors"] == 0

    assert main(["report", "-f", config, "--date", "2026-11-22", "--fail-on", "missing"]) == 1
    err = capsys.readouterr().err
    assert "--fail-on missing：1 个公开事项未公开：subsidy" in err
    assert main(["report", "-f", config, "--date", "2026-11-22", "--fail-on", "overdue", "--fail-on", "missing"]) == 1
    assert "budget, stats" in capsys.readouterr().err
    # on 2026-03-01 nothing is overdue yet
    assert main(["report", "-f", config, "--date", "2026-03-01", "--fail-on", "overdue"]) == 0
    capsys.readouterr()
    assert main(["report", "-f", config, "--date", "2026-02-30"]) == 2
    assert "不是有效日期" in capsys.readouterr().err


def test_report_command_counts_content_errors_as_failure(project, capsys):
    bad = project / "content/records/finance/zz-bad.md"
    bad.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert main(["report", "-f", str(project / "mkdocs.yml"), "--format", "json"]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["content_errors"] >= 1
    assert "报告只统计了通过检查的记录" in out.err


# --- the published page --------------------------------------------------------------------------

class _Svg(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs: list[dict] = []
        self.stack: list[str] = []
        self.links: list[str] = []

    def handle_startendtag(self, tag, attrs):  # <rect …/>: nothing to close later
        self.handle_starttag(tag, attrs, push=False)

    def handle_starttag(self, tag, attrs, push=True):
        a = dict(attrs)
        if tag == "svg":
            self.svgs.append({"attrs": a, "title": "", "desc": "", "rects": 0, "texts": []})
        if self.svgs and self.stack and "svg" in self.stack:
            if tag == "rect":
                self.svgs[-1]["rects"] += 1
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if push and tag not in ("br", "link", "meta", "img", "input", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.svgs and "svg" in self.stack:
            top = self.stack[-1]
            if top in ("title", "desc") and self.stack[-2] == "svg":
                self.svgs[-1][top] += data
            elif top == "text":
                self.svgs[-1]["texts"].append(data)


@pytest.fixture(scope="module")
def mini_site(mini, tmp_path_factory) -> Path:
    return build_site(str(mini / "mkdocs.yml"), site_dir=str(tmp_path_factory.mktemp("mini") / "site"),
                      report_date="2026-11-22")


def test_report_page_has_charts_table_and_late_interpretations(mini_site):
    html = (mini_site / "report.html").read_text(encoding="utf-8")
    parser = _Svg()
    parser.feed(html)
    charts = [svg for svg in parser.svgs if svg["attrs"].get("role") == "img"]  # (Material's icons are SVG too)
    assert len(charts) == 2
    deps, doms = charts
    for svg in charts:
        assert svg["attrs"]["role"] == "img"
        ids = svg["attrs"]["aria-labelledby"].split()
        assert all(f'id="{i}"' in html for i in ids)
    assert deps["title"] == "各发布机构公开事项完成情况" and doms["title"] == "各重点领域公开事项完成情况"
    assert "县财政局：已公开 1/1（100%） · 按时 0/1（0%）" in deps["desc"]
    # markup in the catalogue is published as its text only (issue 13: one sanitization policy)
    published = "人社局&"
    assert published + "：已公开 2/4（50%） · 按时 1/4（25%）" in deps["desc"]  # text, not markup
    assert published in deps["texts"]
    assert "<script>alert" not in html and "alert" not in html and "人社局&amp;：" in html
    assert "统计截至 <time datetime=\"2026-11-22\"><strong>2026-11-22</strong></time>" in html
    assert re.search(r'dx-status--overdue">逾期 261 天', html)
    assert re.search(r'dx-status--missing">未公开', html)
    # the late interpretation is listed and linked, the timely one is not
    assert "《就业补贴办法》解读" in html and "《稳岗返还办法》解读" not in html
    for href in ("records/hr/policy-a-interp.html", "records/hr/policy-a.html", "departments/hr.html",
                 "domains/jobs.html", "items/subsidy.html"):
        assert href in parser.links
        assert (mini_site / href).is_file()
    assert (mini_site / "assets" / "report.css").is_file()


def test_report_page_is_in_the_sample_site_and_its_nav(sample_site):
    page = (sample_site / "report.html").read_text(encoding="utf-8")
    assert page.count('role="img"') >= 2 and "<svg" in page
    assert 'href="report.html"' in (sample_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r">\s*公开情况\s*<", (sample_site / "index.html").read_text(encoding="utf-8"))


def test_report_page_in_a_browser_offline_and_in_print(page, sample_site):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((sample_site / "report.html").as_uri())
    charts = page.get_by_role("img", name="各发布机构公开事项完成情况")
    assert charts.count() == 1 and charts.is_visible()
    assert charts.bounding_box()["width"] > 400
    assert page.get_by_role("img", name="各重点领域公开事项完成情况").is_visible()
    assert page.get_by_role("table", name="各发布机构完成情况（数据表）").is_visible()
    assert [u for u in requests if not u.startswith("file:")] == []
    page.emulate_media(media="print")
    box = page.get_by_role("img", name="各重点领域公开事项完成情况").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert errors == []


def test_report_page_has_no_serious_accessibility_violation(page, sample_site):
    from test_a11y import axe_violations

    page.goto((sample_site / "report.html").as_uri())
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
