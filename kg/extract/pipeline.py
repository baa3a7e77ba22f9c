"""Assemble the extraction pipeline from config.cfg and turn its output into Mentions."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache, partial
from pathlib import Path

import spacy
from spacy.lang.zh import Chinese
from spacy.language import Language

from kg import __version__
from kg.extract import components  # noqa: F401 - registers the factories
from kg.extract.components import Candidate
from kg.extract.user_names import UserNames, apply_names
from kg.model import ENTITY_TYPES, Mention, NormalizedDocument
from kg.segment import load_segmenter

CONFIG_PATH = Path(__file__).with_name("config.cfg")
EXTRACTOR_VERSION = f"kg-extract/{__version__}"
METADATA_EXTRACTOR = f"kg-metadata/{__version__}#speaker"
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The extraction pipeline, loaded once per process (the segmenter takes seconds)."""
    config = spacy.util.load_config(CONFIG_PATH)
    nlp = Chinese.from_config(config)
    load_segmenter(nlp)
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of the normalised text (split at 。！？； and line breaks)."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def extract_candidates(doc: NormalizedDocument) -> list[Candidate]:
    """Run the spaCy pipeline over one normalised document."""
    nlp = load_pipeline()
    nlp.max_length = max(nlp.max_length, len(doc.text) + 1)
    return list(nlp(doc.text)._.kg_entities or [])


def extract_mentions(doc: NormalizedDocument, names: UserNames | None = None) -> list[Mention]:
    """Entity mentions of one document with raw offsets and the sentence that quotes them.

    `names` (an analyst's names file) is applied last, so its word is final.
    """
    sents = sentence_spans(doc.text)
    out = [
        _mention(doc, sents, c.start, c.end, c.label, c.name, f"{EXTRACTOR_VERSION}#{c.extractor}")
        for c in extract_candidates(doc)
        if c.label in ENTITY_TYPES
    ]
    speaker = speaker_mention(doc, sents)
    if speaker and not any(m.type == "Person" and m.name == speaker.name for m in out):
        # the metadata's spelling wins where another extractor read the same span otherwise
        # (龚 正, padded to the width of a three-character name): one person, one entity
        out = [m for m in out if not (m.type == "Person" and _overlap(m, speaker))]
        out.append(speaker)
    region = region_mention(doc, sents)
    if region and not any(m.type == "Place" and m.name == region.name for m in out):
        out.append(region)
    out.sort(key=lambda m: (m.norm_start, m.norm_end, m.type))
    if names:
        out = apply_names(doc, out, names, partial(_mention, doc, sents))
    return out


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _mention(
    doc: NormalizedDocument,
    sents: list[tuple[int, int]],
    start: int,
    end: int,
    label: str,
    name: str,
    extractor: str,
) -> Mention:

    a, b = doc.raw_span(start, end)
    k = max(0, bisect_right([s for s, _ in sents], start) - 1)
    s_start, s_end = sents[k] if sents else (start, end)
    sa, _ = doc.raw_span(s_start, s_end)
    _, sb = doc.raw_span(s_start, max(s_end, end))
    while sa < min(a, sb) and doc.raw[sa].isspace():  # the quote is the sentence, trimmed
        sa += 1
    while sb > max(b, sa) and doc.raw[sb - 1].isspace():
        sb -= 1
    return Mention(
        doc=doc.name,
        type=label,
        name=name,
        start=a,
        end=b,
        norm_start=start,
        norm_end=end,
        sentence_start=sa,
        sentence_end=sb,
        extractor=extractor,
    )


def region_mention(doc: NormalizedDocument, sents: list[tuple[int, int]]) -> Mention | None:
    """The issuing region as a Place, at its first occurrence in the text.

    Why: programmes are issued by the report's region (kgo:issuedBy), so that Place must be an
    entity with a mention even when extraction only found longer or shorter names for it
    (常州市天宁区, 天宁).
    """
    name = doc.metadata.region
    at = doc.text.find(name) if name else -1
    if at < 0:
        return None
    return _mention(doc, sents, at, at + len(name), "Place", name, METADATA_EXTRACTOR)


def speaker_mention(doc: NormalizedDocument, sents: list[tuple[int, int]]) -> Mention | None:
    """The person who delivered the report, where the metadata found the name in the text."""
    name = doc.metadata.speaker
    if not name:
        return None
    pattern = "[ \u3000]?".join(re.escape(ch) for ch in name)
    found = re.search(pattern, doc.text[:4000])
    if not found:
        return None
    return _mention(doc, sents, *found.span(), "Person", name, METADATA_EXTRACTOR)
