"""Uploaded files: storage, serving and the free-space health check."""

from nitet_online.plugins import Feature, Plug

feature = Feature("uploads", "ไฟล์แนบ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online.uploads import views

    plug.blueprint(views.bp)
    plug.models("nitet_online.uploads.models")
    # Reading goes on when the disk is full; uploads answer 507 in Thai.
    plug.health_check("uploads", views.storage_has_room, degrading=True)
