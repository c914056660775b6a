"""Tools of the fault tests (tests/test_reliability.py).

- `KillableServer`: the real server (gunicorn, production configuration) in a process group of
  its own, so that the test can SIGKILL all of it at once and start it again on the same data.
- `Person`: a demo account logged in over HTTP from an address of its own (the server trusts one
  proxy, so X-Forwarded-For gives each person the address a school would have) and, on demand,
  a real Socket.IO client.
- Files made to measure (noise photos, PDFs of a given size) and checks of stored files: every
  upload row has complete files that decode, and no file is served without a row.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import socketio
import sqlalchemy as sa
from PIL import Image

from tests.conftest import DEMO_PASSWORD, PROJECT_ROOT, became_healthy, free_port, log_tail
from tests.services import csrf_token_in

STAGING_FOLDER = ".incoming"  # nitet_online.uploads.services.STAGING_FOLDER

# Plain HTTP on localhost (cookies without TLS), and one trusted proxy: X-Forwarded-For names the
# client, so every person of a test has an address of their own as in a real office. Those people
# log in with the demo accounts from addresses beyond this machine (NITET_DEMO_PUBLIC).
SERVER_ENV = {
    "NITET_SECURE_COOKIES": "0",
    "NITET_TRUSTED_PROXIES": "1",
    "NITET_DEMO_PUBLIC": "1",
}


FILE_SIZE_LAUNCHER = (
    "import os, resource, sys\n"
    "hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), hard))\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


class KillableServer:
    """gunicorn serving the app, started in a new session (its own process group)."""

    def __init__(
        self,
        data_dir: Path,
        database_url: str,
        env: dict[str, str] | None = None,
        file_size_limit: int | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.data_dir = data_dir
        self.database_url = database_url
        self.log_path = data_dir / "server.log"
        self.file_size_limit = file_size_limit
        self.environment = {
            **os.environ,
            "NITET_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "NITET_CONFIG": "production",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "NITET_ACCESS_LOG": "0",
            **SERVER_ENV,
            **(env or {}),
        }
        self.environment.pop("TEST_DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        self.start()

    def command(self) -> list[str]:
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
        if not self.file_size_limit:
            return gunicorn
        # RLIMIT_FSIZE for the server only, set by a tiny launcher that then becomes gunicorn
        # (safer than preexec_fn in a test process with threads). Python ignores SIGXFSZ, so a
        # write past the limit fails with EFBIG instead of killing the process.
        return [sys.executable, "-c", FILE_SIZE_LAUNCHER, str(self.file_size_limit), *gunicorn]

    def start(self, timeout: float = 40) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 (the child keeps it; closed right below)
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=PROJECT_ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        if not became_healthy(self.process, self.url, self.log_path, timeout):
            self.stop()
            raise RuntimeError(f"server did not become healthy: {log_tail(self.log_path)}")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def group_pids(self) -> set[int]:
        """The processes of the server's group: the gunicorn master and its worker(s)."""
        if not self.alive:
            return set()
        pids = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.process.pid:
                        pids.add(int(entry.name))
                except ProcessLookupError:
                    continue
        return pids

    def kill(self) -> None:
        """SIGKILL to every process of the server at the same instant (a power cut for it)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_for(server: KillableServer) -> sa.Engine:
    return sa.create_engine(sqlalchemy_url(server.database_url), poolclass=sa.pool.NullPool)


def sqlite_file(database_url: str) -> Path | None:
    return (
        Path(database_url[len("sqlite:///") :]) if database_url.startswith("sqlite:///") else None
    )


# People ------------------------------------------------------------------------------------------
class Person:
    """A demo account logged in through the real login form, from its own address."""

    def __init__(self, server: KillableServer, username: str, address: str) -> None:
        self.server = server
        self.username = username
        self.address = address
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address
        self.csrf = ""
        self.log_in()

    def log_in(self) -> None:
        page = self.http.get(f"{self.server.url}/auth/login", timeout=10)
        response = self.http.post(
            f"{self.server.url}/auth/login",
            data={
                "login": self.username,
                "password": DEMO_PASSWORD,
                "csrf_token": csrf_token_in(page.text),
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, f"login of {self.username}: {response.status_code}"
        self.csrf = csrf_token_in(self.get("/questions/ask").text)

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.http.get(f"{self.server.url}{path}", **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 20)
        kwargs.setdefault("allow_redirects", False)
        return self.http.post(f"{self.server.url}{path}", **kwargs)

    def ask(self, title: str, body: str, files: list[tuple[str, bytes]] = ()) -> requests.Response:
        data = {
            "csrf_token": self.csrf,
            "title": title,
            "body": body,
            "learning_area_id": "-1",  # ไม่เจาะจงกลุ่มสาระ
            "grade_level_id": "0",
            "tags": "",
        }
        parts = [("files", (name, content)) for name, content in files] or None
        return self.post("/questions/ask", data=data, files=parts)

    def answer(self, question_id: int, body: str) -> requests.Response:
        return self.post(
            f"/questions/{question_id}/answers", data={"csrf_token": self.csrf, "body": body}
        )

    def upload(self, name: str, content: bytes, image: bool) -> requests.Response:
        """The Markdown editor's upload endpoint (JSON with the new file's id and address)."""
        return self.post(
            "/files/upload" + ("?kind=image" if image else ""),
            files={"file": (name, content)},
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
        )

    def direct_room_with(self, user_id: int) -> int:
        response = self.post("/chat/direct", data={"user_id": user_id, "csrf_token": self.csrf})
        assert response.status_code == 302, response.text[:300]
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    def socket(self) -> LiveSocket:
        return LiveSocket(self)


class LiveSocket:
    """python-socketio's client over WebSocket with the person's session cookie; records what
    the server pushes. A call waiting for its acknowledgement ends as soon as the connection
    drops (the client's own call() would wait for its whole timeout)."""

    def __init__(self, person: Person) -> None:
        self.received: list[tuple[str, object]] = []
        self.waiting: set[threading.Event] = set()
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)

        @self.client.on("*")
        def record(event, *args):
            with self.lock:
                self.received.append((event, args[0] if args else None))

        @self.client.event
        def disconnect(*args):
            with self.lock:
                for waiting in self.waiting:
                    waiting.set()

        cookie = "; ".join(f"{c.name}={c.value}" for c in person.http.cookies)
        self.client.connect(
            person.server.url,
            headers={"Cookie": cookie, "X-Forwarded-For": person.address},
            transports=["websocket"],
            wait_timeout=10,
        )

    def call(self, event: str, data: dict, timeout: float = 20) -> dict:
        """The server's acknowledgement; ConnectionError when the connection dropped first."""
        done = threading.Event()
        answers: list[dict] = []

        def acknowledged(*args):
            answers.append(args[0] if args else {})
            done.set()

        with self.lock:
            self.waiting.add(done)
        try:
            self.client.emit(event, data, callback=acknowledged)
            done.wait(timeout)
        except socketio.exceptions.SocketIOError as error:
            raise ConnectionError(f"{event}: {error}") from error
        finally:
            with self.lock:
                self.waiting.discard(done)
        if not answers:
            raise ConnectionError(f"{event}: no acknowledgement (connection dropped or timed out)")
        return answers[0]

    def messages(self) -> list[dict]:
        with self.lock:
            return [data for event, data in self.received if event == "chat:message"]

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def user_id(engine: sa.Engine, username: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            sa.text('SELECT id FROM "user" WHERE username = :name'), {"name": username}
        ).scalar_one()


def wait_for(condition, timeout: float, message: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message)


# Files made to measure ---------------------------------------------------------------------------
def noise_photo(width: int, height: int, seed: int, quality: int = 90) -> bytes:
    """A JPEG of random pixels: it does not compress, so its size is predictable."""
    image = Image.frombytes("RGB", (width, height), _random_bytes(width * height * 3, seed))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def pdf_of_size(size: int, seed: int) -> bytes:
    """A valid PDF of about `size` bytes (a page whose content stream carries a long comment)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    filler = _random_bytes(max(0, size - 1200) // 2, seed).hex().encode("ascii")
    stream = DecodedStreamObject()
    lines = b"\n".join(b"%" + filler[i : i + 120] for i in range(0, len(filler), 120))
    stream.set_data(b"BT /F1 24 Tf 72 720 Td (Nitet Online) Tj ET\n" + lines)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def tiled_photo(side: int, seed: int) -> bytes:
    """A PNG of one 8-pixel tile of noise repeated: small to send (a 3200-pixel one is about
    160 kB, so Werkzeug keeps it in memory), but every JPEG copy the server makes of it is as large
    and as slow to make as one of a photo of pure noise (about 6 MB at 3200 pixels)."""
    tile = Image.frombytes("RGB", (8, 8), _random_bytes(8 * 8 * 3, seed))
    image = Image.new("RGB", (side, side))
    for x in range(0, side, 8):
        for y in range(0, side, 8):
            image.paste(tile, (x, y))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _random_bytes(count: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(count)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Checks of what is stored ------------------------------------------------------------------------
@dataclass
class UploadRow:
    id: int
    token: str
    kind: str
    extension: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    variants: list[str]


def upload_rows(engine: sa.Engine) -> dict[str, UploadRow]:
    import json

    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, token, kind, extension, size, sha256, width, height, variants "
                "FROM upload"
            )
        ).all()
    result = {}
    for row in rows:
        variants = row.variants
        if isinstance(variants, str):
            variants = json.loads(variants)
        result[row.token] = UploadRow(
            row.id, row.token, row.kind, row.extension, row.size, row.sha256, row.width,
            row.height, list(variants or []),
        )  # fmt: skip
    return result


def stored_folder(upload_dir: Path, token: str) -> Path | None:
    """In place (UPLOAD_DIR/<xx>/<token>) or still staged (UPLOAD_DIR/.incoming/<process>/<token>)."""
    placed = upload_dir / token[:2] / token
    if placed.is_dir():
        return placed
    return next((p for p in (upload_dir / STAGING_FOLDER).glob(f"*/{token}") if p.is_dir()), None)


def staging_entries(upload_dir: Path) -> set[str]:
    """The process folders and lock files in the staging area (each process has one of each)."""
    staging = upload_dir / STAGING_FOLDER
    return {path.name for path in staging.iterdir()} if staging.is_dir() else set()


def staged_uploads(upload_dir: Path) -> list[str]:
    """ "process/token" of every upload folder still in staging."""
    staging = upload_dir / STAGING_FOLDER
    if not staging.is_dir():
        return []
    return sorted(f"{p.parent.name}/{p.name}" for p in staging.glob("*/*") if p.is_dir())


def problems_of_stored_files(upload_dir: Path, rows: dict[str, UploadRow]) -> list[str]:
    """What is wrong on disk: a row without complete, decodable files; a file outside the
    staging area that no row names; a `.part` file outside staging."""
    problems = []
    for token, row in rows.items():
        folder = stored_folder(upload_dir, token)
        if folder is None:
            problems.append(f"upload {row.id}: no folder")
            continue
        problems += [f"upload {row.id}: {p}" for p in _problems_of_upload(folder, row)]
    for path in sorted(upload_dir.iterdir()) if upload_dir.is_dir() else []:
        if path.name == STAGING_FOLDER:
            continue  # the temp area: never served (no row names it), tidied at start
        if not path.is_dir():
            problems.append(f"stray file {path.name}")
            continue
        for token_dir in path.iterdir():
            if token_dir.name not in rows:
                problems.append(f"{path.name}/{token_dir.name}: files without a row")
            for leftover in token_dir.rglob("*.part"):
                problems.append(f"partial file {leftover.relative_to(upload_dir)}")
    return problems


def _problems_of_upload(folder: Path, row: UploadRow) -> list[str]:
    original = folder / f"original.{row.extension}"
    if not original.is_file():
        return ["original missing"]
    data = original.read_bytes()
    problems = []
    if len(data) != row.size:
        problems.append(f"original has {len(data)} bytes, the row says {row.size}")
    if row.kind == "image":
        for name in ["original", *row.variants]:
            problem = image_problem(folder / f"{name}.{row.extension}")
            if problem:
                problems.append(f"{name}: {problem}")
        with Image.open(original) as image:
            if image.size != (row.width, row.height):
                problems.append(f"original is {image.size}, the row says {row.width}×{row.height}")
    else:
        if sha256(data) != row.sha256:
            problems.append("content differs from what was uploaded (sha256)")
        if row.extension == "pdf" and not pdf_is_complete(data):
            problems.append("PDF is incomplete")
    return problems


def image_problem(path: Path) -> str | None:
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image.load()  # verify() does not decode the pixels; a cut-off JPEG fails here
    except Exception as error:  # any failure to decode is the finding
        return f"does not decode ({error})"
    return None


def pdf_is_complete(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")
