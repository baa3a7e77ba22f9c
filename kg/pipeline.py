"""The build: per-document stages, then graph-level stages. The CLI only calls these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kg import __version__
from kg.export import (
    atomic_output_dir,
    union_graph,
    write_csv,
    write_graph_files,
    write_json,
    write_tables,
)
from kg.extract import extract_mentions
from kg.extract.user_names import UserNames
from kg.ingest import IngestError, read_document
from kg.link import DivisionLink, link_divisions, listing_links, to_verify
from kg.metadata import manifest_metadata
from kg.model import ENTITY_TYPES, Entity, Mention, NormalizedDocument
from kg.normalize import normalize_document
from kg.ontology import ontology_html
from kg.rdf import build_dataset, graph_iri, mention_iri, report_iri
from kg.relations import Fact, extract_relations
from kg.resolve import DEFAULT_BASE_IRI, Merge, resolve_entities, retired_iris
from kg.views import ViewData, write_views
from kg.views.data import relations_from_graph


@dataclass
class DocResult:
    """What the per-document stages give: the normalised document, its mentions and facts."""

    doc: NormalizedDocument
    mentions: list[Mention]
    facts: list[Fact] = field(default_factory=list)


@dataclass
class BuildResult:
    docs: list[NormalizedDocument] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    triples: int = 0
    validation: dict[str, dict[str, object]] = field(default_factory=dict)
    division_links: list[DivisionLink] = field(default_factory=list)


Manifest = dict[str, dict[str, str]]
T = TypeVar("T")


def normalize_path(path: Path, manifest: Manifest | None = None) -> NormalizedDocument:
    """Ingest and normalise one report; a manifest row for its file name overrides metadata."""
    raw = read_document(path)
    row = (manifest or {}).get(path.name)
    return normalize_document(raw, manifest_metadata(row) if row else None)


def process_document(
    path: Path, manifest: Manifest | None = None, names: UserNames | None = None
) -> DocResult:
    """Ingest, normalise and extract one report (raises IngestError for unusable input)."""
    doc = normalize_path(path, manifest)
    mentions = extract_mentions(doc, names)
    return DocResult(doc, mentions, extract_relations(doc, mentions))


def _process_one(
    p: Path, manifest: Manifest | None, names: UserNames | None = None
) -> tuple[Path, DocResult | None, dict[str, str] | None]:
    try:
        return p, process_document(p, manifest, names), None
    except IngestError as exc:
        return p, None, {"file": str(p), "error": exc.reason}


def _in_workers(jobs: int, fn: Callable[..., T], *iterables: Iterable[object]) -> Iterator[T]:
    """`map` over `jobs` spawned worker processes, results in input order."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("spawn")  # a fresh interpreter per worker: no inherited state
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield from pool.map(fn, *iterables, chunksize=1)


def process_all(
    paths: Iterable[Path],
    on_done: Callable[[Path], None] | None = None,
    manifest: Manifest | None = None,
    jobs: int = 1,
    names: UserNames | None = None,
) -> tuple[list[DocResult], list[dict[str, str]]]:
    """Run the per-document stages; a bad file is reported and the others go on.

    With jobs > 1 the documents go to worker processes, each loading the models once; the
    parent never loads the segmenter. Results come back in input order either way, so the
    graph does not depend on the number of workers.
    """
    paths = list(paths)
    done: list[tuple[Path, DocResult | None, dict[str, str] | None]] = []
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            done.append(_process_one(p, manifest, names))
            if on_done:
                on_done(p)
    else:
        for item in _in_workers(
            jobs, _process_one, paths, [manifest] * len(paths), [names] * len(paths)
        ):
            done.append(item)
            if on_done:
                on_done(item[0])
    results = [r for _, r, _ in done if r is not None]
    errors = [e for _, _, e in done if e is not None]
    return results, errors


def region_codes(docs: Iterable[NormalizedDocument]) -> dict[str, str | None]:
    return {d.name: d.metadata.region_code for d in docs}


def build(
    paths: list[Path],
    out_dir: Path,
    base: str = DEFAULT_BASE_IRI,
    on_done: Callable[[Path], None] | None = None,
    manifest: Manifest | None = None,
    validate: bool = True,
    license: str | None = None,
    merges: dict[tuple[str, str], Merge] | None = None,
    jobs: int = 1,
    names: UserNames | None = None,
) -> BuildResult:
    """Build every output for the given reports into out_dir (swapped in atomically)."""
    from kg.validate import report_subgraphs, validate_graph
    from kg.void import DEFAULT_LICENSE, describe

    results, errors = process_all(paths, on_done, manifest, jobs, names)
    res = BuildResult(errors=errors)
    res.docs = [r.doc for r in results]
    res.mentions = [m for r in results for m in r.mentions]
    res.facts = [f for r in results for f in r.facts]
    if not res.docs:
        return res
    regions = region_codes(res.docs)
    res.entities = resolve_entities(res.mentions, regions, base, merges)
    retired = retired_iris(res.mentions, regions, merges or {}, base)
    res.division_links = link_divisions(res.entities, res.docs)
    listings = listing_links(res.entities, res.docs)
    ds = build_dataset(
        res.docs, res.entities, base, retired, res.division_links, listings, res.facts
    )
    res.triples = len(ds)
    if validate:
        subgraphs = list(report_subgraphs(ds, graph_iri(base, "entities")))
        if jobs > 1 and len(subgraphs) > 1:
            from kg.validate import validate_ntriples

            texts = [g.serialize(format="nt") for _, g in subgraphs]
            reports = list(_in_workers(jobs, validate_ntriples, texts))
        else:
            reports = [validate_graph(g).to_dict() for _, g in subgraphs]
        for (graph_name, _), report in zip(subgraphs, reports, strict=True):
            res.validation[graph_name] = report
    union = union_graph(ds)
    void = describe(
        ds,
        union,
        base,
        [d.name for d in res.docs],
        [d.metadata.date for d in res.docs if d.metadata.date],
        license or DEFAULT_LICENSE,
    )

    nodes = [*(e.iri for e in res.entities), *(str(report_iri(base, d.name)) for d in res.docs)]
    relations = relations_from_graph(union, nodes)
    view = ViewData(
        res.docs, res.entities, relations, res.division_links, listings, base, res.facts
    )

    def fill(tmp: Path) -> None:
        from kg.store import STORE_DIR, write_store

        write_graph_files(ds, union, tmp)
        write_store((tmp / "graph.nq").read_text(encoding="utf-8"), tmp / STORE_DIR)
        (tmp / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
        (tmp / "ontology.html").write_text(ontology_html(), encoding="utf-8")
        write_tables(tmp, res.docs, res.entities, lambda m: str(mention_iri(base, m)))
        write_csv(
            tmp / "links-to-verify.csv",
            ["iri", "type", "name", "target", "hint", "reason"],
            to_verify(res.entities, res.division_links),
        )
        write_views(tmp, view)
        write_json(tmp / "build-report.json", build_report(res))

    atomic_output_dir(out_dir, fill)
    return res


def build_report(res: BuildResult) -> dict[str, object]:
    """Per-document quality and counts, plus totals; no clock time, so it is reproducible."""
    by_doc: dict[str, Counter[str]] = {d.name: Counter() for d in res.docs}
    for m in res.mentions:
        by_doc[m.doc][m.type] += 1
    docs = []
    for d in res.docs:
        md = d.metadata
        docs.append(
            {
                "file": d.name,
                "sha256": d.sha256,
                "metadata": {k: v for k, v in vars(md).items() if v is not None},
                "quality": d.quality,
                "mentions_per_type": dict(sorted(by_doc[d.name].items())),
            }
        )
    ents = Counter(e.type for e in res.entities)
    return {
        "tool": f"kg {__version__}",
        "documents": docs,
        "errors": res.errors,
        "warnings": [f"{e['file']}: {e['error']}" for e in res.errors],
        "totals": {
            "documents": len(res.docs),
            "failed": len(res.errors),
            "mentions": len(res.mentions),
            "entities": len(res.entities),
            "entities_per_type": {t: ents[t] for t in ENTITY_TYPES},
            "triples": res.triples,
        },
        "shacl": {
            "validated_graphs": len(res.validation),
            "conforms": all(v["conforms"] for v in res.validation.values()),
            "violations": sum(int(v["violations"]) for v in res.validation.values()),  # type: ignore[call-overload]
            "per_graph": res.validation,
        },
    }
