"""The main path of each role, in a real browser, in Finnish (the default language)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ips.models import Client, Contact
from tests.factories import EpisodeFactory

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_adds_a_client_and_logs_a_contact_without_a_reload(page, owner, team_a):
    log_in(page, "owner")
    expect(page.get_by_role("heading", name="Oma viikko")).to_be_visible()
    page.get_by_role("link", name="Asiakkaat", exact=True).click()
    expect(page.get_by_role("heading", name="Asiakkaat")).to_be_visible()

    page.get_by_role("link", name="Uusi asiakas").first.click()
    page.get_by_label("Etunimi").fill("Helmi")
    page.get_by_label("Sukunimi").fill("Virtanen")
    page.get_by_label("Henkilötunnus").fill("131052-308T")
    page.get_by_label("Lähettävä taho").select_option("mental_health")
    page.get_by_label("Työmarkkina-asema tullessa").select_option("out_of_work")
    page.get_by_role("button", name="Tallenna").click()

    expect(page.get_by_role("heading", name="Helmi Virtanen")).to_be_visible()
    client = Client.objects.get(last_name="Virtanen")

    page.evaluate("window.__noReload = true")
    page.get_by_label("Minuutit").fill("40")
    page.get_by_label("Tarkoitus").select_option("career_profile")
    page.get_by_label("Muistiinpano").fill("Ensitapaaminen kahvilassa")
    page.get_by_role("button", name="Tallenna yhteydenotto").click()

    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Ensitapaaminen kahvilassa")
    expect(page.locator("#live-region")).to_contain_text("Yhteydenotto tallennettu")
    assert page.evaluate("window.__noReload") is True
    assert Contact.objects.get().episode.client == client


def test_coach_logs_a_contact_from_the_caseload_list(page, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a, client__first_name="Aino")
    log_in(page, "owner")
    page.goto("/clients/")

    page.get_by_role("link", name=re.compile("Kirjaa yhteydenotto")).first.click()
    panel = page.locator("#quick-log")
    panel.get_by_label("Minuutit").fill("20")
    panel.get_by_label("Tarkoitus").select_option("engagement")
    panel.get_by_role("button", name="Tallenna yhteydenotto").click()

    expect(panel).to_contain_text("Yhteydenotto tallennettu")
    assert Contact.objects.get().episode == episode


def test_caseload_filters_update_in_place_and_keep_a_shareable_url(page, owner, team_a):
    EpisodeFactory(coach=owner, team=team_a, client__first_name="Aino", client__last_name="Aalto")
    EpisodeFactory(coach=owner, team=team_a, client__first_name="Eero", client__last_name="Berg")
    log_in(page, "owner")
    page.goto("/clients/")
    page.evaluate("window.__noReload = true")

    page.get_by_label("Hae nimellä").fill("Berg")

    table = page.locator("#caseload-table")
    expect(table).not_to_contain_text("Aalto")
    expect(table).to_contain_text("Eero Berg")
    expect(page).to_have_url(re.compile(r"q=Berg"))
    assert page.evaluate("window.__noReload") is True


def test_lead_sees_the_team_and_who_viewed_a_client(page, lead, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a, client__first_name="Kaisa")
    log_in(page, "lead")
    expect(page.get_by_role("heading", name=re.compile("Tiimin viikko"))).to_be_visible()
    page.get_by_role("link", name="Asiakkaat", exact=True).click()

    page.get_by_role("link", name=episode.client.full_name, exact=True).click()
    page.get_by_role("link", name="Lokitiedot").click()

    expect(page.get_by_role("table")).to_contain_text("lead")


def test_evaluator_sees_no_client_records(page, evaluator, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a)
    log_in(page, "evaluator")

    expect(page.get_by_role("heading", name=re.compile("Tervetuloa"))).to_be_visible()
    response = page.goto(f"/clients/{episode.client_id}/")
    assert response.status == 404
