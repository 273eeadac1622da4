#!/usr/bin/env python3
"""The citizen's phone (issue 21, targets 4 and 5): what a page view transfers, and the site's size per record.

    python bench/page_weight.py --records 1000 [--site DIR] [--seed 1] [--short] [--workdir /tmp/bench]
                                [--asset-max-age 86400] [--lighthouse 3] [--json OUT]

1. The site: --site DIR (a built site of the same corpus), else WORKDIR/corpus-<N>-seed<S>/site if an
   earlier run.py build left it, else our build of the corpus (`disclosure build`, generated if missing).
2. It is served on 127.0.0.1 by a small static server with gzip (level 6, the usual nginx setting
   `gzip_comp_level 6`) for text types (HTML, CSS, JS, JSON, SVG, XML), with Last-Modified, and
   `Cache-Control: no-cache` on HTML (always revalidated) and `max-age=<--asset-max-age>` on every
   other file (0: no-cache on everything).
3. Headless Chromium (Playwright, /usr/bin/chromium, the tests' arguments) loads, each in a new context:
   - **first view** of a record page with the cache disabled (CDP Network.setCacheDisabled);
   - **repeat view**: the same page again in the same context, cache on (a new navigation, not a reload);
   - **next record**: another record page in that context (the cache holds the first one's CSS, JS, icons);
   - first views of the home page, a listing (the record's first domain) and the search page.
   Bytes are counted twice: from Chromium's network events (Network.loadingFinished encodedDataLength:
   compressed bodies plus response headers, everything the page fetched, favicon included) and from the
   Performance API (transferSize of the navigation and resource entries). Other hosts do not resolve
   (Chromium's --host-resolver-rules; request interception would turn the HTTP cache off); requests
   for them are listed (a kiosk page makes none).
4. Site size per record: disk usage of the site directory (du -s, files and directories) and apparent
   bytes, divided by the number of records.
5. With --lighthouse N: Lighthouse (npm `lighthouse`, pinned in package.json: `npm ci`) N times on the
   home page, the listing, the record and search with a query (`search.html?q=<the record's first title
   word>`), served as above, with Lighthouse's default mobile emulation and throttling (a slowed phone
   CPU and a slow 4G link); the median performance score per page and the other categories' scores.

Prints a Markdown table and writes the raw figures (per request: URL, status, type, bytes, from cache)
as JSON (WORKDIR/page-weight-<N>.json by default).
"""
from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import functools
import gzip
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import measure_cli  # noqa: E402  (the corpus options, the corpus and its site, the figures)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # as tests/conftest.py CHROMIUM_ARGS
# every host name fails to resolve except the loopback server's: nothing leaves the machine, without
# request interception (which would disable the HTTP cache this script measures)
NO_EXTERNAL = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".opml")
KB = 1000  # the targets are in kB


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text types, Last-Modified / If-Modified-Since and Cache-Control."""

    asset_max_age = 86400

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        st = path.stat()
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        cache = ("no-cache" if path.suffix == ".html" or not self.asset_max_age
                 else f"max-age={self.asset_max_age}")
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if int(st.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.send_header("Last-Modified", last_modified)
                    self.send_header("Cache-Control", cache)
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        body = path.read_bytes()
        gz = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if gz:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", last_modified)
        self.send_header("Cache-Control", cache)
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        return None


def serve(site: Path, asset_max_age: int):
    handler = type("Handler", (GzipHandler,), {"asset_max_age": asset_max_age})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def record_pages(corpus: Path, site: Path) -> tuple[str, str, str]:
    """Two record pages (the middle department's first and second record) and the first's first domain."""
    deps = sorted(p for p in (corpus / "content" / "records").iterdir() if p.is_dir())
    files = sorted(deps[len(deps) // 2].rglob("*.md"))
    rels = [f.relative_to(corpus / "content").with_suffix(".html").as_posix() for f in files[:2]]
    for rel in rels:
        if not (site / rel).is_file():
            raise SystemExit(f"page_weight.py: {site / rel} is missing: is {site} a build of {corpus}?")
    domain = re.search(r"^domains: *\[([^,\]]+)", files[0].read_text(encoding="utf-8"), re.M).group(1).strip()
    return rels[0], rels[1], domain


PERF_JS = """() => {
  const nav = performance.getEntriesByType('navigation').map(e => ({url: e.name, transfer: e.transferSize,
      encoded: e.encodedBodySize, decoded: e.decodedBodySize, type: 'navigation'}));
  const res = performance.getEntriesByType('resource').map(e => ({url: e.name, transfer: e.transferSize,
      encoded: e.encodedBodySize, decoded: e.decodedBodySize, type: e.initiatorType}));
  return nav.concat(res);
}"""


def view(page, cdp, url: str, base: str) -> dict:
    """Load url in page; the bytes Chromium received (network events) and the Performance API's view."""
    reqs: dict[str, dict] = {}

    def on_response(ev):
        r = ev["response"]
        reqs.setdefault(ev["requestId"], {}).update(
            url=r["url"], status=r["status"], type=ev.get("type"), mime=r.get("mimeType"),
            from_cache=bool(r.get("fromDiskCache") or r.get("fromMemoryCache") or r.get("fromPrefetchCache")),
            encoding=(r.get("headers") or {}).get("Content-Encoding") or (r.get("headers") or {}).get("content-encoding"))

    def on_finished(ev):
        reqs.setdefault(ev["requestId"], {})["bytes"] = ev["encodedDataLength"]

    def on_memory(ev):
        reqs.setdefault(ev["requestId"], {})["memory_cache"] = True

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.requestServedFromCache", on_memory)
    # not page.route(): Playwright's request interception turns Chromium's HTTP cache off. Other hosts
    # do not resolve (NO_EXTERNAL); a request for one is listed here.
    blocked: list[str] = []

    def on_request(req):
        if not req.url.startswith(base) and req.url.startswith("http"):
            blocked.append(req.url)

    page.on("request", on_request)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # late requests (favicon, lazy scripts)
    perf = page.evaluate(PERF_JS)
    page.remove_listener("request", on_request)
    for name, fn in (("Network.responseReceived", on_response), ("Network.loadingFinished", on_finished),
                     ("Network.requestServedFromCache", on_memory)):
        cdp.remove_listener(name, fn)
    requests = [r for r in reqs.values() if "url" in r and not r["url"].startswith("data:")]
    for r in requests:
        r["from_cache"] = r.get("from_cache") or r.get("memory_cache", False)
    total = sum(r.get("bytes", 0) for r in requests)
    by_type: dict[str, int] = {}
    for r in requests:
        by_type[r.get("type") or "Other"] = by_type.get(r.get("type") or "Other", 0) + r.get("bytes", 0)
    return {"url": url, "bytes": total, "by_type": by_type, "requests": len(requests),
            # a 304 shows as the cached 200 in Chromium's events, with only the headers' bytes: "from network"
            "from_network": sum(1 for r in requests if not r.get("from_cache")),
            "perf_transfer_bytes": sum(e["transfer"] for e in perf),
            "blocked_external": blocked, "detail": requests, "perf": perf}


def measure(site: Path, corpus: Path, asset_max_age: int) -> dict:
    from playwright.sync_api import sync_playwright

    rec, nxt, domain = record_pages(corpus, site)
    httpd, base = serve(site, asset_max_age)
    out = {"record": rec, "next_record": nxt, "domain": domain, "asset_max_age": asset_max_age}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [NO_EXTERNAL])
            try:
                def context():
                    # a phone-sized viewport: the page may load different images at other widths
                    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
                    page = ctx.new_page()
                    cdp = ctx.new_cdp_session(page)
                    cdp.send("Network.enable")
                    return ctx, page, cdp

                ctx, page, cdp = context()
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                out["first_view"] = view(page, cdp, base + rec, base)
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
                # prime the cache as a real first visit does (the measured first view ran without one)
                view(page, cdp, base + rec, base)
                page.goto("about:blank")
                out["repeat_view"] = view(page, cdp, base + rec, base)
                out["next_record"] = view(page, cdp, base + nxt, base)
                ctx.close()
                for key, rel in (("home", "index.html"), ("listing", f"domains/{domain}.html"),
                                 ("search", "search.html")):
                    if not (site / rel).is_file():
                        continue
                    ctx, page, cdp = context()
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    out[f"first_view_{key}"] = view(page, cdp, base + rel, base)
                    ctx.close()
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_pages(corpus: Path, site: Path) -> dict[str, str]:
    """The four pages of target 4: home, a listing, a record, search with a query from that record's title."""
    rec, _, domain = record_pages(corpus, site)
    title = re.search(r"^title: *(.+)$", (corpus / "content" / rec).with_suffix(".md").read_text(encoding="utf-8"),
                      re.M).group(1).strip().strip("\"'")
    return {"home": "index.html", "listing": f"domains/{domain}.html", "record": rec,
            "search": "search.html?q=" + urllib.parse.quote(title[:4])}


def lighthouse_once(url: str) -> dict:
    """One Lighthouse run, mobile emulation and default throttling, categories only: the scores (0-100)."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"page_weight.py: {LIGHTHOUSE} is missing: run `npm ci` in {REPO}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}", f"--chrome-flags={' '.join(CHROMIUM_ARGS)}"]
        done = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0 or not out.is_file():
            raise SystemExit(f"page_weight.py: Lighthouse failed on {url}: {done.stderr[-1500:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in LIGHTHOUSE_CATEGORIES}
    scores["benchmark_index"] = report["environment"].get("benchmarkIndex")
    return scores


def lighthouse(site: Path, corpus: Path, asset_max_age: int, runs: int) -> dict:
    """Each page `runs` times; per page the runs and the median of each category."""
    httpd, base = serve(site, asset_max_age)
    out = {}
    try:
        for name, rel in lighthouse_pages(corpus, site).items():
            each = [lighthouse_once(base + rel) for _ in range(runs)]
            out[name] = {"url": rel, "runs": each,
                         "median": {c: statistics.median(r[c] for r in each) for c in LIGHTHOUSE_CATEGORIES}}
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def site_size(site: Path, records: int) -> dict:
    import run as runner  # bench/run.py: du -s as the build table measures it

    disk, apparent, files = runner.dir_size(site)
    return {"records": records, "site_bytes": disk, "site_apparent_bytes": apparent, "site_files": files,
            "bytes_per_record": round(disk / records), "apparent_bytes_per_record": round(apparent / records)}


def report(r: dict) -> str:
    def kb(v):
        return f"{v['bytes'] / KB:.1f}" if v else "—"
    rows = [("record, first view (no cache)", r.get("first_view")), ("record, repeat view", r.get("repeat_view")),
            ("another record, cache warm", r.get("next_record")), ("home, first view", r.get("first_view_home")),
            ("listing, first view", r.get("first_view_listing")), ("search page, first view", r.get("first_view_search"))]
    lines = ["| page | transferred (kB, network events) | Performance API transferSize (kB) | requests "
             "(from network / in all) | external |", "|---|---:|---:|---|---:|"]
    for name, v in rows:
        if v:
            lines.append(f"| {name} | {kb(v)} | {v['perf_transfer_bytes'] / KB:.1f} | {v['from_network']} / "
                         f"{v['requests']} | {len(v['blocked_external'])} |")
    s = r["site_size"]
    lines.append("")
    lines.append(f"Site: {s['records']:,} records, {s['site_bytes'] / 2**20:.1f} MiB on disk (du -s), "
                 f"{s['site_files']:,} files: **{s['bytes_per_record'] / KB:.1f} kB per record** on disk, "
                 f"{s['apparent_bytes_per_record'] / KB:.1f} kB apparent. kB = 1000 bytes.")
    if r.get("lighthouse"):
        n = len(next(iter(r["lighthouse"].values()))["runs"])
        lines += ["", f"Lighthouse 12.2.3, mobile (default emulation and throttling), median of {n} run(s):", "",
                  "| page | performance | accessibility | best practices | SEO | performance, each run |",
                  "|---|---:|---:|---:|---:|---|"]
        for name, v in r["lighthouse"].items():
            m = v["median"]
            lines.append(f"| {name} (`{v['url']}`) | **{m['performance']:g}** | {m['accessibility']:g} | "
                         f"{m['best-practices']:g} | {m['seo']:g} | {', '.join(str(x['performance']) for x in v['runs'])} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    measure_cli.corpus_arguments(ap, built_site=True)
    ap.add_argument("--asset-max-age", type=int, default=86400,
                    help="Cache-Control max-age of non-HTML files in seconds (HTML: no-cache; 0: no-cache on all)")
    ap.add_argument("--lighthouse", type=int, default=0, metavar="RUNS",
                    help="Lighthouse (mobile) RUNS times on home, a listing, a record and search (0: not at all)")
    ap.add_argument("--json", help="raw figures (default WORKDIR/page-weight-<N>.json)")
    args = ap.parse_args(argv)
    workdir, corpus = measure_cli.corpus(args)
    site = measure_cli.built_site(args, corpus)
    r = {"date": dt.date.today().isoformat(), "records": args.records, "seed": args.seed,
         "profile": measure_cli.profile(args), "site": str(site)}
    r.update(measure(site, corpus, args.asset_max_age))
    r["site_size"] = site_size(site, args.records)
    if args.lighthouse:
        r["lighthouse"] = lighthouse(site, corpus, args.asset_max_age, args.lighthouse)
    measure_cli.leave(r, Path(args.json or workdir / f"page-weight-{args.records}.json"), report(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
