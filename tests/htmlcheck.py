"""Reading the app's HTML in tests: the fields of a form (to submit it as a browser would) and the
places where a marker string ended up (to tell shown-as-text from injected-as-markup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
RAW_TEXT_TAGS = {"script", "style"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._multiple = False
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value, self._first_option = a["name"], None, None
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                form.fields.append((self._select, value))
                self._select_value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self.forms:
            nothing_chosen = self._select_value is None and self._first_option is not None
            if nothing_chosen and not self._multiple:
                self.forms[-1].fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea and self.forms:
            self.forms[-1].fields.append((self._textarea, "".join(self._text)))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with_fields(html: str, names: tuple[str, ...]) -> Form:
    """The POST form holding every one of `names`."""
    for form in forms_in(html):
        present = {name for name, _ in form.fields}
        if form.method == "post" and set(names) <= present:
            return form
    raise AssertionError(f"no POST form with fields {names} on the page")


class _InjectionFinder(HTMLParser):
    """Records where the marker appears as markup rather than as text."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.problems: list[str] = []
        self.seen_as_text = False
        self._raw: str | None = None

    def handle_starttag(self, tag, attrs):
        self._check_tag(tag, attrs)
        if tag in RAW_TEXT_TAGS:
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self._check_tag(tag, attrs)

    def _check_tag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if self.marker in name:
                self.problems.append(f"<{tag}> has an attribute made from user text: {name}")
            if self.marker not in value:
                continue
            self.seen_as_text = True
            lowered = value.strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler holds user text")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc> holds user text")
            elif name in URL_ATTRIBUTES and lowered.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value[:40]!r}> is a script URL")
            elif name == "style":
                self.problems.append(f"<{tag} style> holds user text")
        if self.marker in tag:
            self.problems.append(f"a <{tag}> element was made from user text")

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self.marker not in data:
            return
        if self._raw:
            self.problems.append(f"user text inside <{self._raw}>")
        else:
            self.seen_as_text = True


def injections(html: str, marker: str) -> tuple[list[str], bool]:
    """(problems, shown): where the marker became markup, and whether it was shown at all."""
    finder = _InjectionFinder(marker)
    finder.feed(html)
    finder.close()
    return finder.problems, finder.seen_as_text
