"""`disclosure check --fix`: give every record saved without a 索引号 the next number.

The web form (admin/) never asks for a 索引号: it is permanent and must be unique, which an editor
filling in a form cannot know. A record saved without one (no `index_no`, or an empty one) gets
`<department code>/<year of 发布日期>-<next serial>`, allocated exactly as `disclosure new` does
(scaffold.next_index_no over every number already written under the records folder), and the
line `index_no: …` is written into its front matter: in place of an empty `index_no:` line, else
right after `title:`, else first. Nothing else in the file changes.

Records are numbered oldest first (发布日期, then path), so serials follow publication order.

A 索引号 is permanent. A form left open across the allocation can save the record again without
its number; the number it had is then given back, not a new one: the last `index_no` the file had in
git history (`git log -p`), or in `previous` (what `disclosure admin` allocated in this session),
when that number is of the same department and year and no other record uses it.
A record whose department, date or department code is missing or wrong is left alone: `check`
reports what to correct, and the next `--fix` numbers it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..sources import boundary, charset, yamlsrc
from ..sources.catalogue import Catalogue
from ..sources.dates import DateError, parse_date
from ..sources.records import find_record_files, split_front_matter
from .scaffold import existing_index_nos, next_index_no

_EMPTY_INDEX_LINE = re.compile(r"^index_no[ \t]*:[ \t]*(?:''|\"\"|~|null)?[ \t]*(?:#.*)?$")
_TITLE_LINE = re.compile(r"^title[ \t]*:")


@dataclass(frozen=True)
class Assigned:
    path: Path
    index_no: str


@dataclass(frozen=True)
class Converted:
    path: Path
    was: str  # the encoding it was saved in ("GBK", "UTF-16")


TEXT_SUFFIXES = (".md", ".yml", ".yaml")


def convert_to_utf8(folders: list[Path], project: Path) -> list[Converted]:
    """Every Markdown and YAML file under `folders` (hidden folders aside) saved as GBK or as UTF-16,
    saved again as UTF-8 where its text can be told for certain (sources/charset.py); the same text,
    line endings included. A file read otherwise is left for `check` to report, and a link, or a file
    reached through one out of the `project` folder, is neither read nor written."""
    root = os.path.realpath(project)
    done = []
    for folder in folders:
        for base, dirs, names in os.walk(folder):  # (links to folders are not followed)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(base, name)
                if (path.suffix.lower() not in TEXT_SUFFIXES or name.startswith(".") or path.is_symlink()
                        or not boundary.is_inside(os.path.realpath(path), root) or not path.is_file()):
                    continue
                try:
                    found = charset.saved_as(path.read_bytes())
                except OSError:
                    continue
                if found is not None:
                    _write(path, found[1])
                    done.append(Converted(path, found[0]))
    return done


# a front matter's one line at its left edge giving a 索引号 as `disclosure new` writes them: the
# record has one, and its YAML need not be read (that took most of a `check --fix` with nothing to do)
_NUMBERED = re.compile(r"^index_no[ \t]*:[ \t]*(['\"]?)[0-9A-Za-z-]+/\d{4}-\d+\1[ \t]*(?:#.*)?$", re.M)
_INDEX_KEY = re.compile(r"^index_no[ \t]*:", re.M)


def _needs_number(front: str) -> tuple[str, str] | None:
    """(department id, date text) of a front matter without a 索引号; None when it has one or
    cannot be read (check reports why)."""
    if _NUMBERED.search(front) and len(_INDEX_KEY.findall(front)) == 1:
        return None
    try:
        meta = yamlsrc.load(front)
    except yamlsrc.YamlError:
        return None
    if not isinstance(meta, dict):
        return None
    if isinstance(meta.get("index_no"), str) and meta["index_no"].strip():
        return None
    if meta.get("index_no") not in (None, ""):
        return None  # a list or mapping: check says what is wrong
    dep, date = meta.get("department"), meta.get("date")
    if not isinstance(dep, str) or not isinstance(date, str):
        return None
    return dep.strip(), date.strip()


def insert_index_no(text: str, index_no: str) -> str:
    """The file's text with `index_no: …` in its front matter (see the module's docstring)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    # the front matter is lines[1:end]; the caller has checked there is one
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "..."))
    new = f"index_no: {index_no}{newline}"
    for i in range(1, end):
        if _EMPTY_INDEX_LINE.match(lines[i].rstrip("\r\n")):
            lines[i] = new
            return "".join(lines)
    at = next((i + 1 for i in range(1, end) if _TITLE_LINE.match(lines[i])), 1)
    # a title folded over several lines: insert after its continuation lines
    while at < end and lines[at][:1] in (" ", "\t"):
        at += 1
    lines.insert(at, new)
    return "".join(lines)


def _write(path: Path, text: str) -> None:
    """Replace the file's contents atomically (a half-written record would be worse than none)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_GIT_INDEX_LINE = re.compile(r"^[-+]index_no[ \t]*:[ \t]*['\"]?([0-9A-Za-z-]+/\d{4}-\d+)", re.M)


def numbers_from_git(paths: list[Path]) -> dict[Path, str]:
    """The last 索引号 each file had in its git history (newest commit first); {} outside a repository."""
    found = {}
    for path in paths:
        try:
            out = subprocess.run(["git", "log", "-p", "-n", "50", "--format=", "--", path.name], cwd=path.parent,
                                 capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=30)
        except (OSError, subprocess.SubprocessError):
            return found
        m = _GIT_INDEX_LINE.search(out.stdout) if out.returncode == 0 else None
        if m:
            found[path] = m.group(1)
    return found


def assign_index_numbers(cat: Catalogue, docs_dir: Path, records_dir: str = "records",
                         previous: dict[Path, str] | None = None, project: Path | None = None) -> list[Assigned]:
    """Allocate and write a 索引号 into every record that has none. Returns what was assigned;
    `previous` (path → number) is updated with it. With `project`, a record linked to a file outside
    it is neither read nor written."""
    todo = []
    for path, _src in find_record_files(docs_dir, records_dir, project):
        try:
            raw = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        front, _, _ = split_front_matter(raw.replace("\r\n", "\n"))
        if front is None:
            continue
        wanted = _needs_number(front)
        if wanted is None:
            continue
        dep = cat.departments.get(wanted[0])
        if dep is None or not dep.code:
            continue
        try:
            date = parse_date(wanted[1])[0]
        except DateError:
            continue
        todo.append((date, path.as_posix(), path, dep.code, raw))
    if not todo:
        return []
    existing = existing_index_nos(docs_dir / records_dir)
    had = {**numbers_from_git([t[2] for t in todo]), **(previous or {})}
    assigned = []
    for date, _key, path, code, raw in sorted(todo, key=lambda t: (t[0], t[1])):
        old = had.get(path, "")
        number = old if old.startswith(f"{code}/{date.year}-") and old not in existing else None
        number = number or next_index_no(code, date.year, existing)
        existing.append(number)
        _write(path, insert_index_no(raw, number))
        assigned.append(Assigned(path, number))
        if previous is not None:
            previous[path] = number
    return assigned
