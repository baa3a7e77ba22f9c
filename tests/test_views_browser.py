"""The HTML views in a real browser: Debian's headless chromium, pages opened from file://
with the network off, every request recorded.

Checked as a person would use them: the overview draws nodes and its type filter hides and
shows them; the search finds 天合光能 and opens its page, which quotes its mentions; the
pages raise no console error and send nothing off the machine; names that are HTML or script
(`<script>alert(1)</script>`, `"></div><img src=x onerror=alert(1)>`) show as text and open
no dialog. Screenshots go to a temporary folder printed by the tests (or $KG_SCREENSHOTS).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import browser_missing, offline_page
from tests.conftest import SEED_FILES

_missing = browser_missing()
if _missing and os.environ.get("CI"):
    pytest.fail(f"browser tests cannot run on CI: {_missing}", pytrace=False)
pytestmark = pytest.mark.skipif(_missing is not None, reason=str(_missing))

SCRIPT_PROBE = "<script>alert(1)</script>"
ATTR_PROBE = '"></div><img src=x onerror=alert(1)>'
TITLE_PROBE = "<img src=x onerror=alert(2)>探针报告"
PLACE_RGB = (0x59, 0xA1, 0x4F)  # kg.views.style.TYPE_COLORS["Place"]


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {out}")
    return out


def _draw(page: object) -> None:
    page.wait_for_function("window.kgTimings && window.kgTimings.firstDraw > 0")  # type: ignore[attr-defined]


def _painted_pixels(page: object, selector: str, rgb: tuple[int, int, int] | None = None) -> int:
    """Pixels of the canvas inside `selector` that are not white, or of exactly `rgb`."""
    return page.evaluate(  # type: ignore[attr-defined]
        """([sel, rgb]) => { const c = document.querySelector(sel + ' canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] === 0) continue;
          if (rgb ? (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2])
                  : (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) n++; }
        return n; }""",
        [selector, list(rgb) if rgb else None],
    )


def _redraw_after(page: object, action: object) -> None:
    """Do `action` and wait until the overview has drawn the result."""
    page.evaluate(  # type: ignore[attr-defined]
        "() => { window.kgDrawn = new Promise(r => kgOverview.network.once('afterDrawing', r)); }"
    )
    action()  # type: ignore[operator]
    drawn = page.evaluate(  # type: ignore[attr-defined]
        "Promise.race([kgDrawn.then(() => true), new Promise(r => setTimeout(r, 10000, false))])"
    )
    assert drawn, "the overview did not redraw"


def _assert_clean(session: object) -> None:
    assert session.errors == [], session.errors  # type: ignore[attr-defined]
    assert session.left_the_machine == [], session.left_the_machine  # type: ignore[attr-defined]
    assert session.dialogs == [], session.dialogs  # type: ignore[attr-defined]


def test_overview_draws_nodes_and_the_type_filter_hides_and_shows_them(built_seeds, screenshots):
    out, _ = built_seeds
    with offline_page() as s:
        page = s.page
        page.goto((out / "overview.html").as_uri())
        _draw(page)
        visible = page.evaluate("kgOverview.visibleIds()")
        assert len(visible) > 50
        assert _painted_pixels(page, "#graph") > 10_000
        page.screenshot(path=str(screenshots / "overview.png"))
        place_pixels = _painted_pixels(page, "#graph", PLACE_RGB)
        assert place_pixels > 100
        places = page.evaluate(
            "kgOverview.visibleIds().filter(id => kgOverview.network.body.data.nodes"
            ".get(id).kgType === 'Place').length"
        )
        assert places > 0
        _redraw_after(page, lambda: page.uncheck("#type-filter input[value=Place]"))
        after = page.evaluate("kgOverview.visibleIds()")
        assert len(after) == len(visible) - places
        kinds = page.evaluate(
            "kgOverview.visibleIds().map(id => kgOverview.network.body.data.nodes.get(id).kgType)"
        )
        assert "Place" not in kinds and "Enterprise" in kinds
        assert _painted_pixels(page, "#graph", PLACE_RGB) == 0  # no green star left on screen
        page.screenshot(path=str(screenshots / "overview-without-places.png"))
        _redraw_after(page, lambda: page.check("#type-filter input[value=Place]"))
        assert sorted(page.evaluate("kgOverview.visibleIds()")) == sorted(visible)
        assert _painted_pixels(page, "#graph", PLACE_RGB) > 100
        shown = int(page.inner_text("#shown-count"))
        page.click("#show-more")
        assert int(page.inner_text("#shown-count")) > shown
        # one report: only it and the entities it names
        report = page.eval_on_selector("#report-filter option:nth-child(2)", "o => o.value")
        page.select_option("#report-filter", report)
        docs = page.evaluate(
            "kgOverview.visibleIds().map(id => kgOverview.network.body.data.nodes.get(id).docs)"
        )
        assert docs and all(report in d for d in docs)
        page.select_option("#report-filter", "")
        # one year: nodes named by a report of that year
        year = page.eval_on_selector("#year-filter option:nth-child(2)", "o => o.value")
        page.select_option("#year-filter", year)
        years = page.evaluate(
            """() => { const nodes = kgOverview.network.body.data.nodes;
            const year = {}; kgOverview.visibleIds().forEach(id => { const n = nodes.get(id);
              if (n.kgType === 'Report') year[id] = String(n.year); });
            return kgOverview.visibleIds().map(id => nodes.get(id).docs.map(d => year[d])); }"""
        )
        assert years and all(year in ys for ys in years)
        _assert_clean(s)


def test_search_finds_an_enterprise_and_its_page_quotes_every_mention(built_seeds, screenshots):
    out, res = built_seeds
    trina = next(e for e in res.entities if e.name == "天合光能" and e.type == "Enterprise")
    with offline_page() as s:
        page = s.page
        page.goto((out / "index.html").as_uri())
        page.fill("#main-search", "天合光能")
        first = page.locator(".bigsearch .kg-search-results li a").first
        first.wait_for()
        assert first.inner_text().startswith("天合光能")
        page.screenshot(path=str(screenshots / "search.png"))
        first.click()
        page.wait_for_url("**/entity/*.html")
        assert page.inner_text("#entity-name") == "天合光能"
        quotes = page.locator("#mentions blockquote.quote")
        assert quotes.count() == len(trina.mentions)
        for i in range(quotes.count()):
            q = quotes.nth(i)
            assert q.locator("mark").inner_text() == "天合光能"
            assert len(q.inner_text()) > len("天合光能") + 10  # the sentence around it
        reports = {m.doc for m in trina.mentions}
        assert page.locator("#mentions .mention-group h3 a").count() == len(reports)
        page.wait_for_function("window.kgNeighbourhood !== undefined")
        page.wait_for_timeout(300)
        assert _painted_pixels(page, "#neighbourhood-graph") > 1_000
        page.screenshot(path=str(screenshots / "entity-天合光能.png"), full_page=True)
        # from the entity to a report naming it, whose text links back
        page.locator("#mentions .mention-group h3 a").first.click()
        page.wait_for_url("**/report/*.html")
        marked = page.locator(".doc-text a.m", has_text="天合光能")
        assert marked.count() >= 1
        assert page.locator("#quality th", has_text="damaged_share").count() == 1
        page.screenshot(path=str(screenshots / "report.png"))
        _assert_clean(s)


@pytest.fixture(scope="module")
def probe_build(tmp_path_factory: pytest.TempPathFactory):
    """A build of one report whose entity names, title and source address are injections."""
    from kg.extract.user_names import read_names
    from kg.metadata import read_manifest
    from kg.pipeline import build

    src = tmp_path_factory.mktemp("probe-src")
    seed = next(p for p in SEED_FILES if p.name.startswith("001"))
    text = seed.read_text(encoding="utf-8")
    probe = src / "probe.txt"
    probe.write_text(
        text.replace("天合光能", f"天合光能与{SCRIPT_PROBE}", 1).replace(
            "合全药业", f"合全药业和{ATTR_PROBE}", 1
        ),
        encoding="utf-8",
    )
    names = src / "names.tsv"
    names.write_text(f"{SCRIPT_PROBE}\tEnterprise\tadd\n{ATTR_PROBE}\tProject\tadd\n", "utf-8")
    manifest = src / "manifest.tsv"
    manifest.write_text(
        f"file\tregion\tyear\ttitle\tsource_url\nprobe.txt\t新北区\t2023\t{TITLE_PROBE}\t"
        "javascript:alert(3)\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("probe") / "out"
    res = build(
        [probe], out, manifest=read_manifest(manifest), names=read_names(names), validate=False
    )
    return out, res


def test_injected_names_title_and_address_show_as_text_and_run_nothing(probe_build, screenshots):
    out, res = probe_build
    by_name = {e.name: e for e in res.entities}
    assert SCRIPT_PROBE in by_name
    attr = next(e for e in res.entities if "onerror" in e.name and e.type == "Project")
    from kg.views.data import entity_slug

    with offline_page() as s:
        page = s.page
        page.goto((out / "index.html").as_uri())
        page.fill("#main-search", "<script>")
        hit = page.locator(".bigsearch .kg-search-results li a").first
        hit.wait_for()
        assert hit.inner_text().startswith(SCRIPT_PROBE)
        hit.click()
        page.wait_for_url("**/entity/*.html")
        assert page.inner_text("#entity-name") == SCRIPT_PROBE
        assert page.locator("#mentions mark").first.inner_text() == SCRIPT_PROBE

        page.goto((out / "entity" / f"{entity_slug(attr)}.html").as_uri())
        assert page.inner_text("#entity-name") == attr.name
        assert ATTR_PROBE in page.inner_text("#aliases")
        assert page.locator('img[src="x"]').count() == 0
        page.screenshot(path=str(screenshots / "xss-entity.png"), full_page=True)

        report = next((out / "report").glob("*.html"))
        page.goto(report.as_uri())
        assert page.inner_text("#report-title") == TITLE_PROBE
        assert page.locator('img[src="x"]').count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        assert "javascript:alert(3)" in page.inner_text("#metadata")

        for name in ("overview.html", "entities.html", "index.html"):
            page.goto((out / name).as_uri())
            if name == "overview.html":
                _draw(page)
                page.click("#show-all")
                _hover_node_named(page, SCRIPT_PROBE)
                tip = page.locator("div.vis-tooltip")
                tip.wait_for(state="visible")
                assert SCRIPT_PROBE in tip.inner_text()
                page.screenshot(path=str(screenshots / "xss-overview-tooltip.png"))
            assert page.locator('img[src="x"]').count() == 0
            assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
        _assert_clean(s)


def _hover_node_named(page: object, name: str) -> None:
    """Move the mouse over the overview node labelled `name`, so its tooltip opens."""
    point = page.evaluate(  # type: ignore[attr-defined]
        """name => { const net = kgOverview.network;
        const id = kgOverview.visibleIds()
          .find(i => net.body.data.nodes.get(i).title.indexOf(name) >= 0);
        net.focus(id, {scale: 1.5}); const p = net.getPositions([id])[id];
        const d = net.canvasToDOM(p); const r = document.querySelector('#graph canvas')
          .getBoundingClientRect(); return {x: r.left + d.x, y: r.top + d.y}; }""",
        name,
    )
    page.mouse.move(point["x"], point["y"])  # type: ignore[attr-defined]
    page.mouse.move(point["x"] + 1, point["y"] + 1)  # type: ignore[attr-defined]


def test_search_opens_an_indicator_page_whose_chart_and_table_show_every_figure(
    built_seeds, screenshots
):
    out, res = built_seeds
    figures = [f for f in res.facts if f.indicator == "地区生产总值增长"]
    with offline_page() as s:
        page = s.page
        page.goto((out / "index.html").as_uri())
        page.fill("#main-search", "地区生产总值增长")
        hit = page.locator(".bigsearch .kg-search-results li a", has_text="地区生产总值增长")
        hit.first.wait_for()
        hit.first.click()
        page.wait_for_url("**/indicator/*.html")
        assert page.inner_text("#indicator-name") == "地区生产总值增长"
        points = page.locator("#charts svg.chart circle.point")
        assert points.count() == len(figures)
        box = points.first.bounding_box()
        assert box is not None and box["width"] > 0  # drawn, not just in the markup
        assert page.locator("#values tbody tr").count() == len(figures)
        page.screenshot(path=str(screenshots / "indicator-地区生产总值增长.png"), full_page=True)
        _assert_clean(s)
