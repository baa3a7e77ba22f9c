"""Bad input: each bad file gets a clear message naming it, the others are built, and the exit
code is non-zero only when nothing could be built."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
from click.testing import CliRunner
from conftest import SEED_FILES
from rdflib import Graph

from kg.cli import main
from kg.ingest import DEFAULT_MAX_CHARS
from kg.pipeline import build

HOSTILE_NAME = "<img src=x onerror=alert(1)> & 'x' \"y\" #1 %20 \u202eevil.txt"
HOSTILE_TEXT = (
    "某某市人民政府工作报告\n"
    "我们实施“<script>alert(1)</script>”工程，推进“a&b<c>”计划和“%2F../x”行动。\n"
    "江苏天合光能有限公司在常州市投资建设“\u202e反转”项目。\n"
)
NO_METADATA = "这是一段没有标题、没有日期、没有地区的文字。江苏天合光能有限公司投资建设新项目。\n"


def _bad_folder(tmp_path):
    """A folder of reports: two usable, the rest each bad in its own way."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEED_FILES[1], d / SEED_FILES[1].name)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b" \n\r\n\t ")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "undecodable.txt").write_bytes(b"\x80abc\xff\xfe\x81" * 50)
    (d / "bad-bom.txt").write_bytes(b"\xef\xbb\xbf" + "报告".encode() + b"\xff\xfe\xfa")
    (d / "long.txt").write_text("推进高质量发展。" * 7000, encoding="utf-8")  # 56,000 chars
    (d / "gbk.txt").write_bytes(NO_METADATA.replace("这是", "这也是").encode("gbk"))
    (d / "no-metadata.txt").write_text(NO_METADATA, encoding="utf-8")
    (d / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    return d


def test_bad_files_are_named_with_their_reason_and_the_rest_is_built(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["build", str(_bad_folder(tmp_path)), "-o", str(out), "--max-chars", "50000"]
    )
    assert r.exit_code == 0, r.output
    reasons = {
        "empty.txt": "empty file",
        "blank.txt": "empty file",
        "binary.txt": "binary or unsupported file",
        "undecodable.txt": "undecodable: not UTF-8, UTF-16, GB18030/GBK or Big5",
        "bad-bom.txt": "BOM but does not decode",
        "long.txt": "too long: 56,000 characters exceeds --max-chars 50,000",
    }
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == len(reasons)
    for name, reason in reasons.items():
        assert any(name in w and reason in w for w in warnings), (name, warnings)
    assert "documents: 4 built, 6 failed" in r.stderr
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert sorted(e["file"].rsplit("/", 1)[-1] for e in report["errors"]) == sorted(reasons)
    assert report["shacl"]["conforms"], report["shacl"]
    built = {d["file"] for d in report["documents"]}
    assert built == {SEED_FILES[1].name, "gbk.txt", "no-metadata.txt", HOSTILE_NAME}
    gbk = next(d for d in report["documents"] if d["file"] == "gbk.txt")
    assert gbk["metadata"] == {} or "region" not in gbk["metadata"]


def test_hostile_names_stay_data_in_every_output(tmp_path):
    out = tmp_path / "out"
    src = tmp_path / "in"
    src.mkdir()
    (src / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    g = Graph().parse(out / "graph.ttl", format="turtle")
    names = {str(o) for o in g.objects()}
    assert "<script>alert(1)</script>" in "".join(names)  # kept as a literal, verbatim
    for s in g.subjects():
        ox.NamedNode(str(s))  # every subject is a valid IRI
        assert not set(str(s)) & set(' <>"{}|\\^`\u202e')
    list(ox.parse(path=out / "graph.nq", format=ox.RdfFormat.N_QUADS))
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["documents"][0]["file"] == HOSTILE_NAME and report["shacl"]["conforms"]


def test_nothing_usable_exits_3_and_leaves_no_outputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(d), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert r.exit_code == 3
    assert "missing.txt: file not found" in r.stderr
    assert "nothing could be built" in r.stderr
    assert not out.exists()


def test_the_default_max_chars_refuses_a_giant_file(tmp_path):
    big = tmp_path / "giant.txt"
    big.write_text("发" * (DEFAULT_MAX_CHARS + 1), encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(big), "-o", str(tmp_path / "out")])
    assert r.exit_code == 3
    assert f"exceeds --max-chars {DEFAULT_MAX_CHARS:,}" in r.stderr


def test_a_file_deleted_mid_build_is_reported_and_the_rest_built(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    files = []
    for p in SEED_FILES[:3]:
        shutil.copy(p, d / p.name)
        files.append(d / p.name)
    last = min(files, key=lambda p: p.stat().st_size)  # largest first: the smallest goes last

    def delete_last(_done) -> None:
        last.unlink(missing_ok=True)

    res = build(files, tmp_path / "out", on_done=delete_last, validate=False)
    assert [e["file"] for e in res.errors] == [str(last)]
    assert "file not found" in res.errors[0]["error"]
    assert sorted(doc.name for doc in res.docs) == sorted(p.name for p in files if p != last)


def test_an_unexpected_failure_on_one_file_is_a_message_not_a_crash():
    from kg.pipeline import process_bytes

    # metadata of the wrong kind makes normalisation raise inside the worker, as a defect would
    result, error = process_bytes("x.txt", SEED_FILES[0].read_bytes(), {"year_planned": "MMXX"})
    assert result is None and error is not None
    assert error["file"] == "x.txt" and "could not be processed: ValueError" in error["error"]
