"""`disclosure`: build, preview and check a disclosure site (wraps MkDocs with our conventions)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from . import output
from ..sources.validate import load_project
from .build import build_site, load_config, plugin_of, project_root, warn  # noqa: F401 - build_site: for callers of site_builder.cli


def _project(config_file: str):
    """(MkDocs config, the disclosure plugin, the project root) for commands that don't build."""
    config = load_config(config_file)
    return config, plugin_of(config), Path(config.config_file_path).resolve().parent


def _load(config, plugin, root: Path, build_day):
    """The project read and checked as a build reads it: every file read again (no parse cache), but for
    what the privacy guard found inside a downloadable file, which the build keeps by the file's content
    (an unchanged PDF or spreadsheet is not read again: a pre-commit check of a site with thousands)."""
    return load_project(Path(config.docs_dir), root / plugin.config.catalogue, root=root,
                        records_dir=plugin.config.records_dir, config_file=Path(config.config_file_path),
                        use_directory_urls=config.use_directory_urls, theme_dir=plugin.project_theme(config),
                        hooks=plugin.project_hooks(config), build_day=build_day,
                        files_cache=cache / "privacy" if (cache := plugin.cache_folder(root)) else None)


def _build_day(given: str | None, plugin, command: str):
    """The build day: --build-date, else the plugin's build_date, else None (today, Asia/Shanghai)."""
    import datetime as dt

    text = given or plugin.config.build_date
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise SystemExit(f"disclosure {command}：构建日期“{text}”不是有效日期，应写成 YYYY-MM-DD") from None


def cmd_check(args) -> int:
    config, plugin, root = _project(args.config_file)
    converted = _fix_encodings(config, plugin, root, quiet=args.format == "json") if args.fix else []
    assigned = _fix_index_numbers(config, plugin, root, quiet=args.format == "json") if args.fix else []
    project = _load(config, plugin, root, _build_day(args.build_date, plugin, "check"))
    problems = project.problems
    errors, warnings = problems.errors, problems.warnings
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        print(json.dumps({
            "ok": not failed,
            "records": len(project.records),
            **({"assigned": [{"file": str(a.path), "index_no": a.index_no} for a in assigned],
                "converted": [{"file": str(c.path), "was": c.was} for c in converted]} if args.fix else {}),
            "errors": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
            "scheduled": [{"file": project.rel_of(r), "date": r.date_text, "index_no": r.index_no}
                          for r in project.scheduled],
        }, ensure_ascii=False, indent=1))
    else:
        for p in errors + warnings:
            print(p.format())
        for line in project.scheduled_lines():
            print(line)
        print(f"检查完毕：{len(project.records)} 条有效记录，"
              f"{len(errors)} 个错误，{len(warnings)} 个警告。"
              + ("" if not failed else " 请按提示修改后再提交。"))
    return 1 if failed else 0


def _fix_encodings(config, plugin, root: Path, quiet: bool = False) -> list:
    """`check --fix`: records, pages and catalogue files saved as GBK or UTF-16, saved again as UTF-8."""
    from .fix import convert_to_utf8

    converted = convert_to_utf8([Path(config.docs_dir), root / plugin.config.catalogue], root)
    for c in converted if not quiet else ():
        print(f"{_shown(c.path, root)}: 已从 {c.was} 编码转换为 UTF-8（内容不变）")
    if converted and not quiet:
        print(f"共转换 {len(converted)} 个文件；请提交这些文件（git add、git commit）。")
    return converted


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _fix_index_numbers(config, plugin, root: Path, quiet: bool = False, previous: dict | None = None) -> list:
    """`check --fix`: allocate the 索引号 of records saved without one (site_builder/fix.py)."""
    from ..sources.catalogue import load_catalogue
    from .fix import assign_index_numbers

    cat, _ = load_catalogue(root / plugin.config.catalogue, plugin.config.catalogue)
    assigned = assign_index_numbers(cat, Path(config.docs_dir), plugin.config.records_dir, previous, root)
    for a in assigned if not quiet else ():
        print(f"{_shown(a.path, root)}: 已分配索引号 {a.index_no}")
    if assigned and not quiet:
        print(f"共分配 {len(assigned)} 个索引号；请提交这些文件（git add、git commit）。")
    return assigned


def _why_failed(exc: BaseException, config_file: str, site_dir: str | None) -> str:
    """output.why_failed for a build of `config_file` into `site_dir` (else the config's site_dir)."""
    project = Path(config_file).resolve().parent
    if site_dir is None and output.disk_full(exc):  # which disk to name: read the config again
        try:
            site_dir = load_config(config_file).site_dir
        except Exception:  # noqa: BLE001 - the message names the usual place instead
            site_dir = str(project / "site")
    return output.why_failed(exc, Path(site_dir or project / "site"), project)


def _failed(exc: Exception, what: str, untouched: str, args, out: str | None) -> int:
    """Tell why a build (`what`) failed, inside its `except`, and that `untouched` is as it was."""
    if isinstance(exc, (output.BuildBusy, output.OutputError)):
        print(f"{what}：{exc}", file=sys.stderr)
    else:
        print(f"{what}，{untouched}：\n{_why(exc, args, out)}", file=sys.stderr)
    return 1


def _why(exc: Exception, args, out: str | None) -> str:
    """Why a build failed, inside its `except`: the lock or the output folder; content errors (MkDocs'
    errors carry the plugin's Chinese list); anything else (a full disk, a broken theme) by
    output.why_failed, with the traceback under -v. `out`: the output folder asked for."""
    from .. import host  # noqa: F401  (before any mkdocs.* import: MkDocs, or ProperDocs behind its names)
    from mkdocs.exceptions import BuildError, MkDocsException

    if isinstance(exc, (output.BuildBusy, output.OutputError)):
        return str(exc)
    if isinstance(exc, MkDocsException):
        # MkDocs logs a plugin's error (the content errors, in Chinese) and then gives up with its own
        # "Aborted with a BuildError!": point at the list rather than end on that
        return "原因见上面列出的错误（see the errors above）" if isinstance(exc.__context__, BuildError) else str(exc)
    if args.verbose:
        import traceback

        traceback.print_exc()
    return f"{_why_failed(exc, args.config_file, out)}\n（加 -v 查看详细信息）"


def cmd_build(args) -> int:
    _setup_logging(args.verbose, own_lines=True)
    started = time.monotonic()
    try:
        target = build_site(args.config_file, args.site_dir, args.strict, args.report_date,
                            plugin_options={"build_date": args.build_date} if args.build_date else None)
    except Exception as exc:  # a template or theme mistake, a full disk …: still nothing half-written
        return _failed(exc, "构建失败", "原有网站未被改动（build failed; the previous site is untouched）",
                       args, args.site_dir)
    print(f"网站已生成（{time.monotonic() - started:.1f} 秒）：{target / 'index.html'}")
    print("用浏览器直接打开上面的文件即可浏览（open it in a browser; no server needed）。")
    return 0


def cmd_new(args) -> int:
    from . import scaffold
    from ..sources.catalogue import load_catalogue

    config, plugin, root = _project(args.config_file)
    cat, problems = load_catalogue(root / plugin.config.catalogue, plugin.config.catalogue)
    if problems.errors:
        print(f"注意：公开事项目录有 {len(problems.errors)} 个错误（运行 disclosure check 查看）。", file=sys.stderr)
    choices = scaffold.Choices(department=args.department, domain=args.domain, item=args.item, title=args.title,
                               date=args.date, tags=scaffold.split_tags(args.tags or ""),
                               tags_given=args.tags is not None, doc_no=args.doc_no, genre=args.genre,
                               summary=args.summary, validity=args.validity, doc_type=args.doc_type,
                               attach=args.attach or [])
    ask = input if sys.stdin.isatty() and not args.no_input else None
    try:
        new = scaffold.create(cat, Path(config.docs_dir) / plugin.config.records_dir, choices, ask=ask)
    except scaffold.UsageError as exc:
        print(f"disclosure new：{exc}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，未创建文件。", file=sys.stderr)
        return 2
    def shown(path: Path):
        try:
            return path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return path

    print(f"已创建：{shown(new.path)}")
    print(f"索引号：{new.index_no}")
    for a in new.attachments:
        print(f"附件已复制：{shown(a)}")
    print("下一步：用编辑器打开上面的文件撰写正文，然后运行 disclosure check 检查。")
    return 0


def cmd_report(args) -> int:
    import datetime as dt

    from ..plan import gazette, report
    from ..sources.dates import SHANGHAI
    from ..plan.index import build_index

    config, plugin, root = _project(args.config_file)
    build_day = _build_day(args.build_date, plugin, "report") or dt.datetime.now(SHANGHAI).date()
    given = args.date or plugin.config.report_date
    try:
        ref = dt.date.fromisoformat(str(given).strip()) if given else build_day
    except ValueError:
        print(f"disclosure report：统计日期“{given}”不是有效日期，应写成 YYYY-MM-DD", file=sys.stderr)
        return 2
    project = _load(config, plugin, root, build_day)
    rep = report.build_report(build_index(project.catalogue, project.records), ref, annual=project.annual_reports,
                              feedback_days=plugin.config.consultation_feedback_days)
    rep.notes += gazette.report_flags(project.gazette, ref, plugin.config.gazette_title)  # 政府公报: < 4 issues a year
    errors = project.problems.errors
    if args.format == "json":
        data = rep.as_dict()
        data["content_errors"] = len(errors)
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(report.format_text(rep, project.catalogue), end="")
    status = 0
    if errors:
        print(f"注意：内容有 {len(errors)} 个错误，报告只统计了通过检查的记录；运行 disclosure check 查看。",
              file=sys.stderr)
        status = 1
    for gate in args.fail_on or []:
        bad = [r.item.id for r in rep.items if r.status.status == gate]
        if bad:
            label = report.STATUS_LABELS[gate]
            print(f"--fail-on {gate}：{len(bad)} 个公开事项{label}：{', '.join(bad)}", file=sys.stderr)
            status = 1
    return status


def cmd_kiosk(args) -> int:
    from . import kiosk

    _setup_logging(args.verbose, own_lines=True)
    started = time.monotonic()
    try:
        target, archive = kiosk.build_kiosk(args.config_file, args.out, idle_seconds=args.idle_seconds,
                                            strict=args.strict, make_zip=not args.no_zip)
    except Exception as exc:  # a full disk, a broken theme: still nothing half-written
        return _failed(exc, "离线版生成失败", "原有离线版未被改动（kiosk build failed; the previous copy is untouched）",
                       args, args.out)
    print(f"查阅点离线版已生成（{time.monotonic() - started:.1f} 秒）：{target / 'index.html'}")
    if archive is not None:
        print(f"压缩包：{archive}（{archive.stat().st_size / 1048576:.1f} MB；解压后打开其中的 index.html）")
    return 0


def cmd_admin(args) -> int:
    """The web form over this checkout: decap-server + preview server + 索引号 and rebuild on save."""
    import signal

    from . import admin_server

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        # decap-server writes into the checkout for anyone who can reach it: never beyond this machine
        print("disclosure admin：--host 只能是本机地址（127.0.0.1、localhost 或 ::1）；多人在线录入请用"
              " GitHub / GitLab / Gitea 后端（见 docs/editors.md）。", file=sys.stderr)
        return 2
    _setup_logging(args.verbose, own_lines=True)  # the builds' lines as `disclosure build` says them
    config, plugin, root = _project(args.config_file)
    exe = admin_server.find_proxy([root, Path(__file__).resolve().parents[2]])
    if exe is None:
        print("disclosure admin：未找到 decap-server（Decap CMS 的本地代理）。请先在项目目录运行 npm ci"
              "（scripts/setup.sh 会运行它），再运行本命令。", file=sys.stderr)
        return 2
    site = root / ".cache" / "disclosure" / "admin-site"
    options = {"admin": True, "admin_proxy_port": args.proxy_port}
    watched = [Path(config.docs_dir), root / plugin.config.catalogue]
    numbered: dict = {}  # what this session allocated: a form saving a stale copy gets the same number back
    serving = False  # the preview is up: a failed build leaves the last site in it

    def build() -> bool:
        started = time.monotonic()
        try:
            build_site(args.config_file, str(site), plugin_options=options)
        except Exception as exc:  # content errors (with file and line) or a broken theme: keep the last site
            kept = "网站未更新（预览仍是上一次的网站）" if serving else "网站未生成"
            print(f"{kept}：\n{_why(exc, args, str(site))}", file=sys.stderr, flush=True)
            return False
        print(f"网站已更新（{time.monotonic() - started:.1f} 秒）。", flush=True)
        return True

    watcher = admin_server.Watcher(watched, lambda: _fix_index_numbers(config, plugin, root, previous=numbered), build)
    if not watcher.rebuild():
        print("请先按上面的提示改正，再运行 disclosure admin。", file=sys.stderr)
        return 1
    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill`: stop decap-server and the preview server too
    proxy = admin_server.start_proxy(exe, root, args.proxy_port, args.host)
    try:
        httpd = admin_server.start_preview(site, args.host, args.port)
    except OSError as exc:
        proxy.terminate()
        proxy.wait(10)
        print(f"disclosure admin：端口 {args.port} 无法使用（{exc.strerror}），请用 --port 换一个。", file=sys.stderr)
        return 2
    serving = True
    base = f"http://{args.host}:{args.port}/"
    print(f"信息录入：{base}admin/   网站预览：{base}\n"
          f"保存的信息直接写入 {Path(config.docs_dir)}；新信息的索引号会自动分配。检查无误后用 git 提交。"
          "按 Ctrl-C 停止。", flush=True)
    try:
        while True:
            time.sleep(admin_server.POLL_SECONDS)
            if proxy.poll() is not None:
                print("decap-server 意外退出，已停止。", file=sys.stderr)
                return 1
            watcher.poll()
    except KeyboardInterrupt:
        print("\n已停止。")
    finally:
        httpd.shutdown()
        proxy.terminate()
        try:
            proxy.wait(10)
        except subprocess.TimeoutExpired:
            proxy.kill()
    return 0


def cmd_serve(args) -> int:
    from .preview import serve  # MkDocs' live-reload server, with a Chinese error page (see preview.py)

    _setup_logging(args.verbose, own_lines=True)
    serve(config_file=args.config_file, dev_addr=args.dev_addr)
    return 0


class HostProgress(logging.Filter):
    """The host's own progress lines, in English, which `disclosure build`, `kiosk` and `serve` say in
    Chinese (生成完毕 …, 网站已生成 …, 正在生成预览……, 预览地址 …): dropped, but for the preview's reload, said in
    Chinese. One named the temporary folder a site is built in before the swap, another the preview's.
    Shown as they are with -v."""

    SAID = {"Cleaning site directory": None, "Building documentation to directory: ": None,
            "Documentation built in ": None, "Watching paths for changes: ": None, "Serving on ": None,
            "Detected file changes": None, "Reloading browsers": "已刷新打开预览的浏览器"}
    _LINE = re.compile(r"(\[\d\d:\d\d:\d\d\] )?(" + "|".join(map(re.escape, SAID)) + ")")  # the preview's have a time

    def filter(self, record: logging.LogRecord) -> bool:
        said = self._LINE.match(record.getMessage()) if record.levelno == logging.INFO else None
        if said is None:
            return True
        chinese = self.SAID[said.group(2)]
        if chinese is None:
            return False
        record.msg, record.args = (said.group(1) or "") + chinese, ()
        return True


def _setup_logging(verbose: bool, own_lines: bool = False) -> None:
    """`own_lines`: the command says in Chinese where the site went and how long it took (HostProgress)."""
    handler = logging.StreamHandler()
    handler.name = "disclosure-cli"
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    if own_lines and not verbose:
        handler.addFilter(HostProgress())
    from .. import host

    root = host.root_logger()  # the host's: where its --strict counter is (mkdocs or properdocs)
    for old in [h for h in root.handlers if h.name == handler.name]:
        root.removeHandler(old)  # main() called again in one process: one line each, on today's stderr
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


def default_config_file(folder: Path) -> str:
    """mkdocs.yml, or properdocs.yml when only that one is there (ProperDocs' own name for it)."""
    if not (folder / "mkdocs.yml").exists() and (folder / "properdocs.yml").exists():
        return "properdocs.yml"
    return "mkdocs.yml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="disclosure", description="政务公开网站生成工具 (disclosure site builder)")
    parser.add_argument("--host", choices=("mkdocs", "properdocs"), dest="site_host",
                        help="网站生成宿主（默认：装了 MkDocs 就用它，否则用 ProperDocs；见 docs/platform.md）")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("-f", "--config-file", default=None,
                       help="配置文件（默认 mkdocs.yml；没有它而有 properdocs.yml 时用后者）")

    p = sub.add_parser("build", help="生成网站到 site/（原子替换：失败时保留上一次的网站）")
    common(p)
    p.add_argument("-d", "--site-dir", help="输出目录（默认取 mkdocs.yml 的 site_dir）")
    p.add_argument("-s", "--strict", action="store_true", help="有警告也视为失败")
    p.add_argument("--report-date", metavar="YYYY-MM-DD", help="公开情况页的统计日期（默认为构建日期）")
    p.add_argument("--build-date", metavar="YYYY-MM-DD",
                   help="构建日期（默认今天，北京时间）：日期晚于它的记录定时发布，本次不发布")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("kiosk", help="生成查阅点离线版（触摸屏、无网络，从本地磁盘打开）及其压缩包")
    common(p)
    p.add_argument("-o", "--out", default="kiosk", help="输出目录（默认 kiosk/；压缩包写在旁边：kiosk.zip）")
    p.add_argument("--idle-seconds", type=int, default=120, metavar="N",
                   help="无人操作 N 秒后回到首页（默认 120；0 表示不自动返回）")
    p.add_argument("--no-zip", action="store_true", help="不生成压缩包")
    p.add_argument("-s", "--strict", action="store_true", help="有警告也视为失败")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_kiosk)

    p = sub.add_parser("serve", help="本地预览，修改后自动刷新")
    common(p)
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("admin", help="信息录入页面（网页表单）：在本机打开 admin/，保存的信息直接写入本仓库")
    common(p)
    p.add_argument("--host", default="127.0.0.1", help="只在本机访问（默认 127.0.0.1）")
    p.add_argument("-p", "--port", type=int, default=8000, help="预览网站的端口（默认 8000）")
    p.add_argument("--proxy-port", type=int, default=8081, help="Decap 本地代理 decap-server 的端口（默认 8081）")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_admin)

    p = sub.add_parser("check", help="只检查目录和记录，不生成网站")
    common(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("-s", "--strict", action="store_true", help="有警告也返回非零")
    p.add_argument("--build-date", metavar="YYYY-MM-DD", help="按哪一天检查（默认今天，北京时间）")
    p.add_argument("--fix", action="store_true",
                   help="先把存成 GBK 或 UTF-16 的记录、页面和目录文件转换为 UTF-8，为没有索引号的记录"
                        "（例如在录入页面 admin/ 新建的）分配下一个索引号并写入文件，再检查")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="新建一条公开信息：分配索引号并写好元数据（缺少的选项会逐项询问）")
    common(p)
    p.add_argument("--department", help="发布机构 id（见 catalogue/departments.yml）")
    p.add_argument("--domain", help="重点领域 id（默认取公开事项所属领域）")
    p.add_argument("--item", help="公开事项 id（见 catalogue/items.yml）")
    p.add_argument("--title", help="信息名称（标题）")
    p.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天，北京时间）")
    p.add_argument("--tags", help="主题词，多个用逗号或顿号分隔")
    p.add_argument("--doc-no", help="文号，例如 云政办发〔2026〕1号（年份用六角括号〔〕）")
    p.add_argument("--genre", help="体裁：通知、公告、意见、办法、报告……")
    p.add_argument("--summary", help="内容概述（一两句话；默认取正文第一段）")
    p.add_argument("--validity", help="有效性：有效 | 失效 | 废止")
    p.add_argument("--doc-type", help="文件类型（政策文件库）：规章 | 行政规范性文件 | 其他政策文件")
    p.add_argument("--attach", action="append", metavar="FILE",
                   help="附件：复制到记录旁的 files/ 文件夹并写入 attachments（可重复）")
    p.add_argument("--no-input", action="store_true", help="不询问：缺少选项时直接报错（用于脚本）")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("report", help="公开情况报告：各公开事项是否已公开、是否逾期，各机构和领域的完成率")
    common(p)
    p.add_argument("--date", help="统计日期 YYYY-MM-DD（默认为构建日期）")
    p.add_argument("--build-date", metavar="YYYY-MM-DD", help="构建日期（默认今天，北京时间）：晚于它的记录不计入")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--fail-on", action="append", choices=["overdue", "missing"],
                   help="有公开事项处于该状态时返回非零（可重复），用于持续集成")
    p.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    if args.config_file is None:
        args.config_file = default_config_file(Path.cwd())
    if args.site_host:
        os.environ["DISCLOSURE_HOST"] = args.site_host  # read by site_builder/host.py, here and in any child
    try:
        # the host first (MkDocs, or ProperDocs behind the mkdocs.* names), before any command imports it
        from .. import host  # noqa: F401
    except ImportError as exc:  # host.HostMissing: neither is installed (the message says what to install)
        print(f"disclosure {args.command}：{exc}", file=sys.stderr)
        return 2
    rc = args.func(args)
    if argv is None and args.command in ("build", "kiosk"):
        # run from the shell: skip the interpreter's teardown, which frees every record and page
        # object one by one (half a second at 10,000 records); output is flushed first
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(rc)
    return rc


if __name__ == "__main__":
    sys.exit(main())
