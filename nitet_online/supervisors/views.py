"""ศึกษานิเทศก์: the directory, each supervisor's personal site (/supervisors/<slug>) and the page
builder its owner (or an administrator) uses. Every editing route checks on the server that the
caller owns the page or is an administrator."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from nitet_online.accounts.models import Role
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.news import services as news_services
from nitet_online.org.models import active_learning_areas, all_networks
from nitet_online.services.permissions import login_required, require_roles, roles_required
from nitet_online.services.slugs import slugify
from nitet_online.stats.services import track_view_by_others, view_count
from nitet_online.supervisors import services
from nitet_online.supervisors.forms import PageForm, ProfileForm, ProjectForm
from nitet_online.supervisors.models import (
    PAGE_TARGET,
    SupervisorProfile,
    SupervisorProject,
    Visibility,
)
from nitet_online.uploads.models import DOCUMENT, IMAGE, attachments_of
from nitet_online.uploads.services import UploadError, attach, save_many, save_upload

bp = Blueprint("supervisors", __name__, url_prefix="/supervisors")

NOT_OWNER = "เฉพาะเจ้าของหน้าและผู้ดูแลระบบเท่านั้นที่แก้ไขหน้านี้ได้"
NO_PAGE_YET = "ระบบกำลังสร้างหน้าเว็บของท่าน กรุณาลองใหม่อีกครั้งในอีกสักครู่"
# Content type under which every view of a personal site (main page and sub-pages) is counted.
SITE_CONTENT_TYPE = "supervisor"
services.make_profiles_with_accounts()  # a supervisor's page is made with the account


def owner_or_admin(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolves <slug> to the profile and lets only its owner and administrators through:
    anonymous callers are sent to log in, everyone else gets 403."""

    @wraps(view)
    def wrapped(slug: str, **kwargs: Any) -> Any:
        refusal = require_roles()
        if refusal is not None:
            return refusal
        profile = services.find_profile(slug).profile
        if profile is None:
            abort(404)
        if not services.can_edit(profile, current_user):
            abort(403, NOT_OWNER)
        return view(profile, **kwargs)

    return wrapped


def _is_owner(profile: SupervisorProfile) -> bool:
    return current_user.is_authenticated and current_user.id == profile.user_id


def _audit_admin_edit(profile: SupervisorProfile, summary: str) -> None:
    if not _is_owner(profile):
        record("supervisor_profile.update", profile, summary)


def _site_context(profile: SupervisorProfile) -> dict:
    """What the header of every page of a personal site needs."""
    user = profile.user
    logged_in = current_user.is_authenticated
    editable = services.can_edit(profile, current_user)
    return {
        "profile": profile,
        "supervisor": user,
        "can_edit": editable,
        "is_owner": _is_owner(profile),
        "pages": profile.pages if editable else profile.visible_pages,
        "contact_items": profile.contact_items(logged_in, everything=editable),
        "following": logged_in and services.is_following(current_user.id, user.id),
        "followers": services.follower_count(user.id),
        "visits": view_count(SITE_CONTENT_TYPE, user.id),
        "Visibility": Visibility,
    }


# The directory and the public pages -----------------------------------------------------------
@bp.get("/")
def index():
    area_id = request.args.get("area", type=int)
    network_id = request.args.get("network", type=int)
    text = request.args.get("q", "")[:100]
    profiles = services.directory(area_id, network_id, text)
    return render_template(
        "supervisors/index.html",
        profiles=profiles,
        areas=active_learning_areas(),
        networks=all_networks(),
        area_id=area_id,
        network_id=network_id,
        text=text,
    )


@bp.get("/me")
@roles_required(Role.SUPERVISOR)
def my_page():
    profile = services.profile_of(current_user)
    if profile is None:  # an account from before pages were made with it: the job makes it
        abort(404, NO_PAGE_YET)
    return redirect(url_for("supervisors.show", slug=profile.slug))


@bp.get("/me/edit")
@login_required
def my_edit():
    if current_user.role != Role.SUPERVISOR:
        abort(403, "หน้าเว็บส่วนตัวมีสำหรับศึกษานิเทศก์ ผู้ดูแลระบบแก้ไขหน้าของศึกษานิเทศก์ได้จากหน้าของท่านนั้น")
    profile = services.profile_of(current_user)
    if profile is None:
        abort(404, NO_PAGE_YET)
    return redirect(url_for("supervisors.edit", slug=profile.slug))


@bp.get("/<slug>")
def show(slug: str):
    lookup = services.find_profile(slug)
    if lookup.profile is None:
        abort(404)
    if lookup.moved_to:
        return redirect(url_for("supervisors.show", slug=lookup.moved_to))
    profile = lookup.profile
    track_view_by_others(SITE_CONTENT_TYPE, profile.user_id, profile.user_id)
    return render_template(
        "supervisors/show.html",
        projects=services.sorted_projects(profile),
        news_items=news_services.latest_by_author(profile.user_id, 5),
        news_total=news_services.count_by_author(profile.user_id),
        **_site_context(profile),
    )


@bp.get("/<slug>/<page_slug>")
def page(slug: str, page_slug: str):
    lookup = services.find_profile(slug)
    if lookup.profile is None:
        abort(404)
    profile = lookup.profile
    if lookup.moved_to:
        return redirect(url_for("supervisors.page", slug=profile.slug, page_slug=page_slug))
    sub_page = services.find_page(profile, page_slug)
    if sub_page is None or (sub_page.is_hidden and not services.can_edit(profile, current_user)):
        abort(404)
    track_view_by_others(SITE_CONTENT_TYPE, profile.user_id, profile.user_id)
    return render_template(
        "supervisors/page.html",
        page=sub_page,
        attachments=attachments_of(PAGE_TARGET, sub_page.id),
        **_site_context(profile),
    )


@bp.post("/<slug>/follow")
@login_required
def follow(slug: str):
    profile = services.find_profile(slug).profile
    if profile is None:
        abort(404)
    if profile.user_id == current_user.id:
        flash("ไม่สามารถติดตามหน้าของตนเองได้", "warning")
        return redirect(url_for("supervisors.show", slug=profile.slug))
    now_following = services.toggle_follow(current_user.id, profile.user_id)
    db.session.commit()
    name = profile.user.full_name
    if now_following:
        flash(f"ติดตาม{name}แล้ว ท่านจะได้รับแจ้งเตือนเมื่อมีข่าวใหม่", "success")
    else:
        flash(f"เลิกติดตาม{name}แล้ว", "info")
    return redirect(url_for("supervisors.show", slug=profile.slug))


# The page builder: profile ----------------------------------------------------------------------
def _fill_profile_form(form: ProfileForm, profile: SupervisorProfile) -> None:
    form.process(obj=profile)
    form.photo.data = form.cover.data = None
    form.phone_visibility.data = profile.phone_visibility.value
    form.email_visibility.data = profile.email_visibility.value
    form.line_visibility.data = profile.line_visibility.value


def _save_images(form: ProfileForm, profile: SupervisorProfile) -> bool:
    """Stores a new photo or cover (or removes them); False with the reason on the field when a
    file is refused."""
    for field, attribute, remove in (
        (form.photo, "photo", form.remove_photo),
        (form.cover, "cover", form.remove_cover),
    ):
        if field.data and getattr(field.data, "filename", ""):
            try:
                upload = save_upload(field.data, current_user.id, {IMAGE})
            except UploadError as error:
                field.errors = [str(error)]
                return False
            services.replace_image(profile, attribute, upload)
        elif remove.data:
            services.replace_image(profile, attribute, None)
    return True


def _apply_profile_form(form: ProfileForm, profile: SupervisorProfile) -> None:
    profile.headline = form.headline.data
    profile.introduction = form.introduction.data or ""
    services.change_slug(profile, form.slug.data)
    profile.contact_phone = form.contact_phone.data
    profile.contact_email = form.contact_email.data.lower()
    profile.contact_line_id = form.contact_line_id.data
    profile.phone_visibility = Visibility(form.phone_visibility.data)
    profile.email_visibility = Visibility(form.email_visibility.data)
    profile.line_visibility = Visibility(form.line_visibility.data)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@owner_or_admin
def edit(profile: SupervisorProfile):
    form = ProfileForm()
    if request.method == "GET":
        _fill_profile_form(form, profile)
    elif form.validate_on_submit():
        form.normalise()
        problem = services.slug_problem(form.slug.data, profile)
        if problem:
            form.slug.errors = [problem]
        elif _save_images(form, profile):
            _apply_profile_form(form, profile)
            _audit_admin_edit(profile, f"แก้ไขหน้าของ{profile.user.full_name}")
            db.session.commit()
            flash("บันทึกหน้าเว็บเรียบร้อยแล้ว", "success")
            return redirect(url_for("supervisors.show", slug=profile.slug))
        db.session.rollback()
    return render_template("supervisors/edit.html", form=form, **_builder_context(profile))


def _builder_context(profile: SupervisorProfile) -> dict:
    return {"profile": profile, "supervisor": profile.user, "is_owner": _is_owner(profile)}


# The page builder: sub-pages --------------------------------------------------------------------
@bp.get("/<slug>/pages")
@owner_or_admin
def pages(profile: SupervisorProfile):
    return render_template(
        "supervisors/pages.html", presets=services.PAGE_PRESETS, **_builder_context(profile)
    )


def _page_or_404(profile: SupervisorProfile, page_id: int):
    sub_page = services.page_of(profile, page_id)
    if sub_page is None:
        abort(404)
    return sub_page


def _attach_files(form: PageForm, page_id: int) -> bool:
    uploads, errors = save_many(form.files.data or [], current_user.id, {IMAGE, DOCUMENT})
    if errors:
        form.files.errors = errors
        return False
    for upload in uploads:
        attach(PAGE_TARGET, page_id, upload)
    return True


def _page_form_problem(form: PageForm, profile: SupervisorProfile, page_id: int | None) -> bool:
    """Checks the chosen address; True (with the reason on the field) when it cannot be used."""
    form.title.data = form.title.data.strip()
    chosen = slugify(form.slug.data, 80) if form.slug.data else ""
    slug = chosen or services.unique_page_slug(profile, form.title.data, page_id)
    problem = services.page_slug_problem(slug, profile, page_id)
    if problem:
        form.slug.errors = [problem]
        return True
    form.slug.data = slug
    return False


@bp.route("/<slug>/pages/new", methods=["GET", "POST"])
@owner_or_admin
def page_new(profile: SupervisorProfile):
    form = PageForm()
    if request.method == "GET":
        preset = services.PAGE_PRESETS.get(request.args.get("preset", ""))
        if preset:
            form.title.data, form.body.data = preset
    elif form.validate_on_submit() and not _page_form_problem(form, profile, None):
        new_page = services.add_page(profile, form.title.data, form.body.data or "", form.slug.data)
        new_page.is_hidden = form.is_hidden.data
        db.session.flush()
        if _attach_files(form, new_page.id):
            _audit_admin_edit(profile, f"เพิ่มหน้า {new_page.title}")
            db.session.commit()
            flash(f"เพิ่มหน้า “{new_page.title}” แล้ว", "success")
            return redirect(url_for("supervisors.page", slug=profile.slug, page_slug=new_page.slug))
        db.session.rollback()
    return render_template(
        "supervisors/page_form.html",
        form=form,
        page=None,
        attachments=[],
        **_builder_context(profile),
    )


@bp.route("/<slug>/pages/<int:page_id>/edit", methods=["GET", "POST"])
@owner_or_admin
def page_edit(profile: SupervisorProfile, page_id: int):
    sub_page = _page_or_404(profile, page_id)
    attachments = attachments_of(PAGE_TARGET, sub_page.id)
    form = PageForm(obj=sub_page)
    if form.validate_on_submit() and not _page_form_problem(form, profile, sub_page.id):
        services.remove_attachments(PAGE_TARGET, sub_page.id, form.remove_attachment_ids.data or [])
        sub_page.title = form.title.data
        sub_page.slug = form.slug.data
        sub_page.body = form.body.data or ""
        sub_page.is_hidden = form.is_hidden.data
        if _attach_files(form, sub_page.id):
            _audit_admin_edit(profile, f"แก้ไขหน้า {sub_page.title}")
            db.session.commit()
            flash("บันทึกหน้าเรียบร้อยแล้ว", "success")
            return redirect(url_for("supervisors.page", slug=profile.slug, page_slug=sub_page.slug))
        db.session.rollback()
        sub_page = _page_or_404(profile, page_id)
        attachments = attachments_of(PAGE_TARGET, sub_page.id)
    return render_template(
        "supervisors/page_form.html",
        form=form,
        page=sub_page,
        attachments=attachments,
        **_builder_context(profile),
    )


@bp.post("/<slug>/pages/<int:page_id>/move")
@owner_or_admin
def page_move(profile: SupervisorProfile, page_id: int):
    sub_page = _page_or_404(profile, page_id)
    if services.move_page(profile, sub_page, request.form.get("direction", "")):
        db.session.commit()
    return redirect(url_for("supervisors.pages", slug=profile.slug))


@bp.post("/<slug>/pages/order")
@owner_or_admin
def pages_order(profile: SupervisorProfile):
    """The drag-and-drop order from static/js/supervisors.js: {"ids": [3, 1, 2]}."""
    ids = (request.get_json(silent=True) or {}).get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return jsonify({"error": "ข้อมูลลำดับหน้าไม่ถูกต้อง"}), 400
    if not services.reorder_pages(profile, ids):
        return jsonify({"error": "รายการหน้าไม่ตรงกับหน้าที่มีอยู่ กรุณาโหลดหน้าใหม่"}), 400
    db.session.commit()
    return jsonify({"ok": True, "message": "บันทึกลำดับหน้าแล้ว"})


@bp.post("/<slug>/pages/<int:page_id>/visibility")
@owner_or_admin
def page_visibility(profile: SupervisorProfile, page_id: int):
    sub_page = _page_or_404(profile, page_id)
    sub_page.is_hidden = not sub_page.is_hidden
    db.session.commit()
    state = "ซ่อน" if sub_page.is_hidden else "แสดง"
    flash(f"{state}หน้า “{sub_page.title}” แล้ว", "success")
    return redirect(url_for("supervisors.pages", slug=profile.slug))


@bp.post("/<slug>/pages/<int:page_id>/delete")
@owner_or_admin
def page_delete(profile: SupervisorProfile, page_id: int):
    sub_page = _page_or_404(profile, page_id)
    title = sub_page.title
    if not _is_owner(profile):
        record("supervisor_page.delete", sub_page, f"ลบหน้า {title} ของ{profile.user.full_name}")
    services.delete_page(sub_page)
    db.session.commit()
    flash(f"ลบหน้า “{title}” แล้ว", "success")
    return redirect(url_for("supervisors.pages", slug=profile.slug))


# The page builder: projects ---------------------------------------------------------------------
@bp.route("/<slug>/projects", methods=["GET", "POST"])
@owner_or_admin
def projects(profile: SupervisorProfile):
    form = ProjectForm()
    if form.validate_on_submit():
        profile.projects.append(
            SupervisorProject(
                name=form.name.data.strip(),
                description=(form.description.data or "").strip(),
                year=form.year.data,
            )
        )
        _audit_admin_edit(profile, f"เพิ่มโครงการ {form.name.data}")
        db.session.commit()
        flash("เพิ่มโครงการแล้ว", "success")
        return redirect(url_for("supervisors.projects", slug=profile.slug))
    return render_template(
        "supervisors/projects.html",
        form=form,
        projects=services.sorted_projects(profile),
        **_builder_context(profile),
    )


def _project_or_404(profile: SupervisorProfile, project_id: int) -> SupervisorProject:
    project = services.project_of(profile, project_id)
    if project is None:
        abort(404)
    return project


@bp.route("/<slug>/projects/<int:project_id>/edit", methods=["GET", "POST"])
@owner_or_admin
def project_edit(profile: SupervisorProfile, project_id: int):
    project = _project_or_404(profile, project_id)
    form = ProjectForm(obj=project)
    if form.validate_on_submit():
        project.name = form.name.data.strip()
        project.description = (form.description.data or "").strip()
        project.year = form.year.data
        _audit_admin_edit(profile, f"แก้ไขโครงการ {project.name}")
        db.session.commit()
        flash("บันทึกโครงการแล้ว", "success")
        return redirect(url_for("supervisors.projects", slug=profile.slug))
    return render_template(
        "supervisors/project_form.html", form=form, project=project, **_builder_context(profile)
    )


@bp.post("/<slug>/projects/<int:project_id>/delete")
@owner_or_admin
def project_delete(profile: SupervisorProfile, project_id: int):
    project = _project_or_404(profile, project_id)
    profile.projects.remove(project)
    _audit_admin_edit(profile, f"ลบโครงการ {project.name}")
    db.session.commit()
    flash(f"ลบโครงการ “{project.name}” แล้ว", "success")
    return redirect(url_for("supervisors.projects", slug=profile.slug))
