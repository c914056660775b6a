"""Command-line tools: `flask --app wsgi seed-demo`, `flask --app wsgi create-admin`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.backup.cli import register_backup_commands
from nitet_online.extensions import db
from nitet_online.jobs.cli import jobs_cli
from nitet_online.services.forms import USERNAME_PATTERN, password_problem


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    register_backup_commands(app)  # backup, restore
    app.cli.add_command(jobs_cli)  # jobs run, jobs status


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
