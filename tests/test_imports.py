"""Bulk import of schools and users from CSV and Excel: good rows kept, bad rows reported by line,
broken files refused with a Thai message, oversized uploads refused without a 500."""

import io

from openpyxl import Workbook

from nitet_online.accounts.models import Role, User
from nitet_online.extensions import db
from nitet_online.org.models import Network, School, SchoolSize
from tests.conftest import login


def _upload(client, kind, filename, payload: bytes):
    return client.post(
        f"/admin/import/{kind}",
        data={"file": (io.BytesIO(payload), filename)},
        content_type="multipart/form-data",
    )


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SCHOOLS_CSV = """code,name,district,size,network
1093351001,โรงเรียนบ้านใหม่พัฒนา,ป่าบอน,เล็ก,กลุ่มเครือข่ายใหม่
12AB,โรงเรียนรหัสผิด,ป่าบอน,เล็ก,
1093351002,,ป่าบอน,กลาง,
1093351003,โรงเรียนบ้านคลองใหญ่,บางแก้ว,ยักษ์,
1093350001,โรงเรียนวัดเขาชัยสน (ปรับปรุง),เขาชัยสน,ใหญ่,
1093351001,โรงเรียนซ้ำในไฟล์,ป่าบอน,เล็ก,
"""


def test_school_csv_import_keeps_good_rows_and_reports_bad_ones(demo_app, demo_client):
    login(demo_client, "admin")
    response = _upload(demo_client, "schools", "schools.csv", SCHOOLS_CSV.encode("utf-8-sig"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "เพิ่มใหม่ 1 แถว" in page and "ปรับปรุงข้อมูล 1 แถว" in page
    assert "ไม่ผ่าน 4 แถว" in page
    errors = page.split('id="import-errors"')[1]
    assert "<td>3</td>" in errors and "รหัสโรงเรียนต้องเป็นตัวเลข" in errors
    assert "<td>4</td>" in errors and "ไม่มีชื่อโรงเรียน" in errors
    assert "<td>5</td>" in errors and "ขนาดโรงเรียน" in errors
    assert "<td>7</td>" in errors and "ซ้ำกับแถวก่อนหน้า" in errors
    with demo_app.app_context():
        new = db.session.query(School).filter_by(code="1093351001").one()
        assert new.size == SchoolSize.SMALL and new.network.name == "กลุ่มเครือข่ายใหม่"
        updated = db.session.query(School).filter_by(code="1093350001").one()
        assert updated.name == "โรงเรียนวัดเขาชัยสน (ปรับปรุง)" and updated.size == SchoolSize.LARGE
        assert db.session.query(Network).filter_by(name="กลุ่มเครือข่ายใหม่").count() == 1


def test_school_csv_saved_by_thai_excel_in_tis620(demo_app, demo_client):
    login(demo_client, "admin")
    payload = "code,name\n1093351010,โรงเรียนบ้านทุ่งทอง\n".encode("cp874")
    page = _upload(demo_client, "schools", "schools.csv", payload).get_data(as_text=True)
    assert "เพิ่มใหม่ 1 แถว" in page
    with demo_app.app_context():
        assert db.session.query(School).filter_by(code="1093351010").one().name == "โรงเรียนบ้านทุ่งทอง"


def test_user_xlsx_import_with_good_and_bad_rows(demo_app, demo_client):
    login(demo_client, "admin")
    payload = _xlsx(
        [
            [
                "username",
                "email",
                "title",
                "first_name",
                "last_name",
                "role",
                "school_code",
                "password",
                "learning_areas",
            ],
            ["kru.a", "a@school.example", "นาง", "อรวรรณ", "สุขใจ", "ครู", 1093350002, "", "ภาษาไทย"],
            [
                "kru.b",
                "b@school.example",
                "นาย",
                "บุญมี",
                "ดีงาม",
                "teacher",
                "1093350003",
                "strong-pass-1",
                "",
            ],
            ["teacher1", "dup@school.example", "นาย", "ซ้ำ", "ชื่อ", "ครู", "1093350002", "", ""],
            ["kru.c", "not-email", "นาย", "ค", "ง", "ครู", "1093350002", "", ""],
            ["kru.d", "d@school.example", "นาย", "ด", "ต", "พระราชา", "1093350002", "", ""],
            ["kru.e", "e@school.example", "นาย", "อี", "เอ", "ครู", "9999999999", "", ""],
            ["kru.f", "f@school.example", "นาย", "เอฟ", "เอฟ", "ศึกษานิเทศก์", "", "", "ดาราศาสตร์"],
        ]
    )
    page = _upload(demo_client, "users", "users.xlsx", payload).get_data(as_text=True)
    assert "เพิ่มใหม่ 2 แถว" in page and "ไม่ผ่าน 5 แถว" in page
    errors = page.split('id="import-errors"')[1]
    for line, reason in [
        (4, "ชื่อผู้ใช้ teacher1 มีอยู่แล้ว"),
        (5, "อีเมล"),
        (6, "บทบาท"),
        (7, "ไม่พบโรงเรียนรหัส 9999999999"),
        (8, "ไม่พบกลุ่มสาระ"),
    ]:
        assert f"<td>{line}</td>" in errors and reason in errors, (line, reason)
    # The temporary password of the row without one is shown once.
    assert "kru.a" in page.split("รหัสผ่านชั่วคราวที่ออกให้")[1]
    with demo_app.app_context():
        a = db.session.query(User).filter_by(username="kru.a").one()
        assert a.role == Role.TEACHER and a.school.code == "1093350002"
        assert a.must_change_password and [x.name for x in a.learning_areas] == ["ภาษาไทย"]
        b = db.session.query(User).filter_by(username="kru.b").one()
        assert not b.must_change_password
    assert login(demo_app.test_client(), "kru.b", "strong-pass-1", follow=False).status_code == 302


def test_malformed_files_get_a_clear_thai_message(demo_client):
    login(demo_client, "admin")
    cases = [
        ("schools.xlsx", b"PK\x03\x04 this is not really a workbook", "ไฟล์ Excel เสียหาย"),
        ("schools.xlsx", b"name,code\n", "ไฟล์ Excel เสียหาย"),
        ("schools.csv", b"", "ไฟล์ว่างเปล่า"),
        ("schools.csv", "ชื่อ,อำเภอ\nก,ข\n".encode(), "ไม่พบคอลัมน์ที่จำเป็น: code, name"),
        ("schools.pdf", b"%PDF-1.4", "รองรับเฉพาะไฟล์ .csv และ .xlsx"),
        ("schools.csv", b"\xff\xfe\x00\x00garbage\x81\x8d", "อ่านไฟล์ไม่ได้"),
    ]
    for filename, payload, message in cases:
        response = _upload(demo_client, "schools", filename, payload)
        assert response.status_code == 200, filename
        assert message in response.get_data(as_text=True), filename


def test_import_without_a_file(demo_client):
    login(demo_client, "admin")
    page = demo_client.post("/admin/import/schools", data={}).get_data(as_text=True)
    assert "กรุณาเลือกไฟล์" in page


def test_oversized_upload_is_refused_with_a_thai_page(demo_app, demo_client):
    login(demo_client, "admin")
    demo_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = _upload(demo_client, "schools", "big.csv", b"code,name\n" + b"x" * (2 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "ไฟล์มีขนาดใหญ่เกินกำหนด" in page and "1 MB" in page


def test_template_csv_downloads_with_a_byte_order_mark(demo_client):
    login(demo_client, "admin")
    response = demo_client.get("/admin/import/users/template.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    assert "username,email" in response.get_data(as_text=True)
