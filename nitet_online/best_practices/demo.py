"""Demo best practices in every state of the review workflow, with generated photos (Pillow), a PDF
report, likes and comments. Idempotent: works already there (by title) are left alone."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import timedelta

from fpdf import FPDF
from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from config import PROJECT_ROOT
from nitet_online.accounts.models import Role, User
from nitet_online.best_practices.models import (
    TARGET_TYPE,
    BestPractice,
    BestPracticeComment,
    BestPracticeEvent,
    BestPracticeLike,
    BestPracticeStatus,
)
from nitet_online.extensions import db
from nitet_online.org.models import GradeLevel, LearningArea, School
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import DOCUMENT, IMAGE
from nitet_online.uploads.services import attach, save_upload

FONT_DIR = PROJECT_ROOT / "static" / "fonts" / "sarabun"


# Generated files -------------------------------------------------------------------------------
def demo_photo(seed: int, width: int = 640, height: int = 420) -> bytes:
    """A small, simple illustration of a school activity: sky, school building, people."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = (rng.randint(90, 140), rng.randint(160, 200), 235), (225, 238, 250)
    horizon = int(height * 0.62)
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    ground = rng.choice([(126, 176, 92), (196, 170, 120), (150, 190, 110)])
    draw.rectangle([0, horizon, width, height], fill=ground)
    # School building with a roof
    left = rng.randint(30, width // 2 - 100)
    right = left + rng.randint(220, 300)
    roof = rng.choice([(178, 58, 48), (196, 98, 45), (120, 70, 50)])
    wall = rng.choice([(245, 232, 200), (240, 240, 235), (250, 220, 180)])
    draw.rectangle([left, horizon - 120, right, horizon], fill=wall, outline=(120, 110, 90))
    draw.polygon(
        [
            (left - 20, horizon - 120),
            ((left + right) // 2, horizon - 180),
            (right + 20, horizon - 120),
        ],
        fill=roof,
    )
    for x in range(left + 20, right - 30, 50):
        draw.rectangle(
            [x, horizon - 95, x + 30, horizon - 60], fill=(120, 170, 210), outline=(90, 90, 90)
        )
    # Flag pole
    pole = right + 60
    draw.line([(pole, horizon), (pole, horizon - 170)], fill=(90, 90, 90), width=3)
    for i, colour in enumerate(
        [(165, 25, 49), (244, 245, 248), (45, 42, 74), (244, 245, 248), (165, 25, 49)]
    ):
        draw.rectangle([pole, horizon - 170 + i * 7, pole + 55, horizon - 163 + i * 7], fill=colour)
    # People
    for _ in range(rng.randint(5, 9)):
        x = rng.randint(20, width - 30)
        y = rng.randint(horizon + 30, height - 20)
        size = rng.randint(10, 16)
        shirt = rng.choice([(255, 255, 255), (30, 80, 160), (230, 150, 40), (200, 60, 80)])
        draw.rounded_rectangle([x - size, y - size * 2, x + size, y + size], radius=6, fill=shirt)
        draw.ellipse(
            [x - size * 0.7, y - size * 3.4, x + size * 0.7, y - size * 2], fill=(120, 80, 60)
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def demo_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A short report in Thai, the kind a school attaches to its best practice."""
    pdf = FPDF(format="A4")
    pdf.add_font("Sarabun", "", str(FONT_DIR / "Sarabun-Regular.ttf"))
    pdf.add_font("Sarabun", "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("Sarabun", "B", 18)
    pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Sarabun", "", 15)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


# The works -------------------------------------------------------------------------------------
@dataclass
class DemoPractice:
    title: str
    school_code: str
    author: str  # a username, or "@<school code>" for the first teacher of that school
    area: str
    levels: list[str]
    year: int
    status: BestPracticeStatus
    summary: str
    sections: dict[str, str]
    reviewer: str = "supervisor1"
    photos: int = 3
    featured: bool = False
    video: str = ""
    coauthors: list[str] = field(default_factory=list)
    return_comment: str = ""
    days_ago: int = 30
    likes: int = 0
    comments: list[tuple[str, str]] = field(default_factory=list)


def _sections(
    topic: str,
    activity: str,
    result: str,
    factor: str,
    lesson: str,
    passed: tuple[float, float] = (58.40, 86.25),
) -> dict[str, str]:
    """The six sections of a work; what differs between schools (factor, lesson, figures) is
    given, so that no two works read alike in the showcase or in search snippets."""
    return {
        "background": (
            f"จากผลการประเมินคุณภาพผู้เรียนของโรงเรียนพบว่า {topic} ยังต่ำกว่าค่าเป้าหมายของเขตพื้นที่ "
            "ครูจึงร่วมกันวิเคราะห์สาเหตุในชุมชนการเรียนรู้ทางวิชาชีพ (PLC) และวางแผนพัฒนาอย่างเป็นระบบ"
        ),
        "objectives": (
            f"1. เพื่อพัฒนา{topic}ของนักเรียน\n"
            "2. เพื่อพัฒนาครูให้ออกแบบการจัดการเรียนรู้เชิงรุก (Active Learning)\n"
            "3. เพื่อสร้างความร่วมมือระหว่างโรงเรียน ผู้ปกครอง และชุมชน"
        ),
        "implementation": (
            "ดำเนินงานตามวงจรคุณภาพ **PDCA**\n\n"
            "- **P** วิเคราะห์ข้อมูลผู้เรียนรายบุคคลและกำหนดเป้าหมาย\n"
            f"- **D** {activity}\n"
            "- **C** นิเทศ ติดตามในชั้นเรียนทุกสองสัปดาห์ และประเมินผลก่อน–หลัง\n"
            "- **A** สะท้อนผลใน PLC และปรับปรุงกิจกรรมภาคเรียนถัดไป"
        ),
        "results": (
            f"{result}\n\n"
            "| ตัวชี้วัด | ก่อนดำเนินการ | หลังดำเนินการ |\n|---|---|---|\n"
            f"| ร้อยละนักเรียนที่ผ่านเกณฑ์ | {passed[0]:.2f} | {passed[1]:.2f} |"
        ),
        "success_factors": factor,
        "lessons": lesson,
    }


DEMO_PRACTICES: list[DemoPractice] = [
    DemoPractice(
        title="การพัฒนาทักษะการอ่านออกเขียนได้ด้วยกระบวนการ PLC และบ้านหนังสือชุมชน",
        school_code="1093350002",
        author="schooldirector1",
        coauthors=["teacher1"],
        area="thai",
        levels=["ป.1", "ป.2", "ป.3"],
        year=2568,
        status=BestPracticeStatus.PUBLISHED,
        featured=True,
        video="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        summary=(
            "โรงเรียนบ้านควนขนุนใช้กระบวนการชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ร่วมกับบ้านหนังสือชุมชน "
            "พัฒนาการอ่านออกเขียนได้ของนักเรียนชั้น ป.1–ป.3 จนนักเรียนอ่านออกเขียนได้ร้อยละ 96"
        ),
        sections=_sections(
            "การอ่านออกเขียนได้",
            "จัดกิจกรรมอ่านวันละ 15 นาที แจกลูกสะกดคำ และยืมหนังสือจากบ้านหนังสือชุมชนกลับบ้าน",
            "นักเรียนชั้น ป.1–ป.3 อ่านออกเขียนได้ร้อยละ 96 ผลการประเมิน RT สูงกว่าระดับเขตพื้นที่",
            "อาสาสมัครในชุมชนเปิดบ้านเป็นมุมหนังสือ และผู้ปกครองฟังลูกอ่านทุกเย็นตามบันทึกการอ่าน",
            "การอ่านต้องฝึกทุกวันทั้งที่โรงเรียนและที่บ้าน บันทึกการอ่านที่ผู้ปกครองลงชื่อช่วยให้ครูรู้ว่าใครต้องช่วยเพิ่ม",
            (61.90, 96.00),
        ),
        days_ago=60,
        likes=9,
        comments=[
            ("teacher2", "ขอบคุณสำหรับแนวทางดี ๆ จะนำไปปรับใช้กับห้องเรียน ป.2 ครับ"),
            ("supervisor1", "เป็นแบบอย่างที่ดีของ **การทำงานร่วมกับชุมชน** ค่ะ"),
        ],
    ),
    DemoPractice(
        title="ห้องเรียนคณิตศาสตร์ฐานสมรรถนะด้วยสื่อ Active Learning",
        school_code="1093350010",
        author="teacher2",
        area="math",
        levels=["ป.4", "ป.5", "ป.6"],
        year=2568,
        status=BestPracticeStatus.PUBLISHED,
        featured=True,
        reviewer="supervisor2",
        summary=(
            "ใช้สื่อรูปธรรม เกมคณิตศาสตร์ และโจทย์ปัญหาจากชีวิตจริง ยกระดับผลสัมฤทธิ์คณิตศาสตร์ "
            "ชั้น ป.4–ป.6 และความสามารถในการแก้ปัญหา"
        ),
        sections=_sections(
            "ความสามารถในการแก้โจทย์ปัญหาคณิตศาสตร์",
            "ออกแบบสถานีการเรียนรู้ 5 สถานี ใช้สื่อรูปธรรมและเกม นักเรียนทำงานเป็นกลุ่มคละความสามารถ",
            "ผลสัมฤทธิ์วิชาคณิตศาสตร์เฉลี่ยเพิ่มขึ้นร้อยละ 18 นักเรียนกล้าอธิบายวิธีคิด",
            "ครูคณิตศาสตร์ของเครือข่ายผลิตสื่อร่วมกันและหมุนเวียนใช้ ทำให้มีสื่อครบทุกสถานีโดยใช้งบประมาณน้อย",
            "ให้นักเรียนอธิบายวิธีคิดของตนเองก่อนเฉลย ช่วยให้ครูเห็นความเข้าใจผิดและแก้ได้ทันที",
            (52.30, 70.10),
        ),
        days_ago=45,
        likes=6,
        comments=[("teacher1", "สถานีการเรียนรู้น่าสนใจมากค่ะ")],
    ),
    DemoPractice(
        title="โรงเรียนคุณธรรมวิถีพอเพียง",
        school_code="1093350001",
        author="@1093350001",
        area="social",
        levels=["ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"],
        year=2567,
        status=BestPracticeStatus.PUBLISHED,
        summary="ปลูกฝังคุณธรรมอัตลักษณ์ ความพอเพียง วินัย และจิตอาสา ผ่านโครงงานคุณธรรมของนักเรียนทุกชั้น",
        sections=_sections(
            "คุณลักษณะอันพึงประสงค์ด้านความพอเพียงและจิตอาสา",
            "นักเรียนทำโครงงานคุณธรรมระดับชั้น ธนาคารขยะ และแปลงผักพอเพียง",
            "ได้รับรางวัลโรงเรียนคุณธรรมระดับเขตพื้นที่ นักเรียนมีพฤติกรรมจิตอาสาเพิ่มขึ้นชัดเจน",
            "วัดและผู้นำชุมชนร่วมเป็นเจ้าของโครงการ นักเรียนรุ่นพี่เป็นพี่เลี้ยงรุ่นน้องในทุกกิจกรรม",
            "คุณธรรมเกิดจากการลงมือทำซ้ำจนเป็นนิสัย มากกว่าการท่องจำ และต้องเห็นผลที่นักเรียนทำได้จริงในชุมชน",
            (70.00, 91.50),
        ),
        days_ago=200,
        likes=4,
    ),
    DemoPractice(
        title="STEM ศึกษาเพื่อชุมชนชายฝั่งทะเลสาบสงขลา",
        school_code="1093350018",
        author="@1093350018",
        area="science",
        levels=["ป.5", "ป.6", "ม.1", "ม.2", "ม.3"],
        year=2568,
        status=BestPracticeStatus.PUBLISHED,
        reviewer="supervisor3",
        summary="นักเรียนบนเกาะออกแบบเครื่องกรองน้ำ และเรือจำลองจากวัสดุท้องถิ่น ด้วยกระบวนการออกแบบเชิงวิศวกรรม",
        sections=_sections(
            "ทักษะการแก้ปัญหาด้วยกระบวนการออกแบบเชิงวิศวกรรม",
            "จัดกิจกรรม STEM 4 หน่วยที่เชื่อมโยงปัญหาน้ำจืดและการประมงของชุมชนเกาะหมาก",
            "นักเรียนสร้างเครื่องกรองน้ำใช้งานได้จริง 3 ชิ้น ชุมชนนำไปใช้ที่ศาลาหมู่บ้าน",
            "ชาวประมงบนเกาะเป็นวิทยากรท้องถิ่น และมหาวิทยาลัยในจังหวัดให้ยืมอุปกรณ์วัดคุณภาพน้ำ",
            "โจทย์จากปัญหาจริงของเกาะทำให้นักเรียนตั้งใจ ครูต่างวิชาต้องวางแผนหน่วยร่วมกันตั้งแต่ต้นภาคเรียน",
            (48.75, 80.00),
        ),
        days_ago=20,
        likes=3,
    ),
    DemoPractice(
        title="การจัดประสบการณ์ปฐมวัยแบบโครงการ (Project Approach)",
        school_code="1093350015",
        author="@1093350015",
        area="early",
        levels=["อ.2", "อ.3"],
        year=2567,
        status=BestPracticeStatus.PUBLISHED,
        summary="เด็กปฐมวัยเลือกหัวข้อที่สนใจ สืบค้น และนำเสนอผลงาน พัฒนาทักษะสมองเพื่อการคิดและการทำงานร่วมกัน",
        sections=_sections(
            "พัฒนาการด้านสติปัญญาและทักษะการทำงานร่วมกันของเด็กปฐมวัย",
            "จัดโครงการ 3 ระยะ: เริ่มต้น พัฒนา และสรุป โดยเด็กเลือกหัวข้อ เช่น ปลาในคลอง",
            "เด็กร้อยละ 92 มีพัฒนาการด้านสติปัญญาระดับดี ผู้ปกครองมีส่วนร่วมทุกโครงการ",
            "ครูปฐมวัยฟังคำถามของเด็กและให้เด็กเลือกหัวข้อเอง ผู้ปกครองนำของจริงจากบ้านมาร่วมเรียนรู้",
            "เด็กเรียนรู้ได้ลึกเมื่อหัวข้อมาจากความสนใจของตนเอง การบันทึกภาพผลงานทุกระยะช่วยสื่อสารกับผู้ปกครอง",
            (75.00, 92.00),
        ),
        days_ago=150,
        photos=2,
        likes=2,
    ),
    DemoPractice(
        title="ภาษาอังกฤษเพื่อการสื่อสารด้วยเกมและเพลง",
        school_code="1093350022",
        author="@1093350022",
        area="foreign",
        levels=["ป.4", "ป.5", "ป.6"],
        year=2569,
        status=BestPracticeStatus.PENDING,
        reviewer="supervisor4",
        summary="ใช้เกม เพลง และบทบาทสมมติ ให้นักเรียนกล้าพูดภาษาอังกฤษในสถานการณ์ชีวิตประจำวัน",
        sections=_sections(
            "ทักษะการฟังและพูดภาษาอังกฤษ",
            "จัดกิจกรรม English Corner ทุกวันพุธ และ Role Play ตามสถานการณ์",
            "นักเรียนผ่านการทดสอบการพูดระดับ A1 ร้อยละ 78",
            "ครูต่างชาติอาสาสมัครร่วมกิจกรรมเดือนละครั้ง และนักเรียนใช้แอปฝึกออกเสียงที่บ้าน",
            "นักเรียนกล้าพูดเมื่อไม่กลัวผิด ครูจึงชมความพยายามก่อนแก้การออกเสียง",
            (45.00, 78.00),
        ),
        days_ago=3,
        photos=2,
    ),
    DemoPractice(
        title="การพัฒนาทักษะการคิดเชิงคำนวณด้วย Coding แบบ Unplugged",
        school_code="1093350002",
        author="teacher1",
        area="science",
        levels=["ป.4", "ป.5"],
        year=2569,
        status=BestPracticeStatus.RETURNED,
        reviewer="supervisor1",
        return_comment=(
            "ผลการดำเนินงานยังไม่มีข้อมูลเชิงปริมาณ กรุณาเพิ่มผลการประเมินก่อน–หลัง และภาพกิจกรรมที่เห็นนักเรียนลงมือทำ"
        ),
        summary="ใช้บัตรคำสั่ง เกมเดินตามลูกศร และกิจกรรมไม่ใช้คอมพิวเตอร์ ฝึกการคิดเชิงคำนวณของนักเรียนโรงเรียนขนาดเล็ก",
        sections=_sections(
            "การคิดเชิงคำนวณ",
            "จัดกิจกรรม Unplugged 8 กิจกรรม ใช้บัตรคำสั่งและเกมบนพื้นห้องเรียน",
            "นักเรียนสนใจและสนุกกับการเรียน",
            "กิจกรรมไม่ต้องใช้คอมพิวเตอร์ โรงเรียนขนาดเล็กจึงจัดได้ทุกห้อง",
            "ควรเก็บหลักฐานผลการเรียนรู้ให้ชัดก่อนสรุปผล",
            (50.00, 64.00),
        ),
        days_ago=10,
        photos=1,
    ),
    DemoPractice(
        title="ระบบดูแลช่วยเหลือนักเรียนแบบมีส่วนร่วมของชุมชน",
        school_code="1093350002",
        author="schooldirector1",
        area="activity",
        levels=["ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"],
        year=2569,
        status=BestPracticeStatus.DRAFT,
        summary="เครือข่ายผู้ปกครองและอาสาสมัครชุมชนร่วมเยี่ยมบ้านและติดตามนักเรียนกลุ่มเสี่ยง",
        sections={
            "background": "อยู่ระหว่างเขียน",
            "objectives": "",
            "implementation": "",
            "results": "",
            "success_factors": "",
            "lessons": "",
        },
        days_ago=1,
        photos=0,
    ),
]


def _users() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User))}


def _first_teacher(school: School) -> User | None:
    return db.session.scalar(
        select(User)
        .where(User.school_id == school.id, User.role == Role.TEACHER)
        .order_by(User.username)
        .limit(1)
    )


def _add_files(practice: BestPractice, spec: DemoPractice, owner: User, seed: int) -> None:
    captions = ["บรรยากาศกิจกรรมในชั้นเรียน", "นักเรียนนำเสนอผลงาน", "ครูและผู้ปกครองร่วมกิจกรรม"]
    for index in range(spec.photos):
        upload = save_upload(
            _file(demo_photo(seed * 10 + index), f"photo-{index + 1}.jpg"), owner.id, {IMAGE}
        )
        db.session.flush()
        attach(TARGET_TYPE, practice.id, upload, captions[index % len(captions)])
    if spec.status != BestPracticeStatus.DRAFT:
        data = demo_pdf(
            f"รายงานผลการปฏิบัติงานที่เป็นเลิศ\n{spec.title}",
            [spec.summary, *list(spec.sections.values())[:3]],
        )
        upload = save_upload(_file(data, "รายงานฉบับเต็ม.pdf"), owner.id, {DOCUMENT})
        db.session.flush()
        attach(TARGET_TYPE, practice.id, upload, "รายงานฉบับเต็ม")


def _history(
    practice: BestPractice, spec: DemoPractice, author: User, reviewer: User | None
) -> None:
    created = utcnow() - timedelta(days=spec.days_ago + 7)
    steps: list[tuple[User | None, str | None, str, str, int]] = [(author, None, "draft", "", 0)]
    if spec.status in (
        BestPracticeStatus.PENDING,
        BestPracticeStatus.PUBLISHED,
        BestPracticeStatus.RETURNED,
    ):
        steps.append((author, "draft", "pending", "", 2))
    if spec.status == BestPracticeStatus.PUBLISHED:
        steps.append((reviewer, "pending", "published", "ผลงานครบถ้วน เผยแพร่ได้", 7))
    if spec.status == BestPracticeStatus.RETURNED:
        steps.append((reviewer, "pending", "returned", spec.return_comment, 5))
    for actor, before, after, comment, day in steps:
        practice.events.append(
            BestPracticeEvent(
                actor=actor,
                from_status=before,
                to_status=after,
                comment=comment,
                created_at=created + timedelta(days=day),
            )
        )
    practice.created_at = created
    if len(steps) > 1:
        practice.submitted_at = created + timedelta(days=2)
    if spec.status == BestPracticeStatus.PUBLISHED:
        practice.published_at = created + timedelta(days=7)
        if spec.featured:
            practice.featured, practice.featured_at = True, practice.published_at


def _create(spec: DemoPractice, users: dict[str, User], seed: int) -> None:
    school = db.session.scalar(select(School).where(School.code == spec.school_code))
    if school is None:
        return
    author = _first_teacher(school) if spec.author.startswith("@") else users.get(spec.author)
    if author is None:
        return
    area = db.session.scalar(select(LearningArea).where(LearningArea.code == spec.area))
    levels = list(db.session.scalars(select(GradeLevel).where(GradeLevel.code.in_(spec.levels))))
    practice = BestPractice(
        title=spec.title,
        school=school,
        author=author,
        learning_area=area,
        academic_year=spec.year,
        summary=spec.summary,
        status=spec.status,
        video_url=spec.video,
        grade_levels=sorted(levels, key=lambda level: level.sort_order),
        coauthors=[users[name] for name in spec.coauthors if name in users],
        **spec.sections,
    )
    db.session.add(practice)
    _history(practice, spec, author, users.get(spec.reviewer))
    db.session.flush()
    _add_files(practice, spec, author, seed)
    _likes_and_comments(practice, spec, users)


def _likes_and_comments(practice: BestPractice, spec: DemoPractice, users: dict[str, User]) -> None:
    fans = sorted(
        (u for u in users.values() if u.role == Role.TEACHER and u.id != practice.author_id),
        key=lambda u: u.username,
    )
    for fan in fans[: spec.likes]:
        db.session.add(BestPracticeLike(best_practice_id=practice.id, user_id=fan.id))
    for index, (username, body) in enumerate(spec.comments):
        if username in users:
            db.session.add(
                BestPracticeComment(
                    best_practice=practice,
                    author=users[username],
                    body=body,
                    created_at=(practice.published_at or utcnow()) + timedelta(days=index + 1),
                )
            )


def seed_best_practices() -> None:
    existing = set(db.session.scalars(select(BestPractice.title)))
    users = _users()
    for seed, spec in enumerate(DEMO_PRACTICES, start=1):
        if spec.title not in existing:
            _create(spec, users, seed)
    db.session.flush()
