"""Property-based tests (hypothesis) of the chunker and the answer composer.

Chunker: for any document (arbitrary Unicode, control characters, Markdown structure, empty
or huge), every chunk's offsets lie inside the body, `text == body[start:end]`, sentence
spans lie inside their chunk, and no word of the body is lost. Composer: for any question
and history, every `[n]` in the answer is a citation, every citation is referred to, and
each sentence before a marker is quoted from that citation's passage.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from qa_service.chunking import Chunker
from qa_service.config import Settings
from qa_service.corpus import CorpusError, Document, parse_document
from qa_service.embedding import Embedder
from qa_service.index import build_index
from qa_service.schemas import AskResponse, Turn
from qa_service.service import QAService
from tests.conftest import SMALL_CORPUS, document, write_corpus

FRONT = "---\ntitle: Generated\npublished: 2020-01-01\nsources:\n  - title: s\n    url: https://example.org/s\n---\n"
SETTINGS = settings(
    deadline=None,
    max_examples=400,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text the way hostile or careless files hold it: any code point (no lone surrogates, which
# UTF-8 cannot carry), control characters included, plus Markdown and HTML fragments.
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
markup = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "* ",
        "1. ",
        "> ",
        "```\n",
        "---\n",
        "| a | b |\n|---|---|\n",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "**",
        "_",
        "`",
        "[x](http://e.org)",
        "\n",
        "\n\n",
        "\t",
        "\r\n",
        "\x00",
        "\x0b",
        "\u2028",
        "\ufeff",
        "Dr. ",
        "e.g. ",
        "...",
        "?!",
    ]
)
sentence = st.builds(
    lambda w, p: " ".join(w) + p,
    st.lists(
        st.sampled_from(
            [
                "Mexico",
                "Peru",
                "signed",
                "the",
                "agreement",
                "in",
                "1924",
                "Lima",
                "relations",
                "were",
                "restored",
                "café",
                "Ñuñoa",
                "日本",
                "🙂",
                "a" * 60,
                "x",
            ]
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([".", "!", "?", "", ";", ". "]),
)
body_part = st.one_of(any_text, markup, sentence)
bodies = st.lists(body_part, max_size=25).map("".join)


def _doc(body: str, name: str = "gen-doc") -> Document:
    return parse_document(Path(f"/generated/{name}.md"), (FRONT + body).encode("utf-8"))


def _check_chunks(doc: Document, chunker: Chunker) -> None:
    chunks = chunker.split(doc)
    body = doc.body
    assert [c.chunk_id for c in chunks] == [f"{doc.doc_id}:{i}" for i in range(len(chunks))]
    for c in chunks:
        assert 0 <= c.start < c.end <= len(body)
        assert c.text == body[c.start : c.end] and c.text.strip()
        assert c.doc_id == doc.doc_id and c.sentences
        for a, b in c.sentences:
            assert c.start <= a < b <= c.end
        assert all(c.sentences[i][1] <= c.sentences[i + 1][0] for i in range(len(c.sentences) - 1))
    # Nothing a reader sees is lost: every word of every non-heading block is in some chunk.
    covered = [False] * len(body)
    for c in chunks:
        for a, b in c.sentences:
            covered[a:b] = [True] * (b - a)
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        for m in re.finditer(r"\w+", body[block.start : block.end]):
            s = block.start + m.start()
            assert any(covered[s : block.start + m.end()]), (body[s : block.start + m.end()], body)


@pytest.fixture(scope="module")
def count_tokens(embedder: Embedder):  # type: ignore[no-untyped-def]
    return embedder.count_tokens


@SETTINGS
@given(body=bodies, max_tokens=st.integers(8, 160), overlap=st.integers(0, 3))
def test_chunks_stay_inside_the_body(
    count_tokens, body: str, max_tokens: int, overlap: int
) -> None:  # type: ignore[no-untyped-def]
    try:
        doc = _doc(body)
    except CorpusError as e:
        # The only fault a generated body can have is having nothing to read.
        assert "no body text" in str(e), str(e)
        event("refused: no body text")
        return
    event(f"chunked into {'0' if not doc.blocks else 'some'} blocks")
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.body)
    _check_chunks(
        doc, Chunker(max_tokens=max_tokens, overlap_sentences=overlap, count_tokens=count_tokens)
    )


@pytest.mark.parametrize("body", ["", " ", "\n\n\n", "\t\r\n", "   \u00a0", "\n\n   \n"])
def test_empty_documents_are_refused_by_name(body: str) -> None:
    with pytest.raises(CorpusError) as err:
        _doc(body, "empty-one")
    assert "empty-one.md" in str(err.value)


@settings(
    deadline=None,
    max_examples=2,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(unit=st.lists(sentence, min_size=3, max_size=12).map(" ".join), one_paragraph=st.booleans())
def test_huge_documents_chunk_correctly(count_tokens, unit: str, one_paragraph: bool) -> None:  # type: ignore[no-untyped-def]
    """About 100 kB of body (a long report), in many paragraphs or in one."""
    sep = " " if one_paragraph else "\n\n"
    repeat = 100_000 // (len(unit) + 12) + 1
    doc = _doc(sep.join(f"{unit} Part {i}." for i in range(repeat)))
    assert len(doc.body) >= 90_000
    _check_chunks(doc, Chunker(max_tokens=160, overlap_sentences=1, count_tokens=count_tokens))


# ------------------------------------------------------------------ answer composer

HOSTILE_DOCS = {
    **SMALL_CORPUS,
    "markup-in-text": document(
        "Reports with markup <b>in</b> them",
        "2019-03-04",
        "history",
        [("Example source", "https://example.org/markup")],
        """\
        The 1932 commission report on the Mexican diplomatic pouch was published in Lima & Mexico City.
        Relations between Mexico and Peru were described as <script>alert(1)</script> tense in 1932.
        The treaty of friendship was signed in Lima, according to the <img src=x onerror=alert(1)> report.
        """,
    ),
}
BRACKETS_DOC = {
    "brackets": """\
        ---
        title: "A report that cites others"
        published: 2019-03-04
        sources:
          - title: "Example source"
            url: https://example.org/brackets
        ---
        The treaty of friendship [1] between Mexico and Peru was signed in Lima, as the annex [3] records.
        """,
}


@pytest.fixture(scope="module")
def hostile_service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    return _service(tmp_path_factory.mktemp("hostile"), HOSTILE_DOCS, embedder)


def _service(root: Path, docs: dict[str, str], embedder: Embedder) -> QAService:
    s = Settings(
        corpus_dir=write_corpus(root / "corpus", docs),
        index_dir=root / "index",
        rate_limit_per_minute=0,
    )
    build_index(s, embedder, progress=False)
    return QAService(s, embedder)


_MARKER = re.compile(r" \[(\d+)\]")


def assert_markers_match(resp: AskResponse, service: QAService) -> None:
    """The contract of an answer, checked from the outside."""
    docs = service.state.data.documents
    numbers = [c.n for c in resp.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    for c in resp.citations:
        assert docs[c.doc_id].body[c.start : c.end] == c.text
    if not resp.found:
        assert resp.citations == [] and not _MARKER.search(resp.answer)
        return
    answer = resp.answer.removeprefix(f"{resp.preface}\n") if resp.preface else resp.answer
    assert [f"{st.text} [{st.n}]" for st in resp.sentences] and answer == " ".join(
        f"{st.text} [{st.n}]" for st in resp.sentences
    )
    # The answer is "<sentence> [n] <sentence> [m] ...": split it at the markers it made.
    pieces = _MARKER.split(answer)
    assert pieces[-1] == "" and len(pieces) >= 3, answer
    by_n = {c.n: c for c in resp.citations}
    referred = set()
    for i in range(0, len(pieces) - 1, 2):
        text, n = pieces[i].strip(), int(pieces[i + 1])
        assert n in by_n, (n, answer)
        assert text and text in by_n[n].text, (text, by_n[n].text)
        referred.add(n)
    assert referred == set(by_n)


vocab = sorted(
    {
        w
        for text in HOSTILE_DOCS.values()
        for w in re.findall(r"[A-Za-zÁ-ú0-9]+", text)
        if len(w) > 2
    }
)
question_words = st.lists(
    st.sampled_from([*vocab, "when", "who", "why", "what", "now", "today", "[1]", "[2]", "it"]),
    min_size=1,
    max_size=12,
).map(" ".join)
corpus_sentences = [
    s.split()
    for text in HOSTILE_DOCS.values()
    for s in re.split(r"(?<=[.!?])\s+", text)
    if len(s.split()) > 5 and ":" not in s
]
# Near-quotes of corpus sentences (some words dropped, a question word added) are mostly answered.
near_quotes = st.builds(
    lambda words, keep, wh: (
        f"{wh} " + " ".join(w for w, k in zip(words, keep, strict=False) if k) + "?"
    ),
    st.sampled_from(corpus_sentences),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.sampled_from(["When", "Who", "Why", "What", "Where", "Is it true that", "Now"]),
)
questions = st.one_of(
    near_quotes,
    near_quotes,
    question_words,
    any_text.filter(str.strip),
    st.builds(lambda a, b: f"{a} {b}?", question_words, any_text),
)
histories = st.lists(
    st.builds(
        Turn,
        role=st.sampled_from(["user", "assistant"]),
        content=st.one_of(question_words, any_text),
    ),
    max_size=4,
)


@SETTINGS
@given(question=questions, history=histories, top_k=st.one_of(st.none(), st.integers(1, 20)))
def test_markers_always_match_citations(
    hostile_service: QAService, question: str, history: list[Turn], top_k: int | None
) -> None:
    assume(question.strip())
    resp = hostile_service.ask(question, history, top_k)
    event("answered" if resp.found else "declined")
    assert_markers_match(resp, hostile_service)


def test_composer_properties_hold_on_answered_questions(hostile_service: QAService) -> None:
    """The property test above must see answers, not only declines: these are answered."""
    for q in (
        "When was APRA founded?",
        "Who signed the Trade Integration Agreement?",
        "What does the 1932 commission report cite?",
        "Why did Peru break off relations in 2025?",
    ):
        resp = hostile_service.ask(q)
        assert resp.found, q
        assert_markers_match(resp, hostile_service)


def test_corpus_text_that_looks_like_a_marker_is_not_mistaken_for_one(
    tmp_path: Path, embedder: Embedder
) -> None:
    service = _service(tmp_path, BRACKETS_DOC, embedder)
    resp = service.ask("Where was the treaty of friendship between Mexico and Peru signed?")
    assert resp.found
    assert_markers_match(resp, service)
