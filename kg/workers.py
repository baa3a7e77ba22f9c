"""Where the per-document work runs: this process, local worker processes, or a Dask cluster.

Why: one report is quick in-process; a corpus wants every core; a national collection wants
more machines. All three look the same to the build — a `concurrent.futures.Executor` plus
how many tasks it runs at once — so the graph cannot depend on where the work ran. Workers
load the models once each, on their first task; the parent never loads the segmenter.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

EXECUTORS = ("local", "dask")


class WorkersError(RuntimeError):
    """The workers could not be started or reached; the message says why."""


class InlineExecutor(Executor):
    """Runs each task at once in this process (one job: no worker to start or feed)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@dataclass
class Workers:
    """An executor and the number of tasks it runs at once."""

    executor: Executor
    slots: int
    where: str  # for messages: "in process", "2 local processes", "dask tcp://..."


def _init_worker(parent: int) -> None:
    """Ignore Ctrl-C (it reaches the whole process group; the parent alone handles it and stops
    the pool), and exit when the parent is gone: a killed build must not leave workers behind,
    each holding the models in memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


@contextmanager
def open_workers(
    executor: str = "local", jobs: int = 1, scheduler: str | None = None
) -> Iterator[Workers]:
    """Start (or connect to) the workers for one build and stop them afterwards.

    local: `jobs` spawned processes, or this process when jobs is 1. dask: the cluster whose
    scheduler is at `scheduler`, or, without one, a local cluster of `jobs` worker processes.
    """
    if executor == "dask":
        with _dask_workers(jobs, scheduler) as workers:
            yield workers
        return
    if executor != "local":
        raise WorkersError(f"unknown executor {executor!r} (choose from {', '.join(EXECUTORS)})")
    if jobs <= 1:
        yield Workers(InlineExecutor(), 1, "in process")
        return
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield Workers(pool, jobs, f"{jobs} local processes")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _dask_workers(jobs: int, scheduler: str | None) -> Iterator[Workers]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned dependency
        raise WorkersError("--executor dask needs the `distributed` package") from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
    except OSError as exc:
        raise WorkersError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        workers = client.scheduler_info()["workers"]
        if not workers:
            client.wait_for_workers(1, timeout=60)
            workers = client.scheduler_info()["workers"]
        slots = sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1
        where = f"dask {client.scheduler.address} ({len(workers)} workers, {slots} threads)"
        yield Workers(client.get_executor(), slots, where)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
