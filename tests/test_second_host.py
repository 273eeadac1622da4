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
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

PROPERDOCS = "properdocs>=1.6.7,<1.7"
DAY = "2026-11-22"
EPOCH = "1795276800"  # 2026-11-22 00:00 Asia/Shanghai
# what our package and Material need besides `mkdocs` (pyproject.toml, Material's requirements)
DEPS = ["pyyaml", "jinja2", "markupsafe", "markdown", "nh3", "cmarkgfm", "tzdata", "chinese-calendar",
        "opencc-python-reimplemented", "numpy", "python-stdnum", "openpyxl", "python-docx", "pypdf",
        "babel", "backrefs", "colorama", "mkdocs-material-extensions", "paginate", "pygments",
        "pymdown-extensions", "requests"]
RECORD = Path("content/records/agriculture/2022-farmland-subsidy-disbursement.md")
RUN = "import sys; from site_builder.commands.cli import main; sys.exit(main(sys.argv[1:]))"


def pinned(name: str) -> str:
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


def properdocs_env() -> Path:
    """The ProperDocs-only environment's python, made (or reused) for these versions."""
    material = pinned("mkdocs-material")
    pins = sorted(pinned(d) for d in DEPS)
    key = hashlib.sha256(repr((sys.version, PROPERDOCS, material, pins,
                               (ROOT / "pyproject.toml").read_bytes())).encode()).hexdigest()[:16]
    base = Path(os.environ.get("DISCLOSURE_HOST_VENVS") or tempfile.gettempdir())
    venv = base / f"disclosure-properdocs-{key}"
    python = venv / "bin" / "python"
    base.mkdir(parents=True, exist_ok=True)
    with open(base / f"disclosure-properdocs-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one maker at a time; the others wait and reuse it
        if (venv / "ready").exists():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)

        def pip(*args):
            subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *args],
                           check=True)

        pip(PROPERDOCS, *pins)
        # our package (for its entry points: the plugin, the command) and Material, without `mkdocs`
        pip("--no-deps", ROOT, material)
        (venv / "ready").write_text("ok\n")
    return python


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
        project = copy_project(tmp_path / f"project-{host}")
        p = disclosure(python, project, "--strict", "-d", str(tmp_path / f"site-{host}"))
        assert p.returncode == 0, p.stdout + p.stderr
        sites[host] = tmp_path / f"site-{host}"
    assert len(list(sites["mkdocs"].rglob("*.html"))) > 300
    assert differences(sites["mkdocs"], sites["properdocs"]) == []


def test_strict_fails_on_both_hosts_for_a_broken_link_in_a_record(pd_python, tmp_path):
    for host, python in (("mkdocs", sys.executable), ("properdocs", pd_python)):
        project = copy_project(tmp_path / f"project-{host}")
        record = project / RECORD
        record.write_text(record.read_text(encoding="utf-8") + "\n见[附件](missing-file.md)。\n", encoding="utf-8")
        p = disclosure(python, project, "--strict", "-d", str(tmp_path / f"site-{host}"))
        out = p.stdout + p.stderr
        assert p.returncode == 1, (host, out)
        assert "missing-file.md" in out, (host, out)  # the worker's warning is shown ...
        assert "Aborted with 1 warnings in strict mode!" in out, (host, out)  # ... and counted
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
