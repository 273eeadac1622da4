#!/usr/bin/env python3
"""Save to preview (issue 21, target 2): how long an editor waits under `disclosure serve`.

    python bench/serve_latency.py --records 1000 [--edits 5] [--catalogue-edits 3] [--seed 1]
                                  [--workdir /tmp/bench] [--short] [--timeout 120] [--json OUT]

1. The corpus (bench/generate.py, cached as for run.py) is copied to WORKDIR/serve-<N>-seed<S>/, so the
   edits never touch the cached corpus.
2. `disclosure serve -a 127.0.0.1:<free port>` starts on it (its own process group; killed at the end
   whatever happens); the script waits until the home page answers (--startup-timeout).
3. Headless Chromium (Playwright, /usr/bin/chromium, the arguments of tests/conftest.py) opens one
   record's page. For each of --edits: a new paragraph with a unique marker is appended to that
   record's file, and the time from the write to the marker being in the page's DOM (the live reload
   reloads the page; the DOM is polled every 20 ms) is taken.
4. Then the page opens the listing of that record's first domain (domains/<id>.html); for each of
   --catalogue-edits the domain's name in catalogue/domains.yml gets a unique suffix, and the time from
   the write to the new name on the listing page is taken.

Every edit is valid content (the preview shows a Chinese error page while content is broken). After an
edit is seen the script waits --settle seconds before the next, so one rebuild does not overlap the next
write. Prints medians and writes the raw figures as JSON (WORKDIR/serve-latency-<N>.json by default).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import measure_cli  # noqa: E402  (the corpus options, the corpus and its site, the figures)

CHROMIUM = "/usr/bin/chromium"
# as tests/conftest.py CHROMIUM_ARGS (not imported: tests/ is not a package the benchmark depends on)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(corpus: Path, dest: Path) -> Path:
    """A fresh copy of the corpus's project files (no built sites, no cache)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("catalogue", "content", "mkdocs.yml"):
        src = corpus / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def pick_record(project: Path) -> Path:
    """A deterministic record in the middle of the corpus (as run.py's incremental edit)."""
    deps = sorted(p for p in (project / "content" / "records").iterdir() if p.is_dir())
    return min(deps[len(deps) // 2].rglob("*.md"))


def first_domain(record: Path) -> str:
    m = re.search(r"^domains: *\[([^,\]]+)", record.read_text(encoding="utf-8"), re.M)
    return m.group(1).strip()


def start_server(project: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "site_builder.cli", "serve", "-f", str(project / "mkdocs.yml"),
                                 "-a", f"127.0.0.1:{port}"], cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def wait_ready(base: str, proc: subprocess.Popen, timeout: float, log: Path) -> float:
    """Seconds until the home page answers 200 (the first full build is done)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"disclosure serve exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(base, timeout=5) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"disclosure serve did not answer within {timeout:g} s; see {log}")


HAS_TEXT = "t => !!(document.body && document.body.innerText.includes(t))"


def wait_for_text(page, text: str, timeout: float, reload_every: float = 0) -> float | None:
    """Poll the page's DOM until it contains text; seconds since the call, or None after timeout.

    reload_every = 0: the page must reload itself (MkDocs' live reload). > 0: the script reloads the page
    that often itself, as an editor pressing F5 would (the server holds a request while it rebuilds)."""
    t0 = time.perf_counter()
    last_reload = t0
    while time.perf_counter() - t0 < timeout:
        try:
            if page.evaluate(HAS_TEXT, text):
                return time.perf_counter() - t0
            if reload_every and time.perf_counter() - last_reload >= reload_every:
                last_reload = time.perf_counter()
                page.reload(wait_until="domcontentloaded", timeout=max(1.0, timeout - (last_reload - t0)) * 1000)
                continue
        except Exception:  # noqa: BLE001  (a reload destroyed the execution context, or timed out: try again)
            pass
        time.sleep(0.02)
    return None


def timed_edit(page, path: Path, new_text: str, marker: str, timeout: float, reload_every: float = 0) -> dict:
    t0 = time.perf_counter()
    path.write_text(new_text, encoding="utf-8")
    waited = wait_for_text(page, marker, timeout, reload_every)
    seconds = None if waited is None else time.perf_counter() - t0
    return {"file": path.name, "marker": marker, "seconds": seconds, "timed_out": seconds is None}


def shown(e: dict, timeout: float) -> str:
    return f"not shown within {timeout:g} s" if e["seconds"] is None else f"{e['seconds']:.2f} s"


def run(args) -> dict:
    import run as runner  # bench/run.py: the cached corpus
    from playwright.sync_api import sync_playwright

    workdir = Path(args.workdir).resolve()
    corpus, _ = runner.ensure_corpus(args.records, args.seed, workdir, "short" if args.short else "default")
    project = copy_project(corpus, workdir / f"serve-{args.records}-seed{args.seed}")
    record = pick_record(project)
    domain = first_domain(record)
    rel = record.relative_to(project / "content").with_suffix(".html").as_posix()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = workdir / f"serve-{args.records}.log"
    result = {"date": dt.date.today().isoformat(), "records": args.records, "seed": args.seed,
              "profile": "short" if args.short else "default", "record": rel, "domain": domain,
              "server_log": str(log), "record_edits": [], "catalogue_edits": []}
    proc = start_server(project, port, log)
    try:
        result["startup_seconds"] = round(wait_ready(base, proc, args.startup_timeout, log), 2)
        print(f"serve: first build ready after {result['startup_seconds']} s", file=sys.stderr)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
                console: list[str] = []
                page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
                page.goto(base + rel, wait_until="load", timeout=args.timeout * 1000)
                page.wait_for_timeout(300)
                # MkDocs injects its live-reload client as an inline script: a Content-Security-Policy
                # without 'unsafe-inline' (or that script's hash) stops it, and nothing reloads by itself
                blocked = [t for t in console if "Content Security Policy" in t and "inline script" in t]
                result["livereload_blocked_by_csp"] = bool(blocked)
                result["console_errors"] = console[:5]
                if blocked:
                    print("serve: the page's Content-Security-Policy blocks MkDocs' inline live-reload script: "
                          "the browser never reloads by itself" + ("" if args.reload_every else
                          " (every edit will time out; --reload-every 0.25 measures with the script reloading)"),
                          file=sys.stderr)
                result["reload_every"] = args.reload_every
                original = record.read_text(encoding="utf-8")
                for k in range(args.edits):
                    marker = f"保存预览测量第{k + 1}次修改{time.time_ns() % 10**9}"
                    text = original.rstrip("\n") + f"\n\n{marker}：本段为基准测试追加的内容。\n"
                    e = timed_edit(page, record, text, marker, args.timeout, args.reload_every)
                    result["record_edits"].append(e)
                    print(f"record edit {k + 1}: {shown(e, args.timeout)}", file=sys.stderr)
                    time.sleep(args.settle)
                cat = project / "catalogue" / "domains.yml"
                cat_original = cat.read_text(encoding="utf-8")
                name = re.search(rf"^- id: {re.escape(domain)}\n  name: (.+)$", cat_original, re.M).group(1)
                page.goto(base + f"domains/{domain}.html", wait_until="load", timeout=args.timeout * 1000)
                for k in range(args.catalogue_edits):
                    marker = f"{name}测量{k + 1}"
                    text = cat_original.replace(f"- id: {domain}\n  name: {name}\n",
                                                f"- id: {domain}\n  name: {marker}\n", 1)
                    e = timed_edit(page, cat, text, marker, args.timeout, args.reload_every)
                    result["catalogue_edits"].append(e)
                    print(f"catalogue edit {k + 1}: {shown(e, args.timeout)}", file=sys.stderr)
                    time.sleep(args.settle)
            finally:
                browser.close()
    finally:
        stop_server(proc)
    for key in ("record_edits", "catalogue_edits"):
        vals = [e["seconds"] for e in result[key] if e["seconds"] is not None]
        result[f"{key}_median"] = round(statistics.median(vals), 3) if vals else None
        result[f"{key}_timed_out"] = sum(e["timed_out"] for e in result[key])
    return result


def report(r: dict) -> str:
    def cell(v):
        return "—" if v is None else f"{v:.2f}"
    how = "live reload" if not r.get("reload_every") else f"script reloads every {r['reload_every']:g} s"
    if r.get("livereload_blocked_by_csp"):
        how += " (live reload blocked by the CSP)"
    return ("| records | corpus | reload | serve start (s) | record edit → page (s, median) "
            "| catalogue edit → listing (s, median) | timed out |\n|---:|---|---|---:|---:|---:|---:|\n"
            f"| {r['records']:,} | {r['profile']} | {how} | {cell(r.get('startup_seconds'))} "
            f"| {cell(r['record_edits_median'])} "
            f"({len(r['record_edits'])} edits) | {cell(r['catalogue_edits_median'])} ({len(r['catalogue_edits'])} edits) "
            f"| {r['record_edits_timed_out'] + r['catalogue_edits_timed_out']} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    measure_cli.corpus_arguments(ap)
    ap.add_argument("--edits", type=int, default=5, help="record edits (median reported)")
    ap.add_argument("--catalogue-edits", type=int, default=3, help="catalogue edits (median reported)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for one edit to show")
    ap.add_argument("--startup-timeout", type=float, default=1800, help="seconds to wait for the first build")
    ap.add_argument("--settle", type=float, default=2, help="seconds between an edit shown and the next write")
    ap.add_argument("--reload-every", type=float, default=0, metavar="SECONDS",
                    help="0 (default): the page must reload by itself (live reload), as the editor sees it; > 0: "
                         "the script reloads the page this often (the time the server takes to serve the new page)")
    ap.add_argument("--json", help="raw figures (default WORKDIR/serve-latency-<N>.json)")
    args = ap.parse_args(argv)
    r = run(args)
    measure_cli.leave(r, Path(args.json or Path(args.workdir) / f"serve-latency-{args.records}.json"), report(r))
    return 0 if not (r["record_edits_timed_out"] or r["catalogue_edits_timed_out"]) else 1


if __name__ == "__main__":
    sys.exit(main())
