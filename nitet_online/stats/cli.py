"""`flask --app wsgi stats rollup`: roll up finished days and purge old raw views."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from nitet_online.services.thai import today_bangkok

stats_cli = AppGroup("stats", help="Visit statistics.")


def _parse_day(text: str):
    from nitet_online.stats.services import PeriodError, parse_day

    try:
        return parse_day(text, api=True)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from error


@stats_cli.command("rollup")
@click.option("--day", help="Roll up (again) this one day, YYYY-MM-DD, even if already rolled up.")
def rollup_command(day: str | None) -> None:
    """Roll up every finished day not rolled up yet, then delete raw views older than
    STATS_RAW_RETENTION_DAYS (only of days already rolled up)."""
    from nitet_online.stats.rollup import roll_up_day, roll_up_pending

    current_app.extensions["stats_recorder"].flush()
    if day:
        views = roll_up_day(_parse_day(day))
        if views is None:
            click.echo(f"raw views of {day} were already deleted; its roll-up is kept")
        else:
            click.echo(f"rolled up {day}: {views} views")
        return
    report = roll_up_pending(today_bangkok())
    click.echo(
        f"rolled up {len(report.days)} day(s), {report.views} views; "
        f"purged {report.purged} raw views older than "
        f"{current_app.config['STATS_RAW_RETENTION_DAYS']} days"
    )
