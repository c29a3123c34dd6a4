"""The scheduler behind `briefings serve`: runs its command on time, never two at once."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from briefings.server import Scheduler, ingest_command


def test_runs_the_command_every_interval_until_stopped(tmp_path: Path) -> None:
    marks = tmp_path / "runs.txt"
    command = [sys.executable, "-c", f"open({str(marks)!r}, 'a').write('x')"]
    scheduler = Scheduler(command, minutes=0.3 / 60, first_delay=0)
    scheduler.start()
    deadline = time.monotonic() + 20
    while scheduler.runs < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    scheduler.stop()
    scheduler.thread.join(timeout=10)
    assert scheduler.runs >= 2 and marks.read_text() == "x" * scheduler.runs


def test_zero_minutes_means_no_schedule() -> None:
    scheduler = Scheduler(["false"], minutes=0)
    scheduler.start()
    assert not scheduler.thread.is_alive()


def test_ingest_command_runs_this_python() -> None:
    assert ingest_command("--no-sync")[:4] == [sys.executable, "-m", "briefings", "ingest"]
    assert ingest_command("--no-sync")[-1] == "--no-sync"
