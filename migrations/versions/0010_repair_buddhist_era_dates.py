"""repair dates typed in the Buddhist era but stored as Gregorian years (543 years ahead)

Before the Thai date fields, a year typed as 2569 into a date input was stored as 2569 CE. Every
date a person typed (award dates, scheduled publication, training times, survey periods) with a
year from 2400 on is moved back 543 years; how many rows of each column is printed and logged.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 23:30:00

"""

import logging
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BUDDHIST_ERA_OFFSET = 543
FIRST_IMPLAUSIBLE_YEAR = 2400
TYPED_DATE_COLUMNS = {
    "honour": ("awarded_on",),
    "news_post": ("publish_at", "event_start", "event_end"),
    "survey": ("opens_on", "closes_on"),
}

log = logging.getLogger("alembic.runtime.migration")


def gregorian(value: date | datetime) -> date | datetime:
    year = value.year - BUDDHIST_ERA_OFFSET
    try:
        return value.replace(year=year)
    except ValueError:  # 29 February of a year that is not leap once moved
        return value.replace(year=year, day=28)


def _as_value(raw):
    if isinstance(raw, str):  # SQLite hands dates back as text in a raw select
        return datetime.fromisoformat(raw) if len(raw) > 10 else date.fromisoformat(raw)
    return raw


def repair(connection, table_name: str, column_name: str) -> int:
    table = sa.table(table_name, sa.column("id"), sa.column(column_name))
    column = table.c[column_name]
    rows = connection.execute(
        sa.select(table.c.id, column).where(column >= sa.literal(date(FIRST_IMPLAUSIBLE_YEAR, 1, 1)))
    ).all()
    repaired = 0
    for row_id, raw in rows:
        value = _as_value(raw)
        if value.year < FIRST_IMPLAUSIBLE_YEAR:
            continue
        connection.execute(
            sa.update(table).where(table.c.id == row_id).values({column_name: gregorian(value)})
        )
        repaired += 1
    return repaired


def upgrade():
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    for table_name, columns in TYPED_DATE_COLUMNS.items():
        if not inspector.has_table(table_name):
            continue
        for column_name in columns:
            count = repair(connection, table_name, column_name)
            message = f"repaired {count} Buddhist-era date(s) in {table_name}.{column_name}"
            log.info(message)
            if count:
                print(message)


def downgrade():
    # The wrong years are not put back.
    pass
