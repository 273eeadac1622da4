"""The pure core, without MkDocs: catalogue, records, validation, index, pages, exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.outputs import exports
from site_builder.sources.catalogue import load_catalogue
from site_builder.sources.dates import SHANGHAI, parse_date
from site_builder.plan.index import build_index, tag_slug
from site_builder.plan.pages import build_pages, paginate
from site_builder.plan.urls import Links
from site_builder.plan.urls import record_url
from site_builder.sources.records import opening_text
from site_builder.sources.validate import load_project

ROOT = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def mini_project(tmp_path: Path) -> Path:
    write(tmp_path / "catalogue/domains.yml", "- id: fiscal\n  name: 财政预决算\n- id: jobs\n  name: 就业\n")
    write(tmp_path / "catalogue/departments.yml",
          '- id: finance\n  name: 县财政局\n  code: "003111216"\n  domains: [fiscal]\n'
          '- id: hr\n  name: 县人力资源和社会保障局\n  code: "003111217"\n  domains: [jobs]\n')
    write(tmp_path / "catalogue/items.yml",
          "- id: fiscal-budget\n  domain: fiscal\n  name: 部门预算\n  frequency: yearly\n  departments: [finance]\n"
          "- id: jobs-policy\n  domain: jobs\n  name: 就业政策\n  frequency: on-change\n  departments: [hr]\n")
    for n, (date, title) in enumerate([("2024-02-20", "预算一"), ("2024-03-01 09:30:00", "预算二"),
                                       ("2023-01-05", "预算三")], start=1):
        write(tmp_path / f"content/records/finance/r{n}.md",
              f"---\ntitle: {title}\nindex_no: 003111216/{date[:4]}-0000{n}\ndate: {date}\n"
              f"department: finance\ndomains: [fiscal]\nitem: fiscal-budget\ntags: [部门预算, 三公经费]\n---\n"
              f"本文公开{title}。\n\n## 表格\n\n| 项目 | 金额 |\n|---|---|\n| 合计 | 100 |\n")
    return tmp_path


def test_dates_are_shanghai_and_reject_impossible_days():
    moment, has_time = parse_date("2024-02-20")
    assert moment == dt.datetime(2024, 2, 20, tzinfo=SHANGHAI) and not has_time
    moment, has_time = parse_date("2024-03-01 09:30:00")
    assert moment.utcoffset() == dt.timedelta(hours=8) and has_time
    try:
        parse_date("2024-02-30")
    except ValueError as exc:
        assert "不是存在的日期" in str(exc)
    else:
        raise AssertionError("2024-02-30 accepted")


def test_catalogue_codes_stay_text(tmp_path):
    cat, problems = load_catalogue(mini_project(tmp_path) / "catalogue")
    assert not problems.items
    assert cat.departments["finance"].code == "003111216"  # not the octal int PyYAML would make
    assert cat.items["fiscal-budget"].frequency_label == "每年"


def test_project_loads_records_newest_first(tmp_path):
    root = mini_project(tmp_path)
    project = load_project(root / "content", root / "catalogue", root=root)
    assert not project.problems.errors and not project.problems.warnings
    assert [r.title for r in project.records] == ["预算二", "预算一", "预算三"]
    r = project.records[0]
    assert r.domains == ("fiscal",) and r.tags == ("部门预算", "三公经费")
    assert r.summary == "本文公开预算二。"  # default summary: the opening text
    assert r.lines["date"] == 4


def test_index_groups_and_pages_paginate(tmp_path):
    root = mini_project(tmp_path)
    project = load_project(root / "content", root / "catalogue", root=root)
    idx = build_index(project.catalogue, project.records)
    assert len(idx.by_domain["fiscal"]) == 3 and idx.by_domain["jobs"] == []
    assert [len(v) for v in idx.by_tag.values()] == [3, 3]
    assert idx.years() == [2024, 2023]
    links = Links(use_directory_urls=False)
    specs = {s.src_uri: s for s in build_pages(idx, links, page_size=2, site_name="测试")}
    assert "domains/fiscal.md" in specs and "domains/fiscal/2.md" in specs
    assert "domains/fiscal/3.md" not in specs
    assert specs["domains/fiscal/2.md"].context["pagination"]["prev"] == "domains/fiscal.html"
    assert f"tags/{tag_slug('部门预算')}.md" in specs
    assert "items/jobs-policy.md" in specs  # an item with no records still has its page
    assert specs["items/jobs-policy.md"].context["records"] == []


def test_paginate_and_urls():
    assert paginate([], 20) == [[]]
    assert [len(p) for p in paginate(list(range(45)), 20)] == [20, 20, 5]
    assert record_url("records/a/b.md", False) == "records/a/b.html"
    assert record_url("records/a/b.md", True) == "records/a/b/"
    assert Links(False).domain("fiscal", 3) == "domains/fiscal/3.html"


def test_exports_carry_urls_and_counts(tmp_path):
    root = mini_project(tmp_path)
    project = load_project(root / "content", root / "catalogue", root=root)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    links = Links(False)
    recs = exports.records_json(idx, links)
    assert recs[0]["index_no"] == "003111216/2024-00002" and recs[0]["url"] == "records/finance/r2.html"
    assert set(recs[0]) >= {"index_no", "title", "url", "date", "department", "domains", "item", "tags"}
    cat = exports.catalogue_json(idx, links)
    item = next(i for i in cat["items"] if i["id"] == "fiscal-budget")
    assert item["record_count"] == 3 and item["last_date"] == "2024-03-01" and item["url"] == "items/fiscal-budget.html"
    assert cat["domains"][0]["url"] == "domains/fiscal.html"
    assert cat["departments"][1]["record_count"] == 0 and cat["departments"][1]["last_date"] is None


def test_opening_text_skips_headings_and_tables():
    body = "## 一、概况\n\n| a | b |\n|---|---|\n\n根据**《预算法》**规定，现将[预算](x.md)公开如下。\n"
    assert opening_text(body) == "根据《预算法》规定，现将预算公开如下。"


def test_sample_content_is_clean():
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    assert not project.problems.errors, [p.format() for p in project.problems.errors]
    assert not project.problems.warnings, [p.format() for p in project.problems.warnings]
    assert len(project.records) >= 60
    assert len(project.catalogue.domains) >= 10
    assert len(project.catalogue.departments) >= 15
    assert len(project.catalogue.items) >= 30


def test_a_record_with_a_fatal_problem_still_gets_every_other_check(tmp_path):
    root = mini_project(tmp_path)
    rec = root / "content/records/finance/r1.md"
    rec.write_text(rec.read_text(encoding="utf-8").replace("date: 2024-02-20", "date: 2024-13-01")
                   .replace("department: finance", "department: financ"), encoding="utf-8")
    project = load_project(root / "content", root / "catalogue", root=root)
    messages = [(p.line, p.message) for p in project.problems.errors]
    assert (4, "发布日期无效：“2024-13-01”不是存在的日期") in messages
    assert (5, "发布机构“financ”不存在") in messages
    assert "预算一" not in [r.title for r in project.records]  # never published


def test_the_index_gathers_the_records_that_carry_a_column_s_field_in_its_one_pass():
    """The policy library, the task list and the consultations read these lists, not every record: each
    list is exactly the records with that field, newest first (the sample project has each kind)."""
    root = Path(__file__).resolve().parent.parent
    project = load_project(root / "content", root / "catalogue", root=root, build_day=dt.date(2026, 12, 1))
    idx = build_index(project.catalogue, project.records)
    for got, field in ((idx.policy_docs, "doc_type"), (idx.task_reports, "tasks"),
                       (idx.feedbacks, "feedback_for")):
        assert got and got == [r for r in idx.records if getattr(r, field)], field
    assert idx.consultation_records == [r for r in idx.records if r.consultation is not None]
    assert idx.consultation_records
