"""ข่าวสาร: the news list with categories and upcoming training, each post at /news/<id>-<slug>
(and /news/<id>), the Atom feed, and the publishing pages for supervisors, directors and admins."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.news import services
from nitet_online.news.feed import build_feed
from nitet_online.news.forms import NewsForm
from nitet_online.news.models import NEWS_TARGET, NewsCategory, NewsPost, NewsState
from nitet_online.services.permissions import login_required, require_roles
from nitet_online.services.thai import thai_datetime, utcnow
from nitet_online.stats.services import track_view_by_others, view_count
from nitet_online.supervisors.models import SupervisorProfile
from nitet_online.supervisors.services import find_profile, profile_of, remove_attachments
from nitet_online.uploads.models import DOCUMENT, IMAGE, attachments_of
from nitet_online.uploads.services import UploadError, attach, delete_upload, save_many, save_upload

bp = Blueprint("news", __name__, url_prefix="/news")

CANNOT_PUBLISH = "เฉพาะศึกษานิเทศก์ ผู้อำนวยการ และผู้ดูแลระบบเท่านั้นที่เผยแพร่ข่าวได้"
NOT_AUTHOR = "เฉพาะผู้เขียนข่าวและผู้ดูแลระบบเท่านั้นที่แก้ไขข่าวนี้ได้"
FEED_SIZE = 30


def home_context() -> dict:
    return {"news": services.home_news()}


@bp.app_template_filter("event_when")
def event_when_filter(post: NewsPost) -> str:
    return services.event_when(post)


@bp.app_template_global("share_links")
def share_links_global(url: str) -> dict[str, str]:
    return services.share_links(url)


@bp.app_template_global("event_date_parts")
def event_date_parts_global(moment):
    return services.event_date_parts(moment)


def _category_arg() -> NewsCategory | None:
    value = request.args.get("category", "")
    return NewsCategory(value) if value in NewsCategory._value2member_map_ else None


def _author_arg() -> SupervisorProfile | None:
    """?supervisor=<slug>: only that supervisor's news (404 for an unknown address)."""
    slug = request.args.get("supervisor", "")
    if not slug:
        return None
    profile = find_profile(slug).profile
    if profile is None:
        abort(404)
    return profile


def _post_or_404(news_id: int) -> NewsPost:
    post = db.session.get(NewsPost, news_id)
    if post is None:
        abort(404)
    return post


def _editable_post(news_id: int) -> NewsPost:
    post = _post_or_404(news_id)
    if not services.can_edit(post, current_user):
        abort(403, NOT_AUTHOR)
    return post


def _require_publisher():
    """Anonymous → log in; logged in without a publishing role → 403."""
    refusal = require_roles()
    if refusal is not None:
        return refusal
    if not services.can_publish(current_user):
        abort(403, CANNOT_PUBLISH)
    return None


# Reading --------------------------------------------------------------------------------------
@bp.get("/")
def index():
    category = _category_arg()
    author_profile = _author_arg()
    pagination = db.paginate(
        services.public_posts(category, author_profile.user_id if author_profile else None),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["NEWS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "news/index.html",
        pagination=pagination,
        category=category,
        author_profile=author_profile,
        categories=list(NewsCategory),
        events=services.upcoming_events(5),
        can_publish=services.can_publish(current_user),
    )


@bp.get("/events")
def events():
    return render_template(
        "news/events.html",
        events=services.upcoming_events(limit=None),
        can_publish=services.can_publish(current_user),
    )


@bp.get("/feed.atom")
def feed():
    category = _category_arg()
    author_id, title = None, "ข่าวสาร นิเทศ Online"
    profile = _author_arg()
    if profile is not None:
        author_id, title = profile.user_id, f"ข่าวจาก{profile.user.full_name}"
    if category is not None:
        title = f"{title} · {category.label}"
    posts = db.session.scalars(
        services.public_posts(category, author_id, pinned_first=False).limit(FEED_SIZE)
    ).all()
    body = build_feed(
        posts,
        title=title,
        subtitle="ข่าวประชาสัมพันธ์ ข่าววิชาการ นโยบาย การอบรม/สัมมนา และโครงการ",
        site_url=request.host_url,
        self_url=request.url,
        html_url=url_for(
            "news.index", category=category.value if category else None, _external=True
        ),
        fallback_updated=utcnow(),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/<int:news_id>")
@bp.get("/<int:news_id>-<slug>")
def show(news_id: int, slug: str | None = None):
    post = _post_or_404(news_id)
    if not services.can_view(post, current_user):
        abort(404)
    if slug is not None and slug != post.slug:
        return redirect(url_for("news.show", news_id=post.id, slug=post.slug), 301)
    if post.is_public:
        track_view_by_others("news", post.id, post.author_id)
    return render_template(
        "news/show.html",
        post=post,
        state=post.state(),
        States=NewsState,
        attachments=attachments_of(NEWS_TARGET, post.id),
        can_edit=services.can_edit(post, current_user),
        can_pin=services.can_pin(current_user),
        views=view_count("news", post.id),
        related=_related(post),
        author_profile=profile_of(post.author),
    )


def _related(post: NewsPost) -> list[NewsPost]:
    query = services.public_posts(post.category, pinned_first=False).where(NewsPost.id != post.id)
    return list(db.session.scalars(query.limit(4)))


# Publishing -----------------------------------------------------------------------------------
@bp.get("/manage")
def manage():
    refusal = _require_publisher()
    if refusal is not None:
        return refusal
    state = request.args.get("state", "")
    pagination = db.paginate(
        services.posts_for_manager(current_user, state),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    return render_template(
        "news/manage.html", pagination=pagination, state=state, now=utcnow(), States=NewsState
    )


def _fill_form(form: NewsForm, post: NewsPost) -> None:
    form.process(obj=post)
    form.cover.data = form.attachments.data = None
    form.category.data = post.category.value
    state = post.state()
    form.publication.data = {
        NewsState.DRAFT: services.SAVE_DRAFT,
        NewsState.SCHEDULED: services.SCHEDULE,
        NewsState.PUBLISHED: services.PUBLISH_NOW,
    }[state]
    form.publish_at.data = (
        services.utc_to_local(post.publish_at) if state == NewsState.SCHEDULED else None
    )
    form.event_start.data = services.utc_to_local(post.event_start)
    form.event_end.data = services.utc_to_local(post.event_end)


def _apply_content(form: NewsForm, post: NewsPost) -> None:
    post.title = form.title.data.strip()
    post.category = NewsCategory(form.category.data)
    post.summary = (form.summary.data or "").strip()
    post.body = form.body.data
    if post.category.has_event:
        post.event_start = services.local_to_utc(form.event_start.data)
        post.event_end = services.local_to_utc(form.event_end.data)
        post.event_place = (form.event_place.data or "").strip()
        post.registration_url = form.registration_url.data or ""
    else:
        post.event_start = post.event_end = None
        post.event_place = post.registration_url = ""
    if services.can_pin(current_user):
        post.is_pinned = form.is_pinned.data


def _apply_files(form: NewsForm, post: NewsPost) -> bool:
    """Cover and attachments; False (reasons on the fields) when a file is refused."""
    cover_file = form.cover.data
    if cover_file and getattr(cover_file, "filename", ""):
        try:
            upload = save_upload(cover_file, current_user.id, {IMAGE})
        except UploadError as error:
            form.cover.errors = [str(error)]
            return False
        old, post.cover = post.cover, upload
        if old is not None:
            delete_upload(old)
    elif form.remove_cover.data and post.cover is not None:
        old, post.cover = post.cover, None
        delete_upload(old)
    remove_attachments(NEWS_TARGET, post.id, form.remove_attachment_ids.data or [])
    uploads, errors = save_many(form.attachments.data or [], current_user.id, {DOCUMENT})
    if errors:
        form.attachments.errors = errors
        return False
    for upload in uploads:
        attach(NEWS_TARGET, post.id, upload)
    return True


def _saved_message(post: NewsPost) -> str:
    state = post.state()
    if state == NewsState.DRAFT:
        return "บันทึกฉบับร่างแล้ว ข่าวนี้ยังไม่แสดงต่อสาธารณะ"
    if state == NewsState.SCHEDULED:
        return f"ตั้งเวลาเผยแพร่ข่าวแล้ว ข่าวจะแสดงต่อสาธารณะเมื่อ {thai_datetime(post.publish_at)}"
    return "เผยแพร่ข่าวเรียบร้อยแล้ว"


def _save(form: NewsForm, post: NewsPost) -> bool:
    _apply_content(form, post)
    db.session.flush()  # a new post gets its id for its attachments
    if not _apply_files(form, post):
        db.session.rollback()
        return False
    services.apply_publication(
        post, form.publication.data, services.local_to_utc(form.publish_at.data)
    )
    services.notify_followers(post)
    return True


def _render_form(form: NewsForm, post: NewsPost | None):
    chosen_files = [form.cover.data, *(form.attachments.data or [])]
    if request.method == "POST" and form.errors and any(chosen_files):
        flash("ไฟล์ที่เลือกไว้ยังไม่ได้บันทึก กรุณาเลือกไฟล์อีกครั้งหลังแก้ไขข้อมูล", "warning")
    return render_template(
        "news/form.html",
        form=form,
        post=post,
        attachments=attachments_of(NEWS_TARGET, post.id) if post and post.id else [],
        can_pin=services.can_pin(current_user),
        training=NewsCategory.TRAINING.value,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    refusal = _require_publisher()
    if refusal is not None:
        return refusal
    form = NewsForm()
    if request.method == "GET" and request.args.get("category") in NewsCategory._value2member_map_:
        form.category.data = request.args["category"]
    if form.validate_on_submit():
        post = NewsPost(author_id=current_user.id)
        db.session.add(post)
        if _save(form, post):
            db.session.commit()
            flash(_saved_message(post), "success")
            return redirect(url_for("news.show", news_id=post.id, slug=post.slug))
    return _render_form(form, None)


@bp.route("/<int:news_id>/edit", methods=["GET", "POST"])
@login_required
def edit(news_id: int):
    post = _editable_post(news_id)
    form = NewsForm()
    if request.method == "GET":
        _fill_form(form, post)
    elif form.validate_on_submit():
        if _save(form, post):
            if post.author_id != current_user.id:
                record("news.update", post, f"แก้ไขข่าว {post.title}")
            db.session.commit()
            flash(_saved_message(post), "success")
            return redirect(url_for("news.show", news_id=post.id, slug=post.slug))
        post = _post_or_404(news_id)
    return _render_form(form, post)


@bp.post("/<int:news_id>/delete")
@login_required
def delete(news_id: int):
    post = _editable_post(news_id)
    title = post.title
    record("news.delete", post, f"ลบข่าว {title}")
    services.delete_post(post)
    db.session.commit()
    flash(f"ลบข่าว “{title}” แล้ว", "success")
    return redirect(url_for("news.manage"))


@bp.post("/<int:news_id>/pin")
@login_required
def pin(news_id: int):
    if not services.can_pin(current_user):
        abort(403, "เฉพาะผู้อำนวยการและผู้ดูแลระบบเท่านั้นที่ปักหมุดข่าวได้")
    post = _post_or_404(news_id)
    post.is_pinned = not post.is_pinned
    record("news.pin" if post.is_pinned else "news.unpin", post, post.title)
    db.session.commit()
    flash("ปักหมุดข่าวแล้ว" if post.is_pinned else "เลิกปักหมุดข่าวแล้ว", "success")
    return redirect(url_for("news.show", news_id=post.id, slug=post.slug))
