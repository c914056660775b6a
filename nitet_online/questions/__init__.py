"""ถาม-ตอบ: teachers ask, the responsible supervisors answer; accepted answers, votes, follows,
moderation and response-time figures. Public functions live in services.py (asking, answering,
states), routing.py (who is responsible, the inbox), moderation.py and figures.py."""
