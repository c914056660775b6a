"""Demo questions (the feature's demo step): realistic Thai questions from demo teachers across the
learning areas, answered by the responsible supervisors after believable delays, some accepted,
some left open for days, one closed as a duplicate, comments, votes and the notifications all this
produced. Made through the real services, so routing and figures are what the app would compute.
Idempotent: a question whose title exists is skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.notifications.models import Notification
from nitet_online.notifications.services import PENDING_KEY
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.questions import moderation, services
from nitet_online.questions.models import Question
from nitet_online.services.thai import utcnow


@dataclass
class DemoAnswer:
    author: str
    after_hours: float
    body: str
    accepted: bool = False
    voters: tuple[str, ...] = ()


@dataclass
class DemoQuestion:
    asker: str
    area: str | None  # learning area code; None: a general question
    grade: str | None
    days_ago: float
    title: str
    body: str
    tags: tuple[str, ...] = ()
    anonymous: bool = False
    answers: list[DemoAnswer] = field(default_factory=list)
    # (author, after_hours, answer index or None for the question, body)
    comments: list[tuple[str, float, int | None, str]] = field(default_factory=list)
    voters: tuple[str, ...] = ()
    duplicate_of: str | None = None  # title of the original


QUESTIONS: list[DemoQuestion] = [
    DemoQuestion(
        "teacher1",
        "thai",
        "ป.1",
        24,
        "นักเรียน ป.1 อ่านสะกดคำไม่คล่อง ควรเริ่มแก้ปัญหาอย่างไรดีคะ",
        "ห้องเรียน ป.1 มีนักเรียน 18 คน ประมาณ 6 คนยังอ่านสะกดคำที่มีตัวสะกดไม่ได้ "
        "โดยเฉพาะแม่กน แม่กด ลองให้อ่านซ้ำหลายรอบแล้วแต่ยังจำไม่ได้\n\n"
        "อยากทราบว่าควรเริ่มจากตรงไหน และควรใช้เวลาวันละเท่าไรคะ",
        ("การอ่าน", "ป.1"),
        answers=[
            DemoAnswer(
                "supervisor1",
                3,
                "แนะนำให้เริ่มจาก **คัดกรองรายคน** ก่อนค่ะ ว่าแต่ละคนติดที่พยัญชนะ สระ หรือตัวสะกด\n\n"
                "1. แยกกลุ่มเล็ก 3–4 คน ฝึกวันละ 15–20 นาที ทุกวัน (สม่ำเสมอสำคัญกว่านาน)\n"
                "2. ใช้ *บัตรคำแจกลูก* ทีละมาตรา เริ่มแม่กก แม่กน ก่อน แล้วค่อยเพิ่ม\n"
                "3. อ่านพร้อมกัน → อ่านตาม → อ่านเอง และให้เพื่อนที่อ่านคล่องเป็นคู่บัดดี้\n"
                "4. บันทึกผลทุกสัปดาห์ จะเห็นความก้าวหน้าและปรับกลุ่มได้\n\n"
                "หากผ่านไป 4 สัปดาห์ยังไม่ดีขึ้น ให้ประสานครูการศึกษาพิเศษช่วยคัดกรองเพิ่มเติมค่ะ",
                accepted=True,
                voters=("t001", "t003", "schooldirector1", "t024"),
            ),
            DemoAnswer(
                "t003",
                30,
                "ที่โรงเรียนใช้เพลงแจกลูกสะกดคำตอนเช้าก่อนเข้าเรียน 10 นาที เด็กชอบมากครับ ได้ผลดี",
                voters=("teacher1",),
            ),
        ],
        comments=[
            ("teacher1", 5, 0, "ขอบคุณค่ะ จะลองแบ่งกลุ่มตามที่แนะนำ แล้วจะมาเล่าผลให้ฟังนะคะ"),
            ("supervisor1", 6, 0, "ยินดีค่ะ สัปดาห์หน้าจะแวะไปนิเทศที่โรงเรียนด้วยค่ะ"),
        ],
        voters=("t001", "t003", "t024", "schooldirector1", "teacher2"),
    ),
    DemoQuestion(
        "t009",
        "math",
        "ป.4",
        20,
        "สอนเศษส่วนให้นักเรียน ป.4 เข้าใจแบบไม่ท่องจำ มีสื่อหรือกิจกรรมอะไรแนะนำบ้างครับ",
        "นักเรียนบวกเศษส่วนโดยเอาตัวเศษบวกกันและตัวส่วนบวกกัน (เช่น 1/2 + 1/3 = 2/5) "
        "อธิบายหลายรอบแล้วยังผิดเหมือนเดิม อยากได้กิจกรรมที่ทำให้เห็นภาพครับ",
        ("เศษส่วน", "สื่อการสอน"),
        answers=[
            DemoAnswer(
                "supervisor2",
                20,
                "ข้อผิดพลาดแบบนี้พบบ่อยครับ เพราะนักเรียนยังไม่เห็นว่าเศษส่วนคือ *ส่วนของหนึ่งหน่วยที่เท่ากัน*\n\n"
                "- ใช้ **แถบกระดาษเศษส่วน** (fraction strips) ให้นักเรียนพับและตัดเอง\n"
                "- ให้วางแถบ 1/2 กับ 1/3 ต่อกัน แล้วถามว่ายาวเท่ากับ 2/5 หรือไม่\n"
                "- จากนั้นจึงพาหาแถบที่แบ่งเท่ากัน (1/6) นำไปสู่ ค.ร.น. เอง\n\n"
                "ถ้าต้องการ ผมมีใบกิจกรรมแถบเศษส่วนในคลังความรู้ครับ",
                accepted=True,
                voters=("t009", "t010", "t014"),
            ),
            DemoAnswer(
                "t014",
                26,
                "ลองใช้พิซซ่ากระดาษหรือขนมเค้กแบ่งส่วนจริงก็ได้ครับ นักเรียนจำได้แม่นขึ้น",
                voters=("t009",),
            ),
        ],
        voters=("t010", "t014", "teacher2"),
    ),
    DemoQuestion(
        "teacher2",
        "science",
        "ป.6",
        16,
        "ห้องวิทยาศาสตร์ไม่มีอุปกรณ์ทดลอง จะจัดกิจกรรมการทดลองให้นักเรียนอย่างไร",
        "โรงเรียนขนาดกลาง อุปกรณ์วิทยาศาสตร์ชำรุดเกือบหมด งบประมาณปีนี้ยังไม่ได้ "
        "แต่อยากให้นักเรียนได้ลงมือทดลองจริง มีแนวทางใช้ของใกล้ตัวไหมครับ",
        ("การทดลอง", "วัสดุเหลือใช้"),
        answers=[
            DemoAnswer(
                "supervisor2",
                6,
                "ทำได้หลายเรื่องด้วยของใกล้ตัวครับ เช่น\n\n"
                "| เรื่อง | วัสดุ |\n|---|---|\n| แรงและการเคลื่อนที่ | ขวดพลาสติก ลูกโป่ง หลอดดูด |\n"
                "| วงจรไฟฟ้า | ถ่านไฟฉาย ฟอยล์ หลอด LED |\n| สารละลาย | เกลือ น้ำตาล แก้วใส |\n\n"
                "เน้นให้นักเรียนตั้งคำถาม ออกแบบการทดลองเอง และบันทึกผล จะได้ทักษะกระบวนการครบครับ",
                voters=("teacher2", "t010"),
            ),
        ],
        comments=[("teacher2", 8, 0, "ขอบคุณครับ ตารางนี้ใช้ได้เลย")],
        voters=("t010",),
    ),
    DemoQuestion(
        "schooldirector1",
        None,
        None,
        14,
        "การจัดทำรายงานการประเมินตนเอง (SAR) ปีนี้ต้องปรับรูปแบบตามมาตรฐานใหม่หรือไม่",
        "ปีการศึกษานี้โรงเรียนยังใช้รูปแบบ SAR เดิม อยากทราบว่าเขตพื้นที่มีแนวทางใหม่ "
        "เรื่องการเขียนผลการดำเนินงานตามมาตรฐานการศึกษาหรือไม่ และต้องส่งภายในเมื่อไร",
        ("SAR", "ประกันคุณภาพ"),
        answers=[
            DemoAnswer(
                "supervisor1",
                26,
                "ปีนี้ใช้มาตรฐานการศึกษา 3 มาตรฐานเดิมค่ะ แต่ขอให้เน้น **หลักฐานเชิงประจักษ์** และผลที่เกิดกับผู้เรียน "
                "มากกว่าการบรรยายกิจกรรม\n\nกำหนดส่งภายใน 31 พฤษภาคม ผ่านระบบของเขตพื้นที่ "
                "ตัวอย่าง SAR ที่เขียนดีอยู่ในคลังความรู้หมวดประกันคุณภาพค่ะ",
                accepted=True,
                voters=("schooldirector1",),
            ),
        ],
    ),
    DemoQuestion(
        "t017",
        "special",
        "ป.3",
        12,
        "นักเรียนที่มีภาวะสมาธิสั้นในห้องเรียนรวม ครูควรปรับการสอนอย่างไร",
        "มีนักเรียน 2 คนที่แพทย์วินิจฉัยว่ามีภาวะสมาธิสั้น นั่งนิ่งได้ไม่เกิน 5 นาที "
        "และรบกวนเพื่อน ผู้ปกครองขอให้ช่วยดูแลเป็นพิเศษ ครูควรเริ่มอย่างไรดีคะ",
        ("ห้องเรียนรวม", "สมาธิสั้น"),
        anonymous=True,
        answers=[
            DemoAnswer(
                "supervisor6",
                9,
                "แนะนำแนวทางนี้ค่ะ\n\n1. ให้นั่งใกล้ครู ห่างประตูและหน้าต่าง\n"
                "2. แบ่งงานเป็นชิ้นสั้น ๆ 5–10 นาที มีเช็กลิสต์ให้ขีดเมื่อทำเสร็จ\n"
                "3. ให้มีบทบาทได้ลุกเคลื่อนไหว เช่น แจกสมุด ลบกระดาน\n"
                "4. ชมทันทีเมื่อทำพฤติกรรมที่ต้องการ\n\n"
                "และควรจัดทำแผนการจัดการศึกษาเฉพาะบุคคล (IEP) ร่วมกับผู้ปกครองค่ะ "
                "ศูนย์การศึกษาพิเศษประจำจังหวัดช่วยได้",
                accepted=True,
                voters=("t016", "t018", "t019"),
            ),
        ],
        comments=[("t019", 20, 0, "ใช้วิธีข้อ 3 แล้วได้ผลดีมากค่ะ")],
        voters=("t016", "t018"),
    ),
    DemoQuestion(
        "t024",
        "foreign",
        "ป.5",
        10,
        "กิจกรรม speaking สำหรับนักเรียนที่ไม่กล้าพูดภาษาอังกฤษ",
        "นักเรียน ป.5 ส่วนใหญ่อายที่จะพูดภาษาอังกฤษหน้าชั้น กลัวเพื่อนหัวเราะเวลาออกเสียงผิด "
        "มีกิจกรรมที่ช่วยให้กล้าพูดขึ้นไหมคะ",
        ("speaking", "ภาษาอังกฤษ"),
        answers=[
            DemoAnswer(
                "supervisor4",
                28,
                "เริ่มจากกิจกรรมที่พูดพร้อมกันหรือพูดเป็นคู่ก่อนค่ะ ไม่ต้องพูดหน้าชั้นทันที\n\n"
                "- **Chant และเพลง** พูดพร้อมกันทั้งห้อง\n- **Information gap** เป็นคู่ เช่น หาของในภาพที่ต่างกัน\n"
                "- **Role play** สั้น ๆ ใช้หุ่นมือ เด็กจะกล้าพูดผ่านหุ่น\n\n"
                "สำคัญคือครูชมความพยายาม ไม่แก้คำผิดกลางประโยคค่ะ",
                voters=("t024", "t001"),
            ),
        ],
        comments=[
            ("t024", 40, 0, "หุ่นมือนี่น่าสนใจมากค่ะ จะลองทำกับนักเรียน"),
            ("t003", 50, None, "ขอติดตามด้วยคนครับ มีปัญหาเดียวกัน"),
        ],
        voters=("t001",),
    ),
    DemoQuestion(
        "t001",
        "early",
        "อ.2",
        12,
        "เด็กอนุบาลไม่ยอมนอนกลางวัน ครูควรจัดกิจกรรมช่วงบ่ายอย่างไร",
        "เด็กอนุบาล 2 ประมาณครึ่งห้องไม่ยอมนอนกลางวัน วิ่งเล่นและรบกวนเพื่อนที่หลับ "
        "ผู้ปกครองบางคนก็ขอไม่ให้ลูกนอนเพราะกลางคืนนอนยาก ควรจัดการอย่างไรคะ",
        ("ปฐมวัย", "กิจวัตรประจำวัน"),
    ),
    DemoQuestion(
        "t010",
        "health",
        "ป.5",
        9,
        "การทดสอบสมรรถภาพทางกายนักเรียนประถม ใช้เกณฑ์ของกรมพลศึกษาฉบับไหน",
        "ปีนี้ต้องรายงานผลการทดสอบสมรรถภาพทางกายนักเรียน ป.4–ป.6 "
        "ไม่แน่ใจว่าควรใช้เกณฑ์มาตรฐานฉบับล่าสุดปีไหน และมีแบบบันทึกกลางหรือไม่ครับ",
        ("สมรรถภาพทางกาย",),
        answers=[
            DemoAnswer(
                "supervisor5",
                50,
                "ใช้แบบทดสอบและเกณฑ์มาตรฐานสมรรถภาพทางกายของกรมพลศึกษาฉบับล่าสุดครับ "
                "มีรายการ นั่งงอตัว ลุก-นั่ง ดันพื้น และยืนยกเข่าขึ้นลง 3 นาที\n\n"
                "แบบบันทึกกลางเป็นไฟล์ Excel อยู่ในคลังความรู้ หมวดสุขศึกษาและพลศึกษาครับ",
                voters=("t010",),
            ),
        ],
    ),
    DemoQuestion(
        "t018",
        "career",
        "ม.2",
        5,
        "โครงงานอาชีพบูรณาการกับชุมชน ควรประเมินผลอย่างไรให้ครอบคลุม",
        "นักเรียน ม.2 ทำโครงงานแปรรูปผลผลิตในชุมชน (กล้วยตาก ปลาแดดเดียว) "
        "อยากประเมินทั้งกระบวนการและผลงาน ควรออกแบบเกณฑ์การให้คะแนนอย่างไรครับ",
        ("โครงงาน", "การวัดผล", "rubric"),
    ),
    DemoQuestion(
        "t014",
        "social",
        "ป.6",
        18,
        "สอนหน้าที่พลเมืองให้สนุก มีเกมหรือกิจกรรมแนะนำไหมครับ",
        "เนื้อหาหน้าที่พลเมือง ป.6 ค่อนข้างเป็นนามธรรม นักเรียนเบื่อง่าย อยากได้กิจกรรมที่ให้นักเรียนลงมือทำครับ",
        ("หน้าที่พลเมือง", "เกม"),
        answers=[
            DemoAnswer(
                "t010",
                4,
                "ผมจัด **การเลือกตั้งสภานักเรียนจำลอง** ให้นักเรียนหาเสียง ทำบัตรเลือกตั้ง นับคะแนนเอง "
                "นักเรียนสนุกและเข้าใจกระบวนการประชาธิปไตยมากครับ",
                accepted=True,
                voters=("t014", "t009"),
            ),
            DemoAnswer(
                "supervisor5",
                30,
                "เสริมจากคุณครูครับ ลองใช้ *กรณีศึกษาปัญหาในชุมชน* ให้นักเรียนเสนอทางแก้และนำเสนอต่อผู้นำชุมชน "
                "จะได้ทั้งหน้าที่พลเมืองและทักษะการคิดครับ",
                voters=("t014",),
            ),
        ],
        voters=("t009", "t010"),
    ),
    DemoQuestion(
        "t002",
        "arts",
        "ป.4",
        7,
        "ครูไม่ได้จบดนตรีแต่ต้องสอนดนตรี ป.4 ควรเริ่มต้นอย่างไรดี",
        "โรงเรียนขนาดเล็ก ครูไม่ครบชั้น ได้รับมอบหมายให้สอนดนตรี ป.4 ทั้งที่ไม่ได้จบเอกดนตรี "
        "มีเครื่องดนตรีแค่ขลุ่ยเพียงออและกลองไม่กี่ใบค่ะ",
        ("ดนตรี", "โรงเรียนขนาดเล็ก"),
        answers=[
            DemoAnswer(
                "supervisor4",
                22,
                "เริ่มจากสิ่งที่ครูถนัดค่ะ เช่น ร้องเพลงและเคาะจังหวะ ไม่จำเป็นต้องเล่นเครื่องดนตรีเก่ง\n\n"
                "- ใช้คลิปสอนขลุ่ยเพียงออเบื้องต้นของ สพฐ. เปิดพร้อมกันทั้งห้อง\n"
                "- ทำเครื่องเคาะจากขวดและกระป๋อง\n- เชิญปราชญ์ชาวบ้านด้านดนตรีพื้นบ้าน (หนังตะลุง โนรา) มาสอน",
                voters=("t002",),
            ),
        ],
    ),
    DemoQuestion(
        "t021",
        "math",
        "ป.6",
        30,
        "เตรียมนักเรียน ป.6 สอบ O-NET คณิตศาสตร์ในเวลา 2 เดือน ควรวางแผนอย่างไร",
        "ผลสอบ O-NET คณิตศาสตร์ปีที่แล้วต่ำกว่าระดับประเทศ ปีนี้เหลือเวลาประมาณ 2 เดือน "
        "ควรเน้นเนื้อหาไหนก่อน และจัดเวลาอย่างไรครับ",
        ("O-NET", "คณิตศาสตร์"),
        answers=[
            DemoAnswer(
                "supervisor6",
                12,
                "1. วิเคราะห์ผลสอบปีก่อนรายสาระ หาจุดอ่อน 2–3 เรื่อง\n"
                "2. สัปดาห์ละ 3 คาบ ทำข้อสอบย้อนหลังทีละเรื่อง แล้วเฉลยแบบอธิบายวิธีคิด\n"
                "3. สัปดาห์สุดท้ายจับเวลาทำข้อสอบเสมือนจริง\n\nเน้นโจทย์ปัญหาและการอ่านโจทย์ค่ะ",
                voters=("t021", "t022"),
            ),
            DemoAnswer(
                "supervisor2",
                30,
                "เสริมครับ ข้อสอบช่วงหลังเน้นการให้เหตุผล ลองให้นักเรียนอธิบายวิธีคิดเป็นคำพูดทุกข้อ "
                "และใช้ข้อสอบแบบเติมคำตอบด้วยครับ",
                accepted=True,
                voters=("t021",),
            ),
        ],
        voters=("t022",),
    ),
    DemoQuestion(
        "t005",
        "thai",
        "ป.1",
        4,
        "เด็ก ป.1 อ่านหนังสือไม่ออก ควรทำอย่างไร",
        "ในห้องมีเด็กอ่านไม่ออกหลายคน ขอวิธีสอนค่ะ",
        ("การอ่าน",),
        duplicate_of="นักเรียน ป.1 อ่านสะกดคำไม่คล่อง ควรเริ่มแก้ปัญหาอย่างไรดีคะ",
    ),
    DemoQuestion(
        "t016",
        "science",
        "ป.5",
        15,
        "สอนวิทยาการคำนวณแบบ unplugged อย่างไรเมื่อคอมพิวเตอร์ไม่พอ",
        "โรงเรียนบนเกาะมีคอมพิวเตอร์ใช้ได้ 5 เครื่อง นักเรียน ป.5 มี 25 คน "
        "อยากสอนแนวคิดเชิงคำนวณโดยไม่ต้องใช้คอมพิวเตอร์ครับ",
        ("coding", "unplugged"),
        answers=[
            DemoAnswer(
                "supervisor3",
                8,
                "กิจกรรม unplugged ที่ใช้ได้ดีค่ะ\n\n- **หุ่นยนต์มนุษย์**: ให้เพื่อนเดินตามคำสั่งลูกศรบนพื้น\n"
                "- **เรียงลำดับบัตรตัวเลข** สอนอัลกอริทึมการเรียงลำดับ\n"
                "- **รหัสลับ** ด้วยเลขฐานสองจากบัตรจุด\n\nแล้วค่อยใช้คอมพิวเตอร์ 5 เครื่องเป็นสถานีหมุนเวียนค่ะ",
                accepted=True,
                voters=("t016", "t017", "t018"),
            ),
        ],
        voters=("t017", "t018"),
    ),
    DemoQuestion(
        "teacher1",
        "thai",
        "ป.3",
        1,
        "การวัดผลการอ่านจับใจความ ป.3 ควรใช้เกณฑ์ rubric แบบไหน",
        "อยากทำเกณฑ์ประเมินการอ่านจับใจความที่ครูในโรงเรียนใช้ร่วมกันได้ "
        "ควรมีกี่ระดับ และแต่ละระดับเขียนคำอธิบายอย่างไรคะ",
        ("rubric", "การอ่าน"),
    ),
    DemoQuestion(
        "staff1",
        None,
        None,
        3,
        "ย้ายนักเรียนกลางภาคเรียนในระบบ DMC ต้องเตรียมเอกสารอะไรบ้าง",
        "ผู้ปกครองขอย้ายนักเรียนไปโรงเรียนต่างจังหวัดกลางภาคเรียน "
        "ต้องออกเอกสารอะไรบ้าง และต้องจำหน่ายนักเรียนในระบบ DMC เมื่อไรคะ",
        ("DMC", "งานทะเบียน"),
    ),
    DemoQuestion(
        "t023",
        "activity",
        "ป.4",
        11,
        "จัดตารางกิจกรรมลูกเสือ-เนตรนารีอย่างไรเมื่อครูไม่ครบชั้น",
        "โรงเรียนมีครู 5 คน นักเรียน 6 ชั้น ต้องจัดกิจกรรมลูกเสือให้ครบชั่วโมง มีวิธีจัดกลุ่มรวมชั้นที่ถูกต้องตามหลักสูตรไหมครับ",
        ("ลูกเสือ", "โรงเรียนขนาดเล็ก"),
        answers=[
            DemoAnswer(
                "supervisor6",
                30,
                "จัดแบบคละชั้นได้ค่ะ เช่น ลูกเสือสำรอง ป.1–3 รวมกัน และลูกเสือสามัญ ป.4–6 รวมกัน "
                "โดยจัดกิจกรรมเป็นฐานตามระดับทักษะ และบันทึกเวลาเรียนแยกรายชั้นให้ครบ 40 ชั่วโมงต่อปีค่ะ",
                accepted=True,
                voters=("t023",),
            ),
        ],
    ),
    DemoQuestion(
        "t004",
        "math",
        "ป.2",
        8,
        "นักเรียน ป.2 คิดเลขในใจไม่ได้ ควรฝึกวันละกี่นาที",
        "นักเรียนยังนับนิ้วบวกเลขหลักเดียว อยากฝึกให้คิดเลขเร็วขึ้นโดยไม่เครียดค่ะ",
        ("คิดเลขเร็ว",),
        answers=[
            DemoAnswer(
                "t006",
                10,
                "ที่โรงเรียนฝึกวันละ 5 นาทีก่อนเริ่มคาบ ใช้เกมบัตรคู่ผลบวก 10 ได้ผลดีค่ะ",
                voters=("t004",),
            ),
        ],
    ),
    DemoQuestion(
        "t011",
        "foreign",
        "ม.1",
        6,
        "ใช้ AI ช่วยตรวจงานเขียนภาษาอังกฤษของนักเรียน เหมาะสมหรือไม่",
        "อยากใช้เครื่องมือ AI ช่วยตรวจไวยากรณ์งานเขียนของนักเรียน 40 คน "
        "กังวลเรื่องความถูกต้องและข้อมูลส่วนบุคคลของนักเรียนค่ะ",
        ("AI", "การเขียน", "PDPA"),
        answers=[
            DemoAnswer(
                "supervisor4",
                5,
                "ใช้ได้ค่ะ แต่ควร\n\n1. ไม่ใส่ชื่อหรือข้อมูลส่วนบุคคลของนักเรียนในเครื่องมือ\n"
                "2. ใช้ AI เป็นผู้ช่วยชี้จุด ครูเป็นผู้ตัดสินคะแนนเอง\n"
                "3. สอนนักเรียนให้ใช้ AI ตรวจงานตนเองอย่างมีวิจารณญาณ",
                accepted=True,
                voters=("t011", "t012"),
            ),
        ],
        voters=("t012",),
    ),
    DemoQuestion(
        "teacher2",
        "science",
        None,
        22,
        "ขอแนวทางทำวิจัยในชั้นเรียนแบบง่าย ๆ ที่ใช้ได้จริง",
        "อยากทำวิจัยในชั้นเรียนเพื่อแก้ปัญหานักเรียนไม่ส่งงาน แต่ไม่มีเวลาทำเล่มหนา ๆ "
        "มีรูปแบบวิจัยหน้าเดียวที่ยอมรับได้ไหมครับ",
        ("วิจัยในชั้นเรียน",),
        answers=[
            DemoAnswer(
                "supervisor2",
                40,
                "ทำ **วิจัยหน้าเดียว** ได้ครับ ประกอบด้วย ชื่อเรื่อง ปัญหา วิธีแก้ (นวัตกรรม) ผลก่อน–หลัง และข้อสรุป\n\n"
                "ตัวอย่าง: ใช้ตารางติดตามงานรายสัปดาห์และแจ้งผู้ปกครองทาง LINE แล้วเทียบอัตราการส่งงาน 4 สัปดาห์",
                accepted=True,
                voters=("teacher2", "t009", "t010"),
            ),
        ],
        voters=("t009",),
    ),
]

# A comment some teacher found unsuitable: left pending in the moderation queue.
REPORTED_COMMENT = (
    "สอนวิทยาการคำนวณแบบ unplugged อย่างไรเมื่อคอมพิวเตอร์ไม่พอ",
    "t020",
    "รับทำผลงานวิชาการ เลื่อนวิทยฐานะ ราคาถูก ติดต่อไลน์ส่วนตัว",
    "t017",
)


def _users() -> dict[str, User]:
    return {user.username: user for user in db.session.scalars(select(User))}


def _max_notification_id() -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def _stamp_notifications(since_id: int, at: datetime) -> None:
    """Notifications made by the last action carry the time the action happened; those older than
    two days count as read."""
    read_at = at + timedelta(hours=2) if at < utcnow() - timedelta(days=2) else None
    db.session.execute(
        update(Notification)
        .where(Notification.id > since_id)
        .values(created_at=at, read_at=read_at)
    )


def _timed(at: datetime, action):
    before = _max_notification_id()
    result = action()
    db.session.flush()
    _stamp_notifications(before, at)
    return result


def _seed_question(spec: DemoQuestion, users: dict[str, User], areas, grades, now) -> None:
    asked_at = now - timedelta(days=spec.days_ago)
    asker = users[spec.asker]
    question = _timed(
        asked_at,
        lambda: services.ask_question(
            asker,
            title=spec.title,
            body=spec.body,
            learning_area_id=areas[spec.area].id if spec.area else None,
            grade_level_id=grades[spec.grade].id if spec.grade else None,
            tags=list(spec.tags),
            anonymous=spec.anonymous,
            now=asked_at,
        ),
    )
    answers = []
    for item in spec.answers:
        at = asked_at + timedelta(hours=item.after_hours)
        answers.append(
            _timed(
                at,
                lambda item=item, at=at: services.post_answer(
                    question, users[item.author], item.body, now=at
                ),
            )
        )
    for author, after_hours, index, body in spec.comments:
        at = asked_at + timedelta(hours=after_hours)
        target = answers[index] if index is not None else None
        _timed(
            at,
            lambda a=author, b=body, t=target, at=at: services.post_comment(
                question, users[a], b, t, now=at
            ),
        )
    for item, answer in zip(spec.answers, answers, strict=True):
        for voter in item.voters:
            services.toggle_vote(answer, users[voter])
        if item.accepted:
            at = answer.created_at + timedelta(hours=5)
            _timed(at, lambda answer=answer, at=at: services.accept_answer(answer, asker, now=at))
    for voter in spec.voters:
        services.toggle_vote(question, users[voter])
    if spec.duplicate_of:
        original = db.session.scalar(select(Question).where(Question.title == spec.duplicate_of))
        at = asked_at + timedelta(hours=2)
        _timed(
            at,
            lambda: moderation.close_question(
                question,
                users["supervisor1"],
                "duplicate",
                "คำถามนี้มีคำตอบละเอียดแล้วในคำถามต้นฉบับ ลองอ่านแล้วถามต่อในความคิดเห็นได้เลยค่ะ",
                original,
            ),
        )


def seed_questions() -> None:
    users = _users()
    if "teacher1" not in users:
        return
    areas = {area.code: area for area in db.session.scalars(select(LearningArea))}
    grades = {grade.code: grade for grade in db.session.scalars(select(GradeLevel))}
    existing = set(db.session.scalars(select(Question.title)))
    now = utcnow().replace(second=0, microsecond=0)
    for spec in QUESTIONS:
        if spec.title not in existing:
            _seed_question(spec, users, areas, grades, now)
    _seed_report(users, existing)
    db.session.flush()
    # Demo notifications are history, not news: nothing is pushed live for them.
    db.session.info.pop(PENDING_KEY, None)


def _seed_report(users: dict[str, User], existing: set[str]) -> None:
    title, author, body, reporter = REPORTED_COMMENT
    if title in existing:
        return
    question = db.session.scalar(select(Question).where(Question.title == title))
    if question is None:
        return
    at = question.created_at + timedelta(days=1)
    comment = _timed(at, lambda: services.post_comment(question, users[author], body, now=at))
    _timed(
        at + timedelta(hours=1),
        lambda: moderation.report_post(
            comment, users[reporter], "spam", "โฆษณารับทำผลงาน ไม่เกี่ยวกับคำถาม"
        ),
    )
