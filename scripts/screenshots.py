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
import socket
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import httpx
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from qa_service.api import create_app
from qa_service.config import Settings
from qa_service.service import QAService

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
QUESTIONS = {
    "en": ["When was the Trade Integration Agreement signed?", "Who signed it?"],
    "es": ["¿Cuándo se firmó el Acuerdo de Integración Comercial?", "¿Quién lo firmó?"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(settings: Settings) -> tuple[uvicorn.Server, str]:
    """The real app on a free loopback port, in a thread."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, QAService(settings)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


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


def ask(page: Page, question: str) -> None:
    n = page.locator(".turn-assistant").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    expect(page.locator(".turn-assistant").nth(n)).to_have_attribute(
        "data-state", "done", timeout=60_000
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server, url = serve(Settings(rate_limit_per_minute=0, request_log=False))
    questions = {
        lang: qs if answered(url, qs) else QUESTIONS["en"] for lang, qs in QUESTIONS.items()
    }
    print("questions asked:", questions)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for lang in ("en", "es"):
                for theme in ("light", "dark"):
                    for device, viewport in VIEWPORTS.items():
                        phone = device == "phone"
                        context = browser.new_context(
                            viewport=viewport,
                            color_scheme=theme,
                            locale=lang,
                            is_mobile=phone,
                            has_touch=phone,
                            device_scale_factor=1,
                        )
                        page = context.new_page()
                        page.goto(url + "/")
                        expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))
                        expect(page.locator("#sources-up-to")).to_be_visible()
                        for q in questions[lang]:
                            ask(page, q)
                        page.locator(".turn-assistant").last.locator(".marker").first.click()
                        page.wait_for_timeout(400)  # the passage's opening animation
                        page.locator("#question").blur()
                        # the follow-up question at the top, its answer and the opened passage below
                        page.locator(".turn-user").last.evaluate(
                            "e => e.scrollIntoView({block: 'start'})"
                        )
                        page.wait_for_timeout(200)
                        path = args.out / f"chat-{device}-{theme}-{lang}.png"
                        page.screenshot(path=str(path))
                        print(path)
                        context.close()
            browser.close()
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()
