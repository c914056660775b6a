"""The toy feature's one table."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from nitet_online.extensions import db


class ToyNote(db.Model):
    __tablename__ = "toy_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(default="")

    is_public = True

    @property
    def url(self) -> str:
        return f"/toy/{self.id}"
