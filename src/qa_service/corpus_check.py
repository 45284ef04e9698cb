"""`qa-service check-corpus`: links and dates an editor must fix, each reported by file and line.

What the parser accepts can still point a reader at the wrong page: a Wikipedia mirror,
a CDN or staging copy of a newspaper, a document-copy site, an address a crawler mangled,
the same source twice, or a `published` date older than the newest date the body states.
The provenance rules of the format (keys, references) are checked here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import frontmatter

from qa_service.corpus import CorpusError, _key_line, corpus_files, read_with_problems
from qa_service.reading import MONTH_NAMES

_MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, start=1)}
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS)
# "1 February 2012" (the corpus style) and "February 1, 2012"
_FULL_DATE = re.compile(
    rf"\b(?:(\d{{1,2}}) ({_MONTH_RE}) (\d{{4}})|({_MONTH_RE}) (\d{{1,2}}), (\d{{4}}))\b"
)
# Paths a crawler produced rather than a publisher: a page name followed by more path
# ("…-558889.aspx/video-…aspx"), a host name or short-link host inside the path.
_ARTEFACTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.(aspx?|html?|jsp|cfm)/.", re.I), "a page name followed by more path"),
    (re.compile(r"/(www\.|bit\.ly/|https?:|t\.co/)", re.I), "another address inside the path"),
    (re.compile(r"[?&]utm_[a-z]+=", re.I), "tracking parameters"),
)


@dataclass(frozen=True)
class HostRule:
    """One deny-list line: what kind of copy a matching host is."""

    kind: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def host_rules() -> tuple[HostRule, ...]:
    """The deny-list of mirror, staging, copy and republication hosts (src/qa_service/data/mirror_hosts.txt)."""
    text = (
        resources.files("qa_service").joinpath("data/mirror_hosts.txt").read_text(encoding="utf-8")
    )
    rules: list[HostRule] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, pattern = line.partition(":")
        if not sep or not pattern.strip():
            raise ValueError(f"mirror_hosts.txt:{n}: expected '<kind>: <regex>', got {line!r}")
        rules.append(HostRule(kind.strip(), re.compile(pattern.strip(), re.I)))
    return tuple(rules)


_KIND_WORDS = {
    "mirror": "is a mirror: link the original (for Wikipedia, the Wikipedia article)",
    "staging": "is a CDN or staging host: link the outlet's public page",
    "copy": "is a document-copy site: link the publisher's original",
    "republication": "republishes others' stories: link the agency's or outlet's page",
}


def url_problems(url: str) -> list[str]:
    """Why one source address is not a publisher's clean, canonical link (empty: it is)."""
    if not isinstance(url, str) or not url:
        return ["has no URL"]
    if re.search(r"\s", url):
        return ["URL contains white space"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [f"URL {url!r} is not an http(s) address"]
    out: list[str] = []
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return [f"URL {url!r} has an invalid port"]
    if port is not None and (parts.scheme, port) in (("https", 443), ("http", 80)):
        out.append(f"URL names the default port {port}: drop ':{port}'")
    if host.endswith("."):
        out.append(f"host {host} ends with a dot")
    for pattern, what in _ARTEFACTS:
        if pattern.search(url[len(parts.scheme) + 3 + len(parts.netloc) :]):
            out.append(f"URL path looks like a crawler artefact ({what})")
    for rule in host_rules():
        if rule.pattern.search(host.rstrip(".")):
            out.append(f"host {host} {_KIND_WORDS.get(rule.kind, f'is a {rule.kind}')}")
            break
    return out


def _same_url(url: str) -> str:
    """A URL reduced so that trivial variants (scheme, www, trailing slash, case of host) compare equal."""
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower().removeprefix("www.").rstrip(".")
    return f"{host}{p.path.rstrip('/')}?{p.query}"


# A date a sentence gives as a term's end or a scheduled event, not as something that happened.
_SCHEDULED = re.compile(
    r"\b(?:until|till|scheduled for|set for|due on|due to (?:be held|end) on|planned for|"
    r"(?:take|takes|took|taken) office(?: as [\w ]+?)? on|(?:give|gives|gave) |runoff (?:of|on|for)|for)\s*(?:the\s+)?$",
    re.I,
)


def newest_body_date(body: str, today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """The latest full date written in a body ("1 February 2012"), with the text as written.

    Dates after `today` (a sentence's end, a term's scheduled close) state no event yet,
    so they do not count.
    """
    today = today or dt.date.today()
    best: tuple[dt.date, str] | None = None
    for m in _FULL_DATE.finditer(body):
        day, month, year = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (m.group(5), m.group(4), m.group(6))
        )
        try:
            d = dt.date(int(year), _MONTHS[month.lower()], int(day))
        except ValueError:
            continue
        if _SCHEDULED.search(body[max(0, m.start() - 40) : m.start()]):
            continue  # "until 26 July 2026", "scheduled for 12 April 2026": a date ahead, not an event
        if d <= today and (best is None or d > best[0]):
            best = (d, m.group(0))
    return best


def check_file(path: Path) -> list[CorpusError]:
    """Every problem of one document, in line order."""
    try:
        doc, problems = read_with_problems(path)
    except CorpusError as e:
        return [e]
    raw = path.read_bytes().decode("utf-8").lstrip("\ufeff")
    # as written: the parser normalises URLs; read_with_problems has checked the shape
    sources = cast(list[dict[str, Any]], frontmatter.loads(raw).metadata.get("sources") or [])
    seen: dict[str, int] = {}
    for i, src in enumerate(sources):
        line = _key_line(raw, ("sources", i, "url"))
        name = src.get("key") or src.get("title") or f"#{i + 1}"
        url = str(src.get("url") or "")
        for why in url_problems(url):
            problems.append(CorpusError(path, line, f"source '{name}': {why}"))
        same = _same_url(url)
        if same in seen:
            problems.append(
                CorpusError(
                    path, line, f"source '{name}': same URL as the source on line {seen[same]}"
                )
            )
        seen.setdefault(same, line)
    newest = newest_body_date(doc.body)
    if newest and newest[0] > doc.published:
        problems.append(
            CorpusError(
                path,
                _key_line(raw, ("published",)),
                f"published {doc.published.isoformat()} is older than the newest date in the body, "
                f"{newest[1]}: set it to {newest[0].isoformat()} or later",
            )
        )
    return sorted(problems, key=lambda e: e.line)


def check_corpus(corpus_dir: Path) -> list[CorpusError]:
    """Every problem of every document below `corpus_dir`, file by file."""
    out: list[CorpusError] = []
    for path in corpus_files(corpus_dir):
        out.extend(check_file(path))
    return out
