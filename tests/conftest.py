"""Shared fixtures: the sample site built once per session, throw-away projects, and Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

# a record that checks clean in the sample project (tests change one line of it at a time)
GOOD_RECORD = """---
title: 云溪县财政局测试记录
index_no: 011320503/2024-09999
date: 2024-01-02
department: finance
domains: [fiscal]
item: fiscal-general-budget
---
正文第一段。
"""


def copy_project(dest: Path, caches: bool = True) -> Path:
    """A copy of the sample project (catalogue, content, theme, mkdocs.yml) that a test may change.
    With `caches`, the copy holds the `.cache/disclosure/` an editor's project has after a build: that of
    a copy built once per run (caches_made), copied with its files' times (its cached pages linked),
    so a build of the copy renders only what the test changed (~1.2 s here instead of 3.5–5 s from
    nothing) and goes through the caches as an editor's builds do. Without (tests of the caches
    themselves, and of byte-for-byte equality across hosts, where a page cached by one build must not
    stand in for another), only the policy library's generated Word and PDF files and the fold tables
    are there (policy_files_made)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("catalogue", "content", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if caches:
        # copies, but for the cached pages: a build writes bodies.sqlite in place. A cached page it only
        # ever links or replaces (caches.PageCache), so the pages (1,000 files, 16 of the caches' 28 MB, and
        # ~230 copies a run) are hard links to the session's; cached_pages_kept checks that no test wrote
        # into one through a published page
        _copy_caches(caches_made(), dest / ".cache/disclosure")
        return dest
    return _with_made_files(dest)


def _copy_caches(made: Path, dest: Path) -> None:
    """A copy of the caches `made` with their files' times, the cached pages hard links, by `cp` where the
    system has it (a third of shutil.copytree's time for the caches' ~2,000 files)."""
    dest.mkdir(parents=True)
    others = [str(made / name) for name in os.listdir(made) if name != "pages"]
    cp = shutil.which("cp")
    if cp is None:
        for name in map(Path, others):
            (shutil.copytree if name.is_dir() else shutil.copy2)(name, dest / name.name)
        shutil.copytree(made / "pages", dest / "pages", copy_function=os.link)
        return
    subprocess.run([cp, "-a", *others, str(dest)], check=True)
    subprocess.run([cp, "-al", str(made / "pages"), str(dest / "pages")], check=True)


def failed_check(project: Path, day: str, capsys) -> dict[tuple[str, int, str], str]:
    """`disclosure check --format json` on `project` on `day`, which must fail: every problem as
    {(file, line, level): "message → hint"}."""
    from site_builder.commands.cli import main

    capsys.readouterr()  # what the test printed before is not the check's output
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--format", "json", "--build-date", day]) == 1
    out = json.loads(capsys.readouterr().out)
    return {(p["file"], p["line"], p["level"]): p["message"] + " → " + p["hint"] for p in out["errors"] + out["warnings"]}


def assert_problem(found: dict, file: str, line: int, fragment: str, level: str = "error") -> None:
    msg = found.get((file, line, level), "")
    assert fragment in msg, f"{file}:{line} {level} {fragment!r} not in {sorted(found.items())}"


SHARED = "DISCLOSURE_TESTS_SHARED"  # the run's folder for what its processes make once (made_once)
_OWN_SHARED: list[Path] = []  # that folder, when this process made it (and removes it at the end)


def pytest_configure(config):
    """The run's shared folder, named in the environment before pytest-xdist starts its workers, which
    inherit it: what the session makes once (policy_files_made, caches_made) is made by one process of
    the run, the other waits for it (~14 s of CPU each, on a machine whose two cores the suite keeps busy)."""
    shared_folder()


def shared_folder() -> Path:
    if not os.environ.get(SHARED):
        import tempfile

        _OWN_SHARED.append(Path(tempfile.mkdtemp(prefix="disclosure-tests-")))
        os.environ[SHARED] = str(_OWN_SHARED[0])
    return Path(os.environ[SHARED])


def made_once(folder: Path, make) -> Path:
    """`folder`, which `make(folder)` fills: the first process to ask makes it, the others (pytest-xdist's,
    or a later run's when the folder outlives the run) wait for it and take it as made."""
    import fcntl

    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            if not (folder / ".made").exists():
                shutil.rmtree(folder, ignore_errors=True)  # a maker that failed half-way
                folder.mkdir(parents=True)
                make(folder)
                (folder / ".made").touch()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return folder


def policy_files_made() -> Path:
    """The sample's generated Word/PDF versions (policy library), made once per run, and the search's
    fold tables beside them (../fold): a PDF takes about a second (font subsetting), the tables ~0.3 s, and
    every build of a fresh copy would make all of them again. The cache is keyed by each record's content
    and the code (outputs/policyfiles.py), so a test that changes a document still gets a new file;
    tests/test_policy_library.py checks the files and the cache (test_search_core.py the tables')."""

    def make(base: Path) -> None:
        from site_builder import pipeline
        from site_builder.outputs import policyfiles
        from site_builder.plan.index import build_index
        from site_builder.sources.validate import load_project

        p = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
        policyfiles.write_files(base / "site", build_index(p.catalogue, p.records), base / "cache")
        (base / "cache/policyfiles").mkdir(parents=True, exist_ok=True)
        pipeline.use_fold_tables(base / "cache")  # the search's fold tables too (cache/fold/), as a build keeps them

    return made_once(shared_folder() / "policy-files", make) / "cache/policyfiles"


def cold_copy(project: Path, dest: Path) -> Path:
    """A copy of `project` as it is now, for a build from nothing: without its `.cache/`, but for the
    policy library's generated Word and PDF files and the fold tables made once per run (what a copy
    without caches gets, policy_files_made). Those are kept by their content (a record's text is in the
    key: test_policy_library guards it); a build with `cache: false` made them again, ~7 s here."""
    shutil.copytree(project, dest, symlinks=True, ignore=lambda folder, names: [".cache"] if Path(folder) == project else [])
    return _with_made_files(dest)


def _with_made_files(project: Path) -> Path:
    """`project` given the policy library's files and the fold tables made once per run (hard links;
    what it has of them already is kept)."""
    made = policy_files_made()
    for src, name in ((made, "policyfiles"), (made.parent / "fold", "fold")):
        shutil.copytree(src, project / ".cache/disclosure" / name, copy_function=_link_unless_there,
                        dirs_exist_ok=True)
    return project


def _link_unless_there(src: str, dest: str) -> None:
    if not os.path.exists(dest):
        os.link(src, dest)


def caches_made() -> Path:
    """The `.cache/disclosure/` of a copy of the sample project built once per run (without caches but
    those of policy_files_made), for copy_project to copy. Built on today's date, pinned (caches_day): a
    build of a copy after midnight in Shanghai is still comparable with it."""
    return _caches_built() / "project/.cache/disclosure"


def caches_day() -> str:
    """The build day of the session's caches (caches_made), YYYY-MM-DD."""
    return (_caches_built() / "day").read_text(encoding="ascii")


def _caches_built() -> Path:
    """The folder of the run's build for caches_made: the project, the day it was built on and its cached
    pages' stamps as made (for cached_pages_kept in every process)."""

    def make(base: Path) -> None:
        from site_builder.commands.build import build_site
        from site_builder.sources.validate import today

        project = copy_project(base / "project", caches=False)
        day = today().isoformat()
        build_site(str(project / "mkdocs.yml"), site_dir=str(base / "site"), plugin_options={"build_date": day})
        shutil.rmtree(base / "site")
        (base / "day").write_text(day, encoding="ascii")
        (base / "pages-made.json").write_text(json.dumps(_stamps(project / ".cache/disclosure/pages")), encoding="utf-8")

    folder = made_once(shared_folder() / "caches", make)
    if not _PAGES_MADE:
        _PAGES_MADE.update({name: tuple(stamp) for name, stamp in
                            json.loads((folder / "pages-made.json").read_text(encoding="utf-8")).items()})
    return folder


_PAGES_MADE: dict[str, tuple[int, int]] = {}  # the session's cached pages as made: (size, mtime) by name


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    stamps = {}
    for sub, _, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(sub, name))
            stamps[os.path.join(sub, name)] = (st.st_size, st.st_mtime_ns)
    return stamps


@pytest.fixture(scope="module", autouse=True)
def cached_pages_kept(request):
    """After each test file: the session's cached pages, which every copy_project links, are as they were
    made. A test that edits a published page in place (writing into its file, not replacing it) writes
    into them through the links: such a test takes a project without caches (the `cold_caches` mark).
    (Per file, not per test: a look at the 1,000 files takes ~20 ms.)"""
    yield
    if _PAGES_MADE:
        now = _stamps(caches_made() / "pages")
        changed = sorted(name for name, stamp in _PAGES_MADE.items() if now.get(name) != stamp)
        if changed:
            _PAGES_MADE.update(now)  # told once
            pytest.fail(f"a test in {request.node.nodeid} (or one the other process ran meanwhile) wrote into the "
                        f"session's cached pages {changed[:3]}: a "
                        "test that edits a published page in place takes a project without caches "
                        "(@pytest.mark.cold_caches, or copy_project(..., caches=False))")


def pytest_unconfigure(config):
    """The run's shared folder goes with the process that made it (pytest-xdist's controller, after its
    workers): tests hold copies and hard links, not the folder."""
    for made in _OWN_SHARED:
        shutil.rmtree(made, ignore_errors=True)
    if _OWN_SHARED:
        os.environ.pop(SHARED, None)


@contextlib.contextmanager
def as_from_a_terminal():
    """Children started inside get SIGINT at its default, as a command started in a terminal has it. A
    runner started in the background (`&`, nohup, some CI) ignores SIGINT and its children inherit that:
    `disclosure serve` would then not stop on the Ctrl+C a test sends, and the test would wait out its
    timeout instead of seeing it stop."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def start_server(directory: Path, argv=None):
    """A web server for `directory` on 127.0.0.1 and a free port: `python -m http.server`, or the command
    `argv(port)` gives. Returns (process, base URL) once it answers; the caller terminates the process."""
    for _attempt in range(5):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = argv(port) if argv else [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                       "--directory", str(directory)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return proc, f"http://127.0.0.1:{port}/"
            except OSError:
                time.sleep(0.05)
        proc.kill()
        proc.wait()
    pytest.fail("could not start a local web server")


@contextlib.contextmanager
def the_sample_project():
    """Held while a test builds the sample project itself (not a copy): the suite runs in two processes
    (pytest-xdist), and a second build of one project stops at once (commands/output.py: build_lock), so
    the other process waits here for its turn instead."""
    import fcntl
    import tempfile

    with open(Path(tempfile.gettempdir()) / f"disclosure-tests-{os.getuid()}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            # a fresh clone (CI) has no caches: what the session made already is not made again (~7 s)
            _with_made_files(ROOT)
            yield ROOT / "mkdocs.yml"
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site, built once with --strict into a temporary folder; returns the site dir."""
    from site_builder.commands.cli import build_site

    out = tmp_path_factory.mktemp("sample") / "site"
    with the_sample_project() as config:
        return build_site(str(config), site_dir=str(out), strict=True)


@pytest.fixture(scope="session")
def kiosk_copy(tmp_path_factory) -> Path:
    """The sample site's kiosk copy, built once through the CLI (`disclosure kiosk --out DIR`); returns DIR
    (DIR.zip lies beside it)."""
    from site_builder.commands.cli import main

    out = tmp_path_factory.mktemp("kiosk") / "kiosk"
    with the_sample_project() as config:
        assert main(["kiosk", "-f", str(config), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (git-ignored): screenshots and PDFs for a person to look at."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def records(sample_site) -> list[dict]:
    """The sample site's data/records.json."""
    return json.loads((sample_site / "data/records.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def catalogue(sample_site) -> dict:
    """The sample site's data/catalogue.json."""
    return json.loads((sample_site / "data/catalogue.json").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path, request) -> Path:
    """A copy of the sample project, with its caches unless the test is marked `cold_caches`."""
    return copy_project(tmp_path / "project", caches=request.node.get_closest_marker("cold_caches") is None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium` (scripts/setup.sh does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()
