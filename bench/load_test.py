"""Load test of นิเทศ Online: a large office's hour, compressed, against 127.0.0.1 only.

Not part of `make test` and not picked up by `make bench` (the name does not start with bench_):
one run takes about 20 minutes per mode.

    .venv/bin/python bench/load_test.py                      # both modes, 1,000 users in 900 s each
    .venv/bin/python bench/load_test.py --mode embedded      # or --mode scale-out
    .venv/bin/python bench/load_test.py --duration 60 --users 100 --sockets 50   # a quick look
    .venv/bin/python bench/load_test.py --duration 300       # the hour 12× compressed: overload
    .venv/bin/python bench/load_test.py --json load.json

A large office is 1,000 active users in an hour with 200 chat sockets open (issue 9). By default
the 1,000 arrive in 900 s, four times the office's rate, with the 200 sockets held throughout.
On this 2-core machine, which also runs the load generator, that is about the most either mode
serves without errors: at 300 s (12×) both modes run out of processor time (about 0.5 CPU-seconds
per session: pages of 10–50 ms and a scrypt login) and requests queue until they fail; the README
gives both runs' figures.

What it does, per mode, all bounded in time and on a scratch folder that is removed afterwards:
  1. starts the servers on a fresh copy of the demo data (migrate + seed-demo, as `make run` does):
       embedded   gunicorn as `make run` starts it (gunicorn.conf.py, one process, SQLite, no Redis)
       scale-out  scripts/scale-out.sh start in the scratch folder (SCALE_OUT_STATE): PostgreSQL,
                  Redis message queue and rate limits, 2 gunicorn processes behind nginx (ip_hash)
     with NITET_TRUSTED_PROXIES=1 (as behind nginx), NITET_SECURE_COOKIES=0 (plain HTTP on
     127.0.0.1) and every rate limit at its production value; plus the bare Flask page
     (bench/load_bare_app.py) served the same way: same gunicorn.conf.py (and, in scale-out mode,
     2 processes behind a copy of the same nginx configuration).
  2. creates the load-test accounts in the target database with the application's own models and
     services (this file, --prepare-accounts, in the app context): USERS teachers loadt0001…
     (schools spread over the demo schools), SUPERVISORS supervisors loads01… (two learning
     areas each), SOCKETS chat users loadc001… in group rooms of ROOM_SIZE made with
     chat.services.create_group. One password for all (PASSWORD below), hashed once with
     User.set_password (scrypt) and stored for every account.
  3. runs bench/load_users.py (locust as a library): USERS sessions arriving evenly over DURATION
     seconds, each a distinct teacher from its own client address (90 % browse and search in Thai,
     10 % ask a question), SUPERVISORS answering from their inboxes, SOCKETS chat connections held
     from before the first session until after the last, each sending a message every 20–60 s.
  4. runs the comparison: CLIENTS closed-loop clients on the home page (anonymous, as the public
     sees it) for COMPARE seconds, then on the bare page, each after a short warm-up.
  5. stops everything, then prints the report: requests/s and p50/p95/p99 per request type and
     overall, errors, chat delivery latency, sockets held, home ÷ bare ratios, load average.

Client addresses: each simulated person connects from its own loopback address 127.1.x.y (bound as
the source address; Linux routes all of 127/8 to lo), so nginx's ip_hash spreads them over the
processes and the per-address rate limits (login 20/min, search 120/min) count each person; in
embedded mode the client also sends that address as X-Forwarded-For, as nginx would.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PASSWORD = "nitet-load-2569"
HOUR = 3600.0
OFFICE_USERS = 1000  # a large office: 1,000 active users in an hour (issue 9)
# Request types that are not requests of the server: a measured delay and a connection drop.
NOT_REQUESTS = {"WS chat delivery", "WS dropped by server"}
ACTIONS = ("POST login", "POST ask", "POST answer", "WS connect", "WS chat:send", "WS chat:read")


# Addresses and ports -------------------------------------------------------------------------------
def client_address(number: int) -> str:
    """A distinct loopback address per simulated person; consecutive numbers differ in the third
    byte, which is what nginx's ip_hash looks at (the first three bytes of an IPv4 address)."""
    if not 0 <= number < 62_500:
        raise ValueError("at most 62,500 client addresses")
    return f"127.1.{number % 250 + 1}.{number // 250 + 1}"


def free_port() -> int:
    """A free port below the usual ephemeral range, so the clients' own ports never take it."""
    for port in range(18_000 + os.getpid() % 1000, 30_000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port not in _TAKEN:
                _TAKEN.add(port)
                return port
    raise RuntimeError("no free port")


_TAKEN: set[int] = set()


def settle(app_url: str, timeout: float = 180) -> float:
    """Waits until the app answers /healthz within 200 ms three times running: the comparison
    measures the page, not requests still queued from the load. Returns the seconds waited."""
    started = time.monotonic()
    quick = 0
    while quick < 3 and time.monotonic() - started < timeout:
        began = time.monotonic()
        try:
            with urllib.request.urlopen(f"{app_url}/healthz", timeout=30) as response:
                ok = response.status == 200
        except OSError:
            ok = False
        quick = quick + 1 if ok and time.monotonic() - began < 0.2 else 0
        time.sleep(1)
    return time.monotonic() - started


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without the operator's own app settings, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NITET_", "SCALE_OUT_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        NITET_CONFIG="production",
        NITET_TRUSTED_PROXIES="1",
        NITET_SECURE_COOKIES="0",
        NITET_ACCESS_LOG="0",
        PATH=f"{BIN}:{env.get('PATH', '')}",
    )
    env.update(extra)
    return env


def run(command: list[str], env: dict[str, str], log: Path, timeout: float) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed, see {log}:\n{tail(log)}")


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Gunicorn:
    """One gunicorn process with the application's gunicorn.conf.py, as `make run` starts it."""

    def __init__(self, target: str, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", target],
            cwd=ROOT,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# The two modes ----------------------------------------------------------------------------------------
class Embedded:
    """`make run`: one gunicorn process, SQLite and files in the data folder, no Redis."""

    name = "embedded"
    forwarded_for = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.log = folder / "servers.log"
        self.env = clean_env(NITET_DATA_DIR=str(folder / "data"), NITET_DEMO="1")
        self.port, self.bare_port = free_port(), free_port()
        self.app_url = f"http://127.0.0.1:{self.port}"
        self.bare_url = f"http://127.0.0.1:{self.bare_port}"
        self.servers: list[Gunicorn] = []

    def prepare(self) -> dict[str, str]:
        run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], self.env, self.log, 300)
        run(
            [str(BIN / "flask"), "--app", "wsgi", "seed-demo", "--if-empty"],
            self.env,
            self.log,
            600,
        )
        return self.env

    def start(self) -> None:
        # One at a time, so that stop() finds every one that started, even when interrupted.
        self.servers.append(Gunicorn("wsgi:app", self.port, self.env, self.log))
        self.servers.append(Gunicorn("bench.load_bare_app:app", self.bare_port, self.env, self.log))
        wait_for(f"{self.app_url}/healthz")
        wait_for(f"{self.bare_url}/healthz")

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def describe(self) -> str:
        return (
            "gunicorn (gunicorn.conf.py: 1 process, gthread), SQLite in the data folder, no Redis"
        )

    def markers(self) -> list[str]:
        return [str(self.folder)]  # the servers are this process's children anyway


class ScaleOut:
    """`make scale-out` in a scratch folder: PostgreSQL, Redis, 2 gunicorn processes, nginx."""

    name = "scale-out"
    forwarded_for = False  # nginx adds X-Forwarded-For from the client's own address

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / "scale-out"
        self.log = folder / "servers.log"
        self.web, self.pg, self.redis = free_port(), free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        self.bare_web = free_port()
        self.bare_ports = [free_port(), free_port()]
        self.app_url = f"http://127.0.0.1:{self.web}"
        self.bare_url = f"http://127.0.0.1:{self.bare_web}"
        self.script_env = clean_env(
            SCALE_OUT_STATE=str(self.state),
            SCALE_OUT_PORT=str(self.web),
            SCALE_OUT_APP_PORTS=" ".join(map(str, self.app_ports)),
            SCALE_OUT_PG_PORT=str(self.pg),
            SCALE_OUT_REDIS_PORT=str(self.redis),
        )
        self.bare: list[Gunicorn] = []
        self.bare_nginx: Path | None = None
        self.started = False

    def prepare(self) -> dict[str, str]:
        # PostgreSQL runs as the postgres user, which must reach the cluster folder.
        for path in (self.folder, *self.folder.parents):
            if path == Path("/"):
                break
            path.chmod(path.stat().st_mode | 0o005)
        self.started = True
        run(["scripts/scale-out.sh", "start"], self.script_env, self.log, 900)
        return clean_env(
            NITET_DATA_DIR=str(self.state / "data"),
            DATABASE_URL=f"postgresql://postgres@127.0.0.1:{self.pg}/nitet",
            REDIS_URL=f"redis://127.0.0.1:{self.redis}/0",
        )

    def start(self) -> None:
        """The app set is up after prepare(); here the bare page behind the same nginx setup."""
        env = clean_env()
        for port in self.bare_ports:
            self.bare.append(Gunicorn("bench.load_bare_app:app", port, env, self.log))
        for port in self.bare_ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        self.bare_nginx = self._bare_nginx_conf()
        run(["nginx", "-c", str(self.bare_nginx)], env, self.log, 30)
        wait_for(f"{self.bare_url}/healthz")
        wait_for(f"{self.app_url}/healthz")

    def _bare_nginx_conf(self) -> Path:
        """scripts/scale-out.sh's rendered nginx.conf with the bare page's ports and folders."""
        folder = self.folder / "bare-nginx"
        (folder / "logs").mkdir(parents=True, exist_ok=True)
        (folder / "tmp").mkdir(exist_ok=True)
        text = (self.state / "nginx" / "nginx.conf").read_text()
        text = text.replace(str(self.state / "nginx"), str(folder))
        text = text.replace(f"listen 127.0.0.1:{self.web};", f"listen 127.0.0.1:{self.bare_web};")
        for app_port, bare_port in zip(self.app_ports, self.bare_ports, strict=True):
            text = text.replace(f"server 127.0.0.1:{app_port};", f"server 127.0.0.1:{bare_port};")
        path = folder / "nginx.conf"
        path.write_text(text)
        return path

    def stop(self) -> None:
        if self.bare_nginx is not None:
            subprocess.run(
                ["nginx", "-c", str(self.bare_nginx), "-s", "quit"],
                check=False,
                stderr=subprocess.DEVNULL,
            )
        for server in self.bare:
            server.stop()
        if self.started:
            subprocess.run(
                ["scripts/scale-out.sh", "stop"],
                cwd=ROOT,
                env=self.script_env,
                check=False,
                stdout=subprocess.DEVNULL,
                timeout=120,
            )

    def describe(self) -> str:
        return (
            "nginx (ip_hash) → 2 gunicorn processes (gunicorn.conf.py), PostgreSQL, "
            "Redis (Socket.IO queue, rate limits, presence)"
        )

    def markers(self) -> list[str]:
        """gunicorn, PostgreSQL and nginx name the scratch folder; redis-server only its port."""
        return [str(self.folder), f"127.0.0.1:{self.redis}"]


# Who used the processor ---------------------------------------------------------------------------------
class CpuWatch:
    """Processor time during the load, in cores: the servers this run started, the load generator,
    and every other process on the machine (other people's work shares the same 2 cores, and a
    run that had less than the whole machine says so)."""

    def __init__(self, markers: list[str], interval: float = 2.0) -> None:
        self.markers = markers  # strings in the command line of the servers started detached
        self.interval = interval
        self.seen: dict[int, float] = {}
        self.used = {"servers": 0.0, "load generator": 0.0, "other processes": 0.0}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuWatch:
        self._sample()  # processes already running count from now on
        for key in self.used:
            self.used[key] = 0.0
        self.started = time.monotonic()
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.thread.join()
        self._sample()
        self.seconds = time.monotonic() - self.started

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            self._sample()

    def _ours(self) -> set[int]:
        import psutil

        roots = [psutil.Process()]
        for process in psutil.process_iter(["cmdline"]):
            line = " ".join(process.info["cmdline"] or [])
            if any(marker in line for marker in self.markers):
                roots.append(process)
        pids = set()
        for root in roots:
            with contextlib.suppress(psutil.Error):
                pids.add(root.pid)
                pids.update(child.pid for child in root.children(recursive=True))
        return pids

    def _sample(self) -> None:
        import psutil

        ours = self._ours()
        me = os.getpid()
        for process in psutil.process_iter(["cpu_times", "cmdline"]):
            times = process.info["cpu_times"]
            if times is None or process.pid == me:
                continue
            total = times.user + times.system
            delta = total - self.seen.get(process.pid, total)
            self.seen[process.pid] = total
            if process.pid not in ours:
                self.used["other processes"] += delta
            elif "load_users.py" in " ".join(process.info["cmdline"] or []):
                self.used["load generator"] += delta
            else:
                self.used["servers"] += delta

    def cores(self) -> dict[str, float]:
        return {key: value / self.seconds for key, value in self.used.items()}


# Load-test accounts (run in a child process with the target's environment) --------------------------
def prepare_accounts(out: Path, teachers: int, supervisors: int, chatters: int, room: int) -> None:
    from sqlalchemy import insert, select

    from nitet_online import create_app
    from nitet_online.accounts.models import AccountStatus, Role, User
    from nitet_online.chat import services as chat
    from nitet_online.demo import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
    from nitet_online.extensions import db
    from nitet_online.org.models import LearningArea, School
    from nitet_online.privacy.services import NOTICE_VERSION
    from nitet_online.services.thai import utcnow

    app = create_app("production")
    with app.app_context():
        schools = list(db.session.scalars(select(School).order_by(School.code)))
        areas = list(db.session.scalars(select(LearningArea).order_by(LearningArea.sort_order)))
        sample = User()
        sample.set_password(PASSWORD)  # scrypt, as for every real account; hashed once for all
        names = FIRST_NAMES_F + FIRST_NAMES_M

        def teacher(username: str, number: int) -> dict[str, Any]:
            return {
                "username": username,
                "email": f"{username}@load.nitet.example",
                "password_hash": sample.password_hash,
                "title": "นางสาว" if number % 3 else "นาย",
                "first_name": names[number % len(names)],
                "last_name": LAST_NAMES[(number // len(names)) % len(LAST_NAMES)],
                "role": Role.TEACHER.value,
                "status": AccountStatus.ACTIVE.value,
                "school_id": schools[number % len(schools)].id,
                "position": "ครู",
                "consented_at": utcnow(),
                "consent_version": NOTICE_VERSION,
            }

        teacher_names = [f"loadt{n:04d}" for n in range(1, teachers + 1)]
        chat_names = [f"loadc{n:03d}" for n in range(1, chatters + 1)]
        rows = [teacher(name, n) for n, name in enumerate(teacher_names + chat_names)]
        if rows:
            db.session.execute(insert(User), rows)
        supervisor_users = []
        for n in range(1, supervisors + 1):
            user = User(
                username=f"loads{n:02d}",
                email=f"loads{n:02d}@load.nitet.example",
                password_hash=sample.password_hash,
                title="นาย" if n % 2 else "นาง",
                first_name=names[(n * 7) % len(names)],
                last_name=LAST_NAMES[(n * 5) % len(LAST_NAMES)],
                role=Role.SUPERVISOR,
                position="ศึกษานิเทศก์",
                learning_areas=[areas[n % len(areas)], areas[(n + 3) % len(areas)]],
            )
            db.session.add(user)
            supervisor_users.append(user)
        db.session.flush()
        query = select(User.username, User.id).where(User.username.in_(chat_names))
        ids = {row.username: row.id for row in db.session.execute(query)}
        rooms: list[dict[str, Any]] = []
        creator = supervisor_users[0] if supervisor_users else None
        for start in range(0, chatters, room):
            members = chat_names[start : start + room]
            group = chat.create_group(
                creator,
                f"ห้องทดสอบโหลด {start // room + 1}",
                "ห้องสนทนาของการทดสอบโหลด (bench/load_test.py)",
                [ids[name] for name in members],
            )
            rooms += [{"username": name, "room_id": group.id} for name in members]
        db.session.commit()
        out.write_text(
            json.dumps(
                {
                    "teachers": teacher_names,
                    "supervisors": [u.username for u in supervisor_users],
                    "chat": rooms,
                    "areas": [a.id for a in areas],
                },
                ensure_ascii=False,
            )
        )


def create_accounts(env: dict[str, str], folder: Path, args: argparse.Namespace) -> dict:
    out = folder / "accounts.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--prepare-accounts",
        str(out),
        "--users",
        str(args.users),
        "--supervisors",
        str(args.supervisors),
        "--sockets",
        str(args.sockets),
        "--room-size",
        str(args.room_size),
    ]
    run(command, env, folder / "servers.log", 600)
    return json.loads(out.read_text())


# Running the load ---------------------------------------------------------------------------------------
def load_config(target, accounts: dict, args: argparse.Namespace) -> dict:
    sessions = [
        {
            "username": name,
            "number": n + 1,
            "kind": "ask" if n % 10 == 3 else "browse",
            "address": client_address(n),
        }
        for n, name in enumerate(accounts["teachers"])
    ]
    return {
        "phase": "load",
        "base_url": target.app_url,
        "forwarded_for": target.forwarded_for,
        "password": PASSWORD,
        "sessions": sessions,
        "supervisors": [
            {"username": name, "address": client_address(20_000 + n)}
            for n, name in enumerate(accounts["supervisors"])
        ],
        "chat": [
            {**member, "number": n + 1, "address": client_address(21_000 + n)}
            for n, member in enumerate(accounts["chat"])
        ],
        "areas": accounts["areas"],
        "duration": args.duration,
        "ramp": args.ramp,
        "drain": args.drain,
        "think": args.think,
        "typing": [8.0, 20.0],
        "workers": args.workers,
    }


def compare_config(target, args: argparse.Namespace) -> dict:
    return {
        "phase": "compare",
        "forwarded_for": target.forwarded_for,
        "think": args.think,
        "targets": [
            {"name": "home", "base_url": target.app_url, "path": "/"},
            {"name": "bare", "base_url": target.bare_url, "path": "/hello"},
        ],
        "clients": args.compare_clients,
        "addresses": [client_address(30_000 + n) for n in range(args.compare_clients)],
        "seconds": args.compare_seconds,
        "warmup": 3,
    }


def generate(config: dict, folder: Path, name: str, timeout: float) -> dict:
    config_path, result_path = folder / f"{name}-config.json", folder / f"{name}-result.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False))
    log = folder / f"{name}-generator.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "load_users.py"),
                str(config_path),
                str(result_path),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError(f"load generator ran over {timeout:.0f} s, see {log}") from None
        except BaseException:  # interrupted: the generator goes too
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    if process.returncode != 0 or not result_path.exists():
        raise RuntimeError(f"load generator failed, see {log}:\n{tail(log)}")
    return json.loads(result_path.read_text())


# Figures ------------------------------------------------------------------------------------------------
def figures(samples: list[list], window: tuple[float, float]) -> dict[str, Any]:
    """Count, errors and percentiles of every sample; the rate over the ones inside `window`
    (the chat users' logins before it and the last messages after it are not in the rate)."""
    start, end = window
    seconds = end - start
    times = sorted(s[1] for s in samples)
    inside = sum(1 for s in samples if start <= s[0] <= end)
    return {
        "count": len(samples),
        "errors": sum(1 for s in samples if not s[2]),
        "per_s": inside / seconds if seconds > 0 else 0.0,
        "p50_ms": percentile(times, 0.50) if times else None,
        "p95_ms": percentile(times, 0.95) if times else None,
        "p99_ms": percentile(times, 0.99) if times else None,
    }


def summarize_load(result: dict) -> dict[str, Any]:
    start, end = result["window"]
    seconds = end - start
    rows = {
        name: figures(samples, (start, end))
        for name, samples in sorted(result["samples"].items())
        if name not in NOT_REQUESTS
    }
    requests = [
        s
        for name, samples in result["samples"].items()
        if name not in NOT_REQUESTS
        for s in samples
    ]
    http = [
        s
        for name, samples in result["samples"].items()
        if name.startswith(("GET ", "POST ")) and name not in NOT_REQUESTS
        for s in samples
    ]
    delivery = figures(result["samples"].get("WS chat delivery", []), (start, end))
    dropped = len(result["samples"].get("WS dropped by server", []))
    timeline = [row for row in result["sockets"] if start <= row[0] <= end]
    chat = result["chat"]
    sessions = result["sessions"]
    return {
        "window_s": seconds,
        "rows": rows,
        "overall": figures(requests, (start, end)),
        "http": figures(http, (start, end)),
        "errors": result["errors"],
        # failed requests, connections the server dropped and chat deliveries that never came
        "error_count": sum(r["errors"] for r in rows.values()) + dropped + chat.get("lost", 0),
        "sessions": sessions,
        "session_start_lag_max_s": result["session_start_lag_max_s"],
        "answers": result["answers"],
        "chat": {
            **chat,
            "delivery_p50_ms": delivery["p50_ms"],
            "delivery_p95_ms": delivery["p95_ms"],
            "delivery_p99_ms": delivery["p99_ms"],
            "dropped_connections": dropped,
            "lost": chat.get("lost", 0),
        },
        "sockets": {
            "chat_min": min((row[1] for row in timeline), default=0),
            "chat_max": max((row[1] for row in timeline), default=0),
            "all_min": min((row[2] for row in timeline), default=0),
            "all_max": max((row[2] for row in timeline), default=0),
        },
    }


def summarize_compare(result: dict) -> dict[str, Any]:
    out = {}
    for name, (start, end) in result["windows"].items():
        samples = [s for s in result["samples"].get(f"GET {name}", []) if start <= s[0] <= end]
        out[name] = figures(samples, (start, end))
    home, bare = out["home"], out["bare"]
    out["ratio_throughput"] = home["per_s"] / bare["per_s"] if bare["per_s"] else None
    out["ratio_p95"] = (
        home["p95_ms"] / bare["p95_ms"] if home["p95_ms"] and bare["p95_ms"] else None
    )
    out["errors"] = result["errors"]
    return out


def run_mode(mode_class, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"nitet-load-{mode_class.name}-"))
    target = mode_class(folder)
    print(f"\n== {target.name}: {target.describe()}\n   scratch folder {folder}", flush=True)
    load_before = os.getloadavg()
    try:
        started = time.monotonic()
        env = target.prepare()
        accounts = create_accounts(env, folder, args)
        target.start()
        print(
            f"   servers ready with demo data and load-test accounts in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        load_timeout = args.ramp + 60 + args.duration + args.drain + 120
        with CpuWatch(target.markers()) as cpu:
            load = generate(load_config(target, accounts, args), folder, "load", load_timeout)
        load_during = os.getloadavg()
        settled = settle(target.app_url)
        compare_timeout = 2 * (args.compare_seconds + 10) + 120
        compare = generate(compare_config(target, args), folder, "compare", compare_timeout)
    except BaseException:
        print(f"   servers' log: {folder / 'servers.log'}", file=sys.stderr)
        args.keep = True
        raise
    finally:
        target.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        "mode": target.name,
        "servers": target.describe(),
        "load_average_before": load_before,
        "load_average_after_load": load_during,
        "cpu_cores": cpu.cores(),
        "settle_s": settled,
        "load": summarize_load(load),
        "compare": summarize_compare(compare),
    }


# Report -------------------------------------------------------------------------------------------------
def ratio(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def print_report(report: dict, args: argparse.Namespace) -> None:
    load = report["load"]
    rows = load["rows"]
    print(f"\n== {report['mode']} — {report['servers']}")
    print(
        "   load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}; at the end of the load: {:.2f} {:.2f} {:.2f}".format(
            *report["load_average_before"], *report["load_average_after_load"]
        )
    )
    cores = report["cpu_cores"]
    print(
        "   processor during the load, in cores (of {}): {}".format(
            os.cpu_count(), ", ".join(f"{name} {value:.2f}" for name, value in cores.items())
        )
    )
    print(
        f"\n   {'request type':26} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    )
    for name, row in rows.items():
        print(
            f"   {name:26} {row['count']:7,d} {row['per_s']:7.2f} {ms(row['p50_ms']):>8} "
            f"{ms(row['p95_ms']):>8} {ms(row['p99_ms']):>8} {row['errors']:6d}"
        )
    for label, row in (
        ("all HTTP requests", load["http"]),
        ("overall (HTTP + Socket.IO)", load["overall"]),
    ):
        print(
            f"   {label:26} {row['count']:7,d} {row['per_s']:7.2f} {ms(row['p50_ms']):>8} "
            f"{ms(row['p95_ms']):>8} {ms(row['p99_ms']):>8} {row['errors']:6d}"
        )
    chat, sockets, sessions = load["chat"], load["sockets"], load["sessions"]
    print(
        f"\n   sessions: {sessions.get('ok', 0):,} of {sessions['planned']:,} without an error "
        f"({sessions.get('failed', 0)} with one); latest session start "
        f"{load['session_start_lag_max_s']:.1f} s after its due time; answers posted: {load['answers']}"
    )
    print(
        f"   chat: {chat.get('sent', 0):,} messages sent, {chat.get('delivered', 0):,} of "
        f"{chat.get('expected', 0):,} deliveries due received ({chat['lost']} missing); "
        f"delivery p50 {ms(chat['delivery_p50_ms'])} ms, p95 {ms(chat['delivery_p95_ms'])} ms, "
        f"p99 {ms(chat['delivery_p99_ms'])} ms"
    )
    print(
        f"   sockets held: chat {sockets['chat_min']}–{sockets['chat_max']} throughout the "
        f"{load['window_s']:.0f} s window (of {args.sockets}); all open connections "
        f"{sockets['all_min']}–{sockets['all_max']} (with the sessions' and supervisors' pages); "
        f"dropped by the server: {chat['dropped_connections']}"
    )
    print(
        f"   errors: {load['error_count']} (failed requests + connections dropped by the server "
        "+ chat deliveries missing)"
    )
    for name, messages in load["errors"].items():
        for message, count in list(messages.items())[:3]:
            print(f"     {name}: {count} × {message}")
    compare = report["compare"]
    home, bare = compare["home"], compare["bare"]
    print(
        f"\n   home page ÷ bare Flask page, {args.compare_clients} closed-loop clients, "
        f"{args.compare_seconds:g} s each, served the same way "
        f"(after {report['settle_s']:.0f} s for the server to settle after the load):"
    )
    for label, row in (("home /", home), ("bare /hello", bare)):
        print(
            f"   {label:12} {row['per_s']:8.1f} req/s   p50 {ms(row['p50_ms']):>6} ms   "
            f"p95 {ms(row['p95_ms']):>6} ms   errors {row['errors']}"
        )
    print(
        f"   ratio (home ÷ bare): throughput {ratio(compare['ratio_throughput'], '.3f')}, "
        f"p95 latency {ratio(compare['ratio_p95'], '.1f')}×"
    )


def print_arithmetic(report: dict, args: argparse.Namespace) -> None:
    load = report["load"]
    seconds = load["window_s"]
    requests = load["http"]["count"]
    per_session = requests / max(1, args.users)
    hourly_rate = OFFICE_USERS * per_session / HOUR
    print(
        f"\n   arithmetic: {args.users:,} distinct teachers started a session within "
        f"{args.duration:g} s ({args.users / args.duration * HOUR:,.0f} users/hour-equivalent, "
        f"{args.users / args.duration * HOUR / OFFICE_USERS:.1f}× a large office's 1,000 users in an hour). With "
        f"{per_session:.1f} HTTP requests per user (all HTTP requests, including supervisors "
        f"and chat users), 1,000 users in one hour bring {hourly_rate:.2f} req/s; this run served "
        f"{load['http']['per_s']:.2f} req/s over its {seconds:.0f} s window = "
        f"{load['http']['per_s'] / max(hourly_rate, 1e-9):.1f}× that rate, with "
        f"{args.sockets} Socket.IO connections held throughout."
    )


def print_summary(reports: list[dict]) -> None:
    print("\n== summary")
    header = (
        f"   {'mode':10} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6} "
        f"{'chat p50':>8} {'chat p95':>8} {'sockets':>7} {'home/bare req/s':>15} {'home/bare p95':>13} {'CPU ours/others':>15}"
    )
    print(header)
    for report in reports:
        load, compare, cores = report["load"], report["compare"], report["cpu_cores"]
        overall = load["overall"]
        print(
            f"   {report['mode']:10} {overall['per_s']:7.1f} {ms(overall['p50_ms']):>6} "
            f"{ms(overall['p95_ms']):>6} {ms(overall['p99_ms']):>6} {load['error_count']:6d} "
            f"{ms(load['chat']['delivery_p50_ms']):>8} {ms(load['chat']['delivery_p95_ms']):>8} "
            f"{load['sockets']['chat_min']:7d} {ratio(compare['ratio_throughput'], '.3f'):>15} "
            f"{ratio(compare['ratio_p95'], '.1f'):>12}× "
            f"{cores['servers'] + cores['load generator']:7.2f}/{cores['other processes']:<7.2f}"
        )
    print(
        "   (latencies in ms; req/s and percentiles over every HTTP and Socket.IO request of the "
        "run; CPU in cores: servers + load generator / every other process on the machine)"
    )


# Main ---------------------------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["embedded", "scale-out", "both"], default="both")
    parser.add_argument(
        "--users", type=int, default=1000, help="distinct teachers, one session each"
    )
    parser.add_argument(
        "--duration", type=float, default=900, help="seconds over which they arrive"
    )
    parser.add_argument("--sockets", type=int, default=200, help="chat connections held throughout")
    parser.add_argument(
        "--supervisors", type=int, default=14, help="load-test supervisors answering"
    )
    parser.add_argument("--room-size", type=int, default=25, help="members of each chat group room")
    parser.add_argument(
        "--think",
        type=lambda t: [float(x) for x in t.split(",")],
        default=[2.0, 5.0],
        help="think time between pages, seconds: MIN,MAX",
    )
    parser.add_argument("--workers", type=int, default=400, help="most sessions running at once")
    parser.add_argument(
        "--ramp", type=float, default=30, help="seconds over which the chat users connect"
    )
    parser.add_argument(
        "--drain", type=float, default=120, help="longest wait for the last sessions"
    )
    parser.add_argument("--compare-clients", type=int, default=16)
    parser.add_argument("--compare-seconds", type=float, default=20)
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    parser.add_argument("--prepare-accounts", help=argparse.SUPPRESS)
    return parser.parse_args()


def stop_on_signal(number: int, _frame: object) -> None:
    """SIGTERM (and SIGINT, which a shell's background job ignores) end the run through the
    `finally` that stops every server it started."""
    raise KeyboardInterrupt(f"signal {number}")


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    if args.prepare_accounts:
        prepare_accounts(
            Path(args.prepare_accounts), args.users, args.supervisors, args.sockets, args.room_size
        )
        return
    if args.supervisors < 1:
        raise SystemExit("--supervisors must be at least 1 (one of them creates the chat rooms)")
    modes = {"embedded": [Embedded], "scale-out": [ScaleOut], "both": [Embedded, ScaleOut]}[
        args.mode
    ]
    print(
        f"load test: {args.users:,} distinct teachers over {args.duration:g} s, {args.sockets} chat "
        f"sockets held, {args.supervisors} supervisors answering; {os.cpu_count()} cores; "
        "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    )
    reports = []
    for mode in modes:
        report = run_mode(mode, args)
        reports.append(report)
        print_report(report, args)
        print_arithmetic(report, args)
    print_summary(reports)
    if args.json:
        Path(args.json).write_text(json.dumps(reports, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
