"""Text out of HTML pages and PDF files, the other shapes in which reports arrive.

The extracted text becomes the document's raw text: offsets and quotes refer to it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from kg.ingest import IngestError

# Elements that never hold report text: code, styling, page furniture and forms.
_DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
    "nav", "header", "footer", "aside", "form", "button", "select", "input", "textarea",
    "head", "title", "meta", "link",
}  # fmt: skip
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|toolbar|share|"
    r"sidebar|banner|copyright|pagination|related|ad|ads)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl", "hr", "figure",
    "figcaption", "center", "td", "th",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    return {"gb2312": "gb18030", "gbk": "gb18030"}.get(name, name)


def html_to_text(page: str, path: str | Path = "<html>") -> str:
    """Visible text of a page, one block per line; scripts, styles and navigation dropped."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(path, f"not a readable HTML page: {exc}") from exc
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # comments, processing instructions
            parts.append(el.tail or "")
            return
        tag = tag.lower()
        if tag in _DROP_TAGS or _is_furniture(el):
            parts.append(el.tail or "")
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append(el.text or "")
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        parts.append(el.tail or "")

    body = root.find("body")
    walk(body if body is not None else root)
    text = "".join(parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r]+", " ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    if not text.strip():
        raise IngestError(path, "HTML page without visible text")
    return text + "\n"


def _is_furniture(el: object) -> bool:
    get = getattr(el, "get", None)
    if get is None:
        return False
    if (get("role") or "").lower() in {"navigation", "banner", "contentinfo", "search"}:
        return True
    if get("hidden") is not None or "display:none" in (get("style") or "").replace(" ", ""):
        return True
    return bool(_FURNITURE.search(f"{get('class') or ''} {get('id') or ''}"))


def pdf_to_text(data: bytes, path: str | Path = "<pdf>") -> str:
    """The text layer of a PDF (pdfminer.six); a PDF without one gets a clear message."""
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(io.BytesIO(data), laparams=LAParams())
    except PDFSyntaxError as exc:
        raise IngestError(path, f"not a readable PDF: {exc}") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise IngestError(path, f"PDF could not be read: {type(exc).__name__}: {exc}") from exc
    text = text.replace("\x0c", "\n")
    if len(re.sub(r"\s", "", text)) < 20:
        raise IngestError(
            path, "PDF has no text layer (a scanned image?): run OCR first, then build the text"
        )
    return text
