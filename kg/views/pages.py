"""The context of every page: plain dicts and lists the templates only print.

Every string from a report reaches HTML through Jinja's autoescaping, and JSON through
`safe_json` (which also escapes `<`, `>`, `&` and the JavaScript line separators), so a name
such as `<script>alert(1)</script>` is shown as text wherever it lands. Highlighted text is
passed as (before, name, after) pieces, never as pre-built markup.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from urllib.parse import quote

from markupsafe import Markup

from kg.link import NOT_VERIFIED, WIKIDATA_TYPES
from kg.model import ENTITY_TYPES, Entity, Mention, NormalizedDocument, Section
from kg.views.data import (
    CO_OCCURS,
    MENTIONED_IN,
    ViewData,
    predicate_label,
    report_title,
    report_year,
)
from kg.views.indicators import indicator_href, indicator_rows, observations
from kg.views.overview import short_label
from kg.views.style import FONT_FACE, TYPE_COLORS, TYPE_NAMES_ZH, TYPE_SHAPES, edge_color

CO_OCCURRING_LISTED = 40  # entities listed as sharing sentences with an entity
CO_OCCURRING_DRAWN = 16  # of which drawn in its neighbourhood graph
TOP_PER_TYPE = 12  # entities per type on the index page
_JS_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def safe_json(data: object) -> Markup:
    """JSON that is safe inside a <script> element and as JavaScript source: no character of
    it can end the element, start a comment or break a string, so it is marked safe for the
    templates (whose HTML escaping would corrupt JSON inside a script element)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escaped in _JS_ESCAPES:  # str.replace: many times faster than str.translate
        text = text.replace(char, escaped)
    return Markup(text)


def type_label(t: str) -> str:
    return f"{TYPE_NAMES_ZH.get(t, t)} {t}"


def _ref(view: ViewData, iri: str, root: str) -> dict[str, object]:
    """A link to a node for the templates: its label, type and relative address."""
    return {"label": view.label(iri), "type": view.node_type(iri), "href": view.href(iri, root)}


def _split_quote(doc: NormalizedDocument, m: Mention) -> dict[str, object]:
    """The quoted sentence in three pieces around the mention, from the raw text."""
    raw = doc.raw
    s, e = m.sentence_start, m.sentence_end
    if not (s <= m.start <= m.end <= e):
        s, e = min(s, m.start), max(e, m.end)
    return {
        "before": raw[s : m.start].strip(),
        "exact": raw[m.start : m.end],
        "after": raw[m.end : e].rstrip(),
        "start": m.start,
        "end": m.end,
        "extractor": m.extractor,
    }


def _doc_order(doc: NormalizedDocument) -> tuple[object, ...]:
    return (report_year(doc) or 0, doc.metadata.date or "", doc.name)


# -- entity pages -----------------------------------------------------------------------------


def entity_context(view: ViewData, e: Entity) -> dict[str, object]:
    root = "../"
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in e.mentions:
        by_doc[m.doc].append(m)
    docs = sorted((view.docs_by_name[n] for n in by_doc), key=_doc_order)
    mention_groups = [
        {
            "report": _ref(view, view.report_iris[d.name], root),
            "date": d.metadata.date,
            "year": report_year(d),
            "quotes": [_split_quote(d, m) for m in by_doc[d.name]],
        }
        for d in docs
    ]
    relations = [
        {
            "outgoing": link.outgoing,
            "zh": predicate_label(link.predicate, "zh"),
            "en": predicate_label(link.predicate, "en"),
            "predicate": link.predicate,
            "other": _ref(view, link.other, root),
        }
        for link in view.links.get(e.iri, [])
    ]
    co = sorted(
        view.co_occurring.get(e.iri, Counter()).items(),
        key=lambda kv: (-kv[1], view.label(kv[0]), kv[0]),
    )
    co_listed = [
        {"other": _ref(view, iri, root), "count": n} for iri, n in co[:CO_OCCURRING_LISTED]
    ]
    years = Counter(report_year(view.docs_by_name[m.doc]) for m in e.mentions)
    timeline = sorted((y, n) for y, n in years.items() if y is not None)
    division = view.division.get(e.iri)
    return {
        "root": root,
        "title": e.name,
        "entity": e,
        "type_label": type_label(e.type),
        "aliases": sorted(e.aliases),
        "report_count": len(docs),
        "mention_groups": mention_groups,
        "relations": relations,
        "co_occurring": co_listed,
        "co_occurring_total": len(co),
        "division": division,
        "listings": view.listing.get(e.iri, []),
        "wikidata": (
            NOT_VERIFIED
            if e.type in WIKIDATA_TYPES and (e.type != "Place" or division is not None)
            else None
        ),
        "wikidata_search": "https://www.wikidata.org/w/index.php?search=" + quote(e.name),
        "definitions": [
            {
                "report": _ref(view, view.report_iris[d.name], root),
                "term": g.term,
                "definition": g.definition,
            }
            for d, g in view.glossary_for(e)
        ],
        "timeline": timeline_bars(timeline) if e.type == "Programme" else None,
        "neighbourhood": safe_json(neighbourhood(view, e, [iri for iri, _ in co])),
    }


def timeline_bars(counts: list[tuple[int, int]]) -> dict[str, object]:
    """Bar geometry of mentions per year for a small SVG chart (every year in the range
    shown, so gaps are visible)."""
    if not counts:
        return {"bars": [], "width": 0, "height": 0}
    first, last = counts[0][0], counts[-1][0]
    by_year = dict(counts)
    top = max(by_year.values())
    bars = []
    for i, year in enumerate(range(first, last + 1)):
        n = by_year.get(year, 0)
        h = round(80 * n / top, 1)
        bars.append({"year": year, "count": n, "x": 10 + i * 44, "y": 100 - h, "h": h})
    return {"bars": bars, "width": 20 + 44 * len(bars), "height": 130}


def _ring(items: list[dict[str, object]], radius: float, offset: float) -> None:
    n = len(items)
    for i, item in enumerate(items):
        a = offset + 2 * math.pi * i / max(n, 1)
        item["x"], item["y"] = round(radius * math.cos(a), 1), round(radius * math.sin(a), 1)


def neighbourhood(view: ViewData, e: Entity, co_ranked: list[str]) -> dict[str, object]:
    """The entity, the nodes it is related to (reports included), and the entities it
    shares most sentences with, on two rings around it: positions are fixed here, so the
    small graph draws at once without physics."""
    root = "../"

    def node(iri: str, **extra: object) -> dict[str, object]:
        t = view.node_type(iri)
        label = view.label(iri)
        if t == "Report":
            d = view.doc_by_iri[iri]
            label = " ".join(str(p) for p in (d.metadata.region, report_year(d)) if p) or label
        return {
            "id": iri,
            "label": short_label(label),
            "title": f"{t} · {view.label(iri)}",
            "shape": TYPE_SHAPES.get(t, "dot"),
            "color": TYPE_COLORS.get(t, "#999999"),
            "href": view.href(iri, root),
            **extra,
        }

    inner: dict[str, dict[str, object]] = {}
    edges: list[dict[str, object]] = []
    counts = Counter(m.doc for m in e.mentions)
    for doc_name, n in sorted(counts.items()):
        iri = view.report_iris[doc_name]
        inner.setdefault(iri, node(iri, font={"color": "#ffffff"}))
        edges.append(_nedge(e.iri, iri, MENTIONED_IN, n))
    for link in view.links.get(e.iri, []):
        inner.setdefault(link.other, node(link.other))
        a, b = (e.iri, link.other) if link.outgoing else (link.other, e.iri)
        edges.append(_nedge(a, b, link.predicate, 1))
    outer = [node(iri) for iri in co_ranked if iri not in inner][:CO_OCCURRING_DRAWN]
    co = view.co_occurring.get(e.iri, Counter())
    for item in outer:
        edges.append(_nedge(e.iri, str(item["id"]), CO_OCCURS, co[str(item["id"])]))
    ring1 = sorted(inner.values(), key=lambda n: (str(n["shape"]), str(n["label"])))
    r1 = max(170.0, len(ring1) * 95 / (2 * math.pi))
    r2 = max(r1 + 170, len(outer) * 80 / (2 * math.pi))
    _ring(ring1, r1, -math.pi / 2)
    _ring(outer, r2, -math.pi / 2 + math.pi / max(len(outer), 1))
    centre = node(e.iri, x=0, y=0, size=26, font={"size": 18, "face": FONT_FACE})
    centre["label"] = e.name
    return {
        "nodes": [centre, *ring1, *outer],
        "edges": edges,
        "options": {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "nodes": {"font": {"size": 13, "face": FONT_FACE}, "size": 14},
            "edges": {
                "smooth": False,
                "font": {"size": 10, "color": "#555555", "strokeWidth": 3},
                "color": {"inherit": False},
            },
            "interaction": {"hover": True, "tooltipDelay": 150, "zoomView": True},
        },
    }


def _nedge(a: str, b: str, predicate: str, count: int) -> dict[str, object]:
    zh, en = predicate_label(predicate, "zh"), predicate_label(predicate, "en")
    edge: dict[str, object] = {
        "from": a,
        "to": b,
        "label": zh + (f" ×{count}" if count > 1 else ""),
        "title": f"{zh} · {en}" + (f" ×{count}" if count > 1 else ""),
        "color": edge_color(predicate),
        "arrows": "" if predicate == CO_OCCURS else "to",
    }
    if predicate == CO_OCCURS:
        edge["dashes"] = True
    return edge


# -- report pages -----------------------------------------------------------------------------


def highlighted_text(
    view: ViewData, doc: NormalizedDocument, root: str
) -> list[tuple[str, object]]:
    """The normalised text as pieces: ("text", str), ("mention", {...}) and ("anchor", id) for
    section starts. Overlapping mentions: the first and longest wins, the others stay text."""
    spans = []
    for e in view.entities_by_doc.get(doc.name, []):
        for m in e.mentions:
            if m.doc == doc.name and m.norm_end > m.norm_start:
                spans.append((m.norm_start, -(m.norm_end - m.norm_start), m.norm_end, e))
    spans.sort(key=lambda s: (s[0], s[1], s[3].iri))
    anchors = sorted({s.start for s in _flat(doc.sections)})
    pieces: list[tuple[str, object]] = []
    pos = 0
    ai = 0
    text = doc.text

    def emit_text(upto: int) -> None:
        nonlocal pos, ai
        while ai < len(anchors) and anchors[ai] < upto:
            a = max(anchors[ai], pos)
            if a > pos:
                pieces.append(("text", text[pos:a]))
                pos = a
            pieces.append(("anchor", f"s-{anchors[ai]}"))
            ai += 1
        if upto > pos:
            pieces.append(("text", text[pos:upto]))
            pos = upto

    for start, _neg, end, e in spans:
        if start < pos:
            continue
        emit_text(start)
        pieces.append(
            (
                "mention",
                {
                    "text": text[start:end],
                    "type": e.type,
                    "href": view.href(e.iri, root),
                    "title": f"{type_label(e.type)} · {e.name}",
                },
            )
        )
        pos = end
    emit_text(len(text))
    return pieces


def _flat(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(_flat(s.children))
    return out


def _outline(sections: list[Section]) -> list[dict[str, object]]:
    return [
        {
            "marker": s.marker,
            "title": s.title,
            "anchor": f"s-{s.start}",
            "children": _outline(s.children),
        }
        for s in sections
    ]


def _quality_rows(quality: dict[str, object]) -> list[tuple[str, str]]:
    rows = []
    for key, value in quality.items():
        if isinstance(value, dict | list):
            shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            shown = str(value)
        rows.append((key, shown))
    return rows


def _url_or_none(url: str | None) -> str | None:
    """Only web addresses become links: a manifest could hold `javascript:` or worse."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def report_context(view: ViewData, doc: NormalizedDocument) -> dict[str, object]:
    root = "../"
    md = doc.metadata
    ents = view.entities_by_doc.get(doc.name, [])
    per_type: dict[str, list[dict[str, object]]] = defaultdict(list)
    for e in sorted(ents, key=lambda e: (-sum(m.doc == doc.name for m in e.mentions), e.name)):
        per_type[e.type].append(
            {"ref": _ref(view, e.iri, root), "count": sum(m.doc == doc.name for m in e.mentions)}
        )
    iri = view.report_iris[doc.name]
    meta = [
        ("标题 Title", md.title),
        ("地区 Region", md.region),
        ("区划代码 GB/T 2260", md.region_code),
        ("级别 Level", md.region_level),
        ("类型 Kind", md.kind),
        ("会议 Meeting", md.meeting),
        ("报告日期 Delivered", md.date),
        ("发布日期 Published", md.issued),
        ("报告人 Speaker", " ".join(p for p in (md.speaker_office, md.speaker) if p) or None),
        ("回顾年度 Year reviewed", md.year_reviewed),
        ("计划年度 Year planned", md.year_planned),
        ("文件 File", doc.name),
        ("格式 Format", doc.source_format),
        ("编码 Encoding", doc.encoding),
        ("SHA-256", doc.sha256),
    ]
    return {
        "root": root,
        "title": report_title(doc),
        "doc": doc,
        "iri": iri,
        "meta": [(k, str(v)) for k, v in meta if v not in (None, "")],
        "source_url": _url_or_none(md.source_url),
        "source_text": md.source_url,
        "relations": [
            {
                "outgoing": link.outgoing,
                "zh": predicate_label(link.predicate, "zh"),
                "en": predicate_label(link.predicate, "en"),
                "other": _ref(view, link.other, root),
            }
            for link in view.links.get(iri, [])
        ],
        "entity_groups": [(t, type_label(t), per_type[t]) for t in ENTITY_TYPES if per_type[t]],
        "mention_count": sum(1 for e in ents for m in e.mentions if m.doc == doc.name),
        "quality": _quality_rows(doc.quality),
        "outline": _outline(doc.sections),
        "pieces": highlighted_text(view, doc, root),
    }


# -- index, entity list, search data ----------------------------------------------------------


def report_rows(view: ViewData, root: str) -> list[dict[str, object]]:
    rows = []
    for d in sorted(view.docs, key=lambda d: (_doc_order(d), d.name)):
        ents = view.entities_by_doc.get(d.name, [])
        rows.append(
            {
                "ref": _ref(view, view.report_iris[d.name], root),
                "region": d.metadata.region or "",
                "year": report_year(d) or "",
                "date": d.metadata.date or "",
                "entities": len(ents),
                "mentions": sum(1 for e in ents for m in e.mentions if m.doc == d.name),
                "damaged": d.quality.get("damaged_share", 0),
            }
        )
    return rows


def index_context(view: ViewData) -> dict[str, object]:
    root = ""
    by_type: dict[str, list[Entity]] = defaultdict(list)
    for e in view.entities:
        by_type[e.type].append(e)
    predicates = Counter(r.predicate for r in set(view.relations))
    return {
        "root": root,
        "title": "政府工作报告知识图谱 · Government work report knowledge graph",
        "counts": {
            "reports": len(view.docs),
            "entities": len(view.entities),
            "mentions": sum(len(e.mentions) for e in view.entities),
            "relations": sum(predicates.values()),
            "division_links": len(view.division_links),
            "listings": len(view.listings),
        },
        "types": [
            {
                "type": t,
                "label": type_label(t),
                "count": len(by_type[t]),
                "top": [
                    {"ref": _ref(view, e.iri, root), "count": len(e.mentions)}
                    for e in sorted(by_type[t], key=lambda e: (-len(e.mentions), e.iri))[
                        :TOP_PER_TYPE
                    ]
                ],
            }
            for t in ENTITY_TYPES
        ],
        "predicates": [
            (predicate_label(p, "zh"), predicate_label(p, "en"), n)
            for p, n in sorted(predicates.items())
        ],
        "reports": report_rows(view, root),
        "indicators": indicator_rows(view, root),
    }


def entities_context(view: ViewData) -> dict[str, object]:
    root = ""
    groups = []
    for t in ENTITY_TYPES:
        ents = sorted(
            (e for e in view.entities if e.type == t),
            key=lambda e: (-len(e.mentions), e.name, e.iri),
        )
        groups.append(
            {
                "type": t,
                "label": type_label(t),
                "rows": [
                    {
                        "ref": _ref(view, e.iri, root),
                        "aliases": " · ".join(sorted(e.aliases)),
                        "mentions": len(e.mentions),
                        "reports": len({m.doc for m in e.mentions}),
                    }
                    for e in ents
                ],
            }
        )
    return {"root": root, "title": "全部实体 · All entities", "groups": groups}


def search_data(view: ViewData) -> str:
    """assets/search-data.js: every entity (name, type, page, mentions, aliases) and report,
    as a script (a page opened from file:// may not fetch() a JSON file)."""
    entries: list[list[object]] = []
    for e in sorted(view.entities, key=lambda e: (-len(e.mentions), e.iri)):
        # the regions naming it tell apart same-named programmes of two cities
        regions = sorted({r for m in e.mentions if (r := view.docs_by_name[m.doc].metadata.region)})
        entries.append(
            [
                e.name,
                e.type,
                view.href(e.iri, ""),
                len(e.mentions),
                sorted(e.aliases),
                "、".join(regions[:3]) + ("…" if len(regions) > 3 else ""),
            ]
        )
    for name, facts in observations(view).items():
        regions = sorted({f.region for f in facts if f.region})
        where = "、".join(regions[:3]) + ("…" if len(regions) > 3 else "")
        entries.append([name, "Indicator", indicator_href(view, name, ""), 0, [], where])
    for d in sorted(view.docs, key=lambda d: d.name):
        md = d.metadata
        extra = [x for x in (md.region, d.name) if x]
        entries.append(
            [report_title(d), "Report", view.href(view.report_iris[d.name], ""), 0, extra, ""]
        )
    return "window.KG_SEARCH = " + safe_json(entries) + ";\n"
