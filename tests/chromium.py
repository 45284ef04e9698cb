"""Debian's Chromium driven by Playwright: its path, its flags and the skip mark, in one place.

`playwright install` cannot download browsers here, so the tests launch the system's
Chromium headless; the `browser` fixture in conftest.py launches it once per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
