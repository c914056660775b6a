"""Online evaluation forms (แบบประเมินออนไลน์)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("surveys", "แบบประเมินออนไลน์")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.surveys import demo as surveys_demo
    from nitet_online.surveys import indicators, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.surveys.models")
    plug.audit_labels(views.AUDIT_LABELS)
    plug.stats_content_type("survey", "แบบประเมิน", views.describe_surveys)
    indicators.declare(plug)
    plug.demo_step(surveys_demo.seed_surveys, order=demo.DEMO_ORDER["surveys"])
