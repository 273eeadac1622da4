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
        return line


def count_feeds(site_dir: Path) -> int:
    """Feeds listed in feeds.opml (docs/formats.md: it lists every feed the site publishes)."""
    opml = site_dir / "feeds.opml"
    if not opml.is_file():
        return 0
    return len(re.findall(r"\bxmlUrl\s*=", opml.read_text(encoding="utf-8", errors="replace")))
