"""Signals of the notifications feature.

`notification_created` is sent once per stored notification, after the transaction that added it
has committed, as `notification_created.send(app, notification=<Notification>)`. Receivers must not
raise; an error in one is logged and the others still run."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

notification_created = _signals.signal("notification-created")
