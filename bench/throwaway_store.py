"""A throwaway SQLite store for the benchmarks that run the ingest.

Importing this module, before any model, points Briefings at a fresh temporary home with its own
database and sets Django up, so a benchmark never touches the user's `var/`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
HOME = tempfile.mkdtemp(prefix="briefings-bench-")
os.environ.update({
    "BRIEFINGS_HOME": HOME,
    "BRIEFINGS_DATABASE_URL": f"sqlite:///{HOME}/bench.sqlite3",
    "BRIEFINGS_SECRET_KEY": "bench-only",
    "DJANGO_SETTINGS_MODULE": "briefings.settings",
})
django.setup()
