"""Demo news: policy, academic news, projects and training announcements (some with future dates),
one pinned, one draft and one scheduled. Dates are relative to the day the demo is loaded, so the
upcoming events are upcoming. Idempotent by title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.news.models import NewsCategory, NewsPost, NewsStatus
from nitet_online.news.services import local_to_utc
from nitet_online.services.thai import (
    academic_year,
    fiscal_year,
    thai_digits,
    today_bangkok,
    utcnow,
)
from nitet_online.supervisors.demo import generated_cover, store_generated_image

COVER_COLOURS = {
    NewsCategory.ANNOUNCEMENT: ("#0a4da3", "#5aa0d8"),
    NewsCategory.ACADEMIC: ("#17683a", "#6cc18f"),
    NewsCategory.POLICY: ("#7a1c1a", "#d9534f"),
    NewsCategory.TRAINING: ("#8a5300", "#f0a500"),
    NewsCategory.PROJECT: ("#4a2f86", "#9b7fd4"),
}


@dataclass
class DemoNews:
    author: str
    category: NewsCategory
    title: str
    summary: str
    body: str
    days_ago: int  # negative: scheduled in the future
    pinned: bool = False
    draft: bool = False
    cover_caption: str = ""  # Thai letters and digits only (the font subset)
    event_in_days: int | None = None
    event_days: int = 1
    event_hours: tuple[time, time] = (time(8, 30), time(16, 30))
    place: str = ""
    registration_url: str = ""


def _local(days: int, at: time) -> datetime:
    return local_to_utc(datetime.combine(today_bangkok() + timedelta(days=days), at))


def _items() -> list[DemoNews]:
    today = today_bangkok()
    year, fiscal = academic_year(today), fiscal_year(today)
    return [
        DemoNews(
            "director1",
            NewsCategory.POLICY,
            f"นโยบายและจุดเน้นการพัฒนาคุณภาพการศึกษา สพป.พัทลุง เขต 2 ปีงบประมาณ {fiscal}",
            "สรุปนโยบายและจุดเน้น 4 ด้าน ที่ทุกโรงเรียนนำไปจัดทำแผนปฏิบัติการประจำปี พร้อมตัวชี้วัดที่กลุ่มนิเทศจะติดตาม",
            (
                f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2 ประกาศนโยบายและจุดเน้นปีงบประมาณ {fiscal} "
                "เพื่อให้สถานศึกษาทุกแห่งใช้เป็นกรอบในการจัดทำแผนปฏิบัติการ\n\n"
                "## จุดเน้น 4 ด้าน\n\n"
                "1. **ด้านความปลอดภัย** สถานศึกษาปลอดภัย ผู้เรียนมีความสุข\n"
                "2. **ด้านโอกาส** ผู้เรียนทุกคนได้รับการศึกษาอย่างทั่วถึง ลดการออกกลางคัน\n"
                "3. **ด้านคุณภาพ** ผู้เรียนอ่านออกเขียนได้ คิดคำนวณเป็น และมีทักษะที่จำเป็นในศตวรรษที่ 21\n"
                "4. **ด้านประสิทธิภาพ** บริหารจัดการด้วยข้อมูลและเทคโนโลยีดิจิทัล\n\n"
                "## การนิเทศ ติดตาม\n\n"
                "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา จะนิเทศ ติดตามการขับเคลื่อนนโยบาย "
                "ภาคเรียนละ 1 ครั้ง และรายงานผลต่อคณะกรรมการติดตาม ตรวจสอบ และประเมินผลฯ\n\n"
                "| ตัวชี้วัด | ค่าเป้าหมาย |\n|---|---|\n"
                "| นักเรียน ป.1 อ่านออกเขียนได้ | ร้อยละ 95 |\n"
                "| โรงเรียนมีระบบดูแลช่วยเหลือนักเรียน | ร้อยละ 100 |\n"
                "| ครูจัดการเรียนรู้เชิงรุก (Active Learning) | ร้อยละ 90 |"
            ),
            days_ago=3,
            pinned=True,
            cover_caption=f"นโยบายและจุดเน้น ปีงบประมาณ {thai_digits(fiscal)}",
        ),
        DemoNews(
            "supervisor1",
            NewsCategory.TRAINING,
            "ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1–ป.3",
            "เชิญครูผู้สอนภาษาไทยชั้น ป.1–ป.3 โรงเรียนละ 1 คน เข้าร่วมประชุมเชิงปฏิบัติการ พร้อมรับชุดแบบฝึก",
            (
                "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา ขอเชิญครูผู้สอนภาษาไทยชั้น ป.1–ป.3 "
                "โรงเรียนละ 1 คน เข้าร่วมประชุมเชิงปฏิบัติการการสอนอ่านเขียนแบบแจกลูกสะกดคำ\n\n"
                "### กำหนดการ\n"
                "- 08.30 น. ลงทะเบียน\n- 09.00 น. หลักการสอนแจกลูกสะกดคำ\n"
                "- 10.30 น. ฝึกปฏิบัติการใช้แบบฝึก\n- 13.00 น. การคัดกรองและการช่วยเหลือนักเรียนรายบุคคล\n"
                "- 15.30 น. วางแผนนำไปใช้ในชั้นเรียน\n\n"
                "ผู้เข้าร่วมครบตามเวลาจะได้รับเกียรติบัตร กรุณาลงทะเบียนภายใน 3 วันก่อนวันอบรม"
            ),
            days_ago=2,
            cover_caption="อบรม การอ่านออกเขียนได้",
            event_in_days=12,
            place="ห้องประชุมใหญ่ สพป.พัทลุง เขต 2",
            registration_url="https://forms.nitet.example/reading-p1-3",
        ),
        DemoNews(
            "supervisor2",
            NewsCategory.TRAINING,
            "อบรมออนไลน์ การจัดการเรียนรู้คณิตศาสตร์เชิงรุก (Active Learning) เรื่อง เศษส่วน",
            "อบรมผ่าน Google Meet 2 วัน สำหรับครูคณิตศาสตร์ ป.4–ป.6 ทุกโรงเรียน ไม่ต้องเดินทาง",
            (
                "เปิดรับครูคณิตศาสตร์ชั้น ป.4–ป.6 เข้าร่วมอบรมออนไลน์ การจัดการเรียนรู้เชิงรุกเรื่องเศษส่วน "
                "ด้วยสื่อรูปธรรม–กึ่งรูปธรรม–นามธรรม (CPA)\n\n"
                "- วันแรก: แนวคิด CPA และการออกแบบกิจกรรม\n- วันที่สอง: นำเสนอแผนการจัดการเรียนรู้และรับข้อเสนอแนะ\n\n"
                "ลิงก์เข้าห้องอบรมจะส่งทางอีเมลหลังลงทะเบียน"
            ),
            days_ago=5,
            cover_caption="คณิตศาสตร์เชิงรุก",
            event_in_days=20,
            event_days=2,
            event_hours=(time(9, 0), time(15, 0)),
            place="ออนไลน์ผ่าน Google Meet",
            registration_url="https://forms.nitet.example/math-active",
        ),
        DemoNews(
            "supervisor3",
            NewsCategory.TRAINING,
            "สัมมนาเครือข่ายครูวิทยาศาสตร์ปากพะยูน: STEM ศึกษากับชุมชนริมทะเลสาบ",
            "แลกเปลี่ยนเรียนรู้การจัดการเรียนรู้ STEM ที่ใช้ชุมชนและทะเลสาบสงขลาเป็นห้องเรียน",
            (
                "ขอเชิญครูวิทยาศาสตร์และครูการงานอาชีพในกลุ่มเครือข่ายปากพะยูน ร่วมสัมมนาและศึกษาดูงาน "
                "การจัดการเรียนรู้ STEM ศึกษา จากโรงเรียนต้นแบบ\n\n"
                "**หมายเหตุ** ครูจากโรงเรียนบนเกาะ สามารถเข้าร่วมทางออนไลน์ได้"
            ),
            days_ago=1,
            cover_caption="สะเต็มศึกษากับชุมชน",
            event_in_days=35,
            event_hours=(time(8, 30), time(15, 30)),
            place="โรงเรียนชุมชนบ้านปากพะยูน",
        ),
        DemoNews(
            "supervisor4",
            NewsCategory.TRAINING,
            "อบรมการสอนภาษาอังกฤษเพื่อการสื่อสารตามกรอบ CEFR สำหรับครูประถมศึกษา",
            "สรุปการอบรมและเอกสารประกอบสำหรับครูที่ไม่ได้เข้าร่วม",
            "ขอบคุณครูทุกท่านที่เข้าร่วมอบรม เอกสารประกอบการอบรมและสไลด์ ขอรับได้ที่ศึกษานิเทศก์ผู้รับผิดชอบ",
            days_ago=30,
            event_in_days=-21,
            place="ห้องประชุมเล็ก สพป.พัทลุง เขต 2",
        ),
        DemoNews(
            "supervisor1",
            NewsCategory.ACADEMIC,
            f"แนวทางการประเมินความสามารถด้านการอ่านของผู้เรียน (RT) ชั้น ป.1 ปีการศึกษา {year}",
            "สาระสำคัญของการประเมิน RT กรอบการประเมิน และสิ่งที่โรงเรียนควรเตรียม",
            (
                "การประเมินความสามารถด้านการอ่าน (Reading Test: RT) ประเมิน 2 สมรรถนะ คือ "
                "**การอ่านออกเสียง** และ **การอ่านรู้เรื่อง**\n\n"
                "### สิ่งที่โรงเรียนควรเตรียม\n"
                "1. ตรวจสอบรายชื่อนักเรียนในระบบ\n2. แต่งตั้งกรรมการคุมสอบและกรรมการประเมินการอ่านออกเสียง\n"
                "3. ฝึกนักเรียนด้วยแบบฝึกที่ใกล้เคียงกรอบการประเมิน\n\n"
                "ดูตัวอย่างแบบฝึกได้ที่หน้า **เอกสารดาวน์โหลด** ในเว็บไซต์ของผู้เขียน"
            ),
            days_ago=6,
        ),
        DemoNews(
            "supervisor6",
            NewsCategory.ACADEMIC,
            "เทคนิคการจัดการเรียนรู้สำหรับนักเรียนที่มีความต้องการจำเป็นพิเศษในห้องเรียนรวม",
            "5 เทคนิคที่ครูประจำชั้นใช้ได้ทันที พร้อมตัวอย่างการปรับแผนการจัดการเรียนรู้",
            (
                "1. จัดที่นั่งใกล้ครูและลดสิ่งเร้า\n2. แบ่งงานเป็นขั้นตอนสั้น ๆ\n"
                "3. ใช้สื่อภาพประกอบคำสั่ง\n4. ให้เวลาเพิ่มและประเมินด้วยวิธีที่หลากหลาย\n"
                "5. สื่อสารกับผู้ปกครองสม่ำเสมอ\n\n"
                "ครูที่ต้องการคำปรึกษาการจัดทำแผนการจัดการศึกษาเฉพาะบุคคล (IEP) ถามได้ที่เมนู ถาม-ตอบ"
            ),
            days_ago=10,
            cover_caption="การเรียนรวม",
        ),
        DemoNews(
            "supervisor5",
            NewsCategory.PROJECT,
            f"โครงการโรงเรียนคุณธรรม ปีการศึกษา {year} เปิดรับโรงเรียนเข้าร่วม",
            "โรงเรียนที่สนใจส่งแบบแสดงความจำนงภายในสิ้นเดือนนี้ ศึกษานิเทศก์จะลงพื้นที่ให้คำแนะนำ",
            (
                "โครงการโรงเรียนคุณธรรมมุ่งพัฒนาผู้เรียนให้มีคุณธรรมอัตลักษณ์ตามบริบทของโรงเรียน\n\n"
                "**ขั้นตอน** ส่งแบบแสดงความจำนง → ประชุมชี้แจง → จัดทำโครงงานคุณธรรม → "
                "นิเทศ ติดตาม → ประเมินตามเกณฑ์"
            ),
            days_ago=12,
            cover_caption="โรงเรียนคุณธรรม",
        ),
        DemoNews(
            "admin",
            NewsCategory.ANNOUNCEMENT,
            "เปิดใช้งานระบบนิเทศ Online ถามปัญหาการสอนกับศึกษานิเทศก์ได้ทุกเวลา",
            "ครูและผู้บริหารทุกโรงเรียนสมัครสมาชิกแล้วใช้งานได้ทันทีเมื่อผู้ดูแลระบบอนุมัติ",
            (
                "นิเทศ Online เป็นช่องทางนิเทศ ให้คำปรึกษา และแลกเปลี่ยนเรียนรู้ "
                "ครูถามปัญหาการสอนได้ที่เมนู **ถาม-ตอบ** อ่านข่าวและประกาศการอบรมได้ที่เมนู **ข่าวสาร** "
                "และติดตามศึกษานิเทศก์ที่ดูแลโรงเรียนของท่านได้ที่เมนู **ศึกษานิเทศก์**\n\n"
                "ดูวิธีใช้งานได้ที่ [คู่มือการใช้งาน](/manual/)"
            ),
            days_ago=1,
            cover_caption="นิเทศออนไลน์ ทุกที่ ทุกเวลา",
        ),
        DemoNews(
            "supervisor5",
            NewsCategory.POLICY,
            "แนวปฏิบัติการวัดและประเมินผลการเรียนรู้ระดับประถมศึกษา (ฉบับปรับปรุง)",
            "ประเด็นที่เปลี่ยนแปลงและสิ่งที่โรงเรียนต้องปรับในระเบียบการวัดและประเมินผล",
            "สรุปประเด็นสำคัญ: การประเมินระหว่างเรียน การตัดสินผลการเรียน และการเทียบโอนผลการเรียน",
            days_ago=25,
        ),
        DemoNews(
            "supervisor1",
            NewsCategory.ACADEMIC,
            f"ปฏิทินการนิเทศ ติดตาม ภาคเรียนที่ 2/{year} (ฉบับร่าง)",
            "",
            "ร่างปฏิทินการนิเทศ รอยืนยันกับโรงเรียนในความรับผิดชอบ",
            days_ago=0,
            draft=True,
        ),
        DemoNews(
            "supervisor2",
            NewsCategory.ANNOUNCEMENT,
            "ประกาศรายชื่อครูแกนนำคณิตศาสตร์ เครือข่ายป่าบอน-โคกทราย",
            "",
            "รายชื่อครูแกนนำที่ผ่านการคัดเลือก จะประกาศตามวันเวลาที่กำหนด",
            days_ago=-3,
        ),
    ]


def seed_news() -> None:
    authors = {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.username.in_({item.author for item in _items()}))
        )
    }
    now = utcnow()
    for index, item in enumerate(_items()):
        author = authors.get(item.author)
        if author is None or db.session.scalar(
            select(NewsPost.id).where(NewsPost.title == item.title)
        ):
            continue
        post = NewsPost(
            title=item.title,
            summary=item.summary,
            body=item.body,
            category=item.category,
            author_id=author.id,
            is_pinned=item.pinned,
            status=NewsStatus.DRAFT if item.draft else NewsStatus.PUBLISHED,
            publish_at=None if item.draft else _local(-item.days_ago, time(9, 0)),
            created_at=now - timedelta(days=max(item.days_ago, 0), hours=2),
        )
        post.updated_at = min(post.publish_at or now, now)
        # Followers of long-published demo posts are not notified again.
        post.notified_at = post.publish_at if post.publish_at and post.publish_at <= now else None
        if item.event_in_days is not None:
            start_at, end_at = item.event_hours
            post.event_start = _local(item.event_in_days, start_at)
            post.event_end = _local(item.event_in_days + item.event_days - 1, end_at)
            post.event_place = item.place
            post.registration_url = item.registration_url
        if item.cover_caption:
            data = generated_cover(
                COVER_COLOURS[item.category],
                seed=index + 3,
                size=(1200, 630),
                caption=item.cover_caption,
            )
            post.cover = store_generated_image(data, f"news-cover-{index + 1}.jpg", author.id)
        db.session.add(post)
    db.session.flush()
