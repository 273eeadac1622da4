"""The query engine, in Python: reads the files build.py wrote and answers a query exactly as the
browser client (theme/assets/search.js) does. Tests use it to prove recall against brute force; the
benchmark uses it to count what a query loads.

Matching and ranking (the same steps as search.js):

1. The query is folded (fold.py) and split on whitespace into words; every word is required.
2. A word's candidates are the records holding all of its grams (tokenize.word_grams: the character,
   the bigram, or up to 8 of its trigrams) — a superset of the records that contain the word, so
   nothing is missed.
3. A word's level in a record is the worst of its grams' best levels (title/tag 0, metadata 1, body 2):
   a word can only be in the title if every one of its grams is.
4. Rank, best first: for a multi-word query, records holding the bigram across every word boundary
   (the words likely adjacent: a phrase) first; then the sum of the words' level weights; then newer
   first (higher id: ids are given oldest first). This order uses the index only, so it is known before
   any text is loaded.
5. Verification: a record's text (doc store) is folded and every word looked up as a substring, field
   by field. Records that pass are the results; those that hold the word's grams but not the contiguous
   word (scattered) follow all of them, marked as such. The browser verifies lazily, page by page;
   this engine verifies everything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import encode
from .build import doc_file_records
from . import facets as facet_file
from .fold import fold
from .tokenize import query_words, word_grams

LEVEL_WEIGHT = (10, 4, 1)  # title/tag, metadata, body
_CALL = re.compile(r"^__dxSearch\.(\w+)\((.*)\);\s*$", re.S)


def _payload(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    m = _CALL.match(text)
    if not m:
        raise ValueError(f"{path}: not a search index file")
    return m.group(2)


@dataclass
class Outcome:
    words: list[str]
    ranked: list[int] = field(default_factory=list)  # candidates in rank order (index only)
    exact: list[int] = field(default_factory=list)  # verified, in rank order
    scattered: list[int] = field(default_factory=list)  # all grams but not contiguous, in rank order
    loaded_bytes: int = 0  # index bytes (meta + shards) this query needed


class SearchIndex:
    def __init__(self, search_dir):
        self.dir = Path(search_dir)
        meta_path = self.dir / "meta.js"
        self.meta = json.loads(_payload(meta_path))
        self.meta_bytes = meta_path.stat().st_size
        self._facets = None
        self._departments = dict(map(tuple, self.meta["departments"]))
        self._shards: dict[int, dict] = {}
        self._shard_bytes: dict[int, int] = {}
        self._docs: dict[int, dict] = {}
        self._touched: set[int] = set()

    @property
    def n(self) -> int:
        return self.meta["n"]

    def shard(self, s: int) -> dict:
        self._touched.add(s)
        if s not in self._shards:
            path = self.dir / "g" / f"{s}.js"
            payload = _payload(path)
            sid, _, body = payload.partition(",")
            assert int(sid) == s
            self._shards[s] = json.loads(body)
            self._shard_bytes[s] = path.stat().st_size
        return self._shards[s]

    def entry(self, gram: str) -> dict[int, int]:
        text = self.shard(encode.shard_of(gram, self.meta["shards"])).get(gram)
        return encode.decode_entry(text) if text else {}

    def doc(self, i: int) -> dict:
        if i not in self._docs:
            per_file = self.meta["docsPerFile"]
            path = self.dir / "d" / str(i // self.meta["docsPerDir"]) / f"{i // per_file}.js"
            first = i - i % per_file
            for k, entry in enumerate(doc_file_records(path.read_bytes())):
                self._docs[first + k] = entry
        return self._docs[i]

    @property
    def facets(self) -> dict:
        """facets.js's codes of every record by column (facets.py; the browser loads them only for the
        filters)."""
        if self._facets is None:
            self._facets = facet_file.unpack(json.loads(_payload(self.dir / "facets.js")), self.n)
        return self._facets

    def record_facets(self, i: int) -> dict:
        """Record i's facet values as facets.js codes them (what the browser's filters count):
        department and domain ids, year, validity, project name, consultation key, and each labelled
        facet's value label ("" for none)."""
        f, m = self.facets, self.meta
        out = {"dep": m["departments"][f["dep"][i]][0],
               "dom": [m["domains"][d][0] for d in f["dom"][i]],
               "year": m["year0"] + f["year"][i],
               "val": m["validities"][f["val"][i]],
               "prj": m["projects"][f["prj"][i]],
               "con": m["consultationKeys"][f["con"][i]]}
        for x in m["labelledFacets"]:
            code = f[x["key"]][i]
            out[x["key"]] = x["values"][code - 1] if code else ""
        return out

    def department_name(self, i: int) -> str:
        return self._departments[self.doc(i)["p"]]

    def field_texts(self, i: int) -> tuple[str, str, str]:
        d = self.doc(i)
        return ("\n".join([d["t"], *d["g"]]),
                "\n".join([d["s"], d["n"], d["o"], self.department_name(i)]),
                d["b"])

    def contains(self, i: int, words: list[str]) -> bool:
        folded = [fold(t) for t in self.field_texts(i)]
        return all(any(w in t for t in folded) for w in words)

    def search(self, query: str, verify: bool = True) -> Outcome:
        words = query_words(query)
        out = Outcome(words)
        if not words:
            return out
        self._touched = set()
        levels: dict[int, int] | None = None  # record → summed weight
        cands: set[int] | None = None
        for w in words:
            word_level: dict[int, int] | None = None
            for g in word_grams(w):
                e = self.entry(g)
                if word_level is None:
                    word_level = dict(e)
                else:
                    word_level = {i: max(lv, e[i]) for i, lv in word_level.items() if i in e}
                if not word_level:
                    break
            word_level = word_level or {}
            cands = set(word_level) if cands is None else cands & set(word_level)
            if levels is None:
                levels = {i: LEVEL_WEIGHT[lv] for i, lv in word_level.items()}
            else:
                levels = {i: s + LEVEL_WEIGHT[word_level[i]] for i, s in levels.items() if i in word_level}
            if not cands:
                break
        cands = cands or set()
        phrase = {i: 1 for i in cands}
        if len(words) > 1 and cands:
            for a, b in zip(words, words[1:]):
                e = self.entry(a[-1] + b[0])
                for i in cands:
                    if i not in e:
                        phrase[i] = 0
        out.ranked = sorted(cands, key=lambda i: (-phrase[i], -levels[i], -i))
        out.loaded_bytes = self.meta_bytes + sum(self._shard_bytes[s] for s in self._touched)
        if verify:
            for i in out.ranked:
                (out.exact if self.contains(i, words) else out.scattered).append(i)
        return out
