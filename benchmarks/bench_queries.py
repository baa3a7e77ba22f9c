"""Median latency of every example query in the tool's store (Oxigraph) and in plain rdflib.

Why: rdflib's SPARQL engine stalls on larger graphs; this shows by how much on the graph built
from the provincial corpus. Figures only, never pass/fail.

    python benchmarks/bench_queries.py [OUTPUT_DIR] [--repeat 5] [--rdflib-limit 60]

OUTPUT_DIR is a directory written by `kg build` (default: build ../shared/corpus/provinces-2026
into a temporary directory first, without SHACL validation). rdflib gets the same union graph
(graph.nt) and each of its queries runs in a child process stopped at --rdflib-limit seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.ontology import QUERIES_DIR  # noqa: E402
from kg.store import STORE_DIR, open_store, run  # noqa: E402


def _rdflib_worker(nt: str, query: str, repeat: int, conn: object) -> None:
    from rdflib import Graph

    g = Graph()
    g.parse(nt, format="nt")
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        len(list(g.query(query)))
        times.append(time.perf_counter() - t)
    conn.send(statistics.median(times))  # type: ignore[attr-defined]


def _rdflib_median(nt: Path, query: str, repeat: int, limit: float) -> float | None:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # the parse happens in the child too, so the limit is generous by the load time
    load_allowance = _RDFLIB_LOAD_S.get(str(nt), 0.0)
    proc = ctx.Process(target=_rdflib_worker, args=(str(nt), query, repeat, child))
    proc.start()
    try:
        if parent.poll(load_allowance + limit * repeat):
            return float(parent.recv())
        return None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


_RDFLIB_LOAD_S: dict[str, float] = {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rdflib-limit", type=float, default=60.0)
    args = ap.parse_args()
    out = args.out
    if out is None:
        from kg.ingest import collect_paths
        from kg.pipeline import build

        out = Path(tempfile.mkdtemp(prefix="kg-bench-")) / "out"
        corpus = ROOT.parent / "shared" / "corpus" / "provinces-2026"
        t = time.perf_counter()
        res = build(collect_paths([corpus]), out, validate=False)
        print(f"built {len(res.docs)} reports, {res.triples} triples in "
              f"{time.perf_counter() - t:.1f} s into {out}")  # fmt: skip
    nt = out / "graph.nt"
    from rdflib import Graph

    t = time.perf_counter()
    n = len(Graph().parse(nt, format="nt"))
    _RDFLIB_LOAD_S[str(nt)] = time.perf_counter() - t
    print(f"rdflib load of graph.nt: {_RDFLIB_LOAD_S[str(nt)]:.1f} s ({n} triples)")
    store = open_store(out / STORE_DIR)
    print(f"{'query':40} {'oxigraph ms':>12} {'rdflib ms':>12} {'ratio':>8}")
    from kg.store import QUERY_PREFIXES

    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            len(list(run(store, text)))
            times.append(time.perf_counter() - t)
        ox_ms = statistics.median(times) * 1000
        prefixed = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items()
                           if f"PREFIX {p}:" not in text) + text  # fmt: skip
        rd = _rdflib_median(nt, prefixed, args.repeat, args.rdflib_limit)
        rd_text = (
            f"{rd * 1000:12.1f}"
            if rd is not None
            else f"{'>' + str(int(args.rdflib_limit)) + ' s':>12}"
        )
        ratio = f"{rd * 1000 / ox_ms:8.0f}" if rd is not None and ox_ms > 0 else f"{'-':>8}"
        print(f"{path.stem:40} {ox_ms:12.1f} {rd_text} {ratio}")


if __name__ == "__main__":
    main()
