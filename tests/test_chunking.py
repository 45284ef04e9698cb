"""The chunker without the model: token budget, sentence overlap between neighbouring
chunks, headings, over-long sentences. Tokens are counted as words, so every figure
below can be checked by hand."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from qa_service.chunking import Chunk, Chunker, embedding_text
from qa_service.corpus import Document, parse_document

pytestmark = pytest.mark.fast

FRONT = "---\ntitle: Overlap\npublished: 2020-01-01\nsources:\n  - title: s\n    url: https://example.org/s\n---\n"
# Twelve sentences of five words each, in one paragraph.
PARAGRAPH = " ".join(f"Sentence {n} holds five words." for n in range(1, 13))


def words(text: str) -> int:
    return len(text.split())


def doc(body: str) -> Document:
    return parse_document(Path("/generated/overlap.md"), (FRONT + body).encode("utf-8"))


def sentence_texts(d: Document, c: Chunk) -> list[str]:
    return [d.body[a:b] for a, b in c.sentences]


def test_chunks_keep_the_budget_and_repeat_the_last_sentence_of_the_one_before() -> None:
    d = doc(PARAGRAPH)
    chunks = Chunker(max_tokens=16, overlap_sentences=1, count_tokens=words).split(d)
    # 5-word sentences in 16 tokens: 3 a chunk, the first of each repeating the last before
    # it (1-3, 3-5, 5-7, 7-9, 9-11, 11-12).
    assert [len(c.sentences) for c in chunks] == [3, 3, 3, 3, 3, 2]
    for c in chunks:
        assert c.text == d.body[c.start : c.end]
        assert words(c.text) <= 16
    for before, after in itertools.pairwise(chunks):
        assert after.sentences[0] == before.sentences[-1], (before.text, after.text)
        assert after.sentences[-1] > before.sentences[-1]  # and each chunk brings something new
    assert len({s for c in chunks for s in c.sentences}) == 12  # every sentence is in a chunk


def test_two_sentences_of_overlap_repeat_two() -> None:
    d = doc(PARAGRAPH)
    chunks = Chunker(max_tokens=21, overlap_sentences=2, count_tokens=words).split(d)
    assert len(chunks) >= 3
    for before, after in itertools.pairwise(chunks):
        assert after.sentences[:2] == before.sentences[-2:]
        assert sentence_texts(d, after)[0].startswith("Sentence ")


def test_without_overlap_no_sentence_is_repeated() -> None:
    d = doc(PARAGRAPH)
    chunks = Chunker(max_tokens=16, overlap_sentences=0, count_tokens=words).split(d)
    seen = [s for c in chunks for s in c.sentences]
    assert len(seen) == len(set(seen)) == 12
    assert [len(c.sentences) for c in chunks] == [3, 3, 3, 3]


def test_a_heading_opens_a_new_chunk_without_carrying_a_sentence() -> None:
    d = doc("## First\n\nOne two three four.\n\n## Second\n\nFive six seven eight.\n")
    chunks = Chunker(max_tokens=100, overlap_sentences=1, count_tokens=words).split(d)
    assert [c.section for c in chunks] == ["First", "Second"]
    assert [sentence_texts(d, c) for c in chunks] == [
        ["One two three four."],
        ["Five six seven eight."],
    ]


def test_a_sentence_longer_than_the_budget_is_cut_at_word_boundaries() -> None:
    long = " ".join(f"w{i}" for i in range(30)) + "."
    d = doc(long)
    chunks = Chunker(max_tokens=8, overlap_sentences=0, count_tokens=words).split(d)
    pieces = [t for c in chunks for t in sentence_texts(d, c)]
    assert all(words(p) <= 8 for p in pieces)
    assert " ".join(pieces) == long  # nothing lost, every cut between two words


@pytest.mark.parametrize(("max_tokens", "overlap"), [(7, 0), (16, -1)])
def test_bad_chunker_settings_are_refused(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError, match=r"max_tokens|overlap_sentences"):
        Chunker(max_tokens=max_tokens, overlap_sentences=overlap, count_tokens=words)


def test_the_model_reads_title_and_section_before_the_text() -> None:
    d = doc("## Signing\n\nOne two three four five. Six seven eight nine ten.\n")
    first, second = Chunker(max_tokens=8, overlap_sentences=0, count_tokens=words).split(d)
    assert first.text.startswith("Signing") and second.text == "Six seven eight nine ten."
    # the heading is in the first chunk's text already; the second gets it as a prefix
    assert embedding_text(d.title, first)[0] == "Overlap.\n" + first.text
    text, offset = embedding_text(d.title, second)
    assert text == "Overlap. Signing.\nSix seven eight nine ten." and text[offset:] == second.text
