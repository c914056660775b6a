"""What holding logins on the server costs each request: Flask-Login's user loader now finds the
user and the login together (accounts.sessions.user_for) where it read the user by primary key.
Both are timed in the same run, on a login_session table of --logins rows (other people's logins),
each call in a fresh database session as a request has.

    .venv/bin/python bench/bench_login_sessions.py [--logins 20000] [--repeat 3000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import scratch_app, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = scratch_app(Path(folder))
        with app.app_context():
            from flask_migrate import upgrade
            from sqlalchemy import insert

            from nitet_online.accounts import sessions
            from nitet_online.accounts.models import LoginSession, Role, User
            from nitet_online.extensions import db
            from nitet_online.services.thai import utcnow

            upgrade()
            user = User(
                username="bench", email="bench@bench.example", first_name="ผู้ทดสอบ",
                last_name="โหลด", role=Role.TEACHER, password_hash="!",
            )  # fmt: skip
            db.session.add(user)
            db.session.commit()
            now = utcnow()
            db.session.execute(
                insert(LoginSession),
                [
                    {
                        "user_id": user.id,
                        "token_hash": f"{n:064x}",
                        "remember": True,
                        "created_at": now,
                        "expires_at": now.replace(year=now.year + 1),
                    }
                    for n in range(args.logins)
                ],
            )
            identity = sessions.open_login(user, remember=True)
            user_id, account_token = user.id, user.session_token
            db.session.commit()

            def by_primary_key() -> None:  # the loader before: the user, then its token
                db.session.remove()
                found = db.session.get(User, user_id)
                assert found is not None and found.session_token == account_token

            def with_login() -> None:  # the loader now
                db.session.remove()
                assert sessions.user_for(identity) is not None

            before = timed(by_primary_key, args.repeat)
            after = timed(with_login, args.repeat)
    print(f"user loader, {args.logins:,} other logins in the table, {args.repeat} calls each")
    print(f"  by primary key (before): median {before[0]:.3f} ms, p95 {before[1]:.3f} ms")
    print(f"  user and login (now):    median {after[0]:.3f} ms, p95 {after[1]:.3f} ms")
    print(
        f"  ratio now/before: median {after[0] / before[0]:.2f}x, p95 {after[1] / before[1]:.2f}x"
    )


if __name__ == "__main__":
    main()
