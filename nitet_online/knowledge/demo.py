"""Demo คลังความรู้: items of every kind and many learning areas written by the demo supervisors,
one with a PDF manual (Thai text, made with fpdf2), one video, one item waiting for review and one
draft. Idempotent: an item whose title exists is left alone. The search index takes them in from
the outbox when the server starts (or `flask --app wsgi search reindex`)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from config import PROJECT_ROOT
from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.knowledge.files import fill_text
from nitet_online.knowledge.models import (
    Kind,
    KnowledgeFile,
    KnowledgeItem,
    KnowledgeLink,
    KnowledgeStatus,
)
from nitet_online.knowledge.services import tags_named
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.search.analysis import dictionary
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import DOCUMENT
from nitet_online.uploads.services import UploadError, save_upload

log = logging.getLogger(__name__)
FONT = PROJECT_ROOT / "static" / "fonts" / "sarabun" / "Sarabun-Regular.ttf"
DEMO_VIDEO = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


@dataclass
class DemoItem:
    title: str
    kind: Kind
    author: str
    area: str | None
    description: str
    body: str
    grades: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    co_authors: str = ""
    licence: str = "education"
    status: KnowledgeStatus = KnowledgeStatus.PUBLISHED
    days_ago: int = 10
    views: int = 0
    downloads: int = 0
    video: bool = False
    pdf: list[str] | None = None  # paragraphs of a PDF to attach


ITEMS: list[DemoItem] = [
    DemoItem(
        "คู่มือการนิเทศภายในสถานศึกษา ฉบับปรับปรุง ปีการศึกษา 2569",
        Kind.MANUAL,
        "supervisor1",
        None,
        "ขั้นตอนการนิเทศภายในตั้งแต่ศึกษาสภาพปัญหา วางแผน ปฏิบัติการนิเทศ จนถึงสรุปรายงาน พร้อมแบบบันทึกที่โรงเรียนนำไปใช้ได้ทันที",
        "## ทำไมต้องนิเทศภายใน\n\nการนิเทศภายในเป็นหัวใจของการพัฒนาคุณภาพการจัดการเรียนรู้ ผู้บริหารสถานศึกษาและครูวิชาการร่วมกันดูแลให้ครูทุกคนได้รับคำแนะนำอย่างต่อเนื่อง โดยศึกษานิเทศก์เป็นผู้เสริมพลังจากภายนอก\n\n## ขั้นตอน\n\n1. ศึกษาสภาพปัญหาและความต้องการของครู\n2. วางแผนและจัดทำปฏิทินการนิเทศ\n3. ปฏิบัติการนิเทศ เช่น เยี่ยมชั้นเรียน สังเกตการสอน และสะท้อนผล\n4. ประเมินผลและสรุปรายงานการนิเทศทุกภาคเรียน\n\nดาวน์โหลดคู่มือฉบับเต็มและแบบบันทึกการนิเทศได้จากไฟล์แนบ",
        ["ป.1", "ป.6", "ม.3"],
        ["นิเทศภายใน", "คู่มือ", "ผู้บริหาร"],
        days_ago=40,
        views=312,
        downloads=128,
        pdf=[
            "คู่มือการนิเทศภายในสถานศึกษา",
            "การนิเทศภายในเป็นกระบวนการที่ผู้บริหารสถานศึกษาและครูร่วมกันพัฒนาการจัดการเรียนรู้อย่างต่อเนื่อง",
            "ขั้นตอนที่หนึ่ง ศึกษาสภาพปัญหาและความต้องการของครูจากผลสัมฤทธิ์ทางการเรียนและการสังเกตชั้นเรียน",
            "ขั้นตอนที่สอง จัดทำปฏิทินการนิเทศ กำหนดผู้นิเทศ ผู้รับการนิเทศ และเครื่องมือ",
            "ขั้นตอนที่สาม ปฏิบัติการนิเทศด้วยการเยี่ยมชั้นเรียนแบบกัลยาณมิตร แล้วสะท้อนผลภายในสามวัน",
            "ขั้นตอนที่สี่ สรุปรายงานการนิเทศและเผยแพร่แนวปฏิบัติที่ดีในกลุ่มเครือข่าย",
        ],
    ),
    DemoItem(
        "แบบฝึกแจกลูกสะกดคำ สำหรับนักเรียนชั้นประถมศึกษาปีที่ 1",
        Kind.MEDIA,
        "supervisor1",
        "thai",
        "ชุดแบบฝึกยี่สิบบท ฝึกอ่านออกเขียนได้ด้วยการแจกลูกสะกดคำจากคำง่ายไปหาคำยาก",
        "ชุดแบบฝึกนี้พัฒนาจากการทำงานร่วมกับครูประจำชั้น ป.1 ในกลุ่มเครือข่ายเขาชัยสน ใช้เวลาฝึกวันละยี่สิบนาทีหลังเข้าแถว\n\n- บทที่ 1–5 สระเสียงยาว ไม่มีตัวสะกด\n- บทที่ 6–12 มาตราตัวสะกดตรงมาตรา\n- บทที่ 13–20 คำควบกล้ำและอักษรนำ\n\nครูบันทึกผลการอ่านรายคนทุกสัปดาห์ เพื่อจัดกลุ่มสอนซ่อมเสริมนักเรียนที่ยังอ่านไม่คล่อง",
        ["ป.1"],
        ["การอ่าน", "อ่านออกเขียนได้", "แบบฝึก"],
        co_authors="นางสมใจ ใจดี\nนางสาวกาญจนา ทองสุข",
        licence="cc-by",
        days_ago=25,
        views=540,
        downloads=260,
    ),
    DemoItem(
        "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ในโรงเรียนขนาดเล็ก: แนวทางที่ทำได้จริง",
        Kind.DOCUMENT,
        "supervisor2",
        None,
        "วิธีจัดเวลาและรูปแบบ PLC เมื่อโรงเรียนมีครูไม่ครบชั้น รวมพลังข้ามโรงเรียนในกลุ่มเครือข่าย",
        "โรงเรียนขนาดเล็กหลายแห่งมีครูเพียงสี่ถึงหกคน การรวมกลุ่ม PLC ตามกลุ่มสาระจึงทำได้ยาก ทางออกคือ **PLC ข้ามโรงเรียน** ในกลุ่มเครือข่ายเดียวกัน\n\n## วงจร PLC\n\n1. ระบุปัญหาการเรียนรู้ของนักเรียนจากข้อมูลจริง\n2. ร่วมกันออกแบบแผนการจัดการเรียนรู้\n3. สังเกตชั้นเรียน (ออนไลน์ได้)\n4. สะท้อนผลและปรับปรุง\n\nบันทึกทุกครั้งเก็บไว้เป็นหลักฐานประกอบข้อตกลงในการพัฒนางาน (PA)",
        ["ป.4", "ป.5", "ป.6"],
        ["PLC", "โรงเรียนขนาดเล็ก"],
        days_ago=18,
        views=221,
        downloads=64,
    ),
    DemoItem(
        "การจัดการเรียนรู้เชิงรุก (Active Learning) ในห้องเรียนคณิตศาสตร์",
        Kind.DOCUMENT,
        "supervisor2",
        "math",
        "ตัวอย่างกิจกรรมคิด-จับคู่-แลกเปลี่ยน และการใช้สถานการณ์ปัญหา เรื่องเศษส่วนและทศนิยม",
        "การเรียนรู้เชิงรุกทำให้นักเรียนได้ลงมือทำ คิด และอภิปราย แทนการนั่งฟัง ครูเปลี่ยนบทบาทเป็นผู้ตั้งคำถามและอำนวยความสะดวก\n\n### ตัวอย่าง: การบวกเศษส่วนที่ตัวส่วนไม่เท่ากัน\n\nให้นักเรียนแบ่งกระดาษแถบเป็นส่วนเท่า ๆ กัน แล้วเปรียบเทียบความยาวก่อนเรียนวิธีทำตัวส่วนให้เท่ากัน นักเรียนจะเข้าใจว่าทำไมต้องหา ค.ร.น.\n\n### การประเมิน\n\nใช้การสังเกตและชิ้นงานระหว่างเรียน ให้ข้อมูลย้อนกลับทันที",
        ["ป.4", "ป.5"],
        ["Active Learning", "เศษส่วน"],
        days_ago=12,
        views=187,
        downloads=45,
    ),
    DemoItem(
        "สะเต็มศึกษา: โครงงานระบบรดน้ำผักอัตโนมัติจากวัสดุเหลือใช้",
        Kind.INNOVATION,
        "supervisor3",
        "science",
        "นวัตกรรมบูรณาการวิทยาศาสตร์ เทคโนโลยี วิศวกรรม และคณิตศาสตร์ ของนักเรียนโรงเรียนบ้านเกาะหมาก",
        "นักเรียนชั้น ป.6 ออกแบบระบบรดน้ำแปลงผักของโรงเรียนด้วยขวดพลาสติก สายยาง และเซนเซอร์ความชื้นราคาประหยัด ตามกระบวนการออกแบบเชิงวิศวกรรม\n\n1. ระบุปัญหา: ผักเหี่ยวในวันหยุด\n2. รวบรวมข้อมูล: ความต้องการน้ำของผักแต่ละชนิด\n3. ออกแบบและสร้างต้นแบบ\n4. ทดสอบ ปรับปรุง และนำเสนอผล\n\nผลคือผักโตสม่ำเสมอและนักเรียนเข้าใจการวัดปริมาตรและอัตราการไหล",
        ["ป.5", "ป.6"],
        ["สะเต็มศึกษา", "STEM", "โครงงาน"],
        co_authors="นายวีระ ศรีทอง",
        licence="cc-by-sa",
        days_ago=30,
        views=265,
        downloads=80,
    ),
    DemoItem(
        "ผลการใช้แบบฝึกทักษะการอ่านจับใจความ ชั้นประถมศึกษาปีที่ 5",
        Kind.RESEARCH,
        "supervisor1",
        "thai",
        "วิจัยในชั้นเรียน: คะแนนหลังเรียนสูงกว่าก่อนเรียนอย่างมีนัยสำคัญ นักเรียนพึงพอใจระดับมาก",
        "## ความเป็นมา\n\nนักเรียนชั้น ป.5 ร้อยละ 40 อ่านจับใจความสำคัญไม่ได้ ครูจึงพัฒนาแบบฝึกทักษะแปดชุด\n\n## วิธีดำเนินการ\n\nทดลองกับนักเรียน 28 คน เป็นเวลาแปดสัปดาห์ ทดสอบก่อนและหลังเรียน\n\n## ผลการวิจัย\n\nคะแนนเฉลี่ยหลังเรียน 16.4 จาก 20 คะแนน สูงกว่าก่อนเรียน (10.2) ความพึงพอใจเฉลี่ย 4.41 อยู่ในระดับมาก",
        ["ป.5"],
        ["วิจัยในชั้นเรียน", "การอ่าน"],
        co_authors="นางรัตนา บุญมา",
        days_ago=55,
        views=143,
        downloads=97,
    ),
    DemoItem(
        "วิดีโอ: เทคนิคการใช้คำถามกระตุ้นการคิดในห้องเรียน",
        Kind.VIDEO,
        "supervisor4",
        "foreign",
        "คลิปสั้นสิบนาที ตัวอย่างคำถามปลายเปิดและการรอคำตอบ (wait time) ที่ครูทุกวิชาใช้ได้",
        "ดูคลิปแล้วลองสังเกตว่าครูให้เวลานักเรียนคิดนานเท่าไรก่อนเรียกตอบ งานวิจัยชี้ว่าการรอเพียงสามถึงห้าวินาทีทำให้นักเรียนตอบยาวขึ้นและมีส่วนร่วมมากขึ้น\n\nคำถามชวนคิด:\n\n- ทำไมจึงคิดเช่นนั้น\n- มีวิธีอื่นอีกไหม\n- ถ้าเปลี่ยนเงื่อนไข ผลจะเป็นอย่างไร",
        [],
        ["เทคนิคการสอน", "การตั้งคำถาม"],
        days_ago=8,
        views=98,
        video=True,
    ),
    DemoItem(
        "การสอนโฟนิกส์ (Phonics) สำหรับครูที่ไม่ได้จบเอกภาษาอังกฤษ",
        Kind.DOCUMENT,
        "supervisor4",
        "foreign",
        "เริ่มจากเสียงของตัวอักษรยี่สิบหกตัว แล้วผสมเสียงเป็นคำ CVC พร้อมเกมฝึกในห้องเรียน",
        "Phonics ช่วยให้นักเรียนเชื่อมเสียงกับตัวอักษร อ่านคำใหม่ได้เองโดยไม่ต้องท่องจำทั้งคำ\n\n1. สอนเสียงตัวอักษรทีละกลุ่ม s a t p i n\n2. ผสมเสียงเป็นคำ เช่น sat, pin, tap\n3. เล่นเกม Sound Hunt หาสิ่งของที่ขึ้นต้นด้วยเสียงที่เรียน\n\nครูใช้คลิปเสียงเจ้าของภาษาประกอบได้ ไม่จำเป็นต้องออกเสียงได้สมบูรณ์แบบเอง",
        ["ป.1", "ป.2", "ป.3"],
        ["ภาษาอังกฤษ", "Phonics"],
        days_ago=22,
        views=176,
        downloads=51,
    ),
    DemoItem(
        "แนวทางจัดทำแผนการจัดการศึกษาเฉพาะบุคคล (IEP) สำหรับนักเรียนเรียนร่วม",
        Kind.MANUAL,
        "supervisor6",
        "special",
        "ขั้นตอนการคัดกรอง การประชุมผู้ปกครอง และตัวอย่างเป้าหมายระยะยาว–ระยะสั้นของ IEP",
        "แผนการจัดการศึกษาเฉพาะบุคคล (IEP) ต้องจัดทำร่วมกันระหว่างครู ผู้ปกครอง และผู้เชี่ยวชาญ\n\n## ขั้นตอน\n\n1. คัดกรองและประเมินความสามารถพื้นฐาน\n2. ประชุมกำหนดเป้าหมายระยะยาวหนึ่งปีและจุดประสงค์ระยะสั้น\n3. ระบุสื่อ สิ่งอำนวยความสะดวก และผู้รับผิดชอบ\n4. ติดตามและประเมินผลทุกภาคเรียน\n\nนักเรียนที่มีภาวะบกพร่องทางการเรียนรู้ (LD) และเด็กออทิสติกได้ประโยชน์จากกิจวัตรที่คงที่และตารางภาพ",
        [],
        ["การศึกษาพิเศษ", "IEP", "เรียนร่วม"],
        days_ago=35,
        views=132,
        downloads=70,
    ),
    DemoItem(
        "คำถามที่พบบ่อย: การยื่นข้อตกลงในการพัฒนางาน (ว PA)",
        Kind.FAQ,
        "supervisor5",
        None,
        "รวมคำตอบเรื่องการเขียนประเด็นท้าทาย คลิปการสอน และหลักฐานการพัฒนาผลลัพธ์การเรียนรู้ของผู้เรียน",
        "**ถาม:** ประเด็นท้าทายต้องเขียนกี่เรื่อง\n\n**ตอบ:** อย่างน้อยหนึ่งเรื่องต่อปี เน้นผลลัพธ์การเรียนรู้ของผู้เรียนที่วัดได้\n\n**ถาม:** คลิปการสอนตัดต่อได้หรือไม่\n\n**ตอบ:** ต้องเป็นการสอนจริงต่อเนื่อง ไม่ตัดต่อ ความยาวตามที่ ก.ค.ศ. กำหนด\n\n**ถาม:** ครูผู้ช่วยต้องทำ PA หรือไม่\n\n**ตอบ:** ครูผู้ช่วยประเมินตามหลักเกณฑ์การเตรียมความพร้อมและพัฒนาอย่างเข้ม",
        [],
        ["วิทยฐานะ", "PA"],
        days_ago=5,
        views=402,
    ),
    DemoItem(
        "ปฐมวัยเรียนรู้ผ่านการเล่น: มุมประสบการณ์ที่เปลี่ยนตามหน่วย",
        Kind.DOCUMENT,
        "supervisor1",
        "early",
        "วิธีจัดมุมบ้าน มุมบล็อก มุมหนังสือ และมุมวิทยาศาสตร์น้อย ให้สัมพันธ์กับหน่วยการเรียนรู้",
        "เด็กปฐมวัยเรียนรู้ได้ดีที่สุดผ่านการเล่นที่มีเป้าหมาย ครูควรเปลี่ยนของเล่นในมุมประสบการณ์ทุกสองสัปดาห์ตามหน่วยการเรียนรู้\n\n- มุมบ้าน: บทบาทสมมติ ฝึกภาษาและสังคม\n- มุมบล็อก: มิติสัมพันธ์และคณิตศาสตร์เบื้องต้น\n- มุมหนังสือ: นิทานภาพ ส่งเสริมนิสัยรักการอ่าน\n\nประเมินพัฒนาการด้วยการสังเกตและแฟ้มผลงาน ไม่ใช้การสอบข้อเขียน",
        ["อ.1", "อ.2", "อ.3"],
        ["ปฐมวัย", "การเล่น"],
        days_ago=14,
        views=119,
        downloads=33,
    ),
    DemoItem(
        "วิทยาการคำนวณแบบไม่ใช้คอมพิวเตอร์ (Unplugged Coding)",
        Kind.MEDIA,
        "supervisor3",
        "science",
        "ชุดกิจกรรมฝึกคิดเชิงคำนวณด้วยบัตรคำสั่งและตารางบนพื้นห้อง สำหรับโรงเรียนที่คอมพิวเตอร์ไม่พอ",
        "กิจกรรมหุ่นยนต์เดินตามคำสั่ง: นักเรียนคนหนึ่งเป็นหุ่นยนต์ เพื่อนเขียนลำดับคำสั่ง (เดินหน้า เลี้ยวซ้าย เลี้ยวขวา) ให้เดินถึงเป้าหมาย ฝึกการแยกย่อยปัญหา การหารูปแบบ และการออกแบบอัลกอริทึม\n\nต่อยอดด้วย Scratch เมื่อโรงเรียนมีอุปกรณ์พร้อม",
        ["ป.2", "ป.3", "ป.4"],
        ["Coding", "วิทยาการคำนวณ"],
        licence="cc-by",
        days_ago=20,
        views=201,
        downloads=88,
    ),
    DemoItem(
        "การวัดและประเมินผลตามสภาพจริงด้วยเกณฑ์รูบริก",
        Kind.DOCUMENT,
        "supervisor5",
        None,
        "ตัวอย่างรูบริกประเมินงานเขียน โครงงาน และการนำเสนอ พร้อมวิธีให้คะแนนที่สม่ำเสมอ",
        "รูบริก (Rubric) ช่วยให้ครูประเมินได้สม่ำเสมอ และนักเรียนรู้ล่วงหน้าว่าต้องทำอย่างไรจึงได้คะแนนดี\n\n| เกณฑ์ | 4 ดีมาก | 3 ดี | 2 พอใช้ | 1 ปรับปรุง |\n|---|---|---|---|---|\n| เนื้อหา | ครบถ้วน ถูกต้อง | ครบ มีข้อผิดเล็กน้อย | ไม่ครบบางส่วน | ไม่ครบ |\n| การนำเสนอ | ชัดเจน น่าสนใจ | ชัดเจน | พอเข้าใจ | ไม่ชัดเจน |",
        ["ม.1", "ม.2", "ม.3"],
        ["วัดผล", "รูบริก"],
        days_ago=45,
        views=256,
        downloads=140,
    ),
    DemoItem(
        "นวัตกรรมธนาคารขยะโรงเรียน: เรียนรู้การออมและรักษ์สิ่งแวดล้อม",
        Kind.INNOVATION,
        "supervisor5",
        "social",
        "นักเรียนคัดแยกขยะรีไซเคิลฝากธนาคาร ได้สมุดบัญชีและเงินปันผล บูรณาการสังคมศึกษาและคณิตศาสตร์",
        "ธนาคารขยะเปิดทุกวันพุธ นักเรียนนำขยะรีไซเคิลที่คัดแยกแล้วมาชั่งน้ำหนัก คณะกรรมการนักเรียนบันทึกบัญชี\n\nผลที่ได้: ขยะในโรงเรียนลดลงร้อยละ 60 นักเรียนฝึกความซื่อสัตย์ การทำบัญชี และหลักปรัชญาของเศรษฐกิจพอเพียง",
        ["ป.4", "ป.5", "ป.6"],
        ["ธนาคารขยะ", "เศรษฐกิจพอเพียง"],
        days_ago=60,
        views=88,
        downloads=12,
    ),
    DemoItem(
        "สุขภาพสายตานักเรียนยุคดิจิทัล: กฎ 20-20-20",
        Kind.DOCUMENT,
        "supervisor5",
        "health",
        "แนวทางดูแลสายตาเมื่อเรียนออนไลน์และใช้โทรศัพท์ การคัดกรองสายตาสั้น และการจัดแสงในห้องเรียน",
        "ทุก 20 นาทีให้มองไกล 20 ฟุต นาน 20 วินาที ช่วยลดอาการปวดตาและตาแห้ง\n\nครูประจำชั้นควรสังเกตนักเรียนที่หรี่ตามองกระดาน และประสานโรงพยาบาลส่งเสริมสุขภาพตำบลตรวจสายตาปีละครั้ง",
        [],
        ["สุขศึกษา", "สายตา"],
        days_ago=9,
        views=64,
    ),
    DemoItem(
        "เพลงและนาฏศิลป์พื้นบ้านภาคใต้: หนังตะลุงและมโนราห์ในห้องเรียน",
        Kind.MEDIA,
        "supervisor4",
        "arts",
        "หน่วยการเรียนรู้ศิลปะ บูรณาการภูมิปัญญาท้องถิ่นพัทลุง เชิญศิลปินพื้นบ้านเป็นวิทยากร",
        "นักเรียนฝึกท่ารำมโนราห์พื้นฐานและการพากย์หนังตะลุงสั้น ๆ ผ่านการสาธิตของศิลปินในชุมชน แล้วสร้างการแสดงของตนเองในวันวิชาการ",
        ["ป.4", "ป.5", "ป.6"],
        ["ภูมิปัญญาท้องถิ่น", "ศิลปะ"],
        days_ago=70,
        views=57,
    ),
    DemoItem(
        "แนวทางการสอนซ่อมเสริมหลังเลิกเรียนที่ได้ผล",
        Kind.DOCUMENT,
        "teacher1",
        "math",
        "ส่งให้ศึกษานิเทศก์ตรวจ: เพื่อนช่วยเพื่อน และการจัดกลุ่มตามระดับความสามารถ",
        "การสอนซ่อมเสริมควรใช้วิธีสอนใหม่ ไม่สอนซ้ำแบบเดิม จัดกลุ่มตามจุดที่ยังไม่ผ่านตัวชี้วัด",
        ["ป.3"],
        ["ซ่อมเสริม"],
        status=KnowledgeStatus.PENDING,
        days_ago=2,
    ),
    DemoItem(
        "ร่าง: แผนการจัดการเรียนรู้ภาษาไทย เรื่องคำควบกล้ำ",
        Kind.DOCUMENT,
        "supervisor1",
        "thai",
        "ฉบับร่าง ยังไม่เผยแพร่",
        "ใช้เพลงและเกมบัตรคำเป็นกิจกรรมหลัก ฉบับร่างนี้ยังไม่ควรปรากฏในผลการค้นหา",
        ["ป.2"],
        ["แผนการสอน"],
        status=KnowledgeStatus.DRAFT,
        days_ago=1,
    ),
]


def thai_lines(pdf, text: str, width: float) -> list[str]:
    """Lines of at most `width` that break between Thai words (fpdf2 breaks only at spaces)."""
    from pythainlp.tokenize.newmm import segment

    lines, line = [], ""
    for word in segment(text, dictionary()):
        if line and pdf.get_string_width(line + word) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


def thai_pdf(paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF with a title and paragraphs in Sarabun, Thai words kept whole."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("Sarabun", "", str(FONT))
    pdf.set_text_shaping(True)  # tone marks over upper vowels (ที่, ปั่น) placed by HarfBuzz
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for number, paragraph in enumerate(paragraphs):
        size, height = (20, 12) if number == 0 else (14, 8)
        pdf.set_font("Sarabun", "", size)
        for line in thai_lines(pdf, paragraph, width):
            pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    # Shaping splits ำ into two glyphs; the honours feature's helper maps both back to text so
    # that the PDF's text extracts (and is searched) exactly as written.
    from nitet_online.honours.certificate import make_text_extractable

    return make_text_extractable(pdf, bytes(pdf.output()))


def _attach_pdf(item: KnowledgeItem, paragraphs: list[str], owner_id: int | None) -> None:
    data = thai_pdf(paragraphs)
    file = FileStorage(
        io.BytesIO(data), filename=f"{paragraphs[0]}.pdf", content_type="application/pdf"
    )
    try:
        upload = save_upload(file, owner_id, accept={DOCUMENT})
    except UploadError:
        log.exception("demo PDF refused")
        return
    knowledge_file = KnowledgeFile(upload=upload, position=0)
    fill_text(knowledge_file)
    item.files.append(knowledge_file)


def seed_knowledge() -> None:
    names = {demo.author for demo in ITEMS}
    users = {
        u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))
    }
    areas = {a.code: a for a in db.session.scalars(select(LearningArea))}
    grades = {g.code: g for g in db.session.scalars(select(GradeLevel))}
    existing = set(db.session.scalars(select(KnowledgeItem.title)))
    now = utcnow()
    for demo in ITEMS:
        if demo.title in existing or demo.author not in users:
            continue
        author = users[demo.author]
        moment = now - timedelta(days=demo.days_ago)
        item = KnowledgeItem(
            kind=demo.kind,
            title=demo.title,
            description=demo.description,
            body=demo.body,
            learning_area=areas.get(demo.area) if demo.area else None,
            author_id=author.id,
            created_by_id=author.id,
            co_authors=demo.co_authors,
            licence=demo.licence,
            status=demo.status,
            published_at=moment if demo.status == KnowledgeStatus.PUBLISHED else None,
            created_at=moment,
            updated_at=moment,
            view_count=demo.views,
            download_count=demo.downloads,
        )
        item.grade_levels = [grades[code] for code in demo.grades if code in grades]
        item.tags = tags_named(demo.tags)
        if demo.video:
            item.links.append(KnowledgeLink(url=DEMO_VIDEO, title="ตัวอย่างคลิป", position=0))
        if demo.pdf:
            _attach_pdf(item, demo.pdf, author.id)
        db.session.add(item)
        db.session.flush()
