"""Anonymous WebSocket connections: what one client without a session cookie holds on the server.

The client opens N raw engine.io WebSocket connections (default 200) to the real application
(gunicorn with gunicorn.conf.py, production configuration, SQLite, threading mode) from one
address, then does nothing: it never sends a Socket.IO connect and never answers a ping (issue 12
round 2, finding 6: 200 such connections stayed open 45 s and took the worker from 11 to 804
threads). Reported:

  accepted     handshakes answered 101 Switching Protocols (the rest were refused)
  open at t    of the accepted connections, those the client still sees open t seconds after the
               last was opened
  sockets      TCP connections the server holds on its port (from /proc/net/tcp: established,
               or closed by the client and not yet by the server)
  threads      the worker process's threads: idle before, at the peak, and at each t, and their
               ratio to idle (a connection held open costs about four threads in threading mode;
               gunicorn's gthread pool keeps the threads it once started, idle, so the count
               settles above the first idle figure once the connections are gone)

    .venv/bin/python bench/bench_anonymous_sockets.py
    .venv/bin/python bench/bench_anonymous_sockets.py --connections 1000 --watch 60

Only 127.0.0.1 is used. The server's own settings apply (NITET_SOCKET_AUTH_SECONDS,
NITET_SOCKETS_PER_ADDRESS); pass them in the environment to try others.
"""

from __future__ import annotations

import argparse
import base64
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = (1, 3, 6, 10, 20, 30, 45, 60)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving wsgi:app on a scratch data folder (empty database, no demo data)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "NITET_DATA_DIR": str(folder),
            "NITET_CONFIG": "production",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "NITET_DEMO": "0",
            "NITET_ACCESS_LOG": "0",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }
        environment.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        self.log = open(folder / "server.log", "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()
        self.worker = self._worker_pid()

    def _wait_healthy(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited, see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not start, see {self.log.name}")

    def _worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        if len(pids) != 1:
            raise RuntimeError(f"expected one worker, found {pids}")
        return pids[0]

    def sockets(self) -> int:
        """Server-side TCP connections on the port, except listening and TIME_WAIT ones."""
        held = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] not in ("0A", "06"):  # LISTEN, TIME_WAIT
                    held += 1
        return held

    def threads(self) -> int:
        for line in Path(f"/proc/{self.worker}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
        raise RuntimeError("no thread count")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def open_raw_websocket(port: int) -> socket.socket | None:
    """An engine.io WebSocket handshake and nothing more; the socket when the server switched
    protocols, None when it refused."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    if head.startswith(b"HTTP/1.1 101"):
        sock.setblocking(False)
        return sock
    sock.close()
    return None


class Held:
    """The accepted connections; each is dropped from the count once the server closes it."""

    def __init__(self, sockets: list[socket.socket]) -> None:
        self.selector = selectors.DefaultSelector()
        for sock in sockets:
            self.selector.register(sock, selectors.EVENT_READ)
        self.open = len(sockets)

    def pump(self, seconds: float) -> None:
        """Reads (and discards) what the server sends for `seconds`; counts the closes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.open:
                time.sleep(max(0.0, deadline - time.monotonic()))
                break
            for key, _ in self.selector.select(timeout=max(0.0, deadline - time.monotonic())):
                sock = key.fileobj
                try:
                    data = sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    self.selector.unregister(sock)
                    sock.close()
                    self.open -= 1

    def close(self) -> None:
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def run(connections: int, watch: float) -> None:
    with tempfile.TemporaryDirectory(prefix="nitet-bench-sockets-") as folder:
        server = Server(Path(folder))
        try:
            time.sleep(1)
            idle = server.threads()
            started = time.monotonic()
            accepted = [open_raw_websocket(server.port) for _ in range(connections)]
            held = Held([sock for sock in accepted if sock is not None])
            opened_in = time.monotonic() - started
            peak = server.threads()
            print(f"server: gunicorn gthread, {os.environ.get('NITET_THREADS', '1000')} threads")
            print(
                f"connections tried  {connections} (one address, no cookie, no Socket.IO connect)"
            )
            print(f"accepted           {held.open} (refused {connections - held.open})")
            print(f"opened in          {opened_in:.1f} s")
            print(f"worker threads     idle {idle}, at the peak {peak} ({peak / idle:.1f}x idle)")
            print(f"server sockets     at the peak {server.sockets()}")
            last = 0.0
            for checkpoint in CHECKPOINTS:
                if checkpoint > watch:
                    break
                held.pump(checkpoint - last)
                last = checkpoint
                threads = server.threads()
                print(
                    f"after {checkpoint:>3} s        open {held.open:>4}, "
                    f"server sockets {server.sockets():>4}, "
                    f"threads {threads:>4} ({threads / idle:.1f}x idle)"
                )
            held.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--watch", type=float, default=45, help="seconds to watch (at most 60)")
    arguments = parser.parse_args()
    run(arguments.connections, arguments.watch)


if __name__ == "__main__":
    main()
