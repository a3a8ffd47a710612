"""Linking: all mentions of one thing become one entity, with one type.

Mentions are grouped by catalog entry or by a normalised key (case, punctuation,
possessive and "Inc."-style suffixes ignored), then short forms are folded into
the long form they abbreviate: acronyms defined in the text ("Federal Trade
Commission (FTC)") or matching a long form's initials, a person's surname, the
bare product name after "Vendor Product". Type votes are summed per group; a name
used both for a company and its product is split by each mention's context.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.nlp.mentions.en_lexicon import (
    CORP_DESIGNATORS,
    CORP_SUFFIXES,
    GIVEN_NAMES,
    ORG_WORDS,
    WEAK_ORG_WORDS,
)
from ingest.nlp.mentions.en_mentions import Cand, is_model_tail, name_key
from kg.model import Entity, Mention

SPLIT_TYPES = ("Vendor", "Product")


@dataclass
class Group:
    """Mentions believed to name one thing (before the company/product split)."""

    cands: list[Cand] = field(default_factory=list)
    catalog: object | None = None  # CatalogEntry when linked to the catalog

    @property
    def votes(self) -> Counter:
        v: Counter = Counter()
        for c in self.cands:
            v.update(c.votes)
        return v

    def forms(self) -> list[str]:
        return [c.text for c in self.cands]


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][\w-]*", name)
    return "".join(w[0] for w in words if w[0].isupper())


def _is_multiword(name: str) -> bool:
    return len(name.split()) >= 2


def _hyphen_model(long: str, short: str) -> bool:
    """'Cepheus-1-36Q' is the model 'Cepheus' names: the short name, a hyphen, a number."""
    return len(short) >= 3 and " " not in long and long.startswith(short + "-") \
        and long[len(short) + 1:][:1].isdigit()


def _catalog_tail(c: Cand, cands: list[Cand], gazetteer) -> object | None:
    """'Atlas' for the catalog's 'MongoDB Atlas' when the article also names MongoDB."""
    if gazetteer is None or " " in c.text.strip():
        return None
    names = {x.key for x in cands}
    for e in gazetteer.products_by_tail(c.text):
        head = e.name[: -len(c.text)].strip()
        if name_key(head) in names:
            return e
    return None


def _relink_short_aliases(cands: list[Cand]) -> None:
    """'LG' in an article about 'LG Energy Solution': a one-word catalog alias of another
    company ('LG' for LG Electronics) means the longer company the article names, when the
    alias's own entry is never named in full."""
    for c in cands:
        if len(c.entries) != 1 or " " in c.text.strip() or c.entries[0].type != "Vendor":
            continue
        entry = c.entries[0]
        if entry.name.casefold() == c.text.strip().casefold():
            continue  # the entry's own name ("Google"), not an alias
        if any(x.entries == c.entries and x.key != c.key for x in cands):
            continue  # the entry is named in full somewhere
        longer = {x.key: x for x in cands if x is not c and x.text.startswith(c.text.strip() + " ")
                  and not any(e.type != "Vendor" for e in x.entries)
                  and x.votes.get("Vendor", 0) >= max(x.votes.get("Product", 0), x.votes.get("Person", 0))
                  and x.votes.get("Vendor", 0) > 0}
        if len(longer) != 1:
            continue
        target = next(iter(longer.values()))
        c.entries = list(target.entries)
        c.key_override = target.key
        c.votes = Counter({"Vendor": 0.5})


def _relink_defined_acronyms(cands: list[Cand]) -> None:
    """'the Open Container Project (OCP)': an acronym the article defines means that long form,
    whatever else the catalog files it under ('OCP' is also the Open Compute Project). Every
    mention of the acronym in the article follows its definition."""
    meaning: dict[str, Cand] = {}
    for c in cands:
        a = c.abbrev
        if a is not None and a.key not in meaning and {e.id for e in a.entries} != {e.id for e in c.entries}:
            meaning[a.key] = c
    for c in cands:
        long = meaning.get(c.key)
        if long is None or c is long:
            continue
        c.entries = list(long.entries)
        if not long.entries:
            c.defines = long.text  # grouped by the long form's own key
        c.votes = Counter(long.votes) or c.votes


def group_mentions(cands: list[Cand], gazetteer=None) -> list[Group]:
    """Cluster candidate mentions into groups of one referent each."""
    groups: dict[str, Group] = {}
    order: list[str] = []

    def add(key: str, c: Cand, entry=None) -> None:
        if key not in groups:
            groups[key] = Group(catalog=entry)
            order.append(key)
        groups[key].cands.append(c)

    def cat_key(entries) -> str:
        # ambiguous catalog forms (company + product) share one group, split later
        return "cat:" + "|".join(sorted(e.id for e in entries))

    _relink_defined_acronyms(cands)
    _relink_short_aliases(cands)
    pending: list[Cand] = []
    for c in cands:
        if c.entries:
            add(cat_key(c.entries), c, c.entries[0] if len(c.entries) == 1 else c.entries)
        elif c.abbrev is not None and c.abbrev.entries:
            # "Amazon Elastic Compute Service for Kubernetes (EKS)": the catalog knows EKS
            es = c.abbrev.entries
            add(cat_key(es), c, es[0] if len(es) == 1 else es)
        else:
            pending.append(c)
    # name keys of catalog groups, so "Docker Inc" finds the catalog's "Docker Inc."
    cat_keys: dict[str, str] = {}
    for k in order:
        for c in groups[k].cands:
            cat_keys.setdefault(c.key, k)
    for c in pending:
        tail = _catalog_tail(c, cands, gazetteer)
        if tail is not None:
            add(cat_key([tail]), c, tail)
            continue
        key = cat_keys.get(c.key) or cat_keys.get(name_key(c.defines)) if c.defines else cat_keys.get(c.key)
        if key is None:
            key = "key:" + (name_key(c.defines) if c.defines else c.key)
        add(key, c)
    _fold_short_forms(groups, order)
    return [groups[k] for k in order if k in groups]


def _fold_short_forms(groups: dict[str, Group], order: list[str]) -> None:
    """Merge a group into another whose long name it abbreviates."""
    def name_of(g: Group) -> str:
        return max(g.forms(), key=len)

    longs = {k: name_of(groups[k]) for k in order}
    for k in list(order):
        if k not in groups or not k.startswith("key:"):
            continue
        g = groups[k]
        short = min(g.forms(), key=len).strip()
        target = None
        for k2 in order:
            if k2 == k or k2 not in groups:
                continue
            long = longs[k2]
            if _hyphen_model(long, short) and groups[k2].votes.most_common(1)[0][0] == "Product" \
                    and g.votes.get("Person", 0) < 1:
                target = k2  # "the Cepheus machines" after "Cepheus-1-36Q": the series name
                break
            if not _is_multiword(long) or _is_multiword(short):
                continue
            v = groups[k2].votes
            if short.isupper() and len(short) >= 2 and _initials(long) == short:
                target = k2
                break
            words = long.split()
            # a surname alone refers to the person named in full earlier
            if v.get("Person", 0) >= 1 and words[-1].strip(",.") == short and short[0].isupper():
                target = k2
                break
            # "Nathan" after "Nathan Sobo": a blog's first-name reference to the person
            if v.get("Person", 0) >= 1 and len(words) == 2 and words[0] == short and short[0].isupper() \
                    and g.catalog is None and not any(c.senses.get("Vendor", 0) or c.senses.get("Product", 0)
                                                      for c in g.cands):
                target = k2
                break
            # "DocumentDB" after "Amazon DocumentDB"
            if name_key(" ".join(words[1:])) == name_key(short) and v.most_common(1)[0][0] == "Product":
                target = k2
                break
            # "Activision" after "Activision Blizzard": a company's first word
            catalog_vendor = not isinstance(groups[k2].catalog, list) and groups[k2].catalog is not None \
                and groups[k2].catalog.type == "Vendor"
            designated = len(words) <= 4 and words[-1].lower().rstrip(".,") in CORP_DESIGNATORS | CORP_SUFFIXES
            if words[0] == short and (len(words) == 2 or designated) and (k2.startswith("key:") or catalog_vendor) \
                    and _companyish(groups[k2]) and _companyish(g):
                target = k2
                break
            # "Blackhole" after "Blackhole P150": the series name alone means the model
            if words[0] == short and all(is_model_tail(w) for w in words[1:]) \
                    and v.most_common(1)[0][0] == "Product" and g.votes.get("Person", 0) < 1:
                target = k2
                break
        if target:
            long_words = longs[target].split()
            if long_words[0] == short and all(is_model_tail(w) for w in long_words[1:]) \
                    or _hyphen_model(longs[target], short):
                for c in g.cands:  # the series name's own NER label says little
                    c.votes = Counter({"Product": 0.5})
            if groups[target].votes.get("Person", 0) >= 1:
                for c in g.cands:  # a surname's own NER label says little
                    c.votes = Counter({"Person": 0.5})
                    c.labels = ["PERSON"]
            groups[target].cands.extend(g.cands)
            del groups[k]


def _companyish(g: Group) -> bool:
    """Votes lean to a company, and nothing says person or product."""
    v = g.votes
    return v.get("Vendor", 0) > 0 and v.get("Vendor", 0) >= v.get("Product", 0) \
        and not any(c.senses.get("Human", 0) for c in g.cands) \
        and sum(c.senses.get("Product", 0) for c in g.cands) <= sum(c.senses.get("Vendor", 0) for c in g.cands)


def _company_described(g: Group) -> bool:
    """The article itself calls the name a company ("X, the parts arm of Y", "X said")."""
    vendor = sum(c.senses.get("Vendor", 0) for c in g.cands)
    product = sum(c.senses.get("Product", 0) for c in g.cands)
    return vendor >= 1.5 and vendor > 2 * product


def decide_type(g: Group, vendor_names: set[str]) -> str | None:
    """Entity type of a group from its summed votes (None: not an entity)."""
    v = g.votes
    forms = g.forms()
    if g.catalog is not None and not isinstance(g.catalog, list):
        return g.catalog.type
    if not any(_is_multiword(f) for f in forms) and v.get("Person", 0) > 0:
        v["Person"] = min(v["Person"], 0.4)
    labels = Counter(lab for c in g.cands for lab in c.labels)
    given = any(len(f.split()) >= 2 and f.split()[0].lower() in GIVEN_NAMES for f in forms)
    if labels.get("ORG", 0) >= labels.get("PERSON", 0) > 0 and not given:
        v["Person"] = min(v.get("Person", 0), 0.4)  # the model itself is unsure it is a person
    if g.catalog is None and not given and not any(c.senses.get("Human", 0) for c in g.cands):
        # a PERSON label alone is weak ("Steam Deck", "Arch Linux"): a person needs a given
        # name, a title, a "who" clause or a quote somewhere in the article
        v["Person"] = min(v.get("Person", 0), 0.4)
    longest = max(forms, key=len)
    words = longest.split()
    own_keys = {c.key for c in g.cands}
    if vendor_names and len(words) >= 2 and name_key(words[0]) in vendor_names - own_keys and v.get("Organization", 0) < 2 \
            and v.get("Standard", 0) < 1.5 and not longest.lower().rstrip(".").endswith(("inc", "corp", "ltd")) \
            and not given and words[-1].lower().rstrip(".,") not in CORP_DESIGNATORS | CORP_SUFFIXES \
            and not _company_described(g):
        v["Product"] += 1.5 + 1.2 * len(g.cands)  # "Vendor Product": the vendor's product
    low_words = [w.lower() for w in words]
    org_word = next((w for w in low_words if w in ORG_WORDS), None)
    if org_word and (org_word not in WEAK_ORG_WORDS or "of" in low_words or "for" in low_words):
        v["Organization"] += 1.5 * len(g.cands)
    if low_words[-1].rstrip(".") in {"inc", "corp", "ltd", "llc", "plc", "gmbh", "corporation"}:
        v["Vendor"] += 1.5 * len(g.cands)
    senses: Counter = Counter()
    for c in g.cands:
        senses.update(c.senses)
    if senses.get("Place", 0) and v.get("Vendor", 0) < 1 and not any(c.version for c in g.cands):
        return None  # "in Zed 0.182": a name carrying a version number is no place
    if not v:
        return None
    t, score = v.most_common(1)[0]
    if score < 0.45:
        return None
    if t == "Product" and g.catalog is None and v.get("Vendor", 0) > 0 and _company_described(g) \
            and sum(c.senses.get("Vendor", 0) for c in g.cands) >= 2:
        return "Vendor"  # "Maker Mobis, the parts arm of ..., said": named like a product, acts as a company
    if t == "Vendor" and senses.get("Product", 0) > senses.get("Vendor", 0) + 1 and v.get("Vendor", 0) < 2:
        return "Product"
    # the NER's ORG label does not tell a company from its software; how the name is used does
    if t == "Vendor" and g.catalog is None and senses.get("Product", 0) >= 2 \
            and senses.get("Product", 0) >= 2 * senses.get("Vendor", 0) \
            and not any(c.text.rstrip(". ").endswith(("Inc", "Corp", "Ltd", "LLC")) for c in g.cands):
        return "Product"
    return t


_CORP_FORM = re.compile(r"\s(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|Co|AG|SA|NV|Limited)\.?$")


_DESIGNATED = re.compile(r"^(\S+) (Industries|Labs|Technologies|Systems|Software|Inc\.?|Corp\.?)$")


def _versioned_short_form(g: Group) -> str | None:
    """The key of a bare name ('Zed') whose company form ('Zed Industries') is in the group,
    when the bare name is written with a version number somewhere: the product's key."""
    longs = {m.group(1) for c in g.cands if (m := _DESIGNATED.match(c.text.strip()))}
    for c in g.cands:
        if c.version and c.text.strip() in longs:
            return c.key
    return None


def _corp_form(text: str) -> bool:
    """Whether a form carries a corporate suffix ("PayPay Corporation", "Docker Inc.")."""
    return bool(_CORP_FORM.search(text.strip()))


def mention_sense(c: Cand) -> str:
    """Company or product, for a mention of a name that means both."""
    s = c.senses
    if s.get("Product", 0) > s.get("Vendor", 0):
        return "Product"
    if c.text.rstrip(".").lower().endswith(("inc", "corp", "ltd", "inc .")):
        return "Vendor"
    return "Vendor"


def build_entities(groups: list[Group]) -> tuple[list[Entity], dict[int, Entity]]:
    """Entities from groups, and a map id(Cand) -> Entity for relation extraction."""
    vendor_names = set()
    for g in groups:
        if isinstance(g.catalog, list) or decide_type(g, set()) == "Vendor":
            vendor_names.update(c.key for c in g.cands)
    entities: list[Entity] = []
    by_cand: dict[int, Entity] = {}
    for g in groups:
        if isinstance(g.catalog, list):
            _split_catalog(g, entities, by_cand)
            continue
        t = decide_type(g, vendor_names)
        if t is None:
            continue
        # a non-catalog company name also used for its product: two entities
        has_inc = any(_corp_form(c.text) for c in g.cands)
        if g.catalog is None and (t == "Vendor" or t == "Product" and has_inc):
            # "PayPay Corporation ... the PayPay app": the suffixed name is the company
            prod = [c for c in g.cands if mention_sense(c) == "Product" and not _corp_form(c.text)]
            strong = sum(c.senses.get("Product", 0) for c in prod)
            listed = any(c.senses.get("Ticker", 0) for c in g.cands)  # a listed company
            if t == "Product" and prod:
                t = "Vendor"
            versioned = _versioned_short_form(g)
            if versioned:
                # "Zed 0.182 ... Zed Industries": the bare name with a version is the product,
                # and so is every bare mention the context does not make a company
                prod = [c for c in g.cands if c.key == versioned and c.senses.get("Vendor", 0) < 2]
                strong = 2
            if prod and len(prod) < len(g.cands) and (has_inc and strong >= 1 or listed and strong >= 2
                                                      or versioned):
                pe = _entity(Group(prod), "Product")
                entities.append(pe)
                for c in prod:
                    by_cand[id(c)] = pe
                g = Group([c for c in g.cands if c not in prod])
        for part in _split_years(g) if t == "Event" else [g]:
            ent = _entity(part, t)
            entities.append(ent)
            for c in part.cands:
                by_cand[id(c)] = ent
    return entities, by_cand


def _split_years(g: Group) -> list[Group]:
    """One Event per edition: "DockerCon 2015" and "DockerCon 2016" are two events; a bare
    "DockerCon" is the first edition the article names with a year."""
    years: list[str] = []
    for c in g.cands:
        if c.year and c.year not in years:
            years.append(c.year)
    if len(years) < 2:
        return [g]
    parts = {y: Group([], g.catalog) for y in years}
    for c in g.cands:
        parts[c.year or years[0]].cands.append(c)
    return list(parts.values())


def _split_catalog(g: Group, entities: list[Entity], by_cand: dict[int, Entity]) -> None:
    entries = g.catalog
    by_type: dict[str, list[Cand]] = {}
    body = [c for c in g.cands if not c.in_title] or g.cands
    for c in body:
        want = mention_sense(c)
        entry = next((e for e in entries if e.type == want), entries[0])
        by_type.setdefault(entry.id, []).append(c)
    main = max(by_type, key=lambda k: len(by_type[k]))
    for c in g.cands:
        if c not in body:  # a headline mention follows the body's reading
            by_type[main].append(c)
    for e in entries:
        cs = by_type.get(e.id)
        if not cs:
            continue
        ent = _entity(Group(cs, e), e.type)
        entities.append(ent)
        for c in cs:
            by_cand[id(c)] = ent


def _clean_form(s: str) -> str:
    s = re.sub(r"(’s|'s)$", "", s.strip())
    return s.strip(" ,;:")


def _entity(g: Group, t: str) -> Entity:
    """One Entity from a group: canonical name, aliases seen, mentions."""
    forms = [_clean_form(c.text) for c in g.cands]
    entry = g.catalog if g.catalog is not None and not isinstance(g.catalog, list) else None
    if entry is not None:
        name = entry.name
    elif any(c.canonical for c in g.cands):
        name = next(c.canonical for c in g.cands if c.canonical)
    elif t in {"Product"}:
        counts = Counter(f for f in forms)
        name = max(counts, key=lambda f: (counts[f] + 0.5 * _is_multiword(f), len(f)))
    else:
        name = max(forms, key=lambda f: (not f.isupper(), len(f)))
    aliases: list[str] = []
    for c, f in zip(g.cands, forms, strict=True):
        dated = f"{f} {c.year}" if t == "Event" and c.year and not re.search(r"\d{4}$", f) else ""
        for a in (dated or f, f"{f} {c.version}" if c.version else ""):
            if a and a != name and a not in aliases:
                aliases.append(a)
    if t == "Event":
        years = [c.year for c in g.cands if c.year]
        if years and not re.search(r"\d{4}$", name):
            base = name
            name = f"{name} {years[0]}"
            if any(not c.year and f == base for c, f in zip(g.cands, forms, strict=True)) \
                    and base not in aliases:
                aliases.append(base)  # the edition was also called by its bare name
            aliases = [a for a in aliases if a != base or any(
                not c.year and f == base for c, f in zip(g.cands, forms, strict=True))]
    ent = Entity(name=name, type=t, aliases=[a for a in aliases if a != name],
                 in_catalog=entry is not None, wikidata=(entry.wikidata or None) if entry else None)
    if entry is not None and entry.name_zh:
        ent.labels["zh"] = entry.name_zh
    ent.mentions = [Mention(c.start, c.end, c.text) for c in g.cands]
    return ent
