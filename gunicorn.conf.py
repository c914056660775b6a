"""Gunicorn settings for `make run` and production.

One worker process with many threads: Flask-SocketIO's threading mode keeps every WebSocket of
a process in that process, so more processes need sticky sessions and REDIS_URL (see README)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_class = "gthread"
threads = int(os.environ.get("NITET_THREADS", "100"))
timeout = 120
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("NITET_ACCESS_LOG", "1") != "0" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
