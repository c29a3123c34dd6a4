"""Teasers end at a sentence, never mid-word, never repeat, and work without spaces (CJK)."""

from __future__ import annotations

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
