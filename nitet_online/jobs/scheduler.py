"""When jobs run: APScheduler 3 in each process that runs jobs, the database deciding which one.

Every process that runs jobs has one scheduler (a BackgroundScheduler inside the web server, or a
BlockingScheduler in `flask --app wsgi jobs run`) with one poll per job every JOBS_POLL_SECONDS;
each poll is a `Runner.tick`, which reads the job's row and runs it only if it is due and free.
APScheduler keeps its own schedule in memory only (its job stores are not meant to be shared
between processes); the shared truth — what is due, who runs it — is the `job_schedule` table.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from nitet_online.jobs.runner import Runner, app_jobs

log = logging.getLogger(__name__)
EXTENSION = "jobs_scheduler"
EMBEDDED, WORKER, OFF = "embedded", "worker", "off"


class JobScheduler:
    """The jobs of one app in this process."""

    def __init__(self, app: Flask, *, blocking: bool = False) -> None:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # no line per poll
        self.app = app
        self.pid = os.getpid()
        self.runner = Runner(app)
        self.jobs = [job for job in app_jobs(app) if job.is_enabled(app.config)]
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._again: set[str] = set()
        kind = BlockingScheduler if blocking else BackgroundScheduler
        self.scheduler = kind(
            executors={"default": ThreadPoolExecutor(max(1, len(self.jobs)))},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        poll = IntervalTrigger(seconds=float(app.config.get("JOBS_POLL_SECONDS", 5)))
        for job in self.jobs:
            self.scheduler.add_job(
                self._tick, poll, args=[job.name], id=job.name, next_run_time=datetime.now(UTC)
            )

    def start(self) -> None:
        """Starts the polls (returns at once; for a blocking scheduler, when it stops)."""
        log.info("background jobs in process %s: %s", self.pid, ", ".join(self.names))
        self.scheduler.start()

    def shutdown(self, wait: bool = False) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    @property
    def names(self) -> list[str]:
        return [job.name for job in self.jobs]

    @property
    def running(self) -> bool:
        return self.pid == os.getpid() and self.scheduler.running

    def wake(self, name: str) -> None:
        """Polls job `name` now (again right after the current run, if one is under way)."""
        with self._lock:
            if name in self._running:
                self._again.add(name)
                return
        with contextlib.suppress(JobLookupError):  # the job is off in this process
            self.scheduler.modify_job(name, next_run_time=datetime.now(UTC))

    def _tick(self, name: str) -> None:
        with self._lock:
            self._running.add(name)
        try:
            while True:
                try:
                    self.runner.tick(name)
                except Exception:  # the database away: the next poll tries again
                    log.exception("could not poll job %s", name)
                with self._lock:
                    if name not in self._again:
                        return
                    self._again.discard(name)
        finally:
            with self._lock:
                self._running.discard(name)


def scheduler_of(app: Flask) -> JobScheduler | None:
    """This process's running scheduler of `app`, if any."""
    scheduler = app.extensions.get(EXTENSION)
    return scheduler if scheduler is not None and scheduler.running else None


def start_embedded(app: Flask) -> JobScheduler | None:
    """Starts the jobs inside this (web server) process when JOBS_MODE is "embedded"; called by
    gunicorn.conf.py in each worker process once the app is loaded."""
    if not isinstance(app, Flask) or app.config.get("JOBS_MODE", EMBEDDED) != EMBEDDED:
        return None
    if scheduler_of(app) is not None:
        return app.extensions[EXTENSION]
    scheduler = JobScheduler(app)
    app.extensions[EXTENSION] = scheduler
    scheduler.start()
    return scheduler


def stop_embedded(app: Flask) -> None:
    if isinstance(app, Flask):
        scheduler = app.extensions.pop(EXTENSION, None)
        if scheduler is not None and scheduler.pid == os.getpid():
            scheduler.shutdown(wait=False)


def run_worker(app: Flask) -> None:
    """`flask jobs run`: runs every job of the app in this process until SIGTERM or Ctrl-C; a run
    under way is finished first."""
    scheduler = JobScheduler(app, blocking=True)
    app.extensions[EXTENSION] = scheduler

    def stop(signum, frame) -> None:
        log.info("stopping background jobs (signal %s)", signum)
        threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
