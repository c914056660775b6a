"""The supervisors feature's background job: a page for every active supervisor."""

from __future__ import annotations

from nitet_online.jobs import periodic
from nitet_online.supervisors.services import ensure_all_profiles


@periodic("supervisors.profiles", every="SUPERVISOR_PROFILES_SECONDS")
def make_missing_pages() -> None:
    """Pages are made with the account (a before-flush hook); this makes those of accounts from
    before that, or changed outside the ORM. Due at once the first time a runner starts."""
    ensure_all_profiles()
