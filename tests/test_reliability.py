"""Fault tests against the real server (gunicorn, production configuration), on the database of
the pass (SQLite in the data folder; PostgreSQL in the PostgreSQL pass of `make test`):

- the whole server killed with SIGKILL in the middle of writes (questions with photos and PDFs,
  answers, chat messages with and without photos) and started again on the same data: every write
  the server acknowledged is there, whole, and nothing is half-written;
- Redis stopped under a running server (scale-out mode): chat says so in Thai, pages still serve,
  /healthz says "degraded"; Redis started again: chat works again without a server restart;
- the disk filling up during an upload (the server's file size limit, RLIMIT_FSIZE): a Thai
  message, the question form keeps what was typed, no row and no file is left, the server goes on.

The staging of uploads (nitet_online/uploads/services.py) is also checked in-process, where a dead
process can be staged exactly.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import build_app, copy_demo_uploads
from tests.reliability_tools import (
    STAGING_FOLDER,
    TRACEBACK,
    KillableServer,
    LiveSocket,
    Person,
    engine_for,
    image_problem,
    noise_photo,
    pdf_of_size,
    problems_of_stored_files,
    sha256,
    sqlite_file,
    staged_uploads,
    staging_entries,
    tiled_photo,
    upload_rows,
    user_id,
    wait_for,
)

# Writers must not be stopped by the per-person limits of a real office.
WRITE_ENV = {
    "NITET_RATELIMIT_ASK": "1000 per hour",
    "NITET_RATELIMIT_ANSWER": "1000 per hour",
    "NITET_CHAT_RATE_BURST": "1000",
    "NITET_CHAT_RATE_PER_SECOND": "100",
}
QUESTION_LOCATION = re.compile(r"/questions/(\d+)(?:-[^#]*)?$")
ANSWER_LOCATION = re.compile(r"/questions/(\d+)[^#]*#answer-(\d+)$")
STORAGE_FULL = "พื้นที่จัดเก็บ"


@dataclass
class Office:
    """The data of one office: the data folder (uploads, secret key, search index and, on SQLite,
    the database file) and the database URL. Servers are started and restarted on it."""

    data_dir: Path
    database_url: str

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"


@pytest.fixture(scope="module")
def demo_search_index(databases, tmp_path_factory) -> Path:
    """The demo's search index, built once: each server would otherwise rebuild it at its first
    start (several seconds of Thai word segmentation)."""
    from nitet_online.extensions import db
    from nitet_online.search.services import reindex

    folder = tmp_path_factory.mktemp("search-index")
    app = build_app(folder / "data", databases.fresh(with_demo=True))
    app.config["SEARCH_INDEX_DIR"] = str(folder / "index")
    with app.app_context():
        reindex()
        db.session.remove()
        db.engine.dispose()
    return folder / "index"


@pytest.fixture
def office(databases, demo_search_index, tmp_path) -> Office:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    copy_demo_uploads(databases, data_dir)
    shutil.copytree(demo_search_index, data_dir / "search-index", symlinks=True)  # "current" links
    url = databases.fresh(with_demo=True)
    database_file = sqlite_file(url)
    if database_file is not None:  # in the data folder, as `make run` keeps it
        target = data_dir / "nitet.db"
        shutil.move(database_file, target)
        url = f"sqlite:///{target}"
    return Office(data_dir, url)


@pytest.fixture
def start_server() -> Iterator[Callable[..., KillableServer]]:
    started: list[KillableServer] = []

    def start(office: Office, **options) -> KillableServer:
        server = KillableServer(office.data_dir, office.database_url, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def rows(engine: sa.Engine, statement: str, **values) -> list[sa.Row]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(statement), values))


# 1. Killed in the middle of writes ---------------------------------------------------------------
@dataclass
class Ack:
    """A write the server acknowledged (a redirect naming the new post, the JSON of a stored file,
    a Socket.IO acknowledgement with the message)."""

    kind: str  # "question", "answer", "upload", "chat"
    id: int
    title: str = ""
    text: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    parent_id: int | None = None  # the answer's question, the message's room
    upload_id: int | None = None


class Writes:
    """What the writers tried and what the server acknowledged, shared by the writer threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acks: list[Ack] = []
        self.tried_questions: dict[str, int] = {}  # title → number of files sent with it
        self.tried_texts: set[str] = set()  # bodies of answers and chat messages
        self.interrupted: list[str] = []  # writes cut off by the kill
        self.refused: list[str] = []  # answers that are neither an acknowledgement nor a cut
        self.stop = threading.Event()

    def tried(self, title: str = "", text: str = "", files: int = 0) -> None:
        with self.lock:
            if title:
                self.tried_questions[title] = files
            if text:
                self.tried_texts.add(text)

    def ack(self, ack: Ack) -> None:
        with self.lock:
            self.acks.append(ack)

    def count(self) -> int:
        with self.lock:
            return len(self.acks)

    def kinds(self) -> set[str]:
        with self.lock:
            return {ack.kind for ack in self.acks}

    def cut(self, who: str, error: Exception) -> None:
        with self.lock:
            self.interrupted.append(f"{who}: {type(error).__name__}")

    def refuse(self, who: str, what: str) -> None:
        with self.lock:
            self.refused.append(f"{who}: {what}")


CUT = (requests.RequestException, ConnectionError)


def _ask_repeatedly(person: Person, writes: Writes, label: str, photos: list[bytes], pdf: bytes):
    for number in range(1, 10_000):
        if writes.stop.is_set():
            return
        title = f"ทดสอบไฟดับ {label} {person.username} ข้อ {number}"
        body = (f"รายละเอียดคำถาม {title}: การวัดผลการอ่านออกเขียนได้ของนักเรียนชั้น ป.1 " * 12).strip()
        files = [(f"ภาพกิจกรรม-{number}.jpg", photos[number % len(photos)])]
        if number % 2:
            files.append((f"แผนการสอน-{number}.pdf", pdf))
        writes.tried(title=title, files=len(files))
        try:
            response = person.ask(title, body, files)
        except CUT as error:
            writes.cut(person.username, error)
            return
        match = QUESTION_LOCATION.search(response.headers.get("Location", ""))
        if response.status_code != 302 or not match:
            writes.refuse(person.username, f"ask {response.status_code} {response.text[:300]}")
            return
        writes.ack(Ack("question", int(match[1]), title=title, text=body, files=files))


def _answer_repeatedly(person: Person, writes: Writes, label: str, question_id: int):
    for number in range(1, 10_000):
        if writes.stop.is_set():
            return
        body = (f"คำตอบ {label} {person.username} ข้อ {number}: ลองใช้แบบฝึกการอ่านรายวัน " * 6).strip()
        writes.tried(text=body)
        try:
            response = person.answer(question_id, body)
        except CUT as error:
            writes.cut(person.username, error)
            return
        match = ANSWER_LOCATION.search(response.headers.get("Location", ""))
        if response.status_code != 302 or not match:
            writes.refuse(person.username, f"answer {response.status_code} {response.text[:300]}")
            return
        writes.ack(Ack("answer", int(match[2]), text=body, parent_id=question_id))


def _chat_repeatedly(
    person: Person, socket: LiveSocket, writes: Writes, label: str, room_id: int, photo: bytes
):
    for number in range(1, 10_000):
        if writes.stop.is_set():
            return
        body = f"ข้อความ {label} {person.username} ที่ {number} นัดประชุม PLC วันศุกร์"
        writes.tried(text=body)
        try:
            upload_id = None
            if number % 3 == 0:  # a photo first, through the editor's upload, as the chat page does
                response = person.upload(f"ภาพห้องเรียน-{number}.jpg", photo, image=True)
                if response.status_code != 200:
                    writes.refuse(person.username, f"upload {response.status_code}")
                    return
                upload_id = response.json()["id"]
                writes.ack(Ack("upload", upload_id, files=[("photo", photo)]))
            answer = socket.call(
                "chat:send", {"room_id": room_id, "body": body, "upload_id": upload_id}
            )
        except CUT as error:
            writes.cut(person.username, error)
            return
        if not answer.get("ok"):
            writes.refuse(person.username, f"chat {answer}")
            return
        writes.ack(
            Ack("chat", answer["message"]["id"], text=body, parent_id=room_id, upload_id=upload_id)
        )


@dataclass
class Cast:
    askers: list[Person]
    answerer: Person
    chatter: Person
    question_id: int
    room_id: int


def _write_until_killed(
    server: KillableServer, cast: Cast, writes: Writes, label: str, rng: random.Random, when
) -> set[int]:
    """Runs the writers until `when(writes)` holds, then SIGKILLs the server; returns the killed
    processes' ids."""
    pids = server.group_pids()
    photos = [
        noise_photo(900, 700, seed=rng.randrange(1 << 30)),
        tiled_photo(1600, seed=rng.randrange(1 << 30)),  # slow to process: long in staging
        noise_photo(1200, 900, seed=rng.randrange(1 << 30)),
    ]
    pdf = pdf_of_size(200_000, seed=rng.randrange(1 << 30))
    socket = cast.chatter.socket()
    assert socket.call("chat:join", {"room_id": cast.room_id})["ok"]
    writers = [
        threading.Thread(target=_ask_repeatedly, args=(asker, writes, label, photos, pdf))
        for asker in cast.askers
    ]
    writers.append(
        threading.Thread(
            target=_answer_repeatedly, args=(cast.answerer, writes, label, cast.question_id)
        )
    )
    writers.append(
        threading.Thread(
            target=_chat_repeatedly,
            args=(cast.chatter, socket, writes, label, cast.room_id, photos[0]),
        )
    )
    for writer in writers:
        writer.start()
    try:
        wait_for(
            lambda: when(writes) or writes.refused,
            timeout=120,
            message=f"{label}: the writers did not get far enough ({writes.count()} acknowledged)",
            interval=0.005,
        )
        server.kill()
    finally:
        writes.stop.set()
        for writer in writers:
            writer.join(timeout=30)
        socket.close()
    assert not writes.refused, f"{label}: writes refused before the kill: {writes.refused}"
    assert not any(writer.is_alive() for writer in writers), "a writer is still waiting"
    return pids


def _entries_of(pids: set[int], entries: set[str]) -> set[str]:
    """Staging entries (process folders and lock files) of these processes."""
    names = {str(pid) for pid in pids}
    return {entry for entry in entries if entry.lstrip(".").split("-", 1)[0] in names}


def _check_acknowledged(server: KillableServer, engine: sa.Engine, acks: list[Ack], who) -> None:
    """Every acknowledged write is in the database, equal to what was sent, and served."""
    missing, different = [], []
    for ack in acks:
        if ack.kind == "question":
            found = rows(engine, "SELECT title, body FROM question WHERE id = :id", id=ack.id)
            files = rows(
                engine,
                "SELECT u.token, u.sha256, u.kind FROM attachment a JOIN upload u "
                "ON u.id = a.upload_id WHERE a.target_type = 'question' AND a.target_id = :id "
                "ORDER BY a.position",
                id=ack.id,
            )
            if not found:
                missing.append(f"question {ack.id}")
            elif (found[0].title, found[0].body) != (ack.title, ack.text):
                different.append(f"question {ack.id}: text differs")
            elif [f.sha256 for f in files] != [sha256(content) for _, content in ack.files]:
                different.append(f"question {ack.id}: files {len(files)}/{len(ack.files)}")
            else:
                page = who(ack).get(f"/questions/{ack.id}")
                if page.status_code != 200 or ack.title not in page.text:
                    different.append(f"question {ack.id}: page {page.status_code}")
                for (_, sent), stored in zip(ack.files, files, strict=True):
                    served = who(ack).get(f"/files/{stored.token}")
                    if served.status_code != 200:
                        different.append(f"question {ack.id}: file {served.status_code}")
                    elif stored.kind == "document" and served.content != sent:
                        different.append(f"question {ack.id}: served PDF differs")
        elif ack.kind == "answer":
            found = rows(
                engine, "SELECT body, question_id FROM question_answer WHERE id = :id", id=ack.id
            )
            if not found:
                missing.append(f"answer {ack.id}")
            elif (found[0].body, found[0].question_id) != (ack.text, ack.parent_id):
                different.append(f"answer {ack.id}")
        elif ack.kind == "upload":
            found = rows(engine, "SELECT sha256 FROM upload WHERE id = :id", id=ack.id)
            if not found:
                missing.append(f"upload {ack.id}")
            elif found[0].sha256 != sha256(ack.files[0][1]):
                different.append(f"upload {ack.id}: sha256")
        elif ack.kind == "chat":
            found = rows(
                engine,
                "SELECT body, room_id, upload_id FROM chat_message WHERE id = :id",
                id=ack.id,
            )
            if not found:
                missing.append(f"chat message {ack.id}")
            elif tuple(found[0]) != (ack.text, ack.parent_id, ack.upload_id):
                different.append(f"chat message {ack.id}: {tuple(found[0])}")
    assert not missing, f"acknowledged but lost after the restart: {missing}"
    assert not different, f"acknowledged but not as sent: {different}"


def _check_nothing_half_written(
    office: Office, engine: sa.Engine, writes: Writes, question_id: int, room_id: int
) -> None:
    # Files: every upload row (the demo's and ours) has its complete files, which decode; no file
    # where files are served without a row.
    problems = problems_of_stored_files(office.upload_dir, upload_rows(engine))
    assert not problems, f"half-written uploads: {problems}"
    # A question is stored with all the files sent with it, or not at all.
    for title, sent in writes.tried_questions.items():
        for question in rows(engine, "SELECT id FROM question WHERE title = :t", t=title):
            attached = rows(
                engine,
                "SELECT count(*) AS n FROM attachment WHERE target_type = 'question' "
                "AND target_id = :id",
                id=question.id,
            )[0].n
            assert attached == sent, f"question {question.id}: {attached} of {sent} files"
    # The counter kept beside the answers agrees with them.
    answer_count = rows(engine, "SELECT answer_count FROM question WHERE id = :id", id=question_id)
    visible = rows(
        engine,
        "SELECT count(*) AS n FROM question_answer WHERE question_id = :id AND is_hidden = false",
        id=question_id,
    )
    assert answer_count[0].answer_count == visible[0].n, "answer_count differs from the answers"
    # Chat messages are whole, name existing files, and the room's last time is the last one's.
    for message in rows(
        engine, "SELECT id, body, upload_id FROM chat_message WHERE room_id = :id", id=room_id
    ):
        assert message.body in writes.tried_texts, f"chat message {message.id} is not as sent"
        if message.upload_id is not None:
            assert rows(engine, "SELECT id FROM upload WHERE id = :id", id=message.upload_id)
    last = rows(
        engine,
        "SELECT r.last_message_at AS room, max(m.created_at) AS message FROM chat_room r "
        "JOIN chat_message m ON m.room_id = r.id WHERE r.id = :id GROUP BY r.last_message_at",
        id=room_id,
    )
    if last:
        assert str(last[0].room) == str(last[0].message), "the room's last message time differs"


def test_nothing_acknowledged_is_lost_when_the_server_is_killed_mid_write(office, start_server):
    seed = int(os.environ.get("NITET_FAULT_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    server = start_server(office, env=WRITE_ENV)
    engine = engine_for(server)
    try:
        people = {
            name: Person(server, name, f"10.9.0.{number}")
            for number, name in enumerate(
                ["teacher1", "teacher2", "supervisor1", "supervisor2"], start=1
            )
        }
        first = people["teacher1"].ask("ทดสอบไฟดับ: คำถามตั้งต้น", "คำถามที่ศึกษานิเทศก์จะตอบระหว่างการทดสอบ")
        question_id = int(QUESTION_LOCATION.search(first.headers["Location"])[1])
        room_id = people["supervisor2"].direct_room_with(user_id(engine, "teacher1"))
        cast = Cast(
            askers=[people["teacher1"], people["teacher2"]],
            answerer=people["supervisor1"],
            chatter=people["supervisor2"],
            question_id=question_id,
            room_id=room_id,
        )
        owner = {"question": people["teacher1"]}

        def who(ack: Ack) -> Person:
            return owner.get(ack.kind, people["teacher1"])

        everything = Writes()
        # Round 1: killed at a random moment among the writes. Round 2: killed as soon as a photo
        # is being written into staging (its folder half full, its row not yet committed); if the
        # photo was moved into place in the instant before the kill, that round goes again.
        rounds = [("ทดสอบ รอบ1", False), ("ทดสอบ รอบ2", True), ("ทดสอบ รอบ3", True)]
        staged_at_kill: list[str] = []
        for label, photo_in_staging in rounds:
            if photo_in_staging and staged_at_kill:
                break
            pids = server.group_pids()
            enough = rng.randint(3, 8) if photo_in_staging else rng.randint(6, 16)

            def when(writes: Writes, enough=enough, pids=pids, staged=photo_in_staging) -> bool:
                if writes.count() < enough or not {"question", "answer", "chat"} <= writes.kinds():
                    return False
                return not staged or bool(_entries_of(pids, set(staged_uploads(office.upload_dir))))

            writes = Writes()
            killed = _write_until_killed(server, cast, writes, label, rng, when)
            assert writes.interrupted, f"{label}: the kill cut no write (seed {seed})"
            staged = sorted(_entries_of(killed, set(staged_uploads(office.upload_dir))))
            if photo_in_staging:
                staged_at_kill += staged
            left = _entries_of(killed, staging_entries(office.upload_dir))
            print(  # shown with -s, and on failure
                f"{label} (seed {seed}): killed after "
                f"{dict(Counter(ack.kind for ack in writes.acks))} acknowledged, "
                f"{len(writes.interrupted)} writes cut, {len(staged)} uploads in staging"
            )

            server.start()  # on the same data: its first request finishes the staging
            assert not _entries_of(killed, staging_entries(office.upload_dir)), (
                f"{label}: staging of the killed server not finished: {left}"
            )
            everything.acks += writes.acks
            everything.interrupted += writes.interrupted
            everything.tried_questions |= writes.tried_questions
            everything.tried_texts |= writes.tried_texts
            _check_acknowledged(server, engine, everything.acks, who)
            _check_nothing_half_written(office, engine, everything, question_id, room_id)

        assert staged_at_kill, "no round was killed with a photo in staging"
        # After the kills the office works as before: a question with a photo is stored and served.
        photo = noise_photo(640, 480, seed=seed)
        after = people["teacher2"].ask(
            "หลังไฟดับ: ยังถามได้", "ระบบกลับมาทำงานตามปกติ", [("ภาพ.jpg", photo)]
        )
        assert after.status_code == 302, after.text[:500]
        new_id = int(QUESTION_LOCATION.search(after.headers["Location"])[1])
        (token,) = rows(
            engine,
            "SELECT u.token FROM attachment a JOIN upload u ON u.id = a.upload_id "
            "WHERE a.target_type = 'question' AND a.target_id = :id",
            id=new_id,
        )[0]
        served = people["teacher2"].get(f"/files/{token}")
        assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    finally:
        engine.dispose()
    log = server.log_text()
    assert not TRACEBACK.search(log), f"the server logged an error: {log[-3000:]}"


# 2. Redis goes away and comes back ---------------------------------------------------------------
def test_chat_says_so_in_thai_while_redis_is_away_and_works_again_after(
    office, start_server, private_redis
):
    server = start_server(office, env={**WRITE_ENV, "REDIS_URL": private_redis.url})
    engine = engine_for(server)
    try:
        sender = Person(server, "supervisor2", "10.9.1.1")
        receiver = Person(server, "teacher1", "10.9.1.2")
        room_id = sender.direct_room_with(user_id(engine, "teacher1"))
        sending, receiving = sender.socket(), receiver.socket()
        for socket in (sending, receiving):
            assert socket.call("chat:join", {"room_id": room_id})["ok"]

        def delivered(body: str) -> bool:
            return any(m["body"] == body for m in receiving.messages())

        before = sending.call("chat:send", {"room_id": room_id, "body": "ก่อน Redis หยุด"})
        assert before["ok"], before
        wait_for(lambda: delivered("ก่อน Redis หยุด"), 20, "not delivered through Redis")

        private_redis.stop()
        refused = sending.call("chat:send", {"room_id": room_id, "body": "ระหว่าง Redis หยุด"})
        assert refused["ok"] is False and refused["code"] == "unavailable", refused
        assert "ไม่พร้อมใช้งานชั่วคราว" in refused["error"]
        assert not rows(engine, "SELECT id FROM chat_message WHERE body = 'ระหว่าง Redis หยุด'")
        # Reading goes on: the room's page and its history, the questions; /healthz says degraded.
        for path in (f"/chat/rooms/{room_id}", f"/chat/api/rooms/{room_id}/messages", "/questions"):
            page = sender.get(path)
            assert page.status_code == 200, f"{path}: {page.status_code}"
            assert "Traceback" not in page.text
        health = sender.get("/healthz")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["checks"]["redis"] == "error"
        assert sending.client.connected and receiving.client.connected

        private_redis.start()
        wait_for(lambda: sender.get("/healthz").json()["status"] == "ok", 30, "health not ok")
        # No restart: the first message after Redis is back is stored and acknowledged; the server
        # subscribes to Redis again by itself (with back-off), after which messages reach the
        # other member live again.
        sent: list[str] = []

        def send_until_delivered() -> bool:
            body = f"หลัง Redis กลับมา {len(sent) + 1}"
            answer = sending.call("chat:send", {"room_id": room_id, "body": body})
            assert answer["ok"], answer
            sent.append(body)
            try:
                wait_for(lambda: delivered(body), 2, "")
                return True
            except AssertionError:
                return False

        wait_for(send_until_delivered, 120, "chat not delivered live after Redis came back")
        stored = {
            r.body
            for r in rows(engine, "SELECT body FROM chat_message WHERE room_id = :r", r=room_id)
        }
        assert set(sent) <= stored
        sending.close()
        receiving.close()
    finally:
        engine.dispose()
    assert "Redis unavailable during chat event on_send" in server.log_text()


# 3. The disk fills up during an upload -----------------------------------------------------------
# The server's files may grow to FILE_SIZE_LIMIT bytes each (RLIMIT_FSIZE, no root needed): room
# for the database (SQLite: 2 MB of demo data and at most about 4 MB of write-ahead log), the log
# and the search index, but not for the 3200-pixel copy of a large photo (about 6 MB).
FILE_SIZE_LIMIT = 5 * 1024 * 1024


def _all_files(upload_dir: Path) -> set[str]:
    return {str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*") if p.is_file()}


def test_a_full_disk_during_an_upload_fails_cleanly(office, start_server):
    large = tiled_photo(3200, seed=7)
    assert len(large) < 400_000  # kept in memory while the request is read
    server = start_server(office, env=WRITE_ENV, file_size_limit=FILE_SIZE_LIMIT)
    engine = engine_for(server)
    try:
        teacher = Person(server, "teacher1", "10.9.2.1")
        before_files = _all_files(office.upload_dir)
        before_rows = set(upload_rows(engine))
        title = "ภาพกิจกรรมวันภาษาไทย ขนาดใหญ่"
        body = "รายละเอียดที่พิมพ์ไว้ยาว ๆ ต้องไม่หายเมื่อไฟล์บันทึกไม่ได้"

        refused = teacher.ask(title, body, [("กิจกรรม.png", large)])
        assert refused.status_code == 200, refused.status_code  # the form, shown again
        assert STORAGE_FULL in refused.text and "กรุณาแจ้งผู้ดูแลระบบ" in refused.text
        assert title in refused.text and body in refused.text  # what was typed is kept
        assert not TRACEBACK.search(refused.text)
        assert not rows(engine, "SELECT id FROM question WHERE title = :t", t=title)

        editor = teacher.upload("กิจกรรม.png", large, image=True)
        assert editor.status_code == 507 and STORAGE_FULL in editor.json()["error"]

        # A PDF larger than the room left fails while the request is still being read (Werkzeug
        # spools large uploads to a temporary file): the same Thai message, not a crash.
        spooled = teacher.ask(title, body, [("รายงาน.pdf", pdf_of_size(6_000_000, seed=3))])
        assert spooled.status_code == 507 and STORAGE_FULL in spooled.text
        assert not TRACEBACK.search(spooled.text)

        # Nothing was kept: no row, no file, no staged folder (only the server's staging lock).
        assert set(upload_rows(engine)) == before_rows
        new_files = _all_files(office.upload_dir) - before_files
        assert all(name.startswith(f"{STAGING_FOLDER}/") and name.endswith(".lock")
                   for name in new_files), new_files  # fmt: skip
        assert staged_uploads(office.upload_dir) == []

        # The server goes on: pages serve, and a photo that fits is stored and served.
        assert teacher.get("/").status_code == 200
        assert teacher.get("/healthz").status_code == 200
        small = noise_photo(800, 600, seed=11)
        stored = teacher.ask(title, body, [("กิจกรรม.jpg", small)])
        assert stored.status_code == 302, stored.text[:500]
        question_id = int(QUESTION_LOCATION.search(stored.headers["Location"])[1])
        ((token, digest),) = rows(
            engine,
            "SELECT u.token, u.sha256 FROM attachment a JOIN upload u ON u.id = a.upload_id "
            "WHERE a.target_type = 'question' AND a.target_id = :id",
            id=question_id,
        )
        assert digest == sha256(small)
        assert teacher.get(f"/files/{token}").status_code == 200
        assert problems_of_stored_files(office.upload_dir, upload_rows(engine)) == []
    finally:
        engine.dispose()
    assert "upload storage full" in server.log_text()


# The staging of uploads, in-process --------------------------------------------------------------
def _dead_process_staging(upload_dir: Path, name: str) -> Path:
    """What a killed process leaves: its lock file (nobody holds it now) and staging folder."""
    staging = upload_dir / STAGING_FOLDER
    staging.mkdir(parents=True, exist_ok=True)
    (staging / f"{name}.lock").touch()
    (staging / name).mkdir()
    return staging / name


def test_the_next_process_finishes_what_a_dead_one_left_in_staging(app):
    from werkzeug.datastructures import FileStorage

    from nitet_online.extensions import db
    from nitet_online.uploads.models import Upload
    from nitet_online.uploads.services import file_path, finish_staged_uploads, save_upload

    upload_dir = Path(app.config["UPLOAD_DIR"])
    pdf = pdf_of_size(20_000, seed=1)
    with app.test_request_context():
        committed = save_upload(FileStorage(_bytes(pdf), filename="a.pdf"), None)
        db.session.commit()
        assert (upload_dir / committed.token[:2] / committed.token / "original.pdf").is_file()

        rolled_back = save_upload(FileStorage(_bytes(pdf), filename="b.pdf"), None)
        token = rolled_back.token
        assert file_path(rolled_back).is_file()  # staged
        db.session.rollback()
        assert staged_uploads(upload_dir) == []
        assert not db.session.scalar(sa.select(Upload).where(Upload.token == token))

        # A dead process: one upload whose row committed before the move, one whose row never did.
        dead = _dead_process_staging(upload_dir, "4242-deadbeef")
        crashed = save_upload(FileStorage(_bytes(pdf), filename="c.pdf"), None)
        db.session.commit()
        placed = upload_dir / crashed.token[:2] / crashed.token
        os.rename(placed, dead / crashed.token)  # as if killed between the commit and the move
        assert file_path(crashed).parent == dead / crashed.token  # still served from staging
        (dead / "never-committed").mkdir()
        (dead / "never-committed" / "original.pdf").write_bytes(pdf[:5000])
        # A backup taken mid-move holds an upload both in staging and in place: the copy in place
        # stays.
        in_place = upload_dir / committed.token[:2] / committed.token
        shutil.copytree(in_place, dead / committed.token)
        # A live process (its lock held): left alone.
        alive = _dead_process_staging(upload_dir, "4343-cafe")
        (alive / "in-flight").mkdir()
        with open(upload_dir / STAGING_FOLDER / "4343-cafe.lock", "rb") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            assert finish_staged_uploads() == (1, 1)
            assert (alive / "in-flight").is_dir()
        assert (placed / "original.pdf").read_bytes() == pdf
        assert (in_place / "original.pdf").read_bytes() == pdf
        assert file_path(crashed) == placed / "original.pdf"
        assert not dead.exists() and not (dead.parent / "4242-deadbeef.lock").exists()
        assert finish_staged_uploads() == (0, 1)  # its process gone too: "in-flight" removed
        assert staged_uploads(upload_dir) == []


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_health_says_degraded_when_the_upload_disk_is_full(databases, tmp_path):
    app = build_app(tmp_path / "data", databases.fresh(with_demo=False))
    app.config["UPLOAD_MIN_FREE_BYTES"] = 1 << 62  # more than any disk has free
    try:
        health = app.test_client().get("/healthz")
        assert health.status_code == 200
        assert health.json["status"] == "degraded" and health.json["checks"]["uploads"] == "error"
        app.config["UPLOAD_MIN_FREE_BYTES"] = 0
        assert app.test_client().get("/healthz").json["checks"]["uploads"] == "ok"
    finally:
        from nitet_online.extensions import db

        with app.app_context():
            db.engine.dispose()


def test_a_storage_full_error_anywhere_answers_507_in_thai(app):
    import errno

    @app.post("/_probe/full")
    def probe_full():
        raise OSError(errno.ENOSPC, "No space left on device")

    response = app.test_client().post("/_probe/full")
    assert response.status_code == 507
    text = response.get_data(as_text=True)
    assert STORAGE_FULL in text and not TRACEBACK.search(text)


def test_image_problem_finds_a_cut_off_photo(tmp_path):
    """The check the fault tests rely on can fail: a JPEG cut short does not decode."""
    photo = noise_photo(300, 200, seed=5)
    (tmp_path / "whole.jpg").write_bytes(photo)
    (tmp_path / "cut.jpg").write_bytes(photo[: len(photo) // 2])
    assert image_problem(tmp_path / "whole.jpg") is None
    assert image_problem(tmp_path / "cut.jpg") is not None
