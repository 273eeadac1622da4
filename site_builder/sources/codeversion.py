"""The one code-version helper: a hash of our own source files, for every cache that must not outlive
the code that filled it (parsed records, attachment scans, record bodies, pages, the search index).

Callers name what their cached output depends on as paths relative to the `site_builder` folder (a
module, or a whole stage folder), never a hand-kept list of file names that a move would silently
break: a path that does not exist raises."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the site_builder folder


@functools.lru_cache(maxsize=None)
def code_version(*paths: str, exclude: tuple[str, ...] = ()) -> str:
    """sha256 (hex) over the .py files at `paths` (files or folders, relative to site_builder/, "." for
    the whole package), in a fixed order, leaving out the folders in `exclude`."""
    h = hashlib.sha256()
    skipped = [PACKAGE / e for e in exclude]
    for rel in paths:
        target = PACKAGE / rel
        if not target.exists():
            raise FileNotFoundError(f"code_version: no {target}")
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for f in files:
            if any(s in f.parents for s in skipped):
                continue
            h.update(f.relative_to(PACKAGE).as_posix().encode())
            h.update(b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()
