"""Background jobs (nitet_online/jobs/): a due job runs once across processes, a runner that dies
between claim and finish leaves the job to another once its lease expires, scheduled news reaches
followers through the job (never through a page view), and the server starts its jobs by itself
(embedded) or leaves them to a worker process (scale-out).

The two-process tests run real processes on one database: a SQLite file here, PostgreSQL in the
PostgreSQL pass (scripts/test-postgres.sh).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from nitet_online.extensions import db
from nitet_online.services.thai import utcnow
from tests.conftest import PROJECT_ROOT, LiveServer, build_app

AUTHOR = "supervisor1"


# Helpers --------------------------------------------------------------------------------------
def due_posts(app, count: int = 1, prefix: str = "ข่าวตั้งเวลา") -> list[str]:
    """Posts of supervisor1 that were scheduled and are now public, nobody told yet."""
    from nitet_online.accounts.models import User
    from nitet_online.news.models import NewsCategory, NewsPost, NewsStatus

    titles = [f"{prefix} {number}" for number in range(1, count + 1)]
    with app.app_context():
        author = db.session.scalar(sa.select(User).where(User.username == AUTHOR))
        for title in titles:
            db.session.add(
                NewsPost(
                    title=title,
                    body="เนื้อข่าว",
                    category=NewsCategory.ANNOUNCEMENT,
                    status=NewsStatus.PUBLISHED,
                    publish_at=utcnow() - timedelta(minutes=1),
                    author=author,
                )
            )
        db.session.commit()
    return titles


def followers(app) -> list[int]:
    from nitet_online.accounts.models import User
    from nitet_online.supervisors.services import follower_ids

    with app.app_context():
        author = db.session.scalar(sa.select(User).where(User.username == AUTHOR))
        ids = [uid for uid in follower_ids(author.id) if uid != author.id]
    assert ids, "the demo supervisor has followers"
    return ids


def told(app, title: str) -> dict[int, int]:
    """Notifications about the post, per person."""
    from nitet_online.notifications.models import Notification

    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.user_id, sa.func.count())
            .where(Notification.text.contains(title))
            .group_by(Notification.user_id)
        ).all()
        db.session.rollback()
    return dict(rows)


def notified_at(app, title: str):
    from nitet_online.news.models import NewsPost

    with app.app_context():
        value = db.session.scalar(sa.select(NewsPost.notified_at).where(NewsPost.title == title))
        db.session.rollback()
    return value


def job_row(app, name: str):
    from nitet_online.jobs.models import JobSchedule

    with app.app_context():
        row = db.session.execute(
            sa.select(JobSchedule.__table__).where(JobSchedule.name == name)
        ).first()
        db.session.rollback()
    return row


def wait_for(condition, timeout: float = 60, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


# A runner in a process of its own ---------------------------------------------------------------
RUNNER_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path

    from tests.conftest import build_app

    data_dir, url, mode, go = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    app = build_app(data_dir, url)
    if mode == "crash":  # die in the middle of the job: claimed, followers being told, no commit
        import nitet_online.news.services as news

        def notify_then_die(*args, **kwargs):
            news_notify(*args, **kwargs)
            news.db.session.flush()
            os._exit(3)

        news_notify, news.notify = news.notify, notify_then_die
    from nitet_online.jobs.runner import Runner
    from nitet_online.news.services import deliver_due_notifications

    runner = Runner(app, owner=f"process-{os.getpid()}")
    runner.job("news.deliver")
    (data_dir / "ready").touch()
    while not go.exists():  # both processes start the same moment
        time.sleep(0.005)
    if mode == "unleased":  # no lease at all: only the conditional UPDATE of each post
        with app.app_context():
            result = deliver_due_notifications()
    else:
        result = runner.tick("news.deliver")
    print(json.dumps({"result": result}))
    """
)


def start_runners(tmp_path: Path, url: str, modes: list[str]) -> list[subprocess.Popen]:
    go = tmp_path / "go"
    processes, folders = [], []
    for number, mode in enumerate(modes):
        folder = tmp_path / f"runner{number}"
        folder.mkdir()
        folders.append(folder)
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", RUNNER_SCRIPT, str(folder), url, mode, str(go)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    wait_for(
        lambda: all(
            (f / "ready").exists() or p.poll() is not None
            for f, p in zip(folders, processes, strict=True)
        ),
        what="the runner processes to start",
    )
    go.touch()
    return processes


def results(processes: list[subprocess.Popen]) -> list:
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        outcomes.append(json.loads(out.strip().splitlines()[-1])["result"])
    return outcomes


@pytest.fixture
def office(databases, tmp_path):
    """The demo office on a fresh database (SQLite file, or PostgreSQL in that pass) that other
    processes can open too."""
    url = databases.fresh(with_demo=True)
    app = build_app(tmp_path / "main", url)
    yield app, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# Once across processes ----------------------------------------------------------------------------
def test_a_due_job_runs_once_when_two_processes_try_it_together(office, tmp_path):
    app, url = office
    titles = due_posts(app, count=3)
    people = followers(app)
    outcomes = results(start_runners(tmp_path, url, ["lease", "lease"]))
    assert sorted(outcomes) == [False, True]  # one process ran the job, the other found it taken
    for title in titles:
        assert told(app, title) == {uid: 1 for uid in people}, title
    row = job_row(app, "news.deliver")
    assert row.runs == 1 and row.lease_owner is None and row.next_run_at > utcnow()


def test_two_runners_without_a_lease_still_tell_each_follower_once(office, tmp_path):
    """Below the lease, each post is claimed by a conditional UPDATE in the transaction that
    tells its followers: two processes delivering the same posts at the same moment split them."""
    app, url = office
    titles = due_posts(app, count=6)
    people = followers(app)
    outcomes = results(start_runners(tmp_path, url, ["unleased", "unleased"]))
    assert sum(outcomes) == len(titles)
    for title in titles:
        assert told(app, title) == {uid: 1 for uid in people}, title


def test_after_a_crash_between_claim_and_finish_the_lease_expires_and_another_runner_delivers(
    office, tmp_path
):
    from nitet_online.jobs.runner import Runner

    app, url = office
    (title,) = due_posts(app)
    people = followers(app)
    (crashed,) = start_runners(tmp_path, url, ["crash"])
    crashed.communicate(timeout=120)
    assert crashed.returncode == 3  # died inside the job
    row = job_row(app, "news.deliver")
    assert row.lease_owner.startswith("process-") and row.lease_until > utcnow()
    assert notified_at(app, title) is None and told(app, title) == {}  # nothing half-done
    other = Runner(app, owner="survivor")
    assert not other.tick("news.deliver")  # the dead runner's lease still holds
    lease = other.job("news.deliver").lease_seconds(app.config)
    assert other.tick("news.deliver", now=utcnow() + timedelta(seconds=lease + 1))
    assert told(app, title) == {uid: 1 for uid in people}
    assert notified_at(app, title) is not None
    assert job_row(app, "news.deliver").lease_owner is None


# Scheduled news reaches followers through the job only -------------------------------------------
def test_a_due_scheduled_post_is_delivered_once_by_the_job_not_by_page_views(demo_app):
    from nitet_online.jobs.runner import Runner

    (title,) = due_posts(demo_app)
    people = followers(demo_app)
    client = demo_app.test_client()
    for path in ("/", "/news/", "/news/feed.atom"):
        assert client.get(path).status_code == 200
    assert notified_at(demo_app, title) is None and told(demo_app, title) == {}
    first, second = Runner(demo_app, owner="first"), Runner(demo_app, owner="second")
    assert first.tick("news.deliver")
    assert told(demo_app, title) == {uid: 1 for uid in people}
    assert not second.tick("news.deliver")  # not due again before NEWS_DELIVERY_SECONDS
    later = utcnow() + timedelta(seconds=demo_app.config["NEWS_DELIVERY_SECONDS"] + 1)
    assert second.tick("news.deliver", now=later)  # due again: runs, finds nobody left to tell
    assert told(demo_app, title) == {uid: 1 for uid in people}


def test_a_failing_job_is_tried_again_after_the_retry_time(demo_app, monkeypatch):
    import nitet_online.news.services as news
    from nitet_online.jobs.runner import Runner

    (title,) = due_posts(demo_app)

    def broken(*args, **kwargs):
        raise RuntimeError("notifications away")

    real = news.notify
    monkeypatch.setattr(news, "notify", broken)
    runner = Runner(demo_app)
    assert runner.tick("news.deliver")
    row = job_row(demo_app, "news.deliver")
    assert "notifications away" in row.last_error and row.lease_owner is None
    assert notified_at(demo_app, title) is None  # rolled back with the failure
    monkeypatch.setattr(news, "notify", real)
    retry = demo_app.config["JOBS_RETRY_SECONDS"]
    assert not runner.tick("news.deliver", now=utcnow() + timedelta(seconds=retry - 5))
    assert runner.tick("news.deliver", now=utcnow() + timedelta(seconds=retry + 1))
    assert notified_at(demo_app, title) is not None
    assert job_row(demo_app, "news.deliver").last_error is None


def test_a_supervisor_without_a_page_gets_one_from_the_job(demo_app):
    from nitet_online.accounts.models import User
    from nitet_online.jobs.runner import Runner
    from nitet_online.supervisors.models import SupervisorProfile

    with demo_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "supervisor2"))
        db.session.execute(sa.delete(SupervisorProfile).where(SupervisorProfile.user == user))
        db.session.commit()
    client = demo_app.test_client()
    assert client.get("/supervisors/supervisor2").status_code == 404  # read only: no page made
    assert Runner(demo_app).tick("supervisors.profiles")
    assert client.get("/supervisors/supervisor2").status_code == 200


def test_the_jobs_commands_run_what_is_due_and_say_where_each_job_stands(demo_app):
    due_posts(demo_app)
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "news.deliver" in result.output and "stats.rollup" in result.output
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert "news.deliver" not in result.output
    status = runner.invoke(args=["jobs", "status"]).output
    assert "news.deliver: every 60 s; next " in status and "runs 1" in status
    assert "stats.rollup: cron 5 0 * * * (Thailand time); next " in status


# Where jobs run: in the server (make run) or in a worker process (scale-out) ---------------------
def test_the_server_runs_the_jobs_by_itself(databases, tmp_path):
    url = databases.fresh(with_demo=True)
    app = build_app(tmp_path / "check", url)
    (title,) = due_posts(app)
    (tmp_path / "server").mkdir()
    server = LiveServer(tmp_path / "server", url, env={"NITET_JOBS_POLL_SECONDS": "1"})
    try:
        wait_for(lambda: told(app, title), what="the server's job to tell the followers")
        assert set(told(app, title).values()) == {1}
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


def test_in_scale_out_the_web_process_leaves_the_jobs_to_the_worker(databases, tmp_path):
    url = databases.fresh(with_demo=True)
    app = build_app(tmp_path / "check", url)
    (title,) = due_posts(app)
    (tmp_path / "server").mkdir()
    env = {"NITET_JOBS": "worker", "NITET_JOBS_POLL_SECONDS": "1"}
    server = LiveServer(tmp_path / "server", url, env=env)
    worker = None
    try:
        assert server.process.poll() is None
        assert job_row(app, "news.deliver") is None  # the web process polls no job
        worker_env = {
            **os.environ,
            "NITET_DATA_DIR": str(tmp_path / "server"),
            "DATABASE_URL": url,
            "NITET_CONFIG": "production",
            "NITET_JOBS": "worker",
            "NITET_JOBS_POLL_SECONDS": "1",
        }
        worker_env.pop("TEST_DATABASE_URL", None)
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"],
            cwd=PROJECT_ROOT,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: told(app, title), what="the worker's job to tell the followers")
        assert set(told(app, title).values()) == {1}
        worker.terminate()
        assert worker.wait(timeout=30) == 0  # stops cleanly on SIGTERM
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.stop()
        with app.app_context():
            db.engine.dispose()
