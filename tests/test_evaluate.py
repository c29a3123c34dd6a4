"""The benchmark metric on cases computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from math import isclose

from briefings.evaluate import (
    PageScore,
    aggregate,
    authors_match,
    char_tokens,
    date_matches,
    is_cjk,
    parse_gold_date,
    score_page,
    shingles,
    title_matches,
    word_tokens,
)


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert word_tokens("Hello, World! It's 2024.") == ["Hello", "World", "It", "s", "2024"]
    assert word_tokens("東京都は、十五日") == ["東京都は", "十五日"]
    assert char_tokens("東京都は、十五日 in Tokyo") == ["東", "京", "都", "は", "十", "五", "日",
                                                   "in", "Tokyo"]
    assert char_tokens("서울 시장") == ["서", "울", "시", "장"]


def test_shingles() -> None:
    assert shingles([]) == {}
    assert shingles(["a"]) == {("a",): 1}
    assert shingles(["a", "b", "c"]) == {("a", "b", "c"): 1}
    assert shingles(list("abcd")) == {("a", "b", "c", "d"): 1}
    assert shingles(list("abcab")) == {("a", "b", "c", "a"): 1, ("b", "c", "a", "b"): 1}
    assert shingles(list("aaaaa")) == {("a", "a", "a", "a"): 2}


def test_score_page_compares_multisets() -> None:
    # gold a b c d e f: shingles abcd bcde cdef; predicted a b c d e x: abcd bcde cdex
    score = score_page("a b c d e f", "a b c d e x")
    assert score == PageScore(tp=2, fp=1, fn=1)
    assert isclose(score.precision, 2 / 3) and isclose(score.recall, 2 / 3)
    # repeated shingles count as often as they occur
    assert score_page("x x x x x", "x x x x") == PageScore(tp=1, fp=0, fn=1)
    assert score_page("a b", "a b") == PageScore(tp=1, fp=0, fn=0)
    assert score_page("", "a b c") == PageScore(tp=0, fp=1, fn=0)
    assert score_page("a b c", "") == PageScore(tp=0, fp=0, fn=1)


def test_empty_prediction_lowers_recall_not_precision() -> None:
    empty = score_page("a b c d e", "")
    assert empty.precision is None and empty.recall == 0.0
    assert PageScore(0, 0, 0).precision is None and PageScore(0, 0, 0).recall is None


def test_aggregate_is_f1_of_the_averages() -> None:
    pages = [
        PageScore(tp=3, fp=1, fn=0),  # P 0.75, R 1
        PageScore(tp=1, fp=1, fn=3),  # P 0.5,  R 0.25
        PageScore(tp=0, fp=0, fn=4),  # empty prediction: no P, R 0
    ]
    total = aggregate(pages)
    assert isclose(total.precision, 0.625)
    assert isclose(total.recall, 1.25 / 3)
    assert isclose(total.f1, 2 * 0.625 * (1.25 / 3) / (0.625 + 1.25 / 3))
    assert total.pages == 3
    assert aggregate([]).f1 == 0.0


def test_character_variant_for_cjk() -> None:
    gold, predicted = "東京都は十五日", "東京都は十五"
    assert score_page(gold, predicted).tp == 0  # one word token each, and they differ
    by_char = score_page(gold, predicted, char_tokens)
    assert by_char == PageScore(tp=3, fp=0, fn=1)  # 東京都は 京都は十 都は十五 | は十五日
    assert is_cjk("東京都は十五日に発表した。") and not is_cjk("Tokyo said on Friday")


def test_titles_compare_after_case_width_and_space_folding() -> None:
    assert title_matches("南海トラフ、一時調査　巨大地震", " 南海トラフ、一時調査 巨大地震 ")
    assert title_matches("China Snubs  Imran", "china snubs imran")
    assert title_matches("ＡＢＣ ニュース", "ABC ニュース")
    assert not title_matches("China snubs Imran", "China snubs Imran Khan")


def test_dates_to_the_minute_or_the_day() -> None:
    got = datetime(2025, 1, 14, 12, 17, 27, tzinfo=UTC)
    assert date_matches(got, "2025-01-14 21:17:00+09:00")
    assert date_matches(got, "2025-01-14T12:17:59Z")
    assert not date_matches(got, "2025-01-14 21:18:00+09:00")
    assert date_matches(got, "2025-01-14")
    assert not date_matches(got, "2025-01-15")
    # a day-only gold is a day in the paper's zone: 23:30 UTC is already the next day in Tokyo
    late = datetime(2025, 1, 14, 23, 30, tzinfo=UTC)
    assert date_matches(late, "2025-01-15", "Asia/Tokyo")
    assert not date_matches(late, "2025-01-15")
    assert not date_matches(None, "2025-01-15")
    # a time without a zone is read in the paper's zone; midnight without a zone is a bare day
    assert date_matches(got, "2025-01-14T21:17:27", "Asia/Tokyo")
    assert parse_gold_date("2023-11-17T00:00:00") == datetime(2023, 11, 17).date()


def test_authors_compare_as_sets() -> None:
    assert authors_match(["Jane Roe", "John Doe"], ["john doe", "Jane  Roe"])
    assert authors_match([], [])
    assert not authors_match(["Jane Roe"], ["Jane Roe", "John Doe"])
