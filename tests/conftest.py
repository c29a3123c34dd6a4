"""Shared fixtures: the real data folder, a real HTTP server on 127.0.0.1, the sample
newspapers and their ground truth."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth, load_truth
from tests.servers import RouteServer, route_server

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("BRIEFINGS_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared data folder is missing: {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def one_server() -> Iterator[RouteServer]:
    with route_server() as srv:
        yield srv


@pytest.fixture
def server(one_server: RouteServer) -> RouteServer:
    """One real server for the whole run; each test gets it with no routes and no hits."""
    one_server.routes.clear()
    one_server.hits.clear()
    return one_server


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoNewspapers]:
    """The sample newspapers, served on 127.0.0.1 for one test module."""
    with DemoNewspapers() as papers:
        yield papers


@pytest.fixture(scope="session")
def truth() -> Truth:
    return load_truth()
