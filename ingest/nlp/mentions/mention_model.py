"""The trained mention finder: names the rule stages missed, found by a CRF over tokens.

Mention finding by catalog, spaCy's NER and rules misses names that are in no catalog and fit no
rule (鸿蒙, 小鹏G9, "Ray-Ban Meta"). This linear-chain CRF tags tokens with BIO labels of the six
entity types. Its tokens are cheap on purpose (no segmenter): one token per CJK character, per run of
Latin letters and digits, per other symbol. Its features are the token, its neighbours and shapes,
and the rule stages' own mentions (their type, as B/I tags), so it learns both to trust the rules and
where they stop short. Only spans that overlap no proposed mention are added, as new entities.

Trained on the gold names of annotated articles, placed in the text where they occur (the gold format
has no offsets: the longest name or alias is tagged first).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.model import Entity, Mention

TYPES: tuple[str, ...] = ("Vendor", "Product", "Standard", "Organization", "Person", "Event")
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+(?:[-.+&'’][A-Za-z0-9]+)*\+?|\S")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MODEL_FILE = "mentions.crfsuite"
MAX_SPAN_TOKENS = 12  # a longer tagged span is a tagging accident, not a name
_SENT_END = frozenset("。！？!?；;\n")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(t: str) -> str:
    if _CJK.match(t):
        return "中"
    s = re.sub(r"[A-Z]+", "A", t)
    s = re.sub(r"[a-z]+", "a", s)
    return re.sub(r"[0-9]+", "9", s)[:6]


def _bio(toks: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """B-/I- tags of the (start, end, type) spans over the tokens they cover whole ("O" elsewhere)."""
    tags = ["O"] * len(toks)
    starts = [t.start for t in toks]
    for s, e, typ in spans:
        i = bisect.bisect_left(starts, s)
        first = True
        while i < len(toks) and toks[i].end <= e:
            tags[i] = ("B-" if first else "I-") + typ
            first = False
            i += 1
    return tags


def _rule_tags(toks: Sequence[Token], entities: Sequence[Entity]) -> list[str]:
    """B-/I- tags of the proposed mentions over the tokens ("O" elsewhere)."""
    return _bio(toks, ((m.start, m.end, e.type) for e in entities for m in e.mentions))


def features(toks: Sequence[Token], rule_tags: Sequence[str]) -> list[list[str]]:
    """One list of feature strings per token."""
    low = [t.text.lower() for t in toks]
    shp = [_shape(t.text) for t in toks]
    n = len(toks)
    out: list[list[str]] = []
    for i in range(n):
        w = low[i]
        f = ["w=" + w, "s=" + shp[i], "r=" + rule_tags[i], "p3=" + w[:3], "x3=" + w[-3:]]
        if toks[i].text[:1].isupper():
            f.append("title")
        if i:
            f += ["w-1=" + low[i - 1], "s-1=" + shp[i - 1], "b-=" + low[i - 1] + "|" + w, "r-1=" + rule_tags[i - 1]]
            if toks[i].start > toks[i - 1].end:
                f.append("sp-")
        else:
            f.append("BOS")
        if i + 1 < n:
            f += ["w+1=" + low[i + 1], "s+1=" + shp[i + 1], "b+=" + w + "|" + low[i + 1], "r+1=" + rule_tags[i + 1]]
        else:
            f.append("EOS")
        if i > 1:
            f.append("w-2=" + low[i - 2])
        if i + 2 < n:
            f.append("w+2=" + low[i + 2])
        out.append(f)
    return out


def sentences(toks: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges of sentences (the CRF's sequences), at most 200 tokens each."""
    out, start = [], 0
    for i, t in enumerate(toks):
        if t.text in _SENT_END or t.text == "." and i + 1 < len(toks) and toks[i + 1].text[:1].isupper() \
                or i - start >= 199:
            out.append((start, i + 1))
            start = i + 1
    if start < len(toks):
        out.append((start, len(toks)))
    return out


def gold_tags(text: str, toks: Sequence[Token], gold_entities: Sequence[dict]) -> list[str]:
    """BIO tags of the gold names where they occur in the text (longest names first, no overlaps)."""
    names = sorted({(a, g["type"]) for g in gold_entities for a in [g["name"], *(g.get("aliases") or [])]
                    if a and len(a) >= 2}, key=lambda x: -len(x[0]))
    taken = [False] * len(text)
    spans: list[tuple[int, int, str]] = []
    for name, typ in names:
        for m in re.finditer(re.escape(name), text):
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            # whole tokens only: "Arm" must not tag inside "Harmony"
            if (s and text[s - 1].isalnum() and not _CJK.match(text[s - 1])) or \
                    (e < len(text) and text[e].isalnum() and not _CJK.match(text[e]) and not _CJK.match(text[e - 1])):
                continue
            for k in range(s, e):
                taken[k] = True
            spans.append((s, e, typ))
    return _bio(toks, spans)


class MentionModel:
    """A CRF over tokens (the crfsuite model held as bytes); ``find`` returns the new entities it names."""

    def __init__(self, data: bytes) -> None:
        import pycrfsuite

        self.data = data
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(data)

    @classmethod
    def fit(cls, items: Sequence[tuple[str, Sequence[Entity], Sequence[dict]]], *, c1: float = 0.05,
            c2: float = 0.05, iterations: int = 100) -> MentionModel:
        """Train on (text, proposed entities, gold entities) triples."""
        import tempfile

        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        for text, ents, gold in items:
            toks = tokenize(text)
            feats = features(toks, _rule_tags(toks, ents))
            tags = gold_tags(text, toks, gold)
            for a, b in sentences(toks):
                trainer.append(feats[a:b], tags[a:b])
        trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                            "feature.possible_transitions": True})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / MODEL_FILE
            trainer.train(str(path))
            return cls(path.read_bytes())

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MODEL_FILE).write_bytes(self.data)

    @classmethod
    def load(cls, folder: Path) -> MentionModel:
        return cls((folder / MODEL_FILE).read_bytes())

    def spans(self, text: str, entities: Sequence[Entity]) -> list[tuple[int, int, str]]:
        """(start, end, type) of every tagged name that overlaps none of the proposed mentions."""
        toks = tokenize(text)
        rule = _rule_tags(toks, entities)
        feats = features(toks, rule)
        out: list[tuple[int, int, str]] = []
        for a, b in sentences(toks):
            tags = self.tagger.tag(feats[a:b])
            i = 0
            while i < len(tags):
                if tags[i] == "O":
                    i += 1
                    continue
                typ = tags[i][2:]
                j = i + 1
                while j < len(tags) and tags[j] == "I-" + typ:
                    j += 1
                if j - i <= MAX_SPAN_TOKENS and all(r == "O" for r in rule[a + i:a + j]):
                    out.append((toks[a + i].start, toks[a + j - 1].end, typ))
                i = j
        return out

    def find(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        """New entities for the tagged names that are none of the proposed ones."""
        known = {n.casefold() for e in entities for n in [e.name, *e.aliases]}
        new: dict[tuple[str, str], Entity] = {}
        for s, e, typ in self.spans(text, entities):
            name = text[s:e].strip()
            if len(name) < 2 or name.casefold() in known:
                continue
            ent = new.setdefault((typ, name), Entity(name=name, type=typ))
            ent.mentions.append(Mention(s, e, text[s:e]))
        return list(new.values())
