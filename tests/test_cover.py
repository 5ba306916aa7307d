import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ips import services
from ips.models import ClientUserObjectPermission, CoverAssignment
from ips.queries import clients_for_user

pytestmark = pytest.mark.django_db


def test_lead_grants_cover_and_the_colleague_gets_access(as_user, lead, colleague, client_record):
    detail = reverse("client-detail", args=[client_record.pk])
    assert as_user(colleague).get(detail).status_code == 404
    ends = timezone.localdate() + datetime.timedelta(days=14)

    response = as_user(lead).post(
        reverse("client-cover", args=[client_record.pk]),
        {
            "coach": colleague.pk,
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": ends.isoformat(),
            "reason": "Holiday cover",
        },
    )

    assert response.status_code == 302
    cover = CoverAssignment.objects.get()
    assert (cover.coach, cover.ends_on, cover.granted_by) == (colleague, ends, lead)
    assert (
        ClientUserObjectPermission.objects.filter(
            user=colleague, content_object=client_record
        ).count()
        == 2
    )
    assert as_user(colleague).get(detail).status_code == 200


def test_cover_ends_on_its_end_date(colleague, lead, client_record):
    today = timezone.localdate()
    services.grant_cover(
        client=client_record,
        coach=colleague,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=1),
        reason="Past cover",
        granted_by=lead,
    )

    assert list(clients_for_user(colleague)) == []


def test_cover_that_has_not_started_gives_no_access(colleague, lead, client_record):
    today = timezone.localdate()
    services.grant_cover(
        client=client_record,
        coach=colleague,
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=5),
        reason="Future cover",
        granted_by=lead,
    )

    assert list(clients_for_user(colleague)) == []


def test_permission_without_a_cover_row_gives_no_access(colleague, client_record):
    from guardian.shortcuts import assign_perm

    assign_perm("ips.view_client", colleague, client_record)

    assert list(clients_for_user(colleague)) == []


def test_revoking_cover_removes_access_and_permissions(as_user, lead, colleague, client_record):
    cover = services.grant_cover(
        client=client_record,
        coach=colleague,
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
        reason="Sick leave",
        granted_by=lead,
    )

    response = as_user(lead).post(reverse("cover-revoke", args=[client_record.pk, cover.pk]))

    assert response.status_code == 302
    cover.refresh_from_db()
    assert cover.revoked_at is not None
    assert list(clients_for_user(colleague)) == []
    assert ClientUserObjectPermission.objects.count() == 0


def test_cover_end_before_today_is_refused(as_user, lead, colleague, client_record):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = as_user(lead).post(
        reverse("client-cover", args=[client_record.pk]),
        {
            "coach": colleague.pk,
            "starts_on": (yesterday - datetime.timedelta(days=3)).isoformat(),
            "ends_on": yesterday.isoformat(),
            "reason": "x",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["Cover must end today or later."]
    assert CoverAssignment.objects.count() == 0


def test_lead_cannot_grant_cover_to_a_coach_of_another_team(
    as_user, lead, other_coach, client_record
):
    response = as_user(lead).post(
        reverse("client-cover", args=[client_record.pk]),
        {
            "coach": other_coach.pk,
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": timezone.localdate().isoformat(),
            "reason": "x",
        },
    )

    assert "coach" in response.context["form"].errors
    assert CoverAssignment.objects.count() == 0


def test_covering_coach_cannot_take_the_client_over(as_user, lead, colleague, owner, episode):
    client = episode.client
    services.grant_cover(
        client=client,
        coach=colleague,
        reason="Holiday",
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
        granted_by=lead,
    )
    data = {
        "client-first_name": client.first_name,
        "client-last_name": client.last_name,
        "client-gender": "unknown",
        "episode-team": episode.team_id,
        "episode-coach": colleague.pk,
        "episode-referral_date": episode.referral_date.isoformat(),
        "episode-referral_source": episode.referral_source,
        "episode-accepted_date": episode.accepted_date.isoformat(),
        "episode-employment_status_at_entry": episode.employment_status_at_entry,
    }

    as_user(colleague).post(reverse("client-edit", args=[client.pk]), data)

    episode.refresh_from_db()
    assert episode.coach == owner
