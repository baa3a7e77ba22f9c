"""`kg serve` and `kg push` with real clients: SPARQLWrapper, curl, and a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from kg.cli import main
from kg.ontology import QUERIES_DIR

KG = str(Path(sys.executable).with_name("kg"))
OXIGRAPH = str(Path(sys.executable).with_name("oxigraph"))
EXAMPLES = sorted(QUERIES_DIR.glob("*.rq"))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


MAX_ROWS = 50


@pytest.fixture(scope="module")
def server(built_seeds):
    out, _ = built_seeds
    proc = subprocess.Popen(
        [KG, "serve", "--port", "0", "-o", str(out), "--timeout", "3",
         "--max-rows", str(MAX_ROWS)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("Serving on http://127.0.0.1:"), first
    yield first.removeprefix("Serving on ").rstrip("/")
    proc.terminate()
    proc.wait(10)


def _curl(*args: str) -> tuple[int, str]:
    if shutil.which("curl") is None:
        pytest.skip("curl not installed")
    r = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code}", *args], capture_output=True, text=True, check=True
    )
    body, _, code = r.stdout.rpartition("\n")
    return int(code), body


def test_sparqlwrapper_json_and_csv(server):
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery("SELECT ?r ?t WHERE { ?r a kgo:Report ; dcterms:title ?t } ORDER BY ?r")
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    assert data["head"]["vars"] == ["r", "t"]
    assert len(data["results"]["bindings"]) == 4  # seed 001 has no title line
    assert data["results"]["bindings"][0]["t"]["xml:lang"] == "zh"
    sw.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(sw.query().convert().decode("utf-8"))))
    assert rows[0] == ["r", "t"] and len(rows) == 5


def test_curl_with_accept_headers(server):
    q = "--data-urlencode", "query=SELECT ?r WHERE { ?r a kgo:Report } ORDER BY ?r"
    code, body = _curl("-G", *q, "-H", "Accept: text/tab-separated-values", f"{server}/sparql")
    assert code == 200 and body.splitlines()[0] == "?r" and len(body.splitlines()) == 6
    code, body = _curl("-G", *q, "-H", "Accept: application/sparql-results+xml", f"{server}/sparql")
    assert code == 200 and "<sparql" in body and body.count("<result>") == 5
    code, body = _curl(
        "-X", "POST", "-H", "Content-Type: application/sparql-query",
        "-H", "Accept: text/turtle", "--data", "CONSTRUCT WHERE { ?r a kgo:Report }",
        f"{server}/sparql",
    )  # fmt: skip
    assert code == 200 and "ontology#Report" in body


def test_updates_and_load_are_refused(server):
    code, body = _curl(
        "-X", "POST", "-H", "Content-Type: application/sparql-update",
        "--data", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", f"{server}/sparql",
    )  # fmt: skip
    assert code == 403 and "read-only" in body
    code, _ = _curl("--data-urlencode", "update=LOAD <http://example.org/g>", f"{server}/sparql")
    assert code == 403
    code, _ = _curl("--data-urlencode", "query=LOAD <http://example.org/g>", f"{server}/sparql")
    assert code == 403


def test_missing_query_is_400_and_bad_syntax_names_line_and_column(server):
    code, _ = _curl(f"{server}/sparql")
    assert code == 400
    code, body = _curl("-G", "--data-urlencode", "query=SELECT ?s WHERE {\n ?s ?p",
                       f"{server}/sparql")  # fmt: skip
    assert code == 400 and "2:" in body


def test_slow_query_is_stopped_with_503(server):
    started = time.monotonic()
    code, body = _curl("-G", "--data-urlencode", f"query={SLOW}", f"{server}/sparql")
    assert code == 503 and "time limit of 3 s" in body
    assert time.monotonic() - started < 20


def test_row_cap_applies(server):
    code, body = _curl("-G", "--data-urlencode", "query=SELECT ?s WHERE { ?s ?p ?o }",
                       "-H", "Accept: application/json", f"{server}/sparql")  # fmt: skip
    assert code == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


def test_views_query_page_and_cors(server):
    with urllib.request.urlopen(f"{server}/") as r:
        assert r.status == 200 and b"<html" in r.read().lower()
    with urllib.request.urlopen(f"{server}/query") as r:
        page = r.read().decode("utf-8")
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert all(p.stem in page for p in EXAMPLES)
    # local assets only: no script, style or link is fetched from elsewhere
    assert "<script src" not in page and 'href="http' not in page and "@import" not in page


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_query_answers_from_kg_query_and_the_endpoint_agree(path, built_seeds, server):
    out, _ = built_seeds
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and "?" in text.splitlines()[0]  # states its question
    r = CliRunner().invoke(main, ["query", str(path), "-o", str(out), "--format", "csv"])
    assert r.exit_code == 0, r.output
    local = list(csv.reader(io.StringIO(r.stdout)))
    assert len(local) > 1, f"{path.name} returned no rows on the seeds"
    code, body = _curl("-H", "Accept: text/csv", "--data-urlencode", f"query@{path}",
                       f"{server}/sparql")  # fmt: skip
    assert code == 200
    assert list(csv.reader(io.StringIO(body))) == local[: 1 + MAX_ROWS]  # header + capped rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_push_into_a_real_oxigraph_server_gives_the_same_answers(built_seeds, tmp_path):
    out, res = built_seeds
    port = _free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        r = CliRunner().invoke(main, ["push", "-o", str(out), "--endpoint", f"{base}/update",
                                      "--graph-store", f"{base}/store"])  # fmt: skip
        assert r.exit_code == 0, r.output
        assert f"pushed {res.triples} triples" in r.stderr
        for path in EXAMPLES:
            local = CliRunner().invoke(
                main, ["query", str(path), "-o", str(out), "--format", "csv"]
            )
            req = urllib.request.Request(
                f"{base}/query", data=path.read_bytes(),
                headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
            )  # fmt: skip
            with urllib.request.urlopen(req) as resp:
                remote = resp.read().decode("utf-8")
            assert list(csv.reader(io.StringIO(remote))) == list(
                csv.reader(io.StringIO(local.stdout))
            ), path.name
    finally:
        proc.terminate()
        proc.wait(10)


def _reconcile(server: str, queries: dict) -> dict:
    data = urllib.parse.urlencode({"queries": json.dumps(queries, ensure_ascii=False)}).encode()
    req = urllib.request.Request(f"{server}/reconcile", data=data)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read().decode("utf-8"))


def test_reconciliation_manifest_and_batch(server):
    with urllib.request.urlopen(f"{server}/reconcile") as r:
        manifest = json.loads(r.read().decode("utf-8"))
    assert manifest["versions"] == ["0.2"]
    type_ids = {t["id"] for t in manifest["defaultTypes"]}
    assert "https://w3id.org/zhgov-kg/ontology#Enterprise" in type_ids
    kgo = "https://w3id.org/zhgov-kg/ontology#"
    answer = _reconcile(server, {
        "q0": {"query": "天合光能", "type": kgo + "Enterprise"},
        "q1": {"query": "新北区"},
        "q2": {"query": "常泰过江通道", "type": kgo + "Project", "limit": 3},
        "q3": {"query": "完全不存在的名称公司"},
    })  # fmt: skip
    top0 = answer["q0"]["result"][0]
    assert top0["name"] == "天合光能" and top0["match"] and top0["score"] == 100
    assert top0["type"][0]["id"] == kgo + "Enterprise"
    assert answer["q1"]["result"][0]["name"] == "新北区" and answer["q1"]["result"][0]["match"]
    assert answer["q2"]["result"][0]["name"] == "常泰过江通道"
    assert len(answer["q2"]["result"]) <= 3
    assert not any(c["match"] or c["score"] >= 90 for c in answer["q3"]["result"])
    with urllib.request.urlopen(
        f"{server}/reconcile/preview?id=" + urllib.parse.quote(top0["id"], safe="")
    ) as r:
        assert "天合光能" in r.read().decode("utf-8")
