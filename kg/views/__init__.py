"""Stage 9: HTML views of the graph that work from file:// with the network off.

- `index.html`: counts, a search box over every entity name and alias, links to every view;
- `overview.html`: the graph (pyvis/vis-network), positions computed here, physics off;
- `entities.html`: every entity by type;
- `entity/<slug>.html`: one page per entity (names, links, mentions with quotes, relations
  both ways, a neighbourhood graph; for programmes the definition and mentions by year);
- `indicator/<slug>.html`: one page per indicator (target, expected and actual figures by year
  as an inline SVG chart per region and unit, and the table of figures with their wording);
- `report/<slug>.html`: one page per report (metadata, the normalised text with its entities
  marked and linked, the normalisation quality report);
- `assets/`: vis-network (copied from the pyvis package, never a CDN), CSS, scripts, icons
  and the search data as a script (a page from file:// cannot fetch() JSON).

Every page carries a Content-Security-Policy that allows only its own files: even a string
that slipped past escaping could not run a script or reach the network.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.model import ENTITY_TYPES
from kg.views.data import MENTIONED_IN, Relation, ViewData, predicate_label, report_year
from kg.views.indicators import indicator_context, indicator_slug, observations
from kg.views.overview import EMBEDDED_NODES, INITIAL_NODES, build_network
from kg.views.pages import (
    entities_context,
    entity_context,
    index_context,
    report_context,
    safe_json,
    search_data,
    type_label,
)
from kg.views.style import FAVICON_SVG, TYPE_COLORS, edge_color, icon_svg

__all__ = ["Relation", "ViewData", "write_views"]

_HERE = Path(__file__).parent
STATIC = _HERE / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'"
)
STATIC_FILES = ("kg.css", "kg.js", "overview.js", "neighbourhood.js")


def vis_assets_dir() -> Path:
    """vis-network as shipped inside the pyvis package."""
    return Path(str(resources.files("pyvis") / "lib" / "vis-9.1.2"))


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    env.globals["csp"] = CSP
    return env


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.write_bytes(text.encode("utf-8"))
    written.append(path)


def write_assets(out_dir: Path, view: ViewData, written: list[Path]) -> None:
    assets = out_dir / "assets"
    (assets / "icons").mkdir(parents=True, exist_ok=True)
    vis = vis_assets_dir()
    for source, target in (
        ("vis-network.min.js", "vis-network.min.js"),
        ("vis-network.css", "vis-network.min.css"),
    ):
        path = assets / target
        path.write_bytes((vis / source).read_bytes())
        written.append(path)
    for name in STATIC_FILES:
        _write(assets / name, (STATIC / name).read_text(encoding="utf-8"), written)
    for t in (*ENTITY_TYPES, "Report", "Indicator"):
        _write(assets / "icons" / f"{t}.svg", icon_svg(t), written)
    _write(assets / "icons" / "favicon.svg", FAVICON_SVG, written)
    _write(assets / "search-data.js", search_data(view), written)


def overview_html(env: Environment, view: ViewData) -> str:
    net = build_network(view)
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    reports = [
        {"id": n["id"], "label": n["title"].split(" · ", 1)[-1], "year": n["year"]}
        for n in nodes
        if n["kgType"] == "Report"
    ]
    counts = Counter(n["kgType"] for n in nodes)
    kinds = sorted({str(e["kind"]) for e in edges} | {MENTIONED_IN})
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "reports": reports,
        "types": [*ENTITY_TYPES, "Report"],
        "initial": INITIAL_NODES,
        "step": INITIAL_NODES,
    }
    return env.get_template("overview.html").render(
        root="",
        title="图谱总览 Overview",
        data=safe_json(data),
        embedded=min(EMBEDDED_NODES, len(view.entities)),
        total_entities=len(view.entities),
        step=INITIAL_NODES,
        reports=sorted(reports, key=lambda r: r["label"]),
        years=sorted({y for d in view.docs if (y := report_year(d)) is not None}),
        legend=[
            {"type": t, "label": type_label(t), "count": counts[t], "color": TYPE_COLORS[t]}
            for t in (*ENTITY_TYPES, "Report")
        ],
        edge_legend=[
            {"zh": predicate_label(k, "zh"), "en": predicate_label(k, "en"), "color": edge_color(k)}
            for k in kinds
        ],
    )


def write_views(out_dir: Path, view: ViewData) -> list[Path]:
    """Write every page and asset into out_dir (the build's temporary directory, swapped in
    whole by kg.export.atomic_output_dir); return the files written, in writing order."""
    env = _env()
    written: list[Path] = []
    write_assets(out_dir, view, written)
    _write(
        out_dir / "index.html", env.get_template("index.html").render(index_context(view)), written
    )
    _write(
        out_dir / "entities.html",
        env.get_template("entities.html").render(entities_context(view)),
        written,
    )
    _write(out_dir / "overview.html", overview_html(env, view), written)
    (out_dir / "entity").mkdir(exist_ok=True)
    page = env.get_template("entity.html")
    for e in view.entities:
        path = out_dir / "entity" / f"{view.entity_slugs[e.iri]}.html"
        _write(path, page.render(entity_context(view, e)), written)
    (out_dir / "indicator").mkdir(exist_ok=True)
    page = env.get_template("indicator.html")
    for name, facts in observations(view).items():
        path = out_dir / "indicator" / f"{indicator_slug(view, name)}.html"
        _write(path, page.render(indicator_context(view, name, facts)), written)
    (out_dir / "report").mkdir(exist_ok=True)
    page = env.get_template("report.html")
    for d in view.docs:
        path = out_dir / "report" / f"{view.doc_slugs[d.name]}.html"
        _write(path, page.render(report_context(view, d)), written)
    return written
