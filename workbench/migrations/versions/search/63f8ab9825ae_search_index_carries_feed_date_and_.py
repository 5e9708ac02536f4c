"""search index carries feed, date and language

SQLite: the FTS5 table gets the entry's feed, sort date (published, else first seen) and language
as UNINDEXED columns, so that search filters by visibility, date and language and sorts inside the
FTS query, joining only the page of results to ``entries``. The normalised text is copied from the
old table (no re-normalisation); entries not indexed yet stay in the queue. The update trigger also
re-queues an entry whose feed, dates or language change. PostgreSQL: nothing to do.

Revision ID: 63f8ab9825ae
Revises: 34ead1157aac
Create Date: 2026-11-21 14:08:54.075792
"""

from alembic import op

revision = "63f8ab9825ae"
down_revision = "34ead1157aac"
branch_labels = None
depends_on = None

TRIGGERS = ("entry_fts_ai", "entry_fts_au", "entry_fts_ad")
QUEUE = "INSERT OR IGNORE INTO entry_fts_queue (entry_id) VALUES (new.id)"


def _create_triggers(update_columns: str) -> None:
    op.execute(f"CREATE TRIGGER entry_fts_ai AFTER INSERT ON entries BEGIN {QUEUE}; END")
    op.execute(f"CREATE TRIGGER entry_fts_au AFTER UPDATE OF {update_columns} ON entries BEGIN {QUEUE}; END")
    op.execute(
        "CREATE TRIGGER entry_fts_ad AFTER DELETE ON entries BEGIN "
        "DELETE FROM entry_fts WHERE rowid = old.id; "
        "DELETE FROM entry_fts_queue WHERE entry_id = old.id; END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(
        "CREATE VIRTUAL TABLE entry_fts_new USING fts5("
        "feed_id UNINDEXED, at UNINDEXED, language UNINDEXED, title, body, tokenize = 'unicode61')"
    )
    op.execute(
        "INSERT INTO entry_fts_new (rowid, feed_id, at, language, title, body) "
        "SELECT f.rowid, e.feed_id, coalesce(e.published_at, e.first_seen_at), e.language, f.title, f.body "
        "FROM entry_fts AS f JOIN entries AS e ON e.id = f.rowid"
    )
    op.execute("DROP TABLE entry_fts")
    op.execute("ALTER TABLE entry_fts_new RENAME TO entry_fts")
    _create_triggers("title, summary, content, extracted_text, feed_id, published_at, first_seen_at, language")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("CREATE VIRTUAL TABLE entry_fts_old USING fts5(title, body, tokenize = 'unicode61')")
    op.execute("INSERT INTO entry_fts_old (rowid, title, body) SELECT rowid, title, body FROM entry_fts")
    op.execute("DROP TABLE entry_fts")
    op.execute("ALTER TABLE entry_fts_old RENAME TO entry_fts")
    _create_triggers("title, summary, content, extracted_text")
