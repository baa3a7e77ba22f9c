import codecs

import pytest

from kg.ingest import IngestError, collect_paths, decode_bytes, read_document

SAMPLE = "常州市天宁区政府工作报告：“1115”大企业集团"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ],
)
def test_decode_known_encodings_gives_same_text(data, encoding):
    text, enc = decode_bytes(data)
    assert text == SAMPLE
    assert enc == encoding


def test_decode_big5_traditional_text():
    trad = "常州市天寧區政府工作報告，區委書記、區長張凱奇向大會報告工作，請予審議。"
    text, enc = decode_bytes(trad.encode("big5"))
    assert text == trad
    assert enc == "big5"


def test_binary_input_is_refused_with_file_name(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert "image.txt" in str(exc.value)
    assert "binary" in exc.value.reason


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n")
    with pytest.raises(IngestError, match="empty"):
        read_document(p)


def test_collect_paths_expands_folders_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("乙", encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    assert [p.name for p in collect_paths([tmp_path])] == ["a.txt", "b.txt"]


def test_bom_is_dropped_and_line_endings_kept(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(codecs.BOM_UTF8 + "第一行\r\n第二行".encode())
    doc = read_document(p)
    assert doc.text == "第一行\r\n第二行"
