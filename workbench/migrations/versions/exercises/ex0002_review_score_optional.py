"""exercise reviews: the grid score is optional (a comment alone leaves the automatic score standing)

Revision ID: ex0002
Revises: f507a31959e1
Create Date: 2026-12-07 08:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'ex0002'
down_revision = '20d04a66b675'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('exercise_reviews', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    # The old schema needs a number: the automatic score is the one that stood.
    op.execute(
        "UPDATE exercise_reviews SET score = COALESCE((SELECT auto_score FROM exercise_submissions s "
        "WHERE s.id = exercise_reviews.submission_id), 0) WHERE score IS NULL"
    )
    with op.batch_alter_table('exercise_reviews', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=False)
