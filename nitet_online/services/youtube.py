"""YouTube links, one parser for every feature: only YouTube videos may be embedded, always through
youtube-nocookie.com (the address the Content-Security-Policy allows in frames)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
WATCH_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
SHORT_HOST = "youtu.be"
NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
PATH_PREFIXES = ("embed", "shorts", "live", "v")
EMBED_BASE = "https://www.youtube-nocookie.com/embed/"


def youtube_id(url: str | None) -> str | None:
    """The video id of a YouTube address (watch, youtu.be, shorts, live, embed), else None."""
    text = (url or "").strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or port is not None or parts.username:
        return None
    host = (parts.hostname or "").lower()
    segments = [segment for segment in parts.path.split("/") if segment]
    candidate = ""
    if host == SHORT_HOST and len(segments) == 1:
        candidate = segments[0]
    elif host in WATCH_HOSTS and segments == ["watch"]:
        values = parse_qs(parts.query).get("v", [])
        candidate = values[0] if len(values) == 1 else ""
    elif host in WATCH_HOSTS | NOCOOKIE_HOSTS and len(segments) == 2:
        prefix, candidate = segments
        if prefix not in PATH_PREFIXES or (host in NOCOOKIE_HOSTS and prefix != "embed"):
            candidate = ""
    return candidate if VIDEO_ID.match(candidate) else None


def canonical_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def embed_url(video_id: str) -> str:
    return EMBED_BASE + video_id
