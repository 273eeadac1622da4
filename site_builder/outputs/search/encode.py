"""Compact, script-safe encodings shared by the index writer (build.py), the Python reader (query.py)
and the browser (theme/assets/search.js). Keep the three in step.

- **Gram → shard**: FNV-1a (32 bit) over the gram's code points, modulo the shard count.
- **Posting list** (ascending record ids) as text in the base64url alphabet, whichever is shorter of
  - *gaps*: each id minus the previous id minus 1 (the first: the id itself), as a variable-length
    number of 5-bit digits, most significant first, every digit but the last flagged with +32;
  - *bitmap*: `~` then 6 record ids per character (bit k of character i = record 6·i + k), trailing
    empty characters dropped — shorter for grams in more than about one record in six.
- A gram's entry is three posting lists joined by `.`: the records where its best field is the title
  or a tag, the metadata (内容概述, 索引号, 文号, 发布机构), the body. A record is in exactly one list.
"""

from __future__ import annotations

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
BITMAP = "~"
SEP = "."

# every gap below 1024 has a precomputed code (1 or 2 characters)
SMALL = [ALPHABET[n] if n < 32 else ALPHABET[32 | (n >> 5)] + ALPHABET[n & 31] for n in range(1024)]


def gram_hash(gram: str) -> int:
    h = 0x811C9DC5
    for ch in gram:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(gram: str, shards: int) -> int:
    return gram_hash(gram) % shards


def encode_number(n: int) -> str:
    if n < 1024:
        return SMALL[n]
    digits = []
    while True:
        digits.append(n & 31)
        n >>= 5
        if not n:
            break
    digits.reverse()
    return "".join(ALPHABET[32 | d] for d in digits[:-1]) + ALPHABET[digits[-1]]


def encode_ids(ids: list[int]) -> str:
    """Ascending, distinct record ids → the shorter of the gap and bitmap encodings."""
    if not ids:
        return ""
    prev = -1
    parts = []
    small = SMALL
    for i in ids:
        gap = i - prev - 1
        parts.append(small[gap] if gap < 1024 else encode_number(gap))
        prev = i
    gaps = "".join(parts)
    bitmap_len = ids[-1] // 6 + 2
    if bitmap_len >= len(gaps):
        return gaps
    cells = bytearray(ids[-1] // 6 + 1)
    for i in ids:
        cells[i // 6] |= 1 << (i % 6)
    return BITMAP + "".join(ALPHABET[c] for c in cells)


def decode_ids(text: str) -> list[int]:
    if not text:
        return []
    out = []
    if text[0] == BITMAP:
        for pos, ch in enumerate(text[1:]):
            v = _VALUE[ch]
            base = pos * 6
            for k in range(6):
                if v >> k & 1:
                    out.append(base + k)
        return out
    prev = -1
    n = 0
    for ch in text:
        v = _VALUE[ch]
        if v & 32:
            n = (n << 5) | (v & 31)
        else:
            n = (n << 5) | v
            prev = prev + n + 1
            out.append(prev)
            n = 0
    return out


def encode_entry(lists: tuple[list[int], list[int], list[int]]) -> str:
    """A gram's three per-level posting lists → its entry text (empty trailing lists dropped)."""
    parts = [encode_ids(ids) for ids in lists]
    while parts and not parts[-1]:
        parts.pop()
    return SEP.join(parts)


def decode_entry(text: str) -> dict[int, int]:
    """Entry text → {record id: best level}."""
    out: dict[int, int] = {}
    for level, part in enumerate(text.split(SEP)):
        for i in decode_ids(part):
            out[i] = level
    return out
