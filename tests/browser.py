"""Headless Chromium with the network off, for the view tests and the first-draw benchmark.

The browser is Debian's /usr/bin/chromium (installed by `make setup`), driven by the pinned
playwright package; no browser is ever downloaded. Every request the pages make is recorded,
and anything that is not a local file (or an inline data: URL) is aborted and listed, so a
test can assert that nothing left the machine. Console errors, uncaught exceptions and
JavaScript dialogs (the sign of a successful script injection) are collected too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # a last guard: anything that still tried the network would meet a closed local port
    "--proxy-server=127.0.0.1:9",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (make setup installs Debian's chromium as root)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (make setup installs it)"
    return None


@dataclass
class Session:
    """A page plus what it did: every request, those blocked, console errors, dialogs."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def left_the_machine(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)] + self.blocked


@contextmanager
def offline_page(width: int = 1400, height: int = 900) -> Iterator[Session]:
    """A fresh browser, context and page with the network off and everything recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                offline=True,
                service_workers="block",
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            session = Session(page)

            def route(r: object) -> None:
                url = r.request.url  # type: ignore[attr-defined]
                if url.startswith(LOCAL_SCHEMES):
                    r.continue_()  # type: ignore[attr-defined]
                else:
                    session.blocked.append(url)
                    r.abort()  # type: ignore[attr-defined]

            context.route("**/*", route)
            context.on("request", lambda req: session.requests.append(req.url))
            page.on("console", lambda m: m.type == "error" and session.errors.append(m.text))
            page.on("pageerror", lambda exc: session.errors.append(f"uncaught: {exc}"))

            def dialog(d: object) -> None:
                session.dialogs.append(d.message)  # type: ignore[attr-defined]
                d.dismiss()  # type: ignore[attr-defined]

            page.on("dialog", dialog)
            yield session
        finally:
            browser.close()
