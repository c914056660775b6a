"""Demo honours over four years and every level: most approved, some pending, one rejected.
Idempotent: an honour with the same award title and year is not added again."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import Role, User
from nitet_online.best_practices.demo import demo_photo
from nitet_online.best_practices.models import BestPractice
from nitet_online.extensions import db
from nitet_online.honours.models import Honour, HonourStatus, Level, RecipientType
from nitet_online.org.models import School
from nitet_online.uploads.models import IMAGE
from nitet_online.uploads.services import save_upload

OSEC = "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
AREA = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2"


@dataclass
class DemoHonour:
    award: str
    kind: RecipientType
    school_code: str
    level: Level
    year: int
    body: str
    status: HonourStatus = HonourStatus.APPROVED
    recipient: str = ""  # username, or "@<school code>" for the first teacher of that school
    names: str = ""
    nominator: str = "schooldirector1"
    approver: str = "director1"
    reason: str = ""
    description: str = ""
    photo: bool = False
    best_practice: str = ""


DEMO_HONOURS: list[DemoHonour] = [
    DemoHonour(
        "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย",
        RecipientType.TEACHER,
        "1093350002",
        Level.AREA,
        2568,
        AREA,
        recipient="teacher1",
        photo=True,
        description="ครูผู้สอนภาษาไทยที่พัฒนาการอ่านออกเขียนได้ของนักเรียนจนเป็นแบบอย่าง",
        best_practice="การพัฒนาทักษะการอ่านออกเขียนได้ด้วยกระบวนการ PLC และบ้านหนังสือชุมชน",
    ),
    DemoHonour(
        "ผู้บริหารสถานศึกษาดีเด่น ด้านการบริหารวิชาการ",
        RecipientType.DIRECTOR,
        "1093350002",
        Level.REGION,
        2567,
        "สำนักงานศึกษาธิการภาค 7",
        recipient="schooldirector1",
        nominator="schooldirector1",
        approver="supervisor1",
    ),
    DemoHonour(
        "เหรียญทอง การแข่งขันคัดลายมือสื่อภาษาไทย ป.4–ป.6 งานศิลปหัตถกรรมนักเรียน ครั้งที่ 72",
        RecipientType.STUDENT,
        "1093350002",
        Level.NATIONAL,
        2567,
        OSEC,
        names="เด็กหญิงกานดา ใจงาม\nเด็กชายปิยะพงษ์ ทองดี",
        photo=True,
    ),
    DemoHonour(
        "โรงเรียนรางวัลพระราชทาน ระดับประถมศึกษา ขนาดกลาง",
        RecipientType.SCHOOL,
        "1093350001",
        Level.NATIONAL,
        2566,
        "กระทรวงศึกษาธิการ",
        nominator="supervisor1",
        photo=True,
    ),
    DemoHonour(
        "สถานศึกษาปลอดภัย ระดับดีเด่น",
        RecipientType.SCHOOL,
        "1093350010",
        Level.AREA,
        2568,
        AREA,
        nominator="supervisor2",
        approver="supervisor2",
    ),
    DemoHonour(
        "รางวัลคุรุชน คนคุณธรรม",
        RecipientType.TEACHER,
        "1093350010",
        Level.NATIONAL,
        2568,
        "สำนักงานเลขาธิการคุรุสภา",
        recipient="teacher2",
        nominator="supervisor2",
        approver="director1",
        best_practice="ห้องเรียนคณิตศาสตร์ฐานสมรรถนะด้วยสื่อ Active Learning",
    ),
    DemoHonour(
        "เหรียญเงิน การแข่งขันคณิตศาสตร์นานาชาติ (IMC)",
        RecipientType.STUDENT,
        "1093350010",
        Level.INTERNATIONAL,
        2568,
        "International Mathematics Contest",
        names="เด็กชายธนกร แก้วประเสริฐ",
        nominator="supervisor2",
        approver="supervisor2",
        photo=True,
    ),
    DemoHonour(
        "ครูดีศรีโรงเรียน",
        RecipientType.TEACHER,
        "1093350002",
        Level.SCHOOL,
        2569,
        "โรงเรียนบ้านควนขนุน",
        recipient="teacher1",
        approver="supervisor1",
    ),
    DemoHonour(
        "นวัตกรรมการจัดการเรียนรู้ STEM ดีเด่น",
        RecipientType.TEACHER,
        "1093350018",
        Level.AREA,
        2569,
        AREA,
        recipient="@1093350018",
        nominator="supervisor3",
        approver="supervisor3",
        best_practice="STEM ศึกษาเพื่อชุมชนชายฝั่งทะเลสาบสงขลา",
    ),
    DemoHonour(
        "ชนะเลิศ การประกวดเล่านิทานปฐมวัย",
        RecipientType.STUDENT,
        "1093350015",
        Level.AREA,
        2567,
        AREA,
        names="เด็กหญิงณิชา รักษ์ไทย",
        nominator="supervisor5",
        approver="supervisor5",
    ),
    DemoHonour(
        "ชนะเลิศ การประกวดหนังสือเล่มเล็ก ป.1–ป.3",
        RecipientType.STUDENT,
        "1093350002",
        Level.AREA,
        2569,
        AREA,
        names="เด็กชายภูมิ ศรีทอง\nเด็กหญิงพิมพ์ชนก บุญมา\nเด็กหญิงอารียา ชุมทอง",
        status=HonourStatus.PENDING,
    ),
    DemoHonour(
        "ครูผู้สอนยอดเยี่ยม กลุ่มสาระการเรียนรู้ภาษาไทย",
        RecipientType.TEACHER,
        "1093350002",
        Level.AREA,
        2569,
        AREA,
        recipient="teacher1",
        nominator="teacher1",
        status=HonourStatus.PENDING,
    ),
    DemoHonour(
        "ครูสอนดี ระดับอำเภอ",
        RecipientType.TEACHER,
        "1093350002",
        Level.AREA,
        2569,
        "อำเภอเขาชัยสน",
        recipient="teacher1",
        nominator="teacher1",
        status=HonourStatus.REJECTED,
        approver="supervisor1",
        reason="ยังไม่มีหลักฐานการได้รับรางวัล กรุณาแนบเกียรติบัตรหรือประกาศผล",
    ),
]


def _user(reference: str, school: School) -> User | None:
    if reference.startswith("@"):
        return db.session.scalar(
            select(User)
            .where(User.school_id == school.id, User.role == Role.TEACHER)
            .order_by(User.username)
            .limit(1)
        )
    return db.session.scalar(select(User).where(User.username == reference)) if reference else None


def _create(spec: DemoHonour, seed: int) -> None:
    school = db.session.scalar(select(School).where(School.code == spec.school_code))
    if school is None:
        return
    nominator = _user(spec.nominator, school)
    approver = _user(spec.approver, school)
    awarded = date(spec.year - 543, 2 + seed % 9, 5 + seed)
    reviewed = None
    if spec.status != HonourStatus.PENDING:
        reviewed = datetime.combine(awarded, datetime.min.time()) + timedelta(days=20)
    honour = Honour(
        award_title=spec.award,
        recipient_type=spec.kind,
        school=school,
        level=spec.level,
        year=spec.year,
        issuing_body=spec.body,
        awarded_on=awarded,
        recipient_user=_user(spec.recipient, school),
        recipient_names=spec.names,
        description=spec.description,
        status=spec.status,
        nominated_by=nominator,
        reviewed_by=approver if reviewed else None,
        reviewed_at=reviewed,
        rejection_reason=spec.reason,
        created_at=datetime.combine(awarded, datetime.min.time()) + timedelta(days=10),
    )
    if spec.best_practice:
        honour.best_practice = db.session.scalar(
            select(BestPractice).where(BestPractice.title == spec.best_practice)
        )
    if spec.photo:
        data = demo_photo(1000 + seed)
        honour.photo = save_upload(
            FileStorage(stream=io.BytesIO(data), filename="award.jpg"), None, {IMAGE}
        )
    db.session.add(honour)


def seed_honours() -> None:
    existing = {
        (title, year) for title, year in db.session.execute(select(Honour.award_title, Honour.year))
    }
    for seed, spec in enumerate(DEMO_HONOURS, start=1):
        if (spec.award, spec.year) not in existing:
            _create(spec, seed)
    db.session.flush()
