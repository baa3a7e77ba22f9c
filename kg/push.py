"""`kg push`: load the built graph, named graphs kept, into another SPARQL store.

With a Graph Store Protocol URL each named graph is PUT in one request (replacing what the
store held under that name); with only an update endpoint each graph is dropped and then
inserted in chunks of INSERT DATA. Works with any SPARQL 1.1 store (Oxigraph, Fuseki,
GraphDB, Virtuoso …).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

CHUNK_TRIPLES = 5_000


class PushError(Exception):
    """The target store refused or could not be reached; the message says which request."""


@dataclass
class PushResult:
    graphs: int = 0
    triples: int = 0


def _graphs(nquads_file: Path) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in ox.parse(path=str(nquads_file), format=ox.RdfFormat.N_QUADS):
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs[name].append(ox.Triple(q.subject, q.predicate, q.object))
    return dict(sorted(graphs.items()))


def _send(url: str, method: str, body: bytes, ctype: str, timeout: float) -> None:
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", errors="replace")
        raise PushError(f"{method} {url}: HTTP {exc.code} {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PushError(f"{method} {url}: {exc}") from exc


def push(
    nquads_file: Path,
    endpoint: str | None,
    graph_store: str | None,
    timeout: float = 300.0,
) -> PushResult:
    """Push every named graph of the built N-Quads file to the target store."""
    if not endpoint and not graph_store:
        raise PushError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")
    res = PushResult()
    for name, triples in _graphs(nquads_file).items():
        if graph_store:
            which = "graph=" + urllib.parse.quote(name, safe="") if name else "default"
            target = f"{graph_store}?{which}"
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            _send(target, "PUT", body, "application/n-triples", timeout)
        else:
            assert endpoint is not None
            where = f"GRAPH <{name}>" if name else ""
            drop = f"DROP SILENT GRAPH <{name}>" if name else "CLEAR SILENT DEFAULT"
            _send(endpoint, "POST", drop.encode(), "application/sparql-update", timeout)
            for i in range(0, len(triples), CHUNK_TRIPLES):
                chunk = ox.serialize(triples[i : i + CHUNK_TRIPLES], format=ox.RdfFormat.N_TRIPLES)
                update = f"INSERT DATA {{ {where} {{\n{(chunk or b'').decode('utf-8')}}} }}"
                _send(endpoint, "POST", update.encode("utf-8"), "application/sparql-update",
                      timeout)  # fmt: skip
        res.graphs += 1
        res.triples += len(triples)
    return res
