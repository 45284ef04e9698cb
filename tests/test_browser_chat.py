"""What a daily ChatGPT/Perplexity user reaches for on the chat page, in real headless Chromium
against the real server on loopback: copy, stop, ask again, Escape, the conversation kept
across reloads, export, dark mode, tap targets, plain-words errors, one source line per
document, the corpus date, English and Spanish, feedback, and an axe-core check.

Like tests/test_browser.py, every test fails on a script error or a CSP violation.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.index import build_index
from qa_service.service import QAService
from tests.chromium import needs_chromium
from tests.conftest import SMALL_CORPUS, LiveServer, document, write_corpus
from tests.test_browser import GUACAMOLE, SIGNED, _is_problem, api_answer, ask

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".test-tools" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LIGHT_BG, DARK_BG = "rgb(246, 244, 239)", "rgb(18, 22, 28)"


class Session:
    """A fresh browser context (its own localStorage) and the problems its pages log."""

    def __init__(self, browser: Browser, **options: object) -> None:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        self.context: BrowserContext = browser.new_context(**options)
        self.problems: list[str] = []
        self.outside: list[str] = []  # requests to any origin but the server's

    def open(self, url: str) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if _is_problem(m.type, m.text)
                else None
            ),
        )
        origin = re.match(r"https?://[^/]+", url).group(0)  # type: ignore[union-attr]
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((origin, "data:", "blob:")) else self.outside.append(r.url)
            ),
        )
        page.goto(url)
        expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))
        return page

    def close(self) -> None:
        self.context.close()
        assert self.problems == [], self.problems
        assert self.outside == [], f"requests outside the service: {self.outside}"


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    s = Session(browser)
    yield s
    s.close()


def reload(page: Page) -> None:
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))


def answer_card(page: Page, i: int = 0):
    return page.locator(".turn-assistant").nth(i)


def own_source(cite: dict) -> dict:
    """The source behind the quoted sentence: the API's per-sentence `sources` when present, else the document's."""
    return (cite.get("sources") or [{"title": cite["title"], "url": cite["url"]}])[0]


def date_en(iso: str) -> str:
    import datetime as dt

    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


# ---------------------------------------------------------------- copy, stop, ask again, Escape


def test_copy_answer_with_sources_as_text_and_markdown(
    browser: Browser, live_server: LiveServer
) -> None:
    s = Session(browser, permissions=["clipboard-read", "clipboard-write"])
    page = s.open(live_server.url + "/")
    expected = api_answer(live_server.url, SIGNED)
    ask(page, SIGNED)
    card = answer_card(page)

    card.get_by_role("button", name="Copy the answer with its sources as plain text").click()
    expect(card).to_have_attribute("data-copied", "text")
    text = page.evaluate("navigator.clipboard.readText()")
    answer, _, sources = text.partition("\n\nSources:\n\n")
    assert " ".join(answer.split()) == " ".join(
        expected["answer"].split()
    )  # the sentences with their [n]
    for cite in expected["citations"]:
        assert (
            f"[{cite['n']}] {cite['title']}, {date_en(cite['published'])} — {own_source(cite)['url']}"
            in sources.splitlines()
        )
    expect(card.locator(".action-status")).to_have_text("Copied")

    card.get_by_role("button", name="Copy the answer with its sources as Markdown").click()
    expect(card).to_have_attribute("data-copied", "markdown")
    md = page.evaluate("navigator.clipboard.readText()")
    assert "**Sources**" in md
    for cite in expected["citations"]:
        assert f"[^{cite['n']}]" in md.split("**Sources**")[0]  # footnote markers in the answer
        assert (
            f"[^{cite['n']}]: [{cite['title']}]({own_source(cite)['url']}), {date_en(cite['published'])}"
            in md
        )
    page.close()
    s.close()


def test_stop_keeps_nothing_and_ask_again_answers(
    session: Session, live_server: LiveServer
) -> None:
    page = session.open(live_server.url + "/")
    cdp = session.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # three seconds of network latency: the answer is still on its way when Stop is pressed
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 3000, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.fill("#question", SIGNED)
    page.press("#question", "Enter")
    card = answer_card(page)
    expect(card).to_have_attribute("data-state", "loading")
    stop = page.get_by_role("button", name="Stop answering")
    expect(stop).to_be_visible()
    page.press("#question", "Enter")  # Enter while an answer is on its way sends nothing more
    assert page.locator(".turn-assistant").count() == 1
    stop.click()
    expect(card).to_have_attribute("data-state", "stopped")
    expect(card.locator(".card-label")).to_have_text("Stopped")
    expect(card.locator(".meta")).to_have_text("You stopped this answer.")
    expect(page.get_by_role("button", name="Send question")).to_be_visible()
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )

    with page.expect_request("**/api/ask/stream") as req:
        card.get_by_role("button", name="Ask again").click()
    assert json.loads(req.value.post_data or "{}") == {
        "question": SIGNED,
        "history": [],
    }  # the stopped turn is not history
    card = answer_card(page)
    expect(card).to_have_attribute("data-state", "done", timeout=30_000)
    assert page.locator(".turn-assistant").count() == 1 and page.locator(".turn-user").count() == 1
    expect(card.locator(".marker").first).to_be_visible()


def test_ask_again_drops_later_turns_and_resends_the_earlier_history(
    session: Session, live_server: LiveServer
) -> None:
    page = session.open(live_server.url + "/")
    ask(page, SIGNED)
    ask(page, "Who signed it?")
    first_answer = answer_card(page, 0).locator(".answer-text").inner_text()

    with page.expect_request("**/api/ask/stream") as req:
        answer_card(page, 1).get_by_role("button", name="Ask again").click()
    body = json.loads(req.value.post_data or "{}")
    assert body["question"] == "Who signed it?"
    assert [t["role"] for t in body["history"]] == ["user", "assistant"] and body["history"][0][
        "content"
    ] == SIGNED
    expect(answer_card(page, 1)).to_have_attribute("data-state", "done", timeout=30_000)
    assert re.search(
        r"Ferrari|Ferreyros", answer_card(page, 1).locator(".answer-text").inner_text()
    )

    with page.expect_request("**/api/ask/stream") as req:
        answer_card(page, 0).get_by_role("button", name="Ask again").click()
    assert json.loads(req.value.post_data or "{}") == {"question": SIGNED, "history": []}
    expect(answer_card(page, 0)).to_have_attribute("data-state", "done", timeout=30_000)
    assert page.locator(".turn-assistant").count() == 1  # the follow-up after it is gone
    assert answer_card(page, 0).locator(".answer-text").inner_text() == first_answer


def test_escape_closes_the_passage_and_focus_returns_to_its_marker(
    session: Session, live_server: LiveServer
) -> None:
    page = session.open(live_server.url + "/")
    ask(page, SIGNED)
    card = answer_card(page)
    marker = card.locator(".marker").first
    marker.focus()
    page.keyboard.press("Enter")
    passage = card.locator(".passage")
    expect(passage).to_be_visible()
    # move into the passage (its close button), then Escape
    card.locator(".passage-close").focus()
    page.keyboard.press("Escape")
    expect(passage).to_be_hidden()
    expect(marker).to_have_attribute("aria-expanded", "false")
    expect(marker).to_be_focused()
    # Escape with the focus still on the marker works too
    page.keyboard.press("Enter")
    expect(passage).to_be_visible()
    page.keyboard.press("Escape")
    expect(passage).to_be_hidden()
    expect(marker).to_be_focused()


# ---------------------------------------------------------------- kept, cleared, exported


def test_conversation_survives_a_reload_and_new_conversation_clears_it(
    session: Session, live_server: LiveServer
) -> None:
    page = session.open(live_server.url + "/")
    ask(page, SIGNED)
    before = answer_card(page).locator(".answer-text").inner_text()
    sources_before = answer_card(page).locator(".sources").inner_text()

    reload(page)
    expect(page.locator("#welcome")).to_be_hidden()
    card = answer_card(page)
    expect(card).to_have_attribute("data-state", "done")
    assert card.locator(".answer-text").inner_text() == before
    assert card.locator(".sources").inner_text() == sources_before
    assert page.locator(".turn-user .bubble").first.inner_text().endswith(SIGNED)
    card.locator(".marker").first.click()
    expect(card.locator(".passage mark.quoted")).to_be_visible()

    with page.expect_request(
        "**/api/ask/stream"
    ) as req:  # a follow-up after the reload still has its history
        ask(page, "Who signed it?")
    body = json.loads(req.value.post_data or "{}")
    assert [t["content"] for t in body["history"]][:1] == [SIGNED]

    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#welcome")).to_be_visible()
    reload(page)
    assert page.locator(".turn").count() == 0
    expect(page.locator("#welcome")).to_be_visible()
    assert page.evaluate("localStorage.getItem('qa-chat.turns.v1')") is None


def test_export_downloads_the_conversation_with_its_sources(
    session: Session, live_server: LiveServer
) -> None:
    page = session.open(live_server.url + "/")
    expect(page.locator("#export")).to_be_hidden()  # nothing to export yet
    first = api_answer(live_server.url, SIGNED)
    ask(page, GUACAMOLE)
    ask(page, SIGNED)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Export the conversation as a Markdown file").click()
    download = dl.value
    assert re.fullmatch(
        r"mexico-peru-conversation-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename
    )
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# Mexico–Peru relations: conversation\n")
    assert f"## 1. Question: {GUACAMOLE}" in text and f"## 2. Question: {SIGNED}" in text
    assert "does not cover" in text.split("## 2.")[0]
    section = text.split("## 2.")[1]
    for cite in first["citations"]:
        assert (
            f"[^2-{cite['n']}]: [{cite['title']}]({own_source(cite)['url']}), {date_en(cite['published'])}"
            in section
        )
        assert f"[^2-{cite['n']}]" in section.split("**Sources**")[0]
    for sentence in first["sentences"]:
        assert " ".join(sentence["text"].split()) in " ".join(section.split())


# ---------------------------------------------------------------- dark mode, tap targets, errors


def body_bg(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_follows_the_system_and_the_toggle(
    browser: Browser, live_server: LiveServer
) -> None:
    dark = Session(browser, color_scheme="dark")
    page = dark.open(live_server.url + "/")
    assert body_bg(page) == DARK_BG
    toggle = page.get_by_role("button", name="Switch to light mode")
    toggle.click()
    assert body_bg(page) == LIGHT_BG
    reload(page)  # the choice is kept
    assert body_bg(page) == LIGHT_BG
    page.get_by_role("button", name="Switch to dark mode").click()  # back to the system's setting
    assert body_bg(page) == DARK_BG
    assert page.evaluate("localStorage.getItem('qa-chat.theme')") is None
    ask(page, SIGNED)
    card_bg = (
        answer_card(page).locator(".card").evaluate("e => getComputedStyle(e).backgroundColor")
    )
    assert card_bg == "rgb(27, 33, 41)"
    page.close()
    dark.close()

    light = Session(browser, color_scheme="light")
    page = light.open(live_server.url + "/")
    assert body_bg(page) == LIGHT_BG
    page.get_by_role("button", name="Switch to dark mode").click()
    assert body_bg(page) == DARK_BG
    page.close()
    light.close()


SMALL_TARGETS = """() => {
  const bad = [];
  for (const e of document.querySelectorAll('button, a[href], textarea, input, summary, select')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') continue;
    if (r.top + window.scrollY < 0) continue;  // the skip link waits above the page until focused
    if (r.width < 24 || r.height < 24) bad.push(`${e.className || e.tagName} ${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
  }
  return bad;
}"""


def test_tap_targets_are_at_least_24px_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    s = Session(browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page = s.open(live_server.url + "/")
    assert page.evaluate(SMALL_TARGETS) == []
    ask(page, SIGNED)
    card = answer_card(page)
    card.locator(".marker").first.click()
    expect(card.locator(".passage")).to_be_visible()
    assert card.locator(".marker").count() >= 1
    box = card.locator(".marker").first.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
    s.close()


def test_too_long_question_on_a_phone_keeps_the_error_in_sight(
    browser: Browser, live_server: LiveServer
) -> None:
    s = Session(browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page = s.open(live_server.url + "/")
    ask(page, SIGNED)
    long_question = "Why " * 300 + "?"
    ask(page, long_question)
    card = answer_card(page, 1)
    expect(card).to_have_attribute("data-state", "error")
    assert page.input_value("#question") == long_question  # back in the box, to be shortened
    expect(page.locator("#question-count")).to_have_text(
        "1,201 of 1,000 characters: shorten the question"
    )
    alert = card.locator("[role=alert]")
    expect(alert.locator(".error-title")).to_have_text("Your question is too long")
    page.wait_for_timeout(300)  # let the scroll into view settle
    box = alert.bounding_box()
    composer = page.locator(".composer-wrap").bounding_box()
    topbar = page.locator(".topbar").bounding_box()
    assert box and composer and topbar
    # the message is on screen, between the top bar and the composer (which does not grow over it)
    assert box["y"] >= topbar["y"] + topbar["height"] - 1, (box, topbar)
    assert box["y"] + box["height"] <= composer["y"] + 1, (box, composer)
    assert page.locator("#question").bounding_box()["height"] <= 0.15 * PHONE["height"]  # type: ignore[index]
    page.close()
    s.close()


@pytest.fixture(scope="module")
def limited_server(small_settings: Settings, small_service: QAService) -> Iterator[LiveServer]:
    """The same index behind a server that takes two questions a minute per client."""
    with LiveServer(
        small_settings.model_copy(update={"rate_limit_per_minute": 2}), small_service
    ) as server:
        yield server


def test_rate_limit_says_what_to_do_in_plain_words(
    session: Session, limited_server: LiveServer
) -> None:
    page = session.open(limited_server.url + "/")
    ask(page, SIGNED)
    ask(page, "Who signed it?")
    ask(page, "When did it enter into force?")
    card = answer_card(page, 2)
    expect(card).to_have_attribute("data-state", "error")
    alert = card.locator("[role=alert]")
    expect(alert.locator(".error-title")).to_have_text("Too many questions in a short time")
    expect(alert.locator(".error-text")).to_have_text(
        re.compile(r"^Wait \d+ seconds, then try again\.$")
    )
    assert "QA_" not in alert.inner_text()  # the setting's name is only in the developers' details
    expect(alert.locator(".error-detail")).to_contain_text("QA_RATE_LIMIT_PER_MINUTE")
    expect(alert.locator(".error-detail")).to_contain_text("HTTP 429")
    expect(alert.get_by_role("button", name="Try again")).to_be_visible()


# ---------------------------------------------------------------- sources: one line per document, the sentence's own link

ALLIANCE = document(
    "The Pacific Alliance",
    "2024-06-01",
    "trade",
    [("Example source on the alliance", "https://example.org/alliance")],
    """\
    ## Founding

    The Lima Declaration of 28 April 2011 founded the Pacific Alliance of Mexico, Peru, Chile and Colombia, point 0.
    {founding}

    ## Framework

    {framework} The Framework Agreement of the Pacific Alliance was signed at Paranal on 6 June 2012.

    ## Summits

    {summits} The Pacific Alliance held its first summit in Mexico City in 2011.
    """,
)
ALLIANCE_Q = "Pacific Alliance founding, framework agreement and first summit"


@pytest.fixture(scope="module")
def alliance_server(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[LiveServer]:
    """A corpus with one long document in several chunks, so one answer cites it twice."""

    def filler(what):
        return " ".join(f"Filler sentence number {i} about {what}." for i in range(1, 12))

    doc = ALLIANCE.format(
        founding=filler("ordinary tariff schedules and customs paperwork in the region"),
        framework=filler("regional customs procedures and port logistics"),
        summits=filler("summit protocol, flags and official photographs"),
    )
    root = tmp_path_factory.mktemp("alliance")
    settings = Settings(
        corpus_dir=write_corpus(root / "corpus", {**SMALL_CORPUS, "pacific-alliance": doc}),
        index_dir=root / "index",
        rate_limit_per_minute=0,
    )
    build_index(settings, embedder, progress=False)
    with LiveServer(settings, QAService(settings, embedder)) as server:
        yield server


def test_a_document_cited_twice_is_listed_once(
    session: Session, alliance_server: LiveServer
) -> None:
    expected = api_answer(alliance_server.url, ALLIANCE_Q)
    by_doc: dict[str, list[int]] = {}
    for c in expected["citations"]:
        by_doc.setdefault(c["doc_id"], []).append(c["n"])
    assert any(len(ns) > 1 for ns in by_doc.values()), (
        f"precondition: one document cited twice, got {by_doc}"
    )
    page = session.open(alliance_server.url + "/")
    ask(page, ALLIANCE_Q)
    card = answer_card(page)
    items = card.locator(".source")
    assert items.count() == len(by_doc)
    assert card.locator('.source[data-doc="pacific-alliance"]').count() == 1
    item = card.locator('.source[data-doc="pacific-alliance"]')
    assert item.locator(".source-n").all_inner_texts() == [
        str(n) for n in by_doc["pacific-alliance"]
    ]
    # either marker highlights that one line
    for n in by_doc["pacific-alliance"]:
        card.locator(f'.marker[data-n="{n}"]').first.click()
        expect(item).to_have_class(re.compile(r"\bis-active\b"))
        card.locator(f'.marker[data-n="{n}"]').first.click()


def test_passage_link_is_the_quoted_sentences_own_source(
    session: Session, live_server: LiveServer
) -> None:
    expected = api_answer(live_server.url, SIGNED)
    page = session.open(live_server.url + "/")
    ask(page, SIGNED)
    card = answer_card(page)
    for cite in expected["citations"]:
        card.locator(f'.marker[data-n="{cite["n"]}"]').first.click()
        own = own_source(cite)
        link = card.locator(".passage a.passage-link").first
        assert link.get_attribute("href") == own["url"]
        expect(link).to_contain_text(f"Source: {own['title']}")
        assert set((link.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
        card.locator(f'.marker[data-n="{cite["n"]}"]').first.click()


def test_sources_up_to_the_newest_document(session: Session, live_server: LiveServer) -> None:
    newest = httpx.get(f"{live_server.url}/api/health").json()["sources_up_to"]
    assert newest == "2025-11-08"
    page = session.open(live_server.url + "/")
    line = page.locator("#sources-up-to")
    expect(line).to_have_text("Sources up to 8 November 2025")
    assert line.locator("time").get_attribute("datetime") == newest
    page.get_by_role("button", name="Ver la página en español").click()
    expect(line).to_have_text("Fuentes hasta el 8 de noviembre de 2025")


# ---------------------------------------------------------------- English and Spanish

CHROME_ONLY = """() => {
  // the page's own words: everything but the question, the corpus text and the sources' titles
  const copy = document.body.cloneNode(true);
  for (const e of copy.querySelectorAll('.bubble, .answer-text, .passage-where, .passage-text, .source-info, .passage-link, .error-detail'))
    e.remove();
  const attrs = [...copy.querySelectorAll('[aria-label], [placeholder], [title]')]
    .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')]);
  return [copy.innerText || copy.textContent, ...attrs.filter(Boolean), document.title].join('\\n');
}"""


def english_left(page: Page) -> list[str]:
    """English strings of the page still shown when it is in Spanish."""
    strings = page.evaluate("window.QA_STRINGS")
    en, es = strings["en"], strings["es"]
    assert set(en) == set(es), set(en) ^ set(es)
    shown = page.evaluate(CHROME_ONLY)
    left = []
    for key, value in en.items():
        values = value if isinstance(value, list) else [value]
        others = es[key] if isinstance(es[key], list) else [es[key]]
        for v, o in zip(values, others, strict=False):
            fixed = re.split(r"\{\w+\}", v)[0].strip()  # the words before any filled-in value
            if v != o and len(fixed) > 3 and re.search(rf"(?<!\w){re.escape(fixed)}(?!\w)", shown):
                left.append(f"{key}: {fixed}")
    return left


def test_spanish_from_the_browser_language_and_the_toggle(
    browser: Browser, live_server: LiveServer
) -> None:
    s = Session(browser, locale="es-MX")  # sets navigator.language and Accept-Language
    page = s.open(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.title() == "Relaciones México–Perú · Pregunte al corpus"
    expect(page.get_by_label("Su pregunta")).to_have_attribute(
        "placeholder", "Haga una pregunta sobre las relaciones México–Perú…"
    )
    expect(page.get_by_role("button", name="Nueva conversación")).to_be_visible()
    expect(page.get_by_role("button", name="Enviar la pregunta")).to_be_visible()
    expect(page.locator(".starters-title")).to_have_text("Pruebe una de estas")
    assert english_left(page) == []

    ask(page, GUACAMOLE)
    expect(answer_card(page, 0).locator(".card-label")).to_have_text("El corpus no lo cubre")
    ask(page, SIGNED)
    card = answer_card(page, 1)
    expect(card.locator(".card-label")).to_have_text("Respuesta")
    expect(card.locator(".sources-title")).to_have_text("Fuentes")
    expect(card.locator(".source time").first).to_have_text("1 de febrero de 2012")
    expect(card.locator(".meta")).to_contain_text("respondida en")
    expect(card.get_by_role("button", name="Preguntar de nuevo")).to_be_visible()
    card.locator(".marker").first.click()
    expect(card.get_by_role("button", name="Cerrar el pasaje")).to_be_visible()
    ask(page, "Why " * 300 + "?")
    expect(answer_card(page, 2).locator(".error-title")).to_have_text(
        "Su pregunta es demasiado larga"
    )
    page.fill("#question", "")
    assert english_left(page) == []

    page.get_by_role("button", name="Show the page in English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(card.locator(".card-label")).to_have_text("Answer")  # answers already shown change too
    reload(page)  # the choice outlives a reload, over the browser's language
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="New conversation")).to_be_visible()
    page.close()
    s.close()


def test_answer_carries_the_language_the_api_gives(
    session: Session, live_server: LiveServer
) -> None:
    question = "¿Cuándo se firmó el Acuerdo de Integración Comercial?"
    expected = httpx.post(
        f"{live_server.url}/api/ask", json={"question": question}, timeout=30
    ).json()
    page = session.open(live_server.url + "/")
    ask(page, question)
    card = answer_card(page).locator(".card")
    if (
        "language" in expected
    ):  # the answer-quality work frames answers to Spanish questions in Spanish
        assert expected["language"] == "es"
        expect(card).to_have_attribute("lang", "es")
    else:
        assert card.get_attribute("lang") is None
    if expected.get("preface"):
        expect(card.locator(".answer-note")).to_have_text(expected["preface"])


# ---------------------------------------------------------------- feedback


def test_feedback_with_a_comment_is_sent_and_remembered(
    session: Session, live_server: LiveServer
) -> None:
    expected = api_answer(live_server.url, SIGNED)
    if "id" not in expected:
        pytest.skip(
            "the answers of this server have no `id` (AskResponse.id comes with the curators' feedback work)"
        )
    probe = httpx.post(
        f"{live_server.url}/api/feedback",
        json={"id": expected["id"], "rating": "up", "comment": None},
    )
    outcome = "recorded" if probe.status_code < 300 else "off"
    page = session.open(live_server.url + "/")
    ask(page, SIGNED)
    card = answer_card(page)
    down = card.get_by_role("button", name="Not helpful")
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    comment = card.get_by_label("What was right, wrong or missing? (optional)")
    expect(comment).to_be_focused()
    comment.fill("The date is right but I wanted the place too.")
    with page.expect_request("**/api/feedback") as req:
        card.get_by_role("button", name="Send feedback").click()
    body = json.loads(req.value.post_data or "{}")
    assert (
        body["rating"] == "down"
        and body["comment"] == "The date is right but I wanted the place too."
    )
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    expect(card).to_have_attribute("data-feedback", outcome)
    message = (
        "Thank you: your feedback was recorded."
        if outcome == "recorded"
        else "Thank you. This server does not collect feedback"
    )
    expect(card.locator(".action-status")).to_contain_text(message)
    expect(down).to_be_disabled()
    reload(page)
    card = answer_card(page)
    expect(card.get_by_role("button", name="Not helpful")).to_have_attribute("aria-pressed", "true")
    expect(card.get_by_role("button", name="Not helpful")).to_be_disabled()


# ---------------------------------------------------------------- accessibility (axe-core)


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from the npm registry, installed by scripts/ensure-axe.sh (also run by `make test`)."""
    if not AXE.exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "ensure-axe.sh")], check=True, timeout=300)
    return str(AXE)


def serious_violations(page: Page, axe: str) -> list[str]:
    page.add_script_tag(path=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


AXE_CASES = [
    ("light", "desktop", "en-GB"),
    ("dark", "desktop", "en-GB"),
    ("light", "phone", "en-GB"),
    ("dark", "phone", "en-GB"),
    ("light", "desktop", "es-ES"),
    ("dark", "phone", "es-ES"),
]


@pytest.mark.parametrize(
    ("theme", "device", "locale"), AXE_CASES, ids=["-".join(c) for c in AXE_CASES]
)
def test_axe_finds_no_serious_violations(
    browser: Browser, live_server: LiveServer, axe_source: str, theme: str, device: str, locale: str
) -> None:
    # axe is injected as an inline script, which the page's CSP rightly refuses; only this test lifts it
    viewport = DESKTOP if device == "desktop" else PHONE
    s = Session(browser, color_scheme=theme, viewport=viewport, locale=locale, bypass_csp=True)
    page = s.open(live_server.url + "/")
    found = {"empty page": serious_violations(page, axe_source)}
    ask(
        page, GUACAMOLE
    )  # not covered (asked first: after another question it would be read as a follow-up)
    ask(page, SIGNED)
    found["answered page"] = serious_violations(page, axe_source)
    answer_card(page, 1).locator(".marker").first.click()
    expect(answer_card(page, 1).locator(".passage")).to_be_visible()
    page.wait_for_timeout(250)  # the passage's opening animation
    found["opened passage"] = serious_violations(page, axe_source)
    assert found == {"empty page": [], "answered page": [], "opened passage": []}
    page.close()
    s.close()
