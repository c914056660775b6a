"""The simulated people of bench/load_test.py, driven by locust used as a library (gevent).

bench/load_test.py runs this file as a child process once the servers are up:

    python bench/load_users.py CONFIG.json RESULT.json

Phase "load" (config["phase"]):
  sessions     a pool of locust users takes the session plan in order, one session starting every
               duration / len(sessions) seconds (an open arrival rate, not a closed loop): each
               session is a distinct teacher account from its own client address that logs in,
               opens the page's live Socket.IO connection (as static/js/realtime.js does on every
               page) and then browses, searches in Thai, or asks a question, with think times.
  supervisors  load-test supervisors stay logged in and answer questions from their inbox.
  chat         N chat users log in, open their group room (page and history), hold one
               Socket.IO connection for the whole run and send a message every so often;
               every member measures the delay from send to receipt.
Phase "compare": K closed-loop clients fetch one page as fast as the server answers, for the
home page and for the bare Flask page in turn.

Every HTTP request goes through locust's HttpSession; each simulated person connects from its own
loopback address (127.x.y.z, bound as the source address) so that nginx's ip_hash and the rate
limits see distinct clients, and in embedded mode also sends that address as X-Forwarded-For
(the server trusts one proxy: NITET_TRUSTED_PROXIES=1). The result file holds every sample
(time, milliseconds, ok) per request type; bench/load_test.py turns them into the report.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import socket
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

# locust patches the standard library for gevent when it is imported: before the HTTP and
# Socket.IO clients below (gevent < locust < socketio < urllib3 in import order).
import gevent
import locust  # noqa: F401
import socketio
from gevent.queue import Queue
from locust import User, between, constant, task
from locust.clients import HttpSession
from locust.env import Environment
from locust.exception import StopUser
from locust.log import setup_logging
from urllib3 import PoolManager

CONFIG: dict[str, Any] = {}

SEARCHES = [
    "การอ่านจับใจความ",
    "อ่านออกเขียนได้",
    "สะเต็มศึกษา",
    "การจัดการเรียนรู้เชิงรุก",
    "ชุมชนแห่งการเรียนรู้ทางวิชาชีพ",
    "PLC",
    "วิทยาการคำนวณ",
    "เกณฑ์รูบริก",
    "วัดผลประเมินผล",
    "นิเทศภายใน",
    "โรงเรียนขนาดเล็ก",
    "ปฐมวัย",
    "ภาษาอังกฤษ ป.4",
    "คณิตศาสตร์ O-NET",
    "ข้อตกลงในการพัฒนางาน ว PA",
    "แผนการจัดการเรียนรู้",
    "ภูมิปัญญาท้องถิ่น",
    "ผู้บริหารสถานศึกษา",
    "หน้าที่พลเมือง",
    "การสอนดนตรี",
]

QUESTION_TOPICS = [
    ("นักเรียนอ่านสะกดคำไม่คล่อง", "ป.2"),
    ("การทำเกณฑ์รูบริกประเมินการเขียนเรียงความ", "ป.5"),
    ("จัดกิจกรรมสะเต็มในห้องเรียนที่ไม่มีอุปกรณ์", "ม.1"),
    ("สอนวิทยาการคำนวณแบบไม่ใช้คอมพิวเตอร์", "ป.4"),
    ("เตรียมนักเรียนสอบ O-NET คณิตศาสตร์", "ป.6"),
    ("ฝึกพูดภาษาอังกฤษให้นักเรียนกล้าพูด", "ป.3"),
    ("จัดการชั้นเรียนคละชั้นในโรงเรียนขนาดเล็ก", "ป.1"),
    ("เขียนรายงานผลการปฏิบัติงานตามข้อตกลง ว PA", ""),
]

ANSWERS = [
    "ขอเสนอให้เริ่มจากการคัดกรองนักเรียนเป็นรายบุคคลก่อน แล้วจัดกลุ่มตามระดับความสามารถ "
    "ใช้กิจกรรมสั้น ๆ วันละ 15–20 นาทีอย่างสม่ำเสมอ และบันทึกผลทุกสัปดาห์เพื่อปรับวิธีการครับ",
    "แนะนำให้ออกแบบเกณฑ์การประเมินร่วมกับนักเรียน บอกเป้าหมายให้ชัดตั้งแต่ต้นชั่วโมง "
    "และให้ข้อมูลย้อนกลับทันทีหลังทำกิจกรรม สามารถดูตัวอย่างได้ในคลังความรู้ของเขตค่ะ",
    "ลองใช้กระบวนการ PLC ในโรงเรียน ชวนเพื่อนครูสังเกตการสอนและสะท้อนผลร่วมกัน "
    "หากต้องการ ศึกษานิเทศก์ยินดีเข้าไปร่วมวงและให้คำแนะนำที่โรงเรียนครับ",
]

CHAT_LINES = [
    "สวัสดีครับ ขอสอบถามเรื่องกำหนดส่งแผนการจัดการเรียนรู้",
    "ขอบคุณค่ะ เดี๋ยวจะนำไปปรับใช้ในห้องเรียนนะคะ",
    "พรุ่งนี้มีประชุม PLC ที่โรงเรียนเวลา 15.30 น. ครับ",
    "ใครมีสื่อการสอนอ่านภาษาไทย ป.1 แบ่งปันได้ไหมคะ",
    "รับทราบครับ จะส่งเอกสารภายในวันศุกร์",
    "ขอแชร์กิจกรรมสะเต็มที่ใช้วัสดุเหลือใช้ค่ะ ได้ผลดีมาก",
]

# The search benchmark's collection of real Thai queries joins the list above.
QUERY_FILE = Path(__file__).resolve().parent / "data" / "thai_queries.jsonl"
if QUERY_FILE.exists():
    SEARCHES += [
        json.loads(line)["query"] for line in QUERY_FILE.read_text("utf-8").splitlines() if line
    ]

MARK = re.compile(r"\[lt ([0-9.]+) (\d+)\]")
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


# Recording -------------------------------------------------------------------------------------
class Recorder:
    """Every request of every user, by request type, as (seconds since start, ms, ok)."""

    def __init__(self) -> None:
        self.started = time.time()
        self.samples: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)

    def on_request(
        self, request_type: str, name: str, response_time: float, exception: Any = None, **_: Any
    ) -> None:
        key = f"{request_type} {name}"
        now = round(time.time() - self.started, 3)
        self.samples[key].append((now, round(response_time, 2), exception is None))
        if exception is not None:
            self.errors[key][str(exception)[:200]] += 1

    def now(self) -> float:
        return time.time() - self.started


RECORDER = Recorder()


def fire(environment: Environment, kind: str, name: str, ms: float, error: str | None) -> None:
    environment.events.request.fire(
        request_type=kind,
        name=name,
        response_time=ms,
        response_length=0,
        exception=RuntimeError(error) if error else None,
        context={},
    )


# One simulated browser -------------------------------------------------------------------------
class Browser:
    """Cookies, a source address and a live connection: what one person's browser is."""

    def __init__(self, environment: Environment, base_url: str, address: str) -> None:
        self.environment = environment
        self.base_url = base_url
        self.address = address
        self.pool = PoolManager(maxsize=2, source_address=(address, 0))
        self.http = HttpSession(base_url, environment.events.request, None, pool_manager=self.pool)
        self.last_answer = time.monotonic()
        self.http.trust_env = False
        self.http.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) nitet-load-test"
        if CONFIG.get("forwarded_for"):
            self.http.headers["X-Forwarded-For"] = address
        self.csrf = ""
        self.failed = False
        self.sio: socketio.Client | None = None
        self.closing = False

    # HTTP ---------------------------------------------------------------------------------
    def _idle_check(self) -> None:
        """No request on a connection idle for longer than IDLE_REUSE_S: gunicorn closes kept-alive
        connections after 5 s (gunicorn.conf.py keepalive), and a request sent just as it does is
        reset. Browsers resend a request that a reused connection lost that way; this client
        opens a new connection instead, so every reset it reports is a real one."""
        if time.monotonic() - self.last_answer > IDLE_REUSE_S:
            self.pool.clear()

    def page(self, name: str, path: str) -> str | None:
        self._idle_check()
        with self.http.get(path, name=name, catch_response=True) as response:
            self.last_answer = time.monotonic()
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}{_why(response)} {path}")
                self.failed = True
                return None
            found = CSRF.search(response.text)
            if found:
                self.csrf = found.group(1)
            return response.text

    def json(self, name: str, path: str) -> Any:
        self._idle_check()
        with self.http.get(path, name=name, catch_response=True) as response:
            self.last_answer = time.monotonic()
            try:
                data = response.json() if response.status_code == 200 else None
            except ValueError:
                data = None
            if data is None:
                response.failure(f"HTTP {response.status_code}, no JSON{_why(response)} {path}")
                self.failed = True
            return data

    def post(self, name: str, path: str, data: dict, good_location: re.Pattern) -> str | None:
        """A form post that must answer with a redirect to `good_location` (a form shown again,
        even with status 200, is a failure here)."""
        payload = {"csrf_token": self.csrf, **data}
        self._idle_check()
        with self.http.post(
            path, data=payload, name=name, catch_response=True, allow_redirects=False
        ) as response:
            self.last_answer = time.monotonic()
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not good_location.search(location):
                reason = re.search(r"alert-danger[^>]*>\s*([^<]{0,160})", response.text or "")
                detail = f": {reason.group(1).strip()}" if reason else ""
                response.failure(
                    f"HTTP {response.status_code} → {location or '-'}{detail}{_why(response)}"
                )
                self.failed = True
                return None
            return location

    def login(self, username: str) -> bool:
        if self.page("login page", "/auth/login") is None:
            return False
        data = {"login": username, "password": CONFIG["password"]}
        return self.post("login", "/auth/login", data, re.compile(r"^(?!.*/auth/)")) is not None

    # Socket.IO ------------------------------------------------------------------------------
    def connect_socket(self, handlers: dict[str, Any] | None = None) -> bool:
        """The page's live connection: WebSocket straight away, with the session cookie."""
        parts = urlsplit(self.base_url)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())}
        if CONFIG.get("forwarded_for"):
            headers["X-Forwarded-For"] = self.address
        started = time.perf_counter()
        try:
            raw = socket.create_connection(
                (parts.hostname, parts.port), timeout=30, source_address=(self.address, 0)
            )
            client = socketio.Client(reconnection=False, websocket_extra_options={"socket": raw})
            for event, handler in (handlers or {}).items():
                client.on(event, handler)
            client.on("disconnect", self._dropped)
            client.connect(
                self.base_url, headers=headers, transports=["websocket"], wait_timeout=30
            )
        except Exception as error:
            self.failed = True
            fire(self.environment, "WS", "connect", _ms(started), repr(error))
            return False
        fire(self.environment, "WS", "connect", _ms(started), None)
        self.sio = client
        LIVE["sockets"] += 1
        return True

    def _dropped(self, *args: Any) -> None:
        if not self.closing:
            fire(self.environment, "WS", "dropped by server", 0, f"disconnected: {args!r}")

    def close(self) -> None:
        self.closing = True
        if self.sio is not None:
            LIVE["sockets"] -= 1
            with contextlib.suppress(Exception):
                self.sio.disconnect()
            self.sio = None
        self.http.close()


def _why(response: Any) -> str:
    """What went wrong when there was no answer at all (status 0: refused, reset, timed out)."""
    error = getattr(response, "error", None)
    return f" ({error!r:.160})" if error is not None and not response.status_code else ""


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


LIVE = {"sockets": 0, "chat": 0}
IDLE_REUSE_S = 4.0  # below gunicorn's keepalive (5 s) by more than a loaded loop's delay


def think(low: float | None = None, high: float | None = None) -> None:
    lo, hi = CONFIG["think"]
    gevent.sleep(random.uniform(low if low is not None else lo, high if high is not None else hi))


def pick(html: str | None, pattern: str) -> str | None:
    links = sorted(set(re.findall(pattern, html or "")))
    return random.choice(links) if links else None


# What people do ----------------------------------------------------------------------------------
def list_and_item(browser: Browser, list_name: str, path: str, item_name: str, pattern: str):
    html = browser.page(list_name, path)
    link = pick(html, pattern)
    if link:
        think()
        browser.page(item_name, link)


def read_news(browser: Browser) -> None:
    list_and_item(browser, "news list", "/news/", "news item", r'href="(/news/\d+-[^"?#]+)"')


def read_questions(browser: Browser) -> None:
    list_and_item(
        browser, "questions list", "/questions/", "question", r'href="(/questions/\d+-[^"?#]+)"'
    )


def read_knowledge(browser: Browser) -> None:
    list_and_item(
        browser,
        "knowledge list",
        "/knowledge/",
        "knowledge item",
        r'href="(/knowledge/\d+-[^"?#]+)"',
    )


def visit_supervisor(browser: Browser) -> None:
    list_and_item(
        browser,
        "supervisors",
        "/supervisors/",
        "supervisor page",
        r'href="(/supervisors/(?!me/)[A-Za-z0-9_.-]+)"',
    )


def read_best_practices(browser: Browser) -> None:
    list_and_item(
        browser,
        "best practices",
        "/best-practices",
        "best practice",
        r'href="(/best-practices/\d+)"',
    )


def read_honours(browser: Browser) -> None:
    browser.page("honours", "/honours")


def search(browser: Browser) -> None:
    query = random.choice(SEARCHES)
    # The header box suggests while typing (static/js/search.js), then the results page.
    browser.json("search suggest", f"/search/suggest?q={quote(query[: max(2, len(query) // 2)])}")
    browser.page("search", f"/search?q={quote(query)}")
    if random.random() < 0.3:
        think()
        browser.page("search", f"/search?q={quote(random.choice(SEARCHES))}")


ACTIVITIES = [
    read_news,
    read_questions,
    read_knowledge,
    visit_supervisor,
    read_best_practices,
    read_honours,
    search,
    search,
]


def browse_session(browser: Browser) -> None:
    for activity in random.sample(ACTIVITIES, k=random.randint(4, 6)):
        think()
        activity(browser)


def ask_session(browser: Browser, number: int) -> None:
    think()
    browser.page("questions list", "/questions/")
    think()
    if browser.page("ask form", "/questions/ask") is None:
        return
    topic, grade = random.choice(QUESTION_TOPICS)
    title = f"{topic} {grade} ควรเริ่มอย่างไรดี (ครูผู้ทดสอบ {number})".replace("  ", " ")
    # static/js/questions.js looks for similar questions while the title is typed.
    browser.json("similar questions", f"/questions/similar?q={quote(title[:40])}")
    think(*CONFIG["typing"])
    body = (
        f"เรียนศึกษานิเทศก์ ดิฉัน/กระผมสอนชั้น {grade or 'ประถมศึกษา'} พบปัญหาเรื่อง{topic} "
        "ได้ลองปรับกิจกรรมและใช้สื่อเพิ่มเติมแล้วแต่ยังไม่ดีขึ้น ขอคำแนะนำแนวทางที่ใช้ได้จริงในห้องเรียนด้วยครับ"
    )
    data = {
        "title": title,
        "body": body,
        "learning_area_id": str(random.choice(CONFIG["areas"])),
        "grade_level_id": "0",
        "tags": "ทดสอบโหลด",
    }
    location = browser.post("ask", "/questions/ask", data, re.compile(r"/questions/\d+"))
    if location:
        browser.page("question", location)


def run_session(environment: Environment, job: dict) -> None:
    browser = Browser(environment, CONFIG["base_url"], job["address"])
    try:
        if not browser.login(job["username"]):
            return
        browser.page("home", "/")
        browser.connect_socket()
        if job["kind"] == "ask":
            ask_session(browser, job["number"])
        else:
            browse_session(browser)
    finally:
        browser.close()
        SESSIONS["failed" if browser.failed else "ok"] += 1


SESSIONS: Counter = Counter()
ARRIVALS: Queue = Queue()
LAGS: list[float] = []


class SessionUser(User):
    """A worker of the session pool: takes the next arrival and lives that person's session."""

    wait_time = constant(0)
    fixed_count = 1

    @task
    def session(self) -> None:
        job = ARRIVALS.get()
        if job is None:
            raise StopUser()
        LAGS.append(time.time() - job["due"])
        run_session(self.environment, job)


def schedule_arrivals(jobs: list[dict], duration: float, workers: int) -> None:
    started = time.time()
    interval = duration / max(1, len(jobs))
    for number, job in enumerate(jobs):
        due = started + number * interval
        gevent.sleep(max(0.0, due - time.time()))
        ARRIVALS.put({**job, "due": due})
    for _ in range(workers):
        ARRIVALS.put(None)


# Supervisors ------------------------------------------------------------------------------------
SUPERVISORS: Queue = Queue()
ANSWERS_POSTED = Counter()


class SupervisorUser(User):
    """A supervisor who keeps the site open and answers from the inbox now and then."""

    fixed_count = 1
    wait_time = between(30, 60)

    def on_start(self) -> None:
        account = SUPERVISORS.get()
        gevent.sleep(random.uniform(0, CONFIG["ramp"]))
        self.browser = Browser(self.environment, CONFIG["base_url"], account["address"])
        self.ready = self.browser.login(account["username"])
        if self.ready:
            self.browser.page("home", "/")
            self.browser.connect_socket()

    @task
    def answer(self) -> None:
        if not self.ready or STOP_SENDING["flag"]:
            return
        # Their own questions first (รอคำตอบ ที่ฉันรับผิดชอบ), else every question waiting.
        pattern = r'href="(/questions/\d+-[^"?#]+)"'
        link = pick(self.browser.page("questions inbox", "/questions/inbox"), pattern)
        if not link:
            link = pick(self.browser.page("questions inbox", "/questions/inbox?tab=all"), pattern)
        if not link:
            return
        question = self.browser.page("question", link)
        if question is None:
            return
        think(*CONFIG["typing"])
        question_id = re.match(r"/questions/(\d+)", link).group(1)
        location = self.browser.post(
            "answer",
            f"/questions/{question_id}/answers",
            {"body": random.choice(ANSWERS)},
            re.compile(rf"/questions/{question_id}\b"),
        )
        if location:
            ANSWERS_POSTED["answers"] += 1
            self.browser.page("question", location.split("#")[0])

    def on_stop(self) -> None:
        browser = getattr(self, "browser", None)
        if browser is not None:
            browser.close()


# Chat -------------------------------------------------------------------------------------------
CHATTERS: Queue = Queue()
CHAT = Counter()
EXPECTED: dict[str, set[int]] = {}  # message mark → the members who must receive it
DELIVERED: dict[str, set[int]] = defaultdict(set)  # message mark → the members who did
ROOM_MEMBERS: dict[int, set[int]] = defaultdict(set)
STOP_SENDING = {"flag": False}


class ChatUser(User):
    """Someone with the chat open all run: one Socket.IO connection held throughout, a message
    now and then, every message of the room received."""

    fixed_count = 1
    wait_time = between(20, 60)

    def on_start(self) -> None:
        self.account = CHATTERS.get()
        self.number = self.account["number"]
        self.room_id = self.account["room_id"]
        self.last_seen = 0
        gevent.sleep(random.uniform(0, CONFIG["ramp"]))
        self.browser = Browser(self.environment, CONFIG["base_url"], self.account["address"])
        self.connected = self._open()

    def _open(self) -> bool:
        browser = self.browser
        if not browser.login(self.account["username"]):
            return False
        browser.page("chat room", f"/chat/rooms/{self.room_id}")
        browser.json("chat history", f"/chat/api/rooms/{self.room_id}/messages")
        if not browser.connect_socket({"chat:message": self._received}):
            return False
        ROOM_MEMBERS[self.room_id].add(self.number)
        LIVE["chat"] += 1
        return True

    def _received(self, message: dict) -> None:
        now = time.time()
        self.last_seen = max(self.last_seen, int(message.get("id") or 0))
        found = MARK.search(message.get("body") or "")
        if not found or int(found.group(2)) == self.number:
            return
        CHAT["received"] += 1
        DELIVERED[found.group(0)].add(self.number)
        fire(self.environment, "WS", "chat delivery", (now - float(found.group(1))) * 1000, None)

    @task
    def send(self) -> None:
        if not self.connected or STOP_SENDING["flag"]:
            return
        mark = f"[lt {time.time():.6f} {self.number}]"
        body = f"{random.choice(CHAT_LINES)} {mark}"
        # Who must receive it: the members connected before it is sent (it may arrive before the
        # acknowledgement does).
        EXPECTED[mark] = ROOM_MEMBERS[self.room_id] - {self.number}
        started = time.perf_counter()
        try:
            ack = self.browser.sio.call(
                "chat:send", {"room_id": self.room_id, "body": body}, timeout=20
            )
            error = None if ack and ack.get("ok") else f"refused: {ack!r}"
        except Exception as exc:
            error = repr(exc)
        fire(self.environment, "WS", "chat:send", _ms(started), error)
        if error:
            del EXPECTED[mark]
            return
        CHAT["sent"] += 1
        if random.random() < 0.5 and self.last_seen:
            self._mark_read()

    def _mark_read(self) -> None:
        started = time.perf_counter()
        try:
            ack = self.browser.sio.call(
                "chat:read", {"room_id": self.room_id, "message_id": self.last_seen}, timeout=20
            )
            error = None if ack and ack.get("ok") else f"refused: {ack!r}"
        except Exception as exc:
            error = repr(exc)
        fire(self.environment, "WS", "chat:read", _ms(started), error)

    def on_stop(self) -> None:
        if getattr(self, "connected", False):
            ROOM_MEMBERS[self.room_id].discard(self.number)
            LIVE["chat"] -= 1
        browser = getattr(self, "browser", None)
        if browser is not None:
            browser.close()


# Phases ---------------------------------------------------------------------------------------------
def sample_sockets(timeline: list[tuple[float, int, int]]) -> None:
    while True:
        timeline.append((round(RECORDER.now(), 1), LIVE["chat"], LIVE["sockets"]))
        gevent.sleep(1.0)


def chat_outcome() -> dict:
    """Messages sent, deliveries due (each message to every member connected when it was sent),
    deliveries of those received and missing; `received` also counts any others."""
    due = sum(len(members) for members in EXPECTED.values())
    missing = sum(len(members - DELIVERED[mark]) for mark, members in EXPECTED.items())
    return {**CHAT, "expected": due, "delivered": due - missing, "lost": missing}


def load_phase() -> dict:
    jobs = CONFIG["sessions"]
    for account in CONFIG["supervisors"]:
        SUPERVISORS.put(account)
    for account in CONFIG["chat"]:
        CHATTERS.put(account)
    SessionUser.fixed_count = CONFIG["workers"]
    SupervisorUser.fixed_count = len(CONFIG["supervisors"])
    ChatUser.fixed_count = len(CONFIG["chat"])
    classes = [cls for cls in (ChatUser, SupervisorUser, SessionUser) if cls.fixed_count]
    environment = Environment(user_classes=classes, host=CONFIG["base_url"])
    environment.events.request.add_listener(RECORDER.on_request)
    runner = environment.create_local_runner()
    timeline: list[tuple[float, int, int]] = []
    sampler = gevent.spawn(sample_sockets, timeline)
    runner.start(sum(cls.fixed_count for cls in classes), spawn_rate=100)

    # Everyone with the chat open is connected before the sessions start arriving (bounded).
    deadline = time.time() + CONFIG["ramp"] + 60
    while LIVE["chat"] < len(CONFIG["chat"]) and time.time() < deadline:
        gevent.sleep(0.5)
    window_start = RECORDER.now()
    arrivals = gevent.spawn(schedule_arrivals, jobs, CONFIG["duration"], CONFIG["workers"])
    arrivals.join()
    deadline = time.time() + CONFIG["drain"]
    while SESSIONS["ok"] + SESSIONS["failed"] < len(jobs) and time.time() < deadline:
        gevent.sleep(0.5)
    window_end = RECORDER.now()
    STOP_SENDING["flag"] = True
    gevent.sleep(5)  # the last chat messages arrive
    runner.quit()
    sampler.kill()
    return {
        "window": [window_start, window_end],
        "sessions": {"planned": len(jobs), **SESSIONS},
        "session_start_lag_max_s": max(LAGS, default=0.0),
        "chat": chat_outcome(),
        "answers": ANSWERS_POSTED["answers"],
        "sockets": timeline,
    }


class ProbeUser(User):
    """A closed-loop client of the comparison: the next request as soon as the last answers."""

    wait_time = constant(0)
    fixed_count = 1
    target: dict = {}
    addresses: Queue = Queue()

    def on_start(self) -> None:
        self.browser = Browser(self.environment, self.target["base_url"], self.addresses.get())

    @task
    def fetch(self) -> None:
        self.browser.page(self.target["name"], self.target["path"])

    def on_stop(self) -> None:
        self.browser.close()


def compare_phase() -> dict:
    windows = {}
    for target in CONFIG["targets"]:
        ProbeUser.target = target
        ProbeUser.fixed_count = CONFIG["clients"]
        for address in CONFIG["addresses"]:
            ProbeUser.addresses.put(address)
        environment = Environment(user_classes=[ProbeUser], host=target["base_url"])
        environment.events.request.add_listener(RECORDER.on_request)
        runner = environment.create_local_runner()
        runner.start(CONFIG["clients"], spawn_rate=CONFIG["clients"])
        gevent.sleep(CONFIG["warmup"])
        start = RECORDER.now()
        gevent.sleep(CONFIG["seconds"])
        windows[target["name"]] = [start, RECORDER.now()]
        runner.quit()
        while not ProbeUser.addresses.empty():
            ProbeUser.addresses.get()
        gevent.sleep(1)
    return {"windows": windows}


def main() -> None:
    config_path, result_path = Path(sys.argv[1]), Path(sys.argv[2])
    CONFIG.update(json.loads(config_path.read_text(encoding="utf-8")))
    random.seed(CONFIG.get("seed", 2569))
    setup_logging("WARNING")
    outcome = load_phase() if CONFIG["phase"] == "load" else compare_phase()
    outcome["samples"] = RECORDER.samples
    outcome["errors"] = {name: dict(counts) for name, counts in RECORDER.errors.items()}
    result_path.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
