"""A coach on a phone logs an employer contact and a job start, then sees both on the week."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ips.models import EmployerContact, JobStart
from tests.factories import EmployerFactory, EpisodeFactory

from .conftest import log_in

EMPLOYER_LABEL = re.compile(r"^Työnantaja:?$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_logs_employer_contact_and_job_start_on_a_phone(phone_page, owner, team_a):
    page = phone_page
    episode = EpisodeFactory(
        coach=owner,
        team=team_a,
        client__first_name="Aino",
        client__last_name="Aalto",
        referral_date=timezone.localdate() - datetime.timedelta(days=20),
        accepted_date=timezone.localdate() - datetime.timedelta(days=19),
    )
    EmployerFactory(organisation=team_a.organisation, name="Kesko Oyj")
    EmployerFactory(organisation=team_a.organisation, name="Posti Oy")
    log_in(page, "owner")
    expect(page.get_by_role("heading", name="Oma viikko")).to_be_visible()

    # Employer contact: find the employer by typing, tick the client, save (htmx).
    page.get_by_role("link", name="Kirjaa työnantajakontakti").first.click()
    page.get_by_label("Etsi työnantaja").fill("kes")
    employer_select = page.get_by_label(EMPLOYER_LABEL)
    expect(employer_select.locator("option")).to_have_count(2)  # the prompt and Kesko
    employer_select.select_option(label="Kesko Oyj")
    page.get_by_label("Laji").select_option("client")
    page.get_by_label("Aino Aalto").check()
    page.get_by_label("Tarkoitus").select_option("present_candidate")
    page.get_by_role("button", name="Tallenna työnantajakontakti").click()
    expect(page.locator("#employer-contact-form")).to_contain_text(
        "Työnantajakontakti tallennettu: Kesko Oyj."
    )
    expect(page.locator("#employer-contact-form")).to_contain_text("1 / 6")
    assert list(EmployerContact.objects.get().clients.all()) == [episode.client]

    # Job start from the client's page.
    page.goto(f"/clients/{episode.client_id}/")
    page.get_by_role("link", name="Uusi työsuhde").click()
    page.get_by_label(EMPLOYER_LABEL).select_option(label="Kesko Oyj")
    page.get_by_label("Tehtävänimike").fill("Myyjä")
    page.get_by_label("Ammatti (ISCO-08)").select_option("52")
    page.get_by_label("Aloituspäivä").fill(timezone.localdate().isoformat())
    page.get_by_label("Tunnit viikossa").fill("20")
    page.get_by_label("Tuntipalkka (€)").fill("13.20")
    page.get_by_label("Miten työ löytyi").select_option("coach")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Aino Aalto")).to_be_visible()
    assert JobStart.objects.get().job_title == "Myyjä"

    # The coach's week shows both.
    page.get_by_role("link", name="Oma viikko").first.click()
    expect(page.locator(".figure").nth(1)).to_contain_text("1 / 6")
    expect(page.get_by_text("Myyjä (Kesko Oyj)").first).to_be_visible()
