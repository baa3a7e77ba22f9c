"""Indicator pages: the figures reports give for one indicator, as a chart and a table.

Each indicator (地区生产总值增长) gets `indicator/<slug>.html`: per region and unit a small
inline SVG of target, expected and actual values by year (figures of two regions or two units
are never drawn on one axis), then every figure with its wording, qualifier and report. The
chart's geometry is computed here; the template only prints numbers and escaped text.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from urllib.parse import quote

from kg.rdf import indicator_iri
from kg.relations import Fact
from kg.views.data import ViewData, _readable

KINDS = ("target", "expected", "actual")
KIND_LABELS = {"target": "目标 target", "expected": "预计 expected", "actual": "实际 actual"}
KIND_COLORS = {"target": "#4e79a7", "expected": "#f28e2b", "actual": "#59a14f"}
CHART_W, CHART_H = 420, 180  # the plot area; the axes' labels sit in the margins
MARGIN_L, MARGIN_T, MARGIN_B = 56, 12, 26
YEAR_STEP_MIN = 40


def observations(view: ViewData) -> dict[str, list[Fact]]:
    """Indicator name → its observations, in (region, year, kind, report) order."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in view.facts:
        if f.relation == "observation" and f.indicator and f.value is not None and f.year:
            out[f.indicator].append(f)
    for facts in out.values():
        facts.sort(key=_order)
    return dict(sorted(out.items()))


def _order(f: Fact) -> tuple[object, ...]:
    return (f.region or "", f.year or 0, KINDS.index(f.kind or "actual"), f.doc, f.start)


def indicator_slug(view: ViewData, name: str) -> str:
    """File name of an indicator's page: readable name plus a digest of its IRI."""
    iri = str(indicator_iri(view.base, name))
    digest = hashlib.sha1(iri.encode("utf-8")).hexdigest()[:10]
    readable = _readable(name)
    return f"indicator-{readable}-{digest}" if readable else f"indicator-{digest}"


def indicator_href(view: ViewData, name: str, root: str) -> str:
    return f"{root}indicator/{quote(indicator_slug(view, name))}.html"


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def chart(facts: list[Fact]) -> dict[str, object]:
    """Geometry of one region-and-unit chart: a point per figure, a line per kind, y ticks."""
    given = [f.year for f in facts if f.year is not None]
    years = list(range(min(given), max(given) + 1))  # every year, so gaps show
    values = [f.value for f in facts if f.value is not None]
    lo, hi = min(0.0, *values), max(values)
    if hi == lo:
        hi = lo + 1
    step = max(YEAR_STEP_MIN, CHART_W // max(len(years), 1))
    width = MARGIN_L + step * len(years) + 10

    def x(year: int) -> float:
        return round(MARGIN_L + step * (years.index(year) + 0.5), 1)

    def y(v: float) -> float:
        return round(MARGIN_T + CHART_H * (hi - v) / (hi - lo), 1)

    series = []
    for kind in KINDS:
        pts = [f for f in facts if f.kind == kind and f.year is not None and f.value is not None]
        if not pts:
            continue
        points = [
            {
                "x": x(f.year),
                "y": y(f.value),
                "title": f"{f.year} {KIND_LABELS[kind]}: {_fmt(f.value)}{f.unit or ''}"
                f"{f.qualifier or ''} — {f.wording or ''}",
            }
            for f in pts
            if f.year is not None and f.value is not None
        ]
        line = " ".join(f"{p['x']},{p['y']}" for p in points)
        series.append(
            {
                "kind": kind,
                "label": KIND_LABELS[kind],
                "color": KIND_COLORS[kind],
                "points": points,
                "line": line,
            }
        )
    ticks = [{"y": y(v), "label": _fmt(round(v, 4))} for v in (lo, (lo + hi) / 2, hi)]
    return {
        "width": width,
        "height": MARGIN_T + CHART_H + MARGIN_B,
        "left": MARGIN_L,
        "right": width - 10,
        "bottom": MARGIN_T + CHART_H,
        "years": [{"x": x(yr), "label": yr} for yr in years],
        "ticks": ticks,
        "series": series,
    }


def indicator_context(view: ViewData, name: str, facts: list[Fact]) -> dict[str, object]:
    root = "../"
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[(f.region or "", f.unit or "")].append(f)
    charts = [
        {"region": region, "unit": unit, "chart": chart(fs)}
        for (region, unit), fs in sorted(groups.items())
    ]
    rows = [
        {
            "region": f.region or "",
            "year": f.year,
            "kind": KIND_LABELS.get(f.kind or "", f.kind or ""),
            "value": _fmt(f.value) if f.value is not None else "",
            "unit": f.unit or "",
            "qualifier": f.qualifier or "",
            "wording": f.wording or "",
            "quote": f.quote,
            "report": {
                "label": view.label(view.report_iris[f.doc]),
                "type": "Report",
                "href": view.href(view.report_iris[f.doc], root),
            },
            "start": f.start,
            "end": f.end,
        }
        for f in facts
    ]
    return {
        "root": root,
        "title": name,
        "name": name,
        "iri": str(indicator_iri(view.base, name)),
        "charts": charts,
        "rows": rows,
        "kinds": [{"label": KIND_LABELS[k], "color": KIND_COLORS[k]} for k in KINDS],
        "report_count": len({f.doc for f in facts}),
    }


def indicator_rows(view: ViewData, root: str) -> list[dict[str, object]]:
    """The index's list: each indicator with how many figures and years it has."""
    rows = []
    for name, facts in observations(view).items():
        years = sorted({f.year for f in facts if f.year})
        span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
        rows.append(
            {
                "name": name,
                "href": indicator_href(view, name, root),
                "count": len(facts),
                "years": span,
            }
        )
    return rows
