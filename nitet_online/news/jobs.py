"""The news feature's background job: followers hear of a scheduled post once it is public."""

from __future__ import annotations

from nitet_online.jobs import periodic
from nitet_online.news.services import deliver_due_notifications


@periodic("news.deliver", every="NEWS_DELIVERY_SECONDS", lease=5 * 60)
def deliver_scheduled_news() -> None:
    """Tells followers of every post that became public since the last run (a post is marked
    as told in the same transaction as its notifications, so a run cut short loses nothing and
    a second runner tells nobody twice)."""
    while deliver_due_notifications() > 0:
        pass
