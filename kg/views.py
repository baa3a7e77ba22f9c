"""Stage 9: HTML views of the graph, drawn with pyvis/vis-network and working offline.

The page loads vis-network from outputs/assets/ (copied from the pyvis package), never from a
CDN; the layout is computed once here with networkx, so the browser draws without physics.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from kg.model import ENTITY_TYPES, Entity, NormalizedDocument

TYPE_COLORS = {
    "Enterprise": "#e15759",
    "Project": "#f28e2b",
    "Programme": "#4e79a7",
    "Organization": "#76b7b2",
    "Place": "#59a14f",
    "Zone": "#edc948",
    "Person": "#b07aa1",
    "Event": "#ff9da7",
    "Report": "#9c755f",
}
MAX_NODES = 400
_TEMPLATES = Path(__file__).with_name("templates")


def vis_assets_dir() -> Path:
    """vis-network as shipped inside the pyvis package."""
    return Path(str(resources.files("pyvis") / "lib" / "vis-9.1.2"))


def build_network(
    docs: list[NormalizedDocument], entities: list[Entity], max_nodes: int = MAX_NODES
) -> Network:
    """Reports and their most-mentioned entities, positioned by a seeded spring layout."""
    counts = Counter({e.iri: len(e.mentions) for e in entities})
    top = sorted(entities, key=lambda e: (-counts[e.iri], e.iri))[:max_nodes]
    g = nx.Graph()
    for d in docs:
        g.add_node(f"report:{d.name}")
    for e in top:
        g.add_node(e.iri)
        for doc_name in sorted({m.doc for m in e.mentions}):
            g.add_edge(e.iri, f"report:{doc_name}")
    pos = nx.spring_layout(g, seed=7, k=None, iterations=60) if g.number_of_nodes() else {}
    scale = 60 * max(10, len(g)) ** 0.5

    net = Network(height="100%", width="100%", directed=False)
    for d in docs:
        node = f"report:{d.name}"
        x, y = pos.get(node, (0.0, 0.0))
        label = d.metadata.title or d.name
        net.add_node(
            node,
            label=label,
            title=f"报告 {d.name}",
            color=TYPE_COLORS["Report"],
            shape="box",
            x=round(x * scale, 2),
            y=round(y * scale, 2),
            kgType="Report",
            font={"color": "#ffffff"},
        )
    for e in top:
        x, y = pos.get(e.iri, (0.0, 0.0))
        net.add_node(
            e.iri,
            label=e.name,
            title=f"{e.type}: {e.name} ({counts[e.iri]}次)",
            color=TYPE_COLORS[e.type],
            size=8 + min(30, 2 * counts[e.iri]),
            x=round(x * scale, 2),
            y=round(y * scale, 2),
            kgType=e.type,
        )
    # pyvis's add_edge scans every edge for duplicates; the edges here are unique by construction
    for e in top:
        for doc_name in sorted({m.doc for m in e.mentions}):
            net.edges.append({"from": e.iri, "to": f"report:{doc_name}", "title": "mentioned in"})
    net.set_options(
        '{"physics": {"enabled": false}, "edges": {"smooth": false, "color": {"opacity": 0.35}},'
        ' "interaction": {"hover": true, "tooltipDelay": 120}}'
    )
    return net


def write_views(
    out_dir: Path, docs: list[NormalizedDocument], entities: list[Entity]
) -> list[Path]:
    """Write index.html (the graph) and its local assets; return the files written."""
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ("vis-network.min.js", "vis-network.css"):
        target = "vis-network.min.css" if name.endswith(".css") else name
        shutil.copyfile(vis_assets_dir() / name, assets / target)
    net = build_network(docs, entities)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    by_type = Counter(e.type for e in entities)
    html = env.get_template("graph.html").render(
        title="政府工作报告知识图谱 · Government work report knowledge graph",
        legend=[(t, TYPE_COLORS[t]) for t in ENTITY_TYPES] + [("Report", TYPE_COLORS["Report"])],
        summary=f"{len(docs)} reports · {len(entities)} entities ("
        + ", ".join(f"{t} {by_type[t]}" for t in ENTITY_TYPES if by_type[t])
        + ")",
        data={"nodes": nodes, "edges": edges, "options": json.loads(options)},
    )
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    return [index, assets / "vis-network.min.js", assets / "vis-network.min.css"]
