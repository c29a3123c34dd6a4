"""Story clustering quality: BCubed on the labelled story clusters and on the sample papers.

Prints, from one run:
- per file of ../shared/data/story-clusters (BASIL, MMDS2025 dev halves): BCubed precision,
  recall and F1 of `briefings stories eval` (dedupe and clustering in a throwaway store, the
  ingest's settings), next to the reference, a single-pass TF-IDF clustering (cosine to each
  cluster's centroid, all languages alike, no time window), at its best threshold on that file;
- the same for MMDS2025 with links across languages left out of our clustering, to show what
  the anchors bring;
- BCubed of the stories the ingest makes of the sample newspapers against their ground truth
  (each event, then every other report with its copies).
"""

from __future__ import annotations

# isort: off
import throwaway_store  # first, before any model: a fresh store, Django set up
# isort: on

import gzip
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from briefings.bcubed import Score, bcubed
from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import load_truth
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest
from briefings.newsroom.models import Entry
from briefings.pipeline import cluster
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Source

DATA = throwaway_store.ROOT.parent / "shared" / "data" / "story-clusters"
FILES = {"BASIL": "articles.jsonl.gz", "MMDS2025": "articles-mmds2025.jsonl.gz"}
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def show(label: str, score: Score) -> None:
    print(f"  {label:<44} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}",
          flush=True)


def ours(path: Path, env: dict[str, str] | None = None) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-m", "briefings", "stories", "eval", str(path)],
                          capture_output=True, text=True, check=True, env=env)
    return {row["id"]: row["story"] for row in map(json.loads, done.stdout.splitlines())}


def labelled(path: Path) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    gold = {str(r["id"]): r["cluster"] for r in rows}
    ids = sorted(gold)
    placed = ours(path)
    show("Briefings (stories eval)", bcubed([placed[i] for i in ids], [gold[i] for i in ids]))
    rows.sort(key=lambda r: r["date"] or "")
    profiles = [cluster.profile(r["title"] or "", r["text"], r["lang"]) for r in rows]
    truth = [r["cluster"] for r in rows]
    scores = {t: bcubed(cluster.similarity_baseline(profiles, t), truth) for t in THRESHOLDS}
    best = max(scores, key=lambda t: scores[t].f1)
    show(f"single-pass TF-IDF baseline, best threshold {best}", scores[best])
    if len({r["lang"] for r in rows}) > 1:
        env = {**throwaway_store.os.environ, "BRIEFINGS_STORY_ACROSS_LANGUAGES": "1000"}
        alone = ours(path, env)
        show("Briefings, no links across languages", bcubed([alone[i] for i in ids],
                                                             [gold[i] for i in ids]))


def sample_papers() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    truth = load_truth()
    with DemoNewspapers() as demo:
        sync_sources(demo.sources())
        with Fetcher(FetchConfig()) as fetcher, ExtractionPool(2) as pool:
            Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool).run()
        placed = {}
        for entry in Entry.objects.exclude(article=None).select_related("article"):
            key = truth.key_for_url(entry.url, demo.papers)
            if key is not None:
                placed[key] = entry.article.story_id
    gold = {key: n for n, keys in enumerate(truth.stories()) for key in keys}
    keys = sorted(placed)
    print(f"sample newspapers ({len(keys)} articles, {len(set(gold.values()))} true stories)")
    show("Briefings (ingest)", bcubed([placed[k] for k in keys], [gold[k] for k in keys]))


def main() -> int:
    for name, file in FILES.items():
        print(f"{name} ({file})")
        labelled(DATA / file)
    sample_papers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
