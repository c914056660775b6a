"""Configuration classes. Every setting an operator may change is read from the environment."""

from __future__ import annotations

import math
import os
import re
import secrets
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The data folder: SQLite database, uploads, search index and the generated secret key."""
    path = Path(os.environ.get("NITET_DATA_DIR") or PROJECT_ROOT / "instance").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def persistent_secret_key(folder: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    from_env = os.environ.get("SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    # Create with owner-only permissions before writing so the key is never world-readable.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


# Words of example values ("CHANGE-ME-TO-A-LONG-RANDOM-VALUE", "your-secret-key-here"...), compared
# with the key's letters and digits in lower case.
PLACEHOLDER_WORDS = (
    "changeme",
    "replaceme",
    "placeholder",
    "example",
    "yoursecret",
    "secretkey",
    "randomvalue",
    "longrandom",
    "notsecret",
    "insecure",
)
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 80  # token_hex(16), the shortest generated key accepted, estimates at 92 and up
SECRET_KEY_ADVICE = (
    "สร้างค่าสุ่มใหม่ด้วยคำสั่ง / generate a random one with: "
    'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
)


def secret_key_entropy_bits(key: str) -> float:
    """An estimate from the characters' frequencies (Shannon), times the length; 0 for a key made
    of a repeated piece ("passwordpassword...", "0123456789" * 4): in a random key nearly every
    run of three characters differs from the others."""
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    if not trigrams or len(set(trigrams)) < len(trigrams) * 0.6:
        return 0.0
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def secret_key_problem(key: str) -> str | None:
    """Why a production SECRET_KEY is refused (a Thai and English message), or None. Anyone who
    knows or guesses the key can sign a session cookie for any account."""
    if not key:
        return f"ไม่มี SECRET_KEY / SECRET_KEY is empty. {SECRET_KEY_ADVICE}"
    if len(key) < MIN_SECRET_LENGTH:
        return (
            f"SECRET_KEY สั้นเกินไป ต้องเป็นค่าสุ่มยาวอย่างน้อย {MIN_SECRET_LENGTH} ตัวอักษร / "
            f"SECRET_KEY is too short: use a random value of {MIN_SECRET_LENGTH} characters "
            f"or more. {SECRET_KEY_ADVICE}"
        )
    letters = re.sub(r"[^a-z0-9]", "", key.lower())
    if any(word in letters for word in PLACEHOLDER_WORDS):
        return (
            "SECRET_KEY ยังเป็นค่าตัวอย่าง ต้องเปลี่ยนเป็นค่าสุ่มที่คาดเดาไม่ได้ก่อนเปิดใช้งาน / "
            "SECRET_KEY is still an example placeholder: replace it with a random value. "
            f"{SECRET_KEY_ADVICE}"
        )
    if secret_key_entropy_bits(key) < MIN_SECRET_BITS:
        return (
            "SECRET_KEY คาดเดาได้ง่ายเกินไป (ตัวอักษรซ้ำหรือเป็นรูปแบบ) ต้องเป็นค่าสุ่ม / "
            "SECRET_KEY is too predictable (repeated or patterned characters): use a random "
            f"value. {SECRET_KEY_ADVICE}"
        )
    return None


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_text(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


class Config:
    """Settings shared by every mode; the subclasses below change what differs."""

    ENV_NAME = "base"
    TESTING = False
    DEBUG = False
    # The feature packages the app is made of, in the order their setups run (each declares what
    # it plugs into in its __init__.py, see nitet_online/plugins.py). A short name is a package
    # under nitet_online; a dotted name is any importable package (a test's toy feature).
    FEATURES: tuple[str, ...] = (
        "core",
        "jobs",
        "backup",
        "accounts",
        "admin",
        "manual",
        "uploads",
        "questions",
        "notifications",
        "news",
        "supervisors",
        "chat",
        "stats",
        "surveys",
        "privacy",
        "best_practices",
        "honours",
        "knowledge",
        "search",
    )

    def __init__(self) -> None:
        folder = data_dir()
        self.DATA_DIR = str(folder)
        self.UPLOAD_DIR = str(folder / "uploads")
        self.SEARCH_INDEX_DIR = str(folder / "search-index")
        self.SQLALCHEMY_DATABASE_URI = self.database_url(folder)
        self.SECRET_KEY = persistent_secret_key(folder)
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Storage failures surface as limits.errors.StorageError (a Thai 503, see core/errors.py);
        # a Redis that stops answering fails the request within seconds instead of hanging it.
        self.RATELIMIT_STORAGE_OPTIONS = {"wrap_exceptions": True}
        if self.REDIS_URL:
            self.RATELIMIT_STORAGE_OPTIONS |= {"socket_connect_timeout": 3, "socket_timeout": 3}
        # Reverse proxies (nginx) in front whose X-Forwarded-For/-Proto/-Host are trusted; 0 means
        # the app faces clients directly and ignores those headers (they could be forged).
        self.TRUSTED_PROXIES = env_int("NITET_TRUSTED_PROXIES", 0)
        # Where the server listens (gunicorn.conf.py binds HOST) and whether the demo accounts,
        # whose password is public, may log in on a site others can reach (accounts/demo_access.py).
        self.LISTEN_HOST = os.environ.get("HOST", "").strip() or "127.0.0.1"
        self.DEMO_PUBLIC = env_flag("NITET_DEMO_PUBLIC", False)
        # Live connections (chat/connection_guard.py): one that has not logged in within
        # SOCKET_AUTH_SECONDS is closed; one client address holds at most SOCKETS_PER_ADDRESS at
        # once (0: no limit), across every process with REDIS_URL. A school whose people share one
        # public address shares this number: raise it for large schools behind one address.
        self.SOCKET_AUTH_SECONDS = env_int("NITET_SOCKET_AUTH_SECONDS", 5)
        self.SOCKETS_PER_ADDRESS = env_int("NITET_SOCKETS_PER_ADDRESS", 50)

    @staticmethod
    def database_url(folder: Path) -> str:
        url = os.environ.get("DATABASE_URL", "").strip()
        if not url:
            return f"sqlite:///{folder / 'nitet.db'}"
        # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Each login is recorded on the server (accounts/sessions.py): "remember me" ends after
    # REMEMBER_DAYS whatever the cookie says, a login without it after LOGIN_IDLE_HOURS unused.
    REMEMBER_DAYS = env_int("NITET_REMEMBER_DAYS", 30)
    LOGIN_IDLE_HOURS = env_int("NITET_LOGIN_IDLE_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits

    # Uploads: the request limit is the largest single file plus form overhead.
    MAX_CONTENT_LENGTH = env_int("NITET_MAX_UPLOAD_MB", 25) * 1024 * 1024
    # The health check fails when the uploads' disk has less room than this (uploads/views.py).
    UPLOAD_MIN_FREE_BYTES = MAX_CONTENT_LENGTH
    IMPORT_MAX_ROWS = 20000
    UPLOAD_MAX_IMAGE_MB = env_int("NITET_MAX_IMAGE_MB", 15)
    UPLOAD_MAX_DOCUMENT_MB = env_int("NITET_MAX_UPLOAD_MB", 25)
    # Images beyond this many pixels are refused before decoding: the work on an image (decoding,
    # the resized copies) grows with its pixels; 24 MP (6000×4000, a camera's full size) stays
    # under a second, a phone's 12 MP photo takes a third of that (bench/bench_archive_bombs.py).
    UPLOAD_MAX_IMAGE_PIXELS = env_int("NITET_MAX_IMAGE_MEGAPIXELS", 24) * 1_000_000
    # An image is kept at most this many pixels on its longest side (its smaller copies:
    # uploads.services.IMAGE_VARIANTS).
    UPLOAD_FULL_IMAGE_MAX_SIDE = 3200
    RATELIMIT_UPLOAD = "60 per hour"
    # ZIP-based documents (Word, Excel, PowerPoint, OpenDocument) are refused as zip bombs beyond
    # these, declared or actually inflated (services/archives.py): entries in one file, one
    # entry's and all entries' uncompressed size, and the compression ratio of an entry over 1 MB.
    ARCHIVE_MAX_ENTRIES = 5_000
    ARCHIVE_MAX_ENTRY_MB = 50
    ARCHIVE_MAX_TOTAL_MB = 200
    ARCHIVE_MAX_RATIO = 200
    # The child processes that read documents and render PDF previews (knowledge/filework.py) run
    # with this much address space at most (RLIMIT_AS), besides their time limit.
    DOCUMENT_WORKER_MEMORY_MB = env_int("NITET_WORKER_MEMORY_MB", 768)

    # Accounts. Wrong passwords slow down one address for one account (accounts/throttle.py):
    # after LOGIN_FREE_FAILURES, each further try waits LOGIN_DELAY_SECONDS, doubling per failure
    # up to LOGIN_MAX_DELAY_SECONDS. Nobody is locked out from their own address.
    LOGIN_FREE_FAILURES = env_int("NITET_LOGIN_FREE_FAILURES", 5)
    LOGIN_DELAY_SECONDS = env_int("NITET_LOGIN_DELAY_SECONDS", 30)
    LOGIN_MAX_DELAY_SECONDS = env_int("NITET_LOGIN_MAX_DELAY_SECONDS", 3600)
    PASSWORD_MIN_LENGTH = 8
    RATELIMIT_LOGIN = "20 per minute"
    RATELIMIT_REGISTER = "10 per hour"
    # Similar questions while a title is typed (anonymous too): per person when signed in (a
    # staff room shares one address), else per address.
    RATELIMIT_SIMILAR = os.environ.get("NITET_RATELIMIT_SIMILAR", "60 per minute")
    # Asking, answering and commenting in Q&A, per person (questions/limits.py; only where
    # RATELIMIT_ENABLED is on).
    QUESTIONS_RATELIMIT_ASK = env_text("NITET_RATELIMIT_ASK", "10 per hour")
    QUESTIONS_RATELIMIT_ANSWER = env_text("NITET_RATELIMIT_ANSWER", "30 per hour")
    QUESTIONS_RATELIMIT_COMMENT = env_text("NITET_RATELIMIT_COMMENT", "60 per hour")
    RATELIMIT_HEADERS_ENABLED = True

    ITEMS_PER_PAGE = 20
    NEWS_PER_PAGE = 10

    # Chat (nitet_online/chat): a message's length; how long one's own message may be edited or
    # deleted; messages per person: CHAT_RATE_BURST at once and CHAT_RATE_PER_SECOND on average
    # (chat/ratelimit.py); messages a history page loads; members of a group room; the longest
    # mute.
    CHAT_MAX_MESSAGE_LENGTH = env_int("NITET_CHAT_MAX_LENGTH", 2000)
    CHAT_EDIT_WINDOW_MINUTES = env_int("NITET_CHAT_EDIT_MINUTES", 15)
    CHAT_RATE_BURST = env_float("NITET_CHAT_RATE_BURST", 8)
    CHAT_RATE_PER_SECOND = env_float("NITET_CHAT_RATE_PER_SECOND", 0.5)
    CHAT_HISTORY_PAGE = 50
    CHAT_MAX_GROUP_MEMBERS = 300
    CHAT_MAX_MUTE_MINUTES = 60 * 24 * 7

    # Visit statistics (nitet_online/stats): counting on; views written by a background thread
    # every STATS_FLUSH_SECONDS or at STATS_FLUSH_BATCH waiting (in the request itself when
    # STATS_SYNC_WRITES, as in tests); raw views kept STATS_RAW_RETENTION_DAYS once rolled up.
    STATS_TRACKING_ENABLED = True
    STATS_SYNC_WRITES = False
    STATS_FLUSH_SECONDS = 2.0
    STATS_FLUSH_BATCH = 500
    STATS_RAW_RETENTION_DAYS = env_int("STATS_RAW_RETENTION_DAYS", 90)

    # Search (nitet_online/search): a change is indexed by the background drain right after its
    # commit (SEARCH_AUTO_DRAIN), or in the request itself when SEARCH_SYNC_INDEXING (tests).
    SEARCH_SYNC_INDEXING = False
    SEARCH_AUTO_DRAIN = True

    # Knowledge files: the child process that reads a document's text, and the one that renders
    # a PDF's first page, are stopped after this many seconds.
    KNOWLEDGE_TEXT_TIMEOUT = 60
    KNOWLEDGE_PREVIEW_TIMEOUT = 30
    NITET_DEMO = env_flag("NITET_DEMO", True)

    # Background jobs (nitet_online/jobs/). Where they run: "embedded" in each web server process
    # (`make run`), "worker" in a `flask --app wsgi jobs run` process of their own (the web
    # processes then run none: scale-out), "off" nowhere. Each due job runs once whatever the
    # number of runners: a runner claims its lease in the database for JOBS_LEASE_SECONDS (a
    # runner that dies leaves it to the others after that), and polls each job every
    # JOBS_POLL_SECONDS; a failed run is tried again after JOBS_RETRY_SECONDS.
    JOBS_MODE = os.environ.get("NITET_JOBS", "embedded").strip().lower() or "embedded"
    JOBS_POLL_SECONDS = env_int("NITET_JOBS_POLL_SECONDS", 5)
    JOBS_LEASE_SECONDS = env_int("NITET_JOBS_LEASE_SECONDS", 300)
    JOBS_RETRY_SECONDS = env_int("NITET_JOBS_RETRY_SECONDS", 60)
    # The jobs' own schedules: followers told of scheduled news that became due; the search
    # index brought up to date (besides right after each change); visit statistics rolled up
    # (crontab, Thailand time: a few minutes after midnight, once late views have arrived);
    # supervisors' pages made for accounts that have none (accounts from before pages existed).
    NEWS_DELIVERY_SECONDS = env_int("NITET_NEWS_DELIVERY_SECONDS", 60)
    SEARCH_DRAIN_INTERVAL = env_int("NITET_SEARCH_DRAIN_SECONDS", 60)
    STATS_AUTO_ROLLUP = env_flag("NITET_STATS_AUTO_ROLLUP", True)
    STATS_ROLLUP_CRON = os.environ.get("NITET_STATS_ROLLUP_CRON", "5 0 * * *")
    SUPERVISOR_PROFILES_SECONDS = env_int("NITET_SUPERVISOR_PROFILES_SECONDS", 3600)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Fast hashing: the suite creates many accounts; production keeps Werkzeug's scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SERVER_NAME = None
    # Visits and index changes are written in the request, so a test sees them at once.
    STATS_SYNC_WRITES = True
    SEARCH_SYNC_INDEXING = True

    def __init__(self) -> None:
        super().__init__()
        # The test client plays people at many addresses with the demo accounts; the tests of
        # demo_access switch this off.
        self.DEMO_PUBLIC = True
        test_url = os.environ.get("TEST_DATABASE_URL", "").strip()
        if test_url:
            self.SQLALCHEMY_DATABASE_URI = self.database_url_from(test_url)
        elif not os.environ.get("DATABASE_URL"):
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(self.DATA_DIR) / 'test.db'}"

    @staticmethod
    def database_url_from(url: str) -> str:
        if url.startswith("postgresql://"):
            return "postgresql+psycopg://" + url[len("postgresql://") :]
        return url


class ProductionConfig(Config):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        problem = secret_key_problem(self.SECRET_KEY)
        if problem:
            raise RuntimeError(problem)
        # Browsers treat http://localhost as secure, so secure cookies work for `make run` too;
        # an office serving plain HTTP on its LAN sets NITET_SECURE_COOKIES=0.
        secure = env_flag("NITET_SECURE_COOKIES", True)
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
