#!/usr/bin/env python3
"""Search benchmark (issue 4 §5): index build time and size, bytes a query loads, time to first results.

    python bench/search_bench.py --records 10000 [--repeat 3] [--workdir /tmp/bench] [--seed 1]
                                 [--site DIR] [--rebuild] [--no-browser] [--json OUT]

1. The corpus comes from bench/generate.py (WORKDIR/corpus-N-seedS, generated if missing).
2. The search index alone is built in this process from the core (load → index → search build), with
   every core and with one, --repeat times: wall time, CPU time, peak RSS of this process, sizes.
3. The whole site is built once with `disclosure build` (WORKDIR/site-search-N, or --site DIR) so the
   browser runs the real results page and the index the plugin wrote.
4. For every query of QUERIES (typical 2–4 character queries, frequent and rare, Simplified and
   Traditional, digits/Latin), --repeat times, in a fresh headless Chromium context (cold cache), over
   file:// and over http:// (python -m http.server on 127.0.0.1): time from the page being ready
   (DOMContentLoaded) to the first results on screen, and the bytes of index data loaded (the search/
   files the page requested: meta, shards, doc-store entries of the results shown).

Prints a Markdown table of medians (for BENCHMARKS.md) and writes all raw figures as JSON.

    python bench/search_bench.py --records 10000 --incremental [--workers 2]

Rebuilds with a cache folder (the plugin's .cache/disclosure/search), each in a new process as a site
build would run it (only `build_for_index` is timed; loading the project is not): cold, warm with no
change, one record's body / title / tags edited, a new (newest) record, that record deleted, 30 records
edited, and 100 (the full build again). Each step changes the records of the step before.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

QUERIES = [
    "公开", "预算", "补贴", "招标", "就业", "养老服务", "三公经费", "社会保险", "安全生产", "义务教育",
    "医疗保障", "征地补偿", "食品安全", "工伤认定", "政府采购", "醫療保險", "養老服務", "PPP", "2023年", "河东街道",
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "system": platform.platform(), "load": os.getloadavg()}


def corpus(workdir: Path, records: int, seed: int) -> Path:
    out = workdir / f"corpus-{records}-seed{seed}"
    if not (out / ".bench-corpus").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--records", str(records), "--out", str(out),
                        "--seed", str(seed)], check=True)
    return out


def load_index(project: Path):
    from site_builder.plan.index import build_index
    from site_builder.plan.urls import record_url
    from site_builder.sources.validate import load_project

    proj = load_project(project / "content", project / "catalogue", root=project)
    if proj.problems.errors:
        raise SystemExit(f"corpus has {len(proj.problems.errors)} errors")
    for r in proj.records:
        r.url = record_url(r.src_path, False)
    return build_index(proj.catalogue, proj.records)


def raw_sizes(project: Path, idx) -> dict:
    from site_builder.outputs.search.document import docs_from_index
    from site_builder.outputs.search.tokenize import markdown_text

    mds = list((project / "content" / "records").rglob("*.md"))
    md = sum(p.stat().st_size for p in mds)
    md_blocks = sum(p.stat().st_blocks * 512 for p in mds)
    text = 0
    for d in docs_from_index(idx):
        text += sum(len(t.encode("utf-8")) for t in d.field_texts(markdown_text(d.body)))
    return {"markdown_bytes": md, "markdown_disk_bytes": md_blocks, "plain_text_bytes": text}


def bench_build(idx, out: Path, workers: int, repeat: int, cache_dir=None) -> list[dict]:
    from site_builder.outputs.search.writer import build_for_index

    import shutil

    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)  # a site build writes into a fresh folder: so do we
        c0 = time.process_time()
        ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        stats = build_for_index(idx, out, workers=workers, cache_dir=cache_dir)
        wall = time.perf_counter() - t0
        ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - c0 + (ch1.ru_utime - ch0.ru_utime) + (ch1.ru_stime - ch0.ru_stime)
        runs.append({"workers": stats.workers, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                     "cached": bool(cache_dir), "mode": stats.mode,
                     "phases_s": stats.seconds, **{k: v for k, v in stats.as_dict().items() if k != "seconds"}})
    return runs


INCREMENTAL_STEPS = ["cold", "warm", "edit-body", "edit-title", "edit-tags", "new-record", "delete-newest",
                     "edit-30", "edit-many"]


def _mutate(idx, upto: str) -> None:
    """Apply the record changes of every incremental step up to `upto` (in memory)."""
    import dataclasses
    import datetime as dt

    steps = INCREMENTAL_STEPS[: INCREMENTAL_STEPS.index(upto) + 1]
    recs = idx.records  # newest first
    mid = len(recs) // 2
    if "edit-body" in steps:
        recs[mid] = dataclasses.replace(recs[mid], body=recs[mid].body + "\n\n补充说明：本通知自发布之日起施行。\n")
    if "edit-title" in steps:
        recs[mid] = dataclasses.replace(recs[mid], title=recs[mid].title + "（修订）")
    if "edit-tags" in steps:
        recs[mid] = dataclasses.replace(recs[mid], tags=(*recs[mid].tags, "修订"))
    if "new-record" in steps:
        src = recs[1]
        recs.insert(0, dataclasses.replace(
            src, src_path=src.src_path[:-3] + "-today.md", url=src.url.replace(".html", "-today.html"),
            index_no=src.index_no + "-1", title="关于今天发布的" + src.title,
            date=recs[0].date + dt.timedelta(days=1), body="今天发布的新记录。\n\n" + src.body))
    if "delete-newest" in steps:
        del recs[0]
    if "edit-30" in steps:
        for k in range(50, len(recs), len(recs) // 30)[:30]:
            recs[k] = dataclasses.replace(recs[k], body=recs[k].body + "\n\n（已更正）\n")
    if "edit-many" in steps:
        for k in range(100, len(recs), len(recs) // 100)[:100]:
            recs[k] = dataclasses.replace(recs[k], body=recs[k].body + "\n\n（已更新）\n")


def incremental_step(project: Path, cache: Path, out: Path, step: str, workers) -> dict:
    """One build of the incremental sequence (in this process, which does nothing else), into a fresh
    folder: like the CLI, which removes the previous site only after the build (deleting thousands of
    files just before would slow down creating them on some file systems, e.g. ext4 without a journal,
    which avoids reusing inodes deleted in the last minutes)."""
    from site_builder.outputs.search.writer import build_for_index

    idx = load_index(project)
    _mutate(idx, step)
    t0 = time.perf_counter()
    stats = build_for_index(idx, out, workers=workers, cache_dir=cache)
    wall = time.perf_counter() - t0
    return {"step": step, "wall_s": round(wall, 3), "mode": stats.mode, "why_full": stats.why_full,
            "changed": stats.changed,
            "cache_hits": stats.cache_hits, "shards": stats.shards, "phases_s": stats.seconds,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def incremental_runs(args, project: Path, workdir: Path) -> list[dict]:
    import shutil

    shutil.rmtree(workdir / f"search-inc-cache-{args.records}", ignore_errors=True)
    shutil.rmtree(workdir / f"search-inc-{args.records}", ignore_errors=True)
    if args.settle:
        time.sleep(args.settle)
    runs = []
    for step in INCREMENTAL_STEPS:
        cmd = [sys.executable, __file__, "--records", str(args.records), "--seed", str(args.seed),
               "--workdir", str(workdir), "--incremental-step", step]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        res = subprocess.run(cmd, check=True, capture_output=True, text=True)
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
        r = runs[-1]
        mode = r["mode"] + (f" ({r['why_full']})" if r["why_full"] else "")
        print(f"| {step} | {mode} | {r['changed']} | {r['wall_s']:.2f} s | {r['phases_s']} |", flush=True)
    return runs


def bench_lunr(idx, count: int) -> dict:
    """lunr.py 0.8 (the issue's starting point) on the first `count` records, jieba-segmented as Material's
    search does for Chinese, fields title/tags/body: build time and serialized size, for comparison."""
    import jieba
    from lunr import lunr

    from site_builder.outputs.search.document import docs_from_index
    from site_builder.outputs.search.tokenize import markdown_text

    jieba.setLogLevel(60)
    docs = docs_from_index(idx)[:count]
    t0 = time.perf_counter()
    rows = [{"id": str(i), "title": " ".join(jieba.cut_for_search(d.title)),
             "tags": " ".join(jieba.cut_for_search(" ".join(d.tags))),
             "body": " ".join(jieba.cut_for_search(markdown_text(d.body)))} for i, d in enumerate(docs)]
    t1 = time.perf_counter()
    index = lunr(ref="id", fields=[dict(field_name="title", boost=10), dict(field_name="tags", boost=5), "body"],
                 documents=rows)
    t2 = time.perf_counter()
    size = len(json.dumps(index.serialize(), ensure_ascii=False).encode("utf-8"))
    t3 = time.perf_counter()
    return {"records": len(docs), "segment_s": round(t1 - t0, 1), "index_s": round(t2 - t1, 1),
            "serialize_s": round(t3 - t2, 1), "json_bytes": size}


def build_site(project: Path, site: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "site_builder.cli", "build", "-f", str(project / "mkdocs.yml"),
                    "-d", str(site)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def python_loads(site: Path) -> dict:
    """Index bytes per query by the Python engine (same steps as the browser): meta + shards + first page docs."""
    from site_builder.outputs.search.query import SearchIndex

    out = {}
    for q in QUERIES:
        ix = SearchIndex(site / "search")
        r = ix.search(q, verify=False)
        first_page = r.ranked[:10]
        files = {site / "search" / "d" / str(i // ix.meta["docsPerDir"]) / f"{i // ix.meta['docsPerFile']}.js"
                 for i in first_page}
        docs = sum(f.stat().st_size for f in files)
        out[q] = {"candidates": len(r.ranked), "index_bytes": r.loaded_bytes, "doc_bytes": docs}
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_runs(site: Path, repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bases = {"file": site.as_uri() + "/", "http": f"http://127.0.0.1:{port}/"}
    for _ in range(100):
        try:
            urllib.request.urlopen(bases["http"], timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme, base in bases.items():
                for q in QUERIES:
                    for _ in range(repeat):
                        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                        page = ctx.new_page()
                        urls: list[str] = []
                        page.on("request", lambda r: urls.append(r.url))
                        # nothing may leave the machine; block what would (the generated corpus's mkdocs.yml
                        # keeps Material's Google Fonts link: counted below, never waited for)
                        page.route(lambda u: not (u.startswith("file:") or u.startswith(bases["http"])),
                                   lambda route: route.abort())
                        page.goto(base + "search.html?q=" + urllib.parse.quote(q))
                        page.wait_for_selector("#dx-search[data-state=results], #dx-search[data-state=none]",
                                               timeout=60000)
                        t = page.evaluate("""() => {
                            const nav = performance.getEntriesByType('navigation')[0];
                            const m = {};
                            for (const e of performance.getEntriesByType('mark')) m[e.name] = Math.round(e.startTime);
                            return {ready: nav.domContentLoadedEventEnd, first: window.__dxSearch.firstResultsAt || null,
                                    start: nav.startTime, marks: m};
                        }""")
                        loaded = 0
                        files = 0
                        for u in urls:
                            path = urllib.parse.unquote(urllib.parse.urlparse(u).path)
                            if "/search/" not in path:
                                continue
                            rel = path.split("/search/", 1)[1]
                            f = site / "search" / rel
                            if f.is_file():
                                loaded += f.stat().st_size
                                files += 1
                        external = [u for u in urls if not (u.startswith("file:") or u.startswith(bases["http"]))]
                        runs.append({"scheme": scheme, "query": q, "ms_after_ready": None if t["first"] is None
                                     else round(t["first"] - t["ready"], 1),
                                     "ms_after_navigation": None if t["first"] is None else round(t["first"] - t["start"], 1),
                                     "index_bytes_loaded": loaded, "index_files": files, "external": external,
                                     "marks": t["marks"], "dom_ready": round(t["ready"]),
                                     "results": page.evaluate("() => window.__dxSearch.app.candidates.length")})
                        ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/bench")
    ap.add_argument("--site", help="an already built site of the same corpus (skips the site build)")
    ap.add_argument("--rebuild", action="store_true", help="build the site even if WORKDIR has one")
    ap.add_argument("--page-from", help="a built site (e.g. the sample site) whose search.html and assets/ are "
                    "copied beside the index built in step 2, instead of building the whole site (for 100,000 "
                    "records: measures search, not the site build; result links lead nowhere)")
    ap.add_argument("--lunr", type=int, default=0, metavar="N",
                    help="also build a monolithic lunr.py index of the first N records (jieba) for comparison")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--browser-only", action="store_true",
                    help="only the browser runs (and the sizes) on --site or the site of an earlier run")
    ap.add_argument("--json", help="where to write the raw figures (default WORKDIR/search-bench-N.json)")
    ap.add_argument("--incremental", action="store_true",
                    help="only the rebuilds with a cache folder, each step in a new process (see above)")
    ap.add_argument("--incremental-step", choices=INCREMENTAL_STEPS, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, help="processes for --incremental (default: every core)")
    ap.add_argument("--settle", type=float, default=0,
                    help="--incremental: seconds to wait after removing the previous run's files")
    args = ap.parse_args(argv)

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    result = {"command": "python bench/search_bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "machine": machine(), "records": args.records}
    project = corpus(workdir, args.records, args.seed)
    if args.incremental_step:
        print(json.dumps(incremental_step(project, workdir / f"search-inc-cache-{args.records}",
                                          workdir / f"search-inc-{args.records}" / args.incremental_step / "search",
                                          args.incremental_step, args.workers)))
        return 0
    if args.incremental:
        print("| step | build | ids changed | wall | phases |\n|---|---|---:|---:|---|", flush=True)
        result["incremental"] = incremental_runs(args, project, workdir)
        result["machine"]["load_end"] = os.getloadavg()
        path = Path(args.json) if args.json else workdir / f"search-bench-incremental-{args.records}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nraw figures: {path}")
        return 0
    if args.browser_only:
        return browser_only(args, workdir, result)
    t0 = time.perf_counter()
    idx = load_index(project)
    result["load_s"] = round(time.perf_counter() - t0, 2)
    result["raw"] = raw_sizes(project, idx)
    out = workdir / f"search-only-{args.records}" / "search"
    result["build"] = bench_build(idx, out, None, args.repeat) + bench_build(idx, out, 1, 1)
    cache = workdir / f"search-cache-{args.records}"
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    # the second of these two builds finds every record in the cache (a rebuild after no or small edits)
    result["cached_build"] = bench_build(idx, out, None, 2, cache_dir=cache)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.lunr:
        result["lunr"] = bench_lunr(idx, args.lunr)
        result["lunr"]["ours"] = bench_build(type(idx)(idx.catalogue, idx.records[: args.lunr]),
                                             workdir / "search-lunr-compare" / "search", None, 1)[0]
    del idx

    if args.page_from:
        import shutil

        site = out.parent
        shutil.copy(Path(args.page_from) / "search.html", site / "search.html")
        shutil.rmtree(site / "assets", ignore_errors=True)
        shutil.copytree(Path(args.page_from) / "assets", site / "assets")
        result["site"] = f"search page of {args.page_from} + the index of step 2"
    else:
        site = Path(args.site) if args.site else workdir / f"site-search-{args.records}"
        if not args.site and (args.rebuild or not (site / "search" / "meta.js").exists()):
            result["site_build_s"] = round(build_site(project, site), 1)
        result["site"] = str(site)
    search_dir = site / "search"
    result["index_on_disk"] = {
        "shards": dir_bytes(search_dir / "g"), "docs": dir_bytes(search_dir / "d"),
        "meta": (search_dir / "meta.js").stat().st_size, "total": dir_bytes(search_dir),
        "shard_files": len(list((search_dir / "g").iterdir())),
        "disk": sum(p.stat().st_blocks * 512 for p in search_dir.rglob("*") if p.is_file()),
    }
    result["python_loads"] = python_loads(site)
    if not args.no_browser:
        result["browser"] = browser_runs(site, args.repeat)
    result["machine"]["load_end"] = os.getloadavg()

    path = Path(args.json) if args.json else workdir / f"search-bench-{args.records}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(result))
    print(f"\nraw figures: {path}")
    return 0


def browser_only(args, workdir: Path, result: dict) -> int:
    """Re-measure the browser on an already built site; keep the index figures of the earlier run."""
    path = Path(args.json) if args.json else workdir / f"search-bench-{args.records}.json"
    earlier = json.loads(path.read_text(encoding="utf-8"))
    site = Path(args.site) if args.site else Path(earlier.get("site") or workdir / f"site-search-{args.records}")
    if not site.is_absolute() or not (site / "search").is_dir():
        site = workdir / f"search-only-{args.records}" if args.page_from else site
    earlier["browser"] = browser_runs(site, args.repeat)
    earlier["machine"]["load"] = result["machine"]["load"]
    earlier["machine"]["load_end"] = os.getloadavg()
    earlier["browser_command"] = result["command"]
    path.write_text(json.dumps(earlier, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(earlier))
    return 0


def report(r: dict) -> str:
    raw, disk = r["raw"], r["index_on_disk"]
    par = [b for b in r["build"] if b["workers"] > 1] or r["build"]
    warm = r["cached_build"][-1]
    one = [b for b in r["build"] if b["workers"] == 1]
    lines = [
        f"records: {r['records']:,}; machine: {r['machine']['cpu']}, {r['machine']['cores']} cores, "
        f"{r['machine']['memory']}; load average at start {r['machine']['load'][0]:.1f}, "
        f"at end {r['machine']['load_end'][0]:.1f}",
        "",
        "| index | figure |",
        "|---|---|",
        f"| build, {par[0]['workers']} processes (median wall / CPU) | {median([b['wall_s'] for b in par]):.1f} s / "
        f"{median([b['cpu_s'] for b in par]):.1f} s |",
    ]
    if one:
        lines.append(f"| build, 1 process (wall) | {one[0]['wall_s']:.1f} s |")
    lines += [
        f"| rebuild with the cache, nothing changed (wall; {warm.get('mode', 'full')} build) | {warm['wall_s']:.1f} s "
        f"({warm['cache_hits']:,} hits) |",
        f"| peak RSS of the benchmark process (load + index + build) | {r['peak_rss_mb']} MB |",
        f"| postings / distinct grams / shards | {par[0]['postings']:,} / {par[0]['grams']:,} / {par[0]['shards']:,} |",
        f"| on disk: shards + doc store + meta = total | {disk['shards'] / 1e6:.1f} + {disk['docs'] / 1e6:.1f} + "
        f"{disk['meta'] / 1e3:.0f} kB = **{disk['total'] / 1e6:.1f} MB** |",
        f"| records' raw text: Markdown / plain text (UTF-8) | {raw['markdown_bytes'] / 1e6:.1f} MB / "
        f"{raw['plain_text_bytes'] / 1e6:.1f} MB |",
        f"| index ÷ raw Markdown | {disk['total'] / raw['markdown_bytes']:.2f} |",
    ]
    if "disk" in disk and "markdown_disk_bytes" in raw:
        lines.append(f"| the same by disk blocks used (du): index / Markdown | {disk['disk'] / 1e6:.1f} MB / "
                     f"{raw['markdown_disk_bytes'] / 1e6:.1f} MB = {disk['disk'] / raw['markdown_disk_bytes']:.2f} |")
    if "lunr" in r:
        lu = r["lunr"]
        ours = lu["ours"]
        lines += [f"| lunr.py 0.8 + jieba, first {lu['records']:,} records: segment + index + serialize | "
                  f"{lu['segment_s']} + {lu['index_s']} + {lu['serialize_s']} s, {lu['json_bytes'] / 1e6:.1f} MB JSON "
                  f"(ours on the same records: {ours['wall_s']} s, {ours['total_bytes'] / 1e6:.1f} MB incl. doc store) |"]
    if "browser" in r:
        lines += ["", "| query | records matched | index data loaded (median) | first results after page ready, file:// | http:// |",
                  "|---|---:|---:|---:|---:|"]
        for q in QUERIES:
            runs = [b for b in r["browser"] if b["query"] == q]
            f_ms = median([b["ms_after_ready"] for b in runs if b["scheme"] == "file"])
            h_ms = median([b["ms_after_ready"] for b in runs if b["scheme"] == "http"])
            kb = median([b["index_bytes_loaded"] for b in runs]) / 1e3
            lines.append(f"| {q} | {runs[0]['results']:,} | {kb:.0f} kB | {f_ms:.0f} ms | {h_ms:.0f} ms |")
        allb = r["browser"]
        lines += ["", f"Over all {len(QUERIES)} queries × {len(allb) // len(QUERIES) // 2} runs × 2 schemes: "
                  f"median {median([b['index_bytes_loaded'] for b in allb]) / 1e3:.0f} kB loaded "
                  f"(max {max(b['index_bytes_loaded'] for b in allb) / 1e3:.0f} kB); first results "
                  f"median {median([b['ms_after_ready'] for b in allb]):.0f} ms after DOMContentLoaded "
                  f"(max {max(b['ms_after_ready'] or 0 for b in allb):.0f} ms; "
                  f"median {median([b['ms_after_navigation'] for b in allb]):.0f} ms after navigation start); "
                  f"requests to other hosts: {sum(len(b['external']) for b in allb)} "
                  f"({', '.join(sorted({u.split('/')[2] for b in allb for u in b['external']})) or 'none'}; blocked)."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
