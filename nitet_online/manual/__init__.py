"""คู่มือการใช้งาน: the user manual pages."""

from nitet_online.plugins import Feature, Plug

feature = Feature("manual", "คู่มือการใช้งาน")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.manual import views

    plug.blueprint(views.bp)
