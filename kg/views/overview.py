"""The overview graph (overview.html): reports and their most-mentioned entities, with pyvis.

The browser never runs physics: vis-network's default physics (a body per node and, with smooth
edges, per edge) takes minutes to settle a few thousand nodes and freezes the tab. Positions are
computed here instead, in linear time so that the graph can grow: the reports are laid out by a
seeded spring layout of the reports alone (two reports sharing entities sit closer), and every
entity is placed on a sunflower spiral around the reports it appears in (most-mentioned nearest,
entities shared by several reports between them). pyvis holds the nodes, edges and options;
its own HTML template is not used, since every pyvis template links Bootstrap and vis.js from a
CDN.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx
from pyvis.network import Network

from kg.model import Entity
from kg.views.data import MENTIONED_IN, ViewData, predicate_label, report_year
from kg.views.style import FONT_FACE, TYPE_COLORS, TYPE_SHAPES, edge_color

EMBEDDED_NODES = 6000  # entities carried in the page; the user expands into them
INITIAL_NODES = 250  # entities shown when the page opens
LABEL_CHARS = 14
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_GAP = 8.0  # pixels kept free between nodes placed on a spiral
_SPACING = 90.0  # typical distance between neighbours in the core layout, pixels
_SPIRAL_STEP = 14.0
_RING_STEP = 150.0  # pixels between neighbouring reports on the ring
_CORE_MAX = 450  # nodes laid out by the spring layout (networkx's dense solver: < 500)


def node_size(mentions: int) -> float:
    """Area grows with the number of mentions, within bounds that stay readable."""
    return round(min(42.0, 7.0 + 4.0 * math.sqrt(mentions)), 1)


def short_label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def ranked_entities(view: ViewData, entities: list[Entity]) -> list[Entity]:
    """Most-mentioned first, then named by more reports, then sharing sentences with more
    entities; ties by IRI, so the order never depends on the run."""
    co = view.co_occurring
    return sorted(
        entities,
        key=lambda e: (
            -len(e.mentions),
            -len({m.doc for m in e.mentions}),
            -len(co.get(e.iri, ())),
            e.iri,
        ),
    )


class _Occupied:
    """Placed nodes in a grid of cells, to find a free spot near a point quickly."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, float]]] = defaultdict(list)

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return math.floor(x / self.cell), math.floor(y / self.cell)

    def free(self, x: float, y: float, size: float) -> bool:
        cx, cy = self._key(x, y)
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for ox, oy, osize in self.cells.get((i, j), ()):
                    if math.hypot(x - ox, y - oy) < size + osize + _GAP:
                        return False
        return True

    def add(self, x: float, y: float, size: float) -> None:
        self.cells[self._key(x, y)].append((x, y, size))


def layout(view: ViewData, shown: list[Entity]) -> dict[str, tuple[float, float]]:
    """Positions (pixels) of every report (by document name) and shown entity (by IRI).

    The core — the reports and the entities the page opens with — gets a seeded spring
    layout (networkx), scaled so that neighbours sit about `_SPACING` pixels apart. Every
    other entity is then put at the first free spot of a sunflower spiral around the
    mention-weighted centre of its reports, so revealing more entities grows the clusters
    outward without moving what is already on screen. Linear in the number of entities
    beyond the core, so the layout keeps up with a growing corpus."""
    reports = [d.name for d in view.docs]
    core_reports = sorted(reports, key=lambda n: -len(view.entities_by_doc.get(n, [])))
    core_reports = core_reports[: _CORE_MAX // 2]
    core_entities = shown[: max(0, min(INITIAL_NODES, _CORE_MAX - len(core_reports)))]
    g = nx.Graph()
    g.add_nodes_from(core_reports)
    core_docs = set(core_reports)
    for e in core_entities:
        g.add_node(e.iri)
        for doc, n in sorted(Counter(m.doc for m in e.mentions).items()):
            if doc in core_docs:
                g.add_edge(e.iri, doc, weight=1 + math.log(n))
    # the reports stay fixed on a circle, in order of their region codes (neighbouring
    # regions side by side); entities settle between the reports that name them
    order = sorted(core_reports, key=lambda n: (view.docs_by_name[n].metadata.region_code or "", n))
    ring = {
        n: (math.cos(2 * math.pi * i / len(order)), math.sin(2 * math.pi * i / len(order)))
        for i, n in enumerate(order)
    }
    if len(order) > 1:  # a ring with room for a report label every _RING_STEP pixels
        raw = nx.spring_layout(g, pos=ring, fixed=order, seed=7, iterations=150, weight="weight")
        # and room inside for the core entities: about _SPACING² of area each
        scale = max(len(order) * _RING_STEP / (2 * math.pi), _SPACING * math.sqrt(len(g)) / 1.6)
    else:  # one report: a free spring layout around it
        raw = (
            nx.spring_layout(g, seed=7, iterations=150, weight="weight")
            if len(g) > 1
            else {n: (0.0, 0.0) for n in g}
        )
        points = [(float(raw[n][0]), float(raw[n][1])) for n in g]
        nearest = sorted(
            min((math.dist(p, q) for j, q in enumerate(points) if j != i), default=1.0)
            for i, p in enumerate(points)
        )
        scale = _SPACING / max(nearest[len(nearest) // 2], 1e-9)
    occupied = _Occupied(2 * node_size(10**6) + _GAP)
    sizes = {e.iri: node_size(len(e.mentions)) for e in shown}
    spirals: dict[tuple[str, ...], int] = defaultdict(int)
    pos: dict[str, tuple[float, float]] = {}
    for n in order or list(g)[: len(core_reports)]:
        pos[n] = (float(raw[n][0]) * scale, float(raw[n][1]) * scale)
        occupied.add(*pos[n], 30.0)
    for e in core_entities:  # where the spring layout put it, or the nearest free spot
        x, y = float(raw[e.iri][0]) * scale, float(raw[e.iri][1]) * scale
        size = sizes[e.iri]
        if occupied.free(x, y, size):
            occupied.add(x, y, size)
            pos[e.iri] = (x, y)
        else:
            pos[e.iri] = _place(occupied, spirals, (e.iri,), (x, y), size)
    for name in reports:  # reports beyond the core: around the centre
        if name not in pos:
            pos[name] = _place(occupied, spirals, ("",), (0.0, 0.0), 30.0)
    for e in shown:
        if e.iri in pos:
            continue
        weights = Counter(m.doc for m in e.mentions)
        total = sum(weights.values())
        cx = sum(pos[d][0] * w for d, w in weights.items()) / total
        cy = sum(pos[d][1] * w for d, w in weights.items()) / total
        pos[e.iri] = _place(occupied, spirals, tuple(sorted(weights)), (cx, cy), sizes[e.iri])
    return pos


def _place(
    occupied: _Occupied,
    spirals: dict[tuple[str, ...], int],
    group: tuple[str, ...],
    centre: tuple[float, float],
    size: float,
) -> tuple[float, float]:
    """The first free point on the group's spiral (each group resumes where it stopped)."""
    k = spirals[group]
    while True:
        k += 1
        r = _SPIRAL_STEP * math.sqrt(k)
        x = centre[0] + r * math.cos(k * GOLDEN_ANGLE)
        y = centre[1] + r * math.sin(k * GOLDEN_ANGLE)
        if occupied.free(x, y, size):
            spirals[group] = k
            occupied.add(x, y, size)
            return x, y


def build_network(view: ViewData, embedded: int = EMBEDDED_NODES) -> Network:
    """The overview as a pyvis Network: reports (boxes), the `embedded` most-mentioned
    entities with their rank (the page shows the first ones and expands on demand), an edge
    from each entity to every report naming it and the graph's relations between them."""
    shown = ranked_entities(view, view.entities)[:embedded]
    pos = layout(view, shown)
    rid = {d.name: f"r{i}" for i, d in enumerate(view.docs)}
    eid = {e.iri: f"e{i}" for i, e in enumerate(shown)}
    net = Network(height="100%", width="100%", directed=True)
    for d in view.docs:
        x, y = pos[d.name]
        md = d.metadata
        year = report_year(d)
        label = " ".join(str(p) for p in (md.region, year) if p) or d.name
        net.add_node(
            rid[d.name],
            label=label,
            title=f"报告 Report · {md.title or d.name}",
            shape=TYPE_SHAPES["Report"],
            color=TYPE_COLORS["Report"],
            font={"color": "#ffffff", "size": 30},
            x=round(x, 1),
            y=round(y, 1),
            kgType="Report",
            rank=-1,
            docs=[rid[d.name]],
            href=view.href(view.report_iris[d.name], ""),
            year=year,
        )
    for rank, e in enumerate(shown):
        x, y = pos[e.iri]
        docs = sorted({m.doc for m in e.mentions})
        n = len(e.mentions)
        net.add_node(
            eid[e.iri],
            label=short_label(e.name),
            title=f"{e.type} · {e.name} · {n}次 mentions · {len(docs)} reports",
            shape=TYPE_SHAPES[e.type],
            color=TYPE_COLORS[e.type],
            size=node_size(n),
            font={"size": round(12 + node_size(n) / 2)},
            x=round(x, 1),
            y=round(y, 1),
            kgType=e.type,
            rank=rank,
            docs=[rid[d] for d in docs],
            href=view.href(e.iri, ""),
            **(
                {"shapeProperties": {"borderDashes": [4, 3]}, "borderWidth": 2}
                if e.type == "Event"
                else {}
            ),
        )
    ids = {**eid, **{view.report_iris[n]: r for n, r in rid.items()}}
    # pyvis's add_edge scans every edge for a duplicate (quadratic); these are unique by
    # construction, so they are appended as add_edge would store them
    for e in shown:
        for doc, count in sorted(Counter(m.doc for m in e.mentions).items()):
            net.edges.append(_edge(eid[e.iri], rid[doc], MENTIONED_IN, count))
    for r in sorted(set(view.relations), key=lambda r: (r.subject, r.predicate, r.object)):
        if r.subject in ids and r.object in ids:
            net.edges.append(_edge(ids[r.subject], ids[r.object], r.predicate, 1))
    # assigned, not set_options(): pyvis's option parser strips every space from the JSON
    net.options = OPTIONS
    return net


def _edge(a: str, b: str, predicate: str, count: int) -> dict[str, object]:
    zh, en = predicate_label(predicate, "zh"), predicate_label(predicate, "en")
    edge: dict[str, object] = {
        "from": a,
        "to": b,
        "label": zh,
        "title": f"{zh} · {en}" + (f" ×{count}" if count > 1 else ""),
        "color": edge_color(predicate),
        "kind": predicate,
    }
    if count > 1:
        edge["width"] = round(min(6.0, 1 + math.log2(count)), 2)
    return edge


OPTIONS: dict[str, object] = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "nodes": {"font": {"size": 14, "face": FONT_FACE}, "borderWidth": 1},
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "font": {"size": 9, "color": "#555555", "strokeWidth": 3, "align": "middle"},
        "color": {"inherit": False, "opacity": 0.55},
        "selectionWidth": 2,
    },
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
    },
}
