import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent, CareerProfileVersion, Client, Contact, Episode, TargetGroup

from .factories import (
    CareerProfileVersionFactory,
    ContactFactory,
    EducationStartFactory,
    EpisodeFactory,
    JobStartFactory,
)

pytestmark = pytest.mark.django_db


def _create_data(team, coach, **overrides):
    data = {
        "client-first_name": "Helmi",
        "client-last_name": "Virtanen",
        "client-personal_identity_code": "131052-308T",
        "client-gender": "female",
        "client-municipality": "Tampere",
        "episode-team": team.pk,
        "episode-coach": coach.pk,
        "episode-referral_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "episode-referral_source": "mental_health",
        "episode-accepted_date": timezone.localdate().isoformat(),
        "episode-employment_status_at_entry": "out_of_work",
        "episode-target_groups": [TargetGroup.objects.get(code="mental_health").pk],
    }
    data.update(overrides)
    return data


def test_coach_creates_a_client_with_an_episode(as_user, owner, team_a):
    response = as_user(owner).post(reverse("client-create"), _create_data(team_a, owner))

    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("client-detail", args=[client.pk])
    assert (client.full_name, client.personal_identity_code, client.birth_year) == (
        "Helmi Virtanen",
        "131052-308T",
        1952,
    )
    episode = client.episodes.get()
    assert (episode.coach, episode.team, episode.status) == (owner, team_a, "active")
    assert list(episode.target_groups.values_list("code", flat=True)) == ["mental_health"]
    event = AccessEvent.objects.get(action="create")
    assert list(event.clients.values_list("client_id", flat=True)) == [client.pk]


def test_wrong_check_character_is_rejected_and_nothing_saved(as_user, owner, team_a):
    data = _create_data(team_a, owner, **{"client-personal_identity_code": "131052-308U"})

    response = as_user(owner).post(reverse("client-create"), data)

    assert response.status_code == 200
    assert response.context["client_form"].errors["personal_identity_code"] == [
        "The check character of the personal identity code is wrong. Check the code."
    ]
    assert Client.objects.count() == Episode.objects.count() == 0


def test_acceptance_before_referral_is_rejected(as_user, owner, team_a):
    data = _create_data(
        team_a,
        owner,
        **{
            "episode-referral_date": "2026-01-10",
            "episode-accepted_date": "2026-01-09",
        },
    )

    response = as_user(owner).post(reverse("client-create"), data)

    assert response.context["episode_form"].errors["accepted_date"] == [
        "A client cannot be accepted before they were referred."
    ]
    assert Client.objects.count() == 0


def test_a_future_referral_date_is_rejected(as_user, owner, team_a):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = _create_data(team_a, owner, **{"episode-referral_date": tomorrow})

    response = as_user(owner).post(reverse("client-create"), data)

    assert response.context["episode_form"].errors["referral_date"] == [
        "The date cannot be in the future."
    ]


def test_coach_cannot_assign_a_client_to_another_team(as_user, owner, team_a, team_b, other_coach):
    data = _create_data(team_b, other_coach)

    response = as_user(owner).post(reverse("client-create"), data)

    errors = response.context["episode_form"].errors
    assert set(errors) == {"team", "coach"}
    assert Client.objects.count() == 0


def test_duplicate_identity_code_on_own_caseload_is_refused(as_user, owner, team_a):
    EpisodeFactory(coach=owner, team=team_a, client__personal_identity_code="131052-308T")

    response = as_user(owner).post(reverse("client-create"), _create_data(team_a, owner))

    assert response.context["client_form"].errors["personal_identity_code"] == [
        "A client with this personal identity code is already on your caseload."
    ]
    assert Client.objects.count() == 1


def test_identity_code_check_does_not_reveal_other_organisations_clients(as_user, owner, team_a):
    EpisodeFactory(client__personal_identity_code="131052-308T")  # another team entirely

    response = as_user(owner).post(reverse("client-create"), _create_data(team_a, owner))

    assert response.status_code == 302
    assert Client.objects.filter(personal_identity_code="131052-308T").count() == 2


def test_discharge_before_referral_is_refused_with_a_clear_message(as_user, owner, episode):
    client = episode.client
    data = {
        "client-first_name": client.first_name,
        "client-last_name": client.last_name,
        "client-gender": "unknown",
        "episode-team": episode.team_id,
        "episode-coach": episode.coach_id,
        "episode-referral_date": episode.referral_date.isoformat(),
        "episode-referral_source": episode.referral_source,
        "episode-accepted_date": episode.accepted_date.isoformat(),
        "episode-employment_status_at_entry": episode.employment_status_at_entry,
        "episode-discharge_date": (episode.referral_date - datetime.timedelta(days=1)).isoformat(),
        "episode-discharge_reason": "moved",
    }

    response = as_user(owner).post(reverse("client-edit", args=[client.pk]), data)

    assert response.context["episode_form"].errors["discharge_date"] == [
        "A client cannot be discharged before they were referred."
    ]
    episode.refresh_from_db()
    assert episode.discharge_date is None


def test_discharge_with_reason_closes_the_episode(as_user, owner, episode):
    client = episode.client
    data = {
        "client-first_name": "Uusi",
        "client-last_name": client.last_name,
        "client-gender": "unknown",
        "episode-team": episode.team_id,
        "episode-coach": episode.coach_id,
        "episode-referral_date": episode.referral_date.isoformat(),
        "episode-referral_source": episode.referral_source,
        "episode-accepted_date": episode.accepted_date.isoformat(),
        "episode-employment_status_at_entry": episode.employment_status_at_entry,
        "episode-discharge_date": timezone.localdate().isoformat(),
        "episode-discharge_reason": "goals_met",
    }

    response = as_user(owner).post(reverse("client-edit", args=[client.pk]), data)

    assert response.status_code == 302
    episode.refresh_from_db()
    client.refresh_from_db()
    assert (client.first_name, episode.status, episode.discharge_reason) == (
        "Uusi",
        "discharged",
        "goals_met",
    )
    assert list(AccessEvent.objects.filter(user=owner).values_list("action", flat=True)) == [
        "update"
    ]


def test_detail_never_shows_the_full_identity_code(as_user, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a, client__personal_identity_code="131052-308T")

    body = as_user(owner).get(reverse("client-detail", args=[episode.client_id])).content.decode()

    assert "131052-****" in body
    assert "308T" not in body


def test_timeline_merges_contacts_and_profile_versions(as_user, owner, episode):
    ContactFactory(episode=episode, note="Visited the warehouse together")
    CareerProfileVersionFactory(client=episode.client, version=1, created_by=owner)

    response = as_user(owner).get(reverse("client-detail", args=[episode.client_id]))

    kinds = [entry["kind"] for entry in response.context["timeline"]]
    assert sorted(kinds) == ["contact", "profile"]
    assert "Visited the warehouse together" in response.content.decode()


@pytest.mark.parametrize("contacts", [1, 30])
def test_detail_query_count_does_not_grow(
    as_user, owner, episode, contacts, django_assert_num_queries
):
    job = JobStartFactory(episode=episode)
    for _ in range(contacts):
        ContactFactory(episode=episode, job=job, purpose="follow_along")
        JobStartFactory(episode=episode, end_date=job.start_date, end_reason="quit")
        EducationStartFactory(episode=episode)
    CareerProfileVersionFactory(client=episode.client, version=1, created_by=owner)
    http = as_user(owner)
    url = reverse("client-detail", args=[episode.client_id])
    http.get(url)  # warm the content-type cache guardian uses

    # Scoped client, episodes, target groups, profile versions, contacts, jobs, follow-along
    # contacts, education, job choices of the contact form, lead check, covers; session,
    # user; the access-log writes and savepoints.
    with django_assert_num_queries(21):
        http.get(url)


def _contact_data(**overrides):
    """A valid contact as posted by the form, for today."""
    data = {
        "date": timezone.localdate().isoformat(),
        "minutes": "15",
        "mode": "phone",
        "setting": "remote",
        "purpose": "engagement",
    }
    data.update(overrides)
    return data


def test_contact_logged_with_htmx_returns_the_updated_timeline(as_user, owner, episode):
    data = _contact_data(
        minutes="45",
        mode="face_to_face",
        setting="community",
        purpose="job_search",
        note="Met the employer",
    )

    response = as_user(owner).post(
        reverse("contact-create", args=[episode.client_id]),
        data,
        headers={"HX-Request": "true", "HX-Target": "contact-panel"},
    )

    contact = Contact.objects.get()
    assert (contact.episode, contact.minutes, contact.recorded_by) == (episode, 45, owner)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="contact-panel"')
    assert "Met the employer" in body
    assert "ips:saved" in response["HX-Trigger"]
    assert list(AccessEvent.objects.values_list("action", flat=True)) == ["create"]


def test_contact_from_the_caseload_list_returns_the_quick_log_panel(as_user, owner, episode):
    data = _contact_data()

    response = as_user(owner).post(
        reverse("contact-create", args=[episode.client_id]),
        data,
        headers={"HX-Request": "true", "HX-Target": "quick-log"},
    )

    assert Contact.objects.get().mode == "phone"
    assert "Contact saved for" in response.content.decode()


def test_contact_without_javascript_redirects_to_the_client(as_user, owner, episode):
    data = _contact_data()

    response = as_user(owner).post(reverse("contact-create", args=[episode.client_id]), data)

    assert response.status_code == 302
    assert response.url == reverse("client-detail", args=[episode.client_id])
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("minutes", ["0", "-5", "1441", "abc"])
def test_invalid_minutes_save_nothing(as_user, owner, episode, minutes):
    data = _contact_data(minutes=minutes)

    response = as_user(owner).post(
        reverse("contact-create", args=[episode.client_id]),
        data,
        headers={"HX-Request": "true", "HX-Target": "contact-panel"},
    )

    assert response.status_code == 200
    assert "minutes" in response.context["contact_form"].errors
    assert Contact.objects.count() == 0


def test_no_contact_for_a_discharged_client(as_user, owner, episode):
    episode.discharge_date = episode.accepted_date
    episode.discharge_reason = "moved"
    episode.save()
    data = _contact_data()

    response = as_user(owner).post(reverse("contact-create", args=[episode.client_id]), data)

    assert response.status_code == 200
    assert Contact.objects.count() == 0


def test_profile_save_creates_a_new_version_and_keeps_the_old(as_user, owner, episode):
    CareerProfileVersionFactory(client=episode.client, version=1, job_preferences="Cafe")
    data = {
        "job_preferences": "Warehouse, mornings",
        "disclosure_preference": "partial",
        "change_reason": "Learned from the first job",
    }

    response = as_user(owner).post(reverse("profile-edit", args=[episode.client_id]), data)

    assert response.status_code == 302
    versions = list(
        CareerProfileVersion.objects.order_by("version").values_list("version", "job_preferences")
    )
    assert versions == [(1, "Cafe"), (2, "Warehouse, mornings")]
    episode.refresh_from_db()
    assert episode.career_profile_start is not None
