"""Lint corpus documents for the keyed-source format, without loading the service.

Checks what an editor can get wrong by hand: the front matter parses; every source has
`key` first, then `title` and `url`, with unique keys and URLs; every paragraph and list
item ends with footnote references; every listed key is used and every reference is listed.
Usage: python scripts/check_corpus_refs.py corpus/*.md  (exit status 1 if any file fails)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REF_RE = re.compile(r"\[\^([^\]]+)\]")
ENDS_WITH_REF = re.compile(r"(\[\^[a-z0-9-]+\])+\s*$")
LIST_ITEM = re.compile(r"^\s*([-*]|\d+\.)\s")


def blocks(body: str) -> list[str]:
    """Paragraphs and list items of a Markdown body, headings left out."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", body.strip()):
        lines = [line for line in para.strip().splitlines() if line.strip()]
        if not lines or lines[0].lstrip().startswith("#"):
            continue
        if all(LIST_ITEM.match(line) for line in lines):
            out.extend(lines)
        else:
            out.append(" ".join(lines))
    return out


def problems(path: Path) -> list[str]:
    """Every format problem found in one document, as readable sentences."""
    raw = path.read_text(encoding="utf-8")
    parts = raw.split("---\n", 2)
    if len(parts) < 3 or parts[0].strip():
        return ["no front matter between '---' lines"]
    meta = yaml.safe_load(parts[1]) or {}
    body = parts[2]
    errs = [f"front matter lacks '{k}'" for k in ("title", "published", "topics", "sources") if k not in meta]
    sources = meta.get("sources") or []
    keys = [str(s.get("key", "")) for s in sources]
    for s in sources:
        if list(s)[:1] != ["key"]:
            errs.append(f"source without 'key' as first field: {s.get('title')}")
        if set(s) != {"key", "title", "url"}:
            errs.append(f"source fields should be key, title, url: {sorted(s)}")
        if not KEY_RE.match(str(s.get("key", ""))):
            errs.append(f"bad key {s.get('key')!r}")
    if len(keys) != len(set(keys)):
        errs.append("duplicate keys")
    urls = [s.get("url") for s in sources]
    if len(urls) != len(set(urls)):
        errs.append("duplicate source URLs")
    used = set(REF_RE.findall(body))
    errs += [f"listed but never referenced: {k}" for k in sorted(set(keys) - used)]
    errs += [f"referenced but not listed: {k}" for k in sorted(used - set(keys))]
    errs += [f"ends without a reference: ...{b[-70:]}" for b in blocks(body) if not ENDS_WITH_REF.search(b)]
    return errs


def main(argv: list[str]) -> int:
    """Check each file named on the command line; print one line per file and its problems."""
    failed = 0
    for name in argv:
        path = Path(name)
        errs = problems(path)
        words = len(REF_RE.sub("", path.read_text(encoding="utf-8").split("---\n", 2)[-1]).split())
        print(f"{path.name}: {len(errs)} problems, {words} words")
        for e in errs:
            print(f"    {e}")
        failed += bool(errs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
