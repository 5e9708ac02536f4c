"""exercises: at most one draft per trainee and exercise

Drafts are now saved as the trainee types; two drafts of the same exercise would make a reload
resume the wrong one. Older duplicates (none were expected) keep the most recent one.

Revision ID: 20d04a66b675
Revises: f507a31959e1
Create Date: 2026-12-07 08:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '20d04a66b675'
down_revision = 'f507a31959e1'
branch_labels = None
depends_on = None

DRAFT = sa.text("status = 'in_progress'")


def upgrade() -> None:
    op.execute(
        "DELETE FROM exercise_submissions WHERE status = 'in_progress' AND id NOT IN ("
        " SELECT keep FROM (SELECT MAX(id) AS keep FROM exercise_submissions"
        " WHERE status = 'in_progress' GROUP BY user_id, exercise_id) AS latest)"
    )
    op.create_index(
        'uq_exercise_submissions_one_draft',
        'exercise_submissions',
        ['user_id', 'exercise_id'],
        unique=True,
        sqlite_where=DRAFT,
        postgresql_where=DRAFT,
    )


def downgrade() -> None:
    op.drop_index('uq_exercise_submissions_one_draft', table_name='exercise_submissions')
