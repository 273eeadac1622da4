"""The search cache's snapshot: a hard-linked copy of the last build's index files with a manifest, the
lock that gives one build at a time the right to it, and linking files in and out of it. Used by the
full build (build.py: fills it) and the incremental patch (incremental.py: reads and updates it);
imports neither."""

from __future__ import annotations

import errno
import json
import os
import shutil

import numpy as np

SNAPSHOT = "snapshot"
MANIFEST = "snapshot.json"
TABLES = "fold.npz"


class Stale(Exception):
    """The cached output cannot be patched: build from scratch."""


# -- the lock -------------------------------------------------------------------------------
def lock(cache: str):
    """An exclusive lock on the cache's snapshot, or None if another build holds it (that build then
    owns the snapshot; this one builds in full and leaves the snapshot alone)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (one build at a time is assumed)
        return -1
    fd = os.open(os.path.join(cache, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def unlock(fd) -> None:
    if fd >= 0:
        os.close(fd)  # releases the lock


_COPY = False  # set once linking failed across file systems: copy from then on


def _link(src: str, dst: str) -> None:
    global _COPY
    if not _COPY:
        try:
            os.link(src, dst)
            return
        except OSError as e:
            if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            _COPY = True
    shutil.copyfile(src, dst)


def link_into(src: str, dst: str) -> None:
    """Make `dst` (in the snapshot) the file `src` (in the site), replacing what was there."""
    try:
        _link(src, dst)
    except FileExistsError:
        os.unlink(dst)
        _link(src, dst)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        _link(src, dst)


_DIR_FD = os.link in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.unlink in os.supports_dir_fd


def file_groups(shards: int, files: list[int], per_dir: int) -> list[tuple[str, list[str]]]:
    """Index files by folder: [(folder relative to the index's root, [file names])], for every shard
    (if `shards`) and the doc-store files numbered `files` (ascending), `per_dir` files a folder."""
    out = [("g", [f"{s}.js" for s in range(shards)])] if shards else []
    for f in files:
        sub = f"d{os.sep}{f // per_dir}"
        if not out or out[-1][0] != sub:
            out.append((sub, []))
        out[-1][1].append(f"{f}.js")
    return out


def _each_in(root: str, folder: str):
    """(a descriptor of the folder, or None where the platform has no dir_fd arguments; its path): one
    path lookup per folder, not per file."""
    path = os.path.join(root, folder)
    if _DIR_FD:
        return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)), path
    return None, path


def check_all(root: str, groups, recorded: list) -> None:
    """Every file's (size, mtime) is what the manifest recorded (`recorded`: in the order of `groups`)."""
    k = 0
    for folder, names in groups:
        fd, path = _each_in(root, folder)
        try:
            for name in names:
                try:
                    st = os.stat(name, dir_fd=fd) if fd is not None else os.stat(os.path.join(path, name))
                except OSError:
                    raise Stale(f"{folder}/{name} is gone") from None
                want = recorded[k]
                k += 1
                if st.st_size != want[0] or st.st_mtime_ns != want[1]:
                    raise Stale(f"{folder}/{name} changed since it was written")
        finally:
            if fd is not None:
                os.close(fd)


def link_all(src_root: str, dst_root: str, groups, replace: bool = False) -> None:
    """Hard-link every file of `groups` from src_root to dst_root (folders exist; with `replace`, the
    targets exist and are replaced)."""
    for folder, names in groups:
        if not names:
            continue
        src, dst = os.path.join(src_root, folder), os.path.join(dst_root, folder)
        if _COPY or not _DIR_FD:
            for name in names:
                (link_into if replace else _link)(os.path.join(src, name), os.path.join(dst, name))
            continue
        a, b = _each_in(src_root, folder)[0], _each_in(dst_root, folder)[0]
        try:
            for k, name in enumerate(names):
                if replace:
                    try:
                        os.unlink(name, dir_fd=b)
                    except FileNotFoundError:
                        pass
                try:
                    os.link(name, name, src_dir_fd=a, dst_dir_fd=b)
                except OSError as e:
                    if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
                    for rest in names[k:]:  # from now on, copies
                        (link_into if replace else _link)(os.path.join(src, rest), os.path.join(dst, rest))
                    break
        finally:
            os.close(a)
            os.close(b)


def invalidate(cache: str) -> None:
    try:
        os.unlink(os.path.join(cache, MANIFEST))
    except FileNotFoundError:
        pass


def start_snapshot(cache: str) -> str:
    """An empty snapshot folder for a full build (the manifest goes first: a build interrupted from
    here on leaves no snapshot that claims to be valid). The previous one is moved aside, for
    discard_old_snapshot."""
    invalidate(cache)
    snap = os.path.join(cache, SNAPSHOT)
    if os.path.exists(snap + ".old"):  # left by an interrupted build
        shutil.rmtree(snap + ".old")
    if os.path.exists(snap):
        os.rename(snap, snap + ".old")
    os.makedirs(os.path.join(snap, "g"))
    os.makedirs(os.path.join(snap, "d"))
    return snap


def discard_old_snapshot(cache: str):
    """Remove the previous snapshot in a thread (thousands of unlinks, while the worker processes
    extract; no process may be forked while it runs); returns the thread to join."""
    import threading

    old = os.path.join(cache, SNAPSHOT + ".old")
    t = threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True)
    t.start()
    return t


def finish_snapshot(cache: str, snap: str, manifest: dict, lut, salt: str, fmt: int) -> None:
    np.savez(os.path.join(cache, TABLES + ".tmp.npz"), lut=lut[0], slow=lut[1])
    os.replace(os.path.join(cache, TABLES + ".tmp.npz"), os.path.join(cache, TABLES))
    write_manifest(cache, salt, fmt, manifest)


def write_manifest(cache: str, salt: str, fmt: int, m: dict) -> None:
    m = dict(m, salt=salt, format=fmt, hashes="".join(m["hashes"]))
    tmp = os.path.join(cache, MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(m, ensure_ascii=False, separators=(",", ":")))  # dumps: the C encoder
    os.replace(tmp, os.path.join(cache, MANIFEST))


def read_manifest(cache: str, salt: str, fmt: int) -> dict | None:
    """The manifest, if it was written for this salt (code) and format."""
    try:
        with open(os.path.join(cache, MANIFEST), encoding="utf-8") as fh:
            m = json.load(fh)
    except (OSError, ValueError):
        return None
    if m.get("salt") != salt or m.get("format") != fmt:
        return None
    h = m["hashes"]
    m["hashes"] = [h[k:k + 40] for k in range(0, len(h), 40)]
    if len(m["hashes"]) != m["n"] or len(m["shard_stat"]) != m["shards"]:
        return None
    return m
