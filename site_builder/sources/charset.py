"""A text file saved in an encoding other than UTF-8: what the editor is told, and the text it holds
when that can be told for certain (which `disclosure check --fix` then saves as UTF-8).

Editors on Windows save Markdown and YAML as GBK (记事本 before Windows 10 1903 and many editors call it
"ANSI") or as UTF-16 with its byte order mark (记事本's "Unicode"). Both are read here with Python's own
codecs. Reading GBK bytes is certain when: they decode wholly as GB18030 (GBK's superset) and encode
back to the very same bytes, they hold Chinese, and nine in ten of their Chinese characters are among
GB2312's 6,763 common ones. Text saved as Big5 (Traditional Chinese in Taiwan and Hong Kong) also decodes
as GBK, into other characters; some two in five of those fall outside GB2312, so it is never taken for
GBK, and the editor is asked to save the file again instead.
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problems

_BOMS = (b"\xff\xfe", b"\xfe\xff")
_COMMON_SHARE = 0.9


def saved_as(raw: bytes) -> tuple[str, str] | None:
    """(the encoding the bytes were saved in, as an editor names it: "UTF-16" or "GBK"; their text) when
    that text can be told for certain (see the module's docstring); None otherwise (UTF-8 included)."""
    if raw.startswith(_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
        same = text.encode("utf-16-le" if raw[:2] == b"\xff\xfe" else "utf-16-be") == raw[2:]
        return ("UTF-16", text) if same else None
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if text.encode("gb18030") != raw:
        return None
    chinese = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    common = sum(1 for c in chinese if _in_gb2312(c))
    return ("GBK", text) if chinese and common >= _COMMON_SHARE * len(chinese) else None


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def read_text_file(path: Path, rel: str, problems: Problems, limit: int, what: str, hint: str) -> str | None:
    """The text of an editor's file, or None with an error: over `limit` bytes (not even read, so that one
    file cannot fill the memory; told as `what`过大, with `hint`), unreadable, or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > limit:
            problems.error(rel, None, f"{what}过大（{size / 1048576:.0f} MB，上限 {limit // 1048576} MB），未读取", hint)
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(rel, None, f"无法读取文件：{exc.strerror}", "检查文件是否存在、是否有读取权限")
        return None
    return text_or_problem(raw, rel, problems)


def text_or_problem(raw: bytes, rel: str, problems: Problems) -> str | None:
    """The text of a record, page or catalogue file (UTF-8, with or without its BOM), or None with an
    error naming what the bytes are instead (not_utf8)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(rel, *not_utf8(raw, exc))
        return None


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str, str]:
    """(line, message, what to do) for a file whose bytes are not UTF-8 (`exc`: decoding them as UTF-8)."""
    kind = (saved_as(raw) or ("",))[0]
    if kind == "UTF-16":
        return (1, "文件是 UTF-16 编码（Windows 记事本中叫“Unicode”），不是 UTF-8",
                "运行 disclosure check --fix 把它转换为 UTF-8；或另存此文件，编码选“UTF-8”（记事本：文件 → 另存为 → 编码）")
    line = raw[:exc.start].count(b"\n") + 1
    if kind == "GBK":
        return (line, "文件是 GBK（GB2312）编码，不是 UTF-8",
                "运行 disclosure check --fix 把它转换为 UTF-8；或在编辑器中选择“UTF-8”编码另存此文件")
    return line, "文件不是 UTF-8 编码", "请在编辑器中选择“UTF-8”编码另存此文件（不要用 GBK/GB2312）"
