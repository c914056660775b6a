"""ห้องสนทนา: realtime chat, presence and live notifications over Socket.IO.

- models.py: rooms, members (read position, mute), messages.
- services.py: the rules (who may join, post, edit, moderate), unread counts, history pages.
- presence.py: who is online (process memory, and Redis when REDIS_URL is set).
- ratelimit.py: a token bucket per user (process memory, or Redis).
- events.py: the Socket.IO handlers; live.py: pushes notifications and disconnects deactivated
  accounts; views.py: the pages and the JSON history endpoint.
"""
