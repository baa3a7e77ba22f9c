"""The build: per-document stages, then graph-level stages. The CLI only calls these."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.cache import BuildCache, names_fingerprint
from kg.export import (
    atomic_output_dir,
    dataset_quads,
    union_triples,
    write_csv,
    write_graph_files,
    write_json,
    write_tables,
)
from kg.ingest import DEFAULT_MAX_CHARS, IngestError, decode_document, read_bytes, read_document
from kg.link import DivisionLink, link_divisions, listing_links, to_verify
from kg.metadata import manifest_metadata
from kg.model import ENTITY_TYPES, Entity, Mention, NormalizedDocument
from kg.normalize import normalize_document
from kg.ontology import ontology_html
from kg.rdf import build_dataset, graph_iri, mention_iri, report_iri
from kg.relations import Fact, extract_relations
from kg.resolve import (
    DEFAULT_BASE_IRI,
    Merge,
    accepted_merges,
    decide_merges,
    propose_merges,
    resolve_entities,
    retired_iris,
    write_merges,
)
from kg.views import ViewData, write_views
from kg.views.data import relations_from_triples
from kg.workers import Workers, open_workers

if TYPE_CHECKING:  # extraction (spaCy) is imported where it runs: the parent never needs it
    from kg.extract.user_names import UserNames


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
    merges: list[Merge] = field(default_factory=list)  # every merge decision, for review
    # what the run cost, for the summary and the benchmarks; never written to the outputs
    timings: dict[str, float] = field(default_factory=dict)
    reused: int = 0  # documents whose per-document result came from the cache
    checks_reused: int = 0  # report graphs whose SHACL report came from the cache
    where: str = ""


Manifest = dict[str, dict[str, str]]
Outcome = tuple[DocResult | None, dict[str, str] | None]


def normalize_path(
    path: Path, manifest: Manifest | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> NormalizedDocument:
    """Ingest and normalise one report; a manifest row for its file name overrides metadata."""
    raw = read_document(path, max_chars=max_chars)
    row = (manifest or {}).get(path.name)
    return normalize_document(raw, manifest_metadata(row) if row else None)


def process_document(
    path: Path, manifest: Manifest | None = None, names: UserNames | None = None
) -> DocResult:
    """Ingest, normalise and extract one report (raises IngestError for unusable input)."""
    from kg.extract import extract_mentions

    doc = normalize_path(path, manifest)
    mentions = extract_mentions(doc, names)
    return DocResult(doc, mentions, extract_relations(doc, mentions))


def process_bytes(
    path: str,
    data: bytes,
    row: dict[str, str] | None = None,
    names: UserNames | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Outcome:
    """The per-document stages on a file's bytes, as a worker runs them: a result, or a
    per-file error that names what was wrong (so that one bad file costs only itself)."""
    from kg.extract import extract_mentions

    try:
        raw = decode_document(path, data, max_chars)
        doc = normalize_document(raw, manifest_metadata(row) if row else None)
        mentions = extract_mentions(doc, names)
        return DocResult(doc, mentions, extract_relations(doc, mentions)), None
    except IngestError as exc:
        return None, {"file": path, "error": exc.reason}
    except Exception as exc:  # a defect met on one file must not cost the others
        return None, {"file": path, "error": f"could not be processed: {type(exc).__name__}: {exc}"}


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def process_all(
    paths: Iterable[Path],
    on_done: Callable[[Path], None] | None = None,
    manifest: Manifest | None = None,
    jobs: int = 1,
    names: UserNames | None = None,
    *,
    workers: Workers | None = None,
    cache: BuildCache | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[list[DocResult], list[dict[str, str]]]:
    """Run the per-document stages; a bad file is reported and the others go on.

    The parent reads each file's bytes (and looks them up in the cache) and hands the rest to
    the workers — `jobs` local processes unless `workers` says otherwise — largest file first,
    so that no long report starts last; at most two tasks per worker are in flight, so the
    parent holds the bytes of only those files however many there are. Results come back in
    input order whatever ran where, so the graph does not depend on the workers.
    """
    paths = list(paths)
    if workers is None:
        with open_workers("local", jobs) as own:
            return process_all(
                paths, on_done, manifest, jobs, names,
                workers=own, cache=cache, max_chars=max_chars,
            )  # fmt: skip
    names_fp = names_fingerprint(names) if cache else ""
    done: dict[int, Outcome] = {}
    pending: dict[Future[Outcome], tuple[int, str | None]] = {}

    def finish(i: int, outcome: Outcome) -> None:
        done[i] = outcome
        if on_done:
            on_done(paths[i])

    def collect(block_until: int) -> None:
        while len(pending) > block_until:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in ready:
                i, key = pending.pop(fut)
                try:
                    outcome = fut.result()
                except Exception as exc:  # the worker itself died (killed, out of memory)
                    outcome = None, {"file": str(paths[i]), "error": f"worker failed: {exc!r}"}
                if cache and key and outcome[0] is not None:
                    cache.put_doc(key, outcome[0])
                finish(i, outcome)

    for i in sorted(range(len(paths)), key=lambda i: -_size(paths[i])):
        p = paths[i]
        row = (manifest or {}).get(p.name)
        collect(2 * workers.slots - 1)  # before reading: only the bytes in flight are held
        try:
            data = read_bytes(p)
        except IngestError as exc:
            finish(i, (None, {"file": str(p), "error": exc.reason}))
            continue
        key = cache.doc_key(p.name, data, row, names_fp) if cache else None
        hit = cache.get_doc(key) if cache and key else None
        if hit is not None:
            finish(i, (hit, None))
            continue
        try:
            fut = workers.executor.submit(process_bytes, str(p), data, row, names, max_chars)
        except Exception as exc:  # a broken pool refuses new work
            finish(i, (None, {"file": str(p), "error": f"worker failed: {exc!r}"}))
            continue
        pending[fut] = (i, key)
    collect(0)
    outcomes = [done[i] for i in range(len(paths))]
    results = [r for r, _ in outcomes if r is not None]
    errors = [e for _, e in outcomes if e is not None]
    return results, errors


def region_codes(docs: Iterable[NormalizedDocument]) -> dict[str, str | None]:
    return {d.name: d.metadata.region_code for d in docs}


def _validation_failed(exc: BaseException) -> dict[str, object]:
    return {"conforms": False, "violations": 0, "results": [f"validation failed: {exc!r}"]}


def build(
    paths: list[Path],
    out_dir: Path,
    base: str = DEFAULT_BASE_IRI,
    on_done: Callable[[Path], None] | None = None,
    manifest: Manifest | None = None,
    validate: bool = True,
    license: str | None = None,
    merges: dict[tuple[str, str], Merge] | Iterable[Merge] | None = None,
    jobs: int = 1,
    names: UserNames | None = None,
    *,
    executor: str = "local",
    scheduler: str | None = None,
    cache_dir: Path | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    propose: bool = True,
) -> BuildResult:
    """Build every output for the given reports into out_dir (swapped in atomically).

    Per-document stages and the per-report SHACL checks run on the workers (`executor`,
    `jobs`, `scheduler`; local worker processes are restarted between the two, to give back
    the models' memory); while the workers validate, this process writes the files. With a
    `cache_dir`, a report whose inputs and pipeline are unchanged is not processed again.
    `merges` are the analyst's decisions; with `propose` the rules' proposals are added
    (kg.relations.identity), the analyst's decision winning for a pair both name.
    """
    from kg.store import STORE_DIR, write_store
    from kg.validate import report_subgraphs, validate_ntriples
    from kg.void import DEFAULT_LICENSE, describe

    res = BuildResult()
    lap = _Laps(res.timings)
    cache = BuildCache(cache_dir) if cache_dir else None
    with ExitStack() as stack:
        workers = stack.enter_context(open_workers(executor, jobs, scheduler))
        res.where = workers.where
        lap("start workers")
        results, res.errors = process_all(
            paths, on_done, manifest, jobs, names,
            workers=workers, cache=cache, max_chars=max_chars,
        )  # fmt: skip
        res.reused = cache.doc_hits if cache else 0
        if executor == "local" and workers.slots > 1:
            # The models are not needed any more: fresh processes run the SHACL checks, so
            # that ~1 GB per worker is not held through the graph-level steps.
            stack.close()
            workers = stack.enter_context(open_workers(executor, jobs, scheduler))
        lap("per-report stages")
        res.docs = [r.doc for r in results]
        res.mentions = [m for r in results for m in r.mentions]
        res.facts = [f for r in results for f in r.facts]
        if not res.docs:
            return res
        regions = region_codes(res.docs)
        analyst = list(merges.values() if isinstance(merges, dict) else merges or [])
        proposals = propose_merges(res.mentions, regions) if propose else []
        res.merges = decide_merges(proposals, analyst)
        folded = accepted_merges(res.merges)
        res.entities = resolve_entities(res.mentions, regions, base, folded)
        retired = retired_iris(res.mentions, regions, folded, base)
        res.division_links = link_divisions(res.entities, res.docs)
        listings = listing_links(res.entities, res.docs)
        lap("resolve and link")
        ds = build_dataset(
            res.docs, res.entities, base, retired, res.division_links, listings, res.facts
        )
        lap("RDF build")
        nodes = [*(e.iri for e in res.entities), *(str(report_iri(base, d.name)) for d in res.docs)]
        relations = relations_from_triples(
            ((q[0], q[1], q[2]) for q in ds.quads((None, None, None, None))), nodes
        )
        view = ViewData(
            res.docs, res.entities, relations, res.division_links, listings, base, res.facts
        )
        quads = dataset_quads(ds)
        del ds
        triples = union_triples(quads)
        res.triples = len(quads)
        lap("RDF sort")
        checks: list[tuple[str, str | None, Future[dict[str, object]]]] = []
        if validate:
            subgraphs = report_subgraphs(quads, str(graph_iri(base, "entities")))
            for name, nt in sorted(subgraphs, key=lambda s: -len(s[1])):
                key = cache.check_key(nt) if cache else None
                known = cache.get_check(key) if cache and key else None
                if known is not None:
                    res.validation[name] = known
                    continue
                checks.append((name, key, workers.executor.submit(validate_ntriples, nt)))
            res.checks_reused = cache.check_hits if cache else 0
            lap("SHACL (submitted)")
        void = describe(
            quads,
            triples,
            base,
            [d.name for d in res.docs],
            [d.metadata.date for d in res.docs if d.metadata.date],
            license or DEFAULT_LICENSE,
        )

        def fill(tmp: Path) -> None:
            write_graph_files(quads, triples, tmp)
            write_merges(tmp / "merges.tsv", res.merges)
            write_store(tmp / "graph.nq", tmp / STORE_DIR)
            (tmp / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
            (tmp / "ontology.html").write_text(ontology_html(), encoding="utf-8")
            write_tables(tmp, res.docs, res.entities, lambda m: str(mention_iri(base, m)))
            write_csv(
                tmp / "links-to-verify.csv",
                ["iri", "type", "name", "target", "hint", "reason"],
                to_verify(res.entities, res.division_links),
            )
            lap("export")
            write_views(tmp, view)
            lap("views")
            for name, key, fut in checks:
                try:
                    res.validation[name] = fut.result()
                except Exception as exc:
                    res.validation[name] = _validation_failed(exc)
                    continue
                if cache and key:
                    cache.put_check(key, res.validation[name])
            lap("SHACL (waited for)")
            write_json(tmp / "build-report.json", build_report(res))

        atomic_output_dir(out_dir, fill)
    if cache:
        cache.prune()
    lap("finish")
    return res


class _Laps:
    """Seconds since the previous lap, recorded under each lap's name."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = self.into.get(name, 0.0) + now - self.last
        self.last = now


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
