"""The client's rights (copy of data, access-log report) and retention."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent, AccessEventClient, Client, Contact, Episode

from .factories import ContactFactory, EpisodeFactory, JobStartFactory

pytestmark = pytest.mark.django_db


def test_copy_of_the_data_as_json(as_user, lead, episode):
    ContactFactory(episode=episode, note="Met at the library")
    JobStartFactory(episode=episode, job_title="Kirjastoavustaja")

    response = as_user(lead).get(reverse("client-data-json", args=[episode.client_id]))

    data = json.loads(response.content)
    assert data["client"]["last_name"] == episode.client.last_name
    assert [c["note"] for c in data["contacts"]] == ["Met at the library"]
    assert [j["job_title"] for j in data["jobs"]] == ["Kirjastoavustaja"]
    assert AccessEvent.objects.get(user=lead).action == "export"


def test_copy_of_the_data_as_pdf(as_user, lead, episode):
    from pypdf import PdfReader

    response = as_user(lead).get(reverse("client-data-pdf", args=[episode.client_id]))

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert episode.client.last_name in text


def test_access_log_report_covers_two_years_and_older_needs_a_reason(as_user, lead, owner, episode):
    old = AccessEvent.objects.create(
        user=owner,
        username="owner",
        action="view",
        at=timezone.now() - datetime.timedelta(days=800),
    )
    AccessEventClient.objects.create(event=old, client_id=episode.client_id)
    http = as_user(lead)
    url = reverse("client-access-log", args=[episode.client_id])

    recent = http.get(url)
    refused = http.post(url, {"reason": "short"})
    full = http.post(url, {"reason": "Suspected misuse reported by the client"})

    assert old not in recent.context["events"]
    assert "reason" in refused.context["form"].errors
    assert old in full.context["events"]
    logged = AccessEvent.objects.get(reason="Suspected misuse reported by the client")
    assert (logged.user, logged.what) == (lead, "access log, older entries")


def test_purge_deletes_only_expired_episodes_and_logs_ids(settings):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=365 * 13)
    expired = EpisodeFactory(
        referral_date=long_ago,
        accepted_date=long_ago,
        discharge_date=long_ago + datetime.timedelta(days=30),
        discharge_reason="moved",
    )
    ContactFactory(episode=expired, note="secret")
    kept = EpisodeFactory()
    settings.RETENTION_YEARS = 12

    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "Would delete 1 episodes" in out.getvalue()
    assert Episode.objects.count() == 2

    call_command("purge_expired", stdout=io.StringIO())

    assert list(Episode.objects.all()) == [kept]
    assert not Client.objects.filter(pk=expired.client_id).exists()
    assert Contact.objects.count() == 0
    event = AccessEvent.objects.get(action="delete")
    assert list(event.clients.values_list("client_id", flat=True)) == [expired.client_id]
    assert "secret" not in event.what + event.reason


def test_access_log_report_names_roles_and_pdf_headings_in_the_readers_language(
    as_user, lead, owner, episode
):
    from pypdf import PdfReader

    as_user(owner).get(reverse("client-detail", args=[episode.client_id]))
    http = as_user(lead)
    http.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"

    page = http.get(reverse("client-access-log", args=[episode.client_id])).content.decode()
    pdf = http.get(reverse("client-data-pdf", args=[episode.client_id])).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "<td>IPS-työhönvalmentaja</td>" in page
    assert "Henkilötiedot" in text
    assert "first_name" not in text
