"""Markdown -> plain text blocks, so offsets and citations speak of what a reader sees.

Headings stay as their own blocks (their words give a chunk its context); inline markup
is dropped but its text kept; raw HTML is kept as literal text, never interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

BlockKind = Literal["heading", "paragraph", "item", "code"]

_md = MarkdownIt("commonmark").enable("table")
# Answers mark citations as "[n]"; a bracketed number in a document (a footnote reference)
# is written "(n)" so that no quoted sentence can carry a marker that is not one.
_BRACKETED_NUMBER = re.compile(r"\[(\s*\d+\s*)\]")


@dataclass(frozen=True)
class TextBlock:
    """One block of rendered text; `line` is its 1-based line in the Markdown source."""

    kind: BlockKind
    text: str
    level: int
    line: int


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content or "")
    return " ".join("".join(parts).split())


def markdown_to_blocks(markdown: str) -> list[TextBlock]:
    """Render Markdown into text blocks: headings, paragraphs, list items, code."""
    tokens = _md.parse(markdown)
    blocks: list[TextBlock] = []
    heading_level = 0
    in_item = 0
    in_cell = False
    row: list[str] = []
    for i, tok in enumerate(tokens):
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "heading_open":
            heading_level = int(tok.tag[1:])
        elif tok.type == "heading_close":
            heading_level = 0
        elif tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type in ("th_open", "td_open"):
            in_cell = True
        elif tok.type in ("th_close", "td_close"):
            in_cell = False
        elif tok.type == "tr_close":
            if any(row):
                blocks.append(TextBlock("paragraph", " | ".join(row), 0, line or _last_line(blocks)))
            row = []
        elif tok.type == "inline":
            text = _inline_text(tok)
            if in_cell:
                row.append(text)
                continue
            if not text:
                continue
            src_line = (tokens[i - 1].map[0] + 1) if i and tokens[i - 1].map else line
            if heading_level:
                blocks.append(TextBlock("heading", text, heading_level, src_line))
            elif in_item:
                blocks.append(TextBlock("item", text, 0, src_line))
            else:
                blocks.append(TextBlock("paragraph", text, 0, src_line))
        elif tok.type in ("fence", "code_block", "html_block"):
            text = tok.content.strip()
            if text:
                kind: BlockKind = "paragraph" if tok.type == "html_block" else "code"
                blocks.append(TextBlock(kind, text, 0, line))
    return [replace(b, text=_BRACKETED_NUMBER.sub(r"(\1)", b.text)) for b in blocks]


def _last_line(blocks: list[TextBlock]) -> int:
    return blocks[-1].line if blocks else 1
