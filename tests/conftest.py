"""Shared fixtures: the real data folder, a real HTTP server on 127.0.0.1, the sample
newspapers, their ground truth, and a store that ingested them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from pytest_django import DjangoDbBlocker

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


@pytest.fixture(scope="module")
def ingested(demo: DemoNewspapers, django_db_setup: None,
             django_db_blocker: DjangoDbBlocker) -> Iterator[DemoNewspapers]:
    """The sample papers ingested once for a test module; every row the ingest wrote is
    deleted after it, so the next module starts from an empty store."""
    from briefings.newsroom.extracting import ExtractionPool
    from briefings.newsroom.ingest import Ingest
    from briefings.pipeline.fetch import FetchConfig, Fetcher
    from briefings.sources.catalog import sync_sources
    from briefings.sources.models import Source

    with django_db_blocker.unblock():
        sync_sources(demo.sources())
        config = FetchConfig(backoff=0.01, retries=1, read_timeout=2.0)
        with Fetcher(config) as fetcher, ExtractionPool(2) as pool:
            report = Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool).run()
        assert report.total("failed") == 0
    yield demo
    with django_db_blocker.unblock():
        for app in ("newsroom", "sources"):
            for model in apps.get_app_config(app).get_models():
                model.objects.all().delete()
