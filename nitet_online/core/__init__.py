"""The platform itself: the home page, the health check, the organisation (offices, networks,
schools) and the audit log every feature records to."""

from nitet_online.plugins import Feature, Plug

feature = Feature("core", "หน้าแรกและระบบกลาง")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import cli, demo
    from nitet_online.audit import services as audit
    from nitet_online.core import views
    from nitet_online.services.redis_store import redis_answers

    plug.blueprint(views.bp)
    plug.models("nitet_online.org.models")
    plug.models("nitet_online.audit.models")
    plug.menu("หน้าแรก", "core.home", "house", order=10)
    plug.audit_labels(audit.ACTION_LABELS)
    plug.health_check("database", views.database_answers)
    plug.health_check("redis", redis_answers, degrading=True)  # reading works without Redis
    plug.demo_step(demo.seed_organisation, order=demo.DEMO_ORDER["organisation"])
    plug.command(cli.seed_demo_command)
    plug.command(cli.create_admin_command)
    plug.command(cli.features_command)
