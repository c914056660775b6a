"""Reference data every office has from the first start: learning areas and grade levels.

Plain data so that the first migration can insert it without importing models.
"""

from __future__ import annotations

# (code, name, sort order): the eight learning areas of the core curriculum, then the others.
LEARNING_AREAS: list[tuple[str, str, int]] = [
    ("thai", "ภาษาไทย", 1),
    ("math", "คณิตศาสตร์", 2),
    ("science", "วิทยาศาสตร์และเทคโนโลยี", 3),
    ("social", "สังคมศึกษา ศาสนาและวัฒนธรรม", 4),
    ("health", "สุขศึกษาและพลศึกษา", 5),
    ("arts", "ศิลปะ", 6),
    ("career", "การงานอาชีพ", 7),
    ("foreign", "ภาษาต่างประเทศ", 8),
    ("early", "ปฐมวัย", 9),
    ("special", "การศึกษาพิเศษ", 10),
    ("activity", "กิจกรรมพัฒนาผู้เรียน", 11),
]

STAGE_EARLY = "ปฐมวัย"
STAGE_PRIMARY = "ประถมศึกษา"
STAGE_LOWER_SECONDARY = "มัธยมศึกษาตอนต้น"
STAGE_UPPER_SECONDARY = "มัธยมศึกษาตอนปลาย"

# (code, name, stage, sort order)
GRADE_LEVELS: list[tuple[str, str, str, int]] = [
    *[(f"อ.{n}", f"อนุบาล {n}", STAGE_EARLY, n) for n in range(1, 4)],
    *[(f"ป.{n}", f"ประถมศึกษาปีที่ {n}", STAGE_PRIMARY, 10 + n) for n in range(1, 7)],
    *[(f"ม.{n}", f"มัธยมศึกษาปีที่ {n}", STAGE_LOWER_SECONDARY, 20 + n) for n in range(1, 4)],
    *[(f"ม.{n}", f"มัธยมศึกษาปีที่ {n}", STAGE_UPPER_SECONDARY, 20 + n) for n in range(4, 7)],
]

TITLES = ["นาย", "นาง", "นางสาว", "ดร.", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง", "ว่าที่ร.ต.", "ผศ.ดร."]

ACADEMIC_RANKS = [
    "ชำนาญการ",
    "ชำนาญการพิเศษ",
    "เชี่ยวชาญ",
    "เชี่ยวชาญพิเศษ",
]
