"""Writing every feed and the OPML into the site (feeds.py makes their bytes). Unchanged feeds (same
records, same bodies) are hard-linked from the last build's feed cache; writing them is the last long
step of a build, with one core left idle: above `Parallelism.feeds_split_min_items` items, a forked child (Background)
writes half of the feeds meanwhile (site_builder/parallel.py decides). Same bytes either way (tests/test_feeds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..plan.index import Index
from ..plan.urls import Links
from ..render.background import Background
from ..render.caches import PageCache
from ..parallel import DEFAULT, Parallelism
from . import feeds

@dataclass(frozen=True)
class FeedOptions:
    site_url: str
    site_name: str
    site_description: str
    length: int  # items per feed
    parallel: Parallelism = DEFAULT


def write_feeds(site: Path, index: Index, links: Links, feedset: feeds.FeedSet, o: FeedOptions, feed_html,
                cache_dir: Path | None) -> tuple[int, int]:
    """Every feed of `feedset` and feeds.opml into `site`: (feeds keyed, feeds written). Raises
    BackgroundError when the second writer failed."""
    feed_cache = PageCache(cache_dir, ".xml") if cache_dir else None
    items = sum(min(f.count, o.length) for f in feedset.feeds)
    split = o.parallel.processes(items, o.parallel.feeds_split_min_items) > 1
    parts = feeds.split_feeds(feedset, o.length, 2 if split else 1) or [set()]
    args = (site, index, links, feedset, o, feed_html, feed_cache)
    others = [Background(write_part, *args, part) for part in parts[1:]]
    try:
        used, keyed, written, opml = write_part(*args, parts[0])
    except BaseException:
        for job in others:
            job.cancel()
        raise
    for job in others:
        u, k, w, _ = job.result()
        used.update(u)
        keyed += k
        written += w
    if feed_cache:
        feed_cache.save(used)
    (site / feeds.OPML_PATH).write_bytes(opml)
    return keyed, written


def write_part(site: Path, index: Index, links: Links, feedset: feeds.FeedSet, o: FeedOptions, feed_html,
               feed_cache: PageCache | None, only: set[str]):
    """The feeds in `only`, written into the site: (cache entries used, feeds keyed, feeds written,
    the OPML)."""
    used = {}

    def skip(path, key):
        stamp = feed_cache.link(key, str(site / path))
        if stamp is not None:
            used[key] = stamp
        return stamp is not None

    fs = feeds.build_feeds(index, links, o.site_url, feed_html, o.length, o.site_name, o.site_description,
                           plan=feedset, item_keys=feed_html.body_keys if feed_cache else None,
                           skip=skip if feed_cache else None, only=only)
    for rel, data in sorted(fs.files.items()):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if feed_cache:
            stamp = feed_cache.store(fs.keys[rel], str(target))
            if stamp is not None:
                used[fs.keys[rel]] = stamp
    return used, len(fs.keys), len(fs.files), fs.opml
