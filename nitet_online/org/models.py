"""The organisation: the office, school networks, schools, learning areas and grade levels."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.extensions import db
from nitet_online.services.thai import utcnow


class SchoolSize(enum.StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    EXTRA_LARGE = "extra_large"

    @property
    def label(self) -> str:
        return SCHOOL_SIZE_LABELS[self]


SCHOOL_SIZE_LABELS = {
    SchoolSize.SMALL: "ขนาดเล็ก",
    SchoolSize.MEDIUM: "ขนาดกลาง",
    SchoolSize.LARGE: "ขนาดใหญ่",
    SchoolSize.EXTRA_LARGE: "ขนาดใหญ่พิเศษ",
}


def school_size_from_text(text: str) -> SchoolSize | None:
    """Accepts the code (small) or the Thai word (ขนาดเล็ก, เล็ก) as offices write it."""
    cleaned = (text or "").strip().lower()
    for size, label in SCHOOL_SIZE_LABELS.items():
        if cleaned in {size.value, label, label.removeprefix("ขนาด")}:
            return size
    return None


class Office(db.Model):
    """The educational service area office running this platform (one row)."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    abbreviation: Mapped[str] = mapped_column(String(100))
    group_name: Mapped[str] = mapped_column(
        String(255), default="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา"
    )
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    line_id: Mapped[str] = mapped_column(String(100), default="")
    logo_path: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def current(cls) -> Office | None:
        return db.session.scalar(select(cls).order_by(cls.id).limit(1))


class Network(db.Model):
    """กลุ่มเครือข่ายสถานศึกษา: a group of neighbouring schools."""

    __tablename__ = "network"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schools: Mapped[list[School]] = relationship(back_populates="network", order_by="School.name")

    def __str__(self) -> str:
        return self.name


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    district: Mapped[str] = mapped_column(String(100), default="")
    subdistrict: Mapped[str] = mapped_column(String(100), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[SchoolSize | None] = mapped_column(
        db.Enum(
            SchoolSize, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        )
    )
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"))
    director_name: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network | None] = relationship(back_populates="schools")

    def __str__(self) -> str:
        return self.name


class LearningArea(db.Model):
    """กลุ่มสาระการเรียนรู้ (and ปฐมวัย, การศึกษาพิเศษ, กิจกรรมพัฒนาผู้เรียน)."""

    __tablename__ = "learning_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class GradeLevel(db.Model):
    """ระดับชั้น: อ.1–อ.3, ป.1–ป.6, ม.1–ม.6, grouped by stage."""

    __tablename__ = "grade_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name


def active_learning_areas() -> list[LearningArea]:
    return list(
        db.session.scalars(
            select(LearningArea).where(LearningArea.is_active).order_by(LearningArea.sort_order)
        )
    )


def all_grade_levels() -> list[GradeLevel]:
    return list(db.session.scalars(select(GradeLevel).order_by(GradeLevel.sort_order)))


def all_networks() -> list[Network]:
    return list(db.session.scalars(select(Network).order_by(Network.name)))


def active_schools() -> list[School]:
    return list(db.session.scalars(select(School).where(School.is_active).order_by(School.name)))
