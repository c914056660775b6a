"""ทำเนียบเกียรติยศ: honours to teachers, directors, students and schools, and certificates."""

from nitet_online.plugins import Feature, Plug

feature = Feature("honours", "ทำเนียบเกียรติยศ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.honours import demo as honours_demo
    from nitet_online.honours import indicators, search, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.honours.models")
    plug.menu("ทำเนียบเกียรติยศ", "honours.index", "award", order=50)
    plug.audit_labels(services.AUDIT_LABELS)
    plug.home_section("honours/_home_section.html", views.home_context, order=40)
    plug.stats_content_type(views.CONTENT_TYPE, "ทำเนียบเกียรติยศ", views.describe_honours)
    plug.indicator(
        "honours",
        "ประกาศเกียรติคุณ (ทำเนียบเกียรติยศ)",
        indicators.honours_indicator,
        order=70,
    )
    search.declare(plug)
    plug.demo_step(honours_demo.seed_honours, order=demo.DEMO_ORDER["honours"])
