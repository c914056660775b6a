"""Backups: `flask --app wsgi backup [PATH]` and `flask --app wsgi restore PATH [--force]`.

An archive (.tar.gz, readable by the owner only) holds a consistent snapshot of the database
(SQLite through its online backup API, PostgreSQL through pg_dump), the uploaded files and a copy of
the settings. After a restore the database is migrated to the current schema and every hook the
features declare with `plug.post_restore(...)` runs (the search feature's rebuilds the index).
No blueprint: only the commands in `cli.py`.
"""

from nitet_online.plugins import Feature, Plug

feature = Feature("backup", "สำรองและกู้คืนข้อมูล")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.backup import cli, services

    plug.audit_labels(services.AUDIT_LABELS)
    plug.command(cli.backup_command)
    plug.command(cli.restore_command)
