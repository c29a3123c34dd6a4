"""Full-text search over article headlines and bodies, on SQLite FTS5 or PostgreSQL full text.

One interface, `search(Query) -> Results`, two engines chosen by the connection's vendor.

Why a window: ranking every match of a common word costs time in proportion to the store (bm25 or
ts_rank for each of hundreds of thousands of rows). Ids grow with arrival, so the newest `WINDOW`
matches are the first `WINDOW` rows of the index read backwards by id, a bounded read whatever the
size of the store. Both sorts work inside that window: by relevance (bm25, the headline weighing
`TITLE_WEIGHT` times the body) or by publication date. A query with fewer matches than the window
ranks them all; `Results.capped` says when older matches were left out, and the page says so.

SQLite: two FTS5 indexes of the same columns (migration 0005). Queries in scripts that put spaces
between words go to the word index (unicode61, diacritics folded): its postings are per word, so
the newest matches of even the commonest word are a short read. Queries with Chinese, Japanese,
Korean, Thai (scripts without spaces, or with particles glued to words) go to the trigram index,
which matches any substring of three characters or more and so needs no segmenter; Latin words in
such a query match as substrings there. Reading a Latin word through trigrams instead ("railing":
five trigrams, two of them in most articles) cost ten to forty times as much (search_speed.py).
A term shorter than three characters in the trigram index has no trigram of its own:
- a CJK one (台风, 東京: most Chinese and Japanese words are two characters) is looked up in the
  index's own vocabulary (`newsroom_article_fts_terms`): the trigrams that begin with it, the most
  widespread `SHORT_EXPANSION` of them, ORed. That finds the word anywhere but at the very end of
  a headline or body;
- a Latin one ("EU") is searched as a word between spaces or before punctuation.
bm25's IDF reads every posting of each term once per query, whatever the window: with words
that is milliseconds for a word in every article of 200 000.
FTS5's snippet() picks the passage; the words are then marked again in Python (an expanded short
term would otherwise mark its whole trigram), with control characters as markers, the text is
HTML-escaped, and only then are the markers turned into <mark> tags.

PostgreSQL: websearch_to_tsquery over the 'simple' configuration (no stemming, every language
alike), ts_rank with the headline in weight A and the body in B, ts_headline for the snippet, and
the GIN expression index created by migration 0005. 'simple' splits on spaces, so a CJK query
matches only whole runs of CJK text there: substring search in CJK needs pg_trgm, not done here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from markupsafe import Markup, escape

PER_PAGE = 20
WINDOW = 500  # matches considered, newest first
TITLE_WEIGHT = 4.0  # bm25 column weight of the headline; the body weighs 1
SHORT_EXPANSION = 64  # trigrams a short CJK term expands to
SNIPPET_WORDS = 24  # FTS5 snippet length in the word table
SNIPPET_TRIGRAMS = 48  # and in the trigram table (about as many characters)
OPEN, CLOSE = "\x02", "\x03"  # markers no stored text carries (the extractor drops controls)
SORTS = ("relevance", "date")
_TERMS = re.compile(r'"([^"]*)"|(\S+)')
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")
_MARK = "%s"
_ARTICLE = "newsroom_article"
_FTS = "newsroom_article_fts"  # trigrams
_WORDS = "newsroom_article_words"  # words (unicode61)
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, CJK) and Hangul,
# whose particles attach to the word: queries in them go to the trigram table.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff"
                       "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
_VECTOR = ("(setweight(to_tsvector('simple'::regconfig, a.title), 'A') || "
           "setweight(to_tsvector('simple'::regconfig, a.text), 'B'))")


@dataclass(frozen=True, slots=True)
class Query:
    """What a reader asked for. `text` is free text: words, and "quoted phrases"."""

    text: str
    source: str = ""  # a source slug
    section: str = ""
    region: str = ""
    since: date | None = None
    until: date | None = None  # inclusive
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    title: Markup  # escaped, the query's words in <mark>
    snippet: Markup  # escaped, the query's words in <mark>
    source: str  # the paper's name
    source_zone: str
    published: datetime | None
    language: str
    score: float


@dataclass(frozen=True, slots=True)
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # matches found in the window; WINDOW when capped
    capped: bool = False  # more matches exist than the window holds
    page: int = 1
    pages: int = 0


def terms(text: str) -> list[str]:
    """The query's words and quoted phrases, normalised (NFKC), control characters dropped."""
    text = _CONTROLS.sub(" ", unicodedata.normalize("NFKC", text))
    found = []
    for phrase, word in _TERMS.findall(text):
        term = " ".join((phrase or word).split())
        if term:
            found.append(term)
    return found


def search(query: Query, using: str = DEFAULT_DB_ALIAS) -> Results:
    """The page of matches `query` asks for, best or newest first."""
    words = terms(query.text)
    if not words:
        return Results()
    connection = connections[using]
    engine = _postgresql if connection.vendor == "postgresql" else _sqlite
    with connection.cursor() as cursor:
        return engine(cursor, words, query)


def highlighted(text: str) -> Markup:
    """Escape everything, then turn the engine's markers into <mark> tags, balanced."""
    out, inside = [], False
    for part in re.split(f"([{OPEN}{CLOSE}])", text or ""):
        if part == OPEN and not inside:
            out.append(Markup("<mark>"))
            inside = True
        elif part == CLOSE and inside:
            out.append(Markup("</mark>"))
            inside = False
        elif part not in (OPEN, CLOSE):
            out.append(escape(part))
    if inside:
        out.append(Markup("</mark>"))
    return Markup("").join(out)


def _filters(query: Query, vendor: str) -> tuple[str, list[Any]]:
    """SQL conditions on the article row `a`; dates are whole days in the readers' zone."""
    sql: list[str] = []
    params: list[Any] = []
    if query.source:
        sql.append(f"a.source_id = (SELECT id FROM sources_source WHERE slug = {_MARK})")
        params.append(query.source)
    if query.section:
        sql.append(f"a.section = {_MARK}")
        params.append(query.section)
    if query.region:
        sql.append(f"a.region = {_MARK}")
        params.append(query.region)
    for bound, day, op in (("since", query.since, ">="), ("until", query.until, "<")):
        if day is None:
            continue
        if bound == "until":
            day = day + timedelta(days=1)
        moment = datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.DISPLAY_TIME_ZONE))
        sql.append(f"a.published {op} {_MARK}")
        params.append(moment if vendor == "postgresql"
                      else str(moment.astimezone(UTC).replace(tzinfo=None)))
    return "".join(f" AND {s}" for s in sql), params


def _by_date(window: list[tuple[int, Any]], query: Query) -> list[tuple[int, float]]:
    """For the date sort: the page's ids, latest published first within the window."""
    ordered = sorted(window, key=lambda row: (row[1] is not None, row[1] or 0, row[0]),
                     reverse=True)
    start = (query.page - 1) * query.per_page
    return [(pk, 0.0) for pk, _ in ordered[start:start + query.per_page]]


def _results(query: Query, window: list[tuple[int, Any]], capped: bool,
             ranked: list[tuple[int, float]], details: dict[int, tuple]) -> Results:
    total = len(window)
    pages = max(1, -(-total // query.per_page))
    hits = []
    for pk, score in ranked:
        title, snippet, source, zone, published, language = details[pk]
        if isinstance(published, str):
            published = datetime.fromisoformat(published).replace(tzinfo=UTC)
        hits.append(Hit(pk, highlighted(title), highlighted(snippet), source, zone, published,
                        language or "", score))
    return Results(hits, total, capped, query.page, pages)


def _page_of(query: Query) -> Query:
    """The query with its page, size and sort brought into range."""
    return replace(query, page=max(1, query.page), per_page=max(1, min(query.per_page, 100)),
                   sort=query.sort if query.sort in SORTS else "relevance")


# SQLite ------------------------------------------------------------------------------------

def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _unspaced(term: str) -> bool:
    return _UNSPACED.search(term) is not None


def _short(cursor: Any, term: str) -> str | None:
    """A trigram-table expression for a term of one or two characters, or None if nothing can
    match."""
    lower = term.casefold()
    if not _unspaced(term):
        forms = [f" {lower}{end}" for end in " ,.;:'’)"] + [f"({lower})"]
        anywhere = " OR ".join(_fts_string(f) for f in forms)
        return f"({anywhere} OR ^{_fts_string(lower + ' ')})"
    cursor.execute(
        f"SELECT term FROM {_FTS}_terms WHERE term >= %s AND term < %s ORDER BY doc DESC "
        "LIMIT %s", [lower, lower + "\U0010ffff", SHORT_EXPANSION])
    found = [row[0] for row in cursor.fetchall()]
    if not found:
        return None
    return "(" + " OR ".join(_fts_string(t) for t in found) + ")"


def _marked(text: str, words: list[str], whole_words: bool) -> str:
    """`text` with every occurrence of the query's terms between markers, as the index matched
    them: whole words in the word table, substrings in the trigram table (but for short Latin
    terms, whole words there too)."""
    text = (text or "").replace(OPEN, "").replace(CLOSE, "")
    patterns = []
    for term in sorted(words, key=len, reverse=True):
        pattern = r"\s+".join(re.escape(part) for part in term.split())
        if whole_words or (len(term) < 3 and not _unspaced(term)):
            pattern = rf"(?<!\w){pattern}(?!\w)"
        patterns.append(pattern)
    return re.sub("|".join(patterns), lambda m: OPEN + m.group(0) + CLOSE, text,
                  flags=re.IGNORECASE)


def _match(cursor: Any, words: list[str], table: str) -> str | None:
    if table == _WORDS:
        return " AND ".join(_fts_string(term) for term in words)
    parts = []
    for term in words:
        if len(term) >= 3:
            parts.append(_fts_string(term))
            continue
        short = _short(cursor, term)
        if short is None:
            return None
        parts.append(short)
    return " AND ".join(parts)


def _sqlite(cursor: Any, words: list[str], query: Query) -> Results:
    query = _page_of(query)
    table = _FTS if any(_unspaced(term) for term in words) else _WORDS
    match = _match(cursor, words, table)
    if match is None:
        return Results(page=query.page)
    where, params = _filters(query, "sqlite")
    # The article rows are read only when a filter or the date sort needs them.
    published, join = ("a.published", f" JOIN {_ARTICLE} a ON a.id = f.rowid") \
        if where or query.sort == "date" else ("NULL", "")
    cursor.execute(
        f"SELECT f.rowid, {published} FROM {table} f{join} "
        f"WHERE {table} MATCH %s{where} ORDER BY f.rowid DESC LIMIT %s",
        [match, *params, WINDOW + 1])
    window, capped = _capped(cursor.fetchall())
    if not window:
        return Results(page=query.page)
    if query.sort == "date":
        ranked = _by_date(window, query)
    else:
        cursor.execute(
            f"SELECT f.rowid, bm25({table}, %s, 1.0) AS score FROM {table} f{join} "
            f"WHERE {table} MATCH %s AND f.rowid >= %s{where} "
            "ORDER BY score, f.rowid DESC LIMIT %s OFFSET %s",
            [TITLE_WEIGHT, match, window[-1][0], *params, query.per_page,
             (query.page - 1) * query.per_page])
        ranked = [(pk, -score) for pk, score in cursor.fetchall()]
    if not ranked:
        return _results(query, window, capped, [], {})
    ids = [pk for pk, _ in ranked]
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT f.rowid, a.title, snippet({table}, 1, '', '', '…', %s), s.name, s.timezone, "
        f"a.published, a.language FROM {table} f JOIN {_ARTICLE} a ON a.id = f.rowid "
        "JOIN sources_source s ON s.id = a.source_id "
        f"WHERE {table} MATCH %s AND f.rowid IN ({marks})",
        [SNIPPET_WORDS if table == _WORDS else SNIPPET_TRIGRAMS, match, *ids])
    whole = table == _WORDS
    details = {pk: (_marked(title, words, whole), _marked(snippet, words, whole), *rest)
               for pk, title, snippet, *rest in cursor.fetchall()}
    return _results(query, window, capped, ranked, details)


def _capped(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], bool]:
    """The newest WINDOW matches of a query that asked for one more, and whether there were
    more."""
    return rows[:WINDOW], len(rows) > WINDOW


# PostgreSQL --------------------------------------------------------------------------------

_MARKERS = f"StartSel={OPEN}, StopSel={CLOSE}"
_SNIPPET = _MARKERS + ", MaxWords=35, MinWords=15, ShortWord=1, MaxFragments=2"


def _postgresql(cursor: Any, words: list[str], query: Query) -> Results:
    query = _page_of(query)
    text = " ".join(f'"{w}"' if " " in w else w for w in words)
    where, params = _filters(query, "postgresql")
    tsquery = "websearch_to_tsquery('simple'::regconfig, %s)"
    cursor.execute(
        f"SELECT a.id, a.published FROM {_ARTICLE} a WHERE {_VECTOR} @@ {tsquery}{where} "
        "ORDER BY a.id DESC LIMIT %s", [text, *params, WINDOW + 1])
    window, capped = _capped(cursor.fetchall())
    if not window:
        return Results(page=query.page)
    if query.sort == "date":
        ranked = _by_date(window, query)
    else:
        cursor.execute(
            f"SELECT a.id, ts_rank({_VECTOR}, {tsquery}) AS score FROM {_ARTICLE} a "
            f"WHERE {_VECTOR} @@ {tsquery} AND a.id >= %s{where} "
            "ORDER BY score DESC, a.id DESC LIMIT %s OFFSET %s",
            [text, text, window[-1][0], *params, query.per_page,
             (query.page - 1) * query.per_page])
        ranked = [(pk, float(score)) for pk, score in cursor.fetchall()]
    if not ranked:
        return _results(query, window, capped, [], {})
    cursor.execute(
        f"SELECT a.id, ts_headline('simple'::regconfig, a.title, {tsquery}, %s), "
        f"ts_headline('simple'::regconfig, a.text, {tsquery}, %s), s.name, s.timezone, "
        f"a.published, a.language FROM {_ARTICLE} a "
        "JOIN sources_source s ON s.id = a.source_id WHERE a.id = ANY(%s)",
        [text, _MARKERS + ", HighlightAll=true", text, _SNIPPET,
         [pk for pk, _ in ranked]])
    details = {row[0]: row[1:] for row in cursor.fetchall()}
    return _results(query, window, capped, ranked, details)

