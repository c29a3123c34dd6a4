"""The `briefings` command as a user runs it: real processes, a real server, a real database."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import load_truth


def run(args: list[str], env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefings", *args], env=env, cwd=env["HOME_DIR"],
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFINGS_")}
    return {**base, "BRIEFINGS_HOME": str(home), "HOME_DIR": str(home),
            "DJANGO_SETTINGS_MODULE": "briefings.settings"}


@pytest.fixture(scope="module")
def demo_once(env: dict[str, str]) -> dict[str, object]:
    result = run(["demo", "--once"], env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_once_ingests_every_sample_paper(demo_once: dict[str, object],
                                              env: dict[str, str]) -> None:
    truth = load_truth()
    identical = len(truth.copies)  # at most this many copies fold into their originals
    assert demo_once["sources"] == len(truth.content.papers) == 10
    assert demo_once["failed"] == 0 and demo_once["sources_failed"] == 0
    assert len(truth.content.articles) - identical <= demo_once["articles"] <= len(
        truth.content.articles)
    database = Path(env["BRIEFINGS_HOME"]) / "demo" / "briefings.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(env: dict[str, str], demo_once: dict[str, object]) -> Iterator[str]:
    port = free_port()
    database = Path(env["BRIEFINGS_HOME"]) / "demo" / "briefings.sqlite3"
    server_env = {**env, "BRIEFINGS_DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefings", "serve", "--port", str(port), "--no-ingest"],
        env=server_env, cwd=env["HOME_DIR"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stdout.read() if process.stdout else "") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_lists_every_sample_story_and_serves_static_files(served: str) -> None:
    truth = load_truth()
    home = httpx.get(served + "/", timeout=10)
    assert home.status_code == 200 and home.headers["server"].startswith("Briefings")
    html, page = home.text, 1
    while 'rel="next"' in html.rsplit("</ol>", 1)[-1] and page < 20:
        page += 1
        html += httpx.get(f"{served}/?page={page}", timeout=10).text

    def shown(title: str) -> bool:
        return str(escape(title)) in html

    # every event and every lone report is on the home page, told by one of its articles
    missing = [sorted(keys) for keys in truth.stories()
               if not any(shown(truth.article(k).title) for k in keys)]
    assert not missing, missing
    css = httpx.get(served + "/static/site/briefings.css", headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and css.headers.get("content-encoding") == "gzip"
    article = httpx.get(served + "/article/1/", timeout=10)
    assert article.status_code == 200 and "Read it at" in article.text


def test_sources_lists_the_partner_papers(env: dict[str, str]) -> None:
    result = run(["sources"], env)
    assert result.returncode == 0, result.stderr
    assert "22 sources" in result.stdout and "The Straits Times" in result.stdout


def test_sources_discover_and_opml_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    with DemoNewspapers() as papers:
        base = papers.papers["daily-courier"]
        found = run(["sources", "discover", base, "--allow-private", "--delay", "0"], env)
        assert found.returncode == 0, found.stderr
        assert f'"{base}/rss.xml"' in found.stdout and "[[source]]" in found.stdout
        sitemap = run(["sources", "discover", papers.papers["han-river-post"],
                       "--allow-private", "--delay", "0"], env)
        assert "sitemap-news.xml" in sitemap.stdout
    refused = run(["sources", "discover", "http://127.0.0.1:9/"], env)
    assert refused.returncode == 1 and "private" in refused.stderr.lower()
    opml = tmp_path / "sources.opml"
    assert run(["sources", "export-opml", str(opml)], env).returncode == 0
    assert opml.read_text(encoding="utf-8").count("<outline") >= 22
    imported = run(["sources", "import-opml", str(opml)], env)
    assert imported.returncode == 0 and "22 sources imported" in imported.stdout


def test_unknown_source_is_a_clear_error(env: dict[str, str]) -> None:
    result = run(["ingest", "--source", "no-such-paper", "--no-sync"], env)
    assert result.returncode == 2 and "no such source: no-such-paper" in result.stderr
