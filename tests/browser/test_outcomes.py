"""An evaluator opens the outcomes, runs an anonymised export and opens the zip."""

from __future__ import annotations

import datetime
import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outcomes.models import EvaluationGrant
from tests.factories import EpisodeFactory, JobStartFactory

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evaluator_exports_and_opens_the_zip(page, evaluator, owner, team_a, tmp_path):
    EvaluationGrant.objects.create(evaluator=evaluator, organisation=team_a.organisation)
    start = timezone.localdate() - datetime.timedelta(days=120)
    for n in range(12):
        episode = EpisodeFactory(
            coach=owner,
            team=team_a,
            referral_date=start,
            accepted_date=start,
            client__birth_year=1985,
            client__gender="female",
            client__last_name=f"Secretsurname{n}",
        )
        if n % 2:
            JobStartFactory(episode=episode, start_date=start + datetime.timedelta(days=20))

    log_in(page, "evaluator")
    page.get_by_role("link", name="Tulokset").first.click()
    expect(page.get_by_role("heading", name="Tulokset")).to_be_visible()
    page.get_by_role("link", name="Arviointiaineisto").click()
    page.get_by_label(team_a.name).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Vie aineisto").click()
    path = tmp_path / "export.zip"
    download_info.value.save_as(path)

    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        report = json.loads(archive.read("risk_report.json"))
        blob = b"".join(archive.read(name) for name in names)
    assert names == ["codebook.csv", "job.csv", "person.csv", "risk_report.json"]
    assert report["k_achieved"] >= 5
    assert report["rows"]["person"] == 12
    assert b"Secretsurname" not in blob
