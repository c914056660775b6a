"""Command-line tools of the platform itself (declared by the core feature): `flask --app wsgi
seed-demo`, `create-admin` and `features` (what each feature plugs into)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.services.forms import USERNAME_PATTERN, password_problem


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo office, schools and accounts (idempotent)."""
    from nitet_online.demo import database_is_empty, seed_demo

    if if_empty and not database_is_empty():
        click.echo("database already has data; demo data not loaded")
        return
    seed_demo()
    click.echo("demo data loaded (password of every demo account: nitet-demo)")


@click.command("create-admin")
@click.option("--username", prompt="ชื่อผู้ใช้ (username)")
@click.option("--email", prompt="อีเมล")
@click.option("--first-name", default="ผู้ดูแล", show_default=True)
@click.option("--last-name", default="ระบบ", show_default=True)
@click.password_option("--password", prompt="รหัสผ่าน")
@with_appcontext
def create_admin_command(
    username: str, email: str, first_name: str, last_name: str, password: str
) -> None:
    """Create an administrator account."""
    if not USERNAME_PATTERN.match(username):
        raise click.ClickException("ชื่อผู้ใช้ต้องเป็นภาษาอังกฤษ ตัวเลข . _ - ยาว 3–64 ตัว")
    if User.username_taken(username) or User.email_taken(email):
        raise click.ClickException("ชื่อผู้ใช้หรืออีเมลนี้มีอยู่แล้ว")
    problem = password_problem(password, current_app.config["PASSWORD_MIN_LENGTH"])
    if problem:
        raise click.ClickException(problem)
    user = User(
        username=username,
        email=email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        role=Role.ADMIN,
        status=AccountStatus.ACTIVE,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created administrator {username}")


@click.command("features")
@with_appcontext
def features_command() -> None:
    """List each enabled feature and what it plugs into (routes, tables, menu, indicators...)."""
    from nitet_online.plugins import describe_features

    for feature in describe_features(current_app):
        click.echo(f"{feature['name']} ({feature['title']})")
        for key, _label, values in feature["parts"]:
            if values:
                click.echo(f"  {key}: {', '.join(values)}")
