"""Summaries: two sentences of the article's own lead, on real articles; the best article."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from briefings.pipeline.sentences import DATELINE, is_side_line, sentences
from briefings.pipeline.summarize import Candidate, best_article, summary


def fundus_articles(shared_data: Path) -> list[tuple[str, str, str]]:
    """(name, title, text) of the asian-news pages whose body fundus curated by hand."""
    index = json.loads((shared_data / "asian-news" / "index.json").read_text(encoding="utf-8"))
    return [(Path(r["file"]).name, r["expected"]["title"],
             "\n\n".join(r["expected"]["body_paragraphs"]))
            for r in index if (r.get("expected") or {}).get("body_paragraphs")]


def datelined(shared_data: Path) -> list[tuple[str, str, str]]:
    """(id, title, text) of the story-cluster articles that open with a dateline."""
    found = []
    for name in ("articles.jsonl.gz", "articles-mmds2025.jsonl.gz"):
        with gzip.open(shared_data / "story-clusters" / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if DATELINE.match(record["text"].lstrip()):
                    found.append((record["id"], record["title"], record["text"]))
    return found


def test_real_asian_articles_give_two_clean_sentences(shared_data: Path) -> None:
    articles = fundus_articles(shared_data)
    assert len(articles) >= 8
    for name, title, text in articles:
        out = summary(title, text)
        assert len(sentences(out)) == 2, (name, out)
        assert out != title and not out.startswith(title), name
        assert text.replace("\n", " ").find(sentences(out)[0][:20]) >= 0, name


def test_datelines_of_real_reports_are_left_out(shared_data: Path) -> None:
    articles = datelined(shared_data)
    assert len(articles) >= 100  # "WASHINGTON —", "SINGAPORE:", "KUALA LUMPUR:", ...
    for key, title, text in articles:
        out = summary(title, text)
        assert out and not DATELINE.match(out), (key, out[:80])
        assert len(sentences(out)) <= 2, key


def test_summary_skips_title_repeats_fragments_captions_and_credits() -> None:
    title = "Typhoon Marisol kills 11 in northern Philippines"
    text = "\n\n".join([
        "MANILA (Reuters) - Typhoon Marisol kills 11 in northern Philippines.",
        "Photo: A flooded road in Cagayan. (AFP)",
        "By The Manila Ledger",
        "Updated.",
        "The storm made landfall in Cagayan on Sunday, cutting power to 1.2 million homes. "
        "More than 160,000 people fled to evacuation centres.",
        "Read more: How typhoons are named",
        "Rescuers reached isolated villages on Monday.",
    ])
    out = summary(title, text, skip=("By The Manila Ledger",))
    assert out == ("The storm made landfall in Cagayan on Sunday, cutting power to 1.2 million "
                   "homes. More than 160,000 people fled to evacuation centres.")
    three = summary(title, text, sentences=3)
    assert three.endswith("Rescuers reached isolated villages on Monday.")
    assert summary(title, "By The Manila Ledger") == ""


def test_summary_in_cjk() -> None:
    text = ("【北京共同】台风登陆吕宋岛北部。数万名居民已经撤离到避难所。停电。"
            "电力供应全面中断，多所学校停课。")
    assert summary("台风登陆吕宋岛北部", text) == (
        "数万名居民已经撤离到避难所。电力供应全面中断，多所学校停课。")  # "停电。" is a fragment


def test_side_lines() -> None:
    for line in ("— The Korea Herald/ANN", "Reporting by Ed Davies", "Also read: rates"):
        assert is_side_line(line)
    assert not is_side_line("The ministers met in Vientiane on Monday.")


def test_the_best_article_is_a_whole_original_with_a_standfirst() -> None:
    long_text = len("word " * 400)
    candidates = [
        Candidate(long_text * 2, paywalled=True),
        Candidate(long_text * 2, copy=True, standfirst="Copied."),
        Candidate(long_text, full_text=False, standfirst="Excerpt only."),
        Candidate(long_text),
        Candidate(long_text, standfirst="A standfirst."),
        Candidate(long_text + 4, standfirst="A standfirst."),
    ]
    assert best_article(candidates) == 5
    assert best_article(candidates[:5]) == 4
    assert best_article(candidates[:4]) == 3
    assert best_article(candidates[:3]) == 2
    assert best_article(candidates[:1]) == 0
    assert best_article([Candidate("same"), Candidate("same")]) == 0
    with pytest.raises(ValueError):
        best_article([])
