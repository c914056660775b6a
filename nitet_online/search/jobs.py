"""The search feature's background job: apply the changes waiting in the outbox to the index."""

from __future__ import annotations

from nitet_online.jobs import periodic
from nitet_online.search import registry, services


# A full rebuild (no index yet, or a broken one) of 100,000 documents takes about ten minutes.
@periodic(
    "search.drain", every="SEARCH_DRAIN_INTERVAL", lease=30 * 60, pending=services.has_due_changes
)
def drain_search_outbox() -> None:
    """Builds the index if it is missing, then applies every waiting change (rows are deleted
    only once the index has them, so a run cut short is done again by the next)."""
    services.drain()


def rebuild_after_restore() -> None:
    """After a backup is restored (declared with plug.post_restore): the restored files' text is
    read again and the index is rebuilt from the restored database."""
    for refresh in registry.refreshers().values():
        refresh()
    services.reindex()
