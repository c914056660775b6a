"""The WSGI application for servers (`gunicorn wsgi:app`) and the CLI (`flask --app wsgi ...`)."""

from nitet_online import create_app
from nitet_online.extensions import socketio

app = create_app()

__all__ = ["app", "socketio"]
