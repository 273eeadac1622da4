"""`disclosure admin`: the web form over the local git checkout, in one command.

Runs, until Ctrl-C:
- Decap's local backend proxy (`decap-server` from node_modules, installed by `npm ci`) on loopback,
  writing what the form saves straight into this checkout (content/records/…);
- a preview server for the built site (http://127.0.0.1:8000/, the form at /admin/);
- a watcher: when content or catalogue files change (the form saved a record), it gives records
  without a 索引号 their number (fix.py, as `disclosure check --fix` does), then rebuilds the site.
  A build that finds content errors prints them (in Chinese, with file and line) and the previous
  site stays up.

The editor then reviews and commits with git as usual (`git status`, `git add`, `git commit`).
"""

from __future__ import annotations

import functools
import os
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

POLL_SECONDS = 1.5


class AdminError(Exception):
    """Cannot start: the message says what to do."""


def find_proxy(roots: list[Path]) -> Path | None:
    for root in roots:
        exe = root / "node_modules" / ".bin" / "decap-server"
        if exe.exists():
            return exe
    return None


def start_proxy(exe: Path, repo: Path, port: int, host: str = "127.0.0.1", log=None) -> subprocess.Popen:
    """decap-server in file-system mode: saves are written into `repo`, nothing is committed."""
    env = dict(os.environ, PORT=str(port), BIND_HOST=host, GIT_REPO_DIRECTORY=str(repo), MODE="fs",
               LOG_LEVEL="warn")
    return subprocess.Popen([str(exe)], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".wasm": "application/wasm"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a rebuilt page is seen at once
        super().end_headers()


def start_preview(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    """A static server for the built site; paths are resolved per request, so an atomic swap of the
    site folder (build_site) is seen at once."""
    httpd = ThreadingHTTPServer((host, port), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True, name="preview").start()
    return httpd


class Watcher:
    """Rebuilds when the editors' files change. `prepare` may write into them (the 索引号 it gives);
    what the build then reads is fingerprinted before the build, not after: a save the form finishes
    during a build is a change the next poll sees (taken after, a file read half-written stayed a
    failed build until the next save)."""

    def __init__(self, folders: list[Path], prepare, build, settle: float = POLL_SECONDS):
        self.folders, self.prepare, self.build, self.settle = folders, prepare, build, settle
        self.seen: tuple | None = None

    def rebuild(self) -> bool:
        self.prepare()
        self.seen = fingerprint(self.folders)
        return self.build()

    def poll(self) -> bool:
        """One look: rebuilt (whatever the build's outcome) when something changed since the last build."""
        if fingerprint(self.folders) == self.seen:
            return False
        time.sleep(self.settle)  # let the form finish writing (record and attachments)
        self.rebuild()
        return True


def fingerprint(folders: list[Path]) -> tuple:
    """What changed in the editors' files: every file's path, size and mtime (hidden ones skipped)."""
    seen = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(seen))
