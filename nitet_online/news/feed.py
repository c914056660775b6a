"""The Atom feed of published news (RFC 4287), built with ElementTree so it is always well formed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from nitet_online.news.models import NewsPost
from nitet_online.services.markdown import markdown_to_text, render_markdown

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _timestamp(moment: datetime) -> str:
    """Stored times are naive UTC."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = text
    return element


def build_feed(
    posts: Sequence[NewsPost],
    *,
    title: str,
    subtitle: str,
    site_url: str,
    self_url: str,
    html_url: str,
    fallback_updated: datetime,
) -> bytes:
    """site_url ends with "/"; every address in the feed is absolute."""
    root = site_url.rstrip("/")
    feed = ET.Element(_tag("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "th"})
    _add(feed, "id", self_url)
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    updated = max((post.updated_at for post in posts), default=fallback_updated)
    _add(feed, "updated", _timestamp(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=html_url)
    _add(feed, "generator", "นิเทศ Online")
    for post in posts:
        feed.append(_entry(post, root))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(post: NewsPost, root: str) -> ET.Element:
    entry = ET.Element(_tag("entry"))
    url = root + post.url
    _add(entry, "id", f"{root}/news/{post.id}")
    _add(entry, "title", post.title)
    _add(entry, "published", _timestamp(post.publish_at))
    _add(entry, "updated", _timestamp(max(post.updated_at, post.publish_at)))
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    author = _add(entry, "author")
    _add(author, "name", post.author.full_name if post.author else "นิเทศ Online")
    _add(entry, "category", term=post.category.value, label=post.category.label)
    _add(entry, "summary", post.summary or markdown_to_text(post.body, 300))
    html = str(render_markdown(post.body))
    # Relative links (images, files) made absolute so feed readers can follow them.
    html = html.replace('src="/', f'src="{root}/').replace('href="/', f'href="{root}/')
    if post.cover is not None:
        html = f'<p><img src="{root}{post.cover.url("large")}" alt=""></p>' + html
    _add(entry, "content", html, type="html")
    return entry
