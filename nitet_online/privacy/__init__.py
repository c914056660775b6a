"""PDPA (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562): consent at registration, a person's download of
their own data, and deletion requests that an administrator carries out by anonymising the account
(content stays, shown as by an anonymous user). The notice itself is core.privacy (/privacy)."""

from nitet_online.plugins import Feature, Plug

feature = Feature("privacy", "ข้อมูลส่วนบุคคล (PDPA)")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.privacy import services, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.privacy.models")
    plug.audit_labels(services.AUDIT_LABELS)
    plug.demo_step(services.seed_demo_request, order=demo.DEMO_ORDER["privacy"])
