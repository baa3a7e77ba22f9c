"""Stage 8: write the graph and build report, atomically and deterministically.

A build writes everything into a sibling temporary directory and swaps it in whole, so an
interrupted build leaves the previous outputs intact; serialisations are sorted or produced
from IRIs only, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (the default graph users query)."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns)
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def write_graph_files(ds: Dataset, out_dir: Path) -> list[Path]:
    """graph.ttl (the union, Turtle) and graph.nt (sorted N-Triples)."""
    g = union_graph(ds)
    ttl = out_dir / "graph.ttl"
    ttl.write_text(g.serialize(format="turtle"), encoding="utf-8")
    nt = out_dir / "graph.nt"
    lines = sorted(ln for ln in g.serialize(format="nt").splitlines() if ln.strip())
    nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [ttl, nt]


def write_json(path: Path, data: object) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def atomic_output_dir(out_dir: Path, fill: Callable[[Path], None]) -> None:
    """Let `fill` write a fresh directory, then swap it in for `out_dir` in one step.

    Dotfiles already in `out_dir` (such as the repository's outputs/.gitkeep) are carried over.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        fill(tmp)
        if out_dir.exists():
            for keep in out_dir.glob(".*"):
                if keep.is_file() and not (tmp / keep.name).exists():
                    shutil.copy2(keep, tmp / keep.name)
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
