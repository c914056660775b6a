"""Text helpers of Q&A: tags, and the visible difference between two versions of a post (for the
edit history). Slugs come from services.slugs."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

MAX_TAGS = 5
TAG_MAX_LENGTH = 30
_TAG_SEPARATORS = re.compile(r"[,،;\n]+")


class TagError(ValueError):
    """The tags typed cannot be used; the message says why, in Thai."""


def parse_tags(text: str | None) -> list[str]:
    """Tags typed as "การอ่าน, ป.1, PLC" → ["การอ่าน", "ป.1", "plc"]: trimmed, spaces collapsed,
    Latin letters lower-cased, duplicates dropped."""
    names: list[str] = []
    for raw in _TAG_SEPARATORS.split(text or ""):
        name = " ".join(raw.replace("#", " ").split()).lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise TagError(f"แท็ก “{name[:20]}…” ยาวเกินไป (ไม่เกิน {TAG_MAX_LENGTH} ตัวอักษร)")
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise TagError(f"ใส่แท็กได้ไม่เกิน {MAX_TAGS} แท็ก (ขณะนี้ {len(names)} แท็ก)")
    return names


def diff_html(old: str, new: str) -> Markup:
    """The changes from old to new as HTML: removed lines in <del>, added lines in <ins>, and for a
    changed line the changed characters marked inside it (Thai has no spaces to split words on)."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.extend(_line("same", escape(line)) for line in old_lines[a1:a2])
        elif tag == "replace" and (a2 - a1) == (b2 - b1):
            for before, after in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                parts.append(_line("changed", _inline_diff(before, after)))
        else:
            parts.extend(
                _line("removed", Markup("<del>%s</del>") % line) for line in old_lines[a1:a2]
            )
            parts.extend(
                _line("added", Markup("<ins>%s</ins>") % line) for line in new_lines[b1:b2]
            )
    return Markup("".join(parts))


def _line(kind: str, content: Markup | str) -> str:
    return str(
        Markup('<div class="diff-line diff-%s">%s</div>') % (kind, content or Markup("&nbsp;"))
    )


def _inline_diff(before: str, after: str) -> Markup:
    out: list[Markup] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape(before[a1:a2]))
            continue
        if a2 > a1:
            out.append(Markup("<del>%s</del>") % before[a1:a2])
        if b2 > b1:
            out.append(Markup("<ins>%s</ins>") % after[b1:b2])
    return Markup("").join(out)
