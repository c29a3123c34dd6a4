"""Syndicated copies on real text: the sample papers' copies, extraction-dev's distinct pages,
edited and CJK copies, and the MinHash estimate against exact Jaccard (and datasketch's)."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from briefings.demo.content import DemoArticle
from briefings.demo.truth import Truth
from briefings.pipeline.bands import MIN_SHINGLES, band_keys, bands, candidate_probability
from briefings.pipeline.dedupe import Candidate, choose_original, group_copies, is_copy, similarity
from briefings.pipeline.minhash import PERMUTATIONS, Sketch, jaccard, sketch, sketches
from briefings.pipeline.shingles import WIDTH, shingle_sets, shingles

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gold_bodies(shared_data: Path) -> list[str]:
    gold = json.loads((shared_data / "extraction-dev" / "ground-truth.json").read_text())
    return [entry["articleBody"] for entry in gold.values()]


def body(article: DemoArticle) -> str:
    """The article's text as extraction gives it; a copy carries its credit as a paragraph, as
    the papers that print it in the body do."""
    text = "\n".join(article.paragraphs)
    return f"{article.credit}\n{text}" if article.credit else text


def copies_found(ids: Sequence[int], found: Sequence[Sketch],
                 candidates: Sequence[Candidate]) -> dict[int, int]:
    """Dedupe as the store will: look each text's band keys up among the earlier ones, confirm
    the candidates, group the copies."""
    index: dict[int, list[int]] = {}
    by_id = dict(zip(ids, found, strict=True))
    pairs = []
    for ident, item in zip(ids, found, strict=True):
        keys = bands(item)
        seen = {other for key in keys for other in index.get(key, ())}
        pairs.extend((ident, other) for other in sorted(seen) if is_copy(item, by_id[other]))
        for key in keys:
            index.setdefault(key, []).append(ident)
    return group_copies(pairs, candidates)


def test_every_sample_copy_found_and_no_two_reports_merged(truth: Truth) -> None:
    articles = truth.content.articles
    names = {p.slug: p.name for p in truth.content.papers}
    ids = list(range(len(articles)))
    candidates = [Candidate(i, names[a.paper], a.credit, a.published_at(NOW))
                  for i, a in zip(ids, articles, strict=True)]
    # arrival order must not matter: newest first here
    order = sorted(ids, key=lambda i: articles[i].hours_ago)
    found = sketches([body(articles[i]) for i in order])
    duplicate_of = copies_found(order, found, candidates)
    named = {articles[c].key: articles[o].key for c, o in duplicate_of.items()}
    assert len(truth.copies) == 8
    assert named == dict(truth.copies)


def test_reports_of_one_event_stay_apart(truth: Truth) -> None:
    articles = {a.key: a for a in truth.content.articles}
    reports = 0
    for keys in truth.events.values():
        originals = sorted({truth.original_of(k) for k in keys})
        found = sketches([body(articles[k]) for k in originals])
        for first, second in itertools.combinations(found, 2):
            reports += 1
            assert not is_copy(first, second)
            assert similarity(first, second)[0] < 0.1
    assert reports > 50


def test_no_two_extraction_dev_pages_are_copies(gold_bodies: list[str]) -> None:
    found = sketches(gold_bodies)
    assert len(found) == 91
    assert copies_found(list(range(len(found))), found,
                        [Candidate(i, f"site {i}") for i in range(len(found))]) == {}
    assert not any(is_copy(a, b) for a, b in itertools.combinations(found, 2))


def edited(text: str, rate: float, seed: int) -> str:
    """`text` with about `rate` of its words replaced by other words of it."""
    rng = random.Random(seed)
    words = text.split(" ")
    return " ".join(rng.choice(words) if rng.random() < rate else w for w in words)


def test_edited_copies_still_match(truth: Truth) -> None:
    original = truth.article("daily-courier/ev-typhoon-marisol")
    other = truth.article("manila-ledger/ev-typhoon-marisol")
    text = "\n".join(original.paragraphs)
    base = sketch(text)
    variants = {
        "small edits": edited(text, 0.02, 1),
        "added paragraph": f"{text}\n{other.paragraphs[1]}",
        "dropped paragraph and edits": edited("\n".join(original.paragraphs[:-1]), 0.02, 2),
        "credit and dateline": f"By The Daily Courier\n{text.replace('MANILA – ', '')}",
        "case and width": text.upper().replace("11", "１１"),
    }
    for name, variant in variants.items():
        copy = sketch(variant)
        assert is_copy(base, copy), name
        assert set(bands(base)) & set(bands(copy)), name
    assert not is_copy(base, sketch(edited(text, 0.5, 3)))


def test_containment_keeps_a_copy_with_added_text(truth: Truth) -> None:
    original = truth.article("daily-courier/ev-colombo-port")
    extra = truth.article("indus-chronicle/ev-colombo-port")
    text = "\n".join(original.paragraphs)
    copy = edited(text, 0.03, 4) + "\n" + "\n".join(extra.paragraphs)
    first, second = sketch(text), sketch(copy)
    same, inside = similarity(first, second)
    assert same < 0.5 < 0.8 < inside
    assert is_copy(first, second)


def test_cjk_copies_match_by_characters(truth: Truth) -> None:
    for paper in ("donghai-daily", "yamato-shimpo"):
        stories = truth.content.of_paper(paper)
        assert len(stories) > 5
        found = sketches(["\n".join(s.paragraphs) for s in stories])
        for story, item in zip(stories, found, strict=True):
            text = "\n".join(story.paragraphs)
            # one shingle per character, give or take punctuation, digits and Latin words
            assert item.size > 0.6 * len(text)
            # a copy: one sentence dropped, a few characters changed, a paragraph added
            sentences = text.split("。")
            changed = "。".join(sentences[:2] + sentences[3:]).replace("的", "之", 2)
            copy = sketch(changed.replace("、", "，") + "\n" + stories[0].paragraphs[-1]
                          if story is not stories[0] else changed)
            assert is_copy(item, copy), story.key
        assert not any(is_copy(a, b) for a, b in itertools.combinations(found, 2))


def test_one_event_in_chinese_and_japanese_is_not_a_copy(truth: Truth) -> None:
    zh = truth.article("donghai-daily/ev-typhoon-marisol")
    ja = truth.article("yamato-shimpo/ev-typhoon-marisol")
    assert not is_copy(sketch("\n".join(zh.paragraphs)), sketch("\n".join(ja.paragraphs)))


def test_estimate_error_matches_theory_and_datasketch(gold_bodies: list[str]) -> None:
    """On real pages and edited copies of them (Jaccard from about 0.04 to 1), our estimate's
    error is that of an ideal MinHash, sqrt(J(1-J)/128), and no worse than datasketch's on the
    very same shingle sets."""
    pairs = [(text, edited(text, rate, seed))
             for seed, text in enumerate(gold_bodies[:40]) for rate in (0.03, 0.1, 0.25)]
    values, offsets = shingle_sets([t for pair in pairs for t in pair])
    found = sketches([t for pair in pairs for t in pair])
    exact, ours, theirs = [], [], []
    for i in range(len(pairs)):
        first = values[offsets[2 * i]:offsets[2 * i + 1]]
        second = values[offsets[2 * i + 1]:offsets[2 * i + 2]]
        exact.append(len(np.intersect1d(first, second)) / len(np.union1d(first, second)))
        ours.append(jaccard(found[2 * i].signature, found[2 * i + 1].signature))
        reference = []
        for shingle_set in (first, second):
            minhash = MinHash(num_perm=PERMUTATIONS)
            minhash.update_batch([int(v).to_bytes(4, "little") for v in shingle_set])
            reference.append(minhash)
        theirs.append(reference[0].jaccard(reference[1]))
    truth_j = np.array(exact)
    assert truth_j.min() < 0.2 and truth_j.max() > 0.8
    ideal = np.sqrt(np.mean(truth_j * (1 - truth_j) / PERMUTATIONS))
    ours_rmse = np.sqrt(np.mean((np.array(ours) - truth_j) ** 2))
    theirs_rmse = np.sqrt(np.mean((np.array(theirs) - truth_j) ** 2))
    assert ours_rmse < 1.25 * ideal
    assert ours_rmse < 1.25 * theirs_rmse
    assert abs(np.mean(np.array(ours) - truth_j)) < 0.01


def test_shingles_of_words_and_characters() -> None:
    assert len(shingles("")) == 0
    assert len(shingles("Too short")) == 1
    assert len(shingles("one two three four five six seven")) == 7 - WIDTH + 1
    assert np.array_equal(shingles("One, TWO three; four five."),
                          shingles("one two three four five"))
    # mixed Japanese and Latin: 2024, 年, の, ai, 規, 制, が, 始, ま, る
    assert len(shingles("２０２４年のAI規制が始まる。")) == 10 - WIDTH + 1
    assert np.array_equal(shingles("a b c d e f"), shingles("By China Daily\na b c d e f"))
    values, offsets = shingle_sets(["a b c d e f", "", "x", "a b c d e f"])
    assert offsets.tolist() == [0, 2, 2, 3, 5]
    assert np.array_equal(values[0:2], values[3:5])


def test_band_keys_are_bigints_stable_across_processes(truth: Truth) -> None:
    text = "\n".join(truth.article("daily-courier/ev-typhoon-marisol").paragraphs)
    keys = bands(sketch(text))
    assert len(keys) == 32 and len(set(keys)) == 32
    assert all(-(2**63) <= k < 2**63 for k in keys)
    script = ("import sys; from briefings.pipeline.bands import bands; "
              "from briefings.pipeline.minhash import sketch; "
              "print(bands(sketch(sys.stdin.read())))")
    other = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True,
                           text=True, check=True, env={"PYTHONHASHSEED": "123"})
    assert other.stdout.strip() == str(keys)
    stored = Sketch.from_bytes(sketch(text).to_bytes(), sketch(text).size)
    assert band_keys(stored.signature[np.newaxis, :])[0].tolist() == keys


def test_short_texts_have_no_band_keys() -> None:
    short = sketch("Markets closed higher on Monday after a quiet session in Asia.")
    assert 0 < short.size < MIN_SHINGLES
    assert bands(short) == []
    assert not is_copy(sketch(""), sketch(""))


def test_candidate_curve() -> None:
    assert candidate_probability(0.05) < 0.001
    assert candidate_probability(0.2) < 0.06
    assert candidate_probability(0.5) > 0.85
    assert candidate_probability(0.77) > 0.9999


def test_original_is_the_credited_paper_else_the_earliest() -> None:
    early, late = NOW - timedelta(hours=9), NOW - timedelta(hours=2)
    credited = [Candidate(1, "The Valley Gazette", "By The Daily Courier", early),
                Candidate(2, "The Daily Courier", "", late),
                Candidate(3, "Lanka Evening Mail", "By Daily Courier", early)]
    assert choose_original(credited).id == 2
    uncredited = [Candidate(4, "A", "", late), Candidate(5, "B", "", early),
                  Candidate(6, "C", "", None)]
    assert choose_original(uncredited).id == 5
    # a credit naming a paper we do not hold: the uncredited one is the original
    assert choose_original([Candidate(7, "A", "By Xinhua", early),
                            Candidate(8, "B", "", late)]).id == 8
    assert choose_original([Candidate(9, "A", "", None), Candidate(8, "B", "", None)]).id == 8
    with pytest.raises(ValueError):
        choose_original([])


def test_groups_join_copies_of_copies() -> None:
    people = [Candidate(1, "Origin Times", "", NOW - timedelta(hours=5)),
              Candidate(2, "Second Post", "By Origin Times", NOW - timedelta(hours=3)),
              Candidate(3, "Third Herald", "By Origin Times", NOW - timedelta(hours=1)),
              Candidate(4, "Lone Daily", "", NOW)]
    assert group_copies([(3, 2), (2, 1)], people) == {2: 1, 3: 1}
