"""Debian's Chromium driven by Playwright: its path, its flags and the skip mark, in one place.

`playwright install` cannot download browsers here, so the tests launch the system's
Chromium headless; the `browser` fixture in conftest.py launches it once per module.
scripts/screenshots.py drives the same browser the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="browser tests need Debian's Chromium at /usr/bin/chromium"
)


def ask(page: Page, question: str, timeout_ms: int = 30_000) -> None:
    """Type into the chat page's question box, press Enter, wait for the answer to finish."""
    turns = page.locator(".turn-assistant").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    expect(page.locator(".turn-assistant").nth(turns)).to_have_attribute(
        "data-state", "done", timeout=timeout_ms
    )
