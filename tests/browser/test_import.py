"""A team lead's spreadsheet import in the browser, in Finnish: upload, column mapping, preview
and import, with axe-core on every step."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ips.models import Contact, ImportBatch

from .conftest import axe_violations, log_in
from .pages import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_imports_contacts_from_a_finnish_csv(new_page, axe_script):
    # Arrange: the lead's team has clients Asiakas0…5 Virtanen; a tracker with one contact row.
    world = build_world()
    day = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    tracker = (
        "Henkilötunnus;Etunimi;Sukunimi;Syntymävuosi;Päivä;Minuutit;Tapa;Paikka;Tarkoitus;"
        f"Muistiinpano\n;Asiakas0;Virtanen;;{day};45;face_to_face;community;career_profile;"
        "Tuotu taulukosta\n"
    ).encode("utf-8-sig")
    page = new_page(bypass_csp=True)
    log_in(page, "teamlead", PASSWORD)
    problems = []

    # Act: upload
    page.goto("/imports/new/")
    problems += axe_violations(page, axe_script, "import upload")
    page.select_option("select[name=kind]", "contacts")
    page.select_option("select[name=team]", str(world["team"].pk))
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "kontaktit.csv", "mimeType": "text/csv", "buffer": tracker}],
    )
    page.locator("form button.primary").click()

    # the column mapping, guessed from the Finnish headers
    expect(page).to_have_url(re.compile(r"/columns/$"))
    problems += axe_violations(page, axe_script, "import column mapping")
    page.locator("form button.primary").click()

    # the preview, then the import
    expect(page).to_have_url(re.compile(r"/preview/$"))
    expect(page.locator("main")).to_contain_text("Tuotu taulukosta")
    problems += axe_violations(page, axe_script, "import preview")
    page.locator("form button.primary").click()

    # Assert
    expect(page.locator("main")).to_contain_text("kontaktit.csv")
    problems += axe_violations(page, axe_script, "import result")
    contact = Contact.objects.get(note="Tuotu taulukosta")
    assert contact.episode.client == world["client"]
    assert contact.minutes == 45
    assert ImportBatch.objects.get().status == ImportBatch.Status.IMPORTED
    assert problems == [], "axe-core found serious or critical violations:\n" + "\n".join(problems)
