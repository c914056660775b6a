"""Backups end to end, on whichever database the suite runs on (SQLite, or PostgreSQL through
scripts/test-postgres.sh): archive contents, restore over changed data, restore onto a new machine
through the real `flask --app wsgi` commands, consistency under concurrent writes, and refusal of
archives that are not ours or not safe."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import User
from nitet_online.audit.models import AuditEntry
from nitet_online.backup import services as backup
from nitet_online.extensions import db
from nitet_online.org.models import Office
from nitet_online.plugins import registry_of
from nitet_online.search import services as search_services
from nitet_online.uploads.models import Upload
from nitet_online.uploads.services import file_path, save_upload
from tests.conftest import PROJECT_ROOT, build_app, login
from tests.files import jpeg_with_exif, pdf_bytes


def _user_exists(username: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.username == username)) is not None


def _add_probe_content(app) -> dict[str, bytes]:
    """A user, a photo and a PDF, and a changed office name; returns the stored files' bytes."""
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "teacher1"))
        probe = User(
            username="backup.probe",
            email="probe@example.ac.th",
            first_name="ทดสอบ",
            last_name="สำรองข้อมูล",
            role=teacher.role,
        )
        probe.set_password("probe-password-1")
        db.session.add(probe)
        photo = save_upload(FileStorage(io.BytesIO(jpeg_with_exif(800, 600)), "รูป.jpg"), None)
        document = save_upload(FileStorage(io.BytesIO(pdf_bytes()), "แผน.pdf"), None)
        Office.current().name = "สำนักงานก่อนสำรองข้อมูล"
        db.session.commit()
        return {upload.token: file_path(upload).read_bytes() for upload in (photo, document)}


def _probe_uploads(stored: dict[str, bytes]) -> list[Upload]:
    """The uploads this test made (demo uploads keep their files in the template's folder)."""
    uploads = db.session.scalars(sa.select(Upload).where(Upload.token.in_(stored))).all()
    assert len(uploads) == len(stored)
    return uploads


def _invoke(app, *args: str) -> click.testing.Result:
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_then_restore_over_changed_data(demo_app, tmp_path, monkeypatch):
    stored = _add_probe_content(demo_app)
    archive = tmp_path / "office.tar.gz"

    result = _invoke(demo_app, "backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "สำรองข้อมูลเรียบร้อย" in result.output
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.loads(opened.extractfile("manifest.json").read())
        office = json.loads(opened.extractfile("settings/office.json").read())
    assert manifest["database"] in names
    assert manifest["uploads"] >= 2 and any(name.startswith("uploads/") for name in names)
    assert "settings/secret_key" in names
    assert office["name"] == "สำนักงานก่อนสำรองข้อมูล"
    with demo_app.app_context():
        assert manifest["row_counts"]["user"] == db.session.scalar(
            sa.select(sa.func.count(User.id))
        )
        assert manifest["revisions"] == backup._schema_revisions()

    # Things change after the backup: a user goes, another comes, files vanish, the office renames.
    with demo_app.app_context():
        db.session.delete(db.session.scalar(sa.select(User).where(User.username == "backup.probe")))
        db.session.add(
            User(
                username="after.backup",
                email="after@example.ac.th",
                first_name="หลัง",
                last_name="สำรอง",
                role=db.session.scalar(sa.select(User.role).where(User.username == "teacher1")),
                password_hash="x",
            )
        )
        Office.current().name = "ชื่อใหม่หลังสำรอง"
        db.session.commit()
        for upload in _probe_uploads(stored):
            file_path(upload).unlink()

    refused = _invoke(demo_app, "restore", str(archive))
    assert refused.exit_code != 0
    assert "--force" in refused.output and "ไม่เขียนทับ" in refused.output
    with demo_app.app_context():
        assert _user_exists("after.backup")

    hooks_called = []
    registry = registry_of(demo_app)  # the search feature's hook rebuilds the index
    hooks = [lambda: hooks_called.append("hook"), *registry.post_restore_hooks]
    monkeypatch.setattr(registry, "post_restore_hooks", hooks)
    monkeypatch.setattr(search_services, "reindex", lambda: hooks_called.append("reindex"))

    restored = _invoke(demo_app, "restore", "--force", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "กู้คืนข้อมูลเรียบร้อย" in restored.output
    assert hooks_called == ["hook", "reindex"]
    with demo_app.app_context():
        assert _user_exists("backup.probe") and not _user_exists("after.backup")
        assert Office.current().name == "สำนักงานก่อนสำรองข้อมูล"
        for upload in _probe_uploads(stored):
            assert file_path(upload).read_bytes() == stored[upload.token]
        counts = backup._count_rows(db.engine)
        restore_entries = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "system.restore")
        )
    # Same rows as the snapshot, plus the audit entry that records the restore itself.
    assert counts["audit_entry"] == manifest["row_counts"]["audit_entry"] + restore_entries
    assert {k: v for k, v in counts.items() if k != "audit_entry"} == {
        k: v for k, v in manifest["row_counts"].items() if k != "audit_entry"
    }
    client = demo_app.test_client()
    assert "ยินดีต้อนรับ" in login(client, "backup.probe", "probe-password-1").get_data(as_text=True)


def _flask(args: list[str], data_dir: Path, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NITET_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "NITET_CONFIG": "production",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_restore_onto_a_new_machine_with_the_real_commands(databases, tmp_path):
    """`flask --app wsgi backup` on one data folder and database, `restore` into an empty database
    and a fresh data folder: same rows, same files, same session key, schema at the head."""
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_url = databases.fresh(with_demo=True)
    app = build_app(old_dir, old_url)
    stored = _add_probe_content(app)
    with app.app_context():
        db.engine.dispose()

    backup_run = _flask(["backup", str(tmp_path / "archives")], old_dir, old_url)
    assert backup_run.returncode == 0, backup_run.stderr
    (archive,) = (tmp_path / "archives").glob("nitet-backup-*.tar.gz")

    new_url = databases.blank()
    restore_run = _flask(["restore", str(archive)], new_dir, new_url)
    assert restore_run.returncode == 0, restore_run.stderr
    assert "กู้คืนข้อมูลเรียบร้อย" in restore_run.stdout
    assert (new_dir / "secret_key").read_text() == (old_dir / "secret_key").read_text()

    new_app = build_app(new_dir, new_url)
    with new_app.app_context():
        assert _user_exists("backup.probe") and _user_exists("teacher1")
        assert Office.current().name == "สำนักงานก่อนสำรองข้อมูล"
        for upload in _probe_uploads(stored):
            assert file_path(upload).read_bytes() == stored[upload.token]
        with tarfile.open(archive) as opened:
            manifest = json.loads(opened.extractfile("manifest.json").read())
        assert backup._schema_revisions() == manifest["revisions"]
        db.engine.dispose()
    assert new_app.test_client().get("/healthz").status_code == 200

    # A second restore onto the now populated database needs --force.
    again = _flask(["restore", str(archive)], new_dir, new_url)
    assert again.returncode != 0 and "--force" in again.stderr


def test_backup_is_consistent_while_writes_go_on(demo_app, databases, tmp_path):
    """A writer commits audit entries ten at a time while the backup runs; the restored copy holds
    whole transactions only (a multiple of ten), and at least one of them."""
    stop = threading.Event()
    committed = []

    def writer() -> None:
        with demo_app.app_context():
            engine = db.engine
            batch = 0
            while not stop.is_set():
                with engine.begin() as connection:
                    connection.execute(
                        sa.insert(AuditEntry),
                        [
                            {"action": "probe.batch", "summary": f"{batch}-{i}", "target_type": ""}
                            for i in range(10)
                        ],
                    )
                batch += 1
                committed.append(batch)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 3:
            threading.Event().wait(0.01)
        before = len(committed)
        result = _invoke(demo_app, "backup", str(tmp_path / "live.tar.gz"))
        during = len(committed) - before
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output

    target = build_app(tmp_path / "copy", databases.blank())
    with target.app_context():
        backup.restore_backup(tmp_path / "live.tar.gz")
        rows = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "probe.batch")
        )
        db.session.remove()
        db.engine.dispose()
    assert rows > 0 and rows % 10 == 0, rows
    assert during > 0, "the writer should have committed while the backup ran"


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _manifest(dialect: str) -> bytes:
    return json.dumps(
        {
            "format": backup.ARCHIVE_FORMAT,
            "version": backup.ARCHIVE_VERSION,
            "dialect": dialect,
            "database": backup.SQLITE_MEMBER,
            "created_at": "2026-01-01T00:00:00Z",
        }
    ).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"manifest.json": b"not json"}, "ไม่ใช่ไฟล์สำรองข้อมูล"),
        ({"notes.txt": b"hello"}, "ไม่ปลอดภัย"),
        ({"manifest.json": b'{"format": "other"}'}, "ไม่ใช่ไฟล์สำรองข้อมูล"),
        ({"manifest.json": b"{}", "uploads/../../escape.txt": b"x"}, "ไม่ปลอดภัย"),
        ({"manifest.json": b"{}", "/etc/evil": b"x"}, "ไม่ปลอดภัย"),
        ({"manifest.json": b"{}", "elsewhere/file": b"x"}, "ไม่ปลอดภัย"),
    ],
)
def test_restore_refuses_archives_that_are_not_ours_or_not_safe(
    demo_app, tmp_path, members, message
):
    archive = _tar(tmp_path / "suspect.tar.gz", members)
    result = _invoke(demo_app, "restore", "--force", str(archive))
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "escape.txt").exists()
    with demo_app.app_context():
        assert _user_exists("teacher1")


def test_restore_refuses_a_file_that_is_not_an_archive(demo_app, tmp_path):
    text_file = tmp_path / "notes.tar.gz"
    text_file.write_text("สวัสดี")
    result = _invoke(demo_app, "restore", str(text_file))
    assert result.exit_code != 0 and "ไม่ใช่ไฟล์สำรองข้อมูล" in result.output


def test_restore_refuses_an_archive_of_the_other_database_kind(demo_app, tmp_path):
    with demo_app.app_context():
        other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"
    archive = _tar(tmp_path / "other.tar.gz", {"manifest.json": _manifest(other)})
    result = _invoke(demo_app, "restore", "--force", str(archive))
    assert result.exit_code != 0
    assert "ชนิดเดียวกัน" in result.output


def test_a_link_in_an_archive_is_refused(demo_app, tmp_path):
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        data = _manifest("sqlite")
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("uploads/ab/passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    result = _invoke(demo_app, "restore", "--force", str(path))
    assert result.exit_code != 0 and "ไม่ปลอดภัย" in result.output
