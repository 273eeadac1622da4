"""Build progress for large sites: a line every 1,000 pages rendered, and a summary at the end."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

EVERY = 1000


class Progress:
    def __init__(self, log: logging.Logger, every: int = EVERY):
        self.log = log
        self.every = every
        self.started = time.monotonic()
        self._reported = 0
        self._phases: list[tuple[str, float]] = []  # (phase, when it ended)

    def phase(self, name: str) -> None:
        """The build step `name` has just ended: its time goes into the summary's debug line."""
        self._phases.append((name, time.monotonic()))

    def phases(self) -> list[tuple[str, float]]:
        """(step, seconds) in order, each from the end of the one before (the first from the start)."""
        out, before = [], self.started
        for name, end in self._phases:
            out.append((name, end - before))
            before = end
        return out

    def rendered(self, done: int, total: int) -> None:
        """Callback for the page renderer (cumulative counts): logs each time a multiple of `every` is passed."""
        if total >= self.every and done // self.every > self._reported // self.every:
            self.log.info(f"已生成 {done:,}/{total:,} 个页面（{done * 100 // total}%）")
        self._reported = done

    def summary(self, records: int, pages: int, feeds: int) -> str:
        seconds = time.monotonic() - self.started
        line = (f"生成完毕：公开信息 {records:,} 条，页面 {pages:,} 个，RSS 订阅源 {feeds:,} 个，"
                f"用时 {seconds:.1f} 秒")
        self.log.info(line)
        if self._phases:  # `disclosure build -v`: where the time went
            self.log.debug("用时分布：" + "，".join(f"{name} {sec:.1f} 秒" for name, sec in self.phases()))
        return line


def count_feeds(site_dir: Path) -> int:
    """Feeds listed in feeds.opml (docs/formats.md: it lists every feed the site publishes)."""
    opml = site_dir / "feeds.opml"
    if not opml.is_file():
        return 0
    return len(re.findall(r"\bxmlUrl\s*=", opml.read_text(encoding="utf-8", errors="replace")))
