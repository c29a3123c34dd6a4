"""`briefings extract`: real saved pages, a manifest, and pages served over real HTTP."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import pytest

from briefings.commands import extract as command
from briefings.errors import ConfigError
from tests.servers import Response, RouteServer

KEYS = {"title", "standfirst", "authors", "published", "updated", "section", "language",
        "credit", "paywalled", "text", "html"}
SANKEI = "asian-news/pages/sankei-shimbun__fundus-0499ff3e.html.gz"
SANKEI_URL = "https://www.sankei.com/article/20250121-QBJP5I25BBIG5IZ76XZNDHDB5Q/"
HEBEI = "asian-news/pages/xinhua-hebei__trafilatura-a5a25848.html.gz"  # GB2312

# The command reads what the store learned about each site (here: nothing yet).
pytestmark = pytest.mark.django_db


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    code = command.run(parser.parse_args(argv))
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


def test_one_saved_page_with_its_url(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(shared_data / SANKEI)
    code, results = run(["--json", "--url", SANKEI_URL, "--timezone", "Asia/Tokyo", path], capsys)
    assert code == 0
    [result] = results
    assert KEYS | {"path", "url"} == set(result)
    assert result["path"] == path and result["url"] == SANKEI_URL
    assert result["title"].startswith("小笠原諸島の警察無線「不感地帯」解消")
    assert result["authors"] == ["大渡 美咲"]
    assert result["published"] == "2025-01-21T11:50:32Z"
    assert result["paywalled"] is False
    assert result["text"].startswith("昨年の元日に起きた能登半島地震を受け")
    assert result["html"].startswith("<p>")


def test_a_manifest_goes_on_past_failures(shared_data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    dev = json.loads((shared_data / "extraction-dev" / "ground-truth.json").read_text())
    key, item = sorted(dev.items())[0]
    manifest = tmp_path / "pages.jsonl"
    lines = [
        {"path": str(shared_data / "extraction-dev" / "html" / f"{key}.html.gz"),
         "url": item["url"]},
        {"path": str(shared_data / HEBEI)},
        {"path": "missing.html"},
        "not json",
        {"url": 5},
    ]
    manifest.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines)
                        + "\n\n", encoding="utf-8")
    code, results = run(["--json", "--manifest", str(manifest)], capsys)
    assert code == 1
    assert len(results) == 5
    first, hebei, missing, bad_line, bad_url = results
    assert set(first) >= KEYS and first["url"] == item["url"] and first["text"]
    assert hebei["title"] == "话剧《约定无期限》河北各市巡演结束"  # decoded from GB2312
    assert hebei["published"] == "2012-06-04T09:20:26Z"  # no zone given: read as UTC
    assert hebei["credit"] == "By 河北日报"
    assert missing["path"] == str(tmp_path / "missing.html") and missing["error"] == "read"
    assert bad_line["error"] == bad_url["error"] == "manifest"
    assert bad_line["path"] == f"{manifest}:4"


def test_plain_html_files_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "story.html"
    page.write_text("<html><head><title>Rates held</title></head><body><article><h1>Rates "
                    "held</h1><p>" + "The central bank held its policy rate on Tuesday. " * 6
                    + "</p></article></body></html>", encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"not gzip")
    code, results = run(["--json", str(page), str(empty), str(broken)], capsys)
    assert code == 1
    ok, no_article, not_gzip = results
    assert ok["title"] == "Rates held" and ok["published"] is None and "url" not in ok
    assert no_article["error"] == "extract" and no_article["path"] == str(empty)
    assert not_gzip["error"] == "read"


def test_urls_are_fetched(server: RouteServer, shared_data: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    body = gzip.decompress((shared_data / SANKEI).read_bytes())
    server.routes["/article/1"] = Response(200, body, {"Content-Type": "text/html; charset=utf-8"})
    url, gone = server.url("/article/1"), server.url("/gone")
    code, results = run(["--json", "--allow-private", url, gone], capsys)
    assert code == 1
    fetched, missing = results
    assert fetched["url"] == url and "path" not in fetched
    assert fetched["authors"] == ["大渡 美咲"]
    assert missing == {"url": gone, "error": "http-status", "message": missing["message"]}
    code, results = run(["--json", url], capsys)  # loopback is refused without --allow-private
    assert code == 1 and results[0]["error"] == "private-address"


def test_readable_output_and_bad_arguments(shared_data: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    assert command.run(parser.parse_args([str(shared_data / SANKEI)])) == 0
    out = capsys.readouterr().out
    assert "大渡 美咲 · 2025-01-21T11:50:32Z" in out and "昨年の元日に" in out
    with pytest.raises(ConfigError):
        command.run(parser.parse_args(["--timezone", "Nowhere/Else", str(tmp_path)]))
    with pytest.raises(ConfigError):
        command.run(parser.parse_args(["--url", "https://x.example/", "a.html", "b.html"]))
