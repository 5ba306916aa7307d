"""Every main page of every role passes axe-core's WCAG 2.1 A and AA rules with no serious or
critical violation, in Finnish (the default language)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ips.models import Contact
from tests.factories import EpisodeFactory

from .conftest import axe_violations, log_in
from .pages import PASSWORD, build_world, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["", "coach", "teamlead", "reviewer_1", "evaluator"]


@pytest.mark.parametrize("username", ROLES, ids=lambda u: u or "signed-out")
def test_main_pages_have_no_serious_axe_violations(new_page, axe_script, username):
    world = build_world()
    page = new_page(bypass_csp=True)
    if username:
        log_in(page, username, PASSWORD)
    problems = []
    for name, url in main_pages(world)[username]:
        response = page.goto(url)
        assert response.status == 200, f"{name} ({url}) answered {response.status}"
        problems += axe_violations(page, axe_script, f"{name} ({url})")
    assert problems == [], "axe-core found serious or critical violations:\n" + "\n".join(problems)


def _active(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, name: el.getAttribute("name") || "",
                    classes: el.className || "", text: (el.textContent || "").trim(),
                    outline: style.outlineStyle, insideContactPanel: !!el.closest("#contact-panel"),
                    insideQuickLog: !!el.closest("#quick-log")};
        }"""
    )


def test_keyboard_skip_link_htmx_focus_and_saved_announcement(page, owner, team_a, axe_script):
    """Under the real CSP: the skip link comes first and shows a focus ring; after an htmx
    save the polite live region says so and the focus lands on the saved message; after a
    refused save it lands on the invalid field."""
    episode = EpisodeFactory(coach=owner, team=team_a, client__first_name="Aino")
    log_in(page, "owner")
    page.goto(f"/clients/{episode.client_id}/")

    page.keyboard.press("Tab")
    skip = _active(page)
    assert skip["text"] == "Siirry sisältöön"
    assert skip["outline"] != "none"
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "main"

    # A refused save: the focus goes to the first invalid field.
    page.evaluate("document.querySelector('#contact-panel form').noValidate = true")
    page.get_by_label("Minuutit").fill("")
    page.get_by_role("button", name="Tallenna yhteydenotto").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#contact-panel [aria-invalid='true']").first).to_be_focused()
    assert _active(page)["name"] == "minutes"

    # A successful save: the live region announces it and the focus is on the message.
    page.get_by_label("Minuutit").fill("25")
    page.get_by_label("Tarkoitus").select_option("engagement")
    page.get_by_role("button", name="Tallenna yhteydenotto").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-region")).to_have_text(re.compile("Yhteydenotto tallennettu"))
    expect(page.locator("#contact-panel .message.success")).to_be_focused()
    assert page.locator("[aria-live]").count() == 1
    assert Contact.objects.filter(episode=episode, minutes=25).exists()


def test_quick_log_from_the_caseload_takes_the_focus_to_its_heading(page, owner, team_a):
    EpisodeFactory(coach=owner, team=team_a, client__first_name="Aino")
    log_in(page, "owner")
    page.goto("/clients/")
    page.get_by_role("link", name=re.compile("Kirjaa yhteydenotto")).first.focus()
    page.keyboard.press("Enter")
    heading = page.locator("#quick-log h2")
    expect(heading).to_be_focused()
    # Typing in the name filter keeps the focus in the field while the table updates.
    search = page.get_by_label("Hae nimellä")
    search.focus()
    page.keyboard.type("Ai")
    expect(page.locator("#live-region")).to_contain_text("1")
    expect(search).to_be_focused()


def test_htmx_states_have_no_serious_axe_violations(new_page, axe_script):
    """The states that only exist after an htmx swap: the quick-log panel on the caseload,
    a refused contact (errors shown) and a saved one."""
    world = build_world()
    page = new_page(bypass_csp=True)
    log_in(page, "coach", PASSWORD)
    problems = []

    page.goto("/clients/")
    page.get_by_role("link", name=re.compile("Kirjaa yhteydenotto")).first.click()
    expect(page.locator("#quick-log form")).to_be_visible()
    problems += axe_violations(page, axe_script, "caseload with the quick-log panel")

    page.goto(f"/clients/{world['client'].pk}/")
    page.evaluate("document.querySelector('#contact-panel form').noValidate = true")
    page.get_by_label("Minuutit").fill("")
    page.get_by_role("button", name="Tallenna yhteydenotto").click()
    expect(page.locator("#contact-panel [aria-invalid='true']").first).to_be_visible()
    problems += axe_violations(page, axe_script, "client detail, contact refused")

    page.get_by_label("Minuutit").fill("15")
    page.get_by_label("Tarkoitus").select_option("engagement")
    page.get_by_role("button", name="Tallenna yhteydenotto").click()
    expect(page.locator("#contact-panel .message.success")).to_be_visible()
    problems += axe_violations(page, axe_script, "client detail, contact saved")
    assert problems == [], "axe-core found serious or critical violations:\n" + "\n".join(problems)
