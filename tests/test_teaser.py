"""Teasers end at a sentence, never mid-word, never repeat, skip datelines and credit lines,
and work without spaces (CJK, Thai)."""

from __future__ import annotations

import pytest

from briefings.pipeline.teaser import sentences, teaser


def test_cuts_at_a_sentence_boundary() -> None:
    text = ("The ministers met in Vientiane on Monday. They agreed to share river data. "
            "A further meeting is planned for June, officials said.")
    assert teaser(text, 90) == ("The ministers met in Vientiane on Monday. "
                                "They agreed to share river data.")


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    text = "Officials in the northern province said on Tuesday that evacuation centres were full."
    out = teaser(text, 40)
    assert out.endswith("…") and len(out) <= 40
    assert text.startswith(out[:-1]) and text[len(out) - 1] == " "


def test_repeated_sentences_and_credit_lines_are_dropped() -> None:
    text = "By The Daily Courier\nPrices rose 3 per cent. Prices rose 3 per cent. Rents fell."
    out = teaser(text, 200, skip=("By The Daily Courier",))
    assert out == "Prices rose 3 per cent. Rents fell."


def test_cjk_full_stops_split_sentences() -> None:
    text = "台风登陆吕宋岛北部。数万人撤离。电力中断。"
    assert sentences(text) == ["台风登陆吕宋岛北部。", "数万人撤离。", "电力中断。"]
    assert teaser(text, 16) == "台风登陆吕宋岛北部。数万人撤离。"
    long_ja = "台風マリソルは北部ルソン島に上陸し多くの住民が避難所に身を寄せている"
    cut = teaser(long_ja, 10)
    assert cut == long_ja[:9] + "…"


def test_abbreviations_initials_and_decimals_do_not_end_sentences() -> None:
    text = ("Mr. Kim met Dr. Lee of the U.S. Navy on Jan. 5 at No. 3 St. Andrew's Road. "
            "Growth was 3.5 per cent, said K. S. Lee. Gen. Park left at 10 p.m. He said no. "
            "Then the talks ended.")
    assert sentences(text) == [
        "Mr. Kim met Dr. Lee of the U.S. Navy on Jan. 5 at No. 3 St. Andrew's Road.",
        "Growth was 3.5 per cent, said K. S. Lee.", "Gen. Park left at 10 p.m.",
        "He said no.", "Then the talks ended."]


@pytest.mark.parametrize("dateline", [
    "SEOUL, Nov 27 (Reuters) - ", "JAKARTA — ", "KUALA LUMPUR: ", "(Yonhap) -- ",
    "Seoul, Nov. 27 (Yonhap) -- ", "NEW DELHI - ",
])
def test_datelines_are_not_content(dateline: str) -> None:
    text = dateline + "The central bank held its policy rate. Inflation eased."
    assert teaser(text, 60) == "The central bank held its policy rate. Inflation eased."


def test_cjk_datelines_are_not_content() -> None:
    assert teaser("【ソウル共同】韓国政府は27日、発表した。", 40) == "韓国政府は27日、発表した。"
    assert teaser("新华社北京11月27日电（记者 张三）国务院发布通知。", 40) == "国务院发布通知。"


@pytest.mark.parametrize("credit", [
    "By China Daily", "— The Jakarta Post/ANN", "Reporting by Joyce Lee; Editing by Ed Davies",
    "(Reporting by Joyce Lee)", "This article first appeared in The Star.",
    "Read more: Rates on hold", "Also read: Ringgit slips", "Photo: Reuters",
])
def test_credit_and_side_lines_are_not_content(credit: str) -> None:
    text = f"{credit}\nThe central bank held its policy rate.\n{credit}\nInflation eased."
    assert teaser(text, 200) == "The central bank held its policy rate. Inflation eased."


def test_a_subheading_inside_the_text_is_not_content_but_a_bare_standfirst_is() -> None:
    assert teaser("Rates held\nThe bank held its rate.\nWhat next\nPrices eased.", 200) == (
        "Rates held The bank held its rate. Prices eased.")
    assert teaser("A modest deal keeps regional talks alive", 200) == (
        "A modest deal keeps regional talks alive")


def test_repeats_are_dropped_whatever_their_spacing_or_case() -> None:
    text = "Rents fell. Prices rose.\n\nPRICES  rose. Rents fell! Wages held."
    assert teaser(text, 200) == "Rents fell. Prices rose. Wages held."


def test_thai_sentences_are_separated_by_spaces() -> None:
    text = "ตำรวจจับกุมผู้ต้องสงสัยแล้ว เหตุเกิดเมื่อคืนนี้ ไม่มีผู้บาดเจ็บ"
    assert sentences(text) == ["ตำรวจจับกุมผู้ต้องสงสัยแล้ว", "เหตุเกิดเมื่อคืนนี้", "ไม่มีผู้บาดเจ็บ"]
    assert teaser(text, 50) == "ตำรวจจับกุมผู้ต้องสงสัยแล้ว เหตุเกิดเมื่อคืนนี้"


def test_cjk_stops_with_closing_quotes_and_the_danda() -> None:
    assert sentences("他说：「会谈很成功。」随后离开。") == ["他说：「会谈很成功。」", "随后离开。"]
    assert sentences("হত্যা করা হয়েছে।এ সময় আহত হন।") == ["হত্যা করা হয়েছে।", "এ সময় আহত হন।"]


@pytest.mark.parametrize("limit", [10, 25, 40, 61, 80, 120, 300])
def test_the_limit_is_respected_and_no_word_is_cut(limit: int) -> None:
    text = ("Officials in the northern province said on Tuesday that evacuation centres were "
            "full. Rain is expected to ease by Thursday. Schools stay shut.")
    out = teaser(text, limit)
    assert 0 < len(out) <= limit
    words = text.replace("…", "").split()
    for word in out.removesuffix("…").split():
        assert word in words
    assert out.endswith(("…", "."))
