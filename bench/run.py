"""`make bench`: every benchmark in turn, each next to its reference in the same run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["extract_quality.py", "site_learning.py", "extract_speed.py", "ingest_speed.py",
              "dedupe_speed.py", "section_quality.py", "story_quality.py", "story_speed.py",
              "tag_speed.py", "related_speed.py", "search_speed.py"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / name)])
        print(f"--- {name}: exit {code} in {time.perf_counter() - started:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
