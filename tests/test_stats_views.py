"""The dashboards' permissions, the summary API, Excel/CSV exports and the public counters."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from nitet_online.extensions import db
from nitet_online.knowledge.models import KnowledgeItem
from nitet_online.services.thai import today_bangkok
from nitet_online.stats.models import PageView
from nitet_online.stats.rollup import roll_up_pending
from tests.conftest import login
from tests.stats_data import BROWSER, insert_views, view

DASHBOARDS = ["/stats", "/stats/report", "/stats/export.xlsx", "/stats/me"]
MANAGER_ONLY = ["/stats/report", "/stats/export.xlsx", "/stats/export.csv?table=site_trend"]


@pytest.mark.parametrize("path", [*DASHBOARDS, "/stats/export.csv?table=site_trend"])
def test_anonymous_users_are_sent_to_log_in(demo_client, path):
    response = demo_client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("username", ["teacher1", "schooldirector1", "staff1"])
def test_school_people_are_refused_every_dashboard(demo_app, username):
    client = demo_app.test_client()
    login(client, username)
    for path in [*DASHBOARDS, "/stats/export.csv?table=site_trend"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "ไม่มีสิทธิ์เข้าถึง" in response.get_data(as_text=True)


def test_supervisors_see_their_own_dashboard_not_the_office_one(demo_app):
    client = demo_app.test_client()
    login(client, "supervisor1")
    response = client.get("/stats")
    assert response.status_code == 302 and response.headers["Location"].endswith("/stats/me")
    page = client.get("/stats/me?days=90").get_data(as_text=True)
    assert "สถิติเว็บไซต์บุคคลของฉัน" in page
    assert "แบบประเมินออนไลน์" in page  # the survey indicator's supervisor part
    assert "data-chart=" in page
    for path in MANAGER_ONLY:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("username", ["director1", "admin"])
def test_directors_and_admins_see_every_indicator(demo_app, username):
    client = demo_app.test_client()
    login(client, username)
    page = client.get("/stats?fy=2569").get_data(as_text=True)
    for label in [
        "ผู้เข้าชมเว็บไซต์",
        "ผู้เข้าชมคลังความรู้",
        "การดาวน์โหลด",
        "ผู้ใช้งานตามบทบาท",
        "ความเคลื่อนไหวของเว็บไซต์บุคคล",
        "การมีส่วนร่วมของโรงเรียนและเครือข่าย",
        "แบบประเมินออนไลน์",
    ]:
        assert label in page
    assert "ปีงบประมาณ 2569 (1 ตุลาคม 2568 – 30 กันยายน 2569)" in page
    assert "<script>" not in page and 'style="' not in page
    report = client.get("/stats/report?ay=2569")
    assert report.status_code == 200
    assert "รายงานสถิติและตัวชี้วัดความสำเร็จ" in report.get_data(as_text=True)


def test_bad_period_on_the_dashboard_is_a_thai_400(demo_app):
    client = demo_app.test_client()
    login(client, "director1")
    response = client.get("/stats?from=2026-02-30&to=2026-03-01")
    assert response.status_code == 400
    assert "ไม่มีวันที่ 2026-02-30 ในปฏิทิน" in response.get_data(as_text=True)


# The summary API --------------------------------------------------------------------------------
@pytest.fixture
def june_views(demo_app):
    with demo_app.app_context():
        insert_views(
            [
                view(date(2024, 6, 3), "a", content_type="knowledge", content_id=5),
                view(date(2024, 6, 3), "a", content_type="knowledge", content_id=5),
                view(
                    date(2024, 6, 4), "b", kind="download", content_type="knowledge", content_id=5
                ),
                view(date(2024, 7, 1), "c"),
            ]
        )
        # The demo's visits are rolled up already: views of past days wait for the nightly
        # roll-up, which picks up days it has not seen.
        roll_up_pending(today_bangkok())


def test_summary_api_returns_the_indicators_for_the_range(demo_app, june_views):
    client = demo_app.test_client()
    login(client, "director1")
    response = client.get("/api/v1/stats/summary?from=2024-06-01&to=2024-06-30")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["from"], body["to"]) == ("2024-06-01", "2024-06-30")
    indicators = body["indicators"]
    assert indicators["site_visitors"]["value"] == 2  # a on the 3rd, b on the 4th
    assert indicators["knowledge_visitors"]["value"] == 2
    assert indicators["knowledge_visitors"]["figures"][0]["value"] == 2
    assert indicators["downloads"]["value"] == 1
    assert indicators["survey_results"]["value"] == 0
    assert set(indicators) >= {"active_users", "participation", "personal_sites"}
    table = indicators["downloads"]["tables"][0]
    assert table["columns"] == ["ประเภท", "ดาวน์โหลด (ครั้ง)"] and table["rows"] == [["คลังความรู้", 1]]


@pytest.mark.parametrize("username", [None, "teacher1", "supervisor1"])
def test_summary_api_is_for_directors_and_admins_only(demo_app, username):
    client = demo_app.test_client()
    if username:
        login(client, username)
    response = client.get("/api/v1/stats/summary?from=2024-06-01&to=2024-06-30")
    assert response.status_code == 403
    assert response.is_json
    assert "เฉพาะผู้อำนวยการและผู้ดูแลระบบ" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2024-06-31&to=2024-07-01", "ไม่มีวันที่"),
        ("from=01/06/2024&to=2024-07-01", "API รับวันที่แบบ ISO 8601 เท่านั้น"),
        ("from=2567-06-01&to=2024-07-01", "API ใช้ปี ค.ศ."),
        ("from=2024-07-01&to=2024-06-01", "วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด"),
        ("from=2024-07-01", "กรุณาระบุทั้งวันเริ่มต้น"),
    ],
)
def test_summary_api_explains_bad_dates_in_thai(demo_app, query, message):
    client = demo_app.test_client()
    login(client, "admin")
    response = client.get(f"/api/v1/stats/summary?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["message"]


# Exports ------------------------------------------------------------------------------------------
def test_excel_export_opens_and_contains_the_numbers(demo_app, june_views):
    client = demo_app.test_client()
    login(client, "director1")
    response = client.get("/stats/export.xlsx?from=2024-06-01&to=2024-06-30")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert "ผู้เข้าชมคลังความรู้" in workbook.sheetnames
    sheet = workbook["ผู้เข้าชมคลังความรู้"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "สถิติและตัวชี้วัด นิเทศ Online"
    assert ["3 มิ.ย.", 1, 2, 0] in rows
    assert ["4 มิ.ย.", 1, 0, 1] in rows
    single = client.get("/stats/export.xlsx?from=2024-06-01&to=2024-06-30&table=downloads_by_type")
    only = load_workbook(io.BytesIO(single.data))
    assert only.sheetnames == ["การดาวน์โหลดแยกตามประเภท"]
    assert ["คลังความรู้", 1] in [list(r) for r in only.active.iter_rows(values_only=True)]


def test_csv_export_has_a_bom_for_excel_and_the_numbers(demo_app, june_views):
    client = demo_app.test_client()
    login(client, "admin")
    response = client.get("/stats/export.csv?from=2024-06-01&to=2024-06-30&table=knowledge_top")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["อันดับ", "ประเภท", "รายการ", "เข้าชม (ครั้ง)", "ผู้เข้าชม (ราย-วัน)"]
    with demo_app.app_context():
        item = db.session.get(KnowledgeItem, 5)  # the knowledge repository names its items
        name = item.title
    assert rows[1] == ["1", "คลังความรู้", name, "2", "2"]  # a viewed it, b downloaded it
    assert client.get("/stats/export.csv?table=nothing").status_code == 404
    assert client.get("/stats/export.csv").status_code == 400


# Public counters ----------------------------------------------------------------------------------
def test_home_page_shows_visitor_counters(app, client):
    today = today_bangkok()
    with app.app_context():
        insert_views([view(today, "x"), view(today, "y"), view(date(2001, 1, 1), "z")])
    page = client.get("/", headers={"User-Agent": BROWSER}).get_data(as_text=True)
    assert "ผู้เข้าชมวันนี้" in page
    # x and y, plus this visit (written after the page); z counts in the total only.
    assert 'data-counter="today">2<' in page
    assert 'data-counter="total">3<' in page
    with app.app_context():
        assert db.session.query(PageView).count() == 4
