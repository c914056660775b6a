"""`flask --app wsgi jobs run | status`: the background jobs' worker process and their state."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from nitet_online.services.thai import thai_datetime

jobs_cli = AppGroup("jobs", help="Background jobs (news delivery, statistics, search index...).")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit.")
def run_command(once: bool) -> None:
    """Run the background jobs in this process until stopped (SIGTERM, Ctrl-C). Safe beside other
    runners: each due job runs once, in whichever process claims it."""
    from nitet_online.jobs.runner import Runner
    from nitet_online.jobs.scheduler import run_worker

    app = current_app._get_current_object()
    if once:
        ran = Runner(app).run_due()
        click.echo(f"jobs run: {', '.join(ran) if ran else 'none due'}")
        return
    run_worker(app)


@jobs_cli.command("status")
def status_command() -> None:
    """Each job: when it is due next, its last run, and who holds it now."""
    from nitet_online.jobs.runner import status

    for entry in status(current_app._get_current_object()):
        job, row = entry["job"], entry["row"]
        schedule = job.describe(current_app.config)
        if row is None:
            click.echo(f"{job.name}: {schedule}; not run yet")
            continue
        line = (
            f"{job.name}: {schedule}; next {thai_datetime(row.next_run_at)}; "
            f"runs {row.runs}; last finished "
            f"{thai_datetime(row.last_finished_at) if row.last_finished_at else '-'}"
        )
        if row.lease_owner:
            line += f"; running in {row.lease_owner} until {thai_datetime(row.lease_until)}"
        if row.last_error:
            line += f"; last error: {row.last_error}"
        click.echo(line)
