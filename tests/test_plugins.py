"""One way for features to plug in (nitet_online/plugins.py): a toy feature (tests/toy_feature),
enabled only through an app's FEATURES, works end to end; `flask features` lists every part of
every feature; a feature whose module cannot be imported stops the app from starting."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from nitet_online.extensions import db
from nitet_online.plugins import describe_features, registry_of
from tests.conftest import _teardown, build_app, copy_demo_uploads, login

TOY = "tests.toy_feature"


@pytest.fixture(scope="module")
def toy_app(databases, tmp_path_factory):
    from config import TestingConfig

    data_dir = tmp_path_factory.mktemp("toy")
    url = databases.fresh(True)
    copy_demo_uploads(databases, data_dir)
    app = build_app(data_dir, url, FEATURES=(*TestingConfig.FEATURES, TOY))
    with app.app_context():
        db.create_all()  # the toy's table: the migrations know only the platform's tables
    yield app
    _teardown(app)
    # Other tests compare the metadata with the migrations: the toy table leaves it again.
    from tests.toy_feature.models import ToyNote

    db.metadata.remove(ToyNote.__table__)


def _add_note(app, username: str, text: str) -> int:
    from nitet_online.accounts.models import User
    from tests.toy_feature.models import ToyNote

    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        note = ToyNote(user_id=user.id, text=text)
        db.session.add(note)
        db.session.commit()
        return note.id


def test_a_toy_feature_plugs_in_through_config_alone(toy_app):
    client = toy_app.test_client()
    with toy_app.app_context():
        assert "toy_note" in inspect(db.engine).get_table_names()
    _add_note(toy_app, "teacher1", "ปลาวาฬสีฟ้าในบันทึกของเล่น")

    page = client.get("/toy/")  # its route answers
    assert page.status_code == 200 and "บันทึกของเล่น 1 รายการ" in page.get_data(as_text=True)

    home = client.get("/").get_data(as_text=True)  # its menu entry shows
    assert "ของเล่น" in home and 'href="/toy/"' in home

    found = client.get("/api/v1/search?q=ปลาวาฬ&type=toy")  # its search type is known
    assert found.status_code == 200, found.get_json()
    assert [hit["type"] for hit in found.get_json()["results"]] == ["toy"]
    unknown = client.get("/api/v1/search?q=x&type=nope").get_json()["error"]
    assert "toy" in unknown

    login(client, "teacher1")  # its section of the personal data download
    data = client.post("/auth/my-data").get_json()
    assert data["toy_notes"] == ["ปลาวาฬสีฟ้าในบันทึกของเล่น"]

    client.post("/auth/logout")
    login(client, "director1")  # its indicator is computed
    summary = client.get("/api/v1/stats/summary?from=2024-06-01&to=2024-06-30")
    assert summary.status_code == 200
    assert summary.get_json()["indicators"]["toy_notes"]["value"] == 1

    with toy_app.app_context():
        from nitet_online.audit.services import action_label

        assert action_label("toy.play") == "เล่นของเล่น"


def test_the_toy_is_absent_from_an_app_that_does_not_enable_it(app):
    registry = registry_of(app)
    assert "toy" not in registry.features and "toy" not in app.blueprints
    assert app.test_client().get("/toy/").status_code == 404


def test_features_command_lists_every_part_of_every_feature(toy_app):
    output = toy_app.test_cli_runner().invoke(args=["features"]).output
    for feature in describe_features(toy_app):
        assert f"{feature['name']} ({feature['title']})" in output
        for key, _label, values in feature["parts"]:
            if values:
                assert f"  {key}: {', '.join(values)}" in output
    toy = output.split("toy (ของเล่นทดสอบ)")[1]
    for part in (
        "routes: /toy/",
        "tables: toy_note",
        "menu: ของเล่น (toy.index)",
        "indicators: toy_notes",
        "search_types: toy",
        "privacy_exporters: toy_notes",
    ):
        assert part in toy
    news = output.split("news (ข่าวสาร)")[1]
    for part in ("tables: news_post", "jobs: news.deliver", "search_types: news", "menu: ข่าวสาร"):
        assert part in news


def test_a_feature_that_cannot_be_imported_stops_the_app(databases, tmp_path):
    from config import TestingConfig

    with pytest.raises(ModuleNotFoundError):
        build_app(
            tmp_path,
            databases.fresh(False),
            FEATURES=(*TestingConfig.FEATURES, "tests.no_such_feature"),
        )


def test_admin_features_page_lists_each_feature_for_admins_only(demo_client):
    login(demo_client, "teacher1")
    assert demo_client.get("/admin/features").status_code == 403
    demo_client.post("/auth/logout")
    login(demo_client, "admin")
    page = demo_client.get("/admin/features")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ส่วนประกอบของระบบ" in html
    for feature in describe_features(demo_client.application):
        assert f'id="feature-{feature["name"]}"' in html
    assert "news.deliver" in html and "news_post" in html and "ตัวชี้วัด" in html


def test_every_recorded_audit_action_has_its_thai_label(app):
    """The labels the features declare cover every action the code records."""
    import re
    from pathlib import Path

    import nitet_online
    from nitet_online.audit.services import action_labels

    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in Path(nitet_online.__file__).parent.rglob("*.py")
    )
    recorded = set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= {
        f"{kind}.{verb}"
        for kind in ("question", "answer", "comment")
        for verb in ("hide", "restore")
    }
    assert len(recorded) > 30
    with app.app_context():
        labels = action_labels()
    assert sorted(action for action in recorded if action not in labels) == []
