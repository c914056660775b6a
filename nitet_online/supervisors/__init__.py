"""ศึกษานิเทศก์: the supervisor directory and each supervisor's personal site with its page builder."""

from nitet_online.plugins import Feature, Plug

feature = Feature("supervisors", "ศึกษานิเทศก์")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.supervisors import demo as supervisors_demo
    from nitet_online.supervisors import jobs, privacy, search, services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.supervisors.models")
    plug.menu("ศึกษานิเทศก์", "supervisors.index", "people", order=70)
    plug.audit_labels(services.AUDIT_LABELS)
    plug.stats_content_type(views.SITE_CONTENT_TYPE, "หน้าศึกษานิเทศก์", services.describe_sites)
    search.declare(plug)
    privacy.declare(plug)
    plug.demo_step(supervisors_demo.seed_supervisor_pages, order=demo.DEMO_ORDER["supervisors"])
    plug.jobs(jobs)
