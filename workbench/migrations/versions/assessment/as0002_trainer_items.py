"""assessment: situational items written by trainers, their versions; the version an answer is on

Revision ID: as0002
Revises: 27f944c7b416
Create Date: 2026-12-07 11:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'as0002'
down_revision = '27f944c7b416'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trainer_items',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('competence_id', sa.String(length=40), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('sharing', sa.String(length=10), nullable=False),
    sa.Column('created_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_trainer_items_author_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_items'))
    )
    with op.batch_alter_table('trainer_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_items_author_id'), ['author_id'], unique=False)

    op.create_table('trainer_item_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_trainer_item_versions_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['trainer_items.id'], name=op.f('fk_trainer_item_versions_item_id_trainer_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_item_versions')),
    sa.UniqueConstraint('item_id', 'version', name=op.f('uq_trainer_item_versions_item_id'))
    )
    with op.batch_alter_table('trainer_item_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_item_versions_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('assessment_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assessment_answers', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('trainer_item_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_item_versions_item_id'))
    op.drop_table('trainer_item_versions')
    with op.batch_alter_table('trainer_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_items_author_id'))
    op.drop_table('trainer_items')
