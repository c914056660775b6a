"""Notifications (แจ้งเตือน): stored per user, shown in the bell menu and on /notifications.

Other features call `services.notify(...)`; after the transaction commits, every new row is
announced through the blinker signal `signals.notification_created` (the chat feature pushes it
live over Socket.IO)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("notifications", "การแจ้งเตือน")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.notifications import views

    plug.blueprint(views.bp)
    plug.models("nitet_online.notifications.models")
