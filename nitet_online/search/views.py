"""ค้นหา: the search page, suggestions while typing, the JSON API, the health check and the
`flask search ...` commands."""

from __future__ import annotations

import click
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask.blueprints import BlueprintSetupState

from nitet_online.extensions import limiter
from nitet_online.org.models import active_learning_areas
from nitet_online.search import registry, services
from nitet_online.search.outbox import install_listeners
from nitet_online.search.query import MAX_QUERY_INPUT

bp = Blueprint("search", __name__, cli_group="search")

API_MAX_PER_PAGE = 50
PAGE_SIZE = 10
MAX_PAGE = 1000
SORTS = {"relevance": "ตรงที่สุด", "date": "ล่าสุด"}


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    install_listeners()


def _int_arg(name: str, default: int, low: int, high: int) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _query_arg() -> str:
    """What was typed, cut before anything reads it (a query of a megabyte costs nothing)."""
    return request.args.get("q", "")[:MAX_QUERY_INPUT].strip()


def _types_arg() -> list[str]:
    values = []
    for raw in request.args.getlist("type"):
        values += [part.strip() for part in raw.split(",") if part.strip()]
    return values


@bp.get("/search")
def index():
    text = _query_arg()
    page = _int_arg("page", 1, 1, MAX_PAGE) or 1
    types = [t for t in _types_arg() if registry.get(t)]
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    area = request.args.get("area", "").strip()
    year = request.args.get("year", "").strip()
    results = None
    if text:
        results = services.search(
            text,
            types=types,
            page=page,
            per_page=PAGE_SIZE,
            learning_area=area,
            year=year,
            sort=sort,
            with_type_counts=True,
            with_suggestion=True,
        )
    areas = {area.code: area.name for area in active_learning_areas()}
    return render_template(
        "search/index.html",
        q=text,
        results=results,
        types=types,
        sort=sort,
        sorts=SORTS,
        area=area,
        year=year,
        areas=areas,
        content_types=registry.content_types(),
        labels=registry.labels(),
        ask_url=_ask_url(),
    )


def _ask_url() -> str | None:
    for endpoint in ("questions.ask", "questions.new"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


@bp.get("/search/suggest")
@limiter.limit("120 per minute")
def suggest():
    text = _query_arg()
    if len(text) < 2:
        return jsonify({"suggestions": []})
    labels = registry.labels()
    suggestions = services.suggest(text[:100])
    for item in suggestions:
        item["label"] = labels.get(item["type"], "")
    return jsonify({"suggestions": suggestions})


@bp.get("/api/v1/search")
@limiter.limit("120 per minute")
def api_search():
    page = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", PAGE_SIZE, 1, API_MAX_PER_PAGE)
    if page is None or per_page is None:
        message = f"page ต้องเป็นจำนวนเต็ม 1–{MAX_PAGE} และ per_page 1–{API_MAX_PER_PAGE}"
        return jsonify({"error": message}), 400
    unknown = [t for t in _types_arg() if not registry.get(t)]
    if unknown:
        known = ", ".join(registry.labels())
        return jsonify({"error": f"ไม่รู้จักประเภท {', '.join(unknown)} (ใช้ได้: {known})"}), 400
    text = _query_arg()
    if not text:
        return jsonify({"total": 0, "results": [], "suggestion": None})
    results = services.search(
        text, types=_types_arg(), page=page, per_page=per_page, with_suggestion=True
    )
    return jsonify(
        {
            "total": results.total,
            "results": [hit.as_json() for hit in results.hits],
            # คุณหมายถึง: the query spelt with the index's words when it finds nothing as typed
            "suggestion": results.suggestion,
        }
    )


# flask search ... -------------------------------------------------------------------------------
@bp.cli.command("reindex")
@click.option(
    "--no-refresh", is_flag=True, help="Do not read the stored files again (their text as kept)."
)
def reindex_command(no_refresh: bool = False) -> None:
    """Read the stored files again and rebuild the search index from the database."""
    for name, refresh in ({} if no_refresh else registry.refreshers()).items():
        click.echo(f"{name}: {refresh()}")
    count = services.reindex()
    click.echo(f"search index rebuilt: {count} documents")


@bp.cli.command("drain")
def drain_command() -> None:
    """Apply the changes waiting in the search outbox."""
    count = services.drain()
    click.echo(f"search index updated: {count} items")


@bp.cli.command("status")
def status_command() -> None:
    """Documents in the index and changes waiting for it."""
    try:
        documents = services.store().doc_count()
    except Exception as error:
        click.echo(f"index: unavailable ({error}); run `flask --app wsgi search reindex`")
    else:
        click.echo(f"index: {documents} documents in {services.store().current.resolve()}")
    click.echo(f"outbox: {services.pending_count()} changes waiting")
