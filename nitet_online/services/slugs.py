"""Readable addresses: slugs made from titles (Thai kept, as Thai readers expect to see Thai in a
shared link) and from usernames (ASCII only, for addresses people type)."""

from __future__ import annotations

import re
import unicodedata

# Thai letters, vowels, tone marks and digits (U+0E01–U+0E5B), Latin letters and digits.
_NOT_SLUG = re.compile(r"[^a-z0-9\u0e01-\u0e5b]+")
_NOT_ASCII_SLUG = re.compile(r"[^a-z0-9]+")
ASCII_SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def _trim(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    # Prefer to cut between words; never leave a dangling hyphen.
    if "-" in cut[max_length // 2 :]:
        cut = cut[: cut.rfind("-")]
    return cut.strip("-")


def slugify(text: str, max_length: int = 60) -> str:
    """ประชุมเชิงปฏิบัติการ PLC 2569 → ประชุมเชิงปฏิบัติการ-plc-2569 ('' when nothing is left)."""
    normalised = unicodedata.normalize("NFC", text or "").lower()
    slug = _NOT_SLUG.sub("-", normalised).strip("-")
    slug = re.sub(r"-[\u0e31-\u0e3a\u0e47-\u0e4e]+", "-", slug)  # a mark cut off from its letter
    return _trim(slug, max_length)


def ascii_slug(text: str, max_length: int = 60) -> str:
    """supervisor.one_2 → supervisor-one-2; for addresses that people type by hand."""
    normalised = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _trim(_NOT_ASCII_SLUG.sub("-", normalised.lower()).strip("-"), max_length)


def is_ascii_slug(text: str, min_length: int = 3, max_length: int = 60) -> bool:
    return min_length <= len(text) <= max_length and bool(ASCII_SLUG_PATTERN.match(text))
