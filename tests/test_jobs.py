import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent, Contact, EducationStart, Employer, EmployerContact, JobStart

from .factories import EmployerFactory, EpisodeFactory, JobStartFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _job_data(employer, **overrides):
    data = {
        "activity": "job",
        "employer": employer.pk,
        "job_title": "Varastotyöntekijä",
        "occupation": "93",
        "start_date": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "first_paid_day": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "hours_per_week": "20",
        "hourly_wage": "13.50",
        "open_labour_market": "on",
        "customary_wage": "on",
        "permanence": "permanent",
        "found_by": "coach",
        "matches_profile": "true",
        "disclosed": "unknown",
    }
    data.update(overrides)
    return data


class TestEmployerContactLogging:
    def _data(self, employer=None, **overrides):
        data = {
            "date": TODAY().isoformat(),
            "employer": employer.pk if employer else "",
            "face_to_face": "on",
            "kind": "general",
            "purpose": "learn_needs",
            "matched_preferences": "unknown",
            "outcome": "Call back next week",
        }
        data.update(overrides)
        return data

    def test_coach_logs_a_client_specific_contact(self, as_user, owner, team_a, episode):
        employer = EmployerFactory(organisation=team_a.organisation)
        data = self._data(
            employer,
            kind="client",
            clients=[episode.client_id],
            matched_preferences="true",
            purpose="present_candidate",
        )

        response = as_user(owner).post(
            reverse("employer-contact-create"),
            data,
            headers={"HX-Request": "true", "HX-Target": "employer-contact-form"},
        )

        contact = EmployerContact.objects.get()
        assert (contact.coach, contact.team, contact.employer, contact.matched_preferences) == (
            owner,
            team_a,
            employer,
            True,
        )
        assert list(contact.clients.all()) == [episode.client]
        body = response.content.decode()
        assert "Face-to-face employer contacts this week: 1 / 6" in body
        event = AccessEvent.objects.get(action="create")
        assert list(event.clients.values_list("client_id", flat=True)) == [episode.client_id]

    def test_new_employer_is_created_with_the_contact(self, as_user, owner, team_a):
        data = self._data(new_employer_name="Uusi Kahvila Oy", new_employer_business_id="0112038-9")

        response = as_user(owner).post(reverse("employer-contact-create"), data)

        assert response.status_code == 302
        employer = Employer.objects.get()
        assert (employer.name, employer.organisation) == ("Uusi Kahvila Oy", team_a.organisation)
        assert EmployerContact.objects.get().employer == employer

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"kind": "client"}, "clients"),
            ({"new_employer_name": ""}, "employer"),
            (
                {"new_employer_name": "X", "new_employer_business_id": "1234567-8"},
                "new_employer_business_id",
            ),
            ({"date": "2999-01-01"}, "date"),
        ],
    )
    def test_invalid_contact_saves_nothing(self, as_user, owner, team_a, overrides, field):
        data = self._data(None, **overrides)

        response = as_user(owner).post(reverse("employer-contact-create"), data)

        assert field in response.context["form"].errors
        assert EmployerContact.objects.count() == Employer.objects.count() == 0

    def test_coach_cannot_name_someone_elses_client(self, as_user, owner, team_a, colleague):
        theirs = EpisodeFactory(coach=colleague, team=team_a)
        employer = EmployerFactory(organisation=team_a.organisation)

        response = as_user(owner).post(
            reverse("employer-contact-create"),
            self._data(employer, kind="client", clients=[theirs.client_id]),
        )

        assert "clients" in response.context["form"].errors
        assert EmployerContact.objects.count() == 0

    @pytest.mark.parametrize("rows", [1, 30])
    def test_contact_log_query_count(
        self, as_user, lead, owner, team_a, episode, rows, django_assert_num_queries
    ):
        employer = EmployerFactory(organisation=team_a.organisation)
        for _ in range(rows):
            contact = EmployerContact.objects.create(
                date=TODAY(),
                coach=owner,
                team=team_a,
                employer=employer,
                kind="client",
                purpose="follow_up",
            )
            contact.clients.set([episode.client])
        http = as_user(lead)
        http.get(reverse("employer-contact-list"))

        with django_assert_num_queries(12):
            response = http.get(reverse("employer-contact-list"))

        assert len(response.context["table"].page.object_list) == rows


class TestJobStarts:
    def test_coach_records_a_job_start(self, as_user, owner, episode):
        employer = EmployerFactory(organisation=episode.team.organisation)

        response = as_user(owner).post(
            reverse("job-create", args=[episode.client_id]), _job_data(employer)
        )

        assert response.status_code == 302
        job = JobStart.objects.get()
        job.refresh_from_db()
        assert (job.episode, job.occupation_id, job.is_job, job.is_competitive) == (
            episode,
            "93",
            True,
            True,
        )
        assert list(AccessEvent.objects.values_list("action", flat=True)) == ["create"]

    def test_work_trial_is_recorded_but_is_not_a_job(self, as_user, owner, episode):
        employer = EmployerFactory(organisation=episode.team.organisation)

        as_user(owner).post(
            reverse("job-create", args=[episode.client_id]),
            _job_data(employer, activity="work_trial", hourly_wage=""),
        )

        job = JobStart.objects.get()
        assert (job.activity, job.is_job, job.is_competitive) == ("work_trial", False, False)

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"hours_per_week": "-5"}, "hours_per_week"),
            ({"hours_per_week": "0"}, "hours_per_week"),
            ({"hourly_wage": "-1"}, "hourly_wage"),
            ({"hourly_wage": ""}, "hourly_wage"),
            ({"occupation": "9"}, "occupation"),  # a major group is not specific enough
            ({"first_paid_day": "2000-01-01"}, "__all__"),
            ({"start_date": "9999-12-30"}, "start_date"),
            ({"start_date": "0001-01-03"}, "start_date"),
        ],
    )
    def test_bad_job_input_saves_nothing(self, as_user, owner, episode, overrides, field):
        employer = EmployerFactory(organisation=episode.team.organisation)

        response = as_user(owner).post(
            reverse("job-create", args=[episode.client_id]), _job_data(employer, **overrides)
        )

        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert JobStart.objects.count() == 0

    def test_job_start_for_a_discharged_episode_is_refused(self, as_user, owner, episode):
        episode.discharge_date = TODAY()
        episode.discharge_reason = "goals_met"
        episode.save()
        employer = EmployerFactory(organisation=episode.team.organisation)

        response = as_user(owner).post(
            reverse("job-create", args=[episode.client_id]), _job_data(employer)
        )

        assert response.status_code == 200
        assert "no open IPS episode" in response.context["form"].non_field_errors()[0]
        assert JobStart.objects.count() == 0

    def test_end_before_start_is_refused(self, as_user, owner, episode):
        job = JobStartFactory(episode=episode)
        data = _job_data(
            job.employer,
            end_date=(job.start_date - datetime.timedelta(days=1)).isoformat(),
            end_reason="quit",
            start_date=job.start_date.isoformat(),
            first_paid_day="",
        )

        response = as_user(owner).post(reverse("job-edit", args=[episode.client_id, job.pk]), data)

        assert "A job cannot end before it starts." in str(response.context["form"].errors)
        job.refresh_from_db()
        assert job.end_date is None

    def test_ending_a_job_asks_for_a_career_profile_update(self, as_user, owner, episode):
        job = JobStartFactory(episode=episode)
        data = _job_data(
            job.employer,
            start_date=job.start_date.isoformat(),
            first_paid_day="",
            end_date=TODAY().isoformat(),
            end_reason="contract_ended",
        )

        response = as_user(owner).post(reverse("job-edit", args=[episode.client_id, job.pk]), data)

        assert response.url == reverse("profile-edit", args=[episode.client_id])
        job.refresh_from_db()
        assert (job.end_date, job.end_reason) == (TODAY(), "contract_ended")

    def test_job_of_another_client_is_a_404(self, as_user, owner, episode, team_a):
        other = JobStartFactory(episode=EpisodeFactory(coach=owner, team=team_a))

        response = as_user(owner).get(reverse("job-edit", args=[episode.client_id, other.pk]))

        assert response.status_code == 404


class TestEducationAndFollowAlong:
    def test_education_start_is_recorded(self, as_user, owner, episode):
        response = as_user(owner).post(
            reverse("education-create", args=[episode.client_id]),
            {
                "programme": "Logistiikan perustutkinto",
                "institution": "Tredu",
                "start_date": TODAY().isoformat(),
                "outcome": "ongoing",
            },
        )

        assert response.status_code == 302
        assert EducationStart.objects.get().episode == episode

    def test_education_end_before_start_is_refused(self, as_user, owner, episode):
        response = as_user(owner).post(
            reverse("education-create", args=[episode.client_id]),
            {
                "programme": "X",
                "institution": "Y",
                "start_date": "2026-05-02",
                "end_date": "2026-05-01",
                "outcome": "completed",
            },
        )

        assert response.context["form"].errors["__all__"] == [
            "Education cannot end before it starts."
        ]
        assert EducationStart.objects.count() == 0

    def test_support_contact_is_tied_to_the_job_and_clears_the_due_check(
        self, as_user, owner, episode
    ):
        job = JobStartFactory(episode=episode, start_date=TODAY() - datetime.timedelta(days=1))
        http = as_user(owner)
        before = http.get(reverse("client-detail", args=[episode.client_id]))
        due_before = [c.kind for _, due in before.context["support"] for c in due]

        http.post(
            reverse("contact-create", args=[episode.client_id]),
            {
                "date": TODAY().isoformat(),
                "minutes": "30",
                "mode": "face_to_face",
                "setting": "community",
                "purpose": "follow_along",
                "job": job.pk,
            },
        )

        after = http.get(reverse("client-detail", args=[episode.client_id]))
        due_after = [c.kind for _, due in after.context["support"] for c in due]
        assert Contact.objects.get().job == job
        assert due_before == ["before_start", "after_start", "weekly"]
        assert due_after == ["before_start"]

    def test_job_link_only_for_follow_along(self, as_user, owner, episode):
        job = JobStartFactory(episode=episode)

        response = as_user(owner).post(
            reverse("contact-create", args=[episode.client_id]),
            {
                "date": TODAY().isoformat(),
                "minutes": "30",
                "mode": "phone",
                "setting": "remote",
                "purpose": "benefits",
                "job": job.pk,
            },
        )

        assert response.context["form"].errors["job"] == [
            "Link a job only to follow-along support."
        ]
        assert Contact.objects.count() == 0
