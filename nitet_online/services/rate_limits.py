"""The store of the `limits` library that counts outside Flask-Limiter's decorators (login
slowdown, chat messages): made from the rate limits' own settings, RATELIMIT_STORAGE_URI and
RATELIMIT_STORAGE_OPTIONS (memory in this process on one machine, Redis when REDIS_URL is set, so
every process counts together). One store per app and address, made on first use."""

from __future__ import annotations

import weakref

from flask import current_app
from limits.storage import MemoryStorage, Storage, storage_from_string

STORAGE_EXTENSION = "nitet_limits_storage"

_memory_stores: weakref.WeakSet[MemoryStorage] = weakref.WeakSet()


def limits_storage() -> Storage:
    app = current_app._get_current_object()
    uri = app.config["RATELIMIT_STORAGE_URI"]
    stores: dict[str, Storage] = app.extensions.setdefault(STORAGE_EXTENSION, {})
    storage = stores.get(uri)
    if storage is None:
        made = storage_from_string(uri, **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
        storage = stores.setdefault(uri, made)
        if isinstance(storage, MemoryStorage):
            _memory_stores.add(storage)
    return storage


def reset_memory_storage() -> None:
    """Forgets every count held in this process's memory (tests); a shared Redis is left alone."""
    for storage in list(_memory_stores):
        storage.reset()
