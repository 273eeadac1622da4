"""How many processes each step of the build uses, decided in one place, and the state forked workers
inherit.

The steps that run in parallel (parsing records, rendering pages, linking cached pages, writing feeds, building and
patching the search index) fork: the workers inherit the parent's memory (the index, MkDocs' files and
templates) instead of having it pickled to them. Forking costs ~10 ms and some copied memory per worker,
so each step forks only above a size; those sizes are the fields of `Parallelism`, the one object the
plugin makes from its `workers` option and hands to every step (bench/README.md tells how to measure
one). Tests make their own `Parallelism` to force a path.

What a step's workers inherit is put here with `handed_down` right before the fork and read with
`inherited` in the worker: one module holds the forked workers' state, not a global per module.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import sys
from dataclasses import dataclass


def can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Parallelism:
    workers: int = 0  # processes per step; 0: one per core (the plugin's `workers` option)
    parse_min_files: int = 2_000  # record files to parse below which one process reads them
    render_min_pages: int = 200  # pages to render below which one process does it
    render_chunks_per_worker: int = 4  # chunks (≤ 500 pages) a render worker takes before a fresh one replaces it
    # niceness a render worker adds to its own: the search index's process, built beside the pages, then
    # gets a core of its own and ends before them (at 100,000 records, sharing the cores as equals, it ran
    # on alone for the last ~35 s with the other core idle)
    render_niceness: int = 5
    link_min_pages: int = 1000  # cached pages to link before a separate process pays for itself
    feeds_split_min_items: int = 2_000  # feed items below which one process writes every feed
    search_beside_pages_max: int = 30_000  # records above which the search index is built in a fresh process (memory)
    search_min_docs: int = 1_500  # records below which the search index is built in one process
    search_docs_per_task: int = 1_500  # records per search worker task (bounds a worker's memory)
    search_patch_min_shards: int = 256  # shards to patch below which one process patches them

    def cores(self) -> int:
        """The processes a step may use: the `workers` option, or one per core."""
        return max(1, self.workers or os.cpu_count() or 1)

    def processes(self, amount: int, minimum: int) -> int:
        """Processes for a step with `amount` of work, where forking pays from `minimum` on: one below
        it, on one core, or where the system cannot fork."""
        if amount < minimum or not can_fork():
            return 1
        return self.cores()


DEFAULT = Parallelism()

_HANDED_DOWN: dict[str, object] = {}


@contextlib.contextmanager
def handed_down(name: str, value):
    """While the block runs, `value` is what workers forked in it read with `inherited(name)`."""
    _HANDED_DOWN[name] = value
    try:
        yield value
    finally:
        _HANDED_DOWN.pop(name, None)


def return_free_memory() -> None:
    """Give back to the system the memory this process has freed (glibc keeps it in the heap for reuse;
    elsewhere than glibc, nothing is done)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


_freezes_in_force = 0  # ours (CollectorHold, sharing_memory), in this process; a forked child inherits them


def objects_frozen() -> bool:
    """Whether objects are frozen (gc.freeze) in this process. gc.get_freeze_count() walks every frozen
    object: with a build's objects frozen, at 100,000 records, ~0.15 s at each fork. A freeze of ours in
    force answers without it; the walk is left for a freeze of someone else's (or none: then it is empty)."""
    return _freezes_in_force > 0 or gc.get_freeze_count() > 0


class CollectorHold:
    """The cycle collector kept off a build's objects until `release`: those made so far (records,
    index, MkDocs' files and pages) moved out of its sight (`extend` again once more are made), and
    collections of the rest made rarer, as in the render workers. The build's objects live until it
    ends and make no cycles worth collecting, yet each full collection walked them all: at 100,000
    records seven of them took 5.9 s of a 37 s one-edit build. Within a hold it did not start (a forked
    child's `sharing_memory`) it leaves the objects to that one's owner."""

    THRESHOLDS = (50_000, 20, 20)

    def __init__(self):
        self._mine = False
        self._thresholds: tuple | None = None

    def extend(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(*self.THRESHOLDS)
        global _freezes_in_force
        if not self._mine and objects_frozen():
            return
        gc.freeze()
        if not self._mine:
            _freezes_in_force += 1
        self._mine = True

    def release(self) -> None:
        global _freezes_in_force
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        if self._mine:
            _freezes_in_force -= 1
            gc.unfreeze()
            self._mine = False


@contextlib.contextmanager
def sharing_memory():
    """Around a fork, so that the child shares the parent's memory without copying it.

    A forked child shares the parent's pages until one side writes to one; then the kernel copies that
    page for the writer, and the other side's copy becomes its own alone. Two things wrote to them:
    - the cycle collector, which writes to every object it visits: objects made so far are moved where
      it never looks until the block ends (in the child, which never leaves the block, for good; inside
      a child whose objects are frozen already, they stay frozen);
    - the child's allocations, which glibc placed in the freed memory of the heap it inherited: the
      parent gives it back to the system first. At 100,000 records the parent's heap held ~0.8 GB of
      it after reading the records: the build's memory while pages render went from 2.9 to 2.1 GB
      (PSS), and the search index's encoding workers no longer copied 0.55 GB each of it."""
    global _freezes_in_force
    outer = objects_frozen()
    gc.freeze()
    _freezes_in_force += 1
    return_free_memory()
    try:
        yield
    finally:
        _freezes_in_force -= 1
        if not outer:
            gc.unfreeze()


@contextlib.contextmanager
def fork_pool(workers: int, **kwargs):
    """A `multiprocessing` pool of forked workers that share the parent's memory (`sharing_memory`)."""
    with sharing_memory(), multiprocessing.get_context("fork").Pool(workers, **kwargs) as pool:
        yield pool


def inherited(name: str):
    """In a forked worker (or in the process that handed it down): the value handed down as `name`."""
    return _HANDED_DOWN[name]
