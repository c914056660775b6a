"""คลังความรู้: who may do what, saving items with their files and links, publication, counts,
the list's filters and the import of many items from CSV or JSON Lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from sqlalchemy import Select, func, select, update
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import Role, User
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.knowledge.files import fill_text
from nitet_online.knowledge.models import (
    LICENCES,
    REVIEW,
    Kind,
    KnowledgeFile,
    KnowledgeItem,
    KnowledgeLink,
    KnowledgeStatus,
    KnowledgeTag,
    kind_from_text,
)
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.services.tabular import ImportReport, TableFileError, read_table
from nitet_online.services.thai import utcnow
from nitet_online.stats import services as stats
from nitet_online.uploads.models import DOCUMENT, IMAGE
from nitet_online.uploads.services import delete_upload, save_many

CONTENT_TYPE = "knowledge"  # stats content type, search type
# Publish, edit and delete anyone's items (staff help the office publish).
EDITOR_ROLES = (Role.ADMIN, Role.DIRECTOR, Role.SUPERVISOR, Role.STAFF)
# Send their own items for review by an editor.
CONTRIBUTOR_ROLES = (Role.TEACHER, Role.SCHOOL_DIRECTOR)
MAX_FILES = 10
MAX_LINKS = 10
MAX_TAGS = 10
TAG_MAX_LENGTH = 60
TITLE_MAX = 255
DESCRIPTION_MAX = 1000

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "knowledge.publish": "เผยแพร่รายการในคลังความรู้",
    "knowledge.unpublish": "ยกเลิกการเผยแพร่รายการในคลังความรู้",
    "knowledge.return": "ส่งกลับแก้ไขรายการในคลังความรู้",
    "knowledge.delete": "ลบรายการในคลังความรู้",
    "knowledge.import": "นำเข้ารายการในคลังความรู้",
}


class KnowledgeError(ValueError):
    """A Thai message for the person who asked."""


# Permissions ----------------------------------------------------------------------------------
def _role(user) -> Role | None:
    return user.role if user is not None and user.is_authenticated else None


def is_editor(user) -> bool:
    return _role(user) in EDITOR_ROLES


def can_create(user) -> bool:
    return _role(user) in EDITOR_ROLES + CONTRIBUTOR_ROLES


def is_owner(item: KnowledgeItem, user) -> bool:
    return _role(user) is not None and user.id in (item.author_id, item.created_by_id)


def can_view(item: KnowledgeItem, user) -> bool:
    return item.is_public or is_editor(user) or is_owner(item, user)


def can_edit(item: KnowledgeItem, user) -> bool:
    if is_editor(user):
        return True
    return is_owner(item, user) and REVIEW.author_may_edit(item.status)


def can_delete(item: KnowledgeItem, user) -> bool:
    if _role(user) in (Role.ADMIN, Role.DIRECTOR):
        return True
    return is_owner(item, user) and (is_editor(user) or item.status != KnowledgeStatus.PUBLISHED)


# Lists ----------------------------------------------------------------------------------------
@dataclass
class ListFilters:
    kind: str = ""
    area: str = ""
    grade: str = ""
    tag: str = ""
    sort: str = "new"


SORTS = {
    "new": "ล่าสุด",
    "views": "เข้าชมมากที่สุด",
    "downloads": "ดาวน์โหลดมากที่สุด",
    "title": "ชื่อเรื่อง ก–ฮ",
}


def published_query(filters: ListFilters) -> Select:
    query = select(KnowledgeItem).where(KnowledgeItem.status == KnowledgeStatus.PUBLISHED)
    if filters.kind in {kind.value for kind in Kind}:
        query = query.where(KnowledgeItem.kind == Kind(filters.kind))
    if filters.area:
        query = query.join(LearningArea, KnowledgeItem.learning_area).where(
            LearningArea.code == filters.area
        )
    if filters.grade:
        query = query.where(KnowledgeItem.grade_levels.any(GradeLevel.code == filters.grade))
    if filters.tag:
        query = query.where(KnowledgeItem.tags.any(KnowledgeTag.name == filters.tag))
    order = {
        "views": (KnowledgeItem.view_count.desc(), KnowledgeItem.id.desc()),
        "downloads": (KnowledgeItem.download_count.desc(), KnowledgeItem.id.desc()),
        "title": (KnowledgeItem.title,),
    }.get(filters.sort, (KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc()))
    return query.order_by(*order)


def my_items_query(user: User) -> Select:
    return (
        select(KnowledgeItem)
        .where((KnowledgeItem.author_id == user.id) | (KnowledgeItem.created_by_id == user.id))
        .order_by(KnowledgeItem.updated_at.desc())
    )


def pending_query() -> Select:
    return (
        select(KnowledgeItem)
        .where(KnowledgeItem.status == KnowledgeStatus.PENDING)
        .order_by(KnowledgeItem.updated_at)
    )


def pending_count() -> int:
    return db.session.scalar(
        select(func.count(KnowledgeItem.id)).where(KnowledgeItem.status == KnowledgeStatus.PENDING)
    )


def popular_tags(limit: int = 20) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(KnowledgeTag.name, func.count(KnowledgeItem.id))
        .join(KnowledgeItem.tags)
        .where(KnowledgeItem.status == KnowledgeStatus.PUBLISHED)
        .group_by(KnowledgeTag.name)
        .order_by(func.count(KnowledgeItem.id).desc(), KnowledgeTag.name)
        .limit(limit)
    ).all()
    return [(name, count) for name, count in rows]


def latest(limit: int = 6) -> list[KnowledgeItem]:
    return list(db.session.scalars(published_query(ListFilters()).limit(limit)))


# Parsing what people type ------------------------------------------------------------------------
def parse_tags(text: str) -> list[str]:
    """ใส่แท็กคั่นด้วยจุลภาค: 'PLC, การอ่าน,  การอ่าน' → ['PLC', 'การอ่าน']."""
    names: list[str] = []
    for raw in re.split(r"[,\n;]", text or ""):
        name = " ".join(raw.strip().lstrip("#").split())[:TAG_MAX_LENGTH]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise KnowledgeError(f"ใส่แท็กได้ไม่เกิน {MAX_TAGS} คำ")
    return names


def tags_named(names: Iterable[str]) -> list[KnowledgeTag]:
    tags = []
    for name in names:
        tag = db.session.scalar(
            select(KnowledgeTag).where(func.lower(KnowledgeTag.name) == name.lower())
        )
        if tag is None:
            tag = KnowledgeTag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def parse_links(text: str) -> list[tuple[str, str]]:
    """One link per line: 'https://… คำอธิบาย' (the description is optional)."""
    links = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        url, _, title = line.partition(" ")
        if not _URL.match(url) or len(url) > 500:
            raise KnowledgeError(f"ลิงก์บรรทัดที่ {number} ต้องขึ้นต้นด้วย http:// หรือ https://")
        links.append((url, title.strip()[:255]))
    if len(links) > MAX_LINKS:
        raise KnowledgeError(f"ใส่ลิงก์ได้ไม่เกิน {MAX_LINKS} รายการ")
    return links


def links_text(item: KnowledgeItem) -> str:
    return "\n".join(f"{link.url} {link.title}".strip() for link in item.links)


def form_data(item: KnowledgeItem) -> dict:
    """The edit form's starting values."""
    return {
        "kind": item.kind.value,
        "title": item.title,
        "description": item.description,
        "body": item.body,
        "learning_area_id": item.learning_area_id or 0,
        "grade_level_ids": [level.id for level in item.grade_levels],
        "tags": ", ".join(tag.name for tag in item.tags),
        "co_authors": item.co_authors,
        "links": links_text(item),
        "licence": item.licence,
        "rights_note": item.rights_note,
    }


# Saving -----------------------------------------------------------------------------------------
@dataclass
class ItemData:
    kind: Kind
    title: str
    description: str = ""
    body: str = ""
    learning_area_id: int | None = None
    grade_level_ids: list[int] | None = None
    tags: str = ""
    co_authors: str = ""
    licence: str = "education"
    rights_note: str = ""
    links: str = ""


def apply_data(item: KnowledgeItem, data: ItemData) -> None:
    """Copies checked form data onto the item. Raises KnowledgeError (nothing is changed then)."""
    tag_names = parse_tags(data.tags)
    links = parse_links(data.links)
    if data.licence not in LICENCES:
        raise KnowledgeError("กรุณาเลือกสิทธิ์การใช้งาน")
    item.kind = data.kind
    item.title = data.title.strip()[:TITLE_MAX]
    item.description = data.description.strip()[:DESCRIPTION_MAX]
    item.body = data.body
    item.learning_area_id = data.learning_area_id or None
    item.grade_levels = (
        list(db.session.scalars(select(GradeLevel).where(GradeLevel.id.in_(data.grade_level_ids))))
        if data.grade_level_ids
        else []
    )
    item.tags = tags_named(tag_names)
    item.co_authors = "\n".join(
        line.strip() for line in data.co_authors.splitlines() if line.strip()
    )[:2000]
    item.licence = data.licence
    item.rights_note = data.rights_note.strip()[:500]
    _replace_links(item, links)


def _replace_links(item: KnowledgeItem, links: list[tuple[str, str]]) -> None:
    current = [(link.url, link.title) for link in item.links]
    if current == links:
        return
    item.links.clear()
    for position, (url, title) in enumerate(links):
        item.links.append(KnowledgeLink(url=url, title=title, position=position))


def add_files(item: KnowledgeItem, files: Iterable[FileStorage], owner_id: int | None) -> list[str]:
    """Stores the uploaded files (their text read for search); returns the Thai reasons of the
    files that were refused. The caller commits."""
    incoming = [f for f in files if f and f.filename]
    room = MAX_FILES - len(item.files)
    if len(incoming) > room:
        raise KnowledgeError(f"แนบไฟล์ได้ไม่เกิน {MAX_FILES} ไฟล์ต่อรายการ")
    uploads, errors = save_many(incoming, owner_id, accept={DOCUMENT, IMAGE})
    position = max((f.position for f in item.files), default=-1) + 1
    for offset, upload in enumerate(uploads):
        knowledge_file = KnowledgeFile(upload=upload, position=position + offset)
        fill_text(knowledge_file)
        item.files.append(knowledge_file)
    return errors


def remove_files(item: KnowledgeItem, file_ids: Iterable[int]) -> int:
    wanted = {int(i) for i in file_ids}
    removed = 0
    for knowledge_file in list(item.files):
        if knowledge_file.id in wanted:
            item.files.remove(knowledge_file)
            delete_upload(knowledge_file.upload)
            removed += 1
    return removed


def new_item(user: User) -> KnowledgeItem:
    item = KnowledgeItem(created_by_id=user.id, author_id=user.id, status=KnowledgeStatus.DRAFT)
    db.session.add(item)
    return item


def set_status(item: KnowledgeItem, status: KnowledgeStatus, user, note: str = "") -> None:
    """Moves an item between ฉบับร่าง, รอตรวจ and เผยแพร่แล้ว, as the user's role allows."""
    if status == REVIEW.target("publish"):
        if not is_editor(user):
            raise KnowledgeError(REVIEW.step("publish").refusal)
        if item.status != KnowledgeStatus.PUBLISHED:
            item.published_at = utcnow()
            record("knowledge.publish", item, item.title)
        item.review_note = ""
    elif status == REVIEW.target("submit"):
        if refusal := REVIEW.refusal("submit", item.status):
            raise KnowledgeError(refusal)
        item.review_note = ""
    elif REVIEW.allows("unpublish", item.status):
        record("knowledge.unpublish", item, item.title)
    elif REVIEW.allows("return", item.status) and note:
        item.review_note = note[:500]
        record("knowledge.return", item, item.title)
    item.status = status


def delete_item(item: KnowledgeItem) -> None:
    record("knowledge.delete", item, item.title)
    for knowledge_file in list(item.files):
        delete_upload(knowledge_file.upload)
    db.session.delete(item)


# Counts -----------------------------------------------------------------------------------------
def count_view(item: KnowledgeItem) -> None:
    """A visit of the page: the statistics feature decides whether it counts (bots do not);
    the item's own counter follows its decision, for sorting the list."""
    counted = stats.track_view(CONTENT_TYPE, item.id, item.author_id)
    if counted:
        db.session.execute(
            update(KnowledgeItem)
            .where(KnowledgeItem.id == item.id)
            .values(view_count=KnowledgeItem.view_count + 1, updated_at=KnowledgeItem.updated_at)
        )
        db.session.commit()


def count_download(item: KnowledgeItem, knowledge_file: KnowledgeFile) -> None:
    counted = stats.track_download(CONTENT_TYPE, item.id, item.author_id)
    if counted:
        db.session.execute(
            update(KnowledgeItem)
            .where(KnowledgeItem.id == item.id)
            .values(
                download_count=KnowledgeItem.download_count + 1,
                updated_at=KnowledgeItem.updated_at,  # a visit is not an edit
            )
        )
        db.session.execute(
            update(KnowledgeFile)
            .where(KnowledgeFile.id == knowledge_file.id)
            .values(download_count=KnowledgeFile.download_count + 1)
        )
        db.session.commit()


# Import ---------------------------------------------------------------------------------------
IMPORT_COLUMNS = ("title", "body", "description", "learning_area", "tags", "kind")


def _learning_areas() -> dict[str, int]:
    lookup = {}
    for area in db.session.scalars(select(LearningArea)):
        lookup[area.code.lower()] = area.id
        lookup[area.name.lower()] = area.id
    return lookup


def _rows_from_jsonl(raw: bytes, report: ImportReport, max_rows: int) -> list[tuple[int, dict]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableFileError("อ่านไฟล์ไม่ได้ กรุณาบันทึกไฟล์ JSONL เป็น UTF-8") from error
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            report.reject(number, "ไม่ใช่ JSON ที่ถูกต้อง")
            continue
        if not isinstance(value, dict):
            report.reject(number, 'แต่ละบรรทัดต้องเป็นออบเจกต์ JSON เช่น {"title": ..., "body": ...}')
            continue
        rows.append((number, {k.lower(): v for k, v in value.items()}))
        if len(rows) > max_rows:
            raise TableFileError(f"ไฟล์มีข้อมูลเกิน {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์")
    return rows


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def import_items(
    stream: IO[bytes], filename: str, author: User | None = None, max_rows: int = 20000
) -> tuple[ImportReport, list[KnowledgeItem]]:
    """Creates published items from a .csv or .jsonl file. Bad rows are reported by line and
    skipped; the rest are kept. Raises TableFileError when the file as a whole is unreadable.
    The caller commits."""
    report = ImportReport()
    if filename.lower().endswith(".jsonl"):
        rows = _rows_from_jsonl(stream.read(), report, max_rows)
    elif filename.lower().endswith(".csv"):
        table = read_table(stream, filename, required=("title", "body"), max_rows=max_rows)
        rows = [(row.line, row.values) for row in table]
    else:
        raise TableFileError("รองรับเฉพาะไฟล์ .csv และ .jsonl")
    areas = _learning_areas()
    created = []
    for line, values in rows:
        item = _imported_item(line, values, areas, report, author)
        if item is not None:
            created.append(item)
    report.created = len(created)
    if created:
        record("knowledge.import", None, f"{filename}: {len(created)} รายการ")
    return report, created


def _imported_item(
    line: int, values: dict, areas: dict[str, int], report: ImportReport, author: User | None
) -> KnowledgeItem | None:
    title = _as_text(values.get("title"))
    body = _as_text(values.get("body"))
    problems = []
    if not title:
        problems.append("ไม่มีชื่อเรื่อง (title)")
    elif len(title) > TITLE_MAX:
        problems.append(f"ชื่อเรื่องยาวเกิน {TITLE_MAX} ตัวอักษร")
    if not body:
        problems.append("ไม่มีเนื้อหา (body)")
    kind_text = _as_text(values.get("kind"))
    kind = kind_from_text(kind_text) if kind_text else Kind.DOCUMENT
    if kind is None:
        problems.append(f"ไม่รู้จักประเภท '{kind_text}'")
    area_text = _as_text(values.get("learning_area"))
    area_id = areas.get(area_text.lower()) if area_text else None
    if area_text and area_id is None:
        problems.append(f"ไม่พบกลุ่มสาระการเรียนรู้ '{area_text}'")
    try:
        tag_names = parse_tags(_as_text(values.get("tags")))
    except KnowledgeError as error:
        problems.append(str(error))
        tag_names = []
    description = _as_text(values.get("description"))
    if len(description) > DESCRIPTION_MAX:
        problems.append(f"คำอธิบายย่อยาวเกิน {DESCRIPTION_MAX} ตัวอักษร")
    if problems:
        report.reject(line, "; ".join(problems))
        return None
    item = KnowledgeItem(
        kind=kind,
        title=title,
        description=description,
        body=body,
        learning_area_id=area_id,
        author_id=author.id if author else None,
        created_by_id=author.id if author else None,
        status=KnowledgeStatus.PUBLISHED,
        published_at=utcnow(),
    )
    item.tags = tags_named(tag_names)
    db.session.add(item)
    db.session.flush()  # new tags are visible to the next rows
    return item


# FAQ from a resolved question -------------------------------------------------------------------
def faq_from_question(question_id: int, user: User) -> KnowledgeItem:
    """A draft FAQ item from a resolved question and its accepted answer. The asker is never
    named (they may have asked anonymously); the answerer is credited."""
    from nitet_online.questions.models import Question

    question = db.session.get(Question, question_id)
    if question is None or not question.is_public:
        raise KnowledgeError("ไม่พบคำถามนี้")
    answer = question.accepted_answer
    if answer is None:
        raise KnowledgeError("คำถามนี้ยังไม่มีคำตอบที่ดีที่สุด จึงยังทำเป็น FAQ ไม่ได้")
    item = new_item(user)
    item.kind = Kind.FAQ
    item.title = question.title[:TITLE_MAX]
    item.description = f"จากคำถามในระบบถาม-ตอบ: {question.title}"[:DESCRIPTION_MAX]
    item.body = f"## คำถาม\n\n{question.body}\n\n## คำตอบ\n\n{answer.body}"
    item.learning_area_id = question.learning_area_id
    item.tags = tags_named(tag.name for tag in question.tags)
    item.co_authors = answer.author.full_name if answer.author else ""
    item.source_question_id = question.id
    item.licence = "education"
    return item
