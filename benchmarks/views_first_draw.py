"""Time from opening overview.html to the network's first drawing, in headless Chromium.

Why: vis-network's default physics needs minutes to settle a few thousand nodes and freezes
the tab; the views lay the graph out at build time so the first draw should come at once.
Target: under 5 s on the project's machines. Figures only, never pass/fail.

    python benchmarks/views_first_draw.py [OUTPUT_DIR] [--repeat 5]

OUTPUT_DIR is a directory written by `kg build` (default: build ../shared/corpus/provinces-2026
with its manifest into a temporary directory first, without SHACL validation, and also time
writing the views alone). Each run opens the page from file:// in a fresh offline browser
(Debian's chromium through playwright, as the tests do) and reads `performance.now()` at the
first `afterDrawing` event, which counts from the start of navigation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import browser_missing, offline_page  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "provinces-2026"


def build_corpus(out: Path) -> None:
    from rdflib import Graph

    from kg.ingest import collect_paths
    from kg.link import listing_links
    from kg.metadata import read_manifest
    from kg.pipeline import build
    from kg.rdf import report_iri
    from kg.resolve import DEFAULT_BASE_IRI
    from kg.views import ViewData, write_views
    from kg.views.data import relations_from_graph

    files = collect_paths([CORPUS])
    started = time.perf_counter()
    res = build(files, out, manifest=read_manifest(CORPUS / "MANIFEST.tsv"), validate=False)
    print(f"kg build of {len(res.docs)} reports (no SHACL): {time.perf_counter() - started:.1f} s")
    # the views alone, from the same result, into a scratch directory
    iris = [str(report_iri(DEFAULT_BASE_IRI, d.name)) for d in res.docs]
    union = Graph().parse(out / "graph.nt", format="nt")
    nodes = [*(e.iri for e in res.entities), *iris]
    view = ViewData(
        res.docs,
        res.entities,
        relations_from_graph(union, nodes),
        res.division_links,
        listing_links(res.entities, res.docs),
    )
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        files_written = write_views(Path(scratch), view)
        took = time.perf_counter() - started
    print(
        f"write_views: {len(files_written)} files ({len(res.entities)} entity pages) "
        f"in {took:.1f} s"
    )


def first_draw(out: Path) -> dict[str, float]:
    with offline_page() as s:
        page = s.page
        started = time.perf_counter()
        page.goto((out / "overview.html").as_uri())  # type: ignore[attr-defined]
        page.wait_for_function("window.kgTimings && window.kgTimings.firstDraw > 0")  # type: ignore[attr-defined]
        wall = time.perf_counter() - started
        t = page.evaluate("window.kgTimings")  # type: ignore[attr-defined]
        shown = page.evaluate("kgOverview.visibleIds().length")  # type: ignore[attr-defined]
        page.evaluate(  # type: ignore[attr-defined]
            "() => { window.kgAll = new Promise(r => kgOverview.network.once('afterDrawing',"
            " () => r(performance.now()))); window.kgClick = performance.now(); }"
        )
        page.click("#show-all")  # type: ignore[attr-defined]
        all_drawn = page.evaluate("kgAll.then(t => t - kgClick)")  # type: ignore[attr-defined]
        total = page.evaluate("kgOverview.visibleIds().length")  # type: ignore[attr-defined]
        if s.errors or s.left_the_machine:
            print(f"  warning: errors {s.errors}, requests off the machine {s.left_the_machine}")
    return {
        "first_draw_s": t["firstDraw"] / 1000,
        "wall_s": wall,
        "shown": shown,
        "all_nodes": total,
        "all_draw_s": all_drawn / 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot run: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output
        if out is None:
            if not CORPUS.is_dir():
                sys.exit(f"no corpus at {CORPUS}; pass an OUTPUT_DIR written by kg build")
            out = Path(tmp) / "out"
            build_corpus(out)
        size = (out / "overview.html").stat().st_size
        runs = [first_draw(out) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"overview.html: {size / 1e6:.2f} MB; opens with {med['shown']:.0f} nodes shown, "
            f"{med['all_nodes']:.0f} after 'All'"
        )
        firsts = ", ".join(f"{r['first_draw_s']:.2f}" for r in runs)
        print(
            f"navigation → first afterDrawing: median {med['first_draw_s']:.2f} s "
            f"(runs: {firsts}; target < 5 s: {'met' if med['first_draw_s'] < 5 else 'NOT met'})"
        )
        print(f"goto → first draw seen by the driver: median {med['wall_s']:.2f} s")
        print(f"'All' clicked → drawn: median {med['all_draw_s']:.2f} s")


if __name__ == "__main__":
    main()
