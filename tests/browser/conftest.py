"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run scripts/ensure-system-packages.sh"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=PHONE) → a page in a fresh context (its own cookies)."""
    contexts = []

    def _new_page(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="th-TH", **options)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        return page

    yield _new_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page, base_url: str, username: str, password: str = "nitet-demo") -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("#login", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def fits_the_screen(page) -> bool:
    """Nothing on the page, the navigation bar included, is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def uses_sarabun(page, selector: str = "body") -> bool:
    """The element's font is Sarabun and the browser has actually loaded Sarabun for Thai."""
    return page.evaluate(
        """async (selector) => {
            await document.fonts.ready;
            const family = getComputedStyle(document.querySelector(selector)).fontFamily;
            const loaded = [...document.fonts].some(
                f => f.family.replace(/['"]/g, '') === 'Sarabun' && f.status === 'loaded');
            return family.includes('Sarabun') && loaded && document.fonts.check('16px Sarabun', 'ครู');
        }""",
        selector,
    )
