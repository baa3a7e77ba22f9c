"""`kg serve`: the built outputs over HTTP, with a SPARQL 1.1 Protocol endpoint.

`/` serves the HTML views and every other built file, `/query` a small query page with the
example queries one click away, `/sparql` the SPARQL 1.1 Protocol (queries only),
`/reconcile` a W3C Reconciliation Service (v0.2) for OpenRefine. Each query
runs in a forked worker process that opens the store read-only and is stopped at the time
limit — pyoxigraph's query call has no timeout of its own — so a runaway query costs the
client a 503, not the server. Results beyond the row cap are cut, and the response says so.
"""

from __future__ import annotations

import html
import json
import multiprocessing as mp
import threading
import urllib.parse
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.ontology import QUERIES_DIR
from kg.reconcile import Reconciler
from kg.store import QUERY_PREFIXES, STORE_DIR, StoreQueryError, open_store, run

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass(frozen=True)
class Limits:
    """Named, documented limits of the endpoint."""

    timeout_s: float = DEFAULT_TIMEOUT_S  # a query running longer is stopped: 503
    max_rows: int = DEFAULT_MAX_ROWS  # rows (or triples) beyond this are not sent


READ_ONLY = b"this endpoint is read-only: SPARQL updates and LOAD are refused"


def _negotiate(accept: str, kinds: dict[str, object], default: str) -> str:
    """The first media type of the Accept header we can produce (q-values ignored)."""
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in kinds:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


# Serialisation of SELECT results, written here so that the row cap can apply -------------


def _json_term(t: object) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    assert isinstance(t, ox.Literal)
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def _xml_term(t: object) -> str:
    e = partial(html.escape, quote=True)
    if isinstance(t, ox.NamedNode):
        return f"<uri>{e(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{e(t.value)}</bnode>"
    assert isinstance(t, ox.Literal)
    if t.language:
        return f'<literal xml:lang="{e(t.language)}">{e(t.value)}</literal>'
    return f'<literal datatype="{e(t.datatype.value)}">{e(t.value)}</literal>'


def _csv_cell(t: object) -> str:
    v = "" if t is None else t.value  # type: ignore[attr-defined]
    return f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\r\n') else v


def _tsv_cell(t: object) -> str:
    return "" if t is None else str(t)  # pyoxigraph's str() is the N-Triples form


def serialize_select(
    variables: list[str], rows: list[list[object]], fmt: str, truncated: bool
) -> bytes:
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, r, strict=True) if t is not None}
            for r in rows
        ]
        doc: dict[str, object] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            doc["head"]["link"] = ["#truncated"]  # type: ignore[index]
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        head = "".join(f'<variable name="{html.escape(v)}"/>' for v in variables)
        body = "".join(
            "<result>"
            + "".join(
                f'<binding name="{html.escape(v)}">{_xml_term(t)}</binding>'
                for v, t in zip(variables, r, strict=True)
                if t is not None
            )
            + "</result>"
            for r in rows
        )
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>"
        ).encode()
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)] + [
        "\t".join(_tsv_cell(t) for t in r) for r in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _answer(store_path: str, query: str, accept: str, max_rows: int) -> tuple[int, str, bytes]:
    """Run one query and serialise it: (status, content type, body)."""
    try:
        result = run(open_store(Path(store_path)), query)
    except StoreQueryError as exc:
        return 400, "text/plain; charset=utf-8", str(exc).encode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        fmt = RESULT_TYPES[media]
        if fmt == "xml":
            body = (
                '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if result else 'false'}</boolean></sparql>"
            ).encode()
        else:
            body = json.dumps({"head": {}, "boolean": bool(result)}).encode()
            fmt = "json"
        return 200, CONTENT_TYPES[fmt], body
    if isinstance(result, ox.QueryTriples):
        media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
        triples = []
        for i, t in enumerate(result):
            if i >= max_rows:
                break
            triples.append(t)
        body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
        return 200, f"{media}; charset=utf-8", body
    media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
    fmt = RESULT_TYPES[media]
    variables = [v.value for v in result.variables]
    rows: list[list[object]] = []
    truncated = False
    for sol in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([sol[v] for v in variables])
    return 200, CONTENT_TYPES[fmt], serialize_select(variables, rows, fmt, truncated)


def _worker(conn: object, store_path: str, query: str, accept: str, max_rows: int) -> None:
    try:
        conn.send(_answer(store_path, query, accept, max_rows))  # type: ignore[attr-defined]
    except Exception as exc:  # report, never hang the parent
        conn.send((500, "text/plain; charset=utf-8", f"query failed: {exc}".encode()))  # type: ignore[attr-defined]
    finally:
        conn.close()  # type: ignore[attr-defined]


def run_limited(store: Path, query: str, accept: str, limits: Limits) -> tuple[int, str, bytes]:
    """Run a query in a forked worker; stop it at the time limit (503)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_worker, args=(child, str(store), query, accept, limits.max_rows), daemon=True
    )
    proc.start()
    child.close()
    try:
        if parent.poll(limits.timeout_s):
            return parent.recv()
        return (
            503,
            "text/plain; charset=utf-8",
            f"query stopped at the time limit of {limits.timeout_s:g} s "
            f"(kg serve --timeout)".encode(),
        )
    except EOFError:
        return 500, "text/plain; charset=utf-8", b"query worker ended without an answer"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()


def query_page() -> str:
    """A small query page: a text box, the example queries one click away, a result table."""
    examples = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")),
                     path.stem)  # fmt: skip
        examples.append({"name": path.stem, "title": title, "query": text})
    data = json.dumps(examples, ensure_ascii=False).replace("</", "<\\/")
    prefixes = html.escape(", ".join(sorted(QUERY_PREFIXES)))
    return f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<title>kg — SPARQL</title><style>
body{{font-family:system-ui,sans-serif;margin:1.5em;max-width:90em}}
textarea{{width:100%;height:14em;font-family:monospace}}
table{{border-collapse:collapse;margin-top:1em}}td,th{{border:1px solid #ccc;padding:.25em .5em}}
#examples button{{margin:.2em}}</style></head><body>
<h1>SPARQL</h1><p>Endpoint <code>/sparql</code>; the default graph is the union of all named
graphs; predeclared prefixes: {prefixes}. <a href="/">Back to the views</a></p>
<div id="examples"></div>
<textarea id="q">SELECT ?type (COUNT(?e) AS ?n) WHERE {{ ?e a ?type ; kgo:mentionCount ?c }}
GROUP BY ?type ORDER BY DESC(?n)</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><div id="out"></div>
<script id="example-data" type="application/json">{data}</script>
<script>
const examples = JSON.parse(document.getElementById('example-data').textContent);
const box = document.getElementById('examples');
for (const ex of examples) {{
  const b = document.createElement('button'); b.textContent = ex.title; b.title = ex.name;
  b.onclick = () => {{ document.getElementById('q').value = ex.query; }}; box.appendChild(b);
}}
document.getElementById('run').onclick = async () => {{
  const status = document.getElementById('status'), out = document.getElementById('out');
  status.textContent = '…'; out.textContent = '';
  const r = await fetch('/sparql', {{method: 'POST', headers: {{'Content-Type':
    'application/sparql-query', 'Accept': 'application/sparql-results+json'}},
    body: document.getElementById('q').value}});
  if (!r.ok) {{ status.textContent = r.status + ' ' + await r.text(); return; }}
  const data = await r.json();
  if ('boolean' in data) {{ status.textContent = String(data.boolean); return; }}
  const t = document.createElement('table'), head = t.insertRow();
  for (const v of data.head.vars) {{ const th = document.createElement('th'); th.textContent = v;
    head.appendChild(th); }}
  for (const b of data.results.bindings) {{ const row = t.insertRow();
    for (const v of data.head.vars) {{ row.insertCell().textContent = b[v] ? b[v].value : ''; }} }}
  status.textContent = data.results.bindings.length + ' rows'; out.appendChild(t);
}};
</script></body></html>"""


class Handler(SimpleHTTPRequestHandler):
    """Static files from the output directory, plus /query and /sparql."""

    store: Path
    limits: Limits
    reconciler: Reconciler | None = None
    lock = threading.Lock()

    def _reconciler(self) -> Reconciler:
        with self.lock:
            if type(self).reconciler is None:
                type(self).reconciler = Reconciler(open_store(self.store))
            return type(self).reconciler  # type: ignore[return-value]

    def _reconcile(self, params: dict[str, list[str]]) -> None:
        path = urllib.parse.urlsplit(self.path).path
        rec = self._reconciler()
        if path == "/reconcile/preview":
            page = rec.preview((params.get("id") or [""])[0])
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
            return
        if "queries" in params:
            try:
                batch = json.loads(params["queries"][0])
                answer = {key: rec.query(q) for key, q in batch.items()}
            except (ValueError, AttributeError, TypeError) as exc:
                self._send(400, "text/plain; charset=utf-8", f"bad queries: {exc}".encode())
                return
        else:
            host = self.headers.get("Host") or "127.0.0.1"
            answer = rec.manifest(f"http://{host}")
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self._send(200, "application/json; charset=utf-8", body)

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep tests and stdout quiet
        return

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.end_headers()

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            self._sparql(urllib.parse.parse_qs(url.query), None, None)
        elif url.path in ("/reconcile", "/reconcile/preview"):
            self._reconcile(urllib.parse.parse_qs(url.query))
        elif url.path == "/query":
            self._send(200, "text/html; charset=utf-8", query_page().encode("utf-8"))
        else:
            super().do_GET()

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        if url.path == "/reconcile":
            self._reconcile(urllib.parse.parse_qs(url.query) | urllib.parse.parse_qs(body))
            return
        if url.path != "/sparql":
            self._send(405, "text/plain; charset=utf-8", b"POST is accepted at /sparql only")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query)
        if ctype == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body))
            self._sparql(params, None, ctype)
        else:
            self._sparql(params, body, ctype)

    def _sparql(self, params: dict[str, list[str]], direct: str | None, ctype: str | None) -> None:
        if "update" in params or ctype == "application/sparql-update":
            self._send(403, "text/plain; charset=utf-8", READ_ONLY)
            return
        if direct is not None and ctype == "application/sparql-query":
            query = direct
        else:
            query = (params.get("query") or [""])[0]
        if not query.strip():
            self._send(400, "text/plain; charset=utf-8", b"missing the 'query' parameter")
            return
        accept = self.headers.get("Accept") or ""
        status, rtype, body = run_limited(self.store, query, accept, self.limits)
        if status == 400 and _looks_like_update(query):
            status, body = 403, READ_ONLY
        self._send(status, rtype, body)


def _looks_like_update(query: str) -> bool:
    words = {w.upper() for w in query.replace("{", " ").split()}
    return bool(words & {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE"})


def make_server(out_dir: Path, host: str, port: int, limits: Limits) -> ThreadingHTTPServer:
    """An HTTP server over a built output directory (not started)."""
    store = out_dir / STORE_DIR
    if not store.is_dir():
        raise FileNotFoundError(f"no store at {store}; run `kg build` first")
    handler = type("BoundHandler", (Handler,), {"store": store.resolve(), "limits": limits})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(out_dir)))
    server.daemon_threads = True
    return server
