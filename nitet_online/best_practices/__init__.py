"""ผลงานดีเด่น: best practices of teachers and school directors, their review and showcase."""

from nitet_online.plugins import Feature, Plug

feature = Feature("best_practices", "ผลงานดีเด่น")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.best_practices import demo as best_practices_demo
    from nitet_online.best_practices import indicators, search, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.best_practices.models")
    plug.menu("ผลงานดีเด่น", "best_practices.index", "trophy", order=40)
    plug.audit_labels(services.AUDIT_LABELS)
    plug.home_section("best_practices/_home_section.html", views.home_context, order=30)
    plug.stats_content_type(views.TARGET_TYPE, "ผลงานดีเด่น", views.describe_practices)
    plug.indicator(
        "best_practices",
        "ผลงานดีเด่นที่เผยแพร่",
        indicators.best_practices_indicator,
        order=60,
    )
    search.declare(plug)
    plug.demo_step(best_practices_demo.seed_best_practices, order=demo.DEMO_ORDER["best_practices"])
