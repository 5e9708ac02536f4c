"""digest list feed token: the secret part of a list's public Atom feed address

Revision ID: daeecda2875c
Revises: 6493ec7d79c8
Create Date: 2026-11-21 14:08:26.365311
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'daeecda2875c'
down_revision = '6493ec7d79c8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('digest_lists', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_digest_lists_feed_token'), ['feed_token'])


def downgrade() -> None:
    with op.batch_alter_table('digest_lists', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_digest_lists_feed_token'), type_='unique')
        batch_op.drop_column('feed_token')
