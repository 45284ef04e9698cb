"""Split new question cases into train and held-out, by a rule fixed before any tuning.

The rule: a case goes to held-out when the first byte of sha256 of its split key is below
102 (40 %), where the key is the case's `pair` (the English case a Spanish one translates)
when it has one and its `id` otherwise, so a Spanish case and its English twin fall on the
same side. Written and committed before any case existed; never changed after.

    python eval/split.py eval/parts/*.jsonl   # writes eval/heldout.jsonl and eval/train.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HELDOUT_BELOW = 102  # of 256: 40 % held out


def is_heldout(case: dict[str, object]) -> bool:
    """The fixed rule above."""
    key = str(case.get("pair") or case["id"])
    return hashlib.sha256(key.encode("utf-8")).digest()[0] < HELDOUT_BELOW


def main(paths: list[str]) -> None:
    heldout: list[str] = []
    train: list[str] = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                (heldout if is_heldout(json.loads(line)) else train).append(line)
    here = Path(__file__).parent
    (here / "heldout.jsonl").write_text("\n".join(heldout) + "\n", encoding="utf-8")
    (here / "train.jsonl").write_text("\n".join(train) + "\n", encoding="utf-8")
    print(f"held-out {len(heldout)}, train {len(train)}")


if __name__ == "__main__":
    main(sys.argv[1:])
