"""The record and listing pages of the site the last build replaced, reused in the new one.

Every unchanged page of a build is a hard link to the page cache's file (caches.PageCache), and the site
a build replaces is deleted while the next one runs. At 100,000 records, linking the new site's 175,000
files and deleting the old one's took 3 s and 1.4 s of system time in every build, for pages that are
mostly the same files. So the build takes the replaced site's folders of pages (the records' and the
listings': `commands/output.py` `take_folders`, before that site is deleted), and `adopt` moves each
into the new site before any page is written there, keeping only the files that can be proven right:

- a file stays only where this build puts a page, and only while it is the very file the page cache
  holds for that page (the same device and inode: `PageCache.place_checked`); any other file at a page's
  path is replaced by a new link or a new file, never written into (it may be a link to another cache
  entry, whose copy would change too: `pool.write_page`);
- every other file (a page no longer made, a page MkDocs renders itself, an attachment MkDocs copies
  again) is deleted here, and every folder left empty, so the new site holds exactly what a build from
  nothing would.
"""

from __future__ import annotations

import os


def adopt(taken: str, dest: str, pages: set[str]) -> dict[str, tuple[int, int]]:
    """Move the folder `taken` to `dest` (which must not exist yet), deleting every file in it whose path
    at `dest` is not in `pages` (normalised absolute paths), and every folder then empty. Returns the
    files kept: {path at dest: (device, inode)}."""
    kept: dict[str, tuple[int, int]] = {}
    folders = []
    stack = [(taken, dest)]  # (a folder, its path once moved)
    while stack:
        folder, moved = stack.pop()
        folders.append(folder)
        device = os.stat(folder).st_dev  # per folder: a mount inside would have its own inodes
        with os.scandir(folder) as entries:
            for e in entries:
                at = f"{moved}/{e.name}"
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, at))
                elif at in pages and e.is_file(follow_symlinks=False):
                    kept[at] = (device, e.inode())
                else:
                    os.unlink(e.path)
    _remove_empty(reversed(folders[1:]))  # deepest first; `taken` itself is moved
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    os.rename(taken, dest)
    return kept


def remove_empty(folder) -> None:
    """`folder` and the folders in it, where they are empty."""
    _remove_empty(path for path, _, _ in sorted(os.walk(folder), key=lambda entry: -entry[0].count(os.sep)))


def _remove_empty(folders) -> None:
    """Each of `folders` (children before their parents) that is empty; one that is not holds a page."""
    for folder in folders:
        try:
            os.rmdir(folder)
        except OSError:
            pass
