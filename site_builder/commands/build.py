"""Building a site into its output folder: the MkDocs config with the disclosure plugin, the build
lock and the atomic swap (output.py), shared by `disclosure build`, `kiosk` and `check`."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from . import output


def load_config(config_file: str, **overrides):
    from .. import host  # noqa: F401  (before any mkdocs.* import: MkDocs, or ProperDocs behind its names)
    from mkdocs.config import load_config as mkdocs_load_config

    return mkdocs_load_config(config_file=config_file, **overrides)


def plugin_of(config):
    plugin = config.plugins.get("disclosure")
    if plugin is None:
        raise SystemExit(f"{config.config_file_path}: plugins 中没有 disclosure（add `- disclosure` under plugins）")
    return plugin


def project_root(config_file: str) -> Path:
    """The project folder: the folder of mkdocs.yml (one build lock per project, see output.py)."""
    return Path(config_file).resolve().parent


def build_site(config_file: str, site_dir: str | None = None, strict: bool = False,
               report_date: str | None = None, plugin_options: dict | None = None,
               locked: bool = False) -> Path:
    """Build into a temporary folder beside the target and swap it in only when the build succeeded
    (atomically where the system allows: see output.swap). `plugin_options` override the disclosure
    plugin's options from the config file (kiosk copies). Holds the project's build lock unless the
    caller already does (`locked`); raises output.BuildBusy when another build holds it."""
    config = load_config(config_file, strict=strict, **({"site_dir": site_dir} if site_dir else {}))
    if report_date:
        plugin_of(config).config.report_date = report_date
    for key, value in (plugin_options or {}).items():
        setattr(plugin_of(config).config, key, value)
    if locked:
        return _build_and_swap(config)
    with output.build_lock(project_root(config.config_file_path or config_file)):
        return _build_and_swap(config)


def _build_and_swap(config) -> Path:
    from .. import host  # noqa: F401  (before any mkdocs.* import: MkDocs, or ProperDocs behind its names)
    from mkdocs.commands.build import build

    target = Path(config.site_dir).resolve()
    umask = output.current_umask()
    plugin = config.plugins.get("disclosure")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # what earlier builds left (the site the last one replaced, a killed build's temporary folder)
        # is deleted while this one builds (tens of thousands of files): we hold the lock, so none of
        # it belongs to a running build. Its record and listing pages are taken first: the unchanged
        # ones are the files this build would link again (render/reuse.py)
        found = output.leftovers(target)
        if plugin is not None:
            plugin.reuse_pages_from(output.take_folders(found, target, plugin.pages_folders()))
        sweeper = output.Sweeper(found)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    except OSError as exc:
        raise output.OutputError(f"无法在 {target.parent} 中写入输出（{exc.strerror}）："
                                 "请检查该文件夹是否存在、是否可写") from None
    try:
        config.site_dir = str(tmp)
        build(config)
        output.publish_modes(tmp, umask)  # 0755/0644: a web server running as another user reads it
        warn(sweeper.join())
        # the replaced site is left beside the new one, for the next build to delete (see above)
        output.swap(tmp, target, target.parent / f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
    finally:
        warn(sweeper.join())
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def warn(line: str | None) -> None:
    if line:
        logging.getLogger("mkdocs.plugins.disclosure").warning(line)
