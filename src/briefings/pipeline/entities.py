"""People, organisations and places in an article, found by rules rather than a model.

A capitalised span (spans.py) is a place when the gazetteer knows it (places.py) or it ends in
a word such as "River"; an organisation when it holds a word such as "Ministry", "Bank" or
"Council", or is an acronym; a person when a title stands before it ("President", "Mr"), or
when it has two to five words not all of them frequent English words ("Adrian Chua", not
"White House"). Events and dates are left out.

Mentions of one entity are then merged within the article: a later "Kim" or "Mr Kim" is the
earlier "Kim Jong-un", "Teresa Dizon" is "Maria Teresa Dizon", "ASEAN" is the "Association of
Southeast Asian Nations". In Chinese, Japanese and Korean text the places come from the
gazetteer's names in those scripts, and people from a title next to the name (Korean "윤석열
대통령", Chinese "外长王毅表示") or from foreign names written with a middle dot
("マリア・テレサ・ディソン").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from briefings.pipeline import places
from briefings.pipeline.names import (
    CACHE_SIZE,
    NameKeys,
    end_keys,
    mention_keys,
    name_keys,
    slugify,
    strip_titles,
    title_cut,
)
from briefings.pipeline.spans import (
    CONNECTORS,
    EVENT_WORDS,
    ORGANISATION_CONNECTORS,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    Span,
    spans,
)
from briefings.pipeline.types import Entity

PERSON, ORGANISATION, PLACE = "person", "organisation", "place"
# Titles that name a person on their own ("President Jokowi"); "Mr Ri" needs a fuller mention.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "mdm", "sir", "madam", "m"})
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")
# An organisation's acronym in brackets just after its name: "Bank of Korea (BOK)".
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&]{1,9})\)")
# A foreign name written with a middle dot: katakana, or Chinese characters (their first part
# of two or three, the last ending before a word that follows names: 表示, 说, 在 ...).
_DOTTED = re.compile(r"[\u30a0-\u30fa\u30fc]+(?:[・＝][\u30a0-\u30fa\u30fc]+)+"
                     r"|[\u4e00-\u9fff]{2,3}(?:[・·•][\u4e00-\u9fff]{1,4}?)+"
                     r"(?=[表说說在的是等和与與称稱指认認也将將已于於对對向，。、：”\s]|$)")
_KOREAN_TITLED = re.compile(
    r"(?<![\uac00-\ud7af])([\uac00-\ud7af]{2,4})\s(?:전\s)?(?:대통령|국무위원장|총리|장관|차관|"
    r"위원장|의원|대표|대변인|대사|회장|사장|교수|총장|시장|지사|씨)(?=[이은는가을를의에과와도께,.\s]|$)")
_CHINESE_TITLED = re.compile(
    r"(?:主席|总统|總統|总理|總理|外长|外長|部长|部長|副相|大使|发言人|發言人|总书记|首相|省长|"
    r"市长|书记|局长|主任|董事长|总裁|教授|议员|專家|专家)(?![馆館])([\u4e00-\u9fff]{2,3}?)"
    r"(?=表示|说|說|指出|称|稱|强调|強調|认为|認為|介绍|宣布|会见|會見|举行|舉行|一行|率|在|，|。|、|和|与)")


@dataclass
class _Found:
    """The mentions of one entity while the article is read."""

    kind: str
    surfaces: list[str]
    starts: list[int]
    ref: str = ""
    name: str = ""
    count: int = 1
    acronyms: list[str] = field(default_factory=list)
    weak: bool = False  # an acronym that is also a word: kept only if it joins a fuller name

    def add(self, other: _Found) -> None:
        self.surfaces += [s for s in other.surfaces if s not in self.surfaces]
        self.starts += other.starts
        self.count += other.count


@cache
def _frequent() -> frozenset[str]:
    """Frequent English words: a span made only of them is a phrase, not a person's name."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 5000))


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.fullmatch(word)) and sum(c.isalpha() for c in word) >= 2


def _initials(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isupper()
                   and w.lower() not in CONNECTORS | ORGANISATION_CONNECTORS)


def _classify(span: Span, text: str, out: list[_Found], pending: list[tuple[str, int, bool]]
              ) -> None:
    """Add the entities a span names to `out`; one-word people to `pending` (resolved against
    the fuller names once the whole article is read)."""
    words = list(span.words)
    lowered = [w.lower().rstrip(".") for w in words]
    if words[0].isupper() and len(words) == 1:
        place = places.lookup(words[0].title())
        if place is not None and len(words[0]) > 3:
            out.append(_Found(PLACE, [place.name], [span.start], ref=place.ref, name=place.name))
            return
    located = places.span_places(span)
    for place, surface, _ in located:
        if place.ref and surface in places.gazetteer().demonyms:
            continue  # "Chinese" counts for China, but is no place of its own
        out.append(_Found(PLACE, [surface], [span.start], ref=place.ref, name=place.name))
    if located and located[0][1] == span.text:
        return
    if len(words) > 1 and not ORGANISATION_WORDS.isdisjoint(lowered):
        name = " ".join(words)
        found = _Found(ORGANISATION, [name], [span.start])
        acronym = _ACRONYM_AFTER.match(text, span.end, span.end + 14)
        if acronym:
            found.acronyms.append(acronym[1])
        out.append(found)
        return
    cut = title_cut(words)
    if not cut and (lowered[-1] in PLACE_WORDS
                    or (lowered[0] in {"mount", "lake", "mt"} and len(words) > 1)):
        out.append(_Found(PLACE, [" ".join(words)], [span.start]))
        return
    if located or not EVENT_WORDS.isdisjoint(lowered):
        return
    if len(words) == 1 and _is_acronym(words[0]):
        # "UPDATE" or "WHO" is a word: it names an organisation only when one it abbreviates
        # is in the article
        weak = words[0].lower() in _frequent()
        out.append(_Found(ORGANISATION, [words[0]], [span.start], weak=weak))
        return
    name = [w for w in words[cut:] if not _is_acronym(w) or len(w) < 2]
    while len(name) > 1 and name[0].lower() in CONNECTORS:  # "Minister of Transport X"
        name = name[2:]
    if not name or any(w in {"of", "for"} for w in name):
        return
    honorific_only = cut > 0 and all(w.lower().rstrip(".") in _HONORIFICS for w in words[:cut])
    if len(name) == 1:
        pending.append((name[0], span.start, cut > 0 and not honorific_only))
        return
    frequent = _frequent()
    if len(name) <= 5 and (cut > 0 or not all(w.lower() in frequent for w in name)):
        out.append(_Found(PERSON, [strip_titles(" ".join(name))], [span.start]))


def _script_entities(text: str, named: list[places.ScriptPlace], out: list[_Found]) -> None:
    """The places named in other scripts, and the people the rules of Chinese, Japanese and
    Korean find; those rules read only a text that has characters of such a script."""
    for place, surface, start in named:
        out.append(_Found(PLACE, [surface], [start], ref=place.ref, name=place.name))
    if not places.in_other_scripts(text):
        return
    known = places.gazetteer().script
    for pattern in (_DOTTED, _KOREAN_TITLED, _CHINESE_TITLED):
        for match in pattern.finditer(text):
            name = match.group(1) if pattern.groups else match.group()
            if name not in known:
                out.append(_Found(PERSON, [name], [match.start()]))


def _merge_people(people: list[_Found], pending: list[tuple[str, int, bool]]) -> list[_Found]:
    """One entry per person: same keys, or a shorter spelling inside a fuller one; one-word
    mentions join the nearest fuller name they match, else stand alone only with an office."""
    merged: list[_Found] = []
    strong: list[set[str]] = []  # the strong keys of each merged person's spellings
    for person in sorted(people, key=lambda p: -len(p.surfaces[0].split())):
        keys = {k for s in person.surfaces for k in name_keys(s).strong}
        words = _folded(person.surfaces[0])
        at = next((i for i, m in enumerate(merged)
                   if not keys.isdisjoint(strong[i]) or _inside(words, m)), None)
        if at is None:
            merged.append(person)
            strong.append(keys)
        else:
            merged[at].add(person)
            strong[at] |= keys
    by_end: dict[tuple[str, str], list[int]] = {}  # the people a one-word mention may name
    for at, person in enumerate(merged):
        for key in frozenset().union(*(end_keys(s) for s in person.surfaces)):
            by_end.setdefault(key, []).append(at)
    alone: list[_Found] = []
    for word, start, office in pending:
        matches = [merged[at] for at in
                   sorted({at for key in mention_keys(word) for at in by_end.get(key, ())})]
        before = [m for m in matches if min(m.starts) <= start]
        home = (max(before, key=lambda m: max(s for s in m.starts if s <= start)) if before
                else min(matches, key=lambda m: min(m.starts)) if matches else None)
        if home is not None:
            home.count += 1
        elif office:
            alone.append(_Found(PERSON, [word], [start]))
    return merged + alone


@lru_cache(maxsize=CACHE_SIZE)
def _folded(name: str) -> tuple[str, ...]:
    """The main key of each word of a name, to find a shorter spelling inside a fuller one."""
    return tuple(k for w in name.split() if (k := "".join(name_keys(w).strong[:1])))


def _inside(words: tuple[str, ...], found: _Found) -> bool:
    """Whether a name of two or more words is a run of the words of one of `found`'s."""
    if len(words) < 2:
        return False
    for surface in found.surfaces:
        theirs = _folded(surface)
        for index in range(len(theirs) - len(words) + 1):
            if theirs[index:index + len(words)] == words and len(theirs) > len(words):
                return True
    return False


def _merge_organisations(found: list[_Found]) -> list[_Found]:
    merged: dict[str, _Found] = {}
    for org in found:
        key = _organisation_key(org.surfaces[0])
        if key in merged:
            merged[key].add(org)
            merged[key].acronyms += org.acronyms
        else:
            merged[key] = org
    full = [o for o in merged.values() if len(o.surfaces[0].split()) > 1]
    for key, org in list(merged.items()):
        word = org.surfaces[0]
        if len(word.split()) > 1 or not _is_acronym(word):
            continue
        home = next((o for o in full if word in o.acronyms), None) or next(
            (o for o in full if len(word) >= 3 and _initials(o.surfaces[0].split()) == word),
            None)
        if home is not None:
            home.add(org)
            del merged[key]
    return [o for o in merged.values() if not o.weak]


def _organisation_key(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in {"the"}]
    return " ".join(words).casefold()


def _merge_places(found: list[_Found]) -> list[_Found]:
    merged: dict[str, _Found] = {}
    for place in found:
        key = place.ref or place.surfaces[0].casefold()
        if key in merged:
            merged[key].add(place)
        else:
            merged[key] = place
    return list(merged.values())


def _entity(found: _Found) -> Entity:
    surfaces = tuple(dict.fromkeys(strip_titles(s) if found.kind == PERSON else s
                                   for s in found.surfaces + found.acronyms))
    name = found.name or max(surfaces, key=lambda s: (len(s.split()), len(s)))
    return Entity(name=name, kind=found.kind, slug=slugify(name), variants=surfaces,
                  count=found.count, ref=found.ref)


def find_entities(title: str, text: str, found: list[Span] | None = None,
                  script_found: list[places.ScriptPlace] | None = None) -> tuple[Entity, ...]:
    """The article's entities, most mentioned first. The title adds mentions only to what the
    text names: headlines in Title Case capitalise every word. The text's spans and script
    places are read here unless the caller, who read them already, passes them."""
    out: list[_Found] = []
    pending: list[tuple[str, int, bool]] = []
    for span in found if found is not None else spans(text, known=places.known):
        _classify(span, text, out, pending)
    _script_entities(text, script_found if script_found is not None
                     else places.script_places(text), out)
    people = _merge_people([f for f in out if f.kind == PERSON], pending)
    organisations = _merge_organisations([f for f in out if f.kind == ORGANISATION])
    located = _merge_places([f for f in out if f.kind == PLACE])
    entities = [_entity(f) for f in people + organisations + located]
    entities = _count_title(title, entities)
    first = {e.name: i for i, e in enumerate(entities)}
    return tuple(sorted(entities, key=lambda e: (-e.count, first[e.name])))


def _count_title(title: str, entities: list[Entity]) -> list[Entity]:
    if not title:
        return entities
    folded = title.casefold()
    out = []
    for entity in entities:
        if any(v.casefold() in folded for v in entity.variants):
            entity = Entity(entity.name, entity.kind, entity.slug, entity.variants,
                            entity.count + 1, entity.ref)
        out.append(entity)
    return out


def entity_keys(entity: Entity) -> NameKeys:
    """The keys under which an entity is found again across articles: a place by its
    gazetteer reference, a person by the keys of its spellings (names.py), an organisation by
    its names and acronyms."""
    if entity.ref:
        return NameKeys((f"place:{entity.ref}",))
    if entity.kind == PERSON:
        strong: dict[str, None] = {}
        loose: dict[str, None] = {}
        for variant in entity.variants:
            keys = name_keys(variant)
            strong.update((f"person:{k}", None) for k in keys.strong)
            loose.update((f"person:{k}", None) for k in keys.loose)
        return NameKeys(tuple(strong), tuple(k for k in loose if k not in strong))
    keys = dict.fromkeys(f"{entity.kind}:{_organisation_key(v)}" for v in entity.variants)
    return NameKeys(tuple(keys))
