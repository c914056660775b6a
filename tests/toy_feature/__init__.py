"""A toy feature for tests/test_plugins.py: everything it adds to the platform is declared here and
enabled only by naming the package in an app's FEATURES (no other file knows of it)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("toy", "ของเล่นทดสอบ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.search.registry import ContentType
    from tests.toy_feature import views
    from tests.toy_feature.models import ToyNote

    plug.blueprint(views.bp)
    plug.models("tests.toy_feature.models")
    plug.menu("ของเล่น", "toy.index", "puzzle", order=65)
    plug.audit_labels({"toy.play": "เล่นของเล่น"})
    plug.indicator("toy_notes", "บันทึกของเล่น", views.toy_indicator, order=95)
    plug.search_type(ContentType("toy", "บันทึกของเล่น", ToyNote, views.toy_document, order=90))
    plug.personal_data("toy_notes", views.export_notes)
