"""ค้นหา: one search over every public content type (see nitet_online/search/registry.py)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("search", "ค้นหา")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.search import jobs, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.search.models")
    plug.health_check("search", services.health_check)
    plug.jobs(jobs)
    plug.post_restore(jobs.rebuild_after_restore)
