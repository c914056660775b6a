"""What every feature's search document is made of (each feature builds its own in its
search.py): plain text of Markdown, people's names, a date as a moment. One way for all, so that
results look alike whatever their source (see the search contract)."""

from __future__ import annotations

from datetime import date, datetime, time

from nitet_online.services.markdown import markdown_to_text


def plain_text(*parts: str | None) -> str:
    """The plain text of Markdown parts, one per line."""
    return "\n".join(markdown_to_text(part) for part in parts if part)


def names(people) -> str:
    return " ".join(person.full_name for person in people if person is not None)


def as_datetime(value: date | datetime | None) -> datetime | None:
    """A date (an award's day) as noon of that day, for ordering among moments."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(12, 0))
