"""ข่าวสาร: academic news, training announcements and the Atom feed (proactive supervision)."""
