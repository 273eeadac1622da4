"""Printing a record page: the metadata panel, the body and the attachment list, on white paper; no
navigation, header, footer, sidebars, buttons or kiosk bar. The PDFs go to test-artifacts/ for a person
to look at."""

from __future__ import annotations

import pytest

RECORD = "records/finance/2024-general-budget.html"  # body table and an attachment

HIDDEN = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".dx-breadcrumb",
          ".dx-a11y", ".dx-searchbox", ".dx-skip", ".dx-kiosk-bar", ".md-top"]


def visible(page, selector: str) -> bool:
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)].some(el => {
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    })""", selector)


@pytest.mark.parametrize("which", ["site", "kiosk"])
def test_record_prints_cleanly(request, page, artifacts, which):
    root = request.getfixturevalue("sample_site" if which == "site" else "kiosk_copy")
    page.goto((root / "index.html").as_uri())
    # a reader who chose 特大 and 高对比度 on screen still prints black on white at normal size
    page.evaluate("() => { localStorage.setItem('dx-text-size', 'xlarge'); localStorage.setItem('dx-contrast', 'high'); }")
    page.goto((root / RECORD).as_uri())
    assert visible(page, ".md-header") and visible(page, ".dx-a11y")
    page.emulate_media(media="print")
    for selector in HIDDEN:
        assert not visible(page, selector), f"{selector} shows in print"
    for selector in ("table.dx-meta", ".dx-record__title", ".dx-record__body", ".dx-attachments"):
        assert visible(page, selector), f"{selector} missing in print"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.dx-record__body')).color") in (
        "rgba(0, 0, 0, 0.87)", "rgb(0, 0, 0)")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") <= 20.5
    # the attachment's file name is printed beside its title (paper has no links)
    after = page.evaluate("() => getComputedStyle(document.querySelector('.dx-attachments a'), '::after').content")
    assert ".pdf" in after
    pdf = page.pdf(format="A4", print_background=True, margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    assert pdf.startswith(b"%PDF")
    (artifacts / f"record-print-{which}.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 3, pages
