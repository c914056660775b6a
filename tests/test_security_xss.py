"""Stored XSS: attack payloads typed into every free-text field of the forms listed in
tests/security_policy.py XSS_CASES must come back on every page that shows them as text — never as
a tag, an event handler, a script URL or script content — and must be shown somewhere (so a case
whose submission was refused cannot pass by showing nothing)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.htmlcheck import form_with_fields, injections
from tests.security_policy import ANONYMOUS, XSS_CASES, XssCase

# {m} is replaced by a marker unique to the payload; every payload fits in 100 characters.
PAYLOADS = [
    "<script>alert('{m}')</script>",
    '"><img src=x onerror=alert("{m}")>',
    "'><svg onload=alert('{m}')>",
    "<a href=\"javascript:alert('{m}')\">ลิงก์</a>",
    "javascript:alert('{m}')",
    '<iframe srcdoc="{m}<script>alert(1)</script>"></iframe>',
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;{m}",
    "</textarea><script>alert('{m}')</script>",
    "</title><script>alert('{m}')</script>",
    "{{{{7*7}}}}{m}",
    "<div style=\"background:url(javascript:alert('{m}'))\">x</div>",
    "ครู<b onmouseover=alert('{m}')>สมใจ</b>",
]


def _payload(index: int) -> tuple[str, str]:
    marker = f"xssmark{index:02d}q"
    return PAYLOADS[index].format(m=marker), marker


def _resolve(value, app):
    if callable(value):
        with app.app_context():
            return value()
    return value


def _client_as(app, username: str):
    client = app.test_client()
    if username != ANONYMOUS:
        response = login(client, username, follow=False)
        assert response.status_code == 302, f"could not log in as {username}"
    return client


def _submit(app, case: XssCase, index: int, payload: str) -> None:
    client = _client_as(app, case.submit_as)
    url = _resolve(case.url, app)
    page = client.get(url)
    assert page.status_code == 200, f"{case.name}: GET {url} → {page.status_code}"
    form = form_with_fields(page.get_data(as_text=True), case.fields)
    data = form.data()
    for name in case.fields:
        data[name] = [payload[: case.max_length]]
    with app.app_context():
        data.update({key: [value] for key, value in case.extra(index).items()})
    response = client.post(form.action or url, data=data)
    assert response.status_code < 500, f"{case.name}: POST → {response.status_code}"


@pytest.mark.parametrize("case", XSS_CASES, ids=lambda case: case.name)
def test_payloads_come_back_as_text(demo_app, case):
    viewer = _client_as(demo_app, case.view_as)
    problems = []
    for index in range(len(PAYLOADS)):
        payload, marker = _payload(index)
        _submit(demo_app, case, index, payload)
        shown = False
        for page in case.pages:
            url = _resolve(page, demo_app)
            response = viewer.get(url, follow_redirects=True)
            assert response.status_code == 200, f"{case.name}: GET {url} → {response.status_code}"
            html = response.get_data(as_text=True)
            found, seen = injections(html, marker)
            if "<" in payload and payload[: case.max_length] in html:
                found.append("the payload is in the page unescaped")
            problems += [f"{url} with {payload!r}: {problem}" for problem in found]
            if f"49{marker}" in html:
                problems.append(f"{url}: a template expression in user text was evaluated")
            shown = shown or seen
        assert shown, (
            f"{case.name}: payload {payload!r} is on none of {case.pages} — was the form refused? "
            "(give valid values for the other fields in XssCase.extra)"
        )
    assert not problems, "\n".join(problems)


def test_the_checker_sees_an_injection():
    """The checker itself: markup made from user text is caught, escaped text is not."""
    payload, marker = _payload(1)
    assert injections(f"<p>{payload}</p>", marker)[0]
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    assert injections(f"<p>{escaped}</p>", marker) == ([], True)
    assert injections(f"<script>var a = '{marker}';</script>", marker)[0]
    assert injections(f'<a href="javascript:{marker}">x</a>', marker)[0]
