"""Tag an article: its people, organisations and places, the countries it names, the country
it happens in and that country's region.

Runs in the extraction pool beside the sketch, so it must stay cheap (about a millisecond for
a news article; bench/tag_speed.py): the text is read once for capitalised spans and once for
names in other scripts, and both the entities and the places use what was found; the rules of
Chinese, Japanese and Korean run only on a text that has their characters; what depends on a
word alone (its folded spelling, the places a span names) is cached per process; the gazetteer
is built once per process (`prepare_tags`, before the pool forks).
"""

from __future__ import annotations

from briefings.pipeline import places
from briefings.pipeline.entities import find_entities
from briefings.pipeline.spans import spans
from briefings.pipeline.types import Tags


def tag(title: str, text: str, language: str = "") -> Tags:
    """The tags of one article. `language` is accepted for the callers' sake but chooses no
    rules: a Chinese page names "ASEAN" and an English one "平壤", so the scripts found in the
    text itself decide which rules run."""
    del language
    text_spans = spans(text, known=places.known)
    title_spans = spans(title, known=places.known)
    script_found = places.script_places(text)
    entities = find_entities(title, text, text_spans, script_found)
    location = places.locate(places.mentions(title, text, text_spans, title_spans, script_found))
    return Tags(entities=entities, countries=location.countries, country=location.country,
                region=location.region, regions=location.regions)


def prepare_tags() -> None:
    """Build the gazetteer and word lists now, so forked workers share them."""
    places.prepare_gazetteer()
    tag("", "Prepared in Seoul by Kim Jong-un of the Bank of Korea.")
