"""story fingerprints carry facts (figures and names)

Fingerprints stored before have no facts: a side without facts puts nothing against a match, so
the stories already grouped stay as they are; ``curation.stories.regroup_all`` groups everything
again with the facts.

Revision ID: e4b7c2d91f30
Revises: c9a2baee9761
Create Date: 2026-12-07 08:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "e4b7c2d91f30"
down_revision = "c9a2baee9761"
branch_labels = None
depends_on = None


def upgrade() -> None:
    empty = sa.text("X''") if op.get_bind().dialect.name == "sqlite" else sa.text("''::bytea")
    with op.batch_alter_table("story_fingerprints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facts", sa.LargeBinary(), nullable=False, server_default=empty))


def downgrade() -> None:
    with op.batch_alter_table("story_fingerprints", schema=None) as batch_op:
        batch_op.drop_column("facts")
