"""Script-bearing text in a question and in a corpus document, in real Chromium: none of it
runs, all of it shows as text.

Each payload would set a flag on `window` (and change `document.title`) if it ever ran.
The page is checked twice: as served (with its Content-Security-Policy) and with the CSP
switched off in the browser, so the page's own escaping is tested, not only the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.index import build_index
from qa_service.service import QAService
from tests.chromium import ask, needs_chromium
from tests.conftest import LiveServer, write_corpus

pytestmark = needs_chromium

DOC_IMG = '<img src=x alt="pwned-doc" onerror="window.__xss_doc_img=1;document.title=this.alt">'
DOC_SCRIPT = '<script>window.__xss_doc_script=1;document.title="pwned-doc-script"</script>'
DOC_SVG = '<svg onload="window.__xss_doc_svg=1"></svg>'
Q_IMG = "<img src=x onerror=\"window.__xss_q_img=1;document.title='pwned-question'\">"
Q_SCRIPT = "<script>window.__xss_q_script=1</script>"
FLAGS = ["__xss_doc_img", "__xss_doc_script", "__xss_doc_svg", "__xss_q_img", "__xss_q_script"]

# Each document is dated no earlier than its newest statement, as `check-corpus` requires (a
# source is never quoted for a date after it was published).
HOSTILE = {
    "lima-commission": f"""\
        ---
        title: 'The Lima commission {DOC_IMG}'
        published: 1931-04-30
        topics: [history]
        sources:
          - title: 'Source {DOC_SCRIPT}'
            url: https://example.org/commission
        ---
        The Lima border commission {DOC_IMG} published its final report on 12 March 1931.
        The commission chair {DOC_SCRIPT} signed the report in the Torre Tagle palace.

        {DOC_SVG} The report was sent to Mexico City by diplomatic pouch in April 1931.
        """,
    "trade-agreement": """\
        ---
        title: "The Trade Integration Agreement"
        published: 2012-02-01
        sources:
          - title: "Example source on the agreement"
            url: https://example.org/agreement
        ---
        The Trade Integration Agreement between Mexico and Peru was signed in Lima on 6 April 2011.
        """,
}


@pytest.fixture(scope="module")
def hostile_server(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("xss")
    settings = Settings(
        corpus_dir=write_corpus(root / "corpus", HOSTILE),
        index_dir=root / "index",
        rate_limit_per_minute=0,
    )
    build_index(settings, embedder, progress=False)
    with LiveServer(settings, QAService(settings, embedder)) as server:
        yield server


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    page.wait_for_timeout(300)  # an image error handler would fire by now
    ran = page.evaluate(f"() => {FLAGS!r}.filter((f) => window[f] !== undefined)")
    assert ran == [] and dialogs == []
    assert not page.title().startswith("pwned")
    # The payloads became text, not elements: the only <img>/<svg onload>/inline <script> are none.
    assert page.locator("img[src='x'], svg[onload], [onerror]").count() == 0
    assert page.evaluate("() => [...document.scripts].filter((s) => !s.src).length") == 0


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-off"])
def test_script_in_question_and_corpus_never_runs_and_shows_as_text(
    browser: Browser, hostile_server: LiveServer, bypass_csp: bool
) -> None:
    context = browser.new_context(bypass_csp=bypass_csp, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(hostile_server.url + "/")
        expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))

        # 1. Script in the question: shown back verbatim in the user's turn.
        question = (
            f"When did the Lima border commission publish its final report? {Q_IMG} {Q_SCRIPT}"
        )
        ask(page, question)
        user_turn = page.locator(".turn-user").last
        expect(user_turn).to_contain_text(Q_IMG)
        expect(user_turn).to_contain_text(Q_SCRIPT)

        # 2. Script in the corpus: the answer quotes it, the sources list its title, as text.
        answer = page.locator(".turn-assistant").last
        assert answer.get_attribute("data-found") == "true"
        expect(answer.locator(".answer-text")).to_contain_text("12 March 1931")
        expect(answer.locator(".answer-text")).to_contain_text(DOC_IMG)
        expect(answer.locator(".sources")).to_contain_text(f"The Lima commission {DOC_IMG}")

        # 3. The cited passage opened from its marker: the whole passage, payloads included, as text.
        answer.locator(".answer-text .marker").first.click()
        passage = answer.locator(".passage")
        expect(passage).to_be_visible()
        expect(passage.locator(".passage-text")).to_contain_text(DOC_IMG)
        expect(passage.locator(".passage-text")).to_contain_text(DOC_SCRIPT)
        expect(passage.locator(".passage-title")).to_contain_text(DOC_IMG)

        # 4. A second question that quotes the other payloads (svg onload, script) in the answer.
        ask(page, "How was the report sent to Mexico City in April 1931?")
        expect(page.locator(".turn-assistant").last.locator(".answer-text")).to_contain_text(
            DOC_SVG
        )

        assert_nothing_ran(page, dialogs)
    finally:
        context.close()


def test_the_payloads_would_run_if_the_page_parsed_them_as_html(
    browser: Browser, hostile_server: LiveServer
) -> None:
    """Control: the same payloads put in as HTML (CSP off) do set their flags, so the test above can fail."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(hostile_server.url + "/")
        page.evaluate(
            "(html) => { document.getElementById('log').innerHTML = html; }",
            f"{DOC_IMG} {Q_IMG} {DOC_SVG}",
        )
        page.wait_for_function(
            "() => window.__xss_doc_img === 1 && window.__xss_q_img === 1", timeout=5000
        )
        assert page.title().startswith("pwned")
    finally:
        context.close()
