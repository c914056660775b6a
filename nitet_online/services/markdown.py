"""Markdown for everything users write: rendered by markdown-it (raw HTML off) and then cleaned
by an allow-list sanitiser (nh3), so no script, event handler or javascript: link survives."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False, "breaks": True})
    .enable("table")
    .enable("strikethrough")
    .enable("linkify")
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TAGS = re.compile(r"<[^>]+>")


def sanitize_html(html: str) -> str:
    """Keeps only the allowed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Safe HTML of a user's Markdown, ready for a template."""
    if not text:
        return Markup("")
    cleaned = sanitize_html(_renderer.render(text))
    # Presentation classes are added after cleaning: users cannot set classes themselves.
    cleaned = cleaned.replace("<table>", '<table class="table table-sm table-bordered">')
    return Markup(cleaned.replace("<img ", '<img loading="lazy" class="img-fluid" '))


def markdown_to_text(text: str | None, limit: int | None = None) -> str:
    """Plain text of Markdown, for snippets, search and Open Graph descriptions."""
    if not text:
        return ""
    # The rendered HTML escapes every character of the text once; unescape it once, after the
    # tags are gone, so text that reads "&lt;" stays "&lt;".
    plain = html.unescape(_TAGS.sub(" ", _renderer.render(text)))
    plain = re.sub(r"\s+", " ", plain).strip()
    if limit and len(plain) > limit:
        return plain[: limit - 1].rstrip() + "…"
    return plain
