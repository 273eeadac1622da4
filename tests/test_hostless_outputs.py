"""The core's output steps without any host (issue 20): feeds, data exports and the search index made
from the catalogue and the records in a process where MkDocs, ProperDocs and Material cannot be
imported at all. This is what lets another host (docs/platform.md) serve the same core."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import feedparser

from conftest import ROOT

SCRIPT = textwrap.dedent('''
    import importlib.abc, json, sys
    from pathlib import Path

    class NoHost(importlib.abc.MetaPathFinder):
        """Any import of a host fails, as on a machine where none is installed."""
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("mkdocs", "properdocs", "material"):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked: no host)")
            return None

    sys.meta_path.insert(0, NoHost())

    import markdown
    from site_builder import pipeline
    from site_builder.outputs import feeds
    from site_builder.outputs.search.writer import build_for_index
    from site_builder.plan.urls import record_link, record_url, site_base
    from site_builder.render.bodies import render_gfm
    from site_builder.render.feedhtml import feed_html
    from site_builder.sources.sanitize import sanitize
    from site_builder.sources.validate import today

    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    day = today()  # the build day of the sample site it is compared with
    project = pipeline.load(root / "content", root / "catalogue", root, "records", None, day, root / "mkdocs.yml")
    assert not project.problems.errors, [p.format() for p in project.problems.errors]
    for r in project.records:  # the URL a host gives a record page (plan/urls.py: MkDocs' rule)
        r.url = record_url(r.src_path, False)
    options = pipeline.SiteOptions(site_name="云溪县政府信息公开", site_url="https://yunxi.example.gov.cn/",
                                   site_description="", use_directory_urls=False, page_size=20,
                                   feed_length=20, feeds=True, report_date=day)
    plan = pipeline.plan(project, options)
    pipeline.write_data(out, plan)

    base = site_base(options.site_url)
    html = {}
    for r in project.records:  # each body to HTML once, as the render stage does
        rendered = render_gfm(r.body)
        body = rendered[0] if rendered else markdown.markdown(r.body, extensions=["tables"])
        html[r.src_path] = feed_html(sanitize(body), record_link(base, plan.links, r))
    fs = feeds.build_feeds(plan.index, plan.links, options.site_url, html, options.feed_length,
                           options.site_name, "", plan=plan.feedset)
    for rel, data in fs.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    (out / feeds.OPML_PATH).write_bytes(fs.opml)
    stats = build_for_index(plan.index, out / "search", workers=1)

    hosts = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "properdocs", "material"))
    print(json.dumps({"hosts": hosts, "feeds": len(fs.files), "search_records": stats.records}))
''')


def test_feeds_data_and_search_index_need_no_host(tmp_path, sample_site):
    out = tmp_path / "site"
    out.mkdir()
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["hosts"] == []

    # the data exports are the very bytes the MkDocs build writes
    for rel in ("data/records.json", "data/catalogue.json"):
        assert (out / rel).read_bytes() == (sample_site / rel).read_bytes(), rel
    records = json.loads((out / "data/records.json").read_text(encoding="utf-8"))
    assert result["search_records"] == len(records) > 50

    # every feed the site publishes, readable by a feed reader, carrying the same items
    published = sorted(p.relative_to(sample_site).as_posix() for p in (sample_site / "feeds").rglob("*.xml"))
    made = sorted(p.relative_to(out).as_posix() for p in (out / "feeds").rglob("*.xml"))
    assert made == published and result["feeds"] == len(made)
    for rel in made:
        mine, theirs = feedparser.parse((out / rel).read_bytes()), feedparser.parse((sample_site / rel).read_bytes())
        assert not mine.bozo, rel
        assert [e.id for e in mine.entries] == [e.id for e in theirs.entries][:len(mine.entries)], rel
    assert (out / "feeds.opml").is_file()

    # the search index's files, as the site's search page loads them
    assert (out / "search" / "meta.js").is_file()
    assert sorted(p.name for p in (out / "search").iterdir()) == sorted(p.name for p in (sample_site / "search").iterdir())
