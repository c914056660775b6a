"""Security headers on every response. The app's own pages carry no inline script or style, so
the Content-Security-Policy can forbid both."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property

from nitet_online.services.numbers import BoundedArgs

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        # 'self' covers WebSocket to the same host and port (CSP Level 3, every current browser):
        # the page's Socket.IO connection, and nothing else.
        "connect-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://www.youtube.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


# Input hygiene ---------------------------------------------------------------------------------
def _without_nul(values: MultiDict) -> MultiDict:
    """NUL characters removed from every value. PostgreSQL refuses them in text (a 500 where
    SQLite would quietly store them), and no person types one."""
    if not any("\x00" in value for value in values.values()):
        return values
    cleaned = [(key, value.replace("\x00", "")) for key, value in values.items(multi=True)]
    return values.__class__(cleaned)


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    if isinstance(value, dict):
        return {_clean_json(key): _clean_json(item) for key, item in value.items()}
    return value


class CleanRequest(Request):
    """The request class of the app: query strings, form fields and JSON bodies arrive without NUL
    characters (uploaded files are left exactly as sent), and `args.get(name, type=int)` refuses
    a number the database could not hold (services/numbers.py)."""

    parameter_storage_class = BoundedArgs

    @cached_property
    def args(self) -> MultiDict:  # type: ignore[override]
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if isinstance(self.__dict__.get("form"), MultiDict):
            self.__dict__["form"] = _without_nul(self.__dict__["form"])

    def get_json(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return _clean_json(super().get_json(*args, **kwargs))


def register_input_hygiene(app: Flask) -> None:
    """Cleaned input, and behind a reverse proxy the real client address and scheme (so rate
    limits count each client, not the proxy)."""
    app.request_class = CleanRequest
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
