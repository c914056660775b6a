"""ข่าวสาร: academic news, training announcements and the Atom feed (proactive supervision)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("news", "ข่าวสาร")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.news import demo as news_demo
    from nitet_online.news import jobs, search, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.news.models")
    plug.menu("ข่าวสาร", "news.index", "megaphone", order=20)
    plug.audit_labels(services.AUDIT_LABELS)
    plug.home_section("news/_home_section.html", views.home_context, order=10)
    plug.stats_content_type("news", "ข่าวสาร", services.describe_posts)
    search.declare(plug)
    plug.demo_step(news_demo.seed_news, order=demo.DEMO_ORDER["news"])
    plug.jobs(jobs)
