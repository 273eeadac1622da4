"""Folding: the one normal form that both the index and every query are put into before matching.

fold(text) maps every character independently (a monoid homomorphism: fold(a + b) == fold(a) + fold(b)),
so "the record contains the query" survives folding: if Q is a substring of T, fold(Q) is a substring
of fold(T). That property is what makes the n-gram index provably never miss, and it is also why the
browser can fold a record's text itself and map a match back to the original characters to highlight
them. The steps, per character:

1. **NFKC, then lower case**: full-width letters and digits (全角 `ＰＰＰ１２３`) become half-width,
   compatibility forms (`①`, `㈠`, CJK compatibility ideographs) their plain forms, Latin is
   case-insensitive. The browser does the same with `String.prototype.normalize("NFKC")` and
   `toLowerCase()`, so only the next two tables are shipped to it.
2. **Traditional → Simplified (简繁)**, character by character, with the character tables of OpenCC
   (`TSCharacters`, plus the Taiwan and Hong Kong variant tables `TWVariantsRev`/`HKVariantsRev`, so
   `臺/台`, `裡/裏/里` all meet). We use the OpenCC data through `opencc-python-reimplemented`: OpenCC's
   dictionaries are the maintained reference for Chinese script conversion (used by Wikipedia-zh's
   tooling, input methods and most converters), and the pure-Python package ships those dictionaries
   with no C build, which matters on a kiosk build machine. OpenCC's *phrase* tables are deliberately
   not used: phrase conversion depends on context (`乾坤` keeps 乾, `乾燥` becomes 干燥), which would
   break the per-character property above. Character folding over-merges a few characters (both
   乾 and 干 fold to 干), which can only add matches, never lose one.
3. **Brackets**: every bracket a 文号 may be typed with — `〔〕` (the standard), `[]`/`［］`, `【】`, `〖〗`
   and `()`/`（）` — folds to `〔` `〕`. A citizen typing `国办发[2017]47号` or `国办发(2017)47号` on a
   phone finds `国办发〔2017〕47号`, and the standard form still matches itself.
4. **Whitespace** of any kind folds to one ASCII space (queries are split on it; the index never
   builds an n-gram that contains it).

Combining sequences are normalised per character, not composed across characters; Chinese disclosure
text does not rely on them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import unicodedata

from ...sources.codeversion import code_version

OPEN_BRACKET, CLOSE_BRACKET = "〔", "〕"
BRACKETS = {c: OPEN_BRACKET for c in "([【〖〔"} | {c: CLOSE_BRACKET for c in ")]】〗〕"}
WHITESPACE = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_OPENCC_TABLES = ("TWVariantsRev.txt", "HKVariantsRev.txt", "TSCharacters.txt")


_MADE: dict[str, dict] = {}  # the two tables, made once per process or handed in by use_tables
# this module's code as this process loaded it, not as the disk has it now: a preview left running across an
# upgrade must not file its tables under the new code's key
_CODE = code_version("outputs/search/fold.py")


def tables_key() -> str:
    """What the tables are made from: this module's code, Python's Unicode data, OpenCC's version."""
    from importlib import metadata

    try:
        opencc_version = metadata.version("opencc-python-reimplemented")
    except metadata.PackageNotFoundError:
        opencc_version = "-"
    return hashlib.sha256(f"{_CODE} {unicodedata.unidata_version} {opencc_version}".encode()).hexdigest()


def has_tables() -> bool:
    """Whether this process has both tables (made, or given by use_tables)."""
    return "t2s" in _MADE and "translate" in _MADE


def tables() -> tuple[dict[str, str], dict[int, str]]:
    """(t2s_table(), translate_table()), for a cache to keep under tables_key() (see use_tables)."""
    return t2s_table(), translate_table()


def use_tables(t2s: dict[str, str], translate: dict[int, str]) -> None:
    """The tables a cache kept (tables() under the same tables_key()) instead of making them: ~0.3 s a
    process on a slow host, in every build. Ignored once this process made or was given its own."""
    if not _MADE and isinstance(t2s, dict) and isinstance(translate, dict):
        _MADE.update(t2s=t2s, translate=translate)


def t2s_table() -> dict[str, str]:
    """Single Traditional (or variant) character → Simplified character, from OpenCC's tables."""
    if "t2s" not in _MADE:
        _MADE["t2s"] = _make_t2s_table()
    return _MADE["t2s"]


def _make_t2s_table() -> dict[str, str]:
    import opencc  # opencc-python-reimplemented

    from opencc import OpenCC

    base = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    keys: set[str] = set()
    for name in _OPENCC_TABLES:
        with open(os.path.join(base, name), encoding="utf-8") as fh:
            for line in fh:
                key = line.split("\t", 1)[0].strip()
                if len(key) == 1:
                    keys.add(key)
    # Convert through the library (variants first, then Traditional → Simplified), one character at a time.
    tw, hk = OpenCC("tw2s"), OpenCC("hk2s")
    table = {}
    for k in sorted(keys):
        v = hk.convert(tw.convert(k))
        if len(v) == 1 and v != k:
            table[k] = v
    return table


def _fold_char(c: str) -> str:
    t2s = t2s_table()
    out = []
    for ch in unicodedata.normalize("NFKC", c).lower():
        ch = t2s.get(ch, ch)
        ch = BRACKETS.get(ch, ch)
        if ch in WHITESPACE or (ch.isspace() and len(ch) == 1):
            ch = " "
        out.append(ch)
    return "".join(out)


_BLOCK = 256  # code points looked at together (surrogates, U+D800–U+DFFF, are whole blocks)


def translate_table() -> dict[int, str]:
    """str.translate table: every code point whose fold differs from itself."""
    if "translate" not in _MADE:
        _MADE["translate"] = _make_translate_table()
    return _MADE["translate"]


def _make_translate_table() -> dict[int, str]:
    """translate_table's table.

    Only blocks of code points that NFKC or lower case change are looked at one by one, with the
    characters of the Traditional, bracket and whitespace tables: a block that is NFKC-normalized and
    its own lower case as a string holds no character that either changes alone (a character NFKC
    changes alone makes any string holding it not normalized). Each build's processes made this table;
    per code point it took ~0.5 s, block by block ~0.15 s (the same table: tests/test_search_core.py)."""
    table: dict[int, str] = {}
    t2s = t2s_table()
    candidates = (set(map(ord, t2s)) | set(map(ord, BRACKETS)) | set(map(ord, WHITESPACE))
                  | {cp for cp in range(0x3001) if chr(cp).isspace()})  # no character past U+3000 is a space
    for start in range(0, 0x110000, _BLOCK):
        if 0xD800 <= start < 0xE000:
            continue
        block = "".join(map(chr, range(start, start + _BLOCK)))
        if not (unicodedata.is_normalized("NFKC", block) and block.lower() == block):
            candidates.update(range(start, start + _BLOCK))
    for cp in sorted(candidates):
        c = chr(cp)
        f = _fold_char(c)
        if f != c:
            table[cp] = f
    return table


@functools.lru_cache(maxsize=1)
def _pattern():
    """A regex of every character that folds to something else: most characters of Chinese text fold
    to themselves, and a regex scan skips them faster than str.translate looks each one up. Characters
    outside the BMP go through a second, catch-all class (a big class of astral ranges is slow)."""
    import re

    table = translate_table()
    bmp = "".join(re.escape(chr(c)) for c in sorted(table) if c < 0x10000)
    return re.compile(f"[{bmp}]|[\U00010000-\U0010FFFF]"), table


def fold(text: str) -> str:
    """The folded form of `text` (see the module docstring)."""
    pattern, table = _pattern()
    return pattern.sub(lambda m: table.get(ord(m.group()), m.group()), text)


@functools.lru_cache(maxsize=1)
def bmp_tables():
    """For vectorised folding of BMP text (build.py): (code point → folded code point for every BMP
    character that folds to exactly one character, BMP characters that fold to several or none)."""
    single, multi = {}, set()
    for cp, f in translate_table().items():
        if cp >= 0x10000:
            continue
        if len(f) == 1:
            single[cp] = ord(f)
        else:
            multi.add(cp)
    return single, multi


def js_tables() -> dict:
    """What the browser needs beyond NFKC + toLowerCase: the t2s and bracket tables, as two strings
    of equal length (from, to), which is about half the size of a JSON object of pairs."""
    pairs = dict(t2s_table())
    pairs.update(BRACKETS)
    src = "".join(pairs)
    dst = "".join(pairs[k] for k in pairs)
    ws = "".join(sorted(WHITESPACE | {chr(c) for c in range(0x3000 + 1) if chr(c).isspace()}))
    return {"from": src, "to": dst, "ws": ws}
