"""The table of page kinds × outputs (site_builder/plan/kinds.py) is what the pages and feeds are made from."""

from pathlib import Path

from site_builder.outputs.feeds import feed_path, plan_feeds
from site_builder.plan.index import build_index
from site_builder.plan.kinds import BY_NAME, KINDS, WITH_FEED, feed_of
from site_builder.plan.pages import build_pages
from site_builder.plan.urls import Links
from site_builder.sources.validate import load_project

ROOT = Path(__file__).resolve().parent.parent


def _sample():
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    return build_index(project.catalogue, project.records)


def test_every_row_has_its_templates():
    for k in KINDS:
        for template in (k.template, k.index_template):
            if template:
                assert (ROOT / "theme" / template).is_file(), (k.name, template)


def test_listing_pages_take_kind_and_template_from_the_table():
    idx = _sample()
    specs = build_pages(idx, Links(), 20, "站")
    listed = {s.kind for s in specs if s.kind in BY_NAME}
    assert listed == {k.name for k in KINDS}
    for s in specs:
        k = BY_NAME.get(s.kind)
        if k is not None:
            assert s.template == k.template, s.src_uri
            assert k.folder == "" or s.src_uri.startswith(k.folder + "/"), s.src_uri
        elif s.src_uri.endswith("/index.md"):  # a kind's own index page
            row = [r for r in KINDS if r.folder == s.src_uri.split("/")[0]][0]
            assert s.template == row.index_template


def test_feeds_follow_the_rows_that_have_one():
    idx = _sample()
    fs = plan_feeds(idx, Links(), "站")
    assert [kind for kind, _, _ in fs.grouped()] == list(WITH_FEED)
    assert {f.kind for f in fs.feeds} == set(WITH_FEED)
    for f in fs.feeds:
        assert f.group == WITH_FEED[f.kind].feed_label
        if f.kind != "all":
            assert f.path == feed_path(f.kind, f.slug) == f"feeds/{WITH_FEED[f.kind].folder}/{f.slug}.xml"
    assert feed_of("home") == "all" and feed_of("year") is None and feed_of("report") is None
