"""What a build of the search index did (`BuildStats`, plain data).

Apart from build.py because the index is built in a process of its own, and the build's main process,
which reads these back, never imports numpy (see writer.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class BuildStats:
    records: int = 0
    grams: int = 0
    postings: int = 0
    shards: int = 0
    shard_bytes: int = 0
    doc_bytes: int = 0
    meta_bytes: int = 0  # meta.js and facets.js
    text_chars: int = 0
    workers: int = 1
    cache_hits: int = 0
    mode: str = "full"  # full, or incremental (the previous build's output patched; see incremental.py)
    changed: int = 0  # incremental: record ids whose record changed, appeared or went
    why_full: str = ""  # with a cache, why the build was not incremental
    seconds: dict = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return self.shard_bytes + self.doc_bytes + self.meta_bytes

    def as_dict(self) -> dict:
        d = asdict(self)
        d["total_bytes"] = self.total_bytes
        return d
