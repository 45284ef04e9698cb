"""Load and validate corpus documents: Markdown files with YAML front matter -> Document.

Every problem is raised as a CorpusError that names the file and the line, so an editor
can fix it; nothing half-parsed ever reaches the index.
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
BLOCK_SEPARATOR = "\n\n"
_FM_CLOSE = re.compile(r"^-{3,}\s*$", re.MULTILINE)


class CorpusError(ValueError):
    """A corpus file that cannot be used, with where and why."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


class Source(BaseModel):
    """Where a document's facts come from."""

    model_config = ConfigDict(extra="forbid")
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


class Document(BaseModel):
    """A validated corpus document; `body` is the plain text that offsets refer to."""

    doc_id: str
    title: str
    published: dt.date
    topics: list[str]
    sources: list[Source]
    body: str
    blocks: list[Block]
    content_hash: str
    path: str

    @property
    def url(self) -> str | None:
        """The first source's address: where a reader can check the document."""
        return str(self.sources[0].url) if self.sources else None


def _render(blocks: list[TextBlock]) -> tuple[str, list[Block]]:
    parts: list[str] = []
    spans: list[Block] = []
    pos = 0
    for b in blocks:
        if parts:
            pos += len(BLOCK_SEPARATOR)
        spans.append(Block(kind=b.kind, start=pos, end=pos + len(b.text), level=b.level))
        parts.append(b.text)
        pos += len(b.text)
    return BLOCK_SEPARATOR.join(parts), spans


def _key_line(raw: str, loc: tuple) -> int:
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
    """Parse one file; raise CorpusError naming file and line on any problem."""
    data = path.read_bytes() if data is None else data
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CorpusError(path, line, f"not UTF-8 text (byte {e.start}); save the file as UTF-8") from None
    if not raw.strip():
        raise CorpusError(path, 1, "the file is empty")
    if not raw.lstrip("\ufeff").startswith("---"):
        raise CorpusError(path, 1, "no front matter: the file must start with a '---' line")
    if len(_FM_CLOSE.findall(raw.lstrip("\ufeff"))) < 2:
        raise CorpusError(path, 1, "the front matter is never closed: add a '---' line after its last field")
    try:
        post = frontmatter.loads(raw.lstrip("\ufeff"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        position = getattr(e, "position", None)  # reader errors (control characters) carry an offset
        front = raw.lstrip("\ufeff")[3:]  # what YAML read: from the end of the opening '---'
        line = mark.line + 1 if mark is not None else front[:position].count("\n") + 1 if position is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CorpusError(path, line, f"front matter is not valid YAML: {problem}") from None
    except Exception as e:  # noqa: BLE001 - any parser failure is the file's fault
        raise CorpusError(path, 1, f"front matter cannot be read: {e}") from None
    try:
        meta = FrontMatter.model_validate(post.metadata)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        loc = err["loc"][:-1] if err["type"] == "missing" else err["loc"]
        line = _key_line(raw, tuple(loc)) if loc else 1
        raise CorpusError(path, line, f"front matter field '{field}': {err['msg']}") from None
    body_line = raw.count("\n", 0, raw.find(post.content)) + 1 if post.content else 1
    blocks = markdown_to_blocks(post.content)
    if not blocks:
        raise CorpusError(path, body_line, "the document has no body text after its front matter")
    body, spans = _render(blocks)
    doc_id = path.stem
    if not DOC_ID_RE.match(doc_id):
        raise CorpusError(path, 1, f"file name '{path.name}' is not a valid id: use lowercase letters, digits and '-'")
    return Document(
        doc_id=doc_id,
        title=meta.title.strip(),
        published=meta.published,
        topics=[str(t) for t in meta.topics],
        sources=meta.sources,
        body=body,
        blocks=spans,
        content_hash=hashlib.sha256(data).hexdigest(),
        path=str(path),
    )


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
            path, 0,
            f"the file is {size:,} bytes, over the limit of {max_bytes:,} (QA_MAX_DOCUMENT_BYTES): "
            "split it into documents of one subject each",
        )
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)  # it may have grown since the check
    if len(data) > max_bytes:
        raise CorpusError(path, 0, f"the file is over the limit of {max_bytes:,} bytes (QA_MAX_DOCUMENT_BYTES)")
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
