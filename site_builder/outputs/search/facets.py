"""facets.js: every record's facet codes, for the search page's filters (plain data in and out).

`__dxSearch.facets({"groups": [...], "columns": [[name, width], ...], "data": "..."})`:

- `groups`: the (发布机构, 领域) combinations the records have, `[department, [domain, ...]]` as
  indexes into meta.js's `departments` and `domains`, the most common first. A county's departments
  each publish in a few domains: ~100 combinations cover 10,000 records, and one code names both
  facets (a record without a domain counts under domain 0, as format 1 had it).
- `columns`: one code per record each, in record order, `width` bytes (1; 2 past 256 values):
  `grp` (into groups), `year` (minus meta.year0), `val` (into meta.validities), `prj` (into
  meta.projects, 0: none), `con` (into meta.consultations), then each labelled facet of meta.js
  (1 + the index of its value, 0: none).
- `data`: the columns' bytes one after another (a 2-byte column as its high bytes, then its low
  bytes), deflated at level 9 and base64-encoded (search.js inflates it with DecompressionStream).

A byte per code and one code for department and domains: at 10,000 records 11 kB as served (gzip),
against 22 kB for format 2's first form (a base64 character per code and column, the extra domains
by record id, as deflated JSON).
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter


def width(values: int) -> int:
    """Bytes per code for `values` possible codes (0 … values - 1)."""
    w = 1
    while values > 256 ** w:
        w += 1
    return w


def column_bytes(codes: list[int], w: int) -> bytes:
    """A column's codes as bytes: the high bytes first, then the lower ones (each plane compresses on
    its own)."""
    return b"".join(bytes((c >> (8 * k)) & 0xFF for c in codes) for k in reversed(range(w)))


def groups(dep_codes: list[int], dom_codes: list[tuple[int, ...]]) -> tuple[list[tuple], list[int]]:
    """(the distinct (department, domains) pairs, most common first; each record's index into them)."""
    pairs = list(zip(dep_codes, dom_codes))
    counts = Counter(pairs)
    order = sorted(counts, key=lambda p: (-counts[p], p))
    index = {p: k for k, p in enumerate(order)}
    return order, [index[p] for p in pairs]


def pack(dep_codes: list[int], dom_codes: list[tuple[int, ...]], columns: list[tuple[str, list[int], int]]) -> dict:
    """facets.js's object: `columns` are (name, codes, number of possible codes) after `grp`."""
    order, grp = groups(dep_codes, dom_codes)
    named = [("grp", grp, len(order)), *columns]
    layout = [[name, width(values)] for name, _, values in named]
    data = b"".join(column_bytes(codes, w) for (_, codes, _), (_, w) in zip(named, layout))
    return {
        "groups": [[dep, list(doms)] for dep, doms in order],
        "columns": layout,
        "data": base64.b64encode(zlib.compress(data, 9)).decode("ascii"),
    }


def unpack(facets: dict, n: int) -> dict[str, list]:
    """The codes of every column by name, and `dep`/`dom` from the groups (for tests and query.py)."""
    data = zlib.decompress(base64.b64decode(facets["data"]))
    out, at = {}, 0
    for name, w in facets["columns"]:
        planes = [data[at + k * n:at + (k + 1) * n] for k in range(w)]
        at += w * n
        out[name] = [sum(p[i] << (8 * (w - 1 - k)) for k, p in enumerate(planes)) for i in range(n)]
    out["dep"] = [facets["groups"][g][0] for g in out["grp"]]
    out["dom"] = [list(facets["groups"][g][1]) for g in out["grp"]]
    return out
