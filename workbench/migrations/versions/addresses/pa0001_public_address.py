"""the install's public address as a trainer last opened the app (when none is configured)

Revision ID: pa0001
Revises:
Create Date: 2026-12-07 06:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'pa0001'
down_revision = None
branch_labels = ('addresses',)
depends_on = None


def upgrade() -> None:
    op.create_table('public_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('seen_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_address'))
    )


def downgrade() -> None:
    op.drop_table('public_address')
