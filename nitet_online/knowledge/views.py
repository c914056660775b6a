"""คลังความรู้ under /knowledge: the list with filters, an item with previews and downloads,
adding and editing (editors publish; teachers and school directors send for review), the review
queue, importing many items, and turning a resolved question into an FAQ item.
Thin views: permissions and work in services.py."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.knowledge import services
from nitet_online.knowledge.files import ensure_preview
from nitet_online.knowledge.forms import ImportForm, KnowledgeForm, ReturnForm
from nitet_online.knowledge.models import (
    KIND_LABELS,
    Kind,
    KnowledgeFile,
    KnowledgeItem,
    KnowledgeStatus,
)
from nitet_online.knowledge.services import KnowledgeError, ListFilters
from nitet_online.org.models import active_learning_areas, all_grade_levels
from nitet_online.services.permissions import login_required, roles_required
from nitet_online.services.tabular import TableFileError
from nitet_online.uploads.services import UploadError, file_path

bp = Blueprint("knowledge", __name__, url_prefix="/knowledge", cli_group="knowledge")


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    state.app.add_template_global(faq_from_question, "knowledge_faq_from_question")


def faq_from_question(question_id: int) -> KnowledgeItem | None:
    return db.session.scalar(
        select(KnowledgeItem).where(KnowledgeItem.source_question_id == question_id).limit(1)
    )


def home_context() -> dict:
    return {"knowledge_latest": services.latest(6)}


def describe_items(ids) -> dict[int, tuple[str, str | None]]:
    """For the statistics feature's "most viewed" tables: titles, and links to public items."""
    items = db.session.scalars(select(KnowledgeItem).where(KnowledgeItem.id.in_(list(ids))))
    return {item.id: (item.title, item.url if item.is_public else None) for item in items}


def _item_or_404(item_id: int) -> KnowledgeItem:
    item = db.session.get(KnowledgeItem, item_id)
    if item is None or not services.can_view(item, current_user):
        abort(404)
    return item


def _file_or_404(item: KnowledgeItem, file_id: int) -> KnowledgeFile:
    knowledge_file = db.session.get(KnowledgeFile, file_id)
    if knowledge_file is None or knowledge_file.item_id != item.id:
        abort(404)
    return knowledge_file


# Lists ------------------------------------------------------------------------------------------
@bp.get("/")
def index():
    if request.args.get("q", "").strip():
        return redirect(url_for("search.index", q=request.args["q"].strip(), type="knowledge"))
    filters = ListFilters(
        kind=request.args.get("kind", ""),
        area=request.args.get("area", ""),
        grade=request.args.get("grade", ""),
        tag=request.args.get("tag", "").strip(),
        sort=request.args.get("sort", "new")
        if request.args.get("sort") in services.SORTS
        else "new",
    )
    pagination = db.paginate(
        services.published_query(filters),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "knowledge/index.html",
        pagination=pagination,
        filters=filters,
        kinds=KIND_LABELS,
        areas=active_learning_areas(),
        grades=all_grade_levels(),
        sorts=services.SORTS,
        tags=services.popular_tags(),
        pending=services.pending_count() if services.is_editor(current_user) else 0,
        can_create=services.can_create(current_user),
        is_editor=services.is_editor(current_user),
    )


@bp.get("/mine")
@login_required
def mine():
    pagination = db.paginate(services.my_items_query(current_user), per_page=20, error_out=False)
    return render_template(
        "knowledge/list_manage.html", pagination=pagination, heading="รายการของฉัน"
    )


@bp.get("/pending")
@roles_required(*services.EDITOR_ROLES)
def pending():
    pagination = db.paginate(services.pending_query(), per_page=20, error_out=False)
    return render_template("knowledge/list_manage.html", pagination=pagination, heading="รอตรวจ")


# One item ---------------------------------------------------------------------------------------
@bp.get("/<int:item_id>")
@bp.get("/<int:item_id>-<path:slug>")
def detail(item_id: int, slug: str | None = None):
    item = _item_or_404(item_id)
    if item.slug and slug != item.slug:
        return redirect(item.url, code=301)
    if item.is_public:
        services.count_view(item)
    return render_template(
        "knowledge/detail.html",
        item=item,
        can_edit=services.can_edit(item, current_user),
        can_delete=services.can_delete(item, current_user),
        is_editor=services.is_editor(current_user),
        return_form=ReturnForm(),
        related=_related(item),
    )


def _related(item: KnowledgeItem) -> list:
    if not item.is_public:
        return []
    from nitet_online.search.services import search

    try:
        found = search(item.title, types=["knowledge"], per_page=6)
    except Exception:
        current_app.logger.exception("related knowledge items unavailable")
        return []
    return [hit for hit in found.hits if hit.id != item.id][:5]


@bp.get("/<int:item_id>/files/<int:file_id>")
def download(item_id: int, file_id: int):
    item = _item_or_404(item_id)
    knowledge_file = _file_or_404(item, file_id)
    path = file_path(knowledge_file.upload)
    if not path.exists():
        abort(404, description="ไม่พบไฟล์นี้ในระบบ กรุณาแจ้งผู้ดูแลระบบ")
    if item.is_public:
        services.count_download(item, knowledge_file)
    upload = knowledge_file.upload
    inline = request.args.get("view") == "1" and (upload.is_image or upload.extension == "pdf")
    response = send_file(path, mimetype=upload.content_type, conditional=True, max_age=0)
    ascii_name = f"knowledge-{item.id}-{knowledge_file.id}.{upload.extension}"
    response.headers["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(upload.original_name)}"
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/<int:item_id>/files/<int:file_id>/preview.png")
def preview(item_id: int, file_id: int):
    item = _item_or_404(item_id)
    knowledge_file = _file_or_404(item, file_id)
    path: Path | None = ensure_preview(knowledge_file)
    if path is None:
        abort(404, description="ไม่มีภาพตัวอย่างของไฟล์นี้")
    return send_file(path, mimetype="image/png", conditional=True, max_age=3600)


# Adding and editing -------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITOR_ROLES, *services.CONTRIBUTOR_ROLES)
def create():
    form = KnowledgeForm()
    if request.method == "GET" and request.args.get("kind") in {k.value for k in Kind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        item = services.new_item(current_user)
        if _save(item, form):
            return redirect(item.url)
        db.session.rollback()
    return render_template("knowledge/form.html", form=form, item=None, **_form_context())


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    item = _item_or_404(item_id)
    if not services.can_edit(item, current_user):
        abort(403, description="คุณแก้ไขรายการนี้ไม่ได้")
    form = KnowledgeForm(data=services.form_data(item))
    if form.validate_on_submit():
        if _save(item, form):
            return redirect(item.url)
        db.session.rollback()
    return render_template("knowledge/form.html", form=form, item=item, **_form_context())


def _form_context() -> dict:
    return {
        "is_editor": services.is_editor(current_user),
        "max_files": services.MAX_FILES,
    }


def _save(item: KnowledgeItem, form: KnowledgeForm) -> bool:
    """Applies the form, files and the chosen action; False (with the reason shown) if refused."""
    action = request.form.get("action", "draft")
    try:
        services.apply_data(item, form.item_data())
        services.remove_files(item, request.form.getlist("remove_file", type=int))
        refused = services.add_files(item, request.files.getlist(form.files.name), current_user.id)
        if refused:
            form.files.errors = list(refused)
            return False
        target = {"publish": KnowledgeStatus.PUBLISHED, "submit": KnowledgeStatus.PENDING}.get(
            action
        )
        if target is not None and item.status != target:
            services.set_status(item, target, current_user)
        elif (
            action == "draft"
            and item.status == KnowledgeStatus.PENDING
            and not services.is_editor(current_user)
        ):
            services.set_status(item, KnowledgeStatus.DRAFT, current_user)
    except (KnowledgeError, UploadError) as error:
        flash(str(error), "danger")
        return False
    db.session.commit()
    flash(_saved_message(item), "success")
    return True


def _saved_message(item: KnowledgeItem) -> str:
    return {
        KnowledgeStatus.PUBLISHED: "บันทึกและเผยแพร่แล้ว",
        KnowledgeStatus.PENDING: "ส่งให้ศึกษานิเทศก์ตรวจแล้ว จะเผยแพร่เมื่อผ่านการตรวจ",
        KnowledgeStatus.DRAFT: "บันทึกฉบับร่างแล้ว (ยังไม่เผยแพร่)",
    }[item.status]


@bp.post("/<int:item_id>/status")
@login_required
def change_status(item_id: int):
    item = _item_or_404(item_id)
    if not services.can_edit(item, current_user):
        abort(403, description="คุณเปลี่ยนสถานะรายการนี้ไม่ได้")
    target = {
        "publish": KnowledgeStatus.PUBLISHED,
        "submit": KnowledgeStatus.PENDING,
        "draft": KnowledgeStatus.DRAFT,
    }.get(request.form.get("action", ""))
    if target is None:
        abort(400, description="ไม่รู้จักคำสั่งนี้")
    try:
        services.set_status(item, target, current_user)
    except KnowledgeError as error:
        flash(str(error), "danger")
        return redirect(item.url)
    db.session.commit()
    flash(_saved_message(item), "success")
    return redirect(item.url)


@bp.post("/<int:item_id>/return")
@roles_required(*services.EDITOR_ROLES)
def return_for_revision(item_id: int):
    item = _item_or_404(item_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash("กรุณาบอกสิ่งที่ควรแก้ไข", "danger")
        return redirect(item.url)
    services.set_status(item, KnowledgeStatus.DRAFT, current_user, note=form.note.data)
    db.session.commit()
    flash("ส่งกลับให้ผู้จัดทำแก้ไขแล้ว", "success")
    return redirect(url_for("knowledge.pending"))


@bp.post("/<int:item_id>/delete")
@login_required
def delete(item_id: int):
    item = _item_or_404(item_id)
    if not services.can_delete(item, current_user):
        abort(403, description="คุณลบรายการนี้ไม่ได้")
    services.delete_item(item)
    db.session.commit()
    flash("ลบรายการแล้ว", "success")
    return redirect(url_for("knowledge.index"))


# Importing --------------------------------------------------------------------------------------
@bp.route("/import", methods=["GET", "POST"])
@roles_required(*services.EDITOR_ROLES)
def import_items():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report, _ = services.import_items(upload.stream, upload.filename, author=current_user)
        except TableFileError as error:
            form.file.errors = [str(error)]
        else:
            db.session.commit()
            if report.created:
                flash(f"นำเข้าและเผยแพร่แล้ว {report.created} รายการ", "success")
    return render_template("knowledge/import.html", form=form, report=report)


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--author", default=None, help="Username credited as the author of every item.")
def import_command(path: str, author: str | None) -> None:
    """Import published items from a .csv or .jsonl file (title, body, and optional
    description, learning_area, tags, kind); bad rows are reported by line, the rest kept."""
    from nitet_online.search.services import drain

    user = None
    if author:
        user = db.session.scalar(select(User).where(User.username == author))
        if user is None:
            raise click.ClickException(f"ไม่พบผู้ใช้ {author}")
    try:
        with open(path, "rb") as handle:
            report, _ = services.import_items(handle, Path(path).name, author=user)
    except TableFileError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for line, reason in report.errors:
        click.echo(f"line {line}: {reason}", err=True)
    drain()
    click.echo(f"imported {report.created} items ({len(report.errors)} rows rejected)")


# FAQ from a resolved question ---------------------------------------------------------------------
@bp.post("/from-question/<int:question_id>")
@roles_required(*services.EDITOR_ROLES)
def promote_question(question_id: int):
    existing = faq_from_question(question_id)
    if existing is not None:
        flash("คำถามนี้เป็น FAQ ในคลังความรู้อยู่แล้ว", "info")
        return redirect(existing.url)
    try:
        item = services.faq_from_question(question_id, current_user)
    except KnowledgeError as error:
        flash(str(error), "danger")
        return redirect(url_for("knowledge.index"))
    db.session.commit()
    flash("สร้างฉบับร่าง FAQ จากคำถามแล้ว ตรวจทานแล้วกดเผยแพร่", "success")
    return redirect(url_for("knowledge.edit", item_id=item.id))
