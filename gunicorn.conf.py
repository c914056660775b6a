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


def post_worker_init(worker):
    """Background jobs (nitet_online/jobs/) start in each server process once the app is loaded,
    unless NITET_JOBS says a worker process runs them (`flask --app wsgi jobs run`, scale-out)
    or that none run here (off). With several processes each due job still runs once."""
    from nitet_online.jobs.scheduler import start_embedded

    start_embedded(worker.wsgi)


def worker_exit(server, worker):
    from nitet_online.jobs.scheduler import stop_embedded

    stop_embedded(worker.wsgi)
