"""Spanish cases whose English twin fared otherwise, with the English the service read them as.

From the JSON of `qa-service eval --out`, over the question sets named (default: the tuning
sets with Spanish cases): each Spanish case that fails where its English twin (`pair`) passes,
and each that passes where the twin fails, with the translation the service searched and, for
a follow-up, its earlier questions' translations too. Only the name table is built (no model,
no index), so it runs in seconds:

    PYTHONPATH=src .venv/bin/python scripts/spanish_pairs.py RESULT.json [SET.jsonl ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = [
    "eval/heldout6.jsonl",
    "eval/heldout5.jsonl",
    "eval/train.jsonl",
    "eval/heldout.jsonl",
    "eval/heldout2.jsonl",
    "eval/heldout3.jsonl",
    "eval/heldout4.jsonl",
]


def main(argv: list[str]) -> int:
    from qa_service.corpus import load_corpus
    from qa_service.evaluation import load_cases
    from qa_service.language import to_english
    from qa_service.spanish import CorpusNames

    if not argv:
        print(__doc__)
        return 2
    results = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    docs = load_corpus(ROOT / "corpus")
    names = CorpusNames.from_texts(f"{d.title}\n{d.body}" for d in docs)
    for name in argv[1:] or SETS:
        if name not in results:
            continue
        failed = set(results[name]["failed"])
        cases = load_cases(ROOT / name)
        by_id = {c.id: c for c in cases}
        spanish = [c for c in cases if c.kind == "spanish" and c.pair in by_id]
        es_ok = sum(c.id not in failed for c in spanish)
        en_ok = sum(str(c.pair) not in failed for c in spanish)
        print(f"\n{name}: {len(spanish)} pairs, Spanish {es_ok} ok, English twins {en_ok} ok")
        for c in spanish:
            twin = by_id[str(c.pair)]
            es, en = c.id not in failed, twin.id not in failed
            if es == en:
                continue
            print(f"  {'ES fails, EN passes' if en else 'ES passes, EN fails'}: {c.id} / {twin.id}")
            print(f"    es: {c.question}\n    ->  {to_english(c.question, names)}")
            for t in c.history:
                if t.role == "user":
                    print(f"    earlier: {t.content} -> {to_english(t.content, names)}")
            print(f"    en: {twin.question}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
