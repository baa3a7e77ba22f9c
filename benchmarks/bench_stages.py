"""Print per-stage throughput (characters per second) of the pipeline on a set of reports.

Usage: python benchmarks/bench_stages.py [PATH ...]   (default: seeds/)
Figures only, never pass/fail; medians of --repeat runs, model loading excluded.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from kg.extract import extract_mentions, load_pipeline
from kg.ingest import collect_paths, read_document
from kg.normalize import normalize_document
from kg.rdf import build_dataset
from kg.resolve import resolve_entities


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="*", default=["seeds"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = collect_paths(args.paths)
    t0 = time.perf_counter()
    load_pipeline()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    timings: dict[str, list[float]] = {"ingest+normalise": [], "extract": [], "resolve+rdf": []}
    chars = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        docs = [normalize_document(read_document(p)) for p in files]
        timings["ingest+normalise"].append(time.perf_counter() - t)
        chars = sum(len(d.raw) for d in docs)
        t = time.perf_counter()
        mentions = [m for d in docs for m in extract_mentions(d)]
        timings["extract"].append(time.perf_counter() - t)
        t = time.perf_counter()
        ents = resolve_entities(mentions, {d.name: d.metadata.region_code for d in docs})
        build_dataset(docs, ents)
        timings["resolve+rdf"].append(time.perf_counter() - t)
    print(f"documents: {len(files)}, characters: {chars}")
    for stage, ts in timings.items():
        med = statistics.median(ts)
        print(f"{stage:18s} median {med:7.3f} s  {chars / med:12,.0f} chars/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
