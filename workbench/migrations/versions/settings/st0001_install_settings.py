"""install settings saved by a trainer (Réglages): translation provider, SMTP, demo content

Revision ID: st0001
Revises:
Create Date: 2026-12-07 05:50:00.000000
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'st0001'
down_revision = None
branch_labels = ('settings',)
depends_on = None


def upgrade() -> None:
    op.create_table('install_settings',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_install_settings'))
    )


def downgrade() -> None:
    op.drop_table('install_settings')
