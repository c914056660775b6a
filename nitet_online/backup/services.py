"""Writing and restoring backup archives.

Archive layout (a gzip-compressed tar, mode 600 because it holds personal data and password
hashes):

    manifest.json              format, version, database dialect, schema revisions, row counts
    database/nitet.sqlite      SQLite: a page-consistent copy made with the online backup API
    database/nitet.pgdump      PostgreSQL: pg_dump custom format (one snapshot transaction)
    uploads/...                the upload folder (files are written before their rows commit, so
                               the snapshot taken first never names a file the archive lacks)
    settings/office.json       a readable copy of the office settings (the database holds them)
    settings/secret_key        the generated session key, when the data folder has one

The archive is written under a temporary name and renamed when complete, so a crash never leaves
a half archive under the final name.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.plugins import plugins
from nitet_online.services.thai import utcnow
from nitet_online.uploads.services import STAGING_FOLDER

ARCHIVE_FORMAT = "nitet-online-backup"
ARCHIVE_VERSION = 1
SQLITE_MEMBER = "database/nitet.sqlite"
PGDUMP_MEMBER = "database/nitet.pgdump"
OFFICE_MEMBER = "settings/office.json"
SECRET_MEMBER = "settings/secret_key"
UPLOADS_PREFIX = "uploads"

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "system.backup": "สำรองข้อมูล",
    "system.restore": "กู้คืนข้อมูลจากไฟล์สำรอง",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Thai."""


@dataclass
class BackupSummary:
    path: Path
    dialect: str
    row_counts: dict[str, int]
    upload_files: int
    size_bytes: int


@dataclass
class RestoreSummary:
    dialect: str
    row_counts: dict[str, int]
    upload_files: int
    created_at: str
    hooks_run: list[str] = field(default_factory=list)


# Backup ---------------------------------------------------------------------------------------
def default_backup_path() -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Path(current_app.config["DATA_DIR"]) / "backups" / f"nitet-backup-{stamp}.tar.gz"


def create_backup(target: Path | None = None) -> BackupSummary:
    """Writes an archive to `target`: a file name ending in .tar.gz/.tgz, or a folder (created if
    needed) to put a dated file in; by default NITET_DATA_DIR/backups/."""
    if target is None:
        target = default_backup_path()
    elif target.is_dir() or not target.name.endswith((".tar.gz", ".tgz")):
        target = target / default_backup_path().name
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        work_dir = Path(work)
        # The database first: files are stored before their rows commit, so every file that the
        # snapshot names is already on disk when the upload folder is copied next.
        database_file = _snapshot_database(dialect, work_dir)
        row_counts = _row_counts_of_snapshot(dialect, database_file)
        upload_dir = Path(current_app.config["UPLOAD_DIR"])
        manifest = {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "created_at": utcnow().isoformat(timespec="seconds") + "Z",
            "dialect": dialect,
            "database": SQLITE_MEMBER if dialect == "sqlite" else PGDUMP_MEMBER,
            "revisions": _schema_revisions(),
            "row_counts": row_counts,
            "uploads": _count_files(upload_dir),
        }
        partial = target.with_name(f".{target.name}.partial")
        _write_archive(partial, manifest, database_file, upload_dir)
        os.replace(partial, target)
    record(
        "system.backup",
        None,
        f"สำรองข้อมูลไปที่ {target.name}",
        details={"path": str(target), "rows": sum(row_counts.values())},
    )
    db.session.commit()
    return BackupSummary(
        path=target,
        dialect=dialect,
        row_counts=row_counts,
        upload_files=manifest["uploads"],
        size_bytes=target.stat().st_size,
    )


def _snapshot_database(dialect: str, work_dir: Path) -> Path:
    if dialect == "sqlite":
        return _snapshot_sqlite(work_dir / "nitet.sqlite")
    if dialect == "postgresql":
        return _snapshot_postgres(work_dir / "nitet.pgdump")
    raise BackupError(f"ยังไม่รองรับการสำรองฐานข้อมูลชนิด {dialect}")


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("ฐานข้อมูล SQLite นี้ไม่ได้อยู่ในไฟล์ จึงสำรองไม่ได้")
    return Path(database)


def _snapshot_sqlite(target: Path) -> Path:
    """SQLite's online backup API copies every page under one read transaction: a consistent
    snapshot even while the server keeps writing (WAL mode)."""
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("สำเนาฐานข้อมูลไม่สมบูรณ์ (integrity_check ไม่ผ่าน)")
    finally:
        copy.close()
        source.close()
    return target


def _postgres_tool(name: str) -> str:
    """The newest installed client (pg_dump of a version at least the server's is required)."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"ไม่พบโปรแกรม {name} (ติดตั้งแพ็กเกจ postgresql-client)")
    return found


def _version_key(folder: Path) -> tuple[int, ...]:
    version = folder.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _postgres_env() -> dict[str, str]:
    """libpq settings from the database URL, so the password never shows on a command line."""
    url = db.engine.url
    env = {**os.environ, "PGDATABASE": url.database or "", "PGCONNECT_TIMEOUT": "10"}
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value:
            env[key] = str(value)
    for option, value in url.query.items():
        if option == "sslmode":
            env["PGSSLMODE"] = str(value)
        elif option == "host":  # unix socket folder given as ?host=/path
            env["PGHOST"] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} ไม่สำเร็จ: {result.stderr.strip()[-2000:]}")


def _snapshot_postgres(target: Path) -> Path:
    """pg_dump reads everything in one repeatable-read transaction: a consistent snapshot."""
    _run(
        [
            _postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
        ],
        _postgres_env(),
        "pg_dump",
    )
    return target


def _schema_revisions() -> list[str]:
    try:
        rows = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        return sorted(rows)
    except sa.exc.DBAPIError:
        db.session.rollback()
        return []


def _row_counts_of_snapshot(dialect: str, database_file: Path) -> dict[str, int]:
    """Rows per table in the snapshot itself (SQLite) or in the live database (PostgreSQL, read
    right after the dump; good enough for the summary, the dump is the consistent part)."""
    if dialect == "sqlite":
        engine = sa.create_engine(f"sqlite:///{database_file}", poolclass=sa.pool.NullPool)
        try:
            return _count_rows(engine)
        finally:
            engine.dispose()
    return _count_rows(db.engine)


def _count_rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        names = sorted(sa.inspect(connection).get_table_names())
        preparer = engine.dialect.identifier_preparer
        return {
            name: connection.execute(
                sa.text(f"SELECT count(*) FROM {preparer.quote(name)}")
            ).scalar_one()
            for name in names
            if name != "alembic_version"
        }


def _stored_files(folder: Path) -> Iterator[Path]:
    """Finished files only: `.part` files are writes still in progress. The uploads' staging
    folder is listed first: an upload moved into place meanwhile is then listed in one place or
    both (the next start keeps the copy in place), never in neither."""
    if not folder.is_dir():
        return
    staging = folder / STAGING_FOLDER
    found = sorted(staging.rglob("*")) if staging.is_dir() else []
    found += sorted(path for path in folder.rglob("*") if staging not in path.parents)
    for path in found:
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
            yield path


def _count_files(folder: Path) -> int:
    return sum(1 for _ in _stored_files(folder))


def _office_settings() -> dict:
    from nitet_online.org.models import Office

    office = Office.current()
    if office is None:
        return {}
    columns = sa.inspect(Office).columns
    return {
        column.key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for column in columns
        if (value := getattr(office, column.key)) is not None
    }


def _write_archive(partial: Path, manifest: dict, database_file: Path, upload_dir: Path) -> None:
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.add(database_file, arcname=manifest["database"], recursive=False)
        for path in _stored_files(upload_dir):
            relative = path.relative_to(upload_dir).as_posix()
            archive.add(path, arcname=f"{UPLOADS_PREFIX}/{relative}", recursive=False)
        _add_bytes(archive, OFFICE_MEMBER, json.dumps(_office_settings(), ensure_ascii=False))
        key_file = Path(current_app.config["DATA_DIR"]) / "secret_key"
        if key_file.is_file():
            archive.add(key_file, arcname=SECRET_MEMBER, recursive=False)
        raw.flush()
        os.fsync(raw.fileno())


def _add_bytes(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))


# Restore --------------------------------------------------------------------------------------
def read_manifest(archive_path: Path) -> dict:
    """The archive's manifest, after checking that it is one of ours and safe to unpack."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            _check_members(archive)
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read().decode("utf-8")) if member else {}
    except (tarfile.TarError, OSError, KeyError, ValueError) as error:
        raise BackupError(f"ไฟล์ {archive_path.name} ไม่ใช่ไฟล์สำรองข้อมูลของระบบ ({error})") from error
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"ไฟล์ {archive_path.name} ไม่ใช่ไฟล์สำรองข้อมูลของนิเทศ Online")
    if manifest.get("version") != ARCHIVE_VERSION:
        raise BackupError(f"ไฟล์สำรองรุ่น {manifest.get('version')} ไม่รองรับในระบบรุ่นนี้")
    return manifest


def _check_members(archive: tarfile.TarFile) -> None:
    allowed = ("manifest.json", "database/", f"{UPLOADS_PREFIX}/", "settings/")
    for member in archive.getmembers():
        name = member.name
        unsafe = (
            name.startswith("/")
            or ".." in Path(name).parts
            or not (member.isfile() or member.isdir())
            or not name.startswith(allowed)
        )
        if unsafe:
            raise BackupError(f"ไฟล์สำรองมีรายการที่ไม่ปลอดภัย: {name}")


def database_has_accounts() -> bool:
    """A database that already holds user accounts is not overwritten without --force (a freshly
    migrated database holds only reference data)."""
    try:
        return bool(db.session.execute(sa.text('SELECT 1 FROM "user" LIMIT 1')).first())
    except sa.exc.DBAPIError:
        db.session.rollback()
        return False


def restore_backup(archive_path: Path, force: bool = False) -> RestoreSummary:
    manifest = read_manifest(archive_path)
    dialect = db.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(
            f"ไฟล์สำรองมาจากฐานข้อมูล {manifest['dialect']} แต่ระบบนี้ใช้ {dialect} "
            "กรุณากู้คืนลงฐานข้อมูลชนิดเดียวกัน"
        )
    if not force and database_has_accounts():
        raise BackupError(
            "ฐานข้อมูลปลายทางมีข้อมูลผู้ใช้อยู่แล้ว จะไม่เขียนทับ "
            "หากต้องการแทนที่ข้อมูลทั้งหมดด้วยไฟล์สำรอง ให้สั่งอีกครั้งพร้อม --force"
        )
    data_dir = Path(current_app.config["DATA_DIR"])
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as work:
        staging = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            _check_members(archive)
            archive.extractall(staging, filter="data")
        _release_connections()
        if dialect == "sqlite":
            _restore_sqlite(staging / manifest["database"])
        else:
            _restore_postgres(staging / manifest["database"])
        upload_files = _replace_uploads(staging / UPLOADS_PREFIX)
        _restore_secret_key(staging / SECRET_MEMBER, data_dir)
    hooks_run = _after_restore()
    record(
        "system.restore",
        None,
        f"กู้คืนข้อมูลจากไฟล์สำรองวันที่ {manifest['created_at']}",
        details={"archive": archive_path.name, "created_at": manifest["created_at"]},
    )
    db.session.commit()
    return RestoreSummary(
        dialect=dialect,
        row_counts=_count_rows(db.engine),
        upload_files=upload_files,
        created_at=manifest["created_at"],
        hooks_run=hooks_run,
    )


def _release_connections() -> None:
    db.session.remove()
    db.engine.dispose()


def _restore_sqlite(database_file: Path) -> None:
    """The backup API again, in the other direction: the live file gets every page of the copy in
    one write transaction, so it is never half restored and open connections see it whole."""
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(), timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_postgres(dump_file: Path) -> None:
    """Drops every table and loads the dump, all in one transaction (psql --single-transaction):
    a failure leaves the database as it was."""
    # Fail within a minute, not hang, if a running server still holds the tables.
    env = {**_postgres_env(), "PGOPTIONS": "-c lock_timeout=60s"}
    script = dump_file.with_suffix(".sql")
    _run(
        [
            _postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            f"--file={script}",
            str(dump_file),
        ],
        env,
        "pg_restore",
    )
    drop = dump_file.with_name("drop.sql")
    drop.write_text(_drop_tables_sql(), encoding="utf-8")
    _run(
        [
            _postgres_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={drop}",
            f"--file={script}",
        ],
        env,
        "การนำเข้าฐานข้อมูล (psql)",
    )


def _drop_tables_sql() -> str:
    with db.engine.connect() as connection:
        names = sa.inspect(connection).get_table_names(schema="public")
    preparer = db.engine.dialect.identifier_preparer
    statements = [f"DROP TABLE IF EXISTS {preparer.quote(name)} CASCADE;" for name in names]
    return "\n".join(statements) + "\n"


def _replace_uploads(restored: Path) -> int:
    """Swaps the upload folder for the restored one (renames on the same disk)."""
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    if not restored.is_dir():
        restored.mkdir()
    incoming = upload_dir.with_name(f".{upload_dir.name}.restoring")
    outgoing = upload_dir.with_name(f".{upload_dir.name}.replaced")
    for leftover in (incoming, outgoing):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.move(str(restored), incoming)
    if upload_dir.exists():
        os.replace(upload_dir, outgoing)
    os.replace(incoming, upload_dir)
    shutil.rmtree(outgoing, ignore_errors=True)
    return _count_files(upload_dir)


def _restore_secret_key(key_file: Path, data_dir: Path) -> None:
    """The archive's session key replaces the data folder's (written atomically), so sessions and
    remember-me cookies issued before the backup stay valid on a new machine. Servers read the key
    when they start: restart them after a restore. SECRET_KEY in the environment still wins."""
    if not key_file.is_file():
        return
    target = data_dir / "secret_key"
    partial = data_dir / ".secret_key.restoring"
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key_file.read_text(encoding="utf-8").strip())
    os.replace(partial, target)


def _after_restore() -> list[str]:
    """Brings an older archive up to the current schema, then rebuilds what derives from the data."""
    from flask_migrate import upgrade

    upgrade(revision="heads")
    _release_connections()
    ran = []
    # A feature with a store derived from the database (an index, a cache) declares its rebuild
    # with `plug.post_restore(...)` (nitet_online/plugins.py); they run in the app context.
    for hook in plugins().post_restore_hooks:
        hook()
        ran.append(getattr(hook, "__name__", repr(hook)))
    return ran
