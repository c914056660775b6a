"""Backups: `flask --app wsgi backup [PATH]` and `flask --app wsgi restore PATH [--force]`.

An archive (.tar.gz, readable by the owner only) holds a consistent snapshot of the database
(SQLite through its online backup API, PostgreSQL through pg_dump), the uploaded files and a copy of
the settings. After a restore the database is migrated to the current schema and every hook in
`services.POST_RESTORE_HOOKS` runs; the search index is rebuilt through `flask search reindex`
when that command exists. No blueprint: only the commands in `cli.py`.
"""
