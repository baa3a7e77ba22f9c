"""Where the per-report work runs does not change the graph: one process, local worker
processes, or a Dask cluster give the same bytes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SEED_FILES

from kg.cli import main
from kg.pipeline import build
from kg.workers import InlineExecutor, WorkersError, open_workers

SAME = ("graph.nq", "graph.ttl", "build-report.json", "mentions.csv", "index.html")


def test_a_dask_cluster_of_two_workers_builds_the_same_graph_as_one_process(tmp_path):
    from distributed import LocalCluster

    files = SEED_FILES[:2]
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        r = CliRunner().invoke(
            main,
            ["build", *map(str, files), "-o", str(tmp_path / "dask"), "--no-cache",
             "--executor", "dask", "--scheduler", cluster.scheduler_address],
        )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "workers:   dask tcp://" in r.stderr and "(2 workers, 2 threads)" in r.stderr
    build(files, tmp_path / "one")
    for name in SAME:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_the_parent_never_loads_the_segmenter_with_worker_processes(tmp_path):
    code = (
        "import sys; from pathlib import Path; from kg.pipeline import build; "
        "from kg.extract.pipeline import load_pipeline; "
        f"res = build([Path(p) for p in sys.argv[1:]], Path({str(tmp_path / 'o')!r}), "
        "jobs=2, validate=False); "
        "print(len(res.docs), load_pipeline.cache_info().currsize, 'pkuseg' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, SEED_FILES[:2])],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["2", "0", "False"], out.stderr


def test_scheduler_without_dask_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["build", str(SEED_FILES[0]), "--scheduler", "tcp://x:1"])
    assert r.exit_code == 2 and "--scheduler needs --executor dask" in r.output


def test_one_job_runs_in_this_process():
    with open_workers("local", 1) as w:
        assert isinstance(w.executor, InlineExecutor) and w.slots == 1
        assert w.executor.submit(pow, 2, 10).result() == 1024
        failed = w.executor.submit(int, "x")
        assert isinstance(failed.exception(), ValueError)


def test_an_unknown_executor_is_refused():
    with pytest.raises(WorkersError, match="unknown executor"), open_workers("spark"):
        pass
