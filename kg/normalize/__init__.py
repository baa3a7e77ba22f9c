"""Stage 2: normalise decoded text for extraction while keeping an exact offset map.

Every normalised character remembers the raw span it was made from, so any span found by a
later stage maps back to the original file (``raw[start:end]`` is the mention as written).
The steps run in a fixed order, each a function of `Mapped` text, and the whole is
idempotent: normalising normalised text changes nothing.

1. repair UTF-8-as-Latin-1 mojibake; 2. mark unrepairable fragments (U+FFFD);
3. drop pinyin annotations; 4. traditional → simplified; 5. fold full-width letters and
digits; — metadata is read here, before the furniture that carries some of it goes —
6. drop web/newspaper furniture; 7. drop repeated paragraphs; 8. join lines broken in words.
"""

from __future__ import annotations

from kg.model import DocMetadata, NormalizedDocument, RawDocument
from kg.normalize.cleanup import (
    CleanupReport,
    join_broken_lines,
    remove_boilerplate,
    remove_repeats,
)
from kg.normalize.mapped import Mapped
from kg.normalize.repair import DAMAGE, RepairReport, mark_damaged, repair_mojibake
from kg.normalize.script import fold_width, strip_pinyin, to_simplified
from kg.normalize.structure import flatten, parse_structure

__all__ = ["DAMAGE", "Mapped", "normalize_document", "normalize_text"]


def normalize_text(raw: str) -> tuple[Mapped, Mapped, dict[str, object]]:
    """Run every step; return (final text, text before layout clean-up, quality report)."""
    m = Mapped.identity(raw)
    repair = RepairReport()
    cleanup = CleanupReport()
    m = repair_mojibake(m, repair)
    m = mark_damaged(m, repair)
    m, pinyin = strip_pinyin(m)
    m, converted = to_simplified(m)
    m, folded = fold_width(m)
    before_cleanup = m
    m = remove_boilerplate(m, cleanup)
    m = remove_repeats(m, cleanup)
    m = join_broken_lines(m, cleanup)
    # a pinyin annotation broken across lines (㐀(\na)) is whole only once the lines are joined
    m, pinyin_joined = strip_pinyin(m)
    pinyin += pinyin_joined
    report: dict[str, object] = {
        "raw_chars": len(raw),
        "normalized_chars": len(m.text),
        "mojibake_runs_repaired": repair.mojibake_runs_repaired,
        "mojibake_chars_repaired": repair.mojibake_chars_repaired,
        "damaged_fragments": repair.damaged_fragments,
        "damaged_chars": repair.damaged_chars,
        "damaged_share": round(repair.damaged_chars / len(raw), 5) if raw else 0.0,
        "damaged_samples": list(repair.damaged_samples),
        "pinyin_annotations_removed": pinyin,
        "traditional_converted_chars": converted,
        "fullwidth_folded_chars": folded,
        "boilerplate_lines_removed": dict(sorted(cleanup.boilerplate_lines.items())),
        "boilerplate_chars_removed": cleanup.boilerplate_chars,
        "boilerplate_samples": cleanup.boilerplate_samples,
        "repeated_paragraphs_removed": cleanup.repeated_paragraphs,
        "repeated_chars_removed": cleanup.repeated_chars,
        "repeated_samples": cleanup.repeated_samples,
        "broken_lines_joined": cleanup.broken_lines_joined,
    }
    return m, before_cleanup, report


def normalize_document(doc: RawDocument, metadata: DocMetadata | None = None) -> NormalizedDocument:
    """Normalise one decoded report (plain data in, plain data out).

    `metadata`, when given (from a manifest), completes and overrides what the text says.
    """
    from kg.metadata import detect_metadata, merge_metadata

    m, before_cleanup, report = normalize_text(doc.text)
    sections, glossary = parse_structure(m.text)
    report = {
        "file": doc.name,
        "encoding": doc.encoding,
        "source_format": doc.source_format,
        **report,
        "sections": len(flatten(sections)),
        "glossary_entries": len(glossary),
    }
    meta = detect_metadata(before_cleanup.text)
    if metadata is not None:
        meta = merge_metadata(meta, metadata)
    return NormalizedDocument(
        name=doc.name,
        raw=doc.text,
        text=m.text,
        starts=list(m.starts),
        ends=list(m.ends),
        sha256=doc.sha256,
        encoding=doc.encoding,
        quality=report,
        metadata=meta,
        sections=sections,
        glossary=glossary,
        source_format=doc.source_format,
    )
