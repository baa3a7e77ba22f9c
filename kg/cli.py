"""The `kg` command: one verb per job, wiring the pipeline stages together.

Exit codes: 0 success (possibly with per-file warnings), 1 an error that stopped the verb
(a bad query, a missing graph), 2 a usage error, 3 no input document could be used, 130
interrupted (Ctrl-C; the previous outputs are left as they were).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.extract.user_names import UserNames

from kg import __version__
from kg.ingest import DEFAULT_MAX_CHARS, collect_paths
from kg.model import ENTITY_TYPES
from kg.resolve import DEFAULT_BASE_IRI, entity_iri

EXIT_ERROR = 1
EXIT_NOTHING_BUILT = 3
EXIT_INTERRUPTED = 130


def _err(msg: str) -> None:
    click.echo(msg, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn Chinese government work reports into a linked-data knowledge graph.

    \b
    Typical use:
      kg build seeds/ -o outputs/       build graph.ttl, index.html, build-report.json
      kg extract report.txt             entity mentions as JSON lines
      kg query 'SELECT ...'             SPARQL over the built graph
    """


base_iri_option = click.option(
    "--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base of every minted IRI."
)
built_dir_option = click.option(
    "-o",
    "--output",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where `kg build` wrote.",
)
manifest_option = click.option(
    "--manifest",
    "manifest_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TSV with columns file, region, year, title, date, source_url: completes or "
    "overrides the metadata read from each report's text.",
)


max_chars_option = click.option(
    "--max-chars",
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse (with a message) a report whose text is longer than this.",
)
names_option = click.option(
    "--names",
    "names_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TSV (name, type, action add/suppress/retype) of corrections to extraction.",
)

# eval and train: where the documents named in gold files are looked for
docs_option = click.option(
    "--docs",
    "doc_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Files or folders holding the gold's documents "
    "(default: seeds/ and ../shared/corpus/provinces-2026/).",
)


def _names(path: Path | None) -> UserNames | None:
    if path is None:
        return None
    from kg.extract.user_names import NamesFileError, read_names

    try:
        return read_names(path)
    except NamesFileError as exc:
        raise click.UsageError(str(exc)) from exc


def _built_store(out_dir: Path, verb: str) -> ox.Store:
    """The store `kg build` wrote, or a message and exit 1."""
    from kg.store import STORE_DIR, open_store

    if not (out_dir / STORE_DIR).is_dir():
        _err(f"kg {verb}: no store at {out_dir / STORE_DIR}; run `kg build` first")
        sys.exit(EXIT_ERROR)
    return open_store(out_dir / STORE_DIR)


def _manifest(path: Path | None) -> dict[str, dict[str, str]] | None:
    if path is None:
        return None
    from kg.metadata import read_manifest

    try:
        return read_manifest(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"bad manifest: {exc}") from exc


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write into.",
)
@base_iri_option
@manifest_option
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Check each report's graph against ontology/shapes.ttl (SHACL).",
)
@click.option(
    "--license",
    "license_iri",
    default=None,
    help="Licence IRI of the built data, for void.ttl (default CC BY 4.0).",
)
@click.option(
    "--merges",
    "merges_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TSV (type, name, same_as, reason[, decision]) of names to merge (decision accepted, "
    "the default, or rejected); it overrides the rules' proposals for the same pairs. A retired "
    "IRI stays in the graph owl:sameAs the surviving one. OUTPUT/merges.tsv lists every "
    "decision in this format.",
)
@click.option(
    "--no-merge-proposals",
    "no_proposals",
    is_flag=True,
    help="Merge only what --merges accepts, none of the rules' proposals.",
)
@click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes for the per-report stages and validation (with --executor "
    "dask and no --scheduler: local Dask workers).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where the per-report stages run: local processes, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Address of the Dask scheduler (tcp://HOST:8786) for --executor dask.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Per-report cache: unchanged reports are not processed again [default: OUTPUT/.cache].",
)
@click.option("--no-cache", is_flag=True, help="Process every report, and keep no cache.")
@max_chars_option
@names_option
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    base_iri: str,
    manifest_file: Path | None,
    validate: bool,
    license_iri: str | None,
    merges_file: Path | None,
    no_proposals: bool,
    jobs: int,
    executor: str,
    scheduler: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    max_chars: int,
    names_file: Path | None,
) -> None:
    """Build the graph and views from report files or folders (default: seeds/).

    \b
    A report that cannot be used (empty, binary, undecodable, too long, gone) is named with
    the reason and skipped; the exit code is 3 only when no report could be built. The
    outputs are swapped in at the end: an interrupted build leaves the previous ones intact.
    """
    from kg.pipeline import build as run_build
    from kg.resolve import ACCEPTED, read_merge_file
    from kg.workers import WorkersError

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")

    manifest = _manifest(manifest_file)
    names = _names(names_file)
    try:
        decisions = read_merge_file(merges_file) if merges_file else []
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--merges") from None
    started = time.perf_counter()
    files = collect_paths(paths or [Path("seeds")])
    if not files:
        _err("kg build: no report files found in " + ", ".join(map(str, paths or ["seeds"])))
        sys.exit(EXIT_NOTHING_BUILT)
    with click.progressbar(
        length=len(files),
        label="reports",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda p: p.name if p else "",
    ) as bar:
        try:
            res = run_build(
                files,
                out_dir,
                base_iri,
                on_done=lambda p: bar.update(1, p),
                manifest=manifest,
                validate=validate,
                license=license_iri,
                merges=decisions,
                propose=not no_proposals,
                jobs=jobs,
                names=names,
                executor=executor,
                scheduler=scheduler,
                cache_dir=None if no_cache else (cache_dir or out_dir / ".cache"),
                max_chars=max_chars,
            )
        except WorkersError as exc:
            _err(f"kg build: {exc}")
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            _err(f"\nkg build: interrupted; {out_dir} is left as it was")
            sys.exit(EXIT_INTERRUPTED)
    for e in res.errors:
        _err(f"warning: {e['file']}: {e['error']}")
    if not res.docs:
        _err("kg build: nothing could be built: no input document was usable")
        sys.exit(EXIT_NOTHING_BUILT)
    per_type = Counter(e.type for e in res.entities)
    _err(f"documents: {len(res.docs)} built, {len(res.errors)} failed")
    _err("entities:  " + ", ".join(f"{t} {per_type[t]}" for t in ENTITY_TYPES))
    _err(f"mentions:  {len(res.mentions)}")
    _err(f"triples:   {res.triples}")
    if res.validation:
        bad = sum(int(v["violations"]) for v in res.validation.values())  # type: ignore[call-overload]
        _err(f"shacl:     {len(res.validation)} report graphs, {bad} violations")
    took = sum(m.decision == ACCEPTED for m in res.merges)
    _err(f"merges:    {took} accepted, {len(res.merges) - took} rejected (merges.tsv)")
    _err(f"warnings:  {len(res.errors)}")
    _err(f"workers:   {res.where}")
    _err(f"cache:     {res.reused} of {len(files)} reports and {res.checks_reused} of "
         f"{len(res.validation)} SHACL reports reused")  # fmt: skip
    _err("stages:    " + ", ".join(f"{k} {v:.1f} s" for k, v in res.timings.items()))
    _err(f"seconds:   {time.perf_counter() - started:.1f}")
    _err(f"wrote {out_dir}/graph.ttl, {out_dir}/index.html, {out_dir}/build-report.json")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--relations", is_flag=True, help="After the entity lines, one line per fact (observation, …)."
)
@base_iri_option
@manifest_option
@max_chars_option
@names_option
def extract(
    paths: tuple[Path, ...],
    fmt: str,
    relations: bool,
    base_iri: str,
    manifest_file: Path | None,
    max_chars: int,
    names_file: Path | None,
) -> None:
    """Print entity mentions as JSON lines on stdout (messages go to stderr).

    Each line: doc, type, name, start, end (code-point offsets into the decoded file, end
    exclusive), iri, sentence offsets and the extractor. With --relations, then one line per
    fact: doc, relation, subject, object, start, end, and for observations indicator, region,
    year, value, unit, kind (plus qualifier, wording, the quote and the extractor).
    """
    from kg.pipeline import process_all

    files = collect_paths(paths)
    results, errors = process_all(
        files, manifest=_manifest(manifest_file), names=_names(names_file), max_chars=max_chars
    )
    for e in errors:
        _err(f"warning: {e['file']}: {e['error']}")
    out = sys.stdout
    for r in results:
        code = r.doc.metadata.region_code
        for m in r.mentions:
            line = {
                "doc": m.doc,
                "type": m.type,
                "name": m.name,
                "start": m.start,
                "end": m.end,
                "iri": entity_iri(base_iri, m.type, m.name, code),
                "sentence_start": m.sentence_start,
                "sentence_end": m.sentence_end,
                "extractor": m.extractor,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if relations:
        from kg.relations import extract_relations

        for r in results:
            for fact in extract_relations(r.doc, r.mentions):
                out.write(json.dumps(fact.to_json(), ensure_ascii=False) + "\n")
    if not results:
        sys.exit(EXIT_NOTHING_BUILT)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--report", is_flag=True, help="Print the quality report instead of the normalised text."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="With --report: readable lines, or one JSON object per file.",
)
@manifest_option
@max_chars_option
def normalize(
    paths: tuple[Path, ...], report: bool, fmt: str, manifest_file: Path | None, max_chars: int
) -> None:
    """Print the normalised text that extraction sees, or each file's quality report.

    \b
    The report counts what normalisation did: encoding, traditional characters converted,
    pinyin annotations removed, mojibake repaired, damaged share, repeated paragraphs and
    page furniture removed, lines joined, sections and glossary entries found, metadata.
    """
    from kg.ingest import IngestError
    from kg.pipeline import normalize_path

    manifest = _manifest(manifest_file)
    files = collect_paths(paths)
    done = 0
    for path in files:
        try:
            doc = normalize_path(path, manifest, max_chars)
        except IngestError as exc:
            _err(f"warning: {exc}")
            continue
        done += 1
        if not report:
            if len(files) > 1:
                sys.stdout.write(f"==> {path} <==\n")
            sys.stdout.write(doc.text)
            continue
        data = {
            **doc.quality,
            "metadata": {k: v for k, v in vars(doc.metadata).items() if v is not None},
        }
        if fmt == "json":
            click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))
        else:
            click.echo(f"== {path}")
            for key, value in data.items():
                if key != "file":
                    click.echo(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    if not done:
        sys.exit(EXIT_NOTHING_BUILT)


@main.command()
@click.argument("query")
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Any RDF file to query instead of the built store.",
)
@built_dir_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
)
def query(query: str, graph_file: Path | None, out_dir: Path, fmt: str) -> None:
    """Run a SPARQL query (a string or a .rq file) over the built store or any RDF file.

    \b
    The default graph is the union of all named graphs; the ontology's prefixes (kgo, oa,
    prov, dcterms, skos, schema, rdfs, owl, xsd, qb, void, dcat, rdf) are predeclared.
    """
    from kg.store import StoreQueryError, format_result, load_file, run

    q = Path(query)
    text = q.read_text(encoding="utf-8") if q.suffix == ".rq" and q.is_file() else query
    try:
        store = load_file(graph_file) if graph_file else _built_store(out_dir, "query")
        click.echo(format_result(run(store, text), fmt))
    except (StoreQueryError, OSError, ValueError) as exc:
        _err(f"kg query: {exc}")
        sys.exit(EXIT_ERROR)


@main.command()
@click.argument(
    "graph_files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@built_dir_option
@click.option("--limit", default=50, show_default=True, help="Most violations to print.")
def validate(graph_files: tuple[Path, ...], out_dir: Path, limit: int) -> None:
    """Validate RDF files (default: the built graph) against ontology/shapes.ttl.

    Prints each violation with its focus node, shape and message; exits 1 when any.
    """
    from kg.query import load_graph
    from kg.validate import validate_graph

    files = list(graph_files) or [out_dir / "graph.ttl"]
    failed = False
    for path in files:
        if not path.exists():
            _err(f"kg validate: no graph at {path}; run `kg build` first or pass a file")
            sys.exit(EXIT_ERROR)
        result = validate_graph(load_graph(path))
        click.echo(f"{path}: {'conforms' if result.conforms else 'does not conform'}, "
                   f"{len(result.violations)} violations")  # fmt: skip
        for v in result.violations[:limit]:
            click.echo(f"  {v}")
        failed = failed or not result.conforms
    if failed:
        sys.exit(EXIT_ERROR)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, help="Port; 0 picks a free one.")
@built_dir_option
@click.option(
    "--timeout",
    "timeout_s",
    default=30.0,
    show_default=True,
    help="Seconds a query may run before it is stopped (503).",
)
@click.option(
    "--max-rows", default=10_000, show_default=True, help="Most result rows sent per query."
)
def serve(host: str, port: int, out_dir: Path, timeout_s: float, max_rows: int) -> None:
    """Serve the views, a query page and a SPARQL 1.1 endpoint over the built outputs.

    \b
    /        the HTML views          /query   a query page with the example queries
    /sparql  SPARQL 1.1 Protocol (GET, POST form or direct); results as JSON, XML, CSV,
             TSV; graphs as Turtle, N-Triples, JSON-LD. Read-only: updates get 403.
    Binds to loopback unless --host says otherwise. The first line printed is
    `Serving on http://HOST:PORT/`.
    """
    from kg.serve import Limits, make_server

    try:
        server = make_server(out_dir, host, port, Limits(timeout_s=timeout_s, max_rows=max_rows))
    except (FileNotFoundError, OSError) as exc:
        _err(f"kg serve: {exc}")
        sys.exit(EXIT_ERROR)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"Serving on http://{bound_host}:{bound_port}/")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--endpoint", help="SPARQL 1.1 Update endpoint of the target store.")
@click.option("--graph-store", help="SPARQL 1.1 Graph Store Protocol endpoint (preferred).")
@built_dir_option
def push(endpoint: str | None, graph_store: str | None, out_dir: Path) -> None:
    """Load the built graph, named graphs included, into another SPARQL store."""
    from kg.push import PushError
    from kg.push import push as run_push

    nq = out_dir / "graph.nq"
    if not nq.is_file():
        _err(f"kg push: no graph at {nq}; run `kg build` first")
        sys.exit(EXIT_ERROR)
    try:
        res = run_push(nq, endpoint, graph_store)
    except PushError as exc:
        _err(f"kg push: {exc}")
        sys.exit(EXIT_ERROR)
    _err(f"pushed {res.triples} triples in {res.graphs} graphs")


@main.command()
@click.option("--report", "show_report", is_flag=True, required=True, help="Print coverage.")
@built_dir_option
@click.option("--top", default=15, show_default=True, help="Unlinked entities to list per type.")
def link(show_report: bool, out_dir: Path, top: int) -> None:
    """Coverage of links to other data: per type, entities linked to each target, and the
    most-mentioned entities still unlinked."""
    from kg.link import LINK_TARGETS, coverage

    rows, unlinked = coverage(_built_store(out_dir, "link"), top)
    click.echo(f"{'type':14} {'entities':>8} " + " ".join(f"{t:>15}" for t in LINK_TARGETS))
    for t, total, counts in rows:
        click.echo(f"{t:14} {total:>8} " + " ".join(f"{c:>15}" for c in counts))
    click.echo(f"\nmost-mentioned unlinked (top {top} per type):")
    for t, names in unlinked.items():
        click.echo(f"  {t}: " + ", ".join(f"{name} ({n})" for name, n in names))


DEFAULT_DOC_DIRS = ("seeds", "../shared/corpus/provinces-2026")


@main.command("eval")
@click.argument(
    "gold_files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@docs_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option(
    "--relations",
    is_flag=True,
    help="The files are relation gold: score the facts of `kg extract --relations` per relation.",
)
@names_option
def eval_(
    gold_files: tuple[Path, ...],
    doc_paths: tuple[Path, ...],
    as_json: bool,
    relations: bool,
    names_file: Path | None,
) -> None:
    """Score extraction against gold JSONL files: per type P/R/F1, exact and relaxed.

    The last line is `micro-F1 exact X relaxed Y`. With --relations: per relation gold count,
    predicted count, P/R/F1 on the key tests/gold/README.md gives each relation, and the last
    line is `micro-F1 X`.
    """
    from kg.evaluate import (
        evaluate,
        evaluate_relations,
        find_documents,
        format_relation_table,
        format_table,
        read_gold,
        read_relation_gold,
    )
    from kg.pipeline import process_all

    try:
        gold = read_relation_gold(gold_files) if relations else read_gold(gold_files)
    except ValueError as exc:
        _err(f"kg eval: {exc}")
        sys.exit(EXIT_ERROR)
    search = [Path(p) for p in (doc_paths or DEFAULT_DOC_DIRS)]
    docs = find_documents(gold, search)
    missing = sorted(set(gold) - set(docs))
    if missing:
        _err("kg eval: documents not found (use --docs): " + ", ".join(missing))
        sys.exit(EXIT_ERROR)
    results, errors = process_all([docs[name] for name in sorted(docs)], names=_names(names_file))
    for e in errors:
        _err(f"warning: {e['file']}: {e['error']}")
    if relations:
        facts = {r.doc.name: [f.to_json() for f in r.facts] for r in results}
        rel_scores = evaluate_relations(facts, gold)  # type: ignore[arg-type]
        text = json.dumps(rel_scores, ensure_ascii=False) if as_json else None
        click.echo(text or format_relation_table(rel_scores))
        return
    predictions = {r.doc.name: {(m.type, m.name) for m in r.mentions} for r in results}
    scores = evaluate(predictions, gold)  # type: ignore[arg-type]
    click.echo(json.dumps(scores, ensure_ascii=False) if as_json else format_table(scores))


@main.command()
@click.argument(
    "gold_files",
    nargs=-1,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@docs_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model directory to write (default: the shipped one, kg/models/ner).",
)
@click.option("--seed", default=0, show_default=True, help="Random seed of the training run.")
def train(
    gold_files: tuple[Path, ...], doc_paths: tuple[Path, ...], out_dir: Path | None, seed: int
) -> None:
    """Train the statistical NER from gold JSONL files (default: tests/gold/train/*.jsonl).

    CPU only and seeded; the model directory records the gold files' fingerprint.
    """
    from kg.evaluate import find_documents, read_gold
    from kg.extract.training import MODEL_DIR, train_model
    from kg.pipeline import normalize_path

    files = list(gold_files) or sorted(Path("tests/gold/train").glob("*.jsonl"))
    if not files:
        raise click.UsageError("no gold files given and none in tests/gold/train/")
    gold = read_gold(files)
    docs = find_documents(gold, [Path(p) for p in (doc_paths or DEFAULT_DOC_DIRS)])
    missing = sorted(set(gold) - set(docs))
    if missing:
        _err("kg train: documents not found (use --docs): " + ", ".join(missing))
        sys.exit(EXIT_ERROR)
    texts = {name: normalize_path(path).text for name, path in docs.items()}
    record = train_model(files, texts, out_dir or MODEL_DIR, seed)
    _err(
        f"trained on {len(files)} gold files, {record['paragraphs']} paragraphs, "
        f"{record['characters']} characters; wrote {out_dir or MODEL_DIR}"
    )


if __name__ == "__main__":
    main()
