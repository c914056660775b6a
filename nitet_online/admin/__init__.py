"""ผู้ดูแลระบบ: users, schools, networks, the office, the audit log and the features list."""

from nitet_online.plugins import Feature, Plug

feature = Feature("admin", "ผู้ดูแลระบบ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.admin import views

    plug.blueprint(views.bp)
