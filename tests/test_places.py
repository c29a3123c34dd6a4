"""Countries, cities, demonyms, datelines and regions from the gazetteer."""

from __future__ import annotations

import pytest

from briefings.pipeline.places import (
    OUTSIDE_ASIA,
    dateline,
    gazetteer,
    in_other_scripts,
    locate,
    mentions,
    region_of,
    script_places,
)


def where(text: str, title: str = "") -> tuple[tuple[str, ...], str, str]:
    found = locate(mentions(title, text))
    return found.countries, found.country, found.region


@pytest.mark.parametrize(("city", "country", "region"), [
    ("Pyongyang", "KP", "Northeast Asia"), ("Dhaka", "BD", "South Asia"),
    ("Jakarta", "ID", "Southeast Asia"), ("Tashkent", "UZ", "Central Asia"),
    ("Riyadh", "SA", "West Asia"), ("Paris", "FR", OUTSIDE_ASIA),
    ("平壤", "KP", "Northeast Asia"), ("서울", "KR", "Northeast Asia"),
    ("ハノイ", "VN", "Southeast Asia"), ("丹东", "CN", "Northeast Asia"),
])
def test_a_city_counts_for_its_country_and_region(city: str, country: str, region: str) -> None:
    assert where(f"Officials met in {city} on Tuesday to sign the deal.") == (
        (country,), country, region)
    assert region_of(country) == region


def test_demonyms_count_as_mentions_and_the_most_named_country_wins() -> None:
    text = ("Japanese and Indonesian ministers met. The Indonesian delegation later toured "
            "the port, and Indonesia's trade minister spoke.")
    countries, country, region = where(text)
    assert countries == ("ID", "JP") and country == "ID" and region == "Southeast Asia"


@pytest.mark.parametrize(("opening", "country"), [
    ("PYONGYANG — North Korea fired a missile toward Japan, Japan said.", "KP"),
    ("SEOUL (Reuters) - Japan and China both protested to Japan's envoy.", "KR"),
    ("KATHMANDU, Nepal — Japanese climbers reached the summit, Japan said.", "NP"),
    ("Dhaka, March 5 (bdnews24) – India and India's neighbours talked.", "BD"),
    ("SANTA ANA, Cagayan — The typhoon hit the United States' ally overnight.", "PH"),
    ("新华社北京3月5日电 日本和日本的官员表示。", "CN"),
    ("【ソウル=共同】日本政府は日本の立場を説明した。", "KR"),
])
def test_the_dateline_says_where_the_story_happens(opening: str, country: str) -> None:
    assert dateline(opening) is not None
    assert where(opening)[1] == country


def test_a_sentence_is_not_a_dateline() -> None:
    assert dateline("China and North Korea will restart freight trains - officials said.") is None


@pytest.mark.parametrize("text", [
    "The Nice weather helped. Reading the report, Mobile phone makers felt Split on Bath times.",
    "Male and female voters in Victoria Street queued at the Bar.",
    "Mr Santos said the plan was sound. Santos said so again.",
    "Jordan Peterson and Chad Smith spoke at the event.",
])
def test_words_and_names_that_are_also_places_are_not_countries(text: str) -> None:
    assert where(text)[0] == ()


def test_a_place_before_said_is_still_a_place_after_in() -> None:
    assert where("Kim met the president in Seoul, said an aide.")[0] == ("KR",)


def test_georgia_is_the_us_state_when_the_text_names_the_united_states() -> None:
    assert where("Voters in Georgia lined up early, officials in the United States said.")[0] \
        == ("US",)
    assert where("Georgia and Armenia signed a border deal.")[0] == ("GE", "AM")


def test_titles_count_twice() -> None:
    countries, country, _ = where("Vietnam's exports rose. Vietnam and Laos agreed.",
                                  title="Thailand and Thailand's neighbours")
    assert countries[0] == "TH" and country == "TH"


def test_a_country_before_a_title_or_an_institution_counts_but_not_inside_a_name() -> None:
    assert where("Chinese President Xi Jinping arrived.")[0] == ("CN",)
    assert where("The Pakistan Meteorological Department warned of heat.")[0] == ("PK",)
    assert where("Jordan Henderson scored twice.")[0] == ()


def test_no_place_no_region() -> None:
    assert where("Nothing here names anywhere at all.") == ((), "", "")
    assert region_of("") == ""


def test_in_an_alphabet_with_capitals_a_place_is_a_whole_word() -> None:
    assert where("Встреча прошла в Гамбург вчера.")[0] == ("DE",)
    assert where("Гамбургеры и Овощи. Короче, Манты люблю.")[0] == ()
    assert [surface for _, surface, _ in script_places("新华社平壤电，北京和首尔")] == [
        "平壤", "北京", "首尔"]  # no spaces in Chinese: names are found inside the run


def test_only_a_text_in_another_script_is_read_by_that_script_rules() -> None:
    assert not in_other_scripts("Kim Jong-un’s envoy — “no comment”, €5 — said Café Noël.")
    assert in_other_scripts("Officials met in 平壤.") and in_other_scripts("Москва")
    readable = [n for n in gazetteer().script if not any(c.isascii() for c in n)]
    assert readable and all(in_other_scripts(name) for name in readable)
