"""The intended access table of every route, checked by tests/test_security_matrix.py, and the
stored-XSS cases run by tests/test_security_xss.py.

FEATURE AUTHORS: when you add a route, add its endpoint to POLICY below (who may call it), and if
its URL has a variable that URL_VALUES does not know yet, a function that returns a real demo value
for it. The matrix test FAILS for any endpoint or URL variable missing here, so that no route ships
without a stated permission. When you add a form whose text is shown back to people, add an
XssCase to XSS_CASES (the form, its free-text fields, the pages that show them).

Roles are the demo accounts (password nitet-demo) plus "anonymous". A route "allows" a role when
the role is neither refused (403, 404) nor, when anonymous, sent to log in; every route must answer
every role without a server error (5xx).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

ANONYMOUS = "anonymous"
ADMIN = "admin"
DIRECTOR = "director1"
SUPERVISOR = "supervisor1"
SCHOOL_DIRECTOR = "schooldirector1"
TEACHER = "teacher1"
STAFF = "staff1"
ROLES = (ANONYMOUS, ADMIN, DIRECTOR, SUPERVISOR, SCHOOL_DIRECTOR, TEACHER, STAFF)

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
ADMIN_ONLY = frozenset({ADMIN})
MANAGERS = frozenset({ADMIN, DIRECTOR})  # services.permissions.MANAGER_ROLES
SUPERVISING = frozenset({ADMIN, DIRECTOR, SUPERVISOR})  # SUPERVISING_ROLES
SCHOOL_PEOPLE = frozenset({SCHOOL_DIRECTOR, TEACHER, STAFF})

# endpoint → roles allowed. Keys: "endpoint METHOD" (one method), "endpoint" (every method), or
# "blueprint.*" (every endpoint of a blueprint without an entry of its own).
POLICY: dict[str, frozenset[str]] = {
    "static": EVERYONE,
    # core
    "core.home": EVERYONE,
    "core.healthz": EVERYONE,
    "core.markdown_preview": LOGGED_IN,
    "core.privacy": EVERYONE,
    # accounts: the login and registration pages send a logged-in user home (allowed).
    "accounts.login": EVERYONE,
    "accounts.register": EVERYONE,
    "accounts.logout": EVERYONE,
    "accounts.logout_confirm": EVERYONE,
    "accounts.logout_everywhere": LOGGED_IN,
    "accounts.change_password": LOGGED_IN,
    "accounts.profile": LOGGED_IN,
    # administration
    "admin.*": ADMIN_ONLY,
    # manual
    "manual.*": EVERYONE,
    # uploads: files are public by their unguessable token; uploading needs an account.
    "uploads.serve": EVERYONE,
    "uploads.upload_for_editor": LOGGED_IN,
    # chat: rooms by membership (see _chat_room below for the rooms each endpoint is tried on).
    "chat.*": LOGGED_IN,
    "chat.api_messages": frozenset({SUPERVISOR, SCHOOL_DIRECTOR, TEACHER}),  # members only
    "chat.members": frozenset({ADMIN, SUPERVISOR, SCHOOL_DIRECTOR, TEACHER}),  # + moderators
    "chat.members_add": frozenset({ADMIN, SUPERVISOR}),  # moderators of the group room
    "chat.members_remove": frozenset({ADMIN, SUPERVISOR}),
    "chat.members_mute": frozenset({ADMIN, SUPERVISOR}),
    "chat.members_unmute": frozenset({ADMIN, SUPERVISOR}),
    "chat.group_new": SUPERVISING,
    # privacy (PDPA): own data and deletion requests; requests are handled by administrators.
    "privacy.my_data": LOGGED_IN,
    "privacy.my_data_download": LOGGED_IN,
    "privacy.delete_request": LOGGED_IN,
    "privacy.admin_requests": ADMIN_ONLY,
    "privacy.admin_request_detail": ADMIN_ONLY,
    "privacy.admin_carry_out": ADMIN_ONLY,
    "privacy.admin_decline": ADMIN_ONLY,
}


def allowed_roles(endpoint: str, method: str) -> frozenset[str] | None:
    for key in (f"{endpoint} {method}", endpoint, f"{endpoint.rsplit('.', 1)[0]}.*"):
        if key in POLICY:
            return POLICY[key]
    return None


# URL variables ----------------------------------------------------------------------------------
# Functions called inside the demo app's context that return a real value for a URL variable.
# URL_VALUES_BY_ENDPOINT wins over URL_VALUES (by variable name) for the endpoints it names.
def _user_id(username: str = "teacher2") -> Callable[[], int]:
    def value() -> int:
        from nitet_online.accounts.models import User
        from nitet_online.extensions import db

        return db.session.scalar(sa.select(User.id).where(User.username == username))

    return value


def _first_id(model_path: str) -> Callable[[], int]:
    def value() -> int:
        from importlib import import_module

        from nitet_online.extensions import db

        module, name = model_path.rsplit(".", 1)
        model = getattr(import_module(module), name)
        return db.session.scalar(sa.select(model.id).order_by(model.id).limit(1))

    return value


def _upload_token() -> str:
    """A photo of its own, attached to nothing (demo uploads may belong to unpublished work)."""
    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from nitet_online.extensions import db
    from nitet_online.uploads.models import Upload
    from nitet_online.uploads.services import save_upload

    token = db.session.scalar(
        sa.select(Upload.token).where(Upload.original_name == "security-probe.jpg").limit(1)
    )
    if token:
        return token
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    upload = save_upload(FileStorage(io.BytesIO(buffer.getvalue()), "security-probe.jpg"), None)
    db.session.commit()
    return upload.token


def _deletion_request_id() -> int:
    from nitet_online.privacy.services import demo_deletion_request_id

    return demo_deletion_request_id()


def _chat_room(kind: str, key: str) -> Callable[[], int]:
    """A demo chat room: ("network", name), ("area", code) or ("group", name)."""

    def value() -> int:
        from nitet_online.chat.models import ChatRoom
        from nitet_online.extensions import db
        from nitet_online.org.models import LearningArea, Network

        if kind == "network":
            return db.session.scalar(
                sa.select(ChatRoom.id).join(Network).where(Network.name == key)
            )
        if kind == "area":
            return db.session.scalar(
                sa.select(ChatRoom.id).join(LearningArea).where(LearningArea.code == key)
            )
        return db.session.scalar(sa.select(ChatRoom.id).where(ChatRoom.name == key))

    return value


# The เขาชัยสน network room: supervisor1, schooldirector1 and teacher1 are members.
_CHAT_NETWORK_ROOM = _chat_room("network", "กลุ่มเครือข่ายเขาชัยสน")
# The PLC group room run by supervisor1, with teacher1 and schooldirector1 invited.
_CHAT_GROUP_ROOM = _chat_room("group", "PLC ภาษาไทย ป.1–3 เครือข่ายเขาชัยสน")

URL_VALUES: dict[str, Callable[[], object]] = {
    "filename": lambda: "css/app.css",
    "user_id": _user_id(),
    "school_id": _first_id("nitet_online.org.models.School"),
    "network_id": _first_id("nitet_online.org.models.Network"),
    "area_id": _first_id("nitet_online.org.models.LearningArea"),
    "role": lambda: "teacher",
    "kind": lambda: "schools",
    "token": _upload_token,
    "variant": lambda: "thumb",
    "request_id": _deletion_request_id,
    "room_id": _CHAT_NETWORK_ROOM,
}
URL_VALUES_BY_ENDPOINT: dict[str, dict[str, Callable[[], object]]] = {
    "chat.join": {"room_id": _chat_room("area", "arts")},
    "chat.leave": {"room_id": _chat_room("area", "career")},
    "chat.members": {"room_id": _CHAT_GROUP_ROOM},
    "chat.members_add": {"room_id": _CHAT_GROUP_ROOM},
    "chat.members_remove": {"room_id": _CHAT_GROUP_ROOM},
    "chat.members_mute": {"room_id": _CHAT_GROUP_ROOM},
    "chat.members_unmute": {"room_id": _CHAT_GROUP_ROOM},
}


# Best practices and honours (issue 5) ------------------------------------------------------------
def _best_practice(title: str) -> Callable[[], int]:
    def value() -> int:
        from nitet_online.best_practices.models import BestPractice
        from nitet_online.extensions import db

        return db.session.scalar(sa.select(BestPractice.id).where(BestPractice.title == title))

    return value


def _honour(award: str) -> Callable[[], int]:
    def value() -> int:
        from nitet_online.extensions import db
        from nitet_online.honours.models import Honour

        return db.session.scalar(sa.select(Honour.id).where(Honour.award_title == award))

    return value


def _best_practice_comment() -> int:
    """teacher2's comment on the PLC reading work of บ้านควนขนุน (supervisor1 reviews that school)."""
    from nitet_online.best_practices.models import BestPracticeComment
    from nitet_online.extensions import db

    return db.session.scalar(
        sa.select(BestPracticeComment.id).order_by(BestPracticeComment.id).limit(1)
    )


# Published, featured; school บ้านควนขนุน (supervisor1's), by schooldirector1 with teacher1.
_BP_PUBLISHED = _best_practice("การพัฒนาทักษะการอ่านออกเขียนได้ด้วยกระบวนการ PLC และบ้านหนังสือชุมชน")
# Returned for revision, by teacher1 (supervisor1 reviews it).
_BP_RETURNED = _best_practice("การพัฒนาทักษะการคิดเชิงคำนวณด้วย Coding แบบ Unplugged")
# A draft by schooldirector1.
_BP_DRAFT = _best_practice("ระบบดูแลช่วยเหลือนักเรียนแบบมีส่วนร่วมของชุมชน")
# Approved, for teacher1, nominated by schooldirector1 (school บ้านควนขนุน).
_HONOUR_APPROVED = _honour("ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย")
# Pending: teacher1's own nomination; and students nominated by schooldirector1.
_HONOUR_TEACHER_PENDING = _honour("ครูผู้สอนยอดเยี่ยม กลุ่มสาระการเรียนรู้ภาษาไทย")
_HONOUR_STUDENTS_PENDING = _honour("ชนะเลิศ การประกวดหนังสือเล่มเล็ก ป.1–ป.3")
# Rejected: teacher1's own nomination.
_HONOUR_REJECTED = _honour("ครูสอนดี ระดับอำเภอ")

URL_VALUES.update(
    {
        "practice_id": _BP_PUBLISHED,
        "honour_id": _HONOUR_APPROVED,
        "comment_id": _best_practice_comment,
    }
)
URL_VALUES_BY_ENDPOINT.update(
    {
        "best_practices.edit": {"practice_id": _BP_RETURNED},
        "best_practices.submit": {"practice_id": _BP_RETURNED},
        "best_practices.review": {"practice_id": _BP_RETURNED},
        "best_practices.delete": {"practice_id": _BP_DRAFT},
        "honours.edit": {"honour_id": _HONOUR_TEACHER_PENDING},
        "honours.decide": {"honour_id": _HONOUR_STUDENTS_PENDING},
        "honours.delete": {"honour_id": _HONOUR_REJECTED},
    }
)
AUTHORS = frozenset({SCHOOL_DIRECTOR, TEACHER})
POLICY.update(
    {
        "best_practices.index": EVERYONE,
        "best_practices.detail": EVERYONE,
        "best_practices.school_page": EVERYONE,
        "best_practices.create": AUTHORS,  # teachers and school directors, for their school
        "best_practices.edit": frozenset({ADMIN, TEACHER}),  # the author while returned
        "best_practices.submit": frozenset({TEACHER}),  # only the author (or co-authors)
        "best_practices.review": SUPERVISING,  # supervisor1 is responsible for that school
        "best_practices.feature": SUPERVISING,
        "best_practices.delete": frozenset({ADMIN, SCHOOL_DIRECTOR}),  # the draft's author
        "best_practices.like": LOGGED_IN,
        "best_practices.comment": LOGGED_IN,
        "best_practices.delete_comment": SUPERVISING,  # its writer (teacher2) or a reviewer
        "best_practices.mine": LOGGED_IN,
        "best_practices.review_queue": SUPERVISING,
        "honours.index": EVERYONE,
        "honours.detail": EVERYONE,
        "honours.person": EVERYONE,
        "honours.school": EVERYONE,
        "honours.nominate": AUTHORS | SUPERVISING,
        "honours.edit": frozenset({ADMIN, TEACHER}),  # the nominator before approval
        "honours.decide": SUPERVISING,  # supervisor1 is responsible for that school
        "honours.delete": frozenset({ADMIN, TEACHER}),
        "honours.certificate": frozenset({ADMIN, DIRECTOR, SUPERVISOR, SCHOOL_DIRECTOR, TEACHER}),
        "honours.mine": LOGGED_IN,
        "honours.review_queue": SUPERVISING,
    }
)


# Stored XSS --------------------------------------------------------------------------------------
@dataclass
class XssCase:
    """A form whose free-text fields are filled with attack payloads, and the pages that must show
    them harmlessly. `url` and `pages` may be functions (called in the app context, after the
    submission for pages) when they need ids. `extra` gives valid values for other fields (a
    function of the payload's index, for unique fields); the form's own current values fill the
    rest."""

    name: str
    submit_as: str
    url: str | Callable[[], str]
    fields: tuple[str, ...]
    pages: tuple[str | Callable[[], str], ...]
    view_as: str = ADMIN
    extra: Callable[[int], dict[str, str]] = field(default=lambda index: {})
    # A field's maximum length, when shorter than a payload (the payload is cut to fit).
    max_length: int = 100


def _user_edit_page(username: str) -> Callable[[], str]:
    def page() -> str:
        return f"/admin/users/{_user_id(username)()}/edit"

    return page


def _school_page() -> str:
    return f"/admin/schools/{_first_id('nitet_online.org.models.School')()}/edit"


def _network_page() -> str:
    return f"/admin/networks/{_first_id('nitet_online.org.models.Network')()}/edit"


def _area_page() -> str:
    return f"/admin/learning-areas/{_first_id('nitet_online.org.models.LearningArea')()}/edit"


XSS_CASES: list[XssCase] = [
    XssCase(
        name="registration",
        submit_as=ANONYMOUS,
        url="/auth/register",
        fields=("first_name", "last_name", "position"),
        extra=lambda index: {
            "username": f"xss.reg{index}",
            "email": f"xss.reg{index}@example.ac.th",
            "password": "Strong-pass-2569",
            "confirm": "Strong-pass-2569",
            "consent": "y",
            "school_id": str(_first_id("nitet_online.org.models.School")()),
        },
        pages=("/admin/users?status=pending", "/admin/audit", "/admin/"),
    ),
    XssCase(
        name="own profile",
        submit_as=TEACHER,
        url="/auth/profile",
        fields=("first_name", "last_name", "position", "line_id"),
        pages=("/admin/users", _user_edit_page("teacher1")),
    ),
    XssCase(
        name="own profile seen by its owner",
        submit_as=TEACHER,
        view_as=TEACHER,
        url="/auth/profile",
        fields=("first_name", "last_name", "position", "line_id"),
        pages=("/auth/profile", "/"),
    ),
    XssCase(
        name="admin edits a user",
        submit_as=ADMIN,
        url=_user_edit_page("teacher2"),
        fields=("first_name", "last_name", "position", "line_id"),
        pages=("/admin/users", _user_edit_page("teacher2"), "/admin/audit"),
    ),
    XssCase(
        name="admin edits a school",
        submit_as=ADMIN,
        url=_school_page,
        fields=("name", "district", "subdistrict", "province", "director_name"),
        pages=("/admin/schools", _school_page, "/admin/users/new", "/admin/audit"),
    ),
    XssCase(
        name="school names in the registration form",
        submit_as=ADMIN,
        view_as=ANONYMOUS,
        url=_school_page,
        fields=("name",),
        pages=("/auth/register",),
    ),
    XssCase(
        name="admin edits a network",
        submit_as=ADMIN,
        url=_network_page,
        fields=("name", "description"),
        pages=("/admin/networks", _network_page, "/admin/schools", "/admin/audit"),
    ),
    XssCase(
        name="admin edits a learning area",
        submit_as=ADMIN,
        url=_area_page,
        fields=("name",),
        pages=("/admin/learning-areas", "/admin/users/new", "/admin/audit"),
    ),
    XssCase(
        name="office settings",
        submit_as=ADMIN,
        view_as=ANONYMOUS,
        url="/admin/office",
        fields=("name", "abbreviation", "group_name", "address", "line_id"),
        pages=("/", "/auth/login", "/manual/"),
    ),
]


def _latest(model_path: str) -> Callable[[], str]:
    def page() -> str:
        from importlib import import_module

        from nitet_online.extensions import db

        module, name = model_path.rsplit(".", 1)
        model = getattr(import_module(module), name)
        return db.session.scalar(sa.select(model).order_by(model.id.desc()).limit(1)).url

    return page


def _school_of(username: str) -> str:
    from nitet_online.accounts.models import User
    from nitet_online.extensions import db

    return str(db.session.scalar(sa.select(User.school_id).where(User.username == username)))


def _bp_form_values(index: int) -> dict[str, str]:
    from nitet_online.extensions import db
    from nitet_online.org.models import GradeLevel

    level = db.session.scalar(sa.select(GradeLevel.id).order_by(GradeLevel.id).limit(1))
    return {"learning_area": "1", "grade_levels": str(level), "academic_year": "2569"}


XSS_CASES += [
    XssCase(
        name="best practice written by a school director",
        submit_as=SCHOOL_DIRECTOR,
        view_as=SCHOOL_DIRECTOR,
        url="/best-practices/new",
        fields=("title", "summary", "background", "implementation"),
        extra=_bp_form_values,
        pages=("/best-practices/mine", _latest("nitet_online.best_practices.models.BestPractice")),
    ),
    XssCase(
        name="comment on a best practice",
        submit_as="teacher2",
        view_as=ANONYMOUS,
        url=lambda: f"/best-practices/{_BP_PUBLISHED()}",
        fields=("body",),
        pages=(lambda: f"/best-practices/{_BP_PUBLISHED()}",),
    ),
    XssCase(
        name="honour nomination",
        submit_as=SCHOOL_DIRECTOR,
        view_as=SCHOOL_DIRECTOR,
        url="/honours/nominate",
        fields=("award_title", "issuing_body", "recipient_names", "description"),
        extra=lambda index: {
            "recipient_type": "student",
            "level": "area",
            "year": "2569",
            "school": _school_of(SCHOOL_DIRECTOR),
        },
        pages=("/honours/mine", _latest("nitet_online.honours.models.Honour")),
    ),
]


# Supervisors' personal sites and news (issue 3) --------------------------------------------------
# supervisor1 owns the site used for the page builder's routes and wrote the news used for editing.
def _sn_profile():
    from nitet_online.accounts.models import User
    from nitet_online.extensions import db
    from nitet_online.supervisors.models import SupervisorProfile

    return db.session.scalar(
        sa.select(SupervisorProfile).join(User).where(User.username == "supervisor1")
    )


def _sn_news(title_start: str):
    from nitet_online.extensions import db
    from nitet_online.news.models import NewsPost

    return db.session.scalar(
        sa.select(NewsPost).where(NewsPost.title.startswith(title_start)).order_by(NewsPost.id)
    )


_SN_TRAINING = "ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทย"  # published, by supervisor1
_SN_ACADEMIC = "แนวทางการประเมินความสามารถด้านการอ่าน"  # published, by supervisor1 (deleted)
_SN_SITE: dict[str, Callable[[], object]] = {
    "slug": lambda: _sn_profile().slug,
    "page_slug": lambda: _sn_profile().pages[0].slug,
    "page_id": lambda: _sn_profile().pages[0].id,
    "project_id": lambda: _sn_profile().projects[0].id,
}
URL_VALUES_BY_ENDPOINT.update(
    {
        endpoint: _SN_SITE
        for endpoint in (
            "supervisors.show",
            "supervisors.page",
            "supervisors.follow",
            "supervisors.edit",
            "supervisors.pages",
            "supervisors.page_new",
            "supervisors.pages_order",
            "supervisors.page_edit",
            "supervisors.page_move",
            "supervisors.page_visibility",
            "supervisors.projects",
            "supervisors.project_edit",
        )
    }
)
URL_VALUES_BY_ENDPOINT.update(
    {
        # Deleting uses another sub-page and project than editing (the walk deletes for real).
        "supervisors.page_delete": {**_SN_SITE, "page_id": lambda: _sn_profile().pages[-1].id},
        "supervisors.project_delete": {
            **_SN_SITE,
            "project_id": lambda: _sn_profile().projects[-1].id,
        },
        "news.show": {
            "news_id": lambda: _sn_news(_SN_TRAINING).id,
            "slug": lambda: _sn_news(_SN_TRAINING).slug,
        },
        "news.edit": {"news_id": lambda: _sn_news(_SN_TRAINING).id},
        "news.pin": {"news_id": lambda: _sn_news(_SN_TRAINING).id},
        "news.delete": {"news_id": lambda: _sn_news(_SN_ACADEMIC).id},
    }
)
_SN_OWNER = frozenset({ADMIN, SUPERVISOR})  # the owner of the page (or author) and administrators
POLICY.update(
    {
        "supervisors.index": EVERYONE,
        "supervisors.show": EVERYONE,
        "supervisors.page": EVERYONE,
        "supervisors.follow": LOGGED_IN,
        "supervisors.my_page": frozenset({SUPERVISOR}),
        "supervisors.my_edit": frozenset({SUPERVISOR}),
        "supervisors.*": _SN_OWNER,  # the page builder: edit, pages, projects
        "news.index": EVERYONE,
        "news.events": EVERYONE,
        "news.feed": EVERYONE,
        "news.show": EVERYONE,
        "news.manage": SUPERVISING,
        "news.create": SUPERVISING,
        "news.edit": _SN_OWNER,
        "news.delete": _SN_OWNER,
        "news.pin": MANAGERS,
    }
)


def _sn_training_start(index: int) -> dict[str, str]:
    return {
        "category": "training",
        "publication": "publish",
        "event_start": f"{index + 1:02d}/01/2574 08:30",  # พ.ศ., as people type it
    }


XSS_CASES += [
    XssCase(
        name="supervisor's page: headline, introduction, LINE ID",
        submit_as=SUPERVISOR,
        view_as=ANONYMOUS,
        url="/supervisors/supervisor1/edit",
        fields=("headline", "introduction", "contact_line_id"),
        pages=("/supervisors/supervisor1", "/supervisors/"),
    ),
    XssCase(
        name="supervisor's sub-page",
        submit_as=SUPERVISOR,
        view_as=ANONYMOUS,
        url="/supervisors/supervisor1/pages/new",
        fields=("title", "body"),
        pages=(
            _latest("nitet_online.supervisors.models.SupervisorPage"),
            "/supervisors/supervisor1",
        ),
    ),
    XssCase(
        name="supervisor's project",
        submit_as=SUPERVISOR,
        view_as=ANONYMOUS,
        url="/supervisors/supervisor1/projects",
        fields=("name", "description"),
        pages=("/supervisors/supervisor1",),
    ),
    XssCase(
        name="news and training announcement",
        submit_as=SUPERVISOR,
        view_as=ANONYMOUS,
        url="/news/new",
        fields=("title", "summary", "body", "event_place"),
        extra=_sn_training_start,
        pages=(
            _latest("nitet_online.news.models.NewsPost"),
            "/news/",
            "/news/events",
            "/",
            "/supervisors/supervisor1",
        ),
    ),
]


# Questions and notifications (issue 4) ------------------------------------------------------------
# Demo question by teacher1 (บ้านควนขนุน): answered by supervisor1 (accepted) and by t003.
_Q_TITLE = "นักเรียน ป.1 อ่านสะกดคำไม่คล่อง ควรเริ่มแก้ปัญหาอย่างไรดีคะ"


def _demo_question():
    from nitet_online.extensions import db
    from nitet_online.questions.models import Question

    return db.session.scalar(sa.select(Question).where(Question.title == _Q_TITLE))


def _demo_answer_id() -> int:
    """supervisor1's answer on the demo question."""
    from nitet_online.accounts.models import User
    from nitet_online.extensions import db
    from nitet_online.questions.models import Answer

    return db.session.scalar(
        sa.select(Answer.id)
        .join(User, User.id == Answer.author_id)
        .where(Answer.question_id == _demo_question().id, User.username == "supervisor1")
    )


def _demo_notification_id() -> int:
    from nitet_online.extensions import db
    from nitet_online.notifications.models import Notification

    return db.session.scalar(sa.select(Notification.id).order_by(Notification.id).limit(1))


def _demo_report_id() -> int:
    from nitet_online.extensions import db
    from nitet_online.questions.models import QuestionReport

    return db.session.scalar(sa.select(QuestionReport.id).order_by(QuestionReport.id).limit(1))


_QA_VALUES: dict[str, Callable[[], object]] = {
    "question_id": lambda: _demo_question().id,
    "slug": lambda: _demo_question().slug,
    "answer_id": _demo_answer_id,
    "post_id": _demo_answer_id,
    "kind": lambda: "answer",
    "notification_id": _demo_notification_id,
    "report_id": _demo_report_id,
}
_QA_ENDPOINTS = (
    "questions.detail",
    "questions.answer",
    "questions.comment",
    "questions.edit_question",
    "questions.question_history",
    "questions.edit_answer",
    "questions.answer_history",
    "questions.accept",
    "questions.unaccept",
    "questions.vote",
    "questions.toggle_follow",
    "questions.claim",
    "questions.assign",
    "questions.close",
    "questions.reopen",
    "questions.lock",
    "questions.unlock",
    "questions.hide",
    "questions.restore",
    "questions.report",
    "questions.dismiss_report",
    "notifications.open_notification",
    "notifications.mark_read",
)
URL_VALUES_BY_ENDPOINT.update({endpoint: _QA_VALUES for endpoint in _QA_ENDPOINTS})
_ASKER_AND_SUPERVISING = SUPERVISING | {TEACHER}  # teacher1 asked the demo question
POLICY.update(
    {
        "questions.index": EVERYONE,
        "questions.similar": EVERYONE,
        "questions.detail": EVERYONE,
        "questions.question_history": EVERYONE,
        "questions.answer_history": EVERYONE,
        "questions.ask": LOGGED_IN,
        "questions.answer": LOGGED_IN,
        "questions.comment": LOGGED_IN,
        "questions.vote": LOGGED_IN,  # own posts are refused with a message (a redirect)
        "questions.toggle_follow": LOGGED_IN,
        "questions.report": LOGGED_IN,
        "questions.edit_question": _ASKER_AND_SUPERVISING,
        "questions.accept": _ASKER_AND_SUPERVISING,
        "questions.unaccept": _ASKER_AND_SUPERVISING,
        "questions.edit_answer": SUPERVISING,  # the answer is supervisor1's
        "questions.inbox": SUPERVISING,
        "questions.claim": SUPERVISING,
        "questions.assign": SUPERVISING,
        "questions.close": SUPERVISING,
        "questions.reopen": SUPERVISING,
        "questions.lock": SUPERVISING,
        "questions.unlock": SUPERVISING,
        "questions.hide": SUPERVISING,
        "questions.restore": SUPERVISING,
        "questions.reports": SUPERVISING,
        "questions.dismiss_report": SUPERVISING,
        "questions.figures": SUPERVISING,  # managers and supervisors
        "questions.figures_json": SUPERVISING,
        "notifications.*": LOGGED_IN,  # only one's own: another's notification is a 404
    }
)


def _qa_area(index: int) -> dict[str, str]:
    from nitet_online.extensions import db
    from nitet_online.org.models import LearningArea

    area = db.session.scalar(sa.select(LearningArea.id).where(LearningArea.code == "thai"))
    return {"learning_area_id": str(area)}


def _qa_demo_page() -> str:
    return _demo_question().url


# Answers: the question page's first "body" form is its comment form, so answers are checked by
# tests/test_questions.py::test_script_in_markdown_is_shown_as_text with the same payloads.
XSS_CASES += [
    XssCase(
        name="question asked",
        submit_as=TEACHER,
        view_as=ANONYMOUS,
        url="/questions/ask",
        fields=("title", "body"),
        extra=_qa_area,
        pages=("/questions/", _latest("nitet_online.questions.models.Question")),
    ),
    XssCase(
        name="comment on a question",
        submit_as="teacher2",
        view_as=ANONYMOUS,
        url=_qa_demo_page,
        fields=("body",),
        pages=(_qa_demo_page,),
    ),
]


# Statistics and surveys (issue 8) ------------------------------------------------------------
def _survey(attached: bool) -> Callable[[], int]:
    """The demo's open satisfaction survey (stand-alone), or its closed workshop survey (attached
    to a training event); found without their titles, which the XSS case overwrites."""

    def value() -> int:
        from nitet_online.extensions import db
        from nitet_online.surveys.models import Survey

        condition = (
            Survey.attached_type.is_not(None) if attached else Survey.attached_type.is_(None)
        )
        return db.session.scalar(sa.select(Survey.id).where(condition).order_by(Survey.id))

    return value


_SATISFACTION = _survey(attached=False)
_WORKSHOP = _survey(attached=True)


def _survey_part(kind: str) -> int:
    from nitet_online.extensions import db
    from nitet_online.surveys.models import Survey

    survey = db.session.get(Survey, _SATISFACTION())
    return survey.sections[0].id if kind == "section" else survey.items[0].id


SURVEY_BUILDERS = frozenset({ADMIN, SUPERVISOR})  # the owner (supervisor1) and administrators
POLICY.update(
    {
        "stats.index": SUPERVISING,  # supervisors are sent on to their own dashboard
        "stats.mine": SUPERVISING,
        "stats.report": MANAGERS,
        "stats.export": MANAGERS,
        "stats.summary_api": MANAGERS,
        "surveys.index": EVERYONE,
        "surveys.answer": EVERYONE,  # an empty answer is refused with 400 and Thai messages
        "surveys.thanks": EVERYONE,
        "surveys.manage": SUPERVISING,
        "surveys.results": SUPERVISING,  # directors read every survey's results
        "surveys.results_excel": SUPERVISING,
        "surveys.*": SURVEY_BUILDERS,
    }
)
URL_VALUES.update({"survey_id": _SATISFACTION, "fmt": lambda: "xlsx"})
_SECTION = {"section_id": lambda: _survey_part("section"), "action": lambda: "up"}
_ITEM = {"item_id": lambda: _survey_part("item"), "action": lambda: "up"}
URL_VALUES_BY_ENDPOINT.update(
    {
        "surveys.delete": {"survey_id": _WORKSHOP},
        "surveys.section_action": _SECTION,
        "surveys.item_action": _ITEM,
        "surveys.edit_item": _ITEM,
    }
)
XSS_CASES.append(
    XssCase(
        name="survey settings",
        submit_as=SUPERVISOR,
        url=lambda: f"/surveys/{_SATISFACTION()}/edit",
        fields=("title", "description"),
        extra=lambda index: {"response_mode": "anyone", "is_published": "y"},
        pages=(
            "/surveys/",
            "/surveys/manage",
            lambda: f"/surveys/{_SATISFACTION()}",
            lambda: f"/surveys/{_SATISFACTION()}/results",
            lambda: f"/surveys/{_SATISFACTION()}/share",
        ),
    )
)

# Chat: the name and description of a group room show in its members' room lists and pages.
XSS_CASES.append(
    XssCase(
        name="chat group room",
        submit_as=SUPERVISOR,
        url="/chat/groups/new",
        fields=("name", "description"),
        view_as=SUPERVISOR,
        pages=("/chat/",),
    )
)


# Knowledge repository and search (issue 6) -------------------------------------------------------
_KN_PUBLISHED = "คู่มือการนิเทศภายในสถานศึกษา ฉบับปรับปรุง ปีการศึกษา 2569"  # by supervisor1, a PDF
_KN_PENDING = "แนวทางการสอนซ่อมเสริมหลังเลิกเรียนที่ได้ผล"  # sent for review by teacher1
_KN_DRAFT = "ร่าง: แผนการจัดการเรียนรู้ภาษาไทย เรื่องคำควบกล้ำ"  # supervisor1's draft


def _knowledge(title: str):
    from nitet_online.extensions import db
    from nitet_online.knowledge.models import KnowledgeItem

    return db.session.scalar(sa.select(KnowledgeItem).where(KnowledgeItem.title == title))


def _knowledge_probe_file() -> int:
    """A PDF of its own on the published item (the demo's files stay in the template's folder)."""
    from werkzeug.datastructures import FileStorage

    from nitet_online.extensions import db
    from nitet_online.knowledge.demo import thai_pdf
    from nitet_online.knowledge.models import KnowledgeFile
    from nitet_online.uploads.services import save_upload

    item = _knowledge(_KN_PUBLISHED)
    for knowledge_file in item.files:
        if knowledge_file.upload.original_name == "security-probe.pdf":
            return knowledge_file.id
    data = thai_pdf(["ไฟล์ทดสอบสิทธิ์", "ดาวน์โหลดได้ทุกคน"])
    upload = save_upload(FileStorage(io.BytesIO(data), "security-probe.pdf"), None)
    knowledge_file = KnowledgeFile(upload=upload, position=99)
    item.files.append(knowledge_file)
    db.session.commit()
    return knowledge_file.id


_KN_ITEM = {
    "item_id": lambda: _knowledge(_KN_PUBLISHED).id,
    "slug": lambda: _knowledge(_KN_PUBLISHED).slug,
    "file_id": _knowledge_probe_file,
}
URL_VALUES_BY_ENDPOINT.update(
    {
        "knowledge.detail": _KN_ITEM,
        "knowledge.download": _KN_ITEM,
        "knowledge.preview": _KN_ITEM,
        "knowledge.edit": _KN_ITEM,
        "knowledge.change_status": _KN_ITEM,  # no action given: 400 for those who may
        "knowledge.return_for_revision": {"item_id": lambda: _knowledge(_KN_PENDING).id},
        "knowledge.delete": {"item_id": lambda: _knowledge(_KN_DRAFT).id},
        # The demo question of teacher1, answered and accepted: an FAQ draft is made from it.
        "knowledge.promote_question": {"question_id": lambda: _demo_question().id},
    }
)
KNOWLEDGE_EDITORS = frozenset({ADMIN, DIRECTOR, SUPERVISOR, STAFF})
POLICY.update(
    {
        "knowledge.index": EVERYONE,
        "knowledge.detail": EVERYONE,
        "knowledge.download": EVERYONE,
        "knowledge.preview": EVERYONE,
        "knowledge.mine": LOGGED_IN,
        "knowledge.create": LOGGED_IN,  # teachers and school directors send theirs for review
        "knowledge.edit": KNOWLEDGE_EDITORS,  # a published item is the editors' to change
        "knowledge.change_status": KNOWLEDGE_EDITORS,
        "knowledge.pending": KNOWLEDGE_EDITORS,
        "knowledge.return_for_revision": KNOWLEDGE_EDITORS,
        "knowledge.import_items": KNOWLEDGE_EDITORS,
        "knowledge.promote_question": KNOWLEDGE_EDITORS,
        "knowledge.delete": frozenset({ADMIN, DIRECTOR, SUPERVISOR}),  # managers and the owner
        "search.index": EVERYONE,
        "search.suggest": EVERYONE,
        "search.api_search": EVERYONE,
    }
)
XSS_CASES.append(
    XssCase(
        name="knowledge item",
        submit_as=SUPERVISOR,
        view_as=ANONYMOUS,
        url="/knowledge/new",
        fields=("title", "description", "body", "co_authors", "rights_note"),
        extra=lambda index: {"action": "publish", "kind": "document", "licence": "cc-by"},
        pages=(_latest("nitet_online.knowledge.models.KnowledgeItem"), "/knowledge/", "/"),
    )
)
