"""Fuzzing (hypothesis) of what untrusted input reaches first: decoding, the whole normaliser,
IRI minting, and the splitting of a programme's definition into parts. Whatever the bytes or
names, the tool gives a document or a clear IngestError, every IRI it mints is a valid IRI that
survives a round trip through the RDF files, and a definition gives parts it quotes exactly."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from kg.export import dataset_quads, union_triples, write_graph_files
from kg.ingest import IngestError, decode_bytes, decode_document
from kg.model import ENTITY_TYPES, RawDocument
from kg.normalize import normalize_document
from kg.rdf import mention_iri, report_iri
from kg.relations.programmes import components
from kg.resolve import DEFAULT_BASE_IRI, canonical_name, entity_iri

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Characters that break naive IRI or markup handling, mixed into arbitrary text.
HOSTILE = st.sampled_from(
    list(" \t\n\r<>\"'{}|\\^`#%?/&;=+:@[]\u202e\u200b\u3000\x00\x7f\ufeff“”《》")
)
names = st.lists(st.one_of(st.text(max_size=4), HOSTILE), min_size=1, max_size=12).map("".join)
report_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(max_codepoint=0x9FFF), max_size=100).map(
        lambda t: t.encode("gb18030")
    ),
)
FORBIDDEN_IN_IRI = set(' <>"{}|\\^`\u202e\u200b\u3000\ufeff') | {chr(c) for c in range(0x21)}


@SETTINGS
@given(report_bytes)
def test_any_bytes_decode_or_fail_with_an_ingest_error(data):
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except IngestError as exc:
        assert exc.path == "x.txt" and exc.reason
        return
    assert isinstance(text, str) and encoding


@SETTINGS
@given(report_bytes, st.sampled_from(["r.txt", "r.html", "r.md"]))
def test_any_file_becomes_a_document_or_an_ingest_error(data, name):
    try:
        raw = decode_document(name, data, max_chars=10_000)
    except IngestError:
        return
    doc = normalize_document(raw)
    assert len(doc.starts) == len(doc.ends) == len(doc.text)
    assert all(0 <= a <= b <= len(doc.raw) for a, b in zip(doc.starts, doc.ends, strict=True))


@SETTINGS
@given(st.text(max_size=300))
def test_the_normaliser_takes_any_text_with_sound_sections_and_metadata(text):
    raw = RawDocument(path="f.txt", name="f.txt", text=text, encoding="utf-8", sha256="0")
    doc = normalize_document(raw)
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(doc.text)
    for g in doc.glossary:
        assert 0 <= g.start <= g.end <= len(doc.text)
    md = doc.metadata
    for year in (md.year_reviewed, md.year_planned):
        assert year is None or isinstance(year, int)


def _valid_iri(iri: str) -> None:
    ox.NamedNode(iri)  # raises on anything that is not an IRI
    assert not set(iri) & FORBIDDEN_IN_IRI, iri
    assert iri.startswith(DEFAULT_BASE_IRI.rstrip("/") + "/")


@SETTINGS
@given(
    st.sampled_from(ENTITY_TYPES),
    names,
    st.one_of(st.none(), st.from_regex(r"\d{6}", fullmatch=True)),
)
def test_minted_entity_iris_are_valid_and_stable(etype, name, code):
    iri = entity_iri(DEFAULT_BASE_IRI, etype, name, code)
    _valid_iri(iri)
    assert iri == entity_iri(DEFAULT_BASE_IRI, etype, canonical_name(name), code)


@SETTINGS
@given(names, names)
def test_different_names_get_different_iris(a, b):
    if canonical_name(a) and canonical_name(b) and canonical_name(a) != canonical_name(b):
        assert entity_iri(DEFAULT_BASE_IRI, "Enterprise", a) != entity_iri(
            DEFAULT_BASE_IRI, "Enterprise", b
        )


@SETTINGS
@given(names, st.integers(0, 10**6), st.integers(0, 100))
def test_report_and_mention_iris_are_valid_for_any_file_name(file_name, start, length):
    from kg.model import Mention

    _valid_iri(str(report_iri(DEFAULT_BASE_IRI, file_name)))
    m = Mention(file_name, "Place", "x", start, start + length, 0, 0, 0, 0, "e")
    _valid_iri(str(mention_iri(DEFAULT_BASE_IRI, m)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names, min_size=1, max_size=5))
def test_hostile_names_round_trip_through_every_rdf_file(tmp_path_factory, label_names):
    ds = Dataset()
    g = ds.graph(URIRef(DEFAULT_BASE_IRI + "graph/entities"))
    expected = set()
    for n in label_names:
        iri = URIRef(entity_iri(DEFAULT_BASE_IRI, "Enterprise", n))
        g.add((iri, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(n, lang="zh")))
        expected.add((str(iri), n))
    out = tmp_path_factory.mktemp("rt")
    quads = dataset_quads(ds)
    write_graph_files(quads, union_triples(quads), out)
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES),
                      ("graph.trig", ox.RdfFormat.TRIG), ("graph.nq", ox.RdfFormat.N_QUADS),
                      ("graph.jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
        got = {(q.subject.value, q.object.value) for q in ox.parse(path=out / name, format=fmt)}
        assert got == expected, name


# Pieces of the enumerations definitions write: counts that may make up a whole item (两个中心),
# separators, list cues and closers, generic heads and plain words.
LIST_PIECES = st.sampled_from(
    ["两个", "2个", "各10家以上", "一个", "三大", "中心", "平台", "产业", "新材料", "建好", "管好",
     "、", "，", "和", "及", "等", "。", "；", "包括", "指", "是指", "：", "“", "”", "1", "0"]
)  # fmt: skip


@SETTINGS
@given(
    st.sampled_from(["四个一", "三大工程", "1115", "双链", "一网三中心", "两特三新一智能"]),
    st.lists(LIST_PIECES, max_size=30).map("".join),
)
def test_any_definition_splits_into_parts_quoted_from_it(code, definition):
    text = f"“{code}”{definition}"
    for part, a, b in components(code, text, 0, len(text)):
        assert part and text[a:b] == part
