"""The state of each periodic job, shared by every process that runs jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nitet_online.extensions import db


class JobSchedule(db.Model):
    """One row per job: when it is due, and who holds its lease while it runs. A runner claims the
    job with a conditional UPDATE (due, and no lease or an expired one), commits, runs it, and
    clears the lease with the next due time; a runner that dies leaves a lease that expires."""

    __tablename__ = "job_schedule"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(default=0)
