"""Answer every case twice in one process, QA_ACT_FIRST off then on; write two dumps in answers.py's Line format."""

import sys
from pathlib import Path

sys.path.insert(0, "scripts")
from answers import Line, tuning_sets

from qa_service.config import get_settings
from qa_service.evaluation import judge, load_cases
from qa_service.service import QAService

out_off, out_on = Path(sys.argv[1]), Path(sys.argv[2])
shard = sys.argv[3] if len(sys.argv) > 3 else "1/1"
wanted = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[4] else None
i, n = (int(x) for x in shard.split("/"))
paths = tuning_sets()
cases = [(p, c) for p in paths for c in load_cases(Path(p)) if wanted is None or c.id in wanted]
cases = cases[i - 1 :: n]
svc = QAService(get_settings())
with out_off.open("w") as f_off, out_on.open("w") as f_on:
    for path, case in cases:
        pr = svc.prepare(case.question, case.history)
        a = pr.state.answerer
        for flag, f in ((False, f_off), (True, f_on)):
            a.options.act_first = flag
            composed, hits = a.answer(pr.resolved, pr.qvec, pr.hits, pr.alone, pr.parts)
            texts = [pr.state.data.chunks[h.row].text for h in hits[:5]]
            o = judge(case, composed, texts)
            line = Line(
                id=case.id,
                set=path,
                kind=case.kind,
                question=case.question,
                ok=o.ok,
                first=o.first_ok,
                found=o.found,
                answer=o.answer,
            )
            f.write(line.model_dump_json() + "\n")
print(len(cases), "cases")
