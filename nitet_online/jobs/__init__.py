"""Background work: periodic jobs that run once across every process (see docs/DEVELOPING.md).

A feature declares its jobs in `nitet_online/<feature>/jobs.py` with `periodic(...)`
(jobs/registry.py). Where they run: inside the web server process (JOBS_MODE "embedded", the
default: gunicorn.conf.py starts the scheduler) or in a worker process (`flask --app wsgi jobs
run`, JOBS_MODE "worker" for the web processes). Which process runs a due job: the one that claims
its lease in the `job_schedule` table (jobs/runner.py).
"""

from nitet_online.jobs.registry import Job, periodic
from nitet_online.plugins import Feature, Plug

__all__ = ["Job", "periodic", "run_soon", "run_time"]

feature = Feature("jobs", "งานเบื้องหลัง")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.jobs.cli import jobs_cli

    plug.models("nitet_online.jobs.models")
    plug.command(jobs_cli)  # jobs run, jobs status


def run_soon(name: str, app=None) -> None:
    from nitet_online.jobs.runner import run_soon as _run_soon

    _run_soon(name, app)


def run_time():
    """The time the running job started at (naive UTC): use it as the job's "now"."""
    from nitet_online.jobs.runner import run_time as _run_time

    return _run_time()
