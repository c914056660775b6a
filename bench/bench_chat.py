"""Chat delivery: latency and throughput of the real chat against a bare Socket.IO server.

For N connected clients (default 100, 500, 1000) in rooms of 50, one member of every room sends a
message, waits for the server's acknowledgement (stored, then broadcast) and sends the next, for
DURATION seconds after a warm-up; every other member records the delay from send to receipt.
Reported per server:

  msg/s        messages acknowledged per second (each stored and broadcast to 50)
  deliveries/s messages received by clients per second
  median, p99  delivery latency (send → receipt by a member), milliseconds

Servers, both run by gunicorn in the same way (one worker process, same worker class):
  app       the real application: production config, the session cookie checked on connect,
            membership checked, every message stored in SQLite before it is broadcast
  baseline  bench/chat_baseline_server.py: python-socketio alone, broadcast and ack, no storage

Server modes compared: threading (gunicorn gthread, one thread per connection: --threads N+50)
and gevent (gunicorn -k gevent). Clients are socketio.AsyncClient over WebSocket in LOADERS
asyncio processes on 127.0.0.1 only; every phase is bounded in time.

    .venv/bin/pip install aiohttp gevent        # (requirements-dev.txt pins them)
    .venv/bin/python bench/bench_chat.py                       # all sizes, both modes
    .venv/bin/python bench/bench_chat.py --sizes 100 --modes threading --duration 5

The chat's per-user rate limit is raised for the run (NITET_CHAT_RATE_*): the bench measures the
delivery path, the limit is tested in tests/test_chat_live.py. So is the number of connections per
address (NITET_SOCKETS_PER_ADDRESS=0: every client comes from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROOM_SIZE = 50
CONNECT_CONCURRENCY = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Preparing the application's database and the clients' session cookies -------------------------
def prepare_app(folder: Path, clients: int) -> list[dict]:
    """A migrated database with `clients` users in group rooms of ROOM_SIZE; returns, per room,
    its id and the session cookies of its members (signed with the server's own secret key)."""
    os.environ.update(
        NITET_DATA_DIR=str(folder),
        NITET_CONFIG="production",
        DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
        NITET_SECURE_COOKIES="0",
    )
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from nitet_online import create_app
    from nitet_online.accounts.models import AccountStatus, Role, User
    from nitet_online.accounts.sessions import open_login
    from nitet_online.chat.models import ChatMember, ChatRoom, RoomKind
    from nitet_online.extensions import db

    app = create_app("production")
    with app.app_context():
        upgrade()
        users = [
            {
                "username": f"bench{n:05d}",
                "email": f"bench{n:05d}@bench.example",
                "password_hash": "!",
                "title": "",
                "first_name": f"ผู้ทดสอบ{n}",
                "last_name": "โหลด",
                "role": Role.TEACHER.value,
                "status": AccountStatus.ACTIVE.value,
                "session_token": secrets.token_hex(16),
            }
            for n in range(clients)
        ]
        db.session.execute(insert(User), users)
        # One login each, recorded on the server as the login form does.
        rows = [
            open_login(user, remember=False)
            for user in db.session.scalars(db.select(User).order_by(User.id))
        ]
        rooms = []
        serializer = app.session_interface.get_signing_serializer(app)
        for start in range(0, clients, ROOM_SIZE):
            members = rows[start : start + ROOM_SIZE]
            room = ChatRoom(kind=RoomKind.GROUP, name=f"ห้องทดสอบ {start // ROOM_SIZE + 1}")
            db.session.add(room)
            db.session.flush()
            db.session.execute(
                insert(ChatMember),
                [{"room_id": room.id, "user_id": int(m.split(":")[0])} for m in members],
            )
            cookies = [
                "session=" + serializer.dumps({"_user_id": identity, "_fresh": True})
                for identity in members
            ]
            rooms.append({"room_id": room.id, "cookies": cookies})
        db.session.commit()
    return rooms


def baseline_rooms(clients: int) -> list[dict]:
    return [
        {"room_id": n + 1, "cookies": [""] * min(ROOM_SIZE, clients - n * ROOM_SIZE)}
        for n in range((clients + ROOM_SIZE - 1) // ROOM_SIZE)
    ]


# Servers -----------------------------------------------------------------------------------------
class Server:
    def __init__(self, kind: str, mode: str, clients: int, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        target = "wsgi:app" if kind == "app" else "bench.chat_baseline_server:app"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
        ]
        if mode == "gevent":
            command += ["--worker-class", "gevent", "--worker-connections", str(clients + 200)]
        else:
            command += ["--worker-class", "gthread", "--threads", str(clients + 50)]
        environment = {
            **os.environ,
            "NITET_ACCESS_LOG": "0",
            "NITET_CHAT_RATE_BURST": "100000",
            "NITET_CHAT_RATE_PER_SECOND": "100000",
            "NITET_DEMO": "0",
            # Every client connects from 127.0.0.1: no limit of connections per address.
            "NITET_SOCKETS_PER_ADDRESS": "0",
        }
        environment.pop("REDIS_URL", None)
        self.log = open(folder / f"server-{kind}-{mode}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [*command, target], cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait(kind)

    def _wait(self, kind: str, timeout: float = 60) -> None:
        import urllib.request

        path = "/healthz" if kind == "app" else "/socket.io/?EIO=4&transport=polling"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited, see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not start, see {self.log.name}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# Load ------------------------------------------------------------------------------------------------
async def _room_load(url: str, kind: str, room: dict, start_at: float, end_at: float, warm: float):
    import socketio

    send_event, message_event = (
        ("chat:send", "chat:message") if kind == "app" else ("send", "message")
    )
    latencies: list[float] = []
    received = [0]
    clients = []
    semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def connect(cookie: str):
        client = socketio.AsyncClient(reconnection=False)

        @client.on(message_event)
        async def on_message(message):
            now = time.time()
            body = message.get("body", "")
            if body.startswith("b:") and now >= warm:
                sent_at, sender = body[2:].split("|", 1)
                if sender != str(id(client)):
                    latencies.append(now - float(sent_at))
                    received[0] += 1

        headers = {"Cookie": cookie} if cookie else {}
        async with semaphore:
            await client.connect(url, headers=headers, transports=["websocket"], wait_timeout=30)
        if kind == "baseline":
            await client.call("join", {"room_id": room["room_id"]}, timeout=30)
        clients.append(client)

    await asyncio.gather(*(connect(cookie) for cookie in room["cookies"]))
    sender = clients[0]
    sent = 0
    failures = 0
    await asyncio.sleep(max(0.0, start_at - time.time()))
    while time.time() < end_at:
        body = f"b:{time.time():.6f}|{id(sender)}"
        try:
            ack = await sender.call(
                send_event, {"room_id": room["room_id"], "body": body}, timeout=10
            )
        except Exception:
            failures += 1
            continue
        if ack and ack.get("ok"):
            if time.time() >= warm:
                sent += 1
        else:
            failures += 1
    await asyncio.sleep(1.0)  # let the last broadcasts arrive
    for client in clients:
        await client.disconnect()
    return {"sent": sent, "received": received[0], "latencies": latencies, "failures": failures}


def _loader(
    url: str, kind: str, rooms: list[dict], start_at: float, end_at: float, warm: float, out
):
    async def main():
        results = await asyncio.gather(
            *(_room_load(url, kind, room, start_at, end_at, warm) for room in rooms)
        )
        merged = {"sent": 0, "received": 0, "latencies": [], "failures": 0}
        for result in results:
            for key in ("sent", "received", "failures"):
                merged[key] += result[key]
            merged["latencies"] += result["latencies"]
        return merged

    try:
        out.put(asyncio.run(main()))
    except Exception as error:  # reported by the parent
        out.put({"error": repr(error)})


def run_load(url: str, kind: str, rooms: list[dict], duration: float, loaders: int) -> dict:
    """Connects everyone (bounded), then runs the closed send loop for warm-up + duration."""
    clients = sum(len(room["cookies"]) for room in rooms)
    connect_allowance = 10 + clients / 25  # seconds to connect everyone before the loop starts
    start_at = time.time() + connect_allowance
    warm = start_at + 2.0
    end_at = warm + duration
    queue: multiprocessing.Queue = multiprocessing.Queue()
    shares = [rooms[i::loaders] for i in range(loaders)]
    processes = [
        multiprocessing.Process(
            target=_loader, args=(url, kind, share, start_at, end_at, warm, queue), daemon=True
        )
        for share in shares
        if share
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=connect_allowance + duration + 60) for _ in processes]
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise RuntimeError("; ".join(errors))
    latencies = sorted(x for r in results for x in r["latencies"])
    return {
        "clients": clients,
        "msg_per_s": sum(r["sent"] for r in results) / duration,
        "deliveries_per_s": sum(r["received"] for r in results) / duration,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
        "failures": sum(r["failures"] for r in results),
    }


# Main --------------------------------------------------------------------------------------------------
def measure(kind: str, mode: str, clients: int, duration: float, loaders: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-chat-{kind}-{mode}-{clients}-"))
    if kind == "app":
        rooms = multiprocessing.get_context("spawn").Pool(1).apply(prepare_app, (folder, clients))
        os.environ.update(
            NITET_DATA_DIR=str(folder),
            NITET_CONFIG="production",
            DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
            NITET_SECURE_COOKIES="0",
        )
    else:
        rooms = baseline_rooms(clients)
    server = Server(kind, mode, clients, folder)
    try:
        return run_load(server.url, kind, rooms, duration, loaders)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--modes", default="threading,gevent")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    print(
        f"chat delivery, rooms of {ROOM_SIZE}, closed loop (one message in flight per room), "
        f"{args.duration:g} s measured after 2 s warm-up, {os.cpu_count()} cores"
    )
    header = f"{'mode':10} {'clients':>7} {'server':9} {'msg/s':>8} {'deliv/s':>9} {'median ms':>10} {'p99 ms':>9} {'fail':>5}"
    print(header)
    figures = []
    for mode in modes:
        for clients in sizes:
            loaders = 2 if clients >= 1000 else 1
            row = {}
            for kind in ("app", "baseline"):
                result = measure(kind, mode, clients, args.duration, loaders)
                row[kind] = result
                print(
                    f"{mode:10} {clients:7d} {kind:9} {result['msg_per_s']:8.1f} "
                    f"{result['deliveries_per_s']:9.0f} {result['median_ms']:10.1f} "
                    f"{result['p99_ms']:9.1f} {result['failures']:5d}",
                    flush=True,
                )
            app, base = row["app"], row["baseline"]
            print(
                f"{mode:10} {clients:7d} {'app/base':9} {app['msg_per_s'] / max(base['msg_per_s'], 1e-9):8.2f} "
                f"{app['deliveries_per_s'] / max(base['deliveries_per_s'], 1e-9):9.2f} "
                f"{app['median_ms'] / max(base['median_ms'], 1e-9):10.2f} "
                f"{app['p99_ms'] / max(base['p99_ms'], 1e-9):9.2f}",
                flush=True,
            )
            figures.append({"mode": mode, "clients": clients, **{k: v for k, v in row.items()}})
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
