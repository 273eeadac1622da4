"""Measure the sample site and a plain corpus on several hosts (MkDocs, ProperDocs, Zensical), each in
its own virtual environment; see docs/platform.md for the figures and the decision they support.

    python3 bench/hosts.py setup  WORK              # venvs WORK/v-mk (MkDocs+Material 9.8), v-mk97 (9.7),
                                                    # v-pd (ProperDocs, no MkDocs), v-zs (Zensical),
                                                    # v-mkp (MkDocs + glightbox + minify)
    python3 bench/hosts.py sample WORK              # build the sample on mk, mk97, pd (fixed dates); compare
    python3 bench/hosts.py strict WORK              # does --strict stop on a record's broken link, per host?
    python3 bench/hosts.py plugins WORK             # two real third-party plugins beside ours (issue 20 item 2)
    python3 bench/hosts.py zensical-sample WORK     # what Zensical makes of the sample
    python3 bench/hosts.py template WORK            # a listing page from front matter data, on both hosts
    python3 bench/hosts.py corpus WORK [--pages N] [--runs R]   # N plain pages: MkDocs+Material vs Zensical
    python3 bench/hosts.py search WORK              # Zensical's search over file:// in headless Chromium
    python3 bench/hosts.py compare A B              # two site folders, byte for byte (and Material-normalised)

Nothing here touches the system's or the repository's installation: every host lives in WORK.
The sample is built with build_date/report_date 2026-11-22, cache off and SOURCE_DATE_EPOCH=1795276800
(2026-11-22 00:00 Beijing time), so two builds of one commit on one host are byte-identical.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-11-22"
EPOCH = "1795276800"  # 2026-11-22 00:00 Asia/Shanghai
OUR_DEPS = ["pyyaml>=6,<7", "nh3>=0.2.17,<1", "cmarkgfm>=2024.1,<2027", "tzdata", "chinese-calendar>=1.11,<2",
            "opencc-python-reimplemented>=0.1.7,<0.2", "numpy>=1.24,<3", "python-stdnum>=1.20,<3",
            "openpyxl>=3.1,<4", "python-docx>=1.1,<2", "pypdf>=5,<8", "jinja2>=3.1,<4", "markdown>=3.5,<4"]
MATERIAL_DEPS = ["babel", "backrefs", "colorama", "mkdocs-material-extensions", "paginate", "pygments",
                 "pymdown-extensions", "requests"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # as tests/conftest.py


def run(cmd, **kw) -> subprocess.CompletedProcess:
    print("$", " ".join(str(c) for c in cmd), flush=True)
    check = kw.pop("check", False)
    return subprocess.run([str(c) for c in cmd], check=check, **kw)


def setup(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for name in ("mk", "mk97", "pd", "zs", "mkp"):
        if not (work / f"v-{name}").exists():
            run([sys.executable, "-m", "venv", work / f"v-{name}"], check=True)
    def pip(venv, *args):
        run([work / f"v-{venv}" / "bin" / "pip", "install", "-q", *args], check=True)

    pip("mk", ROOT, "mkdocs-material==9.8.2")
    pip("mk97", ROOT, "mkdocs-material==9.7.7")
    # ProperDocs without MkDocs: our package and Material without their `mkdocs` requirement
    pip("pd", "properdocs==1.6.7")
    pip("pd", "--no-deps", ROOT, "mkdocs-material==9.8.2")
    pip("pd", *MATERIAL_DEPS, *OUR_DEPS)
    pip("mkp", ROOT, "mkdocs-material==9.8.2", "mkdocs-glightbox==0.5.3", "mkdocs-minify-plugin==0.8.0")
    pip("zs", "zensical")  # the newest installable (0.0.73 on our index: later ones need zensical-ui)


def project_copy(dest: Path) -> Path:
    """The sample project with fixed dates and no cache (builds of old commits: their cache keys did not name the host)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("catalogue", "content", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("      catalogue: catalogue\n",
                        f"      catalogue: catalogue\n      build_date: '{DAY}'\n      report_date: '{DAY}'\n"
                        "      cache: false\n", 1)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


def timed(cmd, cwd: Path, env=None) -> tuple[int, float, int, str]:
    """(return code, wall seconds, peak RSS in kB, stderr tail) via /usr/bin/time -v; the tail ends with
    time's own lines (user and system CPU seconds among them)."""
    env = dict(os.environ if env is None else env)
    p = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], cwd=cwd, env=env, capture_output=True, text=True,
                       check=False)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    h, m, s = (wall.group(1) or 0, wall.group(2), wall.group(3)) if wall else (0, 0, 0)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.returncode, int(h) * 3600 + int(m) * 60 + float(s), int(rss.group(1)) if rss else 0, \
        "\n".join(p.stderr.splitlines()[-200:])


HASHED = re.compile(r"\b((?:bundle|search|main|palette)\.)[0-9a-f]{8}(\.min\.(?:js|css)(?:\.map)?)")


def compare(a: Path, b: Path) -> dict:
    """Files only in one, files that differ byte for byte, and those that still differ once Material's
    content-hashed asset names (bundle.<hash>.min.js ...) are normalised."""
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    def norm(text):
        return HASHED.sub(r"\1HASH\2", text)

    differ = sorted(f for f in fa & fb if not filecmp.cmp(a / f, b / f, shallow=False))
    still = []
    for f in differ:
        try:
            ta, tb = (a / f).read_text(encoding="utf-8"), (b / f).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            still.append(f)
            continue
        if norm(ta) != norm(tb):
            still.append(f)
    return {"files": len(fa), "only_a": sorted(fa - fb), "only_b": sorted(fb - fa), "differ": len(differ),
            "differ_after_normalising_asset_names": still, "identical": not (fa ^ fb) and not differ}


def sample(work: Path) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    out = {}
    hosts = {"mk": ["mkdocs"], "mk97": ["mkdocs"], "pd": ["properdocs"]}
    for name, exe in hosts.items():
        proj = project_copy(work / f"p-{name}")
        site = work / f"site-{name}"
        rc, wall, rss, tail = timed([work / f"v-{name}" / "bin" / exe[0], "build", "--strict", "-d", site],
                                    proj, env)
        out[name] = {"rc": rc, "seconds": wall, "peak_rss_kb": rss}
        if rc:
            print(tail)
    if not out["mk"]["rc"] and not out["pd"]["rc"]:
        c = compare(work / "site-mk", work / "site-pd")
        out["mkdocs_vs_properdocs"] = {k: v if not isinstance(v, list) else v[:20] for k, v in c.items()}
    if not out["mk"]["rc"] and not out["mk97"]["rc"]:
        c = compare(work / "site-mk", work / "site-mk97")
        out["material_98_vs_97"] = {k: v if not isinstance(v, list) else v[:40] for k, v in c.items()}
    # the disclosure CLI under ProperDocs, with ProperDocs' mkdocs.* import alias installed first
    alias = "import properdocs.replacement, sys; from site_builder.cli import main; sys.exit(main(sys.argv[1:]))"
    site = work / "site-pd-alias"
    p = run([work / "v-pd" / "bin" / "python", "-c", alias, "build", "--strict", "-d", site], cwd=work / "p-pd", env=env,
            capture_output=True, text=True)
    out["disclosure build via import properdocs.replacement"] = {
        "rc": p.returncode, "identical_to_mkdocs": p.returncode == 0 and compare(work / "site-mk", site)["identical"]}
    # the disclosure CLI under ProperDocs without MkDocs
    pd = work / "v-pd" / "bin"
    for args in (["build", "--strict", "-d", work / "site-pd-cli"], ["check"],
                 ["kiosk", "--out", work / "kiosk-pd"]):
        p = run([pd / "disclosure", *args], cwd=work / "p-pd", env=env, capture_output=True, text=True)
        out[f"disclosure {args[0]} (ProperDocs)"] = {"rc": p.returncode, "tail": p.stderr.strip().splitlines()[-1:]}
    return out


def tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def plugins(work: Path) -> dict:
    """Two real plugins from PyPI beside ours: mkdocs-minify-plugin (on_post_page) and mkdocs-glightbox
    (on_page_content wraps images in a link; on_post_page adds its CSS and JS). An image on an ordinary
    page (about.md, MkDocs' own loop) and in a record (rendered by site_builder/render.py)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    record = "records/agriculture/2022-farmland-subsidy-disbursement"
    out = {}
    for name, extra in (("without", ""), ("with", "  - glightbox\n  - minify:\n      minify_html: true\n")):
        proj = project_copy(work / f"plugins-{name}")
        for folder in ("content", "content/records/agriculture"):
            (proj / folder / "dot.png").write_bytes(tiny_png())
        for page in ("about", record):
            md = proj / "content" / f"{page}.md"
            md.write_text(md.read_text(encoding="utf-8") + "\n\n![示意图](dot.png)\n", encoding="utf-8")
        config = proj / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n" + extra, 1),
                          encoding="utf-8")
        site = work / f"plugins-site-{name}"
        p = run([work / "v-mkp" / "bin" / "mkdocs", "build", "-d", site], cwd=proj, env=env, capture_output=True,
                text=True)
        pages = {}
        for page in ("about", record, "departments/agriculture"):
            html = (site / f"{page}.html").read_text(encoding="utf-8")
            pages[page] = {"lines": html.count("\n"), "image_in_lightbox_link": 'class=glightbox' in html
                           or 'class="glightbox"' in html, "glightbox_script": "glightbox.min.js" in html}
        out[name] = {"rc": p.returncode, "csp_warnings": p.stderr.count("内联脚本或样式"), "pages": pages}
    return out


def strict(work: Path) -> dict:
    """A record linking to a missing file: does --strict stop the build on each host?"""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    alias = "import properdocs.replacement, sys; from site_builder.cli import main; sys.exit(main(sys.argv[1:]))"
    cases = {"mkdocs build --strict": ("mk", [work / "v-mk" / "bin" / "mkdocs", "build", "--strict"]),
             "disclosure build --strict (MkDocs)": ("mk", [work / "v-mk" / "bin" / "disclosure", "build", "--strict"]),
             "properdocs build --strict": ("pd", [work / "v-pd" / "bin" / "properdocs", "build", "--strict"]),
             "disclosure build --strict (ProperDocs, alias)": ("pd", [work / "v-pd" / "bin" / "python", "-c", alias,
                                                                     "build", "--strict"])}
    out = {}
    for name, (venv, cmd) in cases.items():
        proj = project_copy(work / f"strict-{venv}")
        record = proj / "content" / "records" / "agriculture" / "2022-farmland-subsidy-disbursement.md"
        record.write_text(record.read_text(encoding="utf-8") + "\n见[附件](missing-file.md)。\n", encoding="utf-8")
        p = run([*cmd, "-d", work / f"strict-site-{venv}"], cwd=proj, env=env, capture_output=True, text=True)
        text = p.stdout + p.stderr
        out[name] = {"rc": p.returncode, "warning_lines": sum("missing-file.md" in line for line in text.splitlines()),
                     "aborted": "Aborted with" in text}
    return out


def zensical_sample(work: Path) -> dict:
    """Build the sample with Zensical; while a template override of ours stops the build, note its error,
    take the override away (Material's own template is used instead) and build again."""
    proj = project_copy(work / "p-zs")
    failing = []
    for _ in range(len(list((proj / "theme").rglob("*.*"))) + 1):
        shutil.rmtree(proj / "site", ignore_errors=True)
        rc, wall, _rss, tail = timed([work / "v-zs" / "bin" / "zensical", "build", "--clean"], proj)
        error = next((line for line in reversed(tail.splitlines()) if re.match(r"\w*Error\b", line)), None)
        if not rc or error is None:
            break
        where = re.search(r"\(in ([^:()]+):\d+\)$", error)
        if not where or not (proj / "theme" / where.group(1)).is_file():
            break
        failing.append({"override": where.group(1), "error": error})
        (proj / "theme" / where.group(1)).unlink()
    site = proj / "site"
    html = len(list(site.rglob("*.html"))) if site.exists() else 0
    records = len(list((site / "records").rglob("*.html"))) if (site / "records").exists() else 0
    warnings = [line for line in tail.splitlines() if "Warning" in line]
    first = {"rc": rc, "seconds": wall}
    # a record not yet due (its date after the build day) with an event attribute in its body
    future = proj / "content" / "records" / "agriculture" / "2027-future.md"
    future.write_text("---\ntitle: 尚未到发布日期的测试信息\nindex_no: 011320514/2027-00001\ndate: 2027-03-01\n"
                      "department: agriculture\ndomains: [agri-subsidy]\nitem: agri-subsidy-farmland\ngenre: 方案\n"
                      "validity: 有效\nsummary: 测试。\n---\n正文<img src=x onerror=\"alert(1)\">。\n", encoding="utf-8")
    shutil.rmtree(site, ignore_errors=True)
    timed([work / "v-zs" / "bin" / "zensical", "build", "--clean"], proj)
    page = site / "records" / "agriculture" / "2027-future.html"
    withheld = {"published": page.exists(),
                "onerror_kept": page.exists() and 'onerror="alert(1)"' in page.read_text(encoding="utf-8")}
    future.unlink()
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    return {**first, "overrides_removed": failing, "record_not_yet_due": withheld,
            "warnings": [ansi.sub("", line).strip() for line in warnings],
            "html_files": html, "record_pages": records}


def template(work: Path) -> dict:
    """The `generate` idea on both hosts: a listing page as Markdown, its items in front matter, rendered
    by a template named in `template:`. Jinja2 resolves `page.meta.items` to dict.items (a method), so
    the key is `entries`."""
    dest = work / "template-probe"
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "docs").mkdir(parents=True)
    (dest / "overrides").mkdir()
    (dest / "mkdocs.yml").write_text("site_name: 模板测试\nuse_directory_urls: false\ntheme:\n  name: material\n"
                                     "  custom_dir: overrides\n  font: false\n", encoding="utf-8")
    (dest / "overrides" / "listing.html").write_text(
        '{% extends "main.html" %}\n{% block content %}<ul id="dx-list">{% for item in page.meta.entries %}'
        "<li>{{ item.title }}|{{ item.date }}</li>{% endfor %}</ul>{% endblock %}\n", encoding="utf-8")
    (dest / "docs" / "index.md").write_text("---\ntemplate: listing.html\nentries:\n  - {title: 甲, date: 2026-01-02}\n"
                                            "  - {title: 乙, date: 2026-02-03}\n---\n# 列表\n", encoding="utf-8")
    out = {}
    for name, cmd in (("mkdocs", [work / "v-mk" / "bin" / "mkdocs", "build", "-q", "-d", dest / "site-mk"]),
                      ("zensical", [work / "v-zs" / "bin" / "zensical", "build", "--clean"])):
        p = run(cmd, cwd=dest, capture_output=True, text=True)
        page = dest / ("site-mk" if name == "mkdocs" else "site") / "index.html"
        found = re.search(r'<ul id="dx-list">.*?</ul>', page.read_text(encoding="utf-8")) if page.exists() else None
        out[name] = {"rc": p.returncode, "list": found.group(0) if found else None}
    return out


def make_corpus(dest: Path, pages: int, offline: bool = False) -> None:
    """N plain Markdown pages in 100 folders: a heading, three paragraphs, a list and a table each."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    for i in range(pages):
        folder = docs / f"s{i % 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{i:05d}.md").write_text(
            f"# 关于第{i}号事项的通知\n\n"
            + "".join(f"各乡镇人民政府、县政府各部门：第{i}号事项第{k}段，根据有关规定，现将有关事项通知如下。"
                      f"This is paragraph {k} of page {i}.\n\n" for k in range(3))
            + "- 一、工作目标\n- 二、工作任务\n- 三、保障措施\n\n"
            + "| 项目 | 金额（万元） |\n|---|---|\n" + f"| 预算 | {i} |\n| 决算 | {i + 1} |\n",
            encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n\n语料库。\n", encoding="utf-8")
    # a nav with the home page only: every other page is built but left out of the navigation, as our
    # records are (with the automatic nav, Material writes all 10,000 entries into each of 10,000 pages)
    (dest / "mkdocs.yml").write_text(
        "site_name: 语料\nsite_url: https://example.gov.cn/\nuse_directory_urls: false\nnav:\n  - 首页: index.md\n"
        "theme:\n  name: material\n  language: zh\n  font: false\nplugins:\n  - search\n"
        + ("  - offline\n" if offline else ""), encoding="utf-8")


def corpus(work: Path, pages: int, runs: int) -> dict:
    dest = work / f"corpus-{pages}"
    make_corpus(dest, pages)
    out = {}
    for name, cmd in (("mkdocs+material 9.8", [work / "v-mk" / "bin" / "mkdocs", "build", "-q"]),
                      ("zensical", [work / "v-zs" / "bin" / "zensical", "build", "--clean"])):
        rows = []
        for _ in range(runs):
            shutil.rmtree(dest / "site", ignore_errors=True)
            shutil.rmtree(dest / ".cache", ignore_errors=True)
            rc, wall, rss, tail = timed(cmd, dest)
            cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", tail))
            rows.append((wall, rss, cpu))
            if rc:
                print(tail)
                break
        html = len(list((dest / "site").rglob("*.html"))) if (dest / "site").exists() else 0
        out[name] = {"rc": rc, "runs": len(rows), "seconds": [r[0] for r in rows],
                     "median_seconds": statistics.median(r[0] for r in rows),
                     "cpu_seconds": [round(r[2], 1) for r in rows], "load_before": os.getloadavg()[0],
                     "peak_rss_mb": round(max(r[1] for r in rows) / 1024), "html_files": html}
    return out


def search(work: Path) -> dict:
    """Build a small Zensical site with its search and offline plugins, open it in headless Chromium over
    file:// and over http://127.0.0.1 (loopback), search for 预算; record the answer and every request."""
    from playwright.sync_api import sync_playwright

    dest = work / "corpus-50"
    make_corpus(dest, 50, offline=True)
    shutil.rmtree(dest / "site", ignore_errors=True)
    run([work / "v-zs" / "bin" / "zensical", "build", "--clean"], cwd=dest, check=True)
    site = dest / "site"
    server = subprocess.Popen([sys.executable, "-m", "http.server", "18765", "--bind", "127.0.0.1"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    out = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, url in (("file", (site / "index.html").as_uri()), ("http", "http://127.0.0.1:18765/index.html")):
                page = b.new_page()
                requests, failed = [], []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.on("requestfailed", lambda r, seen=failed: seen.append(f"{r.url} {r.failure}"))
                page.goto(url)
                page.wait_for_timeout(1500)
                page.locator(".md-search__button").first.click()
                page.wait_for_timeout(500)
                page.locator("input[type=text]").first.fill("预算")
                page.wait_for_timeout(3000)
                answer = page.locator("text=/\\d+ results?|Search is unavailable.*/").first
                page.screenshot(path=str(work / f"zensical-search-{name}.png"))
                out[name] = {"answer": answer.inner_text() if answer.count() else None,
                             "other_hosts": sorted({r for r in requests if not r.startswith(("file:", "http://127.0.0.1"))}),
                             "failed": failed, "screenshot": str(work / f"zensical-search-{name}.png")}
                page.close()
            b.close()
    finally:
        server.terminate()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["setup", "sample", "strict", "plugins", "template", "zensical-sample", "corpus", "search", "compare"])
    ap.add_argument("work", type=Path)
    ap.add_argument("other", type=Path, nargs="?")
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args(argv)
    work = a.work.resolve()
    if a.what == "setup":
        setup(work)
        return 0
    result = {"sample": lambda: sample(work), "strict": lambda: strict(work), "plugins": lambda: plugins(work), "template": lambda: template(work), "zensical-sample": lambda: zensical_sample(work),
              "corpus": lambda: corpus(work, a.pages, a.runs), "search": lambda: search(work),
              "compare": lambda: compare(work, a.other.resolve())}[a.what]()
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
