#!/usr/bin/env python3
"""Side-by-side build benchmark: our disclosure site vs vanilla Material for MkDocs and Hugo (issues 7, 21).

    python bench/run.py --records 1000 10000 --repeat 3 [--no-vanilla] [--no-ours] [--no-hugo] [--incremental]
                        [--profiles default short] [--workdir /tmp/bench] [--seed 1]
                        [--serve-latency] [--page-weight] [--search-scale]

For every size the corpus is generated once (bench/generate.py, cached in WORKDIR per size, seed
and generator source), then for every repeat OUR build (`disclosure build -f mkdocs.yml`, or
`mkdocs build` with --ours-command mkdocs) and the VANILLA build (`python -m mkdocs build -q -f
mkdocs.vanilla.yml`) run one after the other on the same records, each without a site directory or
cache (the previous ones moved aside, not deleted: see Trash). Measured per build: wall time, CPU
time (user+sys of the whole process tree), peak RSS and PSS of the process tree (psutil; RSS every
0.05 s, PSS every 2 s), output size and search-index size. Medians go to a Markdown table on
stdout and, with the raw runs, to bench/results/<date>-<records>.json.

The HUGO baseline (`hugo --quiet --source CORPUS/hugo --destination CORPUS/site-hugo`, Debian's package;
bench/hugo_site.py writes CORPUS/hugo over the same record files) is built in the same loop, measured
alike. --profiles short adds the short-bodies corpus (generate.py --short) of each size. After the
builds of a size, --serve-latency / --page-weight / --search-scale run bench/serve_latency.py,
page_weight.py and search_scale.py on its default corpus and print their tables after the build table.

A build that exits non-zero aborts the benchmark with the tail of its stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover
    sys.exit("run.py needs psutil: pip install -r bench/requirements.txt")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402
import hugo_site  # noqa: E402

RESULTS = HERE / "results"
MB = 2**20  # MiB, as du -h / ls -h print them (the anchor figures of issue 7 are such)
GB = 2**30

BUILDS = {
    # name: (config file, site dir)
    "ours": ("mkdocs.yml", "site"),
    "vanilla": ("mkdocs.vanilla.yml", "site-vanilla"),
    "hugo": ("hugo/hugo.toml", "site-hugo"),  # bench/hugo_site.py: Debian's `hugo`, same records
}


class BuildFailed(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
def tree_rss(proc: psutil.Process, pss: bool = False) -> int:
    """RSS summed over the tree; with pss, the proportional set size instead: forked workers share
    their parent's pages copy-on-write, which an RSS sum counts once per process."""
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_full_info().pss if pss else p.memory_info().rss
        except (psutil.Error, AttributeError):
            pass
    return total


# PSS is read from /proc/<pid>/smaps_rollup, for which the kernel walks every page of the process: for
# a build of several GB-sized processes on two cores, every 0.2 s took ~0.2 of a core from the build
# (measured: a cold 10,000 build 44-48 s under the sampler, 39-41 s without). Every 2 s: the peaks last
# longer (the render and search phases).
PSS_EVERY = 40  # samples (of --interval, 0.05 s)


def speed_probe() -> float:
    """CPU seconds of a fixed pure-Python loop, best of three, recorded with each run. The virtual
    machines this runs on get slower and faster by up to 2x within minutes (other tenants of the host);
    the probe shows that it happens, but lasting ~0.1 s it is too noisy to correct a build's time by."""
    best = float("inf")
    for _ in range(3):
        c = time.process_time()
        s = 0
        for i in range(2_000_000):
            s += i
        best = min(best, time.process_time() - c)
    return round(best, 3)


def run_measured(cmd, cwd: Path, log_prefix: Path, interval: float, timeout: float | None) -> dict:
    """Run cmd, sampling the RSS of its whole process tree; return wall/cpu/peak and the exit code."""
    probe = speed_probe()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    # as installed by pip, which compiles every module: a shell that forbids bytecode files would have
    # each build compile ours (an editable install) from source, ~0.2 s, and no other tool's
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out_path = log_prefix.with_suffix(".out")
    err_path = log_prefix.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        ru0 = os.times()
        sys0 = busy_cpu()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        ps = psutil.Process(p.pid)
        peak = peak_pss = 0
        timed_out = False
        samples = 0
        try:
            while True:
                peak = max(peak, tree_rss(ps))
                if samples % PSS_EVERY == 10:  # reading smaps costs more: see PSS_EVERY (first at 0.5 s)
                    peak_pss = max(peak_pss, tree_rss(ps, pss=True))
                samples += 1
                try:
                    p.wait(timeout=interval)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if timeout and time.perf_counter() - t0 > timeout:
                    timed_out = True
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    break
        except BaseException:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            raise
        wall = time.perf_counter() - t0
        ru1 = os.times()
        sys1 = busy_cpu()
    # children's CPU: only processes that were waited for are counted (all of them, once the
    # build has exited and reaped its workers)
    cpu = (ru1.children_user - ru0.children_user) + (ru1.children_system - ru0.children_system)
    # CPU the rest of the machine used meanwhile, in cores: > 0.2 means the timing is disturbed
    # (the build's tree and this sampling process itself excluded)
    own = (ru1.user - ru0.user) + (ru1.system - ru0.system)
    others = max(0.0, (sys1 - sys0) - cpu - own) / wall if wall > 0 else 0.0
    return {"returncode": p.returncode, "timed_out": timed_out, "wall": wall, "cpu": cpu,
            "speed_probe": probe, "other_cpu_cores": round(others, 2), "sampler_cpu": round(own, 2),
            "peak_rss": peak, "peak_pss": peak_pss,
            "stdout": str(out_path), "stderr": str(err_path)}


def busy_cpu() -> float:
    """Seconds of CPU the whole machine has spent busy (all cores), from /proc/stat via psutil."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0) - getattr(t, "guest", 0.0) - getattr(t, "guest_nice", 0.0)


def dir_size(path: Path) -> tuple[int, int, int]:
    """(disk usage, apparent bytes, files) of a directory tree: `du -s -B1`, `du -sb`, `find -type f | wc -l`.

    Like du, directories count too (with directory URLs every page is a directory of its own).
    """
    if not path.exists():
        return 0, 0, 0
    st = os.lstat(path)
    disk, apparent, files = st.st_blocks * 512, st.st_size, 0
    for root, dirs, names in os.walk(path):
        for n in dirs + names:
            try:
                st = os.lstat(os.path.join(root, n))
            except FileNotFoundError:
                continue
            disk += st.st_blocks * 512
            apparent += st.st_size
            files += n in names
    return disk, apparent, files


def index_size(build: str, site: Path) -> int | None:
    if build == "hugo":
        return None  # the Hugo baseline has no search
    if build == "vanilla":
        f = site / "search" / "search_index.json"
        return f.stat().st_size if f.exists() else None
    if (site / "search").is_dir():
        return dir_size(site / "search")[1]
    total = 0
    found = False
    for f in site.glob("search*"):
        if f.is_dir():
            total += dir_size(f)[1]
            found = True
        elif f.suffix != ".html":  # search.html is the search page, not the index
            total += f.stat().st_size
            found = True
    return total if found else None


def tail(path: str, lines: int = 40) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no stderr captured)"
    return "\n".join(text.rstrip("\n").splitlines()[-lines:]) or "(stderr is empty)"


def build(corpus: Path, name: str, logs: Path, tag: str, args, clean: bool = True) -> dict:
    config, site_name = BUILDS[name]
    site = corpus / site_name
    if clean:
        # moved aside, not deleted: see Trash
        args.trash.discard(site)
        for old in corpus.glob(f".{site_name}.old-*"):  # a previous `disclosure build`'s replaced site
            args.trash.discard(old)
        for extra in args.clean_extra:
            args.trash.discard(corpus / extra)
        args.trash.settle()
    if name == "hugo":
        cmd = hugo_site.command(corpus, site_name)
    elif name == "ours" and args.ours_command == "disclosure":
        # what an editor runs: atomic swap into site/, the replaced site deleted by the next build
        cmd = [sys.executable, "-m", "site_builder.cli", "build", "-f", str(corpus / config)]
    else:
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(corpus / config)]
    m = run_measured(cmd, corpus, logs / tag, args.interval, args.timeout)
    if m["timed_out"] or m["returncode"] != 0:
        why = f"timed out after {args.timeout:g} s" if m["timed_out"] else f"exit code {m['returncode']}"
        raise BuildFailed(
            f"\n*** {name} build FAILED ({why}) after {m['wall']:.1f} s\n"
            f"    command: {' '.join(cmd)}\n    cwd: {corpus}\n    full stderr: {m['stderr']}\n"
            f"--- last lines of stderr ---\n{tail(m['stderr'])}\n---")
    m["site_bytes"], m["site_apparent_bytes"], m["site_files"] = dir_size(site)
    m["index_bytes"] = index_size(name, site)
    return m


class Trash:
    """Old sites and caches are moved into WORKDIR/.trash and deleted when the benchmark ends (so the
    work folder needs room for every build of the run: ~6 GB for three of 10,000 records, ~15 GB for
    one of 100,000).

    The file system here is ext4 without a journal; there the kernel will not reuse an inode freed in
    the last 60 s (300 s more while its inode-table block is unwritten): `recently_deleted()` in
    fs/ext4/ialloc.c. Every file a build creates then first steps over the ones just deleted. Deleting
    the last site and cache right before a timed build made file creation cost 0.3-0.6 ms of kernel
    CPU per file instead of ~0.02 ms. perf showed recently_deleted() and the buffer lookups under it
    at ~13% of all the CPU of a 10,000-record build; the build took 42 s right after deleting and 36 s
    after waiting. That is the benchmark's own clean-up, not the build, and it penalised each build
    by the size of the previous one. A fresh machine (a CI clone) has no recently deleted files.

    So nothing is deleted between builds. Where files were deleted anyway (emptying a trash left by
    an interrupted run; a rebuild of ours deletes the site it replaced two builds ago, as it does for
    an editor), the next full build first waits until SETTLE seconds have passed since (after
    `sync`, so the inode-table blocks are written out). `--settle 0` skips the wait."""

    def __init__(self, workdir: Path, settle: float):
        self.dir = workdir / ".trash"
        self.settle_seconds = settle
        self.deleted_at = None
        self.count = 0
        if self.dir.exists():  # left by an interrupted run
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.deleted()  # what happened on this machine just before the benchmark is not known

    def discard(self, path: Path) -> None:
        if path.exists() or path.is_symlink():
            self.count += 1
            path.rename(self.dir / f"{self.count:04d}-{path.name}")

    def deleted(self) -> None:
        self.deleted_at = time.monotonic()

    def settle(self) -> None:
        if self.deleted_at is None or self.settle_seconds <= 0:
            return
        os.sync()
        wait = self.deleted_at + self.settle_seconds - time.monotonic()
        if wait > 0:
            print(f"(waiting {wait:.0f} s: files were deleted {time.monotonic() - self.deleted_at:.0f} s ago)",
                  file=sys.stderr, end=" ", flush=True)
            time.sleep(wait)
        self.deleted_at = None

    def empty(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Corpus and incremental edit
# ---------------------------------------------------------------------------------------------
def ensure_corpus(n: int, seed: int, workdir: Path, profile: str = "default") -> tuple[Path, dict]:
    short = profile == "short"
    corpus = workdir / (f"corpus-{n}-seed{seed}" + ("-short" if short else ""))
    marker = corpus / generate.MARKER
    want = generate.marker_text(n, seed, short)
    if marker.exists() and marker.read_text(encoding="utf-8") == want:
        print(f"corpus: reusing {corpus}", file=sys.stderr)
        return corpus, {"cached": True}
    print(f"corpus: generating {n} records into {corpus}", file=sys.stderr)
    info = generate.generate(n, corpus, seed, force=False, quiet=False, short=short)
    info["cached"] = False
    return corpus, info


def pick_record(corpus: Path) -> Path:
    """A deterministic record in the middle of the corpus (the first file of the middle department)."""
    deps = sorted(p for p in (corpus / "content" / "records").iterdir() if p.is_dir())
    dep = deps[len(deps) // 2]
    return min(dep.rglob("*.md"))


def add_record(near: Path, k: int) -> Path:
    """A new record published today beside `near` (same department, a fresh 索引号): the common
    editor action, and the newest record of every listing and feed it is in."""
    import datetime as dt
    import re as _re

    text = near.read_text(encoding="utf-8")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    code = _re.search(r"^index_no: *\"?([^/\"]+)/", text, _re.M).group(1)
    text = _re.sub(r"^index_no: .*$", f"index_no: {code}/{today.year}-9{k:04d}", text, count=1, flags=_re.M)
    text = _re.sub(r"^date: .*$", f"date: {today.isoformat()}", text, count=1, flags=_re.M)
    text = _re.sub(r"^written: .*$", f"written: {today.isoformat()}", text, count=1, flags=_re.M)
    text = _re.sub(r"^title: .*$", f'title: "基准测试新发布信息第{k + 1}号"', text, count=1, flags=_re.M)
    path = near.parent / f"bench-new-{k + 1}.md"
    path.write_text(text, encoding="utf-8")
    return path


def edit_record(path: Path, k: int) -> bytes:
    original = path.read_bytes()
    extra = (f"\n\n## 补充说明（基准测试增量构建第{k + 1}次修改）\n\n"
             f"本条信息于基准测试中修改，用于测量修改一条记录后重新构建所需的时间。\n").encode("utf-8")
    path.write_bytes(original + extra)
    return original


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
KEYS = ("wall", "cpu", "peak_rss", "peak_pss", "site_bytes", "site_apparent_bytes", "site_files", "index_bytes")


def medians(runs: list[dict]) -> dict:
    out = {}
    for k in KEYS:
        vals = [r[k] for r in runs if r.get(k) is not None]
        out[k] = statistics.median(vals) if vals else None
    return out


def fmt(v, scale, digits):
    return "—" if v is None else f"{v / scale:.{digits}f}"


def table(rows: list[dict]) -> str:
    head = ("| records | corpus | build | wall (s) | CPU (s) | peak RSS (GB) | peak PSS (GB) | site size (MB) "
            "| index size (MB) | ratio to vanilla (wall, size) | ratio to Hugo (wall) |\n"
            "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|")
    lines = [head]
    for r in rows:
        m, v = r["median"], r.get("vanilla")
        if v and r["build"] != "vanilla":
            rw = m["wall"] / v["wall"]
            rs = None if r["build"].startswith("ours (") else m["site_bytes"] / v["site_bytes"]
            ratio = f"{rw:.2f}, " + ("—" if rs is None else f"{rs:.2f}")
        elif r["build"] == "vanilla":
            ratio = "1.00, 1.00"
        else:
            ratio = "—"
        h = r.get("hugo")
        to_hugo = f"{m['wall'] / h['wall']:.2f}" if h and h["wall"] else "—"
        lines.append(f"| {r['records']:,} | {r.get('profile', 'default')} | {r['build']} | {fmt(m['wall'], 1, 1)} "
                     f"| {fmt(m['cpu'], 1, 1)} | {fmt(m['peak_rss'], GB, 2)} | {fmt(m.get('peak_pss'), GB, 2)} "
                     f"| {fmt(m['site_bytes'], MB, 1)} | {fmt(m['index_bytes'], MB, 1)} | {ratio} | {to_hugo} |")
    return "\n".join(lines)


def versions() -> dict:
    from importlib import metadata
    out = {}
    for dist in ("mkdocs", "mkdocs-material", "jieba", "pymdown-extensions", "Markdown", "psutil"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    try:
        out["hugo"] = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip() or None
    except OSError:
        out["hugo"] = None
    try:  # our own package, whatever its distribution name: the one providing the disclosure plugin
        eps = [ep for ep in metadata.entry_points(group="mkdocs.plugins") if ep.name == "disclosure"]
        if eps:
            out["disclosure plugin"] = f"{eps[0].value} ({eps[0].dist.name} {eps[0].dist.version})"
    except Exception:  # noqa: BLE001
        pass
    return out


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
            "cpu_count": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total}


def git_commit() -> str | None:
    try:
        r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
def rebuild(corpus: Path, logs: Path, args, runs: dict, n: int, rep: int, label: str, verb: str,
            changed: Path) -> None:
    """Time a rebuild of ours after `changed` was edited or added; the run goes to runs["ours (label)"]."""
    where = str(changed.relative_to(corpus))
    print(f"[{n} records] repeat {rep + 1}/{args.repeat}: ours rebuild after {verb} {where} ...",
          file=sys.stderr, end="", flush=True)
    m = build(corpus, "ours", logs, f"ours-{label.replace(' ', '-')}-{rep + 1}", args, clean=False)
    args.trash.deleted()  # the rebuild deleted the site replaced by the build before it, if any
    m["changed"] = where
    runs[f"ours ({label})"].append(m)
    print(f" {m['wall']:.1f} s", file=sys.stderr)


def bench_size(n: int, args, profile: str = "default") -> list[dict]:
    workdir = args.workdir
    corpus, corpus_info = ensure_corpus(n, args.seed, workdir, profile)
    if not corpus_info["cached"]:
        args.trash.deleted()  # generating over an older corpus deletes its files
    size = f"{n}" if profile == "default" else f"{n}-{profile}"  # names logs and results
    logs = workdir / "logs" / size
    logs.mkdir(parents=True, exist_ok=True)
    names = [b for b in ("ours", "vanilla", "hugo") if getattr(args, b)]
    runs: dict[str, list[dict]] = {b: [] for b in names}
    if args.incremental:
        runs["ours (incremental)"] = []
        runs["ours (edit again)"] = []
        runs["ours (new record)"] = []
    label = f"{n} records" + ("" if profile == "default" else f", {profile}")
    for rep in range(args.repeat):
        for name in names:
            print(f"[{label}] repeat {rep + 1}/{args.repeat}: {name} build ...", file=sys.stderr, end="", flush=True)
            m = build(corpus, name, logs, f"{name}-{rep + 1}", args)
            runs[name].append(m)
            print(f" {m['wall']:.1f} s, peak {m['peak_rss'] / GB:.2f} GB, site {m['site_bytes'] / MB:.1f} MB",
                  file=sys.stderr)
            if name == "ours" and args.incremental:
                record = pick_record(corpus)
                original = edit_record(record, rep)
                try:
                    rebuild(corpus, logs, args, runs, n, rep, "incremental", "editing", record)
                    # the editor's next edit: from now on a rebuild takes the pages of the site the build
                    # before it replaced (render/reuse.py); the first after a build from nothing has none
                    # and links every page anew
                    edit_record(record, rep + args.repeat)
                    rebuild(corpus, logs, args, runs, n, rep, "edit again", "editing again", record)
                finally:
                    record.write_bytes(original)
                added = add_record(record, rep)
                try:
                    rebuild(corpus, logs, args, runs, n, rep, "new record", "adding", added)
                finally:
                    added.unlink()
    vanilla = medians(runs["vanilla"]) if "vanilla" in runs else None
    hugo = medians(runs["hugo"]) if "hugo" in runs else None
    rows = []
    for name, rs in runs.items():
        rows.append({"records": n, "profile": profile, "build": name, "median": medians(rs), "runs": rs,
                     "vanilla": vanilla, "hugo": hugo})

    ratios = {}
    if vanilla:
        for r in rows:
            if r["build"] != "vanilla":
                ratios[r["build"]] = {
                    "wall": r["median"]["wall"] / vanilla["wall"],
                    "peak_rss": r["median"]["peak_rss"] / vanilla["peak_rss"],
                    "site_bytes": r["median"]["site_bytes"] / vanilla["site_bytes"],
                    "index_bytes": (r["median"]["index_bytes"] / vanilla["index_bytes"]
                                    if r["median"]["index_bytes"] and vanilla["index_bytes"] else None),
                }
    result = {
        "date": dt.date.today().isoformat(),
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name] + sys.argv),
        "records": n,
        "profile": profile,
        "seed": args.seed,
        "repeat": args.repeat,
        "settle_seconds": args.settle,  # see Trash
        "units": {"wall": "s", "cpu": "s (user+sys, whole process tree)",
                  "peak_rss": "bytes (max over samples of the RSS summed over the process tree)",
                  "peak_pss": "bytes (max over samples of the PSS summed over the process tree: shared "
                              "copy-on-write pages of forked workers counted once)",
                  "site_bytes": "bytes on disk, files and directories (du -s -B1)",
                  "site_apparent_bytes": "bytes (du -sb)", "index_bytes": "bytes (file sizes)",
                  "table": "MB = MiB = 2^20 bytes, GB = GiB = 2^30 bytes"},
        "machine": machine(),
        "versions": versions(),
        "git_commit": git_commit(),
        "corpus": {"path": str(corpus), **corpus_info},
        "builds": {r["build"]: {"median": r["median"], "runs": r["runs"]} for r in rows},
        "ratios_to_vanilla": ratios,
        "ratios_to_hugo": ({r["build"]: {"wall": r["median"]["wall"] / hugo["wall"]} for r in rows
                            if r["build"] != "hugo"} if hugo else {}),
        "table": table(rows),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{result['date']}-{size}.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"results: {out}", file=sys.stderr)
    busy = max(m["other_cpu_cores"] for rs in runs.values() for m in rs)
    if busy > 0.2:
        cpu = ", ".join(f"{r['build']} {r['median']['cpu']:.1f}" for r in rows)
        print(f"note: other processes used up to {busy:.1f} of the {os.cpu_count()} CPUs during a build, "
              f"so wall times are inflated (other_cpu_cores per run in the JSON). Median CPU seconds of the "
              f"builds, less sensitive to that: {cpu}", file=sys.stderr)
    return rows


EXTRAS = {
    # option: (script, what its table shows)
    "serve_latency": ("serve_latency.py", "save to preview under `disclosure serve` (Chromium)"),
    "page_weight": ("page_weight.py", "a record page's transfer and the site's bytes per record"),
    "search_scale": ("search_scale.py", "search: first results and bytes per query (queries from titles)"),
}


def extras(n: int, args) -> list[dict]:
    """The browser measures of issue 21 on size n's default corpus, each script in its own process (their
    raw figures go to WORKDIR/<script>-<n>.json; their tables are printed at the end)."""
    done = []
    for key, (script, what) in EXTRAS.items():
        if not getattr(args, key):
            continue
        cmd = [sys.executable, str(HERE / script), "--records", str(n), "--seed", str(args.seed),
               "--workdir", str(args.workdir)] + shlex.split(getattr(args, f"{key}_args"))
        print(f"[{n} records] {what}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env=env)
        done.append({"records": n, "what": what, "command": " ".join(cmd), "returncode": r.returncode,
                     "table": r.stdout.strip()})
        if r.returncode != 0:
            print(f"  ({script} exited with {r.returncode}: its table may show timeouts; its stderr is above)",
                  file=sys.stderr)
    return done


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="builds per size and configuration (median reported)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench"),
                    help="where corpora (cached), sites and build logs go (default /tmp/bench)")
    ap.add_argument("--ours", action=argparse.BooleanOptionalAction, default=True, help="build our site")
    ap.add_argument("--vanilla", action=argparse.BooleanOptionalAction, default=True,
                    help="build the vanilla Material baseline")
    ap.add_argument("--hugo", action=argparse.BooleanOptionalAction, default=True,
                    help="build the Hugo baseline (Debian's `hugo`; bench/hugo_site.py) on the same records")
    ap.add_argument("--profiles", nargs="+", choices=["default", "short"], default=["default"],
                    help="corpora to build: the project's (default) and/or short bodies (generate.py --short)")
    ap.add_argument("--serve-latency", action="store_true",
                    help="also time save-to-preview under `disclosure serve` in Chromium (bench/serve_latency.py) "
                         "on each size's default corpus")
    ap.add_argument("--page-weight", action="store_true",
                    help="also measure a record page's transfer (first and repeat view) and the site's bytes per "
                         "record on ours's last build (bench/page_weight.py)")
    ap.add_argument("--search-scale", action="store_true",
                    help="also time the site search in Chromium with queries from record titles "
                         "(bench/search_scale.py) on ours's last build")
    for key in EXTRAS:
        ap.add_argument(f"--{key.replace('_', '-')}-args", default="", metavar="'ARGS'",
                        help=f"extra arguments for bench/{EXTRAS[key][0]}, one string (see its --help)")
    ap.add_argument("--ours-command", choices=["disclosure", "mkdocs"], default="disclosure",
                    help="build ours with `disclosure build` (default: the editor's command) or `mkdocs build`")
    ap.add_argument("--incremental", action="store_true",
                    help="after each full build of ours, edit one record's body and time a rebuild, then "
                         "add a new record published today and time another")
    ap.add_argument("--interval", type=float, default=0.05, help="RSS sampling interval in seconds")
    ap.add_argument("--timeout", type=float, default=None, help="abort a build that runs longer (seconds)")
    ap.add_argument("--settle", type=float, default=65, metavar="SECONDS",
                    help="before a full build, wait until this long after files were last deleted (see "
                         "Trash; default 65, 0: do not wait)")
    ap.add_argument("--clean-extra", nargs="*", default=[".cache"], metavar="PATH",
                    help="paths relative to the corpus removed before every full build, so full builds are "
                         "cold (default: .cache)")
    args = ap.parse_args(argv)
    if not (args.ours or args.vanilla or args.hugo):
        ap.error("nothing to build: --no-ours, --no-vanilla and --no-hugo given")
    if args.hugo and shutil.which("hugo") is None:
        ap.error("the Hugo baseline needs Debian's hugo: apt-get install -y hugo (or pass --no-hugo)")
    if (args.page_weight or args.search_scale) and not args.ours:
        ap.error("--page-weight and --search-scale measure our site's last build: drop --no-ours")
    if args.incremental and not args.ours:
        ap.error("--incremental measures our build: drop --no-ours")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.vanilla:
        try:
            import jieba  # noqa: F401
        except ImportError:
            ap.error("the vanilla baseline needs jieba (Material segments Chinese with it when installed): "
                     "pip install -r bench/requirements.txt")
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)

    args.trash = Trash(args.workdir, args.settle)
    all_rows = []
    extra_rows = []
    try:
        for n in args.records:
            for profile in args.profiles:
                all_rows += bench_size(n, args, profile)
            extra_rows += extras(n, args)
    except BuildFailed as e:
        print(e, file=sys.stderr)
        print("benchmark aborted: a build failed (results of this size were not written)", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit("benchmark interrupted")
    finally:
        args.trash.empty()
    print()
    print(f"Medians of {args.repeat} run(s); seed {args.seed}; {machine()['cpu_count']} CPUs; "
          f"MB = 2^20 and GB = 2^30 bytes (as du -h); site size is the disk usage of the site directory "
          f"(du -s), index size the size of the search index files.")
    print()
    print(table(all_rows))
    for e in extra_rows:
        print()
        print(f"{e['records']:,} records: {e['what']} (`{e['command']}`, exit {e['returncode']})")
        print()
        print(e["table"])


if __name__ == "__main__":
    main()
