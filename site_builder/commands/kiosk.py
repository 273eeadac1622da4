"""`disclosure kiosk`: the kiosk copy (查阅点离线版) built like `disclosure build`, and its zip.

What makes a copy offline (links, images, the network check) is site_builder/render/offline.py; this
module only builds the copy under the project's build lock and packs it."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

from ..render.offline import DEFAULT_IDLE_SECONDS, copy_time
from ..sources.dates import SHANGHAI
from . import output
from .build import build_site, project_root


# -- the zip beside the copy ------------------------------------------------------------------------

def write_zip(site_dir: Path, zip_path: Path, when: dt.datetime | None = None) -> Path:
    """Zip the copy under one top folder named like it (unzipping gives `kiosk/index.html`), entries
    sorted by path and stamped with the copy's time, written to a temporary file first."""
    site_dir = Path(site_dir)
    zip_path = Path(zip_path)
    local = (when or copy_time()).astimezone(SHANGHAI)
    stamp_tuple = (max(1980, local.year), local.month, local.day, local.hour, local.minute, local.second // 2 * 2)
    files = sorted((p for p in site_dir.rglob("*") if p.is_file()), key=lambda p: p.relative_to(site_dir).as_posix())
    fd, tmp_name = tempfile.mkstemp(prefix=f".{zip_path.name}.", dir=zip_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in files:
                name = f"{site_dir.name}/{path.relative_to(site_dir).as_posix()}"
                info = zipfile.ZipInfo(name, date_time=stamp_tuple)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                with path.open("rb") as src, zf.open(info, "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        os.chmod(tmp, 0o666 & ~output.current_umask())  # mkstemp makes 0600; a server must read it
        os.replace(tmp, zip_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return zip_path


def build_kiosk(config_file: str, out: str | os.PathLike, idle_seconds: int = DEFAULT_IDLE_SECONDS,
                strict: bool = False, make_zip: bool = True) -> tuple[Path, Path | None]:
    """Build the kiosk copy into `out` (atomically, like `disclosure build`) and `out`.zip beside it,
    both under the project's build lock (output.build_lock)."""
    when = copy_time()
    with output.build_lock(project_root(config_file)):
        target = build_site(config_file, str(out), strict, locked=True,
                            plugin_options={"kiosk": True, "feeds": False, "kiosk_idle_seconds": int(idle_seconds),
                                            "kiosk_time": when.isoformat()})
        # the plugin has checked that nothing in the copy loads from the network (remote_references)
        archive = None
        if make_zip:
            zip_path = target.with_name(target.name + ".zip")
            for stale in zip_path.parent.glob(f".{zip_path.name}.*"):  # a killed build's unfinished zip
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink(missing_ok=True)
            try:
                archive = write_zip(target, zip_path, when)
            except OSError as exc:  # the folder is in place by now: say that only the zip failed
                replaced = "".join(f"\n   被替换的上一版 {p} 可以删除（下次生成时也会自动删除）"
                                   for p in output.leftovers(target))
                raise output.OutputError(f"离线版文件夹已生成（{target}），但压缩包 {zip_path} 未能写入，原有压缩包未被改动：\n"
                                         f"{output.why_failed(exc, zip_path.parent)}{replaced}") from exc
    return target, archive
