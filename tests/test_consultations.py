"""意见征集: statuses on fixed build days (before, during, after a window, after its feedback), the
consultation box and its link back from the feedback, the home block, the consultations pages and their
filter, data/*.json, the 公开情况 flag and its option, a rebuild on a later day through the caches, every
validation rule with a bad file, and the pages in Chromium at phone and desktop widths."""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import logging
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import cold_copy, copy_project

from site_builder.commands.cli import build_site, main
from site_builder.plan import report
from site_builder.plan.index import build_index
from site_builder.sources.validate import load_project

BEFORE, DURING, AFTER, ANSWERED = "2026-11-21", "2026-12-02", "2027-01-10", "2027-02-01"
DAYS = (DURING, AFTER, BEFORE, ANSWERED)  # built in this order, all from one project folder and its caches

FOCUS = "records/hrss/test-consultation.md"  # window 2026-11-25 … 2026-12-24 (30 days)
FOCUS_NO = "011320505/2026-00901"
LAST_DAY_NO = "011320505/2026-00902"  # window 2026-11-02 … 2026-12-02: its last day is DURING
FEEDBACK_NO = "011320505/2027-00903"  # published 2027-01-20: answers FOCUS
SAMPLE_OPEN = "011320507/2026-00801"  # the sample's 城区控制性详细规划: 2026-11-20 … 2026-12-31
SAMPLE_ANSWERED = "011320514/2026-00809"  # 耕地地力保护补贴: answered 2026-04-20


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def record(index_no: str, date: str, title: str, extra: str, dep: str = "hrss", domain: str = "employment",
           item: str = "employment-policy") -> str:
    return (f"---\ntitle: {title}\nindex_no: {index_no}\ndate: {date}\ndepartment: {dep}\n"
            f"domains: [{domain}]\nitem: {item}\n{extra}---\n{title}的正文。\n")


class Messages(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, rec):
        self.lines.append(rec.getMessage())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("consult") / "project")
    records = root / "content" / "records"
    write(records / "hrss/test-consultation.md", record(
        FOCUS_NO, "2026-11-05", "关于公开征求《云溪县零工市场管理办法（征求意见稿）》意见的公告",
        "consultation:\n  start: 2026-11-25\n  end: 2026-12-24\n"
        "  respond: 电子邮件 lg-yj@example.gov.cn；信函寄人民路36号 A&B 收（请注明“意见”）\n"))
    write(records / "hrss/test-last-day.md", record(
        LAST_DAY_NO, "2026-11-02", "关于公开征求《云溪县见习基地管理办法（征求意见稿）》意见的公告",
        "consultation: {start: 2026-11-02, end: 2026-12-02, respond: 信函寄人民路36号}\n"))
    write(records / "hrss/test-feedback.md", record(
        FEEDBACK_NO, "2027-01-20", "《云溪县零工市场管理办法》意见采纳情况", f"feedback_for: {FOCUS_NO}\n"))
    # five to a page: the consultations pages paginate
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 5"), encoding="utf-8")
    assert "page_size: 5" in config.read_text(encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def builds(project, tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """day → (site, the plugin's log lines): one project folder, so each build after the first has the caches."""
    out = {}
    logger = logging.getLogger("mkdocs.plugins.disclosure")
    for day in DAYS:
        site = tmp_path_factory.mktemp(f"site-{day}") / "site"
        handler = Messages()
        logger.addHandler(handler)
        try:
            assert main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site), "--build-date", day, "-s"]) == 0
        finally:
            logger.removeHandler(handler)
        out[day] = (site, handler.lines)
    return out


def site(builds, day) -> Path:
    return builds[day][0]


def text(path: Path) -> str:
    """A page's visible text, tags removed, whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def consultations(builds, day) -> dict[str, dict]:
    data = json.loads((site(builds, day) / "data/consultations.json").read_text(encoding="utf-8"))
    assert data["date"] == day
    return {c["index_no"]: c for c in data["consultations"]}


def box(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    m = re.search(r'<section class="dx-consult.*?</section>', html, re.DOTALL)
    assert m, f"{page} has no consultation box"
    return m.group(0)


# --- statuses on fixed days -------------------------------------------------------------------------


def test_statuses_and_days_left_in_json_on_each_day(builds):
    before, during, after, answered = (consultations(builds, d) for d in (BEFORE, DURING, AFTER, ANSWERED))
    assert (before[FOCUS_NO]["status"], before[FOCUS_NO]["days_to_start"], before[FOCUS_NO]["days_left"]) == ("未开始", 4, None)
    assert (during[FOCUS_NO]["status"], during[FOCUS_NO]["days_left"]) == ("征集中", 23)  # 12-02 … 12-24, today included
    assert (during[LAST_DAY_NO]["status"], during[LAST_DAY_NO]["days_left"]) == ("征集中", 1)
    assert (after[FOCUS_NO]["status"], after[FOCUS_NO]["days_since_end"], after[FOCUS_NO]["feedback"]) == ("已截止待反馈", 17, [])
    assert answered[FOCUS_NO]["status"] == "已反馈"
    assert [f["index_no"] for f in answered[FOCUS_NO]["feedback"]] == [FEEDBACK_NO]
    assert answered[FOCUS_NO]["feedback"][0]["url"] == "records/hrss/test-feedback.html"
    focus = during[FOCUS_NO]
    assert (focus["start"], focus["end"], focus["days"], focus["url"]) == ("2026-11-25", "2026-12-24", 30,
                                                                           "records/hrss/test-consultation.html")
    assert focus["respond"].startswith("电子邮件 lg-yj@example.gov.cn；")
    # the sample on its own build day: at least four in each of the three states
    sample = [c for no, c in during.items() if no not in (FOCUS_NO, LAST_DAY_NO)]
    for status in ("征集中", "已截止待反馈", "已反馈"):
        assert sum(1 for c in sample if c["status"] == status) >= 4, status
    assert during[SAMPLE_OPEN]["days_left"] == 30 and during[SAMPLE_ANSWERED]["status"] == "已反馈"
    # open first, then upcoming, then awaiting feedback, then answered
    order = ["征集中", "未开始", "已截止待反馈", "已反馈"]
    for data in (before, during, after, answered):
        ranks = [order.index(c["status"]) for c in data.values()]
        assert ranks == sorted(ranks)


def test_records_json_carries_the_fields(builds):
    rows = {r["index_no"]: r for r in json.loads((site(builds, ANSWERED) / "data/records.json").read_text("utf-8"))}
    assert rows[FOCUS_NO]["consultation"] == {"start": "2026-11-25", "end": "2026-12-24",
                                              "respond": "电子邮件 lg-yj@example.gov.cn；信函寄人民路36号 A&B 收（请注明“意见”）"}
    assert rows[FOCUS_NO]["feedback_for"] is None
    assert rows[FEEDBACK_NO]["feedback_for"] == FOCUS_NO and rows[FEEDBACK_NO]["consultation"] is None


def test_the_consultation_box_on_each_day(builds):
    page = "records/hrss/test-consultation.html"
    before = box(site(builds, BEFORE) / page)
    assert "未开始" in before and "4天后开始" in before
    during = box(site(builds, DURING) / page)
    assert "征集中" in during and "还剩23天" in during and "意见征集结束后公布" in during
    assert '<time datetime="2026-11-25">2026-11-25</time> 至 <time datetime="2026-12-24">2026-12-24</time>（共 30 日）' in during
    # the respond text: escaped, its e-mail address a link
    assert '<a href="mailto:lg-yj@example.gov.cn">lg-yj@example.gov.cn</a>' in during
    assert "A&amp;B 收（请注明“意见”）" in during
    assert "最后一天" in box(site(builds, DURING) / "records/hrss/test-last-day.html")
    after = box(site(builds, AFTER) / page)
    assert "已截止待反馈" in after and "已截止17天" in after and "采纳情况尚未公布" in after
    answered = box(site(builds, ANSWERED) / page)
    assert "已反馈" in answered and 'href="test-feedback.html"' in answered and "还剩" not in answered
    back = (site(builds, ANSWERED) / "records/hrss/test-feedback.html").read_text(encoding="utf-8")
    assert re.search(r'class="dx-related dx-consult-back".*?href="test-consultation.html".*?公开征求意见的采纳情况反馈', back, re.DOTALL)
    # a record that is neither shows neither
    plain = (site(builds, DURING) / "records/finance/2024-general-budget.html").read_text(encoding="utf-8")
    assert "dx-consult" not in plain and "consultations.css" not in plain


def test_home_shows_open_consultations_first_only_when_there_are_some(builds):
    home = site(builds, DURING) / "index.html"
    html = home.read_text(encoding="utf-8")
    assert html.index('id="dx-home-consult"') < html.index('id="dx-latest"')
    block = re.search(r'<section class="dx-home-consult".*?</section>', html, re.DOTALL).group(0)
    assert block.count('class="dx-list__item') == 5  # the five closing soonest …
    assert "正在征集意见的全部 6 项" in block  # … of six open ones, the rest one link away
    assert 'test-last-day.html' in block and "最后一天" in block  # closes today: first
    assert block.index("test-last-day.html") < block.index("test-consultation.html")
    # after every window has closed: no block at all
    assert "dx-home-consult" not in (site(builds, ANSWERED) / "index.html").read_text(encoding="utf-8")


def test_consultations_pages_list_filter_and_paginate(builds):
    root = site(builds, DURING) / "consultations"
    first = text(root / "index.html")
    assert "状态按 2026-12-02 计算" in first
    # 14 consultations (the sample's 12 and 2 of the test's; a feedback is not one), five a page
    assert (root / "all/2.html").is_file() and (root / "all/3.html").is_file() and not (root / "all/4.html").exists()
    assert "共 14 条，3 页" in first
    assert re.search(r"全部 14 征集中 6 未开始 0 已截止待反馈 4 已反馈 4", first), first[:600]
    html = (root / "index.html").read_text(encoding="utf-8")
    statuses = re.findall(r'class="dx-list__item dx-citem dx-citem--(\w+)"', html)
    assert statuses == ["open"] * 5
    last = re.findall(r'class="dx-list__item dx-citem dx-citem--(\w+)"',
                      (root / "all/3.html").read_text(encoding="utf-8"))
    assert last == ["answered"] * 4
    opened = (root / "open.html").read_text(encoding="utf-8")
    assert set(re.findall(r"dx-citem--(\w+)", opened)) == {"open"} and (root / "open/2.html").is_file()
    assert set(re.findall(r"dx-citem--(\w+)", (root / "closed.html").read_text(encoding="utf-8"))) == {"closed"}
    assert "暂无未开始的意见征集" in text(root / "upcoming.html")
    # in the navigation of every page
    assert re.search(r'href="consultations/index.html"[^>]*>(<span[^>]*>)?\s*意见征集\s*<',
                     (site(builds, DURING) / "index.html").read_text(encoding="utf-8"))


def test_report_flags_closed_consultations_without_feedback(builds):
    page = text(site(builds, ANSWERED) / "report.html")
    section = page[page.index("意见征集采纳情况反馈"):page.index("统计口径")]
    assert "截止超过 30 日仍未发布采纳情况反馈的意见征集" in section
    assert "见习基地管理办法" in section and "61 日未反馈" in section  # closed 2026-12-02
    assert "零工市场管理办法" not in section  # answered
    during = text(site(builds, DURING) / "report.html")
    assert "见习基地管理办法" not in during[during.index("意见征集采纳情况反馈"):]  # closes that day


def test_the_feedback_days_option(project, capsys):
    """`consultation_feedback_days` (docs/options.md) reaches the report; the core takes it as a number."""
    loaded = load_project(project / "content", project / "catalogue", root=project, build_day=dt.date(2027, 2, 1))
    idx = build_index(loaded.catalogue, loaded.records)
    flagged = {u.record.index_no for u in report.build_report(idx, dt.date(2027, 2, 1), feedback_days=30).unanswered}
    assert LAST_DAY_NO in flagged and FOCUS_NO not in flagged
    assert LAST_DAY_NO not in {u.record.index_no for u in report.build_report(idx, dt.date(2027, 2, 1),
                                                                              feedback_days=61).unanswered}
    config = project / "mkdocs-90.yml"
    config.write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      page_size: 5\n", "      page_size: 5\n      consultation_feedback_days: 90\n"), encoding="utf-8")
    try:
        assert main(["report", "-f", str(config), "--build-date", ANSWERED, "--format", "json"]) == 0
    finally:
        config.unlink()
    data = json.loads(capsys.readouterr().out)["consultations_unanswered"]
    assert data["feedback_days"] == 90
    assert [(c["index_no"], c["end"], c["days_since_end"]) for c in data["consultations"]] == [
        ("011320502/2026-00805", "2026-10-25", 99)]  # the only one closed more than 90 days before


def differences(a: Path, b: Path) -> list[str]:
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(fa ^ fb) + sorted(f for f in fa & fb if not filecmp.cmp(a / f, b / f, shallow=False))


def test_a_rebuild_on_a_later_day_with_the_caches_shows_the_new_status(builds, project, tmp_path):
    """The second build (AFTER) ran on the first one's caches: pages were reused, yet every page showing
    a status shows the day's."""
    lines = builds[AFTER][1]
    reused = [int(m.group(1)) for line in lines for m in [re.search(r"(\d+) 个沿用缓存", line)] if m]
    assert reused and reused[0] > 100, lines  # the cache was there and used
    page = "records/hrss/test-consultation.html"
    assert "征集中" in box(site(builds, DURING) / page)
    assert "已截止待反馈" in box(site(builds, AFTER) / page) and "还剩" not in box(site(builds, AFTER) / page)
    sample = "records/natural-resources/2026-chengqu-kongxiang-consultation.html"
    assert "还剩30天" in box(site(builds, DURING) / sample)
    assert "已截止10天" in box(site(builds, AFTER) / sample)
    assert "征集中 6" in text(site(builds, DURING) / "consultations/index.html")
    assert "征集中 0" in text(site(builds, AFTER) / "consultations/index.html")
    assert "dx-home-consult" in (site(builds, DURING) / "index.html").read_text(encoding="utf-8")
    assert "dx-home-consult" not in (site(builds, AFTER) / "index.html").read_text(encoding="utf-8")
    # and the cached build is, file by file, what a build from nothing writes on that day
    fresh = build_site(str(cold_copy(project, tmp_path / "cold") / "mkdocs.yml"), site_dir=str(tmp_path / "fresh"),
                       plugin_options={"build_date": AFTER})
    assert differences(site(builds, AFTER), fresh) == []
    # feeds carry record bodies, never a status, so the feed cache cannot serve a stale one
    for day in (DURING, AFTER):
        feed = (site(builds, day) / "feeds/all.xml").read_text(encoding="utf-8")
        assert "还剩" not in feed and "已截止" not in feed and "dx-consult" not in feed


# --- validation: every rule, a bad file each, with file and line -------------------------------------


BAD = {
    # file: (front matter extra, expected level, line, words in the message)
    "no-start.md": ("consultation: {end: 2026-12-31, respond: 信函}\n", "error", 8, "缺少开始日期"),
    "no-end.md": ("consultation:\n  start: 2026-11-01\n  respond: 信函\n", "error", 8, "缺少截止日期"),
    "no-respond.md": ("consultation:\n  start: 2026-11-01\n  end: 2026-12-31\n", "error", 8, "缺少反馈意见的方式"),
    "end-first.md": ("consultation:\n  start: 2026-11-01\n  end: 2026-10-01\n  respond: 信函\n", "error", 10,
                     "截止日期 2026-10-01 早于开始日期 2026-11-01"),
    "bad-date.md": ("consultation:\n  start: 2026-02-30\n  end: 2026-03-31\n  respond: 信函\n", "error", 9,
                    "开始日期（start）无效"),
    "not-mapping.md": ("consultation: 2026-11-01至2026-12-31\n", "error", 8, "应写明征求意见的起止日期和反馈方式"),
    "short.md": ("consultation:\n  start: 2026-11-01\n  end: 2026-11-20\n  respond: 信函\n", "warning", 10,
                 "只有 20 日，少于 30 日"),
    "unknown-target.md": ("feedback_for: 011320505/2026-99999\n", "error", 8, "“011320505/2026-99999”不存在"),
    "not-consultation.md": ("feedback_for: 011320503/2024-00007\n", "error", 8, "不是征求意见稿"),
    "early-feedback.md": (f"feedback_for: {LAST_DAY_NO}\n", "warning", 4, "不晚于征求意见截止日期 2026-12-02"),
}


def test_each_rule_names_file_and_line(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    folder = root / "content/records/hrss"
    write(folder / "test-last-day.md", record(
        LAST_DAY_NO, "2026-11-02", "见习基地管理办法（征求意见稿）",
        "consultation: {start: 2026-11-02, end: 2026-12-02, respond: 信函寄人民路36号}\n"))
    for n, (name, (extra, _, _, _)) in enumerate(sorted(BAD.items()), start=10):
        date = "2026-11-20" if name == "early-feedback.md" else "2026-11-01"
        write(folder / name, record(f"011320505/2026-009{n}", date, f"测试记录{name}", extra))
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--build-date", "2026-12-02", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    found = [dict(p, level="error") for p in out["errors"]] + [dict(p, level="warning") for p in out["warnings"]]
    for name, (_, level, line, words) in BAD.items():
        mine = [p for p in found if p["file"] == f"content/records/hrss/{name}"]
        assert any(p["level"] == level and p["line"] == line and words in p["message"] for p in mine), (name, mine)
        assert all(p["hint"] for p in mine)
    short = next(p for p in found if p["file"].endswith("short.md"))
    assert "《重大行政决策程序暂行条例》第十四条" in short["hint"] and "一般不少于30日" in short["hint"]
    unknown = next(p for p in found if p["file"].endswith("unknown-target.md"))
    assert LAST_DAY_NO in unknown["hint"]  # the consultations there are, to choose from
    # the sample itself checks clean (its consultations included)
    assert not [p for p in found if p["file"].rsplit("/", 1)[-1] not in BAD]


# --- in a browser ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_at_phone_and_desktop_width(builds, browser, artifacts, width):
    from test_a11y import axe_violations

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for name, rel in (("consultations", "consultations/index.html"),
                          ("consultation-record", "records/natural-resources/2026-chengqu-kongxiang-consultation.html"),
                          ("consultations-home", "index.html")):
            page.goto((site(builds, DURING) / rel).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
            bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
            assert not bad, (name, bad)
        page.goto((site(builds, DURING) / "records/natural-resources/2026-chengqu-kongxiang-consultation.html").as_uri())
        assert page.locator(".dx-consult .dx-cstatus").inner_text() == "征集中"
        assert page.locator(".dx-consult a[href^='mailto:']").count() == 1
        # with the high-contrast switch and extra-large text too
        page.evaluate("() => { localStorage.setItem('dx-text-size', 'xlarge'); localStorage.setItem('dx-contrast', 'high'); }")
        for rel in ("consultations/index.html", "records/natural-resources/2026-chengqu-kongxiang-consultation.html"):
            page.goto((site(builds, DURING) / rel).as_uri())
            assert page.evaluate("() => document.documentElement.dataset.dxContrast") == "high"
            bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
            assert not bad, (rel, bad)
    finally:
        context.close()


def test_search_has_a_consultation_status_facet(builds, page):
    """search.html: the 意见征集 facet counts each status of the day; choosing one keeps only those."""
    page.goto((site(builds, DURING) / "search.html").as_uri() + "?q=" + "征求意见")
    page.wait_for_selector("#dx-search[data-state=results]", timeout=15000)
    facet = page.locator("fieldset.dx-facet--con")
    assert facet.locator("legend").inner_text() == "意见征集"
    counts = dict(zip(facet.locator(".dx-facet__name").all_inner_texts(), facet.locator(".dx-count").all_inner_texts()))
    assert counts == {"征集中": "6", "已截止待反馈": "4", "已反馈": "4"}
    facet.locator("label", has_text="征集中").locator("input").check()
    page.wait_for_function("() => document.querySelectorAll('.dx-search__item').length === 6")
    badges = page.locator(".dx-search__item .dx-badge--consultation").all_inner_texts()
    assert badges == ["征集中"] * 6


# --- the rules themselves, without a build -------------------------------------------------------------


def test_status_boundaries_and_respond_links():
    from site_builder.plan import consultations as C
    from site_builder.sources.consultations import Consultation
    from site_builder.sources.dates import SHANGHAI
    from site_builder.sources.records import Record

    r = Record("records/x.md", "草案", "011320505/2026-00999", dt.datetime(2026, 3, 1, tzinfo=SHANGHAI), "hrss",
               ("employment",), consultation=Consultation(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "信函"))
    day = dt.date
    assert r.consultation.days == 31
    cases = [(day(2026, 2, 28), "upcoming", "1天后开始"), (day(2026, 3, 1), "open", "还剩31天"),
             (day(2026, 3, 30), "open", "还剩2天"), (day(2026, 3, 31), "open", "最后一天"),
             (day(2026, 4, 1), "closed", "已截止1天，待公布采纳情况")]
    for d, status, when in cases:
        v = C.status_on(r, False, d)
        assert (v.status, v.when, v.day) == (status, when, d)
    assert C.status_on(r, True, day(2026, 3, 15)).status == "answered"  # feedback decides, whatever the day
    assert C.respond_parts("电子邮件 a.b@example.gov.cn；信函 <云溪大道1号>") == [
        ("电子邮件 ", ""), ("a.b@example.gov.cn", "a.b@example.gov.cn"), ("；信函 <云溪大道1号>", "")]


def test_markup_in_respond_is_dropped_with_a_warning():
    from site_builder.sources import yamlsrc
    from site_builder.sources.consultations import read_fields
    from site_builder.sources.problems import Problems

    meta, _ = yamlsrc.load_repaired('consultation:\n  start: 2026-03-01\n  end: 2026-03-31\n'
                                    '  respond: "信函<script>alert(1)</script> <b>云溪大道1号</b>"\n', line_offset=1)
    problems = Problems()
    found, feedback_for, ok = read_fields(meta, "content/records/x.md", lambda k: meta.line_of(k) or 2, problems)
    assert ok and feedback_for == "" and "<" not in found.respond and "云溪大道1号" in found.respond
    assert "alert" not in found.respond
    [warning] = problems.warnings
    assert (warning.line, "respond 中的 HTML 标记") == (5, warning.message[:len("respond 中的 HTML 标记")])
