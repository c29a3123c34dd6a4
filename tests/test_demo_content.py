"""The sample papers' files: the real ones load, bad ones fail naming the file, truth derives."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.demo.content import (
    PAPERS_TOML,
    TEMPLATES,
    article_path,
    load_content,
    load_papers,
    normalise_path,
    paragraphs_of,
    parse_article_path,
    with_tracking,
)
from briefings.demo.truth import build_truth, load_names, load_truth
from briefings.errors import ConfigError

NOW = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # JSON strings and lists are valid TOML


def write_article(root: Path, paper: str, slug: str, **fields: object) -> Path:
    """Write one article file; fields default to a valid Daily Courier-style story."""
    data: dict[str, object] = {
        "title": f"Story {slug}", "standfirst": "A summary.", "authors": ["Jane Tan"],
        "section": "World", "hours_ago": 10.0, "body": "One.\n\nTwo\nwrapped.\n\nThree.",
    }
    data.update(fields)
    path = root / paper / f"{slug}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {toml_value(value)}" for key, value in data.items() if value is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_real_papers_and_articles_load() -> None:
    papers = load_papers()
    assert len(papers) == 10
    assert {p.template for p in papers} == set(TEMPLATES)
    content = load_content()
    assert {a.paper for a in content.articles} <= {p.slug for p in papers}
    truth = load_truth()
    for key, original in truth.copies.items():
        assert truth.article(original).paper != truth.article(key).paper
    for article in content.articles:
        for spelling in article.people:
            assert spelling in truth.person(spelling)


def test_an_empty_folder_gives_papers_without_articles(tmp_path: Path) -> None:
    content = load_content(tmp_path)
    assert content.articles == ()
    assert load_content(tmp_path / "missing").articles == ()


def test_a_valid_article_loads_with_paragraphs_and_times(tmp_path: Path) -> None:
    write_article(tmp_path, "daily-courier", "dam-talks", hours_ago=30.5, updated_hours_ago=2,
                  image="dam.jpg", people=["Ri Song-chol"], event="dam")
    article = load_content(tmp_path).article("daily-courier/dam-talks")
    assert article.paragraphs == ("One.", "Two wrapped.", "Three.")
    assert article.published_at(NOW) == datetime(2026, 3, 9, 5, 31, tzinfo=UTC)
    assert article.updated_at(NOW) == datetime(2026, 3, 10, 10, 1, tzinfo=UTC)
    assert 100000 <= article.number < 1000000


@pytest.mark.parametrize(("fields", "message"), [
    ({"section": "Gardening"}, "unknown section"),
    ({"hours_ago": 0.5}, "hours_ago"),
    ({"hours_ago": 72}, "hours_ago"),
    ({"hours_ago": "ten"}, "wrong type"),
    ({"updated_hours_ago": 11}, "updated_hours_ago"),
    ({"copy_of": "manila-ledger/original"}, "credit"),
    ({"copy_of": "manila-ledger/nowhere", "credit": "By The Manila Ledger"}, "names no article"),
    ({"colour": "red"}, "unknown keys"),
    ({"body": "\n\n"}, "no paragraphs"),
    ({"title": None}, "`title` is missing"),
    ({"authors": "Jane Tan"}, "authors"),
    ({"event": "Big Event"}, "event"),
    ({"image": "../x.jpg"}, "image"),
    ({"paywalled": "yes"}, "paywalled"),
])
def test_a_bad_article_fails_naming_its_file(tmp_path: Path, fields: dict[str, object],
                                             message: str) -> None:
    write_article(tmp_path, "manila-ledger", "original", section="Nation", hours_ago=20)
    path = write_article(tmp_path, "daily-courier", "bad", **fields)
    with pytest.raises(ConfigError) as caught:
        load_content(tmp_path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(("original", "copy", "message"), [
    ({"hours_ago": 5}, {"hours_ago": 10}, "before its original"),
    ({"event": "one"}, {"event": "two"}, "differs"),
    ({"copy_of": "valley-gazette/first", "credit": "By The Valley Gazette"}, {}, "itself a copy"),
])
def test_copies_must_follow_their_original(tmp_path: Path, original: dict[str, object],
                                           copy: dict[str, object], message: str) -> None:
    write_article(tmp_path, "valley-gazette", "first", hours_ago=30)
    write_article(tmp_path, "manila-ledger", "story", section="Nation", **original)
    path = write_article(tmp_path, "daily-courier", "copy", copy_of="manila-ledger/story",
                         credit="By The Manila Ledger", **{"hours_ago": 3, **copy})
    with pytest.raises(ConfigError) as caught:
        load_content(tmp_path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_copy_in_its_own_paper_and_an_unknown_folder_fail(tmp_path: Path) -> None:
    write_article(tmp_path, "daily-courier", "one")
    write_article(tmp_path, "daily-courier", "two", copy_of="daily-courier/one", credit="By Us")
    with pytest.raises(ConfigError, match="another paper"):
        load_content(tmp_path)
    write_article(tmp_path / "other", "the-daily-planet", "story")
    with pytest.raises(ConfigError, match="the-daily-planet"):
        load_content(tmp_path / "other")
    write_article(tmp_path / "third", "daily-courier", "Not_A_Slug")
    with pytest.raises(ConfigError, match="Not_A_Slug"):
        load_content(tmp_path / "third")


def test_bad_papers_toml_fails(tmp_path: Path) -> None:
    path = tmp_path / "papers.toml"
    good = PAPERS_TOML.read_text(encoding="utf-8")
    path.write_text(good.replace('timezone = "Asia/Seoul"', 'timezone = "Asia/Nowhere"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="paper #3"):
        load_papers(path)
    path.write_text(good.replace('template = "classic"', 'template = "brutalist"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="brutalist"):
        load_papers(path)


def test_paragraphs_split_on_blank_lines_only() -> None:
    assert paragraphs_of("\n  A\n b \n\n\n C\n") == ("A b", "C")


def test_every_template_parses_its_own_paths_back(tmp_path: Path) -> None:
    papers = {p.template: p for p in load_papers()}
    for paper in papers.values():
        write_article(tmp_path, paper.slug, "road-ahead-2030", section=paper.sections[-1])
    content = load_content(tmp_path)
    for template, paper in papers.items():
        article = content.of_paper(paper.slug)[0]
        path = article_path(paper, article, NOW)
        expected = ("slug", article.slug) if template == "broadsheet" else \
            ("number", str(article.number))
        assert parse_article_path(paper, path) == expected
        assert parse_article_path(paper, "/amp" + path) == expected
        assert parse_article_path(paper, with_tracking(path)) == expected
        assert parse_article_path(paper, "/about/us") is None
        assert normalise_path(with_tracking(path)) == path


def test_truth_groups_events_copies_and_names(tmp_path: Path) -> None:
    write_article(tmp_path, "daily-courier", "talks", event="dam-talks", hours_ago=20,
                  people=["Ri Song-chol", "Jane Doe"])
    write_article(tmp_path, "valley-gazette", "talks", event="dam-talks", people=["Ri Song Chol"])
    write_article(tmp_path, "manila-ledger", "talks", section="World", hours_ago=5,
                  copy_of="daily-courier/talks", credit="By The Daily Courier")
    write_article(tmp_path, "java-sentinel", "volcano", section="Science")
    names = tmp_path / "names.toml"
    names.write_text('[[person]]\nspellings = ["Ri Song-chol", "Ri Song Chol", "Ri Songchol"]\n',
                     encoding="utf-8")
    truth = load_truth(tmp_path, names)
    assert truth.events == {"dam-talks": frozenset(
        {"daily-courier/talks", "valley-gazette/talks", "manila-ledger/talks"})}
    assert truth.copies == {"manila-ledger/talks": "daily-courier/talks"}
    assert truth.original_of("manila-ledger/talks") == "daily-courier/talks"
    assert truth.original_of("java-sentinel/volcano") == "java-sentinel/volcano"
    assert truth.event_of("manila-ledger/talks") == "dam-talks"
    assert truth.event_of("java-sentinel/volcano") == ""
    assert sorted(map(sorted, truth.stories())) == [
        ["daily-courier/talks", "manila-ledger/talks", "valley-gazette/talks"],
        ["java-sentinel/volcano"]]
    assert truth.same_person("Ri Song Chol", "Ri Songchol")
    assert not truth.same_person("Ri Song Chol", "Jane Doe")
    assert frozenset({"Jane Doe"}) in truth.people
    assert truth.person("Nobody") == frozenset({"Nobody"})


def test_names_toml_must_not_share_a_spelling(tmp_path: Path) -> None:
    names = tmp_path / "names.toml"
    names.write_text('[[person]]\nspellings = ["Kim Jong-un", "Kim Jong Un"]\n'
                     '[[person]]\nspellings = ["Kim Jong Un"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="person #1 and person #2"):
        load_names(names)
    names.write_text("[[person]]\nspellings = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=str(names)):
        load_names(names)
    assert load_names(tmp_path / "none.toml") == ()
    assert build_truth(load_content(tmp_path)).people == ()



def test_the_sample_corpus_meets_its_brief() -> None:
    """At least 8 papers in different templates and feed dialects, GB2312/Shift_JIS and CJK
    papers, ~120 articles over 3 days (10+ per paper), 12+ events of 2 to 5 papers, 6+ copies
    with a credit line, and people spelt differently across papers."""
    papers = load_papers()
    content = load_content()
    truth = load_truth()
    assert len(papers) >= 8 and len({p.template for p in papers}) >= 5
    assert {"rss2", "atom", "news-sitemap"} <= {p.feed.removesuffix("-full") for p in papers}
    assert {"gb2312", "shift_jis"} & {p.encoding for p in papers}
    assert {"zh", "ja", "ko"} & {p.language for p in papers}
    assert len(content.articles) >= 115
    assert max(a.hours_ago for a in content.articles) > 48
    assert min(len(content.of_paper(p.slug)) for p in papers) >= 10
    sizes = [len({key.split("/")[0] for key in keys}) for keys in truth.events.values()]
    assert sum(2 <= size <= 5 for size in sizes) >= 12
    assert len(truth.copies) >= 6
    assert all(truth.article(key).credit.startswith("By ") for key in truth.copies)
    variants = [group for group in truth.people if len(group) > 1]
    assert len(variants) >= 4
    assert any({"Ri Song-chol", "Ri Song Chol"} <= group for group in variants)
