"""Running due jobs, once across every process.

`Runner(app).tick(name)` is one attempt at one job: read its row (made on first sight, due at
once); if it is due (or its `pending()` says work waits) and its lease is free or expired, claim
it with a conditional UPDATE and commit; run the function in an application context; then clear
the lease and set the next due time, in one UPDATE that names this runner (a runner whose lease
expired meanwhile changes nothing). Claiming and finishing use connections of their own, so the
job's work commits or rolls back by itself. A runner that dies between claim and finish leaves the
job due with a lease that expires after the job's lease time; any runner takes it then.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from contextvars import ContextVar
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from nitet_online.extensions import db
from nitet_online.jobs.models import JobSchedule
from nitet_online.jobs.registry import Job
from nitet_online.plugins import registry_of
from nitet_online.services.thai import utcnow

log = logging.getLogger(__name__)
TABLE = JobSchedule.__table__
MAX_ERROR = 2000
_RUN_TIME: ContextVar[datetime | None] = ContextVar("job_run_time", default=None)


def run_time() -> datetime:
    """The time the running job was started at (naive UTC; a test's clock in tests)."""
    return _RUN_TIME.get() or utcnow()


def app_jobs(app: Flask) -> list[Job]:
    """The jobs the app's features declared (`plug.jobs(...)`), by name."""
    return sorted(registry_of(app).jobs.values(), key=lambda job: job.name)


class Runner:
    """Runs due jobs of one app; `owner` names this runner in the leases it takes."""

    def __init__(self, app: Flask, owner: str | None = None) -> None:
        self.app = app
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def job(self, name: str) -> Job:
        """The job `name` of one of this app's features (KeyError if there is none)."""
        return registry_of(self.app).jobs[name]

    # One attempt ---------------------------------------------------------------------------
    def tick(self, name: str, now: datetime | None = None) -> bool:
        """Runs job `name` if it is due and nobody holds it; True when it ran (even if it
        failed). `now` (naive UTC) is for tests."""
        job = self.job(name)
        with self.app.app_context():
            config = self.app.config
            if not job.is_enabled(config):
                return False
            injected = now is not None  # a test's clock: the run ends when it started
            now = now or utcnow()
            if not self._due(job, now):
                return False
            if not self.claim(job, now):
                return False
            token = _RUN_TIME.set(now)
            try:
                job.func()
            except Exception as error:
                db.session.rollback()
                log.exception("job %s failed; it will be tried again", name)
                self._finish(job, now, error, now if injected else None)
            else:
                self._finish(job, now, None, now if injected else None)
            finally:
                _RUN_TIME.reset(token)
                db.session.remove()
            return True

    def run_due(self, now: datetime | None = None, names: list[str] | None = None) -> list[str]:
        """One attempt at every job (or those named); the names of the jobs that ran."""
        chosen = names or [job.name for job in app_jobs(self.app)]
        return [name for name in chosen if self.tick(name, now)]

    # The steps, public for tests (a crash is a claim without a finish) --------------------------
    def claim(self, job: Job, now: datetime) -> bool:
        """Takes the job's lease if it is free or expired (and the job due, unless work is
        pending); commits at once. True when this runner now holds it."""
        until = now + timedelta(seconds=job.lease_seconds(self.app.config))
        free = (TABLE.c.lease_until.is_(None)) | (TABLE.c.lease_until <= now)
        condition = (TABLE.c.name == job.name) & free
        if job.pending is None:
            condition &= TABLE.c.next_run_at <= now
        statement = (
            update(TABLE)
            .where(condition)
            .values(lease_owner=self.owner, lease_until=until, last_started_at=now)
        )
        with db.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1

    def _due(self, job: Job, now: datetime) -> bool:
        """A cheap read first, so idle ticks write nothing."""
        row = db.session.execute(
            select(TABLE.c.next_run_at, TABLE.c.lease_until).where(TABLE.c.name == job.name)
        ).first()
        db.session.rollback()  # end the read (SQLite would otherwise keep its snapshot)
        if row is None:
            self._add(job, now)
            return True
        if row.lease_until is not None and row.lease_until > now:
            return False
        if row.next_run_at <= now:
            return True
        return bool(job.pending and job.pending())

    def _add(self, job: Job, now: datetime) -> None:
        """The job's row, due at once, made the first time any runner sees the job."""
        values = {"name": job.name, "next_run_at": now, "runs": 0}
        try:
            with db.engine.begin() as connection:
                connection.execute(insert(TABLE).values(values))
        except IntegrityError:  # another runner made it first
            pass

    def _finish(
        self,
        job: Job,
        started: datetime,
        error: Exception | None,
        finished: datetime | None = None,
    ) -> None:
        finished = finished or max(utcnow(), started)
        config = self.app.config
        next_run = job.next_run(config, finished)
        values = {"lease_owner": None, "lease_until": None, "last_finished_at": finished}
        if error is None:
            values |= {"next_run_at": next_run, "last_error": None, "runs": TABLE.c.runs + 1}
        else:
            retry = finished + timedelta(seconds=float(config.get("JOBS_RETRY_SECONDS", 60)))
            text = f"{type(error).__name__}: {error}"[:MAX_ERROR]
            values |= {"next_run_at": min(next_run, retry), "last_error": text}
        statement = (
            update(TABLE)
            .where(TABLE.c.name == job.name, TABLE.c.lease_owner == self.owner)
            .values(values)
        )
        try:
            with db.engine.begin() as connection:
                kept = connection.execute(statement).rowcount == 1
        except Exception:
            log.exception("could not record the end of job %s; its lease will expire", job.name)
            return
        if not kept:
            log.warning(
                "job %s ran longer than its lease (%s s); another runner may have taken it",
                job.name,
                job.lease_seconds(config),
            )


def run_soon(name: str, app: Flask | None = None) -> None:
    """Asks this process's scheduler, if it runs one, to try job `name` now instead of at its
    next poll (the search index after a commit). Without a scheduler here (tests, the CLI, web
    processes of a scale-out set) nothing happens: a worker's next poll finds the work."""
    from flask import current_app

    from nitet_online.jobs.scheduler import scheduler_of

    scheduler = scheduler_of(app or current_app._get_current_object())
    if scheduler is not None:
        scheduler.wake(name)


def status(app: Flask) -> list[dict]:
    """Each job of the app with its row (None before any runner saw it)."""
    with app.app_context():
        rows = {row.name: row for row in db.session.execute(select(TABLE)).all()}
        return [{"job": job, "row": rows.get(job.name)} for job in app_jobs(app)]
