"""Issue 20, item 1: two hosts, one product. In a virtual environment with ProperDocs 1.6 and without
MkDocs (our package and Material installed with --no-deps, as README's "只用 ProperDocs" says), `disclosure
build` makes the sample site byte-identical to the same command with MkDocs in this environment, and
`disclosure build --strict` fails on both for a record with a broken link (the host's warning counter
sees the render workers' warnings).

The environment is made once per versions (Python, pinned libraries, pyproject.toml) under the system's
temporary folder (or $DISCLOSURE_HOST_VENVS) and reused; its libraries are pinned to this environment's
versions, so the two sites can be compared byte for byte. The checkout's code runs in it via PYTHONPATH."""

from __future__ import annotations

import filecmp
import hashlib
import re
import os
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, as_from_a_terminal, copy_project, made_once

PROPERDOCS = "properdocs>=1.6.7,<1.7"
DAY = "2026-11-22"
EPOCH = "1795276800"  # 2026-11-22 00:00 Asia/Shanghai
# what our package and Material need besides `mkdocs` (pyproject.toml, Material's requirements)
DEPS = ["pyyaml", "jinja2", "markupsafe", "markdown", "nh3", "cmarkgfm", "tzdata", "chinese-calendar",
        "opencc-python-reimplemented", "numpy", "python-stdnum", "openpyxl", "python-docx", "python-pptx", "lxml",
        "pypdf", "olefile", "libarchive-c", "rarfile", "striprtf", "fpdf2", "fonttools", "pillow", "defusedxml",
        "babel", "backrefs", "colorama", "mkdocs-material-extensions", "paginate", "pygments",
        "pymdown-extensions", "requests"]
RECORD = Path("content/records/agriculture/2022-farmland-subsidy-disbursement.md")
RUN = "import sys; from site_builder.commands.cli import main; sys.exit(main(sys.argv[1:]))"


def test_a_properdocs_only_install_is_told_every_dependency():
    """README's commands for a ProperDocs-only install name our dependencies by hand (pip cannot install
    them from our metadata without `mkdocs`), and so does this file's environment: a dependency added to
    pyproject.toml and not there left such a site without the reader it brought (the README's list had
    fallen five behind)."""
    import tomllib

    def name(requirement: str) -> str:
        return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    ours = {name(d) for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
            ["dependencies"]} - {"mkdocs", "mkdocs-material"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("**只用 ProperDocs（不装 MkDocs）**"):]
    block = block[block.index("```sh"):block.index("```", block.index("```sh") + 5)]
    listed = {name(w.strip("'\"")) for w in block.split() if w not in ("pip", "install", "\\")}
    assert ours - listed == set(), "README 的“只用 ProperDocs”一节缺少这些依赖"
    assert ours - {name(d) for d in DEPS} == set()


def pinned(name: str) -> str:
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


def host_env(label: str, host: list[str], no_deps: list[str], beside_this: bool = False) -> Path:
    """A virtual environment's python, made (or reused) for these versions: `host` and our dependencies
    installed, then our package and `no_deps` without their dependencies. `beside_this`: an environment
    that sees this one's libraries (--system-site-packages) and holds only `no_deps` of its own, which
    come first on its path (another version of a library this environment has).

    Made by this environment's pip (`--python`; the venv gets none of its own) and without compiling
    every installed module (--no-compile; what a run imports is compiled then): on a fresh machine (CI)
    that was ~20 s an environment, half of it compiling modules no test imports."""
    pins = [] if beside_this else sorted(pinned(d) for d in DEPS)
    key = hashlib.sha256(repr((sys.version, host, no_deps, pins, beside_this,
                               (ROOT / "pyproject.toml").read_bytes())).encode()).hexdigest()[:16]
    base = Path(os.environ.get("DISCLOSURE_HOST_VENVS") or tempfile.gettempdir())

    def make(venv: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip",
                        *(["--system-site-packages"] if beside_this else []), venv], check=True)

        def pip(*args):
            subprocess.run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q",
                            "--disable-pip-version-check", "--no-compile", *args], check=True)

        if not beside_this:
            pip(*host, *pins)
            pip("--no-deps", ROOT, *no_deps)  # our package, for its entry points (the plugin, the command)
        else:
            pip("--no-deps", *no_deps)

    return made_once(base / f"disclosure-{label}-{key}", make) / "bin" / "python"


def properdocs_env() -> Path:
    """ProperDocs without MkDocs; Material installed without its dependencies (it would pull `mkdocs`)."""
    return host_env("properdocs", [PROPERDOCS], [pinned("mkdocs-material")])


@pytest.fixture(scope="module")
def pd_python() -> Path:
    python = properdocs_env()
    probe = subprocess.run([python, "-c", "import importlib.util as u, site_builder.host as h; "
                            "print(u.find_spec('properdocs') is not None, h.NAME, h.VERSION)"],
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split()[:2] == ["True", "properdocs"], probe.stdout
    absent = subprocess.run([python, "-c", "import mkdocs"], capture_output=True, text=True)
    assert "No module named 'mkdocs'" in absent.stderr  # MkDocs itself is not installed there
    return python


def disclosure(python, project: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run([str(python), "-c", RUN, "build", "-f", str(project / "mkdocs.yml"),
                           "--build-date", DAY, "--report-date", DAY, *args],
                          cwd=project, env=env, capture_output=True, text=True)


def differences(a: Path, b: Path) -> list[str]:
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted(fa ^ fb) + sorted(f for f in fa & fb if not filecmp.cmp(a / f, b / f, shallow=False))


def test_sample_is_byte_identical_on_properdocs_and_mkdocs(pd_python, tmp_path):
    sites = {}
    for host, python in (("mkdocs", sys.executable), ("properdocs", pd_python)):
        project = copy_project(tmp_path / f"project-{host}", caches=False)
        p = disclosure(python, project, "--strict", "-d", str(tmp_path / f"site-{host}"))
        assert p.returncode == 0, p.stdout + p.stderr
        sites[host] = tmp_path / f"site-{host}"
    assert len(list(sites["mkdocs"].rglob("*.html"))) > 300
    assert differences(sites["mkdocs"], sites["properdocs"]) == []


def test_strict_fails_on_both_hosts_for_a_broken_link_in_a_record(pd_python, tmp_path):
    for host, python in (("mkdocs", sys.executable), ("properdocs", pd_python)):
        project = copy_project(tmp_path / f"project-{host}", caches=False)
        record = project / RECORD
        record.write_text(record.read_text(encoding="utf-8") + "\n见[附件](missing-file.md)。\n", encoding="utf-8")
        p = disclosure(python, project, "--strict", "-d", str(tmp_path / f"site-{host}"))
        out = p.stdout + p.stderr
        assert p.returncode == 1, (host, out)
        # the check stage's warning (with its line) is shown, and the host's English line for the same link
        # (from the worker that renders the page, without a line) is not said too ...
        assert "“missing-file.md”指向的记录不存在" in out and "missing-file.md', but the target" not in out, (host, out)
        assert "Aborted with 1 warnings in strict mode!" in out, (host, out)  # ... and it is counted
        assert "构建失败，原有网站未被改动" in out, (host, out)
        assert not (tmp_path / f"site-{host}").exists()


def test_no_host_installed_says_what_to_install(tmp_path):
    """Neither MkDocs nor ProperDocs importable: a Chinese message naming both, no traceback."""
    code = ("import importlib.abc, sys\n"
            "class NoHost(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name.split('.')[0] in ('mkdocs', 'properdocs'):\n"
            "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
            "sys.meta_path.insert(0, NoHost())\n" + RUN.replace("; ", "\n"))
    p = subprocess.run([sys.executable, "-c", code, "build", "-f", str(ROOT / "mkdocs.yml")],
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert p.returncode == 2, p.stderr
    assert "未安装网站生成宿主" in p.stderr and "ProperDocs" in p.stderr and "MkDocs" in p.stderr
    assert "Traceback" not in p.stderr


def command(python, project: Path, *args, **popen) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=EPOCH, PYTHONIOENCODING="utf-8")
    return subprocess.run([str(python), "-c", RUN, *args], cwd=project, env=env, capture_output=True, text=True)


def test_check_and_kiosk_behave_the_same_on_both_hosts(pd_python, tmp_path):
    """`disclosure check` says the same on both hosts (clean, then with a broken record: same Chinese
    messages, same exit code); `disclosure kiosk` makes the same offline copy and zip contents."""
    said, kiosks = {}, {}
    for host, python in (("mkdocs", sys.executable), ("properdocs", pd_python)):
        project = copy_project(tmp_path / f"project-{host}", caches=False)
        clean = command(python, project, "check", "--build-date", DAY)
        assert clean.returncode == 0, (host, clean.stdout + clean.stderr)
        record = project / RECORD
        record.write_text(record.read_text(encoding="utf-8").replace("department: agriculture", "department: nowhere"),
                          encoding="utf-8")
        broken = command(python, project, "check", "--build-date", DAY)
        assert broken.returncode == 1, (host, broken.stdout + broken.stderr)
        said[host] = (clean.stdout, broken.stdout, broken.stderr)
        record.write_text(record.read_text(encoding="utf-8").replace("department: nowhere", "department: agriculture"),
                          encoding="utf-8")
        k = command(python, project, "kiosk", "-o", str(tmp_path / f"kiosk-{host}"))
        assert k.returncode == 0, (host, k.stdout + k.stderr)
        kiosks[host] = tmp_path / f"kiosk-{host}"
    assert "nowhere" in said["mkdocs"][1] + said["mkdocs"][2]
    assert said["mkdocs"] == said["properdocs"]
    assert (kiosks["mkdocs"] / "index.html").is_file()
    assert differences(kiosks["mkdocs"], kiosks["properdocs"]) == []
    # the copy's time is SOURCE_DATE_EPOCH's, not the clock's (two builds a minute apart were unequal)
    assert '<time datetime="2026-11-22T00:00:00+08:00">2026-11-22 00:00</time>' in \
        (kiosks["mkdocs"] / "index.html").read_text(encoding="utf-8")
    import zipfile
    names = [sorted(n.split("/", 1)[1] for n in zipfile.ZipFile(k.with_suffix(".zip")).namelist())
             for k in kiosks.values()]  # each zip holds its folder (kiosk-mkdocs/…, kiosk-properdocs/…)
    assert names[0] == names[1] and "index.html" in names[0]


def test_serve_previews_an_edit_on_properdocs(pd_python, tmp_path):
    """`disclosure serve` under ProperDocs (MkDocs absent): the site is served, and a saved edit to a
    record shows on its page after the rebuild."""
    import signal
    import socket
    import time
    import urllib.request

    project = copy_project(tmp_path / "project", caches=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    with as_from_a_terminal():
        proc = subprocess.Popen([str(pd_python), "-c", RUN, "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    page = f"http://127.0.0.1:{port}/" + RECORD.relative_to("content").with_suffix(".html").as_posix()

    def text_of(url):
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(needle: str, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end and proc.poll() is None:
            if needle in text_of(page):
                return True
            time.sleep(0.5)
        return False

    try:
        record = project / RECORD
        old = record.read_text(encoding="utf-8")
        title = next(line for line in old.splitlines() if line.startswith("title:"))
        assert wait_for(title.split(":", 1)[1].strip()[:8], 180), log.seek(0) or log.read()[-3000:]
        record.write_text(old.replace(title, "title: 第二宿主预览修改后的标题"), encoding="utf-8")
        assert wait_for("第二宿主预览修改后的标题", 120), log.seek(0) or log.read()[-3000:]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
    log_text = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in log_text, log_text[-3000:]


MATERIAL_OTHER = "mkdocs-material==9.7.7"  # the last 9.7: pyproject allows >=9.7,<10, CI installs the newest
HASHED = re.compile(r"\b((?:bundle|search|main|palette)\.)[0-9a-f]{8}(\.min\.(?:js|css)(?:\.map)?)")


def test_material_9_7_and_this_material_make_the_same_site_but_for_materials_own_assets(tmp_path):
    """Material 9.7 and the installed 9.8 (with MkDocs): every page, feed and data file is the same once
    Material's content-hashed asset names (main.<hash>.min.css …) are read as one; the only files that
    differ are Material's own scripts and stylesheets under assets/ (its 9.8 bundle changed)."""
    if metadata.version("mkdocs-material").startswith("9.7."):
        pytest.skip("this environment already runs Material 9.7")
    python = host_env("material97", [], [MATERIAL_OTHER], beside_this=True)  # MkDocs and the rest: this one's
    sites = {}
    for label, py in (("this", sys.executable), ("9.7", python)):
        project = copy_project(tmp_path / f"project-{label}", caches=False)
        p = disclosure(py, project, "--strict", "-d", str(tmp_path / f"site-{label}"))
        assert p.returncode == 0, p.stdout + p.stderr
        sites[label] = tmp_path / f"site-{label}"
    a, b = sites["this"], sites["9.7"]

    def names(root):
        return {HASHED.sub(r"\1HASH\2", p.relative_to(root).as_posix()): p for p in root.rglob("*") if p.is_file()}

    fa, fb = names(a), names(b)
    assert sorted(fa) == sorted(fb)
    differ = []
    for name in sorted(fa):
        x, y = fa[name].read_bytes(), fb[name].read_bytes()
        if x != y and HASHED.sub(r"\1HASH\2", x.decode("utf-8", "replace")) != HASHED.sub(r"\1HASH\2", y.decode("utf-8", "replace")):
            differ.append(name)
    assert differ and all(n.startswith(("assets/javascripts/", "assets/stylesheets/")) for n in differ), differ


def test_host_option_picks_properdocs_beside_mkdocs_and_properdocs_yml_is_found(tmp_path):
    """Both hosts installed here (the test extra has ProperDocs): `disclosure --host properdocs build`
    runs on ProperDocs and makes the same site; a project whose config is named properdocs.yml (as
    ProperDocs names it) builds without -f."""
    probe = "import site_builder.host as h, mkdocs; print(h.NAME, mkdocs.__name__)"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for wanted, expect in (("properdocs", "properdocs properdocs"), ("mkdocs", "mkdocs mkdocs"), ("", "mkdocs mkdocs")):
        p = subprocess.run([sys.executable, "-c", probe], env=dict(env, DISCLOSURE_HOST=wanted),
                           capture_output=True, text=True)
        assert p.stdout.strip() == expect, (wanted, p.stdout, p.stderr)
    bad = subprocess.run([sys.executable, "-c", probe], env=dict(env, DISCLOSURE_HOST="hugo"),
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "DISCLOSURE_HOST" in bad.stderr and "mkdocs 或 properdocs" in bad.stderr

    sites = {}
    for host in ("mkdocs", "properdocs"):
        project = copy_project(tmp_path / f"project-{host}", caches=False)
        if host == "properdocs":
            (project / "mkdocs.yml").rename(project / "properdocs.yml")
        p = command(sys.executable, project, "--host", host, "build", "--build-date", DAY, "--report-date", DAY,
                    "-d", str(tmp_path / f"site-{host}"))
        assert p.returncode == 0, (host, p.stdout + p.stderr)
        sites[host] = tmp_path / f"site-{host}"
    assert differences(sites["mkdocs"], sites["properdocs"]) == []
