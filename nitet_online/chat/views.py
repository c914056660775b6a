"""ห้องสนทนา pages: the room list and a room, joining public rooms, direct conversations, group
rooms and their members (moderation), and the JSON endpoints the chat script pages through."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.chat import live, presence, services
from nitet_online.chat.connection_guard import install_guard
from nitet_online.chat.events import register_socket_handlers
from nitet_online.chat.forms import AddMembersForm, GroupRoomForm, MuteForm
from nitet_online.chat.models import ChatMember, ChatRoom, RoomKind
from nitet_online.chat.services import ChatError
from nitet_online.extensions import db, socketio
from nitet_online.services.permissions import require_roles

bp = Blueprint("chat", __name__, url_prefix="/chat")


def _nav_unread_total() -> int:
    """The chat badge in the navigation bar (templates/partials/nav_chat.html)."""
    if not current_user.is_authenticated:
        return 0
    try:
        return services.unread_total(current_user.id)
    except SQLAlchemyError:
        db.session.rollback()
        return 0


@bp.record_once
def _setup(state) -> None:
    app = state.app
    register_socket_handlers(socketio)
    install_guard(socketio, app)  # limits on live connections before anyone is known
    app.jinja_env.globals.update(is_online=presence.is_online, chat_unread_total=_nav_unread_total)
    live.init_live(app)


@bp.before_request
def _logged_in():
    return require_roles()


def _room_or_404(room_id: int) -> ChatRoom:
    room = db.session.get(ChatRoom, room_id)
    if room is None:
        abort(404, description="ไม่พบห้องสนทนา")
    return room


def _supervisors() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.SUPERVISOR, User.status == AccountStatus.ACTIVE)
            .order_by(User.first_name)
        )
    )


def _page(active: ChatRoom | None = None, member: ChatMember | None = None):
    user = current_user._get_current_object()
    if services.sync_memberships(user):
        db.session.commit()
    supervisors = [s for s in _supervisors() if s.id != user.id]
    online = presence.online_among(s.id for s in supervisors)
    context = {
        "entries": services.rooms_for(user),
        "supervisors": supervisors,
        "online": online,
        "active": active,
        "can_create_group": services.can_create_group(user),
    }
    if active is not None:
        context.update(
            active_title=services.room_title(active, user.id),
            partner=services.direct_partner(active, user.id),
            member=member,
            can_moderate=services.can_moderate(user, active),
            member_count=len(services.member_ids(active.id)),
        )
    return render_template("chat/index.html", **context)


@bp.get("/")
def index():
    return _page()


@bp.get("/rooms/<int:room_id>")
def room(room_id: int):
    chat_room = _room_or_404(room_id)
    member = services.membership(current_user.id, chat_room.id)
    if member is None:
        if chat_room.is_public:
            return render_template("chat/join.html", room=chat_room)
        abort(403, description="ท่านไม่ได้เป็นสมาชิกของห้องสนทนานี้")
    return _page(chat_room, member)


# JSON ------------------------------------------------------------------------------------------
def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


@bp.get("/api/rooms/<int:room_id>/messages")
def api_messages(room_id: int):
    """History pages: ?before_id= (scrolling up) or ?after_id= (catching up after a reconnect)."""
    if services.membership(current_user.id, room_id) is None:
        return jsonify({"error": "ท่านไม่ได้เป็นสมาชิกของห้องนี้"}), 403
    limit = _int_arg("limit") or int(services.setting("CHAT_HISTORY_PAGE"))
    messages, has_more = services.history(
        room_id, before_id=_int_arg("before_id"), after_id=_int_arg("after_id"), limit=limit
    )
    return jsonify(
        {"messages": [services.message_payload(m) for m in messages], "has_more": has_more}
    )


@bp.get("/api/unread")
def api_unread():
    counts = services.unread_counts(current_user.id)
    return jsonify({"total": sum(counts.values()), "rooms": {str(k): v for k, v in counts.items()}})


@bp.get("/api/presence")
def api_presence():
    ids = [int(part) for part in request.args.get("ids", "").split(",") if part.isdigit()][:500]
    return jsonify({"online": sorted(presence.online_among(ids))})


# Direct conversations -------------------------------------------------------------------------
@bp.get("/direct")
def direct_new():
    query = request.args.get("q", "").strip()[:100]
    statement = select(User).where(User.status == AccountStatus.ACTIVE, User.id != current_user.id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.first_name).like(pattern),
                func.lower(User.last_name).like(pattern),
                func.lower(User.username).like(pattern),
            )
        )
    else:
        statement = statement.where(User.role.in_([Role.SUPERVISOR, Role.DIRECTOR]))
    people = list(db.session.scalars(statement.order_by(User.first_name).limit(30)))
    online = presence.online_among(p.id for p in people)
    return render_template("chat/direct_new.html", people=people, query=query, online=online)


@bp.post("/direct")
def direct_open():
    other = db.session.get(User, request.form.get("user_id", type=int) or 0)
    if other is None:
        abort(404, description="ไม่พบผู้ใช้")
    try:
        chat_room = services.open_direct(current_user._get_current_object(), other)
    except ChatError as error:
        flash(error.message, "warning")
        return redirect(url_for("chat.direct_new"))
    db.session.commit()
    for user_id in (current_user.id, other.id):
        live.enter_room(user_id, chat_room.id)
    return redirect(url_for("chat.room", room_id=chat_room.id))


# Public rooms ----------------------------------------------------------------------------------
@bp.get("/browse")
def browse():
    services.ensure_public_rooms()
    db.session.commit()
    rooms = services.public_rooms_to_join(current_user._get_current_object())
    return render_template("chat/browse.html", rooms=rooms)


@bp.post("/rooms/<int:room_id>/join")
def join(room_id: int):
    chat_room = _room_or_404(room_id)
    try:
        services.join_public_room(current_user._get_current_object(), chat_room)
    except ChatError as error:
        abort(403, description=error.message)
    db.session.commit()
    live.enter_room(current_user.id, chat_room.id)
    flash(f"เข้าร่วมห้อง {chat_room.name} แล้ว", "success")
    return redirect(url_for("chat.room", room_id=chat_room.id))


@bp.post("/rooms/<int:room_id>/leave")
def leave(room_id: int):
    chat_room = _room_or_404(room_id)
    try:
        services.leave_room(current_user._get_current_object(), chat_room)
    except ChatError as error:
        flash(error.message, "warning")
        return redirect(url_for("chat.room", room_id=room_id))
    db.session.commit()
    live.leave_room(current_user.id, chat_room.id)
    flash(f"ออกจากห้อง {chat_room.name} แล้ว เข้าร่วมใหม่ได้จากหน้า ห้องสาธารณะ", "info")
    return redirect(url_for("chat.index"))


# Group rooms and members -----------------------------------------------------------------------
def _people_choices(exclude: set[int]) -> list[tuple[int, str]]:
    people = db.session.scalars(
        select(User)
        .where(User.status == AccountStatus.ACTIVE, User.id.not_in(exclude or {0}))
        .order_by(User.role, User.first_name)
    )
    return [(p.id, f"{p.full_name} ({p.role_label})") for p in people]


@bp.route("/groups/new", methods=["GET", "POST"])
def group_new():
    user = current_user._get_current_object()
    if not services.can_create_group(user):
        abort(403, description="เฉพาะศึกษานิเทศก์และผู้ดูแลระบบที่สร้างห้องกลุ่มได้")
    form = GroupRoomForm()
    form.member_ids.choices = _people_choices({user.id})
    if form.validate_on_submit():
        try:
            chat_room = services.create_group(
                user, form.name.data, form.description.data, form.member_ids.data
            )
        except ChatError as error:
            form.member_ids.errors.append(error.message)
        else:
            db.session.commit()
            for user_id in services.member_ids(chat_room.id):
                live.enter_room(user_id, chat_room.id)
            flash(f"สร้างห้อง {chat_room.name} แล้ว", "success")
            return redirect(url_for("chat.room", room_id=chat_room.id))
    return render_template("chat/group_form.html", form=form)


@bp.get("/rooms/<int:room_id>/members")
def members(room_id: int):
    chat_room = _room_or_404(room_id)
    user = current_user._get_current_object()
    moderating = services.can_moderate(user, chat_room)
    if services.membership(user.id, chat_room.id) is None and not moderating:
        abort(403, description="ท่านไม่ได้เป็นสมาชิกของห้องสนทนานี้")
    rows = list(
        db.session.scalars(
            select(ChatMember)
            .join(User, User.id == ChatMember.user_id)
            .where(ChatMember.room_id == chat_room.id, ChatMember.left_at.is_(None))
            .order_by(User.role, User.first_name)
        )
    )
    add_form = None
    if moderating and chat_room.kind == RoomKind.GROUP:
        add_form = AddMembersForm()
        add_form.member_ids.choices = _people_choices({m.user_id for m in rows})
    return render_template(
        "chat/members.html",
        room=chat_room,
        title=services.room_title(chat_room, user.id),
        rows=rows,
        moderating=moderating,
        add_form=add_form,
        mute_form=MuteForm(),
        online=presence.online_among(m.user_id for m in rows),
    )


def _moderated_room(room_id: int) -> ChatRoom:
    chat_room = _room_or_404(room_id)
    if not services.can_moderate(current_user._get_current_object(), chat_room):
        abort(403, description="ท่านไม่มีสิทธิ์ดูแลห้องนี้")
    return chat_room


@bp.post("/rooms/<int:room_id>/members/add")
def members_add(room_id: int):
    chat_room = _moderated_room(room_id)
    if chat_room.kind != RoomKind.GROUP:
        abort(400, description="เพิ่มสมาชิกได้เฉพาะห้องกลุ่ม")
    form = AddMembersForm()
    form.member_ids.choices = _people_choices(set(services.member_ids(chat_room.id)))
    if not form.validate_on_submit():
        flash("กรุณาเลือกผู้ใช้ที่ต้องการเพิ่มอย่างน้อย 1 คน", "warning")
        return redirect(url_for("chat.members", room_id=room_id))
    try:
        added = services.add_members(chat_room, form.member_ids.data)
    except ChatError as error:
        flash(error.message, "warning")
        return redirect(url_for("chat.members", room_id=room_id))
    db.session.commit()
    for user_id in added:
        live.enter_room(user_id, chat_room.id)
    flash(f"เพิ่มสมาชิก {len(added)} คนแล้ว", "success")
    return redirect(url_for("chat.members", room_id=room_id))


@bp.post("/rooms/<int:room_id>/members/<int:user_id>/remove")
def members_remove(room_id: int, user_id: int):
    chat_room = _moderated_room(room_id)
    try:
        services.remove_member(current_user._get_current_object(), chat_room, user_id)
    except ChatError as error:
        abort(403, description=error.message)
    db.session.commit()
    live.leave_room(user_id, chat_room.id)
    flash("นำสมาชิกออกจากห้องแล้ว", "info")
    return redirect(url_for("chat.members", room_id=room_id))


@bp.post("/rooms/<int:room_id>/members/<int:user_id>/mute")
def members_mute(room_id: int, user_id: int):
    chat_room = _moderated_room(room_id)
    form = MuteForm()
    if not form.validate_on_submit():
        flash("กรุณาเลือกระยะเวลา", "warning")
        return redirect(url_for("chat.members", room_id=room_id))
    try:
        member = services.mute_member(
            current_user._get_current_object(), chat_room, user_id, form.minutes.data
        )
    except ChatError as error:
        flash(error.message, "warning")
        return redirect(url_for("chat.members", room_id=room_id))
    db.session.commit()
    flash(f"ระงับการส่งข้อความของ {member.user.full_name} แล้ว", "info")
    return redirect(url_for("chat.members", room_id=room_id))


@bp.post("/rooms/<int:room_id>/members/<int:user_id>/unmute")
def members_unmute(room_id: int, user_id: int):
    chat_room = _moderated_room(room_id)
    services.unmute_member(current_user._get_current_object(), chat_room, user_id)
    db.session.commit()
    flash("ยกเลิกการระงับแล้ว", "success")
    return redirect(url_for("chat.members", room_id=room_id))
