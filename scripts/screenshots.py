"""Screenshots of the chat page for the README: light and dark, desktop (1280x800) and phone
(390x844), English and Spanish, taken with Debian's Chromium against the real server over
the real corpus (build the index first: `qa-service build`).

    PYTHONPATH=src .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Each shot asks a question and a follow-up and opens the first passage of the second answer.
The Spanish page asks the Spanish questions when the service answers them, otherwise the
English ones (the page's own words are Spanish either way); the script says which it used.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The browser's path and flags, the live server and the chat-page helper are the tests' own.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from playwright.sync_api import Browser, expect, sync_playwright
from tests.chromium import ARGS, CHROMIUM, ask
from tests.conftest import LiveServer

from qa_service.config import Settings
from qa_service.service import QAService

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
QUESTIONS = {
    "en": ["When was the Trade Integration Agreement signed?", "Who signed it?"],
    "es": ["¿Cuándo se firmó el Acuerdo de Integración Comercial?", "¿Quién lo firmó?"],
}


def answered(url: str, questions: list[str]) -> bool:
    history: list[dict[str, str]] = []
    for q in questions:
        r = httpx.post(
            f"{url}/api/ask", json={"question": q, "history": history}, timeout=60
        ).json()
        if not r["found"]:
            return False
        history += [
            {"role": "user", "content": q},
            {"role": "assistant", "content": re.sub(r"\s*\[\d+\]", "", r["answer"])},
        ]
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings(rate_limit_per_minute=0, request_log=False)
    with LiveServer(settings, QAService(settings)) as server:
        shoot(server.url, args.out)


def shoot(url: str, out: Path) -> None:
    """Every language, theme and device: ask, open the first passage, take the shot."""
    questions = {
        lang: qs if answered(url, qs) else QUESTIONS["en"] for lang, qs in QUESTIONS.items()
    }
    print("questions asked:", questions)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for lang in ("en", "es"):
            for theme in ("light", "dark"):
                for device in VIEWPORTS:
                    path = out / f"chat-{device}-{theme}-{lang}.png"
                    shot(browser, url, questions[lang], theme, device, lang, path)
                    print(path)
        browser.close()


def shot(
    browser: Browser, url: str, questions: list[str], theme: str, device: str, lang: str, path: Path
) -> None:
    """One screenshot: the follow-up question at the top, its answer and the opened passage below."""
    phone = device == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[device],  # type: ignore[arg-type]
        color_scheme=theme,  # type: ignore[arg-type]
        locale=lang,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=1,
    )
    page = context.new_page()
    page.goto(url + "/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))
    expect(page.locator("#sources-up-to")).to_be_visible()
    for q in questions:
        ask(page, q, timeout_ms=60_000)
    page.locator(".turn-assistant").last.locator(".marker").first.click()
    page.wait_for_timeout(400)  # the passage's opening animation
    page.locator("#question").blur()
    page.locator(".turn-user").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    context.close()


if __name__ == "__main__":
    main()
