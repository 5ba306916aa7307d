"""Playwright with Debian's Chromium (never a downloaded browser).

Without Chromium the tests skip, unless IPS_REQUIRE_BROWSER_TESTS=1 (set by CI), where a
missing browser fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("IPS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("IPS_REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(message + " and IPS_REQUIRE_BROWSER_TESTS=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(locale="fi-FI", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    context.close()
    assert problems == [], f"CSP violations, script errors or missing static files: {problems}"


@pytest.fixture
def phone_page(browser, live_server, reference_data):
    context = browser.new_context(
        locale="fi-FI",
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


BACKUP_CODE = "a1b2c3d4"


def log_in(page, username: str, password: str = "correct horse battery") -> None:
    """Log in through the form, then pass the second factor with a backup code."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from ips.models import User

    device, _created = StaticDevice.objects.get_or_create(
        user=User.objects.get(username=username), name="backup"
    )
    StaticToken.objects.get_or_create(device=device, token=BACKUP_CODE)
    page.goto("/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_label("Koodi").fill(BACKUP_CODE)
    page.get_by_role("button", name="Vahvista").click()


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm package (``npm ci``); missing fails under CI's flag."""
    if not AXE_SCRIPT.exists():
        message = f"{AXE_SCRIPT} is missing: run `npm ci` (make test does)"
        if os.environ.get("IPS_REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(message + " and IPS_REQUIRE_BROWSER_TESTS=1")
        pytest.skip(message)
    return AXE_SCRIPT


@pytest.fixture
def new_page(browser, live_server, reference_data):
    """Open pages in fresh contexts: ``new_page(viewport=..., bypass_csp=...)``."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="fi-FI", base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page, axe_script: Path, label: str) -> list[str]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; serious and critical
    violations as readable lines.

    ``add_script_tag`` inserts axe as an inline script, which the app's CSP (nonce only)
    refuses, so the page's context must be opened with ``bypass_csp=True``: for the axe tests
    only; every other browser test runs under the real policy and fails on a CSP violation.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "),
                                            summary: n.failureSummary || ""}))}));
        }""",
        AXE_TAGS,
    )
    lines = []
    for violation in result:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(
                f"{label}: [{violation['impact']}] {violation['id']} ({violation['help']}) "
                f"at {node['target']}: {summary}"
            )
        if len(violation["nodes"]) > 5:
            lines.append(f"{label}: … and {len(violation['nodes']) - 5} more {violation['id']}")
    return lines
