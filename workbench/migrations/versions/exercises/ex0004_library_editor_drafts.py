"""exercises: the library editor's drafts (one per trainer and thing edited), for a reload

Revision ID: ex0004
Revises: ex0003
Create Date: 2026-12-07 12:15:00.000000
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'ex0004'
down_revision = 'ex0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('library_editor_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_library_editor_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_editor_drafts')),
    sa.UniqueConstraint('user_id', 'target', name=op.f('uq_library_editor_drafts_user_id'))
    )
    with op.batch_alter_table('library_editor_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_editor_drafts_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('library_editor_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_editor_drafts_user_id'))
    op.drop_table('library_editor_drafts')
