"""Plain data passed between pipeline stages, so each stage can be tested alone."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES: tuple[str, ...] = (
    "Enterprise",
    "Project",
    "Programme",
    "Organization",
    "Place",
    "Zone",
    "Person",
    "Event",
)


@dataclass(frozen=True)
class RawDocument:
    """A report as decoded from its file: BOM dropped, line endings untouched.

    For HTML and PDF input, `text` is the text extracted from the page or the PDF's text
    layer; offsets and quotes refer to it.
    """

    path: str
    name: str
    text: str
    encoding: str
    sha256: str
    source_format: str = "text"  # text, html or pdf


@dataclass(frozen=True)
class DocMetadata:
    """What the text (or a manifest) says about the report itself; None where absent."""

    title: str | None = None
    region: str | None = None
    region_code: str | None = None
    region_level: str | None = None  # province, city, district or county
    kind: str | None = None
    meeting: str | None = None
    congress: str | None = None  # 第十六届
    session: str | None = None  # 第五次会议
    date: str | None = None  # delivery date, ISO
    speaker: str | None = None
    speaker_office: str | None = None
    year_reviewed: int | None = None
    year_planned: int | None = None
    source_url: str | None = None  # from a manifest
    issued: str | None = None  # publication date, from a manifest


@dataclass
class Section:
    """A numbered part of a report (一、 / （一） / 1． / 一是), or its glossary (level 0)."""

    level: int
    marker: str
    title: str
    start: int  # offsets into the normalised text
    end: int
    kind: str = "section"
    children: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class GlossaryEntry:
    """One term defined in a report's glossary (名词解释)."""

    term: str
    definition: str
    start: int
    end: int
    term_start: int
    term_end: int


@dataclass
class NormalizedDocument:
    """Normalised text plus, for every normalised character, the raw span it came from."""

    name: str
    raw: str
    text: str
    starts: list[int]
    ends: list[int]
    sha256: str = ""
    encoding: str = "utf-8"
    quality: dict[str, object] = field(default_factory=dict)
    metadata: DocMetadata = field(default_factory=DocMetadata)
    sections: list[Section] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    source_format: str = "text"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the raw span it was made from."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.raw)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity name in one document."""

    doc: str
    type: str
    name: str
    start: int  # code-point offsets into the decoded raw text, end exclusive
    end: int
    norm_start: int  # offsets into the normalised text
    norm_end: int
    sentence_start: int  # raw span of the sentence quoted as provenance
    sentence_end: int
    extractor: str


@dataclass
class Entity:
    """One node of the graph: a typed, named thing with every mention of it."""

    iri: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
