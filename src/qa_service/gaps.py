"""Coverage gaps: the questions the corpus declined or readers voted down, grouped by subject.

The logged questions are embedded with the service's own model and grouped with
scikit-learn's agglomerative clustering (complete linkage under a cosine-distance
threshold, so every two questions in a cluster are at most `QA_GAPS_DISTANCE` apart and
the number of clusters need not be guessed). Each cluster says how many asked, three
example questions, and the documents of the index in service that come nearest, so a
curator sees "4 people asked about football; nearest: culture-education-heritage".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import numpy as np
from pydantic import BaseModel, Field
from sklearn.cluster import AgglomerativeClustering

from qa_service.embedding import Embedder, normalize
from qa_service.question_log import LoggedQuestion, QuestionLog, utcnow
from qa_service.retrieval import Retriever

MAX_QUESTIONS = (
    5000  # newest gap questions clustered: the pairwise distances take n² memory (5k: 100 MB)
)
EXAMPLES = 3
NEAREST_DOCS = 3
PASSAGES_PER_QUESTION = 20  # passages searched per question to find the nearest documents
_SINCE_RE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


class NearDocument(BaseModel):
    """A document of the index in service that comes near a cluster's questions."""

    doc_id: str
    title: str
    score: float = Field(
        description="Mean over the cluster's questions of the cosine to this document's best passage."
    )


class GapCluster(BaseModel):
    """Questions on one subject that the corpus did not answer well."""

    count: int = Field(
        description="Questions in the cluster (every time a question was asked counts)."
    )
    declined: int = Field(description="Of them, declined as not covered by the corpus.")
    thumbs_down: int = Field(description="Of them, answered but voted down by the reader.")
    examples: list[str] = Field(
        description="Up to three distinct questions, the most typical first."
    )
    comments: list[str] = Field(
        description="Up to three readers' comments on voted-down answers, newest first."
    )
    nearest: list[NearDocument] = Field(description="The nearest documents, best first.")
    first_asked: str
    last_asked: str


class GapsReport(BaseModel):
    """`qa-service gaps --json` and `GET /api/admin/gaps`."""

    since: str = Field(description="Questions asked from this time on (UTC) are counted.")
    questions: int = Field(
        description="Declined or voted-down questions found in the log since then."
    )
    clusters: list[GapCluster] = Field(description="Largest first.")
    index_version: str
    distance: float = Field(description="The clustering threshold used (QA_GAPS_DISTANCE).")


def parse_since(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """'30d', '12h', '2w' back from now, or an ISO date/time; ValueError with a usable message otherwise."""
    now = now or utcnow()
    m = _SINCE_RE.match(value)
    if m:
        return now - dt.timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    try:
        t = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"since must be like 30d, 12h, 2w or an ISO date such as 2026-11-01, not {value[:40]!r}"
        ) from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def cluster_labels(vectors: np.ndarray, distance: float) -> np.ndarray:
    """A cluster label per row: complete linkage, every pair within a cluster at most `distance` apart."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="complete"
    )
    return np.asarray(model.fit_predict(vectors))


def _nearest(retriever: Retriever, vectors: np.ndarray) -> list[NearDocument]:
    """Documents ranked by the mean, over the questions, of the cosine to each one's best passage."""
    data = retriever.data
    total: dict[str, float] = defaultdict(float)
    for v in vectors:
        best: dict[str, float] = {}
        for row, score in retriever.dense(v, PASSAGES_PER_QUESTION):
            doc = data.chunks[row].doc_id
            best[doc] = max(best.get(doc, -1.0), score)
        for doc, score in best.items():
            total[doc] += score
    ranked = sorted(total.items(), key=lambda kv: -kv[1])[:NEAREST_DOCS]
    return [
        NearDocument(
            doc_id=d,
            title=data.documents[d].title if d in data.documents else d,
            score=round(s / len(vectors), 3),
        )
        for d, s in ranked
    ]


def _cluster(members: list[LoggedQuestion], vecs: np.ndarray, retriever: Retriever) -> GapCluster:
    centre = normalize(vecs.mean(axis=0, keepdims=True))[0]
    order = np.argsort(-(vecs @ centre), kind="stable")
    examples: list[str] = []
    for i in order:
        text = members[i].question.strip()
        if text.lower() not in {e.lower() for e in examples}:
            examples.append(text)
        if len(examples) == EXAMPLES:
            break
    newest_first = sorted(members, key=lambda q: q.asked_at, reverse=True)
    return GapCluster(
        count=len(members),
        declined=sum(not q.found for q in members),
        thumbs_down=sum(q.found and q.rating == "down" for q in members),
        examples=examples,
        comments=[q.comment for q in newest_first if q.rating == "down" and q.comment][:EXAMPLES],
        nearest=_nearest(retriever, vecs),
        first_asked=min(q.asked_at for q in members).isoformat(timespec="seconds"),
        last_asked=max(q.asked_at for q in members).isoformat(timespec="seconds"),
    )


def find_gaps(
    log: QuestionLog,
    embedder: Embedder,
    retriever: Retriever,
    since: dt.datetime,
    distance: float,
    limit: int | None = None,
) -> GapsReport:
    """Cluster the declined and voted-down questions asked since `since`, largest cluster first."""
    rows = log.gaps_since(since, limit=MAX_QUESTIONS)
    clusters: list[GapCluster] = []
    if rows:
        texts = sorted({q.question for q in rows})
        unique = embedder.encode(texts)  # a question asked 12 times is embedded once
        pos = {t: i for i, t in enumerate(texts)}
        vecs = unique[[pos[q.question] for q in rows]]
        labels = cluster_labels(vecs, distance)
        for label in np.unique(labels):
            idx = np.flatnonzero(labels == label)
            clusters.append(_cluster([rows[i] for i in idx], vecs[idx], retriever))
        clusters.sort(
            key=lambda c: (-c.count, c.first_asked)
        )  # within a size, the subject asked about first
    return GapsReport(
        since=since.isoformat(timespec="seconds"),
        questions=len(rows),
        clusters=clusters[:limit] if limit else clusters,
        index_version=retriever.data.version,
        distance=distance,
    )


def format_report(report: GapsReport) -> str:
    """The report as a curator reads it on a terminal."""
    if not report.clusters:
        return f"no declined or voted-down questions since {report.since}"
    lines = [
        f"{report.questions} questions declined or voted down since {report.since}, "
        f"in {len(report.clusters)} clusters shown (index {report.index_version})"
    ]
    for i, c in enumerate(report.clusters, 1):
        lines.append(
            f"\n{i}. {c.count} questions ({c.declined} declined, {c.thumbs_down} voted down), last {c.last_asked}"
        )
        lines.extend(f"   - {e}" for e in c.examples)
        lines.extend(f"   comment: {m}" for m in c.comments)
        near = ", ".join(f"{d.doc_id} ({d.score:.2f})" for d in c.nearest) or "none"
        lines.append(f"   nearest documents: {near}")
    return "\n".join(lines)
