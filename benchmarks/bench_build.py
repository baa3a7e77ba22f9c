"""Print end-to-end `kg build` figures: seconds and the summed peak memory of all its processes.

Usage (from the repository root):
    python benchmarks/bench_build.py [--seeds DIR] [--corpus DIR] [--repeat N] [--json]

Runs, each as a fresh `kg build` subprocess (model loading included, as a user sees it):
- seeds, first run (empty cache) and warm run (same cache, nothing changed);
- the corpus with --jobs 1 and --jobs 2, no cache, interleaved, medians of --repeat runs;
- an incremental build: the corpus less its largest report is built with a cache, then the
  report is added and the build is run again (`--jobs 1`), against a full `--jobs 1` build.
Memory: every process of the build (the parent and its workers) is polled through /proc;
"peak of sum" (the summed peak RSS: what the machine must hold at once) is the largest sampled
sum of RSS; "sum of peaks" adds each process's own peak (VmHWM, kept by the kernel), an upper
bound that sampling cannot miss but that also adds processes never alive together (--jobs N
restarts its workers between the per-report stages and SHACL). "Effective cores" (two
CPU-bound processes against one) tells how much of the machine other work left.
Figures only, never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

KG = [sys.executable, "-m", "kg.cli", "build"]
DEFAULT_CORPUS = "../shared/corpus/provinces-2026"


def _vm(pid: int, field: str) -> int:
    """A /proc/PID/status field in bytes (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory:
    """Polls a process and its descendants: the peak of their summed RSS, and each one's peak."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.root = psutil.Process(pid)
        self.every = every
        self.peak_sum = 0
        self.hwm: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            total = 0
            for p in procs:
                rss = _vm(p.pid, "VmRSS")
                total += rss
                hwm = _vm(p.pid, "VmHWM")
                if hwm:
                    self.hwm[p.pid] = max(self.hwm.get(p.pid, 0), hwm)
            self.peak_sum = max(self.peak_sum, total)
            time.sleep(self.every)

    def stop(self) -> dict[str, Any]:
        self.done.set()
        self.thread.join()
        return {
            "peak_of_sum_mb": round(self.peak_sum / 2**20),
            "sum_of_peaks_mb": round(sum(self.hwm.values()) / 2**20),
            "processes": len(self.hwm),
        }


def run_build(args: list[str], out: Path) -> dict[str, Any]:
    """One `kg build` subprocess: wall seconds, memory, and the stage line it printed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*KG, *args, "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    mem = TreeMemory(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    fig = {"seconds": round(wall, 2), **mem.stop(), "rc": proc.returncode}
    stages = re.search(r"^stages:\s+(.*)$", err, re.M)
    if stages:
        fig["stages"] = {
            k: float(v) for k, v in re.findall(r"([A-Za-z][^,]*?) ([\d.]+) s", stages.group(1))
        }
    cache = re.search(r"^cache:\s+(.*)$", err, re.M)
    if cache:
        fig["cache"] = cache.group(1)
    if proc.returncode:
        fig["stderr_tail"] = err[-2000:]
    return fig


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = {
        "seconds": round(statistics.median(r["seconds"] for r in runs), 2),
        "runs_seconds": [r["seconds"] for r in runs],
        "peak_of_sum_mb": max(r["peak_of_sum_mb"] for r in runs),
        "sum_of_peaks_mb": max(r["sum_of_peaks_mb"] for r in runs),
    }
    stages = [r.get("stages", {}) for r in runs]
    if stages[0]:
        out["stages"] = {k: round(statistics.median(s.get(k, 0.0) for s in stages), 1)
                         for k in stages[0]}  # fmt: skip
    return out


def _burn(_: int) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(20_000_000):
        x += i
    return time.perf_counter() - t0


def effective_cores() -> float:
    """How many cores this machine gives right now: one CPU-bound task alone, then two at once
    in two processes. On a machine shared with other work this is below the core count, and
    a --jobs 2 speed-up cannot exceed it."""
    import multiprocessing as mp

    one = _burn(0)
    with mp.get_context("spawn").Pool(2) as pool:
        t0 = time.perf_counter()
        pool.map(_burn, [0, 1])
        two = time.perf_counter() - t0
    return round(2 * one / two, 2)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "effective_cores_at_start": effective_cores(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=Path("seeds"))
    ap.add_argument("--corpus", type=Path, default=Path(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=3, help="runs per corpus figure (median)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"machine": machine(), "command": " ".join(sys.argv)}
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        cache = work / "seed-cache"
        first = run_build([str(args.seeds), "--cache-dir", str(cache)], work / "s1")
        warm = run_build([str(args.seeds), "--cache-dir", str(cache)], work / "s1")
        report["seeds"] = {"first": first, "warm": warm}
        _say(f"seeds: first {first['seconds']} s, warm {warm['seconds']} s")
        if args.corpus.is_dir():
            report["corpus"] = corpus_figures(args, work)
        else:
            report["corpus"] = f"not found: {args.corpus}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["machine"]["effective_cores_at_end"] = effective_cores()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print_report(report)
    return 0


def corpus_figures(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    files = sorted(p for p in args.corpus.glob("*.txt"))
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    out: dict[str, Any] = {"documents": len(files), "characters": chars}
    runs: dict[int, list[dict[str, Any]]] = {j: [] for j in args.jobs}
    for i in range(args.repeat):  # interleaved, so a busy moment hurts every setting alike
        for j in args.jobs:
            fig = run_build([str(args.corpus), "--no-cache", "--jobs", str(j)], work / f"c{j}")
            runs[j].append(fig)
            _say(f"corpus --jobs {j} run {i + 1}: {fig['seconds']} s, "
                       f"{fig['sum_of_peaks_mb']} MB")  # fmt: skip
    for j, rs in runs.items():
        out[f"jobs_{j}"] = median_run(rs)
    if 1 in runs and 2 in runs:
        out["speedup_jobs_2"] = round(out["jobs_1"]["seconds"] / out["jobs_2"]["seconds"], 2)
    # incremental: the corpus less its largest report, built with a cache; then add the report
    largest = max(files, key=lambda p: p.stat().st_size)
    partial = work / "partial"
    partial.mkdir()
    for p in files:
        if p != largest:
            (partial / p.name).symlink_to(p.resolve())
    cache = work / "inc-cache"
    base = run_build([str(partial), "--cache-dir", str(cache), "--jobs", "1"], work / "inc")
    (partial / largest.name).symlink_to(largest.resolve())
    added = run_build([str(partial), "--cache-dir", str(cache), "--jobs", "1"], work / "inc")
    out["incremental"] = {
        "added_report": largest.name,
        "build_without_it_seconds": base["seconds"],
        "rebuild_with_it": added,
        "full_build_jobs_1_seconds": out.get("jobs_1", {}).get("seconds"),
    }
    _say(f"incremental: {added['seconds']} s ({added.get('cache')})")
    return out


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def print_report(r: dict[str, Any]) -> None:
    m = r["machine"]
    print(f"machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
          f"load average {m['load_average_at_start']} -> {m['load_average_at_end']}, "
          f"effective cores {m['effective_cores_at_start']} -> "
          f"{m['effective_cores_at_end']}")  # fmt: skip
    print(f"command: {r['command']}")
    print(f"{'build':42s}{'seconds':>9s}{'peak of sum MB':>16s}{'sum of peaks MB':>17s}")

    def row(label: str, f: dict[str, Any]) -> None:
        print(f"{label:42s}{f['seconds']:9.1f}{f['peak_of_sum_mb']:16d}{f['sum_of_peaks_mb']:17d}")

    row("seeds, first run", r["seeds"]["first"])
    row("seeds, warm run (cache)", r["seeds"]["warm"])
    c = r["corpus"]
    if isinstance(c, str):
        print(f"corpus: {c}")
        return
    for key in sorted(k for k in c if k.startswith("jobs_")):
        f = c[key]
        row(f"corpus, --jobs {key[5:]} (median of {len(f['runs_seconds'])})", f)
    inc = c["incremental"]
    row(f"corpus + {inc['added_report']} (incremental)", inc["rebuild_with_it"])
    print(f"corpus: {c['documents']} reports, {c['characters']:,} characters")
    if "speedup_jobs_2" in c:
        print(f"speed-up --jobs 2 over --jobs 1: {c['speedup_jobs_2']}x")
    for key in sorted(k for k in c if k.startswith("jobs_")):
        runs = ", ".join(f"{s:.1f}" for s in c[key]["runs_seconds"])
        print(f"  --jobs {key[5:]} runs: {runs} s")
        print("    stages: " + ", ".join(f"{k} {v} s" for k, v in c[key].get("stages", {}).items()))
    added = inc["rebuild_with_it"]
    print(f"incremental rebuild: {added['seconds']} s vs full --jobs 1 "
          f"{inc['full_build_jobs_1_seconds']} s; {added.get('cache')}")  # fmt: skip
    print("  stages: " + ", ".join(f"{k} {v} s" for k, v in added.get("stages", {}).items()))


if __name__ == "__main__":
    sys.exit(main())
