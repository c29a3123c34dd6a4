"""Every setting, declared once: name, type, default and help.

Values come from, in rising order of precedence: the default here, `briefings.toml` (the file named
by `BRIEFINGS_CONFIG`, else `./briefings.toml` when present), and `BRIEFINGS_<NAME>` environment
variables. `briefings config` prints the effective value of each with where it came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.errors import ConfigError
from briefings.pipeline.sections import DEFAULT_SECTIONS

PACKAGE_DIR = Path(__file__).resolve().parent


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _positive_float(value: Any) -> float:
    number = float(value)
    if number < 0:
        raise ValueError("must be zero or more")
    return number


def _positive_int(value: Any) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be zero or more")
    return number


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "BRIEFINGS_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("home", str, "var", "Folder for the database, secret key, logs and screenshots."),
    Setting("database_url", str, "",
            "sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/NAME; "
            "empty means SQLite at HOME/briefings.sqlite3."),
    Setting("sources_file", str, "",
            "The sources.toml to load; empty means ./sources.toml if present, "
            "else the 22 partner papers shipped with Briefings."),
    Setting("secret_key", str, "",
            "Django's signing key; empty means one is generated once into HOME/secret_key."),
    Setting("debug", _bool, False, "Show Django's debug pages. Never on a public server."),
    Setting("allowed_hosts", _list, ("127.0.0.1", "localhost", "[::1]"),
            "Host names the site answers to, comma-separated."),
    Setting("site_name", str, "Eastern Briefings", "The site and briefing's name."),
    Setting("tagline", str, "All you need to know about Asia", "Shown under the site name."),
    Setting("time_zone", str, "Asia/Singapore", "Zone in which readers see times by default."),
    Setting("user_agent", str, "",
            "User-Agent for every request; empty means Briefings/VERSION with the project URL."),
    Setting("fetch_timeout", _positive_float, 20.0, "Seconds to wait for a connect or a read."),
    Setting("fetch_max_bytes", _positive_int, 10 * 1024 * 1024,
            "Largest body we read, after decompression; longer ones fail as too-large."),
    Setting("fetch_retries", _positive_int, 3, "Retries after a 5xx, 429 or timeout."),
    Setting("fetch_max_redirects", _positive_int, 5, "Redirects followed before giving up."),
    Setting("fetch_threads", _positive_int, 32,
            "Sources fetched at once (each host still gets one request at a time)."),
    Setting("default_delay", _positive_float, 1.0,
            "Minimum seconds between two requests to one host, unless a source sets its own."),
    Setting("extract_workers", _positive_int, 0,
            "Extraction processes; 0 means one per CPU core, 1 means extract in-process."),
    Setting("max_entries_per_feed", _positive_int, 200, "Newest entries taken from one feed."),
    Setting("max_entry_age", _positive_int, 7,
            "Days after which a feed or sitemap entry is too old to fetch; 0 means no limit."),
    Setting("entry_retries", _positive_int, 3,
            "How many ingests retry a page that failed before it is given up."),
    Setting("ingest_interval", _positive_int, 30,
            "Minutes between scheduled ingests while `briefings serve` runs; 0 turns it off."),
    Setting("story_window", _positive_int, 72,
            "Hours around a story's first and last article in which a new article may join it."),
    Setting("story_same_language", _positive_float, 0.24,
            "TF-IDF cosine of headline and lead words that makes two articles in one language "
            "one story (lower joins more)."),
    Setting("story_across_languages", _positive_float, 0.18,
            "Cosine of names, numbers and dates that makes two articles in different languages "
            "one story."),
    Setting("sections", _list, DEFAULT_SECTIONS,
            "The site's sections, comma-separated: sources' own sections map onto these, and an "
            "article whose source gives none is classified into one."),
    Setting("server_threads", _positive_int, 8, "Worker threads of the web server."),
    Setting("log_level", str, "INFO", "DEBUG, INFO, WARNING or ERROR."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Value:
    value: Any
    origin: str  # "default", the toml file's path, or the environment variable's name


def config_file(env: Mapping[str, str]) -> Path | None:
    named = env.get("BRIEFINGS_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"BRIEFINGS_CONFIG names {path}, which does not exist")
        return path
    local = Path("briefings.toml")
    return local if local.is_file() else None


def load(env: Mapping[str, str] | None = None) -> dict[str, Value]:
    """The effective settings; raises ConfigError naming the setting and origin of a bad value."""
    env = os.environ if env is None else env
    values = {s.name: Value(s.default, "default") for s in SETTINGS}
    path = config_file(env)
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        for key, raw in table.items():
            if key not in BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            values[key] = _parse(BY_NAME[key], raw, str(path))
    for setting in SETTINGS:
        if setting.env in env:
            values[setting.name] = _parse(setting, env[setting.env], setting.env)
    return values


def _parse(setting: Setting, raw: Any, origin: str) -> Value:
    try:
        return Value(setting.parse(raw), origin)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: bad value for {setting.name}: {raw!r} ({exc})") from exc


def home(values: Mapping[str, Value]) -> Path:
    return Path(values["home"].value).expanduser().resolve()


def database_url(values: Mapping[str, Value]) -> str:
    url = values["database_url"].value
    return url or f"sqlite:///{home(values) / 'briefings.sqlite3'}"


def sources_file(values: Mapping[str, Value]) -> Path:
    named = values["sources_file"].value
    if named:
        return Path(named)
    local = Path("sources.toml")
    return local if local.is_file() else PACKAGE_DIR / "sources.toml"


def user_agent(values: Mapping[str, Value]) -> str:
    from briefings import __version__

    return values["user_agent"].value or (
        f"Briefings/{__version__} (+https://github.com/briefings-news/briefings)"
    )


def describe(values: Mapping[str, Value]) -> list[tuple[str, str, str, str]]:
    """Rows of (environment variable, effective value, origin, help) for `briefings config`."""
    rows = []
    for setting in SETTINGS:
        value = values[setting.name]
        shown = value.value
        if setting.name == "secret_key" and shown:
            shown = "(set)"
        elif isinstance(shown, tuple):
            shown = ",".join(shown)
        rows.append((setting.env, str(shown), value.origin, setting.help))
    return rows
