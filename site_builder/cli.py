"""`disclosure`: build, preview and check a disclosure site (wraps MkDocs with our conventions)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .validate import load_project


def _load_config(config_file: str, **overrides):
    from mkdocs.config import load_config

    return load_config(config_file=config_file, **overrides)


def _plugin(config):
    plugin = config.plugins.get("disclosure")
    if plugin is None:
        raise SystemExit(f"{config.config_file_path}: plugins 中没有 disclosure（add `- disclosure` under plugins）")
    return plugin


def cmd_check(args) -> int:
    config = _load_config(args.config_file)
    plugin = _plugin(config)
    root = Path(config.config_file_path).resolve().parent
    project = load_project(Path(config.docs_dir), root / plugin.config.catalogue, root=root,
                           records_dir=plugin.config.records_dir)
    problems = project.problems
    errors, warnings = problems.errors, problems.warnings
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        print(json.dumps({
            "ok": not failed,
            "records": len(project.records),
            "errors": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
        }, ensure_ascii=False, indent=1))
    else:
        for p in errors + warnings:
            print(p.format())
        print(f"检查完毕：{len(project.records)} 条有效记录，"
              f"{len(errors)} 个错误，{len(warnings)} 个警告。"
              + ("" if not failed else " 请按提示修改后再提交。"))
    return 1 if failed else 0


def build_site(config_file: str, site_dir: str | None = None, strict: bool = False) -> Path:
    """Build into a temporary folder beside the target and swap it in only when the build succeeded."""
    from mkdocs.commands.build import build

    config = _load_config(config_file, strict=strict, **({"site_dir": site_dir} if site_dir else {}))
    target = Path(config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        config.site_dir = str(tmp)
        build(config)
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def cmd_build(args) -> int:
    from mkdocs.exceptions import MkDocsException

    _setup_logging(args.verbose)
    started = time.monotonic()
    try:
        target = build_site(args.config_file, args.site_dir, args.strict)
    except MkDocsException as exc:
        print(f"构建失败，原有网站未被改动（build failed; the previous site is untouched）：\n{exc}", file=sys.stderr)
        return 1
    print(f"网站已生成（{time.monotonic() - started:.1f} 秒）：{target / 'index.html'}")
    print("用浏览器直接打开上面的文件即可浏览（open it in a browser; no server needed）。")
    return 0


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve

    _setup_logging(args.verbose)
    serve(config_file=args.config_file, dev_addr=args.dev_addr, livereload=True)
    return 0


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="disclosure", description="政务公开网站生成工具 (disclosure site builder)")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")

    p = sub.add_parser("build", help="生成网站到 site/（原子替换：失败时保留上一次的网站）")
    common(p)
    p.add_argument("-d", "--site-dir", help="输出目录（默认取 mkdocs.yml 的 site_dir）")
    p.add_argument("-s", "--strict", action="store_true", help="有警告也视为失败")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="本地预览，修改后自动刷新")
    common(p)
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("check", help="只检查目录和记录，不生成网站")
    common(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("-s", "--strict", action="store_true", help="有警告也返回非零")
    p.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
