"""The toy feature's page, indicator, search document and personal data section."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import func, select

from nitet_online.extensions import db
from nitet_online.search.engine import Document
from nitet_online.stats.registry import IndicatorResult
from tests.toy_feature.models import ToyNote

bp = Blueprint("toy", __name__, url_prefix="/toy")


@bp.get("/")
def index():
    count = db.session.scalar(select(func.count(ToyNote.id)))
    return f"บันทึกของเล่น {count} รายการ"


def toy_indicator(start, end) -> IndicatorResult:
    return IndicatorResult(value=db.session.scalar(select(func.count(ToyNote.id))), unit="รายการ")


def toy_document(note: ToyNote) -> Document:
    return Document(type="toy", id=note.id, title=note.text, url=note.url, text=note.text)


def export_notes(user) -> list[str]:
    return list(db.session.scalars(select(ToyNote.text).where(ToyNote.user_id == user.id)))
