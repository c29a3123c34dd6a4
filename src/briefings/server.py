"""The production server: waitress serving the Django app, and a scheduler that ingests.

The scheduler runs each ingest in a child process, so a slow or crashing ingest never stalls the
web threads, and the single SQLite writer stays the ingest.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Sequence

log = logging.getLogger(__name__)


class Scheduler:
    """Runs `command` every `minutes`, never two at once; `stop()` ends it between runs."""

    def __init__(self, command: Sequence[str], minutes: float, *, first_delay: float | None = None):
        self.command = list(command)
        self.seconds = minutes * 60
        self.first_delay = self.seconds if first_delay is None else first_delay
        self._stop = threading.Event()
        self.runs = 0
        self.thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)

    def start(self) -> None:
        if self.seconds > 0:
            self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        wait = self.first_delay
        while not self._stop.wait(wait):
            log.info("scheduled ingest starting")
            result = subprocess.run(self.command, env=os.environ.copy(), capture_output=True,
                                    text=True, check=False)
            self.runs += 1
            last = result.stdout.strip().splitlines()[-1:] or [result.stderr.strip()[-300:]]
            log.info("scheduled ingest exited %s: %s", result.returncode, last[0])
            wait = self.seconds


def ingest_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "briefings", "ingest", "--no-progress", *extra]


def serve(host: str, port: int, *, threads: int, scheduler: Scheduler | None = None) -> None:
    """Serve until interrupted."""
    from waitress import create_server

    from briefings.wsgi import application

    server = create_server(application, host=host, port=port, threads=threads,
                           ident="Briefings", clear_untrusted_proxy_headers=True)
    if scheduler is not None:
        scheduler.start()
    print(f"Serving on http://{host}:{server.effective_port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.stop()
        server.close()
