"""Gunicorn settings for `make run` and production.

One worker process with many threads: Flask-SocketIO's threading mode keeps every WebSocket of
a process in that process, so more processes need sticky sessions and REDIS_URL (see README)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_class = "gthread"
# In threading mode every open page's WebSocket holds one thread for as long as it is open, so the
# threads bound the number of people online per process (bench/bench_chat.py, README "Realtime chat").
threads = int(os.environ.get("NITET_THREADS", "1000"))
# gthread keeps idle keep-alive connections only beyond the busy threads: room for as many again.
worker_connections = threads * 2
timeout = 120
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("NITET_ACCESS_LOG", "1") != "0" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
