"""Colours, shapes and icons shared by every page, so a class looks the same everywhere.

Shapes are vis-network node shapes; the icons (assets/icons/<Type>.svg) draw the same shape in
the same colour for legends and type badges. Colours are the Tableau 10 palette, which stays
distinguishable for the common colour-vision deficiencies together with the shape.
"""

from __future__ import annotations

import hashlib

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
    "Indicator": "#bab0ac",
}
TYPE_SHAPES = {
    "Enterprise": "dot",
    "Project": "square",
    "Programme": "diamond",
    "Organization": "triangle",
    "Place": "star",
    "Zone": "hexagon",
    "Person": "triangleDown",
    "Event": "dot",  # drawn with a dashed border
    "Report": "box",
    "Indicator": "square",
}
TYPE_NAMES_ZH = {
    "Enterprise": "企业",
    "Project": "项目",
    "Programme": "计划/工程",
    "Organization": "机构",
    "Place": "地点",
    "Zone": "园区",
    "Person": "人物",
    "Event": "事件",
    "Report": "报告",
    "Indicator": "指标",
}
FONT_FACE = (
    "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
)
EDGE_COLORS = {
    "mentionedIn": "#b8b0a6",
    "coOccurs": "#8da0cb",
}
# darker than the node colours, so an edge is never mistaken for a node of some type
_RELATION_PALETTE = ("#1f4e79", "#8c2d04", "#2d6a4f", "#6a3d9a", "#b15928", "#01665e")


def edge_color(predicate: str) -> str:
    """A fixed colour per relation; relations not known here get one from a small palette,
    chosen from the property IRI, so a relation keeps its colour from build to build."""
    if predicate in EDGE_COLORS:
        return EDGE_COLORS[predicate]
    digest = hashlib.sha1(predicate.encode("utf-8")).digest()[0]
    return _RELATION_PALETTE[digest % len(_RELATION_PALETTE)]


def _polygon(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def icon_svg(type_name: str) -> str:
    """A 16×16 SVG of the type's node shape in its colour."""
    import math

    color = TYPE_COLORS[type_name]
    shape = TYPE_SHAPES[type_name]
    stroke = 'stroke="#333" stroke-width="0.8"'
    if shape == "dot":
        dash = ' stroke-dasharray="2 1.5"' if type_name == "Event" else ""
        body = f'<circle cx="8" cy="8" r="6" fill="{color}" {stroke}{dash}/>'
    elif shape == "square":
        body = f'<rect x="2.5" y="2.5" width="11" height="11" fill="{color}" {stroke}/>'
    elif shape == "box":
        body = f'<rect x="1" y="4" width="14" height="8" rx="2" fill="{color}" {stroke}/>'
    else:
        if shape == "diamond":
            pts = [(8, 1.5), (14.5, 8), (8, 14.5), (1.5, 8)]
        elif shape == "triangle":
            pts = [(8, 2), (14.5, 13.5), (1.5, 13.5)]
        elif shape == "triangleDown":
            pts = [(1.5, 2.5), (14.5, 2.5), (8, 14)]
        elif shape == "hexagon":
            pts = [
                (8 + 6.5 * math.cos(a * math.pi / 3), 8 + 6.5 * math.sin(a * math.pi / 3))
                for a in range(6)
            ]
        else:  # star
            pts = [
                (
                    8 + (7 if i % 2 == 0 else 3) * math.sin(i * math.pi / 5),
                    8.5 - (7 if i % 2 == 0 else 3) * math.cos(i * math.pi / 5),
                )
                for i in range(10)
            ]
        body = f'<polygon points="{_polygon(pts)}" fill="{color}" {stroke}/>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
        f"{body}</svg>\n"
    )


FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
    '<line x1="8" y1="9" x2="23" y2="12" stroke="#555" stroke-width="2"/>'
    '<line x1="8" y1="9" x2="13" y2="24" stroke="#555" stroke-width="2"/>'
    '<line x1="23" y1="12" x2="13" y2="24" stroke="#555" stroke-width="2"/>'
    '<circle cx="8" cy="9" r="5" fill="#4e79a7"/><circle cx="23" cy="12" r="5" fill="#e15759"/>'
    '<circle cx="13" cy="24" r="5" fill="#59a14f"/></svg>\n'
)
