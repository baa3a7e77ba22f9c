"""An interrupted build — Ctrl-C (SIGINT) or kill -9 (SIGKILL), while it processes reports or
while it writes — leaves the previous outputs exactly as they were."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import SEED_FILES

from kg.pipeline import build


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "out"
    build(SEED_FILES[:1], out, validate=False)
    return out


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def _ctrl_c_reaches_it() -> None:
    """Restore SIGINT's default in the build, as in a terminal: a test runner started in the
    background of a non-interactive shell (`make test &`) ignores SIGINT, every child inherits
    that, and the build would then finish and swap in new outputs instead of stopping."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(out: Path, jobs: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "kg.cli", "build", *map(str, SEED_FILES[:2]), "-o", str(out),
           "--no-validate", "--no-cache", "--jobs", str(jobs)]  # fmt: skip
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_ctrl_c_reaches_it
    )


def _wait_for(cond, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            pytest.fail("the build ended before it could be interrupted")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail("the build never reached the point to interrupt")
        time.sleep(0.01)


def _interrupt(proc: subprocess.Popen[bytes], sig: int) -> tuple[int, str]:
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    _, alive = psutil.wait_procs(children, timeout=30)
    for p in alive:  # not expected; keep the machine clean either way
        p.kill()
    assert not alive, f"worker processes outlived the build: {alive}"
    return proc.returncode, err.decode("utf-8", "replace")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_while_processing_reports(tmp_path, previous, sig):
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    before = _snapshot(out)
    proc = _start(out, jobs=2)
    # once the two workers run, the reports are being processed (loading takes seconds)
    _wait_for(lambda: len(psutil.Process(proc.pid).children(recursive=True)) >= 2, proc)
    time.sleep(1.0)
    rc, err = _interrupt(proc, sig)
    assert _snapshot(out) == before
    if sig == signal.SIGINT:
        assert rc == 130 and "interrupted" in err
    assert not list(tmp_path.glob(".out.tmp-*")) or sig == signal.SIGKILL


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_while_writing_outputs(tmp_path, previous, sig):
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    before = _snapshot(out)
    proc = _start(out, jobs=1)
    _wait_for(lambda: any(tmp_path.glob(f".out.tmp-{proc.pid}-*")), proc)
    rc, err = _interrupt(proc, sig)
    assert _snapshot(out) == before
    leftovers = list(tmp_path.glob(".out.tmp-*"))
    if sig == signal.SIGINT:
        assert rc == 130 and "left as it was" in err
        assert not leftovers
    else:
        assert rc == -signal.SIGKILL
        # the next build clears what the killed one left and swaps in complete outputs
        res = build(SEED_FILES[:1], out, validate=False)
        assert res.docs and not list(tmp_path.glob(".out.tmp-*"))
        assert (out / "graph.nq").read_bytes() == before["graph.nq"]


def test_reports_finished_before_a_kill_are_not_processed_again(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    cmd = [sys.executable, "-m", "kg.cli", "build", *map(str, SEED_FILES[:3]), "-o", str(out),
           "--no-validate", "--cache-dir", str(cache)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for(lambda: any(cache.rglob("*.pickle")), proc)
    _interrupt(proc, signal.SIGKILL)
    kept = len(list(cache.rglob("*.pickle")))
    assert 1 <= kept < 3 and not out.exists()
    res = build(SEED_FILES[:3], out, validate=False, cache_dir=cache)
    assert res.reused == kept and len(res.docs) == 3
