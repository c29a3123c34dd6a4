"""People, organisations and places found by rules, merged within the article."""

from __future__ import annotations

from briefings.pipeline.entities import entity_keys, find_entities
from briefings.pipeline.tag import tag

TEXT = "\n\n".join([
    ('BEIJING – China and North Korea will restart freight trains between Dandong and Sinuiju.'),
    ("The deal was reached after talks between Kim Jong-un's envoy Ri Song Chol and the "
     'Ministry of Commerce. Mr Ri met Vice-Minister Gao Mingyuan. Analysts said the '
     'Association of Southeast Asian Nations (ASEAN) welcomed it, and ASEAN officials agreed.'),
    ('"This matters," said Adrian Chua, a researcher. Kim later praised the deal. The White '
     'House said nothing. Kim Jong-nam was not mentioned.'),
    ('In Pyongyang, officials of the United Nations Security Council watched the Yalu River '
     'crossing. UPDATE: the Lunar New Year holiday delayed the trains.'),
])


def by_kind(kind: str) -> dict[str, tuple[tuple[str, ...], int]]:
    return {e.name: (e.variants, e.count) for e in find_entities("", TEXT) if e.kind == kind}


def test_people_are_found_and_their_later_mentions_merged() -> None:
    people = by_kind("person")
    assert set(people) == {"Kim Jong-un", "Ri Song Chol", "Gao Mingyuan", "Adrian Chua",
                           "Kim Jong-nam"}
    assert people["Ri Song Chol"][1] == 2  # "Mr Ri"
    assert people["Kim Jong-un"][1] == 2  # the later "Kim"
    assert people["Kim Jong-nam"][1] == 1


def test_organisations_with_their_acronyms_and_no_word_in_capitals() -> None:
    organisations = by_kind("organisation")
    assert organisations["Association of Southeast Asian Nations"] == (
        ("Association of Southeast Asian Nations", "ASEAN"), 3)  # "(ASEAN)" counts too
    assert "Ministry of Commerce" in organisations
    assert "United Nations Security Council" in organisations
    assert "UPDATE" not in organisations and "White House" not in organisations


def test_places_from_the_gazetteer_and_by_their_kind_of_name() -> None:
    placed = {e.name: e.ref for e in find_entities("", TEXT) if e.kind == "place"}
    assert placed["China"] == "CN" and placed["North Korea"] == "KP"
    assert placed["Pyongyang"].startswith("geo:") and placed["Dandong"].startswith("geo:")
    assert placed["Yalu River"] == ""
    assert "Lunar New Year" not in placed and "Analysts" not in placed


def test_sentence_openers_dates_and_events_are_not_entities() -> None:
    names = {e.name for e in find_entities("", TEXT)}
    assert not names & {"The", "In", "Analysts", "Lunar New Year", "Beijing China"}


def test_chinese_japanese_and_korean_text() -> None:
    chinese = {e.name: e.kind for e in find_entities(
        "", "外交部发言人毛宁表示，菲律宾民防办公室发言人玛丽亚・特雷莎・迪松在马尼拉说。")}
    assert chinese["Philippines"] == "place" and chinese["Manila"] == "place"
    assert chinese["毛宁"] == "person" and chinese["玛丽亚・特雷莎・迪松"] == "person"
    japanese = {e.name: e.kind for e in find_entities("", "リ・ソンチョル氏は平壌で語った。")}
    assert japanese == {"リ・ソンチョル": "person", "Pyongyang": "place"}
    korean = {e.name: e.kind for e in find_entities("", "윤석열 대통령이 서울에서 말했다.")}
    assert korean == {"윤석열": "person", "Seoul": "place"}


def test_keys_find_places_by_reference_and_people_by_spelling() -> None:
    tags = tag("", "In Pyongyang, Kim Jong-un met Mr Kim's sister.")
    keys = {e.name: entity_keys(e) for e in tags.entities}
    assert keys["Pyongyang"].strong == ("place:geo:1871859",)
    assert "person:gimjongon" in keys["Kim Jong-un"].strong
