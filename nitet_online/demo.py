"""Demo data that looks like a real office: สพป.พัทลุง เขต 2, its networks, schools, supervisors
and teachers. Idempotent: running it again changes nothing that is already there.

Each feature declares its own demo content with `plug.demo_step(step, order=...)` in its setup
(nitet_online/plugins.py); `seed_demo` runs the app's steps by order: people before what they
write, sites before the news and answers that link to them.
"""

from __future__ import annotations

import random

from sqlalchemy import func, select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, Office, School, SchoolSize

DEMO_PASSWORD = "nitet-demo"

NETWORKS = {
    "กลุ่มเครือข่ายเขาชัยสน": "เขาชัยสน",
    "กลุ่มเครือข่ายป่าบอน-โคกทราย": "ป่าบอน",
    "กลุ่มเครือข่ายปากพะยูน": "ปากพะยูน",
}

# (code, name, network, subdistrict, size)
SCHOOLS: list[tuple[str, str, str, str, SchoolSize]] = [
    ("1093350001", "โรงเรียนวัดเขาชัยสน", "กลุ่มเครือข่ายเขาชัยสน", "เขาชัยสน", SchoolSize.MEDIUM),
    ("1093350002", "โรงเรียนบ้านควนขนุน", "กลุ่มเครือข่ายเขาชัยสน", "ควนขนุน", SchoolSize.SMALL),
    ("1093350003", "โรงเรียนวัดโคกม่วง", "กลุ่มเครือข่ายเขาชัยสน", "โคกม่วง", SchoolSize.SMALL),
    ("1093350004", "โรงเรียนบ้านหานโพธิ์", "กลุ่มเครือข่ายเขาชัยสน", "หานโพธิ์", SchoolSize.SMALL),
    ("1093350005", "โรงเรียนชุมชนบ้านจองถนน", "กลุ่มเครือข่ายเขาชัยสน", "จองถนน", SchoolSize.LARGE),
    ("1093350006", "โรงเรียนวัดป่าตอ", "กลุ่มเครือข่ายเขาชัยสน", "เขาชัยสน", SchoolSize.SMALL),
    ("1093350007", "โรงเรียนบ้านท่าควาย", "กลุ่มเครือข่ายเขาชัยสน", "ควนขนุน", SchoolSize.SMALL),
    ("1093350008", "โรงเรียนอนุบาลเขาชัยสน", "กลุ่มเครือข่ายเขาชัยสน", "เขาชัยสน", SchoolSize.LARGE),
    ("1093350009", "โรงเรียนบ้านป่าบอน", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "ป่าบอน", SchoolSize.MEDIUM),
    ("1093350010", "โรงเรียนบ้านโคกทราย", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "โคกทราย", SchoolSize.MEDIUM),
    ("1093350011", "โรงเรียนบ้านหนองธง", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "หนองธง", SchoolSize.SMALL),
    ("1093350012", "โรงเรียนวัดทุ่งนารี", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "ทุ่งนารี", SchoolSize.SMALL),
    ("1093350013", "โรงเรียนบ้านวังใหม่", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "วังใหม่", SchoolSize.SMALL),
    ("1093350014", "โรงเรียนบ้านทุ่งยาว", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "ป่าบอน", SchoolSize.SMALL),
    ("1093350015", "โรงเรียนอนุบาลป่าบอน", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "ป่าบอน", SchoolSize.LARGE),
    ("1093350016", "โรงเรียนบ้านควนอินนอโม", "กลุ่มเครือข่ายป่าบอน-โคกทราย", "โคกทราย", SchoolSize.SMALL),
    ("1093350017", "โรงเรียนบ้านแหลมดิน", "กลุ่มเครือข่ายปากพะยูน", "ดอนประดู่", SchoolSize.SMALL),
    ("1093350018", "โรงเรียนบ้านเกาะหมาก", "กลุ่มเครือข่ายปากพะยูน", "เกาะหมาก", SchoolSize.SMALL),
    ("1093350019", "โรงเรียนบ้านเกาะนางคำ", "กลุ่มเครือข่ายปากพะยูน", "เกาะนางคำ", SchoolSize.SMALL),
    ("1093350020", "โรงเรียนวัดดอนศาลา", "กลุ่มเครือข่ายปากพะยูน", "ดอนทราย", SchoolSize.MEDIUM),
    ("1093350021", "โรงเรียนบ้านหัวป่า", "กลุ่มเครือข่ายปากพะยูน", "ปากพะยูน", SchoolSize.SMALL),
    ("1093350022", "โรงเรียนชุมชนบ้านปากพะยูน", "กลุ่มเครือข่ายปากพะยูน", "ปากพะยูน", SchoolSize.LARGE),
    ("1093350023", "โรงเรียนบ้านเกาะเภา", "กลุ่มเครือข่ายปากพะยูน", "ฝาละมี", SchoolSize.SMALL),
    ("1093350024", "โรงเรียนบ้านฝาละมี", "กลุ่มเครือข่ายปากพะยูน", "ฝาละมี", SchoolSize.SMALL),
]

# (username, title, first, last, rank, learning area codes, network names, school codes)
SUPERVISORS: list[tuple[str, str, str, str, str, list[str], list[str], list[str]]] = [
    (
        "supervisor1",
        "นางสาว",
        "วิไลวรรณ",
        "ศรีสุวรรณ",
        "ชำนาญการพิเศษ",
        ["thai", "early"],
        ["กลุ่มเครือข่ายเขาชัยสน"],
        ["1093350001", "1093350002", "1093350005"],
    ),
    (
        "supervisor2",
        "นาย",
        "ประเสริฐ",
        "ทองคำ",
        "ชำนาญการพิเศษ",
        ["math", "science"],
        ["กลุ่มเครือข่ายป่าบอน-โคกทราย"],
        ["1093350009", "1093350010"],
    ),
    (
        "supervisor3",
        "ดร.",
        "สุภาพร",
        "แก้วมณี",
        "เชี่ยวชาญ",
        ["science", "career"],
        ["กลุ่มเครือข่ายปากพะยูน"],
        ["1093350018", "1093350019"],
    ),
    (
        "supervisor4",
        "นาง",
        "จันทร์เพ็ญ",
        "บุญรักษ์",
        "ชำนาญการ",
        ["foreign", "arts"],
        ["กลุ่มเครือข่ายเขาชัยสน"],
        [],
    ),
    (
        "supervisor5",
        "นาย",
        "ธีรพงษ์",
        "นิลสุวรรณ",
        "ชำนาญการพิเศษ",
        ["social", "health"],
        ["กลุ่มเครือข่ายป่าบอน-โคกทราย"],
        [],
    ),
    (
        "supervisor6",
        "นางสาว",
        "กนกวรรณ",
        "ชูแก้ว",
        "ชำนาญการ",
        ["special", "activity", "math"],
        ["กลุ่มเครือข่ายปากพะยูน"],
        [],
    ),
]

FIRST_NAMES_F = [
    "สมใจ",
    "พรทิพย์",
    "สุนิสา",
    "กาญจนา",
    "รัตนา",
    "อรุณี",
    "จิราพร",
    "ศิริพร",
    "นงลักษณ์",
    "วรรณา",
]
FIRST_NAMES_M = ["สมชาย", "ประยุทธ", "อนุชา", "วีระ", "ชัยวัฒน์", "สุรชัย", "ณัฐพล", "กิตติ", "ปิยะ", "ธนากร"]
LAST_NAMES = [
    "ใจดี",
    "ทองสุข",
    "แก้วประเสริฐ",
    "ศรีทอง",
    "บุญมา",
    "รักษ์ไทย",
    "จันทร์หอม",
    "สุขสวัสดิ์",
    "เพชรรัตน์",
    "นาคสวัสดิ์",
    "หนูแก้ว",
    "ชุมทอง",
    "คงแก้ว",
    "ขาวผ่อง",
]


def _ensure_user(username: str, **fields) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is not None:
        return user
    user = User(username=username, status=AccountStatus.ACTIVE, **fields)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    return user


def seed_organisation() -> None:
    if Office.current() is None:
        db.session.add(
            Office(
                name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2",
                abbreviation="สพป.พัทลุง เขต 2",
                address="ถนนเอเซีย 41 ตำบลควนขนุน อำเภอเขาชัยสน จังหวัดพัทลุง 93130",
                phone="074-000-000",
                email="nitet@example.go.th",
                line_id="@nitetptl2",
            )
        )
    networks = {}
    for name, district in NETWORKS.items():
        network = db.session.scalar(select(Network).where(Network.name == name))
        if network is None:
            network = Network(name=name, description=f"โรงเรียนในอำเภอ{district}และใกล้เคียง")
            db.session.add(network)
        networks[name] = network
    for code, name, network_name, subdistrict, size in SCHOOLS:
        if db.session.scalar(select(School.id).where(School.code == code)):
            continue
        db.session.add(
            School(
                code=code,
                name=name,
                network=networks[network_name],
                district=NETWORKS[network_name],
                subdistrict=subdistrict,
                province="พัทลุง",
                size=size,
            )
        )
    db.session.flush()


def seed_people() -> None:
    schools = {s.code: s for s in db.session.scalars(select(School))}
    areas = {a.code: a for a in db.session.scalars(select(LearningArea))}
    networks = {n.name: n for n in db.session.scalars(select(Network))}
    _ensure_user(
        "admin",
        email="admin@nitet.example",
        title="นาย",
        first_name="ผู้ดูแล",
        last_name="ระบบ",
        role=Role.ADMIN,
        position="นักวิชาการคอมพิวเตอร์",
    )
    _ensure_user(
        "director1",
        email="director1@nitet.example",
        title="นาย",
        first_name="สุเมธ",
        last_name="รัตนพันธ์",
        role=Role.DIRECTOR,
        position="ผู้อำนวยการกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    )
    for username, title, first, last, rank, area_codes, network_names, school_codes in SUPERVISORS:
        user = _ensure_user(
            username,
            email=f"{username}@nitet.example",
            title=title,
            first_name=first,
            last_name=last,
            role=Role.SUPERVISOR,
            position="ศึกษานิเทศก์",
            academic_rank=rank,
            phone="08" + username[-1] * 8,
            line_id=f"nitet.{username}",
        )
        if not user.learning_areas:
            user.learning_areas = [areas[c] for c in area_codes]
            user.responsible_networks = [networks[n] for n in network_names]
            user.responsible_schools = [schools[c] for c in school_codes]
    _ensure_user(
        "schooldirector1",
        email="schooldirector1@nitet.example",
        title="นาย",
        first_name="วิชัย",
        last_name="พรหมแก้ว",
        role=Role.SCHOOL_DIRECTOR,
        school=schools["1093350002"],
        position="ผู้อำนวยการโรงเรียน",
        academic_rank="ชำนาญการพิเศษ",
    )
    _ensure_user(
        "teacher1",
        email="teacher1@nitet.example",
        title="นางสาว",
        first_name="สมใจ",
        last_name="ใจดี",
        role=Role.TEACHER,
        school=schools["1093350002"],
        position="ครู",
        academic_rank="ชำนาญการ",
    )
    _ensure_user(
        "teacher2",
        email="teacher2@nitet.example",
        title="นาย",
        first_name="อนุชา",
        last_name="ทองสุข",
        role=Role.TEACHER,
        school=schools["1093350010"],
        position="ครู",
    )
    _ensure_user(
        "staff1",
        email="staff1@nitet.example",
        title="นาง",
        first_name="รัตนา",
        last_name="บุญมา",
        role=Role.STAFF,
        position="เจ้าหน้าที่ธุรการ",
    )
    _seed_teachers(list(schools.values()))
    db.session.flush()


def _seed_teachers(schools: list[School], count: int = 44) -> None:
    """Generated teachers t001…t044 spread over the schools, the same every run."""
    rng = random.Random(2569)
    existing = db.session.scalar(select(func.count(User.id)).where(User.username.like("t0%")))
    if existing:
        return
    schools = sorted(schools, key=lambda s: s.code)
    for number in range(1, count + 1):
        female = rng.random() < 0.65
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        title = rng.choice(["นาง", "นางสาว"]) if female else "นาย"
        _ensure_user(
            f"t{number:03d}",
            email=f"t{number:03d}@school.nitet.example",
            title=title,
            first_name=first,
            last_name=rng.choice(LAST_NAMES),
            role=Role.TEACHER,
            school=schools[number % len(schools)],
            position="ครู" if rng.random() < 0.8 else "ครูผู้ช่วย",
            academic_rank=rng.choice(["", "ชำนาญการ", "ชำนาญการพิเศษ"]),
        )


# The order of each feature's demo step (plug.demo_step): people before what they write, sites
# before the news and answers that link to them.
DEMO_ORDER = {
    "organisation": 10,
    "people": 20,
    "surveys": 30,  # evaluation forms
    "stats": 40,  # visit statistics of the last months
    "best_practices": 50,  # showcase works in every review state
    "honours": 60,
    "chat": 70,  # public rooms, a PLC group room, Thai messages, a teacher–supervisor DM
    "privacy": 80,  # a pending PDPA deletion request from teacher t044
    "supervisors": 90,  # personal sites with sub-pages
    "news": 100,  # news and training
    "questions": 110,  # questions, answers by the responsible supervisors, notifications
    "knowledge": 120,  # every kind, a PDF manual, a video, one pending, one draft
}


def seed_demo() -> None:
    from nitet_online.plugins import plugins

    for step in plugins().ordered_demo_steps():
        step()
    db.session.commit()


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))
