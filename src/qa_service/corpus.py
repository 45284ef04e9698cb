"""Load and validate corpus documents: Markdown files with YAML front matter -> Document.

Every problem is raised as a CorpusError that names the file and the line, so an editor
can fix it; nothing half-parsed ever reaches the index.

Provenance: each source has a `key`, and every paragraph and list item ends with `[^key]`
references naming the sources that say it (a reference right after a sentence inside a
paragraph keys that sentence alone). A document written that way is checked strictly when
it is parsed (unknown or unused keys, unreferenced paragraphs, repeated keys all stop it);
a document in the older format (no keys, no references) still parses, its passages citing
all its sources, and `document_problems` lists what it lacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from qa_service.markup import TextBlock, markdown_to_blocks

log = logging.getLogger(__name__)
DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")
SOURCE_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # lowercase letters, digits and hyphens
BLOCK_SEPARATOR = "\n\n"
_FM_CLOSE = re.compile(r"^-{3,}\s*$", re.MULTILINE)


class CorpusError(ValueError):
    """A corpus file that cannot be used, with where and why."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


class Source(BaseModel):
    """Where a document's facts come from; `key` is what `[^key]` references in the body name."""

    model_config = ConfigDict(extra="forbid")
    key: str | None = Field(None, pattern=SOURCE_KEY_PATTERN, max_length=100)
    title: str = Field(min_length=1)
    url: HttpUrl


class FrontMatter(BaseModel):
    """The required metadata block at the top of every document."""

    model_config = ConfigDict(extra="allow")
    title: str = Field(min_length=1)
    published: dt.date
    topics: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics_list(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v


class Block(BaseModel):
    """A rendered block of the body with its character span."""

    kind: str
    start: int
    end: int
    level: int = 0


class Statement(BaseModel):
    """A span of the body (a sentence or the rest of a paragraph) and the keys of the sources that say it."""

    start: int
    end: int
    keys: list[str]


class Document(BaseModel):
    """A validated corpus document; `body` is the plain text that offsets refer to."""

    doc_id: str
    title: str
    published: dt.date
    topics: list[str]
    sources: list[Source]
    body: str
    blocks: list[Block]
    statements: list[Statement] = Field(default_factory=list)
    content_hash: str
    path: str

    @property
    def url(self) -> str | None:
        """The first source's address: where a reader can check the document."""
        return str(self.sources[0].url) if self.sources else None

    def sources_for(self, start: int, end: int) -> list[Source]:
        """The sources that say the body text at [start, end), in order of first use.

        A document without references (the older format) answers with all its sources.
        """
        return self.sources_for_ranges([(start, end)])

    def sources_for_ranges(self, ranges: list[tuple[int, int]]) -> list[Source]:
        """The sources of several spans, those of the first span first, without repeats."""
        by_key = {s.key: s for s in self.sources if s.key}
        if not by_key or not any(st.keys for st in self.statements):
            return list(self.sources)
        keys: list[str] = []
        for start, end in ranges:
            for st in self.statements:
                if st.start < end and st.end > start:
                    keys.extend(k for k in st.keys if k not in keys and k in by_key)
        return [by_key[k] for k in keys]


def _render(blocks: list[TextBlock]) -> tuple[str, list[Block], list[Statement]]:
    parts: list[str] = []
    spans: list[Block] = []
    statements: list[Statement] = []
    pos = 0
    for b in blocks:
        if parts:
            pos += len(BLOCK_SEPARATOR)
        spans.append(Block(kind=b.kind, start=pos, end=pos + len(b.text), level=b.level))
        statements.extend(
            Statement(start=pos + k.start, end=pos + k.end, keys=list(k.keys)) for k in b.spans
        )
        parts.append(b.text)
        pos += len(b.text)
    return BLOCK_SEPARATOR.join(parts), spans, statements


def _provenance_problems(
    path: Path, raw: str, sources: list[Source], blocks: list[TextBlock], body_line: int
) -> list[CorpusError]:
    """Everything that breaks "every statement names the listed sources that say it", by line."""
    problems: list[CorpusError] = []
    listed: dict[str, int] = {}
    for i, src in enumerate(sources):
        line = _key_line(raw, ("sources", i, "key" if src.key else "title"))
        if not src.key:
            problems.append(
                CorpusError(
                    path, line, f"source '{src.title}' has no key: add `key:` as its first field"
                )
            )
        elif src.key in listed:
            problems.append(
                CorpusError(
                    path,
                    line,
                    f"source key '{src.key}' repeats the source on line {listed[src.key]}",
                )
            )
        else:
            listed[src.key] = line
    used: set[str] = set()
    for b in blocks:
        for ref in b.refs:
            line = body_line + ref.line - 1
            used.add(ref.key)
            if b.kind == "heading":
                problems.append(
                    CorpusError(
                        path, line, f"heading has a reference [^{ref.key}]: headings take none"
                    )
                )
            elif ref.key not in listed:
                known = ", ".join(listed) or "none"
                problems.append(
                    CorpusError(
                        path, line, f"reference [^{ref.key}] names no listed source (keys: {known})"
                    )
                )
        if b.kind in ("paragraph", "item"):
            unkeyed = [k for k in b.spans if not k.keys]
            if unkeyed:
                what = "list item" if b.kind == "item" else "paragraph"
                snippet = b.text[unkeyed[0].start : unkeyed[0].end][:60]
                problems.append(
                    CorpusError(
                        path,
                        body_line + b.line - 1,
                        f'{what} has no source reference for "{snippet}…": end it with [^key]',
                    )
                )
    for key, line in listed.items():
        if key not in used:
            problems.append(
                CorpusError(path, line, f"source '{key}' is listed but no reference uses it")
            )
    return sorted(problems, key=lambda e: e.line)


def _key_line(raw: str, loc: tuple[str | int, ...]) -> int:
    """1-based line of a front-matter field such as ('sources', 1, 'url'), for error messages."""
    lines = raw.splitlines()
    at = 0
    for part in loc:
        if isinstance(part, int):
            items = [i for i in range(at, len(lines)) if re.match(r"^\s*-\s", lines[i])]
            if part >= len(items):
                break
            at = items[part]
            continue
        for i in range(at, len(lines)):
            if re.match(rf"^\s*(?:-\s+)?{re.escape(str(part))}\s*:", lines[i]):
                at = i
                break
        else:
            break
    return at + 1


def parse_document(path: Path, data: bytes | None = None) -> Document:
    """Parse one file; raise CorpusError naming file and line on any problem.

    A document that uses keys or references must use them throughout (see the module doc).
    """
    doc, problems, keyed = _parse(path, data)
    if keyed and problems:
        raise problems[0]
    return doc


def read_with_problems(path: Path) -> tuple[Document, list[CorpusError]]:
    """The document even when its provenance is incomplete, and every provenance problem by line.

    Raises CorpusError only for what stops any parse (front matter, encoding, empty body).
    """
    doc, problems, _keyed = _parse(path, None)
    return doc, problems


def document_problems(path: Path) -> list[CorpusError]:
    """Every problem of one file, each with its line: the parse error, or all provenance gaps."""
    try:
        return read_with_problems(path)[1]
    except CorpusError as e:
        return [e]


def _decode(path: Path, data: bytes) -> str:
    """The file's text; anything that is not a Markdown file with front matter is named by line."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CorpusError(
            path, line, f"not UTF-8 text (byte {e.start}); save the file as UTF-8"
        ) from None
    if not raw.strip():
        raise CorpusError(path, 1, "the file is empty")
    if not raw.lstrip("\ufeff").startswith("---"):
        raise CorpusError(path, 1, "no front matter: the file must start with a '---' line")
    if len(_FM_CLOSE.findall(raw.lstrip("\ufeff"))) < 2:
        raise CorpusError(
            path, 1, "the front matter is never closed: add a '---' line after its last field"
        )
    return raw


def _front_matter(path: Path, raw: str) -> tuple[frontmatter.Post, FrontMatter]:
    """The parsed file and its validated front matter, a YAML or field error named by its line."""
    try:
        post = frontmatter.loads(raw.lstrip("\ufeff"))
    except yaml.YAMLError as e:
        # Parser errors carry a mark; reader errors (control characters) an offset into what
        # YAML read, which starts at the end of the opening '---'.
        mark, position = getattr(e, "problem_mark", None), getattr(e, "position", None)
        front = raw.lstrip("\ufeff")[3:]
        line = mark.line + 1 if mark is not None else front[: position or 0].count("\n") + 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CorpusError(path, line, f"front matter is not valid YAML: {problem}") from None
    except Exception as e:
        raise CorpusError(path, 1, f"front matter cannot be read: {e}") from None
    try:
        return post, FrontMatter.model_validate(post.metadata)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        loc = err["loc"][:-1] if err["type"] == "missing" else err["loc"]
        line = _key_line(raw, tuple(loc)) if loc else 1
        raise CorpusError(path, line, f"front matter field '{field}': {err['msg']}") from None


def _parse(path: Path, data: bytes | None) -> tuple[Document, list[CorpusError], bool]:
    """The document, its provenance problems, and whether it is written with keys and references."""
    data = path.read_bytes() if data is None else data
    raw = _decode(path, data)
    post, meta = _front_matter(path, raw)
    body_line = raw.count("\n", 0, raw.find(post.content)) + 1 if post.content else 1
    blocks = markdown_to_blocks(post.content)
    if not blocks:
        raise CorpusError(path, body_line, "the document has no body text after its front matter")
    body, spans, statements = _render(blocks)
    doc_id = path.stem
    if not DOC_ID_RE.match(doc_id):
        raise CorpusError(
            path,
            1,
            f"file name '{path.name}' is not a valid id: use lowercase letters, digits and '-'",
        )
    keyed = any(s.key for s in meta.sources) or any(b.refs for b in blocks)
    problems = _provenance_problems(path, raw, meta.sources, blocks, body_line)
    doc = Document(
        doc_id=doc_id,
        title=meta.title.strip(),
        published=meta.published,
        topics=[str(t) for t in meta.topics],
        sources=meta.sources,
        body=body,
        blocks=spans,
        statements=statements if keyed else [],
        content_hash=hashlib.sha256(data).hexdigest(),
        path=str(path),
    )
    return doc, problems, keyed


DEFAULT_MAX_DOCUMENT_BYTES = 1_048_576


def corpus_files(corpus_dir: Path, skipped: list[str] | None = None) -> list[Path]:
    """Every Markdown document inside the corpus folder, in a stable order.

    A link that resolves outside the folder (or nowhere) is never followed: it is logged
    by name, listed in `skipped` and left out, so it can neither leak another file into
    the index nor block the build.
    """
    if not corpus_dir.is_dir():
        raise CorpusError(corpus_dir, 0, "the corpus folder does not exist")
    root = corpus_dir.resolve()
    found: list[Path] = []
    for p in sorted(corpus_dir.rglob("*.md")):
        if p.name.startswith("."):
            continue
        target = p.resolve()  # through every link, of the file or of a folder above it
        if not target.exists():
            if not p.is_symlink():
                continue  # deleted while listed
            reason = "a link to nothing"
        elif not target.is_relative_to(root):
            reason = "a link to a file outside the corpus folder, not followed"
        elif not target.is_file():
            continue
        else:
            found.append(p)
            continue
        log.warning("%s: %s; skipped", p, reason)
        if skipped is not None:
            skipped.append(f"{p}: {reason}")
    return found


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Document:
    """Parse one corpus file, refusing one over `max_bytes` before reading it whole."""
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            path,
            0,
            f"the file is {size:,} bytes, over the limit of {max_bytes:,} (QA_MAX_DOCUMENT_BYTES): "
            "split it into documents of one subject each",
        )
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)  # it may have grown since the check
    if len(data) > max_bytes:
        raise CorpusError(
            path, 0, f"the file is over the limit of {max_bytes:,} bytes (QA_MAX_DOCUMENT_BYTES)"
        )
    return parse_document(path, data)


def load_corpus(
    corpus_dir: Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES, skipped: list[str] | None = None
) -> list[Document]:
    """Parse and validate the whole corpus; ids must be unique."""
    docs: list[Document] = []
    seen: dict[str, Path] = {}
    for path in corpus_files(corpus_dir, skipped):
        doc = read_document(path, max_bytes)
        if doc.doc_id in seen:
            raise CorpusError(path, 1, f"document id '{doc.doc_id}' repeats {seen[doc.doc_id]}")
        seen[doc.doc_id] = path
        docs.append(doc)
    if not docs:
        raise CorpusError(corpus_dir, 0, "the corpus folder holds no .md documents")
    return docs
