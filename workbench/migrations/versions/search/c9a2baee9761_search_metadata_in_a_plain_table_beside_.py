"""search metadata in a plain table beside the text index

SQLite: each entry's feed, sort date and language move from UNINDEXED columns of the FTS5 table to
a plain table ``entry_fts_meta`` keyed by entry id. FTS5 reads an UNINDEXED column through its
content lookup, which returns the whole row (title and body included): that lookup was two thirds of
the cost of a search matching thousands of entries. A rowid lookup in a narrow table costs a third
of it. The FTS5 table keeps only the normalised title and body, copied (no re-normalisation); the
delete trigger removes the metadata row too. PostgreSQL: nothing to do.

Revision ID: c9a2baee9761
Revises: 63f8ab9825ae
Create Date: 2026-11-21 16:27:03.406827
"""

from alembic import op

revision = "c9a2baee9761"
down_revision = "63f8ab9825ae"
branch_labels = None
depends_on = None


def _create_delete_trigger(extra: str) -> None:
    op.execute(
        "CREATE TRIGGER entry_fts_ad AFTER DELETE ON entries BEGIN "
        f"DELETE FROM entry_fts WHERE rowid = old.id; {extra}"
        "DELETE FROM entry_fts_queue WHERE entry_id = old.id; END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS entry_fts_ad")  # it names the table being replaced
    op.execute(
        "CREATE TABLE entry_fts_meta (entry_id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, "
        "at DATETIME NOT NULL, language VARCHAR(16) NOT NULL)"
    )
    op.execute(
        "INSERT INTO entry_fts_meta (entry_id, feed_id, at, language) "
        "SELECT rowid, feed_id, at, language FROM entry_fts"
    )
    op.execute("CREATE VIRTUAL TABLE entry_fts_new USING fts5(title, body, tokenize = 'unicode61')")
    op.execute("INSERT INTO entry_fts_new (rowid, title, body) SELECT rowid, title, body FROM entry_fts")
    op.execute("DROP TABLE entry_fts")
    op.execute("ALTER TABLE entry_fts_new RENAME TO entry_fts")
    _create_delete_trigger("DELETE FROM entry_fts_meta WHERE entry_id = old.id; ")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS entry_fts_ad")  # it names the table being replaced
    op.execute(
        "CREATE VIRTUAL TABLE entry_fts_old USING fts5("
        "feed_id UNINDEXED, at UNINDEXED, language UNINDEXED, title, body, tokenize = 'unicode61')"
    )
    op.execute(
        "INSERT INTO entry_fts_old (rowid, feed_id, at, language, title, body) "
        "SELECT f.rowid, m.feed_id, m.at, m.language, f.title, f.body "
        "FROM entry_fts AS f JOIN entry_fts_meta AS m ON m.entry_id = f.rowid"
    )
    op.execute("DROP TABLE entry_fts")
    op.execute("ALTER TABLE entry_fts_old RENAME TO entry_fts")
    op.execute("DROP TABLE entry_fts_meta")
    _create_delete_trigger("")
