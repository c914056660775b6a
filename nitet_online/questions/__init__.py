"""ถาม-ตอบ: teachers ask, the responsible supervisors answer; accepted answers, votes, follows,
moderation and response-time figures. Public functions live in services.py (asking, answering,
states), routing.py (who is responsible, the inbox), moderation.py and figures.py."""

from nitet_online.plugins import Feature, Plug

feature = Feature("questions", "ถาม-ตอบ")


@feature.setup
def plug_in(plug: Plug) -> None:
    from nitet_online import demo
    from nitet_online.questions import demo as questions_demo
    from nitet_online.questions import indicators, moderation, privacy, search, views

    plug.blueprint(views.bp)
    plug.models("nitet_online.questions.models")
    plug.menu("ถาม-ตอบ", "questions.index", "chat-square-text", order=30)
    plug.audit_labels(moderation.AUDIT_LABELS)
    plug.home_section("questions/_home_section.html", views.home_context, order=20)
    plug.stats_content_type("question", "ถาม-ตอบ", views.describe_questions)
    plug.indicator(
        "questions",
        "การตอบคำถาม (ถาม-ตอบ)",
        indicators.questions_indicator,
        order=50,
        supervisor_compute=indicators.my_questions_indicator,
    )
    search.declare(plug)
    privacy.declare(plug)
    plug.demo_step(questions_demo.seed_questions, order=demo.DEMO_ORDER["questions"])
