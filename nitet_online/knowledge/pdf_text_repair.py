"""Two things pypdf's text extraction gets wrong in Thai PDFs, put right on a copy of each page
in memory before extraction (run inside filework.py's child process: only the standard library
and pypdf are imported here; nothing is written back to the file).

1. /ActualText. A PDF writer that shapes Thai text draws glyphs that stand for no single
   character (a tone mark lowered or shifted left, ญ without its tail, the two halves of ำ) and
   says what they read as in a marked-content span: `/Span <</ActualText (ปั้)>> BDC ... EMC`.
   Chromium does so for every such cluster (its fonts' ToUnicode maps then give U+0000 for the
   glyphs with Sarabun, or a private-use code point such as U+F70A with the TLWG fonts),
   LibreOffice for a glyph it has already mapped to another character ("ข้อมูล" would read
   "ขูอม้ล"). pypdf reads only the ToUnicode maps, so each glyph of a span is replaced by a glyph
   of a small font made for the page, as wide as the glyph it replaces, whose ToUnicode map
   gives the span's actual text for the first glyph and nothing for the others.
2. Gaps after marks. A tone mark or upper vowel shifted left by the font's mark positioning is
   drawn at its own position (Tm/Td), and the next letter at the pen position again: pypdf
   takes that move back to the right for a word gap and writes a space inside the word ("ปั้ น").
   Character spacing (Tc) is set for such a zero-width glyph so that it ends where the next
   letter starts, which is what pypdf measures; the drawing of the page is not changed.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}
POSITIONING = {b"Td", b"TD", b"Tm", b"T*"}
MAX_CODES = 60_000  # glyphs of the page's own font (two-byte codes)
# The widest move back to the letter after a shifted mark, as a fraction of the font size; a
# wider move is a gap between words.
MAX_MARK_SHIFT = 0.4


def repair(reader: PdfReader, pages: int) -> None:
    """Rewrites the first `pages` pages of `reader` in memory (see the module's description)."""
    for number, page in enumerate(reader.pages[:pages]):
        try:
            _apply_to_page(reader, page, number)
        except Exception:  # a page this cannot follow is extracted as it is
            continue


def _apply_to_page(reader: PdfReader, page, number: int) -> None:
    contents = page.get_contents()
    if contents is None:
        return
    resources = _dictionary(page.get("/Resources"))
    font_name = NameObject(f"/NitetActualText{number}")
    rewriter = _Rewriter(resources, font_name)
    operations = contents.operations
    if b"/ActualText" in contents.get_data():
        operations = rewriter.replace_spans(operations)
    operations, gaps = rewriter.close_mark_gaps(operations)
    if not rewriter.codes and not gaps:
        return
    if rewriter.codes:
        fonts = _dictionary(resources.get("/Font"))
        fonts[font_name] = _span_font(rewriter.codes)
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
    rewritten = ContentStream(None, reader)
    rewritten.operations = operations
    page[NameObject("/Contents")] = rewritten


def _dictionary(value) -> DictionaryObject:
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _as_bytes(operand):
    """The operand as it was in the file: pypdf decodes strings to text, and would write them
    back in another encoding (the glyph codes of a font are not text)."""
    if isinstance(operand, TextStringObject):
        return ByteStringObject(operand.original_bytes)
    if isinstance(operand, ArrayObject):
        return ArrayObject(_as_bytes(item) for item in operand)
    return operand


class _Font:
    """How a font's strings divide into glyph codes, and each code's width (thousandths of the
    font size)."""

    def __init__(self, font: DictionaryObject) -> None:
        self.code_length = 0  # 0: a font this does not follow (its spans are left as they are)
        self.widths: dict[int, float] = {}
        self.default = 0.0
        subtype = font.get("/Subtype")
        if subtype == "/Type0":
            if font.get("/Encoding") in ("/Identity-H", "/Identity-V"):
                self.code_length = 2
                descendant = _dictionary(font.get("/DescendantFonts", [None])[0])
                self.default = float(descendant.get("/DW", 1000))
                self._cid_widths(descendant.get("/W"))
        elif subtype in ("/TrueType", "/Type1", "/MMType1"):
            self.code_length = 1
            first = int(font.get("/FirstChar", 0))
            for offset, width in enumerate(font.get("/Widths", [])):
                self.widths[first + offset] = float(width)
            descriptor = _dictionary(font.get("/FontDescriptor"))
            self.default = float(descriptor.get("/MissingWidth", 0))

    def _cid_widths(self, array) -> None:
        items = list(array.get_object()) if array is not None else []
        index = 0
        while index + 1 < len(items):
            first, second = items[index], items[index + 1].get_object()
            if isinstance(second, ArrayObject):
                for offset, width in enumerate(second):
                    self.widths[int(first) + offset] = float(width)
                index += 2
            elif index + 2 < len(items):
                for code in range(int(first), min(int(second), int(first) + MAX_CODES) + 1):
                    self.widths[code] = float(items[index + 2])
                index += 3
            else:
                break

    def codes(self, data: bytes) -> list[int]:
        size = self.code_length
        return [int.from_bytes(data[i : i + size], "big") for i in range(0, len(data), size)]

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default)


class _Rewriter:
    def __init__(self, resources: DictionaryObject, font_name: NameObject) -> None:
        self.fonts = _dictionary(resources.get("/Font"))
        self.properties = _dictionary(resources.get("/Properties"))
        self.font_name = font_name
        self.codes: dict[tuple[str, float], int] = {}  # (text, width) → code of the page's font
        self._known: dict[str, _Font] = {}

    def _font(self, name) -> _Font | None:
        key = str(name)
        if key not in self._known:
            font = self.fonts.get(name)
            self._known[key] = _Font(_dictionary(font)) if font is not None else None
        return self._known[key]

    def _actual_text(self, operands: list) -> str | None:
        if len(operands) < 2:
            return None
        props = operands[1]
        if isinstance(props, NameObject):
            props = self.properties.get(props)
        props = props.get_object() if props is not None else None
        if not isinstance(props, DictionaryObject) or "/ActualText" not in props:
            return None
        return str(props["/ActualText"])

    def _code(self, text: str, width: float) -> int | None:
        key = (text, width)
        if key not in self.codes:
            if len(self.codes) >= MAX_CODES:
                return None
            code = len(self.codes) + 1
            self.codes[key] = code if code < 0x20 else code + 1  # 0x20 is left to spaces
        return self.codes[key]

    def _replace(self, data: bytes, font: _Font, span: dict) -> bytes | None:
        replaced = bytearray()
        for code in font.codes(data):
            text = "" if span["drawn"] else span["text"]
            new = self._code(text, font.width(code))
            if new is None:
                return None
            span["drawn"] = True
            replaced += new.to_bytes(2, "big")
        return bytes(replaced)

    def replace_spans(self, operations: list) -> list:
        """The operations with each glyph of an ActualText span replaced by one of the page's
        font: same width, reading as the span's text (its first glyph) or as nothing."""
        result: list = []
        font_name, size = None, 12
        saved: list[tuple] = []
        depth = 0
        span: dict | None = None  # the open span: its depth, its text, whether it was read
        for operands, operator in operations:
            operands = [_as_bytes(operand) for operand in operands]
            if operator == b"q":
                saved.append((font_name, size))
            elif operator == b"Q" and saved:
                font_name, size = saved.pop()
            elif operator == b"Tf" and len(operands) == 2:
                font_name, size = operands
            elif operator in (b"BDC", b"BMC"):
                depth += 1
                text = self._actual_text(operands) if operator == b"BDC" else None
                if span is None and text is not None:
                    span = {"depth": depth, "text": text, "drawn": False}
            elif operator == b"EMC":
                if span is not None and span["depth"] == depth:
                    span = None
                depth = max(0, depth - 1)
            font = self._font(font_name) if span is not None and font_name else None
            if operator not in SHOW_TEXT or font is None or not font.code_length:
                result.append((operands, operator))
                continue
            replaced = []
            for operand in operands:
                if isinstance(operand, ByteStringObject):
                    operand = self._replace(bytes(operand), font, span)
                    if operand is None:
                        break
                    operand = ByteStringObject(operand)
                elif isinstance(operand, ArrayObject):
                    parts = [
                        self._replace(bytes(item), font, span)
                        if isinstance(item, ByteStringObject)
                        else item
                        for item in operand
                    ]
                    if any(part is None for part in parts):
                        break
                    operand = ArrayObject(
                        ByteStringObject(part) if isinstance(part, bytes) else part
                        for part in parts
                    )
                replaced.append(operand)
            else:
                result += [
                    ([self.font_name, size], b"Tf"),
                    (replaced, operator),
                    ([font_name, size], b"Tf"),
                ]
                continue
            result.append((operands, operator))
        return result

    def close_mark_gaps(self, operations: list) -> tuple[list, int]:
        """The operations with character spacing set for each run of zero-width glyphs that is
        positioned on its own and followed by a short move forward on the same line; and how
        many such runs there were."""
        if self.codes:  # the glyphs of the page's own font, as wide as those they replaced
            own = _Font(DictionaryObject())
            own.code_length = 2
            for (_text, width), code in self.codes.items():
                own.widths[code] = width
            self._known[str(self.font_name)] = own
        result: list = []
        font_name, size, spacing, leading = None, 12, 0.0, 0.0
        saved: list[tuple] = []
        line = matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        positioned = False
        pending = None  # (index in result, x, y, glyphs, matrix) of a zero-width run
        count = 0
        for operands, operator in operations:
            operands = [_as_bytes(operand) for operand in operands]
            if operator == b"q":
                saved.append((font_name, size, spacing, leading))
            elif operator == b"Q" and saved:
                font_name, size, spacing, leading = saved.pop()
            elif operator == b"Tf" and len(operands) == 2:
                font_name, size = operands[0], float(operands[1])
            elif operator == b"Tc" and operands:
                spacing = float(operands[0])
            elif operator == b"TL" and operands:
                leading = float(operands[0])
            elif operator == b"BT":
                line = matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
                positioned, pending = True, None
            elif operator in POSITIONING:
                if operator == b"Tm" and len(operands) == 6:
                    line = [float(value) for value in operands]
                elif operator in (b"Td", b"TD") and len(operands) == 2:
                    tx, ty = float(operands[0]), float(operands[1])
                    a, b, c, d, e, f = line
                    line = [a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f]
                    if operator == b"TD":
                        leading = -ty
                elif operator == b"T*":
                    a, b, c, d, e, f = line
                    line = [a, b, c, d, -leading * c + e, -leading * d + f]
                matrix = line
                if pending is not None and self._close(result, pending, matrix, size, spacing):
                    count += 1
                positioned, pending = True, None
            elif operator in SHOW_TEXT:
                font = self._font(font_name) if font_name else None
                if operator == b"TJ" and operands and font is not None and font.code_length:
                    operands, netted = self._net_mark_kerning(operands, font)
                    count += netted
                glyphs = self._zero_width_glyphs(operands, font) if operator == b"Tj" else 0
                if positioned and glyphs:
                    pending = (len(result), matrix[4], matrix[5], glyphs, matrix)
                else:
                    pending = None
                positioned = False
            result.append((operands, operator))
        return result, count

    @staticmethod
    def _net_mark_kerning(operands: list, font: _Font) -> tuple[list, int]:
        """In a TJ array, a zero-width glyph moved left before it and right again after it
        (`206 <mark> -205`) keeps only the net move after it: the move right would read as a
        word gap."""
        items = list(operands[0]) if isinstance(operands[0], ArrayObject) else []
        count = 0
        for index in range(1, len(items) - 1):
            before, glyph, after = items[index - 1], items[index], items[index + 1]
            if (
                isinstance(glyph, ByteStringObject)
                and not isinstance(before, ByteStringObject)
                and not isinstance(after, ByteStringObject)
                and float(before) > 0 > float(after)
                and all(font.width(code) == 0 for code in font.codes(bytes(glyph)))
            ):
                items[index - 1] = FloatObject(0)
                items[index + 1] = FloatObject(float(before) + float(after))
                count += 1
        if not count:
            return operands, 0
        return [ArrayObject(items), *operands[1:]], count

    def _zero_width_glyphs(self, operands: list, font: _Font | None) -> int:
        """How many glyphs a Tj shows when all of them are zero-width; 0 otherwise."""
        if font is None or not font.code_length or not operands:
            return 0
        operand = operands[0]
        if not isinstance(operand, ByteStringObject):
            return 0
        codes = font.codes(bytes(operand))
        return len(codes) if codes and all(font.width(code) == 0 for code in codes) else 0

    @staticmethod
    def _close(result: list, pending: tuple, target: list, size: float, spacing: float) -> bool:
        index, x, y, glyphs, matrix = pending
        a, b, c, d = matrix[:4]
        if b or c or a <= 0 or not size:
            return False
        shift = target[4] - (x + glyphs * spacing * a)
        if abs(target[5] - y) > 0.5 * size * abs(d) or not 0 < shift <= MAX_MARK_SHIFT * size * a:
            return False
        needed = (target[4] - x) / (glyphs * a)
        result[index:index] = [([FloatObject(needed)], b"Tc")]
        result.insert(index + 2, ([FloatObject(spacing)], b"Tc"))
        return True


def _span_font(codes: dict[tuple[str, float], int]) -> DictionaryObject:
    """A Type 0 font whose codes read as the spans' texts (it draws nothing: it is never
    rendered, only read)."""
    lines, widths = [], ArrayObject()
    for (text, width), code in codes.items():
        lines.append(f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>")
        widths += [NumberObject(code), ArrayObject([FloatObject(width)])]
    chunks = [lines[i : i + 100] for i in range(0, len(lines), 100)]
    body = "".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n" for chunk in chunks
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(cmap.encode("ascii"))
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/NitetActualText"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/DW"): NumberObject(0),
            NameObject("/W"): widths,
        }
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/NitetActualText"),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([descendant]),
            NameObject("/ToUnicode"): to_unicode,
        }
    )
