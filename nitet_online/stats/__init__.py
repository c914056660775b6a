"""Visit statistics, outcome indicators and the dashboards (สถิติ ตัวชี้วัด)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("stats", "สถิติ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.services.permissions import SUPERVISING_ROLES
    from nitet_online.stats import demo as stats_demo
    from nitet_online.stats import indicators, jobs, views
    from nitet_online.stats.cli import stats_cli

    plug.blueprint(views.bp)
    plug.models("nitet_online.stats.models")
    plug.menu("สถิติ", "stats.index", "bar-chart", roles=SUPERVISING_ROLES, order=80)
    plug.home_section("stats/_home_counters.html", views.home_counters, order=90)
    plug.stats_content_type("page", "หน้าเว็บ")  # every page view not counted as an item's
    indicators.declare(plug)
    plug.demo_step(stats_demo.seed_stats, order=demo.DEMO_ORDER["stats"])
    plug.jobs(jobs)
    plug.command(stats_cli)
