"""Accessibility and elderly-friendliness (无障碍与适老化) on the public site and the kiosk copy, opened from
disk in Chromium: axe-core (npm package, injected) finds no serious or critical WCAG 2.1 A/AA violation on
the home, a domain, a department, a record, the catalogue and the search results page; the text-size
and high-contrast switches persist across pages over file:// and apply before the first paint; the
keyboard reaches the skip link and the switches with a visible focus; lang and landmarks are right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RECORD = "records/finance/2024-general-budget.html"  # has a body table and an attachment
PAGES = {
    "home": "index.html",
    "domain": "domains/fiscal.html",
    "department": "departments/finance.html",
    "record": RECORD,
    "catalogue": "catalogue.html",
    "search": "search.html?q=预算",
}


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (scripts/setup.sh does)")
    # evaluated, not added as an inline <script>: the page's Content-Security-Policy would block that
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n').slice(1).join(' '))}));
    }""", WCAG)


def open_page(page, root: Path, rel: str):
    path, _, query = rel.partition("?")
    if not (root / path).exists():
        pytest.skip(f"{path} is not in this build")
    page.goto((root / path).as_uri() + (f"?{query}" if query else ""))
    if path == "search.html":
        page.wait_for_function("() => document.querySelectorAll('.dx-search__list li').length > 0", timeout=10000)


@pytest.fixture(params=["site", "kiosk"])
def built(request):
    return request.getfixturevalue("sample_site" if request.param == "site" else "kiosk_copy")


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violation(built, page, name):
    open_page(page, built, PAGES[name])
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("name", ["home", "record", "search"])
def test_axe_with_extra_large_text_and_high_contrast(built, page, name):
    page.goto((built / "index.html").as_uri())
    page.evaluate("() => { localStorage.setItem('dx-text-size', 'xlarge'); localStorage.setItem('dx-contrast', 'high'); }")
    open_page(page, built, PAGES[name])
    assert page.evaluate("() => document.documentElement.dataset.dxContrast") == "high"
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


# The columns of the second wave, each with what once failed there with extra-large text and high contrast
# on a phone: labels white on a light panel (政策文件库's filters, 政策咨询), coloured words on black (逾期,
# 失效), charts scrolling out of the keyboard's reach (公开情况), lists and tables wider than the screen.
COLUMNS = {
    "policies": "policies/index.html",
    "policy-record": "records/agriculture/2026-farmland-protection-plan.html",
    "tasks": "tasks/2026.html",
    "projects": "projects/index.html",
    "report": "report.html",
    "subscribe": "subscribe.html",
    "sgs": "sgs/index.html",
    "gazette": "gazette/index.html",
    "annual-reports": "annual-reports/index.html",
    "consultations": "consultations/index.html",
}


@pytest.mark.parametrize("name", list(COLUMNS))
def test_columns_on_a_phone_with_extra_large_text_and_high_contrast(sample_site, browser, artifacts, name):
    """No serious axe violation (WCAG 2.1 AA) and nothing wider than the screen (WCAG 1.4.10: a wide
    table scrolls in its own box, the page does not), at 390 px with 特大 text and 高对比度."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_init_script("localStorage.setItem('dx-text-size', 'xlarge'); localStorage.setItem('dx-contrast', 'high')")
    page = context.new_page()
    try:
        open_page(page, sample_site, COLUMNS[name])
        page.wait_for_timeout(200)  # a11y.js marks the boxes that scroll on the next frame
        assert page.evaluate("() => document.documentElement.dataset.dxContrast") == "high"
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(artifacts / f"column-{name}-large-contrast-390.png"))
        assert wide <= 0, f"{COLUMNS[name]} is {wide} px wider than the screen"
        bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    finally:
        context.close()


def test_lang_landmarks_and_metadata_table(sample_site, page):
    page.goto((sample_site / RECORD).as_uri())
    assert page.evaluate("() => document.documentElement.lang") in ("zh", "zh-CN", "zh-Hans")
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role
    assert page.get_by_role("navigation").count() >= 2  # site navigation and breadcrumb
    assert page.get_by_role("search").count() >= 1
    assert page.locator("h1").count() == 1
    meta = page.locator("table.dx-meta")
    assert meta.locator("caption").inner_text() == "信息索引"
    headers = meta.locator("th[scope=row]").all_inner_texts()
    assert {"索引号", "发布机构", "名称", "发布日期", "文号", "有效性"} <= set(headers)


def test_switches_persist_across_pages_over_file(sample_site, page):
    home = (sample_site / "index.html").as_uri()
    page.goto(home)
    standard = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    large = page.get_by_role("button", name="大", exact=True)
    assert large.get_attribute("aria-pressed") == "false"
    large.click()
    assert large.get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="标准").get_attribute("aria-pressed") == "false"
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == pytest.approx(standard * 1.25, rel=0.01)
    contrast = page.get_by_role("button", name="高对比度")
    contrast.click()
    assert contrast.get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    # follow a link to a page in another folder: both settings are there, with the buttons showing them
    page.get_by_role("link", name="重点领域").first.click()
    page.wait_for_load_state()
    assert "/domains/" in page.url
    assert page.evaluate("() => [document.documentElement.dataset.dxText, document.documentElement.dataset.dxContrast]") == ["large", "high"]
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == pytest.approx(standard * 1.25, rel=0.01)
    # back to standard, no contrast
    page.get_by_role("button", name="标准").click()
    page.get_by_role("button", name="高对比度").click()
    page.goto((sample_site / RECORD).as_uri())
    assert page.evaluate("() => document.documentElement.hasAttribute('data-dx-text') || document.documentElement.hasAttribute('data-dx-contrast')") is False


def test_settings_apply_before_first_paint(sample_site, page):
    """The stored choice is on <html> before <body> exists: no flash of standard text or colours."""
    page.add_init_script("""
        new MutationObserver((records, observer) => {
            if (document.body) {
                window.__atBody = [document.documentElement.getAttribute('data-dx-text'),
                                   document.documentElement.getAttribute('data-dx-contrast')];
                observer.disconnect();
            }
        }).observe(document, {childList: true, subtree: true});
    """)
    page.goto((sample_site / "index.html").as_uri())
    page.evaluate("() => { localStorage.setItem('dx-text-size', 'xlarge'); localStorage.setItem('dx-contrast', 'high'); }")
    page.goto((sample_site / "catalogue.html").as_uri())
    assert page.evaluate("() => window.__atBody") == ["xlarge", "high"]


def focus_style(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
        return {text: el.textContent.trim(), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                color: s.outlineColor, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
                opacity: s.opacity};
    }""")


@pytest.mark.parametrize("contrast", [False, True])
def test_keyboard_reaches_skip_link_and_switches_with_visible_focus(sample_site, page, contrast):
    if contrast:
        page.goto((sample_site / "index.html").as_uri())
        page.evaluate("() => localStorage.setItem('dx-contrast', 'high')")
    page.goto((sample_site / RECORD).as_uri())
    page.keyboard.press("Tab")
    first = focus_style(page)
    assert first["text"] == "跳到正文" and first["visible"] and first["opacity"] == "1"
    assert first["outline"] != "none" and first["width"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#dx-main")
    page.keyboard.press("Tab")
    landed = page.evaluate("() => document.getElementById('dx-main').contains(document.activeElement)")
    assert landed, "after the skip link, Tab continues in the content"
    # from the top again: the header controls come in order, each with a visible focus ring
    page.goto((sample_site / RECORD).as_uri())
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        f = focus_style(page)
        seen.append(f["text"])
        if f["text"] in ("标准", "大", "特大", "高对比度"):
            assert f["outline"] != "none" and f["width"] >= 2 and f["visible"], f
        if f["text"] == "高对比度":
            break
    assert {"标准", "大", "特大", "高对比度"} <= set(seen), seen
    page.keyboard.press("Enter" if not contrast else "Space")
    want = None if contrast else "high"
    assert page.evaluate("() => document.documentElement.getAttribute('data-dx-contrast')") == want


def test_narrow_screen_settings_strip(sample_site, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto((sample_site / "index.html").as_uri())
        page.screenshot(path=str(artifacts / "site-home-390x844.png"))
        toggle = page.locator(".dx-a11y__toggle")
        assert toggle.is_visible() and not page.get_by_role("button", name="特大").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        xl = page.get_by_role("button", name="特大")
        assert xl.is_visible()
        xl.click()
        page.screenshot(path=str(artifacts / "site-home-390x844-xlarge.png"))
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("() => document.documentElement.dataset.dxText") == "xlarge"
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1"), "no sideways scrolling"
    finally:
        context.close()


@pytest.mark.parametrize("size", ["large", "xlarge"])
@pytest.mark.parametrize("width", [360, 390])
def test_phone_header_at_large_text_keeps_every_control_whole(sample_site, browser, artifacts, size, width):
    """At 大 and 特大 a phone's header had no room for the search box: it shrank to one letter and 字号
    covered its button. It now takes a row of its own; nothing overlaps, and a heading jumped to is not
    hidden under the taller header."""
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    context.add_init_script(f"localStorage.setItem('dx-text-size', '{size}')")
    page = context.new_page()
    try:
        page.goto((sample_site / RECORD).as_uri())
        boxes = page.evaluate("""() => Object.fromEntries(['.md-header .dx-menu-button', '.md-header__title',
            '.md-header .dx-searchbox__input', '.md-header .dx-searchbox__button', '.dx-a11y__toggle'].map(s => {
              const r = document.querySelector(s).getBoundingClientRect();
              return [s, [r.left, r.top, r.right, r.bottom]]; }))""")
        page.screenshot(path=str(artifacts / f"site-header-{size}-{width}.png"), clip={"x": 0, "y": 0, "width": width, "height": 160})
        names = list(boxes)
        for i, a in enumerate(names):
            assert boxes[a][2] <= width + 0.5, (a, boxes[a])
            for b in names[i + 1:]:
                (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes[a], boxes[b]
                assert r1 <= l2 + 0.5 or r2 <= l1 + 0.5 or b1 <= t2 + 0.5 or b2 <= t1 + 0.5, (a, b, boxes)
        field = boxes[".md-header .dx-searchbox__input"]
        assert field[2] - field[0] >= 200, field  # the placeholder 搜索本站信息 can be read
        heading = page.evaluate("() => document.querySelector('.md-typeset h2[id]').id")
        page.goto((sample_site / RECORD).as_uri() + "#" + heading)
        page.wait_for_timeout(300)
        top, header = page.evaluate("""(id) => [document.getElementById(id).getBoundingClientRect().top,
            document.querySelector('.md-header').getBoundingClientRect().bottom]""", heading)
        assert top >= header, (top, header)
    finally:
        context.close()


def test_public_site_screenshots(sample_site, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto((sample_site / "index.html").as_uri())
        page.screenshot(path=str(artifacts / "site-home-1280x900.png"))
        page.get_by_role("button", name="高对比度").click()
        page.get_by_role("button", name="大", exact=True).click()
        page.goto((sample_site / RECORD).as_uri())
        page.screenshot(path=str(artifacts / "site-record-large-contrast-1280x900.png"))
    finally:
        context.close()


def test_keyboard_opens_the_navigation_drawer_on_a_phone(sample_site, browser):
    """Material's menu is a label the keyboard cannot reach and its closed drawer's links stay focusable;
    here a real button opens it, Escape closes it, and closed it is out of the tab order."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto((sample_site / RECORD).as_uri())
        order = []
        for _ in range(6):
            page.keyboard.press("Tab")
            order.append(page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
                return [e.getAttribute('aria-label') || e.textContent.trim(), r.right > 0 && r.left < innerWidth]; }"""))
        assert all(on_screen for _, on_screen in order), order  # nothing focusable hides off-screen
        assert order[1][0] == "导航菜单"
        page.goto((sample_site / RECORD).as_uri())
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        button = page.get_by_role("button", name="导航菜单")
        assert button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        page.wait_for_function("() => document.activeElement.getBoundingClientRect().left >= 0")  # slid in
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "导航菜单"
    finally:
        context.close()


@pytest.mark.parametrize("width,menu", [(390, True), (1100, True), (1280, False), (1920, False)])
def test_one_menu_control_where_the_drawer_is_used(sample_site, browser, width, menu):
    """Material shows its drawer below 76.25em; the keyboard-reachable button replaces its label there and
    is absent where the navigation is a sidebar."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto((sample_site / "index.html").as_uri())
        shown = page.evaluate("""() => [...document.querySelectorAll('.md-header [for=__drawer], .md-header .dx-menu-button')]
            .filter(e => getComputedStyle(e).display !== 'none').map(e => e.tagName)""")
        assert shown == (["BUTTON"] if menu else [])
    finally:
        context.close()
