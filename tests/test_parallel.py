"""Forked worker pools (site_builder/parallel.py): what the workers inherit, and the parent's memory they
must not copy."""

import ctypes
import gc
import os

import pytest

from site_builder import parallel
from site_builder.render import pool

_RENDER_CHUNK = pool._render_chunk


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _read_inherited(i: int):
    return parallel.inherited("test.value")[i], gc.get_freeze_count() > 0


needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no fork here")


@needs_fork
def test_workers_inherit_and_the_collector_is_restored():
    assert gc.get_freeze_count() == 0
    with parallel.handed_down("test.value", ["a", "b", "c"]):
        with parallel.fork_pool(2, maxtasksperchild=1) as pool:
            got = pool.map(_read_inherited, range(3), chunksize=1)
    assert [v for v, _ in got] == ["a", "b", "c"]
    assert all(frozen for _, frozen in got)  # the workers' collections leave the parent's objects alone
    assert gc.get_freeze_count() == 0  # and the parent's are collected again afterwards


@needs_fork
def test_an_outer_freeze_is_left_in_place():
    gc.freeze()
    try:
        with parallel.handed_down("test.value", [1]):
            with parallel.fork_pool(2) as pool:
                pool.map(_read_inherited, [0])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def _glibc() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "malloc_trim") and os.path.exists("/proc/self/statm")
    except OSError:
        return False


@pytest.mark.skipif(not _glibc(), reason="glibc only")
def test_freed_memory_goes_back_before_forking():
    # ~200 MB of small blocks freed behind one that stays: glibc keeps them in the heap, where a forked
    # worker's allocations would land (and be copied for it) unless they are given back first
    blocks = [bytes(1000) for _ in range(200_000)]
    keep = bytes(1000)
    before = _rss()
    del blocks
    assert _rss() > before - 50 * 2**20  # freed, but still the process's
    parallel.return_free_memory()
    assert _rss() < before - 150 * 2**20
    del keep


def _frozen_in_child():
    return gc.get_freeze_count() > 0


@needs_fork
def test_a_background_job_shares_memory_the_same_way():
    from site_builder.render.background import Background

    assert Background(_frozen_in_child).result() is True  # the child's collections leave the parent alone
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        assert Background(_frozen_in_child).result() is True
        assert gc.get_freeze_count() > 0  # an outer freeze is left in place (it was not, before)
    finally:
        gc.unfreeze()


def test_a_fresh_background_job_returns_its_value_or_the_childs_traceback(capfd):
    """fresh=True: a new interpreter, given the call through a pipe; what it prints does not spoil the
    result, and an exception comes back as BackgroundError with the child's traceback."""
    from site_builder.render.background import Background, BackgroundError

    assert Background(sorted, list(range(100_000, 0, -1)), fresh=True).result() == list(range(1, 100_001))
    assert Background(print, "话", fresh=True).result() is None
    assert "话" in capfd.readouterr().err
    with pytest.raises(BackgroundError, match=r"(?s)Traceback.*ValueError: invalid literal"):
        Background(int, "x", fresh=True).result()
    job = Background(pow, 2, 10, fresh=True)
    job.cancel()  # a cancelled job leaves no process behind
    assert job._proc is None


def test_a_collector_hold_keeps_the_build_objects_from_the_collector_and_gives_everything_back():
    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    hold = parallel.CollectorHold()
    records = [{"title": str(i)} for i in range(1000)]
    hold.extend()
    try:
        assert gc.get_freeze_count() >= len(records) and gc.get_threshold() == hold.THRESHOLDS
        pages = [[r] for r in records]
        hold.extend()  # the objects made since join them
        assert gc.get_freeze_count() >= len(records) + len(pages)
    finally:
        hold.release()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    hold.release()  # twice: nothing more
    assert gc.get_threshold() == before


def test_a_collector_hold_inside_another_leaves_that_freeze_to_its_owner():
    gc.freeze()
    try:
        outer = gc.get_freeze_count()
        hold = parallel.CollectorHold()
        hold.extend()
        hold.release()
        assert gc.get_freeze_count() == outer  # not thawed by the inner hold
    finally:
        gc.unfreeze()


@needs_fork
def test_forking_under_a_hold_does_not_count_the_frozen_objects(monkeypatch):
    """gc.get_freeze_count() walks every frozen object (at 100,000 records ~0.15 s at each of a one-edit
    build's forks): under a freeze of ours, a fork (and a hold's extend, and the pause while the parse
    cache is read) knows without it, and still leaves that freeze in place."""
    from site_builder.render.background import Background
    from site_builder.sources.validate import _collector_paused

    hold = parallel.CollectorHold()
    hold.extend()
    try:
        frozen = gc.get_freeze_count()

        def walk():
            raise AssertionError("gc.get_freeze_count() called under a freeze of ours")

        monkeypatch.setattr(gc, "get_freeze_count", walk)
        assert Background(pow, 2, 10).result() == 1024
        with parallel.fork_pool(2) as pool:
            assert pool.map(abs, [-1, -2]) == [1, 2]
        with _collector_paused():
            made = [[i] for i in range(100)]
        hold.extend()
        monkeypatch.undo()
        assert gc.get_freeze_count() >= frozen + len(made)  # not thawed by the forks
    finally:
        monkeypatch.undo()
        hold.release()
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_the_collector_as_it_found_it(tmp_path):
    """The plugin holds the collector off its objects from on_config to the end of on_post_build."""
    from conftest import copy_project
    from site_builder.commands.build import build_site

    project = copy_project(tmp_path / "p", caches=False)
    before = gc.get_threshold()
    assert (build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")) / "index.html").is_file()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_objects_made_while_the_collector_is_paused_join_a_freeze_already_there():
    """validate._collector_paused (reading the parse cache): inside a build's CollectorHold, what it made
    is frozen with the rest, so the first collection after it does not walk every record (0.4 s at
    100,000 records); outside any freeze, nothing is frozen."""
    import gc

    from site_builder.parallel import CollectorHold
    from site_builder.sources.validate import _collector_paused

    assert gc.get_freeze_count() == 0
    with _collector_paused():
        loose = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    hold = CollectorHold()
    hold.extend()
    try:
        before = gc.get_freeze_count()
        with _collector_paused():
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= before + len(made) and gc.isenabled()
    finally:
        hold.release()
    assert gc.get_freeze_count() == 0 and loose


def _chunk_telling_niceness(srcs):
    """pool._render_chunk, its notes telling the worker's niceness (module level: the pool pickles it)."""
    import logging

    rows, warnings, notes = _RENDER_CHUNK(srcs)
    return rows, warnings, (*notes, ("test.niceness", logging.INFO, f"niceness {os.nice(0)}"))


@needs_fork
def test_page_workers_run_below_the_builds_priority_so_the_search_index_beside_them_ends_first(
        tmp_path, monkeypatch, caplog):
    """Parallelism.render_niceness: each forked page worker (fresh ones included: maxtasksperchild) lowers
    its own priority, and only its own: the build's process, and the search index's built beside the
    pages, keep theirs."""
    import functools
    import logging

    from conftest import copy_project
    from site_builder.commands.build import build_site
    from site_builder.mkdocs_adapter import plugin
    monkeypatch.setattr(pool, "_render_chunk", _chunk_telling_niceness)
    monkeypatch.setattr(plugin, "Parallelism", functools.partial(
        parallel.Parallelism, workers=2, render_min_pages=1, render_chunks_per_worker=1))
    project = copy_project(tmp_path / "p", caches=False)
    before = os.nice(0)
    with caplog.at_level(logging.INFO, logger="test.niceness"):
        build_site(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    seen = {r.getMessage() for r in caplog.records if r.name == "test.niceness"}
    assert seen == {f"niceness {min(19, before + parallel.Parallelism.render_niceness)}"}
    assert parallel.Parallelism.render_niceness > 0 and os.nice(0) == before


@needs_fork
def test_records_parsed_in_workers_come_back_with_no_collection_in_the_parent_while_the_workers_collect(monkeypatch):
    """validate._parse_all: the records a first build's workers parse come back pickled, a million
    objects and no cycles, and each full collection in the parent walked all taken in so far (5 s of a
    100,000-record `disclosure check`). The pause starts after the fork: the workers keep collecting
    (it costs them little, and nothing a parse might leave in a cycle piles up)."""
    from pathlib import Path

    from site_builder.parallel import Parallelism
    from site_builder.sources import validate

    monkeypatch.setattr(validate, "_parse_one",  # a row of many objects, as a parsed record is
                        lambda abs_path, src, *rest: (src, gc.isenabled(), [[n] for n in range(50)]))
    parent, collections = os.getpid(), []

    def count(phase, info):
        if phase == "start" and os.getpid() == parent:
            collections.append(info["generation"])

    todo = [(f"/nowhere/{i}.md", f"records/{i}.md") for i in range(5000)]
    gc.callbacks.append(count)
    try:
        rows = validate._parse_all(todo, Path("/nowhere"), "content", None, Parallelism(workers=2))
    finally:
        gc.callbacks.remove(count)
    assert [src for src, *_ in rows] == [src for _, src in todo]
    assert all(enabled for _, enabled, _ in rows)  # in the workers
    # in the parent: ~350 collections of the rows' 250,000 lists before; now none but what starting the
    # pool may take, and the collector on again afterwards
    assert len(collections) <= 2 and gc.isenabled(), collections
