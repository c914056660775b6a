"""The statistics feature's background job: roll up finished days, purge old raw views."""

from __future__ import annotations

from flask import current_app

from nitet_online.jobs import periodic, run_time
from nitet_online.services.thai import to_bangkok


@periodic("stats.rollup", cron="STATS_ROLLUP_CRON", lease=30 * 60, enabled="STATS_AUTO_ROLLUP")
def roll_up_statistics() -> None:
    """Every finished day not rolled up yet (idempotent: a day is rebuilt from its raw views),
    then raw views past STATS_RAW_RETENTION_DAYS. This process's waiting views go in first."""
    from nitet_online.stats.rollup import roll_up_pending

    current_app.extensions["stats_recorder"].flush()
    roll_up_pending(to_bangkok(run_time()).date())
