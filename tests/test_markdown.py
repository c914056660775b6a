"""The sanitiser: script, event handlers and javascript: links never survive; Markdown still works."""

from html.parser import HTMLParser

import pytest

from nitet_online.services.markdown import markdown_to_text, render_markdown
from tests.conftest import login

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[คลิก](javascript:alert(1))",
    "[คลิก](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_is_removed(attack):
    for tag, attributes in elements(str(render_markdown(attack))):
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style"}
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in {"href", "src"}:
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))


def test_markdown_features_survive():
    html = str(
        render_markdown(
            "## หัวข้อการนิเทศ\n\n**สำคัญ** _เน้น_ ~~ยกเลิก~~\n\n- ข้อหนึ่ง\n- ข้อสอง\n\n"
            "| ชั้น | จำนวน |\n|---|---|\n| ป.1 | 20 |\n\n"
            "ดูที่ https://www.obec.go.th และ [คู่มือ](/manual/)\n\n![ภาพ](/files/abc/large)"
        )
    )
    assert "<h2>หัวข้อการนิเทศ</h2>" in html
    assert "<strong>สำคัญ</strong>" in html and "<em>เน้น</em>" in html and "<s>ยกเลิก</s>" in html
    assert "<li>ข้อหนึ่ง</li>" in html
    assert '<table class="table table-sm table-bordered">' in html
    assert 'href="https://www.obec.go.th"' in html  # bare links become links
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'src="/files/abc/large"' in html and 'loading="lazy"' in html


def test_plain_text_for_snippets():
    assert markdown_to_text("**ครู** สอน _ดี_\n\n- ข้อ", limit=100) == "ครู สอน ดี ข้อ"
    assert markdown_to_text("ก" * 50, limit=10) == "ก" * 9 + "…"


def test_plain_text_decodes_entities_once_so_escaped_markup_stays_text():
    # What a user typed as &amp;lt;script&amp;gt; reads "&lt;script&gt;", never a <script> tag.
    assert markdown_to_text("&amp;lt;script&amp;gt;") == "&lt;script&gt;"
    assert markdown_to_text("ก &lt;b&gt; ข & \"ค\" 'ง' &copy;") == "ก <b> ข & \"ค\" 'ง' ©"


def test_preview_endpoint_uses_the_same_sanitiser(demo_client):
    assert demo_client.post("/markdown/preview", json={"text": "x"}).status_code == 302
    login(demo_client, "teacher1")
    response = demo_client.post(
        "/markdown/preview", json={"text": "**ตัวหนา** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>ตัวหนา</strong>" in html and "<script" not in html
    too_long = demo_client.post("/markdown/preview", json={"text": "ก" * 100_001})
    assert too_long.status_code == 400 and "ยาวเกิน" in too_long.get_json()["error"]
