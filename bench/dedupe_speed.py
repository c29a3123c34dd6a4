"""Dedupe throughput on synthetic streams of 100 000 and 1 000 000 articles, next to datasketch.

The articles are built from real text: every sentence of the extraction-dev gold bodies, the
story-clusters articles (BASIL and MMDS, English, Chinese, Malay) and the sample papers. Article i
is made with a random generator seeded by i, so workers rebuild any article without sharing it:
- an original (90%): 8 to 40 sentences drawn at random from the pool, three to a paragraph, and in
  each sentence, with probability 0.3, one word swapped for a random word of the pool's vocabulary;
- a planted copy (10%) of an original among the 5 000 before it: the original's paragraphs with a
  credit line "By The <Name> Daily" on top, one word swapped in each sentence with probability
  0.15, and with probability 0.5 an added paragraph of one to three new sentences, 0.2 the last
  paragraph cut (from five paragraphs up), 0.3 two paragraphs swapped.
Two originals of 24 sentences (the mean) share one about one time in twenty.

Prints, from one run:
- signatures per second of ours (text to signature) and of datasketch's default usage (a
  `MinHash(num_perm=128)` per article, `update_batch` on the same shingles as UTF-8 strings; the
  time to build those strings is not counted against datasketch), one process each, twice;
- the Jaccard estimate error of both against exact Jaccard on the same shingle sets of 1 000
  pairs (planted copies and their originals, and unrelated pairs);
- per stream size: wall time and articles per second for the whole dedupe (2 worker processes
  build the articles and make signatures and band keys, 1 000 at a time; the main process looks
  each thousand's keys up in an SQLite band table on disk in one query, matches keys within the
  thousand, confirms candidates, then stores keys and sketches, committing every 100 000
  articles), CPU seconds of both sides, recall and precision of the planted copies, the file's
  size and peak memory (largest resident set of the main process and of a worker);
- the same work with datasketch (MinHash + update_batch, an in-memory `MinHashLSH` with the same
  32 bands of 4, query then insert) in a process of its own, on the first 100 000 articles of the
  stream: run on a million it would take about half an hour.

`--sizes 100000` runs one size only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("BRIEFINGS_SHARED_DATA", ROOT.parent / "shared" / "data"))

from datasketch import MinHash, MinHashLSH  # noqa: E402

from briefings.demo.truth import load_truth  # noqa: E402
from briefings.pipeline.bands import BANDS, MIN_SHINGLES, ROWS, band_keys  # noqa: E402
from briefings.pipeline.dedupe import is_copy  # noqa: E402
from briefings.pipeline.minhash import PERMUTATIONS, Sketch, jaccard, sketches  # noqa: E402
from briefings.pipeline.shingles import WIDTH, shingle_sets  # noqa: E402

SEED = 7
COPY_SHARE = 0.1
COPY_WINDOW = 5000  # a copy follows its original within this many articles
CHUNK = 1000  # articles a worker handles at once
COMMIT_EVERY = 100  # chunks per transaction: random keys dirty most index pages in each one
DATASKETCH_AT_MOST = 100_000
SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
WORDS = re.compile(r"\w+")
NAMES = ("Northern", "Harbour", "Island", "River", "Mountain", "Capital", "Coastal", "Valley")

SENTENCES: list[str] = []
VOCABULARY: list[str] = []


def load_corpus() -> None:
    """Fill SENTENCES and VOCABULARY from the real texts."""
    texts = [e["articleBody"] for e in
             json.loads((DATA / "extraction-dev" / "ground-truth.json").read_text()).values()]
    for name in ("articles.jsonl.gz", "articles-mmds2025.jsonl.gz"):
        with gzip.open(DATA / "story-clusters" / name, "rt") as lines:
            texts.extend(json.loads(line)["text"] for line in lines)
    texts.extend("\n".join(a.paragraphs) for a in load_truth().content.articles)
    seen: set[str] = set()
    for text in texts:
        for sentence in SENTENCE.split(text.replace("\n", " ")):
            sentence = sentence.strip()
            if len(sentence) >= 30 and sentence not in seen:
                seen.add(sentence)
                SENTENCES.append(sentence)
    VOCABULARY.extend(sorted({w for s in SENTENCES for w in WORDS.findall(s)}))


def _generator(index: int) -> random.Random:
    return random.Random(index * 1_000_003 + SEED)


def _swap_words(sentence: str, rng: random.Random, chance: float) -> str:
    if rng.random() >= chance:
        return sentence
    words = sentence.split(" ")
    words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    return " ".join(words)


def _paragraphs(rng: random.Random, count: int, chance: float) -> list[str]:
    picked = [_swap_words(rng.choice(SENTENCES), rng, chance) for _ in range(count)]
    return [" ".join(picked[i:i + 3]) for i in range(0, count, 3)]


def original_of(index: int) -> int:
    """The original a planted copy copies, or the article itself."""
    rng = _generator(index)
    if index == 0 or rng.random() >= COPY_SHARE:
        return index
    while True:
        candidate = rng.randrange(max(0, index - COPY_WINDOW), index)
        if original_of(candidate) == candidate:
            return candidate


def article(index: int) -> str:
    original = original_of(index)
    if original == index:
        rng = _generator(index)
        rng.random()
        return "\n".join(_paragraphs(rng, rng.randint(8, 40), 0.3))
    paragraphs = article(original).split("\n")
    rng = _generator(index)
    rng.random()
    paragraphs = [" ".join(_swap_words(s, rng, 0.15) for s in SENTENCE.split(p) if s)
                  for p in paragraphs]
    if rng.random() < 0.5:
        at = rng.randrange(len(paragraphs) + 1)
        paragraphs[at:at] = _paragraphs(rng, rng.randint(1, 3), 0.3)
    if rng.random() < 0.2 and len(paragraphs) >= 5:
        paragraphs.pop()
    if rng.random() < 0.3 and len(paragraphs) >= 2:
        first, second = rng.sample(range(len(paragraphs)), 2)
        paragraphs[first], paragraphs[second] = paragraphs[second], paragraphs[first]
    return "\n".join([f"By The {rng.choice(NAMES)} Daily", *paragraphs])


def shingle_strings(text: str) -> list[bytes]:
    """Shingles as datasketch is usually fed: five-word strings, UTF-8."""
    words = WORDS.findall(text.casefold())
    return list({" ".join(words[i:i + WIDTH]).encode()
                 for i in range(max(1, len(words) - WIDTH + 1))})


# ---------------------------------------------------------------------------------------------


def signature_rates() -> None:
    texts = [article(i) for i in range(5000)]
    strings = [shingle_strings(t) for t in texts]
    print(f"signatures, one process, {len(texts)} articles "
          f"({sum(map(len, texts)) / len(texts):.0f} characters each on average):")
    for attempt in (1, 2):
        started = time.perf_counter()
        sketches(texts)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        for batch in strings:
            MinHash(num_perm=PERMUTATIONS).update_batch(batch)
        theirs = time.perf_counter() - started
        print(f"  run {attempt}: ours {len(texts) / ours:7.0f}/s (from text)   datasketch "
              f"update_batch {len(texts) / theirs:7.0f}/s (shingles given)   "
              f"ratio {theirs / ours:.2f}")


def estimate_errors() -> None:
    pairs = []
    for index in range(20_000):
        original = original_of(index)
        if original != index:
            pairs.append((original, index))
        if len(pairs) == 500:
            break
    rng = random.Random(SEED)
    pairs += [(rng.randrange(20_000), rng.randrange(20_000)) for _ in range(500)]
    texts = [article(i) for pair in pairs for i in pair]
    values, offsets = shingle_sets(texts)
    found = sketches(texts)
    exact, ours, theirs = [], [], []
    for i in range(len(pairs)):
        sets = [values[offsets[j]:offsets[j + 1]] for j in (2 * i, 2 * i + 1)]
        exact.append(len(np.intersect1d(*sets)) / max(1, len(np.union1d(*sets))))
        ours.append(jaccard(found[2 * i].signature, found[2 * i + 1].signature))
        reference = []
        for one in sets:
            minhash = MinHash(num_perm=PERMUTATIONS)
            minhash.update_batch([int(v).to_bytes(4, "little") for v in one])
            reference.append(minhash)
        theirs.append(reference[0].jaccard(reference[1]))
    truth = np.array(exact)
    print(f"Jaccard estimate error on {len(pairs)} pairs (exact Jaccard "
          f"{truth.min():.2f} to {truth.max():.2f}; ideal RMSE "
          f"{np.sqrt(np.mean(truth * (1 - truth) / PERMUTATIONS)):.4f}):")
    for name, estimate in (("ours", ours), ("datasketch", theirs)):
        error = np.array(estimate) - truth
        print(f"  {name:10} RMSE {np.sqrt(np.mean(error ** 2)):.4f}  bias {error.mean():+.4f}  "
              f"max {np.abs(error).max():.3f}")


# ---------------------------------------------------------------------------------------------


def _work(span: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, float]:
    """Build the articles of a span and return their signatures, sizes, band keys, and the
    worker's peak resident set in MB."""
    start, stop = span
    found = sketches([article(i) for i in range(start, stop)])
    signatures = np.stack([s.signature for s in found])
    sizes = np.array([s.size for s in found], dtype=np.int64)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return start, signatures, sizes, band_keys(signatures), peak


def _spans(count: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, CHUNK):
        yield start, min(count, start + CHUNK)


def _score(pairs: list[tuple[int, int]], count: int) -> tuple[float, float]:
    planted = {i for i in range(count) if original_of(i) != i}
    right = [(a, b) for a, b in pairs if original_of(a) == original_of(b)]
    found = {a if original_of(a) != a else b for a, b in right}
    return len(found & planted) / max(1, len(planted)), len(right) / max(1, len(pairs))


def _within(idents: np.ndarray, keys: np.ndarray) -> set[tuple[int, int]]:
    """Pairs (later, earlier) of articles of one chunk that share a band key."""
    flat, owners = keys.ravel(), np.repeat(idents, BANDS)
    order = np.argsort(flat, kind="stable")
    flat, owners = flat[order], owners[order]
    same = np.flatnonzero(flat[1:] == flat[:-1])
    pairs = set()
    for at in same:
        end = at + 1
        while end + 1 < len(flat) and flat[end + 1] == flat[at]:
            end += 1
        members = sorted(set(owners[at:end + 1].tolist()))
        pairs.update((later, earlier) for i, later in enumerate(members)
                     for earlier in members[:i])
    return pairs


def run_ours(count: int) -> None:
    folder = tempfile.mkdtemp(prefix="briefings-dedupe-")
    db = sqlite3.connect(Path(folder) / "bands.sqlite3", isolation_level=None)
    db.executescript("""
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -1000000;
        CREATE TABLE band (key INTEGER NOT NULL, article INTEGER NOT NULL,
                           PRIMARY KEY (key, article)) WITHOUT ROWID;
        CREATE TABLE sketch (article INTEGER PRIMARY KEY, size INTEGER, signature BLOB);
    """)
    # a chunk's keys in one query, each seeking the band index (CROSS JOIN keeps that order;
    # left to itself the planner may scan the band table); j.key is the key's place in the list
    lookup = ("SELECT DISTINCT j.key / ?, s.article, s.size, s.signature FROM json_each(?) j "
              "CROSS JOIN band b ON b.key = j.value CROSS JOIN sketch s ON s.article = b.article")
    pairs: list[tuple[int, int]] = []
    candidates, worker_mb = 0, 0.0
    cpu_before = [sum(getattr(resource.getrusage(who), f) for f in ("ru_utime", "ru_stime"))
                  for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    started = time.perf_counter()
    db.execute("BEGIN")
    with multiprocessing.Pool(2) as pool:
        for number, (start, signatures, sizes, keys, peak) in enumerate(
                pool.imap(_work, _spans(count))):
            worker_mb = max(worker_mb, peak)
            idents = np.arange(start, start + len(sizes))
            mine = {int(i): Sketch(signatures[n], int(sizes[n])) for n, i in enumerate(idents)}
            judged = sizes >= MIN_SHINGLES
            idents, keys = idents[judged], keys[judged]
            found = [(int(idents[place]), other, Sketch.from_bytes(blob, size))
                     for place, other, size, blob in db.execute(
                         lookup, (BANDS, json.dumps(keys.ravel().tolist())))]
            found += [(later, earlier, mine[earlier])
                      for later, earlier in _within(idents, keys)]
            for ident, other, theirs in found:
                candidates += 1
                if is_copy(mine[ident], theirs):
                    pairs.append((ident, other))
            flat, owners = keys.ravel(), np.repeat(idents, BANDS)
            order = np.argsort(flat)  # sorted inserts touch the index in order
            db.executemany("INSERT INTO band VALUES (?, ?)",
                           zip(flat[order].tolist(), owners[order].tolist(), strict=True))
            db.executemany("INSERT INTO sketch VALUES (?, ?, ?)",
                           [(i, s.size, s.to_bytes()) for i, s in mine.items()])
            if number % COMMIT_EVERY == COMMIT_EVERY - 1:
                db.execute("COMMIT")
                db.execute("BEGIN")
    db.execute("COMMIT")
    wall = time.perf_counter() - started
    db.close()
    size_mb = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
    recall, precision = _score(pairs, count)
    main, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    main_cpu = main.ru_utime + main.ru_stime - cpu_before[0]
    worker_cpu = workers.ru_utime + workers.ru_stime - cpu_before[1]
    print(f"ours, {count} articles: {wall:.1f} s wall, {count / wall:.0f} articles/s; "
          f"{candidates} candidates, {len(pairs)} copy pairs; recall {recall:.4f} "
          f"precision {precision:.4f}; SQLite file {size_mb:.0f} MB "
          f"({BANDS} band rows per article); CPU main {main_cpu:.0f} s (SQLite, confirming), "
          f"workers {worker_cpu:.0f} s (text to band keys); peak RSS main "
          f"{main.ru_maxrss / 1024:.0f} MB, worker {worker_mb:.0f} MB", flush=True)
    for item in Path(folder).iterdir():
        item.unlink()
    os.rmdir(folder)


def _datasketch(count: int, answer: multiprocessing.connection.Connection) -> None:
    lsh = MinHashLSH(num_perm=PERMUTATIONS, params=(BANDS, ROWS))
    held: dict[int, MinHash] = {}
    pairs: list[tuple[int, int]] = []
    started = time.perf_counter()
    for ident in range(count):
        minhash = MinHash(num_perm=PERMUTATIONS)
        minhash.update_batch(shingle_strings(article(ident)))
        pairs.extend((ident, other) for other in lsh.query(minhash)
                     if minhash.jaccard(held[other]) >= 0.5)
        lsh.insert(ident, minhash)
        held[ident] = minhash
    wall = time.perf_counter() - started
    answer.send((wall, pairs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def run_datasketch(count: int) -> None:
    receiving, sending = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_datasketch, args=(count, sending))
    process.start()
    wall, pairs, peak_mb = receiving.recv()
    process.join()
    recall, precision = _score(pairs, count)
    print(f"datasketch, {count} articles (one process, in-memory LSH): {wall:.1f} s wall, "
          f"{count / wall:.0f} articles/s; recall {recall:.4f} precision {precision:.4f}; "
          f"peak RSS {peak_mb:.0f} MB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    load_corpus()
    print(f"corpus: {len(SENTENCES)} real sentences, {len(VOCABULARY)} words; "
          f"{COPY_SHARE:.0%} planted copies", flush=True)
    signature_rates()
    estimate_errors()
    compared: set[int] = set()
    for count in args.sizes:
        run_ours(count)
        reference = min(count, DATASKETCH_AT_MOST)
        if reference not in compared:  # the first 100 000 of a longer stream are the same
            run_datasketch(reference)
            compared.add(reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
