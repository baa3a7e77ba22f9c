"""HTML pages and PDFs made from a seed give the same entities as the seed's text file."""

from __future__ import annotations

import html
import io

import pytest

from kg.extract import extract_mentions
from kg.ingest import IngestError, read_document
from kg.normalize import normalize_document
from tests.conftest import SEED_FILES

SEED = next(p for p in SEED_FILES if p.name.startswith("001"))


def _entities(path) -> set[tuple[str, str]]:
    doc = normalize_document(read_document(path))
    return {(m.type, m.name) for m in extract_mentions(doc)}


@pytest.fixture(scope="module")
def seed_entities() -> set[tuple[str, str]]:
    return _entities(SEED)


def _paragraphs() -> list[str]:
    return [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]


def _page(charset: str = "utf-8") -> str:
    body = "\n".join(
        f"<p>{html.escape(p)}</p>" if i % 3 else f"<div><span>{html.escape(p)}</span></div>"
        for i, p in enumerate(_paragraphs())
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>常州市新北区人民政府 政府工作报告</title>
<style>p {{ color: #333 }} .x::before {{ content: "天合光能" }}</style>
<script>var hot = ["比亚迪二期", "常泰过江通道"]; document.title = "首页";</script></head>
<body>
<nav class="breadcrumb"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></nav>
<header id="site-header"><h1>新北区人民政府门户网站</h1></header>
<div class="toolbar share">分享到微信 打印本页 关闭窗口</div>
<article class="content">
{body}
</article>
<aside class="sidebar">热点：星宇车灯新项目开工</aside>
<footer>版权所有 © 常州市新北区人民政府</footer>
<script src="stats.js"></script>
</body></html>"""


def test_html_page_gives_the_same_entities_as_the_text(tmp_path, seed_entities):
    p = tmp_path / "report.html"
    p.write_text(_page(), encoding="utf-8")
    doc = read_document(p)
    assert doc.source_format == "html"
    for furniture in ("hot =", "首页", "门户网站", "分享到微信", "版权所有", "星宇车灯"):
        assert furniture not in doc.text
    assert _entities(p) == seed_entities


def test_html_page_in_gbk_is_decoded_by_its_declared_charset(tmp_path, seed_entities):
    p = tmp_path / "report-gbk.htm"
    p.write_bytes(_page("gbk").encode("gb18030"))
    assert read_document(p).encoding == "gb18030"
    assert _entities(p) == seed_entities


def _pdf(paragraphs: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(p), style) for p in paragraphs])
    return buf.getvalue()


def test_pdf_gives_the_same_entities_as_the_text(tmp_path):
    # The PDF's built-in font (STSong-Light) has no glyph for the bullet '•' in 高新事•高兴办 nor
    # for the middle dot '·' in 常高新·漫柏…, so the PDF cannot hold them; the reference text is
    # the seed without those two characters.
    paragraphs = [p.replace("•", "").replace("·", "") for p in _paragraphs()]
    txt = tmp_path / "report.txt"
    txt.write_text("\n".join(paragraphs), encoding="utf-8")
    p = tmp_path / "report.pdf"
    p.write_bytes(_pdf(paragraphs))
    doc = read_document(p)
    assert doc.source_format == "pdf"
    want, got = _entities(txt), _entities(p)
    assert len(want) > 100
    assert got == want, (sorted(want - got), sorted(got - want))


def test_pdf_without_text_layer_gets_a_clear_message(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 400, fill=1)  # a page that is only an image of a page
    c.showPage()
    c.save()
    p = tmp_path / "scan.pdf"
    p.write_bytes(buf.getvalue())
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert "scan.pdf" in str(exc.value) and "no text layer" in exc.value.reason


def test_broken_pdf_is_refused_with_its_name(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(IngestError, match=r"broken\.pdf"):
        read_document(p)
