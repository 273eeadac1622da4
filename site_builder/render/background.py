"""Run one function in a forked child while the build goes on (the search index is built while the
pages render: both are CPU-bound and the machine has more than one core), or in a fresh interpreter.

A forked child shares the parent's memory only until either side writes to a page; reading a Python
object writes its reference count. When both sides go on reading the same large heap (the records, at
100,000 of them ~1 GB), the machine ends up holding two copies: `fresh=True` starts a new interpreter
instead, which gets the arguments pickled through a pipe and holds nothing of this process."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import traceback

from ..parallel import can_fork, sharing_memory


class BackgroundError(Exception):
    """The function raised in the child; the message carries the child's traceback."""


class Background:
    """`Background(fn, *args)` starts fn(*args) in a forked child; `result()` waits and returns its
    value (picklable) or raises BackgroundError. With `fresh`, in a new interpreter (fn and its
    arguments picklable). With `in_process` (work too small to run beside the build), or without
    fork (Windows), it runs at result() in this process."""

    def __init__(self, fn, *args, in_process: bool = False, fresh: bool = False, **kwargs):
        self._call = (fn, args, kwargs)
        self._pid = None
        self._fd = None
        self._proc = None
        if fresh and not in_process:
            self._call = None  # the arguments live in the child only
            self._proc = _start_fresh(fn, args, kwargs)
        elif not in_process and can_fork():
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
        if self._proc is not None:
            return self._fresh_result()
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
        return _answer(data, status)

    def _fresh_result(self):
        proc, self._proc = self._proc, None
        data = proc.stdout.read()
        proc.stdout.close()
        return _answer(data, proc.wait())

    def cancel(self) -> None:
        if self._proc is not None:
            proc, self._proc = self._proc, None
            proc.kill()
            proc.stdout.close()
            proc.wait()
            return
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


def _answer(data: bytes, status: int):
    """What the child sent: its function's value, or BackgroundError with its traceback."""
    if not data:
        raise BackgroundError(f"the background process ended without a result (status {status})")
    ok, value = pickle.loads(data)
    if not ok:
        raise BackgroundError(value)
    return value


def _start_fresh(fn, args, kwargs) -> subprocess.Popen:
    """A new interpreter running fn(*args, **kwargs) (see _main): the call goes down its standard input,
    the result comes back on its standard output, its messages go to this process's standard error."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # the same site_builder
    proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=env)
    try:
        pickle.dump((fn, args, kwargs), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)  # streamed, not one copy
        proc.stdin.close()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def _main() -> None:
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the function prints goes with its messages, not into the result
    try:
        fn, args, kwargs = pickle.load(sys.stdin.buffer)
        payload = pickle.dumps((True, fn(*args, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        payload = pickle.dumps((False, traceback.format_exc()))
    with result:
        result.write(payload)


if __name__ == "__main__":
    _main()
