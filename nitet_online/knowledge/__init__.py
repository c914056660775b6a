"""คลังความรู้: the knowledge repository (documents, media, links) and its review."""

from nitet_online.plugins import Feature, Plug

feature = Feature("knowledge", "คลังความรู้")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.knowledge import demo as knowledge_demo
    from nitet_online.knowledge import search, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.knowledge.models")
    plug.menu("คลังความรู้", "knowledge.index", "journal-bookmark", order=60)
    plug.audit_labels(services.AUDIT_LABELS)
    plug.home_section("knowledge/_home_section.html", views.home_context, order=50)
    plug.stats_content_type(services.CONTENT_TYPE, "คลังความรู้", views.describe_items)
    search.declare(plug)
    plug.demo_step(knowledge_demo.seed_knowledge, order=demo.DEMO_ORDER["knowledge"])
