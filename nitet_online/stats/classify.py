"""Classifying a request cheaply: is it a bot, where did it come from, what kind of device."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Crawlers, link-preview fetchers, monitors and scripts. Matched anywhere in the user agent.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrap|fetch|preview|monitor|uptime|pingdom|lighthouse|headless"
    r"|phantomjs|facebookexternalhit|facebookcatalog|whatsapp|telegram|embedly|curl/|wget/"
    r"|python-|httpx|aiohttp|go-http-client|java/|okhttp|libwww|axios|node-fetch|postman|feed",
    re.IGNORECASE,
)

SEARCH_ENGINES = (
    "google.",
    "bing.com",
    "yahoo.",
    "duckduckgo.com",
    "baidu.com",
    "yandex.",
    "coccoc.com",
    "ecosia.org",
    "naver.com",
    "sogou.com",
)
SOCIAL_SITES = (
    "facebook.com",
    "fb.com",
    "fb.me",
    "line.me",
    "lin.ee",
    "line-apps.com",
    "twitter.com",
    "x.com",
    "t.co",
    "instagram.com",
    "tiktok.com",
    "youtube.com",
    "youtu.be",
    "pinterest.",
    "linkedin.com",
    "messenger.com",
)
# In-app browsers of LINE and Facebook often send no referrer; their user agent still says so.
SOCIAL_APP_PATTERN = re.compile(r"\bLine/|FBAN/|FBAV/|FB_IAB|Instagram", re.IGNORECASE)
TABLET_PATTERN = re.compile(r"iPad|Tablet|Kindle|Silk/|PlayBook|Nexus (7|9|10)", re.IGNORECASE)
MOBILE_PATTERN = re.compile(r"Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini")

REFERRER_LABELS = {
    "direct": "เข้าโดยตรง",
    "search": "เครื่องมือค้นหา",
    "social": "สื่อสังคม (LINE, Facebook ฯลฯ)",
    "internal": "ลิงก์ภายในเว็บไซต์",
    "other": "เว็บไซต์อื่น",
}
DEVICE_LABELS = {"mobile": "โทรศัพท์มือถือ", "tablet": "แท็บเล็ต", "desktop": "คอมพิวเตอร์"}


def is_bot(user_agent: str) -> bool:
    """No user agent at all is a script too."""
    return not user_agent or BOT_PATTERN.search(user_agent) is not None


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    for domain in domains:
        if domain.endswith("."):
            if host.startswith(domain) or f".{domain}" in host:
                return True
        elif host == domain or host.endswith(f".{domain}"):
            return True
    return False


def referrer_class(referrer: str, own_host: str, user_agent: str = "") -> str:
    """direct, search, social, internal or other."""
    host = urlsplit(referrer).hostname if referrer else None
    if not host:
        return "social" if SOCIAL_APP_PATTERN.search(user_agent or "") else "direct"
    host = host.lower()
    own = (own_host or "").split(":")[0].lower()
    if host == own:
        return "internal"
    if _host_matches(host, SEARCH_ENGINES):
        return "search"
    if _host_matches(host, SOCIAL_SITES):
        return "social"
    return "other"


def device_class(user_agent: str) -> str:
    """mobile, tablet or desktop. Android without "Mobile" is a tablet."""
    agent = user_agent or ""
    if TABLET_PATTERN.search(agent) or ("Android" in agent and "Mobile" not in agent):
        return "tablet"
    if MOBILE_PATTERN.search(agent):
        return "mobile"
    return "desktop"
