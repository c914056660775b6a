"""What the page benchmarks share: an app on a scratch SQLite database and page timings taken
with the Flask test client (no network, so the figures are the application's own cost)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def scratch_app(folder: Path):
    """The testing configuration on `folder`, visit tracking off (it is measured on its own)."""
    os.environ["NITET_DATA_DIR"] = str(folder)
    from config import TestingConfig
    from nitet_online import create_app

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.db'}"
    config.UPLOAD_DIR = str(folder / "uploads")
    config.STATS_TRACKING_ENABLED = False
    return create_app(config)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of values already sorted."""
    return sorted_values[max(0, int(len(sorted_values) * fraction + 0.5) - 1)]


def timed(function, repeat: int) -> tuple[float, float]:
    """Median and p95 in milliseconds of `repeat` calls of `function`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), percentile(times, 0.95)


def page_times(client, url: str, repeat: int) -> tuple[float, float]:
    """timed() of GETs of `url` after one warm-up request (templates, caches, PyThaiNLP's
    dictionary); every answer must be 200."""

    def fetch() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    fetch()
    return timed(fetch, repeat)
