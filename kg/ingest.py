"""Stage 1: read report files and decode them to text.

Reports arrive in many encodings; the decoded text (BOM dropped, line endings untouched) is
the coordinate system for every offset the tool reports, so decoding happens exactly once here.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable
from pathlib import Path

from charset_normalizer import from_bytes

from kg.model import RawDocument

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
REPORT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES
DEFAULT_MAX_BYTES = 20_000_000
# The largest provincial report is 33k characters; a text 30 times that is no report.
DEFAULT_MAX_CHARS = 1_000_000


class IngestError(Exception):
    """A file that cannot be turned into text; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def collect_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of report files (text, HTML, PDF)."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.is_file() and _is_report_name(q)))
        else:
            found.append(p)
    unique: dict[str, Path] = {}
    for p in found:
        unique.setdefault(str(p), p)
    return sorted(unique.values(), key=lambda q: (q.name, str(q)))


def _is_report_name(p: Path) -> bool:
    return p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes, returning (text, encoding name); raise IngestError if impossible."""
    if not data.strip():
        raise IngestError(path, "empty file: no text to read")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    path, f"starts with a {enc} BOM but does not decode: {exc}"
                ) from exc
            return text.lstrip("\ufeff"), enc
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary or unsupported file (not a text, HTML or PDF report)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: dict[str, str] = {}
    for enc in ("gb18030", "big5"):
        try:
            candidates[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise IngestError(path, "undecodable: not UTF-8, UTF-16, GB18030/GBK or Big5")
    if len(candidates) == 1:
        enc, text = next(iter(candidates.items()))
        return text, enc
    best = from_bytes(data, cp_isolation=list(candidates)).best()
    enc = "gb18030" if best is None else _canonical(best.encoding)
    return candidates.get(enc, candidates["gb18030"]), enc


def _canonical(name: str) -> str:
    name = name.lower().replace("_", "")
    if name in {"big5", "big5hkscs", "cp950"}:
        return "big5"
    return "gb18030"


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A report file's bytes; IngestError names the file when it cannot be read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise IngestError(p, f"too large: {size} bytes exceeds the limit of {max_bytes}")
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError(p, "file not found (deleted or moved?)") from exc
    except IsADirectoryError as exc:
        raise IngestError(p, "is a directory, not a report file") from exc
    except PermissionError as exc:
        raise IngestError(p, "permission denied") from exc
    except OSError as exc:
        raise IngestError(p, f"cannot read: {exc.strerror or exc}") from exc


def read_document(
    path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS
) -> RawDocument:
    """Read one report file; IngestError names the file when it cannot be used."""
    return decode_document(path, read_bytes(path, max_bytes), max_chars)


def decode_document(
    path: str | Path, data: bytes, max_chars: int = DEFAULT_MAX_CHARS
) -> RawDocument:
    """Turn a report file's bytes into text (the file is not read again: `path` names it).

    A text longer than `max_chars` is refused: segmentation and extraction hold the whole
    document in memory, several hundred bytes per character.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        from kg.formats import pdf_to_text

        text, encoding, fmt = pdf_to_text(data, p), "pdf-text-layer", "pdf"
    elif suffix in HTML_SUFFIXES:
        from kg.formats import html_charset, html_to_text

        declared = html_charset(data)
        try:
            if not declared:
                raise LookupError("no declared charset")
            page, encoding = data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            page, encoding = decode_bytes(data, p)
        text, fmt = html_to_text(page, p), "html"
    else:
        text, encoding = decode_bytes(data, p)
        fmt = "text"
    if len(text) > max_chars:
        raise IngestError(
            p,
            f"too long: {len(text):,} characters exceeds --max-chars {max_chars:,} "
            "(raise it to build this file)",
        )
    return RawDocument(
        path=str(p),
        name=p.name,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=fmt,
    )
