"""The output folder as a web server sees it: complete at every moment, readable by others, written by
one build at a time, and nothing left behind by a build that was killed.

- `build_lock(root)`: one build per project at a time (a POSIX record lock, `fcntl.lockf`, on
  `.cache/disclosure/build.lock`). A second build stops at once with `BuildBusy` (a Chinese message
  naming the build that holds the lock). Record locks belong to the process, not to the open file, so
  the render and search workers a build forks never hold it: a SIGKILLed build frees the project at
  once. While a build holds the lock, every process it forks is made to die with it (Linux
  `PR_SET_PDEATHSIG`), so no orphan keeps writing into the killed build's temporary folder.
- `swap(new, target)`: put a finished build in place. On Linux this is one `renameat2(RENAME_EXCHANGE)`
  (through ctypes): the path `site/` names the old tree, then the new one, and is never missing. Where
  the kernel or file system cannot exchange (not Linux, NFS, EINVAL), two renames, as before.
- `publish_modes(folder)`: folders 0755 and files 0644 under umask 022 (`tempfile.mkdtemp` makes 0700);
  `find` lists what is wrong (a walk in Python where there is none).
- `Sweeper`: deletes what earlier builds left (the replaced site, a killed build's temporary folder)
  while this build runs; what cannot be deleted is reported in one line, not one line per file.
- `take_folders`: before that, the replaced site's folders of record and listing pages are set aside
  for the build to reuse its unchanged pages (render/reuse.py).
- `why_failed(exc, site, project)`: what a failed build tells the editor; a full disk is said so in
  Chinese, with each disk's free space and what to free, wherever in the build (a page worker, the
  search index's process) it struck.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from ..sources.dates import SHANGHAI

LOCK_NAME = "build.lock"


class BuildBusy(Exception):
    """Another build of the same project is running; the message says which and what to do."""


class OutputError(Exception):
    """The output folder cannot be written; the message (Chinese) says where and what to do."""


_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(exc: BaseException) -> OSError | bool:
    """Whether `exc` failed for a full disk or an exceeded quota: the OSError when it is in the chain of
    causes, True when only its text says so (an error from a worker or the search index's process
    arrives as text: its traceback), else False."""
    seen, text = set(), []
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return exc
        text.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    said = "\n".join(text)
    return any(f"[Errno {code}]" in said for code in _FULL)


def why_failed(exc: BaseException, site: Path, project: Path | None = None) -> str:
    """The reason a build failed, as the editor is told it. `site`: where the output goes; `project`: the
    project folder, whose .cache/disclosure/ the build writes too (a full disk is named with each of
    the two disks' free space when they differ: the error does not always say which file it was)."""
    full = disk_full(exc)
    if not full:
        return f"{type(exc).__name__}: {exc}"
    written = f"（写入 {full.filename} 时）" if isinstance(full, OSError) and full.filename else ""
    places = [("网站输出", site)] + ([("缓存", project / ".cache" / "disclosure")] if project is not None else [])
    seen, said = set(), []
    for what, folder in places:
        found = _existing(folder)
        try:
            device, free = os.stat(found).st_dev, shutil.disk_usage(found).free
        except OSError:
            continue
        if device not in seen:
            seen.add(device)
            said.append(f"{what} {folder} 所在的磁盘剩余 {_size(free)}")
    return (f"磁盘空间不足{written}：{'；'.join(said) or f'{site} 所在的磁盘已写满'}。\n"
            "→ 清理出空间后重新构建。新网站完整生成后才替换原网站，所以生成时还需要约一个网站大小的空闲空间；"
            "项目中的 .cache/disclosure 文件夹是加快下次构建的缓存，必要时可以删除（下次构建会慢一些）")


def _size(n: int) -> str:
    return f"{n / 1073741824:.1f} GB" if n >= 1073741824 else f"{n / 1048576:.1f} MB"


def _existing(folder: Path) -> Path:
    """`folder`, or its nearest folder that exists (a site not built yet: the disk it will be on)."""
    folder = Path(os.path.abspath(folder))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells (/proc), else set and reset."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- one build at a time --------------------------------------------------------------------------

# Process state by nature (descriptors and fork hooks belong to the process): the lock descriptors
# this process holds, and who is about to fork, both read by the fork hooks.
_held: set[int] = set()
_forking = {"pid": 0, "main": True}
_hook_installed = False


def _note_parent() -> None:
    _forking["pid"] = os.getpid()
    _forking["main"] = threading.current_thread() is threading.main_thread()


def _die_with_parent() -> None:
    """In a child forked while a build holds the lock: die when the build dies, so that nothing goes on
    writing into a killed build's temporary folder. A child of the main thread gets Linux's
    PR_SET_PDEATHSIG. That signal follows the forking *thread*: a worker that a pool's helper thread
    forked would be killed when that thread ends (and take the pool's queue lock with it), so such a
    child watches its parent's pid instead."""
    if not _held:
        return
    parent = _forking["pid"]
    if _forking["main"] and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        else:
            if os.getppid() != parent:  # the parent died between fork() and prctl()
                os._exit(1)
            return

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="disclosure-parent-watch", daemon=True).start()


def _lock_path(root: Path) -> Path:
    """`.cache/disclosure/build.lock` in the project; in the system's temporary folder (named after the
    project's path) when the project cannot be written."""
    path = root / ".cache" / "disclosure" / LOCK_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"disclosure-{digest}.lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return text.splitlines()[0] if text else ""


@contextmanager
def build_lock(root: Path):
    """Hold the project's build lock for the `with` block, or raise BuildBusy at once."""
    global _hook_installed
    path = _lock_path(Path(root))
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputError(f"无法创建生成锁文件 {path}：{exc.strerror}（检查该文件夹是否可写）") from None
    try:
        try:
            import fcntl
        except ImportError:  # no fcntl (Windows): no lock, as before
            yield path
            return
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            who = _holder(fd)
            raise BuildBusy(
                f"本项目的另一次生成正在进行（{who or '另一个进程'}），本次没有生成，原有输出未被改动。"
                f"请等它结束后再运行。（another build of this project is running; lock: {path}）") from None
        started = dt.datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")  # Beijing time, as everywhere
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"进程 {os.getpid()}，开始于 {started}\n".encode("utf-8"), 0)
        if not _hook_installed and hasattr(os, "register_at_fork"):
            os.register_at_fork(before=_note_parent, after_in_child=_die_with_parent)
            _hook_installed = True
        _held.add(fd)
        try:
            yield path
        finally:
            _held.discard(fd)
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
    finally:
        os.close(fd)  # releases the record lock


# -- putting a finished build in place ------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EPERM}


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system
    cannot do it (the caller then falls back), OSError for real failures."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2  # glibc 2.28+
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap(new: Path, target: Path, retired: Path) -> bool:
    """Put `new` at `target`; the tree that was there (if any) ends up at `retired`. Returns True when
    `target` existed at every moment (an atomic exchange, or a first build)."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return True
    if exchange(new, target):
        os.rename(new, retired)  # `new` now names the previous tree
        return True
    os.rename(target, retired)  # a short moment without `target`: the system cannot exchange
    os.rename(new, target)
    return False


# -- permissions a web server can read ------------------------------------------------------------

def publish_modes(folder: Path, umask: int | None = None) -> int:
    """Give every folder 0777 and every file 0666 minus the umask (0755/0644 under umask 022), whatever
    made them (mkdtemp's 0700, mkstemp's 0600, a cached page linked from a build run under another
    umask). Returns how many entries were changed. Symbolic links are left alone."""
    mask = current_umask() if umask is None else umask
    dir_mode, file_mode = 0o777 & ~mask, 0o666 & ~mask
    wrong = _listed_by_find(folder, dir_mode, file_mode)
    if wrong is None:
        wrong = _wrong_modes(folder, dir_mode, file_mode)
    for path in wrong:
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
            os.chmod(path, dir_mode if stat.S_ISDIR(st.st_mode) else file_mode)
    return len(wrong)


def _listed_by_find(folder: Path, dir_mode: int, file_mode: int) -> list[str] | None:
    """The folders and files under `folder` (itself included) whose mode is not the one wanted, as
    `find` lists them: one stat each in C, 0.35 s for a 100,000-record site's 140,000 entries where
    the walk below takes 0.8 s. None where there is no `find` or it failed: the caller walks."""
    find = shutil.which("find")
    if not find or os.name != "posix":
        return None
    try:
        done = subprocess.run([find, str(folder), "(", "-type", "d", "!", "-perm", f"{dir_mode:o}", "-o",
                               "-type", "f", "!", "-perm", f"{file_mode:o}", ")", "-print0"],
                              stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return [os.fsdecode(p) for p in done.stdout.split(b"\0") if p]


def _wrong_modes(folder: Path, dir_mode: int, file_mode: int) -> list[str]:
    """What _listed_by_find lists, by a walk in Python."""
    wrong = [str(folder)] if (os.stat(folder).st_mode & 0o7777) != dir_mode else []
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for e in entries:
                if e.is_symlink() or not (e.is_dir(follow_symlinks=False) or e.is_file(follow_symlinks=False)):
                    continue
                st = e.stat(follow_symlinks=False)
                want = dir_mode if e.is_dir(follow_symlinks=False) else file_mode
                if (st.st_mode & 0o7777) != want:
                    wrong.append(e.path)
                if want == dir_mode:
                    stack.append(e.path)
    return wrong


# -- leftovers ------------------------------------------------------------------------------------

def leftovers(target: Path) -> list[Path]:
    """What earlier builds of `target` left beside it: the sites they replaced (`.NAME.old-*`), the
    temporary folders of builds that were killed (`.NAME.building-*`) and the folders they took from a
    replaced site and did not use (`.NAME.reuse-*`, take_folders). Only call under build_lock."""
    parent, name = target.parent, target.name
    found = [p for pattern in (f".{name}.old-*", f".{name}.building-*", f".{name}.reuse-*")
             for p in parent.glob(pattern)]
    return sorted(p for p in found if p.is_dir() and not p.is_symlink())


def take_folders(found: list[Path], target: Path, folders: list[str]) -> Path | None:
    """`folders` of the site the last build replaced (the newest `.NAME.old-*` of `found`, leftovers(), or
    the newer `.NAME.reuse-*` a build that failed took from it), moved beside `target` into
    `.NAME.reuse-*` (each at the same relative path) before the leftovers are deleted, for the build to
    reuse what it can of them (render/reuse.py); None when there is none. Only call under build_lock."""
    replaced = [p for p in found if p.name.startswith((f".{target.name}.old-", f".{target.name}.reuse-"))]
    if not replaced:
        return None
    # named .NAME.old-<pid>-<time_ns> (see build.py) and .NAME.reuse-<pid>-<time_ns>
    newest = max(replaced, key=lambda p: p.name.rsplit("-", 1)[-1].rjust(24, "0"))
    taken = target.parent / f".{target.name}.reuse-{os.getpid()}-{time.time_ns()}"
    for folder in folders:
        src = newest / folder
        if src.is_symlink() or not src.is_dir():
            continue
        try:
            (taken / folder).parent.mkdir(parents=True, exist_ok=True)
            os.rename(src, taken / folder)
        except OSError:
            continue
    return taken if taken.is_dir() else None


class Sweeper:
    """Deletes folders in another process (`rm -rf`, so Python's lock is not shared with the build), or
    a thread where there is no rm. `join()` returns one line (Chinese) for what could not be deleted."""

    def __init__(self, paths: list[Path]):
        self.paths = list(paths)
        self.proc = self.thread = None
        if not self.paths:
            return
        rm = shutil.which("rm")
        if rm and os.name == "posix":
            # rm's own messages (one per file it cannot delete) are not shown: see join()
            self.proc = subprocess.Popen([rm, "-rf", "--", *map(str, self.paths)], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        else:
            self.thread = threading.Thread(
                target=lambda: [shutil.rmtree(p, ignore_errors=True) for p in self.paths], daemon=True)
            self.thread.start()

    def join(self) -> str | None:
        reason = ""
        if self.proc is not None:
            _, err = self.proc.communicate()
            self.proc = None
            first = err.decode("utf-8", "replace").strip().splitlines()[:1]
            reason = first[0].rsplit(": ", 1)[-1] if first else ""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        stuck = [p for p in self.paths if os.path.lexists(p)]
        self.paths = []
        if not stuck:
            return None
        shown = "、".join(str(p) for p in stuck[:3]) + (f" 等 {len(stuck)} 个" if len(stuck) > 3 else "")
        return (f"无法删除以前的生成留下的文件夹 {shown}（{reason or '权限不足'}）：不影响本次生成；"
                f"请用有权限的账户手动删除（例如 rm -rf {stuck[0]}）")
