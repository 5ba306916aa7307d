"""The access log survives a rolled-back request and records denied access."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from ips import audit
from ips.models import AccessEvent, Client

from .conftest import verify_second_factor
from .factories import EpisodeFactory


def _failing_view(request, client_id):
    """Reads a client, writes inside the request transaction, then fails."""
    audit.record(request, audit.Action.VIEW, [client_id])
    Client.objects.create(first_name="Half", last_name="Saved")
    raise RuntimeError("boom")


def _ok_view(request, client_id):
    audit.record(request, audit.Action.VIEW, [client_id])
    return HttpResponse("ok")


urlpatterns = [
    path("fail/<int:client_id>/", _failing_view),
    path("ok/<int:client_id>/", _ok_view),
]


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_access_event_survives_a_rolled_back_request(client, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a)
    client.raise_request_exception = False
    client.force_login(owner)
    verify_second_factor(client, owner)

    response = client.get(f"/fail/{episode.client_id}/")

    assert response.status_code == 500
    assert not Client.objects.filter(first_name="Half").exists()
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.outcome) == (owner, "view", "failed")
    assert list(event.clients.values_list("client_id", flat=True)) == [episode.client_id]


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_request_writes_at_once(owner):
    with transaction.atomic():
        audit.record(None, audit.Action.EXPORT, [3, 1, 2], user=owner, what="test export")

    event = AccessEvent.objects.get()
    assert (event.username, event.action, event.what) == ("owner", "export", "test export")
    assert sorted(event.clients.values_list("client_id", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_event_records_who_where_and_when(client, owner):
    client.force_login(owner)
    verify_second_factor(client, owner)

    client.get("/ok/7/?x=1")

    event = AccessEvent.objects.get()
    assert (event.username, event.role, event.path, event.ip_address) == (
        "owner",
        "coach",
        "/ok/7/?x=1",
        "127.0.0.1",
    )
    assert event.at is not None


@pytest.mark.django_db
def test_lead_access_log_page_lists_who_viewed(as_user, lead, owner, other_coach, client_record):
    from django.urls import reverse

    as_user(owner).get(reverse("client-detail", args=[client_record.pk]))
    as_user(other_coach).get(reverse("client-detail", args=[client_record.pk]))

    response = as_user(lead).get(reverse("client-access-log", args=[client_record.pk]))

    rows = [(e.username, e.action, e.outcome) for e in response.context["events"]]
    # The lead's own read is written after the page is rendered, so it shows next time.
    assert rows == [("othercoach", "view", "denied"), ("owner", "view", "ok")]


@pytest.mark.django_db
def test_no_request_can_change_or_delete_the_access_log(as_user, admin_user, owner):
    from django.urls import reverse

    event = AccessEvent.objects.create(user=owner, username="owner", action="view")
    http = as_user(admin_user)

    change = http.post(reverse("admin:ips_accessevent_change", args=[event.pk]), {"action": "x"})
    delete = http.post(reverse("admin:ips_accessevent_delete", args=[event.pk]), {"post": "yes"})
    bulk = http.post(
        reverse("admin:ips_accessevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    event.refresh_from_db()
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in {200, 302}
    assert AccessEvent.objects.filter(pk=event.pk, action="view").exists()
