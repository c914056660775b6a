"""How much does recording visits cost a page?

Serves the same pages in-process (Flask test client, production configuration, SQLite in a
temporary folder, demo data) in three modes, interleaved round by round so that drift affects
them alike:

  off         STATS_TRACKING_ENABLED = False (the baseline)
  background  the default: a row is queued in memory, a thread writes batches
  sync        each request writes its view before finishing (what the queue avoids)

Prints the median time per request of each mode and the overhead ratio against the baseline.
Target: background overhead under 5 %.

    .venv/bin/python bench/bench_tracking.py [--rounds 15] [--requests 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/124 Mobile Safari/537.36",
]
PAGES = ["/", "/manual/", "/surveys/"]
MODES = {
    "off": {"STATS_TRACKING_ENABLED": False, "STATS_SYNC_WRITES": False},
    "background": {"STATS_TRACKING_ENABLED": True, "STATS_SYNC_WRITES": False},
    "sync": {"STATS_TRACKING_ENABLED": True, "STATS_SYNC_WRITES": True},
}


def build_app(folder: Path):
    os.environ.update(
        NITET_DATA_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
        SECRET_KEY="bench-" + "x" * 40,
        NITET_SECURE_COOKIES="0",
    )
    from flask_migrate import upgrade

    from nitet_online import create_app
    from nitet_online.demo import seed_demo

    app = create_app("production")
    with app.app_context():
        upgrade()
        seed_demo()
    return app


def run_batch(client, requests: int, offset: int) -> float:
    """Seconds per request over `requests` page views by different visitors."""
    started = time.perf_counter()
    for number in range(requests):
        visitor = offset + number
        response = client.get(
            PAGES[number % len(PAGES)],
            headers={"User-Agent": AGENTS[visitor % len(AGENTS)]},
            environ_base={
                "REMOTE_ADDR": f"10.{visitor // 65536 % 256}.{visitor // 256 % 256}.{visitor % 256}"
            },
        )
        assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) / requests


def recording_cost(app, count: int = 20000) -> tuple[float, float]:
    """Seconds per view spent in the request (classify, hash, queue) and per view written by
    the background writer, measured directly so that page-time noise does not hide them."""
    from nitet_online.stats.tracking import VIEW, record

    recorder = app.extensions["stats_recorder"]
    app.config.update(MODES["background"])
    with app.test_request_context(
        "/", headers={"User-Agent": AGENTS[1], "Referer": "https://l.facebook.com/"}
    ):
        started = time.perf_counter()
        for _ in range(count):
            record(VIEW, "page")
        in_request = (time.perf_counter() - started) / count
    started = time.perf_counter()
    written = recorder.flush()
    writing = (time.perf_counter() - started) / max(written, 1)
    return in_request, writing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        client = app.test_client()
        recorder = app.extensions["stats_recorder"]
        samples: dict[str, list[float]] = {mode: [] for mode in MODES}
        run_batch(client, 30, 0)  # warm up templates and caches
        offset = 1000
        for _ in range(args.rounds):
            for mode, settings in MODES.items():
                app.config.update(settings)
                samples[mode].append(run_batch(client, args.requests, offset))
                offset += args.requests
        recorder.flush()
        in_request, writing = recording_cost(app)
        with app.app_context():
            from sqlalchemy import func, select

            from nitet_online.extensions import db
            from nitet_online.stats.models import PageView

            recorded = db.session.scalar(select(func.count()).select_from(PageView))
        recorder.close()
    base = statistics.median(samples["off"])
    print(f"pages {', '.join(PAGES)}; {args.rounds} rounds × {args.requests} requests per mode")
    for mode, values in samples.items():
        median = statistics.median(values)
        print(
            f"  {mode:<10} median {median * 1000:7.2f} ms/request   "
            f"ratio to off {median / base:5.3f}   overhead {100 * (median / base - 1):+5.1f} %"
        )
    print(f"views written: {recorded}")
    overhead = statistics.median(samples["background"]) / base - 1
    print(f"background tracking overhead: {100 * overhead:+.1f} % (target < 5 %)")
    print(
        f"direct measure: {in_request * 1e6:.1f} µs per view inside the request "
        f"= {100 * in_request / base:.2f} % of a page; the writer thread then spends "
        f"{writing * 1e6:.1f} µs per view, off the request path"
    )


if __name__ == "__main__":
    main()
