"""The search feature's background job: apply the changes waiting in the outbox to the index."""

from __future__ import annotations

from nitet_online.jobs import periodic
from nitet_online.search import services


# A full rebuild (no index yet, or a broken one) of 100,000 documents takes about ten minutes.
@periodic(
    "search.drain", every="SEARCH_DRAIN_INTERVAL", lease=30 * 60, pending=services.has_due_changes
)
def drain_search_outbox() -> None:
    """Builds the index if it is missing, then applies every waiting change (rows are deleted
    only once the index has them, so a run cut short is done again by the next)."""
    services.drain()
