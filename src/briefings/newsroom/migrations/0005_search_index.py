"""The full-text index of article headlines and bodies (newsroom/search.py).

SQLite: two FTS5 tables over the article table's own columns (external content, so the text is
stored once), one of trigrams and one of words, kept in step by triggers because the writer inserts and updates with plain SQL and
Django's signals never fire. PostgreSQL: a GIN index on the weighted tsvector expression that
search.py queries. Other databases get nothing.
"""

from django.db import migrations

TABLES = {
    # every substring of three characters: Chinese, Japanese, Korean, Thai queries
    "newsroom_article_fts": "trigram",
    # words: queries in scripts that put spaces between words, read from a far smaller index
    "newsroom_article_words": "unicode61 remove_diacritics 2",
}


ADD = "".join(f"INSERT INTO {table}(rowid, title, text) VALUES (new.id, new.title, new.text); "
              for table in TABLES)
# An external-content table forgets a row given the values it indexed.
REMOVE = "".join(f"INSERT INTO {table}({table}, rowid, title, text) "
                 "VALUES ('delete', old.id, old.title, old.text); " for table in TABLES)


SQLITE = [
    *(f"CREATE VIRTUAL TABLE {table} USING fts5(title, text, content='newsroom_article', "
      f"content_rowid='id', tokenize='{tokenizer}')" for table, tokenizer in TABLES.items()),
    # Every distinct trigram with the number of articles holding it: short CJK words are looked
    # up here (search.py).
    "CREATE VIRTUAL TABLE newsroom_article_fts_terms USING fts5vocab(newsroom_article_fts, row)",
    "CREATE TRIGGER newsroom_article_fts_insert AFTER INSERT ON newsroom_article BEGIN "
    + ADD + "END",
    "CREATE TRIGGER newsroom_article_fts_delete AFTER DELETE ON newsroom_article BEGIN "
    + REMOVE + "END",
    # Only a changed headline or body touches the index: the writer updates other columns often.
    "CREATE TRIGGER newsroom_article_fts_update AFTER UPDATE OF title, text ON newsroom_article "
    "WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN "
    + REMOVE + ADD + "END",
    *(f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table in TABLES),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS newsroom_article_fts_update",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_delete",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_insert",
    "DROP TABLE IF EXISTS newsroom_article_fts_terms",
    *(f"DROP TABLE IF EXISTS {table}" for table in TABLES),
]
POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS newsroom_article_search ON newsroom_article USING gin (("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, text), 'B')))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS newsroom_article_search"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0004_related_stories'),
    ]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})),
    ]
