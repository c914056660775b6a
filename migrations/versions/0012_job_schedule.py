"""background jobs: one row per periodic job (when it is due, who holds its lease)

Jobs (news delivery, the statistics roll-up, the search outbox drain, supervisors' missing pages)
run in whichever process claims the job's row, once across every process (nitet_online/jobs/).
Rows are made by the runners when they first see a job.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_schedule",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("next_run_at", sa.DateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_schedule")),
    )


def downgrade():
    op.drop_table("job_schedule")
