"""exercises: trainer-made exercises, their versions and uploaded datasets; the version a
submission or a live crisis is on

Revision ID: ex0003
Revises: ex0002
Create Date: 2026-12-07 11:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import workbench.db


revision = 'ex0003'
down_revision = 'ex0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trainer_exercises',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('sharing', sa.String(length=10), nullable=False),
    sa.Column('created_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_trainer_exercises_author_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_exercises'))
    )
    with op.batch_alter_table('trainer_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_exercises_author_id'), ['author_id'], unique=False)

    op.create_table('trainer_exercise_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('datasets', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_trainer_exercise_versions_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['trainer_exercises.id'], name=op.f('fk_trainer_exercise_versions_exercise_id_trainer_exercises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_exercise_versions')),
    sa.UniqueConstraint('exercise_id', 'version', name=op.f('uq_trainer_exercise_versions_exercise_id'))
    )
    with op.batch_alter_table('trainer_exercise_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_exercise_versions_exercise_id'), ['exercise_id'], unique=False)

    op.create_table('exercise_datasets',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', workbench.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_exercise_datasets'))
    )
    with op.batch_alter_table('exercise_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
    with op.batch_alter_table('crisis_live_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crisis_live_sessions', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('exercise_submissions', schema=None) as batch_op:
        batch_op.drop_column('version')
    op.drop_table('exercise_datasets')
    with op.batch_alter_table('trainer_exercise_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_exercise_versions_exercise_id'))
    op.drop_table('trainer_exercise_versions')
    with op.batch_alter_table('trainer_exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_exercises_author_id'))
    op.drop_table('trainer_exercises')
