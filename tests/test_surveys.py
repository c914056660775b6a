"""Online evaluation forms: x̄ and S.D. against hand-computed values, the Thai bands, one response
per person, closed forms refusing answers, the builder, permissions, QR code and Excel export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.thai import today_bangkok
from nitet_online.surveys.models import (
    ItemKind,
    ResponseMode,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from nitet_online.surveys.results import interpret, sample_sd, survey_results
from nitet_online.surveys.services import add_item, add_section
from tests.conftest import login
from tests.stats_data import BROWSER, PHONE

# Hand-computed: item 1 = 5,4,4,3,5 → x̄ 4.20, S.D. √(2.8/4) = 0.8367 → 0.84 (มาก)
#                item 2 = 5,5,4,5,5 → x̄ 4.80, S.D. √(0.8/4) = 0.4472 → 0.45 (มากที่สุด)
#                section (10 answers) → x̄ 4.50, S.D. √(4.5/9) = 0.7071 → 0.71 (มาก)
#                item 3 (other section) = 2,3,3,2,1 → x̄ 2.20, S.D. √(2.8/4) → 0.84 (น้อย)
#                overall (15 answers) → x̄ 56/15 = 3.7333, S.D. √((234 − 56²/15)/14) = 1.3345
#                → 3.73 / 1.33 (มาก)
RATINGS = [(5, 5, 2), (4, 5, 3), (4, 4, 3), (3, 5, 2), (5, 5, 1)]


def make_survey(owner: User, mode: ResponseMode = ResponseMode.ANYONE, **fields) -> Survey:
    survey = Survey(
        title="แบบประเมินทดสอบ",
        owner_id=owner.id,
        response_mode=mode,
        is_published=True,
        **fields,
    )
    db.session.add(survey)
    first = add_section(survey, "ด้านเนื้อหา")
    add_item(first, ItemKind.RATING, "เนื้อหาเป็นประโยชน์")
    add_item(first, ItemKind.RATING, "นำไปใช้ได้")
    second = add_section(survey, "ด้านระบบ")
    add_item(second, ItemKind.RATING, "ระบบเร็ว")
    add_item(second, ItemKind.SINGLE, "สถานภาพ", options=["ครู", "ผู้บริหาร"])
    add_item(
        second, ItemKind.MULTIPLE, "ช่องทาง", required=False, options=["เว็บ", "LINE", "Facebook"]
    )
    add_item(second, ItemKind.LONG_TEXT, "ข้อเสนอแนะ", required=False)
    db.session.commit()
    return survey


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def survey_id(demo_app):
    with demo_app.app_context():
        return make_survey(user("supervisor1")).id


def answer_form(survey: Survey, ratings=(5, 4, 3), status=0, channels=(1,), text="") -> dict:
    items = survey.items
    form = {f"item-{items[i].id}": str(value) for i, value in enumerate(ratings)}
    form[f"item-{items[3].id}"] = str(status)
    form[f"item-{items[4].id}"] = [str(c) for c in channels]
    form[f"item-{items[5].id}"] = text
    return form


# Statistics ---------------------------------------------------------------------------------------
def test_mean_and_sample_sd_match_hand_computed_values(demo_app, survey_id):
    with demo_app.app_context():
        survey = db.session.get(Survey, survey_id)
        items = survey.items
        for index, (a, b, c) in enumerate(RATINGS):
            response = SurveyResponse(survey=survey, respondent_token=f"t{index}")
            response.answers = [
                SurveyAnswer(item_id=items[0].id, number=a),
                SurveyAnswer(item_id=items[1].id, number=b),
                SurveyAnswer(item_id=items[2].id, number=c),
                SurveyAnswer(item_id=items[3].id, number=index % 2),
            ]
            db.session.add(response)
        db.session.commit()
        results = survey_results(survey)
        assert results.responses == 5
        content, system = results.sections
        one, two = content.items
        assert (one.summary.n, one.summary.mean_text, one.summary.sd_text, one.summary.band) == (
            5,
            "4.20",
            "0.84",
            "มาก",
        )
        assert one.summary.sd == pytest.approx(0.836660, abs=1e-6)
        assert (two.summary.mean_text, two.summary.sd_text, two.summary.band) == (
            "4.80",
            "0.45",
            "มากที่สุด",
        )
        assert one.level_counts == {5: 2, 4: 2, 3: 1, 2: 0, 1: 0}
        # n is people (5 respondents); x̄ and S.D. are over the section's 10 answers pooled.
        assert (content.summary.n, content.summary.mean_text, content.summary.sd_text) == (
            5,
            "4.50",
            "0.71",
        )
        assert content.summary.answers == 10
        assert content.summary.band == "มาก"  # 4.50 is below 4.51
        three = system.items[0]
        assert (three.summary.mean_text, three.summary.sd_text, three.summary.band) == (
            "2.20",
            "0.84",
            "น้อย",
        )
        overall = results.overall
        assert (overall.n, overall.answers) == (5, 15)
        assert overall.mean == pytest.approx(3.733333, abs=1e-6)
        assert overall.sd == pytest.approx(1.334523, abs=1e-6)
        assert (overall.mean_text, overall.sd_text, overall.band) == ("3.73", "1.33", "มาก")
        status = system.items[1]
        assert status.distribution == [("ครู", 3, 60.0), ("ผู้บริหาร", 2, 40.0)]


def test_n_counts_people_while_mean_and_sd_pool_the_answers(demo_app, survey_id):
    """Two people rate a three-item form: n is 2 on every row (not 6 answers on the overall
    row), while x̄ and S.D. of a section and of the whole stay over the answers pooled."""
    with demo_app.app_context():
        form_a = answer_form(db.session.get(Survey, survey_id), ratings=(5, 4, 3))
        form_b = answer_form(db.session.get(Survey, survey_id), ratings=(4, 4, 2))
    for form in (form_a, form_b):
        client = demo_app.test_client()
        assert client.post(f"/surveys/{survey_id}", data=form).status_code == 302
    with demo_app.app_context():
        survey = db.session.get(Survey, survey_id)
        # A third person who rated only the second section's item (an older form, say).
        third_item = survey.items[2].id
        partial = SurveyResponse(survey_id=survey.id, respondent_token="partial")
        partial.answers = [SurveyAnswer(item_id=third_item, number=1)]
        db.session.add(partial)
        db.session.commit()
        results = survey_results(survey)
        content, system = results.sections
        assert [item.summary.n for item in content.items] == [2, 2]
        assert (content.summary.n, content.summary.answers) == (2, 4)
        assert content.summary.mean_text == "4.25"  # (5 + 4 + 4 + 4) / 4
        assert content.summary.sd_text == "0.50"
        assert (system.summary.n, system.summary.answers) == (3, 3)
        assert (results.overall.n, results.overall.answers) == (3, 7)
        assert results.overall.mean_text == "3.29"  # 23 / 7
        assert results.responses == 3
    owner = demo_app.test_client()
    login(owner, "supervisor1")
    workbook = load_workbook(io.BytesIO(owner.get(f"/surveys/{survey_id}/results.xlsx").data))
    rows = {row[1]: row for row in workbook["สรุปผล"].iter_rows(values_only=True) if row[1]}
    assert rows["ด้านเนื้อหา"][2:4] == (2, 4.25)
    assert rows["รวมทุกด้าน"][2:4] == (3, 3.29)
    page = owner.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert "n คือจำนวนผู้ตอบ (คน)" in page


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (5.0, "มากที่สุด"),
        (4.51, "มากที่สุด"),
        (4.505, "มากที่สุด"),  # rounds to 4.51
        (4.5, "มาก"),
        (3.51, "มาก"),
        (3.5, "ปานกลาง"),
        (2.51, "ปานกลาง"),
        (2.5, "น้อย"),
        (1.51, "น้อย"),
        (1.5, "น้อยที่สุด"),
        (1.0, "น้อยที่สุด"),
        (None, "-"),
    ],
)
def test_interpretation_bands(mean, band):
    assert interpret(mean) == band


def test_sd_needs_two_answers():
    assert sample_sd([4]) is None
    assert sample_sd([4, 4]) == 0


# Answering ----------------------------------------------------------------------------------------
def _count(app, survey_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey_id)
        )


def test_anonymous_answer_then_a_second_is_refused(demo_app, survey_id):
    client = demo_app.test_client()
    with demo_app.app_context():
        form = answer_form(db.session.get(Survey, survey_id), text="ดีมาก")
    page = client.get(f"/surveys/{survey_id}", headers={"User-Agent": PHONE})
    assert page.status_code == 200 and "ส่งแบบประเมิน" in page.get_data(as_text=True)
    response = client.post(f"/surveys/{survey_id}", data=form, headers={"User-Agent": PHONE})
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    assert "nitet_respondent=" in response.headers["Set-Cookie"]
    assert _count(demo_app, survey_id) == 1
    again = client.post(f"/surveys/{survey_id}", data=form, headers={"User-Agent": PHONE})
    assert again.status_code == 403
    assert "ท่านได้ตอบแบบประเมินนี้แล้ว" in again.get_data(as_text=True)
    page = client.get(f"/surveys/{survey_id}", headers={"User-Agent": PHONE})
    assert "ท่านได้ตอบแบบประเมินนี้แล้ว" in page.get_data(as_text=True)
    assert "ส่งแบบประเมิน" not in page.get_data(as_text=True)
    # Another browser may answer.
    other_client = demo_app.test_client()
    accepted = other_client.post(
        f"/surveys/{survey_id}", data=form, headers={"User-Agent": BROWSER}
    )
    assert accepted.status_code == 302
    assert _count(demo_app, survey_id) == 2
    with demo_app.app_context():
        stored = db.session.scalars(
            select(SurveyResponse).where(SurveyResponse.survey_id == survey_id)
        ).all()
        assert [r.user_id for r in stored] == [None, None]  # anonymous


def test_identical_phones_on_one_wifi_both_answer(demo_app, survey_id):
    """A training room: the same phone model behind the same router address. Each browser is one
    respondent (its cookie), so every participant's answer counts."""
    with demo_app.app_context():
        form = answer_form(db.session.get(Survey, survey_id), text="ดี")
    same_room = {"REMOTE_ADDR": "203.0.113.7"}
    phones = [demo_app.test_client() for _ in range(3)]
    for phone in phones:
        page = phone.get(
            f"/surveys/{survey_id}", headers={"User-Agent": PHONE}, environ_base=same_room
        )
        assert "ส่งแบบประเมิน" in page.get_data(as_text=True)
        response = phone.post(
            f"/surveys/{survey_id}",
            data=form,
            headers={"User-Agent": PHONE},
            environ_base=same_room,
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    assert _count(demo_app, survey_id) == 3
    # Each phone still answers only once.
    again = phones[1].post(
        f"/surveys/{survey_id}", data=form, headers={"User-Agent": PHONE}, environ_base=same_room
    )
    assert again.status_code == 403
    assert "ท่านได้ตอบแบบประเมินนี้แล้ว" in again.get_data(as_text=True)
    assert _count(demo_app, survey_id) == 3
    with demo_app.app_context():
        stored = db.session.scalars(
            select(SurveyResponse).where(SurveyResponse.survey_id == survey_id)
        ).all()
        tokens = {response.respondent_token for response in stored}
        assert len(tokens) == 3 and None not in tokens
        assert all(len(token) == 64 for token in tokens)  # sha256, never the cookie itself
        cookies = {phone.get_cookie("nitet_respondent").value for phone in phones}
        assert not cookies & tokens


def test_login_survey_one_response_per_account(demo_app):
    with demo_app.app_context():
        survey = make_survey(user("supervisor1"), ResponseMode.LOGIN)
        survey_id, form = survey.id, answer_form(survey)
    client = demo_app.test_client()
    page = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "กรุณาเข้าสู่ระบบก่อนตอบ" in page
    post = client.post(f"/surveys/{survey_id}", data=form)
    assert post.status_code == 302 and "/auth/login" in post.headers["Location"]
    login(client, "teacher1")
    assert client.post(f"/surveys/{survey_id}", data=form).status_code == 302
    # Another browser of the same account is refused too.
    second = demo_app.test_client()
    login(second, "teacher1")
    refused = second.post(f"/surveys/{survey_id}", data=form, headers={"User-Agent": BROWSER})
    assert refused.status_code == 403
    assert "ท่านได้ตอบแบบประเมินนี้แล้ว" in refused.get_data(as_text=True)
    third = demo_app.test_client()
    login(third, "teacher2")
    assert third.post(f"/surveys/{survey_id}", data=form).status_code == 302
    with demo_app.app_context():
        ids = db.session.scalars(
            select(SurveyResponse.user_id).where(SurveyResponse.survey_id == survey_id)
        ).all()
        assert sorted(ids) == sorted([user("teacher1").id, user("teacher2").id])


def test_missing_required_answers_are_explained_and_typing_is_kept(demo_app, survey_id):
    client = demo_app.test_client()
    with demo_app.app_context():
        survey = db.session.get(Survey, survey_id)
        form = answer_form(survey, text="ข้อความที่พิมพ์ไว้")
        first_rating = f"item-{survey.items[0].id}"
        status = f"item-{survey.items[3].id}"
    del form[first_rating]
    form[status] = "7"  # not an option
    response = client.post(f"/surveys/{survey_id}", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ยังตอบไม่ครบหรือคำตอบไม่ถูกต้อง 2 ข้อ" in page
    assert "กรุณาเลือกระดับความคิดเห็น" in page
    assert "คำตอบไม่ถูกต้อง กรุณาเลือกใหม่" in page
    assert "ข้อความที่พิมพ์ไว้" in page
    assert _count(demo_app, survey_id) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes_on": -1}, "แบบประเมินนี้ปิดรับคำตอบแล้ว"),
        ({"opens_on": 2}, "แบบประเมินนี้ยังไม่เปิดรับคำตอบ"),
    ],
)
def test_closed_and_not_yet_open_forms_refuse_answers(demo_app, fields, message):
    today = today_bangkok()
    with demo_app.app_context():
        dates = {name: today + timedelta(days=offset) for name, offset in fields.items()}
        survey = make_survey(user("supervisor1"), **dates)
        survey_id, form = survey.id, answer_form(survey)
    client = demo_app.test_client()
    page = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert message in page and "ส่งแบบประเมิน" not in page
    response = client.post(f"/surveys/{survey_id}", data=form)
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert _count(demo_app, survey_id) == 0


def test_a_survey_open_until_today_still_accepts(demo_app):
    with demo_app.app_context():
        survey = make_survey(user("supervisor1"), closes_on=today_bangkok())
        survey_id, form = survey.id, answer_form(survey)
    assert demo_app.test_client().post(f"/surveys/{survey_id}", data=form).status_code == 302


def test_drafts_are_hidden_from_the_public(demo_app):
    with demo_app.app_context():
        survey = make_survey(user("supervisor1"))
        survey.is_published = False
        db.session.commit()
        survey_id = survey.id
    assert demo_app.test_client().get(f"/surveys/{survey_id}").status_code == 404
    owner = demo_app.test_client()
    login(owner, "supervisor1")
    assert "ตัวอย่างแบบประเมิน" in owner.get(f"/surveys/{survey_id}").get_data(as_text=True)


def test_thanks_page_of_a_draft_is_not_found(demo_app):
    with demo_app.app_context():
        survey = make_survey(user("supervisor1"))
        survey.title = "ร่างลับ ยังไม่เผยแพร่"
        survey.is_published = False
        db.session.commit()
        survey_id = survey.id
    for username in (None, "teacher1", "supervisor2"):
        client = demo_app.test_client()
        if username:
            login(client, username)
        response = client.get(f"/surveys/{survey_id}/thanks")
        assert response.status_code == 404, username
        assert "ร่างลับ" not in response.get_data(as_text=True)
    owner = demo_app.test_client()
    login(owner, "supervisor1")
    assert "ร่างลับ" in owner.get(f"/surveys/{survey_id}/thanks").get_data(as_text=True)
    assert demo_app.test_client().get("/surveys/999999/thanks").status_code == 404


# Building -----------------------------------------------------------------------------------------
def test_supervisor_builds_a_survey(demo_app):
    client = demo_app.test_client()
    login(client, "supervisor2")
    response = client.post(
        "/surveys/new",
        data={
            "title": "ประเมินการอบรม PLC",
            "response_mode": "login",
            "opens_on": "01/01/2569",
            "closes_on": "01/12/2568",
            "template": "blank",
        },
    )
    assert response.status_code == 200
    assert "วันปิดรับคำตอบต้องไม่อยู่ก่อนวันเปิดรับคำตอบ" in response.get_data(as_text=True)
    assert 'value="ประเมินการอบรม PLC"' in response.get_data(as_text=True)
    response = client.post(
        "/surveys/new",
        data={
            "title": "ประเมินการอบรม PLC",
            "response_mode": "login",
            "attached_type": "training",
            "attached_id": "4",
            "template": "blank",
            "is_published": "y",
        },
    )
    assert response.status_code == 302
    survey_id = int(response.headers["Location"].split("/")[2])
    client.post(f"/surveys/{survey_id}/sections", data={"title": "ด้านวิทยากร"})
    with demo_app.app_context():
        survey = db.session.get(Survey, survey_id)
        section_id = survey.sections[0].id
        assert (survey.attached_type, survey.attached_id) == ("training", 4)
    refused = client.post(
        f"/surveys/{survey_id}/items",
        data={
            "section_id": section_id,
            "kind": "single",
            "prompt": "เลือก",
            "options_text": "ข้อเดียว",
        },
    )
    assert refused.status_code == 400
    assert "ต้องมีตัวเลือกอย่างน้อย 2 ตัวเลือก" in refused.get_data(as_text=True)
    for prompt in ("ข้อแรก", "ข้อสอง"):
        client.post(
            f"/surveys/{survey_id}/items",
            data={"section_id": section_id, "kind": "rating", "prompt": prompt, "required": "y"},
        )
    with demo_app.app_context():
        first, second = db.session.get(Survey, survey_id).items
        assert [first.prompt, second.prompt] == ["ข้อแรก", "ข้อสอง"]
    client.post(f"/surveys/{survey_id}/items/{second.id}/up")
    with demo_app.app_context():
        assert [i.prompt for i in db.session.get(Survey, survey_id).items] == ["ข้อสอง", "ข้อแรก"]
    client.post(
        f"/surveys/{survey_id}/items/{first.id}/edit",
        data={
            "section_id": section_id,
            "kind": "multiple",
            "prompt": "ช่องทาง",
            "options_text": "เว็บ\nLINE\nเว็บ\n",
        },
    )
    with demo_app.app_context():
        edited = db.session.get(Survey, survey_id).items[1]
        assert (edited.kind, edited.options) == (ItemKind.MULTIPLE, ["เว็บ", "LINE"])
    # Attached surveys are offered to other features' pages.
    with demo_app.app_context():
        from nitet_online.surveys.services import open_surveys_for

        assert [s.id for s in open_surveys_for("training", 4)] == [survey_id]


def test_questions_are_locked_once_answered(demo_app, survey_id):
    with demo_app.app_context():
        form = answer_form(db.session.get(Survey, survey_id))
    demo_app.test_client().post(f"/surveys/{survey_id}", data=form)
    client = demo_app.test_client()
    login(client, "supervisor1")
    with demo_app.app_context():
        item_id = db.session.get(Survey, survey_id).items[0].id
    response = client.post(f"/surveys/{survey_id}/items/{item_id}/delete", follow_redirects=True)
    assert "มีผู้ตอบแล้ว จึงแก้ไขข้อคำถามไม่ได้" in response.get_data(as_text=True)
    with demo_app.app_context():
        assert len(db.session.get(Survey, survey_id).items) == 6


# Permissions, sharing, results ------------------------------------------------------------------------
MANAGE_PAGES = ["/surveys/manage", "/surveys/new"]


def survey_pages(survey_id: int) -> list[str]:
    return [
        f"/surveys/{survey_id}/edit",
        f"/surveys/{survey_id}/builder",
        f"/surveys/{survey_id}/share",
        f"/surveys/{survey_id}/qr.png",
        f"/surveys/{survey_id}/results",
        f"/surveys/{survey_id}/results.xlsx",
    ]


def test_anonymous_users_are_sent_to_log_in(demo_app, survey_id):
    client = demo_app.test_client()
    for path in [*MANAGE_PAGES, *survey_pages(survey_id)]:
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path


def test_teachers_and_other_supervisors_are_refused(demo_app, survey_id):
    teacher = demo_app.test_client()
    login(teacher, "teacher1")
    for path in [*MANAGE_PAGES, *survey_pages(survey_id)]:
        assert teacher.get(path).status_code == 403, path
    other = demo_app.test_client()
    login(other, "supervisor2")
    for path in survey_pages(survey_id):
        assert other.get(path).status_code == 403, path
    assert other.post(f"/surveys/{survey_id}/delete").status_code == 403
    director = demo_app.test_client()
    login(director, "director1")
    assert director.get(f"/surveys/{survey_id}/results").status_code == 200
    assert director.get(f"/surveys/{survey_id}/edit").status_code == 403
    assert director.get("/surveys/new").status_code == 403


def test_share_page_and_qr_code(demo_app, survey_id):
    client = demo_app.test_client()
    login(client, "supervisor1")
    page = client.get(f"/surveys/{survey_id}/share").get_data(as_text=True)
    assert f"http://localhost/surveys/{survey_id}" in page
    image = client.get(f"/surveys/{survey_id}/qr.png")
    assert image.mimetype == "image/png"
    picture = Image.open(io.BytesIO(image.data))
    assert picture.format == "PNG" and picture.width == picture.height >= 21 * 8
    import segno

    expected = segno.make(f"http://localhost/surveys/{survey_id}", error="m")
    assert picture.width == (expected.symbol_size(scale=8, border=2))[0]


def test_results_page_and_excel_export(demo_app, survey_id):
    with demo_app.app_context():
        survey = db.session.get(Survey, survey_id)
        forms = [
            answer_form(survey, ratings=r, status=i % 2, text=f"ความเห็น {i}")
            for i, r in enumerate(RATINGS)
        ]
    for index, form in enumerate(forms):
        agent = f"{BROWSER} test/{index}"
        assert (
            demo_app.test_client()
            .post(f"/surveys/{survey_id}", data=form, headers={"User-Agent": agent})
            .status_code
            == 302
        )
    client = demo_app.test_client()
    login(client, "supervisor1")
    page = client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    for text in ["4.20", "0.84", "4.50", "0.71", "3.73", "1.33", "ความเห็น 3", "data-chart="]:
        assert text in page, text
    workbook = load_workbook(io.BytesIO(client.get(f"/surveys/{survey_id}/results.xlsx").data))
    assert workbook.sheetnames == ["สรุปผล", "ตัวเลือก", "ความคิดเห็น"]
    rows = [list(r) for r in workbook["สรุปผล"].iter_rows(values_only=True)]
    assert [1, "เนื้อหาเป็นประโยชน์", 5, 4.2, 0.84, "มาก", 2, 2, 1, 0, 0] in rows
    assert [None, "ด้านเนื้อหา", 5, 4.5, 0.71, "มาก", None, None, None, None, None] in rows
    assert [None, "รวมทุกด้าน", 5, 3.73, 1.33, "มาก", None, None, None, None, None] in rows
    choices = [list(r) for r in workbook["ตัวเลือก"].iter_rows(values_only=True)]
    assert ["สถานภาพ", "ครู", 3, 60.0] in choices
    texts = [r[1] for r in workbook["ความคิดเห็น"].iter_rows(values_only=True)]
    assert "ความเห็น 4" in texts


def test_survey_indicator_in_the_summary(demo_app, survey_id):
    with demo_app.app_context():
        form = answer_form(db.session.get(Survey, survey_id), ratings=(5, 5, 4))
    demo_app.test_client().post(f"/surveys/{survey_id}", data=form)
    client = demo_app.test_client()
    login(client, "director1")
    today = today_bangkok().isoformat()
    body = client.get(f"/api/v1/stats/summary?from={today}&to={today}").get_json()
    survey = body["indicators"]["survey_results"]
    rows = {row[0]: row for row in survey["tables"][0]["rows"]}
    assert rows["แบบประเมินทดสอบ"][2:] == [1, "4.67", "0.58", "มากที่สุด"]
