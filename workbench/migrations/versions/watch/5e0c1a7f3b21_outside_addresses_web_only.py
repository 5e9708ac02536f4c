"""outside addresses web only: links and images that are not http(s) are dropped

Every address outside content gave is kept only when it is an absolute http(s) address (or, for
images, one of the app's bundled pictures): a local path stored by an older version would be
opened as a file by the page that shows it.

Revision ID: 5e0c1a7f3b21
Revises: 873671b088f3
Create Date: 2026-12-07 06:40:00
"""

from alembic import op
import sqlalchemy as sa

from curation.bundled_images import stored_image
from curation.urls import web_url

revision = '5e0c1a7f3b21'
down_revision = '873671b088f3'
branch_labels = None
depends_on = '6ff728dffbac'  # boards: pins, covers and drafts hold outside addresses too

# (table, column, the rule that column's values must follow)
COLUMNS = [
    ("entries", "link", web_url),
    ("entries", "image_url", stored_image),
    ("feeds", "site_url", web_url),
    ("pins", "url", web_url),
    ("pins", "image_url", stored_image),
    ("boards", "cover_image_url", stored_image),
    ("pin_drafts", "link", web_url),
]
BATCH = 1000


def upgrade() -> None:
    conn = op.get_bind()
    for table, column, rule in COLUMNS:
        rows = conn.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} <> ''"))
        changed = [{"id": row[0], "value": rule(row[1])} for row in rows if rule(row[1]) != row[1]]
        update = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
        for start in range(0, len(changed), BATCH):
            conn.execute(update, changed[start : start + BATCH])


def downgrade() -> None:
    pass  # dropped addresses were unsafe to show: nothing to restore
