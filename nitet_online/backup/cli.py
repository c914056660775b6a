"""`flask --app wsgi backup [PATH]` and `flask --app wsgi restore PATH [--force]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from nitet_online.backup.services import BackupError, create_backup, restore_backup


@click.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path: Path | None) -> None:
    """Write a backup archive (database, uploads, settings) to PATH (a .tar.gz file or a folder;
    default NITET_DATA_DIR/backups/)."""
    try:
        summary = create_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"สำรองข้อมูลเรียบร้อย: {summary.path}\n"
        f"  ฐานข้อมูล {summary.dialect}: {sum(summary.row_counts.values())} แถว "
        f"ใน {len(summary.row_counts)} ตาราง, ไฟล์อัปโหลด {summary.upload_files} ไฟล์, "
        f"ขนาด {summary.size_bytes / 1024 / 1024:.1f} MB"
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds user accounts.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Restore a backup archive written by `backup` (stop the web servers first)."""
    try:
        summary = restore_backup(path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"กู้คืนข้อมูลเรียบร้อย (ไฟล์สำรองวันที่ {summary.created_at})\n"
        f"  ฐานข้อมูล {summary.dialect}: {sum(summary.row_counts.values())} แถว, "
        f"ไฟล์อัปโหลด {summary.upload_files} ไฟล์"
    )
    for hook in summary.hooks_run:
        click.echo(f"  สร้างข้อมูลใหม่จากฐานข้อมูล: {hook}")
