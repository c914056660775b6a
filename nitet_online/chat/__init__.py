"""ห้องสนทนา: realtime chat, presence and live notifications over Socket.IO.

- models.py: rooms, members (read position, mute), messages.
- services.py: the rules (who may join, post, edit, moderate), unread counts, history pages.
- presence.py: who is online (process memory, and Redis when REDIS_URL is set).
- ratelimit.py: a token bucket per user (process memory, or Redis).
- events.py: the Socket.IO handlers; live.py: pushes notifications and disconnects deactivated
  accounts; views.py: the pages and the JSON history endpoint.
"""

from nitet_online.plugins import Feature, Plug

feature = Feature("chat", "ห้องสนทนา")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.chat import demo as chat_demo
    from nitet_online.chat import services, views

    plug.blueprint(views.bp)  # its chat icon sits beside the bell (partials/nav_chat.html)
    plug.models("nitet_online.chat.models")
    plug.audit_labels(services.AUDIT_LABELS)
    plug.demo_step(chat_demo.seed_chat, order=demo.DEMO_ORDER["chat"])
