"""The bare Flask page that bench/load_test.py compares the home page with: one route answering
"hello", no database, no templates, no extensions. Served by gunicorn with the application's own
gunicorn.conf.py (and, in scale-out mode, behind the same nginx configuration), so the ratio
home ÷ bare is the cost of the application itself on the same server stack."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello() -> str:
    return "hello"


@app.get("/healthz")
def healthz() -> str:
    return "ok"
