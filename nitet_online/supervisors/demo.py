"""Demo personal sites: every demo supervisor gets a page with an introduction, a cover made with
Pillow, projects, and the first ones a few sub-pages. Idempotent: what exists is left alone."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from config import PROJECT_ROOT
from nitet_online.accounts.models import Role, User
from nitet_online.extensions import db
from nitet_online.services.thai import academic_year, fiscal_year, today_bangkok
from nitet_online.supervisors.models import SupervisorFollow, SupervisorProject
from nitet_online.supervisors.services import add_page, ensure_profile
from nitet_online.uploads.models import IMAGE, Upload
from nitet_online.uploads.services import save_upload

# The Thai subset of Sarabun served to browsers; Pillow reads it too (Thai letters and digits only).
THAI_FONT = PROJECT_ROOT / "static/vendor/sarabun/files/sarabun-thai-700-normal.woff2"


def _thai_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(THAI_FONT), size)
    except OSError:
        return ImageFont.load_default()


def generated_cover(
    colours: tuple[str, str], seed: int, size: tuple[int, int] = (1600, 420), caption: str = ""
) -> bytes:
    """A soft gradient with translucent circles (and a Thai caption), as a JPEG."""
    width, height = size
    start, end = Image.new("RGB", (1, 1), colours[0]), Image.new("RGB", (1, 1), colours[1])
    left, right = start.getpixel((0, 0)), end.getpixel((0, 0))
    gradient = Image.new("RGB", (width, 1))
    for x in range(width):
        t = x / max(1, width - 1)
        gradient.putpixel(
            (x, 0), tuple(round(a + (b - a) * t) for a, b in zip(left, right, strict=True))
        )
    image = gradient.resize((width, height))
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for index in range(7):
        angle = seed * 0.9 + index * 1.7
        radius = height * (0.25 + 0.12 * ((seed + index) % 4))
        x = width * (0.15 + 0.7 * (0.5 + 0.5 * math.sin(angle)))
        y = height * (0.5 + 0.45 * math.cos(angle * 1.3))
        alpha = 28 + 10 * (index % 3)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
    overlay = overlay.filter(ImageFilter.GaussianBlur(6))
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    if caption:
        _draw_caption(image, caption)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _fitting_font(draw: ImageDraw.ImageDraw, lines: list[str], width: int, size: int):
    """The largest font (from `size` down) in which every line fits `width` pixels."""
    while size > 16:
        font = _thai_font(size)
        if all(draw.textlength(line, font=font) <= width for line in lines):
            return font
        size -= 4
    return _thai_font(size)


def _draw_caption(image: Image.Image, caption: str) -> None:
    """The caption in white, on two lines when long, with the group's name underneath."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    words = caption.split(" ")
    lines = [caption]
    if (
        len(words) > 1
        and draw.textlength(caption, font=_thai_font(int(height * 0.15))) > width * 0.86
    ):
        half = max(1, len(words) // 2)
        lines = [" ".join(words[:half]), " ".join(words[half:])]
    font = _fitting_font(draw, lines, int(width * 0.86), int(height * 0.15))
    line_height = int(font.size * 1.5)
    top = (height - line_height * len(lines)) // 2 - int(height * 0.04)
    for index, line in enumerate(lines):
        draw.text((int(width * 0.07), top + index * line_height), line, font=font, fill="white")
    small = _thai_font(max(16, int(height * 0.055)))
    draw.text(
        (int(width * 0.07), int(height * 0.82)),
        "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        font=small,
        fill=(255, 255, 255, 220),
    )


def store_generated_image(data: bytes, name: str, owner_id: int | None) -> Upload:
    return save_upload(FileStorage(io.BytesIO(data), filename=name), owner_id, {IMAGE})


def _years() -> tuple[int, int]:
    today = today_bangkok()
    return academic_year(today), fiscal_year(today)


def _profiles_content() -> dict[str, dict]:
    year, fiscal = _years()
    return {
        "supervisor1": {
            "headline": "ศึกษานิเทศก์กลุ่มสาระภาษาไทยและปฐมวัย ผู้รับผิดชอบงานส่งเสริมการอ่านออกเขียนได้",
            "introduction": (
                "สวัสดีค่ะ ดิฉันเป็นศึกษานิเทศก์ผู้รับผิดชอบ **กลุ่มสาระการเรียนรู้ภาษาไทย** "
                "และ **การศึกษาปฐมวัย** ดูแลโรงเรียนในกลุ่มเครือข่ายเขาชัยสน\n\n"
                "### ความเชี่ยวชาญ\n"
                "- การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ (Phonics ภาษาไทย)\n"
                "- การคัดกรองและพัฒนานักเรียนที่อ่านไม่คล่อง เขียนไม่คล่อง\n"
                "- การจัดประสบการณ์การเรียนรู้ปฐมวัยแบบบูรณาการ\n\n"
                "### แนวทางการนิเทศ\n"
                "นิเทศแบบกัลยาณมิตร ร่วมคิด ร่วมทำกับครูในห้องเรียนจริง ผ่านชุมชนแห่งการเรียนรู้ทางวิชาชีพ (PLC) "
                "และติดตามต่อเนื่องทางออนไลน์ ครูสามารถส่งคำถามได้ที่เมนู **ถาม-ตอบ** ตลอดเวลาค่ะ\n\n"
                "### การศึกษา\n"
                "- ศษ.ม. หลักสูตรและการสอน มหาวิทยาลัยทักษิณ\n"
                "- ค.บ. ภาษาไทย มหาวิทยาลัยราชภัฏสงขลา"
            ),
            "cover": ("#1f4e8c", "#5aa0d8"),
            "projects": [
                (
                    "โครงการส่งเสริมการอ่านออกเขียนได้ ชั้น ป.1–ป.3",
                    "พัฒนาทักษะการอ่านการเขียนด้วยแบบฝึกแจกลูกสะกดคำ คัดกรองนักเรียน 3 ครั้งต่อปี และนิเทศติดตามในชั้นเรียน",
                    year,
                ),
                (
                    "โครงการบ้านนักวิทยาศาสตร์น้อย ประเทศไทย (ปฐมวัย)",
                    "ส่งเสริมการจัดกิจกรรมวิทยาศาสตร์สำหรับเด็กปฐมวัยในโรงเรียนเครือข่ายเขาชัยสน",
                    fiscal,
                ),
            ],
            "pages": [
                (
                    "ผลงาน",
                    (
                        "## ผลงานทางวิชาการ\n\n"
                        f"- คู่มือการสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1 (ปีการศึกษา {year - 1})\n"
                        "- รายงานการวิจัย การพัฒนารูปแบบการนิเทศแบบ PLC เพื่อพัฒนาการอ่านของนักเรียนชั้น ป.2\n"
                        "- บทความ ‘ห้องเรียนที่เด็กอยากอ่าน’ เผยแพร่ในวารสารวิชาการของเขตพื้นที่\n\n"
                        "## รางวัล\n\n"
                        f"- ศึกษานิเทศก์ดีเด่น ด้านการนิเทศการศึกษาปฐมวัย ระดับเขตพื้นที่ ปี {year - 1}"
                    ),
                ),
                (
                    "ปฏิทินการนิเทศ",
                    (
                        f"ปฏิทินการนิเทศ ติดตาม ภาคเรียนที่ 2/{year}\n\n"
                        "| ช่วงเวลา | โรงเรียน/กิจกรรม | รูปแบบ |\n|---|---|---|\n"
                        "| สัปดาห์ที่ 1–2 | โรงเรียนวัดเขาชัยสน, โรงเรียนบ้านควนขนุน | นิเทศในชั้นเรียน |\n"
                        "| สัปดาห์ที่ 3 | PLC ครูภาษาไทยเครือข่ายเขาชัยสน | ออนไลน์ |\n"
                        "| สัปดาห์ที่ 4–5 | โรงเรียนชุมชนบ้านจองถนน | นิเทศในชั้นเรียน |\n"
                        "| สัปดาห์ที่ 6 | คัดกรองการอ่านครั้งที่ 2 | ทุกโรงเรียนในความรับผิดชอบ |"
                    ),
                ),
                (
                    "เอกสารดาวน์โหลด",
                    (
                        "เอกสารสำหรับครูภาษาไทยและครูปฐมวัย ดาวน์โหลดได้จากรายการด้านล่าง "
                        "หากต้องการไฟล์ต้นฉบับ (Word) ติดต่อได้ทางช่องทางติดต่อค่ะ"
                    ),
                ),
            ],
        },
        "supervisor2": {
            "headline": "ศึกษานิเทศก์กลุ่มสาระคณิตศาสตร์และวิทยาศาสตร์ เครือข่ายป่าบอน-โคกทราย",
            "introduction": (
                "ผมรับผิดชอบการนิเทศ **คณิตศาสตร์** และ **วิทยาศาสตร์และเทคโนโลยี** "
                "ในกลุ่มเครือข่ายป่าบอน-โคกทราย\n\n"
                "เน้นการจัดการเรียนรู้เชิงรุก (Active Learning) การใช้สื่อรูปธรรม–กึ่งรูปธรรม–นามธรรม "
                "และการพัฒนาการคิดเชิงคำนวณ (Coding) ตามหลักสูตรแกนกลางฯ\n\n"
                "> คณิตศาสตร์ไม่ใช่เรื่องยาก ถ้าเด็กได้ลงมือทำและเห็นภาพ"
            ),
            "cover": ("#17683a", "#6cc18f"),
            "projects": [
                (
                    "โครงการยกระดับผลสัมฤทธิ์ทางการเรียนคณิตศาสตร์ (O-NET ป.6)",
                    "ติวครูแกนนำและแลกเปลี่ยนแนวข้อสอบ วิเคราะห์ผลการทดสอบรายตัวชี้วัด",
                    fiscal,
                ),
            ],
            "pages": [
                (
                    "ผลงาน",
                    (
                        "## ผลงาน\n\n- ชุดกิจกรรมคณิตศาสตร์เชิงรุก เรื่อง เศษส่วน ชั้น ป.4\n"
                        "- สื่อการเรียนรู้ Coding แบบไม่ใช้คอมพิวเตอร์ (Unplugged) สำหรับ ป.1–3"
                    ),
                ),
                (
                    "คลังสื่อคณิตศาสตร์",
                    (
                        "รวมสื่อและใบกิจกรรมที่ครูในเครือข่ายร่วมกันพัฒนา นำไปใช้และปรับได้ตามบริบทของโรงเรียน\n\n"
                        "1. บัตรภาพเศษส่วน\n2. เกมบิงโกการคูณ\n3. ใบกิจกรรมการวัดความยาวด้วยหน่วยที่ไม่เป็นมาตรฐาน"
                    ),
                ),
            ],
        },
        "supervisor3": {
            "headline": "ศึกษานิเทศก์เชี่ยวชาญ วิทยาศาสตร์และการงานอาชีพ โรงเรียนเกาะและชายฝั่งทะเลสาบ",
            "introduction": (
                "ดูแลโรงเรียนบนเกาะและชายฝั่งทะเลสาบสงขลาในกลุ่มเครือข่ายปากพะยูน "
                "ใช้การนิเทศออนไลน์ควบคู่กับการลงพื้นที่ เพื่อให้ครูบนเกาะได้รับการนิเทศต่อเนื่อง\n\n"
                "สนใจการจัดการเรียนรู้แบบ **STEM ศึกษา** ที่ใช้ชุมชนและทะเลสาบเป็นห้องเรียน"
            ),
            "cover": ("#0b5f73", "#f0a500"),
            "projects": [
                (
                    "โครงการนิเทศทางไกลโรงเรียนบนเกาะ",
                    "นิเทศผ่านระบบออนไลน์สัปดาห์ละครั้ง สลับกับการลงพื้นที่ภาคเรียนละ 2 ครั้ง",
                    year,
                ),
            ],
            "pages": [],
        },
        "supervisor4": {
            "headline": "ศึกษานิเทศก์กลุ่มสาระภาษาต่างประเทศและศิลปะ",
            "introduction": "รับผิดชอบการพัฒนาการสอนภาษาอังกฤษเพื่อการสื่อสารตามกรอบ CEFR และการจัดการเรียนรู้ศิลปะ",
            "cover": None,
            "projects": [],
            "pages": [],
        },
        "supervisor5": {
            "headline": "ศึกษานิเทศก์สังคมศึกษาฯ สุขศึกษาและพลศึกษา งานโรงเรียนคุณธรรม",
            "introduction": "ส่งเสริมโรงเรียนคุณธรรม การจัดการเรียนรู้ประวัติศาสตร์ท้องถิ่นพัทลุง และกิจกรรมสุขภาวะในโรงเรียน",
            "cover": None,
            "projects": [
                (
                    "โครงการโรงเรียนคุณธรรม สพฐ.",
                    "สนับสนุนโรงเรียนในการพัฒนาคุณธรรมอัตลักษณ์ และประเมินตามเกณฑ์โรงเรียนคุณธรรม",
                    year,
                ),
            ],
            "pages": [],
        },
        "supervisor6": {
            "headline": "ศึกษานิเทศก์การศึกษาพิเศษ กิจกรรมพัฒนาผู้เรียน และคณิตศาสตร์",
            "introduction": "ให้คำปรึกษาการจัดการเรียนร่วม การจัดทำแผนการจัดการศึกษาเฉพาะบุคคล (IEP) และกิจกรรมพัฒนาผู้เรียน",
            "cover": None,
            "projects": [],
            "pages": [],
        },
    }


def seed_supervisor_pages() -> None:
    users = {
        u.username: u for u in db.session.scalars(select(User).where(User.role == Role.SUPERVISOR))
    }
    for index, (username, content) in enumerate(_profiles_content().items()):
        user = users.get(username)
        if user is None:
            continue
        profile = ensure_profile(user)
        if profile.introduction:
            continue  # already seeded (or written by its owner)
        profile.headline = content["headline"]
        profile.introduction = content["introduction"]
        if content["cover"] and profile.cover is None:
            data = generated_cover(content["cover"], seed=index + 1)
            profile.cover = store_generated_image(data, f"cover-{username}.jpg", user.id)
        for name, description, year in content["projects"]:
            profile.projects.append(
                SupervisorProject(name=name, description=description, year=year)
            )
        for title, body in content["pages"]:
            add_page(profile, title, body)
    _seed_follows(users)
    db.session.flush()


def _seed_follows(supervisors: dict[str, User]) -> None:
    followers = db.session.scalars(
        select(User).where(User.username.in_(["teacher1", "teacher2", "schooldirector1"]))
    ).all()
    for follower in followers:
        for username in ("supervisor1", "supervisor2"):
            supervisor = supervisors.get(username)
            if (
                supervisor
                and db.session.get(SupervisorFollow, (follower.id, supervisor.id)) is None
            ):
                db.session.add(
                    SupervisorFollow(follower_id=follower.id, supervisor_id=supervisor.id)
                )
