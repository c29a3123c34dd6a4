"""Settings: declared once, read from briefings.toml and the environment, all documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefings import config
from briefings.errors import ConfigError
from briefings.settings import database_from_url

REPO = Path(__file__).resolve().parents[1]


def test_defaults_then_toml_then_environment(tmp_path: Path) -> None:
    toml = tmp_path / "briefings.toml"
    toml.write_text('site_name = "Northern Briefings"\nfetch_retries = 5\n', encoding="utf-8")
    env = {"BRIEFINGS_CONFIG": str(toml), "BRIEFINGS_FETCH_RETRIES": "7"}
    values = config.load(env)
    assert values["site_name"].value == "Northern Briefings"
    assert values["site_name"].origin == str(toml)
    assert values["fetch_retries"].value == 7
    assert values["fetch_retries"].origin == "BRIEFINGS_FETCH_RETRIES"
    assert values["tagline"].origin == "default"


def test_bad_values_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="fetch_timeout"):
        config.load({"BRIEFINGS_FETCH_TIMEOUT": "soon"})
    toml = tmp_path / "b.toml"
    toml.write_text("no_such_setting = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_setting"):
        config.load({"BRIEFINGS_CONFIG": str(toml)})


def test_home_moves_the_default_database(tmp_path: Path) -> None:
    values = config.load({"BRIEFINGS_HOME": str(tmp_path)})
    assert config.database_url(values) == f"sqlite:///{tmp_path}/briefings.sqlite3"


def test_database_urls(tmp_path: Path) -> None:
    sqlite = database_from_url(f"sqlite:///{tmp_path}/x.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == f"{tmp_path}/x.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]  # type: ignore[index]
    pg = database_from_url("postgresql://news:s%40cret@db.example:5433/desk")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "desk", "news", "s@cret", "db.example", "5433")
    with pytest.raises(ConfigError):
        database_from_url("mysql://x/y")


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [s.env for s in config.SETTINGS if s.env not in doc]
    assert not missing, f"undocumented settings: {missing}"


def test_config_command_prints_effective_values(tmp_path: Path) -> None:
    env = {"BRIEFINGS_HOME": str(tmp_path), "BRIEFINGS_SITE_NAME": "Test Desk", "PATH": ""}
    out = subprocess.run([sys.executable, "-m", "briefings", "config", "--json"], env=env,
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    shown = json.loads(out)
    assert shown["BRIEFINGS_SITE_NAME"] == {"value": "Test Desk", "origin": "BRIEFINGS_SITE_NAME"}
    assert shown["BRIEFINGS_HOME"]["value"] == str(tmp_path)
