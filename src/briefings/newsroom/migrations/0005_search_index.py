"""The full-text index of article headlines and bodies (newsroom/search.py).

SQLite: an FTS5 table over the article table's own columns (external content, so the text is
stored once), kept in step by triggers because the writer inserts and updates with plain SQL and
Django's signals never fire. PostgreSQL: a GIN index on the weighted tsvector expression that
search.py queries. Other databases get nothing.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE newsroom_article_fts USING fts5("
    "title, text, content='newsroom_article', content_rowid='id', tokenize='trigram')",
    # Every distinct trigram with the number of articles holding it: short CJK words are looked
    # up here (search.py).
    "CREATE VIRTUAL TABLE newsroom_article_fts_terms USING fts5vocab(newsroom_article_fts, row)",
    "CREATE TRIGGER newsroom_article_fts_insert AFTER INSERT ON newsroom_article BEGIN "
    "INSERT INTO newsroom_article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "CREATE TRIGGER newsroom_article_fts_delete AFTER DELETE ON newsroom_article BEGIN "
    "INSERT INTO newsroom_article_fts(newsroom_article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    # Only a changed headline or body touches the index: the writer updates other columns often.
    "CREATE TRIGGER newsroom_article_fts_update AFTER UPDATE OF title, text ON newsroom_article "
    "WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN "
    "INSERT INTO newsroom_article_fts(newsroom_article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO newsroom_article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "INSERT INTO newsroom_article_fts(newsroom_article_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS newsroom_article_fts_update",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_delete",
    "DROP TRIGGER IF EXISTS newsroom_article_fts_insert",
    "DROP TABLE IF EXISTS newsroom_article_fts_terms",
    "DROP TABLE IF EXISTS newsroom_article_fts",
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
