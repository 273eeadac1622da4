#!/usr/bin/env python3
"""Search at scale (issue 21, target 4): first results and bytes per query, queries taken from record titles.

    python bench/search_scale.py --records 100000 [--queries 20] [--site DIR] [--seed 1] [--short]
                                 [--workdir /tmp/bench] [--json OUT]

1. The site: --site DIR, else the corpus's site/ left by run.py, else our build of the corpus
   (bench/generate.py, generated if missing) — as bench/page_weight.py finds it.
2. --queries queries (default 20) are taken from the titles of records picked deterministically
   (random.Random("<seed>:search-queries")): a window of 2–6 characters of the title, Han characters
   only (what a visitor remembers of a title: 预算公开, 农村公路提档升级).
3. The site is served on 127.0.0.1 with gzip (bench/page_weight.py's server: level 6, HTML no-cache,
   other files max-age=86400). For each query, in a fresh headless Chromium context (390 px wide, a phone:
   the filters folded, so search/facets.js is not loaded; --width 1280 shows them and loads it) with the
   HTTP cache on but empty (a visitor's first search): `search.html?q=<query>` is loaded and the time from
   DOMContentLoaded to the first results on screen is read from the page (window.__dxSearch.firstResultsAt,
   set by theme/assets/search.js). The bytes are those of the search/ index files the query fetched,
   as transferred (Performance API transferSize: compressed, headers included), and the whole view's.
4. Medians over the queries; p90 of the time too.

At 100,000 records the site is ~3.5 GB and the build ~6 min: this script only reads it, so build it
once (`python bench/run.py --records 100000 --repeat 1 --no-vanilla --no-hugo` leaves
WORKDIR/corpus-100000-seed1/site) and then run this.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure_cli  # noqa: E402
import page_weight  # noqa: E402  (the gzip server, the Chromium arguments, finding or building the site)

HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def title_queries(corpus: Path, seed: int, count: int) -> list[dict]:
    """count queries, each a 2-6 Han-character window of a record title, with the record it came from."""
    files = sorted((corpus / "content" / "records").rglob("*.md"))
    rng = random.Random(f"{seed}:search-queries")
    out: list[dict] = []
    seen: set[str] = set()
    for f in rng.sample(files, min(len(files), count * 4)):
        m = re.search(r'^title: *"?(.*?)"?$', f.read_text(encoding="utf-8"), re.M)
        runs = HAN_RUN.findall(m.group(1)) if m else []
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, min(6, len(run)))
        start = rng.randrange(len(run) - size + 1)
        q = run[start:start + size]
        if q in seen:
            continue
        seen.add(q)
        out.append({"query": q, "title": m.group(1), "record": f.relative_to(corpus / "content").as_posix()})
        if len(out) == count:
            break
    return out


TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const entries = [nav].concat(performance.getEntriesByType('resource'));
  const search = entries.filter(e => new URL(e.name).pathname.includes('/search/'));
  const reg = window.__dxSearch || {};
  return {ready: nav.domContentLoadedEventEnd, first: reg.firstResultsAt || null,
          results: reg.app && reg.app.candidates ? reg.app.candidates.length : null,
          search_transfer: search.reduce((s, e) => s + e.transferSize, 0), search_files: search.length,
          search_decoded: search.reduce((s, e) => s + e.decodedBodySize, 0),
          total_transfer: entries.reduce((s, e) => s + e.transferSize, 0)};
}"""


def run_queries(site: Path, queries: list[dict], timeout: float, width: int = 390) -> list[dict]:
    from playwright.sync_api import sync_playwright

    httpd, base = page_weight.serve(site, 86400)
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=page_weight.CHROMIUM,
                                        args=page_weight.CHROMIUM_ARGS + [page_weight.NO_EXTERNAL])
            try:
                for q in queries:
                    ctx = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900},
                                              locale="zh-CN")
                    page = ctx.new_page()
                    page.goto(base + "search.html?q=" + urllib.parse.quote(q["query"]))
                    try:
                        page.wait_for_selector("[data-state=results], [data-state=none], [data-state=error]",
                                               timeout=timeout * 1000)
                        state = page.get_attribute("[data-state]", "data-state")
                    except Exception:  # noqa: BLE001  (timed out)
                        state = "timeout"
                    t = page.evaluate(TIMING_JS)
                    runs.append({**q, "state": state, "results": t["results"],
                                 "ms_first_results": None if t["first"] is None else round(t["first"] - t["ready"], 1),
                                 "search_bytes": t["search_transfer"], "search_files": t["search_files"],
                                 "search_decoded_bytes": t["search_decoded"], "view_bytes": t["total_transfer"]})
                    ctx.close()
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return runs


def summary(runs: list[dict]) -> dict:
    times = sorted(r["ms_first_results"] for r in runs if r["ms_first_results"] is not None)

    def med(key):
        vals = [r[key] for r in runs if r[key] is not None]
        return statistics.median(vals) if vals else None
    return {"queries": len(runs), "with_results": sum(1 for r in runs if r["state"] == "results"),
            "ms_first_results_median": statistics.median(times) if times else None,
            "ms_first_results_p90": times[min(len(times) - 1, int(0.9 * len(times)))] if times else None,
            "search_bytes_median": med("search_bytes"), "search_bytes_max": max((r["search_bytes"] for r in runs), default=None),
            "view_bytes_median": med("view_bytes")}


def report(r: dict) -> str:
    s = r["summary"]
    lines = ["| query | results | first results (ms after DOMContentLoaded) | search/ files | search/ bytes transferred "
             "(kB) | whole view (kB) |", "|---|---:|---:|---:|---:|---:|"]
    for q in r["runs"]:
        lines.append(f"| {q['query']} | {q['results'] if q['results'] is not None else q['state']} "
                     f"| {q['ms_first_results'] if q['ms_first_results'] is not None else '—'} | {q['search_files']} "
                     f"| {q['search_bytes'] / 1000:.1f} | {q['view_bytes'] / 1000:.1f} |")
    lines.append("")
    lines.append(f"{r['records']:,} records, {s['queries']} queries from titles ({s['with_results']} with results): "
                 f"first results median **{s['ms_first_results_median']} ms** (p90 {s['ms_first_results_p90']} ms); "
                 f"search index transferred per query median **{(s['search_bytes_median'] or 0) / 1000:.1f} kB** "
                 f"(max {(s['search_bytes_max'] or 0) / 1000:.1f} kB); whole view median "
                 f"{(s['view_bytes_median'] or 0) / 1000:.1f} kB. kB = 1000 bytes, gzip as served.")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    measure_cli.corpus_arguments(ap, built_site=True)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for one query's results")
    ap.add_argument("--width", type=int, default=390,
                    help="viewport width in px (390: a phone, the filters folded and search/facets.js not loaded; "
                         "1280: the filters beside the results, facets.js loaded at once and counted)")
    ap.add_argument("--json", help="raw figures (default WORKDIR/search-scale-<N>.json)")
    args = ap.parse_args(argv)
    workdir, corpus = measure_cli.corpus(args)
    site = measure_cli.built_site(args, corpus)
    queries = title_queries(corpus, args.seed, args.queries)
    runs = run_queries(site, queries, args.timeout, args.width)
    r = {"date": dt.date.today().isoformat(), "records": args.records, "seed": args.seed, "width": args.width,
         "profile": measure_cli.profile(args), "site": str(site), "runs": runs, "summary": summary(runs)}
    measure_cli.leave(r, Path(args.json or workdir / f"search-scale-{args.records}.json"), report(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
