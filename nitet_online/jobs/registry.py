"""The job registry: what runs in the background, declared next to the feature it belongs to.

A feature declares its jobs in its own `jobs.py`, and names that module in its setup
(`plug.jobs(jobs)`, see nitet_online/plugins.py):

    from nitet_online.jobs.registry import periodic

    @periodic("news.deliver", every="NEWS_DELIVERY_SECONDS")
    def deliver_scheduled_news() -> None:
        services.deliver_due_notifications()

This module knows nothing about Flask, the database or the scheduler: a job is a name, a function
and its schedule. The jobs of an app are those its features declared (`registry_of(app).jobs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FunctionType, ModuleType
from zoneinfo import ZoneInfo

THAILAND = ZoneInfo("Asia/Bangkok")  # cron schedules are read in the office's time

Setting = int | float | str  # a number of seconds, or the name of a config key holding it


@dataclass(frozen=True)
class Job:
    """A periodic job. The function runs in an application context, at most once at a time across
    every process (a lease in the database), whenever the job is due: `every` seconds after its
    last run, or at the times of `cron` ("m h dom mon dow", Thailand time), and also whenever
    `pending()` says there is work waiting. It must be idempotent and take its work from the
    database (what is due, what is done), so that a run cut short is simply done again."""

    name: str
    func: Callable[[], object]
    every: Setting | None = None
    cron: str | None = None  # a crontab line, or the name of a config key holding one
    lease: Setting | None = None  # longest run before another runner may take over
    pending: Callable[[], bool] | None = None
    enabled: str | None = None  # name of a config key; the job is off while it is false

    @property
    def feature(self) -> str:
        """The feature package that declared the job (nitet_online.<feature>.jobs)."""
        parts = self.func.__module__.split(".")
        return parts[1] if len(parts) > 2 and parts[0] == "nitet_online" else parts[0]

    def is_enabled(self, config: Mapping) -> bool:
        return self.enabled is None or bool(config.get(self.enabled, True))

    def lease_seconds(self, config: Mapping) -> float:
        return (
            _seconds(self.lease, config)
            if self.lease is not None
            else float(config.get("JOBS_LEASE_SECONDS", 300))
        )

    def describe(self, config: Mapping) -> str:
        """The schedule in words, for `flask jobs status`."""
        if self.cron is not None:
            return f"cron {config.get(self.cron, self.cron)} (Thailand time)"
        return f"every {_seconds(self.every, config):g} s"

    def next_run(self, config: Mapping, after: datetime) -> datetime:
        """When the job is due next after `after` (both naive UTC, as the database stores)."""
        if self.cron is not None:
            from apscheduler.triggers.cron import CronTrigger

            line = config.get(self.cron, self.cron)
            trigger = CronTrigger.from_crontab(line, timezone=THAILAND)
            moment = trigger.get_next_fire_time(None, after.replace(tzinfo=UTC))
            return moment.astimezone(UTC).replace(tzinfo=None)
        return after + timedelta(seconds=_seconds(self.every, config))


def _seconds(value: Setting, config: Mapping) -> float:
    return float(config[value] if isinstance(value, str) else value)


def periodic(
    name: str,
    *,
    every: Setting | None = None,
    cron: str | None = None,
    lease: Setting | None = None,
    pending: Callable[[], bool] | None = None,
    enabled: str | None = None,
):
    """Declares the decorated function as the periodic job `name` (see Job); the feature's setup
    plugs the module's jobs in with `plug.jobs(module)`."""

    def decorate(func: Callable[[], object]) -> Callable[[], object]:
        if (every is None) == (cron is None):
            raise ValueError(f"job {name}: give exactly one of every= or cron=")
        func.periodic_job = Job(name, func, every, cron, lease, pending, enabled)
        return func

    return decorate


def jobs_in(module: ModuleType) -> list[Job]:
    """The jobs declared with `@periodic` in this module."""
    found = (
        getattr(value, "periodic_job", None)
        for value in vars(module).values()
        if isinstance(value, FunctionType)
    )
    return sorted((job for job in found if isinstance(job, Job)), key=lambda job: job.name)
