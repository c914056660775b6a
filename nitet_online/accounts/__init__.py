"""บัญชีผู้ใช้: registration, login, profiles and the account settings."""

from nitet_online.plugins import Feature, Plug

feature = Feature("accounts", "บัญชีผู้ใช้")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.accounts import views

    plug.blueprint(views.bp)
    plug.models("nitet_online.accounts.models")
    plug.demo_step(demo.seed_people, order=demo.DEMO_ORDER["people"])
