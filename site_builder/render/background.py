"""Run one function in a forked child while the build goes on (the search index is built while the
pages render: both are CPU-bound and the machine has more than one core)."""

from __future__ import annotations

import os
import pickle
import signal
import traceback

from ..parallel import can_fork, sharing_memory


class BackgroundError(Exception):
    """The function raised in the child; the message carries the child's traceback."""


class Background:
    """`Background(fn, *args)` starts fn(*args) in a forked child; `result()` waits and returns its
    value (picklable) or raises BackgroundError. With `in_process` (work too small or too large to
    run beside the build), or without fork (Windows), it runs at result() in this process."""

    def __init__(self, fn, *args, in_process: bool = False, **kwargs):
        self._call = (fn, args, kwargs)
        self._pid = None
        self._fd = None
        if not in_process and can_fork():
            read, write = os.pipe()
            with sharing_memory():  # the child never leaves this block: it ends in os._exit
                pid = os.fork()
                if pid == 0:  # the child: run, report, leave without running the parent's cleanup
                    os.close(read)
                    try:
                        payload = pickle.dumps((True, fn(*args, **kwargs)))
                    except BaseException:  # noqa: BLE001 - everything goes back to the parent
                        payload = pickle.dumps((False, traceback.format_exc()))
                    try:
                        with os.fdopen(write, "wb") as fh:
                            fh.write(payload)
                    finally:
                        os._exit(0)
            os.close(write)
            self._pid, self._fd = pid, read

    def result(self):
        if self._pid is None:
            fn, args, kwargs = self._call
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - reported like the child's failures
                raise BackgroundError(f"{type(exc).__name__}: {exc}") from exc
        with os.fdopen(self._fd, "rb") as fh:
            data = fh.read()
        self._fd = None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not data:
            raise BackgroundError(f"the background process ended without a result (status {status})")
        ok, value = pickle.loads(data)
        if not ok:
            raise BackgroundError(value)
        return value

    def cancel(self) -> None:
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
        if self._fd is not None:
            os.close(self._fd)
        self._pid = self._fd = None
