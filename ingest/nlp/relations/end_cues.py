"""Whether a relation's evidence says the relation stopped (a pure cue detector).

"CoreOS ended its partnership with Docker", "Docker and CoreOS are no longer rivals",
"微软与该公司终止合作", "两家公司不再是竞争对手": the extractor may still find the pair and
the predicate, but the fact is over. Such relations are kept with ``status="ended"``
so the graph knows when an edge stopped, instead of being stated as holding or dropped.

The cues are data (``data/end_cues.json``). The hook takes a relation and its evidence
sentence and returns a status, so it works whatever produced the relation (rules or a
trained classifier): ``relations_common.finalize_relations`` calls it on every relation.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from kg.model import ENDED, Relation

CUES_PATH = Path(__file__).resolve().parent / "data" / "end_cues.json"
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=4)
def _patterns(path: str = str(CUES_PATH)) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(English whole-word pattern, Chinese substring pattern) compiled from the cue file."""
    cues = json.loads(Path(path).read_text(encoding="utf-8"))
    en = sorted({c.strip().lower() for c in cues.get("en", []) if c.strip()}, key=len, reverse=True)
    zh = sorted({c.strip() for c in cues.get("zh", []) if c.strip()}, key=len, reverse=True)
    en_re = re.compile(r"\b(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in en) + r")\b",
                       re.IGNORECASE) if en else re.compile(r"(?!)")
    zh_re = re.compile("|".join(re.escape(c) for c in zh)) if zh else re.compile(r"(?!)")
    return en_re, zh_re


def end_cue(sentence: str) -> str | None:
    """The first end cue in the sentence (as written), or None."""
    if not sentence:
        return None
    en_re, zh_re = _patterns()
    hits = [m for m in (en_re.search(sentence), zh_re.search(sentence) if _CJK.search(sentence) else None) if m]
    if not hits:
        return None
    return min(hits, key=lambda m: m.start()).group(0)


def relation_status(relation: Relation, sentence: str | None = None) -> str | None:
    """``"ended"`` when the evidence (or the given sentence) carries an end cue, else the relation's status."""
    if end_cue(sentence if sentence is not None else relation.evidence):
        return ENDED
    return relation.status


__all__ = ["CUES_PATH", "end_cue", "relation_status"]
